#include "planner/clock.hpp"

#include "core/calendar.hpp"
#include "core/time_text.hpp"

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
    const auto local_s = core::civil_seconds(*y, *mo, *d, *h, *mi, sec);
    if (!local_s) return std::nullopt;
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
    return ClockTime{*local_s - offset * 60LL, offset, std::string(text)};
}

std::int64_t local_seconds(const ClockTime& clock, std::int64_t t_s) {
    return clock.unix_s + clock.offset_min * 60LL + t_s;
}

int local_minute_of_day(const ClockTime& clock, std::int64_t t_s) {
    const std::int64_t local_s = local_seconds(clock, t_s);
    const std::int64_t day_s = ((local_s % 86400) + 86400) % 86400;
    return static_cast<int>(day_s / 60);
}

std::string format_local(const ClockTime& clock, std::int64_t t_s) {
    return core::civil_time_text(local_seconds(clock, t_s), false);
}

std::string format_iso_local(const ClockTime& clock, std::int64_t t_s) {
    return core::iso_local_text(local_seconds(clock, t_s), clock.offset_min);
}

} // namespace sonae::planner
