// End to end through the `sonae` binary: plan.json -> guidebooks and council report.
// Uses the synthetic plan of the report unit tests (no real people), and, when the bundled
// scenario can be planned, the real Ube road network plan.
#include "planner/plan_io.hpp"
#include "tests/support/paths.hpp"
#include "tests/support/run_cli.hpp"
#include "tests/unit/report/pdf_tools.hpp"
#include "tests/unit/report/synthetic_plan.hpp"

#include <gtest/gtest.h>

using namespace sonae;

namespace {

// `sonae <args>`'s exit code; its output stays in `scratch` (stdout.txt, stderr.txt).
int run_status(const std::string& args, const test::TempDir& scratch) {
    return test::run_sonae(args, scratch.path()).exit_code;
}

} // namespace

TEST(ReportCli, GuidebookAndReportFromPlanJson) {
    test::TempDir dir;
    const auto plan = test::synthetic_plan("synthetic-a");
    auto b = test::synthetic_plan("synthetic-b");
    // B has one child fewer (and no vehicle stop for it: a plan whose tour stops for a child it
    // does not hold is refused when read, issue 24).
    const std::string gone = b.children.front().child_id;
    b.children.erase(b.children.begin());
    for (auto& t : b.tours)
        std::erase_if(t.stops, [&](const planner::TourStop& s) { return s.child_id == gone; });
    const auto a_path = dir / "a.json";
    const auto b_path = dir / "b.json";
    planner::write_plan_json(a_path, plan);
    planner::write_plan_json(b_path, b);

    const auto books = dir / "books";
    ASSERT_EQ(run_status("guidebook " + test::quote(a_path) + " -o " + test::quote(books) +
                             " --issued 2026-04-01",
                         dir),
              0);
    for (const auto& c : plan.children) {
        const auto pdf = books / ("guidebook_" + c.child_id + ".pdf");
        ASSERT_TRUE(std::filesystem::exists(pdf)) << pdf;
        EXPECT_EQ(test::file_mode(pdf), 0600u);
    }
    EXPECT_EQ(test::file_mode(books / "plan_children.csv"), 0600u);

    // Names need the registry: a usage problem reported as bad input (exit 2), nothing written.
    EXPECT_EQ(run_status("guidebook " + test::quote(a_path) + " -o " + test::quote(dir / "named") +
                             " --with-names",
                         dir),
              2);
    EXPECT_FALSE(std::filesystem::exists(dir / "named" / "guidebook_SYN-UBE-01.pdf"));

    const auto council = dir / "council";
    ASSERT_EQ(run_status("report " + test::quote(a_path) + " --compare " + test::quote(b_path) +
                             " -o " + test::quote(council) + " --issued 2026-04-01",
                         dir),
              0);
    for (const char* f : {"council_report.pdf", "council_report.html", "council_by_area.csv",
                          "council_facilities.csv", "council.gpkg"}) {
        EXPECT_EQ(test::file_mode(council / f), 0644u) << f;
    }
    const auto text = test::squeeze(test::pdf_text(council / "council_report.pdf"));
    EXPECT_NE(text.find("シナリオ比較"), std::string::npos);
    EXPECT_NE(text.find("synthetic-b"), std::string::npos);
    for (const auto& c : plan.children) EXPECT_EQ(text.find(c.child_id), std::string::npos);

    // Never over an input: a plan named like an output is refused and kept.
    const auto trap_dir = dir / "trap";
    std::filesystem::create_directories(trap_dir);
    const auto trap = trap_dir / "council_report.pdf";
    std::filesystem::copy_file(a_path, trap);
    const auto size = std::filesystem::file_size(trap);
    EXPECT_EQ(run_status("report " + test::quote(trap) + " -o " + test::quote(trap_dir), dir), 2);
    EXPECT_EQ(std::filesystem::file_size(trap), size);
}
