// An Excel registry gives the same plan as the CSV it holds: the Kochi tsunami scenario is
// planned twice, once with its registry.csv and once with tests/data/table_reader/
// kochi_registry.xlsx (the same children, Japanese headers, a cover sheet and a title row).
#include "core/error.hpp"
#include "planner/plan_io.hpp"
#include "planner/planner.hpp"
#include "planner/scenario.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace sonae::planner {
namespace {

/// The Kochi manifest rewritten with absolute data paths and the given registry.
std::filesystem::path kochi_manifest(const test::TempDir& dir, const std::string& name,
                                     const std::filesystem::path& registry,
                                     const std::string& registry_keys = {}) {
    const auto scenario = test::source_path("scenarios/kochi-tsunami");
    std::ifstream in(scenario / "scenario.toml");
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    const std::string registry_line = "path = \"data/registry.csv\"";
    const auto at = text.find(registry_line);
    EXPECT_NE(at, std::string::npos);
    text.replace(at, registry_line.size(), "path = \"" + registry.string() + "\"" + registry_keys);
    for (std::size_t pos = 0; (pos = text.find("path = \"data/", pos)) != std::string::npos;) {
        const std::string absolute = "path = \"" + (scenario / "data").string() + "/";
        text.replace(pos, std::string("path = \"data/").size(), absolute);
        pos += absolute.size();
    }
    const auto manifest = dir / (name + ".toml");
    std::ofstream(manifest) << text;
    return manifest;
}

TEST(XlsxRegistry, GivesTheSamePlanAsItsCsv) {
    const test::TempDir dir;
    const auto csv =
        kochi_manifest(dir, "csv", test::source_path("scenarios/kochi-tsunami/data/registry.csv"));
    const auto xlsx = kochi_manifest(
        dir, "xlsx", test::source_path("tests/data/table_reader/kochi_registry.xlsx"));
    const LoadedScenario from_csv = load_scenario(csv);
    const LoadedScenario from_xlsx = load_scenario(xlsx);
    ASSERT_EQ(from_xlsx.registry.size(), 16u);
    Plan a = make_plan(from_csv);
    Plan b = make_plan(from_xlsx);
    // The plan lists the load warnings with their file and line; those about the registry
    // name its own file (and the workbook's title row), everything else must be equal.
    const auto drop_registry_warnings = [](Plan& plan, const std::string& file) {
        std::erase_if(plan.warnings,
                      [&](const std::string& w) { return w.find(file) != std::string::npos; });
    };
    drop_registry_warnings(a, "registry.csv");
    drop_registry_warnings(b, "kochi_registry.xlsx");
    ASSERT_EQ(a.children.size(), 16u);
    EXPECT_EQ(plan_to_json(a), plan_to_json(b));
}

// The manifest may name the sheet (`sheet = "名簿"`): the same plan. A sheet that does not
// exist, or one without the required columns (the cover sheet 説明), is bad input naming the
// workbook and the sheets.
TEST(XlsxRegistry, SheetNamedInTheManifest) {
    const test::TempDir dir;
    const auto workbook = test::source_path("tests/data/table_reader/kochi_registry.xlsx");
    const auto by_name = kochi_manifest(dir, "named", workbook, "\nsheet = \"名簿\"");
    const auto first = kochi_manifest(dir, "first", workbook);
    const ScenarioManifest m = read_manifest(by_name);
    EXPECT_EQ(m.registry_sheet, "名簿");
    EXPECT_EQ(plan_to_json(make_plan(load_scenario(by_name))),
              plan_to_json(make_plan(load_scenario(first))));

    const auto expect_bad = [&](const std::string& name, const std::string& keys,
                                const std::vector<std::string>& words) {
        try {
            (void)load_scenario(kochi_manifest(dir, name, workbook, keys));
            ADD_FAILURE() << name << ": loaded";
        } catch (const InputError& e) {
            const std::string text = e.what();
            EXPECT_NE(text.find("kochi_registry.xlsx"), std::string::npos) << text;
            for (const auto& w : words)
                EXPECT_NE(text.find(w), std::string::npos)
                    << name << ": " << w << " not in " << text;
        }
    };
    expect_bad("missing_sheet", "\nsheet = \"利用者\"", {"利用者", "説明", "名簿"});
    expect_bad("cover_sheet", "\nsheet = \"説明\"", {"説明"});
    // `sheet` and `layer` are one thing: two different names are refused, naming the key.
    try {
        (void)read_manifest(
            kochi_manifest(dir, "both", workbook, "\nsheet = \"名簿\"\nlayer = \"説明\""));
        ADD_FAILURE() << "sheet and layer both accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where().field, "registry.sheet") << e.what();
    }
}

} // namespace
} // namespace sonae::planner
