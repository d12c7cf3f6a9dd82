#include "core/error.hpp"
#include "geo/road_network.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

using namespace sonae::geo;

namespace {

RoadNetwork triangle(bool reverse_insertion) {
    RoadNetworkBuilder b;
    struct E {
        std::int64_t u, v;
        double len;
    };
    std::vector<E> edges = {{10, 20, 5.0}, {20, 30, 7.0}, {30, 10, 9.0}, {10, 30, 3.0}};
    if (reverse_insertion) std::reverse(edges.begin(), edges.end());
    for (const auto& e : edges) {
        auto u = b.add_node(e.u, LonLat{131.0 + e.u * 1e-4, 34.0});
        auto v = b.add_node(e.v, LonLat{131.0 + e.v * 1e-4, 34.0});
        EdgeAttributes a;
        a.length_m = e.len;
        a.road_class = RoadClass::residential;
        b.add_edge(u, v, a);
    }
    return std::move(b).build();
}

} // namespace

TEST(RoadNetwork, BuildsCsrWithNodesOrderedByOriginalId) {
    const auto net = triangle(false);
    ASSERT_EQ(net.node_count(), 3u);
    ASSERT_EQ(net.edge_count(), 4u);
    EXPECT_EQ(net.original_node_id(NodeId(0)), 10);
    EXPECT_EQ(net.original_node_id(NodeId(2)), 30);
    // Node 10 has two out-edges (to 20 and to 30), sorted by head.
    EXPECT_EQ(net.out_end(NodeId(0)) - net.out_begin(NodeId(0)), 2u);
    EXPECT_EQ(net.head(EdgeId(net.out_begin(NodeId(0)))), NodeId(1));
    const auto e = net.find_edge(NodeId(0), NodeId(2));
    ASSERT_TRUE(e.has_value());
    EXPECT_DOUBLE_EQ(net.length_m(*e), 3.0);
    EXPECT_FALSE(net.find_edge(NodeId(1), NodeId(0)).has_value());
    EXPECT_EQ(net.node_by_original_id(20), NodeId(1));
    EXPECT_FALSE(net.node_by_original_id(25).has_value());
}

TEST(RoadNetwork, InsertionOrderDoesNotChangeTheNetwork) {
    const auto a = triangle(false);
    const auto b = triangle(true);
    ASSERT_EQ(a.edge_count(), b.edge_count());
    for (std::uint32_t e = 0; e < a.edge_count(); ++e) {
        EXPECT_EQ(a.tail(EdgeId(e)), b.tail(EdgeId(e)));
        EXPECT_EQ(a.head(EdgeId(e)), b.head(EdgeId(e)));
        EXPECT_EQ(a.length_m(EdgeId(e)), b.length_m(EdgeId(e)));
    }
}

TEST(RoadNetwork, RoadClassParsesOsmValues) {
    EXPECT_EQ(road_class_from_osm("primary_link"), RoadClass::primary_link);
    EXPECT_EQ(road_class_from_osm("steps"), RoadClass::steps);
    EXPECT_EQ(road_class_from_osm("no_such_class"), RoadClass::other);
    EXPECT_EQ(to_string(RoadClass::residential), "residential");
}

TEST(RoadNetwork, HaversineMatchesAKnownDistance) {
    // One degree of latitude is about 111.2 km on the mean sphere.
    EXPECT_NEAR(haversine_m({131.0, 34.0}, {131.0, 35.0}), 111195.0, 5.0);
}

TEST(Error, MessageNamesFileLineFieldAndValue) {
    const sonae::InputError e("not a number",
                              {.file = "kids.csv", .line = 12, .field = "watts", .value = "abc"});
    EXPECT_STREQ(e.what(), "file 'kids.csv', line 12, field 'watts', value 'abc': not a number");
}
