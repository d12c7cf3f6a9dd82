// Every guidebook of the four bundled scenarios, end to end through the `sonae` binary: plan,
// then guidebook --scenario.
// Maps (the scenarios with real roads, ube-flood and kochi-tsunami): the map pages are
// rasterised with pdftoppm and their pixels checked: the scenario's roads are drawn, the
// route is drawn, and a hazard area is shaded where the route crosses one. The route's own
// points lie on the roads the map draws (the same network), so the unit test's "roads under
// the route" (tests/unit/report/route_map_test.cpp) holds on real data.
// Text (all four): pdftotext of every page: each section present, no English word outside
// ids, units and names from the data, no developer file name, the trigger of the plan's
// hazard kind, one destination answer, no page without content.
#include "geo/road_network.hpp"
#include "geo/workbook.hpp"
#include "planner/csv.hpp"
#include "planner/plan_io.hpp"
#include "planner/scenario.hpp"
#include "report/detail/route_map.hpp"
#include "report/guidebook.hpp"
#include "report/map_background.hpp"
#include "report/regions.hpp"
#include "tests/support/paths.hpp"
#include "tests/support/run_cli.hpp"
#include "tests/unit/report/pdf_tools.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <memory>
#include <regex>
#include <set>

using namespace sonae;

namespace {

test::TempDir& work() {
    static test::TempDir dir;
    return dir;
}

// `sonae <args>` to its end; a failure (which the tests below cannot go on from) throws with
// what sonae printed.
void run_ok(const std::string& args) {
    const auto r = test::run_sonae(args, work().path(), 600);
    if (r.exit_code != 0)
        throw std::runtime_error("sonae " + args + ": exit " + std::to_string(r.exit_code) + "\n" +
                                 r.err);
}

/// One bundled scenario planned and its guidebooks written (once per test run).
struct Books {
    std::filesystem::path scenario;
    std::filesystem::path dir;
    planner::Plan plan;
    report::MapBackground background;
};

const Books& books(const std::string& name) {
    static std::map<std::string, std::unique_ptr<Books>> cache;
    auto& slot = cache[name];
    if (!slot) {
        slot = std::make_unique<Books>();
        slot->scenario = test::source_path("scenarios/" + name);
        const auto out = work() / name;
        slot->dir = work() / (name + "-books");
        run_ok("plan " + test::quote(slot->scenario) + " -o " + test::quote(out));
        run_ok("guidebook " + test::quote(out / "plan.json") + " -o " + test::quote(slot->dir) +
               " --scenario " + test::quote(slot->scenario) + " --issued 2026-04-01");
        slot->plan = planner::read_plan_json(out / "plan.json");
        slot->background =
            report::load_map_background(planner::read_manifest(slot->scenario / "scenario.toml"));
    }
    return *slot;
}

/// A page rendered by pdftoppm as RGB pixels.
struct Page {
    int width = 0, height = 0;
    std::vector<unsigned char> rgb;
};

Page render_page(const std::filesystem::path& pdf, int page, const std::filesystem::path& stem) {
    test::run_command("pdftoppm -r 100 -f " + std::to_string(page) + " -l " + std::to_string(page) +
                      " -singlefile " + test::quote(pdf) + " " + test::quote(stem));
    std::ifstream in(stem.string() + ".ppm", std::ios::binary);
    std::string magic;
    int maxval = 0;
    Page p;
    in >> magic >> p.width >> p.height >> maxval;
    in.get();
    p.rgb.resize(static_cast<std::size_t>(p.width) * p.height * 3);
    in.read(reinterpret_cast<char*>(p.rgb.data()), static_cast<std::streamsize>(p.rgb.size()));
    EXPECT_EQ(magic, "P6");
    return p;
}

/// Pixels within `tolerance` (0..255 per channel) of a colour.
int count(const Page& p, const report::detail::Colour& c, int tolerance = 4) {
    const int r = static_cast<int>(std::lround(c.r * 255)),
              g = static_cast<int>(std::lround(c.g * 255)),
              b = static_cast<int>(std::lround(c.b * 255));
    int n = 0;
    for (std::size_t i = 0; i + 2 < p.rgb.size(); i += 3)
        n += std::abs(p.rgb[i] - r) <= tolerance && std::abs(p.rgb[i + 1] - g) <= tolerance &&
             std::abs(p.rgb[i + 2] - b) <= tolerance;
    return n;
}

/// The 1-based page whose text holds `needle`, or 0.
int page_with(const std::filesystem::path& pdf, const std::string& needle) {
    const int pages = test::pdf_pages(pdf);
    for (int i = 1; i <= pages; ++i) {
        const auto text = test::squeeze(
            test::run_command("pdftotext -enc UTF-8 -f " + std::to_string(i) + " -l " +
                              std::to_string(i) + " " + test::quote(pdf) + " -"));
        if (text.find(needle) != std::string::npos) return i;
    }
    return 0;
}

/// Distance in metres from p to the nearest drawn road (point-to-segment, local plane).
double to_nearest_road_m(const std::vector<geo::BackgroundLine>& lines, geo::LonLat p) {
    const double kx = 111320.0 * std::cos(p.lat * M_PI / 180.0), ky = 110574.0;
    double best = 1e18;
    for (const auto& l : lines) {
        if (l.kind != geo::BackgroundLine::Kind::road) continue;
        for (std::size_t i = 1; i < l.points.size(); ++i) {
            const double ax = (l.points[i - 1].lon - p.lon) * kx,
                         ay = (l.points[i - 1].lat - p.lat) * ky;
            const double bx = (l.points[i].lon - p.lon) * kx, by = (l.points[i].lat - p.lat) * ky;
            const double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
            const double t = len2 > 0 ? std::clamp(-(ax * dx + ay * dy) / len2, 0.0, 1.0) : 0.0;
            best = std::min(best, std::hypot(ax + t * dx, ay + t * dy));
        }
    }
    return best;
}

bool route_meets_hazard(const std::vector<geo::LonLat>& route, const geo::Hazards& hazards) {
    return !hazards.empty() && !hazards.areas_crossed(route).empty();
}

} // namespace

