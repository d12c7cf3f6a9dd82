// The latest safe departure on a time-dependent network (planner/safe_departure.hpp), by
// hand: a car on a residential road goes 20 km/h = 5.556 m/s, so 3,000 m take 540 s.

#include "geo/hazard.hpp"
#include "planner/safe_departure.hpp"
#include "tests/support/ascii_network.hpp"
#include "tests/support/plan_fixtures.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

using namespace sonae;
using namespace sonae::planner;

namespace {

// A-----B-----C, one cell = 500 m; a square flood about 60 m across around B from onset_s.
struct Street {
    test::AsciiNetwork t = test::ascii_network("A-----B-----C", {.grid_m = 500});
    geo::Hazards hazards;
    std::optional<TravelContext> travel;
    explicit Street(std::int64_t onset_s) {
        hazards = test::square_floods({{t.net.lonlat(t.node('B')), onset_s * 1000, "B"}});
        travel.emplace(t.net, hazards, std::vector<std::string>{"car"}, 500.0);
    }
    SafeDepartureQuery query(std::int64_t earliest_s, std::int64_t cap_s,
                             std::int64_t arrive_by_s) const {
        SafeDepartureQuery q;
        q.mode = &travel->mode("car");
        q.home = travel->access("car", t.net.lonlat(t.node('A')));
        q.facility = travel->access("car", t.net.lonlat(t.node('C')));
        q.earliest_s = earliest_s;
        q.cap_s = cap_s;
        q.arrive_by_s = arrive_by_s;
        return q;
    }
};

} // namespace

TEST(SafeDeparture, TheRoadClosingAt180MinBinds) {
    Street s(180 * 60);
    geo::Router router(s.travel->graph());
    // Off B-C (the second 540 s street, which touches the zone) by 10,800 s: leave A by
    // 10,800 - 1,080 = 9,720 s.
    const auto r = latest_safe_departure(router, s.query(1200, 72 * 3600, -1));
    ASSERT_TRUE(r.latest_s.has_value());
    EXPECT_EQ(*r.latest_s, 9720);
    EXPECT_FALSE(r.at_cap);
}

TEST(SafeDeparture, AnArrivalDeadlineBindsBeforeTheRoad) {
    Street s(180 * 60);
    geo::Router router(s.travel->graph());
    // Arrive by 2,000 s: leave by 2,000 - 1,080 = 920 s.
    const auto r = latest_safe_departure(router, s.query(0, 72 * 3600, 2000));
    ASSERT_TRUE(r.latest_s.has_value());
    EXPECT_EQ(*r.latest_s, 920);
    // Not even the earliest departure arrives by 2,000 s when it is at 1,000 s.
    EXPECT_FALSE(
        latest_safe_departure(router, s.query(1000, 72 * 3600, 2000)).latest_s.has_value());
}

TEST(SafeDeparture, TheCapBindsWhenTheRoadStaysOpenLonger) {
    Street s(180 * 60);
    geo::Router router(s.travel->graph());
    // The home's own deadline at 60 min comes before the road closes: the cap.
    const auto r = latest_safe_departure(router, s.query(1200, 3600, -1));
    ASSERT_TRUE(r.latest_s.has_value());
    EXPECT_EQ(*r.latest_s, 3600);
    EXPECT_TRUE(r.at_cap);
}

TEST(SafeDeparture, AProbeThatGivesUpAsksTheBackwardSweepAndGetsTheSameAnswers) {
    // With a budget of one settled node every forward probe gives up at once; the backward
    // sweep from C (the latest moment each node can still reach it) then says whether the
    // probe can succeed, and if so it runs to its end. The answers are those without a budget.
    for (const std::int64_t onset_s : {0, 180 * 60}) {
        Street s(onset_s);
        geo::Router router(s.travel->graph());
        for (const auto& [earliest, cap, by] :
             std::vector<std::array<std::int64_t, 3>>{{1200, 72 * 3600, -1},
                                                      {0, 72 * 3600, 2000},
                                                      {1000, 72 * 3600, 2000},
                                                      {1200, 3600, -1}}) {
            auto q = s.query(earliest, cap, by);
            q.probe_settle_budget = 0;
            const auto plain = latest_safe_departure(router, q);
            q.probe_settle_budget = 1;
            const auto budgeted = latest_safe_departure(router, q);
            EXPECT_EQ(plain.latest_s, budgeted.latest_s)
                << onset_s << " " << earliest << " " << cap << " " << by;
            EXPECT_EQ(plain.at_cap, budgeted.at_cap);
        }
    }
    // Flooded at t0 (B closed from 0): C cannot be reached at all; the backward sweep says so.
    Street cut(0);
    geo::Router router(cut.travel->graph());
    auto q = cut.query(0, 72 * 3600, -1);
    q.probe_settle_budget = 1;
    EXPECT_FALSE(latest_safe_departure(router, q).latest_s.has_value());
}
