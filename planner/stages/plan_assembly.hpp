#pragma once
/// Plan assembly, last part: the plan's header (scenario, hazard, horizon, straight-line
/// note), the child and facility plans, the tours sorted by vehicle, the warnings (the
/// stages' and the loaders') sorted, and the summary (counts by status, margin quantiles,
/// facilities used and short).

#include "planner/plan.hpp"
#include "planner/stages/context.hpp"

#include <string>
#include <vector>

namespace sonae::planner::stages {

/// The plan. Throws InternalError if a child that is not on time has no reason.
Plan assemble_plan(const PlanContext& ctx, std::vector<ChildPlan> children,
                   std::vector<FacilityPlan> facilities, std::vector<VehicleTour> tours,
                   std::vector<std::string> warnings);

} // namespace sonae::planner::stages
