#include "geo/output_date.hpp"

#include "core/calendar.hpp"
#include "core/error.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace sonae::geo {

namespace {
constexpr std::int64_t kJapanOffsetS = 9 * 3600; // Japan time is UTC+9, without summer time
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
    const std::int64_t unix_s =
        epoch ? *epoch
              : std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())
                    .time_since_epoch()
                    .count();
    return core::civil_date_text(unix_s + kJapanOffsetS);
}

std::string gpkg_timestamp(const std::string& date_jst) {
    const std::string date = date_jst.empty() ? output_date_jst() : date_jst;
    int y = 0;
    int m = 0;
    int d = 0;
    char tail = 0;
    if (std::sscanf(date.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3) {
        throw InputError("a date must be YYYY-MM-DD", {.field = "date", .value = date});
    }
    const auto local_midnight = core::civil_seconds(y, m, d);
    if (!local_midnight) throw InputError("not a calendar date", {.field = "date", .value = date});
    // Midnight Japan time in UTC: "2026-03-13T15:00:00.000Z" for 2026-03-14.
    std::string text = core::civil_time_text(*local_midnight - kJapanOffsetS, true);
    text[10] = 'T';
    return text + ".000Z";
}

} // namespace sonae::geo