class GuidebookMaps : public ::testing::TestWithParam<std::string> {};

TEST_P(GuidebookMaps, RoutesRunOnTheDrawnRoads) {
    const auto& b = books(GetParam());
    ASSERT_FALSE(b.background.lines.empty()) << "the scenario has a road network";
    int routes = 0;
    for (const auto& c : b.plan.children) {
        if (!c.primary) continue;
        ++routes;
        // Every 5th vertex of the route (the ends are the snapped home and facility).
        for (std::size_t i = 1; i + 1 < c.primary->geometry.size(); i += 5) {
            EXPECT_LT(to_nearest_road_m(b.background.lines, c.primary->geometry[i]), 2.0)
                << c.child_id << " route point " << i << " is not on a drawn road";
        }
    }
    EXPECT_GT(routes, 0);
}

TEST_P(GuidebookMaps, MapPagesShowRoadsRouteAndHazardAreas) {
    const auto& b = books(GetParam());
    const auto major = report::detail::Colour{1.0, 0.91, 0.55};  // secondary/primary fill
    const auto trunk = report::detail::Colour{0.96, 0.72, 0.40}; // trunk/motorway fill
    int with_hazard = 0;
    for (const auto& c : b.plan.children) {
        const auto pdf = b.dir / ("guidebook_" + c.child_id + ".pdf");
        ASSERT_TRUE(std::filesystem::exists(pdf)) << pdf;
        const int page = page_with(pdf, "全体図:自宅から避難先まで");
        ASSERT_GT(page, 0) << c.child_id << ": no whole-route map";
        const auto img = render_page(pdf, page, work() / ("p-" + c.child_id));
        EXPECT_GT(count(img, major) + count(img, trunk), 200) << c.child_id << ": main roads drawn";
        EXPECT_GT(count(img, report::detail::kMinorRoadColour, 10), 200)
            << c.child_id << ": streets drawn";
        if (c.primary) {
            EXPECT_GT(count(img, report::detail::kRouteColour, 6), 300)
                << c.child_id << ": route drawn";
        }
        if (c.primary && route_meets_hazard(c.primary->geometry, b.background.hazards)) {
            // The route crosses a hazard area, so the area is in view: its fill shows.
            ++with_hazard;
            int shaded = 0;
            for (const auto& a : b.background.hazards.areas()) {
                for (int sev = 0; sev <= 2; ++sev)
                    shaded += count(img, report::detail::hazard_fill(a.kind, sev), 3);
            }
            EXPECT_GT(shaded, 500) << c.child_id << ": hazard area shaded";
        }
        if (c.primary && c.primary->length_m > 1800) {
            EXPECT_GT(page_with(pdf, "拡大図:出発から最初の1km"), 0)
                << c.child_id << ": long route, no first-km map";
        }
    }
    EXPECT_GT(with_hazard, 0) << "at least one route in each scenario crosses its hazard areas";
}

