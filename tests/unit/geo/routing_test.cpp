#include "core/error.hpp"
#include "geo/routing.hpp"
#include "tests/support/ascii_network.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <random>

using namespace sonae::geo;
using sonae::test::ascii_network;
using sonae::test::AsciiEdge;

namespace {

// Lengths in metres, but the reverse of a one-way street is unusable (as for cars).
std::vector<Weight> oneway_weights(const RoadNetwork& net) {
    auto w = length_weights(net);
    for (std::uint32_t e = 0; e < net.edge_count(); ++e) {
        if (net.flags(EdgeId(e)) & edge_against_oneway) w[e] = no_edge;
    }
    return w;
}

Distance sum_weights(std::span<const EdgeId> edges, std::span<const Weight> w) {
    Distance sum = 0;
    for (const auto e : edges) sum += w[e.value()];
    return sum;
}

// A path must be connected, start at `from`, end at `to`.
void expect_connected(const RoadNetwork& net, NodeId from, NodeId to,
                      std::span<const EdgeId> edges) {
    NodeId at = from;
    for (const auto e : edges) {
        ASSERT_EQ(net.tail(e), at);
        at = net.head(e);
    }
    EXPECT_EQ(at, to);
}

// Independent oracle: Floyd-Warshall with 64-bit sums over usable edges.
std::vector<std::vector<Distance>> all_pairs(const RoadNetwork& net, std::span<const Weight> w) {
    const auto n = net.node_count();
    std::vector<std::vector<Distance>> d(n, std::vector<Distance>(n, unreachable));
    for (std::uint32_t u = 0; u < n; ++u) d[u][u] = 0;
    for (std::uint32_t e = 0; e < net.edge_count(); ++e) {
        if (w[e] == no_edge) continue;
        auto& x = d[net.tails()[e]][net.heads()[e]];
        x = std::min<Distance>(x, w[e]);
    }
    for (std::uint32_t k = 0; k < n; ++k)
        for (std::uint32_t i = 0; i < n; ++i)
            for (std::uint32_t j = 0; j < n; ++j)
                if (d[i][k] != unreachable && d[k][j] != unreachable)
                    d[i][j] = std::min(d[i][j], d[i][k] + d[k][j]);
    return d;
}

RoadNetwork random_network(std::mt19937& rng, std::uint32_t n, std::uint32_t m) {
    RoadNetworkBuilder b;
    for (std::uint32_t i = 0; i < n; ++i) b.add_node(1000 + i);
    std::uniform_int_distribution<std::uint32_t> node(0, n - 1);
    std::uniform_int_distribution<int> len(0, 50);
    for (std::uint32_t i = 0; i < m; ++i) {
        EdgeAttributes a;
        a.length_m = len(rng);
        a.original_id = i;
        b.add_edge(NodeId(node(rng)), NodeId(node(rng)), a); // self loops and parallels allowed
    }
    return std::move(b).build();
}

std::vector<Weight> random_weights(std::mt19937& rng, const RoadNetwork& net) {
    auto w = length_weights(net);
    std::bernoulli_distribution blocked(0.15);
    for (auto& x : w) {
        if (blocked(rng)) x = no_edge;
    }
    return w;
}

// A random network whose edges close, a third of them between 0 and 119, with about a quarter
// of its nodes as roots (node 0 if none): the latest-departure cases.
struct ClosingCase {
    RoadNetwork net;
    std::vector<Weight> w;
    std::vector<std::int64_t> closed;
    std::vector<NodeId> roots;
};
ClosingCase closing_case(std::mt19937& rng, int round) {
    ClosingCase c;
    c.net = random_network(rng, 3 + round % 15, 6 + 3 * round);
    c.w = random_weights(rng, c.net);
    c.closed.assign(c.net.edge_count(), never_closes);
    for (auto& t : c.closed) {
        if (rng() % 3 == 0) t = static_cast<std::int64_t>(rng() % 120);
    }
    for (std::uint32_t v = 0; v < c.net.node_count(); ++v) {
        if (rng() % 4 == 0) c.roots.push_back(NodeId(v));
    }
    if (c.roots.empty()) c.roots.push_back(NodeId(0));
    return c;
}

// Every target search_targets reports, in order, with its distance (the visitor never stops).
std::vector<std::pair<std::size_t, Distance>>
all_reports(Router& router, NodeId from, Distance start, std::span<const Weight> w,
            std::span<const std::int64_t> closed, std::span<const NodeId> targets,
            std::span<const Distance> potential = {}, std::span<const Distance> closing = {}) {
    std::vector<std::pair<std::size_t, Distance>> out;
    router.search_targets(
        from, start, w, closed, targets,
        [&](std::size_t k, Distance d) {
            out.emplace_back(k, d);
            return false;
        },
        potential, closing);
    return out;
}

} // namespace

TEST(Routing, LengthWeightsRoundToWholeMetres) {
    RoadNetworkBuilder b;
    const auto u = b.add_node(1);
    const auto v = b.add_node(2);
    for (double len : {0.0, 2.4, 2.5, 7.0, 1e12}) {
        EdgeAttributes a;
        a.length_m = len;
        b.add_edge(u, v, a);
    }
    const auto net = std::move(b).build();
    const auto w = length_weights(net);
    std::vector<Weight> sorted(w.begin(), w.end());
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sorted, (std::vector<Weight>{0, 2, 3, 7, no_edge - 1}));
}

TEST(Routing, ShortestRouteOnAsciiMap) {
    // A-B-C straight is 80 m; A-D-E-F-C around is 120 m.
    const auto t = ascii_network(R"(
        A---B---C
        |       |
        D---E---F
    )",
                                 {.grid_m = 10});
    const RoutingGraph graph(t.net);
    Router router(graph);
    const auto w = length_weights(t.net);
    const auto route = router.route(t.node('A'), t.node('C'), w);
    ASSERT_TRUE(route);
    EXPECT_EQ(route->cost, 80);
    EXPECT_EQ(route->edges, (std::vector<EdgeId>{t.edge('A', 'B'), t.edge('B', 'C')}));
    EXPECT_EQ(route->from, t.node('A'));
    EXPECT_EQ(route->to, t.node('C'));
    EXPECT_EQ(route->departure, 0);
    EXPECT_EQ(route->arrival(), 80);
    EXPECT_DOUBLE_EQ(path_length_m(t.net, route->edges), 80.0);

    // Close B-C in both directions: the route goes round by F.
    auto closed = w;
    closed[t.edge('B', 'C').value()] = no_edge;
    closed[t.edge('C', 'B').value()] = no_edge;
    const auto around = router.route(t.node('A'), t.node('C'), closed);
    ASSERT_TRUE(around);
    EXPECT_EQ(around->cost, 20 + 80 + 20);
    expect_connected(t.net, t.node('A'), t.node('C'), around->edges);
    EXPECT_EQ(around->edges.size(), 4u);
}

