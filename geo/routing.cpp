#include "geo/routing.hpp"

#include "core/error.hpp"

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/properties.hpp>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <numeric>
#include <queue>
#include <string>
#include <utility>

namespace sonae::geo {

// Internal types; a named namespace because RouterSearch (external linkage) holds them.
namespace detail::router_impl {

// Both directions use the same graph type; each edge carries the EdgeId of the RoadNetwork
// edge it stands for (in the reverse graph, edge v -> u stands for network edge u -> v).
using CsrGraph =
    boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, std::uint32_t,
                                       boost::no_property, std::uint32_t, std::uint32_t>;
using Vertex = boost::graph_traits<CsrGraph>::vertex_descriptor;
using CsrEdge = boost::graph_traits<CsrGraph>::edge_descriptor;

struct PlainCombine {
    Distance operator()(Distance d, Weight w) const {
        if (w == no_edge || d == unreachable) return unreachable;
        return d + static_cast<Distance>(w);
    }
};

struct TimedCost {
    Weight weight;
    std::int64_t closed_from;
};

struct TimedCombine {
    double slowdown = 1.0; // the traveller's time on an edge per unit of weight
    // The edge is entered at t and left at t + w; it must still be open when it is left.
    Distance operator()(Distance t, TimedCost c) const {
        if (c.weight == no_edge || t == unreachable) return unreachable;
        const Distance w = slowdown == 1.0
                               ? static_cast<Distance>(c.weight)
                               : static_cast<Distance>(static_cast<double>(c.weight) * slowdown);
        const Distance leave = t + w;
        return leave <= c.closed_from ? leave : unreachable;
    }
};

} // namespace detail::router_impl

using namespace detail::router_impl;

struct RoutingGraph::Impl {
    CsrGraph forward;
    CsrGraph backward;
};

namespace detail::router_impl {

// Dijkstra over Boost's CSR graph, with a heap of (key, node) entries and lazy deletion: a
// node whose distance improves is pushed again and its older entry, popped later, is skipped
// (it is settled by then). Unlike dijkstra_shortest_paths, which allocates and fills an O(n)
// heap-position array (and a colour map) on every call, every array here lives in the Router
// and only the entries a search touched are reset, so a short query costs time proportional to
// what it explores.
//
// The search is memory-bound (a node touch is a cache miss per array it reads), so the layout
// is chosen for it:
// - the heap holds each node with its key (HeapEntry), so comparing children reads the heap's
//   own contiguous storage instead of a key array at random;
// - no decrease-key: an indirect heap (Boost's d_ary_heap_indirect, used here until issue 17's
//   speed work) writes each moved entry's position into a per-node array at random; its pop
//   was 29 % of all the planner's CPU on the 1,000,000-node grid, and the plan takes about
//   12 % less CPU with this heap (bench/README.md, planner);
// - what only the search reads per node (colour, target flag) is one 2-byte NodeState;
// - distance and parent stay plain arrays: ShortestPathTree hands them out as spans.
//
// Nodes leave the heap by key, and among equal keys by node id: a total order, so the order in
// which a search settles nodes (and with it each tie between equally fast routes) is set by
// the graph and the weights alone, not by the heap's inner layout.

/// A node in the heap with its key: distance, plus the A* potential when the search has one.
struct HeapEntry {
    Distance key = 0;
    std::uint32_t vertex = 0;
};

/// The heap's order: the smallest key first, then the smallest node id. As a comparison for
/// the heap, "a comes out after b".
inline bool after(const HeapEntry& a, const HeapEntry& b) {
    return a.key != b.key ? a.key > b.key : a.vertex > b.vertex;
}

/// A 4-ary min-heap of HeapEntry in a vector the search owns (cleared between searches, so
/// its memory is reused). Four children per node: half the levels of a binary heap, and the
/// four children of a node share a cache line or two. (std::push_heap/pop_heap, a binary heap,
/// gave the same plans 5-10 % slower on the grid: 40.5-42.0 s user against 37.9-38.6 s.)
class EntryHeap {
public:
    bool empty() const { return m_items.empty(); }
    void clear() { m_items.clear(); }
    void push(HeapEntry e) {
        std::size_t i = m_items.size();
        m_items.push_back(e);
        while (i > 0) {
            const std::size_t up = (i - 1) / 4;
            if (!after(m_items[up], e)) break;
            m_items[i] = m_items[up];
            i = up;
        }
        m_items[i] = e;
    }
    HeapEntry pop() {
        const HeapEntry top = m_items.front();
        const HeapEntry last = m_items.back();
        m_items.pop_back();
        const std::size_t n = m_items.size();
        if (n == 0) return top;
        std::size_t i = 0;
        for (;;) {
            const std::size_t first = 4 * i + 1;
            if (first >= n) break;
            std::size_t best = first;
            const std::size_t end = std::min(first + 4, n);
            for (std::size_t c = first + 1; c < end; ++c) {
                if (after(m_items[best], m_items[c])) best = c;
            }
            if (!after(last, m_items[best])) break;
            m_items[i] = m_items[best];
            i = best;
        }
        m_items[i] = last;
        return top;
    }

private:
    std::vector<HeapEntry> m_items;
};

struct NodeState {
    std::uint8_t color = boost::white_color;
    std::uint8_t is_target = 0;
};
static_assert(sizeof(NodeState) == 2);
static_assert(boost::black_color <= std::numeric_limits<std::uint8_t>::max());

} // namespace detail::router_impl

// Metres per degree of latitude on the mean Earth radius (6,371,008.8 m), as haversine_m.
constexpr double kMetresPerDegree = 6'371'008.8 * 3.14159265358979323846 / 180.0;

// The straight-line bound's metric: flat, a degree of longitude `lon_scale` degrees of
// latitude long (a metric: the triangle inequality holds, which keeps the bound consistent).
double flat_m(LonLat a, LonLat b, double lon_scale) {
    const double dy = (a.lat - b.lat) * kMetresPerDegree;
    const double dx = (a.lon - b.lon) * kMetresPerDegree * lon_scale;
    return std::sqrt(dx * dx + dy * dy);
}

struct detail::RouterSearch {
    std::vector<Distance> distance;
    const Distance* potential = nullptr;
    std::vector<EdgeId> parent;
    std::vector<NodeState> state;
    EntryHeap heap;
    std::vector<std::uint32_t> touched;
    std::uint32_t remaining = 0;
    // A node keyed above this leaves the heap only when nothing wanted is left: the search
    // stops there (unreachable - 1: only at `unreachable`).
    Distance key_limit = unreachable - 1;
    // search_targets with closures (`bounded`): per target, the largest key it can settle at
    // (the latest closing of its usable incoming edges, plus its potential), and a max-heap of
    // (bound, target) whose top, once the reported targets are taken off it, is key_limit: the
    // largest bound among the targets not reported yet.
    bool bounded = false;
    std::vector<std::uint8_t> reported;
    std::vector<std::pair<Distance, std::uint32_t>> bound_heap;
    // search_targets: the targets at each node, as lists in increasing target index
    // (target_first per node, none_here where no target is; target_next per target), and the
    // caller's visitor.
    static constexpr std::uint32_t none_here = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::uint32_t> target_first;
    std::vector<std::uint32_t> target_next;
    const Router::TargetVisitor* visit = nullptr;
    bool stopped_by_visit = false;
    // earliest_arrival with a budget: nodes it may still settle (0: no budget), and whether it
    // ran out.
    std::uint64_t settle_budget = 0;
    bool budget_spent = false;

