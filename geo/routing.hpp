#pragma once
/// Shortest paths over a RoadNetwork with Boost.Graph (Dijkstra, no colour map, 4-ary heap).
///
/// RoutingKit style: build a RoutingGraph once from the network (immutable, shareable between
/// threads), then make one Router per thread and run as many queries as needed on it. A Router
/// keeps its distance / parent arrays between queries and resets only the nodes the previous
/// query touched, so a short query costs time proportional to the part of the graph it
/// explores, not to the whole graph.
///
/// Weights are one integer per edge (EdgeId order), chosen per query:
///   - travel time in milliseconds from geo/travel_mode.hpp (car, walk, wheelchair), or
///   - length_weights(net): lengths in whole metres (exact for DIMACS arc lengths).
/// `no_edge` marks an edge that cannot be used in this mode (e.g. a footway for cars).
/// Distances are sums of weights in the same unit, as 64-bit integers, so results are exact.
///
///     const RoutingGraph graph(net);                 // once per network
///     Router router(graph);                          // once per thread
///     const auto w = travel_time_weights_ms(net, load_travel_profile("car"));
///     auto route = router.route(home, shelter, w);   // optional<Route>, cost in ms
///     const auto& to_shelter = router.tree(shelter, w, Direction::backward);
///     to_shelter.distance(home);                     // ms from home to the shelter
///     auto geometry = path_geometry(net, route->edges);
///
/// Complexity: with n nodes and m edges a search is O((n + m) log n) in the worst case; a
/// one-to-one query stops as soon as its target is settled, one-to-many as soon as all its
/// targets are settled. All search arrays (distances, parents, colours, heap positions) are
/// allocated once per Router and only the entries a search touched are reset.

#include "geo/road_network.hpp"

#include <Eigen/Core>

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>

namespace sonae::geo {

namespace detail {
struct RouterSearch; ///< a Router's reusable search state (geo/routing.cpp)
} // namespace detail

/// Cost of traversing one edge in a travel mode: milliseconds, or metres for length weights.
using Weight = std::uint32_t;
/// Weight of an edge that may not be used in this mode.
inline constexpr Weight no_edge = std::numeric_limits<Weight>::max();

/// Sum of weights along a path (same unit as the weights), or an absolute time for
/// earliest-arrival queries (same unit and origin as the departure time).
using Distance = std::int64_t;
/// Distance of a node that cannot be reached.
inline constexpr Distance unreachable = std::numeric_limits<Distance>::max();
/// closed_from value of an edge that never closes.
inline constexpr std::int64_t never_closes = std::numeric_limits<std::int64_t>::max();

/// Travel-time / distance matrix: rows are sources, columns targets; `unreachable` where no
/// path exists.
using DistanceMatrix = Eigen::Matrix<Distance, Eigen::Dynamic, Eigen::Dynamic>;
/// One distance per node of a list.
using DistanceVector = Eigen::Matrix<Distance, Eigen::Dynamic, 1>;

/// Edge lengths rounded to whole metres (exact for DIMACS integer arc lengths). Lengths at or
/// above 2^32 - 1 m are clamped just below no_edge. O(m).
std::vector<Weight> length_weights(const RoadNetwork& net);

/// Search direction: forward = from the root along edges; backward = towards the root
/// (travel times from every node TO the root, e.g. from all homes to one shelter).
enum class Direction : std::uint8_t { forward, backward };

/// A path as edges in travel order, with its cost.
struct Route {
    NodeId from;
    NodeId to;
    std::vector<EdgeId> edges; ///< in travel order; empty when from == to
    Distance cost = 0;         ///< sum of the edge weights (ms or m)
    Distance departure = 0;    ///< departure time (earliest-arrival queries), else 0
    Distance arrival() const { return departure + cost; }
};

/// The graph index: forward and reverse CSR graphs in Boost.Graph form. Build once per
/// network, O(n + m) time and about 12 (n + m) bytes; immutable, safe to share between threads.
class RoutingGraph {
public:
    explicit RoutingGraph(const RoadNetwork& net);
    ~RoutingGraph();
    RoutingGraph(RoutingGraph&&) noexcept;
    RoutingGraph& operator=(RoutingGraph&&) noexcept;
    RoutingGraph(const RoutingGraph&) = delete;
    RoutingGraph& operator=(const RoutingGraph&) = delete;

