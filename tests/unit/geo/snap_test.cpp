// Snapping points onto the nearest usable edge.
#include "geo/components.hpp"
#include "geo/load_network.hpp"
#include "geo/projection.hpp"
#include "geo/snap.hpp"
#include "geo/travel_mode.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <random>

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
    LonLat at(double dx, double dy) const {
        return projector.to_lonlat(XY{base.x + dx, base.y + dy});
    }
    Town() {
        RoadNetworkBuilder b;
        const auto A = b.add_node(1, at(0, 0));
        const auto B = b.add_node(2, at(400, 0));
        const auto C = b.add_node(3, at(400, -300));
        const auto D = b.add_node(4, at(0, -300));
        const auto F = b.add_node(5, at(2000, 0));
        const auto G = b.add_node(6, at(2100, 0));
        const EdgeAttributes street{
            .length_m = 400.0, .road_class = RoadClass::residential, .original_id = 10};
        b.add_edge(A, B, street);
        b.add_edge(B, A, street);
        EdgeAttributes side{
            .length_m = 300.0, .road_class = RoadClass::residential, .original_id = 11};
        b.add_edge(B, C, side);
        side.flags = edge_against_oneway;
        b.add_edge(C, B, side);
        const EdgeAttributes foot{
            .length_m = 300.0, .road_class = RoadClass::footway, .original_id = 12};
        b.add_edge(A, D, foot);
        b.add_edge(D, A, foot);
        const EdgeAttributes island{
            .length_m = 100.0, .road_class = RoadClass::residential, .original_id = 13};
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
    auto at = [&](double x, double y) {
        return projector.to_lonlat(XY{-85000.0 + x, -227000.0 + y});
    };
    RoadNetworkBuilder b;
    const auto P = b.add_node(1, at(0, 0));
    const auto Q = b.add_node(2, at(100, 100));
    const std::vector<LonLat> corner{at(100, 0)};
    b.add_edge(P, Q, EdgeAttributes{.length_m = 200.0, .road_class = RoadClass::residential},
               corner);
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

TEST(Snap, ModesSharingOneIndexAnswerAsWithIndexesOfTheirOwn) {
    const Town town;
    const auto index = std::make_shared<const SegmentIndex>(town.net);
    EXPECT_EQ(index->segment_count(), town.net.edge_count());
    const std::vector<std::pair<double, double>> offsets{
        {100, 30}, {-20, -150}, {420, -100}, {400, 0}, {2050, 5}, {0, 0}, {-30000, 20000}};
    for (const auto* mode : {"car", "walk", "wheelchair"}) {
        const auto w = travel_time_weights_ms(town.net, load_travel_profile(mode));
        const Snapper own(town.net, w);
        const Snapper shared(index, w);
        EXPECT_EQ(own.segment_count(), shared.segment_count()) << mode;
        for (const auto& [dx, dy] : offsets) {
            const auto a = own.snap(town.at(dx, dy));
            const auto b = shared.snap(town.at(dx, dy));
            ASSERT_TRUE(a && b) << mode;
            EXPECT_EQ(a->edge, b->edge) << mode << " " << dx << "," << dy;
            EXPECT_EQ(a->distance_m, b->distance_m);
            EXPECT_EQ(a->fraction, b->fraction);
            EXPECT_EQ(a->opposite, b->opposite);
        }
    }
    std::vector<Weight> short_weights(town.net.edge_count() - 1, 1);
    EXPECT_THROW(Snapper(index, short_weights), InternalError);
    EXPECT_THROW(Snapper(nullptr, short_weights), InternalError);
}

TEST(Snap, APointFarOutsideTheNetworkStillFindsTheNearestRoad) {
    const Town town;
    const auto car = travel_time_weights_ms(town.net, load_travel_profile("car"));
    const Snapper snapper(town.net, car);
    // 30 km south of C(400, -300): the nearest usable road is the one-way B -> C at C.
    const auto s = snapper.snap(town.at(400, -30300));
    ASSERT_TRUE(s);
    EXPECT_NEAR(s->distance_m, 30000.0, 1e-3);
    EXPECT_EQ(s->head, town.node(3));
    EXPECT_TRUE(s->too_far);
}

// The straightforward computation the grid must agree with: every segment of every usable
// edge, the smallest squared distance, ties to the lowest edge then segment. It repeats the
// snapper's point-to-segment arithmetic on purpose: equal answers need equal operations.
struct BruteSnap {
    EdgeId edge;
    double distance_m = 0.0;
};
BruteSnap brute_force_snap(const RoadNetwork& net, const Projector& projector,
                           const std::vector<std::vector<XY>>& shapes, std::span<const Weight> w,
                           LonLat p) {
    const XY q = projector.to_xy(p);
    BruteSnap best;
    double best_d2 = std::numeric_limits<double>::infinity();
    for (std::uint32_t e = 0; e < net.edge_count(); ++e) {
        if (w[e] == no_edge) continue;
        const auto& pts = shapes[e];
        for (std::size_t k = 1; k < pts.size(); ++k) {
            const XY a = pts[k - 1];
            const XY b = pts[k];
            const double dx = b.x - a.x;
            const double dy = b.y - a.y;
            const double len2 = dx * dx + dy * dy;
            double t = 0.0;
            if (len2 > 0.0) t = std::clamp(((q.x - a.x) * dx + (q.y - a.y) * dy) / len2, 0.0, 1.0);
            const double cx = a.x + t * dx - q.x;
            const double cy = a.y + t * dy - q.y;
            const double d2 = cx * cx + cy * cy;
            if (d2 < best_d2) { // strict: the first (lowest edge, segment) wins a tie
                best_d2 = d2;
                best.edge = EdgeId(e);
            }
        }
    }
    best.distance_m = std::sqrt(best_d2);
    return best;
}

// Property on real networks (Kochi OSM drive network: straight node-to-node edges; Ube
// OSMnx walk network: edges with inner shape points): for random points in and around the
// network and points exactly on nodes (where the two directions of a street tie), the
// grid answers exactly what the scan over all segments answers.
TEST(Snap, GridAgreesWithAScanOverEverySegmentOnRealNetworks) {
    for (const auto& file : {test::scenario_data("kochi-tsunami", "kochi_roads_20210802.osm.pbf"),
                             test::scenario_data("ube-flood", "ube_roads.gpkg")}) {
        const auto net = load_road_network(file);
        ASSERT_TRUE(net.projected()) << file;
        const Projector projector(net.metric_epsg());
        std::vector<std::vector<XY>> shapes(net.edge_count());
        for (std::uint32_t e = 0; e < net.edge_count(); ++e) {
            shapes[e].push_back(net.xy(net.tail(EdgeId(e))));
            for (const auto& p : net.edge_inner_points(EdgeId(e))) {
                shapes[e].push_back(projector.to_xy(p));
            }
            shapes[e].push_back(net.xy(net.head(EdgeId(e))));
        }
        const auto index = std::make_shared<const SegmentIndex>(net);
        const auto [lo, hi] = net.extent();
        const double margin_lon = 0.2 * (hi.lon - lo.lon);
        const double margin_lat = 0.2 * (hi.lat - lo.lat);
        std::mt19937 rng(20261121);
        std::uniform_real_distribution<double> lon(lo.lon - margin_lon, hi.lon + margin_lon);
        std::uniform_real_distribution<double> lat(lo.lat - margin_lat, hi.lat + margin_lat);
        std::uniform_int_distribution<std::uint32_t> node(0, net.node_count() - 1);
        std::vector<LonLat> points;
        for (int i = 0; i < 150; ++i) points.push_back({lon(rng), lat(rng)});
        for (int i = 0; i < 50; ++i) points.push_back(net.lonlat(NodeId(node(rng))));
        points.push_back({lo.lon - 0.5, lo.lat - 0.5}); // some 50 km away
        for (const auto* mode : {"car", "walk"}) {
            const auto w = travel_time_weights_ms(net, load_travel_profile(mode));
            const Snapper snapper(index, w);
            for (const auto& p : points) {
                const auto s = snapper.snap(p);
                const auto expected = brute_force_snap(net, projector, shapes, w, p);
                ASSERT_TRUE(s) << file << " " << mode;
                EXPECT_EQ(s->edge, expected.edge)
                    << file << " " << mode << " at " << p.lon << "," << p.lat;
                EXPECT_EQ(s->distance_m, expected.distance_m) << file << " " << mode;
            }
        }
    }
}

} // namespace
} // namespace sonae::geo
