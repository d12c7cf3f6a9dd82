// The timing model of issue 17 on hand-drawn networks, one scenario per rule, every time
// worked out by hand in the comments. Speeds (data/travel_profiles.toml): a car on a
// residential road 20 km/h = 5.556 m/s (1 km = 180 s), on foot 3.6 km/h = 1 m/s. Homes and
// shelters sit on map nodes, so there is no off-road access leg. The scenarios decide at t0
// (decision_min = 0) unless a test says otherwise; packing (data/timing.toml) of a carried
// child with two helpers and no powered device is 20 min = 1,200 s.

#include "geo/hazard.hpp"
#include "planner/planner.hpp"
#include "planner/power_model.hpp"
#include "tests/support/ascii_network.hpp"
#include "tests/support/plan_fixtures.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace sonae;
using namespace sonae::planner;

namespace {

geo::LonLat at(const test::AsciiNetwork& t, char node) {
    return t.net.lonlat(t.node(node));
}

LoadedScenario scenario(const test::AsciiNetwork& t) {
    LoadedScenario s;
    s.manifest.name = "timing";
    s.manifest.title = "時間の規則";
    s.manifest.hazard_kind = "flood";
    s.manifest.options.decision_min = 0;
    s.manifest.timeline.mains_lost_min = 0;
    s.network = t.net;
    s.catalogue = default_device_catalogue();
    return s;
}

Facility shelter(const std::string& id, geo::LonLat p, std::int64_t opens_s = 0) {
    auto f = test::powered_shelter(id, p);
    f.hazards_known = true;
    f.safe_for.add(Hazard::flood);
    f.opening_delay_s = opens_s;
    return f;
}

// Square floods about 60 m across around nodes of the map, hazardous from onset_s.
geo::Hazards flood_around(const test::AsciiNetwork& t,
                          const std::vector<std::pair<char, std::int64_t>>& zones) {
    std::vector<test::SquareZone> squares;
    for (const auto& [c, onset_s] : zones)
        squares.push_back({at(t, c), onset_s * 1000, std::string("zone-") + c});
    return test::square_floods(squares);
}

Child ventilated(const std::string& id, geo::LonLat home) {
    auto c = test::family_child(id, home);
    c.care_items = {CareItem::ventilator, CareItem::tracheostomy};
    DeviceUse vent;
    vent.type = "vent";
    vent.power_w = 60;
    vent.internal_battery_h = 8;
    vent.external_battery_h = 0;
    c.devices = {vent};
    return c;
}

/// A wheelchair van "VAN" with three seats, no nurse and no outlet.
Vehicle wheelchair_van(geo::LonLat base) {
    Vehicle van;
    van.id = "VAN";
    van.type = VehicleType::wheelchair_van;
    van.seats = 3;
    van.base = base;
    return van;
}

} // namespace

TEST(TimingRules, HomeFloodedAt60MinWithAShelterOpeningAt90IsNotLate) {
    //   A-----B      A: home, in a zone flooded at 60 min; B: shelter, opens at 90 min.
    //   one cell = 200 m: A-B = 1,200 m = 216 s by car.
    const auto t = test::ascii_network("A-----B", {.grid_m = 200});
    auto s = scenario(t);
    s.registry = Registry({test::family_child("P", at(t, 'A'))});
    s.facilities = {shelter("X", at(t, 'B'), 90 * 60)};
    s.hazards = flood_around(t, {{'A', 60 * 60}});
    const auto plan = make_plan(s);
    const auto& p = plan.children.at(0);
    // Departure at packing 1,200 s; at the door at 1,200 + 216 = 1,416 s; the shelter opens
    // at 5,400 s: the child is in (arrival) at 5,400 s; no device to connect.
    EXPECT_EQ(p.planned_departure_s, 1200);
    EXPECT_EQ(p.arrival_s, 5400);
    EXPECT_EQ(p.on_power_s, 5400);
    // leave_by = the water at the home, 3,600 s; no power deadline.
    EXPECT_EQ(p.leave_by_s, 3600);
    EXPECT_EQ(p.arrive_by_s, -1);
    // The water closes A-B from 3,600 s: the car must be off it by then, so the latest safe
    // departure is 3,600 - 216 = 3,384 s; margin = 3,384 - 1,200 = 2,184 s (36 min 24 s),
    // above the 30 min threshold. (The old model took 3,600 s as the arrival deadline and
    // called the child late by 5,400 - 3,600 = 1,800 s, although it had left long before.)
    EXPECT_EQ(p.latest_safe_departure_s, 3384);
    EXPECT_EQ(p.margin_s, 2184);
    EXPECT_EQ(p.status, Feasibility::on_time);
    EXPECT_EQ(p.outcome, Outcome::evacuate);
}

