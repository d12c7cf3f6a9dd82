// OSM importer on tiny hand-written files: splitting, directions, tags, errors.
#include "geo/load_network.hpp"
#include "geo/osm_import.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

namespace sonae::geo {
namespace {

// A small town: way 10 (residential, two-way, 3 nodes), way 11 (oneway primary with
// maxspeed in mph), way 12 (oneway=-1 service), way 13 (footway, foot=no? no: access=no),
// way 14 (roundabout), way 15 (building, not a road), way 16 (highway=proposed).
constexpr const char* town_osm = R"(<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="hand">
  <node id="1" lat="34.0000" lon="131.0000"/>
  <node id="2" lat="34.0000" lon="131.0010"/>
  <node id="3" lat="34.0010" lon="131.0010"/>
  <node id="4" lat="34.0010" lon="131.0020"/>
  <node id="5" lat="34.0020" lon="131.0020"/>
  <node id="6" lat="34.0020" lon="131.0030"/>
  <node id="7" lat="34.0030" lon="131.0030"/>
  <node id="8" lat="34.0030" lon="131.0040"/>
  <node id="9" lat="34.0040" lon="131.0040"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/>
    <tag k="highway" v="residential"/><tag k="width" v="3.5 m"/><tag k="lanes" v="2"/></way>
  <way id="11"><nd ref="3"/><nd ref="4"/>
    <tag k="highway" v="primary"/><tag k="oneway" v="yes"/><tag k="maxspeed" v="30 mph"/>
    <tag k="bridge" v="yes"/></way>
  <way id="12"><nd ref="4"/><nd ref="5"/>
    <tag k="highway" v="service"/><tag k="oneway" v="-1"/><tag k="tunnel" v="yes"/></way>
  <way id="13"><nd ref="5"/><nd ref="6"/>
    <tag k="highway" v="footway"/><tag k="access" v="no"/></way>
  <way id="14"><nd ref="6"/><nd ref="7"/>
    <tag k="highway" v="tertiary"/><tag k="junction" v="roundabout"/><tag k="maxspeed" v="JP:urban"/></way>
  <way id="15"><nd ref="7"/><nd ref="8"/><tag k="building" v="yes"/></way>
  <way id="16"><nd ref="8"/><nd ref="9"/><tag k="highway" v="proposed"/></way>
  <way id="17"><nd ref="7"/><nd ref="7"/><nd ref="8"/>
    <tag k="highway" v="motorway"/><tag k="oneway" v="no"/></way>
</osm>
)";

std::filesystem::path write(const test::TempDir& dir, const std::string& name,
                            const std::string& text) {
    const auto path = dir / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

NodeId node(const RoadNetwork& net, std::int64_t osm_id) {
    const auto n = net.node_by_original_id(osm_id);
    EXPECT_TRUE(n.has_value()) << "OSM node " << osm_id;
    return n.value_or(NodeId(0));
}

TEST(OsmImport, SplitsWaysAtEveryNodeAndKeepsIds) {
    test::TempDir dir;
    const auto result = import_osm(write(dir, "town.osm", town_osm));
    const auto& net = result.network;
    // Nodes 1..8 are used by roads (9 only by the proposed road).
    EXPECT_EQ(net.node_count(), 8u);
    EXPECT_FALSE(net.node_by_original_id(9).has_value());
    // Segments: way 10: 2, 11: 1, 12: 1, 13: 1, 14: 1, 17: 1 (repeated node skipped) -> 7 x 2.
    EXPECT_EQ(net.edge_count(), 14u);
    EXPECT_TRUE(result.diagnostics.empty());

    const auto e12 = net.find_edge(node(net, 1), node(net, 2));
    ASSERT_TRUE(e12);
    EXPECT_EQ(net.original_edge_id(*e12), 10);
    EXPECT_EQ(net.road_class(*e12), RoadClass::residential);
    EXPECT_EQ(net.width_dm(*e12), 35);
    EXPECT_EQ(net.lanes(*e12), 2);
    // 0.001 degree of longitude at 34 N = 92.2 m.
    EXPECT_NEAR(net.length_m(*e12), haversine_m({131.0, 34.0}, {131.001, 34.0}), 1e-9);
    EXPECT_NEAR(net.length_m(*e12), 92.2, 0.2);
    EXPECT_TRUE(net.edge_inner_points(*e12).empty());
    EXPECT_EQ(net.lonlat(node(net, 3)), (LonLat{131.001, 34.001}));
}

TEST(OsmImport, OnewayRoundaboutAndReverseGiveFlaggedOppositeEdges) {
    test::TempDir dir;
    const auto net = import_osm(write(dir, "town.osm", town_osm)).network;
    auto flags = [&](std::int64_t a, std::int64_t b) {
        const auto e = net.find_edge(node(net, a), node(net, b));
        EXPECT_TRUE(e) << a << "->" << b;
        return e ? net.flags(*e) : std::uint8_t{0xff};
    };
    EXPECT_EQ(flags(1, 2) & edge_against_oneway, 0);
    EXPECT_EQ(flags(2, 1) & edge_against_oneway, 0);
    EXPECT_EQ(flags(3, 4) & edge_against_oneway, 0); // oneway=yes
    EXPECT_NE(flags(4, 3) & edge_against_oneway, 0);
    EXPECT_NE(flags(4, 5) & edge_against_oneway, 0); // oneway=-1: legal way is 5 -> 4
    EXPECT_EQ(flags(5, 4) & edge_against_oneway, 0);
    EXPECT_EQ(flags(6, 7) & edge_against_oneway, 0); // roundabout
    EXPECT_NE(flags(7, 6) & edge_against_oneway, 0);
    EXPECT_EQ(flags(8, 7) & edge_against_oneway, 0); // motorway with explicit oneway=no
    EXPECT_NE(flags(3, 4) & edge_bridge, 0);
    EXPECT_NE(flags(5, 4) & edge_tunnel, 0);
    EXPECT_NE(flags(5, 6) & edge_no_motor, 0); // access=no
    EXPECT_NE(flags(5, 6) & edge_no_foot, 0);
    EXPECT_NE(flags(7, 8) & edge_no_foot, 0); // motorway: no pedestrians
    EXPECT_EQ(flags(7, 8) & edge_no_motor, 0);

    const auto e34 = net.find_edge(node(net, 3), node(net, 4));
    EXPECT_EQ(net.maxspeed_kmh(*e34), 48); // 30 mph
    const auto e67 = net.find_edge(node(net, 6), node(net, 7));
    EXPECT_EQ(net.maxspeed_kmh(*e67), 60); // JP:urban: Japanese legal default
}

TEST(OsmImport, GzipAndBzip2XmlGiveTheSameNetwork) {
    test::TempDir dir;
    const auto plain = write(dir, "town.osm", town_osm);
    ASSERT_EQ(
        std::system(
            ("gzip -k '" + plain.string() + "' && bzip2 -k '" + plain.string() + "'").c_str()),
        0);
    const auto a = load_road_network(plain);
    for (const auto* name : {"town.osm.gz", "town.osm.bz2"}) {
        const auto b = load_road_network(dir / name);
        ASSERT_EQ(a.edge_count(), b.edge_count()) << name;
        ASSERT_EQ(a.node_count(), b.node_count()) << name;
        for (std::uint32_t i = 0; i < a.edge_count(); ++i) {
            EXPECT_EQ(a.tail(EdgeId(i)), b.tail(EdgeId(i)));
            EXPECT_EQ(a.head(EdgeId(i)), b.head(EdgeId(i)));
            EXPECT_EQ(a.flags(EdgeId(i)), b.flags(EdgeId(i)));
            EXPECT_EQ(a.length_m(EdgeId(i)), b.length_m(EdgeId(i)));
        }
    }
    EXPECT_EQ(network_format_name(dir / "town.osm.bz2"), "OpenStreetMap XML (bzip2)");
}

TEST(OsmImport, TagParsers) {
    EXPECT_EQ(parse_maxspeed_kmh("50"), 50);
    EXPECT_EQ(parse_maxspeed_kmh("50 mph"), 80);
    EXPECT_EQ(parse_maxspeed_kmh("40;30"), 40);
    EXPECT_EQ(parse_maxspeed_kmh("JP:urban"), 60);
    EXPECT_EQ(parse_maxspeed_kmh("JP:motorway"), 100);
    EXPECT_EQ(parse_maxspeed_kmh("DE:urban"), 50);
    EXPECT_EQ(parse_maxspeed_kmh("walk"), 7);
    EXPECT_EQ(parse_maxspeed_kmh("none"), std::nullopt);
    EXPECT_EQ(parse_maxspeed_kmh("fast"), std::nullopt);
    EXPECT_EQ(parse_maxspeed_kmh("50 furlongs"), std::nullopt);
    EXPECT_EQ(parse_width_dm("3.5"), 35);
    EXPECT_EQ(parse_width_dm("3,5 m"), 35);
    EXPECT_EQ(parse_width_dm("10'"), 30);
    EXPECT_EQ(parse_width_dm("wide"), std::nullopt);
    EXPECT_EQ(parse_lanes("2"), 2);
    EXPECT_EQ(parse_lanes("2;3"), 2);
    EXPECT_EQ(parse_lanes("two"), std::nullopt);
    EXPECT_EQ(oneway_kind("", "", "motorway"), OnewayKind::forward);
    EXPECT_EQ(oneway_kind("no", "roundabout", "primary"), OnewayKind::both);
    EXPECT_EQ(oneway_kind("reverse", "", "primary"), OnewayKind::backward);
    EXPECT_EQ(oneway_kind("", "", "motorway_link"), OnewayKind::both);
    EXPECT_TRUE(is_routable_highway("steps"));
    EXPECT_TRUE(is_routable_highway("corridor"));
    EXPECT_FALSE(is_routable_highway("bus_stop"));
    EXPECT_FALSE(is_routable_highway("construction"));
}

TEST(OsmImport, MissingNodesAreReportedNotFatal) {
    test::TempDir dir;
    const std::string clipped = R"(<osm version="0.6">
  <node id="1" lat="34.0" lon="131.0"/><node id="2" lat="34.0" lon="131.001"/>
  <way id="5"><nd ref="1"/><nd ref="2"/><nd ref="99"/><tag k="highway" v="residential"/></way>
</osm>)";
    const auto result = import_osm(write(dir, "clipped.osm", clipped));
    EXPECT_EQ(result.network.edge_count(), 2u);
    ASSERT_EQ(result.diagnostics.size(), 1u);
    EXPECT_NE(result.diagnostics[0].str().find("node 99"), std::string::npos);
}

TEST(OsmImport, BadInputsNameTheFile) {
    test::TempDir dir;
    auto expect_input_error = [](const std::filesystem::path& path, const std::string& words) {
        try {
            (void)load_road_network(path);
            ADD_FAILURE() << "no error for " << path;
        } catch (const InputError& e) {
            EXPECT_EQ(e.where().file, path.string());
            EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
        }
    };
    expect_input_error(dir / "absent.osm.pbf", "not found");
    expect_input_error(write(dir, "empty.osm.pbf", ""), "empty");
    expect_input_error(write(dir, "garbage.osm.pbf", std::string(300, 'x')), "corrupt");
    expect_input_error(write(dir, "broken.osm", "<osm version=\"0.6\"><node id=\"1\""), "corrupt");
    expect_input_error(write(dir, "roads.txt", "hello"), "unknown road network format");
    expect_input_error(
        write(
            dir, "noroads.osm",
            R"(<osm version="0.6"><node id="1" lat="34" lon="131"/><node id="2" lat="34" lon="131.1"/>
                 <way id="3"><nd ref="1"/><nd ref="2"/><tag k="building" v="yes"/></way></osm>)"),
        "no routable roads");
    expect_input_error(
        write(
            dir, "badcoord.osm",
            R"(<osm version="0.6"><node id="1" lat="95" lon="131"/><node id="2" lat="34" lon="131.1"/>
                 <way id="3"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/></way></osm>)"),
        "");
}

} // namespace
} // namespace sonae::geo
