// Contraction hierarchy: hand-drawn networks, then a randomised property test against
// Router's Dijkstra (parallel edges, one-way edges, loops, zero weights, no_edge, unreachable
// parts). Distances must be equal to the unit; unpacked routes must chain and add up.
#include "core/error.hpp"
#include "geo/contraction.hpp"
#include "geo/routing.hpp"
#include "tests/support/ascii_network.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <thread>

using namespace sonae::geo;
using sonae::test::ascii_network;
using sonae::test::AsciiEdge;

namespace {

// Lengths in metres with the reverse of a one-way street unusable (as for cars).
std::vector<Weight> oneway_weights(const RoadNetwork& net) {
    auto w = length_weights(net);
    for (std::uint32_t e = 0; e < net.edge_count(); ++e) {
        if (net.flags(EdgeId(e)) & edge_against_oneway) w[e] = no_edge;
    }
    return w;
}

// The route starts at `from`, ends at `to`, its edges chain, are usable, and their weights
// add up to its cost.
void expect_valid_route(const RoadNetwork& net, std::span<const Weight> w, const Route& r) {
    NodeId at = r.from;
    Distance sum = 0;
    for (const auto e : r.edges) {
        ASSERT_LT(e.value(), net.edge_count());
        ASSERT_EQ(net.tail(e), at);
        ASSERT_NE(w[e.value()], no_edge);
        at = net.head(e);
        sum += w[e.value()];
    }
    EXPECT_EQ(at, r.to);
    EXPECT_EQ(sum, r.cost);
}

RoadNetwork random_network(std::mt19937& rng, std::uint32_t n, std::uint32_t m) {
    RoadNetworkBuilder b;
    for (std::uint32_t i = 0; i < n; ++i) b.add_node(1000 + i);
    std::uniform_int_distribution<std::uint32_t> node(0, n - 1);
    // Two clusters joined by a few one-way edges, so that some pairs have no path.
    const std::uint32_t half = n / 2;
    for (std::uint32_t i = 0; i < m; ++i) {
        auto u = node(rng);
        auto v = node(rng);
        if (i % 17 != 0 && (u < half) != (v < half)) {
            v = u < half ? v % half : half + v % (n - half);
        }
        EdgeAttributes a;
        a.original_id = i;
        b.add_edge(NodeId(u), NodeId(v), a);                     // loops and parallel edges allowed
        if (rng() % 3 != 0) b.add_edge(NodeId(v), NodeId(u), a); // two-way street
    }
    return std::move(b).build();
}

// Small integer weights (many ties, some zeros), no_edge on 15 % of the edges.
std::vector<Weight> random_weights(std::mt19937& rng, const RoadNetwork& net, Weight max_weight) {
    std::vector<Weight> w(net.edge_count());
    std::uniform_int_distribution<Weight> weight(0, max_weight);
    std::bernoulli_distribution blocked(0.15);
    for (auto& x : w) x = blocked(rng) ? no_edge : weight(rng);
    return w;
}

} // namespace

TEST(Contraction, RoutesOnAHandDrawnTownUnpackToTheOriginalEdges) {
    // The one-way C -> F makes F -> C go round by E, D, A, B.
    const auto t = ascii_network(R"(
        A---B---C
        |       v
        D---E---F
    )",
                                 {.grid_m = 10});
    const auto w = oneway_weights(t.net);
    const ContractionHierarchy ch(t.net, w);
    ChQuery q(ch);

    const auto ac = q.route(t.node('A'), t.node('C'));
    ASSERT_TRUE(ac);
    EXPECT_EQ(ac->cost, 80);
    EXPECT_EQ(ac->edges, (std::vector<EdgeId>{t.edge('A', 'B'), t.edge('B', 'C')}));

    const auto fc = q.route(t.node('F'), t.node('C'));
    ASSERT_TRUE(fc);
    EXPECT_EQ(fc->cost, 40 + 40 + 20 + 40 + 40);
    EXPECT_EQ(fc->edges, (std::vector<EdgeId>{t.edge('F', 'E'), t.edge('E', 'D'), t.edge('D', 'A'),
                                              t.edge('A', 'B'), t.edge('B', 'C')}));
    expect_valid_route(t.net, w, *fc);
    EXPECT_EQ(q.distance(t.node('C'), t.node('F')), 20);

    const auto same = q.route(t.node('E'), t.node('E'));
    ASSERT_TRUE(same);
    EXPECT_EQ(same->cost, 0);
    EXPECT_TRUE(same->edges.empty());
    EXPECT_EQ(ch.stats().nodes, 6u);
}