    explicit RouterSearch(std::uint32_t n)
        : distance(n, unreachable), parent(n, EdgeId::invalid()), state(n) {}
    RouterSearch(const RouterSearch&) = delete;
    RouterSearch& operator=(const RouterSearch&) = delete;

    // Resets only what the previous search touched, so short queries stay cheap.
    void reset() {
        heap.clear(); // an early stop leaves entries in it
        for (const auto v : touched) {
            distance[v] = unreachable;
            parent[v] = EdgeId::invalid();
            state[v].color = boost::white_color;
        }
        touched.clear();
    }

    // Marks the nodes whose settlement ends the search.
    void mark_targets(std::span<const NodeId> nodes) {
        remaining = 0;
        for (const auto u : nodes) {
            if (!state[u.value()].is_target) {
                state[u.value()].is_target = 1;
                ++remaining;
            }
        }
    }
    void unmark_targets(std::span<const NodeId> nodes) {
        for (const auto u : nodes) state[u.value()].is_target = 0;
        remaining = 0;
    }

    // Or an A* bound by the straight line to one goal (earliest_arrival with a
    // StraightLineBound): its network, the goal, weight units per metre and the scale of a
    // degree of longitude (see straight_line_bound).
    const RoadNetwork* line_net = nullptr;
    LonLat line_goal;
    double line_per_m = 0.0;
    double line_lon_scale = 0.0;

    // v's potential: the array's, the straight line's, or 0.
    Distance pot(std::uint32_t v) const {
        if (potential != nullptr) return potential[v];
        if (line_net == nullptr) return 0;
        return static_cast<Distance>(
            flat_m(line_net->lonlat(NodeId(v)), line_goal, line_lon_scale) * line_per_m);
    }
    // v's heap key: its distance (plus its potential).
    Distance key(std::uint32_t v) const {
        if (potential == nullptr && line_net == nullptr) return distance[v];
        if (distance[v] == unreachable) return unreachable;
        const Distance p = pot(v);
        return p == unreachable ? unreachable : distance[v] + p;
    }

