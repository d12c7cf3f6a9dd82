// The simulator on hand-drawn scenarios (issue 6 tests).

#include "geo/routing.hpp"
#include "geo/travel_mode.hpp"
#include "planner/clock.hpp"
#include "planner/planner.hpp"
#include "sim/simulate.hpp"
#include "sim/trace.hpp"
#include "tests/support/ascii_network.hpp"
#include "tests/support/plan_fixtures.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace sonae;
using namespace sonae::planner;

namespace {

LoadedScenario base(const test::AsciiNetwork& t) {
    LoadedScenario s;
    s.manifest.name = "sim";
    s.manifest.hazard_kind = "flood";
    s.manifest.options.decision_min = 0;
    s.network = t.net;
    s.catalogue = default_device_catalogue();
    return s;
}

sim::SimOptions exact() {
    sim::SimOptions o;
    o.decision_sigma = 0;
    o.packing_sigma = 0;
    o.speed_sigma = 0;
    o.connect_min_low = o.connect_min_high = 10;
    o.runs = 1;
    o.threads = 1;
    return o;
}

geo::LonLat at(const test::AsciiNetwork& t, char c) {
    return t.net.lonlat(t.node(c));
}

// A flood over the middle of road A-B (A and B on one row), from onset_ms. The home at A lies
// in a zone that floods only after the 72 h horizon, so the family leaves (a home outside
// every zone would shelter in place, issue 17).
geo::Hazards flood_across_ab(const test::AsciiNetwork& t, std::int64_t onset_ms,
                             const std::string& id) {
    const auto a = at(t, 'A');
    const auto b = at(t, 'B');
    return test::square_floods(
        {{{(a.lon + b.lon) / 2, a.lat}, onset_ms, id}, {a, 73 * 3600 * 1000LL, "home"}});
}

// Ready time with no spread: the decision (at least a minute) plus packing.
std::int64_t ready_ms(Mobility m) {
    return 60'000 + packing_s(m) * 1000;
}

// The square road A-B / C-D (A-B 600 m) with a family at A and a powered shelter at B; the
// flood over A-B is added by each test. ab_ms: the car's time on A-B at the weights' pace.
struct SquareRoad {
    test::AsciiNetwork t;
    LoadedScenario s;
    std::int64_t ab_ms = 0;
};

SquareRoad square_road() {
    SquareRoad r{test::ascii_network(R"(
A-----B
|     |
C-----D
)",
                                     {.grid_m = 100}),
                 {},
                 0};
    r.s = base(r.t);
    r.s.registry = Registry({test::family_child("P", at(r.t, 'A'))});
    r.s.facilities = {test::powered_shelter("X", at(r.t, 'B'))};
    const auto w = geo::travel_time_weights_ms(r.t.net, geo::load_travel_profile("car"));
    r.ab_ms = w[r.t.edge('A', 'B').value()];
    return r;
}

} // namespace

TEST(Simulate, EmptyRoadArrivesAfterLengthOverSpeed) {
    const auto t = test::ascii_network("A-----B", {.grid_m = 200}); // 1,200 m
    auto s = base(t);
    s.registry = Registry({test::family_child("P", at(t, 'A'))});
    s.facilities = {test::powered_shelter("X", at(t, 'B'))};
    const auto plan = make_plan(s);
    const sim::Simulator simulator(s, plan, exact());
    const auto run = simulator.run(1);
    ASSERT_EQ(run.children.size(), 1u);
    const auto w = geo::travel_time_weights_ms(t.net, geo::load_travel_profile("car"));
    const auto edge_ms = w[t.edge('A', 'B').value()];
    const double speed_mps = 1200.0 / (edge_ms / 1000.0);
    EXPECT_GT(speed_mps, 3.0);
    EXPECT_EQ(run.children[0].departure_s, ready_ms(Mobility::carried) / 1000);
    EXPECT_NEAR(static_cast<double>(run.children[0].arrival_s),
                (ready_ms(Mobility::carried) + 1200.0 / speed_mps * 1000.0) / 1000.0, 1.0);
    EXPECT_TRUE(run.children[0].failure.empty());
    EXPECT_FALSE(run.children[0].rerouted);
}

