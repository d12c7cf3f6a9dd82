// CRS choice by location and lon/lat <-> metric transformations.
#include "core/error.hpp"
#include "geo/projection.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

namespace sonae::geo {
namespace {

TEST(Projection, ChoosesJgd2011ZoneInJapanAndUtmElsewhere) {
    EXPECT_EQ(choose_metric_epsg({131.25, 33.95}), 6671);   // Ube, Yamaguchi: zone III
    EXPECT_EQ(choose_metric_epsg({130.93, 33.95}), 6671);   // Shimonoseki
    EXPECT_EQ(choose_metric_epsg({132.22, 34.17}), 6671);   // Iwakuni
    EXPECT_EQ(choose_metric_epsg({133.55, 33.56}), 6672);   // Kochi: zone IV
    EXPECT_EQ(choose_metric_epsg({138.86, 35.10}), 6676);   // Numazu, Shizuoka: zone VIII
    EXPECT_EQ(choose_metric_epsg({130.40, 33.59}), 6670);   // Fukuoka: zone II
    EXPECT_EQ(choose_metric_epsg({139.69, 35.69}), 6677);   // Tokyo: zone IX
    EXPECT_EQ(choose_metric_epsg({141.35, 43.06}), 6680);   // Sapporo: zone XII
    EXPECT_EQ(choose_metric_epsg({127.68, 26.21}), 6683);   // Naha: zone XV
    EXPECT_EQ(choose_metric_epsg({7.42, 43.73}), 32632);    // Monaco: UTM 32N
    EXPECT_EQ(choose_metric_epsg({129.07, 35.18}), 32652);  // Busan is not Japan
    EXPECT_EQ(choose_metric_epsg({126.98, 37.57}), 32652);  // Seoul
    EXPECT_EQ(choose_metric_epsg({131.90, 43.12}), 32652);  // Vladivostok
    EXPECT_EQ(choose_metric_epsg({151.21, -33.87}), 32756); // Sydney: UTM 56S
    EXPECT_EQ(utm_epsg({5.0, 60.0}), 32632);                // Bergen: Norway exception
}

// Every vertex of the municipal outlines of a prefecture (国土数値情報 N03, simplified)
// must get the prefecture's legal zone.
void expect_prefecture_zone(const std::string& file, int epsg) {
    std::ifstream in(test::test_data("jp-boundaries-n03-simplified/" + file));
    ASSERT_TRUE(in) << file;
    const auto doc = nlohmann::json::parse(in);
    std::size_t vertices = 0;
    std::size_t wrong = 0;
    for (const auto& feature : doc.at("features")) {
        const auto& g = feature.at("geometry");
        auto rings = [&](const nlohmann::json& polygon) {
            for (const auto& ring : polygon) {
                for (const auto& xy : ring) {
                    const LonLat p{xy.at(0).get<double>(), xy.at(1).get<double>()};
                    ++vertices;
                    if (choose_metric_epsg(p) != epsg) {
                        ++wrong;
                        ADD_FAILURE() << file << ": " << p.lon << "," << p.lat << " -> "
                                      << choose_metric_epsg(p) << ", expected " << epsg;
                        if (wrong > 5) return;
                    }
                }
            }
        };
        if (g.at("type") == "Polygon")
            rings(g.at("coordinates"));
        else
            for (const auto& polygon : g.at("coordinates")) rings(polygon);
    }
    EXPECT_GT(vertices, 1000u);
    EXPECT_EQ(wrong, 0u) << file;
}

TEST(Projection, WholePrefecturesGetTheirLegalZone) {
    expect_prefecture_zone("N03-21_35_210101_yamaguchi_s0010.json", 6671);
    expect_prefecture_zone("N03-21_39_210101_kochi_s0010.json", 6672);
    expect_prefecture_zone("N03-21_22_210101_shizuoka_s0010.json", 6676);
}

TEST(Projection, ZoneOriginMapsToZeroAndRoundTrips) {
    const Projector zone3(6671);
    // Zone III origin: 36 N, 132 deg 10 min E (MLIT notice).
    const auto origin = zone3.to_xy(LonLat{132.0 + 10.0 / 60.0, 36.0});
    EXPECT_NEAR(origin.x, 0.0, 1e-3);
    EXPECT_NEAR(origin.y, 0.0, 1e-3);
    // Ube lies west (x < 0) and south (y < 0): axis order is x east, y north.
    const LonLat ube{131.25, 33.95};
    const auto p = zone3.to_xy(ube);
    EXPECT_LT(p.x, -80000.0);
    EXPECT_GT(p.x, -90000.0);
    EXPECT_LT(p.y, -220000.0);
    EXPECT_GT(p.y, -235000.0);
    const auto back = zone3.to_lonlat(p);
    EXPECT_NEAR(back.lon, ube.lon, 1e-9);
    EXPECT_NEAR(back.lat, ube.lat, 1e-9);
}

TEST(Projection, ProjectedDistancesMatchGreatCircleDistances) {
    const LonLat a{131.2185, 33.9229};
    const LonLat b{131.3261, 34.0014};
    for (const int epsg : {6671, 32652}) {
        const Projector projector(epsg);
        const auto pa = projector.to_xy(a);
        const auto pb = projector.to_xy(b);
        const double planar = std::hypot(pb.x - pa.x, pb.y - pa.y);
        EXPECT_NEAR(planar / haversine_m(a, b), 1.0, 3e-3) << epsg;
    }
}

TEST(Projection, NetworkProjectChoosesTheZoneAndFillsXy) {
    RoadNetworkBuilder builder;
    const auto a = builder.add_node(1, LonLat{131.25, 33.95});
    const auto b = builder.add_node(2, LonLat{131.26, 33.95});
    builder.add_edge(a, b, EdgeAttributes{.length_m = 923.0});
    auto net = std::move(builder).build();
    EXPECT_FALSE(net.projected());
    net.project();
    ASSERT_TRUE(net.projected());
    EXPECT_EQ(net.metric_epsg(), 6671);
    const auto pa = net.xy(NodeId(0));
    const auto pb = net.xy(NodeId(1));
    // The sphere of haversine_m is ~0.22 % short east-west at 34 N against the GRS80
    // ellipsoid the projection uses.
    EXPECT_NEAR(std::hypot(pb.x - pa.x, pb.y - pa.y) /
                    haversine_m({131.25, 33.95}, {131.26, 33.95}),
                1.0, 3e-3);
    net.project(32652);
    EXPECT_EQ(net.metric_epsg(), 32652);
}

TEST(Projection, BadCrsIsAnInputError) {
    EXPECT_THROW(Projector(999999), InputError);
    EXPECT_THROW(Projector(4326), InputError); // geographic, not metric
    RoadNetworkBuilder builder;
    const auto a = builder.add_node(1);
    const auto b = builder.add_node(2);
    builder.add_edge(a, b, EdgeAttributes{.length_m = 1.0});
    auto graph = std::move(builder).build();
    EXPECT_THROW(graph.project(), InputError); // no coordinates (DIMACS)
}

} // namespace
} // namespace sonae::geo