    // Reports every target at node v to the visitor; true when the visitor asks to stop.
    bool visit_node(std::uint32_t v) {
        for (auto k = target_first[v]; k != none_here; k = target_next[k]) {
            if (bounded) reported[k] = 1;
            if ((*visit)(k, distance[v])) return true;
        }
        if (bounded) {
            while (!bound_heap.empty() && reported[bound_heap.front().second]) {
                std::pop_heap(bound_heap.begin(), bound_heap.end());
                bound_heap.pop_back();
            }
            key_limit = bound_heap.empty() ? unreachable - 1 : bound_heap.front().first;
        }
        return false;
    }
};

namespace {

// The EdgeId of a CSR edge: its property, or (forward graph, whose CSR order is EdgeId order)
// its index, which saves reading the property array.
struct IdByProperty {
    std::uint32_t operator()(const CsrGraph& g, const CsrEdge& e) const { return g[e]; }
};
struct IdByIndex {
    std::uint32_t operator()(const CsrGraph&, const CsrEdge& e) const { return e.idx; }
};

template <class EdgeIds>
struct PlainWeight {
    const CsrGraph* graph;
    const Weight* weights;
    Weight operator()(const CsrEdge& e) const { return weights[EdgeIds{}(*graph, e)]; }
};

template <class EdgeIds>
struct TimedWeight {
    const CsrGraph* graph;
    const Weight* weights;
    const std::int64_t* closed_from;
    TimedCost operator()(const CsrEdge& e) const {
        const auto id = EdgeIds{}(*graph, e);
        return TimedCost{weights[id], closed_from[id]};
    }
};

// Called as node v (key `key`) leaves the heap, before its edges are relaxed: false when the
// search ends here (v is not settled further).
bool examine(detail::RouterSearch& s, std::uint32_t v, Distance key) {
    // Nodes leave the heap in key order. A key above key_limit: nothing the search still wants
    // can settle any more. (Nodes keyed `unreachable`, behind a closed or unusable edge or unable
    // to reach any target, never enter the heap.)
    if (key > s.key_limit) return false;
    if (s.settle_budget != 0 && --s.settle_budget == 0) {
        s.budget_spent = true;
        return false;
    }
    if (!s.state[v].is_target) return true;
    if (s.visit != nullptr && s.visit_node(v)) {
        s.stopped_by_visit = true;
        return false;
    }
    // Once every target is settled (and reported) the search ends: a visitor that wanted more
    // targets than there are used to make the search sweep all it could reach.
    return --s.remaining != 0;
}

// From every root at distance `start` (several roots: distances to or from the nearest).
template <class EdgeIds, class WeightFn, class Combine>
void run_dijkstra_on(const CsrGraph& g, detail::RouterSearch& s,
                     std::span<const std::uint32_t> roots, Distance start, WeightFn weight,
                     Combine combine) {
    s.reset();
    auto reach = [&s](std::uint32_t v) {
        if (s.state[v].color == boost::white_color) {
            s.state[v].color = boost::gray_color;
            s.touched.push_back(v);
        }
        const Distance key = s.key(v);
        if (key != unreachable) s.heap.push(HeapEntry{key, v});
    };
    for (const auto root : roots) {
        if (s.distance[root] == start) continue; // a root given twice
        s.distance[root] = start;
        reach(root);
    }
    while (!s.heap.empty()) {
        const HeapEntry top = s.heap.pop();
        const auto v = top.vertex;
        // Settled from an earlier entry with a smaller key (its distance improved after this
        // entry was pushed).
        if (s.state[v].color == boost::black_color) continue;
        s.state[v].color = boost::black_color;
        if (!examine(s, v, top.key)) return;
        const Distance dv = s.distance[v];
        const auto [first, last] = boost::out_edges(v, g);
        for (auto e = first; e != last; ++e) {
            const auto w = static_cast<std::uint32_t>(boost::target(*e, g));
            if (s.state[w].color == boost::black_color) continue;
            const Distance dw = combine(dv, weight(*e));
            if (dw < s.distance[w]) {
                s.distance[w] = dw;
                s.parent[w] = EdgeId(EdgeIds{}(g, *e));
                reach(w);
            }
        }
    }
}

// Plain weights over `g` (the forward graph or the backward one).
void run_plain(const RoutingGraph& graph, const CsrGraph& g, detail::RouterSearch& s,
               std::span<const std::uint32_t> roots, Distance start, const Weight* weights) {
    if (&g == &graph.impl().forward) {
        run_dijkstra_on<IdByIndex>(g, s, roots, start, PlainWeight<IdByIndex>{&g, weights},
                                   PlainCombine{});
    } else {
        run_dijkstra_on<IdByProperty>(g, s, roots, start, PlainWeight<IdByProperty>{&g, weights},
                                      PlainCombine{});
    }
}
void run_plain(const RoutingGraph& graph, const CsrGraph& g, detail::RouterSearch& s,
               std::uint32_t root, Distance start, const Weight* weights) {
    const std::uint32_t roots[] = {root};
    run_plain(graph, g, s, std::span<const std::uint32_t>(roots), start, weights);
}

// Closing times, over the forward graph.
void run_timed(const CsrGraph& forward, detail::RouterSearch& s, std::uint32_t root, Distance start,
               const Weight* weights, const std::int64_t* closed_from, double slowdown) {
    const std::uint32_t roots[] = {root};
    run_dijkstra_on<IdByIndex>(forward, s, std::span<const std::uint32_t>(roots), start,
                               TimedWeight<IdByIndex>{&forward, weights, closed_from},
                               TimedCombine{slowdown});
}

} // namespace

std::vector<Weight> length_weights(const RoadNetwork& net) {
    std::vector<Weight> out(net.edge_count());
    const auto lengths = net.lengths_m();
    constexpr double max_weight = static_cast<double>(no_edge - 1);
    for (std::size_t e = 0; e < out.size(); ++e) {
        const double len = std::max(0.0, std::round(lengths[e]));
        out[e] = len >= max_weight ? no_edge - 1 : static_cast<Weight>(len);
    }
    return out;
}

RoutingGraph::RoutingGraph(const RoadNetwork& net)
    : m_impl(std::make_unique<Impl>()), m_tail(net.tails().begin(), net.tails().end()),
      m_head(net.heads().begin(), net.heads().end()) {
    const auto n = net.node_count();
    const auto m = net.edge_count();
    std::vector<std::uint32_t> ids(m);
    std::iota(ids.begin(), ids.end(), 0u);
    {
        std::vector<std::pair<std::uint32_t, std::uint32_t>> arcs(m);
        for (std::uint32_t e = 0; e < m; ++e) arcs[e] = {m_tail[e], m_head[e]};
        // The network's edges are already sorted by tail (CSR order).
        m_impl->forward =
            CsrGraph(boost::edges_are_sorted, arcs.begin(), arcs.end(), ids.begin(), n, m);
        for (std::uint32_t e = 0; e < m; ++e) arcs[e] = {m_head[e], m_tail[e]};
        m_impl->backward = CsrGraph(boost::edges_are_unsorted_multi_pass, arcs.begin(), arcs.end(),
                                    ids.begin(), n);
    }
    if (boost::num_edges(m_impl->forward) != m || boost::num_edges(m_impl->backward) != m ||
        boost::num_vertices(m_impl->forward) != n) {
        throw InternalError("RoutingGraph: Boost CSR graph does not match the road network");
    }
    // Forward searches take an edge's EdgeId from its CSR index (IdByIndex).
    const auto [first, last] = boost::edges(m_impl->forward);
    for (auto e = first; e != last; ++e) {
        if (m_impl->forward[*e] != e->idx)
            throw InternalError("RoutingGraph: forward CSR order is not EdgeId order");
    }
}

RoutingGraph::~RoutingGraph() = default;
RoutingGraph::RoutingGraph(RoutingGraph&&) noexcept = default;
RoutingGraph& RoutingGraph::operator=(RoutingGraph&&) noexcept = default;

std::uint32_t RoutingGraph::node_count() const noexcept {
    return static_cast<std::uint32_t>(boost::num_vertices(m_impl->forward));
}
std::uint32_t RoutingGraph::edge_count() const noexcept {
    return static_cast<std::uint32_t>(m_tail.size());
}

std::optional<std::vector<EdgeId>> ShortestPathTree::path(NodeId u) const {
    if (!reached(u)) return std::nullopt;
    std::vector<EdgeId> edges;
    NodeId v = u;
    while (v != m_root) {
        const EdgeId e = m_parent[v.value()];
        if (!e.valid()) throw InternalError("ShortestPathTree: broken parent chain");
        edges.push_back(e);
        v = m_direction == Direction::forward ? m_graph->tail(e) : m_graph->head(e);
    }
    if (m_direction == Direction::forward) std::reverse(edges.begin(), edges.end());
    return edges;
}

Router::Router(const RoutingGraph& graph)
    : m_graph(&graph), m_search(std::make_unique<detail::RouterSearch>(graph.node_count())) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

namespace {

void check_weights(const RoutingGraph& g, std::span<const Weight> weights) {
    if (weights.size() != g.edge_count()) {
        throw InternalError("Router: " + std::to_string(weights.size()) + " weights for " +
                            std::to_string(g.edge_count()) + " edges");
    }
}

void check_node(const RoutingGraph& g, NodeId u) {
    if (u.value() >= g.node_count()) {
        throw InternalError("Router: node " + std::to_string(u.value()) + " is not in the graph (" +
                            std::to_string(g.node_count()) + " nodes)");
    }
}

void check_nodes(const RoutingGraph& g, std::span<const NodeId> nodes) {
    for (const auto u : nodes) check_node(g, u);
}

// One closing time per edge (`who` names the query in the message).
void check_closures(const RoutingGraph& g, std::span<const std::int64_t> closed_from,
                    const char* who) {
    if (closed_from.size() != g.edge_count()) {
        throw InternalError(std::string(who) + ": " + std::to_string(closed_from.size()) +
                            " closing times for " + std::to_string(g.edge_count()) + " edges");
    }
}

} // namespace

std::optional<Route> Router::route(NodeId from, NodeId to, std::span<const Weight> weights) {
    check_weights(*m_graph, weights);
    check_node(*m_graph, from);
    check_node(*m_graph, to);
    const NodeId target[] = {to};
    m_search->mark_targets(target);
    const auto& g = m_graph->impl().forward;
    try {
        run_plain(*m_graph, g, *m_search, from.value(), 0, weights.data());
    } catch (...) {
        m_search->unmark_targets(target);
        throw;
    }
    m_search->unmark_targets(target);
    m_tree = ShortestPathTree{};
    m_tree.m_graph = m_graph;
    m_tree.m_root = from;
    m_tree.m_direction = Direction::forward;
    m_tree.m_distance = m_search->distance;
    m_tree.m_parent = m_search->parent;
    auto edges = m_tree.path(to);
    if (!edges) return std::nullopt;
    return Route{from, to, std::move(*edges), m_search->distance[to.value()], 0};
}

const ShortestPathTree& Router::tree(NodeId root, std::span<const Weight> weights,
                                     Direction direction) {
    check_weights(*m_graph, weights);
    check_node(*m_graph, root);
    const auto& g =
        direction == Direction::forward ? m_graph->impl().forward : m_graph->impl().backward;
    run_plain(*m_graph, g, *m_search, root.value(), 0, weights.data());
    m_tree.m_graph = m_graph;
    m_tree.m_root = root;
    m_tree.m_direction = direction;
    m_tree.m_distance = m_search->distance;
    m_tree.m_parent = m_search->parent;
    return m_tree;
}

const ShortestPathTree& Router::tree(std::span<const NodeId> roots, std::span<const Weight> weights,
                                     Direction direction) {
    check_weights(*m_graph, weights);
    check_nodes(*m_graph, roots);
    if (roots.empty()) throw InternalError("Router: a tree needs at least one root");
    const auto& g =
        direction == Direction::forward ? m_graph->impl().forward : m_graph->impl().backward;
    std::vector<std::uint32_t> ids;
    ids.reserve(roots.size());
    for (const auto r : roots) ids.push_back(r.value());
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    run_plain(*m_graph, g, *m_search, std::span<const std::uint32_t>(ids), 0, weights.data());
    m_tree.m_graph = m_graph;
    m_tree.m_root = roots.front();
    m_tree.m_direction = direction;
    m_tree.m_distance = m_search->distance;
    m_tree.m_parent = m_search->parent;
    return m_tree;
}

std::vector<std::uint8_t> reachable_nodes(const RoutingGraph& graph, std::span<const NodeId> roots,
                                          std::span<const Weight> weights, Direction direction,
                                          std::span<const std::pair<NodeId, NodeId>> extra_arcs,
                                          std::span<const NodeId> wanted) {
    check_weights(graph, weights);
    check_nodes(graph, roots);
    check_nodes(graph, wanted);
    const bool forward = direction == Direction::forward;
    const auto& g = forward ? graph.impl().forward : graph.impl().backward;
    // Extra arcs in the direction of the sweep, sorted by the node they leave.
    std::vector<std::pair<std::uint32_t, std::uint32_t>> extra;
    extra.reserve(extra_arcs.size());
    for (const auto& [tail, head] : extra_arcs) {
        check_node(graph, tail);
        check_node(graph, head);
        extra.emplace_back(forward ? tail.value() : head.value(),
                           forward ? head.value() : tail.value());
    }
    std::sort(extra.begin(), extra.end());
    std::vector<std::uint8_t> seen(graph.node_count(), 0);
    // Wanted nodes not reached yet (2 in `seen` marks one until it is reached).
    std::size_t missing = 0;
    for (const auto w : wanted) {
        if (seen[w.value()] == 0) {
            seen[w.value()] = 2;
            ++missing;
        }
    }
    std::vector<std::uint32_t> queue;
    auto reach = [&](std::uint32_t v) {
        if (seen[v] == 1) return;
        if (seen[v] == 2) --missing;
        seen[v] = 1;
        queue.push_back(v);
    };
    for (const auto r : roots) reach(r.value());
    for (std::size_t next = 0; next < queue.size() && (wanted.empty() || missing > 0); ++next) {
        const auto u = queue[next];
        const auto [first, last] = boost::out_edges(u, g);
        for (auto e = first; e != last; ++e) {
            if (weights[g[*e]] == no_edge) continue;
            reach(static_cast<std::uint32_t>(boost::target(*e, g)));
        }
        for (auto it =
                 std::lower_bound(extra.begin(), extra.end(), std::make_pair(u, std::uint32_t{0}));
             it != extra.end() && it->first == u; ++it) {
            reach(it->second);
        }
    }
    for (const auto w : wanted) {
        if (seen[w.value()] == 2) seen[w.value()] = 0;
    }
    return seen;
}

std::vector<Distance> latest_departure(const RoutingGraph& graph, std::span<const NodeId> roots,
                                       std::span<const Weight> weights,
                                       std::span<const std::int64_t> closed_from) {
    check_weights(graph, weights);
    check_nodes(graph, roots);
    check_closures(graph, closed_from, "latest_departure");
    const auto& g = graph.impl().backward; // edge v -> u here is network edge u -> v
    std::vector<Distance> latest(graph.node_count(), never_reached);
    std::vector<std::uint8_t> settled(graph.node_count(), 0);
    std::priority_queue<std::pair<Distance, std::uint32_t>> queue; // largest time first
    for (const auto r : roots) {
        latest[r.value()] = never_closes;
        queue.emplace(never_closes, r.value());
    }
    while (!queue.empty()) {
        const auto [t, u] = queue.top();
        queue.pop();
        if (settled[u] || t != latest[u]) continue;
        settled[u] = 1;
        const auto [first, last] = boost::out_edges(u, g);
        for (auto e = first; e != last; ++e) {
            const auto id = g[*e];
            if (weights[id] == no_edge) continue;
            const auto v = boost::target(*e, g);
            if (settled[v]) continue;
            // Leave v by `by` to be off the edge before it closes and at u by t.
            const Distance by =
                std::min<Distance>(t, closed_from[id]) - static_cast<Distance>(weights[id]);
            if (by > latest[v]) {
                latest[v] = by;
                queue.emplace(by, v);
            }
        }
    }
    return latest;
}

DistanceVector Router::one_to_many(NodeId source, std::span<const NodeId> targets,
                                   std::span<const Weight> weights) {
    check_weights(*m_graph, weights);
    check_node(*m_graph, source);
    check_nodes(*m_graph, targets);
    DistanceVector out(static_cast<Eigen::Index>(targets.size()));
    if (targets.empty()) return out;
    const auto& g = m_graph->impl().forward;
    m_search->mark_targets(targets);
    try {
        run_plain(*m_graph, g, *m_search, source.value(), 0, weights.data());
    } catch (...) {
        m_search->unmark_targets(targets);
        throw;
    }
    m_search->unmark_targets(targets);
    for (std::size_t i = 0; i < targets.size(); ++i) {
        out(static_cast<Eigen::Index>(i)) = m_search->distance[targets[i].value()];
    }
    m_tree = ShortestPathTree{};
    return out;
}

DistanceVector Router::many_to_one(std::span<const NodeId> sources, NodeId target,
                                   std::span<const Weight> weights) {
    check_weights(*m_graph, weights);
    check_node(*m_graph, target);
    check_nodes(*m_graph, sources);
    DistanceVector out(static_cast<Eigen::Index>(sources.size()));
    if (sources.empty()) return out;
    const auto& g = m_graph->impl().backward;
    m_search->mark_targets(sources);
    try {
        run_plain(*m_graph, g, *m_search, target.value(), 0, weights.data());
    } catch (...) {
        m_search->unmark_targets(sources);
        throw;
    }
    m_search->unmark_targets(sources);
    for (std::size_t i = 0; i < sources.size(); ++i) {
        out(static_cast<Eigen::Index>(i)) = m_search->distance[sources[i].value()];
    }
    m_tree = ShortestPathTree{};
    return out;
}

DistanceMatrix Router::many_to_many(std::span<const NodeId> sources,
                                    std::span<const NodeId> targets,
                                    std::span<const Weight> weights) {
    const auto rows = static_cast<Eigen::Index>(sources.size());
    const auto cols = static_cast<Eigen::Index>(targets.size());
    DistanceMatrix out(rows, cols);
    if (sources.size() <= targets.size()) {
        for (Eigen::Index i = 0; i < rows; ++i) {
            out.row(i) =
                one_to_many(sources[static_cast<std::size_t>(i)], targets, weights).transpose();
        }
    } else {
        for (Eigen::Index j = 0; j < cols; ++j) {
            out.col(j) = many_to_one(sources, targets[static_cast<std::size_t>(j)], weights);
        }
    }
    return out;
}

const ShortestPathTree& Router::earliest_arrival_tree(NodeId from, Distance departure,
                                                      std::span<const Weight> weights,
                                                      std::span<const std::int64_t> closed_from) {
    check_weights(*m_graph, weights);
    check_node(*m_graph, from);
    check_closures(*m_graph, closed_from, "Router");
    if (departure == unreachable) throw InternalError("Router: departure time is INT64_MAX");
    const auto& g = m_graph->impl().forward;
    run_timed(g, *m_search, from.value(), departure, weights.data(), closed_from.data(),
              m_slowdown);
    m_tree.m_graph = m_graph;
    m_tree.m_root = from;
    m_tree.m_direction = Direction::forward;
    m_tree.m_distance = m_search->distance;
    m_tree.m_parent = m_search->parent;
    return m_tree;
}

std::optional<Route> Router::earliest_arrival(NodeId from, NodeId to, Distance departure,
                                              std::span<const Weight> weights,
                                              std::span<const std::int64_t> closed_from,
                                              std::span<const Distance> potential, double slowdown,
                                              std::uint64_t max_settled) {
    check_node(*m_graph, to);
    if (!(slowdown > 0.0) || (!potential.empty() && slowdown < 1.0)) {
        throw InternalError(
            "Router: slowdown " + std::to_string(slowdown) +
            (potential.empty() ? " is not positive" : " below 1 with an A* potential"));
    }
    // The timed searches below read m_slowdown; every other query runs at 1.
    struct Restore {
        double& value;
        std::uint64_t& budget;
        ~Restore() {
            value = 1.0;
            budget = 0;
        }
    } restore{m_slowdown, m_search->settle_budget};
    m_slowdown = slowdown;
    m_search->settle_budget = max_settled;
    m_search->budget_spent = false;
    if (!potential.empty()) {
        const NodeId target[] = {to};
        bool reached = false;
        search_targets(
            from, departure, weights, closed_from, target,
            [&](std::size_t, Distance) { return reached = true; }, potential);
        if (!reached || m_search->budget_spent) return std::nullopt;
        auto edges = m_tree.path(to);
        if (!edges) return std::nullopt;
        return Route{from, to, std::move(*edges), m_search->distance[to.value()] - departure,
                     departure};
    }
    const NodeId target[] = {to};
    m_search->mark_targets(target);
    try {
        earliest_arrival_tree(from, departure, weights, closed_from);
    } catch (...) {
        m_search->unmark_targets(target);
        throw;
    }
    m_search->unmark_targets(target);
    if (m_search->budget_spent) return std::nullopt; // `to` may be reached but not settled
    auto edges = m_tree.path(to);
    if (!edges) return std::nullopt;
    return Route{from, to, std::move(*edges), m_search->distance[to.value()] - departure,
                 departure};
}

StraightLineBound straight_line_bound(const RoadNetwork& net, std::span<const Weight> weights) {
    StraightLineBound out;
    if (!net.has_coordinates() || weights.size() != net.edge_count()) return out;
    double max_abs_lat = 0.0;
    for (std::uint32_t v = 0; v < net.node_count(); ++v)
        max_abs_lat = std::max(max_abs_lat, std::abs(net.lonlat(NodeId(v)).lat));
    // A degree of longitude at the network's most polar latitude: the flat metric is never
    // much longer than the great circle, so the bound stays near the real distances.
    const double lon_scale =
        std::cos(std::min(90.0, max_abs_lat + 0.01) * 3.14159265358979323846 / 180.0);
    // Consistency: for every usable edge u -> v, per_m x flat(u, v) <= its weight; then
    // |bound(u) - bound(v)| <= per_m x flat(u, v) (triangle inequality) never exceeds it
    // either, after truncation to whole units (strictly below an integer weight).
    double per_m = std::numeric_limits<double>::infinity();
    for (std::uint32_t e = 0; e < net.edge_count(); ++e) {
        if (weights[e] == no_edge) continue;
        const EdgeId id(e);
        const double len = std::max(net.length_m(id), flat_m(net.lonlat(net.tail(id)),
                                                             net.lonlat(net.head(id)), lon_scale));
        if (len > 0.0) per_m = std::min(per_m, static_cast<double>(weights[e]) / len);
    }
    if (!std::isfinite(per_m) || per_m <= 0.0) return out;
    out.network = &net;
    out.per_m = per_m * 0.98; // rounding: 2 % under
    out.lon_scale = lon_scale;
    return out;
}

std::optional<Route> Router::earliest_arrival(NodeId from, NodeId to, Distance departure,
                                              std::span<const Weight> weights,
                                              std::span<const std::int64_t> closed_from,
                                              const StraightLineBound& line,
                                              std::uint64_t max_settled) {
    if (!line.usable())
        return earliest_arrival(from, to, departure, weights, closed_from, {}, 1.0, max_settled);
    check_node(*m_graph, to);
    if (line.network->node_count() != m_graph->node_count()) {
        throw InternalError("Router: a straight-line bound over " +
                            std::to_string(line.network->node_count()) + " nodes for " +
                            std::to_string(m_graph->node_count()));
    }
    auto& s = *m_search;
    struct Restore {
        detail::RouterSearch& s;
        ~Restore() {
            s.line_net = nullptr;
            s.settle_budget = 0;
        }
    } restore{s};
    s.settle_budget = max_settled;
    s.budget_spent = false;
    s.line_net = line.network;
    s.line_goal = line.network->lonlat(to);
    s.line_per_m = line.per_m;
    s.line_lon_scale = line.lon_scale;
    const NodeId target[] = {to};
    bool reached = false;
    search_targets(from, departure, weights, closed_from, target,
                   [&](std::size_t, Distance) { return reached = true; });
    if (!reached || s.budget_spent) return std::nullopt;
    auto edges = m_tree.path(to);
    if (!edges) return std::nullopt;
    return Route{from, to, std::move(*edges), s.distance[to.value()] - departure, departure};
}

bool Router::gave_up() const noexcept {
    return m_search->budget_spent;
}

std::optional<Distance> Router::latest_departure_from(NodeId from, std::span<const NodeId> roots,
                                                      std::span<const Weight> weights,
                                                      std::span<const std::int64_t> closed_from,
                                                      Distance not_before,
                                                      std::uint64_t max_settled) {
    check_node(*m_graph, from);
    const NodeId one[] = {from};
    const auto found =
        latest_departures_from(one, roots, weights, closed_from, not_before, max_settled);
    if (!found) return std::nullopt;
    return found->front();
}

std::optional<std::vector<Distance>> Router::latest_departures_from(
    std::span<const NodeId> from, std::span<const NodeId> roots, std::span<const Weight> weights,
    std::span<const std::int64_t> closed_from, Distance not_before, std::uint64_t max_settled) {
    check_weights(*m_graph, weights);
    check_nodes(*m_graph, from);
    check_nodes(*m_graph, roots);
    check_closures(*m_graph, closed_from, "latest_departures_from");
    std::vector<Distance> out(from.size(), never_reached);
    if (from.empty()) return out;
    // The same labels as latest_departure: a node's time lives in `distance` while its colour
    // is gray (labelled) or black (settled); the Router's reset clears both. The nodes asked
    // for are marked as targets (`remaining` counts those not settled yet).
    auto& s = *m_search;
    s.reset();
    s.mark_targets(from);
    struct Unmark {
        detail::RouterSearch& s;
        std::span<const NodeId> nodes;
        ~Unmark() { s.unmark_targets(nodes); }
    } unmark{s, from};
    const auto& g = m_graph->impl().backward; // edge v -> u here is network edge u -> v
    std::priority_queue<std::pair<Distance, std::uint32_t>> queue; // largest time first
    auto label = [&](std::uint32_t v, Distance t) {
        if (s.state[v].color == boost::white_color) {
            s.touched.push_back(v);
            s.state[v].color = boost::gray_color;
        } else if (t <= s.distance[v]) {
            return;
        }
        s.distance[v] = t;
        queue.emplace(t, v);
    };
    for (const auto r : roots) label(r.value(), never_closes);
    std::uint64_t settled = 0;
    while (!queue.empty() && s.remaining > 0) {
        const auto [t, u] = queue.top();
        queue.pop();
        if (s.state[u].color == boost::black_color || t != s.distance[u]) continue;
        if (t < not_before) break; // the times of the nodes left, if any, are earlier still
        s.state[u].color = boost::black_color;
        if (s.state[u].is_target && --s.remaining == 0) break;
        if (max_settled != 0 && ++settled > max_settled) return std::nullopt;
        const auto [first, last] = boost::out_edges(u, g);
        for (auto e = first; e != last; ++e) {
            const auto id = g[*e];
            if (weights[id] == no_edge) continue;
            const auto v = static_cast<std::uint32_t>(boost::target(*e, g));
            if (s.state[v].color == boost::black_color) continue;
            // Leave v by `by` to be off the edge before it closes and at u by t.
            label(v, std::min<Distance>(t, closed_from[id]) - static_cast<Distance>(weights[id]));
        }
    }
    for (std::size_t k = 0; k < from.size(); ++k) {
        const auto v = from[k].value();
        if (s.state[v].color == boost::black_color) out[k] = s.distance[v];
    }
    return out;
}

namespace {

// The latest moment node b can be arrived at: the latest closing of its usable incoming edges
// (never_reached where it has none).
Distance closing_of(const RoutingGraph& graph, std::uint32_t b, std::span<const Weight> weights,
                    std::span<const std::int64_t> closed_from) {
    const auto& back = graph.impl().backward;
    Distance closes = never_reached;
    const auto [first, last] = boost::out_edges(b, back);
    for (auto e = first; e != last && closes != never_closes; ++e) {
        const auto id = back[*e];
        if (weights[id] != no_edge) closes = std::max<Distance>(closes, closed_from[id]);
    }
    return closes;
}

} // namespace

std::vector<Distance> arrival_closing(const RoutingGraph& graph, std::span<const Weight> weights,
                                      std::span<const std::int64_t> closed_from) {
    check_weights(graph, weights);
    check_closures(graph, closed_from, "arrival_closing");
    std::vector<Distance> out(graph.node_count());
    for (std::uint32_t b = 0; b < out.size(); ++b) {
        out[b] = closing_of(graph, b, weights, closed_from);
    }
    return out;
}

bool Router::search_targets(NodeId from, Distance start, std::span<const Weight> weights,
                            std::span<const std::int64_t> closed_from,
                            std::span<const NodeId> targets, const TargetVisitor& visit,
                            std::span<const Distance> potential,
                            std::span<const Distance> arrival_closing) {
    check_weights(*m_graph, weights);
    check_node(*m_graph, from);
    check_nodes(*m_graph, targets);
    if (!closed_from.empty()) check_closures(*m_graph, closed_from, "Router");
    if (start == unreachable) throw InternalError("Router: start time is INT64_MAX");
    if (!arrival_closing.empty() && arrival_closing.size() != m_graph->node_count()) {
        throw InternalError("Router: " + std::to_string(arrival_closing.size()) +
                            " arrival closings for " + std::to_string(m_graph->node_count()) +
                            " nodes");
    }
    if (!potential.empty() && potential.size() != m_graph->node_count()) {
        throw InternalError("Router: " + std::to_string(potential.size()) + " potentials for " +
                            std::to_string(m_graph->node_count()) + " nodes");
    }
    auto& s = *m_search;
    if (s.target_first.empty()) s.target_first.assign(m_graph->node_count(), s.none_here);
    s.target_next.resize(targets.size());
    for (std::size_t k = targets.size(); k-- > 0;) {
        auto& first = s.target_first[targets[k].value()];
        s.target_next[k] = first;
        first = static_cast<std::uint32_t>(k);
    }
    s.mark_targets(targets);
    s.visit = &visit;
    s.stopped_by_visit = false;
    s.potential = potential.empty() ? nullptr : potential.data();
    if (!closed_from.empty() && !targets.empty()) {
        // A target is reached over one of its usable incoming edges, at the latest when that
        // edge closes: once every target not yet reported is past its latest closing, none can
        // be reported any more and the search stops there (instead of settling everything it
        // can still reach; a target cut off by the water made the search sweep the network).
        // The same targets are reported, in the same order.
        // Only the largest bound of the targets not reported yet is ever asked for: a heap.
        s.bound_heap.clear();
        for (std::size_t k = 0; k < targets.size(); ++k) {
            const auto b = targets[k].value();
            const Distance closes = b == from.value() ? never_closes
                                    : arrival_closing.empty()
                                        ? closing_of(*m_graph, b, weights, closed_from)
                                        : arrival_closing[b];
            assert(arrival_closing.empty() ||
                   closes == closing_of(*m_graph, b, weights, closed_from) || b == from.value());
            const Distance pot = s.pot(b);
            // Never reported: its bound is never_reached (the search stops at it).
            Distance bound = never_reached;
            if (closes != never_reached && pot != unreachable) {
                // In key terms (arrival + potential), saturated below `unreachable`.
                bound = closes >= unreachable - 1 - pot ? unreachable - 1 : closes + pot;
            }
            s.bound_heap.emplace_back(bound, static_cast<std::uint32_t>(k));
        }
        std::make_heap(s.bound_heap.begin(), s.bound_heap.end());
        s.reported.assign(targets.size(), 0);
        s.bounded = true;
        s.key_limit = s.bound_heap.front().first;
    }
    const auto& g = m_graph->impl().forward;
    auto done = [&] {
        s.visit = nullptr;
        s.potential = nullptr;
        s.line_net = nullptr;
        s.unmark_targets(targets);
        for (const auto t : targets) s.target_first[t.value()] = s.none_here;
        s.bounded = false;
        s.bound_heap.clear();
        s.key_limit = unreachable - 1;
    };
    try {
        if (closed_from.empty()) {
            run_plain(*m_graph, g, s, from.value(), start, weights.data());
        } else {
            run_timed(g, s, from.value(), start, weights.data(), closed_from.data(), m_slowdown);
        }
    } catch (...) {
        done();
        throw;
    }
    done();
    m_tree.m_graph = m_graph;
    m_tree.m_root = from;
    m_tree.m_direction = Direction::forward;
    m_tree.m_distance = s.distance;
    m_tree.m_parent = s.parent;
    return s.stopped_by_visit;
}

std::vector<LonLat> path_geometry(const RoadNetwork& net, std::span<const EdgeId> edges) {
    std::vector<LonLat> out;
    if (!net.has_coordinates()) return out;
    for (const auto e : edges) {
        const auto inner = net.edge_inner_points(e);
        if (out.empty()) out.push_back(net.lonlat(net.tail(e)));
        out.insert(out.end(), inner.begin(), inner.end());
        out.push_back(net.lonlat(net.head(e)));
    }
    return out;
}

double path_length_m(const RoadNetwork& net, std::span<const EdgeId> edges) {
    double sum = 0.0;
    for (const auto e : edges) sum += net.length_m(e);
    return sum;
}

} // namespace sonae::geo
