#include "planner/assignment.hpp"

#include "core/atomic_file.hpp"
#include "core/error.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/successive_shortest_path_nonnegative_weights.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <unordered_map>

namespace sonae::planner {
namespace {

// Costs and capacities above this could overflow 64-bit sums over 10^6 children.
constexpr std::int64_t max_value = 1'000'000'000'000;
constexpr std::size_t dimension_count = 5;
constexpr std::array<const char*, dimension_count> dimension_names = {
    "places", "power_w", "outlets", "nurse_places", "care_places"};

std::int64_t get(const AssignmentResources& r, std::size_t k) {
    switch (k) {
    case 0: return r.places;
    case 1: return r.power_w;
    case 2: return r.outlets;
    case 3: return r.nurse_places;
    default: return r.care_places;
    }
}

AssignmentResources& operator+=(AssignmentResources& a, const AssignmentResources& b) {
    a.places += b.places;
    a.power_w += b.power_w;
    a.outlets += b.outlets;
    a.nurse_places += b.nurse_places;
    a.care_places += b.care_places;
    return a;
}

AssignmentResources& operator-=(AssignmentResources& a, const AssignmentResources& b) {
    a.places -= b.places;
    a.power_w -= b.power_w;
    a.outlets -= b.outlets;
    a.nurse_places -= b.nurse_places;
    a.care_places -= b.care_places;
    return a;
}

bool fits(const AssignmentResources& load, const AssignmentResources& capacity) {
    for (std::size_t k = 0; k < dimension_count; ++k)
        if (get(load, k) > get(capacity, k)) return false;
    return true;
}

void check_resources(const AssignmentResources& r, const std::string& what, bool is_demand) {
    for (std::size_t k = 0; k < dimension_count; ++k) {
        const std::int64_t v = get(r, k);
        if (v < 0 || v > max_value)
            throw InputError(fmt::format("assignment: {} has {} {} (must be 0 to {})", what,
                                         dimension_names[k], v, max_value),
                             Where{.field = dimension_names[k], .value = std::to_string(v)});
    }
    if (is_demand && r.places < 1)
        throw InputError(
            fmt::format("assignment: {} takes {} places (must be at least 1)", what, r.places),
            Where{.field = "places", .value = std::to_string(r.places)});
}

/// Validates the problem and returns its arcs sorted by (demand, supply), one per pair (the
/// cheapest), so that everything downstream is independent of the caller's arc order.
std::vector<AssignmentArc> normalised_arcs(const AssignmentProblem& problem) {
    const std::size_t n = problem.demands.size();
    const std::size_t m = problem.supplies.size();
    if (n >= DemandIndex::invalid_value || m >= SupplyIndex::invalid_value)
        throw InputError(fmt::format("assignment: too many demands ({}) or supplies ({})", n, m));
    for (std::size_t d = 0; d < n; ++d) {
        const auto& demand = problem.demands[d];
        check_resources(demand.usage, fmt::format("demand {}", d), true);
        if (demand.unserved_cost < 0 || demand.unserved_cost > max_value)
            throw InputError(
                fmt::format("assignment: demand {} has unserved cost {} (must be 0 "
                            "to {})",
                            d, demand.unserved_cost, max_value),
                Where{.field = "unserved_cost", .value = std::to_string(demand.unserved_cost)});
    }
    for (std::size_t s = 0; s < m; ++s)
        check_resources(problem.supplies[s].capacity, fmt::format("supply {}", s), false);

    std::vector<AssignmentArc> arcs = problem.arcs;
    for (std::size_t i = 0; i < arcs.size(); ++i) {
        const auto& arc = arcs[i];
        if (!arc.demand.valid() || arc.demand.value() >= n || !arc.supply.valid() ||
            arc.supply.value() >= m)
            throw InputError(fmt::format("assignment: arc {} joins demand {} and supply {}, out "
                                         "of range ({} demands, {} supplies)",
                                         i, arc.demand.value(), arc.supply.value(), n, m),
                             Where{.feature = std::to_string(i)});
        if (arc.cost < 0 || arc.cost > max_value)
            throw InputError(fmt::format("assignment: arc {} (demand {}, supply {}) has cost {} "
                                         "(must be 0 to {})",
                                         i, arc.demand.value(), arc.supply.value(), arc.cost,
                                         max_value),
                             Where{.feature = std::to_string(i),
                                   .field = "cost",
                                   .value = std::to_string(arc.cost)});
    }
    std::sort(arcs.begin(), arcs.end(), [](const AssignmentArc& a, const AssignmentArc& b) {
        if (a.demand != b.demand) return a.demand < b.demand;
        if (a.supply != b.supply) return a.supply < b.supply;
        return a.cost < b.cost;
    });
    arcs.erase(std::unique(arcs.begin(), arcs.end(),
                           [](const AssignmentArc& a, const AssignmentArc& b) {
                               return a.demand == b.demand && a.supply == b.supply;
                           }),
               arcs.end());
    return arcs;
}

using FlowTraits = boost::adjacency_list_traits<boost::vecS, boost::vecS, boost::directedS>;
using FlowGraph = boost::adjacency_list<
    boost::vecS, boost::vecS, boost::directedS, boost::no_property,
    boost::property<
        boost::edge_capacity_t, std::int64_t,
        boost::property<boost::edge_residual_capacity_t, std::int64_t,
                        boost::property<boost::edge_reverse_t, FlowTraits::edge_descriptor,
                                        boost::property<boost::edge_weight_t, std::int64_t>>>>>;
using FlowEdge = FlowTraits::edge_descriptor;

class FlowBuilder {
public:
    explicit FlowBuilder(std::size_t vertex_count) : m_graph(vertex_count) {}

