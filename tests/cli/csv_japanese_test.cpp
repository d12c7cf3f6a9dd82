// The staff's spreadsheets in their language (issue 23 item 3): every CSV that `sonae run`,
// `sonae guidebook` and `sonae guidebook --data` write holds Japanese values (ids and units
// may be ASCII), numeric columns hold a number or nothing, plan.csv and plan_children.csv are
// one table, a registry written in Japanese comes back in Japanese, and events.csv has its
// 日時 column when the manifest gives t0_clock.
//
// The scenario is the bundled kudamatsu-drill with its registry rewritten the way a town
// writes it (Japanese headers and values: 車椅子, 人工呼吸器, 気切, ○) and a t0_clock; its
// drill section is dropped (the drill files list all 10 children).
#include "planner/csv.hpp"
#include "tests/support/paths.hpp"
#include "tests/support/run_cli.hpp"
#include "tests/support/scenario_copy.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace sonae;

namespace {

// The registry as a town's office writes it: Japanese headers, Japanese values, ○ for yes.
// Homes are those of KDM-0001..0005 in the bundled registry (synthetic children).
constexpr const char* kJapaneseRegistry =
    "\xEF\xBB\xBF仮名ID,市町村コード,経度,緯度,医療的ケア,使用機器,移動方法,自家用車,支援者数,"
    "名簿情報提供同意,計画情報提供同意\n"
    "KDM-0001,352071,131.876911,34.015190,人工呼吸器;気切;吸引;経管栄養,人工呼吸器:1;吸引器:1;"
    "加温加湿器:1;パルスオキシメーター:1,車椅子,自家用車,2,○,○\n"
    "KDM-0002,352071,131.871676,34.036073,酸素;経管栄養,酸素濃縮器:1;パルスオキシメーター:1,抱っこ,"
    "自家用車,2,○,○\n"
    "KDM-0003,352071,131.876413,34.082644,気切;吸引,吸引器:1;パルスオキシメーター:1,ストレッチャー,"
    "なし,1,○,○\n"
    "KDM-0005,352071,131.912154,34.034098,排便管理,,歩行,自家用車,1,○,○\n";

struct Table {
    fs::path file;
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
    std::size_t column(const std::string& name) const {
        for (std::size_t k = 0; k < header.size(); ++k)
            if (header[k] == name) return k;
        ADD_FAILURE() << file << ": no column " << name;
        return 0;
    }
};

Table read_table(const fs::path& file) {
    const auto doc = planner::read_csv_file(file);
    Table t{file, {}, {}};
    EXPECT_FALSE(doc.records.empty()) << file;
    if (doc.records.empty()) return t;
    EXPECT_TRUE(doc.had_bom) << file << ": Excel needs the BOM";
    t.header = doc.records.front().fields;
    for (std::size_t r = 1; r < doc.records.size(); ++r) t.rows.push_back(doc.records[r].fields);
    return t;
}

// An id (KDM-0001, HP-01, AMB-1, 352071) or a unit or an acronym people read as it is.
const std::set<std::string> kAllowedWords = {"ID",   "km",  "kW",   "kWh", "CPAP",
                                             "NPPV", "HME", "PHEV", "HEV", "SpO",
                                             "NHK",  "TEL", "FAX",  "Web", "web"};

// ASCII words (2+ letters) in a value, ids removed first.
std::vector<std::string> english_words(const std::string& value) {
    static const std::regex id(R"([A-Za-z]+-[0-9A-Za-z-]+)");
    static const std::regex word(R"([A-Za-z]{2,})");
    const std::string without_ids = std::regex_replace(value, id, " ");
    std::vector<std::string> out;
    for (auto it = std::sregex_iterator(without_ids.begin(), without_ids.end(), word);
         it != std::sregex_iterator(); ++it) {
        if (!kAllowedWords.count(it->str())) out.push_back(it->str());
    }
    return out;
}

// A column whose header names a unit or a count: it holds numbers (or nothing).
bool numeric_header(const std::string& h) {
    for (const char* unit : {"（km）",     "（分）",     "（W）",
                             "（時間）",   "（kW）",     "（kWh）",
                             "（L）",      "(分)",       "(%)",
                             "経度",       "緯度",       "経過秒",
                             "受入人数",   "定員",       "必要コンセント",
                             "必要看護師", "必要介護職", "事前充電する外部バッテリー",
                             "支援者数",   "児童数"}) {
        if (h.find(unit) != std::string::npos) return true;
    }
    return false;
}

bool is_number(const std::string& v) {
    return std::regex_match(v, std::regex(R"(-?[0-9]+(\.[0-9]+)?)"));
}

// Every cell of every file: no English outside ids and units, numbers (or nothing, or the
// council's "x") in numeric columns, never 「—」. Returns the number of cells checked.
std::size_t check_cells(const std::vector<fs::path>& files) {
    std::size_t cells = 0;
    for (const auto& file : files) {
        const auto t = read_table(file);
        for (const auto& h : t.header) {
            EXPECT_TRUE(english_words(h).empty()) << file.filename() << ": header " << h;
        }
        for (const auto& row : t.rows) {
            for (std::size_t k = 0; k < row.size() && k < t.header.size(); ++k) {
                const auto& h = t.header[k];
                ++cells;
                if (h.size() >= 2 && h.compare(h.size() - 2, 2, "ID") == 0)
                    continue; // ids stay as written
                const auto words = english_words(row[k]);
                EXPECT_TRUE(words.empty()) << file.filename() << ": column " << h << " holds '"
                                           << words.front() << "' in: " << row[k];
                // A numeric column: a number, nothing, or the council's "x" for a hidden count.
                if (numeric_header(h) && !row[k].empty() && row[k] != "x") {
                    EXPECT_TRUE(is_number(row[k]))
                        << file.filename() << ": column " << h << " = " << row[k];
                }
                EXPECT_NE(row[k], "—") << file.filename() << ": column " << h;
            }
        }
    }
    return cells;
}

std::vector<fs::path> csv_files(const std::vector<fs::path>& roots) {
    std::vector<fs::path> files;
    for (const auto& root : roots) {
        for (const auto& e : fs::recursive_directory_iterator(root))
            if (e.path().extension() == ".csv") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    return files;
}

} // namespace

TEST(CsvJapanese, EveryCellIsJapaneseAndNumericColumnsAreNumbers) {
    test::TempDir dir;
    const auto scenario = test::copy_scenario("kudamatsu-drill", dir.path() / "scenario",
                                              "2026-03-14T10:00+09:00", kJapaneseRegistry);
    const fs::path out = dir / "out";
    const auto run = test::run_sonae("run " + test::quoted(scenario) + " -o " + test::quoted(out) +
                                         " --runs 3 --no-pictures",
                                     dir.path(), 600);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const fs::path plan = out / "plan" / "plan.json";
    const auto data = test::run_sonae("guidebook " + test::quoted(plan) + " --data -o " +
                                          test::quoted(dir / "data"),
                                      dir.path(), 600);
    ASSERT_EQ(data.exit_code, 0) << data.err;
    const auto books = test::run_sonae(
        "guidebook " + test::quoted(plan) + " -o " + test::quoted(dir / "books"), dir.path(), 600);
    ASSERT_EQ(books.exit_code, 0) << books.err;

    const auto files = csv_files({out, dir / "data", dir / "books"});
    // plan, facilities, events, sim_children, sim_runs, council x2, guidebook_data, plan_children
    ASSERT_GE(files.size(), 9u);
    const std::size_t cells = check_cells(files);
    EXPECT_GT(cells, 500u);

    // One per-child table: plan.csv and the guidebook command's plan_children.csv have the same
    // headers and the same values (names are empty without --with-names).
    const auto plan_csv = read_table(out / "plan" / "plan.csv");
    const auto children_csv = read_table(dir / "books" / "plan_children.csv");
    EXPECT_EQ(plan_csv.header, children_csv.header);
    EXPECT_EQ(plan_csv.rows, children_csv.rows);

    // The registry written in Japanese comes back in Japanese.
    ASSERT_EQ(plan_csv.rows.size(), 4u);
    const auto& kdm1 = plan_csv.rows[0];
    EXPECT_EQ(kdm1[plan_csv.column("児童ID")], "KDM-0001");
    EXPECT_EQ(kdm1[plan_csv.column("移動")], "車いす");
    EXPECT_EQ(kdm1[plan_csv.column("医療的ケア")], "人工呼吸器の管理、気管切開、吸引、経管栄養");
    EXPECT_EQ(kdm1[plan_csv.column("医療機器")],
              "加温加湿器、パルスオキシメーター、吸引器、在宅人工呼吸器"); // by device id
    EXPECT_EQ(kdm1[plan_csv.column("市町")], "下松市");
    EXPECT_EQ(plan_csv.rows[3][plan_csv.column("移動")], "歩ける");

    // t0 has a clock (10:00 JST): the table's times are local dates and times, and events.csv's
    // 日時 is filled: an event at 経過秒 s is at 10:00 + s.
    std::size_t timed = 0;
    for (const auto& row : plan_csv.rows) {
        const auto& arrival = row[plan_csv.column("到着予定")];
        if (arrival.empty()) continue;
        ++timed;
        EXPECT_TRUE(
            std::regex_match(arrival, std::regex(R"(2026-03-14 (1[0-9]|2[0-3]):[0-5][0-9])")))
            << arrival;
    }
    EXPECT_GT(timed, 0u);
    const auto events = read_table(out / "simulation" / "events.csv");
    ASSERT_FALSE(events.rows.empty());
    for (const auto& row : events.rows) {
        const long long s = std::stoll(row[events.column("経過秒")]);
        const long long at = 10 * 3600 + s;
        char expect[48];
        std::snprintf(expect, sizeof expect, "2026-03-14 %02lld:%02lld:%02lld", at / 3600,
                      at / 60 % 60, at % 60);
        ASSERT_EQ(row[events.column("日時")], expect);
    }

    // sim_children.csv says what the plan does for each child; a child it keeps at home has
    // no arrival and no deadline to miss (empty cells; they were 0 and 1.000), a child who
    // leaves has both.
    const auto sim_children = read_table(out / "simulation" / "sim_children.csv");
    std::map<std::string, int> by_outcome;
    for (const auto& row : sim_children.rows) {
        const auto& outcome = row[sim_children.column("計画")];
        ++by_outcome[outcome];
        const auto& arrival = row[sim_children.column("到着 p50(分)")];
        const auto& miss = row[sim_children.column("期限に遅れる確率")];
        if (outcome == "在宅避難") {
            EXPECT_EQ(arrival, "") << row[0];
            EXPECT_EQ(miss, "") << row[0];
        } else if (outcome == "避難") {
            EXPECT_TRUE(is_number(arrival)) << row[0] << ": " << arrival;
            EXPECT_TRUE(is_number(miss)) << row[0] << ": " << miss;
        }
    }
    EXPECT_GT(by_outcome["在宅避難"], 0);
    EXPECT_GT(by_outcome["避難"], 0);

    // facilities.csv: kinds in Japanese, capacity a number or nothing.
    const auto facilities = read_table(out / "plan" / "facilities.csv");
    std::set<std::string> kinds;
    for (const auto& row : facilities.rows) kinds.insert(row[facilities.column("種別")]);
    EXPECT_TRUE(kinds.count("病院") || kinds.count("福祉避難所")) << "kinds: " << kinds.size();
}

// The drill's spreadsheets too: the review (drill_review.csv, drill_changes.csv,
// drill_flags.csv), its council version (drill_council.csv) and the year-over-year comparison
// (drill_compare.csv) of the bundled kudamatsu-drill's recorded drill and the 2027 one of
// tests/data/drill. Before, drill_review.csv and drill_compare.csv carried an English `step`
// column (packing_done, arrived), drill_flags.csv a `code` column (arrived_after_hazard),
// drill_changes.csv 項目 `packing_min`, and drill_council.csv 「—」 and 「±0.0」 in its
// minutes column. --runs 0: no simulation (the p50/p95 columns stay empty).
TEST(CsvJapanese, DrillSpreadsheetsAreJapaneseAndNumericColumnsAreNumbers) {
    test::TempDir dir;
    const auto scenario = test::source_path("scenarios/kudamatsu-drill");
    const auto review = test::run_sonae("drill review " + test::quoted(scenario) + " --runs 0 -o " +
                                            test::quoted(dir / "review"),
                                        dir.path(), 600);
    ASSERT_EQ(review.exit_code, 0) << review.err;
    const auto compare = test::run_sonae(
        "drill compare " +
            test::quoted(test::scenario_data("kudamatsu-drill", "drill_recorded_2026-03-14.csv")) +
            " " + test::quoted(test::test_data("drill/kudamatsu_recorded_2027-03-13.csv")) +
            " -o " + test::quoted(dir / "compare"),
        dir.path(), 600);
    ASSERT_EQ(compare.exit_code, 0) << compare.err;
    const auto files = csv_files({dir / "review", dir / "compare"});
    std::set<std::string> names;
    for (const auto& f : files) names.insert(f.filename().string());
    for (const char* name : {"drill_review.csv", "drill_changes.csv", "drill_flags.csv",
                             "drill_council.csv", "drill_compare.csv"}) {
        EXPECT_TRUE(names.count(name)) << name << " was not written";
    }
    EXPECT_GT(check_cells(files), 300u);

    // The changes name the registry's Japanese column (準備時間 = packing_min), and the
    // flags their kind: KDM-0004 arrives at 160 min, after the slide at 150 min.
    const auto changes = read_table(dir / "review" / "drill_changes.csv");
    std::set<std::string> fields;
    for (const auto& row : changes.rows) fields.insert(row[changes.column("項目")]);
    EXPECT_TRUE(fields.count("準備時間")) << changes.rows.size() << " changes";
    const auto flags = read_table(dir / "review" / "drill_flags.csv");
    bool late = false;
    for (const auto& row : flags.rows) {
        late = late || (row[0] == "KDM-0004" && row[flags.column("指摘")] == "災害到達後に到着" &&
                        row[flags.column("実績(分)")] == "160.0" &&
                        row[flags.column("期限(分)")] == "150.0");
    }
    EXPECT_TRUE(late);
}
