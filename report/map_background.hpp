#pragma once
/// What the guidebook's maps draw under the routes: the scenario's own roads (with their
/// class and name) and waterways, and its hazard areas (kind, depth or zone, onset, name).
/// Loaded once from the scenario manifest the plan was made from (`sonae guidebook
/// --scenario`), through geo/ (GDAL stays there).

#include "geo/hazard.hpp"
#include "geo/map_layers.hpp"
#include "planner/scenario.hpp"

#include <vector>

namespace sonae::report {

/// Roads, waterways and hazard areas of one scenario.
struct MapBackground {
    std::vector<geo::BackgroundLine> lines; ///< empty in straight-line mode (no [network])
    geo::Hazards hazards;                   ///< empty if the scenario has no [[hazards]]
};

/// Reads the manifest's [network] file (roads and waterways within `box`, all if nullopt)
/// and every [[hazards]] layer. Throws InputError as the geo readers do.
MapBackground load_map_background(const planner::ScenarioManifest& manifest,
                                  const std::optional<geo::LonLatBox>& box = std::nullopt);

} // namespace sonae::report
