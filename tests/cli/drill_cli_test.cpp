// Runs the built `sonae` on the drill scenarios (issue 21): the README's own `sonae simulate`
// command, `sonae run` end to end with the review, `sonae drill review` / `kit`, and bad
// recorded drills (exit 2 naming file, line, field and value; nothing written).
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using sonae::test::source_path;
using sonae::test::TempDir;

const std::string sonae_binary = SONAE_BINARY_DIR "/app/sonae";

std::string quote(const std::string& s) { return "'" + s + "'"; }

int run(const std::string& args, const TempDir& dir) {
    const std::string command = quote(sonae_binary) + " " + args + " > " + quote((dir / "stdout.txt").string()) +
                                " 2> " + quote((dir / "stderr.txt").string());
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string scenario(const std::string& name) { return quote(source_path("scenarios/" + name).string()); }

TEST(DrillCli, ReadmeSimulateCommandWorksOnBothDrillScenarios) {
    for (const std::string name : {"shimonoseki-drill", "kudamatsu-drill"}) {
        TempDir dir;
        const auto out = dir / "sim";
        ASSERT_EQ(run("simulate " + scenario(name) + " -o " + quote(out.string()) + " --runs 5", dir), 0)
            << name << ": " << slurp(dir / "stderr.txt");
        EXPECT_TRUE(fs::exists(out / "simulation.json")) << name;
    }
}

TEST(DrillCli, RunOnBothDrillScenariosWritesTheKitAndTheReview) {
    for (const std::string name : {"shimonoseki-drill", "kudamatsu-drill"}) {
        TempDir dir;
        const auto out = dir / "run";
        ASSERT_EQ(run("run " + scenario(name) + " -o " + quote(out.string()) + " --runs 5", dir), 0)
            << name << ": " << slurp(dir / "stderr.txt");
        EXPECT_TRUE(fs::exists(out / "plan" / "plan.json")) << name;
        EXPECT_TRUE(fs::exists(out / "drill" / "kit" / "drill_roles.pdf")) << name;
        EXPECT_TRUE(fs::exists(out / "drill" / "kit" / "drill_record_template.csv")) << name;
        EXPECT_TRUE(fs::exists(out / "drill" / "drill_review.pdf")) << name;
        EXPECT_TRUE(fs::exists(out / "drill" / "drill_council.pdf")) << name;
        EXPECT_NE(slurp(dir / "stdout.txt").find("訓練の振り返り"), std::string::npos) << name;
    }
}

TEST(DrillCli, KudamatsuReviewPrintsTheDangerOfKdm0004) {
    TempDir dir;
    ASSERT_EQ(run("drill review " + scenario("kudamatsu-drill") + " --runs 0 -o " + quote((dir / "r").string()), dir), 0)
        << slurp(dir / "stderr.txt");
    const auto out = slurp(dir / "stdout.txt");
    EXPECT_NE(out.find("危険: KDM-0004"), std::string::npos) << out;
}

// A recorded drill with one defect each; exit 2, the message names file, line, field, value,
// and no review is written.
TEST(DrillCli, BadRecordedDrillsExitTwoNamingTheCell) {
    struct Case {
        std::string body;
        std::string expect;
    };
    const std::string head = "開始時刻,9:30\n児童ID,段階,記録時刻\n";
    const std::vector<Case> cases = {
        {head + "KDM-0099,到着,10:00\n", "line 3, field '児童ID', value 'KDM-0099'"},
        {head + "KDM-0001,到着,9:10\n", "line 3, field '記録時刻', value '9:10'"},
        {head + "KDM-0001,到着,4400\n", "line 3, field '記録時刻', value '4400'"},
        {head + "KDM-0001,昼食,10:00\n", "line 3, field '段階', value '昼食'"},
        {head + "KDM-0001,到着,10:00\nKDM-0001,arrived,10:05\n", "line 4, field '段階', value 'arrived'"},
        {head + ",昼食休憩,10:00\n", "line 3, field '段階', value '昼食休憩'"},
    };
    for (const auto& c : cases) {
        TempDir dir;
        const auto bad = dir / "bad.csv";
        std::ofstream(bad, std::ios::binary) << c.body;
        const auto out = dir / "r";
        EXPECT_EQ(run("drill review " + scenario("kudamatsu-drill") + " --runs 0 --recorded " + quote(bad.string()) +
                          " -o " + quote(out.string()),
                      dir),
                  2)
            << c.body;
        const auto err = slurp(dir / "stderr.txt");
        EXPECT_NE(err.find(bad.string()), std::string::npos) << err;
        EXPECT_NE(err.find(c.expect), std::string::npos) << err;
        EXPECT_FALSE(fs::exists(out / "drill_review.pdf")) << c.body;
    }
}

// `sonae drill apply`: writes a new registry with mode 0600 and never the input.
TEST(DrillCli, ApplyWritesANewRegistryAndNeverTheInput) {
    TempDir dir;
    const auto registry = dir / "registry.csv";
    fs::copy_file(source_path("scenarios/kudamatsu-drill/data/registry.csv"), registry);
    const auto original = slurp(registry);
    const auto changes = dir / "drill_changes.csv";
    std::ofstream(changes, std::ios::binary) << "児童ID,項目,計画(分),訓練の実績(分),提案,採用\nKDM-0002,packing_min,20.0,27.0,,はい\n";
    EXPECT_EQ(run("drill apply " + quote(changes.string()) + " --registry " + quote(registry.string()) + " -o " +
                      quote(registry.string()),
                  dir),
              2);
    EXPECT_EQ(slurp(registry), original);
    const auto out = dir / "registry_after_drill.csv";
    ASSERT_EQ(run("drill apply " + quote(changes.string()) + " --registry " + quote(registry.string()) + " -o " +
                      quote(out.string()),
                  dir),
              0)
        << slurp(dir / "stderr.txt");
    EXPECT_EQ(slurp(registry), original);
    EXPECT_NE(slurp(out).find("packing_min"), std::string::npos);
    EXPECT_NE(slurp(dir / "stdout.txt").find("KDM-0002 packing_min"), std::string::npos);
    EXPECT_EQ(fs::status(out).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
}

} // namespace
