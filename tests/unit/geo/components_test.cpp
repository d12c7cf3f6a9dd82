#include "core/error.hpp"
#include "geo/components.hpp"
#include "tests/support/ascii_network.hpp"

#include <gtest/gtest.h>

using namespace sonae::geo;
using sonae::test::ascii_network;

namespace {

std::vector<Weight> car_weights(const RoadNetwork& net) {
    auto w = length_weights(net);
    for (std::uint32_t e = 0; e < net.edge_count(); ++e) {
        if (net.flags(EdgeId(e)) & edge_against_oneway) w[e] = no_edge;
    }
    return w;
}

} // namespace

TEST(Components, IslandsAndOneWayDeadEnds) {
    // A-B-C-D is the main block (a cycle); E hangs off by a one-way (reachable, no way
    // back); F-G is a separate two-way island; H is isolated.
    const auto t = ascii_network(R"(
        A---B-->E
        |   |
        D---C   F---G   H
    )",
                                 {.grid_m = 10});
    const auto c = strong_components(t.net, car_weights(t.net));
    ASSERT_EQ(c.component_of.size(), t.net.node_count());
    EXPECT_EQ(c.count(), 4u); // {A,B,C,D}, {F,G}, {E}, {H}
    EXPECT_EQ(c.sizes[0], 4u);
    EXPECT_EQ(c.sizes[1], 2u);
    EXPECT_EQ(c.sizes[2], 1u);
    EXPECT_EQ(c.sizes[3], 1u);
    for (char n : {'A', 'B', 'C', 'D'}) EXPECT_TRUE(c.in_largest(t.node(n))) << n;
    EXPECT_EQ(c.component(t.node('F')), c.component(t.node('G')));
    EXPECT_EQ(c.size_of(t.node('F')), 2u);
    EXPECT_TRUE(c.in_small_island(t.node('E'), 3));
    EXPECT_TRUE(c.in_small_island(t.node('F'), 3));
    EXPECT_FALSE(c.in_small_island(t.node('F'), 2));
    EXPECT_FALSE(c.in_small_island(t.node('A'), 1000));
    // Ties in size are numbered by smallest node: E ('E' < 'H') before H.
    EXPECT_LT(c.component(t.node('E')), c.component(t.node('H')));

    // Walking may use the one-way backwards: E joins the main block.
    const auto walk = strong_components(t.net, length_weights(t.net));
    EXPECT_EQ(walk.count(), 3u);
    EXPECT_TRUE(walk.in_largest(t.node('E')));
}

TEST(Components, UnusableEdgesSplitTheGraph) {
    const auto t = ascii_network("A---B---C", {.grid_m = 10});
    auto w = length_weights(t.net);
    EXPECT_EQ(strong_components(t.net, w).count(), 1u);
    w[t.edge('B', 'C').value()] = no_edge;
    const auto c = strong_components(t.net, w);
    EXPECT_EQ(c.count(), 2u);
    EXPECT_TRUE(c.in_largest(t.node('A')));
    EXPECT_FALSE(c.in_largest(t.node('C')));
    EXPECT_THROW(strong_components(t.net, std::vector<Weight>(1)), sonae::InternalError);
}
