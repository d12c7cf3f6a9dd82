// One command line for every command (issue 23 item 6): `sonae` alone and a misspelt command
// list the commands and suggest the closest; --help shows defaults; `run` and `plan` take
// --seed; outputs already present are replaced only with --overwrite.
#include "tests/support/paths.hpp"
#include "tests/support/run_cli.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace fs = std::filesystem;

namespace {

std::string quote(const std::string& s) {
    return "'" + s + "'";
}

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct Result {
    int exit_code = -1;
    std::string out; ///< stdout and stderr together
};

Result run_sonae(const std::string& args, const sonae::test::TempDir& dir) {
    const auto r = sonae::test::run_sonae(args, dir.path());
    return {r.exit_code, r.all()};
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

const std::string kudamatsu = sonae::test::source_path("scenarios/kudamatsu-drill").string();

} // namespace

TEST(CommandLine, SonaeAloneListsTheCommands) {
    sonae::test::TempDir dir;
    const Result r = run_sonae("", dir);
    EXPECT_EQ(r.exit_code, 1);
    for (const char* command :
         {"run", "plan", "simulate", "guidebook", "report", "validate", "route"}) {
        EXPECT_TRUE(has(r.out, "\n  " + std::string(command) + " ")) << command << " not listed:\n"
                                                                     << r.out;
    }
}

TEST(CommandLine, AMisspeltCommandSuggestsTheClosest) {
    sonae::test::TempDir dir;
    Result r = run_sonae("plann " + quote(kudamatsu), dir);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(has(r.out, "unknown command 'plann'; did you mean 'plan'?")) << r.out;
    EXPECT_TRUE(has(r.out, "\n  simulate ")) << r.out; // and the list
    r = run_sonae("simulat x", dir);
    EXPECT_TRUE(has(r.out, "did you mean 'simulate'?")) << r.out;
    // Nested commands: `sonae network` alone, and a misspelt `info`.
    r = run_sonae("network", dir);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(has(r.out, "\n  info ")) << r.out;
    r = run_sonae("network inof x.osm", dir);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(has(r.out, "did you mean 'info'?")) << r.out;
    // Nothing close: no suggestion, only the list.
    r = run_sonae("xyzzyq", dir);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_FALSE(has(r.out, "did you mean")) << r.out;
}

TEST(CommandLine, HelpShowsDefaults) {
    sonae::test::TempDir dir;
    Result r = run_sonae("run --help", dir);
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_TRUE(has(r.out, "--runs")) << r.out;
    EXPECT_TRUE(has(r.out, "=200")) << r.out; // --runs' default, as CLI11 prints it
    EXPECT_TRUE(has(r.out, "--seed")) << r.out;
    EXPECT_TRUE(has(r.out, "--overwrite")) << r.out;
    r = run_sonae("simulate --help", dir);
    EXPECT_TRUE(has(r.out, "=200")) << r.out;
    r = run_sonae("route --help", dir);
    EXPECT_TRUE(has(r.out, "=car")) << r.out; // --mode
    r = run_sonae("bench-vrptw --help", dir);
    EXPECT_TRUE(has(r.out, "--seed UINT=1")) << r.out;
}

TEST(CommandLine, PlanTakesASeedAndReplacesOutputsOnlyWithOverwrite) {
    sonae::test::TempDir dir;
    const auto out = dir / "plan";
    Result r = run_sonae("plan " + quote(kudamatsu) + " --seed 7 -o " + quote(out.string()), dir);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(nlohmann::json::parse(read_bytes(out / "plan.json")).at("seed"), 7);
    const std::string first = read_bytes(out / "plan.json");

    // Again into the same folder: refused, nothing touched, the message says what to do.
    std::ofstream(out / "plan.csv", std::ios::app) << "edited by hand\n";
    const std::string edited = read_bytes(out / "plan.csv");
    r = run_sonae("plan " + quote(kudamatsu) + " -o " + quote(out.string()), dir);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(has(r.out, "plan.json already exists; add --overwrite")) << r.out;
    EXPECT_EQ(read_bytes(out / "plan.csv"), edited);
    EXPECT_EQ(read_bytes(out / "plan.json"), first);

    // With --overwrite: replaced (the scenario's own seed now).
    r = run_sonae("plan " + quote(kudamatsu) + " -o " + quote(out.string()) + " --overwrite", dir);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(nlohmann::json::parse(read_bytes(out / "plan.json")).at("seed"), 20261121);
    EXPECT_NE(read_bytes(out / "plan.csv"), edited);
}

TEST(CommandLine, RunTakesASeedAndRefusesAnEarlierRunsFolder) {
    sonae::test::TempDir dir;
    const auto out = dir / "run";
    Result r = run_sonae("run " + quote(kudamatsu) + " --runs 2 --seed 11 --no-pictures -o " +
                             quote(out.string()),
                         dir);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(nlohmann::json::parse(read_bytes(out / "plan" / "plan.json")).at("seed"), 11);
    EXPECT_EQ(nlohmann::json::parse(read_bytes(out / "simulation" / "simulation.json")).at("seed"),
              11);
    EXPECT_FALSE(fs::exists(out / "pictures"));
    // simulation.json has one owner (sim/simulation_json.hpp): the council report that `report`
    // makes from the files `run` wrote is the one `run` made from memory, byte for byte (the
    // simulation's label once differed: 「モンテカルロ 2 回 (seed 11)」 against
    // 「モンテカルロ（seed 11）」).
    r = run_sonae("report " + quote((out / "plan" / "plan.json").string()) + " --simulation " +
                      quote((out / "simulation" / "simulation.json").string()) + " -o " +
                      quote((dir / "council").string()),
                  dir);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    for (const char* name :
         {"council_report.pdf", "council_by_area.csv", "council_facilities.csv"}) {
        EXPECT_EQ(read_bytes(dir / "council" / name), read_bytes(out / "council" / name)) << name;
    }
    r = run_sonae("run " + quote(kudamatsu) + " --runs 2 --no-pictures -o " + quote(out.string()),
                  dir);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(has(r.out, "already exists; add --overwrite")) << r.out;
    EXPECT_EQ(nlohmann::json::parse(read_bytes(out / "plan" / "plan.json")).at("seed"), 11);
}

TEST(CommandLine, RunFailsWhenThePicturesCannotBeMade) {
    sonae::test::TempDir dir;
    // A PATH and a binary folder without sonae-view: the viewer cannot be found.
    const auto bin = dir / "bin";
    fs::create_directories(bin);
    fs::copy_file(sonae::test::sonae_binary(), bin / "sonae");
    const auto out = dir / "run";
    sonae::test::CliOptions options;
    options.binary = bin / "sonae";
    options.env = {"PATH=/usr/bin:/bin"};
    const auto r = sonae::test::run_sonae(
        "run " + quote(kudamatsu) + " --runs 2 -o " + quote(out.string()), dir.path(), options);
    const std::string text = r.all();
    EXPECT_EQ(r.exit_code, 2) << text;
    EXPECT_TRUE(has(text, "sonae-view was not found")) << text;
    // Everything else was written.
    EXPECT_TRUE(fs::exists(out / "plan" / "plan.json"));
    EXPECT_TRUE(fs::exists(out / "council" / "council_report.pdf"));
}