INSTANTIATE_TEST_SUITE_P(Bundled, GuidebookMaps, ::testing::Values("ube-flood", "kochi-tsunami"),
                         [](const auto& info) {
                             return info.param == "ube-flood" ? "Ube" : "Kochi";
                         });

namespace {

std::string page_text(const std::filesystem::path& pdf, int page) {
    return test::run_command("pdftotext -enc UTF-8 -f " + std::to_string(page) + " -l " +
                             std::to_string(page) + " " + test::quote(pdf) + " -");
}

/// ASCII words a family may read: units and device acronyms, the 171 web service, Yガーゼ
/// (a split gauze for the tracheostomy), and single letters of names (福祉避難所A).
const std::set<std::string> kAllowedWords{
    "ID", "W", "Wh",  "m",   "km",   "L",    "h",         "AC",   "DC",     "PHEV",
    "VA", "V", "FAX", "HME", "CPAP", "NPPV", "CPAP/NPPV", "SpO2", "web171", "Y",
    "A",  "B", "C",   "mL",  "mL/",  "L/",   "kPa",       "Fr",   "mm",     "cmH2O"};

/// ASCII words that come from the data itself (facility and office names, e-mail addresses).
std::set<std::string> data_words(const planner::Plan& plan) {
    std::set<std::string> words;
    auto scan = [&](std::string_view text) {
        static const std::regex word("[A-Za-z][A-Za-z0-9_.@/-]*");
        const std::string s(text);
        for (std::sregex_iterator it(s.begin(), s.end(), word), end; it != end; ++it)
            words.insert(it->str());
    };
    for (const auto& f : plan.facilities) scan(f.name);
    for (const auto& t : plan.tours) scan(t.vehicle_id);
    for (const auto& c : plan.children) {
        scan(c.child_id);
        for (const auto& d : c.destinations_by_hazard) scan(d.facility_name);
        if (const auto* m = report::find_municipality(c.municipality_code)) {
            for (const auto& o : m->coordinator_offices) scan(o);
        }
        const auto& centre = report::support_centre(report::region_of(c.municipality_code));
        scan(centre.email);
    }
    return words;
}

} // namespace

class GuidebookText : public ::testing::TestWithParam<std::string> {};

TEST_P(GuidebookText, EveryPageIsJapaneseWithEverySectionAndNoInternals) {
    const auto& b = books(GetParam());
    const auto from_data = data_words(b.plan);
    const std::regex word("[A-Za-z][A-Za-z0-9_.@/-]*");
    for (const auto& c : b.plan.children) {
        const auto pdf = b.dir / ("guidebook_" + c.child_id + ".pdf");
        const int pages = test::pdf_pages(pdf);
        ASSERT_GE(pages, 4) << pdf;
        std::string all;
        for (int p = 1; p <= pages; ++p) {
            const auto text = page_text(pdf, p);
            all += text;
            // No page holds only its running head, footer and number (a lone closing line).
            auto body = test::squeeze(text);
            for (const std::string& chrome : {"災害の備えガイドブックID" + c.child_id,
                                              "個人情報（要配慮個人情報）・取扱注意ID" + c.child_id,
                                              std::to_string(p) + "ページ"}) {
                if (const auto at = body.find(chrome); at != std::string::npos)
                    body.erase(at, chrome.size());
            }
            EXPECT_GT(body.size(), 60u)
                << c.child_id << " page " << p << " holds almost nothing: " << body;
        }
        // A map's scale label ("1 km") next to a road number on the map (国道190号) comes out
        // of pdftotext glued ("km190"): a unit followed by digits is not an English word.
        const std::regex glued_unit("(km|m)[0-9]+");
        for (std::sregex_iterator it(all.begin(), all.end(), word), end; it != end; ++it) {
            const auto w = it->str();
            if (std::regex_match(w, glued_unit)) continue;
            EXPECT_TRUE(kAllowedWords.count(w) || from_data.count(w))
                << c.child_id << ": English word '" << w << "'";
        }
        const auto text = test::squeeze(all);
        for (const char* internal : {"DOMAIN", ".md", ".toml", "sonae", "data/", "（記入）"}) {
            EXPECT_EQ(text.find(internal), std::string::npos)
                << c.child_id << " prints " << internal;
        }
        for (const char* section :
             {"1.プロフィール", "2.医療機器とバッテリー", "3.停電したときの電源計画",
              "4.避難先と経路", "5.災害の種類ごとの避難先", "6.避難を始めるタイミング",
              "7.移動手段と支援者", "8.持ち出し品・備蓄のチェックリスト", "9.連絡先",
              "10.見直しと訓練", "11.医療機器の設定（主治医・業者と一緒に記入）",
              "12.停電したとき・地震のとき（すぐにすること）",
              "13.119番に電話するとき・安否を伝えるとき", "14.避難先のスタッフへ（ふだんのケア）",
              "15.同意と、この計画を受け取る人",
              "16.救急情報カード・ヘルプカード（切り取って持ち歩く）"}) {
            EXPECT_NE(text.find(section), std::string::npos) << c.child_id << " lacks " << section;
        }
    }
}

