#pragma once
/// Stage 8, routes: for each child who travels to a facility, the primary route at the
/// planned departure (time-dependent: closures and slow water as the child meets them) and an
/// alternate avoiding the primary's roads (they cost five times as much), kept when it shares
/// under 70 % of the primary's length. A child who does not ride a vehicle arrives after the
/// primary's travel time (or when the facility opens). Straight-line mode: one straight leg.

#include "planner/plan.hpp"
#include "planner/stages/access.hpp"
#include "planner/stages/assignment.hpp"
#include "planner/stages/context.hpp"
#include "planner/stages/transport.hpp"

#include <vector>

namespace sonae::planner::stages {

/// The child plans given (ctx.children order) with routes; `potential` is the candidates'
/// A* potential (a lower bound to every assigned facility).
std::vector<ChildPlan> plan_routes(const PlanContext& ctx, const NetworkAccess& access,
                                   const std::vector<TransportChoice>& transport,
                                   const Assignment& assignment, const Potentials& potential,
                                   std::vector<ChildPlan> plans);

} // namespace sonae::planner::stages
