// The GIS writer: GeoPackage and GeoJSON files that GDAL (and so QGIS) reads back with the
// same values, Japanese text intact, written atomically with the right permissions.
#include "geo/gis_writer.hpp"
#include "geo/hazard.hpp"
#include "tests/support/ascii_network.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

namespace sonae::geo {
namespace {

namespace fs = std::filesystem;

// Runs a command and returns its standard output (ogrinfo is GDAL's own reader).
std::string run(const std::string& command) {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return out;
    std::array<char, 4096> buffer{};
    while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) out += buffer.data();
    ::pclose(pipe);
    return out;
}

std::string ogrinfo(const fs::path& path, const std::string& args = "-al") {
    return run("ogrinfo -ro " + args + " '" + path.string() + "' 2>&1");
}

unsigned file_mode(const fs::path& path) {
    struct stat st {};
    ::stat(path.c_str(), &st);
    return st.st_mode & 0777u;
}

std::vector<fs::path> files_in(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& entry : fs::directory_iterator(dir)) out.push_back(entry.path().filename());
    std::sort(out.begin(), out.end());
    return out;
}

Layer shelters_layer() {
    Layer layer{.name = "避難所", .geometry_type = GeometryType::point};
    layer.add_field("名称", FieldType::string);
    layer.add_field("capacity", FieldType::int64);
    layer.add_field("power_kw", FieldType::real);
    layer.add_field("opened_at", FieldType::datetime);
    layer.add_feature(LonLat{131.2466, 33.9517},
                      {std::string("宇部市福祉会館（福祉避難所）"), std::int64_t{40}, 5.5,
                       std::string("2026-07-01T09:30:00+09:00")});
    layer.add_feature(LonLat{131.2601, 33.9430},
                      {std::string("琴芝小学校"), std::int64_t{300}, FieldValue{}, FieldValue{}});
    return layer;
}

Layer homes_layer() {
    Layer layer{.name = "homes", .geometry_type = GeometryType::point};
    layer.add_field("child", FieldType::string);
    layer.add_feature(LonLat{131.25, 33.95}, {std::string("synthetic-01")});
    return layer;
}

TEST(GisWriter, GeoPackageRoundTripsJapaneseTextAndTypes) {
    test::TempDir dir;
    const auto path = dir / "plan.gpkg";
    const std::vector<Layer> layers{shelters_layer(), homes_layer()};
    write_geopackage(path, layers, FileMode::shared);

    const std::string summary = ogrinfo(path, "-so -al");
    EXPECT_NE(summary.find("using driver `GPKG' successful"), std::string::npos) << summary;
    EXPECT_NE(summary.find("Layer name: 避難所"), std::string::npos) << summary;
    EXPECT_NE(summary.find("Layer name: homes"), std::string::npos);
    EXPECT_NE(summary.find("Feature Count: 2"), std::string::npos);
    EXPECT_NE(summary.find("名称: String"), std::string::npos);
    EXPECT_NE(summary.find("capacity: Integer64"), std::string::npos);
    EXPECT_NE(summary.find("power_kw: Real"), std::string::npos);
    EXPECT_NE(summary.find("opened_at: DateTime"), std::string::npos);
    EXPECT_NE(summary.find("ID[\"EPSG\",4326]"), std::string::npos);

    const std::string all = ogrinfo(path, "-al");
    EXPECT_NE(all.find("名称 (String) = 宇部市福祉会館（福祉避難所）"), std::string::npos) << all;
    EXPECT_NE(all.find("名称 (String) = 琴芝小学校"), std::string::npos);
    EXPECT_NE(all.find("capacity (Integer64) = 300"), std::string::npos);
    EXPECT_NE(all.find("power_kw (Real) = 5.5"), std::string::npos);
    EXPECT_NE(all.find("power_kw (Real) = (null)"), std::string::npos);
    EXPECT_NE(all.find("opened_at (DateTime) = 2026/07/01 09:30:00+09"), std::string::npos);
    // lon first: traditional GIS order.
    EXPECT_NE(all.find("POINT (131.2466 33.9517)"), std::string::npos);

    EXPECT_EQ(file_mode(path), 0644u);
    EXPECT_EQ(files_in(dir.path()), std::vector<fs::path>{"plan.gpkg"});
}

