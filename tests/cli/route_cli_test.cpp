// Runs the built `sonae route` on the real Ube walk network (OSM via OSMnx, EPSG:6668) with a
// hazard polygon written here that cuts the direct route, and on broken inputs.
#include "geo/load_network.hpp"
#include "geo/routing.hpp"
#include "planner/travel_context.hpp"
#include "tests/support/ogrinfo.hpp"
#include "tests/support/paths.hpp"
#include "tests/support/run_cli.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>

namespace {

namespace fs = std::filesystem;
using sonae::test::scenario_data;
using sonae::test::TempDir;

const std::string ube = scenario_data("ube-flood", "ube_roads.gpkg").string();
// 新川ふれあいセンター -> 琴芝ふれあいセンター (P20 shelters in central Ube), about 2 km apart.
const std::string from = "131.2447,33.958644";
const std::string to = "131.263226,33.952875";

std::string quote(const std::string& s) {
    return "'" + s + "'";
}

// `sonae ARGS` through the shared runner; stdout.txt and stderr.txt stay in `dir` for the
// assertions that read them.
int run(const std::string& args, const TempDir& dir) {
    return sonae::test::run_sonae(args, dir.path()).exit_code;
}

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct LonLat {
    double lon;
    double lat;
};

std::vector<LonLat> route_line(const fs::path& geojson) {
    const auto doc = nlohmann::json::parse(slurp(geojson));
    std::vector<LonLat> out;
    for (const auto& c : doc.at("features").at(0).at("geometry").at("coordinates")) {
        out.push_back({c.at(0).get<double>(), c.at(1).get<double>()});
    }
    return out;
}

double printed_km(const std::string& stdout_text) {
    std::smatch m;
    const std::regex distance("distance +([0-9.]+) km");
    if (!std::regex_search(stdout_text, m, distance)) return -1.0;
    return std::stod(m[1]);
}

constexpr double metres_per_degree_lat = 111'320.0;
double metres_per_degree_lon(double lat) {
    return metres_per_degree_lat * std::cos(lat * 3.14159265358979 / 180.0);
}

// The point halfway along a line (by planar length in metres).
LonLat halfway(const std::vector<LonLat>& line) {
    const auto seg = [](LonLat a, LonLat b) {
        return std::hypot((b.lon - a.lon) * metres_per_degree_lon(a.lat),
                          (b.lat - a.lat) * metres_per_degree_lat);
    };
    double total = 0;
    for (std::size_t i = 1; i < line.size(); ++i) total += seg(line[i - 1], line[i]);
    double walked = 0;
    for (std::size_t i = 1; i < line.size(); ++i) {
        const double s = seg(line[i - 1], line[i]);
        if (walked + s >= total / 2) {
            const double t = s > 0 ? (total / 2 - walked) / s : 0;
            return {line[i - 1].lon + t * (line[i].lon - line[i - 1].lon),
                    line[i - 1].lat + t * (line[i].lat - line[i - 1].lat)};
        }
        walked += s;
    }
    return line.back();
}

struct Box {
    LonLat lo;
    LonLat hi;
    bool contains(LonLat p) const {
        return p.lon > lo.lon && p.lon < hi.lon && p.lat > lo.lat && p.lat < hi.lat;
    }
};

Box square(LonLat c, double half_m) {
    const double dlon = half_m / metres_per_degree_lon(c.lat);
    const double dlat = half_m / metres_per_degree_lat;
    return {{c.lon - dlon, c.lat - dlat}, {c.lon + dlon, c.lat + dlat}};
}

// True if any point of the line, sampled every metre or so, lies inside the box.
bool line_enters(const std::vector<LonLat>& line, const Box& box) {
    for (std::size_t i = 1; i < line.size(); ++i) {
        const auto a = line[i - 1];
        const auto b = line[i];
        const double len_m = std::hypot((b.lon - a.lon) * metres_per_degree_lon(a.lat),
                                        (b.lat - a.lat) * metres_per_degree_lat);
        const int steps = std::max(1, static_cast<int>(len_m));
        for (int s = 0; s <= steps; ++s) {
            const double t = static_cast<double>(s) / steps;
            if (box.contains({a.lon + t * (b.lon - a.lon), a.lat + t * (b.lat - a.lat)}))
                return true;
        }
    }
    return false;
}

void write_hazard(const fs::path& path, const Box& box, double depth_m) {
    std::ofstream out(path);
    out.precision(10);
    out << R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"cut","depth":)"
        << depth_m << R"(},"geometry":{"type":"Polygon","coordinates":[[)"
        << "[" << box.lo.lon << "," << box.lo.lat << "],[" << box.hi.lon << "," << box.lo.lat
        << "],[" << box.hi.lon << "," << box.hi.lat << "],[" << box.lo.lon << "," << box.hi.lat
        << "],[" << box.lo.lon << "," << box.lo.lat << "]]]}}]}";
}