TEST(Routing, OneWayStreetsAreRespected) {
    const auto t = ascii_network(R"(
        A-->B
        |   |
        C---D
    )",
                                 {.grid_m = 10});
    const RoutingGraph graph(t.net);
    Router router(graph);
    const auto w = oneway_weights(t.net);
    EXPECT_EQ(router.route(t.node('A'), t.node('B'), w)->cost, 40);
    // B -> A must go round: B-D (20), D-C (40), C-A (20).
    const auto back = router.route(t.node('B'), t.node('A'), w);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->cost, 80);
    expect_connected(t.net, t.node('B'), t.node('A'), back->edges);
    // Walking (lengths only) may use the reverse of the one-way.
    EXPECT_EQ(router.route(t.node('B'), t.node('A'), length_weights(t.net))->cost, 40);
}

TEST(Routing, ParallelEdgesUseTheCheapest) {
    const auto t =
        ascii_network(R"(
        A---B
    )",
                      {.grid_m = 10, .extra = {AsciiEdge{.from = 'A', .to = 'B', .length_m = 25}}});
    ASSERT_EQ(t.net.edge_count(), 3u);
    const RoutingGraph graph(t.net);
    Router router(graph);
    const auto w = length_weights(t.net);
    const auto route = router.route(t.node('A'), t.node('B'), w);
    ASSERT_TRUE(route);
    EXPECT_EQ(route->cost, 25);
    ASSERT_EQ(route->edges.size(), 1u);
    EXPECT_EQ(t.net.length_m(route->edges[0]), 25.0);
}

// A 4 x 4 grid of 10 m streets, nodes numbered row by row (0 1 2 3 / 4 5 6 7 / ...): 20
// equally short ways from one corner (0) to the other (15). A search settles nodes by time
// and, at equal times, by node number (geo/routing.cpp), so each node is first reached from
// its lowest-numbered neighbour on a shortest way, and the route is predictable: 15 from 11
// (not 14), 11 from 7 (not 10), 7 from 3 (not 6), 3 from 2, 2 from 1, 1 from 0: along the top
// row, then down the right-hand column. The same for the plain and the time-dependent search,
// and for the backward tree toward 15 (0 goes to 1, not 4, and so on). Boost's indirect heap,
// used before, took 0-1-5-9-10-11-15.
TEST(Routing, EquallyFastRoutesGoThroughTheLowestNumberedNodes) {
    RoadNetworkBuilder b;
    for (std::uint32_t i = 0; i < 16; ++i) b.add_node(500 + i);
    auto street = [&](std::uint32_t u, std::uint32_t v) {
        EdgeAttributes a;
        a.length_m = 10;
        b.add_edge(NodeId(u), NodeId(v), a);
        b.add_edge(NodeId(v), NodeId(u), a);
    };
    for (std::uint32_t r = 0; r < 4; ++r) {
        for (std::uint32_t c = 0; c < 4; ++c) {
            const auto v = 4 * r + c;
            if (c < 3) street(v, v + 1);
            if (r < 3) street(v, v + 4);
        }
    }
    const auto net = std::move(b).build();
    const RoutingGraph graph(net);
    Router router(graph);
    const auto w = length_weights(net);
    const std::vector<std::int64_t> open(net.edge_count(), never_closes);
    const std::vector<NodeId> expected{NodeId(1), NodeId(2),  NodeId(3),
                                       NodeId(7), NodeId(11), NodeId(15)};
    for (const auto& route : {router.route(NodeId(0), NodeId(15), w),
                              router.earliest_arrival(NodeId(0), NodeId(15), 100, w, open)}) {
        ASSERT_TRUE(route);
        EXPECT_EQ(route->cost, 60); // six blocks of 10 m, whichever way
        std::vector<NodeId> nodes;
        for (const auto e : route->edges) nodes.push_back(net.head(e));
        EXPECT_EQ(nodes, expected);
    }
    const auto& tree = router.tree(NodeId(15), w, Direction::backward);
    const auto path = tree.path(NodeId(0));
    ASSERT_TRUE(path);
    std::vector<NodeId> nodes;
    for (const auto e : *path) nodes.push_back(net.head(e));
    EXPECT_EQ(nodes, expected);
}

TEST(Routing, UnreachableAndTrivialQueries) {
    const auto t = ascii_network(R"(
        A---B   C---D
    )",
                                 {.grid_m = 10});
    const RoutingGraph graph(t.net);
    Router router(graph);
    const auto w = length_weights(t.net);
    EXPECT_FALSE(router.route(t.node('A'), t.node('D'), w));
    const auto self = router.route(t.node('C'), t.node('C'), w);
    ASSERT_TRUE(self);
    EXPECT_EQ(self->cost, 0);
    EXPECT_TRUE(self->edges.empty());
    const auto& tree = router.tree(t.node('A'), w);
    EXPECT_TRUE(tree.reached(t.node('B')));
    EXPECT_FALSE(tree.reached(t.node('C')));
    EXPECT_EQ(tree.distance(t.node('D')), unreachable);
    EXPECT_FALSE(tree.path(t.node('D')));
    EXPECT_FALSE(tree.parent_edge(t.node('A')).valid());
    const NodeId targets[] = {t.node('B'), t.node('C')};
    const auto row = router.one_to_many(t.node('A'), targets, w);
    EXPECT_EQ(row(0), 40);
    EXPECT_EQ(row(1), unreachable);
}

TEST(Routing, BackwardTreeGivesTimesToTheRoot) {
    const auto t = ascii_network(R"(
        A-->B---C
        |       |
        D---E---F
    )",
                                 {.grid_m = 10});
    const RoutingGraph graph(t.net);
    Router router(graph);
    const auto w = oneway_weights(t.net);
    const auto& tree = router.tree(t.node('A'), w, Direction::backward);
    EXPECT_EQ(tree.direction(), Direction::backward);
    EXPECT_EQ(tree.distance(t.node('A')), 0);
    // B cannot take the one-way back to A: B-C-F-E-D-A = 40 + 20 + 40 + 40 + 20.
    EXPECT_EQ(tree.distance(t.node('B')), 160);
    const auto path = tree.path(t.node('B'));
    ASSERT_TRUE(path);
    expect_connected(t.net, t.node('B'), t.node('A'), *path);
    EXPECT_EQ(sum_weights(*path, w), 160);
    EXPECT_EQ(tree.parent_edge(t.node('D')), t.edge('D', 'A'));
}