TEST(TimingRules, ARouteThatClosesAt180MinSetsTheLatestSafeDeparture) {
    //   A-----B-----C   A: home, in a zone that floods only after the 72 h horizon (so the
    //   family leaves, but no leave_by binds); B: a low street flooded at 180 min; C: shelter.
    //   one cell = 500 m: A-B = B-C = 3,000 m = 540 s by car.
    const auto t = test::ascii_network("A-----B-----C", {.grid_m = 500});
    auto s = scenario(t);
    s.registry = Registry({test::family_child("P", at(t, 'A'))});
    s.facilities = {shelter("X", at(t, 'C'))};
    s.hazards = flood_around(t, {{'A', 73 * 3600}, {'B', 180 * 60}});
    const auto plan = make_plan(s);
    const auto& p = plan.children.at(0);
    // Both streets touch the zone at B and close at 10,800 s. Leaving A at t, the car is off
    // B-C at t + 1,080 s: t <= 10,800 - 1,080 = 9,720 s (2 h 42 min), not the horizon minus
    // the travel time (72 h - 18 min) as before.
    EXPECT_EQ(p.leave_by_s, -1);
    EXPECT_EQ(p.arrive_by_s, -1);
    EXPECT_EQ(p.latest_safe_departure_s, 9720);
    // Departure at 1,200 s: margin 9,720 - 1,200 = 8,520 s.
    EXPECT_EQ(p.margin_s, 8520);
    EXPECT_EQ(p.status, Feasibility::on_time);
}

TEST(TimingRules, NoDeadlineBindsWithinTheHorizon) {
    // The same street without water, and a child without powered devices: nothing binds.
    const auto t = test::ascii_network("A-----B-----C", {.grid_m = 500});
    auto s = scenario(t);
    s.registry = Registry({test::family_child("P", at(t, 'A'))});
    s.facilities = {shelter("X", at(t, 'C'))};
    // The home lies in a zone (a home outside every zone would stay: shelter in place), but
    // the zone floods at 73 h, after the 72 h horizon: it does not bind.
    s.hazards = flood_around(t, {{'A', 73 * 3600}});
    const auto plan = make_plan(s);
    const auto& p = plan.children.at(0);
    EXPECT_EQ(p.leave_by_s, -1);
    EXPECT_EQ(p.arrive_by_s, -1);
    EXPECT_EQ(p.latest_safe_departure_s, -1); // -1: no deadline binds within the horizon
    EXPECT_EQ(p.status, Feasibility::on_time);
}

TEST(TimingRules, NightTimePackingStartsTheTripLater) {
    //   A-----B      home A, shelter B; the home floods at 100 min.
    const auto t = test::ascii_network("A-----B", {.grid_m = 200});
    auto s = scenario(t);
    s.registry = Registry({test::family_child("P", at(t, 'A'))});
    s.facilities = {shelter("X", at(t, 'B'))};
    s.hazards = flood_around(t, {{'A', 100 * 60}});
    // By day (t0 14:00): departure at 20 min = 1,200 s.
    s.manifest.timeline.t0_clock = parse_clock_time("2026-03-14T14:00+09:00");
    EXPECT_EQ(make_plan(s).children.at(0).planned_departure_s, 1200);
    // At night (t0 02:00): 20 min x 1.5 = 30 min = 1,800 s; the car at night at 0.8 of its
    // speed (data/timing.toml night.car_speed_factor): 216 / 0.8 = 270 s; arrival 1,800 +
    // 270 = 2,070 s.
    s.manifest.timeline.t0_clock = parse_clock_time("2026-03-14T02:00+09:00");
    const auto night = make_plan(s);
    EXPECT_EQ(night.children.at(0).planned_departure_s, 1800);
    EXPECT_EQ(night.children.at(0).arrival_s, 2070);
    // Latest safe departure 6,000 - 270 = 5,730 s; margin 5,730 - 1,800 = 3,930 s.
    EXPECT_EQ(night.children.at(0).margin_s, 3930);
}