TEST_P(GuidebookText, TriggerWordingFollowsTheHazardKind) {
    const auto& b = books(GetParam());
    for (const auto& c : b.plan.children) {
        const auto text =
            test::squeeze(test::pdf_text(b.dir / ("guidebook_" + c.child_id + ".pdf")));
        if (b.plan.hazard_kind == "tsunami") {
            EXPECT_NE(text.find("揺れがおさまりしだい、警報を待たずにすぐ"), std::string::npos)
                << c.child_id;
            EXPECT_NE(text.find("大津波警報・津波警報が出たら、すぐに避難します"),
                      std::string::npos)
                << c.child_id;
            EXPECT_EQ(text.find("警戒レベル3「高齢者等避難」が出たら"), std::string::npos)
                << c.child_id;
            EXPECT_EQ(text.find("明るいうちの早めの避難"), std::string::npos) << c.child_id;
        } else if (b.plan.hazard_kind == "flood") {
            EXPECT_NE(text.find("警戒レベル3「高齢者等避難」が出たら、すぐに出発します"),
                      std::string::npos)
                << c.child_id;
        } else {
            ASSERT_EQ(b.plan.hazard_kind, "landslide");
            EXPECT_NE(
                text.find("土砂災害警戒情報（警戒レベル4相当、レベル4土砂災害危険警報）が出たら"),
                std::string::npos)
                << c.child_id;
            EXPECT_NE(text.find("前ぶれ"), std::string::npos) << c.child_id;
        }
    }
}

TEST_P(GuidebookText, OneDestinationAnswerAcrossSections) {
    const auto& b = books(GetParam());
    for (const auto& c : b.plan.children) {
        const auto text =
            test::squeeze(test::pdf_text(b.dir / ("guidebook_" + c.child_id + ".pdf")));
        EXPECT_EQ(text.find("決まっていません（計画で見つかった注意点を参照）"), std::string::npos)
            << c.child_id;
        if (c.outcome == planner::Outcome::shelter_in_place) {
            // Staying home is planned (issue 17): the booklet gives the conditions, not a
            // missing destination.
            EXPECT_NE(text.find("在宅避難の条件"), std::string::npos) << c.child_id;
            continue;
        }
        if (!c.facility_id.empty()) {
            EXPECT_NE(text.find("【計画の避難先】"), std::string::npos) << c.child_id;
            EXPECT_EQ(text.find("避難先が決まっていないとき"), std::string::npos) << c.child_id;
            continue;
        }
        // No place in this plan: section 4 says so, says what to do instead, and names the same
        // candidate that section 5 marks as not settled.
        EXPECT_NE(text.find("受け入れが決まった避難先はありません"), std::string::npos)
            << c.child_id;
        EXPECT_NE(text.find("避難先が決まっていないとき"), std::string::npos) << c.child_id;
        EXPECT_NE(text.find("119番"), std::string::npos) << c.child_id;
        for (const auto& d : c.destinations_by_hazard) {
            if (d.hazard != b.plan.hazard_kind) continue;
            EXPECT_NE(text.find("相談して決める候補" + test::squeeze(d.facility_name)),
                      std::string::npos)
                << c.child_id;
            EXPECT_NE(text.find(test::squeeze(d.facility_name) +
                                "【相談して決める候補・受け入れ未確定】"),
                      std::string::npos)
                << c.child_id;
        }
    }
}

