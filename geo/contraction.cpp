#include "geo/contraction.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <string>
#include <tuple>
#include <utility>

namespace sonae::geo {

namespace {

constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
// m_arc_first value of an arc that is an original edge.
constexpr std::uint32_t leaf_arc = none;

// Settled-node limits of the witness searches: lower while estimating a node's priority
// (it runs far more often), higher when contracting. A search cut short only adds a
// shortcut that a longer one would have shown unnecessary; distances stay exact.
constexpr int estimate_settle_limit = 20;
constexpr int contract_settle_limit = 1000;

// An arc of the graph being contracted: an original edge or a shortcut over two arcs.
struct BuildArc {
    std::uint32_t tail;
    std::uint32_t head;
    Distance weight;
    std::uint32_t first;  // leaf_arc for an original edge
    std::uint32_t second; // the EdgeId, or the second arc of the shortcut
    std::uint32_t hops;   // original edges it stands for
};

// One entry of a node's adjacency list in the graph being contracted (the arc's weight is
// kept here too, so that witness searches read one array).
struct Link {
    std::uint32_t other;
    std::uint32_t arc;
    Distance weight;
};

// Node contraction with lazy priority updates. The adjacency lists only ever hold nodes not
// yet contracted, so a search over them is a search in the remaining graph.
class Contractor {
public:
    Contractor(std::uint32_t n, std::span<const std::uint32_t> tails,
               std::span<const std::uint32_t> heads, std::span<const Weight> weights)
        : rank(n, none), up_arcs(n), down_arcs(n), m_out(n), m_in(n), m_level(n, 0),
          m_contracted(n, 0), m_priority(n, 0), m_dist(n, unreachable), m_target_stamp(n, 0) {
        // Cheapest usable edge per (tail, head), lowest EdgeId on a tie; loops never help.
        std::vector<std::uint32_t> order;
        order.reserve(tails.size());
        for (std::uint32_t e = 0; e < tails.size(); ++e) {
            if (weights[e] != no_edge && tails[e] != heads[e]) order.push_back(e);
        }
        std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
            return std::tie(tails[a], heads[a], weights[a], a) <
                   std::tie(tails[b], heads[b], weights[b], b);
        });
        for (std::size_t i = 0; i < order.size(); ++i) {
            const auto e = order[i];
            if (i > 0 && tails[order[i - 1]] == tails[e] && heads[order[i - 1]] == heads[e]) {
                continue;
            }
            add_link(BuildArc{tails[e], heads[e], weights[e], leaf_arc, e, 1});
        }
        input_arcs = static_cast<std::uint32_t>(arcs.size());
    }

    void run() {
        const auto n = static_cast<std::uint32_t>(m_out.size());
        using Entry = std::pair<std::int64_t, std::uint32_t>;
        std::vector<Entry> queue;
        queue.reserve(n);
        for (std::uint32_t v = 0; v < n; ++v) {
            m_priority[v] = priority(v);
            queue.emplace_back(m_priority[v], v);
        }
        const std::greater<Entry> later;
        std::make_heap(queue.begin(), queue.end(), later);
        std::uint32_t next_rank = 0;
        std::vector<std::uint32_t> neighbours;
        while (!queue.empty()) {
            std::pop_heap(queue.begin(), queue.end(), later);
            const auto [p, v] = queue.back();
            queue.pop_back();
            if (m_contracted[v] || p != m_priority[v]) continue; // stale entry
            // Lazy update: the priority may have grown since it was queued.
            const auto now = priority(v);
            if (now > p && !queue.empty() && now > queue.front().first) {
                m_priority[v] = now;
                queue.emplace_back(now, v);
                std::push_heap(queue.begin(), queue.end(), later);
                continue;
            }
            neighbours.clear();
            for (const auto& l : m_in[v]) neighbours.push_back(l.other);
            for (const auto& l : m_out[v]) neighbours.push_back(l.other);
            contract(v);
            rank[v] = next_rank++;
            std::sort(neighbours.begin(), neighbours.end());
            neighbours.erase(std::unique(neighbours.begin(), neighbours.end()), neighbours.end());
            for (const auto x : neighbours) {
                m_level[x] = std::max(m_level[x], m_level[v] + 1);
                m_priority[x] = priority(x);
                queue.emplace_back(m_priority[x], x);
                std::push_heap(queue.begin(), queue.end(), later);
            }
        }
    }