TEST(TimingRules, ACarDrivesSlowerAtNight) {
    //   A-----B-----C   one cell = 200 m. A: home of P (family car, two adults); B: the
    //                   shelter; C: home of Q (no car: 1,200 m is over the 800 m walk) and
    //                   the base of a wheelchair van. No hazard areas.
    // By day a car drives A-B, 1,200 m, at 20 km/h = 5.556 m/s: 216 s. At night (19:00 to
    // 06:00, data/timing.toml) at 0.8 of that speed: 216 / 0.8 = 270 s (each 200 m edge:
    // 36.0 s -> 45.0 s).
    const auto t = test::ascii_network("A-----B-----C", {.grid_m = 200});
    auto s = scenario(t);
    auto q = test::family_child("Q", at(t, 'C'));
    q.vehicle = HouseholdVehicle::none;
    s.registry = Registry({test::family_child("P", at(t, 'A')), q});
    s.facilities = {shelter("X", at(t, 'B'))};
    s.vehicles = {wheelchair_van(at(t, 'C'))};
    // t0 at 14:00: packing 20 min = 1,200 s (14:20). P drives off at 1,200 s and is at B at
    // 1,200 + 216 = 1,416 s. Q is picked up at 1,200 s, loaded in 10 min (600 s), and the
    // van leaves at 1,800 s and is at B at 1,800 + 216 = 2,016 s.
    s.manifest.timeline.t0_clock = parse_clock_time("2026-03-14T14:00+09:00");
    const auto day = make_plan(s);
    ASSERT_EQ(day.children.at(0).child_id, "P");
    EXPECT_EQ(day.children.at(0).transport, TransportKind::family_car);
    EXPECT_EQ(day.children.at(0).planned_departure_s, 1200);
    EXPECT_EQ(day.children.at(0).arrival_s, 1416);
    ASSERT_EQ(day.children.at(1).vehicle_id, "VAN");
    EXPECT_EQ(day.children.at(1).arrival_s, 2016);
    // t0 at 02:00: packing 1,200 x 1.5 = 1,800 s (02:30). P: 1,800 + 270 = 2,070 s. Q: picked
    // up at 1,800 s, loaded by 2,400 s, at B at 2,400 + 270 = 2,670 s.
    s.manifest.timeline.t0_clock = parse_clock_time("2026-03-14T02:00+09:00");
    const auto night = make_plan(s);
    EXPECT_EQ(night.children.at(0).planned_departure_s, 1800);
    EXPECT_EQ(night.children.at(0).arrival_s, 2070);
    EXPECT_EQ(night.children.at(1).arrival_s, 2670);
    // Without a clock every moment counts as day: the times of 14:00.
    s.manifest.timeline.t0_clock.reset();
    EXPECT_EQ(make_plan(s).children.at(0).arrival_s, 1416);
}

TEST(TimingRules, ATrainedParentMayRideInsteadOfANurse) {
    //   A--B--------C----D   A: home of a ventilator child (no family car, one adult),
    //   one cell = 250 m     B: a wheelchair van's base (no nurse), C: the shelter,
    //                        D: an ambulance's base (with a nurse), 1,250 m beyond C.
    // A tour leaves its base and comes back: the van drives B-A-C-B = 750 + 3,000 + 2,250 m
    // = 6,000 m, the ambulance D-A-C-D = 4,250 + 3,000 + 1,250 = 8,500 m.
    const auto t = test::ascii_network("A--B--------C----D", {.grid_m = 250});
    auto s = scenario(t);
    auto v = ventilated("V", at(t, 'A'));
    v.vehicle = HouseholdVehicle::none;
    v.helpers = 1;
    s.facilities = {shelter("X", at(t, 'C'))};
    s.hazards = flood_around(t, {{'A', 6 * 3600}});
    Vehicle van;
    van.id = "VAN";
    van.type = VehicleType::wheelchair_van;
    van.seats = 3;
    van.outlet_w = 300;
    van.base = at(t, 'B');
    s.vehicles = {test::ambulance(at(t, 'D'), {.outlet_w = 300}), van};
    // Without training the child needs the nurse on board: the ambulance.
    s.registry = Registry({v});
    EXPECT_EQ(make_plan(s).children.at(0).vehicle_id, "AMB");
    // The parent is trained (suction, bagging): the shorter tour, the van, takes them both.
    v.trained_helpers = 1;
    s.registry = Registry({v});
    const auto plan = make_plan(s);
    EXPECT_EQ(plan.children.at(0).vehicle_id, "VAN");
    EXPECT_EQ(plan.children.at(0).transport, TransportKind::vehicle);
}

