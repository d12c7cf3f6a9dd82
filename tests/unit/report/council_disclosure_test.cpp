// The council report's disclosure control (issue 19): the audit on generated registries, the
// maps that must not point at homes, and the same hidden values in every output.

#include "report/council_report.hpp"
#include "report/regions.hpp"
#include "tests/support/paths.hpp"
#include "tests/unit/report/pdf_tools.hpp"
#include "tests/unit/report/synthetic_plan.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <sstream>

using namespace sonae;
using namespace sonae::report;

namespace {

using test::read_all;

/// Metres between a point and a segment, in a local plane at the point's latitude.
double distance_m(geo::LonLat p, geo::LonLat a, geo::LonLat b) {
    const double kx = 111320.0 * std::cos(p.lat * M_PI / 180.0), ky = 110574.0;
    const double ax = (a.lon - p.lon) * kx, ay = (a.lat - p.lat) * ky;
    const double bx = (b.lon - p.lon) * kx, by = (b.lat - p.lat) * ky;
    const double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0.0;
    t = std::clamp(t, 0.0, 1.0);
    const double x = ax + t * dx, y = ay + t * dy;
    return std::sqrt(x * x + y * y);
}

/// A generated registry's plan: towns of the given sizes around their N03 points; each town
/// has one welfare shelter east of its point and one east-west road through it. A child's
/// route goes north or south to the road, along the road's vertices (every 0.005 degrees) to
/// the shelter: children of a town share the road's pieces, as on a real network.
planner::Plan generated_plan(const std::vector<std::pair<std::string, int>>& towns,
                             std::mt19937& rng, bool approximate,
                             const std::string& name = "generated") {
    using namespace planner;
    Plan plan;
    plan.scenario_name = name;
    plan.scenario_title = "生成した登録簿（テスト用）";
    plan.hazard_kind = "flood";
    plan.at_risk_threshold_s = 1800;
    plan.approximate = approximate;
    std::uniform_real_distribution<double> offset(-0.03, 0.03);
    std::uniform_int_distribution<int> status(0, 9), margin(-60, 300);
    int serial = 0;
    for (const auto& [code, n] : towns) {
        const auto centre = *representative_point(code);
        FacilityPlan f;
        f.facility_id = "F-" + code;
        f.name = municipality_name(code) + "福祉避難所（生成）";
        f.kind = "welfare_shelter";
        f.municipality_code = code;
        f.location = {centre.lon + 0.02, centre.lat};
        f.generator_kw = 3;
        f.fuel_l = 40;
        for (int i = 0; i < n; ++i) {
            ChildPlan c;
            char id[32];
            std::snprintf(id, sizeof id, "GEN-%04d", ++serial);
            c.child_id = id;
            c.municipality_code = code;
            c.home = {centre.lon + offset(rng), centre.lat + offset(rng)};
            c.care_items = status(rng) < 5 ? std::vector<std::string>{"ventilator", "suction"}
                                           : std::vector<std::string>{"oxygen"};
            c.power.devices = c.care_items.size() == 2 ? std::vector<std::string>{"vent", "suction"}
                                                       : std::vector<std::string>{"o2conc"};
            c.arrive_by_s = 4 * 3600;
            const int s = status(rng);
            if (s < 2) {
                c.status = Feasibility::cannot_serve;
            } else {
                c.facility_id = f.facility_id;
                const std::int64_t m = s < 4 ? margin(rng) % 30 + 1 : 30 + std::abs(margin(rng));
                c.margin_s = m * 60;
                c.arrival_s = c.arrive_by_s - c.margin_s;
                c.status = c.margin_s < plan.at_risk_threshold_s ? Feasibility::at_risk
                                                                 : Feasibility::on_time;
                PlannedRoute r;
                r.mode = planner::TravelMode::car;
                if (approximate) {
                    r.geometry = {c.home, f.location};
                } else {
                    r.geometry.push_back(c.home);
                    const double lon0 = std::round(c.home.lon / 0.005) * 0.005;
                    const double step = lon0 < f.location.lon ? 0.005 : -0.005;
                    for (double lon = lon0;
                         (step > 0 ? lon <= f.location.lon + 1e-9 : lon >= f.location.lon - 1e-9);
                         lon += step)
                        r.geometry.push_back({std::round(lon / 0.005) * 0.005, centre.lat});
                    r.geometry.push_back(f.location);
                }
                c.primary = r;
                ++f.assigned;
                f.peak_kw += 0.2;
            }
            plan.children.push_back(c);
        }
        if (f.assigned > 0) plan.facilities.push_back(f);
    }
    std::sort(plan.children.begin(), plan.children.end(),
              [](const auto& a, const auto& b) { return a.child_id < b.child_id; });
    std::sort(plan.facilities.begin(), plan.facilities.end(),
              [](const auto& a, const auto& b) { return a.facility_id < b.facility_id; });
    return plan;
}

/// 1-40 children in 1-8 municipalities, with towns of 0, 1, 2 and 3 children among them.
std::vector<std::pair<std::string, int>> random_towns(std::mt19937& rng) {
    std::vector<std::string> codes;
    for (const auto& m : municipalities()) codes.emplace_back(m.code);
    std::shuffle(codes.begin(), codes.end(), rng);
    const int count = std::uniform_int_distribution<int>(1, 8)(rng);
    std::uniform_int_distribution<int> small(0, 3), large(4, 12), pick(0, 2);
    std::vector<std::pair<std::string, int>> towns;
    int total = 0;
    for (int i = 0; i < count; ++i) {
        int n = pick(rng) == 0 ? large(rng) : small(rng);
        n = std::min(n, 40 - total);
        total += n;
        towns.push_back({codes[static_cast<std::size_t>(i)], n});
    }
    if (total == 0) towns.front().second = 1;
    return towns;
}

void expect_protected(const CouncilAudit& audit, const std::string& what) {
    for (const auto& iv : audit.intervals) {
        EXPECT_LT(iv.min, iv.max) << what << ": a hidden cell is recoverable exactly (cell "
                                  << iv.cell << ")";
        EXPECT_GE(iv.max - iv.min + 1, 3) << what << " cell " << iv.cell;
        EXPECT_GE(iv.max, 3) << what << " cell " << iv.cell;
        EXPECT_LE(iv.min, iv.value) << what;
        EXPECT_GE(iv.max, iv.value) << what;
    }
}

} // namespace

