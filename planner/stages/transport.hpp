#pragma once
/// Stage 3, transport: how each child travels. A stretcher, or no household car and helper
/// to drive it, means a scheduled vehicle, unless the nearest welfare shelter or hospital is
/// within walking distance (straight line x circuity <= walk_max_m) and the child walks with a
/// helper or is carried or pushed by two; a household car and a helper mean the family drives.

#include "planner/plan.hpp"
#include "planner/stages/context.hpp"

#include <string>
#include <vector>

namespace sonae::planner::stages {

/// One child's way of travelling.
struct TransportChoice {
    TransportKind kind = TransportKind::none;
    std::string mode;               ///< travel profile: options.car_mode, walk_mode or wheelchair_mode
    std::vector<std::string> notes; ///< why a vehicle carries the child (Japanese, for the plan's reasons)
};

/// The transport of every child of ctx.children, in the same order.
std::vector<TransportChoice> choose_transport(const PlanContext& ctx);

} // namespace sonae::planner::stages