TEST(Contraction, TakesTheCheapestOfParallelEdges) {
    const auto t = ascii_network(R"(
        A---B---C
    )",
                                 {.grid_m = 10,
                                  .extra = {AsciiEdge{.from = 'A', .to = 'B', .length_m = 12},
                                            AsciiEdge{.from = 'A', .to = 'B', .length_m = 35}}});
    const auto w = oneway_weights(t.net);
    const ContractionHierarchy ch(t.net, w);
    ChQuery q(ch);
    const auto r = q.route(t.node('A'), t.node('C'));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->cost, 12 + 40);
    ASSERT_EQ(r->edges.size(), 2u);
    EXPECT_EQ(r->edges[0], t.edge('A', 'B')); // the shortest parallel edge
    EXPECT_EQ(w[r->edges[0].value()], 12u);
    expect_valid_route(t.net, w, *r);
}

TEST(Contraction, UnreachableAndUnusableEdgesGiveNoPath) {
    const auto t = ascii_network(R"(
        A-->B   C---D
    )",
                                 {.grid_m = 10});
    const auto w = oneway_weights(t.net);
    const ContractionHierarchy ch(t.net, w);
    ChQuery q(ch);
    EXPECT_FALSE(q.route(t.node('B'), t.node('A')));
    EXPECT_FALSE(q.route(t.node('A'), t.node('C')));
    EXPECT_EQ(q.distance(t.node('A'), t.node('D')), unreachable);
    EXPECT_EQ(q.distance(t.node('A'), t.node('B')), 40);

    const auto tree = q.tree(t.node('A'));
    EXPECT_EQ(tree[t.node('A').value()], 0);
    EXPECT_EQ(tree[t.node('B').value()], 40);
    EXPECT_EQ(tree[t.node('C').value()], unreachable);
    const auto back = q.tree(t.node('A'), Direction::backward);
    EXPECT_EQ(back[t.node('B').value()], unreachable);
    const auto none = q.tree(std::span<const NodeId>{});
    EXPECT_TRUE(std::all_of(none.begin(), none.end(), [](Distance d) { return d == unreachable; }));

    const NodeId sources[] = {t.node('A'), t.node('D')};
    const NodeId targets[] = {t.node('B'), t.node('C'), t.node('A')};
    const auto m = q.many_to_many(sources, targets);
    ASSERT_EQ(m.rows(), 2);
    ASSERT_EQ(m.cols(), 3);
    EXPECT_EQ(m(0, 0), 40);
    EXPECT_EQ(m(0, 1), unreachable);
    EXPECT_EQ(m(0, 2), 0);
    EXPECT_EQ(m(1, 0), unreachable);
    EXPECT_EQ(m(1, 1), 40);
    EXPECT_EQ(m(1, 2), unreachable);
    EXPECT_EQ(q.many_to_many({}, targets).rows(), 0);
}

TEST(Contraction, BadInputsAreInternalErrors) {
    const auto t = ascii_network("A---B", {.grid_m = 10});
    const std::vector<Weight> too_few(1, 5);
    EXPECT_THROW(ContractionHierarchy(t.net, too_few), sonae::InternalError);
    const auto w = length_weights(t.net);
    const ContractionHierarchy ch(t.net, w);
    ChQuery q(ch);
    EXPECT_THROW(q.route(NodeId(7), t.node('A')), sonae::InternalError);
    EXPECT_THROW(q.tree(NodeId(2)), sonae::InternalError);
    const NodeId bad[] = {NodeId(9)};
    EXPECT_THROW(q.many_to_many(bad, bad), sonae::InternalError);
}

