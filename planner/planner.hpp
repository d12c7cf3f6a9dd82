#pragma once
/// The planner: from a scenario (road network, hazards, registry, facilities, vehicles) to a
/// Plan a coordinator can act on (issue 4). Flow:
///   load_scenario(manifest) -> LoadedScenario -> make_plan(scenario) -> Plan -> writers.
///
/// make_plan (planner.cpp) is a pipeline of stages, each in its own file under planner/stages/
/// with a typed result; each stage's rules are documented in its header:
///   context        PlanContext: the scenario, children, facilities sorted by id, limits
///   needs          1. per child: care and power needs (planner/power_model.hpp), the timing
///                     model (planner/timing.hpp, issue 17): preparation (data/timing.toml),
///                     leave_by (hazard reaching the home), arrive_by (mains loss + power
///                     deadline), and whether the child stays home (在宅避難)
///   access         2. the network per travel mode (closures, slow water, snapping) and where
///                     each facility joins it; A* potentials toward facilities
///   transport      3. vehicle, family car (a driver, and a carer for a ventilator/CPAP child)
///                     or on foot (walk_max_m by road), and the travel mode
///   compatibility     which facility may take which child (designation, hazard area,
///                     ventilator, oxygen, power, nurse/carer)
///   candidates     4. per child, the nearest compatible facilities by time-dependent search
///   assignment     5. min-cost flow over the candidates (planner/assignment.hpp), cost =
///                     arrival + lateness penalty; extension rounds for children left out
///   fallback       6. a hospital or powered facility for a child without a place
///   child_plans       each child's plan: destination and arrival, or why not
///   vehicle_tours  7. tours for the children a vehicle carries (planner/vrp.hpp)
///   routes         8. the primary route and an alternate avoiding its roads
///   feasibility    9. latest safe departure (time-dependent network), on-power time, margin
///                     from the two deadlines, status and outcome with reasons, alert level
///   shelter_needs 10. per facility: power, fuel, outlets, staff, consumables, shortages
///   plan_assembly     header, summary, sorted tours and warnings
/// Beside the assignment, the standing-plan destinations per hazard type (the guidebook's,
/// planner/hazard_destinations.hpp) are searched on their own thread.
/// Deterministic: children and facilities are sorted by id before anything else.

#include "core/error.hpp"
#include "geo/hazard.hpp"
#include "geo/road_network.hpp"
#include "planner/device_catalogue.hpp"
#include "planner/facility.hpp"
#include "planner/plan.hpp"
#include "planner/registry.hpp"
#include "planner/scenario.hpp"
#include "planner/vehicle.hpp"

#include <functional>
#include <optional>
#include <string_view>
#include <vector>

namespace sonae::planner {

/// Makes the plan. Infeasibility is a result (children marked cannot_serve with reasons), not
/// an error. Throws InputError when the scenario is inconsistent (a child in a municipality
/// without any facility, a facility of the facilities table outside the road network).
Plan make_plan(const LoadedScenario& scenario, const Progress& progress = {});

/// Base packing time by mobility, seconds (data/timing.toml [packing]); a child's whole
/// preparation is planner/timing.hpp's preparation().
std::int64_t packing_s(Mobility mobility);

} // namespace sonae::planner