    std::vector<BuildArc> arcs;
    std::uint32_t input_arcs = 0;
    std::vector<std::uint32_t> rank;
    // Per node, recorded when it is contracted: its arcs to and from the nodes still left,
    // which are exactly its arcs to and from higher-ranked nodes.
    std::vector<std::vector<std::uint32_t>> up_arcs;
    std::vector<std::vector<std::uint32_t>> down_arcs;

private:
    void add_link(const BuildArc& a) {
        const auto id = static_cast<std::uint32_t>(arcs.size());
        arcs.push_back(a);
        m_out[a.tail].push_back({a.head, id, a.weight});
        m_in[a.head].push_back({a.tail, id, a.weight});
    }

    // Adds shortcut u -> w over arcs `first` and `second`, or replaces a dearer arc u -> w.
    // A replaced arc is between two uncontracted nodes, so no shortcut refers to it yet.
    void add_shortcut(std::uint32_t u, std::uint32_t w, Distance weight, std::uint32_t first,
                      std::uint32_t second) {
        const BuildArc a{u, w, weight, first, second, arcs[first].hops + arcs[second].hops};
        for (auto& l : m_out[u]) {
            if (l.other != w) continue;
            if (l.weight <= weight) return;
            const auto id = static_cast<std::uint32_t>(arcs.size());
            arcs.push_back(a);
            for (auto& back : m_in[w]) {
                if (back.arc == l.arc) back = {u, id, weight};
            }
            l = {w, id, weight};
            return;
        }
        add_link(a);
    }

    // Dijkstra from `source` in the remaining graph without `avoid`; stops beyond `max_dist`,
    // after `settle_limit` settled nodes, or once every marked target is settled.
    void witness_search(std::uint32_t source, std::uint32_t avoid, Distance max_dist,
                        int settle_limit, std::uint32_t targets) {
        for (const auto u : m_touched) m_dist[u] = unreachable;
        m_touched.clear();
        m_heap.clear();
        const std::greater<std::pair<Distance, std::uint32_t>> later;
        m_dist[source] = 0;
        m_touched.push_back(source);
        m_heap.emplace_back(0, source);
        int settled = 0;
        while (!m_heap.empty()) {
            std::pop_heap(m_heap.begin(), m_heap.end(), later);
            const auto [d, u] = m_heap.back();
            m_heap.pop_back();
            if (d > m_dist[u]) continue;
            if (d > max_dist || ++settled > settle_limit) return;
            if (m_target_stamp[u] == m_stamp && --targets == 0) return;
            for (const auto& l : m_out[u]) {
                const Distance nd = d + l.weight;
                // Beyond max_dist a node can be no witness, so it need not be queued.
                if (nd > max_dist || l.other == avoid) continue;
                if (nd < m_dist[l.other]) {
                    if (m_dist[l.other] == unreachable) m_touched.push_back(l.other);
                    m_dist[l.other] = nd;
                    m_heap.emplace_back(nd, l.other);
                    std::push_heap(m_heap.begin(), m_heap.end(), later);
                }
            }
        }
    }

    struct Cost {
        std::int64_t shortcuts = 0;
        std::int64_t hops = 0;
    };

    // The shortcuts contracting v needs; added to the graph when `apply`.
    Cost shortcuts_for(std::uint32_t v, bool apply) {
        Cost cost;
        const int limit = apply ? contract_settle_limit : estimate_settle_limit;
        for (std::size_t i = 0; i < m_in[v].size(); ++i) {
            const auto [u, in_arc, in_weight] = m_in[v][i];
            Distance max_out = -1;
            std::uint32_t targets = 0;
            ++m_stamp;
            for (const auto& l : m_out[v]) {
                if (l.other == u) continue;
                max_out = std::max(max_out, l.weight);
                if (m_target_stamp[l.other] != m_stamp) {
                    m_target_stamp[l.other] = m_stamp;
                    ++targets;
                }
            }
            if (max_out < 0) continue;
            witness_search(u, v, in_weight + max_out, limit, targets);
            for (std::size_t j = 0; j < m_out[v].size(); ++j) {
                const auto [w, out_arc, out_weight] = m_out[v][j];
                if (w == u) continue;
                const Distance via = in_weight + out_weight;
                if (m_dist[w] <= via) continue; // a witness path avoids v
                ++cost.shortcuts;
                cost.hops += arcs[in_arc].hops + arcs[out_arc].hops;
                if (apply) add_shortcut(u, w, via, in_arc, out_arc);
            }
        }
        return cost;
    }

