#include "planner/stages/needs.hpp"

#include "planner/planner.hpp"

#include <algorithm>
#include <cmath>

namespace sonae::planner {

std::int64_t packing_s(Mobility mobility) {
    // DOMAIN.md section 4: luggage is the main barrier (Hirosaki); carrying a child out and
    // loading devices took about 20 minutes in Katori; two people were needed to lift a buggy
    // over steps (hinanping). The exact values are estimates to be replaced by drill records.
    switch (mobility) {
    case Mobility::walks: return 15 * 60;
    case Mobility::carried: return 20 * 60;
    case Mobility::wheelchair: return 30 * 60;
    case Mobility::stretcher: return 40 * 60;
    }
    return 30 * 60;
}

} // namespace sonae::planner

namespace sonae::planner::stages {

std::vector<ChildNeed> assess_needs(const PlanContext& ctx) {
    ctx.report("care and power needs", 0.05);
    const auto& sc = ctx.scenario;
    const auto& opt = ctx.options;
    const auto& children = ctx.children;
    const std::size_t n = children.size();
    PowerOptions power_options;
    power_options.horizon_h = static_cast<double>(sc.manifest.horizon_h);
    std::vector<ChildNeed> work(n);
    for (std::size_t i = 0; i < n; ++i) {
        auto& w = work[i];
        w.needs = assess_child(children[i], sc.catalogue, power_options);
        w.earliest_departure_s = static_cast<std::int64_t>(std::llround(opt.decision_min * 60)) +
                                 packing_s(children[i].mobility);
        std::int64_t deadline = ctx.horizon_s;
        if (w.needs.deadline_s) {
            deadline = std::min(deadline, ctx.mains_lost_s + *w.needs.deadline_s);
        }
        if (!sc.hazards.empty()) {
            if (const auto h = sc.hazards.hazard_at(children[i].home); h && h->onset_ms != geo::never_ms) {
                w.hazard_at_home_s = h->onset_ms / 1000;
                w.hazard_at_home_kind = std::string(geo::to_string(h->kind));
                deadline = std::min(deadline, w.hazard_at_home_s);
            }
        }
        w.deadline_s = deadline;
    }
    return work;
}

} // namespace sonae::planner::stages
