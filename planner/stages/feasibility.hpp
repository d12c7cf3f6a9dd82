#pragma once
/// Stage 9, feasibility: each child's margin (deadline - arrival) and status: cannot_serve
/// without a facility, without an arrival, or arriving after the deadline; at_risk with a
/// margin under the scenario's threshold; else on_time. A child whose home lies in a hazard
/// area is told when the hazard arrives there.

#include "planner/plan.hpp"
#include "planner/stages/context.hpp"
#include "planner/stages/needs.hpp"

#include <vector>

namespace sonae::planner::stages {

/// The child plans given (ctx.children order) with status, margin and reasons.
std::vector<ChildPlan> judge_feasibility(const PlanContext& ctx, const std::vector<ChildNeed>& needs,
                                         std::vector<ChildPlan> plans);

} // namespace sonae::planner::stages
