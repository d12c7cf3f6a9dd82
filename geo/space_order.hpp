#pragma once
/// Work in space order: items sorted along a Z-order (Morton) curve of their positions.
///
/// Many searches on one network (a child's first search, a matrix row) each settle the part
/// of the network around their start. Run one after another in space order, each finds much
/// of that part still in the processor's cache from the search before: on the 1,000,000-node
/// benchmark grid the 10,000 first searches took about a third less time than in registry
/// order (bench/README.md "planner"). Only the order of the work changes, never a result.

#include "geo/road_network.hpp"

#include <cstddef>
#include <functional>
#include <vector>

namespace sonae::geo {

/// Position on the Z-order curve of a point: 2^20 cells per axis over the whole globe (about
/// 38 m of longitude at the equator); latitudes and longitudes outside the globe are clamped.
std::uint64_t z_order_key(LonLat p);

/// `items` sorted by z_order_key(where(item)), ties by item value. O(k log k).
std::vector<std::size_t> in_space_order(std::vector<std::size_t> items,
                                        const std::function<LonLat(std::size_t)>& where);

} // namespace sonae::geo