unsigned file_mode(const fs::path& path) {
    struct stat st {};
    ::stat(path.c_str(), &st);
    return st.st_mode & 0777u;
}

} // namespace

TEST(RouteCli, AHazardAcrossTheRouteMakesItGoAround) {
    TempDir dir;
    const std::string base_args =
        "route --network " + quote(ube) + " --from " + from + " --to " + to + " --mode walk";
    ASSERT_EQ(run(base_args + " -o " + quote((dir / "base.geojson").string()), dir), 0)
        << slurp(dir / "stderr.txt");
    const std::string base_out = slurp(dir / "stdout.txt");
    const double base_km = printed_km(base_out);
    EXPECT_GT(base_km, 1.5) << base_out;
    EXPECT_LT(base_km, 3.5) << base_out;
    EXPECT_NE(base_out.find("snapped"), std::string::npos);
    const auto base_line = route_line(dir / "base.geojson");
    ASSERT_GE(base_line.size(), 3u);

    // Flood (1 m: closes walking) over a 200 m square centred halfway along the route.
    const Box cut = square(halfway(base_line), 100);
    ASSERT_TRUE(line_enters(base_line, cut));
    const auto hazard = dir / "flood.geojson";
    write_hazard(hazard, cut, 1.0);

    const auto out = dir / "around.geojson";
    ASSERT_EQ(run(base_args + " --hazard " + quote(hazard.string()) +
                      " --depth-field depth --at 00:10 -o " + quote(out.string()),
                  dir),
              0)
        << slurp(dir / "stderr.txt");
    const std::string around_out = slurp(dir / "stdout.txt");
    EXPECT_NE(around_out.find("edges close for walk"), std::string::npos) << around_out;
    EXPECT_NE(around_out.find("arrival"), std::string::npos);
    const auto around_line = route_line(out);
    EXPECT_FALSE(line_enters(around_line, cut)) << around_out;
    EXPECT_GT(printed_km(around_out), base_km);
    // The closed edges and hazard areas went beside the route, private like the route.
    EXPECT_TRUE(fs::exists(dir / "around_closed_edges.geojson"));
    EXPECT_TRUE(fs::exists(dir / "around_hazard_areas.geojson"));
    EXPECT_EQ(file_mode(out), 0600u);

    // The same flood arriving two hours after t0: the walker has long passed; same route.
    ASSERT_EQ(run(base_args + " --hazard " + quote(hazard.string()) +
                      " --depth-field depth --onset-min 120 --at 00:10 -o " +
                      quote((dir / "late.geojson").string()),
                  dir),
              0)
        << slurp(dir / "stderr.txt");
    EXPECT_DOUBLE_EQ(printed_km(slurp(dir / "stdout.txt")), base_km);

    // Shallow water (0.2 m) does not close walking: same path, only slower.
    write_hazard(hazard, cut, 0.2);
    ASSERT_EQ(run(base_args + " --hazard " + quote(hazard.string()) + " --depth-field depth -o " +
                      quote((dir / "shallow.gpkg").string()),
                  dir),
              0)
        << slurp(dir / "stderr.txt");
    const std::string shallow_out = slurp(dir / "stdout.txt");
    EXPECT_NE(shallow_out.find("0 edges close for walk"), std::string::npos) << shallow_out;

    // A self-intersecting (bow-tie) area is repaired with a warning, printed once as
    // "warning     <where>: <what>" (it used to say "warning     warning: ...").
    {
        const Box b = cut;
        std::ofstream bow(dir / "bowtie.geojson");
        bow.precision(10);
        bow << R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":)"
            << R"({"id":"bow","depth":1.0},"geometry":{"type":"Polygon","coordinates":[[)"
            << "[" << b.lo.lon << "," << b.lo.lat << "],[" << b.hi.lon << "," << b.hi.lat << "],["
            << b.hi.lon << "," << b.lo.lat << "],[" << b.lo.lon << "," << b.hi.lat << "],["
            << b.lo.lon << "," << b.lo.lat << "]]]}}]}";
    }
    ASSERT_EQ(run(base_args + " --hazard " + quote((dir / "bowtie.geojson").string()) +
                      " --depth-field depth -o " + quote((dir / "bow.geojson").string()),
                  dir),
              0)
        << slurp(dir / "stderr.txt");
    const std::string bow_out = slurp(dir / "stdout.txt");
    EXPECT_NE(bow_out.find("warning     file '"), std::string::npos) << bow_out;
    EXPECT_NE(bow_out.find("repaired"), std::string::npos) << bow_out;
    EXPECT_EQ(bow_out.find("warning: "), std::string::npos) << bow_out;
    EXPECT_EQ(file_mode(dir / "shallow.gpkg"), 0600u);
    const std::string layers =
        sonae::test::ogrinfo("-so " + quote((dir / "shallow.gpkg").string()), dir.path());
    for (const char* layer :
         {"route (Line String)", "route_edges", "closed_edges", "hazard_areas"}) {
        EXPECT_NE(layers.find(layer), std::string::npos) << layer << "\n" << layers;
    }
}

