// The simulation's movements as a GeoPackage layer (issue 23 item 4): one line per agent and
// leg of the traced run, legs following each other, travel along the roads passed, times as
// minutes after t0 and datetimes, read back with GDAL's ogrinfo as QGIS reads them.
//
//   A-------B          one cell = 100 m: A-B 800 m, B-C 400 m, C-D 800 m
//           |
//           |
//           |
//           C-------D
//
// P lives at A and drives the family car to the shelter X at C (round the corner at B).
// Q lives at D, has no car and no helpers: the van VAN, based at the shelter C, fetches her.

#include "planner/planner.hpp"
#include "sim/movements.hpp"
#include "sim/simulate.hpp"
#include "tests/support/ascii_network.hpp"
#include "tests/support/ogrinfo.hpp"
#include "tests/support/paths.hpp"
#include "tests/support/plan_fixtures.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <vector>

using namespace sonae;
using sonae::test::ogrinfo;
using namespace sonae::planner;
namespace fs = std::filesystem;

namespace {

struct Scene {
    test::AsciiNetwork t;
    LoadedScenario s;
};

Scene scene() {
    Scene r{test::ascii_network(R"(
A-------B
        |
        |
        |
        C-------D
)",
                                {.grid_m = 100}),
            {}};
    auto& s = r.s;
    s.manifest.name = "movements";
    s.manifest.hazard_kind = "flood";
    s.manifest.options.decision_min = 0;
    s.network = r.t.net;
    s.catalogue = default_device_catalogue();
    const auto at = [&r](char c) { return r.t.net.lonlat(r.t.node(c)); };
    auto q = test::family_child("Q", at('D'));
    q.vehicle = HouseholdVehicle::none;
    q.helpers = 0;
    s.registry = Registry({test::family_child("P", at('A')), q});
    s.facilities = {test::powered_shelter("X", at('C'))};
    Vehicle van;
    van.id = "VAN";
    van.type = VehicleType::wheelchair_van;
    van.seats = 2;
    van.base = at('C');
    s.vehicles = {van};
    return r;
}

sim::SimOptions exact() {
    sim::SimOptions o;
    o.decision_sigma = 0;
    o.packing_sigma = 0;
    o.speed_sigma = 0;
    o.runs = 1;
    o.threads = 1;
    o.seed = 7;
    return o;
}

std::vector<const sim::MovementLeg*> legs_of(const sim::Movements& m, const std::string& id,
                                             sim::AgentKind kind) {
    std::vector<const sim::MovementLeg*> out;
    for (const auto& l : m.legs) {
        if (l.agent_id == id && l.agent_kind == kind) out.push_back(&l);
    }
    return out;
}

std::vector<std::string> kinds(const std::vector<const sim::MovementLeg*>& legs) {
    std::vector<std::string> out;
    for (const auto* l : legs) out.emplace_back(sim::label_ja(l->kind));
    return out;
}

bool same(geo::LonLat a, geo::LonLat b) {
    return a.lon == b.lon && a.lat == b.lat;
}

bool has(const std::string& text, const std::string& needle) {
    return text.find(needle) != std::string::npos;
}

} // namespace