    std::uint32_t node_count() const noexcept;
    std::uint32_t edge_count() const noexcept;
    NodeId tail(EdgeId e) const { return NodeId(m_tail[e.value()]); }
    NodeId head(EdgeId e) const { return NodeId(m_head[e.value()]); }

    struct Impl; ///< Boost graphs (geo/routing.cpp only)
    const Impl& impl() const { return *m_impl; }

private:
    std::unique_ptr<Impl> m_impl;
    std::vector<std::uint32_t> m_tail;
    std::vector<std::uint32_t> m_head;
};

/// Result of a one-to-all search; a view into the Router's arrays, valid until the Router's
/// next query.
class ShortestPathTree {
public:
    NodeId root() const noexcept { return m_root; }
    Direction direction() const noexcept { return m_direction; }
    /// Distance from the root (forward) or to the root (backward); for an earliest-arrival
    /// tree, the arrival time. `unreachable` if not reached.
    Distance distance(NodeId u) const { return m_distance[u.value()]; }
    bool reached(NodeId u) const { return m_distance[u.value()] != unreachable; }
    /// All distances, indexed by node.
    std::span<const Distance> distances() const noexcept { return m_distance; }
    /// Forward: the last edge of the path root -> u. Backward: the first edge of the path
    /// u -> root. Invalid for the root and for unreached nodes.
    EdgeId parent_edge(NodeId u) const { return m_parent[u.value()]; }
    /// The path between root and u in travel order (root -> u forward, u -> root backward);
    /// nullopt if u was not reached. O(path length).
    std::optional<std::vector<EdgeId>> path(NodeId u) const;

private:
    friend class Router;
    const RoutingGraph* m_graph = nullptr;
    NodeId m_root;
    Direction m_direction = Direction::forward;
    std::span<const Distance> m_distance;
    std::span<const EdgeId> m_parent;
};

/// Nodes reachable from (forward) or that can reach (backward) any of `roots` over the
/// usable edges (weights[e] != no_edge) and the `extra_arcs` (tail, head): 1 per such node,
/// 0 elsewhere. A breadth-first sweep without distances, O(reached nodes + their edges);
/// extra arcs stand for links outside the network (e.g. a vehicle stopping at a point that
/// joins the road at one node and leaves it at another). With `wanted` non-empty the sweep
/// stops as soon as every wanted node is reached: the answer is then exact for the wanted
/// nodes only (others may read 0), and a sweep among nearby places stays near them.
std::vector<std::uint8_t>
reachable_nodes(const RoutingGraph& graph, std::span<const NodeId> roots,
                std::span<const Weight> weights, Direction direction,
                std::span<const std::pair<NodeId, NodeId>> extra_arcs = {},
                std::span<const NodeId> wanted = {});

/// When edges close over time (closed_from as for Router::earliest_arrival: an edge entered
/// at t is usable only if t + w <= closed_from[e]), the latest time at each node from which
/// one of `roots` can still be reached: never_closes at the roots, `never_reached` where no
/// root can be reached at any time. Edges only close, so waiting never helps: leaving a node
/// at or before this time reaches a root, and leaving after it does not. One backward
/// label-setting search (largest time first), O((n + m) log m).
inline constexpr Distance never_reached = std::numeric_limits<Distance>::min();
std::vector<Distance> latest_departure(const RoutingGraph& graph, std::span<const NodeId> roots,
                                       std::span<const Weight> weights,
                                       std::span<const std::int64_t> closed_from);

/// Per node, the latest moment it can be arrived at over the network: the latest closing
/// (closed_from) among its incoming edges that have a weight, `never_reached` where it has
/// none. Made once per travel mode for Router::search_targets' `arrival_closing`.
std::vector<Distance> arrival_closing(const RoutingGraph& graph, std::span<const Weight> weights,
                                      std::span<const std::int64_t> closed_from);

/// An A* lower bound for a search toward one node by the straight line: `per_m` weight units
/// per metre of straight line (flat, a degree of longitude `lon_scale` degrees of latitude
/// long) to the target, never more than any usable edge costs per metre of its length or of
/// the straight line between its ends (2 % under, for rounding), so that the bound is
/// consistent and the search stays exact. Make it with straight_line_bound for the weights of
/// the search.
struct StraightLineBound {
    const RoadNetwork* network = nullptr; ///< the node coordinates (the graph's network)
    double per_m = 0.0;                   ///< weight units per metre of straight line
    double lon_scale = 0.0;               ///< cos of the largest |latitude| of the network
    bool usable() const noexcept { return network != nullptr && per_m > 0.0; }
};
/// The straight-line bound for `weights` over `net` (unusable without coordinates, or when a
/// usable edge costs nothing): the smallest weight per metre among the usable edges. O(n + m).
StraightLineBound straight_line_bound(const RoadNetwork& net, std::span<const Weight> weights);

/// Reusable query object (one per thread). Every query takes the weights (one per edge); a
/// weights span of the wrong size, or a node outside the graph, throws InternalError (a bug).
class Router {
public:
    explicit Router(const RoutingGraph& graph);
    ~Router();
    Router(Router&&) noexcept;
    Router& operator=(Router&&) noexcept;

