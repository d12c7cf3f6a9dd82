#include "report/council_report.hpp"
#include "report/detail/simulation_bands.hpp"
#include "tests/support/paths.hpp"
#include "tests/unit/report/pdf_tools.hpp"
#include "tests/unit/report/synthetic_plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

using namespace sonae;
using namespace sonae::report;

namespace {

using test::read_all;

CouncilOptions fixed_options() {
    CouncilOptions o;
    o.issued_on = "2026-04-01";
    return o;
}

// Nothing that identifies a child: ids, home coordinates (as printed with 3+ decimals).
void expect_no_personal_data(const std::string& text, const planner::Plan& plan,
                             const std::string& what) {
    for (const auto& c : plan.children) {
        EXPECT_EQ(text.find(c.child_id), std::string::npos) << what << " holds " << c.child_id;
        char lon[32], lat[32];
        std::snprintf(lon, sizeof lon, "%.3f", c.home.lon);
        std::snprintf(lat, sizeof lat, "%.3f", c.home.lat);
        EXPECT_EQ(text.find(lon), std::string::npos) << what << " holds a home longitude " << lon;
        EXPECT_EQ(text.find(lat), std::string::npos) << what << " holds a home latitude " << lat;
    }
}

} // namespace

TEST(CouncilReport, PdfHtmlCsvAreAggregateAndSuppressed) {
    test::TempDir dir;
    auto plan = test::synthetic_plan();
    // Certified carers are a skill of their own (issue 18 item 6): a column beside the nurses
    // in council_facilities.csv (ube-flood's WS-01 needs 0 nurses and 3 carers), hidden with
    // the facility's count like the nurses (each synthetic facility receives 1 or 2 children:
    // all hidden).
    for (auto& f : plan.facilities) {
        f.nurses_needed = 0;
        f.carers_needed = 3;
    }
    const auto out = write_council_report(plan, dir.path(), fixed_options());
    for (const auto& p : {out.pdf, out.html, out.csv[0], out.csv[1]}) {
        EXPECT_EQ(test::file_mode(p), 0644u) << p;
        test::keep_for_inspection(p);
    }
    const auto raw = test::pdf_text(out.pdf);
    const auto text = test::squeeze(raw);
    expect_no_personal_data(raw, plan, "council PDF");
    expect_no_personal_data(read_all(out.html), plan, "council HTML");
    expect_no_personal_data(read_all(out.csv[0]), plan, "council CSV");
    expect_no_personal_data(read_all(out.csv[1]), plan, "facility CSV");

    // Sections and Japanese text come through as text, not boxes.
    for (const char* s : {"協議の場への報告", "市町別・支援センター地域別の状況", "宇部市",
                          "周南市", "その他の市町（西部）", "その他の市町（東部）", "東部地域",
                          "西部地域", "県全体", "避難先の電源の余裕と不足",
                          "宇部市福祉会館（合成）", "未シミュレーション", "集計と秘匿のルール"}) {
        EXPECT_NE(text.find(s), std::string::npos) << s;
    }
    // Hagi has 2 children and Waki 1: no row of their own (merged into their regions' rows).
    EXPECT_EQ(text.find("萩市（西部）"), std::string::npos);
    EXPECT_EQ(text.find("和木町"), std::string::npos);
    EXPECT_EQ(text.find("<3"), std::string::npos)
        << "small counts and their complements print the same mark";
    // The prefecture total (13) stays shown. Ube's 6 cannot be: the West total (8) minus
    // Ube would give Hagi's 2, so Ube's total is hidden as "x" (complementary).
    EXPECT_NE(text.find("県全体13"), std::string::npos);
    EXPECT_NE(text.find("宇部市（西部）x"), std::string::npos);
    // Japanese glyphs embedded.
    const auto fonts = test::pdf_fonts(out.pdf);
    EXPECT_NE(fonts.find("NotoSansCJK"), std::string::npos) << fonts;
    // Pages render.
    test::run_command("pdftoppm -r 30 -png " + test::quote(out.pdf) + " " +
                      test::quote(dir / "page"));
    EXPECT_TRUE(std::filesystem::exists(dir / "page-1.png"));

    // CSV: UTF-8 BOM, CRLF, Japanese header, suppressed cells.
    const auto csv = read_all(out.csv[0]);
    ASSERT_GE(csv.size(), 3u);
    EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
    EXPECT_NE(csv.find("\r\n"), std::string::npos);
    EXPECT_NE(csv.find("市町コード"), std::string::npos);
    EXPECT_EQ(csv.find("<3"), std::string::npos);
    EXPECT_NE(csv.find(",x,"), std::string::npos);

    std::istringstream in(read_all(out.csv[1]).substr(3)); // after the BOM
    std::vector<std::vector<std::string>> rows;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::vector<std::string> cells;
        std::stringstream ls(line);
        for (std::string cell; std::getline(ls, cell, ',');) cells.push_back(cell);
        rows.push_back(cells);
    }
    ASSERT_GE(rows.size(), 2u);
    const auto& header = rows[0];
    const auto at = [&](std::string_view name) {
        return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) -
                                        header.begin());
    };
    ASSERT_LT(at("必要介護職"), header.size());
    EXPECT_EQ(at("必要介護職"), at("必要看護師") + 1);
    for (std::size_t r = 1; r < rows.size(); ++r) {
        ASSERT_EQ(rows[r].size(), header.size()) << rows[r].at(0);
        EXPECT_EQ(rows[r].at(at("受入れ児")), "x") << rows[r].at(0);
        EXPECT_EQ(rows[r].at(at("必要介護職")), "x") << rows[r].at(0);
    }
}