TEST(Routing, AllQueriesMatchFloydWarshallOnRandomGraphs) {
    std::mt19937 rng(7);
    for (int round = 0; round < 30; ++round) {
        const auto net = random_network(rng, 2 + round % 25, 4 + 3 * round);
        const auto w = random_weights(rng, net);
        const auto oracle = all_pairs(net, w);
        const RoutingGraph graph(net);
        Router router(graph); // one router for all queries: checks the reset between queries
        const auto n = net.node_count();
        std::vector<NodeId> all(n);
        for (std::uint32_t i = 0; i < n; ++i) all[i] = NodeId(i);
        for (std::uint32_t s = 0; s < n; ++s) {
            const auto& fwd = router.tree(NodeId(s), w, Direction::forward);
            for (std::uint32_t v = 0; v < n; ++v) {
                ASSERT_EQ(fwd.distance(NodeId(v)), oracle[s][v]) << "round " << round;
                if (fwd.reached(NodeId(v))) {
                    const auto p = fwd.path(NodeId(v));
                    expect_connected(net, NodeId(s), NodeId(v), *p);
                    ASSERT_EQ(sum_weights(*p, w), oracle[s][v]);
                }
            }
            const auto& bwd = router.tree(NodeId(s), w, Direction::backward);
            for (std::uint32_t v = 0; v < n; ++v) {
                ASSERT_EQ(bwd.distance(NodeId(v)), oracle[v][s]);
                if (bwd.reached(NodeId(v))) {
                    const auto p = bwd.path(NodeId(v));
                    expect_connected(net, NodeId(v), NodeId(s), *p);
                    ASSERT_EQ(sum_weights(*p, w), oracle[v][s]);
                }
            }
            const auto t = NodeId(static_cast<std::uint32_t>(rng() % n));
            const auto r = router.route(NodeId(s), t, w);
            ASSERT_EQ(r.has_value(), oracle[s][t.value()] != unreachable);
            if (r) {
                ASSERT_EQ(r->cost, oracle[s][t.value()]);
                ASSERT_EQ(sum_weights(r->edges, w), r->cost);
                expect_connected(net, NodeId(s), t, r->edges);
            }
        }
        // Matrices both ways round (more targets than sources, and fewer), with duplicates.
        std::vector<NodeId> few = {NodeId(0), NodeId(n - 1), NodeId(0)};
        const auto m1 = router.many_to_many(few, all, w);
        const auto m2 = router.many_to_many(all, few, w);
        for (std::size_t i = 0; i < few.size(); ++i) {
            for (std::uint32_t j = 0; j < n; ++j) {
                ASSERT_EQ(m1(static_cast<Eigen::Index>(i), j), oracle[few[i].value()][j]);
                ASSERT_EQ(m2(j, static_cast<Eigen::Index>(i)), oracle[j][few[i].value()]);
            }
        }
        const auto col = router.many_to_one(all, NodeId(n / 2), w);
        for (std::uint32_t j = 0; j < n; ++j) ASSERT_EQ(col(j), oracle[j][n / 2]);
    }
}

TEST(Routing, SearchTargetsReportsTargetsInOrderAndStopsWhenAsked) {
    std::mt19937 rng(11);
    for (int round = 0; round < 30; ++round) {
        const auto net = random_network(rng, 3 + round % 20, 5 + 3 * round);
        const auto w = random_weights(rng, net);
        const auto oracle = all_pairs(net, w);
        const RoutingGraph graph(net);
        Router router(graph);
        const auto n = net.node_count();
        for (std::uint32_t s = 0; s < n; ++s) {
            // Every node once, plus one node twice: shared nodes are each reported.
            std::vector<NodeId> targets;
            for (std::uint32_t v = 0; v < n; ++v) targets.push_back(NodeId(v));
            targets.push_back(NodeId(n - 1));
            const Distance start = 1000 * (round + 1);
            std::vector<std::pair<std::size_t, Distance>> seen;
            const bool stopped = router.search_targets(NodeId(s), start, w, {}, targets,
                                                       [&](std::size_t k, Distance d) {
                                                           seen.emplace_back(k, d);
                                                           return false;
                                                       });
            EXPECT_FALSE(stopped);
            std::size_t reachable = 0;
            for (const auto t : targets) reachable += oracle[s][t.value()] != unreachable;
            ASSERT_EQ(seen.size(), reachable) << "round " << round;
            for (std::size_t q = 0; q < seen.size(); ++q) {
                const auto [k, d] = seen[q];
                ASSERT_EQ(d, start + oracle[s][targets[k].value()]);
                if (q > 0) {
                    ASSERT_LE(seen[q - 1].second, d);
                }
                const auto p = router.last_tree().path(targets[k]);
                ASSERT_TRUE(p.has_value());
                ASSERT_EQ(sum_weights(*p, w), oracle[s][targets[k].value()]);
            }
            // Asking to stop after the second report: exactly two reports, the two nearest.
            std::vector<Distance> first_two;
            const bool stopped2 =
                router.search_targets(NodeId(s), 0, w, {}, targets, [&](std::size_t, Distance d) {
                    first_two.push_back(d);
                    return first_two.size() == 2;
                });
            ASSERT_EQ(stopped2, reachable >= 2);
            ASSERT_EQ(first_two.size(), std::min<std::size_t>(2, reachable));
            if (reachable >= 2) {
                ASSERT_EQ(first_two[1], seen[1].second - start);
            }
        }
    }
}

TEST(Routing, SearchTargetsWithClosuresMatchesEarliestArrival) {
    std::mt19937 rng(12);
    for (int round = 0; round < 20; ++round) {
        const auto net = random_network(rng, 4 + round % 15, 8 + 3 * round);
        const auto w = random_weights(rng, net);
        std::vector<std::int64_t> closed(net.edge_count(), never_closes);
        for (auto& c : closed) {
            if (rng() % 3 == 0) c = static_cast<std::int64_t>(rng() % 40);
        }
        const RoutingGraph graph(net);
        Router router(graph);
        const auto n = net.node_count();
        std::vector<NodeId> all;
        for (std::uint32_t v = 0; v < n; ++v) all.push_back(NodeId(v));
        for (std::uint32_t s = 0; s < n; ++s) {
            std::vector<Distance> got(n, unreachable);
            router.search_targets(NodeId(s), 3, w, closed, all, [&](std::size_t k, Distance d) {
                got[k] = d;
                return false;
            });
            for (std::uint32_t v = 0; v < n; ++v) {
                const auto r = router.earliest_arrival(NodeId(s), NodeId(v), 3, w, closed);
                ASSERT_EQ(got[v], r ? r->arrival() : unreachable)
                    << "round " << round << " " << s << "->" << v;
            }
        }
    }
}

