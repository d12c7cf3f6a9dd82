// The timing model's pieces (issue 17, planner/timing.hpp): the t0 clock, preparation per
// child (data/timing.toml), the two deadlines and the margin. Every expected value is worked
// out by hand in the comments from data/timing.toml:
//   packing walks 15, carried 20, wheelchair 30, stretcher 40 min; +3 min per powered device
//   beyond the first, +2 min per cylinder beyond the first; x1.5 with fewer than 2 helpers;
//   stairs per floor without a lift: walks 1, carried 2, wheelchair 5, stretcher 8 min (x1.5
//   alone), 2 min once with a lift; night 19:00-06:00 multiplies packing and stairs by 1.5;
//   transfer 5 + connection 10 min after arrival at an open facility.

#include "core/error.hpp"
#include "planner/timing.hpp"
#include "tests/support/plan_fixtures.hpp"

#include <gtest/gtest.h>

using namespace sonae;
using namespace sonae::planner;

namespace {

ClockTime clock_at(const char* text) {
    const auto c = parse_clock_time(text);
    if (!c) throw std::runtime_error(std::string("bad clock ") + text);
    return *c;
}

} // namespace

TEST(Timing, ClockTimeGivesTheLocalTimeOfDay) {
    const auto c = clock_at("2026-03-14T02:00+09:00");
    EXPECT_EQ(local_minute_of_day(c, 0), 120);
    EXPECT_EQ(local_minute_of_day(c, 90 * 60), 210);  // 03:30
    EXPECT_EQ(local_minute_of_day(c, 23 * 3600), 60); // 01:00 the next day
    EXPECT_EQ(format_local(c, 23 * 3600), "2026-03-15 01:00");
    EXPECT_EQ(format_local(clock_at("2026-12-31T23:30+09:00"), 3600), "2027-01-01 00:30");
    EXPECT_FALSE(parse_clock_time("2026-03-14T02:00"));       // no offset: ambiguous
    EXPECT_FALSE(parse_clock_time("2025-02-29T02:00+09:00")); // not a leap year
    EXPECT_TRUE(parse_clock_time("2024-02-29T02:00+09:00"));
}

TEST(Timing, NightIsFromSevenInTheEveningToSixInTheMorning) {
    const auto& d = default_timing();
    const auto evening = clock_at("2026-07-01T18:55+09:00");
    EXPECT_FALSE(is_night(evening, 4 * 60, d));             // 18:59
    EXPECT_TRUE(is_night(evening, 5 * 60, d));              // 19:00
    EXPECT_TRUE(is_night(evening, 11 * 3600, d));           // 05:55
    EXPECT_FALSE(is_night(evening, 11 * 3600 + 5 * 60, d)); // 06:00
    EXPECT_FALSE(is_night(std::nullopt, 0, d));             // no clock: day
    // Some moment of a window at night: 18:55 + [0, 4 min 59 s] is all day (until 18:59:59),
    // one second more reaches 19:00.
    EXPECT_FALSE(night_within(evening, 0, 5 * 60 - 1, d));
    EXPECT_TRUE(night_within(evening, 0, 5 * 60, d));
    EXPECT_TRUE(night_within(evening, 10 * 3600, 10 * 3600, d)); // 04:55, at night from the start
    EXPECT_FALSE(night_within(evening, 11 * 3600 + 5 * 60, 24 * 3600 - 1, d)); // 06:00 to 18:54:59
    EXPECT_FALSE(night_within(std::nullopt, 0, 72 * 3600, d));
    // A car's travel time: 1 / 0.8 = 1.25 times at night.
    EXPECT_DOUBLE_EQ(car_time_factor(evening, 5 * 60, d), 1.25);
    EXPECT_DOUBLE_EQ(car_time_factor(evening, 0, d), 1.0);
}

TEST(Timing, NightTimePackingOfASleepingFamily) {
    // Carried child, two helpers, no powered device (bowel care), decision 10 min.
    auto c = test::family_child("N", {131.25, 33.95});
    // Day, t0 = 14:00: decision at 14:10, packing 20 min -> ready at 30 min (1,800 s).
    const auto day = preparation(c, 0, 10, clock_at("2026-03-14T14:00+09:00"));
    EXPECT_FALSE(day.night);
    EXPECT_EQ(day.decision_s, 600);
    EXPECT_EQ(day.packing_s, 1200);
    EXPECT_EQ(day.total_s(), 1800);
    // Night, t0 = 02:00: decision at 02:10 is at night: packing 20 x 1.5 = 30 min (1,800 s),
    // ready at 10 + 30 = 40 min (2,400 s).
    const auto night = preparation(c, 0, 10, clock_at("2026-03-14T02:00+09:00"));
    EXPECT_TRUE(night.night);
    EXPECT_EQ(night.packing_s, 1800);
    EXPECT_EQ(night.total_s(), 2400);
    // Without a clock the planner cannot know: daytime values.
    EXPECT_EQ(preparation(c, 0, 10, std::nullopt).total_s(), 1800);
}

