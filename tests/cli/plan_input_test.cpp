// A plan.json that does not match its scenario, or was edited into nonsense, is bad input
// (issue 24 item 2, 3): `sonae simulate --plan` and `sonae guidebook` exit 2 naming the plan
// file, the field path and the id or value, and write nothing. Before: a child removed from the
// plan ended in "unordered_map::at" (a vehicle tour still stopped for it), an unknown facility
// id printed 間に合う beside 「避難先: 決まっていません」, a margin of 1e308 printed
// 「-2562047788015215時間30分」, and a type error named no field.
//
// The plans are made here from the bundled kudamatsu-drill scenario and edited as a user
// would (the edits are written out below), so they follow the plan format as it is.
#include "tests/support/paths.hpp"
#include "tests/support/run_cli.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>

namespace fs = std::filesystem;
using nlohmann::ordered_json;

namespace {

struct Edit {
    const char* name;
    std::function<void(ordered_json&)> apply;
    std::vector<std::string> named; ///< the message must contain each (besides the file)
    bool simulate_only = false;     ///< needs the scenario to be seen (a child removed/added)
};

ordered_json read_json(const fs::path& p) {
    std::ifstream in(p);
    return ordered_json::parse(in);
}

/// The first child that has a facility and travels on a tour stop, or else the first with a
/// facility.
std::size_t child_with_facility(const ordered_json& plan) {
    for (std::size_t i = 0; i < plan["children"].size(); ++i) {
        if (!plan["children"][i]["facility_id"].get<std::string>().empty()) return i;
    }
    return 0;
}

class PlanInput : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        s_dir = new sonae::test::TempDir();
        const auto r = sonae::test::run_sonae(
            "plan " + sonae::test::quoted(sonae::test::source_path("scenarios/kudamatsu-drill")) +
                " -o " + sonae::test::quoted(*s_dir / "made"),
            s_dir->path(), 300);
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    static void TearDownTestSuite() {
        delete s_dir;
        s_dir = nullptr;
    }
    static sonae::test::TempDir* s_dir;
};
sonae::test::TempDir* PlanInput::s_dir = nullptr;

TEST_F(PlanInput, MismatchedOrEditedPlansExitTwoNamingFileFieldAndValue) {
    const ordered_json good = read_json(*s_dir / "made" / "plan.json");
    ASSERT_GE(good["children"].size(), 4u);
    const std::size_t k = child_with_facility(good);
    const std::string id0 = good["children"][0]["child_id"].get<std::string>();
    const std::string idk = good["children"][k]["child_id"].get<std::string>();
    const std::string path_k = "children[" + std::to_string(k) + "]";

    const std::vector<Edit> edits{
        // The first child removed: the registry's child is named.
        {"child_removed",
         [](ordered_json& p) { p["children"].erase(0); },
         {"children", id0, "missing from the plan"},
         true},
        // A child that is not in the registry added (a copy of the first under another id).
        {"child_added",
         [](ordered_json& p) {
             auto c = p["children"][0];
             c["child_id"] = "KDM-9999";
             p["children"].push_back(c);
         },
         {"KDM-9999", "not in the scenario's registry"},
         true},
        // The facility id changed by hand: not among the plan's facilities.
        {"unknown_facility",
         [k](ordered_json& p) { p["children"][k]["facility_id"] = "NO-SUCH-SITE"; },
         {path_k + ".facility_id", "NO-SUCH-SITE"}},
        // A number written as text: the path of the field and the value.
        {"type_error",
         [](ordered_json& p) { p["children"][3]["margin_s"] = "12"; },
         {"children[3].margin_s", "\"12\"", "type must be number, but is string"}},
        // A margin of 1e308 (was printed as -2562047788015215時間30分): out of range, as written.
        {"huge_margin",
         [](ordered_json& p) { p["children"][1]["margin_s"] = 1e308; },
         {"children[1].margin_s", "1e+308", "out of range"}},
        // Two children with one id: one guidebook would overwrite the other.
        {"duplicate_child",
         [id0](ordered_json& p) { p["children"][1]["child_id"] = id0; },
         {"children[1].child_id", id0, "duplicate child id"}},
        // Two ids that differ only in case: on Windows and macOS their guidebooks are one file.
        {"child_id_case",
         [id0](ordered_json& p) {
             std::string lower = id0;
             for (auto& ch : lower) ch = static_cast<char>(std::tolower(ch));
             p["children"][1]["child_id"] = lower;
         },
         {"children[1].child_id", "only in upper and lower case"}},
        // An id the registry would refuse: it names the guidebook's file ("a/b" and "a_b" were
        // one file, guidebook_a_b.pdf; 300 bytes failed while writing).
        {"id_with_slash",
         [](ordered_json& p) { p["children"][1]["child_id"] = "KDM/0002"; },
         {"children[1].child_id", "KDM/0002", "slash"}},
        // A home that is no point.
        {"home_not_a_point",
         [](ordered_json& p) {
             p["children"][2]["home"] = ordered_json::array({131.9, 95.0});
         },
         {"children[2].home", "not a point"}},
        // A field removed: the path of the object that lacks it.
        {"missing_field",
         [](ordered_json& p) { p["children"][2].erase("leave_by_s"); },
         {"children[2]", "leave_by_s"}},
    };
    const fs::path scenario = sonae::test::source_path("scenarios/kudamatsu-drill");
    for (const auto& e : edits) {
        SCOPED_TRACE(e.name);
        ordered_json plan = good;
        e.apply(plan);
        const fs::path file = *s_dir / (std::string(e.name) + ".json");
        std::ofstream(file) << plan.dump(2);
        const fs::path out = *s_dir / (std::string("out_") + e.name);
        const auto sim = sonae::test::run_sonae("simulate " + sonae::test::quoted(scenario) +
                                                    " --plan " + sonae::test::quoted(file) +
                                                    " --runs 2 -o " + sonae::test::quoted(out),
                                                s_dir->path());
        EXPECT_EQ(sim.exit_code, 2) << sim.err;
        EXPECT_NE(sim.err.find(file.string()), std::string::npos) << sim.err;
        for (const auto& w : e.named)
            EXPECT_NE(sim.err.find(w), std::string::npos) << "'" << w << "' not in: " << sim.err;
        EXPECT_EQ(sim.err.find("unordered_map"), std::string::npos) << sim.err;
        EXPECT_FALSE(fs::exists(out) && !fs::is_empty(out)) << "simulate wrote into " << out;
        if (e.simulate_only) continue;
        const auto book = sonae::test::run_sonae("guidebook " + sonae::test::quoted(file) + " -o " +
                                                     sonae::test::quoted(out),
                                                 s_dir->path());
        EXPECT_EQ(book.exit_code, 2) << book.err;
        EXPECT_NE(book.err.find(file.string()), std::string::npos) << book.err;
        for (const auto& w : e.named)
            EXPECT_NE(book.err.find(w), std::string::npos) << "'" << w << "' not in: " << book.err;
        EXPECT_FALSE(fs::exists(out) && !fs::is_empty(out)) << "guidebook wrote into " << out;
    }
    // The plan as made passes both.
    const auto ok =
        sonae::test::run_sonae("simulate " + sonae::test::quoted(scenario) + " --plan " +
                                   sonae::test::quoted(*s_dir / "made" / "plan.json") +
                                   " --runs 2 -o " + sonae::test::quoted(*s_dir / "out_ok"),
                               s_dir->path());
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

} // namespace