TEST(Routing, MultiRootTreeIsTheNearestRootAndAStarPotentialKeepsTheAnswers) {
    std::mt19937 rng(13);
    for (int round = 0; round < 25; ++round) {
        const auto net = random_network(rng, 5 + round % 15, 10 + 3 * round);
        const auto w = random_weights(rng, net);
        const auto oracle = all_pairs(net, w);
        std::vector<std::int64_t> closed(net.edge_count(), never_closes);
        for (auto& c : closed) {
            if (rng() % 4 == 0) c = static_cast<std::int64_t>(rng() % 60);
        }
        const RoutingGraph graph(net);
        Router router(graph);
        const auto n = net.node_count();
        // Roots: a random non-empty subset (the "facilities").
        std::vector<NodeId> roots;
        for (std::uint32_t v = 0; v < n; ++v) {
            if (rng() % 3 == 0) roots.push_back(NodeId(v));
        }
        if (roots.empty()) roots.push_back(NodeId(n - 1));
        const auto& multi = router.tree(roots, w, Direction::backward);
        std::vector<Distance> potential(multi.distances().begin(), multi.distances().end());
        for (std::uint32_t v = 0; v < n; ++v) {
            Distance best = unreachable;
            for (const auto r : roots) best = std::min(best, oracle[v][r.value()]);
            ASSERT_EQ(potential[v], best) << "round " << round << " node " << v;
        }
        // Targets: a subset of the roots; with and without the potential, the same reports
        // in the same order, with and without closures.
        std::vector<NodeId> targets;
        for (const auto r : roots) {
            if (rng() % 2 == 0) targets.push_back(r);
        }
        if (targets.empty()) targets.push_back(roots.front());
        for (const bool with_closures : {false, true}) {
            const std::vector<std::int64_t> open(net.edge_count(), never_closes);
            const std::span<const std::int64_t> c = with_closures
                                                        ? std::span<const std::int64_t>(closed)
                                                        : std::span<const std::int64_t>(open);
            for (std::uint32_t s = 0; s < n; ++s) {
                const auto plain = all_reports(router, NodeId(s), 5, w, c, targets);
                std::vector<std::pair<std::size_t, Distance>> astar;
                router.search_targets(
                    NodeId(s), 5, w, c, targets,
                    [&](std::size_t k, Distance d) {
                        astar.emplace_back(k, d);
                        if (astar.size() > 1) {
                            EXPECT_LE(astar[astar.size() - 2].second, d);
                        }
                        const auto p = router.last_tree().path(targets[k]);
                        EXPECT_TRUE(p.has_value());
                        return false;
                    },
                    potential);
                auto by_target = [](auto v) {
                    std::sort(v.begin(), v.end());
                    return v;
                };
                ASSERT_EQ(by_target(plain), by_target(astar)) << "round " << round << " from " << s;
                for (const auto t : targets) {
                    const auto a = router.earliest_arrival(NodeId(s), t, 5, w, c);
                    const auto b = router.earliest_arrival(NodeId(s), t, 5, w, c, potential);
                    ASSERT_EQ(a.has_value(), b.has_value());
                    if (a) {
                        ASSERT_EQ(a->cost, b->cost);
                        ASSERT_EQ(sum_weights(b->edges, w), b->cost);
                        expect_connected(net, NodeId(s), t, b->edges);
                    }
                }
            }
        }
    }
}

TEST(Routing, ReachableNodesMatchTheOracleWithAndWithoutExtraArcs) {
    std::mt19937 rng(29);
    for (int round = 0; round < 40; ++round) {
        const auto net = random_network(rng, 2 + round % 20, 2 + 2 * round);
        const auto w = random_weights(rng, net);
        const auto n = net.node_count();
        const RoutingGraph graph(net);
        std::vector<NodeId> roots;
        for (std::uint32_t v = 0; v < n; ++v) {
            if (rng() % 5 == 0) roots.push_back(NodeId(v));
        }
        if (roots.empty()) roots.push_back(NodeId(0));
        std::vector<std::pair<NodeId, NodeId>> extra;
        for (int k = 0; k < round % 4; ++k)
            extra.emplace_back(NodeId(rng() % n), NodeId(rng() % n));
        // Oracle: Floyd-Warshall on the closure of usable edges plus the extra arcs.
        std::vector<std::vector<bool>> r(n, std::vector<bool>(n, false));
        for (std::uint32_t u = 0; u < n; ++u) r[u][u] = true;
        for (std::uint32_t e = 0; e < net.edge_count(); ++e) {
            if (w[e] != no_edge) r[net.tails()[e]][net.heads()[e]] = true;
        }
        for (const auto& [a, b] : extra) r[a.value()][b.value()] = true;
        for (std::uint32_t k = 0; k < n; ++k)
            for (std::uint32_t i = 0; i < n; ++i)
                for (std::uint32_t j = 0; j < n; ++j)
                    if (r[i][k] && r[k][j]) r[i][j] = true;
        const auto fwd = reachable_nodes(graph, roots, w, Direction::forward, extra);
        const auto bwd = reachable_nodes(graph, roots, w, Direction::backward, extra);
        const auto plain = reachable_nodes(graph, roots, w, Direction::forward);
        // Sweeps that stop once the wanted nodes are reached answer for those exactly
        // (duplicates and roots among them are fine).
        std::vector<NodeId> wanted;
        for (int k = 0; k < 1 + round % 5; ++k) wanted.push_back(NodeId(rng() % n));
        if (round % 7 == 0) wanted.push_back(roots[0]);
        if (round % 4 == 0) wanted.push_back(wanted.front());
        const auto fwd_some = reachable_nodes(graph, roots, w, Direction::forward, extra, wanted);
        const auto bwd_some = reachable_nodes(graph, roots, w, Direction::backward, extra, wanted);
        for (const auto v : wanted) {
            ASSERT_EQ(fwd_some[v.value()], fwd[v.value()])
                << "round " << round << " node " << v.value();
            ASSERT_EQ(bwd_some[v.value()], bwd[v.value()])
                << "round " << round << " node " << v.value();
        }
        Router router(graph);
        const auto& tree = router.tree(roots, w, Direction::forward);
        for (std::uint32_t v = 0; v < n; ++v) {
            bool from = false, to = false;
            for (const auto root : roots) {
                from = from || r[root.value()][v];
                to = to || r[v][root.value()];
            }
            ASSERT_EQ(fwd[v] != 0, from) << "round " << round << " node " << v;
            ASSERT_EQ(bwd[v] != 0, to) << "round " << round << " node " << v;
            ASSERT_EQ(plain[v] != 0, tree.reached(NodeId(v))) << "round " << round << " node " << v;
        }
    }
}

