#pragma once
/// The drill as recorded, replayed in sonae-view beside the plan (issue 21): a trace
/// (sim/TRACE_FORMAT.md) in which each participating child has
///  - its home, whose state follows the recorded steps (waiting, packing, carrying out,
///    loading, travelling, arrived, powered) and whose battery margin is the recorded battery %
///    of the devices' own batteries (plan's device_battery_h), until on shelter power;
///  - "<id> 実績", a family-car entity moving along the planned route between the recorded
///    departure and arrival (then at the destination);
///  - "<id> 計画", a vehicle entity (the ghost) moving along the same route at the plan's
///    departure and arrival times,
/// on one clock (t = 0 is the alert; the epoch is the drill's date and start time when known),
/// with the scenario's hazard areas and the destinations, and the optional DRIL section that
/// pairs each child's recorded move with its ghost and carries their step times (sonae-view
/// draws the gap per child and lists the largest delays from it). Events: at t = 0 the largest
/// delays (recorded arrival minus planned, largest first), and at each recorded arrival the gap to
/// the plan. Routes without geometry (straight-line mode) are drawn home -> destination.

#include "planner/planner.hpp"
#include "sim/drill.hpp"
#include "sim/trace.hpp"

namespace sonae::sim {

/// Builds the trace of a reviewed drill. `scenario` gives the hazards and roads.
TraceWriter drill_trace(const planner::LoadedScenario& scenario, const planner::Plan& plan,
                        const DrillReview& review);

/// The participants by delay at arrival (recorded - planned, minutes), largest first; children
/// without both figures are left out.
std::vector<std::pair<std::string, double>> arrival_delays(const DrillReview& review);

} // namespace sonae::sim
