#pragma once
/// The road network prepared for the travel modes a plan uses: per mode, travel-time weights
/// (slowed in shallow water), hazard closure times per edge and a snapper; plus one routing
/// graph. Built once per scenario and shared by the planner and the simulator.

#include "geo/hazard.hpp"
#include "geo/point_access.hpp"
#include "geo/road_network.hpp"
#include "geo/routing.hpp"
#include "geo/snap.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sonae::planner {

/// One travel mode on the network.
struct ModeNetwork {
    std::string name;                    ///< car, walk, wheelchair
    std::vector<geo::Weight> weights_ms; ///< travel time per edge, slowed by shallow water
    geo::EdgeClosures closures;          ///< closed_from_ms per edge (never_ms = never)
    /// Per node, the latest arrival the closures allow (geo::arrival_closing; the same for the
    /// car's night weights, which have the same usable edges): search_targets' bound.
    std::vector<geo::Distance> arrival_closing_ms;
    std::unique_ptr<geo::Snapper> snapper;
    double access_kmh = 3.0; ///< off the road and along it to a node (geo::access_speed_kmh)
};

/// Where a point joins the network for one mode (geo/point_access.hpp: the one model the
/// planner, the simulator and `sonae route` share).
using Access = geo::PointAccess;

/// The prepared network.
class TravelContext {
public:
    /// `modes` are travel profile names (data/travel_profiles.toml); `max_snap_m` the snap limit.
    /// The modes share one segment index for snapping: `segments` if given (it must index
    /// this very `network` object, else InternalError), else one built here.
    TravelContext(const geo::RoadNetwork& network, const geo::Hazards& hazards,
                  const std::vector<std::string>& modes, double max_snap_m,
                  std::shared_ptr<const geo::SegmentIndex> segments = nullptr);

    const geo::RoadNetwork& network() const noexcept { return *m_network; }
    const geo::RoutingGraph& graph() const noexcept { return m_graph; }
    /// Precondition: `name` was among the modes given to the constructor.
    const ModeNetwork& mode(const std::string& name) const;
    /// Where `p` joins the network in `mode`; ok = false if farther than the snap limit.
    Access access(const std::string& mode, geo::LonLat p) const;

private:
    const geo::RoadNetwork* m_network;
    geo::RoutingGraph m_graph;
    std::map<std::string, ModeNetwork> m_modes;
};

} // namespace sonae::planner
