// simulation.json has one owner (sim/simulation_json.hpp, issue 16 item 5): what `simulate` and
// `run` write is what `report --simulation` reads, and the council report gets the same summary
// from either path; a damaged file names its JSON field and value.
#include "core/error.hpp"
#include "sim/simulation_json.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sys/stat.h>

namespace sonae::sim {
namespace {

MonteCarloResult two_children() {
    MonteCarloResult mc;
    mc.runs = 3;
    mc.seed = 42;
    mc.children.resize(2);
    mc.children[0].child_id = "T-0001";
    mc.children[0].arrival_s = {1200.5, 1500.0, 2100.25};
    mc.children[0].battery_margin_h = {-0.5, 2.0, 3.75};
    mc.children[0].p_miss_deadline = 1.0 / 3.0;
    mc.children[0].cause_share[static_cast<std::size_t>(Cause::cut_off)] = 1.0 / 3.0;
    mc.children[1].child_id = "T-0002";
    mc.children[1].arrival_s = {600.0, 660.0, 720.0};
    mc.children[1].battery_margin_h = {5.0, 5.5, 6.0};
    mc.completion_s = {2000.0, 2100.25};
    mc.runs_incomplete = 1;
    mc.completion = {2005.0, 2050.125, 2095.25};
    mc.facilities.push_back({.facility_id = "WS-01",
                             .peak_load_w = {100, 200, 300},
                             .generator_w = 2000,
                             .p_overload = 0});
    mc.wall_seconds = 12.5; // never written: the file does not depend on how long it took
    return mc;
}

void expect_same(const SimulationSummary& a, const SimulationSummary& b) {
    EXPECT_EQ(a.label, b.label);
    EXPECT_EQ(a.runs, b.runs);
    EXPECT_EQ(a.runs_incomplete, b.runs_incomplete);
    EXPECT_EQ(a.completion_s, b.completion_s);
    ASSERT_EQ(a.children.size(), b.children.size());
    for (std::size_t i = 0; i < a.children.size(); ++i) {
        EXPECT_EQ(a.children[i].child_id, b.children[i].child_id);
        EXPECT_EQ(a.children[i].arrival_s.p5, b.children[i].arrival_s.p5);
        EXPECT_EQ(a.children[i].arrival_s.p50, b.children[i].arrival_s.p50);
        EXPECT_EQ(a.children[i].arrival_s.p95, b.children[i].arrival_s.p95);
        EXPECT_EQ(a.children[i].battery_margin_h.p5, b.children[i].battery_margin_h.p5);
        EXPECT_EQ(a.children[i].battery_margin_h.p95, b.children[i].battery_margin_h.p95);
        EXPECT_EQ(a.children[i].p_miss_deadline, b.children[i].p_miss_deadline);
    }
}

TEST(SimulationJson, WhatIsWrittenIsWhatTheReportReads) {
    test::TempDir dir;
    const auto mc = two_children();
    write_simulation_json(dir / "simulation.json", mc, "テスト");
    struct stat st {};
    ASSERT_EQ(::stat((dir / "simulation.json").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u) << "children's outcomes are personal data";
    const auto back = read_simulation_summary(dir / "simulation.json");
    expect_same(back,
                summarize(mc)); // `report --simulation` and `run` give the report the same summary
    EXPECT_EQ(back.label, "モンテカルロ（seed 42）");
    EXPECT_EQ(back.children[0].p_miss_deadline, 1.0 / 3.0); // doubles round-trip exactly

    // The same result gives the same bytes, and the run's duration is not among them.
    auto later = mc;
    later.wall_seconds = 99.0;
    EXPECT_EQ(simulation_json_text(mc, "テスト"), simulation_json_text(later, "テスト"));
    const auto j = nlohmann::json::parse(simulation_json_text(mc, "テスト"));
    EXPECT_EQ(j.at("format"), "sonae-simulation");
    EXPECT_EQ(j.at("children").at(0).at("p_by_cause").at("cut_off"), 1.0 / 3.0);
    EXPECT_FALSE(
        j.at("children").at(1).at("p_by_cause").contains("cut_off")); // causes that happened only
}

TEST(SimulationJson, ADamagedFileNamesTheFieldAndTheValue) {
    test::TempDir dir;
    const auto text = simulation_json_text(two_children(), "テスト");
    struct Case {
        std::string name, edit_path, new_value, field, value;
    };
    const std::vector<Case> cases{
        {"missing quantile", "/children/1/arrival_s/p50", "", "/children/1/arrival_s/p50", ""},
        {"text for a number", "/children/0/battery_margin_h/p5", "\"-0.5h\"",
         "/children/0/battery_margin_h/p5", "\"-0.5h\""},
        {"share above 1", "/children/1/p_miss_deadline", "1.5", "/children/1/p_miss_deadline",
         "1.5"},
        {"negative runs", "/runs", "-3", "/runs", "-3"},
        {"another format", "/format", "\"sonae-plan\"", "/format", "\"sonae-plan\""},
        {"a newer version", "/format_version", "2", "/format_version", "2"},
        {"child id not text", "/children/0/child_id", "7", "/children/0/child_id", "7"},
    };
    for (const auto& c : cases) {
        auto j = nlohmann::json::parse(text);
        const nlohmann::json::json_pointer at(c.edit_path);
        if (c.new_value.empty()) {
            j[at.parent_pointer()].erase(at.back());
        } else {
            j[at] = nlohmann::json::parse(c.new_value);
        }
        const auto file = dir / (c.name + ".json");
        std::ofstream(file) << j.dump(2);
        try {
            (void)read_simulation_summary(file);
            ADD_FAILURE() << c.name << ": accepted";
        } catch (const InputError& e) {
            const std::string what = e.what();
            EXPECT_NE(what.find(file.string()), std::string::npos) << c.name << ": " << what;
            EXPECT_NE(what.find(c.field), std::string::npos) << c.name << ": " << what;
            if (!c.value.empty()) {
                EXPECT_NE(what.find(c.value), std::string::npos) << c.name << ": " << what;
            }
        }
    }
    std::ofstream(dir / "cut.json") << text.substr(0, text.size() / 2);
    EXPECT_THROW((void)read_simulation_summary(dir / "cut.json"), InputError);
}

} // namespace
} // namespace sonae::sim