TEST(Timing, PreparationCountsDevicesCylindersHelpersAndStairs) {
    auto c = test::family_child("W", {131.25, 33.95});
    c.mobility = Mobility::wheelchair;
    c.helpers = 1;
    c.oxygen.cylinders = 3;
    c.floor = 3;
    // Wheelchair 30 + 2 further devices x 3 + 2 further cylinders x 2 = 40 min; one helper:
    // x 1.5 = 60 min (3,600 s). Stairs: floors 3 -> 1 = 2 floors x 5 min x 1.5 = 15 min (900 s).
    auto p = preparation(c, 3, 0, std::nullopt);
    EXPECT_EQ(p.packing_s, 3600);
    EXPECT_EQ(p.stairs_s, 900);
    EXPECT_EQ(p.total_s(), 4500);
    // A lift: 2 min once (120 s) instead of the stairs.
    c.elevator = true;
    EXPECT_EQ(preparation(c, 3, 0, std::nullopt).stairs_s, 120);
    // A first basement (-1) with two helpers and no lift: 1 floor x 5 min = 300 s; packing
    // 40 min without the helpers factor = 2,400 s.
    c.floor = -1;
    c.elevator = false;
    c.helpers = 2;
    p = preparation(c, 3, 0, std::nullopt);
    EXPECT_EQ(p.stairs_s, 300);
    EXPECT_EQ(p.packing_s, 2400);
}

TEST(Timing, ADrillRecordedPackingTimeWins) {
    auto c = test::family_child("R", {131.25, 33.95});
    c.mobility = Mobility::stretcher;
    c.helpers = 1;
    c.floor = 4;
    c.packing_min = 25;
    // The drill's 25 min replaces packing, helpers and stairs: 1,500 s; decision 5 min.
    auto p = preparation(c, 4, 5, std::nullopt);
    EXPECT_TRUE(p.recorded);
    EXPECT_EQ(p.packing_s, 1500);
    EXPECT_EQ(p.stairs_s, 0);
    EXPECT_EQ(p.total_s(), 1800);
    // The drill ran by day; at night 25 x 1.5 = 37.5 min = 2,250 s.
    p = preparation(c, 4, 5, clock_at("2026-03-14T23:00+09:00"));
    EXPECT_EQ(p.packing_s, 2250);
}

TEST(Timing, TwoDeadlinesAreNeverMerged) {
    // Home flooded at 60 min; mains lost at 0; the battery gives 8 h - 1.6 h margin = 6.4 h
    // (23,040 s) after mains loss.
    const auto d = deadlines(3600, 0, 23040, 72 * 3600);
    EXPECT_EQ(d.leave_by_s, 3600);
    EXPECT_EQ(d.arrive_by_s, 23040);
    // Departure at 30 min (1,800 s); the shelter opens at 90 min: on power at
    // 90 + 5 + 10 = 105 min (6,300 s). Margins: leave 3,600 - 1,800 = 1,800 s; arrive
    // 23,040 - 6,300 = 16,740 s; the margin is the smaller, 1,800 s (30 min), set by leave_by.
    const auto on_power = on_power_s(40 * 60, 90 * 60, true);
    EXPECT_EQ(on_power, 6300);
    EXPECT_EQ(safety_margin(d, 1800, on_power), 1800);
    EXPECT_EQ(binding_deadline(d, 1800, on_power), BindingDeadline::leave_by);
    // The old model took min(3,600, 23,040) as an arrival deadline: 3,600 - 6,300 < 0, "late".
    // Power deadline after the horizon, home outside every zone: nothing binds.
    const auto none = deadlines(-1, 0, 80 * 3600, 72 * 3600);
    EXPECT_EQ(none.leave_by_s, -1);
    EXPECT_EQ(none.arrive_by_s, -1);
    EXPECT_FALSE(safety_margin(none, 1800, 2400).has_value());
    EXPECT_EQ(binding_deadline(none, 1800, 2400), BindingDeadline::none);
    // Mains lost at 120 min + 2 h power deadline = 4 h (14,400 s); no hazard at home.
    const auto power = deadlines(-1, 7200, 7200, 72 * 3600);
    EXPECT_EQ(power.arrive_by_s, 14400);
    // A child without powered devices is on power on arrival at an open shelter.
    EXPECT_EQ(on_power_s(3000, 600, false), 3000);
    EXPECT_EQ(safety_margin(power, 0, 14400 + 60), -60);
    EXPECT_EQ(binding_deadline(power, 0, 14400), BindingDeadline::arrive_by);
}

TEST(Timing, TheTimingTableIsCheckedOnLoad) {
    EXPECT_NO_THROW(parse_timing_defaults("[packing]\nwalks = 12\n", "t.toml"));
    EXPECT_EQ(parse_timing_defaults("[packing]\nwalks = 12\n", "t.toml").packing_min[0], 12);
    try {
        parse_timing_defaults("[packing]\nwalks = -3\n", "t.toml");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.where().file, "t.toml");
        EXPECT_EQ(e.where().field, "packing.walks");
        EXPECT_EQ(e.where().value, "-3");
    }
    EXPECT_THROW(parse_timing_defaults("[night]\nstarts = \"7pm\"\n", "t.toml"), InputError);
    EXPECT_THROW(parse_timing_defaults("[night]\ncar_speed_factor = 0\n", "t.toml"), InputError);
}
