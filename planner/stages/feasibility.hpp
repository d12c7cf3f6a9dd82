#pragma once
/// Stage 9, feasibility (issue 17, DOMAIN.md section 7): per child who travels,
///  - the latest safe departure (planner/safe_departure.hpp): the latest moment a route exists
///    that never uses a closed road and reaches the facility in time to be on power by
///    arrive_by, never after leave_by; in the child's mode, by car for a vehicle; -1 when no
///    deadline binds within the horizon;
///  - the moment on power: from boarding a vehicle whose outlet covers the essential load,
///    else at the facility once open, after transfer and connection (data/timing.toml);
///  - margin = min(leave_by - departure, latest safe departure - departure, arrive_by - on
///    power) and the deadline that gives it; status cannot_serve (negative), at_risk (under
///    the threshold) or on_time, with reasons naming the real cause;
///  - the alert to set off at: level 3, or could wait for the manifest's level 4; a tsunami
///    has no level 3 (at once).
/// A child who stays home (needs stage) is on time with outcome shelter_in_place.

#include "planner/plan.hpp"
#include "planner/stages/access.hpp"
#include "planner/stages/context.hpp"
#include "planner/stages/needs.hpp"
#include "planner/stages/transport.hpp"

#include <vector>

namespace sonae::planner::stages {

/// The child plans given (ctx.children order) with the timing, status, outcome and reasons.
/// `potential`: the candidates' A* potential (a lower bound to every assigned facility).
std::vector<ChildPlan> judge_feasibility(const PlanContext& ctx, const NetworkAccess& access,
                                         const std::vector<ChildNeed>& needs,
                                         const std::vector<TransportChoice>& transport,
                                         const Potentials& potential, std::vector<ChildPlan> plans);

} // namespace sonae::planner::stages