TEST(Contraction, WeightsNearTheLimitDoNotOverflow) {
    // A chain of four edges of 2^32 - 2: shortcuts hold sums above 2^32.
    RoadNetworkBuilder b;
    for (int i = 0; i < 5; ++i) b.add_node(i + 1);
    for (std::uint32_t i = 0; i < 4; ++i) {
        b.add_edge(NodeId(i), NodeId(i + 1), EdgeAttributes{});
        b.add_edge(NodeId(i + 1), NodeId(i), EdgeAttributes{});
    }
    const auto net = std::move(b).build();
    const std::vector<Weight> w(net.edge_count(), no_edge - 1);
    const ContractionHierarchy ch(net, w);
    ChQuery q(ch);
    const Distance big = no_edge - 1;
    EXPECT_EQ(q.distance(NodeId(0), NodeId(4)), 4 * big);
    EXPECT_EQ(q.tree(NodeId(4), Direction::backward)[0], 4 * big);
    const NodeId s[] = {NodeId(4)};
    const NodeId d[] = {NodeId(0)};
    EXPECT_EQ(q.many_to_many(s, d)(0, 0), 4 * big);
}

// The property: on random graphs every CH answer equals Router's, for every root and both
// directions, and every CH route is a valid path of that cost.
TEST(Contraction, RandomGraphsAgreeWithDijkstraEverywhere) {
    std::mt19937 rng(20240521);
    for (int round = 0; round < 60; ++round) {
        const std::uint32_t n = 2 + rng() % 70;
        const std::uint32_t m = rng() % (3 * n + 1);
        const auto net = random_network(rng, n, m);
        const auto w = random_weights(rng, net, round % 3 == 0 ? 3 : 1000);
        const RoutingGraph graph(net);
        Router router(graph);
        // Alternate the two constructors.
        const auto ch =
            round % 2 == 0 ? ContractionHierarchy(net, w) : ContractionHierarchy(graph, w);
        ChQuery q(ch);
        SCOPED_TRACE("round " + std::to_string(round) + ", " + std::to_string(n) + " nodes, " +
                     std::to_string(net.edge_count()) + " edges");

        std::vector<NodeId> all;
        for (std::uint32_t u = 0; u < n; ++u) all.push_back(NodeId(u));
        for (const auto dir : {Direction::forward, Direction::backward}) {
            for (std::uint32_t root = 0; root < n; ++root) {
                const auto expected = router.tree(NodeId(root), w, dir).distances();
                const std::vector<Distance> want(expected.begin(), expected.end());
                const auto got = q.tree(NodeId(root), dir);
                ASSERT_EQ(std::vector<Distance>(got.begin(), got.end()), want)
                    << "tree from " << root
                    << (dir == Direction::forward ? " forward" : " backward");
            }
        }
        // Several roots: the distance from (to) the nearest of them.
        std::vector<NodeId> roots;
        for (int i = 0; i < 3; ++i) roots.push_back(NodeId(rng() % n));
        for (const auto dir : {Direction::forward, Direction::backward}) {
            std::vector<Distance> want(n, unreachable);
            for (const auto r : roots) {
                const auto d = router.tree(r, w, dir).distances();
                for (std::uint32_t u = 0; u < n; ++u) want[u] = std::min(want[u], d[u]);
            }
            const auto got = q.tree(roots, dir);
            ASSERT_EQ(std::vector<Distance>(got.begin(), got.end()), want) << "several roots";
        }
        const auto matrix = router.many_to_many(all, all, w);
        for (std::uint32_t s = 0; s < n; ++s) {
            for (std::uint32_t t = 0; t < n; ++t) {
                const auto want = matrix(s, t);
                const auto r = q.route(NodeId(s), NodeId(t));
                ASSERT_EQ(r.has_value(), want != unreachable) << s << " -> " << t;
                if (r) {
                    ASSERT_EQ(r->cost, want) << s << " -> " << t;
                    expect_valid_route(net, w, *r);
                }
                ASSERT_EQ(q.distance(NodeId(s), NodeId(t)), want) << s << " -> " << t;
            }
        }
        // A rectangular matrix over a random selection with repeats.
        std::vector<NodeId> src;
        std::vector<NodeId> dst;
        for (int i = 0; i < 7; ++i) src.push_back(NodeId(rng() % n));
        for (int i = 0; i < 5; ++i) dst.push_back(NodeId(rng() % n));
        ASSERT_EQ(q.many_to_many(src, dst), router.many_to_many(src, dst, w));
        ASSERT_EQ(q.many_to_many(all, all), matrix);
    }
}