    /// Shortest path from `from` to `to`, stopping when `to` is settled; nullopt if no path.
    std::optional<Route> route(NodeId from, NodeId to, std::span<const Weight> weights);

    /// Shortest-path tree from (forward) or to (backward) `root` over all nodes. O((n+m) log n).
    const ShortestPathTree& tree(NodeId root, std::span<const Weight> weights,
                                 Direction direction = Direction::forward);

    /// Tree from (forward) or to (backward) the nearest of several roots: distance() is the
    /// distance from / to the nearest root. At least one root. O((n+m) log n).
    const ShortestPathTree& tree(std::span<const NodeId> roots, std::span<const Weight> weights,
                                 Direction direction);

    /// Distances from `source` to each target (unreachable where none); stops when all targets
    /// are settled.
    DistanceVector one_to_many(NodeId source, std::span<const NodeId> targets,
                               std::span<const Weight> weights);
    /// Distances from each source to `target` (one backward search); stops when all sources
    /// are settled. The common case: from all homes to one shelter.
    DistanceVector many_to_one(std::span<const NodeId> sources, NodeId target,
                               std::span<const Weight> weights);
    /// Matrix sources x targets. Runs min(#sources, #targets) searches (forward from each
    /// source, or backward from each target), each stopping when the other side is settled.
    DistanceMatrix many_to_many(std::span<const NodeId> sources, std::span<const NodeId> targets,
                                std::span<const Weight> weights);

    /// Earliest arrival at `to` leaving `from` at `departure` when edges close over time.
    /// closed_from[e] is the time from which edge e is closed (same unit and origin as
    /// departure and the weights; never_closes = INT64_MAX). An edge entered at t may be used
    /// only if t + w <= closed_from[e]; waiting never helps since edges only close, so the
    /// label-setting search is exact. nullopt if `to` cannot be reached in time.
    /// `potential` (optional): an A* lower bound as for search_targets; it must be finite
    /// wherever `to` can be reached from (e.g. a backward tree from a set that contains `to`).
    /// `slowdown` (> 0): each edge takes weight x slowdown (truncated to whole units) for a
    /// traveller slower (> 1) or faster (< 1) than the weights, so that the closures are
    /// checked at the times this traveller would reach them, and the route's cost is that
    /// traveller's time; with a potential it must be >= 1. `max_settled` (> 0): give up
    /// after settling that many nodes (nullopt, gave_up() true).
    std::optional<Route> earliest_arrival(NodeId from, NodeId to, Distance departure,
                                          std::span<const Weight> weights,
                                          std::span<const std::int64_t> closed_from,
                                          std::span<const Distance> potential = {},
                                          double slowdown = 1.0, std::uint64_t max_settled = 0);
    /// As above, with A* toward `to` by the straight line (`line` made for these weights over
    /// this graph's network; unusable: a plain search) at the weights' pace: the same arrival,
    /// far fewer nodes settled when the target is not the nearest of many.
    std::optional<Route> earliest_arrival(NodeId from, NodeId to, Distance departure,
                                          std::span<const Weight> weights,
                                          std::span<const std::int64_t> closed_from,
                                          const StraightLineBound& line,
                                          std::uint64_t max_settled = 0);
    /// True if the last earliest_arrival gave up after settling `max_settled` nodes (> 0)
    /// without settling `to`: it returned nullopt without knowing whether `to` can be reached.
    bool gave_up() const noexcept;