    // RoutingKit's priority: level plus the arcs and hops added per arc and hop removed.
    std::int64_t priority(std::uint32_t v) {
        const auto removed = static_cast<std::int64_t>(m_in[v].size() + m_out[v].size());
        if (removed == 0) return 1000 * static_cast<std::int64_t>(m_level[v]);
        std::int64_t removed_hops = 0;
        for (const auto& l : m_in[v]) removed_hops += arcs[l.arc].hops;
        for (const auto& l : m_out[v]) removed_hops += arcs[l.arc].hops;
        const auto added = shortcuts_for(v, false);
        return 1 + 1000 * static_cast<std::int64_t>(m_level[v]) + 1000 * added.shortcuts / removed +
               1000 * added.hops / removed_hops;
    }

    void contract(std::uint32_t v) {
        shortcuts_for(v, true);
        m_contracted[v] = 1;
        for (const auto& l : m_out[v]) {
            up_arcs[v].push_back(l.arc);
            erase_link(m_in[l.other], v);
        }
        for (const auto& l : m_in[v]) {
            down_arcs[v].push_back(l.arc);
            erase_link(m_out[l.other], v);
        }
        m_out[v] = {};
        m_in[v] = {};
    }

    static void erase_link(std::vector<Link>& links, std::uint32_t other) {
        links.erase(std::remove_if(links.begin(), links.end(),
                                   [other](const Link& l) { return l.other == other; }),
                    links.end());
    }

    std::vector<std::vector<Link>> m_out;
    std::vector<std::vector<Link>> m_in;
    std::vector<std::uint32_t> m_level;
    std::vector<std::uint8_t> m_contracted;
    std::vector<std::int64_t> m_priority;
    std::vector<Distance> m_dist;
    std::vector<std::uint32_t> m_touched;
    std::vector<std::pair<Distance, std::uint32_t>> m_heap;
    std::vector<std::uint32_t> m_target_stamp;
    std::uint32_t m_stamp = 0;
};

std::vector<std::uint32_t> tails_of(const RoutingGraph& g) {
    std::vector<std::uint32_t> out(g.edge_count());
    for (std::uint32_t e = 0; e < out.size(); ++e) out[e] = g.tail(EdgeId(e)).value();
    return out;
}

std::vector<std::uint32_t> heads_of(const RoutingGraph& g) {
    std::vector<std::uint32_t> out(g.edge_count());
    for (std::uint32_t e = 0; e < out.size(); ++e) out[e] = g.head(EdgeId(e)).value();
    return out;
}

template <class T>
std::size_t bytes_of(const std::vector<T>& v) {
    return v.capacity() * sizeof(T);
}

} // namespace

ContractionHierarchy::ContractionHierarchy(const RoadNetwork& net, std::span<const Weight> weights)
    : ContractionHierarchy(net.node_count(), net.tails(), net.heads(), weights) {}

ContractionHierarchy::ContractionHierarchy(const RoutingGraph& graph,
                                           std::span<const Weight> weights)
    : ContractionHierarchy(graph.node_count(), tails_of(graph), heads_of(graph), weights) {}