TEST(Routing, ReachableNodesWithWantedNodesStopOnceAllAreReached) {
    // A road of 1,000 nodes: wanting the third node from the root ends the sweep there.
    RoadNetworkBuilder b;
    for (std::uint32_t i = 0; i < 1000; ++i) b.add_node(1 + i);
    for (std::uint32_t i = 0; i + 1 < 1000; ++i) {
        EdgeAttributes a;
        a.length_m = 10;
        a.original_id = i;
        b.add_edge(NodeId(i), NodeId(i + 1), a);
    }
    const auto road = std::move(b).build();
    const RoutingGraph graph(road);
    const auto w = length_weights(road);
    const std::vector<NodeId> root = {NodeId(0)}, near = {NodeId(2)}, far = {NodeId(999)};
    const auto stopped = reachable_nodes(graph, root, w, Direction::forward, {}, near);
    EXPECT_EQ(stopped[2], 1);
    EXPECT_LT(std::count(stopped.begin(), stopped.end(), std::uint8_t{1}), 10);
    const auto whole = reachable_nodes(graph, root, w, Direction::forward, {}, far);
    EXPECT_EQ(std::count(whole.begin(), whole.end(), std::uint8_t{1}), 1000);
    // A wanted node that cannot be reached reads 0, after the whole sweep.
    const auto back = reachable_nodes(graph, far, w, Direction::forward, {}, root);
    EXPECT_EQ(back[0], 0);
    EXPECT_EQ(back[999], 1);
}

TEST(Routing, SlowdownIsTheSameAsScaledWeights) {
    // A traveller at `slowdown` times the weights' pace: the same answer as a search on the
    // weights scaled (and truncated) edge by edge, closures included.
    std::mt19937 rng(31);
    for (int round = 0; round < 30; ++round) {
        const auto net = random_network(rng, 3 + round % 15, 6 + 3 * round);
        const auto w = random_weights(rng, net);
        std::vector<std::int64_t> closed(net.edge_count(), never_closes);
        for (auto& c : closed) {
            if (rng() % 3 == 0) c = static_cast<std::int64_t>(rng() % 80);
        }
        const RoutingGraph graph(net);
        Router router(graph);
        for (const double slowdown : {0.7, 1.0, 1.3, 2.5}) {
            std::vector<Weight> scaled(w.size());
            for (std::size_t e = 0; e < w.size(); ++e) {
                scaled[e] = w[e] == no_edge
                                ? no_edge
                                : static_cast<Weight>(static_cast<double>(w[e]) * slowdown);
            }
            const auto n = net.node_count();
            for (std::uint32_t from = 0; from < n; ++from) {
                for (std::uint32_t to = 0; to < n; ++to) {
                    const auto a = router.earliest_arrival(NodeId(from), NodeId(to), 3, w, closed,
                                                           {}, slowdown);
                    const auto b =
                        router.earliest_arrival(NodeId(from), NodeId(to), 3, scaled, closed);
                    ASSERT_EQ(a.has_value(), b.has_value())
                        << "round " << round << " slowdown " << slowdown;
                    if (a) {
                        ASSERT_EQ(a->cost, b->cost);
                        ASSERT_EQ(sum_weights(a->edges, scaled), a->cost);
                    }
                }
            }
            // And the next query, without a slowdown, is at the weights' pace again.
            const auto plain = router.earliest_arrival(NodeId(0), NodeId(n - 1), 3, w, closed);
            const auto again =
                router.earliest_arrival(NodeId(0), NodeId(n - 1), 3, w, closed, {}, 1.0);
            ASSERT_EQ(plain.has_value(), again.has_value());
            if (plain) {
                ASSERT_EQ(plain->cost, again->cost);
            }
        }
    }
    const auto net = random_network(rng, 4, 8);
    const auto w = length_weights(net);
    const std::vector<std::int64_t> open(net.edge_count(), never_closes);
    const RoutingGraph graph(net);
    Router router(graph);
    EXPECT_THROW(router.earliest_arrival(NodeId(0), NodeId(1), 0, w, open, {}, 0.0),
                 sonae::InternalError);
    const std::vector<Distance> potential(net.node_count(), 0);
    EXPECT_THROW(router.earliest_arrival(NodeId(0), NodeId(1), 0, w, open, potential, 0.5),
                 sonae::InternalError);
}

TEST(Routing, LatestDepartureIsTheLastMomentARootCanBeReached) {
    std::mt19937 rng(37);
    for (int round = 0; round < 30; ++round) {
        const auto [net, w, closed, roots] = closing_case(rng, round);
        const RoutingGraph graph(net);
        Router router(graph);
        const auto n = net.node_count();
        const auto latest = latest_departure(graph, roots, w, closed);
        for (std::uint32_t v = 0; v < n; ++v) {
            // Leaving v at t reaches a root exactly when t <= latest[v].
            for (std::int64_t t = 0; t <= 130; t += 1) {
                bool reached = false;
                router.search_targets(NodeId(v), t, w, closed, roots,
                                      [&](std::size_t, Distance) { return reached = true; });
                ASSERT_EQ(reached, t <= latest[v])
                    << "round " << round << " node " << v << " t " << t << " latest " << latest[v];
            }
        }
        // Router::latest_departure_from stops as soon as it knows: the same time as the whole
        // sweep wherever that time is at least not_before, never_reached (earlier) elsewhere.
        for (std::uint32_t v = 0; v < n; ++v) {
            for (const Distance not_before :
                 {Distance{-1000}, Distance{0}, Distance{40}, Distance{90}, Distance{200}}) {
                const auto got =
                    router.latest_departure_from(NodeId(v), roots, w, closed, not_before);
                ASSERT_TRUE(got.has_value());
                const Distance want = latest[v] >= not_before ? latest[v] : never_reached;
                ASSERT_EQ(*got, want)
                    << "round " << round << " node " << v << " not_before " << not_before;
            }
        }
        // latest_departures_from answers several nodes in one search: a random handful (a node
        // may be asked twice), each the same as the whole sweep from not_before on.
        for (const Distance not_before : {Distance{-1000}, Distance{40}, Distance{90}}) {
            std::vector<NodeId> from;
            std::uniform_int_distribution<std::uint32_t> pick(0, n - 1);
            for (std::uint32_t k = 0; k < 1 + n / 3; ++k) from.push_back(NodeId(pick(rng)));
            const auto got = router.latest_departures_from(from, roots, w, closed, not_before);
            ASSERT_TRUE(got.has_value());
            ASSERT_EQ(got->size(), from.size());
            for (std::size_t k = 0; k < from.size(); ++k) {
                const auto v = from[k].value();
                const Distance want = latest[v] >= not_before ? latest[v] : never_reached;
                ASSERT_EQ((*got)[k], want)
                    << "round " << round << " node " << v << " not_before " << not_before;
            }
        }
        // The Router's arrays are left clean for the next query of another kind.
        Router fresh(graph);
        const auto used = router.tree(NodeId(0), w).distances();
        const auto clean = fresh.tree(NodeId(0), w).distances();
        ASSERT_TRUE(std::equal(used.begin(), used.end(), clean.begin(), clean.end()));
    }
}