// Property: for random registries of 1-40 children in 1-8 municipalities (towns of 0, 1, 2, 3
// children and larger), the audit passes and no hidden cell is recoverable exactly, also in a
// comparison with a plan B of the same children; and no drawn route piece comes within the
// safe distance of any home.
TEST(CouncilDisclosure, GeneratedRegistriesPassTheAuditAndNoLineNearsAHome) {
    std::mt19937 rng(19);
    CouncilOptions options;
    std::size_t hidden = 0, lines = 0, compared = 0;
    for (int round = 0; round < 40; ++round) {
        const auto towns = random_towns(rng);
        const auto plan = generated_plan(towns, rng, false);
        SCOPED_TRACE("round " + std::to_string(round) + ", " +
                     std::to_string(plan.children.size()) + " children");
        const auto audit = audit_council_report(plan, options);
        expect_protected(audit, "plan A");
        hidden += audit.hidden;
        if (round % 4 == 0) {
            // Plan B: the same children (same homes, same ids), other outcomes.
            std::mt19937 other(static_cast<unsigned>(round));
            auto b = plan;
            for (auto& c : b.children) {
                if (c.status == planner::Feasibility::at_risk)
                    c.status = planner::Feasibility::on_time;
            }
            const auto both = audit_council_report(plan, options, &b);
            expect_protected(both, "comparison");
            ++compared;
        }
        for (const auto& [code, n] : towns) {
            for (const auto& piece : council_route_lines(plan, code, options)) {
                ++lines;
                for (const auto& c : plan.children) {
                    for (std::size_t i = 1; i < piece.size(); ++i) {
                        EXPECT_GE(distance_m(c.home, piece[i - 1], piece[i]), options.route_clip_m)
                            << c.child_id << " near a line of " << code;
                    }
                }
            }
        }
    }
    EXPECT_GT(hidden, 50u)
        << "the registries must produce hidden cells for the property to mean something";
    EXPECT_GT(lines, 20u) << "and drawn road pieces";
    EXPECT_EQ(compared, 10u);
}

// Straight-line mode: every route is one segment from the home; no piece of it is drawn.
TEST(CouncilDisclosure, StraightLineRoutesAreNeverDrawn) {
    std::mt19937 rng(7);
    const auto plan = generated_plan({{"352021", 12}, {"352047", 5}}, rng, true);
    for (const char* code : {"352021", "352047"})
        EXPECT_TRUE(council_route_lines(plan, code).empty()) << code;
    // The same homes on a road network: pieces shared by 3 or more children are drawn.
    std::mt19937 again(7);
    const auto roads = generated_plan({{"352021", 12}, {"352047", 5}}, again, false);
    EXPECT_FALSE(council_route_lines(roads, "352021").empty());
}