ContractionHierarchy::ContractionHierarchy(std::uint32_t n, std::span<const std::uint32_t> tails,
                                           std::span<const std::uint32_t> heads,
                                           std::span<const Weight> weights)
    : m_edge_count(static_cast<std::uint32_t>(tails.size())) {
    if (weights.size() != tails.size()) {
        throw InternalError("ContractionHierarchy: " + std::to_string(weights.size()) +
                            " weights for " + std::to_string(tails.size()) + " edges");
    }
    // The PHAST sweep marks unreached nodes with 2^62 and adds to it; every real distance
    // stays below (n - 1) * 2^32 < 2^61 for n < 2^29, so the two never meet or overflow.
    if (n >= (1u << 29)) {
        throw InternalError("ContractionHierarchy: " + std::to_string(n) +
                            " nodes; at most 2^29 are supported");
    }
    Contractor c(n, tails, heads, weights);
    c.run();

    m_rank = std::move(c.rank);
    m_node_of_rank.assign(n, 0);
    for (std::uint32_t v = 0; v < n; ++v) m_node_of_rank[m_rank[v]] = v;

    // Keep only the arcs the final hierarchy uses, directly or inside a shortcut.
    std::vector<std::uint32_t> new_id(c.arcs.size(), none);
    std::vector<std::uint32_t> stack;
    std::uint32_t kept = 0;
    for (std::uint32_t v = 0; v < n; ++v) {
        for (const auto* list : {&c.up_arcs[v], &c.down_arcs[v]}) {
            for (const auto a : *list) stack.push_back(a);
        }
    }
    while (!stack.empty()) {
        const auto a = stack.back();
        stack.pop_back();
        if (new_id[a] != none) continue;
        new_id[a] = kept++;
        if (c.arcs[a].first != leaf_arc) {
            stack.push_back(c.arcs[a].first);
            stack.push_back(c.arcs[a].second);
        }
    }
    m_arc_first.assign(kept, leaf_arc);
    m_arc_second.assign(kept, 0);
    for (std::uint32_t a = 0; a < c.arcs.size(); ++a) {
        if (new_id[a] == none) continue;
        const auto& arc = c.arcs[a];
        if (arc.first == leaf_arc) {
            m_arc_second[new_id[a]] = arc.second;
        } else {
            m_arc_first[new_id[a]] = new_id[arc.first];
            m_arc_second[new_id[a]] = new_id[arc.second];
        }
    }

    m_up_first.assign(n + 1, 0);
    m_down_first.assign(n + 1, 0);
    std::uint32_t shortcuts = 0;
    for (std::uint32_t r = 0; r < n; ++r) {
        const auto v = m_node_of_rank[r];
        m_up_first[r + 1] = m_up_first[r] + static_cast<std::uint32_t>(c.up_arcs[v].size());
        m_down_first[r + 1] = m_down_first[r] + static_cast<std::uint32_t>(c.down_arcs[v].size());
        for (const auto a : c.up_arcs[v]) {
            m_up_head.push_back(m_rank[c.arcs[a].head]);
            m_up_weight.push_back(c.arcs[a].weight);
            m_up_arc.push_back(new_id[a]);
            shortcuts += c.arcs[a].first != leaf_arc;
        }
        for (const auto a : c.down_arcs[v]) {
            m_down_tail.push_back(m_rank[c.arcs[a].tail]);
            m_down_weight.push_back(c.arcs[a].weight);
            m_down_arc.push_back(new_id[a]);
            shortcuts += c.arcs[a].first != leaf_arc;
        }
    }
    for (auto* v : {&m_up_head, &m_up_arc, &m_down_tail, &m_down_arc}) v->shrink_to_fit();
    m_up_weight.shrink_to_fit();
    m_down_weight.shrink_to_fit();

    m_stats.nodes = n;
    m_stats.input_arcs = c.input_arcs;
    m_stats.shortcuts = shortcuts;
    m_stats.upward_arcs = static_cast<std::uint32_t>(m_up_head.size());
    m_stats.downward_arcs = static_cast<std::uint32_t>(m_down_tail.size());
    m_stats.memory_bytes = bytes_of(m_rank) + bytes_of(m_node_of_rank) + bytes_of(m_up_first) +
                           bytes_of(m_up_head) + bytes_of(m_up_weight) + bytes_of(m_up_arc) +
                           bytes_of(m_down_first) + bytes_of(m_down_tail) +
                           bytes_of(m_down_weight) + bytes_of(m_down_arc) + bytes_of(m_arc_first) +
                           bytes_of(m_arc_second);
}

// ---------------------------------------------------------------------------------------
// Queries