TEST(TimingRules, AFamilyCarNeedsADriverAndACarerForAVentilatedChild) {
    const auto t = test::ascii_network("A-----B", {.grid_m = 200});
    auto s = scenario(t);
    s.facilities = {shelter("X", at(t, 'B'))};
    s.hazards = flood_around(t, {{'A', 6 * 3600}});
    s.vehicles = {test::ambulance(at(t, 'B'))};
    auto v = ventilated("V", at(t, 'A'));
    v.helpers = 1; // one adult cannot drive and watch the ventilator at once
    s.registry = Registry({v});
    EXPECT_EQ(make_plan(s).children.at(0).transport, TransportKind::vehicle);
    v.helpers = 2; // a driver and a carer
    s.registry = Registry({v});
    EXPECT_EQ(make_plan(s).children.at(0).transport, TransportKind::family_car);
}

TEST(TimingRules, AWalkOver800MByRoadIsNotAWalkEvenIf500MStraight) {
    //   A---B        A: home of a carried child without a car (two helpers); C: shelter,
    //       |        500 m straight south of A, but 400 + 500 + 400 = 1,300 m by road.
    //       |        one cell = 100 m.
    //       |
    //       |
    //   C---D
    const auto t = test::ascii_network(R"(
A---B
    |
    |
    |
    |
C---D
)",
                                       {.grid_m = 100});
    auto s = scenario(t);
    auto c = test::family_child("W", at(t, 'A'));
    c.vehicle = HouseholdVehicle::none;
    s.registry = Registry({c});
    s.facilities = {shelter("X", at(t, 'C'))};
    s.hazards = flood_around(t, {{'A', 6 * 3600}});
    s.vehicles = {wheelchair_van(at(t, 'D'))};
    // Straight 500 m x 1.3 = 650 m would pass the 800 m limit; the road is 1,300 m: a van.
    const auto plan = make_plan(s);
    EXPECT_EQ(plan.children.at(0).transport, TransportKind::vehicle);
    // A shelter at B, 400 m by road: on foot, 400 s.
    s.facilities = {shelter("X", at(t, 'B'))};
    const auto near = make_plan(s);
    EXPECT_EQ(near.children.at(0).transport, TransportKind::walk);
    ASSERT_TRUE(near.children.at(0).primary.has_value());
    EXPECT_NEAR(near.children.at(0).primary->length_m, 400.0, 0.5);
    EXPECT_EQ(near.children.at(0).primary->travel_s, 400);
}

