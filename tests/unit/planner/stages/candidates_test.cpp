// The compatibility rules and stage 4, candidates (planner/stages/compatibility.hpp,
// candidates.hpp), on hand-drawn networks: why a facility cannot take a child, the search
// that stops after candidate_facilities facilities nearest by arrival, a home off the road,
// and straight-line mode's times.

#include "planner/stages/candidates.hpp"
#include "tests/unit/planner/stages/stage_fixtures.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace sonae;
using namespace sonae::planner;
using namespace sonae::planner::stages;
using test::at;

TEST(CompatibilityRules, EachFacilityIsRuledOutByTheFirstReasonThatApplies) {
    const auto t = test::ascii_network("A---B---C---D---E", {.grid_m = 100});
    auto s = test::stage_scenario(t);
    s.hazards = test::square_floods({{at(t, 'C'), 0, "pond"}});
    auto shelter = [&](const std::string& id, char where) {
        return test::powered_shelter(id, at(t, where));
    };
    auto no_direct = shelter("F1", 'B');
    no_direct.direct_evacuation = false;
    Facility open_space;
    open_space.id = "F2";
    open_space.position = at(t, 'B');
    open_space.add_kind(FacilityKind::emergency_site);
    auto landslide_only = shelter("F3", 'B');
    landslide_only.hazards_known = true;
    landslide_only.safe_for.add(Hazard::landslide); // the scenario's hazard is a flood
    auto in_pond = shelter("F4", 'C');
    auto no_vent = shelter("F5", 'D');
    no_vent.accepts_ventilator = false;
    auto small_generator =
        test::powered_shelter("F6", at(t, 'D'), 0.01); // 10 W, under the ventilator's 60 W
    auto carers_only = shelter("F7", 'D');
    carers_only.nurses = 0;
    carers_only.carers = 1;
    s.facilities = {no_direct, open_space,      landslide_only, in_pond,
                    no_vent,   small_generator, carers_only,    shelter("F8", 'E')};
    s.registry =
        Registry({test::ventilated_child("V", at(t, 'A')), test::family_child("P", at(t, 'A'))});
    const auto ctx = make_context(s, {});
    const Compatibility compatibility(ctx);
    const auto needs = assess_needs(ctx);
    const auto& vent = needs[test::child_index(ctx, "V")].needs;
    const auto& plain = needs[test::child_index(ctx, "P")].needs;
    auto why = [&](const ChildNeeds& n, const std::string& id) {
        return compatibility.why_not(n, test::facility_index(ctx, id));
    };
    EXPECT_EQ(why(plain, "F1"), Why::no_direct);
    EXPECT_EQ(why(plain, "F2"), Why::open_space);
    EXPECT_EQ(why(plain, "F3"), Why::not_designated);
    EXPECT_EQ(why(plain, "F4"), Why::in_hazard);
    EXPECT_EQ(why(vent, "F5"), Why::no_ventilator);
    EXPECT_EQ(why(vent, "F6"), Why::no_power);
    EXPECT_EQ(why(vent, "F7"), Why::no_nurse);
    EXPECT_EQ(why(vent, "F8"), Why::ok);
    // A family-managed child without power needs the facility-level rules only.
    for (const auto* id : {"F5", "F6", "F7", "F8"}) EXPECT_EQ(why(plain, id), Why::ok) << id;
    EXPECT_EQ(why_text(Why::no_ventilator), "人工呼吸器の受入なし");
}