TEST(Movements, OneLinePerAgentAndLegAlongTheRoadsWithoutGaps) {
    auto [t, s] = scene();
    const auto plan = make_plan(s);
    ASSERT_EQ(plan.tours.size(), 1u);
    const sim::Simulator simulator(s, plan, exact());
    sim::Movements moves;
    (void)simulator.trace_run(&moves);
    const auto run = simulator.run(exact().seed); // the traced run: the same seed, the same times
    ASSERT_EQ(run.children.size(), 2u);
    const auto& p = run.children[0];
    const auto& q = run.children[1];
    ASSERT_TRUE(p.failure.empty() && q.failure.empty()) << p.failure << q.failure;
    EXPECT_EQ(moves.seed, 7u);

    // The agents and their legs, in order. Neither child needs power, so the devices are
    // "connected" the moment the child arrives: that leg has no duration and its status goes to
    // the travel leg before it.
    const auto p_child = legs_of(moves, "P", sim::AgentKind::child);
    const auto q_child = legs_of(moves, "Q", sim::AgentKind::child);
    const auto p_car = legs_of(moves, "P", sim::AgentKind::family_car);
    const auto van = legs_of(moves, "VAN", sim::AgentKind::vehicle);
    EXPECT_EQ(kinds(p_child), (std::vector<std::string>{"判断待ち", "荷造り・搬出", "家族の車"}));
    EXPECT_EQ(kinds(q_child),
              (std::vector<std::string>{"判断待ち", "荷造り・搬出", "迎え待ち", "支援車両に乗車"}));
    EXPECT_EQ(kinds(p_car), (std::vector<std::string>{"出発前の待機", "家族の車"}));
    // The van leaves its base (the shelter) at t0, so it has no waiting leg before (a leg of no
    // duration is left out); it drives to Q, waits for her and loads, drives back and unloads;
    // its way back to its base (the same place) takes no time, so the unloading ends the tour.
    ASSERT_EQ(plan.tours[0].stops.front().departure_s, 0);
    EXPECT_EQ(kinds(van), (std::vector<std::string>{"支援車両の走行", "迎え（積込み）",
                                                    "支援車両の走行", "降車"}));
    EXPECT_EQ(moves.legs.size(),
              p_child.size() + q_child.size() + p_car.size() + van.size()); // nobody else

    // Times: each agent's legs start at 0, follow each other without gap or overlap, numbered 1, 2,
    // ...
    for (const auto* agent : {&p_child, &q_child, &p_car, &van}) {
        ASSERT_FALSE(agent->empty());
        EXPECT_EQ(agent->front()->start_ms, 0);
        for (std::size_t k = 0; k < agent->size(); ++k) {
            const auto& l = *(*agent)[k];
            EXPECT_EQ(l.leg_no, static_cast<int>(k + 1));
            EXPECT_LE(l.start_ms, l.end_ms) << l.agent_id << " leg " << l.leg_no;
            ASSERT_GE(l.path.size(), 2u);
            if (k > 0) {
                const auto& before = *(*agent)[k - 1];
                EXPECT_EQ(l.start_ms, before.end_ms) << l.agent_id << " leg " << l.leg_no;
                EXPECT_TRUE(same(l.path.front(), before.path.back()))
                    << l.agent_id << " leg " << l.leg_no;
            }
        }
    }
    // The same moments as the run's results (seconds there, milliseconds here).
    EXPECT_EQ(p_child[0]->end_ms / 1000, p.decision_s);
    EXPECT_EQ(p_child[1]->end_ms / 1000, p.departure_s);
    EXPECT_EQ(p_child[2]->end_ms / 1000, p.arrival_s);
    EXPECT_EQ(p_car[1]->start_ms / 1000, p.departure_s);
    EXPECT_EQ(q_child[2]->start_ms / 1000, q.ready_s);
    EXPECT_EQ(q_child[3]->start_ms / 1000, q.departure_s); // boarded
    EXPECT_EQ(q_child[3]->end_ms / 1000, q.arrival_s);
    EXPECT_EQ(p_child[2]->end_status, "受け入れ（電源は不要）");
    EXPECT_EQ(p_car[1]->end_status, "到着");
    EXPECT_EQ(van.back()->end_status, "車庫に帰着（巡回の終わり）");
    EXPECT_EQ(q_child[2]->end_status, "乗車");
    EXPECT_EQ(q_child[3]->vehicle_id, "VAN");
    EXPECT_EQ(van[2]->children, "Q"); // on board on the way back
    EXPECT_EQ(van[0]->children, "");

    // Geometry along the road: P's drive is A, B (the corner), C: 800 + 400 = 1,200 m, not
    // the 894 m straight line sqrt(800² + 400²). Waiting legs are a line of two equal points.
    const auto at = [&t](char c) { return t.net.lonlat(t.node(c)); };
    const auto& drive = p_child[2]->path;
    ASSERT_EQ(drive.size(), 3u);
    EXPECT_TRUE(same(drive[0], at('A')) && same(drive[1], at('B')) && same(drive[2], at('C')));
    EXPECT_EQ(p_car[1]->path, drive);
    double metres = 0;
    for (std::size_t k = 1; k < drive.size(); ++k)
        metres += geo::haversine_m(drive[k - 1], drive[k]);
    EXPECT_NEAR(metres, 1200.0, 3.0);
    EXPECT_TRUE(same(p_child[0]->path[0], at('A')) && same(p_child[0]->path[1], at('A')));
    // Q rides D -> C with the van, on the van's road.
    EXPECT_TRUE(same(q_child[3]->path.front(), at('D')) && same(q_child[3]->path.back(), at('C')));
    EXPECT_EQ(q_child[3]->path, van[2]->path);
}