TEST(Routing, LatestDepartureFromStopsOnceItKnows) {
    // Every edge is 20 m (weights in m, times in the same unit); E-F closes at 100. The latest
    // moments to leave each node and still reach F: F never closes, E 100 - 20 = 80,
    // C 80 - 20 = 60, B 40, A 20.
    const auto t = ascii_network("A-B-C-E-F", {.grid_m = 10});
    const RoutingGraph graph(t.net);
    Router router(graph);
    const auto w = length_weights(t.net);
    std::vector<std::int64_t> closed(t.net.edge_count(), never_closes);
    closed[t.edge('E', 'F').value()] = 100;
    const std::array<NodeId, 1> root{t.node('F')};
    const auto all = latest_departure(graph, root, w, closed);
    EXPECT_EQ(all[t.node('E').value()], 80);
    EXPECT_EQ(all[t.node('A').value()], 20);
    EXPECT_EQ(router.latest_departure_from(t.node('A'), root, w, closed, 0), 20);
    EXPECT_EQ(router.latest_departure_from(t.node('C'), root, w, closed, 60), 60);
    // Not before 61 (or 100): the search stops at the first time below it (C's 60, E's 80)
    // without settling A: leaving C at 61 or A at 100 reaches F no more.
    EXPECT_EQ(router.latest_departure_from(t.node('C'), root, w, closed, 61), never_reached);
    EXPECT_EQ(router.latest_departure_from(t.node('A'), root, w, closed, 100), never_reached);
    // A budget of one settled node (F): the search gives up at E, before it knows A's time.
    EXPECT_EQ(router.latest_departure_from(t.node('A'), root, w, closed, 0, 1), std::nullopt);
    // Several nodes at once: B (40) and E (80) from 0 on; from 50 on, E's 80 and B's 40 is
    // earlier than 50 (never_reached). The search settles F, E, C, then B, the last asked for:
    // a budget of the three before it is enough, of two it gives up at C.
    const std::array<NodeId, 2> b_e{t.node('B'), t.node('E')};
    EXPECT_EQ(router.latest_departures_from(b_e, root, w, closed, 0),
              (std::vector<Distance>{40, 80}));
    EXPECT_EQ(router.latest_departures_from(b_e, root, w, closed, 50),
              (std::vector<Distance>{never_reached, 80}));
    EXPECT_EQ(router.latest_departures_from(b_e, root, w, closed, 0, 3),
              (std::vector<Distance>{40, 80}));
    EXPECT_EQ(router.latest_departures_from(b_e, root, w, closed, 0, 2), std::nullopt);
}

TEST(Routing, StraightLineBoundKeepsEarliestArrivalExact) {
    // Random networks with coordinates (a 2 km box near Ube), edges at least as long as the
    // straight line between their ends, times from 0.05 to 0.2 s per metre, a third closing:
    // A* by the straight line gives the same arrivals (and valid routes) as the plain search.
    std::mt19937 rng(43);
    for (int round = 0; round < 40; ++round) {
        const std::uint32_t n = 5 + round % 20;
        RoadNetworkBuilder b;
        std::uniform_real_distribution<double> off(0.0, 0.02);
        std::vector<LonLat> at;
        for (std::uint32_t i = 0; i < n; ++i) {
            at.push_back({131.25 + off(rng), 33.95 + off(rng)});
            b.add_node(1000 + i, at.back());
        }
        std::uniform_int_distribution<std::uint32_t> node(0, n - 1);
        std::uniform_real_distribution<double> detour(1.0, 1.5);
        for (std::uint32_t i = 0; i < 4 * n; ++i) {
            const auto u = node(rng), v = node(rng);
            EdgeAttributes a;
            a.length_m = haversine_m(at[u], at[v]) * detour(rng);
            a.original_id = i;
            b.add_edge(NodeId(u), NodeId(v), a);
        }
        const auto net = std::move(b).build();
        std::uniform_real_distribution<double> pace(50.0, 200.0); // ms per metre
        std::vector<Weight> w(net.edge_count());
        std::vector<std::int64_t> closed(net.edge_count(), never_closes);
        for (std::uint32_t e = 0; e < net.edge_count(); ++e) {
            w[e] = static_cast<Weight>(net.length_m(EdgeId(e)) * pace(rng));
            if (rng() % 3 == 0) closed[e] = static_cast<std::int64_t>(rng() % 400'000);
        }
        const auto line = straight_line_bound(net, w);
        ASSERT_TRUE(line.usable());
        EXPECT_LT(line.per_m, 200.0);
        const RoutingGraph graph(net);
        Router plain(graph), guided(graph);
        for (std::uint32_t u = 0; u < n; ++u) {
            for (std::uint32_t v = 0; v < n; ++v) {
                const auto a = plain.earliest_arrival(NodeId(u), NodeId(v), 1000, w, closed);
                const auto g = guided.earliest_arrival(NodeId(u), NodeId(v), 1000, w, closed, line);
                ASSERT_EQ(a.has_value(), g.has_value())
                    << "round " << round << " " << u << "->" << v;
                if (!a) continue;
                ASSERT_EQ(a->arrival(), g->arrival()) << "round " << round << " " << u << "->" << v;
                expect_connected(net, NodeId(u), NodeId(v), g->edges);
                ASSERT_EQ(sum_weights(g->edges, w), g->cost);
            }
        }
    }
}

TEST(Routing, StraightLineBoundSettlesOnlyTowardTheTarget) {
    // From A to D (60 m east; weights in metres, so the bound is 0.98 per metre). The plain
    // search settles E (20 m) and F (40 m) west of A before D (60 m). With the straight line
    // E's key is 20 + 0.98 x 80 = 98 (truncated) > D's 60: D settles first, E is only
    // discovered and F never reached.
    const auto t = ascii_network("H-G-F-E-A-B-C-D", {.grid_m = 10});
    const RoutingGraph graph(t.net);
    Router router(graph);
    const auto w = length_weights(t.net);
    const std::vector<std::int64_t> open(t.net.edge_count(), never_closes);
    const auto line = straight_line_bound(t.net, w);
    ASSERT_TRUE(line.usable());
    EXPECT_NEAR(line.per_m, 0.98, 1e-9);
    const auto plain = router.earliest_arrival(t.node('A'), t.node('D'), 0, w, open);
    ASSERT_TRUE(plain.has_value());
    EXPECT_EQ(plain->cost, 60);
    EXPECT_TRUE(router.last_tree().reached(t.node('F')));
    const auto guided = router.earliest_arrival(t.node('A'), t.node('D'), 0, w, open, line);
    ASSERT_TRUE(guided.has_value());
    EXPECT_EQ(guided->cost, 60);
    EXPECT_TRUE(router.last_tree().reached(t.node('E')));
    EXPECT_FALSE(router.last_tree().reached(t.node('F')));
    // Without coordinates there is no bound, and the search is the plain one.
    EXPECT_FALSE(straight_line_bound(RoadNetwork{}, {}).usable());
}

TEST(Routing, SearchTargetsWithClosuresStopsOnceNoTargetCanBeReached) {
    // C lies behind a closing edge; B is open. The search reports B and stops once C's only
    // way in has closed, without settling the long open street D-E-F-G-H beyond it.
    const auto t = ascii_network(R"(
        A-B-C
        |
        |
        D-E-F-G-H
    )",
                                 {.grid_m = 10});
    const RoutingGraph graph(t.net);
    Router router(graph);
    const auto w = length_weights(t.net);
    std::vector<std::int64_t> closed(t.net.edge_count(), never_closes);
    closed[t.edge('B', 'C').value()] =
        15; // B-C (20 m) closes at 15: C cannot be reached from A at 0
    std::vector<NodeId> targets{t.node('B'), t.node('C')};
    std::vector<std::size_t> reported;
    router.search_targets(t.node('A'), 0, w, closed, targets, [&](std::size_t k, Distance) {
        reported.push_back(k);
        return false;
    });
    EXPECT_EQ(reported, (std::vector<std::size_t>{0}));
    // A at 0, B at 20, D at 30 (A-B is 20 m, A-D 30 m). Once B is reported, C's last way in
    // (B-C) has closed at 15 < 30: the search stops before D is expanded, so E (50 m) is
    // never reached. (It used to go on along D-E-F-G-H, all of it.)
    EXPECT_FALSE(router.last_tree().reached(t.node('E')));
    EXPECT_FALSE(router.last_tree().reached(t.node('H')));
}

