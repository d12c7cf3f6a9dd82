// `sonae run` twice with the same inputs and seed gives byte-identical files, all of them
// (plan, simulation, guidebooks, council report, pictures); GeoPackage and PDF dates come from
// the issue date or SOURCE_DATE_EPOCH, never from the clock (issue 23 item 2).
#include "tests/support/ogrinfo.hpp"
#include "tests/support/paths.hpp"
#include "tests/support/run_cli.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>
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

// Every regular file under `dir`, by path relative to it.
std::map<std::string, std::string> files_under(const fs::path& dir) {
    std::map<std::string, std::string> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
        if (entry.is_regular_file())
            files[fs::relative(entry.path(), dir).string()] = read_bytes(entry.path());
    }
    return files;
}

// gpkg_contents.last_change of every table, as ogrinfo prints it ("2026/05/28 20:26:40+00").
std::string last_changes(const fs::path& gpkg, const fs::path& scratch) {
    const std::string text = sonae::test::ogrinfo(
        "-sql 'SELECT last_change FROM gpkg_contents' " + quote(gpkg.string()), scratch);
    std::string stamps;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        const auto at = line.find("last_change (DateTime) = ");
        if (at != std::string::npos) stamps += line.substr(at + 25) + "\n";
    }
    return stamps;
}

// sonae with SOURCE_DATE_EPOCH set as `epoch` ("" leaves it out of the environment), run from
// `cwd` (empty: the test's folder).
sonae::test::CliResult run_sonae(const std::string& args, const fs::path& scratch,
                                 const std::string& epoch, const fs::path& cwd = {}) {
    sonae::test::CliOptions options;
    options.cwd = cwd;
    options.timeout_s = 600; // `sonae run` with its pictures: about 15 s, more under load
    if (epoch.empty())
        options.unset.push_back("SOURCE_DATE_EPOCH");
    else
        options.env.push_back("SOURCE_DATE_EPOCH=" + epoch);
    return sonae::test::run_sonae(args, scratch, options);
}

} // namespace

// SOURCE_DATE_EPOCH 1780000000 = 2026-05-28 20:26:40 UTC = 2026-05-29 05:26:40 in Japan: the
// outputs' issue date is 2026-05-29; GeoPackages carry its midnight in Japan (15:00 UTC the
// day before), PDFs the date.
constexpr const char* kEpoch = "1780000000";