// A grid with random weights is where contraction adds many shortcuts and witness searches
// hit their limits; still exact.
TEST(Contraction, RandomGridAgreesWithDijkstra) {
    std::mt19937 rng(7);
    const std::uint32_t side = 30;
    RoadNetworkBuilder b;
    for (std::uint32_t i = 0; i < side * side; ++i) b.add_node(i + 1);
    for (std::uint32_t r = 0; r < side; ++r) {
        for (std::uint32_t c = 0; c < side; ++c) {
            const auto u = NodeId(r * side + c);
            if (c + 1 < side) {
                b.add_edge(u, NodeId(r * side + c + 1), EdgeAttributes{});
                b.add_edge(NodeId(r * side + c + 1), u, EdgeAttributes{});
            }
            if (r + 1 < side) {
                b.add_edge(u, NodeId((r + 1) * side + c), EdgeAttributes{});
                b.add_edge(NodeId((r + 1) * side + c), u, EdgeAttributes{});
            }
        }
    }
    const auto net = std::move(b).build();
    const auto w = random_weights(rng, net, 100);
    const RoutingGraph graph(net);
    Router router(graph);
    const ContractionHierarchy ch(net, w);
    ChQuery q(ch);
    EXPECT_GT(ch.stats().shortcuts, 0u);
    EXPECT_GT(ch.stats().memory_bytes, 0u);
    for (int i = 0; i < 20; ++i) {
        const NodeId root(rng() % net.node_count());
        const auto expected = router.tree(root, w).distances();
        const auto got = q.tree(root);
        ASSERT_TRUE(std::equal(got.begin(), got.end(), expected.begin(), expected.end()));
        const auto back = router.tree(root, w, Direction::backward).distances();
        const auto got_back = q.tree(root, Direction::backward);
        ASSERT_TRUE(std::equal(got_back.begin(), got_back.end(), back.begin(), back.end()));
    }
    for (int i = 0; i < 300; ++i) {
        const NodeId s(rng() % net.node_count());
        const NodeId t(rng() % net.node_count());
        const auto want = router.route(s, t, w);
        const auto got = q.route(s, t);
        ASSERT_EQ(got.has_value(), want.has_value());
        if (got) {
            ASSERT_EQ(got->cost, want->cost);
            expect_valid_route(net, w, *got);
        }
    }
}

// One hierarchy, one ChQuery per thread: the same answers as one query object alone.
TEST(Contraction, OneHierarchyServesSeveralThreads) {
    std::mt19937 rng(11);
    const auto net = random_network(rng, 400, 1200);
    const auto w = random_weights(rng, net, 1000);
    const ContractionHierarchy ch(net, w);
    std::vector<std::pair<NodeId, NodeId>> pairs;
    for (int i = 0; i < 2000; ++i) pairs.emplace_back(NodeId(rng() % 400), NodeId(rng() % 400));
    std::vector<Distance> alone;
    {
        ChQuery q(ch);
        for (const auto& [s, t] : pairs) alone.push_back(q.distance(s, t));
    }
    std::vector<std::vector<Distance>> got(4);
    std::vector<std::thread> threads;
    for (std::size_t k = 0; k < got.size(); ++k) {
        threads.emplace_back([&ch, &pairs, &out = got[k]] {
            ChQuery q(ch);
            for (const auto& [s, t] : pairs) out.push_back(q.distance(s, t));
        });
    }
    for (auto& t : threads) t.join();
    for (const auto& g : got) EXPECT_EQ(g, alone);
}
