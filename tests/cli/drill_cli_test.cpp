// Runs the built `sonae` on the drill scenarios (issue 21): the README's own `sonae simulate`
// command, `sonae run` end to end with the review, `sonae drill review` / `kit`, and bad
// recorded drills (exit 2 naming file, line, field and value; nothing written).
#include "tests/support/paths.hpp"
#include "tests/support/run_cli.hpp"
#include "tests/unit/report/pdf_tools.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <sys/stat.h>

namespace {

namespace fs = std::filesystem;
using sonae::test::source_path;
using sonae::test::TempDir;

std::string quote(const std::string& s) {
    return "'" + s + "'";
}

// Runs sonae in `dir` (stdout.txt and stderr.txt left there); its exit code. A `sonae run`
// with its pictures takes about a minute under load: ten minutes before it counts as hung.
int run(const std::string& args, const TempDir& dir) {
    return sonae::test::run_sonae(args, dir.path(), 600).exit_code;
}

std::string slurp(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string scenario(const std::string& name) {
    return quote(source_path("scenarios/" + name).string());
}

// A recorded drill file split as a coordinator may keep it, "one file per child" (issue 21 item
// 2): 0_drill.csv with the metadata rows (date, start time, scenario) and the drill-wide
// steps, and one file per child with only the date and start time above its rows. Written
// into `folder`; returns the files in name order.
std::vector<fs::path> split_per_child(const fs::path& drill, const fs::path& folder) {
    std::istringstream lines(slurp(drill));
    std::vector<std::string> meta; // lines 1-5: 訓練名, 訓練日, 開始時刻, 参加児童, シナリオ
    std::string header, line; // line 6
    std::map<std::string, std::string> per_file;
    for (int n = 1; std::getline(lines, line); ++n) {
        if (n <= 5)
            meta.push_back(line);
        else if (n == 6)
            header = line;
        else if (!line.empty())
            per_file[line[0] == ',' ? "0_drill" : line.substr(0, line.find(','))] += line + "\n";
    }
    fs::create_directories(folder);
    std::vector<fs::path> parts;
    for (const auto& [name, rows] : per_file) {
        parts.push_back(folder / (name + ".csv"));
        std::ofstream out(parts.back(), std::ios::binary);
        if (name == "0_drill") { // first by name: its scenario is the drill's
            for (const auto& m : meta) out << m << "\n";
        } else {
            out << meta[1] << "\n" << meta[2] << "\n";
        }
        out << header << "\n" << rows;
    }
    return parts;
}

TEST(DrillCli, ReadmeSimulateCommandWorksOnBothDrillScenarios) {
    for (const std::string name : {"shimonoseki-drill", "kudamatsu-drill"}) {
        TempDir dir;
        const auto out = dir / "sim";
        ASSERT_EQ(
            run("simulate " + scenario(name) + " -o " + quote(out.string()) + " --runs 5", dir), 0)
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
        EXPECT_TRUE(fs::exists(out / "drill" / "kit" / "drill_record_template.xlsx")) << name;
        EXPECT_TRUE(fs::exists(out / "drill" / "drill_review.pdf")) << name;
        EXPECT_TRUE(fs::exists(out / "drill" / "drill_council.pdf")) << name;
        EXPECT_NE(slurp(dir / "stdout.txt").find("訓練の振り返り"), std::string::npos) << name;
    }
}

TEST(DrillCli, KudamatsuReviewPrintsTheDangerOfKdm0004) {
    TempDir dir;
    // The recorded drill from a folder (--recorded takes files or folders of them).
    const auto folder = dir / "recorded";
    fs::create_directories(folder);
    fs::copy_file(source_path("scenarios/kudamatsu-drill/data/drill_recorded_2026-03-14.csv"),
                  folder / "drill.csv");
    ASSERT_EQ(run("drill review " + scenario("kudamatsu-drill") + " --runs 0 --recorded " +
                      quote(folder.string()) + " -o " + quote((dir / "r").string()),
                  dir),
              0)
        << slurp(dir / "stderr.txt");
    const auto out = slurp(dir / "stdout.txt");
    EXPECT_NE(out.find("危険: KDM-0004"), std::string::npos) << out;
    // A review already there is replaced only with --overwrite (README, "Commands"): without
    // it, exit 1 and the review stays as it was.
    const auto review = slurp(dir / "r" / "drill_review.csv");
    const auto again = "drill review " + scenario("kudamatsu-drill") + " --runs 0 --recorded " +
                       quote(folder.string()) + " -o " + quote((dir / "r").string());
    EXPECT_EQ(run(again, dir), 1);
    EXPECT_NE(slurp(dir / "stderr.txt").find("--overwrite"), std::string::npos);
    EXPECT_EQ(slurp(dir / "r" / "drill_review.csv"), review);
    EXPECT_EQ(run(again + " --overwrite", dir), 0) << slurp(dir / "stderr.txt");
}

// `sonae drill kit` alone: the sheets in the output folder, and a summary line in Japanese
// that counts them (it said "8 files").
TEST(DrillCli, KitWritesTheSheetsAndCountsThemInJapanese) {
    TempDir dir;
    const auto out = dir / "kit";
    ASSERT_EQ(run("drill kit " + scenario("kudamatsu-drill") + " -o " + quote(out.string()), dir),
              0)
        << slurp(dir / "stderr.txt");
    std::size_t files = 0;
    for (const auto& e : fs::recursive_directory_iterator(out)) files += e.is_regular_file();
    ASSERT_GT(files, 3u);
    EXPECT_TRUE(fs::exists(out / "drill_roles.pdf"));
    EXPECT_TRUE(fs::exists(out / "drill_record_template.xlsx"));
    const auto text = slurp(dir / "stdout.txt");
    EXPECT_NE(text.find("訓練キット (drill kit): " + std::to_string(files) + " ファイル"),
              std::string::npos)
        << text;
    EXPECT_EQ(text.find(" files"), std::string::npos) << text;
}

// plan.json names the scenario's files relative to its folder (issue 23 item 2), but the
// warnings listed at the end of `sonae plan` are the loader's: each once, as the path was given
// (they were listed twice, once per spelling of the path, 10 warnings for 5).
TEST(DrillCli, PlanListsEachLoadWarningOnce) {
    TempDir dir;
    ASSERT_EQ(
        run("plan " + scenario("kudamatsu-drill") + " -o " + quote((dir / "p").string()), dir), 0)
        << slurp(dir / "stderr.txt");
    const auto err = slurp(dir / "stderr.txt");
    EXPECT_EQ(err.find("file 'data/facilities.csv'"), std::string::npos) << err;
    const std::string place = "facilities.csv', line 2, field '看護師数'";
    const auto first = err.find(place);
    ASSERT_NE(first, std::string::npos) << err;
    EXPECT_EQ(err.find(place, first + 1), std::string::npos) << err;
    // plan.json keeps them, relative to the scenario's folder.
    EXPECT_NE(slurp(dir / "p" / "plan.json").find("file 'data/facilities.csv', line 2"),
              std::string::npos);
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
        {head + "KDM-0001,到着,10:00\nKDM-0001,arrived,10:05\n",
         "line 4, field '段階', value 'arrived'"},
        {head + ",昼食休憩,10:00\n", "line 3, field '段階', value '昼食休憩'"},
    };
    for (const auto& c : cases) {
        TempDir dir;
        const auto bad = dir / "bad.csv";
        std::ofstream(bad, std::ios::binary) << c.body;
        const auto out = dir / "r";
        EXPECT_EQ(run("drill review " + scenario("kudamatsu-drill") + " --runs 0 --recorded " +
                          quote(bad.string()) + " -o " + quote(out.string()),
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
    std::ofstream(changes, std::ios::binary)
        << "児童ID,項目,計画(分),訓練の実績(分),提案,採用\nKDM-0002,packing_min,20.0,27.0,,はい\n"
           "KDM-0003,loading_min,10.0,17.5,,はい\nKDM-0001,connect_min,15.0,31.0,,はい\n"
           "KDM-0004,connect_min,15.0,40.0,,いいえ\n";
    EXPECT_EQ(run("drill apply " + quote(changes.string()) + " --registry " +
                      quote(registry.string()) + " -o " + quote(registry.string()),
                  dir),
              2);
    EXPECT_EQ(slurp(registry), original);
    const auto out = dir / "registry_after_drill.csv";
    ASSERT_EQ(run("drill apply " + quote(changes.string()) + " --registry " +
                      quote(registry.string()) + " -o " + quote(out.string()),
                  dir),
              0)
        << slurp(dir / "stderr.txt");
    EXPECT_EQ(slurp(registry), original);
    EXPECT_NE(slurp(out).find("packing_min,loading_min,connect_min"), std::string::npos);
    const auto stdout_text = slurp(dir / "stdout.txt");
    EXPECT_NE(stdout_text.find("反映 (drill apply): 3 件"), std::string::npos) << stdout_text;
    EXPECT_NE(stdout_text.find("KDM-0002 packing_min （空） -> 27"), std::string::npos)
        << stdout_text;
    EXPECT_NE(stdout_text.find("KDM-0003 loading_min （空） -> 18"), std::string::npos)
        << stdout_text; // 17.5 rounded up
    EXPECT_NE(stdout_text.find("KDM-0001 connect_min （空） -> 31"), std::string::npos)
        << stdout_text;
    EXPECT_EQ(stdout_text.find("KDM-0004"), std::string::npos) << stdout_text; // not accepted
    EXPECT_EQ(fs::status(out).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    // The new registry is not replaced without --overwrite (exit 1, the file as it was).
    const auto written = slurp(out);
    const auto again = "drill apply " + quote(changes.string()) + " --registry " +
                       quote(registry.string()) + " -o " + quote(out.string());
    EXPECT_EQ(run(again, dir), 1);
    EXPECT_EQ(slurp(out), written);
    EXPECT_EQ(run(again + " --overwrite", dir), 0) << slurp(dir / "stderr.txt");
}

} // namespace

namespace {

// Year over year (issue 21 item 5): the Kudamatsu drill of 2026 (the scenario's) and a second,
// synthetic one of 2027 (tests/data/drill) in which the ambulance waited in 下松 at level 3.
// KDM-0004's 搬出 (carried out) took 35 min after 準備完了 in 2026 (10:30 -> 11:05) and 5 min in
// 2027 (10:30 -> 10:35): -30 min, faster; KDM-0002's 準備完了 took 42 min (9:38 -> 10:20) and
// 52 min (9:38 -> 10:30): +10, slower. KDM-0003 took part only in 2026.
TEST(DrillCli, CompareTwoYearsOfTheKudamatsuDrill) {
    TempDir dir;
    const auto before = source_path("scenarios/kudamatsu-drill/data/drill_recorded_2026-03-14.csv");
    const auto after = source_path("tests/data/drill/kudamatsu_recorded_2027-03-13.csv");
    // The 2027 drill kept as one file per child in a folder (the 2026 one is a single file);
    // sim_drill_test's DrillCompare.OneFilePerChildGivesTheSameComparisonAsOneFile shows the
    // merge equals the single file.
    const auto parts = split_per_child(after, dir / "2027");
    ASSERT_EQ(parts.size(), 5u); // the drill-wide steps and four children
    std::ofstream(dir / "2027" / "readme.txt") << "not a drill file\n"; // left out of the folder
    const auto out = dir / "compare";
    ASSERT_EQ(run("drill compare " + quote(before.string()) + " " + quote((dir / "2027").string()) +
                      " -o " + quote(out.string()),
                  dir),
              0)
        << slurp(dir / "stderr.txt");
    EXPECT_NE(slurp(out / "drill_compare.html").find("KDM-0001.csv"),
              std::string::npos); // the files read
    for (const auto* name : {"drill_compare.pdf", "drill_compare.html", "drill_compare.csv"}) {
        ASSERT_TRUE(fs::exists(out / name)) << name;
        EXPECT_EQ(sonae::test::file_mode(out / name), 0600u) << name << ": personal data";
    }
    const auto csv = slurp(out / "drill_compare.csv");
    EXPECT_EQ(csv.rfind("\xEF\xBB\xBF", 0), 0u) << "UTF-8 with BOM";
    EXPECT_NE(csv.find("KDM-0004,搬出,95.0,65.0,35.0,5.0,-30.0,速くなった"), std::string::npos)
        << csv;
    EXPECT_NE(csv.find("KDM-0002,準備完了,50.0,60.0,42.0,52.0,10.0,遅くなった"), std::string::npos)
        << csv;
    EXPECT_EQ(csv.find("KDM-0003"), std::string::npos)
        << "a child in one drill only is not compared";
    const auto text = sonae::test::squeeze(sonae::test::pdf_text(out / "drill_compare.pdf"));
    for (const auto* words : {"訓練の比較", "KDM-0004", "速くなった", "遅くなった",
                              "片方の訓練だけに参加した児童", "KDM-0003", "2027年3月13日"}) {
        EXPECT_NE(text.find(sonae::test::squeeze(words)), std::string::npos) << words;
    }
    // An input named like an output is never overwritten: exit 2, the file unchanged.
    const auto own = dir / "own";
    fs::create_directories(own);
    fs::copy_file(after, own / "drill_compare.csv");
    const auto before_bytes = slurp(own / "drill_compare.csv");
    EXPECT_EQ(run("drill compare " + quote(before.string()) + " " +
                      quote((own / "drill_compare.csv").string()) + " -o " + quote(own.string()),
                  dir),
              2);
    EXPECT_EQ(slurp(own / "drill_compare.csv"), before_bytes);
    EXPECT_FALSE(fs::exists(own / "drill_compare.pdf"));
}

// Drills of different scenarios cannot be compared: exit 2 naming the file, the シナリオ row,
// and nothing written.
TEST(DrillCli, CompareDrillsOfDifferentScenariosExitsTwo) {
    TempDir dir;
    const auto kudamatsu =
        source_path("scenarios/kudamatsu-drill/data/drill_recorded_2026-03-14.csv");
    const auto shimonoseki =
        source_path("scenarios/shimonoseki-drill/data/drill_recorded_2026-06-13.csv");
    const auto out = dir / "compare";
    EXPECT_EQ(run("drill compare " + quote(kudamatsu.string()) + " " + quote(shimonoseki.string()) +
                      " -o " + quote(out.string()),
                  dir),
              2);
    const auto err = slurp(dir / "stderr.txt");
    EXPECT_NE(err.find(shimonoseki.string()), std::string::npos) << err;
    EXPECT_NE(err.find("line 5, field 'シナリオ', value 'shimonoseki-drill'"), std::string::npos)
        << err;
    EXPECT_NE(err.find("different scenarios"), std::string::npos) << err;
    EXPECT_FALSE(fs::exists(out)) << "nothing is written";
}

// `drill compare` with one file per child, bad input (exit 2 naming the file, nothing
// written): the same file for both drills (--before/--after, repeatable), a folder without
// drill files, and a child's file naming another scenario than its drill's other files.
TEST(DrillCli, CompareOneFilePerChildBadInputsExitTwo) {
    TempDir dir;
    const auto before = source_path("scenarios/kudamatsu-drill/data/drill_recorded_2026-03-14.csv");
    const auto parts = split_per_child(
        source_path("tests/data/drill/kudamatsu_recorded_2027-03-13.csv"), dir / "2027");
    const auto bad = dir / "bad";
    std::string options = "drill compare --before " + quote(before.string());
    for (const auto& p : parts) options += " --after " + quote(p.string());
    EXPECT_EQ(
        run(options + " --after " + quote(before.string()) + " -o " + quote(bad.string()), dir), 2);
    EXPECT_NE(slurp(dir / "stderr.txt").find("the same file is given for both drills"),
              std::string::npos)
        << slurp(dir / "stderr.txt");
    const auto empty = dir / "empty";
    fs::create_directories(empty);
    EXPECT_EQ(run("drill compare " + quote(before.string()) + " " + quote(empty.string()) + " -o " +
                      quote(bad.string()),
                  dir),
              2);
    EXPECT_NE(slurp(dir / "stderr.txt").find(empty.string()), std::string::npos)
        << slurp(dir / "stderr.txt");
    const auto other = dir / "2027" / "KDM-0009.csv";
    std::ofstream(other, std::ios::binary)
        << "シナリオ,shimonoseki-drill\n児童ID,段階,記録時刻\nKDM-0009,出発,30\n";
    EXPECT_EQ(run("drill compare " + quote(before.string()) + " " + quote((dir / "2027").string()) +
                      " -o " + quote(bad.string()),
                  dir),
              2);
    const auto err = slurp(dir / "stderr.txt");
    EXPECT_NE(err.find(other.string()), std::string::npos) << err;
    EXPECT_NE(err.find("line 1, field 'シナリオ', value 'shimonoseki-drill'"), std::string::npos)
        << err;
    EXPECT_NE(err.find("different scenarios"), std::string::npos) << err;
    EXPECT_FALSE(fs::exists(bad)) << "nothing is written";
}

} // namespace
