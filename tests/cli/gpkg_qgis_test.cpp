// GeoPackages that QGIS shows well (issue 23 item 4), read back with GDAL's ogrinfo as QGIS
// reads them: every layer of plan.gpkg and council.gpkg has a default style in layer_styles
// (statuses coloured, routes by kind, facilities sized by load, hazard areas by depth),
// Japanese field aliases (gpkg_data_columns) and a description (gpkg_contents); a margin
// that does not exist is NULL, not 0; times are minutes after t0 and, with t0_clock,
// datetimes; the hazard areas are a layer of plan.gpkg; council.gpkg's notes are a table; the
// simulation's movements are a layer of simulation.gpkg beside the trace.
//
// The scenario is the bundled kudamatsu-drill with a t0_clock (its drill section dropped to
// keep the run short).
#include "planner/csv.hpp"
#include "tests/support/ogrinfo.hpp"
#include "tests/support/paths.hpp"
#include "tests/support/run_cli.hpp"
#include "tests/support/scenario_copy.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace fs = std::filesystem;
using namespace sonae;
using sonae::test::ogrinfo;

namespace {

bool has(const std::string& text, const std::string& needle) {
    return text.find(needle) != std::string::npos;
}

} // namespace

TEST(GeoPackageForQgis, StylesAliasesDescriptionsNullsAndTimes) {
    test::TempDir dir;
    const auto scenario =
        test::copy_scenario("kudamatsu-drill", dir.path() / "scenario", "2026-03-14T10:00+09:00");
    const fs::path out = dir / "out";
    const auto run = test::run_sonae("run " + test::quoted(scenario) + " -o " + test::quoted(out) +
                                         " --runs 3 --no-pictures",
                                     dir.path(), 600);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const auto plan = test::quoted(out / "plan" / "plan.gpkg");
    const auto council = test::quoted(out / "council" / "council.gpkg");

    // The layers, the hazard areas among them; layer_styles and notes are tables.
    const auto layers = ogrinfo(plan, dir.path());
    for (const char* layer :
         {"facilities (Point)", "routes (Line String)", "assignments (Line String)",
          "homes (Point)", "hazard_areas (", "layer_styles (None)"}) {
        EXPECT_TRUE(has(layers, layer)) << layer << " in\n" << layers;
    }
    EXPECT_TRUE(has(ogrinfo(council, dir.path()), "notes (None)"));

    // One default style per layer, as QGIS loads it on opening the layer.
    const auto styles = ogrinfo(
        plan + " -sql \"SELECT f_table_name, f_geometry_column, useAsDefault, styleQML FROM "
               "layer_styles ORDER BY f_table_name\"",
        dir.path());
    for (const char* table : {"assignments", "facilities", "hazard_areas", "homes", "routes"}) {
        EXPECT_TRUE(has(styles, std::string("f_table_name (String) = ") + table)) << table << "\n"
                                                                                  << styles;
    }
    EXPECT_TRUE(has(styles, "f_geometry_column (String) = geom"));
    EXPECT_FALSE(has(styles, "useAsDefault (Integer64) = 0"));
    // Statuses coloured (the homes and the assignments), routes by kind (the alternate
    // dashed), facilities graduated by how many they receive, hazard areas by depth band.
    EXPECT_TRUE(has(styles, "attr=\"status\""));
    EXPECT_TRUE(has(styles, "value=\"間に合う\""));
    EXPECT_TRUE(has(styles, "value=\"対応できない\""));
    EXPECT_TRUE(has(styles, "value=\"別ルート\""));
    EXPECT_TRUE(has(styles, "k=\"line_style\" v=\"dash\""));
    EXPECT_TRUE(has(styles, "graduatedSymbol\" attr=\"assigned\""));
    EXPECT_TRUE(has(styles, "value=\"浸水深 0.5〜3m\""));
    EXPECT_TRUE(has(styles, "value=\"土砂災害特別警戒区域（レッド）\""));
    // The routes play in QGIS's Temporal Controller: departure to arrival.
    EXPECT_TRUE(has(styles, "startField=\"depart_at\" endField=\"arrive_at\""));

    // Japanese aliases and layer descriptions.
    const auto aliases =
        ogrinfo(plan + " -sql \"SELECT table_name, column_name, title FROM gpkg_data_columns\"",
                dir.path());
    EXPECT_TRUE(has(aliases, "title (String) = 判定")) << aliases;
    EXPECT_TRUE(has(aliases, "title (String) = 余裕（分）"));
    const auto contents =
        ogrinfo(plan + " -sql \"SELECT table_name, description FROM gpkg_contents\"", dir.path());
    EXPECT_TRUE(has(contents, "description (String) = 子どもごとの避難ルート")) << contents;
    const auto council_aliases = ogrinfo(
        council + " -sql \"SELECT title FROM gpkg_data_columns WHERE column_name = 'assigned_n'\"",
        dir.path());
    EXPECT_TRUE(has(council_aliases, "title (String) = 受入れ児（数値）")) << council_aliases;

    // No margin where a child does not arrive: NULL (QGIS leaves it empty), never 0.
    const auto cannot =
        ogrinfo(plan + " -sql \"SELECT child_id, margin_min, arrive_min FROM homes WHERE status = "
                       "'対応できない'\"",
                dir.path());
    EXPECT_TRUE(has(cannot, "margin_min (Real) = (null)")) << cannot;
    EXPECT_FALSE(has(cannot, "margin_min (Real) = 0\n"));
    // Times: minutes after t0 and the datetime at t0 = 2026-03-14 10:00 +09:00 plus those minutes.
    const auto times = ogrinfo(
        plan + " -sql \"SELECT depart_min, depart_at FROM routes WHERE kind = '主ルート' AND "
               "depart_min IS NOT NULL LIMIT 1\"",
        dir.path());
    EXPECT_TRUE(has(times, "depart_at (DateTime) = 2026/03/14 1")) << times;
    const auto min_at = times.find("depart_min (Real) = ");
    ASSERT_NE(min_at, std::string::npos) << times;
    const double minutes = std::stod(times.substr(min_at + 20));
    const int at = 10 * 60 + static_cast<int>(minutes);
    char expected[64];
    std::snprintf(expected, sizeof expected, "depart_at (DateTime) = 2026/03/14 %02d:%02d:00+09",
                  at / 60, at % 60);
    EXPECT_TRUE(has(times, expected)) << times << " expected " << expected;

    // The simulation's movements beside the trace (simulation/simulation.gpkg): one line per
    // agent and leg of the traced run, with its default style playing start_at..end_at in the
    // Temporal Controller, Japanese aliases, mode 0600 (children's homes and movements).
    const auto sim_path = out / "simulation" / "simulation.gpkg";
    EXPECT_EQ(fs::status(sim_path).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    const auto sim = test::quoted(sim_path);
    EXPECT_TRUE(has(ogrinfo(sim, dir.path()), "movements (Line String)"));
    const auto sim_styles =
        ogrinfo(sim + " -sql \"SELECT f_table_name, styleQML FROM layer_styles\"", dir.path());
    EXPECT_TRUE(has(sim_styles, "f_table_name (String) = movements")) << sim_styles;
    EXPECT_TRUE(has(sim_styles, "startField=\"start_at\" endField=\"end_at\""));
    const auto sim_aliases = ogrinfo(
        sim + " -sql \"SELECT title FROM gpkg_data_columns WHERE column_name = 'end_status'\"",
        dir.path());
    EXPECT_TRUE(has(sim_aliases, "title (String) = 区間の終わり")) << sim_aliases;
    // Every child of the scenario (8) has legs; each agent's legs are numbered 1..n, none ends
    // before it starts, and each starts when the one before it ended.
    const auto children = ogrinfo(
        sim + " -sql \"SELECT count(DISTINCT agent_id) AS n FROM movements WHERE agent_kind = "
              "'児童'\"",
        dir.path());
    EXPECT_TRUE(has(children, "n (Integer) = 8")) << children;
    const auto checks =
        ogrinfo(sim + " -sql \"SELECT (SELECT count(*) FROM movements) AS legs, "
                      "(SELECT count(*) FROM movements WHERE end_min < start_min OR end_at < "
                      "start_at) AS backwards, "
                      "(SELECT count(*) FROM movements a JOIN movements b ON b.agent_id = "
                      "a.agent_id AND b.agent_kind = "
                      "a.agent_kind AND b.leg_no = a.leg_no + 1 WHERE b.start_min <> a.end_min OR "
                      "b.start_at <> a.end_at) AS gaps, "
                      "(SELECT count(*) FROM (SELECT agent_id FROM movements GROUP BY agent_id, "
                      "agent_kind HAVING "
                      "min(leg_no) <> 1 OR max(leg_no) <> count(*))) AS misnumbered, "
                      "(SELECT count(*) FROM movements WHERE start_at IS NULL) AS no_datetime\"",
                dir.path());
    EXPECT_FALSE(has(checks, "legs (Integer) = 0\n")) << checks;
    for (const char* zero : {"backwards", "gaps", "misnumbered", "no_datetime"}) {
        EXPECT_TRUE(has(checks, std::string(zero) + " (Integer) = 0\n")) << zero << "\n" << checks;
    }

    // One vocabulary for the facilities in both GeoPackages: the same kinds, and no shortage
    // is NULL in both (council.gpkg wrote '' where plan.gpkg has NULL); the CSVs say なし.
    const std::string by_facility =
        " -sql \"SELECT facility_id, kind, shortages IS NULL AS no_shortage FROM facilities "
        "ORDER BY facility_id\"";
    const auto plan_kinds = ogrinfo(plan + by_facility, dir.path());
    const auto council_kinds = ogrinfo(council + by_facility, dir.path());
    const auto rows_of = [](const std::string& text) {
        return text.substr(std::min(text.find("OGRFeature"), text.size()));
    };
    EXPECT_TRUE(has(plan_kinds, "no_shortage (Integer) = 1")) << plan_kinds;
    EXPECT_EQ(rows_of(plan_kinds), rows_of(council_kinds));
    const auto council_csv = planner::read_csv_file(out / "council" / "council_facilities.csv");
    ASSERT_GE(council_csv.records.size(), 2u);
    const auto& header = council_csv.records.front().fields;
    const auto column = std::find(header.begin(), header.end(), "不足") - header.begin();
    std::size_t none = 0;
    for (std::size_t r = 1; r < council_csv.records.size(); ++r) {
        const auto& cell = council_csv.records[r].fields.at(static_cast<std::size_t>(column));
        EXPECT_FALSE(cell.empty()) << "row " << r;
        none += cell == "なし";
    }
    EXPECT_GT(none, 0u);

    // Council notes: a table in Japanese, no geometry column.
    const auto notes = ogrinfo(council + " notes", dir.path());
    EXPECT_TRUE(has(notes, "topic (String) = 秘匿")) << notes;
    EXPECT_FALSE(has(notes, "Geometry Column")) << notes;
}
