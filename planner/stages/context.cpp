#include "planner/stages/context.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <thread>

namespace sonae::planner::stages {

namespace {

std::optional<Hazard> scenario_hazard(const std::string& kind) {
    if (kind == "drill") return std::nullopt;
    return parse_hazard(kind);
}

} // namespace

PlanContext make_context(const LoadedScenario& sc, const Progress& progress) {
    const auto& m = sc.manifest;
    const auto& opt = m.options;
    PlanContext ctx{.scenario = sc, .options = opt, .children = sc.registry.children()};
    // Facilities sorted by id: the plan must not depend on the order of input rows.
    ctx.facilities.assign(sc.facilities.begin(), sc.facilities.end());
    std::sort(ctx.facilities.begin(), ctx.facilities.end(),
              [](const Facility& a, const Facility& b) { return a.id < b.id; });
    ctx.hazard = scenario_hazard(m.hazard_kind);
    ctx.mains_lost_s = static_cast<std::int64_t>(std::llround(m.timeline.mains_lost_min * 60));
    ctx.horizon_s = m.horizon_h * 3600;
    ctx.at_risk_threshold_s =
        static_cast<std::int64_t>(std::llround(opt.at_risk_threshold_min * 60));
    ctx.threads =
        opt.threads != 0 ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
    ctx.progress = progress;
    return ctx;
}

void check_municipalities(const PlanContext& ctx) {
    // Municipalities with children must have at least one facility (issue 4, bad input).
    const auto& facilities = ctx.facilities;
    std::set<std::string> with_facility;
    for (const auto& f : facilities) with_facility.insert(f.municipality_code);
    std::vector<std::string> missing;
    for (const auto& c : ctx.children) {
        if (!c.municipality_code.empty() && !with_facility.count(c.municipality_code) &&
            std::find(missing.begin(), missing.end(), c.municipality_code) == missing.end()) {
            missing.push_back(c.municipality_code);
        }
    }
    if (!missing.empty() && !facilities.empty()) {
        bool any_coded = std::any_of(facilities.begin(), facilities.end(), [](const Facility& f) {
            return !f.municipality_code.empty();
        });
        if (any_coded) {
            throw InputError(
                "children live in municipalities with no facility in the scenario: " +
                    join(missing, ", ") + "; add their shelters or remove them from the registry",
                {.file = ctx.scenario.manifest.manifest_path.string(), .field = "facilities"});
        }
    }
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
    return out;
}

} // namespace sonae::planner::stages