TEST(GisWriter, PersonalFilesAre0600AndNoTempIsLeft) {
    test::TempDir dir;
    const auto path = dir / "homes.gpkg";
    write_geopackage(path, std::vector{homes_layer()}, FileMode::personal);
    EXPECT_EQ(file_mode(path), 0600u);
    const auto json = dir / "homes.geojson";
    write_geojson(json, homes_layer(), FileMode::personal);
    EXPECT_EQ(file_mode(json), 0600u);
    EXPECT_EQ(files_in(dir.path()), (std::vector<fs::path>{"homes.geojson", "homes.gpkg"}));
}

TEST(GisWriter, FailedWriteLeavesTheOldFileAndNoTemp) {
    test::TempDir dir;
    const auto path = dir / "out.gpkg";
    write_geopackage(path, std::vector{homes_layer()}, FileMode::shared);
    const auto before = fs::file_size(path);

    Layer broken = homes_layer();
    broken.add_feature(LonLat{131.0, 33.0}, {}); // one value short: a caller bug
    EXPECT_THROW(write_geopackage(path, std::vector{homes_layer(), broken}, FileMode::shared),
                 InternalError);
    Layer bad_time = shelters_layer();
    bad_time.features[0].values[3] = std::string("yesterday");
    EXPECT_THROW(write_geopackage(path, std::vector{bad_time}, FileMode::shared), InputError);
    Layer wrong_geometry = homes_layer();
    wrong_geometry.features[0].geometry = LineGeometry{{{131, 33}, {131.1, 33}}};
    EXPECT_THROW(write_geopackage(path, std::vector{wrong_geometry}, FileMode::shared),
                 InternalError);
    EXPECT_THROW(write_layers(dir / "out.kml", std::vector{homes_layer()}, FileMode::shared),
                 InputError);

    EXPECT_EQ(fs::file_size(path), before);
    EXPECT_EQ(files_in(dir.path()), std::vector<fs::path>{"out.gpkg"});
    EXPECT_NE(ogrinfo(path).find("child (String) = synthetic-01"), std::string::npos);
}

TEST(GisWriter, GeoJsonIsRfc7946LonLat) {
    test::TempDir dir;
    const auto path = dir / "shelters.geojson";
    write_geojson(path, shelters_layer(), FileMode::shared);
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_NE(text.str().find("\"名称\": \"宇部市福祉会館（福祉避難所）\""), std::string::npos)
        << text.str();
    EXPECT_NE(text.str().find("[ 131.2466, 33.9517 ]"), std::string::npos) << text.str();
    const std::string all = ogrinfo(path);
    EXPECT_NE(all.find("Feature Count: 2"), std::string::npos) << all;
}

TEST(GisWriter, MetricOutputCrsAndMultiPartPolygons) {
    test::TempDir dir;
    const auto path = dir / "areas.gpkg";
    Layer layer{.name = "areas", .geometry_type = GeometryType::polygon};
    layer.add_field("name", FieldType::string);
    const LonLatPolygon a{{{131.25, 33.95}, {131.26, 33.95}, {131.26, 33.96}, {131.25, 33.95}}};
    const LonLatPolygon b{{{131.30, 33.95}, {131.31, 33.95}, {131.31, 33.96}}}; // unclosed
    layer.add_feature(PolygonGeometry{a, b}, {std::string("two parts")});
    write_geopackage(path, std::vector{layer}, FileMode::shared, 6671);
    const std::string all = ogrinfo(path);
    EXPECT_NE(all.find("MULTIPOLYGON"), std::string::npos) << all;
    EXPECT_NE(all.find("ID[\"EPSG\",6671]"), std::string::npos);
    // Read back through the hazard loader: lon/lat again, both parts present.
    const Hazards back = load_hazards({.path = path});
    ASSERT_EQ(back.areas().size(), 1u);
    EXPECT_TRUE(back.hazard_at({131.258, 33.951}));
    EXPECT_TRUE(back.hazard_at({131.308, 33.951}));
    EXPECT_FALSE(back.hazard_at({131.28, 33.951}));
}

