#include "report/map_background.hpp"

namespace sonae::report {

MapBackground load_map_background(const planner::ScenarioManifest& manifest, const std::optional<geo::LonLatBox>& box) {
    MapBackground out;
    if (manifest.network) out.lines = geo::load_background_lines(*manifest.network, manifest.network_layer, box);
    // The manifest's hazard tables as the planner reads them (planner.cpp, load_scenario).
    std::vector<geo::HazardLayerSpec> specs;
    for (const auto& h : manifest.hazards) {
        geo::HazardLayerSpec spec;
        spec.path = h.path;
        spec.layer = h.layer;
        spec.kind = geo::hazard_kind_from_string(h.kind);
        spec.onset_min = h.onset_min;
        spec.onset_field = h.onset_field;
        spec.id_field = h.id_field;
        spec.depth_field = h.depth_field;
        spec.depth_rank_field = h.rank_field;
        spec.zone_field = h.zone_field;
        specs.push_back(std::move(spec));
    }
    if (!specs.empty()) out.hazards = geo::load_hazards(specs);
    return out;
}

} // namespace sonae::report
