// What a municipality holds reaches the plan and the family's guidebook (issue 22 items 1, 3):
// a standard shelter list's 備考 access notes, its qualified designation ○（２階） and the area
// basis of its capacity are in plan.json's facility record and on the destination page; a
// registry of addresses (no coordinates) gives each child its precision, and a home placed
// only at its 大字 point is flagged in the plan's warnings and in the guidebook.
//
// The scenario is written here (synthetic children, a made-up shelter at real town points of
// 下松市 from data/yamaguchi_town_points.tsv):
//
//     34.016  S  the shelter (the list's row, 緯度/経度 given)            . = flood zone,
//     34.015 .........................                                   onset 600 min
//     34.012 ...K-1 (旗岡三丁目 point, 131.877907 34.012033)...
//     33.995 ...K-2 (大字東豊井 point, 131.88306 33.995495)....
//     33.990 .........................
//            131.870                 131.890
#include "core/error.hpp"
#include "planner/device_catalogue.hpp"
#include "planner/geocoder.hpp"
#include "planner/plan_export.hpp"
#include "planner/plan_io.hpp"
#include "planner/planner.hpp"
#include "report/guidebook.hpp"
#include "tests/support/paths.hpp"
#include "tests/unit/report/pdf_tools.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

namespace sonae {
namespace {

void write(const std::filesystem::path& p, const std::string& text) {
    std::ofstream(p, std::ios::binary) << text;
}

std::filesystem::path write_scenario(const test::TempDir& dir, const std::string& extra = {}) {
    write(dir / "scenario.toml", extra + R"(
[scenario]
name = "municipal-inputs"
hazard = "flood"
seed = 7
horizon_h = 72

[registry]
path = "registry.csv"

[[facilities]]
path = "list.csv"
kind = "standard_list"

[[hazards]]
path = "flood.geojson"
kind = "flood"
onset_min = 600

[timeline]
mains_lost_min = 600
)");
    // The national standard header (推奨データセット 指定緊急避難場所一覧), one site.
    write(dir / "list.csv",
          "全国地方公共団体コード,ID,名称,所在地_連結表記,緯度,経度,災害種別_洪水,"
          "災害種別_崖崩れ、土石流及び地滑り,災害種別_高潮,災害種別_地震,災害種別_津波,災害種別_"
          "大規模な火事,"
          "災害種別_内水氾濫,災害種別_火山現象,指定避難所との重複,想定収容人数,備考\n"
          "352071,TEST-0001,旗岡テスト避難所,山口県下松市旗岡三丁目1-1,34.0160,131.8785,○（２階）,,"
          ",1,,,,,1,"
          "291(2㎡あたり1人）,車椅子対応トイレあり。オストメイト対応。福祉避難所を併設\n");
    write(dir / "registry.csv", "id,municipality_code,住所,mobility,household_vehicle,helpers\n"
                                "K-1,352071,山口県下松市旗岡３－２,wheelchair,car,2\n"
                                "K-2,352071,下松市大字東豊井千百三十四番地,wheelchair,car,2\n");
    write(
        dir / "flood.geojson",
        R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Polygon",)"
        R"("coordinates":[[[131.870,33.990],[131.890,33.990],[131.890,34.015],[131.870,34.015],[131.870,33.990]]]}}]})");
    return dir / "scenario.toml";
}

TEST(MunicipalInputs, StandardListNotesAndAddressPrecisionReachThePlanAndTheGuidebook) {
    const test::TempDir dir;
    const auto loaded = planner::load_scenario(write_scenario(dir));
    const planner::Plan made = planner::make_plan(loaded);
    // Through plan.json and back, as every reader sees it.
    const planner::Plan plan = planner::plan_from_json(planner::plan_to_json(made), "plan.json");
    ASSERT_EQ(plan.children.size(), 2u);
    const auto& k1 = plan.children[0];
    const auto& k2 = plan.children[1];
    EXPECT_EQ(k1.home_precision, "chome");
    EXPECT_EQ(k2.home_precision, "oaza");
    EXPECT_EQ(k1.home, (geo::LonLat{131.877907, 34.012033}));
    // The 大字-only home is a warning of the plan, naming its line and the check to make.
    EXPECT_TRUE(std::any_of(plan.warnings.begin(), plan.warnings.end(), [](const std::string& w) {
        return w.find(planner::kCheckHomeOnMap) != std::string::npos &&
               w.find("line 3") != std::string::npos;
    })) << "no 大字 warning for K-2";

    ASSERT_EQ(k1.facility_id, "TEST-0001") << "K-1 is not sent to the list's shelter";
    ASSERT_EQ(plan.facilities.size(), 1u);
    const auto& f = plan.facilities[0];
    EXPECT_EQ(f.capacity, 291);
    EXPECT_EQ(f.capacity_basis, "2㎡あたり1人");
    EXPECT_EQ(f.accessibility,
              (std::vector<std::string>{"オストメイト", "福祉避難所", "車椅子対応"}));
    EXPECT_EQ(f.designation_notes, (std::vector<std::string>{"洪水: ○（２階）"}));
    EXPECT_EQ(f.location_precision, ""); // 緯度/経度 published

    // facilities.csv carries them for the staff (issue 22 item 1, the report side).
    const auto rows = planner::plan_facility_rows(plan);
    ASSERT_EQ(rows.size(), 2u);
    const auto column = [&](const std::string& name) {
        const auto it = std::find(rows[0].begin(), rows[0].end(), name);
        EXPECT_NE(it, rows[0].end()) << name;
        return rows[1].at(static_cast<std::size_t>(it - rows[0].begin()));
    };
    EXPECT_EQ(column("定員"), "291");
    EXPECT_EQ(column("定員の基準"), "2㎡あたり1人");
    EXPECT_EQ(column("設備・配慮（避難場所一覧の備考から）"),
              "オストメイト、福祉避難所、車椅子対応");
    EXPECT_EQ(column("指定の条件"), "洪水: ○（２階）");
    EXPECT_EQ(column("位置の求め方"), "");

    // The destination page prints them; K-2's booklet asks to check the home on the map.
    report::GuidebookOptions options;
    options.issued_on = "2026-12-07";
    report::write_guidebook(plan, "K-1", dir / "k1.pdf", options);
    report::write_guidebook(plan, "K-2", dir / "k2.pdf", options);
    const std::string one = test::squeeze(test::pdf_text(dir / "k1.pdf"));
    const std::string two = test::squeeze(test::pdf_text(dir / "k2.pdf"));
    for (const char* text : {"避難先の設備・配慮", "車椅子対応", "オストメイト", "指定の条件",
                             "洪水:○（２階）", "291人（2㎡あたり1人）", "住所の町丁目の代表点"}) {
        EXPECT_NE(one.find(test::squeeze(text)), std::string::npos)
            << text << " not in K-1's guidebook";
    }
    EXPECT_EQ(one.find(test::squeeze(std::string(planner::kCheckHomeOnMap))), std::string::npos);
    EXPECT_NE(two.find(test::squeeze(std::string(planner::kCheckHomeOnMap))), std::string::npos);
}

// issue 24 item 5: the manifest's [devices] file is merged onto the built-in catalogue, so
// `[devices.vent] power_w = 70` alone is a valid override (it was refused with "name_en is
// missing": the file was loaded as a whole catalogue); a new device still needs name_en and
// power_w, and the error names the file and the table.
TEST(MunicipalInputs, PartialDeviceOverrideInTheManifest) {
    const test::TempDir dir;
    write(dir / "devices.toml", "[devices.vent]\npower_w = 70\n");
    const auto loaded =
        planner::load_scenario(write_scenario(dir, "[devices]\npath = \"devices.toml\"\n"));
    const auto* vent = loaded.catalogue.find("vent");
    const auto* builtin = planner::default_device_catalogue().find("vent");
    ASSERT_NE(vent, nullptr);
    ASSERT_NE(builtin, nullptr);
    EXPECT_DOUBLE_EQ(vent->power_w, 70.0);
    EXPECT_NE(builtin->power_w, 70.0);
    EXPECT_EQ(vent->name_en, builtin->name_en);
    EXPECT_EQ(vent->internal_battery_h, builtin->internal_battery_h); // the rest as built in
    EXPECT_EQ(loaded.catalogue.devices().size(),
              planner::default_device_catalogue().devices().size());

    write(dir / "devices.toml", "[devices.vent]\npower_w = 70\n[devices.new_pump]\npower_w = 12\n");
    try {
        (void)planner::load_scenario(dir / "scenario.toml");
        ADD_FAILURE() << "a new device without name_en was accepted";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("devices.toml"), std::string::npos) << e.what();
        EXPECT_EQ(e.where().layer, "devices.new_pump") << e.what();
    }
}

} // namespace
} // namespace sonae
