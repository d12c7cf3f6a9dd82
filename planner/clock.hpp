#pragma once
/// Clock time of t0 (issue 17): the manifest's optional `[timeline] t0_clock`, an ISO 8601
/// date and time with its UTC offset ("2026-03-14T02:00+09:00"). Plans count seconds after
/// t0; with a clock the planner knows whether a moment falls at night (a sleeping family
/// packs more slowly, drives more slowly: data/timing.toml) and outputs can print clock times.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sonae::planner {

struct ClockTime {
    std::int64_t unix_s = 0;     ///< the instant, seconds since 1970-01-01T00:00Z
    std::int32_t offset_min = 0; ///< local offset from UTC (Japan: +540)
    std::string text;            ///< as written in the manifest
    friend bool operator==(const ClockTime&, const ClockTime&) = default;
};

/// Parses `YYYY-MM-DDTHH:MM[:SS]` followed by `Z` or `+HH:MM` / `-HH:MM` (a space instead of
/// `T` is accepted). nullopt if malformed, if the date does not exist (2026-02-30) or if the
/// offset is missing: a clock time without an offset is ambiguous.
std::optional<ClockTime> parse_clock_time(std::string_view text);

/// The local count of seconds (core/calendar.hpp) at `t_s` seconds after the clock time: the
/// instant plus the zone's offset.
std::int64_t local_seconds(const ClockTime& clock, std::int64_t t_s);

/// Local minute of the day (0-1439) at `t_s` seconds after the clock time.
int local_minute_of_day(const ClockTime& clock, std::int64_t t_s);

/// Local date and time at `t_s` seconds after the clock time: "2026-03-14 02:40"
/// (core::civil_time_text).
std::string format_local(const ClockTime& clock, std::int64_t t_s);

/// The same instant as an ISO 8601 local time with seconds and offset, as GIS datetime fields
/// take it: "2026-03-14T02:40:05+09:00" (core::iso_local_text).
std::string format_iso_local(const ClockTime& clock, std::int64_t t_s);

} // namespace sonae::planner
