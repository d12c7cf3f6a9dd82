// Stages 5 and 6 of the planner (planner/stages/assignment.hpp, fallback.hpp) on hand-drawn
// networks: capacities in places and generator power, a facility that opens late, the
// extension rounds that search on for a child left without a place, and the fallback
// (a hospital first, else the nearest facility with power).

#include "planner/stages/assignment.hpp"
#include "planner/stages/fallback.hpp"
#include "tests/unit/planner/stages/stage_fixtures.hpp"

#include <gtest/gtest.h>

using namespace sonae;
using namespace sonae::planner;
using namespace sonae::planner::stages;
using test::at;

namespace {

/// The stages up to the assignment, on `s`.
struct UpToAssignment {
    PlanContext ctx;
    std::vector<ChildNeed> needs;
    NetworkAccess access;
    std::vector<TransportChoice> transport;
    Compatibility compatibility;
    Candidates candidates;
    Assignment assignment;

    explicit UpToAssignment(const LoadedScenario& s)
        : ctx(make_context(s, {})), needs(assess_needs(ctx)), access(ctx),
          transport(choose_transport(ctx, access, needs, Compatibility(ctx))), compatibility(ctx),
          candidates(find_candidates(ctx, access, needs, transport, compatibility)),
          assignment(assign_destinations(ctx, access, needs, transport, compatibility,
                                         candidates.of_child, candidates.potential)) {}

    std::string facility_of(const std::string& child) const {
        const auto j = assignment.facility_of(test::child_index(ctx, child));
        return j ? ctx.facilities[*j].id : "";
    }
};

} // namespace

TEST(AssignmentStage, GeneratorPowerIsACapacity) {
    // X (400 m) has a 1 kW generator: 1,000 W less the shelter's own 800 W peak (lights,
    // fridge start, phones: data/power_sources.toml [shelter]) leaves 200 W for the children.
    // A ventilator child takes 60 W + 90 W charging its external battery = 150 W: one fits,
    // two (300 W) do not, so the second child goes on to Y (800 m) although X has places for 100.
    const auto t = test::ascii_network("A---B---C", {.grid_m = 100});
    auto s = test::stage_scenario(t);
    s.facilities = {test::powered_shelter("X", at(t, 'B'), 1.0),
                    test::powered_shelter("Y", at(t, 'C'))};
    s.registry = Registry(
        {test::ventilated_child("V1", at(t, 'A')), test::ventilated_child("V2", at(t, 'A'))});
    const UpToAssignment r(s);
    const std::set<std::string> got{r.facility_of("V1"), r.facility_of("V2")};
    EXPECT_EQ(got, (std::set<std::string>{"X", "Y"}));
    const auto x = test::facility_index(r.ctx, "X");
    EXPECT_EQ(r.assignment.capacity[x].power_w, 200);
    EXPECT_EQ(r.assignment.flow.load[x].power_w, 150);
    EXPECT_TRUE(r.assignment.warnings.empty());
}

TEST(AssignmentStage, OutletsBindWherePlacesDoNot) {
    // X (400 m) has 100 places, a 5 kW generator and 2 outlets on backup power; Y (800 m) has
    // outlets enough. Three children on an oxygen concentrator, one outlet each. Places do
    // not bind at X (3 x (child + companion) = 6 of 100), power does not (3 x (120 W + the
    // compressor's start-up surge 120 W) = 720 W of 4,200 W), outlets do: two children at X,
    // the third goes on to Y.
    const auto t = test::ascii_network("A---B---C", {.grid_m = 100});
    auto s = test::stage_scenario(t);
    auto x = test::powered_shelter("X", at(t, 'B'));
    x.outlets = 2;
    x.outlets_known = true;
    s.facilities = {x, test::powered_shelter("Y", at(t, 'C'))};
    auto oxygen = [&](const std::string& id) {
        auto c = test::family_child(id, at(t, 'A'));
        c.care_items = {CareItem::oxygen};
        c.oxygen.flow_lpm = 1.0;
        DeviceUse conc;
        conc.type = "o2conc";
        c.devices = {conc};
        return c;
    };
    s.registry = Registry({oxygen("O1"), oxygen("O2"), oxygen("O3")});
    const UpToAssignment r(s);
    const auto xi = test::facility_index(r.ctx, "X");
    EXPECT_EQ(r.assignment.capacity[xi].outlets, 2);
    EXPECT_EQ(r.assignment.usage[test::child_index(r.ctx, "O1")].outlets, 1);
    EXPECT_EQ(r.assignment.usage[test::child_index(r.ctx, "O1")].power_w, 240);
    EXPECT_EQ(r.assignment.flow.load[xi].outlets, 2);
    EXPECT_EQ(r.assignment.flow.load[xi].places, 4);
    EXPECT_LT(r.assignment.flow.load[xi].places, r.assignment.capacity[xi].places);
    EXPECT_LT(r.assignment.flow.load[xi].power_w, r.assignment.capacity[xi].power_w);
    int at_x = 0, at_y = 0;
    for (const auto* id : {"O1", "O2", "O3"}) {
        at_x += r.facility_of(id) == "X";
        at_y += r.facility_of(id) == "Y";
    }
    EXPECT_EQ(at_x, 2);
    EXPECT_EQ(at_y, 1);
    // A child needing 3 outlets cannot go to X at all (2 outlets): a rule, not a capacity.
    auto many = oxygen("O4");
    many.devices.front().count = 3;
    const auto needs = assess_child(many, r.ctx.scenario.catalogue);
    EXPECT_EQ(r.compatibility.why_not(needs, xi), Why::no_outlets);
}