TEST(Routing, ArrivalClosingIsTheLatestUsableWayInAndChangesNoReport) {
    // C's only way in is B-C, closing at 15; B's ways in (A-B, C-B) never close; with A-D
    // unusable (no_edge both ways), D has no way in at all.
    const auto t = ascii_network(R"(
        A-B-C
        |
        D
    )",
                                 {.grid_m = 10});
    const RoutingGraph graph(t.net);
    auto w = length_weights(t.net);
    w[t.edge('A', 'D').value()] = no_edge;
    w[t.edge('D', 'A').value()] = no_edge;
    std::vector<std::int64_t> closed(t.net.edge_count(), never_closes);
    closed[t.edge('B', 'C').value()] = 15;
    const auto closing = arrival_closing(graph, w, closed);
    EXPECT_EQ(closing[t.node('C').value()], 15);
    EXPECT_EQ(closing[t.node('B').value()], never_closes);
    EXPECT_EQ(closing[t.node('D').value()], never_reached);
    EXPECT_THROW(arrival_closing(graph, w, std::vector<std::int64_t>(2, never_closes)),
                 sonae::InternalError);

    // On random networks with closures: the same reports in the same order with the table as
    // without it, including several targets on one node (reported in index order).
    std::mt19937 rng(21);
    for (int round = 0; round < 20; ++round) {
        const auto net = random_network(rng, 4 + round % 15, 8 + 3 * round);
        auto rw = random_weights(rng, net);
        std::vector<std::int64_t> rc(net.edge_count(), never_closes);
        for (auto& c : rc) {
            if (rng() % 3 == 0) c = static_cast<std::int64_t>(rng() % 40);
        }
        const RoutingGraph rg(net);
        Router router(rg);
        const auto table = arrival_closing(rg, rw, rc);
        std::vector<NodeId> targets;
        for (std::uint32_t v = 0; v < net.node_count(); ++v) {
            targets.push_back(NodeId(v));
            if (v % 3 == 0) targets.push_back(NodeId(v)); // a second target on the node
        }
        std::shuffle(targets.begin(), targets.end(), rng);
        for (std::uint32_t s = 0; s < net.node_count(); ++s) {
            const auto without = all_reports(router, NodeId(s), 3, rw, rc, targets);
            const auto with = all_reports(router, NodeId(s), 3, rw, rc, targets, {}, table);
            ASSERT_EQ(without, with) << "round " << round << " from " << s;
            for (std::size_t i = 1; i < with.size(); ++i) {
                if (targets[with[i].first] == targets[with[i - 1].first]) {
                    EXPECT_LT(with[i - 1].first, with[i].first); // one node: in index order
                }
            }
        }
    }
}

TEST(Routing, SearchTargetsStopsOnceEveryTargetIsReported) {
    // Targets B and C, a visitor that never asks to stop (it wants more targets than there
    // are, as a vehicle row with fewer places than its neighbour count): once C is reported
    // nothing is left to report, so the long street D-E-F-G-H is never settled, with or
    // without closures.
    const auto t = ascii_network(R"(
        A-B-C
        |
        |
        |
        D-E-F-G-H
    )",
                                 {.grid_m = 10});
    const RoutingGraph graph(t.net);
    Router router(graph);
    const auto w = length_weights(t.net);
    const std::vector<std::int64_t> none;
    const std::vector<std::int64_t> open(t.net.edge_count(), never_closes);
    for (const auto* closed : {&none, &open}) {
        std::vector<NodeId> targets{t.node('C'), t.node('B')};
        std::vector<std::pair<std::size_t, Distance>> reported;
        const bool stopped = router.search_targets(t.node('A'), 0, w, *closed, targets,
                                                   [&](std::size_t k, Distance d) {
                                                       reported.emplace_back(k, d);
                                                       return false;
                                                   });
        EXPECT_FALSE(stopped); // not by the visitor
        // B at 20 m, C at 40 m. D is also 40 m from A (a tie: it may be expanded, so E at 50 m
        // may be reached); F (60 m) and H (80 m) never are.
        EXPECT_EQ(reported, (std::vector<std::pair<std::size_t, Distance>>{{1, 20}, {0, 40}}));
        EXPECT_FALSE(router.last_tree().reached(t.node('F')));
        EXPECT_FALSE(router.last_tree().reached(t.node('H')));
    }
}

TEST(Routing, EarliestArrivalWithABudgetGivesUpOrAnswersExactly) {
    // A-B-C-D, 10 m cells: D at 60 m. Settling A, B and C (3 nodes) does not reach D: with a
    // budget of 3 the search gives up; with 5 or none it finds D at 60.
    const auto t = ascii_network("A-B-C-D", {.grid_m = 10});
    const RoutingGraph graph(t.net);
    Router router(graph);
    const auto w = length_weights(t.net);
    const std::vector<std::int64_t> open(t.net.edge_count(), never_closes);
    EXPECT_FALSE(
        router.earliest_arrival(t.node('A'), t.node('D'), 0, w, open, {}, 1.0, 3).has_value());
    EXPECT_TRUE(router.gave_up());
    for (const std::uint64_t budget : {std::uint64_t{5}, std::uint64_t{0}}) {
        const auto r =
            router.earliest_arrival(t.node('A'), t.node('D'), 0, w, open, {}, 1.0, budget);
        ASSERT_TRUE(r.has_value()) << budget;
        EXPECT_EQ(r->cost, 60);
        EXPECT_FALSE(router.gave_up());
    }
}

