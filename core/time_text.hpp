#pragma once
/// Times as people read them, one set of rules for every output (plan.csv, guidebooks, the
/// council report, the trace, the viewer, drill reviews):
/// - a span after t0 as hours and minutes, "1:05" or "-0:10:30" (elapsed_text);
/// - a duration in Japanese, 「1時間05分」 or 「1時間5分」 (duration_ja);
/// - a local clock time, "07:05", 「7月1日」, or ISO 8601 with its offset (clock_text,
///   month_day_ja, iso_local_text; the date-times themselves come from core/calendar.hpp).
///
/// Spans keep their sign apart and cut the magnitude to whole minutes (or seconds): −90 s is
/// "-0:01" and 「-0時間01分」, never shown larger than it is; a span below a minute keeps its
/// sign ("-0:00"). Hours are neither wrapped at 24 nor padded unless asked ("26:05").
/// Clock times are of a local count of seconds (core/calendar.hpp) and are cut down to the
/// minute shown (floor, so one second before midnight is still the day before, 23:59).

#include <cstdint>
#include <string>

namespace sonae::core {

/// How elapsed_text writes a span.
struct ElapsedStyle {
    bool seconds = false;   ///< "H:MM:SS" instead of "H:MM"
    bool plus_sign = false; ///< "+1:05" for a span of 0 or more ("-" always marks one below 0)
    int hour_digits = 1;    ///< hours zero-padded to this width ("01:05:00" with 2)
};

/// `s` seconds as [sign]H:MM or [sign]H:MM:SS: 3,900 s → "1:05"; −90 s → "-0:01";
/// 93,600 s → "26:00"; with seconds, 3,725 s → "1:02:05".
std::string elapsed_text(std::int64_t s, ElapsedStyle style = {});

/// How duration_ja writes a span.
struct DurationJaStyle {
    bool pad_minutes = false; ///< 「1時間05分」 instead of 「1時間5分」
    /// 「5分」 below an hour and 「2時間」 on the hour instead of 「0時間5分」 and 「2時間0分」.
    bool short_form = false;
    /// A started minute counts whole (61 s → 2 minutes) instead of being cut (61 s → 1).
    bool round_up = false;
};

/// `s` seconds in Japanese hours and minutes: 3,900 s → 「1時間5分」 (「1時間05分」 padded);
/// −600 s → 「-0時間10分」; short form: 300 s → 「5分」, 7,200 s → 「2時間」.
std::string duration_ja(std::int64_t s, DurationJaStyle style = {});

/// "HH:MM" of a local count of seconds (core/calendar.hpp): the clock on that day.
std::string clock_text(std::int64_t local_s);

/// 「7月1日」: the month and day of a local count of seconds.
std::string month_day_ja(std::int64_t local_s);

/// "+09:00" for an offset from UTC of 540 minutes, "-03:30" for −210, "+00:00" for 0.
std::string utc_offset_text(int offset_min);

/// ISO 8601 local date-time with seconds and offset, as GIS datetime fields take it:
/// "2026-03-14T02:40:05+09:00" for the local count `local_s` in a zone `offset_min` from UTC.
std::string iso_local_text(std::int64_t local_s, int offset_min);

} // namespace sonae::core