TEST(TimingRules, ASafeHomeWithAGeneratorShelterInPlace) {
    //   A-----B      A: home outside every zone (the zone is at B's far side), B: shelter.
    const auto t = test::ascii_network("A-----B-C", {.grid_m = 200});
    auto s = scenario(t);
    s.hazards = flood_around(t, {{'C', 60 * 60}});
    s.facilities = {shelter("X", at(t, 'B'))};
    auto v = ventilated("G", at(t, 'A'));
    // A 900 W inverter generator with 200 h of fuel: the ventilator's 8 h battery, then the
    // generator, carry it past the 72 h horizon with margin: no power deadline binds.
    v.backup.generator_w = 900;
    v.backup.generator_fuel_h = 200;
    s.registry = Registry({v});
    const auto needs = assess_child(v, s.catalogue);
    ASSERT_TRUE(!needs.deadline_s || *needs.deadline_s > 72 * 3600);
    const auto plan = make_plan(s);
    const auto& g = plan.children.at(0);
    EXPECT_EQ(g.outcome, Outcome::shelter_in_place);
    EXPECT_EQ(g.leave_by_s, -1);
    EXPECT_EQ(g.arrive_by_s, -1);
    EXPECT_TRUE(g.facility_id.empty()); // takes no place at a shelter
    EXPECT_EQ(g.status, Feasibility::on_time);
    EXPECT_FALSE(g.reasons.empty()); // the conditions: fuel, when to leave after all
    // With 20 h of fuel the home lasts about a day: the child may still stay if the family
    // buys more fuel, and the plan says how much and by when to leave without it.
    v.backup.generator_fuel_h = 20;
    s.registry = Registry({v});
    const auto short_fuel = make_plan(s);
    const auto& sf = short_fuel.children.at(0);
    EXPECT_EQ(sf.outcome, Outcome::shelter_in_place);
    EXPECT_GE(sf.arrive_by_s, 0);
    bool says_fuel = false;
    for (const auto& r : sf.reasons)
        says_fuel = says_fuel || r.find("燃料をあと") != std::string::npos;
    EXPECT_TRUE(says_fuel);
    // Without a generator the ventilator's battery (and the car) do not last: evacuate.
    v.backup.generator_w = 0;
    v.backup.generator_fuel_h = 0;
    s.registry = Registry({v});
    const auto no_generator = make_plan(s);
    EXPECT_EQ(no_generator.children.at(0).outcome, Outcome::evacuate);
    EXPECT_EQ(no_generator.children.at(0).facility_id, "X");
    EXPECT_GE(no_generator.children.at(0).arrive_by_s, 0);
}

TEST(TimingRules, AVehicleLegClosesARoadOnlyFromWhenTheLegWouldUseIt) {
    //   B-----S-----M-----A   B: an ambulance's base (nurse, no outlet); S: the shelter;
    //   one cell = 200 m      M: a low street flooded at 60 min (both streets touching it,
    //                         S-M and M-A, close at 3,600 s); A: home of a ventilated child
    //                         (no car, one adult: it needs the nurse), outside every zone.
    // Each street is 1,200 m = 216 s by car. The ambulance leaves B at 0 and is at A at
    // 3 x 216 = 648 s; the family is ready at 20 min x 1.5 (one adult) = 1,800 s; loading
    // 10 min: the ambulance leaves A at 2,400 s, is off M-A at 2,616 s and off S-M at
    // 2,832 s, both before 3,600 s. The old model cut every road that closes before the
    // group's earliest deadline (the ventilator's battery, hours away) from every leg, so A
    // had no road at all and the child got no vehicle.
    const auto t = test::ascii_network("B-----S-----M-----A", {.grid_m = 200});
    auto s = scenario(t);
    auto v = ventilated("V", at(t, 'A'));
    v.vehicle = HouseholdVehicle::none;
    v.helpers = 1;
    s.registry = Registry({v});
    s.facilities = {shelter("X", at(t, 'S'))};
    s.vehicles = {test::ambulance(at(t, 'B'))};
    s.hazards = flood_around(t, {{'M', 60 * 60}});
    const auto plan = make_plan(s);
    const auto& p = plan.children.at(0);
    EXPECT_EQ(p.transport, TransportKind::vehicle);
    EXPECT_EQ(p.vehicle_id, "AMB");
    EXPECT_EQ(p.facility_id, "X");
    // Picked up at 1,800 s, loaded for 10 min: the departure from home is 2,400 s, and the
    // shelter is reached at 2,400 + 432 = 2,832 s.
    EXPECT_EQ(p.planned_departure_s, 2400);
    EXPECT_EQ(p.arrival_s, 2832);
    // The child's own trip by car from A, leaving at t, is off S-M at t + 432 s: the latest
    // safe departure is 3,600 - 432 = 3,168 s (the road, not the battery, binds).
    EXPECT_EQ(p.latest_safe_departure_s, 3168);
    EXPECT_EQ(p.leave_by_s, -1);
    EXPECT_NE(p.status, Feasibility::cannot_serve);
    // The same street flooded at 10 min: the ambulance reaches M-A at 432 s and would be off
    // it at 648 s, after it closed at 600 s: no road to A, no vehicle.
    s.hazards = flood_around(t, {{'M', 10 * 60}});
    const auto cut = make_plan(s);
    EXPECT_EQ(cut.children.at(0).status, Feasibility::cannot_serve);
}

