// Drill mode: the recorded-times loader and the after-action review (issue 6 item 2).

#include "geo/error.hpp"
#include "planner/csv.hpp"
#include "planner/planner.hpp"
#include "sim/drill.hpp"
#include "sim/simulate.hpp"
#include "tests/support/ascii_network.hpp"
#include "tests/support/plan_fixtures.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>

using namespace sonae;
using namespace sonae::planner;

namespace {

// Expects an InputError whose message and location mention these.
void expect_error(const std::string& csv, std::int64_t line, const std::string& field, const std::string& value,
                  const std::string& words) {
    try {
        (void)sim::parse_drill_times(csv, "drill.csv");
        FAIL() << "no error for:\n" << csv;
    } catch (const InputError& e) {
        EXPECT_EQ(e.where().file, "drill.csv");
        EXPECT_EQ(e.where().line, line) << e.what();
        EXPECT_EQ(e.where().field, field) << e.what();
        EXPECT_EQ(e.where().value, value) << e.what();
        EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
}

} // namespace

TEST(DrillTimes, ReadsEnglishAndJapaneseHeadersAndSteps) {
    const auto en = sim::parse_drill_times("child_id,step,minutes\nP,decision,12\nP,alert,0\nQ,arrived,40.5\n", "a.csv");
    ASSERT_EQ(en.records.size(), 3u);
    EXPECT_EQ(en.records[0].child_id, "P");
    EXPECT_EQ(en.records[0].step, sim::DrillStep::alert); // sorted by child, then step
    EXPECT_EQ(en.records[1].step, sim::DrillStep::decision);
    EXPECT_DOUBLE_EQ(en.records[1].minutes, 12.0);
    EXPECT_EQ(en.records[1].line, 2);
    EXPECT_DOUBLE_EQ(en.records[2].minutes, 40.5);

    const auto ja = sim::parse_drill_times("\xEF\xBB\xBF児童ID,段階,経過時間(分)\nP,準備完了,30\nP,電源接続,95\n", "b.csv");
    ASSERT_EQ(ja.records.size(), 2u);
    EXPECT_EQ(ja.records[0].step, sim::DrillStep::packing_done);
    EXPECT_EQ(ja.records[1].step, sim::DrillStep::power_connected);
    EXPECT_DOUBLE_EQ(ja.records[1].minutes, 95.0);
}

TEST(DrillTimes, ErrorsNameFileLineColumnAndValue) {
    expect_error("child_id,step,minutes\nP,alert,0\nP,decision,abc\n", 3, "minutes", "abc", "not a number");
    expect_error("child_id,step,minutes\nP,lunch,5\n", 2, "step", "lunch", "unknown step");
    expect_error("child_id,step,minutes\nP,decision,-3\n", 2, "minutes", "-3", "negative");
    expect_error("child_id,step,minutes\nP,decision,5\nP,決定,6\n", 3, "step", "決定", "twice");
    expect_error("child_id,step,minutes\n,decision,5\n", 2, "child_id", "", "empty");
    try {
        (void)sim::parse_drill_times("child_id,step\nP,alert\n", "drill.csv");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("minutes"), std::string::npos) << e.what();
    }
}

TEST(DrillTimes, BundledExampleLoads) {
    const auto d = sim::read_drill_times(test::source_path("scenarios/ube-flood/data/drill_times.csv"));
    EXPECT_EQ(d.records.size(), 15u);
}

