// Stages 9 and 10 of the planner (planner/stages/feasibility.hpp, shelter_needs.hpp): status
// and margin from arrival and deadline, with the reasons' arithmetic; a shelter's needs and
// shortages from the children assigned to it.

#include "planner/stages/feasibility.hpp"
#include "planner/stages/shelter_needs.hpp"
#include "tests/unit/planner/stages/stage_fixtures.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace sonae;
using namespace sonae::planner;
using namespace sonae::planner::stages;
using test::at;

namespace {

ChildPlan travelling(const std::string& id, std::int64_t deadline_s, std::int64_t arrival_s) {
    ChildPlan cp;
    cp.child_id = id;
    cp.facility_id = "X";
    cp.transport = TransportKind::family_car;
    cp.deadline_s = deadline_s;
    cp.arrival_s = arrival_s;
    return cp;
}

bool has_reason(const ChildPlan& cp, const std::string& text) {
    return std::any_of(cp.reasons.begin(), cp.reasons.end(),
                       [&](const std::string& r) { return r.find(text) != std::string::npos; });
}

const Shortage* shortage(const FacilityPlan& fp, const std::string& what) {
    for (const auto& s : fp.shortages) {
        if (s.item == what) return &s;
    }
    return nullptr;
}

} // namespace

TEST(FeasibilityStage, TheMarginAgainstTheDeadlineGivesTheStatus) {
    const auto t = test::ascii_network("A---B", {.grid_m = 100});
    auto s = test::stage_scenario(t); // at-risk threshold: the default 30 min = 1,800 s
    s.registry = Registry({test::family_child("C1", at(t, 'A')), test::family_child("C2", at(t, 'A')),
                           test::family_child("C3", at(t, 'A')), test::family_child("C4", at(t, 'A'))});
    const auto ctx = make_context(s, {});
    ASSERT_EQ(ctx.at_risk_threshold_s, 1800);
    std::vector<ChildNeed> needs(4);
    needs[2].hazard_at_home_s = 5400;
    needs[2].hazard_at_home_kind = "flood";
    std::vector<ChildPlan> plans{travelling("C1", 3600, 4000), travelling("C2", 3600, 3000),
                                 travelling("C3", 3600, 1000), ChildPlan{}};
    plans[2].primary = PlannedRoute{};
    plans[2].primary->travel_s = 500;
    plans[3].child_id = "C4";
    plans[3].transport = TransportKind::vehicle;
    plans[3].arrival_s = -1; // no facility: cannot be served
    const auto out = judge_feasibility(ctx, needs, std::move(plans));
    // C1: 3,600 - 4,000 = -400 s: late by 6 min 40 s, printed as whole minutes.
    EXPECT_EQ(out[0].status, Feasibility::cannot_serve);
    EXPECT_EQ(out[0].margin_s, -400);
    EXPECT_TRUE(has_reason(out[0], "期限までに到着できない: 0時間6分遅れ"));
    // C2: 3,600 - 3,000 = 600 s (10 min), under the 1,800 s threshold.
    EXPECT_EQ(out[1].status, Feasibility::at_risk);
    EXPECT_TRUE(has_reason(out[1], "余裕が0時間10分しかない"));
    // C3: 3,600 - 1,000 = 2,600 s: on time; latest departure 3,600 - 500 s of travel = 3,100.
    EXPECT_EQ(out[2].status, Feasibility::on_time);
    EXPECT_EQ(out[2].margin_s, 2600);
    EXPECT_EQ(out[2].latest_departure_s, 3100);
    // The flood reaches C3's home at 5,400 s = 1 h 30 min.
    EXPECT_TRUE(has_reason(out[2], "自宅は洪水の想定区域内: 1時間30分後までに出発"));
    EXPECT_EQ(out[3].status, Feasibility::cannot_serve);
    EXPECT_EQ(out[3].transport, TransportKind::none);
    EXPECT_EQ(out[3].margin_s, 0);
}

