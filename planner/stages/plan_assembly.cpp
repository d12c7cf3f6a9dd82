#include "planner/stages/plan_assembly.hpp"

#include "core/error.hpp"
#include "core/stats.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

namespace sonae::planner::stages {

Plan assemble_plan(const PlanContext& ctx, std::vector<ChildPlan> children,
                   std::vector<FacilityPlan> facilities, std::vector<VehicleTour> tours,
                   std::vector<std::string> warnings) {
    const auto& sc = ctx.scenario;
    const auto& m = sc.manifest;
    const auto& opt = ctx.options;
    Plan plan;
    plan.scenario_name = m.name;
    plan.scenario_title = m.title;
    plan.hazard_kind = m.hazard_kind;
    plan.t0_label = m.timeline.t0_label;
    // With a clock time (manifest t0_clock) the label starts with it, so that the outputs
    // print clock times (report/detail/labels.hpp reads a leading ISO date and time).
    if (m.timeline.t0_clock && (plan.t0_label.size() < 16 || plan.t0_label[10] != 'T')) {
        plan.t0_label =
            m.timeline.t0_clock->text + (plan.t0_label.empty() ? "" : " " + plan.t0_label);
    }
    plan.seed = m.seed;
    plan.horizon_h = m.horizon_h;
    plan.at_risk_threshold_s = ctx.at_risk_threshold_s;
    plan.network_source = m.network ? m.network->filename().string() : "";
    plan.approximate = !sc.network.has_value();
    if (plan.approximate) {
        std::ostringstream note;
        note << "道路網なし: 直線距離×" << opt.straight_line_circuity << "、時速"
             << opt.straight_line_speed_kmh
             << "kmの概算 (straight-line mode: distance x circuity factor; approximate)";
        plan.approximation_note = note.str();
    }
    plan.children = std::move(children);
    plan.facilities = std::move(facilities);
    plan.tours = std::move(tours);
    plan.warnings = std::move(warnings);

    // Summary.
    std::vector<double> margins;
    for (const auto& cp : plan.children) {
        plan.summary.children++;
        if (cp.status == Feasibility::on_time) plan.summary.on_time++;
        if (cp.status == Feasibility::at_risk) plan.summary.at_risk++;
        if (cp.status == Feasibility::cannot_serve) plan.summary.cannot_serve++;
        if (cp.outcome == Outcome::shelter_in_place) plan.summary.shelter_in_place++;
        if (cp.arrival_s >= 0 && !cp.facility_id.empty())
            margins.push_back(static_cast<double>(cp.margin_s) / 60.0);
        if (cp.reasons.empty() && cp.status != Feasibility::on_time) {
            throw InternalError("child " + cp.child_id + " is not on time but has no reason");
        }
    }
    plan.summary.margin_min_p5 = core::quantile(margins, 0.05);
    plan.summary.margin_min_p50 = core::quantile(margins, 0.5);
    plan.summary.margin_min_p95 = core::quantile(margins, 0.95);
    // Facilities children arrive at (one only a child not carried names is listed, with
    // nobody: not counted, as in the council report).
    for (const auto& f : plan.facilities) {
        plan.summary.facilities_used += f.assigned > 0 ? 1 : 0;
        plan.summary.facilities_short += f.shortages.empty() ? 0 : 1;
    }
    for (auto& w : plan_load_warnings(sc)) plan.warnings.push_back(std::move(w));
    std::sort(plan.warnings.begin(), plan.warnings.end());
    std::sort(plan.tours.begin(), plan.tours.end(),
              [](const auto& a, const auto& b) { return a.vehicle_id < b.vehicle_id; });
    ctx.report("done", 1.0);
    return plan;
}

} // namespace sonae::planner::stages
