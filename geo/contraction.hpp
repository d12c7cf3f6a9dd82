#pragma once
/// Contraction hierarchy: the fast index for one fixed set of edge weights (RoutingKit / OSRM
/// style; Geisberger et al., "Contraction Hierarchies", WEA 2008).
///
/// Build once per (network, weights), O(seconds) for a city; the index is immutable and safe
/// to share between threads. Query it with one ChQuery per thread. Answers are exact: the
/// distances are int64 sums of the same integer weights and equal Router's Dijkstra answers
/// to the unit; routes unpack to the network's original edges (the cheapest of parallel
/// edges, lowest EdgeId on a tie).
///
///     const auto w = travel_time_weights_ms(net, load_travel_profile("car"));
///     const ContractionHierarchy ch(net, w);          // once per network and mode
///     ChQuery query(ch);                              // once per thread
///     auto route = query.route(home, shelter);        // optional<Route>, cost in ms
///     auto to_shelter = query.tree(shelter, Direction::backward); // all homes -> shelter
///     auto matrix = query.many_to_many(homes, shelters);
///
/// Use Router instead when the weights change per query (closures, earliest arrival): a CH
/// must be rebuilt for new weights. Its distances are still exact lower bounds there (closures
/// only remove edges), e.g. as an A* potential.
///
/// Size and speed on Kochi (31k nodes, 64k car edges; bench/README.md "geo routing"): built in
/// about 0.3 s, 57k shortcuts, 3.4 MB; a one-to-all tree 0.13 ms, a route 18 us, a 50 x 50
/// matrix 0.6 ms (Dijkstra: 3.6 ms, 1.9 ms, 169 ms).

#include "geo/road_network.hpp"
#include "geo/routing.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace sonae::geo {

/// Size of a built hierarchy (for benchmarks and logs).
struct ContractionStats {
    std::uint32_t nodes = 0;
    std::uint32_t input_arcs = 0;    ///< usable edges after dropping loops and dearer parallels
    std::uint32_t shortcuts = 0;     ///< shortcut arcs in the final hierarchy
    std::uint32_t upward_arcs = 0;   ///< arcs towards a higher-ranked node (forward searches)
    std::uint32_t downward_arcs = 0; ///< arcs from a higher-ranked node (backward searches)
    std::size_t memory_bytes = 0;    ///< bytes held by the index arrays
};

/// The index: node order (ranks), upward and downward arc arrays in rank order, and for each
/// arc how it unpacks (an original edge, or the two arcs a shortcut replaces).
class ContractionHierarchy {
public:
    /// Contracts the network under `weights` (one per edge in EdgeId order; `no_edge` = not
    /// usable). Node order by lazy-updated priority (edge quotient + hop quotient + level) with
    /// witness searches bounded by a settled-node limit (a missed witness only adds a
    /// shortcut, never changes a distance). Throws InternalError if weights.size() differs
    /// from the edge count.
    ContractionHierarchy(const RoadNetwork& net, std::span<const Weight> weights);
    /// The same from a RoutingGraph (same node and edge ids as its network).
    ContractionHierarchy(const RoutingGraph& graph, std::span<const Weight> weights);

    std::uint32_t node_count() const noexcept { return static_cast<std::uint32_t>(m_rank.size()); }
    std::uint32_t edge_count() const noexcept { return m_edge_count; }
    /// Position of u in the contraction order (0 = contracted first).
    std::uint32_t rank(NodeId u) const { return m_rank[u.value()]; }
    const ContractionStats& stats() const noexcept { return m_stats; }

private:
    friend class ChQuery;
    ContractionHierarchy(std::uint32_t node_count, std::span<const std::uint32_t> tails,
                         std::span<const std::uint32_t> heads, std::span<const Weight> weights);

    std::uint32_t m_edge_count = 0;
    std::vector<std::uint32_t> m_rank;         // node -> rank
    std::vector<std::uint32_t> m_node_of_rank; // rank -> node
    // Upward arcs of rank r (to higher ranks): [m_up_first[r], m_up_first[r + 1]).
    std::vector<std::uint32_t> m_up_first;
    std::vector<std::uint32_t> m_up_head; // rank of the head
    std::vector<Distance> m_up_weight;
    std::vector<std::uint32_t> m_up_arc; // index into the unpacking arrays
    // Downward arcs into rank r (from higher ranks x, arc x -> r): [m_down_first[r], ...).
    std::vector<std::uint32_t> m_down_first;
    std::vector<std::uint32_t> m_down_tail; // rank of the tail
    std::vector<Distance> m_down_weight;
    std::vector<std::uint32_t> m_down_arc;
    // Unpacking: arc a is the original edge m_arc_second[a] when m_arc_first[a] is
    // `leaf_arc`, else the path of arcs m_arc_first[a] then m_arc_second[a].
    std::vector<std::uint32_t> m_arc_first;
    std::vector<std::uint32_t> m_arc_second;
    ContractionStats m_stats;
};

namespace detail {
struct ChSearch; ///< a ChQuery's reusable search state (geo/contraction.cpp)
} // namespace detail

/// Reusable query object over one ContractionHierarchy (one per thread). Arrays are
/// allocated once; point-to-point and many-to-many queries reset only what they touched.
/// A node outside the graph throws InternalError.
class ChQuery {
public:
    explicit ChQuery(const ContractionHierarchy& ch);
    ~ChQuery();
    ChQuery(ChQuery&&) noexcept;
    ChQuery& operator=(ChQuery&&) noexcept;

    /// Shortest distance from `from` to `to`, `unreachable` if there is no path.
    /// Bidirectional upward search with stall-on-demand.
    Distance distance(NodeId from, NodeId to);
    /// Shortest path with its edges unpacked to the network's EdgeIds; nullopt if no path.
    std::optional<Route> route(NodeId from, NodeId to);

    /// Distances from (forward) or to (backward) `root` for every node, indexed by NodeId;
    /// `unreachable` where none. PHAST: one upward search, then one sweep over all nodes in
    /// descending rank, O(n + arcs). The span is valid until this object's next query.
    std::span<const Distance> tree(NodeId root, Direction direction = Direction::forward);
    /// As above from the nearest of several roots (forward) or to the nearest (backward), in
    /// one upward search and one sweep: e.g. every node's time to its nearest shelter, an
    /// exact lower bound (A* potential) for searches to those shelters under closures.
    /// Empty `roots`: every node unreachable.
    std::span<const Distance> tree(std::span<const NodeId> roots,
                                   Direction direction = Direction::forward);

    /// Matrix sources x targets (`unreachable` where none): backward upward searches from the
    /// targets fill buckets, forward upward searches from the sources scan them.
    DistanceMatrix many_to_many(std::span<const NodeId> sources, std::span<const NodeId> targets);

    const ContractionHierarchy& hierarchy() const noexcept { return *m_ch; }

private:
    /// Bidirectional search: the distance and the rank where the two searches meet (or
    /// unreachable and UINT32_MAX).
    std::pair<Distance, std::uint32_t> meet(NodeId from, NodeId to);

    const ContractionHierarchy* m_ch;
    std::unique_ptr<detail::ChSearch> m_search;
};

} // namespace sonae::geo