TEST(ShelterNeedsStage, NeedsAddUpAndShortagesCompareWithWhatTheShelterHas) {
    const auto t = test::ascii_network("A---B---C", {.grid_m = 100});
    auto s = test::stage_scenario(t);
    // X: 2 places, 100 W generator for 24 h, 1 outlet, 1 nurse, no carer. Y receives nobody.
    auto x = test::powered_shelter("X", at(t, 'B'), 0.1);
    x.capacity_persons = 2;
    x.generator_fuel_h = 24;
    x.outlets = 1;
    x.nurses = 1;
    x.carers = 0;
    s.facilities = {x, test::powered_shelter("Y", at(t, 'C'))};
    s.registry = Registry({test::ventilated_child("V1", at(t, 'A')), test::ventilated_child("V2", at(t, 'A')),
                           test::ventilated_child("V3", at(t, 'A')), test::ventilated_child("V4", at(t, 'A')),
                           test::family_child("P", at(t, 'A'))});
    const auto ctx = make_context(s, {});
    const auto needs = assess_needs(ctx);
    Assignment a;
    a.flow.supply_of.assign(ctx.children.size(), SupplyIndex(static_cast<std::uint32_t>(test::facility_index(ctx, "X"))));
    a.flow.supply_of[test::child_index(ctx, "P")].reset(); // P has no place
    const auto plans = shelter_needs(ctx, needs, a);
    ASSERT_EQ(plans.size(), 1u); // Y receives nobody: not listed
    const auto& fp = plans[0];
    EXPECT_EQ(fp.facility_id, "X");
    EXPECT_EQ(fp.assigned, 4);
    const auto& vent = needs[test::child_index(ctx, "V1")].needs;
    // Four ventilators: 4 x 60 W = 0.24 kW peak, one outlet each, each with its external
    // battery to precharge; a nurse per 3 children: ceil(4 / 3) = 2 nurses.
    EXPECT_NEAR(fp.peak_kw, 4 * vent.load_peak_w / 1000.0, 1e-9);
    EXPECT_NEAR(fp.peak_kw, 0.24, 1e-9);
    EXPECT_EQ(fp.outlets_needed, 4);
    EXPECT_EQ(fp.batteries_to_precharge, 4);
    EXPECT_EQ(fp.nurses_needed, 2);
    EXPECT_EQ(fp.carers_needed, 0);
    // Fuel: the generator's 24 h x 0.1 kW x 0.6 L/kWh = 1.44 L in stock; needed: the energy
    // over the horizon x 0.6 L/kWh.
    EXPECT_NEAR(fp.fuel_l, 1.44, 1e-9);
    EXPECT_NEAR(fp.fuel_needed_l, fp.energy_kwh * 0.6, 1e-9);
    EXPECT_NEAR(fp.energy_kwh, 4 * vent.energy_horizon_wh / 1000.0, 1e-9);
    ASSERT_NE(shortage(fp, "places"), nullptr);
    EXPECT_EQ(shortage(fp, "places")->needed, 4);
    EXPECT_EQ(shortage(fp, "places")->available, 2);
    ASSERT_NE(shortage(fp, "power_kw"), nullptr);
    EXPECT_NE(shortage(fp, "fuel_l"), nullptr);
    ASSERT_NE(shortage(fp, "outlets"), nullptr);
    EXPECT_EQ(shortage(fp, "outlets")->needed, 4);
    ASSERT_NE(shortage(fp, "nurses"), nullptr);
    EXPECT_EQ(shortage(fp, "nurses")->needed, 2);
    EXPECT_EQ(shortage(fp, "nurses")->available, 1);
    ASSERT_NE(shortage(fp, "nurses_and_carers"), nullptr);
    // Consumables for 72 h add up over the children (here the ventilator's HME, 3 days each).
    ASSERT_FALSE(vent.consumables.empty());
    const auto& first = vent.consumables.front();
    const auto it = std::find_if(fp.consumables_72h.begin(), fp.consumables_72h.end(), [&](const auto& c) {
        return c.first == first.name + " (" + first.unit + ")";
    });
    ASSERT_NE(it, fp.consumables_72h.end());
    EXPECT_NEAR(it->second, 4 * first.day3, 1e-9);
}
