#include "core/calendar.hpp"

#include <chrono>
#include <cstdio>

namespace sonae::core {

namespace {

using namespace std::chrono;

struct Split {
    year_month_day date;
    hh_mm_ss<seconds> clock;
};

Split split(std::int64_t local_s) {
    const sys_seconds t{seconds{local_s}};
    const auto day = floor<days>(t);
    return {year_month_day{day}, hh_mm_ss<seconds>{t - day}};
}

} // namespace

std::string date_text(int year, int month, int day) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

CivilDate civil_date(std::int64_t local_s) {
    const auto [ymd, clock] = split(local_s);
    return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
            static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

std::string civil_date_text(std::int64_t local_s) {
    const auto d = civil_date(local_s);
    return date_text(d.year, d.month, d.day);
}

std::string civil_time_text(std::int64_t local_s, bool with_seconds) {
    const auto [ymd, clock] = split(local_s);
    std::string out = date_text(static_cast<int>(ymd.year()),
                                static_cast<int>(static_cast<unsigned>(ymd.month())),
                                static_cast<int>(static_cast<unsigned>(ymd.day())));
    char buf[32];
    std::snprintf(buf, sizeof buf, " %02d:%02d", static_cast<int>(clock.hours().count()),
                  static_cast<int>(clock.minutes().count()));
    out += buf;
    if (with_seconds) {
        std::snprintf(buf, sizeof buf, ":%02d", static_cast<int>(clock.seconds().count()));
        out += buf;
    }
    return out;
}

std::optional<std::int64_t> civil_seconds(int y, int m, int d, int hour, int minute, int second) {
    if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59)
        return std::nullopt;
    const year_month_day date{year{y}, month{static_cast<unsigned>(m)},
                              day{static_cast<unsigned>(d)}};
    if (!date.ok()) return std::nullopt;
    return static_cast<std::int64_t>(sys_days{date}.time_since_epoch().count()) * 86400 +
           hour * 3600LL + minute * 60LL + second;
}

} // namespace sonae::core