// A road piece that only one or two children use is not drawn, however far from homes.
TEST(CouncilDisclosure, RoadPiecesOfFewerThanThreeChildrenAreNotDrawn) {
    auto plan = test::synthetic_plan();
    // Shunan's 4 children each have their own L-shaped route (synthetic_route): no shared piece.
    EXPECT_TRUE(council_route_lines(plan, "352152").empty());
}

// The ube-flood example of the issue: 30 children, 29 arrive with 120 minutes or more and one
// cannot be served. The old report printed the chart 0, 0, 0, 0, 29 beside the total 30 and
// "<3" for the unserved: 30 - 29 = 1. Now the reader's interval for the unserved count holds
// at least 3 values, and the printed chart and table never give the subtraction.
TEST(CouncilDisclosure, UbeFloodMarginChartNoLongerRevealsTheUnservedChild) {
    planner::Plan plan = test::synthetic_plan("ube-flood-like");
    plan.children.clear();
    const auto ube = *representative_point("352021");
    for (int i = 0; i < 30; ++i) {
        planner::ChildPlan c;
        char id[32];
        std::snprintf(id, sizeof id, "UBE-%04d", i + 1);
        c.child_id = id;
        c.municipality_code = "352021";
        c.home = {ube.lon + 0.001 * i, ube.lat};
        c.care_items = {"oxygen"};
        c.power.devices = {"o2conc"};
        c.arrive_by_s = 6 * 3600;
        if (i == 0) {
            c.status = planner::Feasibility::cannot_serve; // no arrival
        } else {
            c.facility_id = "F-UBE";
            c.margin_s = (130 + i) * 60; // 120 minutes or more: the last bin
            c.arrival_s = c.arrive_by_s - c.margin_s;
            c.status = planner::Feasibility::on_time;
        }
        plan.children.push_back(c);
    }
    plan.facilities.erase(std::remove_if(plan.facilities.begin(), plan.facilities.end(),
                                         [](const auto& f) { return f.facility_id != "F-UBE"; }),
                          plan.facilities.end());
    const auto audit = audit_council_report(plan);
    expect_protected(audit, "ube-flood-like");
    EXPECT_GT(audit.hidden, 0u);

    test::TempDir dir;
    CouncilOptions options;
    options.issued_on = "2026-04-01";
    const auto out = write_council_report(plan, dir.path(), options);
    // The attacker's subtraction from the printed prefecture row: total - on time - at risk.
    const auto csv = read_all(out.csv[0]);
    std::smatch m;
    ASSERT_TRUE(
        std::regex_search(csv, m, std::regex("県計,,県全体,,([^,]+),([^,]+),([^,]+),([^,\\r]+)")))
        << csv;
    EXPECT_EQ(m[4].str(), "x") << "the unserved count";
    const bool subtractable = m[1] != "x" && m[2] != "x" && m[3] != "x";
    EXPECT_FALSE(subtractable) << csv;
    // The chart: at most the bins that hold no information about the unserved count are
    // printed; the 29 and the total never both.
    const auto text = test::squeeze(test::pdf_text(out.pdf));
    const auto chart = text.find("計画:到着時の期限までの余裕（人数）");
    ASSERT_NE(chart, std::string::npos);
    const auto chart_text = text.substr(chart, text.find("120分以上", chart) - chart);
    EXPECT_FALSE(m[1] == "30" && chart_text.find("29") != std::string::npos) << chart_text;

    // 29 children arrive (>= 20): p10 / p50 / p90 are printed, rounded to 10 minutes. Margins
    // are 131..159 minutes: p10 = 131 + 0.1 x 28 = 133.8 -> 130, p50 = 145 -> 140 or 150
    // (std::round of 14.5 is 15: 150), p90 = 131 + 0.9 x 28 = 156.2 -> 160.
    EXPECT_NE(text.find("p10約130分／p50約150分／p90約160分"), std::string::npos)
        << text.substr(0, 1500);
    // The 13 children of the synthetic plan (11 arrive): no quantiles.
    const auto small = write_council_report(test::synthetic_plan(), dir / "small", options);
    EXPECT_NE(test::squeeze(test::pdf_text(small.pdf)).find("人数が少ないため分位数は示しません"),
              std::string::npos);
}

