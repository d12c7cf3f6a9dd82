// How a point joins the network (geo/point_access.hpp), the model the planner, the simulator
// and `sonae route` share: the nearer end of a two-way road, the direction of travel on a
// one-way road, the time off the road and along it at the mode's access speed, and the
// geometry of the way on and off.
#include "geo/point_access.hpp"
#include "tests/support/ascii_network.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace sonae::geo {
namespace {

// A-B is a 400 m two-way street; B-C a 200 m one-way street south (grid 50 m).
constexpr const char* kMap = R"(
A-------B
        |
        v
        |
        C
)";

// The position x metres east and y metres south of the map's top-left cell (A), as
// ascii_network places its nodes.
LonLat offset(const test::AsciiNetwork& t, double x, double y) {
    const auto a = t.net.lonlat(t.node('A'));
    const double deg = M_PI / 180.0;
    const double m_per_deg_lat = 6371008.8 * deg;
    const double m_per_deg_lon = m_per_deg_lat * std::cos(a.lat * deg);
    return {a.lon + x / m_per_deg_lon, a.lat - y / m_per_deg_lat};
}

double metres(LonLat a, LonLat b) {
    return haversine_m(a, b);
}

TEST(PointAccess, ATwoWayRoadIsLeftAndReachedAtItsNearerEnd) {
    const auto t = test::ascii_network(kMap, {.grid_m = 50});
    const auto car = travel_time_weights_ms(t.net, load_travel_profile("car"));
    const Snapper snapper(t.net, car);
    const auto p = offset(t, 100, -30); // 30 m north of A-B, 100 m from A
    const auto snap = snapper.snap(p);
    ASSERT_TRUE(snap);
    const auto a = point_access(*snap, access_speed_kmh(load_travel_profile("car")));
    ASSERT_TRUE(a.ok);
    EXPECT_EQ(a.depart_node, t.node('A'));
    EXPECT_EQ(a.arrive_node, t.node('A'));
    EXPECT_NEAR(a.distance_m, 30.0, 0.5);
    EXPECT_NEAR(a.leave_along_m, 100.0, 0.5);
    // By car at 15 km/h (4.167 m/s): (30 m off the road + 100 m along it) / 4.167 = 31.2 s.
    EXPECT_NEAR(static_cast<double>(a.leave_ms), 31'200.0, 200.0);
    EXPECT_EQ(a.leave_ms, a.join_ms);
    // On foot at 3 km/h (0.833 m/s): 130 m / 0.833 = 156 s.
    const auto walk = point_access(*snap, access_speed_kmh(load_travel_profile("walk")));
    EXPECT_NEAR(static_cast<double>(walk.leave_ms), 156'000.0, 1'000.0);
    // The way on: the point, the snapped point on A-B, then A; the way off the reverse.
    const auto on = leave_geometry(t.net, p, *snap, a);
    ASSERT_GE(on.size(), 3u);
    EXPECT_NEAR(metres(on.front(), p), 0.0, 1e-6);
    EXPECT_NEAR(metres(on[1], offset(t, 100, 0)), 0.0, 0.5);
    EXPECT_NEAR(metres(on.back(), t.net.lonlat(t.node('A'))), 0.0, 1e-6);
    const auto off = join_geometry(t.net, p, *snap, a);
    EXPECT_NEAR(metres(off.front(), t.net.lonlat(t.node('A'))), 0.0, 1e-6);
    EXPECT_NEAR(metres(off.back(), p), 0.0, 1e-6);
}

TEST(PointAccess, AOneWayRoadIsLeftAtItsHeadAndReachedFromItsTail) {
    const auto t = test::ascii_network(kMap, {.grid_m = 50});
    const auto car = travel_time_weights_ms(t.net, load_travel_profile("car"));
    const Snapper snapper(t.net, car);
    const auto p = offset(t, 420, 50); // 20 m east of B-C, 50 m south of B
    const auto snap = snapper.snap(p);
    ASSERT_TRUE(snap);
    EXPECT_FALSE(snap->opposite); // a car may not drive C -> B
    const auto a = point_access(*snap, access_speed_kmh(load_travel_profile("car")));
    EXPECT_EQ(a.depart_node, t.node('C')); // down the one-way street, although B is nearer
    EXPECT_EQ(a.arrive_node, t.node('B'));
    // (20 + 150 m) / 4.167 m/s = 40.8 s to leave; (20 + 50 m) / 4.167 m/s = 16.8 s to join.
    EXPECT_NEAR(static_cast<double>(a.leave_ms), 40'800.0, 200.0);
    EXPECT_NEAR(static_cast<double>(a.join_ms), 16'800.0, 200.0);
    const auto on = leave_geometry(t.net, p, *snap, a);
    EXPECT_NEAR(metres(on.back(), t.net.lonlat(t.node('C'))), 0.0, 1e-6);
    const auto off = join_geometry(t.net, p, *snap, a);
    EXPECT_NEAR(metres(off.front(), t.net.lonlat(t.node('B'))), 0.0, 1e-6);
}

TEST(PointAccess, APointBeyondTheSnapLimitHasNoAccess) {
    const auto t = test::ascii_network(kMap, {.grid_m = 50});
    const auto car = travel_time_weights_ms(t.net, load_travel_profile("car"));
    const Snapper snapper(t.net, car, {.max_distance_m = 100});
    const auto snap = snapper.snap(offset(t, 100, -300)); // 300 m north of A-B
    ASSERT_TRUE(snap);
    EXPECT_TRUE(snap->too_far);
    EXPECT_FALSE(point_access(*snap, 15.0).ok);
}

TEST(PointAccess, EdgePartGeometryCutsAnEdgeAtFractions) {
    const auto t = test::ascii_network(kMap, {.grid_m = 50});
    const auto part = edge_part_geometry(t.net, t.edge('A', 'B'), 0.25, 0.5);
    ASSERT_EQ(part.size(), 2u);
    EXPECT_NEAR(metres(part.front(), offset(t, 100, 0)), 0.0, 0.5);
    EXPECT_NEAR(metres(part.back(), offset(t, 200, 0)), 0.0, 0.5);
}

} // namespace
} // namespace sonae::geo
