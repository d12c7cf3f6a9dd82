#include "geo/output_date.hpp"

#include "core/error.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace sonae::geo {

namespace {

using namespace std::chrono;

std::string iso_date(sys_days day) {
    const year_month_day ymd{day};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return buf;
}

std::string utc_timestamp(sys_seconds t) {
    const auto day = floor<days>(t);
    const hh_mm_ss<seconds> clock{t - day};
    char buf[40];
    std::snprintf(buf, sizeof buf, "%sT%02d:%02d:%02d.000Z", iso_date(day).c_str(),
                  static_cast<int>(clock.hours().count()),
                  static_cast<int>(clock.minutes().count()),
                  static_cast<int>(clock.seconds().count()));
    return buf;
}

} // namespace

std::optional<std::int64_t> source_date_epoch() {
    const char* text = std::getenv("SOURCE_DATE_EPOCH");
    if (text == nullptr || *text == '\0') return std::nullopt;
    const std::string_view s(text);
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (ec != std::errc{} || end != s.data() + s.size() || value < 0) {
        throw InputError("SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01",
                         {.field = "SOURCE_DATE_EPOCH", .value = std::string(s)});
    }
    return value;
}

std::string output_date_jst() {
    const auto epoch = source_date_epoch();
    const sys_seconds now =
        epoch ? sys_seconds{seconds{*epoch}} : floor<seconds>(system_clock::now());
    return iso_date(floor<days>(now + hours{9}));
}

std::string gpkg_timestamp(const std::string& date_jst) {
    const std::string date = date_jst.empty() ? output_date_jst() : date_jst;
    int y = 0;
    unsigned m = 0;
    unsigned d = 0;
    char tail = 0;
    if (std::sscanf(date.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3) {
        throw InputError("a date must be YYYY-MM-DD", {.field = "date", .value = date});
    }
    const year_month_day ymd{year{y}, month{m}, day{d}};
    if (!ymd.ok()) throw InputError("not a calendar date", {.field = "date", .value = date});
    return utc_timestamp(sys_days{ymd} - hours{9});
}

} // namespace sonae::geo