TEST(GisWriter, ReadyMadeNetworkRouteAndClosureLayers) {
    const auto t = test::ascii_network("A----B----C", {.grid_m = 20});
    const auto n = t.net.edge_count();
    std::vector<std::uint32_t> weights(n, 72'000); // 100 m in 72 s = 5 km/h
    weights[t.edge('B', 'C').value()] = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::int64_t> closed(n, never_ms);
    closed[t.edge('A', 'B').value()] = 10 * 60'000;
    closed[t.edge('B', 'A').value()] = 10 * 60'000;

    const Layer edges = network_edges_layer(
        t.net, {.weights_ms = weights, .closed_from_ms = closed, .mode = "walk"});
    EXPECT_EQ(edges.features.size(), n);
    const auto closed_layer = closed_edges_layer(t.net, closed, "walk");
    EXPECT_EQ(closed_layer.features.size(), 1u); // A-B drawn once
    const std::vector<RouteRecord> routes{{.label = "自宅 → 避難所",
                                           .edges = {t.edge('A', 'B'), t.edge('B', 'C')},
                                           .mode = "walk",
                                           .departure_ms = 0,
                                           .arrival_ms = 144'000}};
    const Layer route = route_layer(t.net, routes);
    const std::vector<std::int64_t> enter{0, 72'000, 144'000};
    const Layer steps = route_edges_layer(t.net, routes[0].edges, enter, closed);

    test::TempDir dir;
    const auto path = dir / "network.gpkg";
    write_geopackage(path, std::vector{edges, closed_layer, route, steps}, FileMode::shared);
    const std::string all = ogrinfo(path);
    EXPECT_NE(all.find("speed_kmh (Real) = 5"), std::string::npos) << all;
    EXPECT_NE(all.find("allowed (Integer64) = 0"), std::string::npos);
    EXPECT_NE(all.find("closed_from_min (Real) = 10"), std::string::npos);
    EXPECT_NE(all.find("label (String) = 自宅 → 避難所"), std::string::npos);
    EXPECT_NE(all.find("length_m (Real) = 200"), std::string::npos);
    EXPECT_NE(all.find("travel_time_s (Real) = 144"), std::string::npos);
    EXPECT_NE(all.find("leave_min (Real) = 2.4"), std::string::npos);
    EXPECT_NE(all.find("LINESTRING (131.25 33.95,"), std::string::npos);

    // Several layers to GeoJSON: one file per layer beside the named one.
    const auto written =
        write_layers(dir / "net.geojson", std::vector{edges, route}, FileMode::shared);
    ASSERT_EQ(written.size(), 2u);
    EXPECT_EQ(written[0].filename(), "net_edges.geojson");
    EXPECT_EQ(written[1].filename(), "net_route.geojson");
    EXPECT_TRUE(fs::exists(written[1]));
}

TEST(GisWriter, HazardAreasLayer) {
    HazardsBuilder builder;
    builder.add_area({.kind = HazardKind::landslide,
                      .zone = LandslideZone::red,
                      .onset_ms = 30 * 60'000,
                      .feature_id = "土石流-1"},
                     std::vector<LonLatPolygon>{
                         {{{131.25, 33.95}, {131.26, 33.95}, {131.26, 33.96}, {131.25, 33.95}}}});
    const Hazards hazards = std::move(builder).build();
    test::TempDir dir;
    const auto path = dir / "hazards.gpkg";
    write_geopackage(path, std::vector{hazard_areas_layer(hazards)}, FileMode::shared);
    const std::string all = ogrinfo(path);
    EXPECT_NE(all.find("zone (String) = red"), std::string::npos) << all;
    EXPECT_NE(all.find("feature_id (String) = 土石流-1"), std::string::npos);
    EXPECT_NE(all.find("onset_min (Real) = 30"), std::string::npos);
    EXPECT_NE(all.find("depth_m (Real) = (null)"), std::string::npos);
}

} // namespace
} // namespace sonae::geo