TEST(CouncilReport, NoRowLetsASuppressedCountBeRecomputed) {
    test::TempDir dir;
    const auto plan = test::synthetic_plan();
    const auto out = write_council_report(plan, dir.path(), fixed_options());
    const auto csv = read_all(out.csv[0]);
    // Each line: kind, code, name, region, total, on time, at risk, cannot ...
    std::istringstream lines(csv.substr(3));
    std::string line;
    std::getline(lines, line); // header
    int rows = 0;
    while (std::getline(lines, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::vector<std::string> f;
        std::stringstream ss(line);
        std::string cell;
        while (std::getline(ss, cell, ',')) f.push_back(cell);
        ASSERT_GE(f.size(), 8u) << line;
        ++rows;
        // total = on + risk + cannot: never exactly one hidden value among the four.
        int hidden = 0;
        for (int i = 4; i < 8; ++i) hidden += f[i] == "x";
        EXPECT_NE(hidden, 1) << line;
        for (int i = 4; i < static_cast<int>(f.size()); ++i) {
            if (f[i] == "x") continue;
            const int v = std::stoi(f[i]);
            EXPECT_TRUE(v == 0 || v >= 3) << "small count printed in " << line;
        }
    }
    // Ube (6) and Shunan (4), the merged rows of Hagi (2) and Waki (1), 2 regions, prefecture.
    EXPECT_EQ(rows, 2 + 2 + 2 + 1);
}

TEST(CouncilReport, SimulationSummaryReplacesNotSimulated) {
    test::TempDir dir;
    const auto plan = test::synthetic_plan();
    sim::SimulationSummary simulated;
    simulated.label = "モンテカルロ 200回（合成）";
    simulated.runs = 200;
    for (std::size_t i = 0; i < plan.children.size(); ++i) {
        sim::ChildSimulation c;
        c.child_id = plan.children[i].child_id;
        c.arrival_s = {3000.0 + 300.0 * static_cast<double>(i), 5000, 9000};
        c.battery_margin_h = {i < 4 ? -0.5 : 3.0, 5, 8};
        c.p_miss_deadline = i < 5 ? 0.0 : 0.3;
        simulated.children.push_back(c);
    }
    for (int r = 0; r < 200; ++r) simulated.completion_s.push_back(7000.0 + 10.0 * r);
    auto options = fixed_options();
    options.simulation = &simulated;
    const auto out = write_council_report(plan, dir.path(), options);
    test::keep_for_inspection(out.pdf);
    const auto text = test::squeeze(test::pdf_text(out.pdf));
    EXPECT_EQ(text.find("未シミュレーション"), std::string::npos);
    EXPECT_NE(text.find("期限に遅れる確率"), std::string::npos);
    EXPECT_NE(text.find("モンテカルロ200回"), std::string::npos);
    expect_no_personal_data(test::pdf_text(out.pdf), plan, "simulated council PDF");
}

namespace {
/// The three chart bands of one child, by their labels (deadline, battery, arrival).
void expect_bands(const detail::SimulationBands& b, std::string_view miss, std::string_view battery,
                  std::string_view arrival) {
    EXPECT_EQ(detail::kMissBands[b.miss], miss);
    EXPECT_EQ(detail::kBatteryBands[b.battery], battery);
    EXPECT_EQ(detail::kArrivalBands[b.arrival], arrival);
}
} // namespace

// Children the plan keeps at home (在宅避難) and children it cannot serve have no arrival;
// those kept at home have no deadline to miss. The simulator records a child that does not
// leave as missing the deadline in every run (p 1.0), arriving at 0 with its home's endurance
// (336 h) as battery: before, such a child was drawn as "20%以上" in the deadline chart,
// "60分未満" in the arrival chart and "6時間以上" in the battery chart (ube-flood: 19 children
// kept at home). Now each chart has a last bar for them.
TEST(CouncilReport, ChildrenKeptAtHomeOrNotServedHaveBandsOfTheirOwn) {
    using planner::Outcome;
    sim::ChildSimulation home;
    home.p_miss_deadline = 1.0;
    home.arrival_s = {0, 0, 0};
    home.battery_margin_h = {336, 336, 336};
    expect_bands(detail::simulation_bands(Outcome::shelter_in_place, home), "在宅避難（期限なし）",
                 "避難しない・できない", "避難しない・できない");
    // Not served: misses the deadline in every run, never arrives.
    sim::ChildSimulation stuck = home;
    stuck.battery_margin_h = {-62.8, -62.8, -62.8};
    expect_bands(detail::simulation_bands(Outcome::cannot_serve, stuck), "20%以上",
                 "避難しない・できない", "避難しない・できない");
    // Evacuating: p 0.03 -> 1〜5%; battery p5 1.5 h -> 0〜2時間; arrival p95 7,200 s = 120 min,
    // the lower edge of 120〜240分.
    sim::ChildSimulation go;
    go.p_miss_deadline = 0.03;
    go.arrival_s = {3000, 5000, 7200};
    go.battery_margin_h = {1.5, 4, 6};
    expect_bands(detail::simulation_bands(Outcome::evacuate, go), "1〜5%", "0〜2時間",
                 "120〜240分");

    // The report draws the bars with their labels.
    test::TempDir dir;
    auto plan = test::synthetic_plan();
    sim::SimulationSummary simulated;
    simulated.label = "モンテカルロ 200回（合成）";
    simulated.runs = 200;
    for (auto& c : plan.children) {
        if (c.child_id.rfind("SYN-SHU-", 0) == 0) c.outcome = Outcome::shelter_in_place;
        sim::ChildSimulation s = c.outcome == Outcome::evacuate ? go : home;
        s.child_id = c.child_id;
        simulated.children.push_back(s);
    }
    for (int r = 0; r < 200; ++r) simulated.completion_s.push_back(7000.0 + 10.0 * r);
    auto options = fixed_options();
    options.simulation = &simulated;
    const auto out = write_council_report(plan, dir.path(), options);
    const auto text = test::squeeze(test::pdf_text(out.pdf));
    for (const char* label : {"在宅避難（期限なし）", "避難しない・できない"})
        EXPECT_NE(text.find(label), std::string::npos) << label;
}

TEST(CouncilReport, CompareMentionsTheDifferences) {
    test::TempDir dir;
    const auto a = test::synthetic_plan("scenario-a");
    auto b = test::synthetic_plan("scenario-b-more-vans");
    // B registers three more children in Ube: one at risk, two who cannot be served.
    for (const char* id : {"SYN-UBE-07", "SYN-UBE-08", "SYN-UBE-09"}) {
        auto c = *std::find_if(b.children.begin(), b.children.end(),
                               [](const auto& x) { return x.child_id == "SYN-UBE-06"; });
        c.child_id = id;
        c.home.lon += 0.01;
        if (std::string(id) == "SYN-UBE-07") {
            c = *std::find_if(b.children.begin(), b.children.end(),
                              [](const auto& x) { return x.child_id == "SYN-UBE-05"; });
            c.child_id = id;
        }
        b.children.push_back(c);
    }
    std::sort(b.children.begin(), b.children.end(),
              [](const auto& x, const auto& y) { return x.child_id < y.child_id; });
    const auto out = write_council_report(a, dir.path(), fixed_options(), &b);
    test::keep_for_inspection(out.pdf);
    const auto text = test::squeeze(test::pdf_text(out.pdf));
    EXPECT_NE(text.find("シナリオ比較"), std::string::npos);
    EXPECT_NE(text.find("scenario-b-more-vans"), std::string::npos);
    // Prefecture: 13 -> 16 children (+3) is shown; at risk 2 -> 3 is not, since A's count
    // is hidden ("x") and the difference would reveal it.
    EXPECT_NE(text.find("対象児:A13→B16（+3）"), std::string::npos) << text.substr(0, 3000);
    EXPECT_NE(text.find("要注意:Ax→B3（差は秘匿）"), std::string::npos) << text.substr(0, 3000);
    // Facilities compared by name.
    EXPECT_NE(text.find("避難先の受入れと電源の比較"), std::string::npos);
    expect_no_personal_data(test::pdf_text(out.pdf), b, "comparison PDF");
    const auto html = read_all(out.html);
    EXPECT_NE(html.find("シナリオ比較"), std::string::npos);
}

// council.gpkg, read back with GDAL's ogrinfo: the layers QGIS will show, the same suppressed
// cells as the CSV, and nothing personal anywhere in the file's bytes.
TEST(CouncilReport, GeoPackageHasTheSuppressedAggregatesAndNothingPersonal) {
    test::TempDir dir;
    const auto plan = test::synthetic_plan();
    const auto out = write_council_report(plan, dir.path(), fixed_options());
    ASSERT_EQ(out.gpkg, dir / "council.gpkg");
    EXPECT_EQ(test::file_mode(out.gpkg), 0644u);
    test::keep_for_inspection(out.gpkg);

    const auto layers = test::run_command("ogrinfo -ro -q " + test::quote(out.gpkg));
    for (const char* layer : {"facilities (Point)", "municipal_aggregates (Point)", "notes"}) {
        EXPECT_NE(layers.find(layer), std::string::npos) << layer << " in\n" << layers;
    }
    const auto all = test::run_command("ogrinfo -ro -al -q " + test::quote(out.gpkg));
    // Counts: never 1 or 2, neither as text nor as a number.
    std::size_t counts = 0, suppressed = 0;
    std::istringstream lines(all);
    for (std::string line; std::getline(lines, line);) {
        for (const char* field :
             {"assigned", "children", "on_time", "at_risk", "cannot_serve", "care_", "device_"}) {
            const auto at = line.find(std::string("  ") + field);
            if (at == std::string::npos) continue;
            const auto eq = line.find(" = ");
            if (eq == std::string::npos) continue;
            const auto value = line.substr(eq + 3);
            ++counts;
            suppressed += value == "x" || value == "(null)";
            EXPECT_NE(value, "1") << line;
            EXPECT_NE(value, "2") << line;
        }
    }
    EXPECT_GT(counts, 50u);
    EXPECT_GT(suppressed, 0u);
    // The same texts as the CSV: Hagi (2 children) and Waki (1) only inside the merged rows.
    EXPECT_EQ(all.find("name (String) = 萩市\n"), std::string::npos);
    EXPECT_NE(all.find("level (String) = その他の市町"), std::string::npos);
    EXPECT_NE(all.find("children (String) = x"), std::string::npos);
    EXPECT_NE(all.find("name (String) = 宇部市福祉会館（合成）"), std::string::npos);
    EXPECT_NE(all.find("name (String) = 県全体"), std::string::npos);
    EXPECT_NE(all.find("children (String) = 13"), std::string::npos);
    EXPECT_NE(all.find("topic (String) = ルート"), std::string::npos);

    // No child id, and no home coordinate as text or as a stored double, anywhere in the file.
    const auto bytes = read_all(out.gpkg);
    expect_no_personal_data(bytes, plan, "council.gpkg");
    // Geometries are facility locations and the fixed municipal points (N03, regions.hpp),
    // which can share leading digits with a synthetic home by chance: checked apart.
    std::string attributes;
    std::istringstream again(all);
    for (std::string line; std::getline(again, line);) {
        if (line.find("POINT (") == std::string::npos) attributes += line + "\n";
    }
    expect_no_personal_data(attributes, plan, "council.gpkg as read by ogrinfo");
    EXPECT_NE(all.find("POINT (131.2566 34.0413)"), std::string::npos) << "Ube at its N03 point";
    for (const auto& c : plan.children) {
        for (double v : {c.home.lon, c.home.lat}) {
            const std::string raw(reinterpret_cast<const char*>(&v), sizeof v);
            EXPECT_EQ(bytes.find(raw), std::string::npos) << c.child_id << " home coordinate " << v;
        }
    }
}

// Issue 17's timing quantities in the council report: each deadline's own slack, the outcomes
// and when to set off, as cells of the audited release. The synthetic plan (threshold 30 min:
// margin bins late, 0-30, 30-60, 60-120, 120 min and more) is changed so that:
// - SYN-SHU-02, -03, -04 stay home (在宅避難): 13 = 8 evacuate + 3 stay + 2 cannot be served;
// - of the 8 who evacuate, 3 must leave at level 3 (SYN-UBE-03, -05, SYN-HAGI-02: margins
//   under 60 min) and 5 could wait for level 4;
// - the Ube homes lie in the flood zone: leave_by = departure + margin + 10 min.
// Slacks of the 8 who arrive (minutes):
//   child      margin  power (arrive_by - on power = margin)  leave (margin + 10)
//   UBE-01       90      90                                     100
//   UBE-02       70      70                                      80
//   UBE-03       50      50                                      60
//   UBE-04      120     120                                     130
//   UBE-05       15      15                                      25
//   HAGI-01     100     100                                      -   (home outside the zones)
//   HAGI-02      10      10                                      -
//   SHU-01       60      60                                      -
// Power: 0-30: 2, 30-60: 1, 60-120: 4, 120+: 1 (the margin bins). Leave: 0-30: 1,
// 60-120: 3, 120+: 1, none: 3. With 13 children almost every count is 1 or 2: the audit must
// pass with them hidden. Three copies of each child (39) make every count 0 or at least 3:
// power 0, 6, 3, 12, 3, none 0; leave 0, 3, 0, 9, 3, none 9; 24 evacuate (9 at level 3, 15
// could wait), 9 stay, 6 cannot be served. Then one child who could wait is told to leave at
// once (1, hidden).
planner::Plan timing_plan(int copies) {
    const auto one = test::synthetic_plan();
    auto plan = one;
    plan.children.clear();
    for (int k = 0; k < copies; ++k) {
        for (auto c : one.children) {
            const std::string id = c.child_id;
            if (id == "SYN-SHU-02" || id == "SYN-SHU-03" || id == "SYN-SHU-04") {
                c.outcome = planner::Outcome::shelter_in_place;
                c.facility_id.clear();
                c.transport = planner::TransportKind::none;
                c.vehicle_id.clear();
                c.arrival_s = c.on_power_s = c.planned_departure_s = -1;
                c.arrive_by_s = -1;
                c.margin_s = 0;
                c.binding = planner::Binding::none;
                c.primary.reset();
            } else if (c.outcome == planner::Outcome::evacuate) {
                c.alert = c.margin_s < 60 * 60 ? "level3" : "level4";
                if (c.municipality_code == "352021")
                    c.leave_by_s = c.planned_departure_s + c.margin_s + 600;
            }
            c.child_id = id + "-" + std::to_string(k);
            plan.children.push_back(c);
        }
    }
    return plan;
}

TEST(CouncilReport, TimingQuantitiesAreAggregatedAndSuppressed) {
    // 13 children: the release with the new cells passes its audit (every "x" protected).
    const auto small = audit_council_report(timing_plan(1), fixed_options());
    EXPECT_GT(small.hidden, 0u);
    for (const auto& iv : small.intervals) EXPECT_TRUE(iv.protected_) << "cell " << iv.cell;

    auto plan = timing_plan(3);
    for (auto& c : plan.children) {
        if (c.child_id == "SYN-UBE-01-0") c.alert = "immediate"; // level 4: 15 -> 14, at once: 1
    }
    test::TempDir dir;
    const auto out = write_council_report(plan, dir.path(), fixed_options());
    const auto text = test::squeeze(test::pdf_text(out.pdf));
    const auto from = text.find("期限ごとの余裕（到着する子ども、人数）");
    ASSERT_NE(from, std::string::npos);
    const auto part = text.substr(from, text.find("集計と秘匿のルール", from) - from);
    // Rows: the label, then the leave and the power count.
    for (const char* row :
         {"遅れ（0分未満）00", "0〜30分36", "30分〜60分03", "60分〜120分912", "120分以上33",
          "期限なし90", "避難する24", "指定なし0", "電源が計画期間もつ）9", "対応できない6"}) {
        EXPECT_NE(part.find(row), std::string::npos) << row << " in\n" << part;
    }
    // The note under the table says what "指定なし" means in words, not by the manifest's key.
    EXPECT_NE(part.find("避難指示（レベル4）の発令時刻が入っていない"), std::string::npos) << part;
    EXPECT_EQ(text.find("level4_min"), std::string::npos);
    // One child to leave at once: hidden. 24 = level 3 + 14 + at once + 0 would give it away,
    // so the smallest count that protects it alone is hidden too: level 3's 9 (9 + 1 = 10,
    // each "x" anywhere in 0..10).
    EXPECT_NE(part.find("揺れがおさまったらすぐ出発（津波・地震）x"), std::string::npos) << part;
    EXPECT_NE(part.find("警戒レベル3（高齢者等避難）で出発x"), std::string::npos) << part;
    EXPECT_NE(part.find("警戒レベル4（避難指示）まで待てる14"), std::string::npos) << part;
    expect_no_personal_data(read_all(out.html), plan, "council HTML");
}