namespace detail {

// One direction of a search over the hierarchy, indexed by rank. Only the entries a search
// touched are reset before the next one.
struct ChSide {
    std::vector<Distance> dist;
    std::vector<std::uint32_t> parent;     // rank the node was reached from
    std::vector<std::uint32_t> parent_arc; // arc it was reached by
    std::vector<std::uint32_t> touched;
    std::vector<std::pair<Distance, std::uint32_t>> heap;

    explicit ChSide(std::uint32_t n) : dist(n, unreachable), parent(n, none), parent_arc(n, none) {}

    void clear() {
        for (const auto u : touched) dist[u] = unreachable;
        touched.clear();
        heap.clear();
    }
    void start(std::uint32_t root) {
        clear();
        add_root(root);
    }
    void add_root(std::uint32_t root) {
        if (dist[root] == 0) return;
        if (dist[root] == unreachable) touched.push_back(root);
        dist[root] = 0;
        parent[root] = none;
        heap.emplace_back(0, root);
        std::push_heap(heap.begin(), heap.end(), std::greater<>{});
    }
    Distance min_key() const { return heap.empty() ? unreachable : heap.front().first; }
    std::pair<Distance, std::uint32_t> pop() {
        std::pop_heap(heap.begin(), heap.end(), std::greater<>{});
        const auto top = heap.back();
        heap.pop_back();
        return top;
    }
    void reach(std::uint32_t v, Distance d, std::uint32_t from, std::uint32_t arc) {
        if (d >= dist[v]) return;
        if (dist[v] == unreachable) touched.push_back(v);
        dist[v] = d;
        parent[v] = from;
        parent_arc[v] = arc;
        heap.emplace_back(d, v);
        std::push_heap(heap.begin(), heap.end(), std::greater<>{});
    }
};

struct ChSearch {
    ChSide forward;
    ChSide backward;
    std::vector<Distance> sweep;   // PHAST distances by rank
    std::vector<Distance> by_node; // tree() result by node
    std::vector<std::uint32_t> bucket_first;
    struct BucketEntry {
        std::uint32_t rank;
        std::uint32_t column;
        Distance dist;
    };
    std::vector<BucketEntry> entries;
    std::vector<BucketEntry> buckets;

    explicit ChSearch(std::uint32_t n)
        : forward(n), backward(n), sweep(n), by_node(n), bucket_first(n + 1, 0) {}
};

} // namespace detail

namespace {

using detail::ChSide;

// The arcs a search in one direction relaxes (upward), and the ones it checks to stall a
// node (arcs into it from above, whose tail's distance may already prove it not shortest).
struct ArcView {
    const std::uint32_t* first;
    const std::uint32_t* other;
    const Distance* weight;
    const std::uint32_t* arc;
};

ArcView view(const std::vector<std::uint32_t>& first, const std::vector<std::uint32_t>& other,
             const std::vector<Distance>& weight, const std::vector<std::uint32_t>& arc) {
    return ArcView{first.data(), other.data(), weight.data(), arc.data()};
}

// Settles the next node of `side`; returns it, or `none` if it was stale or stalled (stall on
// demand: a node reached more cheaply from above is not on any shortest up-down path, so its
// arcs need not be relaxed).
inline std::uint32_t settle_next(ChSide& side, const ArcView& relax, const ArcView& stall,
                                 Distance& settled_dist) {
    const auto [d, u] = side.pop();
    if (d > side.dist[u]) return none;
    for (auto k = stall.first[u]; k < stall.first[u + 1]; ++k) {
        const auto x = stall.other[k];
        if (side.dist[x] != unreachable && side.dist[x] + stall.weight[k] < d) return none;
    }
    for (auto k = relax.first[u]; k < relax.first[u + 1]; ++k) {
        side.reach(relax.other[k], d + relax.weight[k], u, relax.arc[k]);
    }
    settled_dist = d;
    return u;
}

// Settles every node `side` can reach upwards; calls on_settle(rank, dist) for every settled
// node that was not stalled.
template <class OnSettle>
void run_upward(ChSide& side, const ArcView& relax, const ArcView& stall, OnSettle&& on_settle) {
    while (!side.heap.empty()) {
        Distance d = 0;
        const auto u = settle_next(side, relax, stall, d);
        if (u != none) on_settle(u, d);
    }
}

// A full upward search from `root` (see run_upward).
template <class OnSettle>
void upward_search(ChSide& side, std::uint32_t root, const ArcView& relax, const ArcView& stall,
                   OnSettle&& on_settle) {
    side.start(root);
    run_upward(side, relax, stall, on_settle);
}

void check_node(const ContractionHierarchy& ch, NodeId u) {
    if (u.value() >= ch.node_count()) {
        throw InternalError("ChQuery: node " + std::to_string(u.value()) +
                            " is not in the graph (" + std::to_string(ch.node_count()) + " nodes)");
    }
}

} // namespace