TEST(RouteCli, TimesTheSameTripAsThePlanner) {
    // `sonae route` and the planner share one model of how a point joins the network
    // (geo/point_access.hpp): off the road and along it to a node at the mode's access speed,
    // then node to node. The printed time is the planner's: leave + network + join.
    TempDir dir;
    ASSERT_EQ(
        run("route --network " + quote(ube) + " --from " + from + " --to " + to + " --mode walk",
            dir),
        0)
        << slurp(dir / "stderr.txt");
    const std::string out = slurp(dir / "stdout.txt");
    std::smatch m;
    ASSERT_TRUE(std::regex_search(out, m, std::regex(R"(time +[^(]*\(([0-9.]+) s\))"))) << out;
    const double printed_s = std::stod(m[1]);
    EXPECT_NE(out.find("off the road"), std::string::npos) << out;

    const auto imported = sonae::geo::import_road_network(ube, {});
    const sonae::planner::TravelContext travel(imported.network, {}, {"walk"}, 500.0);
    const auto on = travel.access("walk", {131.2447, 33.958644});
    const auto off = travel.access("walk", {131.263226, 33.952875});
    ASSERT_TRUE(on.ok && off.ok);
    sonae::geo::Router router(travel.graph());
    const auto middle =
        router.route(on.depart_node, off.arrive_node, travel.mode("walk").weights_ms);
    ASSERT_TRUE(middle);
    const double planner_s = static_cast<double>(on.leave_ms + middle->cost + off.join_ms) / 1000.0;
    EXPECT_NEAR(printed_s, planner_s, 0.051) << out; // printed to 0.1 s
    EXPECT_GT(on.leave_ms + off.join_ms, 0);
}

TEST(RouteCli, BadInputExitsTwoAndWritesNothing) {
    TempDir dir;
    const auto out = dir / "out.gpkg";
    const std::string base = "route --network " + quote(ube) + " --from " + from + " --to " + to +
                             " -o " + quote(out.string());

    EXPECT_EQ(run(base + " --hazard " + quote((dir / "missing.geojson").string()), dir), 2);
    EXPECT_NE(slurp(dir / "stderr.txt").find("missing.geojson"), std::string::npos)
        << slurp(dir / "stderr.txt");
    EXPECT_FALSE(fs::exists(out));

    const auto points = dir / "points.geojson";
    std::ofstream(points)
        << R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},)"
           R"("geometry":{"type":"Point","coordinates":[131.25,33.95]}}]})";
    EXPECT_EQ(run(base + " --hazard " + quote(points.string()), dir), 2);
    EXPECT_NE(slurp(dir / "stderr.txt").find("not a polygon"), std::string::npos)
        << slurp(dir / "stderr.txt");
    EXPECT_FALSE(fs::exists(out));

    // In the sea south of Ube, kilometres from any road.
    EXPECT_EQ(run("route --network " + quote(ube) + " --from 131.25,33.85 --to " + to + " -o " +
                      quote(out.string()),
                  dir),
              2);
    EXPECT_NE(slurp(dir / "stderr.txt").find("from the nearest road"), std::string::npos)
        << slurp(dir / "stderr.txt");
    EXPECT_FALSE(fs::exists(out));

    EXPECT_EQ(run("route --network " + quote(ube) + " --from 33.95,131.25 --to " + to, dir), 2);
    EXPECT_EQ(run("route --network " + quote(ube) + " --from abc --to " + to, dir), 2);
    EXPECT_EQ(run(base + " --hazard " + quote(points.string()) + " --at 25:99", dir), 2);
    EXPECT_EQ(
        run("route --network " + quote(ube) + " --from " + from + " --to " + to + " --at 00:10",
            dir),
        1)
        << "--at without --hazard is a usage error";
    EXPECT_EQ(run("route --network " + quote(ube) + " --from " + from + " --to " + to + " -o " +
                      quote((dir / "out.kml").string()),
                  dir),
              2);
    EXPECT_EQ(run("route --network " + quote(ube) + " --from " + from + " --to " + to + " -o " +
                      quote(ube),
                  dir),
              2);
    EXPECT_EQ(
        std::vector<fs::path>(fs::directory_iterator(dir.path()), fs::directory_iterator()).size(),
        3u)
        << "only stdout.txt, stderr.txt and points.geojson";
}
