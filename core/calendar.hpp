#pragma once
/// Civil date-times from a count of seconds, with std::chrono's calendar types (no hand copy
/// of the days-to-date algorithm, no time-zone database: the caller adds the zone's offset).
/// A "local" count is seconds after 1970-01-01 00:00 in the zone wanted (for Japan time: Unix
/// seconds + 9 × 3600); negative counts are dates before 1970. Parts of a second never occur:
/// the time of day is always cut down to the minute or second shown (floor, also before 1970).

#include <cstdint>
#include <optional>
#include <string>

namespace sonae::core {

/// "YYYY-MM-DD HH:MM:SS" (with_seconds) or "YYYY-MM-DD HH:MM" of `local_s`.
std::string civil_time_text(std::int64_t local_s, bool with_seconds = true);

/// "YYYY-MM-DD" of `local_s`.
std::string civil_date_text(std::int64_t local_s);

/// "2026-03-14": a date written with four-digit year and two-digit month and day (the parts
/// are printed as given, not checked).
std::string date_text(int year, int month, int day);

/// The local count of seconds of a civil date and time; nullopt when the date does not exist
/// (2026-02-30, month 13) or the time is out of range (hour 24, minute 60, second 60).
std::optional<std::int64_t> civil_seconds(int year, int month, int day, int hour = 0,
                                          int minute = 0, int second = 0);

/// The date's parts of `local_s`.
struct CivilDate {
    int year = 1970, month = 1, day = 1;
};
CivilDate civil_date(std::int64_t local_s);

} // namespace sonae::core
