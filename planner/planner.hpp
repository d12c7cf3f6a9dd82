#pragma once
/// The planner: from a scenario (road network, hazards, registry, facilities, vehicles) to a
/// Plan a coordinator can act on (issue 4). Flow:
///   load_scenario(manifest) -> LoadedScenario -> make_plan(scenario) -> Plan -> writers.
///
/// Model, in order (each step documented where it is computed in planner.cpp):
///  1. Needs per child from the care/power model (planner/power_model.hpp).
///  2. Transport: stretcher or no household car -> a scheduled vehicle (unless the nearest
///     compatible facility is within walking distance and the child walks/is carried/pushed);
///     household car and a helper -> the family drives.
///  3. Time limits: earliest departure = decision + packing/loading by mobility (DOMAIN.md
///     section 4); latest safe arrival = min(hazard reaching the home, mains loss + power
///     deadline); facilities open after their opening delay.
///  4. Travel times: earliest-arrival trees per child with hazard closures active at the time
///     each edge would be used (geo/routing.hpp), shallow water slowing travel.
///  5. Destination: min-cost flow over compatible (child, facility) pairs (planner/assignment.hpp)
///     with cost = arrival time + lateness penalty; compatible = capacity, power, nurse/carer,
///     accepts the device, designated safe from this hazard and not inside its area.
///  6. Routes: the primary, and an alternate avoiding the primary's edges where possible.
///  7. Vehicle tours (planner/vrp.hpp) for children who need transport.
///  8. Shelter needs and shortages; feasibility with reasons; a summary.
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

/// Everything a scenario names, loaded and checked.
struct LoadedScenario {
    ScenarioManifest manifest;
    std::optional<geo::RoadNetwork> network; ///< nullopt: straight-line mode (approximate)
    geo::Hazards hazards;
    DeviceCatalogue catalogue;
    Registry registry;
    std::vector<Facility> facilities;        ///< merged, sorted by id
    std::vector<Vehicle> vehicles;           ///< sorted by id
    Diagnostics diagnostics;                 ///< warnings from all loaders
};

/// Progress callback: a stage name and the fraction done (0..1).
using Progress = std::function<void(std::string_view stage, double fraction)>;

/// Loads a scenario manifest and all its files. Throws InputError listing every error found
/// (registry rows with errors, facilities, vehicles), with file, line, field and value;
/// warnings are returned in `diagnostics`.
LoadedScenario load_scenario(const std::filesystem::path& manifest_or_dir,
                             const Progress& progress = {});

/// Makes the plan. Infeasibility is a result (children marked cannot_serve with reasons), not
/// an error. Throws InputError when the scenario is inconsistent (a child in a municipality
/// without any facility, a facility of the facilities table outside the road network).
Plan make_plan(const LoadedScenario& scenario, const Progress& progress = {});

/// Packing and loading time by mobility, seconds (DOMAIN.md section 4; est. where noted).
std::int64_t packing_s(Mobility mobility);

} // namespace sonae::planner