TEST(Routing, EarliestArrivalNeverUsesAClosedEdge) {
    // A-B-C is 40 m (two edges of 20 m), A-D-E-F-C around is 80 m.
    const auto t = ascii_network(R"(
        A-B-C
        |   |
        D-E-F
    )",
                                 {.grid_m = 10});
    const RoutingGraph graph(t.net);
    Router router(graph);
    const auto w = length_weights(t.net);
    std::vector<std::int64_t> closed(t.net.edge_count(), never_closes);
    const auto bc = t.edge('B', 'C').value();

    // Leaving A at 100, B-C is entered at 120 and left at 140.
    closed[bc] = 140; // closes exactly when we leave it: still allowed
    auto r = router.earliest_arrival(t.node('A'), t.node('C'), 100, w, closed);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->departure, 100);
    EXPECT_EQ(r->cost, 40);
    EXPECT_EQ(r->arrival(), 140);

    closed[bc] = 139; // one unit earlier: detour A-D-E-F-C = 4 x 20 = 80
    r = router.earliest_arrival(t.node('A'), t.node('C'), 100, w, closed);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->cost, 80);
    EXPECT_EQ(std::count(r->edges.begin(), r->edges.end(), EdgeId(bc)), 0);
    expect_connected(t.net, t.node('A'), t.node('C'), r->edges);

    // Leaving earlier, the short way is still open.
    r = router.earliest_arrival(t.node('A'), t.node('C'), 50, w, closed);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->cost, 40);

    // Everything into C closed before we can get there.
    closed[t.edge('F', 'C').value()] = 100;
    EXPECT_FALSE(router.earliest_arrival(t.node('A'), t.node('C'), 100, w, closed));
    const auto& tree = router.earliest_arrival_tree(t.node('A'), 100, w, closed);
    EXPECT_EQ(tree.distance(t.node('A')), 100);
    EXPECT_EQ(tree.distance(t.node('F')), 160);
    EXPECT_FALSE(tree.reached(t.node('C')));
}

TEST(Routing, EarliestArrivalMatchesLabelCorrectingOracle) {
    std::mt19937 rng(11);
    for (int round = 0; round < 40; ++round) {
        const auto net = random_network(rng, 3 + round % 20, 6 + 4 * round);
        const auto w = random_weights(rng, net);
        std::uniform_int_distribution<std::int64_t> when(0, 120);
        std::vector<std::int64_t> closed(net.edge_count());
        for (auto& c : closed) c = rng() % 4 == 0 ? never_closes : when(rng);
        const std::int64_t departure = when(rng) / 4;
        const RoutingGraph graph(net);
        Router router(graph);
        const auto n = net.node_count();
        for (std::uint32_t s = 0; s < n; ++s) {
            // Bellman-Ford style: relax every edge until nothing improves.
            std::vector<Distance> arrive(n, unreachable);
            arrive[s] = departure;
            for (bool changed = true; changed;) {
                changed = false;
                for (std::uint32_t e = 0; e < net.edge_count(); ++e) {
                    const auto u = net.tails()[e];
                    const auto v = net.heads()[e];
                    if (w[e] == no_edge || arrive[u] == unreachable) continue;
                    const Distance leave = arrive[u] + w[e];
                    if (leave <= closed[e] && leave < arrive[v]) {
                        arrive[v] = leave;
                        changed = true;
                    }
                }
            }
            const auto& tree = router.earliest_arrival_tree(NodeId(s), departure, w, closed);
            for (std::uint32_t v = 0; v < n; ++v) {
                ASSERT_EQ(tree.distance(NodeId(v)), arrive[v]) << "round " << round;
                if (!tree.reached(NodeId(v))) continue;
                // Replay the path: each edge must be left no later than it closes.
                Distance time = departure;
                const auto path = tree.path(NodeId(v));
                ASSERT_TRUE(path);
                for (const auto e : *path) {
                    time += w[e.value()];
                    ASSERT_LE(time, closed[e.value()]);
                }
                ASSERT_EQ(time, arrive[v]);
            }
        }
    }
}

TEST(Routing, PathGeometryFollowsTheNodes) {
    const auto t = ascii_network(R"(
        A---B
            |
            C
    )",
                                 {.grid_m = 50});
    const RoutingGraph graph(t.net);
    Router router(graph);
    const auto route = router.route(t.node('A'), t.node('C'), length_weights(t.net));
    ASSERT_TRUE(route);
    const auto geometry = path_geometry(t.net, route->edges);
    ASSERT_EQ(geometry.size(), 3u);
    EXPECT_EQ(geometry[0], t.net.lonlat(t.node('A')));
    EXPECT_EQ(geometry[1], t.net.lonlat(t.node('B')));
    EXPECT_EQ(geometry[2], t.net.lonlat(t.node('C')));
    EXPECT_NEAR(haversine_m(geometry[0], geometry[1]), 200.0, 0.5);
    EXPECT_TRUE(path_geometry(t.net, {}).empty());
}

TEST(Routing, MisuseIsAnInternalError) {
    const auto t = ascii_network("A---B", {.grid_m = 10});
    const RoutingGraph graph(t.net);
    Router router(graph);
    std::vector<Weight> short_weights(1, 1);
    EXPECT_THROW(router.route(t.node('A'), t.node('B'), short_weights), sonae::InternalError);
    const auto w = length_weights(t.net);
    EXPECT_THROW(router.route(t.node('A'), NodeId(99), w), sonae::InternalError);
    std::vector<std::int64_t> closed(1, never_closes);
    EXPECT_THROW(router.earliest_arrival(t.node('A'), t.node('B'), 0, w, closed),
                 sonae::InternalError);
    // The router still works after a failed query.
    EXPECT_EQ(router.route(t.node('A'), t.node('B'), w)->cost, 40);
}

TEST(Routing, EmptyNetworkAndIsolatedNodes) {
    const RoadNetwork empty;
    const RoutingGraph empty_graph(empty);
    EXPECT_EQ(empty_graph.node_count(), 0u);
    EXPECT_EQ(empty_graph.edge_count(), 0u);
    Router empty_router(empty_graph);
    EXPECT_THROW(empty_router.tree(NodeId(0), {}), sonae::InternalError);

    const auto t = ascii_network("A---B   C", {.grid_m = 10});
    const RoutingGraph graph(t.net);
    Router router(graph);
    const auto w = length_weights(t.net);
    const auto& tree = router.tree(t.node('C'), w);
    EXPECT_EQ(tree.distance(t.node('C')), 0);
    EXPECT_FALSE(tree.reached(t.node('A')));
    const NodeId none[] = {t.node('C')};
    EXPECT_EQ(router.many_to_many(none, std::span<const NodeId>(), w).size(), 0);
    const auto m = router.many_to_many(none, none, w);
    ASSERT_EQ(m.rows(), 1);
    EXPECT_EQ(m(0, 0), 0);
}
