// Stages 9 and 10 of the planner (planner/stages/feasibility.hpp, shelter_needs.hpp): status
// and margin from the two deadlines (issue 17), with the reasons' arithmetic; a shelter's
// needs and shortages from the children assigned to it.

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

ChildPlan travelling(const std::string& id, std::int64_t departure_s, std::int64_t arrival_s) {
    ChildPlan cp;
    cp.child_id = id;
    cp.facility_id = "X";
    cp.transport = TransportKind::family_car;
    cp.planned_departure_s = departure_s;
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

TEST(FeasibilityStage, TheSmallerSlackOfTheTwoDeadlinesGivesTheStatus) {
    //   A---B    homes at A, the shelter X at B: 400 m = 72 s by car (20 km/h), open from t0.
    const auto t = test::ascii_network("A---B", {.grid_m = 100});
    auto s = test::stage_scenario(t); // at-risk threshold: the default 30 min = 1,800 s
    s.facilities = {test::powered_shelter("X", at(t, 'B'))};
    std::vector<Child> kids;
    for (const char* id : {"C1", "C2", "C3", "C4", "C5"}) kids.push_back(test::family_child(id, at(t, 'A')));
    s.registry = Registry(kids);
    const auto ctx = make_context(s, {});
    ASSERT_EQ(ctx.at_risk_threshold_s, 1800);
    const NetworkAccess access(ctx);
    std::vector<TransportChoice> transport(5, TransportChoice{TransportKind::family_car, "car", {}});
    std::vector<ChildNeed> needs(5);
    for (auto& n : needs) n.deadline_s = ctx.horizon_s;
    // C1: devices to connect (transfer 5 + connection 10 min = 900 s); on power by 3,600 s.
    needs[0].connects = true;
    needs[0].deadlines.arrive_by_s = 3600;
    needs[0].deadline_s = 3600 - 900;
    // C2: the water reaches the home at 2,000 s.
    needs[1].deadlines.leave_by_s = 2000;
    // C3: the flood reaches the home at 5,400 s.
    needs[2].deadlines.leave_by_s = 5400;
    needs[2].hazard_at_home_s = 5400;
    needs[2].hazard_at_home_kind = "flood";
    std::vector<ChildPlan> plans{travelling("C1", 1000, 3000), travelling("C2", 1000, 1072),
                                 travelling("C3", 1000, 1072), ChildPlan{}, travelling("C5", 1000, 1072)};
    plans[3].child_id = "C4";
    plans[3].transport = TransportKind::vehicle;
    plans[3].arrival_s = -1; // no facility: cannot be served
    const auto out = judge_feasibility(ctx, access, needs, transport, {}, std::move(plans));
    // C1: on power at 3,000 + 900 = 3,900 s; 3,600 - 3,900 = -300 s: 5 min late, the
    // battery's deadline. (The latest safe departure: at the door by 3,600 - 900 = 2,700 s,
    // leaving by 2,700 - 72 = 2,628 s.)
    EXPECT_EQ(out[0].on_power_s, 3900);
    EXPECT_EQ(out[0].margin_s, -300);
    EXPECT_EQ(out[0].binding, Binding::arrive_by);
    EXPECT_EQ(out[0].latest_safe_departure_s, 2628);
    EXPECT_EQ(out[0].status, Feasibility::cannot_serve);
    EXPECT_EQ(out[0].outcome, Outcome::cannot_serve);
    EXPECT_TRUE(has_reason(out[0], "バッテリー・酸素が尽きる前に電源に着けない: 0時間5分遅れ"));
    // C2: leaves at 1,000 s, the water comes at 2,000 s: 1,000 s (16 min) under the threshold.
    EXPECT_EQ(out[1].margin_s, 1000);
    EXPECT_EQ(out[1].binding, Binding::leave_by);
    EXPECT_EQ(out[1].latest_safe_departure_s, 2000);
    EXPECT_EQ(out[1].status, Feasibility::at_risk);
    EXPECT_TRUE(has_reason(out[1], "余裕が0時間16分しかない（自宅に危険が及ぶ時刻まで）"));
    // C3: 5,400 - 1,000 = 4,400 s: on time; the flood reaches the home at 1 h 30 min.
    EXPECT_EQ(out[2].status, Feasibility::on_time);
    EXPECT_EQ(out[2].margin_s, 4400);
    EXPECT_EQ(out[2].outcome, Outcome::evacuate);
    EXPECT_TRUE(has_reason(out[2], "自宅は洪水の想定区域内: 1時間30分後までに出発"));
    EXPECT_EQ(out[3].status, Feasibility::cannot_serve);
    EXPECT_EQ(out[3].transport, TransportKind::none);
    EXPECT_EQ(out[3].margin_s, 0);
    // C5: no deadline within the horizon: margin = horizon - on power = 259,200 - 1,072.
    EXPECT_EQ(out[4].binding, Binding::none);
    EXPECT_EQ(out[4].latest_safe_departure_s, -1);
    EXPECT_EQ(out[4].margin_s, 259'200 - 1072);
    EXPECT_EQ(out[4].status, Feasibility::on_time);
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
