// Standing-plan destinations per hazard type on a hand-drawn network.
#include "planner/hazard_destinations.hpp"
#include "planner/plan_io.hpp"
#include "tests/support/ascii_network.hpp"
#include "tests/support/plan_fixtures.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace sonae::planner {
namespace {

// H is the home; facilities sit on A..E. Each cell is 100 m of residential road.
//
//   H---A---B---C
//       |       |
//       D-------E
const char* kMap = R"(
H---A---B---C
    |       |
    D-------E
)";

Facility shelter(const std::string& id, geo::LonLat at, std::initializer_list<Hazard> safe) {
    Facility f;
    f.id = id;
    f.name = "避難所" + id;
    f.municipality_code = "352021";
    f.position = at;
    f.add_kind(FacilityKind::shelter);
    f.hazards_known = true;
    for (auto h : safe) f.safe_for.add(h);
    return f;
}

struct Fixture {
    test::AsciiNetwork t = test::ascii_network(kMap, {.grid_m = 100});
    geo::Hazards no_hazards;
    TravelContext travel{t.net, no_hazards, {"car", "walk", "wheelchair"}, 200.0};
    std::vector<Facility> facilities;

    geo::LonLat at(char c) const { return t.net.lonlat(t.node(c)); }

    Fixture() {
        facilities.push_back(shelter("F1", at('A'), {Hazard::flood}));
        facilities.push_back(
            shelter("F2", at('B'), {Hazard::flood, Hazard::landslide, Hazard::tsunami}));
        // A welfare shelter from the facilities table: no hazard flags at all.
        facilities.push_back(test::powered_shelter("F3", at('C')));
        // Open space only: never a destination, whatever its flags.
        auto open = shelter("F4", at('D'),
                            {Hazard::flood, Hazard::landslide, Hazard::storm_surge, Hazard::tsunami,
                             Hazard::earthquake});
        open.kinds = 0;
        open.add_kind(FacilityKind::emergency_site);
        facilities.push_back(open);
        // A 協定 secondary shelter: no direct evacuees.
        auto secondary = shelter("F5", at('E'), {Hazard::storm_surge, Hazard::earthquake});
        secondary.direct_evacuation = false;
        facilities.push_back(secondary);
    }
};

const HazardDestination* find(const std::vector<HazardDestination>& list, std::string_view hazard) {
    for (const auto& d : list)
        if (d.hazard == hazard) return &d;
    return nullptr;
}

TEST(HazardDestinations, StandingHazardsAreTheFiveOfTheGuidebook) {
    const auto hazards = standing_plan_hazards();
    ASSERT_EQ(hazards.size(), 5u);
    EXPECT_EQ(guide_label_ja(hazards[0]), "洪水");
    EXPECT_EQ(guide_label_ja(hazards[1]), "土砂災害");
    EXPECT_EQ(guide_label_ja(hazards[2]), "高潮");
    EXPECT_EQ(guide_label_ja(hazards[3]), "津波");
    EXPECT_EQ(guide_label_ja(hazards[4]), "地震");
}

TEST(HazardDestinations, NearestDesignatedFacilityPerHazardOnTheNetwork) {
    Fixture fx;
    ChildTravelInput child{.home = fx.at('H'), .mode = "car"};
    const PlanOptions options;
    const auto result =
        destinations_by_hazard(&fx.travel, fx.facilities, std::span(&child, 1), options);
    ASSERT_EQ(result.size(), 1u);
    const auto& list = result[0];
    ASSERT_EQ(list.size(), 5u);
    // In standing_plan_hazards() order.
    for (std::size_t h = 0; h < list.size(); ++h)
        EXPECT_EQ(list[h].hazard, to_string(standing_plan_hazards()[h]));

    EXPECT_EQ(find(list, "flood")->facility_id, "F1");
    EXPECT_EQ(find(list, "landslide")->facility_id, "F2");
    EXPECT_EQ(find(list, "tsunami")->facility_id, "F2");
    // Nothing designated for storm surge or earthquake takes direct evacuees under a roof:
    // the unflagged welfare shelter, marked for checking.
    EXPECT_EQ(find(list, "storm_surge")->facility_id, "F3");
    EXPECT_TRUE(find(list, "storm_surge")->designation_unknown);
    EXPECT_EQ(find(list, "earthquake")->facility_id, "F3");
    EXPECT_FALSE(find(list, "flood")->designation_unknown);

    const auto* flood = find(list, "flood");
    const auto* tsunami = find(list, "tsunami");
    const auto* surge = find(list, "storm_surge");
    EXPECT_GT(flood->travel_s, 0);
    EXPECT_LT(flood->travel_s, tsunami->travel_s);
    EXPECT_LT(tsunami->travel_s, surge->travel_s);
    EXPECT_NEAR(flood->length_m, 400.0, 1.0);
    EXPECT_NEAR(tsunami->length_m, 800.0, 1.0);
    EXPECT_NEAR(surge->length_m, 1200.0, 1.0);
    EXPECT_EQ(flood->facility_name, "避難所F1");
    EXPECT_EQ(flood->facility_kind, "shelter");
    EXPECT_EQ(surge->facility_kind, "welfare_shelter");
    EXPECT_EQ(flood->mode, TravelMode::car);
    EXPECT_FALSE(flood->approximate);
    // The route runs from the home to the facility.
    ASSERT_GE(surge->geometry.size(), 2u);
    EXPECT_EQ(surge->geometry.front(), fx.at('H'));
    EXPECT_EQ(surge->geometry.back(), fx.at('C'));
}

