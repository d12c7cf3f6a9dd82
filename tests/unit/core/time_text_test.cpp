// core/time_text: the one set of rules for times people read (issue 16 item 4). The callers
// (plan.csv, guidebooks, council report, trace, viewer, drill review) print these texts as they
// are, so each case here is a text an output carries.
#include "core/calendar.hpp"
#include "core/time_text.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

namespace sonae::core {
namespace {

// 2026-03-14 02:00 Japan time as a local count: Unix 1773421200 (= 2026-03-13 17:00 UTC)
// + 9 × 3600 s.
constexpr std::int64_t kT0 = 1773421200LL + 9 * 3600;

TEST(CoreTimeText, ElapsedHoursAndMinutes) {
    EXPECT_EQ(elapsed_text(0), "0:00");
    EXPECT_EQ(elapsed_text(3900), "1:05"); // 3,900 s = 1 h 5 min
    // Seconds are cut, never rounded up: 3,959 s = 1 h 5 min 59 s → 1:05.
    EXPECT_EQ(elapsed_text(3959), "1:05");
    // Over 24 h the hours go on (no wrap, no day): 26 h = 93,600 s.
    EXPECT_EQ(elapsed_text(93600), "26:00");
    EXPECT_EQ(elapsed_text(100 * 3600 + 60), "100:01");
    // Negative: the sign apart, the magnitude cut: −90 s = −(1 min 30 s) → -0:01; −30 s keeps
    // its sign although it is less than a minute.
    EXPECT_EQ(elapsed_text(-90), "-0:01");
    EXPECT_EQ(elapsed_text(-30), "-0:00");
    EXPECT_EQ(elapsed_text(-3900), "-1:05");
    // "+" asked for: a span of 0 or more gets it, one below 0 keeps "-".
    EXPECT_EQ(elapsed_text(3900, {.plus_sign = true}), "+1:05");
    EXPECT_EQ(elapsed_text(0, {.plus_sign = true}), "+0:00");
    EXPECT_EQ(elapsed_text(-600, {.plus_sign = true}), "-0:10");
}

TEST(CoreTimeText, ElapsedWithSeconds) {
    // 3,725 s = 1 h 2 min 5 s.
    EXPECT_EQ(elapsed_text(3725, {.seconds = true}), "1:02:05");
    EXPECT_EQ(elapsed_text(-90, {.seconds = true}), "-0:01:30");
    EXPECT_EQ(elapsed_text(86400 + 59, {.seconds = true}), "24:00:59");
    // Padded hours (sonae route's table): 65 s → 00:01:05; 36 h stays 36.
    EXPECT_EQ(elapsed_text(65, {.seconds = true, .hour_digits = 2}), "00:01:05");
    EXPECT_EQ(elapsed_text(36 * 3600, {.seconds = true, .hour_digits = 2}), "36:00:00");
    // The smallest int64 does not overflow: 9,223,372,036,854,775,808 s = 2,562,047,788,015,215 h
    // 30 min 8 s.
    EXPECT_EQ(elapsed_text(std::numeric_limits<std::int64_t>::min(), {.seconds = true}),
              "-2562047788015215:30:08");
}

TEST(CoreTimeText, DurationInJapanese) {
    EXPECT_EQ(duration_ja(3900), "1時間5分");
    EXPECT_EQ(duration_ja(3900, {.pad_minutes = true}), "1時間05分");
    EXPECT_EQ(duration_ja(0, {.pad_minutes = true}), "0時間00分");
    // Cut: 119 s is 1 min; negative keeps its sign, −600 s = −10 min, −30 s = "-0時間00分".
    EXPECT_EQ(duration_ja(119), "0時間1分");
    EXPECT_EQ(duration_ja(-600, {.pad_minutes = true}), "-0時間10分");
    EXPECT_EQ(duration_ja(-30, {.pad_minutes = true}), "-0時間00分");
    // Over a day: 30 h 15 min = 108,900 s.
    EXPECT_EQ(duration_ja(108900), "30時間15分");
    // Short form, a started minute counting whole (the guidebook's hazard onsets):
    // 61 s → 2 min; 300 s → 5 min; 3,540 s = 59 min; 3,541 s → 60 min = 1 h;
    // 7,200 s = 2 h; 3,900 s = 1 h 5 min.
    const DurationJaStyle onset{.short_form = true, .round_up = true};
    EXPECT_EQ(duration_ja(61, onset), "2分");
    EXPECT_EQ(duration_ja(300, onset), "5分");
    EXPECT_EQ(duration_ja(3540, onset), "59分");
    EXPECT_EQ(duration_ja(3541, onset), "1時間");
    EXPECT_EQ(duration_ja(7200, onset), "2時間");
    EXPECT_EQ(duration_ja(3900, onset), "1時間5分");
}

TEST(CoreTimeText, ClockAndDayRollover) {
    EXPECT_EQ(clock_text(kT0), "02:00");
    // 22 h 59 min 59 s later is 2026-03-15 00:59:59: the next day, cut to 00:59.
    const std::int64_t next = kT0 + 22 * 3600 + 59 * 60 + 59;
    EXPECT_EQ(clock_text(next), "00:59");
    EXPECT_EQ(month_day_ja(next), "3月15日");
    EXPECT_EQ(civil_date_text(next), "2026-03-15");
    // One second before midnight is still the day before; before 1970 too (floor, not cut).
    EXPECT_EQ(clock_text(86400 - 1), "23:59");
    EXPECT_EQ(month_day_ja(-1), "12月31日");
    EXPECT_EQ(clock_text(-1), "23:59");
    // Year's end: 2026-12-31 23:30 + 1 h = 2027-01-01 00:30.
    const auto eve = civil_seconds(2026, 12, 31, 23, 30);
    ASSERT_TRUE(eve.has_value());
    EXPECT_EQ(civil_time_text(*eve + 3600, false), "2027-01-01 00:30");
    EXPECT_EQ(month_day_ja(*eve + 3600), "1月1日");
}

TEST(CoreTimeText, IsoLocalWithOffset) {
    EXPECT_EQ(utc_offset_text(540), "+09:00");
    EXPECT_EQ(utc_offset_text(-210), "-03:30");
    EXPECT_EQ(utc_offset_text(0), "+00:00");
    // 2:40:05 after 02:00 Japan time.
    EXPECT_EQ(iso_local_text(kT0 + 40 * 60 + 5, 540), "2026-03-14T02:40:05+09:00");
}

TEST(CoreCalendar, CivilSecondsChecksTheDate) {
    EXPECT_EQ(civil_seconds(1970, 1, 1), 0);
    EXPECT_EQ(civil_seconds(2026, 3, 14, 2, 0), kT0);
    // 2024-02-29 exists (19,782 days after 1970-01-01); 2026-02-29 and 2026-02-30 do not.
    EXPECT_EQ(civil_seconds(2024, 2, 29, 1, 1, 1), 19782LL * 86400 + 3661);
    EXPECT_FALSE(civil_seconds(2026, 2, 29).has_value());
    EXPECT_FALSE(civil_seconds(2026, 2, 30).has_value());
    EXPECT_FALSE(civil_seconds(2026, 13, 1).has_value());
    EXPECT_FALSE(civil_seconds(2026, 0, 1).has_value());
    EXPECT_FALSE(civil_seconds(2026, 3, 14, 24, 0).has_value());
    EXPECT_FALSE(civil_seconds(2026, 3, 14, 23, 60).has_value());
    EXPECT_FALSE(civil_seconds(2026, 3, 14, 23, 59, 60).has_value());
    EXPECT_EQ(date_text(2026, 3, 5), "2026-03-05");
}

} // namespace
} // namespace sonae::core
