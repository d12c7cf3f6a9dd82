#pragma once
/// What every stage of the planner reads (planner/planner.cpp composes the stages; the list is
/// in planner/planner.hpp): the scenario, its children, its facilities in id order, the
/// hazard, the clock limits, the worker count and the progress callback. Built once, read by
/// every stage, never changed after.

#include "planner/facility.hpp"
#include "planner/registry.hpp"
#include "planner/scenario.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sonae::planner::stages {

/// The plan's inputs as every stage sees them.
struct PlanContext {
    const LoadedScenario& scenario;
    const PlanOptions& options;           ///< scenario.manifest.options
    std::span<const Child> children;      ///< the registry's children, sorted by id
    std::vector<Facility> facilities;     ///< sorted by id: the plan must not depend on row order
    std::optional<Hazard> hazard;         ///< the scenario's hazard; nullopt for a drill
    std::int64_t mains_lost_s = 0;        ///< power cut assumed from this time after t0
    std::int64_t horizon_s = 0;           ///< the planning horizon
    std::int64_t at_risk_threshold_s = 0; ///< a margin under this is at risk
    unsigned threads = 1;                 ///< workers for the per-child searches (>= 1)
    Progress progress;                    ///< may be empty

    /// Reports progress if a callback was given: a stage name and the fraction done (0..1).
    void report(std::string_view stage, double fraction) const {
        if (progress) progress(stage, fraction);
    }
};

/// The context of `scenario`: facilities sorted by id, limits in seconds, threads resolved
/// (options.threads, 0 = one per core).
PlanContext make_context(const LoadedScenario& scenario, const Progress& progress);

/// Throws InputError (naming the manifest and the municipality codes) when children live in a
/// municipality that has no facility while the facilities do carry municipality codes.
void check_municipalities(const PlanContext& ctx);

/// `parts` joined by `sep`.
std::string join(const std::vector<std::string>& parts, const std::string& sep);

} // namespace sonae::planner::stages