TEST(DrillReview, PlannedSimulatedAndActualOnAHandDrawnRoad) {
    const auto t = test::ascii_network("A-----B", {.grid_m = 200});
    LoadedScenario s;
    s.manifest.name = "drill";
    s.manifest.hazard_kind = "drill";
    s.manifest.options.decision_min = 0;
    s.network = t.net;
    s.catalogue = default_device_catalogue();
    s.registry = Registry({test::family_child("P", t.net.lonlat(t.node('A')))});
    s.facilities = {test::powered_shelter("X", t.net.lonlat(t.node('B')))};
    const auto plan = make_plan(s);
    ASSERT_EQ(plan.children.size(), 1u);
    ASSERT_GE(plan.children[0].arrival_s, 0);

    sim::SimOptions o;
    o.decision_sigma = o.packing_sigma = o.speed_sigma = 0;
    o.connect_min_low = o.connect_min_high = 10;
    o.runs = 4;
    o.threads = 1;
    const sim::Simulator simulator(s, plan, o);
    const auto mc = simulator.monte_carlo();
    const auto one = simulator.run(1);

    const auto drill = sim::parse_drill_times(
        "child_id,step,minutes\nP,decision,3\nP,packing_done,25\nP,departed,30\nP,arrived,34\nGHOST,arrived,50\n", "d.csv");
    const auto review = sim::drill_review(plan, 0.0, mc, drill);
    ASSERT_EQ(review.rows.size(), 2 * sim::kDrillSteps);
    ASSERT_EQ(review.warnings.size(), 1u);
    EXPECT_NE(review.warnings[0].find("GHOST"), std::string::npos);

    auto row = [&](const std::string& id, sim::DrillStep st) {
        for (const auto& r : review.rows) {
            if (r.child_id == id && r.step == st) return r;
        }
        ADD_FAILURE() << id;
        return sim::DrillReviewRow{};
    };
    const auto& cp = plan.children[0];
    // Planned figures come from the plan.
    EXPECT_DOUBLE_EQ(*row("P", sim::DrillStep::alert).planned_min, 0.0);
    EXPECT_DOUBLE_EQ(*row("P", sim::DrillStep::packing_done).planned_min, cp.earliest_departure_s / 60.0);
    EXPECT_DOUBLE_EQ(*row("P", sim::DrillStep::departed).planned_min, cp.planned_departure_s / 60.0);
    EXPECT_DOUBLE_EQ(*row("P", sim::DrillStep::arrived).planned_min, cp.arrival_s / 60.0);
    EXPECT_FALSE(row("P", sim::DrillStep::carried_out).planned_min.has_value());
    // Simulated p50s equal the single deterministic run (no spread).
    EXPECT_DOUBLE_EQ(*row("P", sim::DrillStep::decision).simulated_p50_min, one.children[0].decision_s / 60.0);
    EXPECT_DOUBLE_EQ(*row("P", sim::DrillStep::decision).simulated_p50_min, 1.0); // at least a minute
    EXPECT_DOUBLE_EQ(*row("P", sim::DrillStep::packing_done).simulated_p50_min, one.children[0].ready_s / 60.0);
    EXPECT_DOUBLE_EQ(*row("P", sim::DrillStep::departed).simulated_p50_min, one.children[0].departure_s / 60.0);
    EXPECT_DOUBLE_EQ(*row("P", sim::DrillStep::arrived).simulated_p50_min, one.children[0].arrival_s / 60.0);
    EXPECT_DOUBLE_EQ(*row("P", sim::DrillStep::power_connected).simulated_p50_min, one.children[0].powered_s / 60.0);
    // Actual as recorded; unrecorded steps empty.
    EXPECT_DOUBLE_EQ(*row("P", sim::DrillStep::arrived).actual_min, 34.0);
    EXPECT_FALSE(row("P", sim::DrillStep::loaded).actual_min.has_value());
    // The ghost has only actual times.
    EXPECT_FALSE(row("GHOST", sim::DrillStep::arrived).planned_min.has_value());
    EXPECT_FALSE(row("GHOST", sim::DrillStep::arrived).simulated_p50_min.has_value());

    // CSV: header, differences, BOM and mode 0600.
    const auto rows = sim::drill_review_rows(review);
    ASSERT_EQ(rows.size(), 1 + 2 * sim::kDrillSteps);
    const auto& arrived = rows[1 + static_cast<std::size_t>(sim::DrillStep::arrived)];
    EXPECT_EQ(arrived[0], "P");
    EXPECT_EQ(arrived[2], "arrived");
    EXPECT_EQ(arrived[6], "34.0");
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", 34.0 - cp.arrival_s / 60.0);
    EXPECT_EQ(arrived[7], buf);
    test::TempDir dir;
    const auto path = dir.path() / "drill_review.csv";
    sim::write_drill_review(path, review);
    std::ifstream in(path, std::ios::binary);
    std::string head(3, '\0');
    in.read(head.data(), 3);
    EXPECT_EQ(head, "\xEF\xBB\xBF");
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600);
}
