// rome99 (DIMACS, real road network of Rome): every distance must equal the reference exactly.
#include "geo/components.hpp"
#include "geo/dimacs.hpp"
#include "geo/routing.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>

using namespace sonae::geo;

namespace {

struct Row {
    std::int64_t source;
    std::int64_t target;
    Distance dist;
};

std::vector<Row> read_reference(const std::string& name) {
    std::ifstream in(sonae::test::test_data("dimacs-rome99/" + name));
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

class Rome99 : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_net = new RoadNetwork(read_dimacs(sonae::test::test_data("dimacs-rome99/rome99.gr")));
        s_graph = new RoutingGraph(*s_net);
    }
    static void TearDownTestSuite() {
        delete s_graph;
        delete s_net;
    }
    static NodeId node(std::int64_t dimacs_id) { return *s_net->node_by_original_id(dimacs_id); }
    static RoadNetwork* s_net;
    static RoutingGraph* s_graph;
};
RoadNetwork* Rome99::s_net = nullptr;
RoutingGraph* Rome99::s_graph = nullptr;

} // namespace

TEST_F(Rome99, OneToAllTreesEqualTheReference) {
    const auto rows = read_reference("reference_sssp_rome99.csv");
    ASSERT_EQ(rows.size(), 10059u);
    const auto w = length_weights(*s_net);
    Router router(*s_graph);
    std::map<std::int64_t, std::size_t> per_source;
    std::int64_t current = -1;
    const ShortestPathTree* tree = nullptr;
    for (const auto& r : rows) {
        if (r.source != current) {
            tree = &router.tree(node(r.source), w);
            current = r.source;
        }
        ASSERT_EQ(tree->distance(node(r.target)), r.dist) << r.source << " -> " << r.target;
        ++per_source[r.source];
    }
    EXPECT_EQ(per_source.size(), 3u);
    for (const auto& [source, count] : per_source) EXPECT_EQ(count, 3353u) << source;
}

TEST_F(Rome99, PointToPointEqualsTheReferenceEveryWay) {
    const auto rows = read_reference("reference_p2p_rome99.csv");
    ASSERT_EQ(rows.size(), 200u);
    const auto w = length_weights(*s_net);
    Router router(*s_graph);
    std::vector<NodeId> sources;
    std::vector<NodeId> targets;
    for (const auto& r : rows) {
        const auto route = router.route(node(r.source), node(r.target), w);
        ASSERT_TRUE(route);
        ASSERT_EQ(route->cost, r.dist) << r.source << " -> " << r.target;
        // The path is connected and its arcs add up to the distance.
        NodeId at = node(r.source);
        Distance sum = 0;
        for (const auto e : route->edges) {
            ASSERT_EQ(s_net->tail(e), at);
            at = s_net->head(e);
            sum += w[e.value()];
        }
        EXPECT_EQ(at, node(r.target));
        EXPECT_EQ(sum, r.dist);
        // Backward tree from the target gives the same distance.
        EXPECT_EQ(router.tree(node(r.target), w, Direction::backward).distance(node(r.source)),
                  r.dist);
        sources.push_back(node(r.source));
        targets.push_back(node(r.target));
    }
    // The matrix holds all 200 x 200 pairs; its diagonal is the reference.
    const auto matrix = router.many_to_many(sources, targets, w);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto k = static_cast<Eigen::Index>(i);
        EXPECT_EQ(matrix(k, k), rows[i].dist);
    }
}

TEST_F(Rome99, IsOneStronglyConnectedComponent) {
    const auto c = strong_components(*s_net, length_weights(*s_net));
    EXPECT_EQ(c.count(), 1u);
    EXPECT_EQ(c.sizes[0], 3353u);
}
