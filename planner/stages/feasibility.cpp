#include "planner/stages/feasibility.hpp"

#include <string>

namespace sonae::planner::stages {

namespace {

std::string hazard_label(const std::string& kind) {
    if (kind == "flood") return "洪水";
    if (kind == "tsunami") return "津波";
    if (kind == "landslide") return "土砂災害";
    if (kind == "storm_surge") return "高潮";
    return kind;
}

} // namespace

std::vector<ChildPlan> judge_feasibility(const PlanContext& ctx, const std::vector<ChildNeed>& needs,
                                         std::vector<ChildPlan> plans) {
    ctx.report("feasibility", 0.85);
    for (std::size_t i = 0; i < plans.size(); ++i) {
        auto& cp = plans[i];
        if (cp.facility_id.empty() || cp.arrival_s < 0) {
            cp.status = Feasibility::cannot_serve;
            cp.transport = cp.facility_id.empty() ? TransportKind::none : cp.transport;
            cp.margin_s = 0;
            continue;
        }
        cp.margin_s = cp.deadline_s - cp.arrival_s;
        if (cp.primary) cp.latest_departure_s = cp.deadline_s - cp.primary->travel_s;
        if (cp.margin_s < 0) {
            cp.status = Feasibility::cannot_serve;
            cp.reasons.push_back("期限までに到着できない: " + minutes_text(-cp.margin_s) + "遅れ (arrives after the deadline)");
        } else if (cp.margin_s < ctx.at_risk_threshold_s) {
            cp.status = Feasibility::at_risk;
            cp.reasons.push_back("余裕が" + minutes_text(cp.margin_s) + "しかない (margin under the threshold)");
        } else {
            cp.status = Feasibility::on_time;
        }
        if (needs[i].hazard_at_home_s >= 0) {
            cp.reasons.push_back("自宅は" + hazard_label(needs[i].hazard_at_home_kind) + "の想定区域内: " +
                                 minutes_text(needs[i].hazard_at_home_s) + "後までに出発");
        }
    }
    return plans;
}

} // namespace sonae::planner::stages