TEST(TimingRules, WhoMustLeaveAtLevel3AndWhoCouldWaitForLevel4) {
    //   A-----B      A: home of a carried child (family car, two adults), in a zone flooded at
    //   200 m cells  onset; B: shelter, open at once. A-B = 1,200 m = 216 s by car.
    // t0 is the level 3 alert (高齢者等避難); level 4 (避難指示) comes at 60 min = 3,600 s.
    // Departure after packing at 1,200 s. The street closes with the water: latest safe
    // departure = onset - 216 s, margin = onset - 216 - 1,200 = onset - 1,416 s (the road
    // binds: smaller than leave_by - departure = onset - 1,200). Waiting for level 4 (decision
    // at t0 = 0, so 3,600 s later) leaves margin - 3,600 s; the child could wait only if that
    // is still at least the 30 min (1,800 s) threshold: onset >= 1,416 + 3,600 + 1,800 = 6,816 s.
    const auto t = test::ascii_network("A-----B", {.grid_m = 200});
    auto s = scenario(t);
    s.manifest.timeline.level4_min = 60;
    s.registry = Registry({test::family_child("P", at(t, 'A'))});
    s.facilities = {shelter("X", at(t, 'B'))};
    // Onset 120 min = 7,200 s: margin 5,784 s; after waiting 2,184 s >= 1,800: could wait.
    s.hazards = flood_around(t, {{'A', 120 * 60}});
    const auto late_water = make_plan(s);
    EXPECT_EQ(late_water.children.at(0).margin_s, 5784);
    EXPECT_EQ(late_water.children.at(0).alert, "level4");
    // Onset 100 min = 6,000 s: margin 4,584 s; after waiting only 984 s < 1,800: leave at
    // level 3.
    s.hazards = flood_around(t, {{'A', 100 * 60}});
    const auto early_water = make_plan(s);
    EXPECT_EQ(early_water.children.at(0).margin_s, 4584);
    EXPECT_EQ(early_water.children.at(0).alert, "level3");
    // A tsunami has no level 3 to wait for: leave as soon as the shaking stops (a shelter
    // safe from tsunami).
    s.manifest.hazard_kind = "tsunami";
    auto high = shelter("X", at(t, 'B'));
    high.safe_for.add(Hazard::tsunami);
    s.facilities = {high};
    const auto tsunami = make_plan(s);
    ASSERT_EQ(tsunami.children.at(0).facility_id, "X");
    EXPECT_EQ(tsunami.children.at(0).alert, "immediate");
}

