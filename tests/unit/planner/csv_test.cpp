// CSV reading and writing as Excel does it: quotes, multi-line fields, CRLF, BOM, CP932.
#include "core/csv_text.hpp"
#include "planner/csv.hpp"

#include <gtest/gtest.h>

namespace sonae::planner {
namespace {

std::vector<std::vector<std::string>> fields_of(const CsvDocument& doc) {
    std::vector<std::vector<std::string>> out;
    for (const auto& r : doc.records) out.push_back(r.fields);
    return out;
}

TEST(Csv, QuotesMultiLineAndCrlfKeepLineNumbers) {
    const std::string text = "id,notes\r\nA-1,\"line one\r\nline two\"\r\nA-2,\"say \"\"hi\"\", "
                             "ok\"\r\n\r\nA-3,plain\r\n";
    const CsvDocument doc = parse_csv(text, "t.csv");
    ASSERT_TRUE(doc.diagnostics.empty());
    ASSERT_EQ(doc.records.size(), 4u);
    EXPECT_EQ(doc.records[1].fields[1], "line one\nline two");
    EXPECT_EQ(doc.records[1].line, 2);
    EXPECT_EQ(doc.records[2].fields[1], "say \"hi\", ok");
    EXPECT_EQ(doc.records[2].line, 4);
    EXPECT_EQ(doc.records[3].line, 6); // the blank line 5 is skipped, numbering is kept
}

TEST(Csv, BomIsDetectedAndStripped) {
    const CsvDocument doc = parse_csv("\xEF\xBB\xBFid,x\nA,1\n", "t.csv");
    EXPECT_TRUE(doc.had_bom);
    EXPECT_EQ(doc.encoding, TextEncoding::utf8_bom);
    EXPECT_EQ(doc.records[0].fields[0], "id");
}

TEST(Csv, Cp932IsDetectedAndConverted) {
    const std::string utf8 = "id,移動\nUBE-0001,車椅子\n";
    const std::string sjis = encode_from_utf8(utf8, TextEncoding::cp932);
    ASSERT_NE(sjis, utf8);
    const CsvDocument doc = parse_csv(sjis, "t.csv");
    EXPECT_EQ(doc.encoding, TextEncoding::cp932);
    ASSERT_EQ(doc.records.size(), 2u);
    EXPECT_EQ(doc.records[1].fields[1], "車椅子");
}

TEST(Csv, ForcedUtf8OnShiftJisReportsTheLine) {
    const std::string sjis = encode_from_utf8("id,x\nA,1\nB,車椅子\n", TextEncoding::cp932);
    const CsvDocument doc =
        parse_csv(sjis, "t.csv", CsvReadOptions{.encoding = TextEncoding::utf8});
    ASSERT_EQ(doc.diagnostics.size(), 1u);
    EXPECT_EQ(doc.diagnostics[0].severity, Diagnostic::Severity::error);
    EXPECT_EQ(doc.diagnostics[0].where.line, 3);
    EXPECT_TRUE(doc.records.empty());
}

TEST(Csv, UnclosedQuoteAndTextAfterQuoteAreErrors) {
    const CsvDocument a = parse_csv("id,x\nA,\"open\nB,2\n", "t.csv");
    ASSERT_FALSE(a.diagnostics.empty());
    EXPECT_EQ(a.diagnostics.back().where.line, 2);
    const CsvDocument b = parse_csv("id,x\nA,\"x\"y\n", "t.csv");
    ASSERT_EQ(b.diagnostics.size(), 1u);
    EXPECT_EQ(b.diagnostics[0].severity, Diagnostic::Severity::error);
}

TEST(Csv, RoundTripInEachEncoding) {
    const std::vector<std::vector<std::string>> rows{
        {"id", "氏名", "notes"},
        {"UBE-0001", "試験 花子", "comma, \"quote\" and\nnew line"},
        {"UBE-0002", "", " leading space"},
    };
    for (TextEncoding enc : {TextEncoding::utf8, TextEncoding::utf8_bom, TextEncoding::cp932}) {
        const std::string bytes = format_csv(rows, CsvWriteOptions{.encoding = enc});
        const CsvDocument doc = parse_csv(bytes, "rt.csv");
        EXPECT_TRUE(doc.diagnostics.empty()) << to_string(enc);
        EXPECT_EQ(fields_of(doc), rows) << to_string(enc);
        EXPECT_EQ(doc.encoding, enc) << to_string(enc);
        const CsvDocument forced = parse_csv(bytes, "rt.csv", CsvReadOptions{.encoding = enc});
        EXPECT_EQ(fields_of(forced), rows) << to_string(enc);
    }
}

TEST(Csv, WriterUsesBomAndCrlfByDefault) {
    const std::vector<std::vector<std::string>> rows{{"a", "b"}};
    const std::string bytes = format_csv(rows);
    EXPECT_EQ(bytes, "\xEF\xBB\xBF"
                     "a,b\r\n");
}

TEST(Csv, FormulaCellsAreWrittenAsTextNumbersStayNumbers) {
    // A registry value "=HYPERLINK(...)" or "@SUM(A1)" must not run when staff open plan.csv;
    // a negative number or a time before t0 must stay a value Excel can sum and sort.
    EXPECT_EQ(core::formula_safe("=1+2"), "'=1+2");
    EXPECT_EQ(core::formula_safe("+81 90"), "'+81 90");
    EXPECT_EQ(core::formula_safe("@SUM(A1)"), "'@SUM(A1)");
    EXPECT_EQ(core::formula_safe("-2+3"), "'-2+3");
    EXPECT_EQ(core::formula_safe("\t=1"), "'\t=1");
    EXPECT_EQ(core::formula_safe("-12"), "-12");
    EXPECT_EQ(core::formula_safe("-0.5"), "-0.5");
    EXPECT_EQ(core::formula_safe("-0:10"), "-0:10");
    EXPECT_EQ(core::formula_safe("-"), "-");
    EXPECT_EQ(core::formula_safe("要注意"), "要注意");
    const std::vector<std::vector<std::string>> rows{{"=cmd|' /C calc'!A0", "-3"}};
    EXPECT_EQ(format_csv(rows, CsvWriteOptions{.encoding = TextEncoding::utf8}),
              "'=cmd|' /C calc'!A0,-3\r\n");
}

TEST(Csv, CharacterWithoutCp932FormIsAnError) {
    EXPECT_THROW(encode_from_utf8("emoji 😀", TextEncoding::cp932), InputError);
}

TEST(Csv, HeaderBelowATitleRowIsFound) {
    const std::vector<ColumnSpec> specs{
        {"id", {"ID"}, true}, {"lon", {"経度"}, true}, {"lat", {"緯度"}, true}};
    const CsvDocument doc =
        parse_csv("令和8年 名簿,,\n,位置,\nID,経度,緯度\nA,131.2,33.9\n", "t.csv");
    const Table table = table_from_csv(doc, specs);
    EXPECT_EQ(table.header_line, 3);
    ASSERT_EQ(table.rows.size(), 1u);
    EXPECT_EQ(table.rows[0].line, 4);
    EXPECT_EQ(table.diagnostics.size(), 2u); // the two rows above the header are listed
}

TEST(Csv, NormalizeKeyFoldsWidthCaseAndUnits) {
    EXPECT_EQ(normalize_key("Oxygen_Flow (L/min)"), "oxygenflow");
    EXPECT_EQ(normalize_key("ＩＤ"), "id");
    EXPECT_EQ(normalize_key("酸素流量（L/分）"), "酸素流量");
}

TEST(Csv, EncodingNames) {
    EXPECT_EQ(parse_text_encoding("Shift_JIS"), TextEncoding::cp932);
    EXPECT_EQ(parse_text_encoding("utf-8"), TextEncoding::utf8);
    EXPECT_EQ(parse_text_encoding("auto"), TextEncoding::automatic);
    EXPECT_FALSE(parse_text_encoding("latin1"));
}

} // namespace
} // namespace sonae::planner
