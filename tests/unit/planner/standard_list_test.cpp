// The national standard shelter list (指定緊急避難場所一覧) as municipalities publish it: the
// real Kudamatsu workbook (published under a .csv name), the Shimonoseki CSV in CP932 and the
// 2017 prefecture-wide list (trimmed), from tests/data/standard_lists (PROVENANCE.md there).
// Expected counts were taken from the files with a separate script (python csv module) and
// match the shared data's PROVENANCE.md.
#include "planner/standard_list.hpp"
#include "planner/validate.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <numeric>

namespace sonae::planner {
namespace {

std::filesystem::path list(const std::string& name) {
    return test::test_data("standard_lists/" + name);
}

std::size_t count_flag(const std::vector<Facility>& sites, Hazard h) {
    return static_cast<std::size_t>(std::count_if(
        sites.begin(), sites.end(), [h](const Facility& f) { return f.safe_for.has(h); }));
}

const Facility* by_name(const std::vector<Facility>& sites, std::string_view name) {
    const auto it =
        std::find_if(sites.begin(), sites.end(), [&](const Facility& f) { return f.name == name; });
    return it == sites.end() ? nullptr : &*it;
}

std::size_t errors(const Diagnostics& d) {
    return static_cast<std::size_t>(std::count_if(d.begin(), d.end(), [](const Diagnostic& x) {
        return x.severity == Diagnostic::Severity::error;
    }));
}

TEST(StandardList, CapacityTextKeepsTheLeadingNumberAndTheBasis) {
    const auto a =
        parse_capacity_text("291(2㎡あたり1人）"); // the 2017 list's brackets do not match
    ASSERT_TRUE(a);
    EXPECT_EQ(a->persons, 291);
    EXPECT_EQ(a->basis, "2㎡あたり1人");
    const auto b = parse_capacity_text("50(㎡あたり基準未設定）");
    ASSERT_TRUE(b);
    EXPECT_EQ(b->persons, 50);
    EXPECT_EQ(b->basis, "㎡あたり基準未設定");
    const auto c = parse_capacity_text("１，２００人");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->persons, 1200);
    EXPECT_EQ(c->basis, "");
    EXPECT_EQ(parse_capacity_text("273")->persons, 273);
    EXPECT_FALSE(parse_capacity_text("未定"));
    EXPECT_FALSE(parse_capacity_text(""));
}

TEST(StandardList, AccessNotesFromRemarks) {
    EXPECT_EQ(accessibility_notes("車椅子対応・オストメイト（ストーマ洗浄）・ベビーチェア"),
              (std::vector<std::string>{"オストメイト", "車椅子対応"}));
    EXPECT_EQ(accessibility_notes("指定福祉避難所（受入対象者は要配慮者…）・授乳室"),
              (std::vector<std::string>{"授乳室", "福祉避難所"}));
    EXPECT_TRUE(accessibility_notes("広域避難場所").empty());
}

TEST(StandardList, KudamatsuWorkbookLoadsEveryNamedRowWithItsFlags) {
    const FacilityLoadResult r = load_standard_list(list("kudamatsu_352071_evacuation_space.csv"));
    // 45 data rows in sheet rows 2-46; sheet row 10 holds only a code and an ID.
    EXPECT_EQ(r.rows_read, 45u);
    EXPECT_EQ(r.facilities.size(), 44u);
    EXPECT_EQ(r.rows_rejected, 1u);
    EXPECT_EQ(errors(r.diagnostics), 0u);
    const auto withdrawn =
        std::find_if(r.diagnostics.begin(), r.diagnostics.end(), [](const Diagnostic& d) {
            return d.message.find("no name and no position") != std::string::npos;
        });
    ASSERT_NE(withdrawn, r.diagnostics.end());
    EXPECT_EQ(withdrawn->where.line, 10);
    EXPECT_EQ(withdrawn->where.layer, "352071_evacuation_space");
    // Flags per hazard, counted in the published file.
    EXPECT_EQ(count_flag(r.facilities, Hazard::flood), 30u);
    EXPECT_EQ(count_flag(r.facilities, Hazard::landslide), 24u);
    EXPECT_EQ(count_flag(r.facilities, Hazard::storm_surge), 28u);
    EXPECT_EQ(count_flag(r.facilities, Hazard::earthquake), 26u);
    EXPECT_EQ(count_flag(r.facilities, Hazard::tsunami), 31u);
    EXPECT_EQ(count_flag(r.facilities, Hazard::large_fire), 13u);
    EXPECT_EQ(count_flag(r.facilities, Hazard::inland_flood), 17u);
    EXPECT_EQ(count_flag(r.facilities, Hazard::volcano), 0u);
    // This list leaves 想定収容人数 and 指定避難所との重複 empty.
    EXPECT_TRUE(std::none_of(r.facilities.begin(), r.facilities.end(),
                             [](const Facility& f) { return f.capacity_persons.has_value(); }));
    const Facility* toyoi = by_name(r.facilities, "豊井小学校");
    ASSERT_NE(toyoi, nullptr);
    EXPECT_EQ(toyoi->id, "KD0000300001");
    EXPECT_EQ(toyoi->municipality_code, "352071");
    EXPECT_EQ(toyoi->address, "下松市大字東豊井1134");
    EXPECT_NEAR(toyoi->position.lat, 33.9997869713214, 1e-12);
    EXPECT_NEAR(toyoi->position.lon, 131.877932996112, 1e-12);
    EXPECT_TRUE(toyoi->is(FacilityKind::emergency_site));
    EXPECT_FALSE(toyoi->is(FacilityKind::shelter));
    EXPECT_EQ(toyoi->accessibility, (std::vector<std::string>{"オストメイト", "車椅子対応"}));
    // The two 指定福祉避難所 named in 備考.
    std::vector<std::string> welfare;
    for (const auto& f : r.facilities) {
        if (std::find(f.accessibility.begin(), f.accessibility.end(), "福祉避難所") !=
            f.accessibility.end())
            welfare.push_back(f.name);
    }
    std::sort(welfare.begin(), welfare.end());
    EXPECT_EQ(welfare, (std::vector<std::string>{"下松市保健センター", "下松市地域交流センター"}));
}

TEST(StandardList, ShimonosekiCp932LoadsEveryRowWithCapacityAndFlags) {
    const Table t =
        read_table(list("shimonoseki_352012_evacuation_space.csv"), standard_list_columns());
    EXPECT_EQ(t.encoding, TextEncoding::cp932);
    const FacilityLoadResult r = load_standard_list_table(t, "shimonoseki");
    EXPECT_EQ(errors(r.diagnostics), 0u);
    EXPECT_EQ(r.rows_read, 245u);
    ASSERT_EQ(r.facilities.size(), 245u);
    // 186 rows say 避難所 in 指定避難所との重複 and give 想定収容人数 (sum 52,113); 59 say
    // 避難場所.
    const auto shelters =
        std::count_if(r.facilities.begin(), r.facilities.end(),
                      [](const Facility& f) { return f.is(FacilityKind::shelter); });
    EXPECT_EQ(shelters, 186);
    std::int64_t persons = 0;
    std::size_t with_capacity = 0;
    for (const auto& f : r.facilities) {
        if (!f.capacity_persons) continue;
        ++with_capacity;
        persons += *f.capacity_persons;
    }
    EXPECT_EQ(with_capacity, 186u);
    EXPECT_EQ(persons, 52113);
    // ○ and qualified ○ ("○（２階）", "○(グ)") count; × does not.
    EXPECT_EQ(count_flag(r.facilities, Hazard::flood), 230u);
    EXPECT_EQ(count_flag(r.facilities, Hazard::landslide), 185u);
    EXPECT_EQ(count_flag(r.facilities, Hazard::storm_surge), 205u);
    EXPECT_EQ(count_flag(r.facilities, Hazard::earthquake), 211u);
    EXPECT_EQ(count_flag(r.facilities, Hazard::tsunami), 234u);
    EXPECT_TRUE(std::all_of(r.facilities.begin(), r.facilities.end(),
                            [](const Facility& f) { return f.hazards_known; }));
    const Facility* yoji = by_name(r.facilities, "養治小学校");
    ASSERT_NE(yoji, nullptr);
    EXPECT_EQ(yoji->id, "352012-1"); // no ID column: code and NO
    EXPECT_EQ(yoji->capacity_persons, 273);
    const auto second_floor =
        std::count_if(r.facilities.begin(), r.facilities.end(), [](const Facility& f) {
            return std::find(f.designation_notes.begin(), f.designation_notes.end(),
                             "洪水: ○（２階）") != f.designation_notes.end();
        });
    EXPECT_EQ(second_floor, 1);
}

TEST(StandardList, PrefectureList2017CapacitiesParse) {
    const FacilityLoadResult r = load_standard_list(list("yamaguchi_pref_2017-12-01_trimmed.csv"));
    EXPECT_EQ(errors(r.diagnostics), 0u);
    ASSERT_EQ(r.facilities.size(), 68u); // 下松市 42, 下関市 the first 20, 阿武町 6
    std::vector<const Facility*> kudamatsu;
    for (const auto& f : r.facilities) {
        if (f.municipality_code == "352071") kudamatsu.push_back(&f);
    }
    ASSERT_EQ(kudamatsu.size(), 42u);
    std::int64_t all = 0, shelters = 0, shelter_count = 0;
    for (const Facility* f : kudamatsu) {
        ASSERT_TRUE(f->capacity_persons) << f->name;
        all += *f->capacity_persons;
        if (f->is(FacilityKind::shelter)) {
            shelters += *f->capacity_persons;
            ++shelter_count;
        }
    }
    EXPECT_EQ(all, 134057);
    EXPECT_EQ(shelter_count, 27);
    EXPECT_EQ(shelters, 8861);
    const Facility* yoji = by_name(r.facilities, "養治小学校");
    ASSERT_NE(yoji, nullptr);
    EXPECT_EQ(yoji->capacity_persons, 273);
    EXPECT_EQ(yoji->capacity_basis, "3㎡あたり1人");
    EXPECT_EQ(yoji->municipality_code, "352012"); // 5-digit 35201 + check digit
}

TEST(StandardList, OutsideJapanIsAnErrorNamingLineFieldAndValue) {
    const test::TempDir dir;
    std::ofstream(dir / "list.csv")
        << "NO,名称,住所,緯度,経度,市区町村コード,災害種別_洪水,災害種別_崖崩れ、土石流及び地滑り,"
           "災害種別_高潮,災害種別_地震,"
           "災害種別_津波,指定避難所との重複,想定収容人数\n"
           "1,A小学校,下松市東豊井1134,33.99,131.87,35207,1,1,,1,1,1,291(2㎡あたり1人）\n"
           "2,B公民館,下松市旗岡3-2,0,0,35207,1,,,,,,50\n"
           "3,C会館,下松市,34.01,131.87,35207,有る,,,,,,\n";
    const FacilityLoadResult r = load_standard_list(dir / "list.csv");
    EXPECT_EQ(r.rows_read, 3u);
    EXPECT_EQ(r.facilities.size(), 1u);
    EXPECT_EQ(r.rows_rejected, 2u);
    ASSERT_EQ(errors(r.diagnostics), 2u);
    const Diagnostic& outside =
        *std::find_if(r.diagnostics.begin(), r.diagnostics.end(), [](const Diagnostic& d) {
            return d.severity == Diagnostic::Severity::error && d.where.line == 3;
        });
    EXPECT_EQ(outside.where.field, "緯度");
    EXPECT_EQ(outside.where.value, "0");
    EXPECT_NE(outside.message.find("outside Japan"), std::string::npos);
    const Diagnostic& flag =
        *std::find_if(r.diagnostics.begin(), r.diagnostics.end(), [](const Diagnostic& d) {
            return d.severity == Diagnostic::Severity::error && d.where.line == 4;
        });
    EXPECT_EQ(flag.where.field, "災害種別_洪水");
    EXPECT_EQ(flag.where.value, "有る");
}

TEST(StandardList, MergesWithGsiButNeverWithinOneList) {
    const FacilityLoadResult standard =
        load_standard_list(list("kudamatsu_352071_evacuation_space.csv"));
    const FacilityLoadResult emergency =
        load_gsi_shelters(test::test_data("jp-shelters-gsi-yamaguchi/emergency/352071.json"));
    const FacilityLoadResult evacuation =
        load_gsi_shelters(test::test_data("jp-shelters-gsi-yamaguchi/evacuation/352071.json"));
    std::vector<Facility> records = standard.facilities;
    records.insert(records.end(), emergency.facilities.begin(), emergency.facilities.end());
    records.insert(records.end(), evacuation.facilities.begin(), evacuation.facilities.end());
    const FacilityMergeResult merged = merge_facilities(records);
    // 豊井小学校 is in all three: one facility, the GSI id, the list's access notes.
    std::vector<const Facility*> toyoi;
    for (const auto& f : merged.facilities) {
        if (f.name == "豊井小学校") toyoi.push_back(&f);
    }
    ASSERT_EQ(toyoi.size(), 1u);
    EXPECT_TRUE(toyoi[0]->id.starts_with("E35207")) << toyoi[0]->id;
    EXPECT_TRUE(toyoi[0]->is(FacilityKind::shelter));
    EXPECT_EQ(toyoi[0]->accessibility, (std::vector<std::string>{"オストメイト", "車椅子対応"}));
    EXPECT_TRUE(std::any_of(toyoi[0]->sources.begin(), toyoi[0]->sources.end(),
                            [](const std::string& s) { return s.starts_with("standard:"); }));
    // Every standard-list site survives as (part of) exactly one facility.
    std::size_t standard_sources = 0;
    for (const auto& f : merged.facilities) {
        standard_sources += static_cast<std::size_t>(
            std::count_if(f.sources.begin(), f.sources.end(),
                          [](const std::string& s) { return s.starts_with("standard:"); }));
        EXPECT_LE(std::count_if(f.sources.begin(), f.sources.end(),
                                [](const std::string& s) { return s.starts_with("standard:"); }),
                  1)
            << f.name;
    }
    EXPECT_EQ(standard_sources, 44u);
    EXPECT_LT(merged.facilities.size(), records.size());
}

TEST(StandardList, ValidateDetectsItAndCountsTheFlags) {
    const ValidationReport report = validate_file(list("kudamatsu_352071_evacuation_space.csv"));
    EXPECT_EQ(report.kind, InputKind::standard_list);
    EXPECT_TRUE(report.kind_guessed);
    EXPECT_EQ(report.errors(), 0u);
    EXPECT_EQ(report.rows_read, 45u);
    EXPECT_EQ(report.rows_loaded, 44u);
    EXPECT_EQ(report.source,
              "Excel workbook (.xlsx), sheet '352071_evacuation_space' (lines are sheet rows)");
    ASSERT_EQ(report.counts.size(), 2u);
    EXPECT_EQ(report.counts[0], "hazard flags (sites loaded): 洪水 30, 崖崩れ、土石流及び地滑り "
                                "24, 高潮 28, 地震 26, 津波 31, "
                                "大規模な火事 13, 内水氾濫 17, 火山現象 0");
    // 30 rows' 備考 mention 車椅子, オストメイト, 授乳 or 福祉避難所 (counted with a script).
    EXPECT_EQ(report.counts[1], "指定避難所 (also a designated shelter) 0, with a capacity 0 (0 "
                                "persons), without any hazard flag 0, "
                                "with access notes 30");
    const std::string text = format_validation_report({report});
    EXPECT_NE(text.find("read as Excel workbook"), std::string::npos);
    EXPECT_NE(text.find(": hazard flags (sites loaded): 洪水 30"), std::string::npos);
}

} // namespace
} // namespace sonae::planner