TEST(TimingRules, AnEarthquakeHasNoLevel3AndItsLandslidesCloseRoadsAtOnce) {
    //   A--M--C      one cell = 200 m. A: home of a ventilated child (family car, a driver
    //   |     |      and a carer) and of a carried child without devices. C: a shelter
    //   D-----E      designated for earthquakes. D: a nearer shelter designated for floods
    //                only. M: a red landslide zone the quake sets off at t0 (onset 0).
    // t0 is the quake. The family decides when the shaking stops (decision_min = 10 min =
    // 600 s) and packs: a carried child, one powered device, two helpers: 20 min = 1,200 s;
    // departure at 600 + 1,200 = 1,800 s. The manifest's level4_min (60 min) is not used:
    // an earthquake is outside the alert-level scale (DOMAIN.md section 7).
    // D is not designated for earthquakes: the child goes to C. A-M-C (1,200 m) runs through
    // the slide, closed from t0: the car detours A-D-E-C = 400 + 1,200 + 400 = 2,000 m at
    // 20 km/h = 360 s; at the door at 1,800 + 360 = 2,160 s; transfer to shelter power 5 min
    // and connection 10 min (data/timing.toml): on power at 2,160 + 900 = 3,060 s.
    const auto t = test::ascii_network(R"(
A--M--C
|     |
D-----E
)",
                                       {.grid_m = 200});
    auto s = scenario(t);
    s.manifest.hazard_kind = "earthquake";
    s.manifest.options.decision_min = 10;
    s.manifest.timeline.level4_min = 60;
    auto quake_safe = shelter("X", at(t, 'C'));
    quake_safe.safe_for = {};
    quake_safe.safe_for.add(Hazard::earthquake);
    s.facilities = {quake_safe, shelter("Y", at(t, 'D'))}; // Y: floods only
    geo::HazardsBuilder hb;
    const auto layer = hb.add_layer({.file = "test", .kind = geo::HazardKind::landslide});
    geo::HazardArea slide;
    slide.kind = geo::HazardKind::landslide;
    slide.zone = geo::LandslideZone::red;
    slide.onset_ms = 0;
    slide.layer = layer;
    slide.feature_id = "slide-M";
    const auto m = at(t, 'M');
    const geo::LonLatPolygon square = {{{m.lon - 0.0003, m.lat - 0.0003},
                                        {m.lon + 0.0003, m.lat - 0.0003},
                                        {m.lon + 0.0003, m.lat + 0.0003},
                                        {m.lon - 0.0003, m.lat + 0.0003},
                                        {m.lon - 0.0003, m.lat - 0.0003}}};
    ASSERT_TRUE(hb.add_area(slide, std::span<const geo::LonLatPolygon>(&square, 1)));
    s.hazards = std::move(hb).build();
    s.registry = Registry({ventilated("V", at(t, 'A')), test::family_child("P", at(t, 'A'))});
    const auto plan = make_plan(s);
    const auto& v = plan.children.at(1);
    ASSERT_EQ(v.child_id, "V");
    ASSERT_EQ(v.facility_id, "X");
    EXPECT_EQ(v.transport, TransportKind::family_car);
    EXPECT_EQ(v.planned_departure_s, 1800);
    EXPECT_EQ(v.arrival_s, 2160);
    EXPECT_EQ(v.on_power_s, 3060);
    EXPECT_EQ(v.leave_by_s, -1); // the home is outside the slide
    EXPECT_EQ(v.alert, "immediate");
    // P has no device and a home outside every area: it stays, on condition that the house
    // came through the shaking undamaged.
    const auto& p = plan.children.at(0);
    ASSERT_EQ(p.child_id, "P");
    EXPECT_EQ(p.outcome, Outcome::shelter_in_place);
    EXPECT_TRUE(std::any_of(p.reasons.begin(), p.reasons.end(), [](const std::string& r) {
        return r.find("地震: 揺れがおさまったら家の被害") != std::string::npos;
    }));
    // The same map as a flood scenario: Y at D is designated, 400 m = 72 s away, and the
    // child waits for level 3 or 4 like any rain alert.
    s.manifest.hazard_kind = "flood";
    const auto flood = make_plan(s);
    EXPECT_EQ(flood.children.at(1).facility_id, "Y");
    EXPECT_EQ(flood.children.at(1).arrival_s, 1800 + 72);
    EXPECT_TRUE(flood.children.at(1).alert == "level3" || flood.children.at(1).alert == "level4");
}