ChQuery::ChQuery(const ContractionHierarchy& ch)
    : m_ch(&ch), m_search(std::make_unique<detail::ChSearch>(ch.node_count())) {}
ChQuery::~ChQuery() = default;
ChQuery::ChQuery(ChQuery&&) noexcept = default;
ChQuery& ChQuery::operator=(ChQuery&&) noexcept = default;

Distance ChQuery::distance(NodeId from, NodeId to) {
    return meet(from, to).first;
}

std::pair<Distance, std::uint32_t> ChQuery::meet(NodeId from, NodeId to) {
    const auto& ch = *m_ch;
    check_node(ch, from);
    check_node(ch, to);
    // Up: arcs r -> higher, relaxed forward and checked to stall backward; down: arcs
    // higher -> r, relaxed backward and checked to stall forward.
    const ArcView up = view(ch.m_up_first, ch.m_up_head, ch.m_up_weight, ch.m_up_arc);
    const ArcView down = view(ch.m_down_first, ch.m_down_tail, ch.m_down_weight, ch.m_down_arc);
    auto& f = m_search->forward;
    auto& b = m_search->backward;
    f.start(ch.m_rank[from.value()]);
    b.start(ch.m_rank[to.value()]);
    Distance best = unreachable;
    std::uint32_t meeting = none;
    bool forward_turn = true;
    while (true) {
        // A side whose smallest key is not below the best distance found cannot improve it.
        const bool f_live = f.min_key() < best;
        const bool b_live = b.min_key() < best;
        if (!f_live && !b_live) break;
        const bool go_forward = f_live && (forward_turn || !b_live);
        forward_turn = !forward_turn;
        auto& side = go_forward ? f : b;
        const auto& other = go_forward ? b : f;
        Distance d = 0;
        const auto u = go_forward ? settle_next(side, up, down, d) : settle_next(side, down, up, d);
        if (u == none || other.dist[u] == unreachable) continue;
        if (d + other.dist[u] < best) {
            best = d + other.dist[u];
            meeting = u;
        }
    }
    return {best, meeting};
}

std::optional<Route> ChQuery::route(NodeId from, NodeId to) {
    const auto& ch = *m_ch;
    const auto [best, meeting] = meet(from, to);
    if (meeting == none) return std::nullopt;
    const auto& f = m_search->forward;
    const auto& b = m_search->backward;

    // Arcs from the source up to the meeting node, then from there down to the target.
    std::vector<std::uint32_t> path_arcs;
    for (auto v = meeting; v != ch.m_rank[from.value()]; v = f.parent[v]) {
        path_arcs.push_back(f.parent_arc[v]);
    }
    std::reverse(path_arcs.begin(), path_arcs.end());
    for (auto v = meeting; v != ch.m_rank[to.value()]; v = b.parent[v]) {
        path_arcs.push_back(b.parent_arc[v]);
    }
    Route out{from, to, {}, best, 0};
    std::vector<std::uint32_t> stack;
    for (const auto a : path_arcs) {
        stack.push_back(a);
        while (!stack.empty()) {
            const auto x = stack.back();
            stack.pop_back();
            if (ch.m_arc_first[x] == leaf_arc) {
                out.edges.push_back(EdgeId(ch.m_arc_second[x]));
            } else {
                stack.push_back(ch.m_arc_second[x]);
                stack.push_back(ch.m_arc_first[x]);
            }
        }
    }
    return out;
}

std::span<const Distance> ChQuery::tree(NodeId root, Direction direction) {
    const NodeId roots[] = {root};
    return tree(roots, direction);
}