TEST(HazardDestinations, DeviceNeedsLeaveOnlyFacilitiesThatCanTakeTheChild) {
    Fixture fx;
    ChildTravelInput vent{.home = fx.at('H'),
                          .mode = "car",
                          .needs_ventilator = true,
                          .power_w = 200,
                          .outlets = 1,
                          .staff = StaffLevel::nurse};
    const auto result =
        destinations_by_hazard(&fx.travel, fx.facilities, std::span(&vent, 1), PlanOptions{});
    ASSERT_EQ(result[0].size(), 5u);
    for (const auto& d : result[0]) {
        EXPECT_EQ(d.facility_id, "F3") << d.hazard;
        EXPECT_TRUE(d.designation_unknown);
    }
    // A load above the generator's 5 kW less the shelter's own 800 W peak (data/
    // power_sources.toml [shelter] base_peak_w): 4,200 W fit, 4,201 W do not. Nothing left:
    // no row at all rather than a wrong one.
    vent.power_w = 4200;
    EXPECT_EQ(
        destinations_by_hazard(&fx.travel, fx.facilities, std::span(&vent, 1), PlanOptions{})[0]
            .size(),
        5u);
    vent.power_w = 4201;
    const auto none =
        destinations_by_hazard(&fx.travel, fx.facilities, std::span(&vent, 1), PlanOptions{});
    EXPECT_TRUE(none[0].empty());
}

TEST(HazardDestinations, CanTakeMirrorsThePlannerRules) {
    Fixture fx;
    ChildTravelInput c{.home = fx.at('H'), .mode = "car"};
    EXPECT_TRUE(can_take(fx.facilities[0], c));
    EXPECT_FALSE(can_take(fx.facilities[3], c)); // open space
    EXPECT_FALSE(can_take(fx.facilities[4], c)); // no direct evacuation
    c.needs_oxygen = true;
    EXPECT_FALSE(can_take(fx.facilities[0], c));
    EXPECT_TRUE(can_take(fx.facilities[2], c));
    c.needs_oxygen = false;
    c.staff = StaffLevel::carer;
    auto f = fx.facilities[2];
    // Staff in 8-hour shifts (data/power_sources.toml [shelter] shift_h): one post at every
    // hour of a day takes ceil(24 / 8) = 3 people. Two carers leave 8 hours a day uncovered.
    f.nurses = 0;
    f.carers = 2;
    EXPECT_FALSE(can_take(f, c));
    f.carers = 3;
    EXPECT_TRUE(can_take(f, c));
    c.staff = StaffLevel::nurse;
    EXPECT_FALSE(can_take(f, c)); // carers do not replace a nurse
    f.nurses = 3;
    f.carers = 0;
    EXPECT_TRUE(can_take(f, c));
    // Outlets, when the facility gives them, limit too.
    c.outlets = 2;
    f.outlets = 1;
    f.outlets_known = true;
    EXPECT_FALSE(can_take(f, c));
    f.outlets_known = false; // not given: not a limit
    EXPECT_TRUE(can_take(f, c));
}

