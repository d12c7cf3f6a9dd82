#pragma once
/// Stage 1, needs: per child, what the care and power model asks for (planner/power_model.hpp)
/// and the time limits: the earliest departure (decision + packing and loading by mobility,
/// DOMAIN.md section 4) and the latest safe arrival (the earliest of the horizon, mains loss +
/// the power deadline, and the hazard reaching the home).

#include "planner/power_model.hpp"
#include "planner/stages/context.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace sonae::planner::stages {

/// One child's needs and time limits, seconds after t0.
struct ChildNeed {
    ChildNeeds needs;
    std::int64_t earliest_departure_s = 0; ///< decision + packing_s(mobility)
    std::int64_t deadline_s = 0;           ///< latest safe arrival
    std::int64_t hazard_at_home_s = -1;    ///< when the hazard reaches the home, -1 never
    std::string hazard_at_home_kind;       ///< flood, tsunami, ... of the area covering the home
};

/// The needs of every child of ctx.children, in the same order.
std::vector<ChildNeed> assess_needs(const PlanContext& ctx);

} // namespace sonae::planner::stages
