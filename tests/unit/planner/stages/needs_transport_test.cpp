// Stages 1 and 3 of the planner (planner/stages/needs.hpp, transport.hpp) on hand-drawn
// networks: the earliest departure is the decision plus packing by mobility (data/timing.toml);
// two deadlines, leave_by (the hazard at home) and arrive_by (mains loss + the power deadline),
// never merged (issue 17); the transport rules (stretcher, household car and driver, walking
// distance by road and helpers).

#include "planner/planner.hpp"
#include "planner/stages/needs.hpp"
#include "planner/stages/transport.hpp"
#include "tests/unit/planner/stages/stage_fixtures.hpp"

#include <gtest/gtest.h>

using namespace sonae;
using namespace sonae::planner;
using namespace sonae::planner::stages;
using test::at;

namespace {

Child with_mobility(Child c, Mobility m) {
    c.mobility = m;
    return c;
}

} // namespace

TEST(NeedsStage, EarliestDepartureIsTheDecisionPlusPackingByMobility) {
    const auto t = test::ascii_network("A---B", {.grid_m = 100});
    auto s = test::stage_scenario(t);
    s.manifest.options.decision_min = 10;
    s.registry =
        Registry({with_mobility(test::family_child("W", at(t, 'A')), Mobility::walks),
                  with_mobility(test::family_child("C", at(t, 'A')), Mobility::carried),
                  with_mobility(test::family_child("H", at(t, 'A')), Mobility::wheelchair),
                  with_mobility(test::family_child("S", at(t, 'A')), Mobility::stretcher)});
    const auto ctx = make_context(s, {});
    const auto needs = assess_needs(ctx);
    ASSERT_EQ(needs.size(), 4u);
    // Decision 10 min = 600 s, plus packing (DOMAIN.md section 4): walks 15 min -> 600 + 900
    // = 1,500 s; carried 20 min -> 600 + 1,200 = 1,800 s; wheelchair 30 min -> 600 + 1,800 =
    // 2,400 s; stretcher 40 min -> 600 + 2,400 = 3,000 s.
    EXPECT_EQ(needs[test::child_index(ctx, "W")].earliest_departure_s, 1500);
    EXPECT_EQ(needs[test::child_index(ctx, "C")].earliest_departure_s, 1800);
    EXPECT_EQ(needs[test::child_index(ctx, "H")].earliest_departure_s, 2400);
    EXPECT_EQ(needs[test::child_index(ctx, "S")].earliest_departure_s, 3000);
    // No power limit and no hazard: the deadline is the 72 h horizon, 72 x 3,600 = 259,200 s.
    for (const auto& n : needs) {
        EXPECT_EQ(n.deadline_s, 259'200);
        EXPECT_EQ(n.hazard_at_home_s, -1);
    }
}

TEST(NeedsStage, TheHazardAtHomeIsTheDeadlineForLeaving) {
    const auto t = test::ascii_network("A-------B", {.grid_m = 100});
    auto s = test::stage_scenario(t);
    // The river reaches A 40 min after t0 (2,400,000 ms); B, 800 m away, stays dry.
    s.hazards = test::square_floods({{at(t, 'A'), 2'400'000, "river"}});
    s.registry =
        Registry({test::family_child("P", at(t, 'A')), test::family_child("Q", at(t, 'B'))});
    const auto ctx = make_context(s, {});
    const auto needs = assess_needs(ctx);
    const auto& p = needs[test::child_index(ctx, "P")];
    EXPECT_EQ(p.hazard_at_home_s, 2400);
    EXPECT_EQ(p.hazard_at_home_kind, "flood");
    // The water is a deadline for leaving, not for arriving (issue 17).
    EXPECT_EQ(p.deadlines.leave_by_s, 2400);
    EXPECT_EQ(p.deadlines.arrive_by_s, -1);
    EXPECT_EQ(p.deadline_s, 259'200); // arrival: the horizon
    EXPECT_FALSE(p.stays);
    // Q's home is outside the zone and Q needs no power: it may stay home (在宅避難).
    const auto& q = needs[test::child_index(ctx, "Q")];
    EXPECT_EQ(q.hazard_at_home_s, -1);
    EXPECT_EQ(q.deadlines.leave_by_s, -1);
    EXPECT_TRUE(q.stays);
    EXPECT_FALSE(q.stay_conditions.empty());
}

TEST(NeedsStage, ThePowerDeadlineCountsFromTheMainsLoss) {
    const auto t = test::ascii_network("A---B", {.grid_m = 100});
    auto s = test::stage_scenario(t);
    s.manifest.timeline.mains_lost_min = 30;                // 1,800 s after t0
    auto c = test::ventilated_child("V", at(t, 'A'), 1, 0); // 1 h internal battery, no spare
    c.vehicle = HouseholdVehicle::none;                     // no car socket to stretch it
    s.registry = Registry({c});
    const auto ctx = make_context(s, {});
    const auto needs = assess_needs(ctx);
    ASSERT_TRUE(needs[0].needs.deadline_s.has_value());
    // The power model's deadline (planner/power_model.hpp) counts from the mains loss; the
    // arrival at the door must leave transfer (5 min) and connection (10 min) before it.
    EXPECT_EQ(needs[0].deadlines.arrive_by_s, 1800 + *needs[0].needs.deadline_s);
    EXPECT_LT(needs[0].deadlines.arrive_by_s, 1800 + 3600); // within the battery's hour
    EXPECT_EQ(needs[0].deadline_s, needs[0].deadlines.arrive_by_s - 900);
}

TEST(TransportStage, StretcherCarAndWalkingDistanceDecideHowAChildTravels) {
    // X, a welfare shelter at B, is 400 m by road from A (<= 800 m walking) and 2,000 m from C
    // (too far to walk).
    const auto t = test::ascii_network("A---B-------------------C", {.grid_m = 100});
    auto s = test::stage_scenario(t);
    s.facilities = {test::powered_shelter("X", at(t, 'B'))};
    auto no_car = [&](const std::string& id, char where, Mobility m, int helpers) {
        auto c = with_mobility(test::family_child(id, at(t, where)), m);
        c.vehicle = HouseholdVehicle::none;
        c.helpers = helpers;
        return c;
    };
    auto driver_missing = test::family_child("NODRIVER", at(t, 'C'));
    driver_missing.helpers = 0;
    s.registry = Registry({
        test::family_child("CAR", at(t, 'C')), // car and two helpers
        with_mobility(test::family_child("STRETCHER", at(t, 'A')), Mobility::stretcher),
        no_car("WALKS", 'A', Mobility::walks, 1),       // one helper is enough
        no_car("PUSHED", 'A', Mobility::wheelchair, 2), // pushed by two
        no_car("ALONE", 'A', Mobility::wheelchair, 1),  // one cannot push and carry
        no_car("FAR", 'C', Mobility::carried, 2),       // too far to walk
        driver_missing,
    });
    const auto ctx = make_context(s, {});
    const NetworkAccess access(ctx);
    const auto tr = choose_transport(ctx, access, assess_needs(ctx), Compatibility(ctx));
    auto of = [&](const std::string& id) -> const TransportChoice& {
        return tr[test::child_index(ctx, id)];
    };
    EXPECT_EQ(of("CAR").kind, TransportKind::family_car);
    EXPECT_EQ(of("CAR").mode, "car");
    EXPECT_TRUE(of("CAR").notes.empty());
    EXPECT_EQ(of("STRETCHER").kind, TransportKind::vehicle);
    ASSERT_EQ(of("STRETCHER").notes.size(), 1u);
    EXPECT_NE(of("STRETCHER").notes[0].find("ストレッチャー"), std::string::npos);
    EXPECT_EQ(of("WALKS").kind, TransportKind::walk);
    EXPECT_EQ(of("WALKS").mode, "walk");
    EXPECT_EQ(of("PUSHED").kind, TransportKind::walk);
    EXPECT_EQ(of("PUSHED").mode, "wheelchair");
    EXPECT_EQ(of("ALONE").kind, TransportKind::vehicle);
    EXPECT_EQ(of("ALONE").mode, "car");
    EXPECT_NE(of("ALONE").notes.at(0).find("家族の車がない"), std::string::npos);
    EXPECT_EQ(of("FAR").kind, TransportKind::vehicle);
    EXPECT_EQ(of("NODRIVER").kind, TransportKind::vehicle);
    EXPECT_NE(of("NODRIVER").notes.at(0).find("運転・介助できる人がいない"), std::string::npos);
}