std::span<const Distance> ChQuery::tree(std::span<const NodeId> roots, Direction direction) {
    const auto& ch = *m_ch;
    for (const auto u : roots) check_node(ch, u);
    const auto n = ch.node_count();
    const ArcView up = view(ch.m_up_first, ch.m_up_head, ch.m_up_weight, ch.m_up_arc);
    const ArcView down = view(ch.m_down_first, ch.m_down_tail, ch.m_down_weight, ch.m_down_arc);
    const bool forward = direction == Direction::forward;
    auto& side = forward ? m_search->forward : m_search->backward;
    // Unreached is 2^62 during the sweep so that it needs no branch (see the constructor).
    constexpr Distance far = Distance(1) << 62;
    auto& d = m_search->sweep;
    std::fill(d.begin(), d.end(), far);
    side.clear();
    for (const auto u : roots) side.add_root(ch.m_rank[u.value()]);
    run_upward(side, forward ? up : down, forward ? down : up, [](std::uint32_t, Distance) {});
    for (const auto u : side.touched) d[u] = side.dist[u];
    // Descending rank: every node's higher neighbours are final before the node itself.
    const ArcView& sweep = forward ? down : up;
    for (std::uint32_t r = n; r-- > 0;) {
        Distance best = d[r];
        for (auto k = sweep.first[r]; k < sweep.first[r + 1]; ++k) {
            best = std::min(best, d[sweep.other[k]] + sweep.weight[k]);
        }
        d[r] = best;
    }
    auto& out = m_search->by_node;
    for (std::uint32_t r = 0; r < n; ++r) {
        out[ch.m_node_of_rank[r]] = d[r] >= far ? unreachable : d[r];
    }
    return out;
}

DistanceMatrix ChQuery::many_to_many(std::span<const NodeId> sources,
                                     std::span<const NodeId> targets) {
    const auto& ch = *m_ch;
    for (const auto u : sources) check_node(ch, u);
    for (const auto u : targets) check_node(ch, u);
    DistanceMatrix out =
        DistanceMatrix::Constant(static_cast<Eigen::Index>(sources.size()),
                                 static_cast<Eigen::Index>(targets.size()), unreachable);
    if (sources.empty() || targets.empty()) return out;
    // Up: arcs r -> higher, relaxed forward and checked to stall backward; down: arcs
    // higher -> r, relaxed backward and checked to stall forward.
    const ArcView up = view(ch.m_up_first, ch.m_up_head, ch.m_up_weight, ch.m_up_arc);
    const ArcView down = view(ch.m_down_first, ch.m_down_tail, ch.m_down_weight, ch.m_down_arc);
    auto& s = *m_search;

    // Backward upward search from each target: bucket entry (target, distance) at every node.
    s.entries.clear();
    for (std::uint32_t j = 0; j < targets.size(); ++j) {
        upward_search(s.backward, ch.m_rank[targets[j].value()], down, up,
                      [&](std::uint32_t u, Distance d) {
                          s.entries.push_back({u, j, d});
                      });
    }
    // Group the entries by node (counting sort into CSR buckets).
    const auto n = ch.node_count();
    std::fill(s.bucket_first.begin(), s.bucket_first.end(), 0u);
    for (const auto& e : s.entries) ++s.bucket_first[e.rank + 1];
    for (std::uint32_t r = 0; r < n; ++r) s.bucket_first[r + 1] += s.bucket_first[r];
    s.buckets.resize(s.entries.size());
    for (const auto& e : s.entries) s.buckets[s.bucket_first[e.rank]++] = e;
    for (std::uint32_t r = n; r > 0; --r) s.bucket_first[r] = s.bucket_first[r - 1];
    s.bucket_first[0] = 0;

    // Forward upward search from each source: scan the buckets of every node it settles.
    for (std::uint32_t i = 0; i < sources.size(); ++i) {
        upward_search(
            s.forward, ch.m_rank[sources[i].value()], up, down, [&](std::uint32_t u, Distance d) {
                for (auto k = s.bucket_first[u]; k < s.bucket_first[u + 1]; ++k) {
                    const auto& e = s.buckets[k];
                    auto& cell =
                        out(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(e.column));
                    cell = std::min(cell, d + e.dist);
                }
            });
    }
    return out;
}

} // namespace sonae::geo
