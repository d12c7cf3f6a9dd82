// GIS line layers through GDAL: shared-endpoint topology, u/v topology, CRS, bad inputs.
// Shapefiles are made from hand-written GeoJSON with ogr2ogr (gdal-bin).
#include "geo/gdal_import.hpp"
#include "geo/load_network.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

namespace sonae::geo {
namespace {

std::filesystem::path write(const test::TempDir& dir, const std::string& name,
                            const std::string& text) {
    const auto path = dir / name;
    std::ofstream(path) << text;
    return path;
}

void run(const std::string& command) {
    ASSERT_EQ(std::system((command + " >/dev/null 2>&1").c_str()), 0) << command;
}

std::string feature_collection(const std::vector<std::string>& features) {
    std::string out = R"({"type":"FeatureCollection","features":[)";
    for (std::size_t i = 0; i < features.size(); ++i) out += (i ? "," : "") + features[i];
    return out + "]}";
}

// A street A-B-C along 33.95 N (B an inner point), C-D (a merged one-way edge),
// C-E-G as two MultiLineString parts (footway with steps), D-F whose start differs from
// D by 2e-8 degree (merged by rounding).
const std::vector<std::string> town_features{
    R"({"type":"Feature","properties":{"highway":"residential","maxspeed":"40","lanes":"2","width":"4.5"},
        "geometry":{"type":"LineString","coordinates":[[131.25,33.95],[131.251,33.95],[131.252,33.95]]}})",
    R"({"type":"Feature","properties":{"highway":"['path', 'residential']","oneway":"yes","osmid":"[77, 78]"},
        "geometry":{"type":"LineString","coordinates":[[131.252,33.95],[131.253,33.95]]}})",
    R"({"type":"Feature","properties":{"highway":"footway,steps"},
        "geometry":{"type":"MultiLineString","coordinates":[[[131.252,33.95],[131.252,33.951]],[[131.252,33.951],[131.252,33.952]]]}})",
    R"({"type":"Feature","properties":{"highway":"tertiary","length":250.0},
        "geometry":{"type":"LineString","coordinates":[[131.25300002,33.95],[131.254,33.95]]}})",
};

TEST(GdalImport, SharedEndpointTopologyFromGeoJson) {
    test::TempDir dir;
    const auto result =
        import_gdal_lines(write(dir, "town.geojson", feature_collection(town_features)));
    const auto& net = result.network;
    EXPECT_EQ(net.node_count(), 6u); // A, C, D, E(131.252,33.951), G, F; B is a shape point
    EXPECT_EQ(net.edge_count(), 10u);
    std::uint32_t against = 0;
    std::uint32_t steps = 0;
    bool saw_residential = false;
    for (std::uint32_t i = 0; i < net.edge_count(); ++i) {
        const EdgeId e(i);
        against += (net.flags(e) & edge_against_oneway) != 0;
        steps += net.road_class(e) == RoadClass::steps;
        if (net.road_class(e) == RoadClass::residential && net.maxspeed_kmh(e) == 40) {
            saw_residential = true;
            EXPECT_EQ(net.lanes(e), 2);
            EXPECT_EQ(net.width_dm(e), 45);
            ASSERT_EQ(net.edge_inner_points(e).size(), 1u);
            EXPECT_NEAR(net.edge_inner_points(e)[0].lon, 131.251, 1e-12);
            EXPECT_NEAR(net.length_m(e), haversine_m({131.25, 33.95}, {131.252, 33.95}), 1e-6);
            // Both directions run along the same shape, reversed.
            const auto geometry = net.edge_geometry(e);
            EXPECT_EQ(geometry.size(), 3u);
        }
        if (net.original_edge_id(e) == 77) {
            EXPECT_EQ(net.road_class(e), RoadClass::residential); // most important of the list
        }
        if (net.road_class(e) == RoadClass::tertiary) {
            EXPECT_EQ(net.length_m(e), 250.0); // the layer's length column wins
        }
    }
    EXPECT_TRUE(saw_residential);
    EXPECT_EQ(against, 1u);
    EXPECT_EQ(steps, 4u); // both parts, both directions: "footway,steps" is classed steps
}

TEST(GdalImport, RowOrderDoesNotMatter) {
    test::TempDir dir;
    auto reversed = town_features;
    std::reverse(reversed.begin(), reversed.end());
    const auto a =
        import_gdal_lines(write(dir, "a.geojson", feature_collection(town_features))).network;
    const auto b = import_gdal_lines(write(dir, "b.geojson", feature_collection(reversed))).network;
    ASSERT_EQ(a.edge_count(), b.edge_count());
    for (std::uint32_t i = 0; i < a.edge_count(); ++i) {
        EXPECT_EQ(a.tail(EdgeId(i)), b.tail(EdgeId(i)));
        EXPECT_EQ(a.head(EdgeId(i)), b.head(EdgeId(i)));
        EXPECT_EQ(a.length_m(EdgeId(i)), b.length_m(EdgeId(i)));
        EXPECT_EQ(a.road_class(EdgeId(i)), b.road_class(EdgeId(i)));
    }
}