    /// geo::latest_departure for one node, `from`: the latest moment one can leave it and still
    /// reach one of `roots`, by the same backward search (largest time first) stopped as soon as
    /// the answer is known: when `from` is settled, or when every time left is earlier than
    /// `not_before` (the answer is then `never_reached`: leaving at or after `not_before`
    /// reaches no root). A root cut off in a pocket is answered after settling the pocket, and
    /// a time near `not_before` after the few nodes that can still make it, instead of the
    /// whole network. Uses the Router's arrays (no O(n) allocation). `max_settled` (> 0): give
    /// up after settling that many nodes (nullopt). O((n + m) log m) at worst.
    std::optional<Distance> latest_departure_from(NodeId from, std::span<const NodeId> roots,
                                                  std::span<const Weight> weights,
                                                  std::span<const std::int64_t> closed_from,
                                                  Distance not_before,
                                                  std::uint64_t max_settled = 0);
    /// latest_departure_from for several nodes at once: one backward search, stopped once
    /// every node of `from` is settled or every time left is earlier than `not_before`. One
    /// time per node of `from`, in its order: exact where it is `not_before` or later,
    /// `never_reached` where it is earlier (leaving at or after `not_before` reaches no root).
    /// nullopt if it settled `max_settled` (> 0) other nodes first. Uses the Router's arrays.
    std::optional<std::vector<Distance>>
    latest_departures_from(std::span<const NodeId> from, std::span<const NodeId> roots,
                           std::span<const Weight> weights,
                           std::span<const std::int64_t> closed_from, Distance not_before,
                           std::uint64_t max_settled = 0);
    /// Earliest-arrival tree from `from` leaving at `departure`: distance() is the arrival
    /// time at each node.
    const ShortestPathTree& earliest_arrival_tree(NodeId from, Distance departure,
                                                  std::span<const Weight> weights,
                                                  std::span<const std::int64_t> closed_from);

    /// Called by search_targets when a target settles: its index in the `targets` span and
    /// its exact distance (arrival time for earliest-arrival searches). Return true to stop.
    using TargetVisitor = std::function<bool(std::size_t target_index, Distance distance)>;

    /// A search from `from` (distance `start` at the root: 0, or the departure time) that
    /// reports `targets` in order of distance as they settle and stops as soon as `visit`
    /// returns true, or when nothing more is reachable. Targets that are never reported are
    /// farther than the last one reported (if the search was stopped) or unreachable (if not).
    /// `closed_from` as for earliest_arrival, or empty when nothing closes. Several targets
    /// may share a node (each is reported). Returns true if `visit` stopped the search.
    /// The returned tree's path() is valid for every reported target; other distances in
    /// it may be tentative. Cost: proportional to the part of the graph settled. The search
    /// also stops once every target has been reported.
    /// `potential` (one per node, or empty): an A* lower bound on the distance from each node
    /// to the nearest target under these weights without closures (e.g. a backward tree from
    /// a superset of the targets: 0 at every target, `unreachable` where none can be
    /// reached). Closures only remove edges, so it stays consistent: targets still settle in
    /// order of their exact distance, and far fewer nodes are settled.
    /// With closures, a target is reached at the latest when the last of its usable incoming
    /// edges closes: the search also stops once every target not yet reported is past that
    /// (the same targets are reported; a target cut off by the water no longer makes the
    /// search settle everything it can reach).
    /// `arrival_closing` (one per node, or empty): arrival_closing(graph, weights, closed_from)
    /// made once by a caller that searches often with the same weights and closures (it is
    /// computed for the targets on every call otherwise); the same answers either way.
    bool search_targets(NodeId from, Distance start, std::span<const Weight> weights,
                        std::span<const std::int64_t> closed_from, std::span<const NodeId> targets,
                        const TargetVisitor& visit, std::span<const Distance> potential = {},
                        std::span<const Distance> arrival_closing = {});
    /// The tree of the last search_targets call (see its validity there).
    const ShortestPathTree& last_tree() const noexcept { return m_tree; }

    const RoutingGraph& graph() const noexcept { return *m_graph; }

private:
    const RoutingGraph* m_graph;
    std::unique_ptr<detail::RouterSearch> m_search;
    double m_slowdown = 1.0; ///< for the timed searches of the current earliest_arrival call
    ShortestPathTree m_tree;
};

/// Geometry of a path in lon/lat, in travel order, without repeating the shared end points.
/// Empty if the network has no coordinates or the path is empty.
std::vector<LonLat> path_geometry(const RoadNetwork& net, std::span<const EdgeId> edges);

/// Sum of length_m over the path's edges.
double path_length_m(const RoadNetwork& net, std::span<const EdgeId> edges);

} // namespace sonae::geo