TEST(AssignmentStage, AFacilityThatOpensLateIsReachedWhenItOpens) {
    // X is nearer (400 m) but opens 3 h after t0; Y (1,200 m) is open. Departure after packing
    // (carried: 1,200 s): at X by 1,200 + ~30 s, but it opens at 10,800 s; at Y by ~1,290 s.
    const auto t = test::ascii_network("A---B-------C", {.grid_m = 100});
    auto s = test::stage_scenario(t);
    auto late = test::powered_shelter("X", at(t, 'B'));
    late.opening_delay_s = 3 * 3600;
    s.facilities = {late, test::powered_shelter("Y", at(t, 'C'))};
    s.registry = Registry({test::family_child("P", at(t, 'A'))});
    const UpToAssignment r(s);
    EXPECT_EQ(r.facility_of("P"), "Y");
    EXPECT_EQ(open_by(r.ctx.facilities[test::facility_index(r.ctx, "X")], 1230), 10'800);
    EXPECT_EQ(open_by(r.ctx.facilities[test::facility_index(r.ctx, "Y")], 1290), 1290);
}

TEST(AssignmentStage, ExtensionRoundsSearchOnForAChildLeftWithoutAPlace) {
    // Each child's first search stops at one facility (candidate_facilities = 1): both find X,
    // which has two places: one child and its companion. The child left out, and the one placed at
    // its farthest (only) candidate, search on to the facilities with room (Y), and the flow is
    // solved again.
    const auto t = test::ascii_network("A---B-------C", {.grid_m = 100});
    auto s = test::stage_scenario(t);
    s.manifest.options.candidate_facilities = 1;
    auto one_place = test::powered_shelter("X", at(t, 'B'));
    one_place.capacity_persons = 2;
    s.facilities = {one_place, test::powered_shelter("Y", at(t, 'C'))};
    s.registry =
        Registry({test::family_child("P", at(t, 'A')), test::family_child("Q", at(t, 'A'))});
    const UpToAssignment r(s);
    const std::set<std::string> got{r.facility_of("P"), r.facility_of("Q")};
    EXPECT_EQ(got, (std::set<std::string>{"X", "Y"}));
    const auto y = test::facility_index(r.ctx, "Y");
    for (const auto& set : r.assignment.candidates) {
        EXPECT_TRUE(set.extended);
        EXPECT_EQ(set.extension, std::vector<std::uint32_t>{static_cast<std::uint32_t>(y)});
        EXPECT_GE(set.travel_to(y), 0);
    }
}

TEST(FallbackStage, AChildWithoutAPlaceIsSentToAHospitalFirstElseToPower) {
    // No facility accepts a ventilator. Nearest to A: U (no generator), then P (generator),
    // then the hospital H farthest. The search goes past P to the first hospital.
    const auto t = test::ascii_network("A---B---C-------D", {.grid_m = 100});
    auto s = test::stage_scenario(t);
    auto refuse = [](Facility f) {
        f.accepts_ventilator = false;
        return f;
    };
    auto unpowered = refuse(test::powered_shelter("U", at(t, 'B'), 0));
    auto powered = refuse(test::powered_shelter("P", at(t, 'C')));
    Facility hospital = refuse(test::powered_shelter("H", at(t, 'D'), 0));
    hospital.kinds = {};
    hospital.add_kind(FacilityKind::hospital);
    s.facilities = {unpowered, powered, hospital};
    s.registry =
        Registry({test::ventilated_child("V", at(t, 'A')), test::family_child("F", at(t, 'A'))});
    {
        const UpToAssignment r(s);
        const auto fallback = find_fallbacks(r.ctx, r.access, r.needs, r.transport, r.assignment);
        const auto v = test::child_index(r.ctx, "V");
        ASSERT_FALSE(r.assignment.facility_of(v));
        ASSERT_TRUE(fallback[v]);
        EXPECT_EQ(r.ctx.facilities[*fallback[v]].id, "H");
        EXPECT_FALSE(fallback[test::child_index(r.ctx, "F")]); // placed: no fallback
    }
    s.facilities = {unpowered, powered}; // without a hospital: the nearest with power
    {
        const UpToAssignment r(s);
        const auto fallback = find_fallbacks(r.ctx, r.access, r.needs, r.transport, r.assignment);
        const auto v = test::child_index(r.ctx, "V");
        ASSERT_TRUE(fallback[v]);
        EXPECT_EQ(r.ctx.facilities[*fallback[v]].id, "P");
    }
}
