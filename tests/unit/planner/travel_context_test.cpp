// The network prepared per travel mode: one hazard overlay and one segment index shared by
// the modes must give what each mode prepared on its own gives.
#include "geo/travel_mode.hpp"
#include "planner/travel_context.hpp"
#include "tests/support/ascii_network.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>

namespace sonae::planner {
namespace {

// Each cell is 50 m of residential road; a 0.2 m flood square lies over B-C: it slows cars
// and walkers and closes the road to wheelchairs.
const char* kMap = R"(
A---B---C---D
|           |
E-----------F
)";

struct Fixture {
    test::AsciiNetwork t = test::ascii_network(kMap, {.grid_m = 50});
    geo::Hazards hazards;
    Fixture() {
        const auto b = t.net.lonlat(t.node('B'));
        const auto c = t.net.lonlat(t.node('C'));
        const geo::LonLat mid{(b.lon + c.lon) / 2, (b.lat + c.lat) / 2};
        const double d = 0.0003;
        const geo::LonLatPolygon pond{{{mid.lon - d, mid.lat - d},
                                       {mid.lon + d, mid.lat - d},
                                       {mid.lon + d, mid.lat + d},
                                       {mid.lon - d, mid.lat + d},
                                       {mid.lon - d, mid.lat - d}}};
        geo::HazardsBuilder builder;
        builder.add_area({.kind = geo::HazardKind::flood,
                          .depth_m = 0.2,
                          .onset_ms = 600'000,
                          .feature_id = "pond"},
                         std::vector<geo::LonLatPolygon>{pond});
        hazards = std::move(builder).build();
    }
    geo::LonLat near(char node, double east_m, double north_m) const {
        const auto p = t.net.lonlat(t.node(node));
        const double m_per_deg_lon = 111'320.0 * std::cos(p.lat * 3.14159265358979323846 / 180.0);
        return {p.lon + east_m / m_per_deg_lon, p.lat + north_m / 111'320.0};
    }
};

TEST(TravelContext, EachModeMatchesItsOwnStraightforwardPreparation) {
    const Fixture f;
    const TravelContext travel(f.t.net, f.hazards, {"car", "walk", "wheelchair"}, 200.0);
    const std::vector<geo::LonLat> points{f.near('B', 20, 10), f.near('E', 5, -30),
                                          f.near('F', -400, 20), f.near('D', 3000, 0)};
    for (const auto* name : {"car", "walk", "wheelchair"}) {
        const auto closures = geo::edge_closures(f.t.net, f.hazards, geo::closure_rules(name));
        const auto weights = geo::apply_slowdowns(
            geo::travel_time_weights_ms(f.t.net, geo::load_travel_profile(name)), closures);
        const auto& mode = travel.mode(name);
        EXPECT_EQ(mode.weights_ms, weights) << name;
        EXPECT_EQ(mode.closures.closed_from_ms, closures.closed_from_ms) << name;
        EXPECT_EQ(mode.closures.slowed_from_ms, closures.slowed_from_ms) << name;
        EXPECT_EQ(mode.closures.slow_factor, closures.slow_factor) << name;
        const geo::Snapper own(f.t.net, weights, {.max_distance_m = 200.0});
        for (const auto& p : points) {
            const auto expected = own.snap(p);
            const auto got = mode.snapper->snap(p);
            ASSERT_EQ(expected.has_value(), got.has_value()) << name;
            EXPECT_EQ(got->edge, expected->edge) << name;
            EXPECT_EQ(got->distance_m, expected->distance_m) << name;
            EXPECT_EQ(got->too_far, expected->too_far) << name;
        }
    }
    // The flood is really there: the wheelchair may not pass B-C once it is under water.
    const auto bc = f.t.edge('B', 'C').value();
    EXPECT_EQ(travel.mode("wheelchair").closures.closed_from_ms[bc], 600'000);
    EXPECT_EQ(travel.mode("car").closures.closed_count, 0u);
}

TEST(TravelContext, UsesAGivenSegmentIndexOfItsNetworkAndRejectsAnother) {
    const Fixture f;
    const auto index = std::make_shared<const geo::SegmentIndex>(f.t.net);
    const TravelContext shared(f.t.net, f.hazards, {"walk"}, 200.0, index);
    const TravelContext own(f.t.net, f.hazards, {"walk"}, 200.0);
    const auto a = shared.access("walk", f.near('B', 20, 10));
    const auto b = own.access("walk", f.near('B', 20, 10));
    ASSERT_TRUE(a.ok && b.ok);
    EXPECT_EQ(a.depart_node, b.depart_node);
    EXPECT_EQ(a.leave_ms, b.leave_ms);

    const Fixture other;
    EXPECT_THROW(TravelContext(other.t.net, other.hazards, {"walk"}, 200.0, index), InternalError);
}

} // namespace
} // namespace sonae::planner