TEST(Simulate, ClosureOnTheWayForcesAReroute) {
    auto [t, s, ab_ms] = square_road();
    // The road A-B floods just after the planned departure has crossed it but before the
    // simulated family (a minute later) has.
    const std::int64_t planned_done_ms = packing_s(Mobility::carried) * 1000 + ab_ms;
    s.hazards = flood_across_ab(t, planned_done_ms + 20'000, "late-flood");
    const auto plan = make_plan(s);
    ASSERT_TRUE(plan.children[0].primary.has_value());
    EXPECT_NEAR(plan.children[0].primary->length_m, 600.0, 1.0); // the plan drove straight
    const sim::Simulator simulator(s, plan, exact());
    const auto run = simulator.run(1);
    EXPECT_TRUE(run.children[0].rerouted);
    EXPECT_TRUE(run.children[0].failure.empty()) << run.children[0].failure;
    // Round by C and D: 1,000 m instead of 600 m.
    EXPECT_NEAR(static_cast<double>(run.children[0].arrival_s - run.children[0].departure_s),
                1000.0 / 600.0 * ab_ms / 1000.0, 2.0);
}

TEST(Simulate, ASlowerFamilyReroutesAtItsOwnPaceInsteadOfLoopingForever) {
    // Regression: a family slower than the weights (speed factor > 1) met a road that closes
    // after a car at the weights' pace would have left it but before this family could.
    // Re-routing at the weights' pace gave the same road again, at the same moment, forever
    // (a 1,000-child Kochi replay hung in its 13th run). Routes are now planned at the
    // family's pace: it goes round by C and D, or straight through when it is fast enough.
    auto [t, s, ab_ms] = square_road();
    // The simulated family is ready at ready_ms (no spread in decision and packing) and the
    // road A-B closes when a family 15 % slower than the weights would still be on it.
    s.hazards = flood_across_ab(t, ready_ms(Mobility::carried) + ab_ms * 115 / 100,
                                "closes-while-slow-cars-cross");
    const auto plan = make_plan(s);
    ASSERT_TRUE(plan.children[0].primary.has_value());
    EXPECT_NEAR(plan.children[0].primary->length_m, 600.0, 1.0);
    auto options = exact();
    options.speed_sigma = 0.3;
    const sim::Simulator simulator(s, plan, options);
    int straight = 0, round = 0;
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
        const auto run = simulator.run(seed);
        const auto& c = run.children[0];
        ASSERT_TRUE(c.failure.empty()) << "seed " << seed << ": " << c.failure;
        ASSERT_EQ(c.departure_s, ready_ms(Mobility::carried) / 1000);
        const double trip_s = static_cast<double>(c.arrival_s - c.departure_s);
        if (c.rerouted) {
            ++round;
            // Round by C and D (1,000 m) at a pace that could not cross A-B in time.
            EXPECT_GT(trip_s, 1000.0 / 600.0 * 1.15 * static_cast<double>(ab_ms) / 1000.0 - 2.0)
                << "seed " << seed;
        } else {
            ++straight;
            EXPECT_LE(trip_s, 1.15 * static_cast<double>(ab_ms) / 1000.0 + 1.0) << "seed " << seed;
        }
    }
    EXPECT_GT(straight, 0);
    EXPECT_GT(round, 0);
}

TEST(Simulate, BatteryRunsOutAtTheRightMinute) {
    const auto t = test::ascii_network("A-----B", {.grid_m = 200});
    auto s = base(t);
    s.manifest.timeline.mains_lost_min = 30;
    Child v = test::family_child("V", at(t, 'A'));
    v.care_items = {CareItem::ventilator};
    v.vehicle = HouseholdVehicle::none; // needs a vehicle, and the scenario has none
    DeviceUse vent;
    vent.type = "vent";
    vent.internal_battery_h = 2;
    vent.external_battery_h = 0;
    v.devices = {vent};
    s.registry = Registry({v});
    s.facilities = {test::powered_shelter("X", at(t, 'B'))};
    const auto plan = make_plan(s);
    const double endurance_h = plan.children[0].power.endurance_h;
    ASSERT_GT(endurance_h, 0.5);
    ASSERT_LT(endurance_h, 10.0);
    const sim::Simulator simulator(s, plan, exact());
    const auto run = simulator.run(3);
    EXPECT_EQ(run.children[0].depleted_s,
              30 * 60 + static_cast<std::int64_t>(endurance_h * 3600.0));
    EXPECT_FALSE(run.children[0].failure.empty());
    EXPECT_TRUE(run.children[0].missed_deadline);
    EXPECT_EQ(run.completion_s, -1);
}