TEST(TimingRules, DrillRecordedLoadingAndConnectionTimesWinOverTheDefaults) {
    //   A-----B   one cell = 200 m: A-B = 1,200 m = 216 s by car (1 km = 180 s).
    // A: home of a ventilator child (no family car, two adults; the ambulance with a nurse has
    // its base here), B: the shelter, open at t0. Water at the home at 6 h (the family leaves).
    // Decision at t0; packing 20 min (carried, one powered device, two helpers) = 1,200 s.
    // Defaults (data/timing.toml): the pickup waits for 1,200 s and loads 10 min = 600 s:
    //   departure 1,200 + 600 = 1,800 s; arrival 1,800 + 216 = 2,016 s;
    //   on power 2,016 + transfer 300 + connection 600 = 2,916 s.
    // The drill's times (registry loading_min 25, connect_min 40, `sonae drill apply`):
    //   departure 1,200 + 1,500 = 2,700 s; arrival 2,700 + 216 = 2,916 s;
    //   on power 2,916 + 2,400 = 5,316 s (one stretch: transfer_s 0, connection_s 2,400).
    const auto t = test::ascii_network("A-----B", {.grid_m = 200});
    auto s = scenario(t);
    s.facilities = {shelter("X", at(t, 'B'))};
    s.hazards = flood_around(t, {{'A', 6 * 3600}});
    s.vehicles = {test::ambulance(at(t, 'A'))};
    auto v = ventilated("V", at(t, 'A'));
    v.vehicle = HouseholdVehicle::none;
    s.registry = Registry({v});
    const auto before = make_plan(s).children.at(0);
    ASSERT_EQ(before.transport, TransportKind::vehicle);
    EXPECT_EQ(before.earliest_departure_s, 1200);
    EXPECT_EQ(before.steps.loading_s, 600);
    EXPECT_EQ(before.planned_departure_s, 1800);
    EXPECT_EQ(before.arrival_s, 2016);
    EXPECT_EQ(before.steps.transfer_s, 300);
    EXPECT_EQ(before.steps.connection_s, 600);
    EXPECT_EQ(before.on_power_s, 2916);

    v.loading_min = 25;
    v.connect_min = 40;
    s.registry = Registry({v});
    const auto after = make_plan(s).children.at(0);
    ASSERT_EQ(after.transport, TransportKind::vehicle);
    EXPECT_EQ(after.earliest_departure_s, 1200); // loading is not preparation
    EXPECT_EQ(after.steps.loading_s, 1500);
    EXPECT_EQ(after.planned_departure_s, 2700);
    EXPECT_EQ(after.arrival_s, 2916);
    EXPECT_EQ(after.steps.transfer_s, 0);
    EXPECT_EQ(after.steps.connection_s, 2400);
    EXPECT_EQ(after.on_power_s, 5316);
    // The margin: min over the deadlines. arrive_by = the 8 h battery from mains loss at t0 =
    // 28,800 s minus the 20 % safety margin (5,760 s) = 23,040 s; leave_by = 21,600 s; the last
    // safe departure on the road out (the plan's latest_safe_departure_s) 21,384 s.
    //   defaults: min(21,600 - 1,800 = 19,800; 23,040 - 2,916 = 20,124; 21,384 - 1,800 = 19,584)
    //             = 19,584 s, the route binds;
    //   drill:    min(21,600 - 2,700 = 18,900; 23,040 - 5,316 = 17,724; 21,384 - 2,700 = 18,684)
    //             = 17,724 s, the power deadline binds.
    EXPECT_EQ(before.arrive_by_s, 23040);
    EXPECT_EQ(before.latest_safe_departure_s, 21384);
    EXPECT_EQ(before.margin_s, 19584);
    EXPECT_EQ(before.binding, Binding::route);
    EXPECT_EQ(after.margin_s, 17724);
    EXPECT_EQ(after.binding, Binding::arrive_by);
    auto says = [](const ChildPlan& c, const std::string& text) {
        return std::any_of(c.reasons.begin(), c.reasons.end(),
                           [&](const std::string& r) { return r.find(text) != std::string::npos; });
    };
    EXPECT_TRUE(says(after, "送迎車両への乗車は訓練の記録 25分"));
    EXPECT_TRUE(says(after, "到着から電源接続までは訓練の記録 40分"));
    EXPECT_FALSE(says(before, "訓練の記録"));

    // The same family with a car and two adults drives itself: the plan has no loading step
    // for the family car (packing_min covers it), so loading_min leaves the departure at
    // 1,200 s and says so; connect_min still counts: arrival 1,200 + 216 = 1,416 s, on power
    // 1,416 + 2,400 = 3,816 s (default 1,416 + 900 = 2,316 s).
    v.vehicle = HouseholdVehicle::car;
    s.registry = Registry({v});
    const auto car = make_plan(s).children.at(0);
    ASSERT_EQ(car.transport, TransportKind::family_car);
    EXPECT_EQ(car.planned_departure_s, 1200);
    EXPECT_EQ(car.steps.loading_s, 0);
    EXPECT_EQ(car.arrival_s, 1416);
    EXPECT_EQ(car.on_power_s, 3816);
    EXPECT_TRUE(says(car, "loading_min"));
}
