// The contraction hierarchy on real data: rome99 against its reference distances (exact), and
// Kochi with car travel times against Router's Dijkstra on sampled pairs, full trees both ways
// and a matrix.
#include "geo/components.hpp"
#include "geo/contraction.hpp"
#include "geo/dimacs.hpp"
#include "geo/load_network.hpp"
#include "geo/routing.hpp"
#include "geo/travel_mode.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <sstream>
#include <string>

namespace sonae::geo {
namespace {

struct Row {
    std::int64_t source;
    std::int64_t target;
    Distance dist;
};

std::vector<Row> read_reference(const std::string& name) {
    std::ifstream in(test::test_data("dimacs-rome99/" + name));
    EXPECT_TRUE(in) << name;
    std::string line;
    std::getline(in, line); // header
    std::vector<Row> rows;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        Row r{};
        char comma = 0;
        fields >> r.source >> comma >> r.target >> comma >> r.dist;
        EXPECT_TRUE(fields) << line;
        rows.push_back(r);
    }
    return rows;
}

void expect_valid_route(const RoadNetwork& net, std::span<const Weight> w, const Route& r) {
    NodeId at = r.from;
    Distance sum = 0;
    for (const auto e : r.edges) {
        ASSERT_EQ(net.tail(e), at);
        ASSERT_NE(w[e.value()], no_edge);
        at = net.head(e);
        sum += w[e.value()];
    }
    EXPECT_EQ(at, r.to);
    EXPECT_EQ(sum, r.cost);
}

TEST(ContractionRome99, EveryReferenceDistanceIsExact) {
    const auto net = read_dimacs(test::test_data("dimacs-rome99/rome99.gr"));
    const auto w = length_weights(net);
    const ContractionHierarchy ch(net, w);
    ChQuery q(ch);
    auto node = [&](std::int64_t id) { return *net.node_by_original_id(id); };

    const auto trees = read_reference("reference_sssp_rome99.csv");
    ASSERT_EQ(trees.size(), 10059u);
    std::int64_t current = -1;
    std::vector<Distance> tree;
    for (const auto& r : trees) {
        if (r.source != current) {
            const auto d = q.tree(node(r.source));
            tree.assign(d.begin(), d.end());
            current = r.source;
        }
        ASSERT_EQ(tree[node(r.target).value()], r.dist) << r.source << " -> " << r.target;
    }

    const auto pairs = read_reference("reference_p2p_rome99.csv");
    ASSERT_EQ(pairs.size(), 200u);
    std::vector<NodeId> sources;
    std::vector<NodeId> targets;
    for (const auto& r : pairs) {
        const auto route = q.route(node(r.source), node(r.target));
        ASSERT_TRUE(route);
        ASSERT_EQ(route->cost, r.dist) << r.source << " -> " << r.target;
        expect_valid_route(net, w, *route);
        EXPECT_EQ(q.tree(node(r.target), Direction::backward)[node(r.source).value()], r.dist);
        sources.push_back(node(r.source));
        targets.push_back(node(r.target));
    }
    const auto matrix = q.many_to_many(sources, targets);
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        const auto k = static_cast<Eigen::Index>(i);
        EXPECT_EQ(matrix(k, k), pairs[i].dist);
    }
}

TEST(ContractionKochi, CarTimesEqualDijkstra) {
    const auto net = load_road_network(
        test::scenario_data("kochi-tsunami", "kochi_roads_20210802.osm.pbf"), {.project = false});
    const auto w = travel_time_weights_ms(net, load_travel_profile("car"));
    const RoutingGraph graph(net);
    Router router(graph);
    const ContractionHierarchy ch(graph, w);
    ChQuery q(ch);
    std::cout << "Kochi CH: " << ch.stats().nodes << " nodes, " << ch.stats().input_arcs
              << " arcs, " << ch.stats().shortcuts << " shortcuts, "
              << ch.stats().memory_bytes / 1024 << " KiB\n";

    // Any node, not only the largest component: unreachable answers must agree too.
    std::mt19937 rng(2021);
    auto pick = [&] { return NodeId(rng() % net.node_count()); };
    for (int i = 0; i < 4; ++i) {
        const auto root = pick();
        for (const auto dir : {Direction::forward, Direction::backward}) {
            const auto want = router.tree(root, w, dir).distances();
            const auto got = q.tree(root, dir);
            ASSERT_TRUE(std::equal(got.begin(), got.end(), want.begin(), want.end()))
                << "tree " << root.value();
        }
    }
    for (int i = 0; i < 300; ++i) {
        const auto s = pick();
        const auto t = pick();
        const auto want = router.route(s, t, w);
        const auto got = q.route(s, t);
        ASSERT_EQ(got.has_value(), want.has_value()) << s.value() << " -> " << t.value();
        if (!got) continue;
        ASSERT_EQ(got->cost, want->cost) << s.value() << " -> " << t.value();
        expect_valid_route(net, w, *got);
    }
    std::vector<NodeId> sources;
    std::vector<NodeId> targets;
    for (int i = 0; i < 40; ++i) sources.push_back(pick());
    for (int i = 0; i < 30; ++i) targets.push_back(pick());
    EXPECT_EQ(q.many_to_many(sources, targets), router.many_to_many(sources, targets, w));
}

} // namespace
} // namespace sonae::geo
