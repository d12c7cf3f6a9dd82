#include "planner/travel_context.hpp"

#include "geo/error.hpp"
#include "geo/travel_mode.hpp"

#include <cmath>

namespace sonae::planner {

TravelContext::TravelContext(const geo::RoadNetwork& network, const geo::Hazards& hazards,
                             const std::vector<std::string>& modes, double max_snap_m)
    : m_network(&network), m_graph(network) {
    for (const auto& name : modes) {
        if (m_modes.count(name)) continue;
        ModeNetwork mode;
        mode.name = name;
        const auto profile = geo::load_travel_profile(name);
        auto base = geo::travel_time_weights_ms(network, profile);
        if (!hazards.empty()) {
            mode.closures = geo::edge_closures(network, hazards, geo::closure_rules(name));
            mode.weights_ms = geo::apply_slowdowns(base, mode.closures);
        } else {
            mode.weights_ms = std::move(base);
            mode.closures.closed_from_ms.assign(network.edge_count(), geo::never_ms);
            mode.closures.slowed_from_ms.assign(network.edge_count(), geo::never_ms);
            mode.closures.slow_factor.assign(network.edge_count(), 1.0);
        }
        geo::SnapOptions so;
        so.max_distance_m = max_snap_m;
        mode.snapper = std::make_unique<geo::Snapper>(network, mode.weights_ms, so);
        // Off-road access: walking pace, or a car creeping along a drive (est.).
        mode.access_kmh = profile.motor_vehicle ? 15.0 : 3.0;
        m_modes.emplace(name, std::move(mode));
    }
}

const ModeNetwork& TravelContext::mode(const std::string& name) const {
    const auto it = m_modes.find(name);
    if (it == m_modes.end()) throw InternalError("travel mode not prepared: " + name);
    return it->second;
}

Access TravelContext::access(const std::string& mode_name, geo::LonLat p) const {
    const auto& mode = this->mode(mode_name);
    Access a;
    const auto snap = mode.snapper->snap(p);
    if (!snap || snap->too_far) return a;
    const double mps = mode.access_kmh / 3.6;
    auto ms = [mps](double m) { return static_cast<std::int64_t>(std::llround(m / mps * 1000.0)); };
    a.ok = true;
    a.distance_m = snap->distance_m;
    // On a two-way road the point can be left (and reached) at the nearer end; on a one-way
    // road only in the direction of travel.
    const bool two_way = snap->opposite.has_value();
    const bool tail_nearer = snap->from_tail_m <= snap->to_head_m;
    if (two_way && tail_nearer) {
        a.depart_node = snap->tail;
        a.leave_ms = ms(snap->distance_m + snap->from_tail_m);
    } else {
        a.depart_node = snap->head;
        a.leave_ms = ms(snap->distance_m + snap->to_head_m);
    }
    if (two_way && !tail_nearer) {
        a.arrive_node = snap->head;
        a.join_ms = ms(snap->distance_m + snap->to_head_m);
    } else {
        a.arrive_node = snap->tail;
        a.join_ms = ms(snap->distance_m + snap->from_tail_m);
    }
    return a;
}

} // namespace sonae::planner
