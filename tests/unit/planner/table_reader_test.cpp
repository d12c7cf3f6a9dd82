// The shared table reader: CSV in every encoding municipal staff have, and Excel workbooks
// through GDAL's XLSX driver (sheet choice, header row below a title, sheet row numbers, a
// workbook saved under a .csv name). Fixtures: tests/data/table_reader (make_fixtures.py).
#include "planner/csv.hpp"
#include "planner/registry.hpp"
#include "planner/validate.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

namespace sonae::planner {
namespace {

std::filesystem::path fixture(const std::string& name) {
    return test::source_path("tests/data/table_reader/" + name);
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
    std::ofstream out(path, std::ios::binary);
    out << bytes;
}

bool has_message(const Diagnostics& diagnostics, Diagnostic::Severity severity,
                 std::string_view part) {
    return std::any_of(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic& d) {
        return d.severity == severity && d.message.find(part) != std::string::npos;
    });
}

TEST(TableReader, CsvEncodingIsDetectedAndDescribed) {
    const test::TempDir dir;
    const std::string utf8 =
        "id,municipality_code,home_lon,home_lat,mobility\nA-1,352071,131.87,34.01,車椅子\n";
    write_bytes(dir / "plain.csv", utf8);
    write_bytes(dir / "bom.csv", "\xEF\xBB\xBF" + utf8);
    write_bytes(dir / "sjis.csv", encode_from_utf8(utf8, TextEncoding::cp932));
    const Table plain = read_table(dir / "plain.csv", registry_columns());
    const Table bom = read_table(dir / "bom.csv", registry_columns());
    const Table sjis = read_table(dir / "sjis.csv", registry_columns());
    EXPECT_EQ(plain.format, TableFormat::csv);
    EXPECT_EQ(plain.encoding, TextEncoding::utf8);
    EXPECT_EQ(bom.encoding, TextEncoding::utf8_bom);
    EXPECT_EQ(sjis.encoding, TextEncoding::cp932);
    EXPECT_EQ(plain.source_description(), "CSV, UTF-8");
    EXPECT_EQ(bom.source_description(), "CSV, UTF-8 with BOM");
    EXPECT_EQ(sjis.source_description(), "CSV, Shift_JIS (CP932)");
    // The same values whatever the encoding.
    ASSERT_EQ(sjis.rows.size(), 1u);
    EXPECT_EQ(sjis.rows[0].values, plain.rows[0].values);
    EXPECT_EQ(sjis.rows[0].values[4], "車椅子");
}

TEST(TableReader, WorkbookTakesTheFirstSheetWithTheRequiredColumnsAndCountsSheetRows) {
    const Table t = read_table(fixture("kochi_registry.xlsx"), registry_columns());
    EXPECT_EQ(t.format, TableFormat::xlsx);
    EXPECT_EQ(t.sheet, "名簿");   // the cover sheet 説明 before it has none of the columns
    EXPECT_TRUE(t.layer.empty()); // a sheet is not a GIS layer
    EXPECT_EQ(t.header_line, 3);  // row 1 is a title, row 2 is empty
    ASSERT_EQ(t.rows.size(), 16u);
    EXPECT_EQ(t.rows.front().line, 4);
    EXPECT_EQ(t.rows.back().line, 19);
    EXPECT_EQ(t.columns[0], "仮名ID");
    EXPECT_EQ(t.rows[0].values[0], "KOC-0001");
    EXPECT_EQ(t.rows[0].values[2], "133.529471"); // a numeric cell, as stored
    // The title row above the header is listed, with its sheet and row.
    ASSERT_TRUE(has_message(t.diagnostics, Diagnostic::Severity::warning, "row above the header"));
    const Where w = t.where(t.rows[0], 2);
    EXPECT_EQ(w.layer, "名簿");
    EXPECT_EQ(w.line, 4);
    EXPECT_EQ(w.str(), "file '" + fixture("kochi_registry.xlsx").string() +
                           "', layer '名簿', line 4, field '経度', value '133.529471'");
    EXPECT_EQ(t.source_description(),
              "Excel workbook (.xlsx), sheet '名簿' (lines are sheet rows)");
}

TEST(TableReader, WorkbookRegistryLoadsLikeItsCsv) {
    const RegistryLoadResult csv =
        load_registry(test::source_path("scenarios/kochi-tsunami/data/registry.csv"));
    const RegistryLoadResult xlsx = load_registry(fixture("kochi_registry.xlsx"));
    ASSERT_FALSE(has_errors(xlsx.diagnostics));
    ASSERT_EQ(xlsx.registry.size(), 16u);
    ASSERT_EQ(csv.registry.size(), xlsx.registry.size());
    for (std::size_t i = 0; i < csv.registry.size(); ++i) {
        EXPECT_EQ(csv.registry.children()[i], xlsx.registry.children()[i])
            << csv.registry.children()[i].id;
    }
    EXPECT_EQ(xlsx.registry.children()[0].source_line, 4); // sheet row
}

TEST(TableReader, SheetByName) {
    const Table t = read_table(fixture("kochi_registry.xlsx"), registry_columns(),
                               TableReadOptions{.sheet = "説明"});
    EXPECT_EQ(t.sheet, "説明");
    try {
        (void)read_table(fixture("kochi_registry.xlsx"), registry_columns(),
                         TableReadOptions{.sheet = "Sheet1"});
        FAIL() << "a missing sheet must be an error";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where().layer, "Sheet1");
        EXPECT_NE(e.message().find("'説明', '名簿'"), std::string::npos) << e.message();
    }
}

