#pragma once
/// Civil date-times from a count of seconds, with std::chrono's calendar types (no hand copy
/// of the days-to-date algorithm, no time-zone database: the caller adds the zone's offset).

#include <cstdint>
#include <string>

namespace sonae::core {

/// "YYYY-MM-DD HH:MM:SS" (with_seconds) or "YYYY-MM-DD HH:MM" of `local_s` seconds after
/// 1970-01-01 00:00 in the zone wanted (for Japan time: Unix seconds + 9 × 3600). Negative
/// counts are dates before 1970.
std::string civil_time_text(std::int64_t local_s, bool with_seconds = true);

} // namespace sonae::core
