#include "planner/clock.hpp"

#include <chrono>
#include <cstdio>

namespace sonae::planner {

namespace {

/// Reads exactly `digits` decimal digits at `pos`.
std::optional<int> digits_at(std::string_view s, std::size_t pos, std::size_t digits) {
    if (pos + digits > s.size()) return std::nullopt;
    int v = 0;
    for (std::size_t k = 0; k < digits; ++k) {
        const char c = s[pos + k];
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}

} // namespace

std::optional<ClockTime> parse_clock_time(std::string_view text) {
    using namespace std::chrono;
    const std::string_view s = text;
    // YYYY-MM-DDTHH:MM
    if (s.size() < 16 || s[4] != '-' || s[7] != '-' ||
        (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s[13] != ':') {
        return std::nullopt;
    }
    const auto y = digits_at(s, 0, 4), mo = digits_at(s, 5, 2), d = digits_at(s, 8, 2);
    const auto h = digits_at(s, 11, 2), mi = digits_at(s, 14, 2);
    if (!y || !mo || !d || !h || !mi) return std::nullopt;
    std::size_t pos = 16;
    int sec = 0;
    if (pos < s.size() && s[pos] == ':') {
        const auto ss = digits_at(s, pos + 1, 2);
        if (!ss) return std::nullopt;
        sec = *ss;
        pos += 3;
    }
    if (*h > 23 || *mi > 59 || sec > 59) return std::nullopt;
    const year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)},
                              day{static_cast<unsigned>(*d)}};
    if (!date.ok()) return std::nullopt;
    if (pos >= s.size()) return std::nullopt; // no offset
    int offset = 0;
    if ((s[pos] == 'Z' || s[pos] == 'z') && pos + 1 == s.size()) {
        offset = 0;
    } else if ((s[pos] == '+' || s[pos] == '-') && pos + 6 == s.size() && s[pos + 3] == ':') {
        const auto oh = digits_at(s, pos + 1, 2), om = digits_at(s, pos + 4, 2);
        if (!oh || !om || *oh > 14 || *om > 59) return std::nullopt;
        offset = (*oh * 60 + *om) * (s[pos] == '-' ? -1 : 1);
    } else {
        return std::nullopt;
    }
    const auto local_s =
        sys_days(date).time_since_epoch().count() * 86400LL + *h * 3600LL + *mi * 60LL + sec;
    return ClockTime{local_s - offset * 60LL, offset, std::string(text)};
}

int local_minute_of_day(const ClockTime& clock, std::int64_t t_s) {
    const std::int64_t local_s = clock.unix_s + clock.offset_min * 60LL + t_s;
    const std::int64_t day_s = ((local_s % 86400) + 86400) % 86400;
    return static_cast<int>(day_s / 60);
}

std::string format_local(const ClockTime& clock, std::int64_t t_s) {
    using namespace std::chrono;
    const std::int64_t local_s = clock.unix_s + clock.offset_min * 60LL + t_s;
    const std::int64_t days = local_s >= 0 ? local_s / 86400 : -((-local_s + 86399) / 86400);
    const year_month_day date{sys_days{std::chrono::days{days}}};
    const int minute = local_minute_of_day(clock, t_s);
    char out[32];
    std::snprintf(out, sizeof out, "%04d-%02u-%02u %02d:%02d", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  minute / 60, minute % 60);
    return out;
}

std::string format_iso_local(const ClockTime& clock, std::int64_t t_s) {
    const std::int64_t local_s = clock.unix_s + clock.offset_min * 60LL + t_s;
    const std::int64_t second = ((local_s % 60) + 60) % 60;
    const int offset = clock.offset_min;
    const std::string local = format_local(clock, t_s); // "2026-03-14 02:40"
    char out[48];
    std::snprintf(out, sizeof out, "%sT%s:%02lld%c%02d:%02d", local.substr(0, 10).c_str(),
                  local.substr(11).c_str(), static_cast<long long>(second), offset < 0 ? '-' : '+',
                  (offset < 0 ? -offset : offset) / 60, (offset < 0 ? -offset : offset) % 60);
    return out;
}

} // namespace sonae::planner
