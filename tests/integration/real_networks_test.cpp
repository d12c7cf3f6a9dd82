// Importers on real data (tests/data and the bundled scenarios): Kochi (OSM XML and PBF),
// Monaco (.osm.gz and PBF), Ube (OSMnx GeoPackage with u/v), and bad inputs made from them.
#include "geo/load_network.hpp"
#include "geo/osm_import.hpp"
#include "geo/routing.hpp"
#include "geo/snap.hpp"
#include "geo/travel_mode.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace sonae::geo {
namespace {

const auto kochi_pbf = test::scenario_data("kochi-tsunami", "kochi_roads_20210802.osm.pbf");
// The Kochi OSM XML is kept gzipped in the repository (3.9 MB -> 0.5 MB); the test unpacks it.
const auto kochi_xml_gz = test::test_data("kochi-osm-drive-network/kochi_roads_20210802.osm.gz");
const auto monaco_pbf = test::test_data("osm-graphhopper-monaco/monaco.osm.pbf");
const auto monaco_gz = test::test_data("osm-graphhopper-monaco/monaco.osm.gz");

// Same nodes, edges and every per-edge attribute.
void expect_identical(const RoadNetwork& a, const RoadNetwork& b) {
    ASSERT_EQ(a.node_count(), b.node_count());
    ASSERT_EQ(a.edge_count(), b.edge_count());
    for (std::uint32_t u = 0; u < a.node_count(); ++u) {
        ASSERT_EQ(a.original_node_id(NodeId(u)), b.original_node_id(NodeId(u)));
        ASSERT_EQ(a.lonlat(NodeId(u)), b.lonlat(NodeId(u)));
    }
    for (std::uint32_t i = 0; i < a.edge_count(); ++i) {
        const EdgeId e(i);
        ASSERT_EQ(a.tail(e), b.tail(e));
        ASSERT_EQ(a.head(e), b.head(e));
        ASSERT_EQ(a.length_m(e), b.length_m(e));
        ASSERT_EQ(a.road_class(e), b.road_class(e));
        ASSERT_EQ(a.flags(e), b.flags(e));
        ASSERT_EQ(a.maxspeed_kmh(e), b.maxspeed_kmh(e));
        ASSERT_EQ(a.lanes(e), b.lanes(e));
        ASSERT_EQ(a.original_edge_id(e), b.original_edge_id(e));
    }
}

std::uint32_t count_flag(const RoadNetwork& net, EdgeFlag flag) {
    std::uint32_t n = 0;
    for (std::uint32_t i = 0; i < net.edge_count(); ++i) n += (net.flags(EdgeId(i)) & flag) != 0;
    return n;
}

// Reference counts, derived independently from the XML with Python's ElementTree: 6005 of
// the 6008 ways are routable (the 3 others are highway=bus_stop); they refer to 30986
// distinct nodes and have 34169 node-to-node segments (68338 directed edges); 405 ways carry
// oneway=yes and 3 oneway=-1 (PROVENANCE.md: 430 oneway tags, 22 of them "no"), whose
// 4030 segments give 4030 against_oneway edges; 262 ways carry maxspeed.
TEST(RealNetworks, KochiPbfHasTheRealCounts) {
    const auto result = import_osm(kochi_pbf);
    const auto& net = result.network;
    EXPECT_TRUE(result.diagnostics.empty()); // osmium check-refs: no missing node
    EXPECT_EQ(net.node_count(), 30986u);
    EXPECT_EQ(net.edge_count(), 68338u);
    EXPECT_EQ(count_flag(net, edge_against_oneway), 4030u);
    const auto [lo, hi] = net.extent();
    EXPECT_NEAR(lo.lon, 133.5023209, 1e-7);
    EXPECT_NEAR(hi.lon, 133.6395201, 1e-7);
    EXPECT_NEAR(lo.lat, 33.5103795, 1e-7);
    EXPECT_NEAR(hi.lat, 33.6162105, 1e-7);
    std::uint32_t with_maxspeed = 0;
    for (std::uint32_t i = 0; i < net.edge_count(); ++i)
        with_maxspeed += net.maxspeed_kmh(EdgeId(i)) > 0;
    EXPECT_GT(with_maxspeed, 0u);
}

TEST(RealNetworks, KochiXmlAndPbfGiveTheIdenticalNetwork) {
    test::TempDir dir;
    const auto kochi_xml = dir / "kochi_roads_20210802.osm";
    const std::string unpack =
        "gzip -dc '" + kochi_xml_gz.string() + "' > '" + kochi_xml.string() + "'";
    ASSERT_EQ(std::system(unpack.c_str()), 0) << unpack;
    const auto pbf = load_road_network(kochi_pbf);
    const auto xml = load_road_network(kochi_xml);
    expect_identical(pbf, xml);
    EXPECT_EQ(pbf.metric_epsg(), 6672); // Kochi: JGD2011 zone IV
}

TEST(RealNetworks, MonacoGzAndPbfGiveTheIdenticalNetwork) {
    const auto pbf = load_road_network(monaco_pbf);
    const auto gz = load_road_network(monaco_gz);
    expect_identical(pbf, gz);
    EXPECT_EQ(pbf.metric_epsg(), 32632); // UTM 32N
    EXPECT_GT(pbf.edge_count(), 1000u);
}

TEST(RealNetworks, TruncatedKochiPbfIsAnInputErrorNamingTheFile) {
    test::TempDir dir;
    std::ifstream in(kochi_pbf, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_GT(bytes.size(), 100000u);
    const auto cut = dir / "kochi_cut.osm.pbf";
    std::ofstream(cut, std::ios::binary)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
    try {
        (void)load_road_network(cut);
        FAIL() << "a truncated PBF was accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where().file, cut.string());
        EXPECT_NE(std::string(e.what()).find("kochi_cut.osm.pbf"), std::string::npos) << e.what();
    }
}

const auto ube_gpkg = test::scenario_data("ube-flood", "ube_roads.gpkg");

TEST(RealNetworks, UbeGeoPackageUsesItsUvTopology) {
    const auto result = import_road_network(ube_gpkg);
    const auto& net = result.network;
    EXPECT_EQ(net.edge_count(), 30750u); // one row per direction already: not doubled
    EXPECT_EQ(net.node_count(), 10403u);
    EXPECT_EQ(net.metric_epsg(), 6671); // Yamaguchi: JGD2011 zone III
    EXPECT_EQ(count_flag(net, edge_against_oneway), 0u);
    // Node ids are the OSM ids from u/v (stored as Real in the file).
    EXPECT_TRUE(net.node_by_original_id(1351032036).has_value());
    // Lengths come from the layer's length column: sum 2049.4 km
    // (tests/data/yamaguchi-ube-osm-walk-network/PROVENANCE.md).
    double total_m = 0.0;
    for (double l : net.lengths_m()) total_m += l;
    EXPECT_NEAR(total_m / 1000.0, 2049.4, 0.1);
}

TEST(RealNetworks, UbeCarModeExcludesFootwaysAndWalkUsesThem) {
    const auto net = load_road_network(ube_gpkg);
    const auto car = travel_time_weights_ms(net, load_travel_profile("car"));
    const auto walk = travel_time_weights_ms(net, load_travel_profile("walk"));
    const auto wheelchair = travel_time_weights_ms(net, load_travel_profile("wheelchair"));
    std::uint32_t footways = 0;
    std::uint32_t steps = 0;
    for (std::uint32_t i = 0; i < net.edge_count(); ++i) {
        const auto c = net.road_class(EdgeId(i));
        if (c == RoadClass::footway || c == RoadClass::path || c == RoadClass::steps ||
            c == RoadClass::pedestrian) {
            EXPECT_EQ(car[i], no_edge) << "edge " << i << " " << to_string(c);
            footways += c == RoadClass::footway;
        }
        if (c == RoadClass::steps) {
            ++steps;
            EXPECT_EQ(wheelchair[i], no_edge);
            EXPECT_NE(walk[i], no_edge);
        }
    }
    EXPECT_GE(footways, 6396u); // that PROVENANCE.md's highway mix: footway 6396 (+ merged lists)
    EXPECT_GT(steps, 0u);
    EXPECT_LT(usable_edge_count(car), usable_edge_count(wheelchair));
    EXPECT_LT(usable_edge_count(wheelchair), usable_edge_count(walk));
}

// Shortest car distance between two snapped points: leave A along its edge (or the opposite
// edge), reach B along its edge (or the opposite one); on the same edge in travel order, the
// distance between the two points.
double car_distance_m(const RoadNetwork& net, Router& router, std::span<const Weight> metres,
                      const Snap& a, const Snap& b) {
    struct End {
        NodeId node;
        double offset_m;
    };
    std::vector<End> starts{{a.head, a.to_head_m}};
    if (a.opposite) starts.push_back({a.tail, a.from_tail_m});
    std::vector<End> ends{{b.tail, b.from_tail_m}};
    if (b.opposite) ends.push_back({b.head, b.to_head_m});
    double best = std::numeric_limits<double>::infinity();
    if (a.edge == b.edge && b.fraction >= a.fraction) best = b.from_tail_m - a.from_tail_m;
    if (a.opposite && *a.opposite == b.edge)
        best = std::min(best, std::fabs(b.from_tail_m - (net.length_m(b.edge) - a.from_tail_m)));
    std::vector<NodeId> targets;
    for (const auto& e : ends) targets.push_back(e.node);
    for (const auto& s : starts) {
        const auto d = router.one_to_many(s.node, targets, metres);
        for (std::size_t k = 0; k < ends.size(); ++k) {
            if (d[static_cast<Eigen::Index>(k)] == unreachable) continue;
            best =
                std::min(best, s.offset_m + static_cast<double>(d[static_cast<Eigen::Index>(k)]) +
                                   ends[k].offset_m);
        }
    }
    return best;
}

// GraphHopper's Monaco car queries (distance_influence 10000: close to shortest by distance
// over car-accessible ways, oneways respected). Access rules and snapping differ a little,
// so the bands are: within 1 % for real routes (measured: at most 0.31 %), within 10 m for the
// same-edge cases (points 13 m apart that GraphHopper puts on one node).
TEST(RealNetworks, MonacoCarRoutesFallWithinTheReferenceBands) {
    const auto net = load_road_network(monaco_pbf);
    const auto car = travel_time_weights_ms(net, load_travel_profile("car"));
    auto metres = length_weights(net);
    for (std::size_t i = 0; i < metres.size(); ++i) {
        if (car[i] == no_edge) metres[i] = no_edge;
    }
    const Snapper snapper(net, car);
    const RoutingGraph graph(net);
    Router router(graph);

    std::ifstream in(test::test_data("osm-graphhopper-monaco/reference_routes_monaco.csv"));
    std::string line;
    std::getline(in, line); // header
    int checked = 0;
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        std::stringstream row(line);
        for (std::string cell; std::getline(row, cell, ',');) f.push_back(cell);
        ASSERT_EQ(f.size(), 9u) << line;
        if (f[0] != "monaco_car") continue;
        const LonLat from{std::stod(f[4]), std::stod(f[3])};
        const LonLat to{std::stod(f[6]), std::stod(f[5])};
        const double expected = std::stod(f[7]);
        const auto a = snapper.snap(from);
        const auto b = snapper.snap(to);
        ASSERT_TRUE(a && b);
        EXPECT_LT(a->distance_m, 50.0) << line;
        EXPECT_LT(b->distance_m, 50.0) << line;
        const double got = car_distance_m(net, router, metres, *a, *b);
        if (expected < 10.0) {
            EXPECT_NEAR(got, expected, 10.0) << line;
        } else {
            EXPECT_NEAR(got / expected, 1.0, 0.01) << line << " -> " << got << " m";
        }
        std::cout << "monaco car " << expected << " m, sonae " << got << " m\n";
        ++checked;
    }
    EXPECT_EQ(checked, 10);
}

} // namespace
} // namespace sonae::geo
