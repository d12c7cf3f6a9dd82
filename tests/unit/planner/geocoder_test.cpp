// The offline geocoder: 30 synthetic addresses (no real person's) written the ways registries
// write them, in 5 municipalities, each to its town point in data/yamaguchi_town_points.tsv
// (Geolonia 住所データ), with the precision; the errors (no such town, two towns equally).
#include "planner/facility.hpp"
#include "planner/geocoder.hpp"
#include "planner/registry.hpp"
#include "planner/standard_list.hpp"
#include "planner/validate.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace sonae::planner {
namespace {

struct Case {
    const char* address;
    const char* municipality; ///< as in the data, with 郡
    const char* town;
    const char* koaza;
    GeocodePrecision precision;
};

constexpr auto chome = GeocodePrecision::chome;
constexpr auto koaza = GeocodePrecision::koaza;
constexpr auto oaza = GeocodePrecision::oaza;

const Case kCases[] = {
    // 下松市
    {"下松市東豊井1134", "下松市", "大字東豊井", "", oaza},
    {"下松市大字東豊井千百三十四番地", "下松市", "大字東豊井", "", oaza},
    {"山口県下松市旗岡３－２", "下松市", "旗岡三丁目", "", chome}, // bare 3 before a dash = 三丁目
    {"下松市旗岡三丁目2番5号", "下松市", "旗岡三丁目", "", chome},
    {"下松市　星ヶ丘2丁目 3-1", "下松市", "星が丘二丁目", "", chome},      // ヶ/が, spaces
    {"下松市琴平町２ー８ー７", "下松市", "琴平町二丁目", "", chome},       // ー typed for a dash
    {"下松市大字笠戸島江の浦10", "下松市", "大字笠戸島", "江ノ浦", koaza}, // の/ノ, 小字
    {"下松市生野屋2-3-4", "下松市", "生野屋二丁目", "", chome},            // not 大字生野屋
    {"下松市大字生野屋１２３", "下松市", "大字生野屋", "", oaza},          // 123 is no 丁目
    {"下松市中央町21-3", "下松市", "中央町", "", chome},
    // 下関市
    {"下関市唐戸町6-1", "下関市", "唐戸町", "", chome},
    {"下関市竹崎町四丁目3-1", "下関市", "竹崎町四丁目", "", chome},
    {"下関市竹崎町4-3-1", "下関市", "竹崎町四丁目", "", chome},
    {"下関市菊川町樅の木100", "下関市", "菊川町大字樅ノ木", "",
     oaza}, // 大字 left out in the middle
    {"下関市彦島１２３４番地", "下関市", "大字彦島", "", oaza},
    {"下関市藤ケ谷町1", "下関市", "藤ケ谷町", "", chome}, // the longer name wins
    {"下関市大字藤ヶ谷 200", "下関市", "大字藤ケ谷", "", oaza},
    // 宇部市
    {"宇部市上条3丁目1-1", "宇部市", "上条三丁目", "", chome},
    {"宇部市常盤町１－２－３", "宇部市", "常盤町一丁目", "", chome},
    {"宇部市大字上宇部1000", "宇部市", "大字上宇部", "", oaza},
    {"宇部市八王子町5-1", "宇部市", "八王子町", "", chome}, // 八 is part of the name
    {"宇部市床波六丁目１番", "宇部市", "床波六丁目", "", chome},
    // 周南市
    {"周南市銀座２－１", "周南市", "銀座二丁目", "", chome},
    {"周南市新宿通1丁目", "周南市", "新宿通一丁目", "", chome},
    {"周南市二番町3-5", "周南市", "二番町三丁目", "", chome},
    {"周南市大字久米 3000", "周南市", "大字久米", "", oaza},
    {"周南市小松原500", "周南市", "大字小松原", "", oaza},
    // 熊毛郡上関町 (郡 often left out)
    {"上関町大字室津100", "熊毛郡上関町", "大字室津", "", oaza},
    {"山口県熊毛郡上関町祝島１", "熊毛郡上関町", "大字祝島", "", oaza},
    {"熊毛郡上関町長島", "熊毛郡上関町", "大字長島", "", oaza},
};

TEST(Geocoder, ThirtyAddressesInFiveMunicipalitiesFindTheirTown) {
    const Geocoder& g = Geocoder::yamaguchi();
    EXPECT_EQ(g.size(), 2611u); // 2,626 Geolonia rows minus the 15 without coordinates
    for (const Case& c : kCases) {
        const GeocodeResult r = g.geocode(c.address);
        ASSERT_EQ(r.status, GeocodeResult::Status::found) << c.address << ": " << r.message;
        EXPECT_EQ(r.point->municipality, c.municipality) << c.address;
        EXPECT_EQ(r.point->town, c.town) << c.address;
        EXPECT_EQ(r.point->koaza, c.koaza) << c.address;
        EXPECT_EQ(r.point->precision, c.precision) << c.address;
    }
    // Two points copied from the Geolonia file by hand.
    const GeocodeResult hataoka = g.geocode("山口県下松市旗岡３－２");
    EXPECT_DOUBLE_EQ(hataoka.point->position.lon, 131.877907);
    EXPECT_DOUBLE_EQ(hataoka.point->position.lat, 34.012033);
    EXPECT_EQ(hataoka.point->municipality_code, "352071");
    const GeocodeResult toyoi = g.geocode("下松市東豊井1134");
    EXPECT_DOUBLE_EQ(toyoi.point->position.lon, 131.88306);
    EXPECT_DOUBLE_EQ(toyoi.point->position.lat, 33.995495);
}

TEST(Geocoder, KanjiNumeralsAndFolding) {
    std::size_t n = 0;
    EXPECT_EQ(leading_number("千百三十四番地", n), 1134);
    EXPECT_EQ(n, std::string_view("千百三十四").size());
    EXPECT_EQ(leading_number("二十丁目", n), 20);
    EXPECT_EQ(leading_number("十一", n), 11);
    EXPECT_EQ(leading_number("一一三四", n), 1134);
    EXPECT_EQ(leading_number("123-4", n), 123);
    EXPECT_EQ(n, 3u);
    EXPECT_FALSE(leading_number("番地", n));
    EXPECT_EQ(fold_address("旗岡３－２"), "旗岡3-2");
    EXPECT_EQ(fold_address("琴平町2ー8"), "琴平町2-8");
    EXPECT_EQ(fold_address("センター"), "センター"); // a long vowel mark between kana stays
    EXPECT_EQ(fold_address("星ヶ丘　緑が丘"), "星ケ丘緑ケ丘");
}

TEST(Geocoder, UnknownTownAndTwoTownsEquallyAreNotGuessed) {
    const Geocoder& g = Geocoder::yamaguchi();
    const GeocodeResult none = g.geocode("下松市存在しない町1-1");
    EXPECT_EQ(none.status, GeocodeResult::Status::no_town);
    EXPECT_EQ(none.point, nullptr);
    // 中央町 is a town of 下関市, 防府市, 下松市 and 周南市 (宇部市 has 中央町一〜三丁目, which a
    // 番地 does not select): without the city it is ambiguous...
    const GeocodeResult four = g.geocode("中央町5番地");
    EXPECT_EQ(four.status, GeocodeResult::Status::ambiguous);
    EXPECT_EQ(four.candidates.size(), 4u);
    EXPECT_NE(four.message.find("下松市中央町"), std::string::npos) << four.message;
    // ...and the registry's municipality code settles it.
    const GeocodeResult one = g.geocode("中央町5番地", "352071");
    ASSERT_EQ(one.status, GeocodeResult::Status::found);
    EXPECT_EQ(one.point->municipality, "下松市");
}

RegistryLoadResult load_text(const std::string& csv) {
    return load_registry_table(table_from_csv(parse_csv(csv, "r.csv"), registry_columns()));
}

TEST(Geocoder, RegistryAddressesPlaceHomesAndCoordinatesWin) {
    const RegistryLoadResult r = load_text("id,municipality_code,住所,home_lon,home_lat,mobility\n"
                                           "K-1,352071,山口県下松市旗岡３－２,,,車椅子\n"
                                           "K-2,352071,下松市東豊井1134,,,抱っこ\n"
                                           "K-3,352071,下松市東豊井1134,131.8801,33.9961,抱っこ\n");
    ASSERT_FALSE(has_errors(r.diagnostics));
    ASSERT_EQ(r.registry.size(), 3u);
    const Child& a = r.registry.children()[0];
    EXPECT_EQ(a.home, (geo::LonLat{131.877907, 34.012033}));
    EXPECT_EQ(a.home_precision, GeocodePrecision::chome);
    EXPECT_EQ(a.address, "山口県下松市旗岡３－２");
    const Child& b = r.registry.children()[1];
    EXPECT_EQ(b.home_precision, GeocodePrecision::oaza);
    const Child& c = r.registry.children()[2]; // pinned by the coordinator: the coordinates win
    EXPECT_EQ(c.home, (geo::LonLat{131.8801, 33.9961}));
    EXPECT_FALSE(c.home_precision);
    // The 大字-only home is flagged, on its line.
    std::size_t flagged = 0;
    for (const auto& d : r.diagnostics) {
        if (d.message.find(kCheckHomeOnMap) == std::string::npos) continue;
        ++flagged;
        EXPECT_EQ(d.where.line, 3);
        EXPECT_EQ(d.where.field, "住所");
    }
    EXPECT_EQ(flagged, 1u);
}

TEST(Geocoder, RegistryAddressErrorsNameLineFieldAndValue) {
    const RegistryLoadResult r = load_text("id,municipality_code,住所,mobility\n"
                                           "K-1,352071,下松市存在しない町1-1,車椅子\n"
                                           "K-2,,中央町5番地,車椅子\n");
    EXPECT_EQ(r.registry.size(), 0u);
    EXPECT_EQ(r.rows_rejected, 2u);
    std::vector<const Diagnostic*> address_errors;
    for (const auto& d : r.diagnostics) {
        if (d.severity == Diagnostic::Severity::error && d.where.field == "住所")
            address_errors.push_back(&d);
    }
    ASSERT_EQ(address_errors.size(), 2u);
    EXPECT_EQ(address_errors[0]->where.line, 2);
    EXPECT_EQ(address_errors[0]->where.value, "下松市存在しない町1-1");
    EXPECT_EQ(address_errors[1]->where.line, 3);
    EXPECT_NE(address_errors[1]->message.find("matches 4 towns equally"), std::string::npos)
        << address_errors[1]->message;
}

TEST(Geocoder, GeocodedTableFillsCoordinatesAndPrecision) {
    const Table table =
        table_from_csv(parse_csv("仮名ID,市町村コード,住所,経度,緯度,移動方法\n"
                                 "K-1,352071,下松市旗岡三丁目2-5,,,車椅子\n"
                                 "K-2,352071,下松市大字東豊井千百三十四番地,,,抱っこ\n"
                                 "K-3,352071,下松市東豊井1134,131.8801,33.9961,抱っこ\n",
                                 "r.csv"),
                       registry_columns());
    const GeocodedTable out = geocode_registry_table(table);
    EXPECT_FALSE(has_errors(out.diagnostics));
    EXPECT_EQ(out.geocoded, 2u);
    EXPECT_EQ(out.kept, 1u);
    EXPECT_EQ(out.oaza_only, 1u);
    ASSERT_EQ(out.rows.size(), 4u);
    EXPECT_EQ(out.rows[0],
              (std::vector<std::string>{"仮名ID", "市町村コード", "住所", "経度", "緯度",
                                        "移動方法", "home_precision", "位置の出典"}));
    EXPECT_EQ(out.rows[1][3], "131.877907");
    EXPECT_EQ(out.rows[1][4], "34.012033");
    EXPECT_EQ(out.rows[1][6], "町丁目");
    EXPECT_EQ(out.rows[2][6], "大字");
    EXPECT_EQ(out.rows[3][3], "131.8801"); // kept
    EXPECT_EQ(out.rows[3][6], "");
    // The written table loads again as a registry, precision and all.
    const RegistryLoadResult again = load_registry_table(
        table_from_csv(parse_csv(format_csv(out.rows), "g.csv"), registry_columns()));
    ASSERT_FALSE(has_errors(again.diagnostics));
    EXPECT_EQ(again.registry.children()[1].home_precision, GeocodePrecision::oaza);
}

// A facility table or a standard list row with an address and no coordinates is placed at its
// town point, with the precision (published coordinates win when merged); a coarse point is
// warned, an unknown address is an error naming line, field and value.
TEST(Geocoder, FacilityRowsWithAnAddressAndNoCoordinates) {
    const FacilityLoadResult table = load_facility_table(table_from_csv(
        parse_csv("id,name,kind,municipality_code,lon,lat,address\n"
                  "W-1,旗岡ケア（想定）,welfare_shelter,352071,,,下松市旗岡三丁目2-5\n"
                  "W-2,東豊井ケア（想定）,welfare_shelter,352071,,,下松市東豊井1134\n"
                  "W-3,どこにもない（想定）,welfare_shelter,352071,,,下松市存在しない町1-1\n"
                  "H-1,病院（想定）,hospital,352071,131.8801,33.9961,下松市東豊井1134\n",
                  "f.csv"),
        facility_columns()));
    ASSERT_EQ(table.facilities.size(), 3u); // sorted by id: H-1, W-1, W-2
    EXPECT_EQ(table.facilities[1].id, "W-1");
    EXPECT_EQ(table.facilities[1].position, (geo::LonLat{131.877907, 34.012033}));
    EXPECT_EQ(table.facilities[1].position_precision, GeocodePrecision::chome);
    EXPECT_EQ(table.facilities[2].position, (geo::LonLat{131.88306, 33.995495}));
    EXPECT_EQ(table.facilities[2].position_precision, GeocodePrecision::oaza);
    EXPECT_EQ(table.facilities[0].id, "H-1");
    EXPECT_EQ(table.facilities[0].position, (geo::LonLat{131.8801, 33.9961}));
    EXPECT_FALSE(table.facilities[0].position_precision); // coordinates as given
    int errors = 0, coarse = 0;
    for (const auto& d : table.diagnostics) {
        if (d.severity == Diagnostic::Severity::error) {
            ++errors;
            EXPECT_EQ(d.where.line, 4);
            EXPECT_EQ(d.where.field, "address");
            EXPECT_EQ(d.where.value, "下松市存在しない町1-1");
        } else if (d.message.find("大字 point only") != std::string::npos) {
            ++coarse;
            EXPECT_EQ(d.where.line, 3);
        }
    }
    EXPECT_EQ(errors, 1);
    EXPECT_EQ(coarse, 1);

    // The lon/lat columns may be left out altogether when the addresses are there.
    const FacilityLoadResult no_columns = load_facility_table(
        table_from_csv(parse_csv("施設ID,施設名,種別,市町村コード,住所\nW-1,旗岡ケア（想定）,"
                                 "福祉避難所,352071,山口県下松市旗岡３－２\n",
                                 "g.csv"),
                       facility_columns()));
    ASSERT_FALSE(has_errors(no_columns.diagnostics));
    ASSERT_EQ(no_columns.facilities.size(), 1u);
    EXPECT_EQ(no_columns.facilities[0].position_precision, GeocodePrecision::chome);

    // A standard list row without 緯度/経度 is placed from 所在地_連結表記.
    const FacilityLoadResult list = load_standard_list_table(
        table_from_csv(parse_csv("全国地方公共団体コード,ID,名称,所在地_連結表記,緯度,経度,"
                                 "災害種別_洪水,災害種別_地震,"
                                 "災害種別_津波,指定避難所との重複\n"
                                 "352071,S-1,旗岡の広場,下松市旗岡三丁目2,,,1,1,,\n",
                                 "s.csv"),
                       standard_list_columns()),
        "s.csv");
    ASSERT_FALSE(has_errors(list.diagnostics));
    ASSERT_EQ(list.facilities.size(), 1u);
    EXPECT_EQ(list.facilities[0].position, (geo::LonLat{131.877907, 34.012033}));
    EXPECT_EQ(list.facilities[0].position_precision, GeocodePrecision::chome);

    // Merged with a record of the same site that has coordinates: those win.
    Facility gsi = list.facilities[0];
    gsi.id = "E3520700000101";
    gsi.position = {131.8781, 34.0121};
    gsi.position_precision.reset();
    gsi.sources = {"gsi-emergency:E3520700000101"};
    const auto merged = merge_facilities(std::vector<Facility>{list.facilities[0], gsi});
    ASSERT_EQ(merged.facilities.size(), 1u);
    EXPECT_EQ(merged.facilities[0].position, (geo::LonLat{131.8781, 34.0121}));
    EXPECT_FALSE(merged.facilities[0].position_precision);
}

} // namespace
} // namespace sonae::planner