TEST(CandidatesStage, TheSearchStopsAfterTheNearestCandidateFacilities) {
    // Three shelters 400, 800 and 1,200 m along one road from the home at A.
    const auto t = test::ascii_network("A---B---C---D", {.grid_m = 100});
    auto s = test::stage_scenario(t);
    s.manifest.options.candidate_facilities = 2;
    s.facilities = {test::powered_shelter("X", at(t, 'B')), test::powered_shelter("Y", at(t, 'C')),
                    test::powered_shelter("Z", at(t, 'D'))};
    s.registry = Registry({test::family_child("P", at(t, 'A'))});
    const auto ctx = make_context(s, {});
    const auto needs = assess_needs(ctx);
    const NetworkAccess access(ctx);
    const Compatibility compatibility(ctx);
    const auto transport = choose_transport(ctx, access, needs, compatibility);
    const auto found = find_candidates(ctx, access, needs, transport, compatibility);
    const auto& set = found.of_child[0];
    EXPECT_TRUE(set.home_on_network);
    EXPECT_FALSE(set.searched_all); // stopped at 2 of 3: Z may be searched later
    ASSERT_EQ(set.candidates.size(), 2u);
    // Homes and shelters sit on nodes (no off-road leg), so the travel time is the car's
    // edge times from the earliest departure, rounded up to the second.
    const auto& w = access.mode("car").weights_ms;
    const auto ab = w[t.edge('A', 'B').value()], bc = w[t.edge('B', 'C').value()];
    EXPECT_EQ(set.travel_to(test::facility_index(ctx, "X")), (ab + 999) / 1000);
    EXPECT_EQ(set.travel_to(test::facility_index(ctx, "Y")), (ab + bc + 999) / 1000);
    EXPECT_EQ(set.travel_to(test::facility_index(ctx, "Z")), -1);
}

TEST(CandidatesStage, AHomeFarFromAnyRoadHasNoCandidates) {
    const auto t = test::ascii_network("A---B", {.grid_m = 100});
    auto s = test::stage_scenario(t);
    s.facilities = {test::powered_shelter("X", at(t, 'B'))};
    // 0.01 degrees of latitude north of A: about 1,112 m, over the 500 m snap limit.
    const auto a = at(t, 'A');
    s.registry = Registry({test::family_child("P", {a.lon, a.lat + 0.01})});
    const auto ctx = make_context(s, {});
    const auto needs = assess_needs(ctx);
    const NetworkAccess access(ctx);
    const auto found = find_candidates(ctx, access, needs,
                                       choose_transport(ctx, access, needs, Compatibility(ctx)),
                                       Compatibility(ctx));
    EXPECT_FALSE(found.of_child[0].home_on_network);
    EXPECT_TRUE(found.of_child[0].candidates.empty());
}

TEST(CandidatesStage, StraightLineModeOffersEveryCompatibleFacilityAtDistanceTimesCircuity) {
    const auto t = test::ascii_network("A---B---C", {.grid_m = 70});
    auto s = test::stage_scenario(t);
    s.network.reset(); // straight-line mode: positions only
    s.facilities = {test::powered_shelter("X", at(t, 'B')), test::powered_shelter("Y", at(t, 'C'))};
    auto walker = test::family_child("W", at(t, 'A'));
    walker.vehicle = HouseholdVehicle::none;
    walker.mobility = Mobility::walks;
    walker.helpers = 1;
    s.registry = Registry({test::family_child("P", at(t, 'A')), walker});
    const auto ctx = make_context(s, {});
    const auto needs = assess_needs(ctx);
    const NetworkAccess access(ctx);
    EXPECT_EQ(access.network(), nullptr);
    const auto found = find_candidates(ctx, access, needs,
                                       choose_transport(ctx, access, needs, Compatibility(ctx)),
                                       Compatibility(ctx));
    const auto& car = found.of_child[test::child_index(ctx, "P")];
    const auto& foot = found.of_child[test::child_index(ctx, "W")];
    const auto x = test::facility_index(ctx, "X"), y = test::facility_index(ctx, "Y");
    // X is 4 cells x 70 m = 280 m away: x 1.3 = 364 m; by car at 30 km/h (8.333 m/s) 43.7 s
    // -> 44 s; on foot at 3 km/h (0.8333 m/s) 436.8 s -> 437 s.
    EXPECT_EQ(car.travel_to(x), 44);
    EXPECT_EQ(foot.travel_to(x), 437);
    // Y, 560 m: x 1.3 = 728 m; 87.4 s -> 88 s by car; 873.6 s -> 874 s on foot.
    EXPECT_EQ(car.travel_to(y), 88);
    EXPECT_EQ(foot.travel_to(y), 874);
    EXPECT_TRUE(car.searched_all);
}