    FlowEdge add(std::size_t from, std::size_t to, std::int64_t capacity, std::int64_t cost) {
        const FlowEdge e = boost::add_edge(from, to, m_graph).first;
        const FlowEdge r = boost::add_edge(to, from, m_graph).first;
        boost::put(boost::edge_capacity, m_graph, e, capacity);
        boost::put(boost::edge_capacity, m_graph, r, 0);
        boost::put(boost::edge_weight, m_graph, e, cost);
        boost::put(boost::edge_weight, m_graph, r, -cost);
        boost::put(boost::edge_reverse, m_graph, e, r);
        boost::put(boost::edge_reverse, m_graph, r, e);
        return e;
    }
    FlowGraph& graph() { return m_graph; }

private:
    FlowGraph m_graph;
};

constexpr std::size_t none = std::numeric_limits<std::size_t>::max();

/// The count relaxation as a transportation problem, solved by successive shortest paths on a
/// graph of the facilities alone (issue 24 item 6). Children start at their cheapest option (a
/// least-cost pseudo-flow); what is left is to route each over-full facility's excess to the
/// sink. In the child-level residual network every augmenting path alternates facility ->
/// child (the child leaves) -> facility (it enters) and ends at the sink through a facility
/// with room or through a child's "unserved" edge; the child's own potential cancels on such a
/// two-step, so the path is one on the facilities: edge s -> t costs
/// min over children c at s of cost(c, t) - cost(c, s), and s -> sink costs 0 where s has room
/// and min over children c at s of unserved(c) - cost(c, s) otherwise. Each of these minima is
/// the top of a heap of the children at s (lazy deletion: an entry is dropped when its child is
/// no longer at s). One Dijkstra from all over-full facilities at once (they stay at equal
/// potential) on m + 1 nodes, with reduced costs and node potentials, finds the cheapest move;
/// moving a child pushes its entries onto its new facility's heaps. The work per unit of excess
/// grows with the facilities near an over-full one, not with the number of children: the child-
/// level search (one Dijkstra over the children of an over-full facility per unit) made 20,000
/// children in straight-line mode take 30-350 s. Ties: heaps order by (cost, child index), the
/// Dijkstra by (distance, facility index), so the result does not depend on the input order.
/// `arcs` sorted by (demand, supply); returns per demand its chosen arc index or `none`.
std::vector<std::size_t> solve_transport(const AssignmentProblem& problem,
                                         const std::vector<AssignmentArc>& arcs,
                                         const std::vector<bool>& in_graph,
                                         const std::vector<std::int64_t>& arc_cost,
                                         const std::vector<std::int64_t>& max_count) {
    const std::size_t n = problem.demands.size();
    const std::size_t m = problem.supplies.size();
    const std::size_t sink = m;
    std::vector<std::size_t> first(n + 1, 0);
    for (const auto& arc : arcs) ++first[arc.demand.value() + 1];
    std::partial_sum(first.begin(), first.end(), first.begin());

    // Warm start: every child at its cheapest option (ties: the lowest supply index, and a
    // facility before unserved).
    std::vector<std::size_t> chosen(n, none);
    std::vector<std::size_t> at(n, sink);
    std::vector<std::int64_t> count(m, 0);
    for (std::size_t d = 0; d < n; ++d) {
        for (std::size_t a = first[d]; a < first[d + 1]; ++a)
            if (in_graph[a] && (chosen[d] == none || arc_cost[a] < arc_cost[chosen[d]]))
                chosen[d] = a;
        if (chosen[d] != none && arc_cost[chosen[d]] > problem.demands[d].unserved_cost)
            chosen[d] = none;
        if (chosen[d] != none) {
            at[d] = arcs[chosen[d]].supply.value();
            ++count[at[d]];
        }
    }
    std::vector<std::int64_t> excess(m, 0);
    std::int64_t total_excess = 0;
    for (std::size_t s = 0; s < m; ++s) {
        excess[s] = std::max<std::int64_t>(0, count[s] - max_count[s]);
        total_excess += excess[s];
    }
    if (total_excess == 0) return chosen;

    // Heaps of the children at each facility, one per (facility, other facility or sink).
    struct Entry {
        std::int64_t key;
        std::uint32_t child;
        bool operator>(const Entry& o) const {
            return key != o.key ? key > o.key : child > o.child;
        }
    };
    std::vector<std::vector<Entry>> heaps;
    std::vector<std::vector<std::pair<std::uint32_t, std::uint32_t>>> out(m); // (target, heap)
    std::unordered_map<std::uint64_t, std::uint32_t> heap_of;
    auto heap_for = [&](std::size_t s, std::size_t t) {
        const auto [it, added] = heap_of.try_emplace(static_cast<std::uint64_t>(s) * (m + 1) + t,
                                                     static_cast<std::uint32_t>(heaps.size()));
        if (added) {
            heaps.emplace_back();
            out[s].emplace_back(static_cast<std::uint32_t>(t), it->second);
        }
        return it->second;
    };
    auto push = [&](std::uint32_t h, std::int64_t key, std::size_t d) {
        heaps[h].push_back({key, static_cast<std::uint32_t>(d)});
        std::push_heap(heaps[h].begin(), heaps[h].end(), std::greater<>{});
    };
    // Child d has just arrived at s through arc `a`: its ways out of s.
    auto enter = [&](std::size_t d, std::size_t a) {
        const std::size_t s = arcs[a].supply.value();
        for (std::size_t b = first[d]; b < first[d + 1]; ++b)
            if (in_graph[b] && b != a)
                push(heap_for(s, arcs[b].supply.value()), arc_cost[b] - arc_cost[a], d);
        push(heap_for(s, sink), problem.demands[d].unserved_cost - arc_cost[a], d);
    };
    // The cheapest child still at s in heap h (entries of children who left are dropped).
    auto top = [&](std::uint32_t h, std::size_t s) -> const Entry* {
        auto& heap = heaps[h];
        while (!heap.empty() && at[heap.front().child] != s) {
            std::pop_heap(heap.begin(), heap.end(), std::greater<>{});
            heap.pop_back();
        }
        return heap.empty() ? nullptr : &heap.front();
    };
    for (std::size_t d = 0; d < n; ++d)
        if (chosen[d] != none) enter(d, chosen[d]);
    auto arc_to = [&](std::size_t d, std::size_t s) {
        for (std::size_t b = first[d]; b < first[d + 1]; ++b)
            if (in_graph[b] && arcs[b].supply.value() == s) return b;
        throw InternalError(fmt::format("assignment: demand {} has no arc to supply {}", d, s));
    };

    constexpr std::int64_t infinity = std::numeric_limits<std::int64_t>::max();
    constexpr std::uint32_t by_room = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::int64_t> potential(m + 1, 0);
    std::vector<std::int64_t> distance(m + 1);
    std::vector<std::size_t> pred(m + 1);
    std::vector<std::uint32_t> pred_child(m + 1);
    std::vector<char> settled(m + 1);
    using Item = std::pair<std::int64_t, std::size_t>;
    std::vector<Item> queue;
    while (total_excess > 0) {
        std::fill(distance.begin(), distance.end(), infinity);
        std::fill(pred.begin(), pred.end(), none);
        std::fill(settled.begin(), settled.end(), 0);
        queue.clear();
        for (std::size_t s = 0; s < m; ++s)
            if (excess[s] > 0) {
                distance[s] = 0;
                queue.emplace_back(0, s);
            }
        std::make_heap(queue.begin(), queue.end(), std::greater<>{});
        auto relax = [&](std::size_t v, std::int64_t dv, std::size_t u, std::uint32_t child) {
            if (dv < distance[v]) {
                distance[v] = dv;
                pred[v] = u;
                pred_child[v] = child;
                queue.emplace_back(dv, v);
                std::push_heap(queue.begin(), queue.end(), std::greater<>{});
            }
        };
        while (!queue.empty()) {
            std::pop_heap(queue.begin(), queue.end(), std::greater<>{});
            const auto [du, u] = queue.back();
            queue.pop_back();
            if (settled[u]) continue;
            settled[u] = 1;
            if (u == sink) break;
            if (count[u] < max_count[u])
                relax(sink, du + potential[u] - potential[sink], u, by_room);
            for (const auto& [t, h] : out[u]) {
                if (settled[t]) continue;
                const Entry* e = top(h, u);
                if (e) relax(t, du + e->key + potential[u] - potential[t], u, e->child);
            }
        }
        const std::int64_t to_sink = distance[sink];
        // Every child at an over-full facility has its unserved edge to the sink.
        if (to_sink == infinity)
            throw InternalError("assignment: an over-full facility cannot reach the sink");
        for (std::size_t v = 0; v <= m; ++v) potential[v] += std::min(distance[v], to_sink);
        // Move the children along the path, from the sink back to an over-full facility.
        std::size_t v = sink;
        while (pred[v] != none) {
            const std::size_t u = pred[v];
            const std::uint32_t d = pred_child[v];
            if (v == sink) {
                if (d != by_room) {
                    at[d] = sink;
                    chosen[d] = none;
                    --count[u];
                }
            } else {
                const std::size_t a = arc_to(d, v);
                at[d] = v;
                chosen[d] = a;
                --count[u];
                ++count[v];
                enter(d, a);
            }
            v = u;
        }
        --excess[v];
        --total_excess;
    }
    return chosen;
}

/// Solves the count relaxation over the active arcs at costs `arc_cost` (parallel to `arcs`,
/// non-negative); returns, per demand, the index of its
/// chosen arc in `arcs` or `none` (unassigned).
std::vector<std::size_t> solve_flow(const AssignmentProblem& problem,
                                    const std::vector<AssignmentArc>& arcs,
                                    const std::vector<bool>& active,
                                    const std::vector<std::int64_t>& arc_cost, bool use_boost_ssp) {
    const std::size_t n = problem.demands.size();
    const std::size_t m = problem.supplies.size();

    // K(s): the most children the supply could take, from the smallest usages of its active
    // candidates in every dimension (a valid upper bound for any feasible assignment).
    std::vector<std::vector<std::size_t>> candidates(m);
    for (std::size_t a = 0; a < arcs.size(); ++a)
        if (active[a]) candidates[arcs[a].supply.value()].push_back(arcs[a].demand.value());
    std::vector<std::int64_t> max_count(m, 0);
    std::vector<std::int64_t> usages;
    for (std::size_t s = 0; s < m; ++s) {
        auto count = static_cast<std::int64_t>(candidates[s].size());
        for (std::size_t k = 0; k < dimension_count && count > 0; ++k) {
            usages.clear();
            for (std::size_t d : candidates[s]) usages.push_back(get(problem.demands[d].usage, k));
            std::sort(usages.begin(), usages.end());
            std::int64_t sum = 0;
            std::int64_t fitting = 0;
            const std::int64_t capacity = get(problem.supplies[s].capacity, k);
            for (std::int64_t u : usages) {
                if (sum + u > capacity) break;
                sum += u;
                ++fitting;
            }
            count = std::min(count, fitting);
        }
        max_count[s] = count;
    }

    std::vector<bool> in_graph(arcs.size(), false);
    for (std::size_t a = 0; a < arcs.size(); ++a)
        in_graph[a] = active[a] && max_count[arcs[a].supply.value()] > 0;
    if (!use_boost_ssp) return solve_transport(problem, arcs, in_graph, arc_cost, max_count);

    // The textbook network, kept as the tests' cross-check: source -> every child (1) ->
    // facility or unserved -> sink. Vertices: source, demands, the supplies that can take
    // someone (a supply vertex that no arc reaches would get an infinite Dijkstra distance and
    // overflow Boost's potentials in successive_shortest_path_nonnegative_weights), sink.
    std::vector<std::size_t> supply_vertex(m, none);
    std::size_t vertex_count = 1 + n;
    for (std::size_t s = 0; s < m; ++s)
        if (max_count[s] > 0) supply_vertex[s] = vertex_count++;
    const std::size_t source = 0;
    const std::size_t sink = vertex_count++;
    FlowBuilder builder(vertex_count);
    std::vector<FlowEdge> arc_edge(arcs.size());
    std::vector<FlowEdge> unserved_edge(n);
    for (std::size_t d = 0; d < n; ++d) builder.add(source, 1 + d, 1, 0);
    for (std::size_t a = 0; a < arcs.size(); ++a)
        if (in_graph[a])
            arc_edge[a] = builder.add(1 + arcs[a].demand.value(),
                                      supply_vertex[arcs[a].supply.value()], 1, arc_cost[a]);
    for (std::size_t d = 0; d < n; ++d)
        unserved_edge[d] = builder.add(1 + d, sink, 1, problem.demands[d].unserved_cost);
    for (std::size_t s = 0; s < m; ++s)
        if (supply_vertex[s] != none) builder.add(supply_vertex[s], sink, max_count[s], 0);
    FlowGraph& g = builder.graph();
    boost::successive_shortest_path_nonnegative_weights(g, source, sink);

    const auto residual_map = boost::get(boost::edge_residual_capacity, g);
    const auto residual = residual_map;
    std::vector<std::size_t> chosen(n, none);
    for (std::size_t a = 0; a < arcs.size(); ++a)
        if (in_graph[a] && boost::get(residual, arc_edge[a]) == 0)
            chosen[arcs[a].demand.value()] = a;
    for (std::size_t d = 0; d < n; ++d) {
        // Every demand carries exactly one unit: through one arc or through its unserved arc.
        if ((chosen[d] == none) != (boost::get(residual, unserved_edge[d]) == 0))
            throw InternalError(fmt::format("assignment: flow for demand {} is inconsistent", d));
    }
    return chosen;
}

struct Violation {
    std::size_t supply;
    AssignmentResources overflow; // load minus capacity, clamped at 0 per dimension
};

std::vector<Violation> violations(const AssignmentProblem& problem,
                                  const std::vector<AssignmentResources>& load) {
    std::vector<Violation> out;
    for (std::size_t s = 0; s < load.size(); ++s) {
        const auto& cap = problem.supplies[s].capacity;
        if (fits(load[s], cap)) continue;
        const auto& l = load[s];
        out.push_back(
            {s, AssignmentResources{std::max<std::int64_t>(0, l.places - cap.places),
                                    std::max<std::int64_t>(0, l.power_w - cap.power_w),
                                    std::max<std::int64_t>(0, l.outlets - cap.outlets),
                                    std::max<std::int64_t>(0, l.nurse_places - cap.nurse_places),
                                    std::max<std::int64_t>(0, l.care_places - cap.care_places)}});
    }
    return out;
}

/// Local search on a feasible assignment, used only after a repair (the flow answer is optimal
/// otherwise). Moves, each applied only if it keeps every supply within capacity and lowers
/// the total cost (so the search ends): move a child to a cheaper supply with room; move a
/// child d to a cheaper supply s by moving one child e out of s to d's old place, to another
/// supply with room, or to unassigned. Children are visited in index order: deterministic.
void improve(const AssignmentProblem& problem, const std::vector<AssignmentArc>& arcs,
             const std::vector<std::size_t>& first_arc, const std::vector<bool>& compatible,
             std::vector<std::size_t>& chosen, std::vector<AssignmentResources>& load) {
    const std::size_t n = problem.demands.size();
    const std::size_t m = problem.supplies.size();
    auto usage = [&](std::size_t d) -> const AssignmentResources& {
        return problem.demands[d].usage;
    };
    auto cost = [&](std::size_t d, std::size_t a) {
        return a == none ? problem.demands[d].unserved_cost : arcs[a].cost;
    };
    auto supply = [&](std::size_t a) { return a == none ? none : arcs[a].supply.value(); };
    // Room at s for `add` once `remove` (may be null) has left.
    auto room = [&](std::size_t s, const AssignmentResources& add,
                    const AssignmentResources* remove) {
        AssignmentResources after = load[s];
        after += add;
        if (remove != nullptr) after -= *remove;
        return fits(after, problem.supplies[s].capacity);
    };
    std::vector<std::vector<std::size_t>> members(m);
    for (std::size_t d = 0; d < n; ++d)
        if (chosen[d] != none) members[supply(chosen[d])].push_back(d);
    auto move = [&](std::size_t d, std::size_t a) {
        if (chosen[d] != none) {
            const std::size_t s = supply(chosen[d]);
            load[s] -= usage(d);
            members[s].erase(std::find(members[s].begin(), members[s].end(), d));
        }
        chosen[d] = a;
        if (a != none) {
            const std::size_t s = supply(a);
            load[s] += usage(d);
            members[s].insert(std::lower_bound(members[s].begin(), members[s].end(), d), d);
        }
    };

    // Generous bound on passes: each applied move strictly lowers the cost anyway.
    for (int pass = 0; pass < 1'000; ++pass) {
        bool improved = false;
        for (std::size_t d = 0; d < n; ++d) {
            const std::int64_t current = cost(d, chosen[d]);
            const std::size_t home = supply(chosen[d]);
            std::int64_t best_delta = 0;
            std::size_t best_a = none;
            std::size_t best_e = none;
            std::size_t best_e_arc = none;
            for (std::size_t a = first_arc[d]; a < first_arc[d + 1]; ++a) {
                if (!compatible[a] || a == chosen[d] || arcs[a].cost >= current) continue;
                const std::size_t s = supply(a);
                const std::int64_t gain = arcs[a].cost - current;
                if (room(s, usage(d), nullptr)) {
                    if (gain < best_delta) best_delta = gain, best_a = a, best_e = none;
                    continue;
                }
                for (std::size_t e : members[s]) {
                    if (!room(s, usage(d), &usage(e))) continue;
                    const std::int64_t e_now = cost(e, chosen[e]);
                    // e goes unassigned.
                    std::int64_t delta = gain + problem.demands[e].unserved_cost - e_now;
                    if (delta < best_delta)
                        best_delta = delta, best_a = a, best_e = e, best_e_arc = none;
                    // e goes to another supply with room (d's old one counts d as gone).
                    for (std::size_t b = first_arc[e]; b < first_arc[e + 1]; ++b) {
                        const std::size_t t = supply(b);
                        if (!compatible[b] || t == s) continue;
                        delta = gain + arcs[b].cost - e_now;
                        if (delta >= best_delta) continue;
                        const bool fits_t =
                            t == home ? room(t, usage(e), &usage(d)) : room(t, usage(e), nullptr);
                        if (fits_t) best_delta = delta, best_a = a, best_e = e, best_e_arc = b;
                    }
                }
            }
            if (best_a == none) continue;
            if (best_e != none) move(best_e, none);
            move(d, best_a);
            if (best_e != none && best_e_arc != none) move(best_e, best_e_arc);
            improved = true;
        }
        if (!improved) break;
    }
}
} // namespace

AssignmentResult solve_assignment(const AssignmentProblem& problem,
                                  const AssignmentOptions& options) {
    const std::vector<AssignmentArc> arcs = normalised_arcs(problem);
    const std::size_t n = problem.demands.size();
    const std::size_t m = problem.supplies.size();

    AssignmentResult result;
    std::vector<bool> active(arcs.size(), true);
    for (std::size_t a = 0; a < arcs.size(); ++a) {
        const auto& usage = problem.demands[arcs[a].demand.value()].usage;
        if (!fits(usage, problem.supplies[arcs[a].supply.value()].capacity)) {
            active[a] = false;
            ++result.arcs_dropped_too_large;
        }
    }
    // Arcs of each demand are contiguous in `arcs` (sorted by demand).
    std::vector<std::size_t> first_arc(n + 1, 0);
    for (const auto& arc : arcs) ++first_arc[arc.demand.value() + 1];
    std::partial_sum(first_arc.begin(), first_arc.end(), first_arc.begin());
    // Original compatibility (too-large arcs excluded) for the final improvement pass.
    const std::vector<bool> compatible = active;

    auto cost_of_choice = [&](std::size_t d, std::size_t a) {
        return a == none ? problem.demands[d].unserved_cost : arcs[a].cost;
    };
    auto loads_of = [&](const std::vector<std::size_t>& chosen) {
        std::vector<AssignmentResources> load(m);
        for (std::size_t d = 0; d < n; ++d)
            if (chosen[d] != none) load[arcs[chosen[d]].supply.value()] += problem.demands[d].usage;
        return load;
    };
    // Evicts children from over-full supplies, least regret first, until each fits; calls
    // evict(d, a) for each. Deterministic: ties go to the lower demand index.
    auto repair = [&](std::vector<std::size_t>& chosen, std::vector<AssignmentResources>& load,
                      auto&& evict) {
        std::vector<std::vector<std::size_t>> members(m);
        for (std::size_t d = 0; d < n; ++d)
            if (chosen[d] != none) members[arcs[chosen[d]].supply.value()].push_back(d);
        for (const Violation& v : violations(problem, load)) {
            const auto& cap = problem.supplies[v.supply].capacity;
            auto& list = members[v.supply];
            while (!fits(load[v.supply], cap)) {
                // Least regret per share of the overflow that the eviction removes: a child
                // who frees much of the scarce resource at a small loss goes first.
                std::size_t best = none;
                double best_score = 0.0;
                for (std::size_t i = 0; i < list.size(); ++i) {
                    const std::size_t d = list[i];
                    double relief = 0.0;
                    for (std::size_t k = 0; k < dimension_count; ++k) {
                        const std::int64_t over = get(load[v.supply], k) - get(cap, k);
                        if (over > 0)
                            relief += static_cast<double>(
                                          std::min(over, get(problem.demands[d].usage, k))) /
                                      static_cast<double>(over);
                    }
                    if (relief <= 0.0) continue;
                    std::int64_t alternative = problem.demands[d].unserved_cost;
                    for (std::size_t a = first_arc[d]; a < first_arc[d + 1]; ++a)
                        if (active[a] && a != chosen[d])
                            alternative = std::min(alternative, arcs[a].cost);
                    const double score =
                        static_cast<double>(alternative - arcs[chosen[d]].cost) / relief;
                    if (best == none || score < best_score) {
                        best = i;
                        best_score = score;
                    }
                }
                assert(best != none);
                const std::size_t d = list[best];
                list.erase(list.begin() + static_cast<std::ptrdiff_t>(best));
                load[v.supply] -= problem.demands[d].usage;
                evict(d, chosen[d]);
                chosen[d] = none;
            }
        }
    };

    std::vector<std::int64_t> original_cost(arcs.size());
    for (std::size_t a = 0; a < arcs.size(); ++a) original_cost[a] = arcs[a].cost;
    auto total_of = [&](const std::vector<std::size_t>& choice) {
        std::int64_t total = 0;
        for (std::size_t d = 0; d < n; ++d) total += cost_of_choice(d, choice[d]);
        return total;
    };

    std::vector<std::size_t> chosen =
        solve_flow(problem, arcs, active, original_cost, options.boost_ssp);
    result.flow_rounds = 1;
    std::int64_t lower_bound = total_of(chosen);
    std::vector<AssignmentResources> load = loads_of(chosen);
    const std::vector<std::size_t> relaxed = chosen;
    const std::vector<AssignmentResources> relaxed_load = load;

    if (!violations(problem, load).empty()) {
        // Phase 1: ban the arcs of evicted children and solve again.
        while (!violations(problem, load).empty()) {
            if (result.flow_rounds > options.max_repair_rounds) {
                repair(chosen, load, [](std::size_t, std::size_t) {});
                break;
            }
            repair(chosen, load, [&](std::size_t, std::size_t a) { active[a] = false; });
            chosen = solve_flow(problem, arcs, active, original_cost, options.boost_ssp);
            ++result.flow_rounds;
            load = loads_of(chosen);
        }
        improve(problem, arcs, first_arc, compatible, chosen, load);
        std::int64_t best_total = total_of(chosen);

        // Phase 2: Lagrangian relaxation of the capacity rows. Arc (d, s) costs
        // c + floor(sum_k lambda_sk usage_k(d)); the flow optimum minus sum lambda_sk C_sk is a
        // lower bound, and each flow answer, made feasible and improved, is a candidate.
        // Subgradient steps (Polyak) on the overflow of the relaxed flow.
        std::vector<std::array<double, dimension_count>> lambda(m);
        for (auto& l : lambda) l.fill(0.0);
        std::vector<std::size_t> flow_choice = relaxed;
        std::vector<AssignmentResources> flow_load = relaxed_load;
        double theta = 2.0;
        std::uint32_t stalled = 0;
        double lagrange_bound = static_cast<double>(lower_bound);
        std::vector<std::int64_t> adjusted(arcs.size());
        for (std::uint32_t round = 0; round < options.lagrangian_rounds && best_total > lower_bound;
             ++round) {
            double norm2 = 0.0;
            for (std::size_t s = 0; s < m; ++s)
                for (std::size_t k = 0; k < dimension_count; ++k) {
                    const double g = static_cast<double>(get(flow_load[s], k) -
                                                         get(problem.supplies[s].capacity, k));
                    if (g > 0.0 || lambda[s][k] > 0.0) norm2 += g * g;
                }
            if (norm2 == 0.0) break;
            const double step = theta * static_cast<double>(best_total - lagrange_bound) / norm2;
            for (std::size_t s = 0; s < m; ++s)
                for (std::size_t k = 0; k < dimension_count; ++k) {
                    const double g = static_cast<double>(get(flow_load[s], k) -
                                                         get(problem.supplies[s].capacity, k));
                    lambda[s][k] = std::max(0.0, lambda[s][k] + step * g);
                }
            double penalty_total = 0.0; // sum lambda_sk C_sk
            for (std::size_t s = 0; s < m; ++s)
                for (std::size_t k = 0; k < dimension_count; ++k)
                    penalty_total +=
                        lambda[s][k] * static_cast<double>(get(problem.supplies[s].capacity, k));
            for (std::size_t a = 0; a < arcs.size(); ++a) {
                const auto& u = problem.demands[arcs[a].demand.value()].usage;
                const auto& l = lambda[arcs[a].supply.value()];
                double extra = 0.0;
                for (std::size_t k = 0; k < dimension_count; ++k)
                    extra += l[k] * static_cast<double>(get(u, k));
                adjusted[a] =
                    arcs[a].cost + static_cast<std::int64_t>(std::min(std::floor(extra), 1e15));
            }
            flow_choice = solve_flow(problem, arcs, compatible, adjusted, options.boost_ssp);
            ++result.flow_rounds;
            flow_load = loads_of(flow_choice);
            std::int64_t flow_total = 0;
            for (std::size_t d = 0; d < n; ++d)
                flow_total += flow_choice[d] == none ? problem.demands[d].unserved_cost
                                                     : adjusted[flow_choice[d]];
            const double bound = static_cast<double>(flow_total) - penalty_total;
            if (bound > lagrange_bound + 1e-9) {
                lagrange_bound = bound;
                stalled = 0;
                // Costs are integers, so the optimum is at least the bound rounded up (less a
                // margin for floating-point error in sum lambda C).
                lower_bound =
                    std::max(lower_bound, static_cast<std::int64_t>(std::ceil(bound - 1e-6)));
            } else if (++stalled >= 3) {
                theta /= 2.0;
                stalled = 0;
            }
            std::vector<std::size_t> candidate = flow_choice;
            std::vector<AssignmentResources> candidate_load = flow_load;
            repair(candidate, candidate_load, [](std::size_t, std::size_t) {});
            improve(problem, arcs, first_arc, compatible, candidate, candidate_load);
            const std::int64_t candidate_total = total_of(candidate);
            if (candidate_total < best_total) {
                best_total = candidate_total;
                chosen = std::move(candidate);
                load = std::move(candidate_load);
            }
        }
    }

    result.supply_of.resize(n);
    result.cost_of.resize(n);
    for (std::size_t d = 0; d < n; ++d) {
        if (chosen[d] != none)
            result.supply_of[d] = arcs[chosen[d]].supply;
        else
            ++result.unassigned_count;
        result.cost_of[d] = cost_of_choice(d, chosen[d]);
        result.total_cost += result.cost_of[d];
    }
    result.load = std::move(load);
    if (lower_bound > result.total_cost)
        throw InternalError(fmt::format("assignment: lower bound {} above the cost {} found",
                                        lower_bound, result.total_cost));
    result.lower_bound_cost = lower_bound;
    result.proven_optimal = result.total_cost == lower_bound;
    return result;
}

std::vector<std::string> check_assignment(const AssignmentProblem& problem,
                                          const AssignmentResult& result) {
    std::vector<std::string> problems;
    const std::size_t n = problem.demands.size();
    const std::size_t m = problem.supplies.size();
    if (result.supply_of.size() != n || result.cost_of.size() != n || result.load.size() != m) {
        problems.push_back(fmt::format("sizes: {} supply_of, {} cost_of, {} load for {} demands "
                                       "and {} supplies",
                                       result.supply_of.size(), result.cost_of.size(),
                                       result.load.size(), n, m));
        return problems;
    }
    const std::vector<AssignmentArc> arcs = normalised_arcs(problem);
    std::vector<AssignmentResources> load(m);
    std::int64_t total = 0;
    std::uint32_t unassigned = 0;
    for (std::size_t d = 0; d < n; ++d) {
        std::int64_t expected = problem.demands[d].unserved_cost;
        if (const auto& s = result.supply_of[d]) {
            const auto it = std::lower_bound(
                arcs.begin(), arcs.end(), std::pair{DemandIndex(static_cast<std::uint32_t>(d)), *s},
                [](const AssignmentArc& a, const std::pair<DemandIndex, SupplyIndex>& key) {
                    return std::pair{a.demand, a.supply} < key;
                });
            if (it == arcs.end() || it->demand.value() != d || it->supply != *s) {
                problems.push_back(
                    fmt::format("demand {} assigned to supply {} without an arc", d, s->value()));
                continue;
            }
            expected = it->cost;
            load[s->value()] += problem.demands[d].usage;
        } else {
            ++unassigned;
        }
        if (result.cost_of[d] != expected)
            problems.push_back(
                fmt::format("demand {} costs {}, expected {}", d, result.cost_of[d], expected));
        total += expected;
    }
    for (std::size_t s = 0; s < m; ++s) {
        if (!(load[s] == result.load[s]))
            problems.push_back(fmt::format("supply {}: reported load differs from the sum", s));
        for (std::size_t k = 0; k < dimension_count; ++k)
            if (get(load[s], k) > get(problem.supplies[s].capacity, k))
                problems.push_back(fmt::format("supply {}: {} load {} above capacity {}", s,
                                               dimension_names[k], get(load[s], k),
                                               get(problem.supplies[s].capacity, k)));
    }
    if (total != result.total_cost)
        problems.push_back(
            fmt::format("total cost {} differs from the sum {}", result.total_cost, total));
    if (unassigned != result.unassigned_count)
        problems.push_back(fmt::format("unassigned count {} differs from {}",
                                       result.unassigned_count, unassigned));
    if (result.lower_bound_cost > result.total_cost)
        problems.push_back(fmt::format("lower bound {} above total {}", result.lower_bound_cost,
                                       result.total_cost));
    return problems;
}

std::vector<UnassignedReason>
explain_unassigned(const AssignmentProblem& problem, const AssignmentResult& result,
                   const std::vector<std::vector<SupplyIndex>>& alternatives) {
    const std::vector<AssignmentArc> arcs = normalised_arcs(problem);
    const std::size_t n = problem.demands.size();
    const std::size_t m = problem.supplies.size();
    if (result.supply_of.size() != n || result.load.size() != m)
        throw InputError(fmt::format("explain_unassigned: the result has {} demands and {} "
                                     "supplies, the problem {} and {}",
                                     result.supply_of.size(), result.load.size(), n, m));
    std::vector<std::size_t> first_arc(n + 1, 0);
    for (const auto& arc : arcs) ++first_arc[arc.demand.value() + 1];
    std::partial_sum(first_arc.begin(), first_arc.end(), first_arc.begin());
    std::vector<std::vector<std::size_t>> members(m);
    for (std::size_t d = 0; d < n; ++d)
        if (result.supply_of[d]) members[result.supply_of[d]->value()].push_back(d);

    auto shortfall_of = [](const AssignmentResources& usage, const AssignmentResources& room) {
        return AssignmentResources{
            std::max<std::int64_t>(0, usage.places - room.places),
            std::max<std::int64_t>(0, usage.power_w - room.power_w),
            std::max<std::int64_t>(0, usage.outlets - room.outlets),
            std::max<std::int64_t>(0, usage.nurse_places - room.nurse_places),
            std::max<std::int64_t>(0, usage.care_places - room.care_places)};
    };

    std::vector<UnassignedReason> reasons;
    for (std::size_t d = 0; d < n; ++d) {
        if (result.supply_of[d]) continue;
        const auto& usage = problem.demands[d].usage;
        std::vector<SupplyIndex> order;
        if (d < alternatives.size() && !alternatives[d].empty()) {
            order = alternatives[d];
        } else {
            std::vector<std::pair<std::int64_t, SupplyIndex>> by_cost;
            for (std::size_t a = first_arc[d]; a < first_arc[d + 1]; ++a)
                by_cost.emplace_back(arcs[a].cost, arcs[a].supply);
            std::sort(by_cost.begin(), by_cost.end());
            for (const auto& [cost, s] : by_cost) order.push_back(s);
        }
        UnassignedReason reason;
        reason.demand = DemandIndex(static_cast<std::uint32_t>(d));
        bool any_full = false;
        bool any_room = false;
        for (const SupplyIndex s : order) {
            if (!s.valid() || s.value() >= m)
                throw InputError(
                    fmt::format("explain_unassigned: alternative {} of demand {} is "
                                "out of range ({} supplies)",
                                s.value(), d, m),
                    Where{.feature = std::to_string(d), .value = std::to_string(s.value())});
            AlternativeReason alt;
            alt.supply = s;
            const auto begin = arcs.begin() + static_cast<std::ptrdiff_t>(first_arc[d]);
            const auto end = arcs.begin() + static_cast<std::ptrdiff_t>(first_arc[d + 1]);
            const auto it =
                std::lower_bound(begin, end, s, [](const AssignmentArc& a, SupplyIndex key) {
                    return a.supply < key;
                });
            const auto& capacity = problem.supplies[s.value()].capacity;
            if (it == end || it->supply != s) {
                alt.status = AlternativeStatus::not_compatible;
            } else if (alt.cost = it->cost; !fits(usage, capacity)) {
                alt.status = AlternativeStatus::too_large;
                alt.shortfall = shortfall_of(usage, capacity);
            } else {
                AssignmentResources room = capacity;
                room -= result.load[s.value()];
                alt.shortfall = shortfall_of(usage, room);
                if (alt.shortfall == AssignmentResources{}) {
                    alt.status = AlternativeStatus::not_worth_it;
                    any_room = true;
                } else {
                    alt.status = AlternativeStatus::full;
                    any_full = true;
                    for (std::size_t e : members[s.value()]) {
                        const auto& u = problem.demands[e].usage;
                        if ((alt.shortfall.places > 0 && u.places > 0) ||
                            (alt.shortfall.power_w > 0 && u.power_w > 0) ||
                            (alt.shortfall.outlets > 0 && u.outlets > 0) ||
                            (alt.shortfall.nurse_places > 0 && u.nurse_places > 0) ||
                            (alt.shortfall.care_places > 0 && u.care_places > 0))
                            alt.held_by.push_back(DemandIndex(static_cast<std::uint32_t>(e)));
                    }
                }
            }
            reason.alternatives.push_back(std::move(alt));
        }
        reason.cause = any_full   ? UnassignedReason::Cause::capacity_taken
                       : any_room ? UnassignedReason::Cause::not_worth_it
                                  : UnassignedReason::Cause::no_compatible_facility;
        reasons.push_back(std::move(reason));
    }
    return reasons;
}

const char* to_string(UnassignedReason::Cause cause) {
    switch (cause) {
    case UnassignedReason::Cause::no_compatible_facility: return "no compatible facility";
    case UnassignedReason::Cause::capacity_taken: return "capacity taken by others";
    case UnassignedReason::Cause::not_worth_it: return "unserved cost below every option";
    }
    return "unknown";
}

const char* to_string(AlternativeStatus status) {
    switch (status) {
    case AlternativeStatus::not_compatible: return "not compatible";
    case AlternativeStatus::too_large: return "needs more than the facility has";
    case AlternativeStatus::full: return "full";
    case AlternativeStatus::not_worth_it: return "room left but costlier than unserved";
    }
    return "unknown";
}

void write_lp(const AssignmentProblem& problem, const std::filesystem::path& path) {
    const std::vector<AssignmentArc> arcs = normalised_arcs(problem);
    const std::size_t n = problem.demands.size();
    const std::size_t m = problem.supplies.size();
    auto x = [](const AssignmentArc& a) {
        return fmt::format("x_{}_{}", a.demand.value(), a.supply.value());
    };
    // Rows are broken every few terms: LP readers limit the length of a line.
    struct Row {
        std::string text;
        std::size_t terms = 0;
        void add(const std::string& term) {
            text += term;
            if (++terms % 8 == 0) text += "\n ";
        }
    };

    std::string out;
    out.reserve(64 * (arcs.size() + n + m) + 256);
    out += "\\ sonae destination assignment (planner/assignment.hpp)\n";
    out += fmt::format("\\ {} demands, {} supplies, {} arcs\n", n, m, arcs.size());
    Row objective;
    for (const auto& a : arcs) objective.add(fmt::format(" + {} {}", a.cost, x(a)));
    for (std::size_t d = 0; d < n; ++d)
        objective.add(fmt::format(" + {} u_{}", problem.demands[d].unserved_cost, d));
    if (objective.terms == 0) objective.add(" 0 empty");
    out += "Minimize\n obj:" + objective.text + "\nSubject To\n";

    std::vector<std::vector<std::size_t>> by_supply(m);
    std::size_t a = 0;
    for (std::size_t d = 0; d < n; ++d) {
        Row row;
        row.add(fmt::format(" u_{}", d));
        for (; a < arcs.size() && arcs[a].demand.value() == d; ++a) {
            row.add(" + " + x(arcs[a]));
            by_supply[arcs[a].supply.value()].push_back(a);
        }
        out += fmt::format(" one_{}:{} = 1\n", d, row.text);
    }
    for (std::size_t s = 0; s < m; ++s) {
        for (std::size_t k = 0; k < dimension_count; ++k) {
            Row row;
            for (std::size_t i : by_supply[s]) {
                const std::int64_t u = get(problem.demands[arcs[i].demand.value()].usage, k);
                if (u != 0) row.add(fmt::format(" + {} {}", u, x(arcs[i])));
            }
            // A row without terms cannot bind (capacities are >= 0) and some readers reject it.
            if (row.terms == 0) continue;
            out += fmt::format(" cap_{}_{}:{} <= {}\n", dimension_names[k], s, row.text,
                               get(problem.supplies[s].capacity, k));
        }
    }
    Row binaries;
    for (const auto& arc : arcs) binaries.add(" " + x(arc));
    for (std::size_t d = 0; d < n; ++d) binaries.add(fmt::format(" u_{}", d));
    if (n == 0) binaries.add(" empty");
    out += "Binary\n" + binaries.text + "\nEnd\n";
    write_file_atomically(path, out, FileMode::personal);
}

} // namespace sonae::planner