// The smallest bundled scenario (8 children, straight-line mode: about 15 s a run, most of it
// the pictures); the Ube scenario gives identical files too, in about a minute a run. The
// second run names the same scenario another way (its scenario.toml, relative to the source
// folder it runs from): the load warnings that plan.json keeps name the scenario's files
// relative to its folder, so the bytes do not depend on the spelling (before, plan.json held
// the paths as typed).
TEST(RunOutputs, TwoRunsOfTheSameScenarioAndSeedAreByteIdentical) {
    sonae::test::TempDir dir;
    const std::string scenario = sonae::test::source_path("scenarios/kudamatsu-drill").string();
    std::string first_log;
    for (const char* name : {"a", "b"}) {
        const bool first = std::string(name) == "a";
        const auto r = run_sonae(
            "run " + quote(first ? scenario : "./scenarios/kudamatsu-drill/scenario.toml") +
                " --runs 4 -o " + quote((dir / name).string()),
            dir.path(), kEpoch, first ? fs::path() : sonae::test::source_path(""));
        ASSERT_EQ(r.exit_code, 0) << r.all();
        if (first_log.empty()) first_log = r.all();
    }
    const auto a = files_under(dir / "a");
    const auto b = files_under(dir / "b");
    // Everything the run writes is there: plan, simulation, guidebooks, council report.
    for (const char* f :
         {"plan/plan.json", "plan/plan.csv", "plan/facilities.csv", "plan/plan.gpkg",
          "simulation/simulation.json", "simulation/trace.sonae", "simulation/events.csv",
          "simulation/sim_children.csv", "simulation/sim_runs.csv", "simulation/simulation.gpkg",
          "council/council_report.pdf", "council/council.gpkg", "council/council_report.html",
          "guidebooks/guidebook_KDM-0001.pdf", "pictures/replay_1h.png",
          "pictures/frames/frame_00000.png"}) {
        EXPECT_TRUE(a.count(f)) << f << " was not written";
    }
    ASSERT_EQ(a.size(), b.size());
    int differing = 0;
    for (const auto& [name, bytes] : a) {
        const auto other = b.find(name);
        ASSERT_NE(other, b.end()) << name << " is only in the first run";
        if (other->second != bytes) {
            ++differing;
            ADD_FAILURE() << name << " differs between two runs with the same inputs and seed";
        }
    }
    EXPECT_EQ(differing, 0) << "of " << a.size() << " files";
    // The plan's load warnings name the scenario's files relative to its folder.
    EXPECT_NE(a.at("plan/plan.json").find("file 'data/facilities.csv'"), std::string::npos);
    EXPECT_EQ(a.at("plan/plan.json").find(scenario), std::string::npos);
    // No wall-clock time in simulation.json (it goes to the log line instead).
    EXPECT_EQ(a.at("simulation/simulation.json").find("wall_seconds"), std::string::npos);
    EXPECT_NE(first_log.find(" 秒"), std::string::npos);
    // The dates are SOURCE_DATE_EPOCH's, in Japan time.
    const std::string stamps =
        last_changes(dir / "a" / "plan" / "plan.gpkg", dir.path()) +
        last_changes(dir / "a" / "council" / "council.gpkg", dir.path()) +
        last_changes(dir / "a" / "simulation" / "simulation.gpkg", dir.path());
    EXPECT_FALSE(stamps.empty());
    std::size_t lines = 0;
    for (std::size_t at = 0; (at = stamps.find('\n', at)) != std::string::npos; ++at) ++lines;
    EXPECT_EQ(stamps, [&] {
        std::string all;
        for (std::size_t i = 0; i < lines; ++i) all += "2026/05/28 15:00:00+00\n";
        return all;
    }()) << stamps;
    EXPECT_NE(a.at("council/council_report.pdf").find("/CreationDate (20260529000000+09'00)"),
              std::string::npos);
}

TEST(RunOutputs, WithoutSourceDateEpochGeoPackagesCarryTodaysDateNotTheTime) {
    sonae::test::TempDir dir;
    const std::string scenario = sonae::test::source_path("scenarios/kudamatsu-drill").string();
    // Today in Japan before and after (a run across midnight may give either).
    auto today = [] {
        const auto jst = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now() +
                                                               std::chrono::hours{9});
        const std::chrono::year_month_day ymd{jst};
        const auto utc =
            std::chrono::sys_days{ymd} - std::chrono::hours{9}; // midnight in Japan, in UTC
        const std::chrono::year_month_day day{std::chrono::floor<std::chrono::days>(utc)};
        char buf[32];
        std::snprintf(buf, sizeof buf, "%04d/%02u/%02u 15:00:00+00", static_cast<int>(day.year()),
                      static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
        return std::string(buf);
    };
    const std::string before = today();
    const auto r = run_sonae("plan " + quote(scenario) + " -o " + quote((dir / "plan").string()),
                             dir.path(), "");
    ASSERT_EQ(r.exit_code, 0) << r.all();
    const std::string after = today();
    const std::string stamps = last_changes(dir / "plan" / "plan.gpkg", dir.path());
    ASSERT_FALSE(stamps.empty());
    const std::string first = stamps.substr(0, stamps.find('\n'));
    // Midnight Japan time (15:00 UTC the day before) of the day the plan was made.
    EXPECT_TRUE(first == before || first == after) << first << " (expected " << before << ")";
}

TEST(RunOutputs, MalformedSourceDateEpochIsBadInput) {
    sonae::test::TempDir dir;
    const std::string scenario = sonae::test::source_path("scenarios/kudamatsu-drill").string();
    const auto r = run_sonae("plan " + quote(scenario) + " -o " + quote((dir / "plan").string()),
                             dir.path(), "yesterday");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.all().find("SOURCE_DATE_EPOCH"), std::string::npos) << r.all();
}
