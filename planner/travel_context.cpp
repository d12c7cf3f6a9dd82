#include "planner/travel_context.hpp"

#include "core/error.hpp"
#include "geo/travel_mode.hpp"

#include <algorithm>
#include <cmath>
#include <future>
#include <optional>

namespace sonae::planner {

TravelContext::TravelContext(const geo::RoadNetwork& network, const geo::Hazards& hazards,
                             const std::vector<std::string>& modes, double max_snap_m,
                             std::shared_ptr<const geo::SegmentIndex> segments)
    : m_network(&network), m_graph(network) {
    if (segments && &segments->network() != &network) {
        throw InternalError("TravelContext: the segment index is of another network");
    }
    // The segment index does not depend on the mode: built once, on a second thread (it
    // reads only the network).
    std::future<std::shared_ptr<const geo::SegmentIndex>> index_task;
    if (!segments) {
        index_task = std::async(std::launch::async, [&network] {
            return std::make_shared<const geo::SegmentIndex>(network);
        });
    }
    // Which areas each edge crosses, once; then each mode's weights and closures on its own
    // core (they read only the network and the overlay).
    std::optional<geo::EdgeHazardOverlay> overlay;
    if (!hazards.empty()) overlay.emplace(network, hazards);
    std::vector<std::string> names;
    for (const auto& name : modes) {
        if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
    std::vector<std::future<ModeNetwork>> prepared;
    for (const auto& name : names) {
        prepared.push_back(std::async(std::launch::async, [this, &network, &overlay, name] {
            ModeNetwork mode;
            mode.name = name;
            const auto profile = geo::load_travel_profile(name);
            auto base = geo::travel_time_weights_ms(network, profile);
            if (overlay) {
                mode.closures = geo::edge_closures(*overlay, geo::closure_rules(name));
                mode.weights_ms = geo::apply_slowdowns(base, mode.closures);
            } else {
                mode.weights_ms = std::move(base);
                mode.closures.closed_from_ms.assign(network.edge_count(), geo::never_ms);
                mode.closures.slowed_from_ms.assign(network.edge_count(), geo::never_ms);
                mode.closures.slow_factor.assign(network.edge_count(), 1.0);
            }
            mode.access_kmh = geo::access_speed_kmh(profile);
            mode.arrival_closing_ms =
                geo::arrival_closing(m_graph, mode.weights_ms, mode.closures.closed_from_ms);
            return mode;
        }));
    }
    if (!segments) segments = index_task.get();
    geo::SnapOptions so;
    so.max_distance_m = max_snap_m;
    for (auto& task : prepared) {
        auto mode = task.get();
        mode.snapper = std::make_unique<geo::Snapper>(segments, mode.weights_ms, so);
        m_modes.emplace(mode.name, std::move(mode));
    }
}

const ModeNetwork& TravelContext::mode(const std::string& name) const {
    const auto it = m_modes.find(name);
    if (it == m_modes.end()) throw InternalError("travel mode not prepared: " + name);
    return it->second;
}

Access TravelContext::access(const std::string& mode_name, geo::LonLat p) const {
    const auto& mode = this->mode(mode_name);
    const auto snap = mode.snapper->snap(p);
    if (!snap) return Access{};
    return geo::point_access(*snap, mode.access_kmh);
}

} // namespace sonae::planner
