#pragma once
/// Stage 2, access: the road network prepared for the plan's travel modes (car, walk,
/// wheelchair: weights slowed in shallow water, hazard closures, snapping; see
/// planner/travel_context.hpp) and where every facility joins it in each mode. Also the A*
/// potentials the later searches use: per mode, each node's closure-free time to the nearest
/// of some facilities. Without a road network (straight-line mode) there is nothing to
/// prepare: network() is null.

#include "geo/routing.hpp"
#include "planner/clock.hpp"
#include "planner/stages/context.hpp"
#include "planner/travel_context.hpp"

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

namespace sonae::planner::stages {

/// Per travel mode, an A* potential: every node's closure-free travel time to the nearest of
/// some facilities (a lower bound on the time to any of them).
using Potentials = std::map<std::string, std::vector<geo::Distance>>;

/// A mode's potential from `p` (empty: plain Dijkstra).
std::span<const geo::Distance> potential_in(const Potentials& p, const std::string& mode);

/// The network prepared per mode, and the facilities' places on it.
class NetworkAccess {
public:
    /// Prepares the modes options.car_mode, walk_mode and wheelchair_mode and snaps every
    /// facility. Throws InputError naming the facility when a curated one (welfare shelter,
    /// hospital, support centre) is farther than max_snap_m from any road a car can use.
    explicit NetworkAccess(const PlanContext& ctx);
    NetworkAccess(const NetworkAccess&) = delete; // Routers and potentials point into it
    NetworkAccess& operator=(const NetworkAccess&) = delete;

    /// The road network, or null in straight-line mode.
    const geo::RoadNetwork* network() const noexcept { return m_network; }
    /// The routing graph for the workers' Routers, or null in straight-line mode.
    const geo::RoutingGraph* graph() const noexcept {
        return m_travel ? &m_travel->graph() : nullptr;
    }
    /// Precondition: network() is not null.
    const TravelContext& travel() const { return *m_travel; }
    /// Precondition: network() is not null and `name` is one of the plan's modes.
    const ModeNetwork& mode(const std::string& name) const { return m_travel->mode(name); }
    /// Where `p` joins the network in `mode` (precondition as mode()).
    Access access(const std::string& mode, geo::LonLat p) const {
        return m_travel->access(mode, p);
    }
    /// The weights of `mode` for a trip that starts at `depart_s` (seconds after t0): the car's
    /// are slower (travel time / night.car_speed_factor, data/timing.toml) when the manifest's
    /// t0_clock puts the start at night, as the simulator drives (sim/simulate.cpp); else the
    /// mode's own. A* potentials of the day weights stay lower bounds.
    const std::vector<geo::Weight>& weights(const std::string& mode, std::int64_t depart_s) const;
    /// For a search over departures in [from_s, to_s] (latest safe departure): the car's night
    /// weights if any of them is at night, the safe side.
    const std::vector<geo::Weight>& weights_within(const std::string& mode, std::int64_t from_s,
                                                   std::int64_t to_s) const;
    /// Where each facility (ctx.facilities order) joins the network in `mode`.
    const std::vector<Access>& facilities(const std::string& mode) const {
        return m_facility_access.at(mode);
    }
    /// The arrival nodes of the facilities reachable in `mode` that `include` accepts.
    std::vector<geo::NodeId> facility_nodes(const std::string& mode,
                                            const std::function<bool(std::size_t)>& include) const;
    /// One backward tree per mode of `modes` from the facilities `include` accepts (modes
    /// without such a facility are left out), on every core. Empty in straight-line mode.
    Potentials nearest_facility_times(const std::set<std::string>& modes,
                                      const std::function<bool(std::size_t)>& include) const;

private:
    const geo::RoadNetwork* m_network = nullptr;
    std::optional<TravelContext> m_travel;
    std::map<std::string, std::vector<Access>> m_facility_access;
    std::size_t m_facility_count = 0;
    std::string m_car_mode;
    std::optional<ClockTime> m_t0_clock;
    std::vector<geo::Weight> m_night_car_weights; ///< empty: no clock, or no night slowdown
};

} // namespace sonae::planner::stages