TEST(HazardDestinations, SameResultWhateverTheThreadsAndTheFacilityOrder) {
    Fixture fx;
    std::vector<ChildTravelInput> children;
    for (char c : std::string("HABCDE")) children.push_back({.home = fx.at(c), .mode = "walk"});
    children.push_back({.home = fx.at('D'), .mode = "car", .needs_oxygen = true});
    const auto one = destinations_by_hazard(&fx.travel, fx.facilities, children, PlanOptions{}, 1);
    auto reversed = fx.facilities;
    std::reverse(reversed.begin(), reversed.end());
    const auto three = destinations_by_hazard(&fx.travel, reversed, children, PlanOptions{}, 3);
    ASSERT_EQ(one.size(), three.size());
    for (std::size_t i = 0; i < one.size(); ++i) {
        ASSERT_EQ(one[i].size(), three[i].size()) << i;
        for (std::size_t k = 0; k < one[i].size(); ++k) {
            EXPECT_EQ(one[i][k].facility_id, three[i][k].facility_id);
            EXPECT_EQ(one[i][k].travel_s, three[i][k].travel_s);
            EXPECT_EQ(one[i][k].geometry, three[i][k].geometry);
        }
    }
    // A child at a facility's own node: zero road, only the access on foot.
    const auto* at_a = find(one[1], "flood");
    ASSERT_NE(at_a, nullptr);
    EXPECT_EQ(at_a->facility_id, "F1");
    EXPECT_LT(at_a->travel_s, 10);
}

TEST(HazardDestinations, StraightLineWithoutANetworkIsApproximate) {
    Fixture fx;
    ChildTravelInput child{.home = fx.at('H'), .mode = "car"};
    PlanOptions options;
    options.straight_line_circuity = 1.3;
    options.straight_line_speed_kmh = 30;
    const auto result =
        destinations_by_hazard(nullptr, fx.facilities, std::span(&child, 1), options);
    ASSERT_EQ(result[0].size(), 5u);
    const auto* flood = find(result[0], "flood");
    EXPECT_EQ(flood->facility_id, "F1");
    EXPECT_TRUE(flood->approximate);
    EXPECT_NEAR(flood->length_m, 400.0 * 1.3, 2.0);
    EXPECT_NEAR(static_cast<double>(flood->travel_s), 400.0 * 1.3 / (30 / 3.6), 1.5);
    ASSERT_EQ(flood->geometry.size(), 2u);
}

TEST(HazardDestinations, RoundTripThroughPlanJsonAndOlderFilesWithoutTheField) {
    Fixture fx;
    ChildTravelInput child{.home = fx.at('H'), .mode = "car"};
    Plan plan;
    plan.scenario_name = "t";
    ChildPlan cp;
    cp.child_id = "UBE-0001";
    cp.destinations_by_hazard =
        destinations_by_hazard(&fx.travel, fx.facilities, std::span(&child, 1), PlanOptions{})[0];
    plan.children.push_back(cp);
    const auto text = plan_to_json(plan);
    const auto back = plan_from_json(text, "plan.json");
    ASSERT_EQ(back.children.size(), 1u);
    const auto& a = plan.children[0].destinations_by_hazard;
    const auto& b = back.children[0].destinations_by_hazard;
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t k = 0; k < a.size(); ++k) {
        EXPECT_EQ(a[k].hazard, b[k].hazard);
        EXPECT_EQ(a[k].facility_id, b[k].facility_id);
        EXPECT_EQ(a[k].facility_name, b[k].facility_name);
        EXPECT_EQ(a[k].facility_kind, b[k].facility_kind);
        EXPECT_EQ(a[k].facility_location, b[k].facility_location);
        EXPECT_EQ(a[k].mode, b[k].mode);
        EXPECT_EQ(a[k].travel_s, b[k].travel_s);
        EXPECT_DOUBLE_EQ(a[k].length_m, b[k].length_m);
        EXPECT_EQ(a[k].geometry, b[k].geometry);
        EXPECT_EQ(a[k].designation_unknown, b[k].designation_unknown);
        EXPECT_EQ(a[k].approximate, b[k].approximate);
    }
    EXPECT_EQ(plan_to_json(back), text);

    // A plan.json written before the field existed still reads, with no destinations.
    const auto key = text.find("\"destinations_by_hazard\"");
    ASSERT_NE(key, std::string::npos);
    const auto close = text.find("\n      ]", key); // end of the array at the child's indent
    ASSERT_NE(close, std::string::npos);
    std::string old_text = text.substr(0, key) + text.substr(close + 9);
    // Drop the comma left after "reasons".
    const auto comma = old_text.rfind(',', key);
    old_text.erase(comma, 1);
    const auto old_plan = plan_from_json(old_text, "old-plan.json");
    ASSERT_EQ(old_plan.children.size(), 1u);
    EXPECT_TRUE(old_plan.children[0].destinations_by_hazard.empty());
}

} // namespace
} // namespace sonae::planner
