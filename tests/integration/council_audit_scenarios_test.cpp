// The council report's disclosure audit (issue 19) on every bundled scenario and on an A/B
// comparison: each is planned, its release suppressed and audited with GLPK, and every hidden
// cell checked again here: never recoverable exactly, at least 3 values, 3 or more possible.
// The maps' route pieces keep the safe distance from every home; straight-line scenarios draw
// none.

#include "planner/plan_export.hpp"
#include "planner/planner.hpp"
#include "report/council_report.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <iostream>
#include <set>
#include <sys/stat.h>

namespace sonae::report {
namespace {

namespace fs = std::filesystem;

void expect_protected(const CouncilAudit& audit, const std::string& what) {
    for (const auto& iv : audit.intervals) {
        EXPECT_LT(iv.min, iv.max) << what << ": hidden cell " << iv.cell << " recoverable exactly";
        EXPECT_GE(iv.max - iv.min + 1, 3)
            << what << " cell " << iv.cell << " [" << iv.min << ", " << iv.max << "]";
        EXPECT_GE(iv.max, 3) << what << " cell " << iv.cell;
        EXPECT_TRUE(iv.min <= iv.value && iv.value <= iv.max) << what << " cell " << iv.cell;
    }
}

double distance_m(geo::LonLat p, geo::LonLat a, geo::LonLat b) {
    const double kx = 111320.0 * std::cos(p.lat * M_PI / 180.0), ky = 110574.0;
    const double ax = (a.lon - p.lon) * kx, ay = (a.lat - p.lat) * ky;
    const double bx = (b.lon - p.lon) * kx, by = (b.lat - p.lat) * ky;
    const double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
    const double t = len2 > 0 ? std::clamp(-(ax * dx + ay * dy) / len2, 0.0, 1.0) : 0.0;
    return std::hypot(ax + t * dx, ay + t * dy);
}

class CouncilAuditScenario : public ::testing::TestWithParam<std::string> {};

TEST_P(CouncilAuditScenario, ReleasePassesTheAuditAndMapsKeepAwayFromHomes) {
    const auto sc = planner::load_scenario(test::source_path("scenarios/" + GetParam()));
    const auto plan = planner::make_plan(sc);
    CouncilOptions options;
    const auto start = std::chrono::steady_clock::now();
    const auto audit = audit_council_report(plan, options);
    const auto seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    expect_protected(audit, GetParam());
    EXPECT_GT(audit.relations, 10u);
    EXPECT_LT(seconds, 10.0) << "the audit must stay fast enough for the test suite";
    RecordProperty("audit_seconds", std::to_string(seconds));
    std::cout << GetParam() << ": " << audit.cells << " cells, " << audit.relations
              << " relations, " << audit.hidden << " hidden, audited in " << seconds << " s\n";
    std::set<std::string> codes;
    for (const auto& c : plan.children) codes.insert(c.municipality_code);
    std::size_t pieces = 0;
    for (const auto& code : codes) {
        for (const auto& line : council_route_lines(plan, code, options)) {
            ++pieces;
            for (const auto& c : plan.children)
                for (std::size_t i = 1; i < line.size(); ++i)
                    EXPECT_GE(distance_m(c.home, line[i - 1], line[i]), options.route_clip_m)
                        << GetParam() << " " << code;
        }
    }
    if (plan.approximate) {
        EXPECT_EQ(pieces, 0u) << "straight-line routes point at homes: never drawn";
    }

    // A comparison: the same registry with one vehicle fewer (scenario B). A and B are
    // audited as one release.
    if (!sc.vehicles.empty()) {
        auto fewer = sc;
        fewer.vehicles.pop_back();
        auto b = planner::make_plan(fewer);
        b.scenario_name += "-one-vehicle-fewer";
        const auto both = audit_council_report(plan, options, &b);
        expect_protected(both, GetParam() + " A/B");
        EXPECT_GT(both.cells, audit.cells);
    }
}

// The staff files of `sonae plan` are personal: facilities.csv holds exact per-facility counts
// including unserved children (issue 19 item 6), so it is 0600 like plan.json and plan.csv.
TEST(PlanOutputs, FacilitiesCsvIsPersonal) {
    const auto plan =
        planner::make_plan(planner::load_scenario(test::source_path("scenarios/kudamatsu-drill")));
    test::TempDir dir;
    const auto written = planner::write_plan_outputs(plan, dir.path());
    ASSERT_EQ(written.size(), 4u);
    for (const auto& p : written) {
        struct stat st {};
        ASSERT_EQ(::stat(p.c_str(), &st), 0) << p;
        EXPECT_EQ(st.st_mode & 0777u, 0600u) << p.filename();
    }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, CouncilAuditScenario,
                         ::testing::Values("ube-flood", "shimonoseki-drill", "kudamatsu-drill",
                                           "kochi-tsunami"),
                         [](const auto& info) {
                             std::string name = info.param;
                             std::replace(name.begin(), name.end(), '-', '_');
                             return name;
                         });

} // namespace
} // namespace sonae::report
