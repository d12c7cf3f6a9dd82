#pragma once
/// Plan assembly, first part: each child's plan from the stages before: who the child is, the
/// power picture, transport, time limits, the assigned facility and arrival (waiting for it to
/// open), or, without a place, why not (how many facilities each reason ruled out) and the
/// fallback. Vehicle tours, routes and feasibility refine these plans afterwards.

#include "planner/plan.hpp"
#include "planner/stages/access.hpp"
#include "planner/stages/assignment.hpp"
#include "planner/stages/compatibility.hpp"
#include "planner/stages/context.hpp"
#include "planner/stages/needs.hpp"
#include "planner/stages/transport.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace sonae::planner::stages {

/// The child plans, ctx.children order.
std::vector<ChildPlan> child_plans(const PlanContext& ctx, const NetworkAccess& access,
                                   const std::vector<ChildNeed>& needs,
                                   const std::vector<TransportChoice>& transport,
                                   const Compatibility& compatibility, const Assignment& assignment,
                                   const std::vector<std::optional<std::size_t>>& fallback);

} // namespace sonae::planner::stages
