#include "tests/support/ascii_network.hpp"

#include <gtest/gtest.h>

using namespace sonae::geo;
using sonae::test::ascii_network;
using sonae::test::AsciiEdge;

TEST(AsciiNetwork, BuildsNodesEdgesLengthsAndPositions) {
    const auto t =
        ascii_network(R"(
        A---B
        |   v
        C   D
    )",
                      {.grid_m = 25, .road_class = RoadClass::tertiary, .maxspeed_kmh = 40});
    EXPECT_EQ(t.net.node_count(), 4u);
    EXPECT_EQ(t.net.edge_count(), 6u); // three roads, each with both directions
    EXPECT_EQ(t.net.length_m(t.edge('A', 'B')), 100.0);
    EXPECT_EQ(t.net.length_m(t.edge('A', 'C')), 50.0);
    EXPECT_EQ(t.net.road_class(t.edge('A', 'B')), RoadClass::tertiary);
    EXPECT_EQ(t.net.maxspeed_kmh(t.edge('A', 'B')), 40);
    // B v D is one-way southward: the reverse edge is flagged.
    EXPECT_EQ(t.net.flags(t.edge('B', 'D')) & edge_against_oneway, 0);
    EXPECT_NE(t.net.flags(t.edge('D', 'B')) & edge_against_oneway, 0);
    EXPECT_EQ(t.net.original_edge_id(t.edge('B', 'D')), t.net.original_edge_id(t.edge('D', 'B')));
    // Positions: A at the origin in Ube, distances match the grid.
    const auto a = t.net.lonlat(t.node('A'));
    EXPECT_DOUBLE_EQ(a.lon, 131.25);
    EXPECT_DOUBLE_EQ(a.lat, 33.95);
    EXPECT_NEAR(haversine_m(a, t.net.lonlat(t.node('B'))), 100.0, 0.05);
    EXPECT_NEAR(haversine_m(a, t.net.lonlat(t.node('C'))), 50.0, 0.05);
    EXPECT_LT(t.net.lonlat(t.node('C')).lat, a.lat); // rows go south
    EXPECT_EQ(t.net.original_node_id(t.node('A')), 'A');
}

TEST(AsciiNetwork, ExtraEdgesAndErrors) {
    const auto t = ascii_network("A   B", {.grid_m = 10,
                                           .extra = {AsciiEdge{.from = 'A', .to = 'B'},
                                                     AsciiEdge{.from = 'B',
                                                               .to = 'A',
                                                               .length_m = 7,
                                                               .two_way = true,
                                                               .road_class = RoadClass::footway}}});
    EXPECT_EQ(t.net.edge_count(), 3u);
    EXPECT_EQ(t.net.road_class(t.edge('B', 'A')), RoadClass::footway);
    EXPECT_THROW(ascii_network("A---"), std::invalid_argument);    // road to nowhere
    EXPECT_THROW(ascii_network("A-<->-B"), std::invalid_argument); // both ways one-way
    EXPECT_THROW(ascii_network("A-A"), std::invalid_argument);     // node drawn twice
    EXPECT_THROW(t.node('Z'), std::invalid_argument);
    EXPECT_THROW(t.edge('A', 'A'), std::invalid_argument);
}
