#include "report/map_background.hpp"

namespace sonae::report {

MapBackground load_map_background(const planner::ScenarioManifest& manifest,
                                  const std::optional<geo::LonLatBox>& box) {
    MapBackground out;
    if (manifest.network)
        out.lines = geo::load_background_lines(*manifest.network, manifest.network_layer, box);
    const auto specs = planner::hazard_layer_specs(manifest);
    if (!specs.empty()) out.hazards = geo::load_hazards(specs);
    return out;
}

} // namespace sonae::report
