// Table-driven test over the malformed registries in tests/bad_inputs/registry/ (synthetic).
// Each file is one kind of problem; every problem must be reported with file, line (when a
// line applies), column and value, and no row may vanish: rows read = loaded + rejected.
#include "planner/validate.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

namespace sonae::planner {
namespace {

enum class Level { ok, warning, error };

struct Case {
    const char* file;
    Level level;
    std::size_t loaded;
    const char* field = "";   ///< a diagnostic must name this column ("" = any)
    const char* message = ""; ///< ... and contain this text
    std::int64_t line = -1;   ///< ... on this line (-1 = any)
    TextEncoding encoding = TextEncoding::automatic;
};

const Case kCases[] = {
    {"01_empty.csv", Level::error, 0, "", "empty"},
    {"02_header_only.csv", Level::warning, 0, "", "no data rows"},
    {"03_missing_id_column.csv", Level::error, 0, "id", "required column"},
    {"04_missing_lat_column.csv", Level::error, 0, "home_lat", "required column"},
    {"05_shift_jis_ok.csv", Level::ok, 1},
    {"06_shift_jis_read_as_utf8.csv", Level::error, 0, "", "not valid utf-8", 1,
     TextEncoding::utf8},
    {"07_utf16_from_excel.csv", Level::error, 0, "", "UTF-16"},
    {"08_xlsx_renamed.csv", Level::error, 0, "", "xlsx"},
    {"09_utf8_bom_ok.csv", Level::ok, 1},
    {"10_bad_number.csv", Level::error, 0, "home_lon", "not a number", 2},
    {"11_decimal_comma.csv", Level::error, 0, "home_lat", "not a number", 2},
    {"12_fullwidth_digits_ok.csv", Level::ok, 1},
    {"13_duplicate_id.csv", Level::error, 1, "id", "duplicate id", 3},
    {"14_unknown_device.csv", Level::error, 0, "devices", "unknown device 'toaster'", 2},
    {"15_device_bad_watts.csv", Level::error, 0, "devices", "cannot read", 2},
    {"16_device_watts_implausible.csv", Level::warning, 1, "devices", "plausible range", 2},
    {"17_unknown_care_item.csv", Level::error, 0, "care_items", "unknown care item '15'", 2},
    {"18_outside_japan.csv", Level::error, 0, "home_lon", "outside Japan", 2},
    {"19_lat_lon_swapped.csv", Level::error, 0, "home_lon", "swapped", 2},
    {"20_lon_out_of_range.csv", Level::error, 0, "home_lon", "out of range", 2},
    {"21_bad_check_digit.csv", Level::error, 0, "municipality_code", "JIS municipality code", 2},
    {"22_not_yamaguchi.csv", Level::warning, 1, "municipality_code", "Yamaguchi", 2},
    {"23_unknown_mobility.csv", Level::error, 0, "mobility", "unknown mobility", 2},
    {"24_empty_mobility.csv", Level::error, 0, "mobility", "empty", 2},
    {"25_unknown_vehicle.csv", Level::error, 0, "household_vehicle", "unknown household vehicle",
     2},
    {"26_bad_consent.csv", Level::error, 0, "consent_registry_sharing", "yes/no", 2},
    {"27_negative_helpers.csv", Level::error, 0, "helpers", "out of range", 2},
    {"28_oxygen_flow_too_high.csv", Level::error, 0, "oxygen_flow_lpm", "out of range", 2},
    {"29_oxygen_without_flow.csv", Level::warning, 1, "oxygen_flow_lpm", "no flow", 2},
    {"30_quoted_multiline_ok.csv", Level::ok, 1},
    {"31_unclosed_quote.csv", Level::error, 1, "", "never closed", 2},
    {"32_text_after_quote.csv", Level::error, 1, "", "after the closing quote", 2},
    {"33_stray_trailing_delimiter.csv", Level::warning, 1, "", "stray delimiter", 2},
    {"34_unquoted_comma_extra_field.csv", Level::error, 0, "", "fields but the header has", 2},
    {"35_merged_excel_header.csv", Level::warning, 1, "", "above the header", 1},
    {"36_unknown_optional_column.csv", Level::warning, 1, "favourite_colour", "unknown column", 1},
    {"37_duplicate_column.csv", Level::error, 1, "id", "appears twice", 1},
    {"38_blank_lines_ok.csv", Level::ok, 2},
    {"39_empty_id.csv", Level::error, 0, "id", "empty", 2},
    {"40_semicolon_delimited.csv", Level::error, 0, "municipality_code", "required column"},
    {"41_tab_delimited.csv", Level::error, 0, "municipality_code", "required column"},
    {"42_ventilator_care_without_device.csv", Level::warning, 1, "devices", "ventilator care", 2},
    {"43_degree_sign.csv", Level::error, 0, "home_lat", "not a number", 2},
    {"44_id_with_comma.csv", Level::error, 0, "id", "comma", 2},
    {"45_lf_only_ok.csv", Level::ok, 2},
    {"46_device_count_zero.csv", Level::error, 0, "devices", "count 0", 2},
    {"47_short_row.csv", Level::error, 0, "home_lat", "cell is empty", 2},
    {"48_mixed_good_and_bad.csv", Level::error, 2, "home_lat", "not a number", 3},
    {"49_negative_packing_time.csv", Level::error, 0, "packing_min", "out of range", 2},
    {"50_floor_without_number.csv", Level::error, 0, "floor", "not a number", 2},
    {"51_floor_zero.csv", Level::error, 0, "floor", "ground floor", 2},
    {"52_bad_elevator_and_trained.csv", Level::error, 0, "elevator", "yes/no", 2},
    {"53_home_access_ok.csv", Level::ok, 1},
    {"54_home_generator_50kw.csv", Level::error, 0, "generator_w", "out of range", 2},
    {"55_home_generator_8kw.csv", Level::warning, 1, "generator_w",
     "larger than any household generator", 2},
    {"56_unknown_cylinder_size.csv", Level::warning, 1, "oxygen_cylinder_size_l",
     "not a known cylinder size", 2},
    {"57_loading_time_out_of_range.csv", Level::error, 0, "loading_min", "out of range", 2},
    {"58_connect_time_in_words.csv", Level::error, 0, "電源接続時間", "not a number", 2},
    {"59_drill_times_ok.csv", Level::ok, 1},
    {"60_formula_id.csv", Level::error, 0, "id", "formula", 2},
    {"61_id_too_long.csv", Level::error, 0, "id", "at most 64", 2},
    {"62_ids_differ_only_in_case.csv", Level::error, 1, "id", "only in upper and lower case", 3},
};

class RegistryBadInput : public ::testing::TestWithParam<Case> {};

TEST_P(RegistryBadInput, ReportsEveryProblemWithItsPlace) {
    const Case& c = GetParam();
    const auto path = test::source_path("tests/bad_inputs/registry/") / c.file;
    ASSERT_TRUE(std::filesystem::exists(path)) << path;
    ValidateOptions options;
    options.kind = InputKind::registry;
    options.encoding = c.encoding;
    const ValidationReport r = validate_file(path, options);
    const std::string report = format_validation_report({r});

    switch (c.level) {
    case Level::ok:
        EXPECT_EQ(r.errors(), 0u) << report;
        EXPECT_EQ(r.warnings(), 0u) << report;
        break;
    case Level::warning:
        EXPECT_EQ(r.errors(), 0u) << report;
        EXPECT_GE(r.warnings(), 1u) << report;
        break;
    case Level::error: EXPECT_GE(r.errors(), 1u) << report; break;
    }
    EXPECT_EQ(r.rows_loaded, c.loaded) << report;
    EXPECT_EQ(r.rows_read, r.rows_loaded + r.rows_rejected) << report;

    // Every diagnostic names the file; row-level ones name a line and a column.
    for (const auto& d : r.diagnostics) EXPECT_EQ(d.where.file, path.string()) << d.str();

    if (c.level != Level::ok) {
        bool found = false;
        for (const auto& d : r.diagnostics) {
            std::string message = d.message;
            std::string wanted = c.message;
            for (auto* s : {&message, &wanted}) {
                for (char& ch : *s)
                    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            }
            if (message.find(wanted) == std::string::npos) continue;
            if (*c.field && d.where.field != c.field) continue;
            if (c.line >= 0 && d.where.line != c.line) continue;
            found = true;
        }
        EXPECT_TRUE(found) << "expected a diagnostic with field '" << c.field << "', line "
                           << c.line << ", text '" << c.message << "' in:\n"
                           << report;
    }
    // Errors on data rows carry the offending value in the report.
    for (const auto& d : r.diagnostics) {
        if (d.severity == Diagnostic::Severity::error && !d.where.field.empty() &&
            d.where.line > static_cast<std::int64_t>(r.rows_read) + 5) {
            ADD_FAILURE() << "line out of the file: " << d.str();
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Corpus, RegistryBadInput, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& info) {
                             std::string name = info.param.file;
                             name = name.substr(0, name.find('.'));
                             for (char& ch : name) {
                                 if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                             }
                             return name;
                         });

TEST(RegistryBadInputCorpus, EveryFileIsInTheTable) {
    std::set<std::string> listed;
    for (const auto& c : kCases) listed.insert(c.file);
    std::size_t files = 0;
    for (const auto& entry :
         std::filesystem::directory_iterator(test::source_path("tests/bad_inputs/registry"))) {
        if (entry.path().extension() != ".csv") continue;
        ++files;
        EXPECT_TRUE(listed.count(entry.path().filename().string())) << entry.path();
    }
    EXPECT_EQ(files, std::size(kCases));
    EXPECT_GE(files, 30u);
}

TEST(RegistryBadInputCorpus, ValueIsReportedForABadCell) {
    ValidateOptions options;
    options.kind = InputKind::registry;
    const ValidationReport r =
        validate_file(test::source_path("tests/bad_inputs/registry/10_bad_number.csv"), options);
    ASSERT_GE(r.errors(), 1u);
    const std::string report = format_validation_report({r});
    EXPECT_NE(report.find("line 2, field 'home_lon', value 'abc'"), std::string::npos) << report;
}

} // namespace
} // namespace sonae::planner
