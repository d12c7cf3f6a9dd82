#include "core/time_text.hpp"

#include "core/calendar.hpp"

#include <cstdio>

namespace sonae::core {

namespace {

/// |s| without overflow at the smallest int64.
unsigned long long magnitude(std::int64_t s) {
    return s < 0 ? 0ULL - static_cast<unsigned long long>(s) : static_cast<unsigned long long>(s);
}

} // namespace

std::string elapsed_text(std::int64_t s, ElapsedStyle style) {
    const bool negative = s < 0;
    const unsigned long long a = magnitude(s);
    const char* sign = negative ? "-" : (style.plus_sign ? "+" : "");
    char buf[64];
    if (style.seconds) {
        std::snprintf(buf, sizeof buf, "%s%0*llu:%02llu:%02llu", sign, style.hour_digits, a / 3600,
                      a / 60 % 60, a % 60);
    } else {
        std::snprintf(buf, sizeof buf, "%s%0*llu:%02llu", sign, style.hour_digits, a / 3600,
                      a / 60 % 60);
    }
    return buf;
}

std::string duration_ja(std::int64_t s, DurationJaStyle style) {
    const bool negative = s < 0;
    const unsigned long long a = magnitude(s);
    const unsigned long long minutes = style.round_up ? a / 60 + (a % 60 != 0) : a / 60;
    const unsigned long long h = minutes / 60;
    const unsigned long long m = minutes % 60;
    std::string out = negative ? "-" : "";
    if (style.short_form && h == 0) return out + std::to_string(m) + "分";
    out += std::to_string(h) + "時間";
    if (style.short_form && m == 0) return out;
    char buf[32];
    std::snprintf(buf, sizeof buf, style.pad_minutes ? "%02llu分" : "%llu分", m);
    return out + buf;
}

std::string clock_text(std::int64_t local_s) {
    return civil_time_text(local_s, false).substr(11);
}

std::string month_day_ja(std::int64_t local_s) {
    const auto d = civil_date(local_s);
    return std::to_string(d.month) + "月" + std::to_string(d.day) + "日";
}

std::string utc_offset_text(int offset_min) {
    const int a = offset_min < 0 ? -offset_min : offset_min;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", offset_min < 0 ? '-' : '+', a / 60, a % 60);
    return buf;
}

std::string iso_local_text(std::int64_t local_s, int offset_min) {
    std::string text = civil_time_text(local_s, true);
    text[10] = 'T';
    return text + utc_offset_text(offset_min);
}

} // namespace sonae::core
