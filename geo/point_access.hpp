#pragma once
/// How a point off the road network (a home, a shelter, a vehicle base, `sonae route`'s
/// --from and --to) joins it in one travel mode: the one model the planner
/// (planner/travel_context.hpp), the simulator and `sonae route` share.
///
/// The point is snapped onto the nearest road the mode may use (geo/snap.hpp). The traveller
/// goes off the road to the snapped point and along the road to one of its end nodes at the
/// mode's access speed (access_speed_kmh: a car creeping along a drive, or walking pace), and
/// from there over the network node to node at the network's weights. On a two-way road the
/// point is left and reached at the nearer end; on a one-way road it is left at the head and
/// reached from the tail (the direction of travel). Times are rounded to the millisecond.

#include "geo/road_network.hpp"
#include "geo/snap.hpp"
#include "geo/travel_mode.hpp"

#include <cstdint>
#include <vector>

namespace sonae::geo {

/// Where a point joins the network for one mode.
struct PointAccess {
    bool ok = false;            ///< false: no usable road within the snap limit
    NodeId depart_node;         ///< leave the point towards this node
    NodeId arrive_node;         ///< reach the point from this node
    std::int64_t leave_ms = 0;  ///< point -> depart_node
    std::int64_t join_ms = 0;   ///< arrive_node -> point
    double distance_m = 0.0;    ///< from the point to the road (off-road part)
    double leave_along_m = 0.0; ///< along the road, snapped point -> depart_node
    double join_along_m = 0.0;  ///< along the road, arrive_node -> snapped point
};

/// Speed off the road and along the snapped road to its end node, km/h: 15 for a motor
/// vehicle (a car creeping along a drive, est.), else 3 (walking pace).
double access_speed_kmh(const TravelProfile& profile);

/// The access of a snapped point (ok = false if `snap` is too far), at `access_kmh`.
PointAccess point_access(const Snap& snap, double access_kmh);

/// The part of edge e's geometry between fractions a <= b of its length (haversine along it),
/// as a polyline from the point at `a` to the point at `b`.
std::vector<LonLat> edge_part_geometry(const RoadNetwork& net, EdgeId e, double a, double b);

/// The way from `point` to its access's depart node: the point, the snapped point, then along
/// the snapped road to the node. Precondition: access == point_access(snap, ...) and ok.
std::vector<LonLat> leave_geometry(const RoadNetwork& net, LonLat point, const Snap& snap,
                                   const PointAccess& access);

/// The way from the access's arrive node to `point`: along the snapped road to the snapped
/// point, then the point. Precondition as leave_geometry.
std::vector<LonLat> join_geometry(const RoadNetwork& net, LonLat point, const Snap& snap,
                                  const PointAccess& access);

} // namespace sonae::geo