TEST(Simulate, QueueSpillsBackAtABottleneck) {
    // A long road, then a 15 m bottleneck (room for two cars), then the shelter.
    const auto t = test::ascii_network("A--------------------B-C", {.grid_m = 15});
    auto s = base(t);
    std::vector<Child> kids;
    for (int i = 0; i < 12; ++i)
        kids.push_back(test::family_child("K" + std::to_string(10 + i), at(t, 'A')));
    s.registry = Registry(kids);
    s.facilities = {test::powered_shelter("X", at(t, 'C'))};
    const auto plan = make_plan(s);
    const sim::Simulator simulator(s, plan, exact());
    const auto run = simulator.run(1);
    std::int64_t first = 1 << 30, last = 0;
    for (const auto& c : run.children) {
        ASSERT_GE(c.arrival_s, 0);
        first = std::min(first, c.arrival_s);
        last = std::max(last, c.arrival_s);
    }
    const auto w = geo::travel_time_weights_ms(t.net, geo::load_travel_profile("car"));
    const double bottleneck_s = w[t.edge('B', 'C').value()] / 1000.0;
    // Everybody leaves at the same moment; without queues they would all arrive together.
    EXPECT_GT(static_cast<double>(last - first), 3.0 * bottleneck_s);
}

TEST(Simulate, SameSeedSameTraceDifferentSeedsDiffer) {
    const auto t = test::ascii_network(R"(
A-----B-----C
|     |     |
D-----E-----F
)",
                                       {.grid_m = 100});
    auto s = base(t);
    s.registry =
        Registry({test::family_child("P1", at(t, 'A')), test::family_child("P2", at(t, 'D')),
                  test::family_child("P3", at(t, 'F'))});
    s.facilities = {test::powered_shelter("X", at(t, 'C')), test::powered_shelter("Y", at(t, 'E'))};
    const auto plan = make_plan(s);
    sim::SimOptions o;
    o.seed = 42;
    o.runs = 200;
    const sim::Simulator simulator(s, plan, o);
    EXPECT_EQ(simulator.trace_run().encode(), simulator.trace_run().encode());
    const auto r1 = simulator.run(sim::run_seed(42, 0));
    const auto r2 = simulator.run(sim::run_seed(42, 1));
    EXPECT_NE(r1.children[0].ready_s, r2.children[0].ready_s);

    // Statistically sound: the median ready time is the model's median (decision + packing),
    // and the spread is what the lognormal sigmas give.
    const auto mc = simulator.monte_carlo();
    EXPECT_EQ(mc.runs, 200);
    EXPECT_EQ(mc.runs_incomplete, 0);
    std::vector<double> ready;
    for (std::int64_t k = 0; k < 200; ++k) {
        ready.push_back(static_cast<double>(
            simulator.run(sim::run_seed(42, static_cast<std::uint64_t>(k))).children[0].ready_s));
    }
    const auto q = sim::quantiles(ready);
    const double median =
        60.0 /*decision: at least a minute*/ + static_cast<double>(packing_s(Mobility::carried));
    EXPECT_NEAR(q.p50, median, 0.12 * median);
    EXPECT_LT(q.p5, q.p50);
    EXPECT_GT(q.p95, q.p50);
    ASSERT_EQ(mc.children.size(), 3u);
    EXPECT_LE(mc.children[0].arrival_s.p5, mc.children[0].arrival_s.p50);
    EXPECT_LE(mc.children[0].arrival_s.p50, mc.children[0].arrival_s.p95);
    // Threads do not change results.
    o.threads = 1;
    const sim::Simulator single(s, plan, o);
    EXPECT_EQ(single.monte_carlo().completion_s, mc.completion_s);
}