TEST(TableReader, WorkbookNamedCsvIsReadAsAWorkbookWithAWarning) {
    // Kudamatsu publishes its shelter list as "….csv" that is really an .xlsx.
    const test::TempDir dir;
    std::filesystem::copy_file(fixture("kochi_registry.xlsx"), dir / "名簿.csv");
    const Table t = read_table(dir / "名簿.csv", registry_columns());
    EXPECT_EQ(t.format, TableFormat::xlsx);
    EXPECT_EQ(t.rows.size(), 16u);
    EXPECT_TRUE(has_message(t.diagnostics, Diagnostic::Severity::warning,
                            "is an Excel workbook (.xlsx); it was read as a workbook"));
    EXPECT_FALSE(has_errors(t.diagnostics));
}

TEST(TableReader, WorkbookWithoutTheRequiredColumnsNamesEachSheet) {
    const RegistryLoadResult r = load_registry(fixture("no_required_columns.xlsx"));
    EXPECT_EQ(r.registry.size(), 0u);
    EXPECT_EQ(r.rows_read, 1u); // the closest sheet's one data row, reported, not loaded
    EXPECT_EQ(r.rows_rejected, 1u);
    std::vector<Diagnostic> sheet_errors;
    for (const auto& d : r.diagnostics) {
        if (d.severity == Diagnostic::Severity::error &&
            d.message.find("no sheet of the workbook") != std::string::npos) {
            sheet_errors.push_back(d);
        }
    }
    ASSERT_EQ(sheet_errors.size(), 2u);
    EXPECT_EQ(sheet_errors[0].where.layer, "説明");
    EXPECT_EQ(sheet_errors[1].where.layer, "名簿");
    EXPECT_EQ(sheet_errors[1].where.line, 1);
    EXPECT_EQ(sheet_errors[1].where.field, "mobility");
    EXPECT_NE(sheet_errors[1].message.find("lacks: mobility"), std::string::npos)
        << sheet_errors[1].message;
    EXPECT_NE(
        sheet_errors[0].message.find("lacks: id, municipality_code, home_lon, home_lat, mobility"),
        std::string::npos)
        << sheet_errors[0].message;
}

TEST(TableReader, XlsxNameThatIsNotAWorkbookIsAnError) {
    const test::TempDir dir;
    write_bytes(dir / "old.xlsx", "id,x\nA,1\n");
    EXPECT_THROW((void)read_table(dir / "old.xlsx", registry_columns()), IoError);
}

TEST(TableReader, ValidateSaysFormatAndEncoding) {
    const test::TempDir dir;
    write_bytes(
        dir / "sjis.csv",
        encode_from_utf8(
            "id,municipality_code,home_lon,home_lat,mobility\nA-1,352071,131.87,34.01,車椅子\n",
            TextEncoding::cp932));
    const std::vector<ValidationReport> reports{validate_file(dir / "sjis.csv"),
                                                validate_file(fixture("kochi_registry.xlsx"))};
    EXPECT_EQ(reports[0].source, "CSV, Shift_JIS (CP932)");
    EXPECT_EQ(reports[1].source, "Excel workbook (.xlsx), sheet '名簿' (lines are sheet rows)");
    EXPECT_EQ(reports[1].kind, InputKind::registry);
    EXPECT_EQ(reports[1].rows_loaded, 16u);
    const std::string text = format_validation_report(reports);
    EXPECT_NE(text.find("sjis.csv: read as CSV, Shift_JIS (CP932)\n"), std::string::npos) << text;
    EXPECT_NE(text.find("kochi_registry.xlsx: read as Excel workbook (.xlsx), sheet '名簿' (lines "
                        "are sheet rows)\n"),
              std::string::npos)
        << text;
}

} // namespace
} // namespace sonae::planner