TEST(Movements, OnPowerAfterArriveBySaysSoAtTheEndOfTheLastLeg) {
    // P's deadline to be on power moved to 1 min after t0: she cannot be there before her
    // decision (1 min at the earliest) and packing, so she is late into the safety margin (not
    // a failure): her last leg ends 「受け入れ（電源は不要）（電源の確保が期限に遅れた）」.
    auto [t, s] = scene();
    auto plan = make_plan(s);
    plan.children[0].arrive_by_s = 60;
    const sim::Simulator simulator(s, plan, exact());
    sim::Movements moves;
    (void)simulator.trace_run(&moves);
    EXPECT_EQ(simulator.run(exact().seed).children[0].cause, sim::Cause::late_to_power);
    const auto p_child = legs_of(moves, "P", sim::AgentKind::child);
    ASSERT_EQ(p_child.size(), 3u);
    EXPECT_EQ(p_child.back()->end_status, "受け入れ（電源は不要）（電源の確保が期限に遅れた）");
    // Q keeps her own deadline: her status says nothing of it.
    EXPECT_EQ(legs_of(moves, "Q", sim::AgentKind::child).back()->end_status,
              "受け入れ（電源は不要）");
}

TEST(Movements, GeoPackageLayerWithStyleAliasesDatetimesAndPrivateMode) {
    auto [t, s] = scene();
    s.manifest.timeline.t0_clock = parse_clock_time("2026-03-14T10:00+09:00");
    const auto plan = make_plan(s);
    const sim::Simulator simulator(s, plan, exact());
    sim::Movements moves;
    (void)simulator.trace_run(&moves);
    ASSERT_TRUE(moves.t0_clock.has_value());
    test::TempDir dir;
    const auto path = dir / "simulation.gpkg";
    sim::write_movements_geopackage(path, moves);
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u); // children's homes and movements: personal data

    const std::string file = "'" + path.string() + "'";
    const auto info = ogrinfo(
        file + " -sql \"SELECT geometry_type_name, (SELECT count(*) FROM movements) AS n FROM "
               "gpkg_geometry_columns WHERE table_name = 'movements'\"",
        dir.path());
    EXPECT_TRUE(has(info, "geometry_type_name (String) = LINESTRING")) << info;
    EXPECT_TRUE(has(info, "n (Integer) = " + std::to_string(moves.legs.size()))) << info;
    // The default style QGIS loads: coloured by leg, played by the Temporal Controller.
    const auto styles =
        ogrinfo(file + " -sql \"SELECT f_table_name, useAsDefault, styleQML FROM layer_styles\"",
                dir.path());
    EXPECT_TRUE(has(styles, "f_table_name (String) = movements")) << styles;
    EXPECT_TRUE(has(styles, "useAsDefault (Integer64) = 1"));
    EXPECT_TRUE(has(styles, "attr=\"leg\""));
    EXPECT_TRUE(has(styles, "value=\"支援車両の走行\""));
    EXPECT_TRUE(has(styles, "startField=\"start_at\" endField=\"end_at\""));
    // Legs in one place (lines of no length, which QGIS does not stroke) as a dot on their point.
    EXPECT_TRUE(has(styles, "class=\"MarkerLine\""));
    EXPECT_TRUE(has(styles, "k=\"placement\" v=\"firstvertex\""));
    // Japanese aliases and the description.
    const auto aliases =
        ogrinfo(file + " -sql \"SELECT column_name, title FROM gpkg_data_columns\"", dir.path());
    for (const char* title : {"ID（児童・車両）", "動くもの", "区間", "始まり（発令から分）",
                              "始まりの日時", "区間の終わり"}) {
        EXPECT_TRUE(has(aliases, std::string("title (String) = ") + title)) << title << "\n"
                                                                            << aliases;
    }
    const auto contents =
        ogrinfo(file + " -sql \"SELECT description FROM gpkg_contents\"", dir.path());
    EXPECT_TRUE(has(contents, "seed 7")) << contents;
    // P's drive: minutes after t0 and the same moment as a datetime (t0 = 10:00 +09:00).
    const auto drive =
        ogrinfo(file + " -sql \"SELECT start_min, start_at, end_at, length_m FROM movements WHERE "
                       "agent_id = 'P' AND agent_kind = '児童' AND leg = '家族の車'\"",
                dir.path());
    const auto p_drive = legs_of(moves, "P", sim::AgentKind::child).at(2);
    const std::int64_t start_s = p_drive->start_ms / 1000;
    char expected[64];
    std::snprintf(expected, sizeof expected,
                  "start_at (DateTime) = 2026/03/14 %02lld:%02lld:%02lld+09",
                  static_cast<long long>(10 + start_s / 3600),
                  static_cast<long long>(start_s / 60 % 60), static_cast<long long>(start_s % 60));
    EXPECT_TRUE(has(drive, expected)) << drive << " expected " << expected;
    const auto length_at = drive.find("length_m (Real) = ");
    ASSERT_NE(length_at, std::string::npos) << drive;
    EXPECT_NEAR(std::stod(drive.substr(length_at + 18)), 1200.0, 3.0) << drive; // A-B-C
}
