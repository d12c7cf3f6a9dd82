#pragma once
/// Stage 1, needs: per child, what the care and power model asks for (planner/power_model.hpp)
/// and the timing model (planner/timing.hpp, issue 17): the preparation (decision + packing by
/// mobility, devices, cylinders, helpers, stairs, night; a drill-recorded packing time wins),
/// the two deadlines (leave_by: the hazard reaches the home; arrive_by: mains lost + the power
/// deadline), and whether the child can stay home (在宅避難): the home is outside every hazard
/// area of the scenario and no power deadline falls within the horizon.

#include "planner/power_model.hpp"
#include "planner/stages/context.hpp"
#include "planner/timing.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace sonae::planner::stages {

/// One child's needs and time limits, seconds after t0.
struct ChildNeed {
    ChildNeeds needs;
    Preparation preparation;               ///< decision, packing, stairs (planner/timing.hpp)
    std::int64_t earliest_departure_s = 0; ///< preparation.total_s()
    Deadlines deadlines;                   ///< leave_by, arrive_by (-1 = none within the horizon)
    /// Latest arrival at the facility's door for the child to be on power by arrive_by:
    /// arrive_by - transfer - connection for a child with devices or oxygen to connect; the
    /// horizon when no arrive_by. The assignment's and the vehicles' arrival deadline.
    std::int64_t deadline_s = 0;
    bool connects = false; ///< devices or oxygen to connect at the destination
    bool stays = false;    ///< shelter in place (在宅避難), not sent anywhere
    std::vector<std::string> stay_conditions; ///< why the child may stay, and until when (Japanese)
    std::int64_t hazard_at_home_s = -1;       ///< when the hazard reaches the home, -1 never
    std::string hazard_at_home_kind;          ///< flood, tsunami, ... of the area covering the home
};

/// The needs of every child of ctx.children, in the same order.
std::vector<ChildNeed> assess_needs(const PlanContext& ctx);

} // namespace sonae::planner::stages
