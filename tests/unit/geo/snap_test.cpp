// Snapping points onto the nearest usable edge.
#include "geo/snap.hpp"
#include "geo/components.hpp"
#include "geo/projection.hpp"
#include "geo/travel_mode.hpp"

#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

namespace sonae::geo {
namespace {

// In Ube, zone III. Positions are made from metric offsets with the zone's Projector, so
// expected distances are exact in the projected plane:
//
//   A(0,0) ---- residential ---- B(400,0)        F(2000,0) -- G(2100,0)   (an island)
//   |                            |
//   footway                     residential (oneway B -> C, so C -> B is against_oneway)
//   |                            |
//   D(0,-300)                    C(400,-300)
struct Town {
    Projector projector{6671};
    XY base{-85000.0, -227000.0};
    RoadNetwork net;
    LonLat at(double dx, double dy) const { return projector.to_lonlat(XY{base.x + dx, base.y + dy}); }
    Town() {
        RoadNetworkBuilder b;
        const auto A = b.add_node(1, at(0, 0));
        const auto B = b.add_node(2, at(400, 0));
        const auto C = b.add_node(3, at(400, -300));
        const auto D = b.add_node(4, at(0, -300));
        const auto F = b.add_node(5, at(2000, 0));
        const auto G = b.add_node(6, at(2100, 0));
        const EdgeAttributes street{.length_m = 400.0, .road_class = RoadClass::residential, .original_id = 10};
        b.add_edge(A, B, street);
        b.add_edge(B, A, street);
        EdgeAttributes side{.length_m = 300.0, .road_class = RoadClass::residential, .original_id = 11};
        b.add_edge(B, C, side);
        side.flags = edge_against_oneway;
        b.add_edge(C, B, side);
        const EdgeAttributes foot{.length_m = 300.0, .road_class = RoadClass::footway, .original_id = 12};
        b.add_edge(A, D, foot);
        b.add_edge(D, A, foot);
        const EdgeAttributes island{.length_m = 100.0, .road_class = RoadClass::residential, .original_id = 13};
        b.add_edge(F, G, island);
        b.add_edge(G, F, island);
        net = std::move(b).build();
        net.project(6671);
    }
    NodeId node(std::int64_t id) const { return *net.node_by_original_id(id); }
};

TEST(Snap, LandsOnTheNearestUsableEdgeWithFractionAndDistance) {
    const Town town;
    const auto car = travel_time_weights_ms(town.net, load_travel_profile("car"));
    const Snapper snapper(town.net, car);
    const auto s = snapper.snap(town.at(100, 30)); // 30 m north of A-B, 100 m from A
    ASSERT_TRUE(s);
    EXPECT_NEAR(s->distance_m, 30.0, 1e-3);
    EXPECT_EQ(town.net.original_edge_id(s->edge), 10);
    // The lower edge id of the two directions is chosen; the other is `opposite`.
    ASSERT_TRUE(s->opposite);
    EXPECT_EQ(town.net.tail(*s->opposite), s->head);
    EXPECT_EQ(town.net.head(*s->opposite), s->tail);
    const bool from_a = s->tail == town.node(1);
    EXPECT_NEAR(s->fraction, from_a ? 0.25 : 0.75, 1e-6);
    EXPECT_NEAR(s->from_tail_m, from_a ? 100.0 : 300.0, 1e-3);
    EXPECT_NEAR(s->from_tail_m + s->to_head_m, 400.0, 1e-9);
    EXPECT_EQ(s->nearer_node, town.node(1));
    EXPECT_FALSE(s->too_far);
    const auto expected = town.at(100, 0);
    EXPECT_NEAR(s->point.lon, expected.lon, 1e-8);
    EXPECT_NEAR(s->point.lat, expected.lat, 1e-8);
}

TEST(Snap, CarSkipsFootwaysAndOneWaysWrongDirectionButWalkUsesThem) {
    const Town town;
    const auto car = travel_time_weights_ms(town.net, load_travel_profile("car"));
    const auto walk = travel_time_weights_ms(town.net, load_travel_profile("walk"));
    const Snapper by_car(town.net, car);
    const Snapper on_foot(town.net, walk);
    const auto p = town.at(-20, -150); // 20 m west of the footway A-D
    const auto c = by_car.snap(p);
    const auto w = on_foot.snap(p);
    ASSERT_TRUE(c && w);
    EXPECT_EQ(town.net.road_class(w->edge), RoadClass::footway);
    EXPECT_NEAR(w->distance_m, 20.0, 1e-3);
    EXPECT_NE(town.net.road_class(c->edge), RoadClass::footway);
    EXPECT_NEAR(c->distance_m, std::hypot(20.0, 150.0), 1e-3); // to A on A-B

    // Beside the one-way B -> C: by car only the legal direction exists, no opposite.
    const auto side = by_car.snap(town.at(420, -100));
    ASSERT_TRUE(side);
    EXPECT_EQ(side->tail, town.node(2));
    EXPECT_EQ(side->head, town.node(3));
    EXPECT_FALSE(side->opposite);
    EXPECT_NEAR(side->fraction, 1.0 / 3.0, 1e-6);
    const auto side_walk = on_foot.snap(town.at(420, -100));
    EXPECT_TRUE(side_walk->opposite);
}

TEST(Snap, FarPointsAreFlaggedAndReportedNeverSilentlyMoved) {
    const Town town;
    const auto car = travel_time_weights_ms(town.net, load_travel_profile("car"));
    const Snapper snapper(town.net, car, SnapOptions{.max_distance_m = 200.0});
    const std::vector<LonLat> points{town.at(100, 10), town.at(1000, 600), town.at(2050, 5)};
    const std::vector<std::string> labels{"shelter 1", "home 2", "home 3"};
    const auto components = strong_components(town.net, car);
    const auto batch = snapper.snap_all(points, labels, &components);
    ASSERT_EQ(batch.snaps.size(), 3u);
    EXPECT_FALSE(batch.snaps[0]->too_far);
    ASSERT_TRUE(batch.snaps[1]);
    EXPECT_TRUE(batch.snaps[1]->too_far);
    EXPECT_GT(batch.snaps[1]->distance_m, 200.0);
    ASSERT_EQ(batch.diagnostics.size(), 2u);
    EXPECT_EQ(batch.diagnostics[0].where.feature, "home 2");
    EXPECT_NE(batch.diagnostics[0].message.find("not moved"), std::string::npos);
    EXPECT_EQ(batch.diagnostics[1].where.feature, "home 3"); // the F-G island
    EXPECT_NE(batch.diagnostics[1].message.find("isolated"), std::string::npos);
}

TEST(Snap, NoUsableEdgeGivesNoSnapAndAnError) {
    const Town town;
    std::vector<Weight> none(town.net.edge_count(), no_edge);
    const Snapper snapper(town.net, none);
    EXPECT_EQ(snapper.segment_count(), 0u);
    EXPECT_FALSE(snapper.snap(town.at(0, 0)));
    const std::vector<LonLat> one{town.at(0, 0)};
    const auto batch = snapper.snap_all(one);
    EXPECT_FALSE(batch.snaps[0]);
    ASSERT_EQ(batch.diagnostics.size(), 1u);
    EXPECT_EQ(batch.diagnostics[0].severity, Diagnostic::Severity::error);
}

TEST(Snap, FollowsInnerShapePoints) {
    // An L-shaped edge P -> Q with an inner corner: the fraction runs along the shape.
    Projector projector(6671);
    auto at = [&](double x, double y) { return projector.to_lonlat(XY{-85000.0 + x, -227000.0 + y}); };
    RoadNetworkBuilder b;
    const auto P = b.add_node(1, at(0, 0));
    const auto Q = b.add_node(2, at(100, 100));
    const std::vector<LonLat> corner{at(100, 0)};
    b.add_edge(P, Q, EdgeAttributes{.length_m = 200.0, .road_class = RoadClass::residential}, corner);
    auto net = std::move(b).build();
    net.project(6671);
    std::vector<Weight> w(net.edge_count(), 1000);
    const Snapper snapper(net, w);
    const auto s = snapper.snap(at(110, 50)); // beside the second leg, half way up
    ASSERT_TRUE(s);
    EXPECT_NEAR(s->distance_m, 10.0, 1e-3);
    EXPECT_NEAR(s->fraction, 0.75, 1e-6);
    EXPECT_NEAR(s->from_tail_m, 150.0, 1e-3);
    EXPECT_EQ(s->nearer_node, Q);
}

} // namespace
} // namespace sonae::geo