TEST(GdalImport, ProjectedShapefileIsTransformedBackToLonLat) {
    test::TempDir dir;
    const auto geojson = write(dir, "town.geojson", feature_collection(town_features));
    const auto shp = dir / "town.shp";
    run("ogr2ogr -f 'ESRI Shapefile' -t_srs EPSG:6671 '" + shp.string() + "' '" + geojson.string() +
        "'");
    const auto from_shp = load_road_network(shp);
    const auto from_json = load_road_network(geojson);
    EXPECT_EQ(from_shp.node_count(), from_json.node_count());
    EXPECT_EQ(from_shp.edge_count(), from_json.edge_count());
    for (std::uint32_t u = 0; u < from_shp.node_count(); ++u) {
        EXPECT_NEAR(from_shp.lonlat(NodeId(u)).lon, from_json.lonlat(NodeId(u)).lon, 1e-7);
        EXPECT_NEAR(from_shp.lonlat(NodeId(u)).lat, from_json.lonlat(NodeId(u)).lat, 1e-7);
    }
    EXPECT_EQ(from_shp.metric_epsg(), 6671);
}

TEST(GdalImport, UbeSubsetWithAndWithoutUvGivesTheSameNodes) {
    test::TempDir dir;
    const auto ube = test::scenario_data("ube-flood", "ube_roads.gpkg");
    const auto with_uv = dir / "ube_uv.gpkg";
    const auto without_uv = dir / "ube_plain.geojson";
    run("ogr2ogr -f GPKG -where 'fid <= 400' '" + with_uv.string() + "' '" + ube.string() +
        "' edges");
    run("ogr2ogr -f GeoJSON -where 'fid <= 400' -select highway,length,oneway '" +
        without_uv.string() + "' '" + ube.string() + "' edges");
    const auto uv = import_gdal_lines(with_uv).network;
    const auto plain = import_gdal_lines(without_uv).network;
    EXPECT_EQ(uv.edge_count(), 400u);               // rows are already directed
    EXPECT_EQ(plain.edge_count(), 800u);            // no u/v, no oneway: both directions per row
    EXPECT_EQ(plain.node_count(), uv.node_count()); // shared end points = the OSM nodes
    EXPECT_GT(uv.node_count(), 100u);
    EXPECT_TRUE(uv.node_by_original_id(uv.original_node_id(NodeId(0))).has_value());
}

void expect_input_error(const std::filesystem::path& path, const std::string& words,
                        const std::string& field = {}) {
    try {
        (void)load_road_network(path);
        ADD_FAILURE() << "no error for " << path;
    } catch (const InputError& e) {
        EXPECT_EQ(e.where().file, path.string());
        EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
        if (!field.empty()) {
            EXPECT_EQ(e.where().field, field) << e.what();
        }
    }
}

TEST(GdalImport, BadInputsAreInputErrorsNamingFileLayerFeatureField) {
    test::TempDir dir;
    expect_input_error(dir / "absent.gpkg", "not found");
    expect_input_error(write(dir, "garbage.gpkg", "this is not a GeoPackage"), "GDAL");
    expect_input_error(
        write(
            dir, "points.geojson",
            feature_collection(
                {R"({"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[131.25,33.95]}})"})),
        "no layer of lines");
    expect_input_error(
        write(
            dir, "far.geojson",
            feature_collection(
                {R"({"type":"Feature","properties":{},"geometry":{"type":"LineString","coordinates":[[131.25,33.95],[200.0,95.0]]}})"})),
        "out of range", "geometry");
    expect_input_error(
        write(
            dir, "baduv.geojson",
            feature_collection(
                {R"({"type":"Feature","properties":{"u":"12x","v":"13"},"geometry":{"type":"LineString","coordinates":[[131.25,33.95],[131.26,33.95]]}})"})),
        "not an integer", "u");
    expect_input_error(write(dir, "empty.geojson", feature_collection({})), "");

    // A Shapefile without its .prj has no CRS.
    const auto geojson = write(dir, "town.geojson", feature_collection(town_features));
    const auto shp = dir / "nocrs.shp";
    run("ogr2ogr -f 'ESRI Shapefile' '" + shp.string() + "' '" + geojson.string() + "'");
    std::filesystem::remove(dir / "nocrs.prj");
    expect_input_error(shp, "no coordinate reference system");
    try {
        (void)import_gdal_lines(geojson, "no_such_layer");
        ADD_FAILURE();
    } catch (const InputError& e) {
        EXPECT_EQ(e.where().layer, "no_such_layer");
    }
    EXPECT_EQ(road_class_from_highway_list("['path', 'residential']"), RoadClass::residential);
    EXPECT_EQ(road_class_from_highway_list("service,steps,unclassified"), RoadClass::steps);
    EXPECT_EQ(road_class_from_highway_list("busway"), RoadClass::other);
}

} // namespace
} // namespace sonae::geo