// Issue 17: the simulator follows the timing model (planner/timing.hpp): the shelter's opening
// time, the two deadlines and vehicle outlets; outcomes carry their real cause.
namespace {

// A small square flood over node `c` of the map from onset_ms (about 60 m across).
geo::Hazards flood_at(const test::AsciiNetwork& t, char c, std::int64_t onset_ms) {
    return test::square_floods({{at(t, c), onset_ms, "home-zone"}});
}

Child ventilated_child(const std::string& id, geo::LonLat home, double internal_h) {
    Child v = test::family_child(id, home);
    v.care_items = {CareItem::ventilator};
    DeviceUse vent;
    vent.type = "vent";
    vent.internal_battery_h = internal_h;
    vent.external_battery_h = 0;
    v.devices = {vent};
    return v;
}

} // namespace

TEST(Simulate, AFamilyThatLeftBeforeTheWaterIsNotLateWhenTheShelterOpensLater) {
    // A home (A) flooded at 30 min; a 400 m street A-C leaves the zone, then 3.6 km to the
    // shelter at B, which opens at 90 min.
    //   A-C---------B   (one cell = 400 m)
    const auto t = test::ascii_network("A-C---------B", {.grid_m = 400});
    auto s = base(t);
    s.registry = Registry({test::family_child("P", at(t, 'A'))});
    auto shelter = test::powered_shelter("X", at(t, 'B'));
    shelter.opening_delay_s = 90 * 60;
    s.facilities = {shelter};
    s.hazards = flood_at(t, 'A', 30 * 60'000);
    const auto plan = make_plan(s);
    const sim::Simulator simulator(s, plan, exact());
    const auto run = simulator.run(1);
    const auto& c = run.children[0];
    // Ready at the decision (1 min) + packing (carried, two helpers, no device: 20 min) =
    // 21 min (1,260 s), before the water at 30 min: the family leaves.
    EXPECT_EQ(c.departure_s, ready_ms(Mobility::carried) / 1000);
    EXPECT_LT(c.departure_s, 30 * 60);
    const auto w = geo::travel_time_weights_ms(t.net, geo::load_travel_profile("car"));
    const auto drive_ms = w[t.edge('A', 'C').value()] + w[t.edge('C', 'B').value()];
    EXPECT_NEAR(static_cast<double>(c.arrival_s), (ready_ms(Mobility::carried) + drive_ms) / 1000.0,
                1.0);
    // The child uses no powered device: on "power" (in the shelter) when it opens at 90 min,
    // not at arrival (5,400 s).
    ASSERT_LT(c.arrival_s, 90 * 60);
    EXPECT_EQ(c.powered_s, 90 * 60);
    // Water at the home after the family left, and no power deadline: nothing was missed.
    EXPECT_TRUE(c.failure.empty()) << c.failure;
    EXPECT_EQ(c.cause, sim::Cause::none);
    EXPECT_FALSE(c.missed_deadline);
}

TEST(Simulate, DevicesAreConnectedOnlyOnceTheShelterIsOpen) {
    // Ventilator child driven by the family 1.2 km; the shelter opens at 90 min; connecting
    // takes exactly 10 min here: powered at 90 + 10 = 100 min (6,000 s).
    const auto t = test::ascii_network("A-----B", {.grid_m = 200});
    auto s = base(t);
    s.registry = Registry({ventilated_child("V", at(t, 'A'), 8)});
    auto shelter = test::powered_shelter("X", at(t, 'B'));
    shelter.opening_delay_s = 90 * 60;
    s.facilities = {shelter};
    const auto plan = make_plan(s);
    const sim::Simulator simulator(s, plan, exact());
    const auto run = simulator.run(1);
    const auto& c = run.children[0];
    ASSERT_GE(c.arrival_s, 0);
    ASSERT_LT(c.arrival_s, 90 * 60);
    EXPECT_EQ(c.powered_s, 100 * 60);
    EXPECT_EQ(c.on_power_s, 100 * 60);
    EXPECT_EQ(c.cause, sim::Cause::none) << c.failure;
}

TEST(Simulate, AVehicleOutletCoveringTheEssentialLoadIsPowerFromBoarding) {
    // Ventilator child without a family car, 1.2 km from the shelter; an ambulance waits at
    // the home (its base). With a 300 W outlet (the ventilator draws 60 W) the child is on
    // power when it boards; without an outlet only once connected at the shelter.
    const auto t = test::ascii_network("A-----B", {.grid_m = 200});
    auto s = base(t);
    auto v = ventilated_child("V", at(t, 'A'), 8);
    v.vehicle = HouseholdVehicle::none;
    s.registry = Registry({v});
    s.facilities = {test::powered_shelter("X", at(t, 'B'))};
    s.vehicles = {test::ambulance(at(t, 'A'), {.stretcher_slots = 1, .outlet_w = 300})};
    const auto plan = make_plan(s);
    ASSERT_EQ(plan.tours.size(), 1u);
    {
        const sim::Simulator simulator(s, plan, exact());
        const auto c = simulator.run(1).children[0];
        ASSERT_GE(c.departure_s, 0) << c.failure;
        EXPECT_EQ(c.on_power_s, c.departure_s); // boarded = departed with the vehicle
        EXPECT_GT(c.powered_s, c.on_power_s);
    }
    s.vehicles[0].outlet_w = 0;
    {
        const sim::Simulator simulator(s, plan, exact());
        const auto c = simulator.run(1).children[0];
        EXPECT_EQ(c.on_power_s, c.powered_s);
    }
}

TEST(Simulate, AVehicleThatComesAfterTheWaterIsCountedAsHazardBeforeDeparture) {
    // The plan was made for a dry home; then the water reaches the home (A) at 25 min, as the
    // plan's hazard_at_home_s now says. The family has no car and waits for the van: ready at
    // 1 + 20 = 21 min, loaded 10 min later (data/timing.toml vehicle_loading) at 31 min at
    // the earliest, after the water. The real cause is the hazard at the home before
    // departure, not a late arrival.
    //   A-B-----D   (one cell = 400 m; the van's base is D)
    const auto t = test::ascii_network("A-B-----D", {.grid_m = 400});
    auto s = base(t);
    auto v = test::family_child("P", at(t, 'A'));
    v.vehicle = HouseholdVehicle::none;
    v.helpers = 0;
    s.registry = Registry({v});
    s.facilities = {test::powered_shelter("X", at(t, 'B'))};
    Vehicle van;
    van.id = "VAN";
    van.type = VehicleType::wheelchair_van;
    van.seats = 2;
    van.base = at(t, 'D');
    s.vehicles = {van};
    auto plan = make_plan(s);
    ASSERT_EQ(plan.tours.size(), 1u);
    ASSERT_GE(plan.children[0].arrival_s, 0);
    plan.children[0].hazard_at_home_s = 25 * 60;
    plan.children[0].leave_by_s = 25 * 60;
    const sim::Simulator simulator(s, plan, exact());
    const auto c = simulator.run(1).children[0];
    EXPECT_EQ(c.cause, sim::Cause::hazard_before_departure) << c.failure;
    EXPECT_EQ(c.departure_s, -1);
    EXPECT_EQ(c.arrival_s, -1);
    EXPECT_TRUE(c.missed_deadline);
    // Dry, the same run is fine.
    plan.children[0].hazard_at_home_s = -1;
    plan.children[0].leave_by_s = -1;
    const sim::Simulator dry(s, plan, exact());
    EXPECT_EQ(dry.run(1).children[0].cause, sim::Cause::none);
}

TEST(Simulate, DrillRecordedLoadingAndConnectionTimesAreTheChildsOwn) {
    // Ventilator child without a family car, 1.2 km from the shelter; an ambulance without an
    // outlet waits at the home (its base). No spread: decision 1 min (the draw's floor),
    // packing 20 min (carried, two adults), ready at 21 min = 1,260 s.
    //   defaults: loading 10 min (data/timing.toml) -> departs 1,260 + 600 = 1,860 s; powered
    //             10 min (exact(): the draw is 10 min) after arrival;
    //   drill (registry loading_min 25, connect_min 40): departs 1,260 + 1,500 = 2,760 s;
    //             powered 40 min x (10 / midpoint 10) = 2,400 s after arrival.
    const auto t = test::ascii_network("A-----B", {.grid_m = 200});
    auto s = base(t);
    auto v = ventilated_child("V", at(t, 'A'), 8);
    v.vehicle = HouseholdVehicle::none;
    s.facilities = {test::powered_shelter("X", at(t, 'B'))};
    s.vehicles = {test::ambulance(at(t, 'A'))};
    auto run = [&](std::optional<double> loading, std::optional<double> connect) {
        v.loading_min = loading;
        v.connect_min = connect;
        s.registry = Registry({v});
        const auto plan = make_plan(s);
        const sim::Simulator simulator(s, plan, exact());
        return simulator.run(1).children.at(0);
    };
    const auto before = run(std::nullopt, std::nullopt);
    ASSERT_EQ(before.cause, sim::Cause::none) << before.failure;
    EXPECT_EQ(before.departure_s, 1860);
    EXPECT_EQ(before.powered_s - before.arrival_s, 600);
    const auto after = run(25, 40);
    ASSERT_EQ(after.cause, sim::Cause::none) << after.failure;
    EXPECT_EQ(after.departure_s, 2760);
    EXPECT_EQ(after.arrival_s - after.departure_s,
              before.arrival_s - before.departure_s); // the same drive
    EXPECT_EQ(after.powered_s - after.arrival_s, 2400);
}

// What the replay shows a child doing (the trace's home entity, read by sonae-view and the
// viewer's counts): a family that drives its own child is on the road from departure (before:
// the child stayed 積込み中 'loading' until it arrived); a child a vehicle collects is loaded
// once packed and the vehicle is there (else it waits, 待機), then travels.
TEST(Simulate, TheReplayShowsAFamilyCarChildOnTheRoadAndAVehicleChildWaitingThenLoaded) {
    // F (family car) at A, V (no car) at C with an ambulance based at C; the shelter at B.
    const auto t = test::ascii_network("A-----B-----C", {.grid_m = 400});
    auto s = base(t);
    auto f = test::family_child("F", at(t, 'A'));
    auto v = ventilated_child("V", at(t, 'C'), 8);
    v.vehicle = HouseholdVehicle::none;
    s.registry = Registry({f, v});
    // Both homes lie in a zone that floods only after the 72 h horizon: both leave.
    s.hazards = test::square_floods(
        {{at(t, 'A'), 73 * 3600 * 1000LL, "home-f"}, {at(t, 'C'), 73 * 3600 * 1000LL, "home-v"}});
    s.facilities = {test::powered_shelter("X", at(t, 'B'))};
    s.vehicles = {test::ambulance(at(t, 'C'), {.stretcher_slots = 1})};
    const auto plan = make_plan(s);
    ASSERT_EQ(plan.tours.size(), 1u);

    const sim::Simulator simulator(s, plan, exact());
    const sim::TraceReader trace(simulator.trace_run().encode(), "trace");
    // The states each home goes through, in the order of its samples.
    sim::TraceCursor cursor(trace);
    auto states_of = [&](geo::LonLat home) {
        std::vector<sim::StateCode> seen;
        for (std::uint32_t e = 0; e < trace.entities().size(); ++e) {
            const auto& entity = trace.entities()[e];
            // Positions are stored as 32-bit floats: about a metre.
            if (entity.kind != sim::EntityKind::home ||
                std::abs(entity.position.lon - home.lon) > 1e-5 ||
                std::abs(entity.position.lat - home.lat) > 1e-5)
                continue;
            for (const auto& [ts, sample] : cursor.samples_of(sim::EntityId(e)))
                if (seen.empty() || seen.back() != sample.state) seen.push_back(sample.state);
        }
        return seen;
    };
    using sim::StateCode;
    // The family: alerted, packing, then on the road until it arrives (at the shelter its
    // state goes on to arrived or on power); never 'loading'.
    const auto family = states_of(at(t, 'A'));
    ASSERT_GE(family.size(), 4u);
    EXPECT_EQ(
        std::vector<StateCode>(family.begin(), family.begin() + 3),
        (std::vector<StateCode>{StateCode::waiting, StateCode::packing, StateCode::travelling}));
    EXPECT_TRUE(family[3] == StateCode::arrived || family[3] == StateCode::powered);
    EXPECT_EQ(std::count(family.begin(), family.end(), StateCode::loading), 0);
    // The ambulance stands at V's home (its base) before V is packed: alerted, packing, loaded
    // at once, on the road, at the shelter, on its power. Before, the loading was shown when
    // the ambulance came, in the middle of the packing.
    EXPECT_EQ(
        states_of(at(t, 'C')),
        (std::vector<StateCode>{StateCode::waiting, StateCode::packing, StateCode::loading,
                                StateCode::travelling, StateCode::arrived, StateCode::powered}));
}

// Night driving per leg, as the planner times it (data/timing.toml [night], car_speed_factor
// 0.8 from 19:00): a tour that starts by day and drives its next leg after 19:00 goes slower
// on that leg only. Before, the simulator slowed (or not) the whole tour by its first start.
TEST(Simulate, ATourLegThatStartsAtNightIsSlowedLikeThePlannersLeg) {
    //   A-----B-----C    A: the van's base, B: the shelter, C: the home of Q (no car).
    //   one cell = 200 m: A-B = B-C = 1,200 m, A-C = 2,400 m.
    const auto t = test::ascii_network("A-----B-----C", {.grid_m = 200});
    auto s = base(t);
    auto q = test::family_child("Q", at(t, 'C'));
    q.vehicle = HouseholdVehicle::none;
    s.registry = Registry({q});
    s.hazards = test::square_floods({{at(t, 'C'), 73 * 3600 * 1000LL, "home"}});
    s.facilities = {test::powered_shelter("X", at(t, 'B'))};
    Vehicle van;
    van.id = "VAN";
    van.type = VehicleType::wheelchair_van;
    van.seats = 3;
    van.base = at(t, 'A');
    s.vehicles = {van};
    // t0 at 18:32: Q is packed by day (before 19:00), the van drives A -> C by day, loads Q
    // for 10 minutes and leaves C after 19:00: the leg C -> B is a night leg (x 1/0.8).
    s.manifest.timeline.t0_clock = parse_clock_time("2026-03-14T18:32+09:00");
    const auto plan = make_plan(s);
    ASSERT_EQ(plan.tours.size(), 1u);
    const auto& stops = plan.tours[0].stops;
    ASSERT_GE(stops.size(), 3u);
    ASSERT_EQ(stops[1].kind, planner::StopKind::pickup);
    ASSERT_EQ(stops[2].kind, planner::StopKind::delivery);
    const auto day_leg_s = stops[1].arrival_s - stops[0].departure_s;   // A -> C, by day
    const auto night_leg_s = stops[2].arrival_s - stops[1].departure_s; // C -> B, at night
    ASSERT_LT(18 * 3600 + 32 * 60 + stops[0].departure_s, 19 * 3600);
    ASSERT_GT(18 * 3600 + 32 * 60 + stops[1].departure_s, 19 * 3600);
    // By day the van drives A -> C, 2,400 m, in 432 s (180 ms a metre); at night C -> B, 1,200
    // m, takes 1,200 x 0.18 / 0.8 = 216 / 0.8 = 270 s.
    EXPECT_EQ(day_leg_s, 432);
    EXPECT_EQ(night_leg_s, 270);

    // The simulator without spread drives the leg C -> B as long as the plan: from Q's boarding
    // (the sim's departure; its ready time adds the minimum one-minute decision) to arrival.
    const sim::Simulator simulator(s, plan, exact());
    const auto r = simulator.run(1).children[0];
    ASSERT_TRUE(r.failure.empty()) << r.failure;
    ASSERT_GT(18 * 3600 + 32 * 60 + r.departure_s, 19 * 3600);
    EXPECT_NEAR(static_cast<double>(r.arrival_s - r.departure_s), static_cast<double>(night_leg_s),
                2.0)
        << "planned night leg " << night_leg_s << " s (day leg " << day_leg_s << " s)";
}
