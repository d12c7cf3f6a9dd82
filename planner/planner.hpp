#pragma once
/// The planner: from a scenario (road network, hazards, registry, facilities, vehicles) to a
/// Plan a coordinator can act on (issue 4). Flow:
///   load_scenario(manifest) -> LoadedScenario -> make_plan(scenario) -> Plan -> writers.
///
/// make_plan (planner.cpp) is a pipeline of stages, each in its own file under planner/stages/
/// with a typed result; each stage's rules are documented in its header:
///   context        PlanContext: the scenario, children, facilities sorted by id, limits
///   needs          1. per child: care and power needs (planner/power_model.hpp), earliest
///                     departure (decision + packing by mobility, DOMAIN.md section 4), latest
///                     safe arrival (hazard reaching the home, mains loss + power deadline)
///   access         2. the network per travel mode (closures, slow water, snapping) and where
///                     each facility joins it; A* potentials toward facilities
///   transport      3. vehicle, family car or on foot, and the travel mode
///   compatibility     which facility may take which child (designation, hazard area,
///                     ventilator, oxygen, power, nurse/carer)
///   candidates     4. per child, the nearest compatible facilities by time-dependent search
///   assignment     5. min-cost flow over the candidates (planner/assignment.hpp), cost =
///                     arrival + lateness penalty; extension rounds for children left out
///   fallback       6. a hospital or powered facility for a child without a place
///   child_plans       each child's plan: destination and arrival, or why not
///   vehicle_tours  7. tours for the children a vehicle carries (planner/vrp.hpp)
///   routes         8. the primary route and an alternate avoiding its roads
///   feasibility    9. margin and status (on time, at risk, cannot serve) with reasons
///   shelter_needs 10. per facility: power, fuel, outlets, staff, consumables, shortages
///   plan_assembly     header, summary, sorted tours and warnings
/// Beside the assignment, the standing-plan destinations per hazard type (the guidebook's,
/// planner/hazard_destinations.hpp) are searched on their own thread.
/// Deterministic: children and facilities are sorted by id before anything else.

#include "geo/error.hpp"
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

/// Packing and loading time by mobility, seconds (DOMAIN.md section 4; est. where noted).
std::int64_t packing_s(Mobility mobility);

} // namespace sonae::planner
