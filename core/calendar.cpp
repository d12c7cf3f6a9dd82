#include "core/calendar.hpp"

#include <chrono>
#include <cstdio>

namespace sonae::core {

std::string civil_time_text(std::int64_t local_s, bool with_seconds) {
    using namespace std::chrono;
    const sys_seconds t{seconds{local_s}};
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss<seconds> clock{t - day};
    char buf[64];
    const int n = std::snprintf(
        buf, sizeof buf, "%04d-%02u-%02u %02d:%02d", static_cast<int>(ymd.year()),
        static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
        static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()));
    if (with_seconds && n > 0) {
        std::snprintf(buf + n, sizeof buf - static_cast<std::size_t>(n), ":%02d",
                      static_cast<int>(clock.seconds().count()));
    }
    return buf;
}

} // namespace sonae::core