// One hidden value, the same in every output: the CSV's prefecture and municipal rows are
// printed identically in the PDF text, the HTML and council.gpkg.
TEST(CouncilDisclosure, PdfHtmlCsvAndGeoPackageCarryTheSameSuppressedValues) {
    std::mt19937 rng(3);
    const auto plan = generated_plan(
        {{"352021", 9}, {"352047", 2}, {"352152", 5}, {"353213", 1}, {"352063", 3}}, rng, false);
    test::TempDir dir;
    CouncilOptions options;
    options.issued_on = "2026-04-01";
    const auto out = write_council_report(plan, dir.path(), options);
    const auto pdf = test::squeeze(test::pdf_text(out.pdf));
    const auto html = read_all(out.html);
    const auto gpkg = test::run_command("ogrinfo -ro -al -q " + test::quote(out.gpkg));
    std::istringstream lines(read_all(out.csv[0]).substr(3));
    std::string line;
    std::getline(lines, line);
    int rows = 0;
    while (std::getline(lines, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        std::vector<std::string> f;
        std::stringstream ss(line);
        for (std::string cell; std::getline(ss, cell, ',');) f.push_back(cell);
        ASSERT_GE(f.size(), 8u);
        ++rows;
        // PDF: the status row reads "<label><total><on><risk><cannot>" once squeezed.
        std::string label = f[2];
        if (f[0] == "市町") label += "（" + f[3] + "）";
        EXPECT_NE(pdf.find(label + f[4] + f[5] + f[6] + f[7]), std::string::npos) << line;
        // HTML: the same cells in one table row.
        std::string row_html = ">" + label + "</td><td class=\"r\">" + f[4] +
                               "</td><td class=\"r\">" + f[5] + "</td><td class=\"r\">" + f[6] +
                               "</td><td class=\"r\">" + f[7] + "</td>";
        EXPECT_NE(html.find(row_html), std::string::npos) << line;
        // GeoPackage: the row's children and cannot_serve texts.
        const auto at = gpkg.find("name (String) = " + f[2] + "\n");
        ASSERT_NE(at, std::string::npos) << f[2];
        const auto block = gpkg.substr(at, gpkg.find("OGRFeature", at) - at);
        EXPECT_NE(block.find("children (String) = " + f[4] + "\n"), std::string::npos) << block;
        EXPECT_NE(block.find("cannot_serve (String) = " + f[7] + "\n"), std::string::npos) << block;
        if (f[4] == "x") {
            EXPECT_NE(block.find("children_n (Integer64) = (null)"), std::string::npos) << block;
        }
    }
    EXPECT_GE(rows, 5);
}

// Headings carry the scenario's at-risk threshold, not a fixed 30 minutes.
TEST(CouncilDisclosure, AtRiskThresholdInHeadingsIsTheScenarios) {
    auto plan = test::synthetic_plan();
    plan.at_risk_threshold_s = 45 * 60;
    for (auto& c : plan.children) {
        if (c.arrival_s < 0) continue;
        c.status = c.margin_s < 0
                       ? planner::Feasibility::cannot_serve
                       : (c.margin_s < plan.at_risk_threshold_s ? planner::Feasibility::at_risk
                                                                : planner::Feasibility::on_time);
    }
    test::TempDir dir;
    CouncilOptions options;
    options.issued_on = "2026-04-01";
    const auto out = write_council_report(plan, dir.path(), options);
    const auto text = test::squeeze(test::pdf_text(out.pdf));
    EXPECT_NE(text.find("要注意（余裕45分未満）"), std::string::npos);
    EXPECT_EQ(text.find("余裕30分未満"), std::string::npos);
    EXPECT_NE(text.find("0〜45分"), std::string::npos)
        << "the chart's at-risk bin ends at the threshold";
}

// A release that cannot be protected is not written: DisclosureError (an internal error: exit
// 3 in `sonae`), no file and not even the folder. Real plans always find a protection (at
// worst every count hidden: an "x" with no printed neighbour is unbounded), so the failure is
// forced with a rule no count can meet: an "x" must be able to reach 2,000,000, beyond the
// audit's bound for an unbounded cell (SuppressedTable::kUnbounded, 1,000,000).
TEST(CouncilDisclosure, AReleaseThatFailsTheAuditWritesNothing) {
    const auto plan = test::synthetic_plan();
    test::TempDir dir;
    CouncilOptions options;
    options.issued_on = "2026-04-01";
    options.rule.threshold = 2 * SuppressedTable::kUnbounded;
    const auto out = dir / "council";
    EXPECT_THROW(write_council_report(plan, out, options), DisclosureError);
    EXPECT_FALSE(std::filesystem::exists(out));
    static_assert(std::is_base_of_v<InternalError, DisclosureError>, "exit 3 in app/main.cpp");
    EXPECT_THROW(audit_council_report(plan, options), DisclosureError);
    // The same plan under the usual rule is written.
    options.rule = {};
    EXPECT_NO_THROW(write_council_report(plan, out, options));
    EXPECT_TRUE(std::filesystem::exists(out / "council_report.pdf"));
}
