#pragma once
/// Strongly connected components of a road network in one travel mode (Boost.Graph
/// strong_components over the usable edges, weight != no_edge).
///
/// A home or shelter that snaps into a component other than the largest one can reach (or be
/// reached from) only part of the city: snapping reports it (issue 2, "Connectivity").

#include "geo/road_network.hpp"
#include "geo/routing.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace sonae::geo {

/// Component of every node. Components are numbered by decreasing size, ties by their
/// smallest node, so component 0 is the largest and the numbering does not depend on search
/// order.
struct Components {
    std::vector<std::uint32_t> component_of; ///< per node
    std::vector<std::uint32_t> sizes;        ///< nodes per component

    std::uint32_t count() const noexcept { return static_cast<std::uint32_t>(sizes.size()); }
    /// The largest component (always 0 when there is at least one node).
    std::uint32_t largest() const noexcept { return 0; }
    std::uint32_t component(NodeId u) const { return component_of[u.value()]; }
    std::uint32_t size_of(NodeId u) const { return sizes[component_of[u.value()]]; }
    bool in_largest(NodeId u) const { return component_of[u.value()] == 0; }
    /// True if u is not in the largest component and its component has fewer than
    /// `max_island_nodes` nodes: from there a route to most of the network does not exist.
    bool in_small_island(NodeId u, std::uint32_t max_island_nodes) const {
        return !in_largest(u) && size_of(u) < max_island_nodes;
    }
};

/// Strongly connected components over the edges with weights[e] != no_edge.
/// Precondition: weights.size() == net.edge_count() (else InternalError). O(n + m).
Components strong_components(const RoadNetwork& net, std::span<const Weight> weights);

} // namespace sonae::geo