TEST_P(GuidebookText, FileToSendWithTitleAuthorLanguageAndOneFont) {
    // At most 400 KB (was about 1.9 MB: cairo 1.16 embedded the CJK font's subroutines; the
    // fonts are now drawn without them, report/detail/fonts.hpp), same font family.
    const auto& b = books(GetParam());
    for (const auto& c : b.plan.children) {
        const auto pdf = b.dir / ("guidebook_" + c.child_id + ".pdf");
        EXPECT_LE(std::filesystem::file_size(pdf), 400000u) << c.child_id;
        const auto info = test::run_command("pdfinfo " + test::quote(pdf) + " 2>&1");
        EXPECT_NE(info.find("Title:           災害の備えガイドブック " + c.child_id),
                  std::string::npos)
            << info;
        EXPECT_NE(info.find("Author:          "), std::string::npos) << info;
        EXPECT_NE(info.find("個別避難計画"), std::string::npos) << info;
        EXPECT_EQ(info.find("Error"), std::string::npos) << info;
        std::ifstream in(pdf, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
        EXPECT_NE(bytes.find("/Lang (ja-JP)"), std::string::npos) << c.child_id;
        const auto fonts = test::pdf_fonts(pdf);
        std::size_t lines = 0, embedded = 0;
        for (std::size_t at = 0, end; (end = fonts.find('\n', at)) != std::string::npos;
             at = end + 1) {
            const auto line = fonts.substr(at, end - at);
            if (++lines <= 2 || line.empty()) continue;
            EXPECT_NE(line.find("NotoSansCJKjp-"), std::string::npos) << line;
            EXPECT_NE(line.find(" yes yes yes "), std::string::npos)
                << line; // embedded, subset, ToUnicode
            ++embedded;
        }
        EXPECT_EQ(embedded, 2u) << fonts; // regular and bold
    }
}

TEST_P(GuidebookText, DataExportRowsMatchThePdfs) {
    // sonae guidebook --data: one row per child in CSV (UTF-8 with BOM) and .xlsx, 0600; every
    // value of every row is printed in that child's booklet (split at the lists' separators).
    const auto& b = books(GetParam());
    const auto out = work() / (GetParam() + "-data");
    run_ok("guidebook " + test::quote(work() / GetParam() / "plan.json") + " -o " +
           test::quote(out) + " --data --issued 2026-04-01");
    const auto csv = planner::read_csv_file(out / "guidebook_data.csv");
    EXPECT_TRUE(csv.had_bom);
    EXPECT_EQ(test::file_mode(out / "guidebook_data.csv"), 0600u);
    EXPECT_EQ(test::file_mode(out / "guidebook_data.xlsx"), 0600u);
    ASSERT_EQ(csv.records.size(), b.plan.children.size() + 1);
    const auto book = geo::read_workbook(out / "guidebook_data.xlsx");
    ASSERT_EQ(book.sheets.size(), 1u);
    ASSERT_EQ(book.sheets[0].rows.size(), b.plan.children.size() + 1);
    report::GuidebookOptions options;
    options.issued_on = "2026-04-01";
    for (std::size_t i = 0; i < b.plan.children.size(); ++i) {
        const auto& c = b.plan.children[i]; // plans list children by id, as the export does
        const auto row = report::guidebook_data_row(b.plan, c.child_id, options);
        ASSERT_EQ(csv.records[i + 1].fields.size(), row.size());
        auto cells = book.sheets[0].rows[i + 1].cells;
        cells.resize(row.size());
        const auto text =
            test::squeeze(test::pdf_text(b.dir / ("guidebook_" + c.child_id + ".pdf")));
        for (std::size_t f = 0; f < row.size(); ++f) {
            EXPECT_EQ(csv.records[0].fields[f], row[f].first);
            EXPECT_EQ(csv.records[i + 1].fields[f], row[f].second)
                << c.child_id << " " << row[f].first;
            EXPECT_EQ(cells[f], row[f].second) << c.child_id << " " << row[f].first << " (xlsx)";
            // Each part of the value is in the booklet.
            std::string part;
            auto check = [&] {
                const auto p = test::squeeze(part);
                if (!p.empty()) {
                    EXPECT_NE(text.find(p), std::string::npos)
                        << c.child_id << " " << row[f].first << ": " << p;
                }
                part.clear();
            };
            const std::string& v = row[f].second;
            for (std::size_t k = 0; k < v.size();) {
                if (v.compare(k, 3, "、") == 0 || v.compare(k, 3, "・") == 0 ||
                    v.compare(k, 3, "　") == 0) { // U+3000: a space
                    check();
                    k += 3;
                } else if (v[k] == ' ') {
                    check();
                    ++k;
                } else {
                    part += v[k++];
                }
            }
            check();
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Bundled, GuidebookText,
                         ::testing::Values("ube-flood", "kochi-tsunami", "shimonoseki-drill",
                                           "kudamatsu-drill"),
                         [](const auto& info) {
                             std::string n;
                             for (char ch : info.param) n += ch == '-' ? '_' : ch;
                             return n;
                         });
