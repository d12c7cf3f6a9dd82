// The guidebook's maps on the bundled scenarios with real roads (ube-flood, kochi-tsunami),
// end to end through the `sonae` binary: plan, then guidebook --scenario. The map pages are
// rasterised with pdftoppm and their pixels checked: the scenario's roads are drawn, the
// route is drawn, and a hazard area is shaded where the scenario has one in view. The
// route's own points lie on the roads the map draws (the same network), so the unit test's
// "roads under the route" (tests/unit/report/route_map_test.cpp) holds on real data.
#include "geo/road_network.hpp"
#include "planner/plan_io.hpp"
#include "planner/scenario.hpp"
#include "report/detail/route_map.hpp"
#include "report/map_background.hpp"
#include "tests/support/paths.hpp"
#include "tests/unit/report/pdf_tools.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <memory>

using namespace sonae;

namespace {

std::string sonae_binary() { return std::string(SONAE_BINARY_DIR) + "/app/sonae"; }

/// One bundled scenario planned and its guidebooks written (once per test run).
struct Books {
    std::filesystem::path scenario;
    std::filesystem::path dir;
    planner::Plan plan;
    report::MapBackground background;
};

test::TempDir& work() {
    static test::TempDir dir;
    return dir;
}

const Books& books(const std::string& name) {
    static std::map<std::string, std::unique_ptr<Books>> cache;
    auto& slot = cache[name];
    if (!slot) {
        slot = std::make_unique<Books>();
        slot->scenario = test::source_path("scenarios/" + name);
        const auto out = work() / name;
        slot->dir = work() / (name + "-books");
        test::run_command(sonae_binary() + " plan " + test::quote(slot->scenario) + " -o " + test::quote(out) + " >/dev/null 2>&1");
        test::run_command(sonae_binary() + " guidebook " + test::quote(out / "plan.json") + " -o " + test::quote(slot->dir) +
                          " --scenario " + test::quote(slot->scenario) + " --issued 2026-04-01 >/dev/null 2>&1");
        slot->plan = planner::read_plan_json(out / "plan.json");
        slot->background = report::load_map_background(planner::read_manifest(slot->scenario / "scenario.toml"));
    }
    return *slot;
}

/// A page rendered by pdftoppm as RGB pixels.
struct Page {
    int width = 0, height = 0;
    std::vector<unsigned char> rgb;
};

Page render_page(const std::filesystem::path& pdf, int page, const std::filesystem::path& stem) {
    test::run_command("pdftoppm -r 100 -f " + std::to_string(page) + " -l " + std::to_string(page) + " -singlefile " +
                      test::quote(pdf) + " " + test::quote(stem));
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
    const int r = static_cast<int>(std::lround(c.r * 255)), g = static_cast<int>(std::lround(c.g * 255)),
              b = static_cast<int>(std::lround(c.b * 255));
    int n = 0;
    for (std::size_t i = 0; i + 2 < p.rgb.size(); i += 3)
        n += std::abs(p.rgb[i] - r) <= tolerance && std::abs(p.rgb[i + 1] - g) <= tolerance && std::abs(p.rgb[i + 2] - b) <= tolerance;
    return n;
}

/// The 1-based page whose text holds `needle`, or 0.
int page_with(const std::filesystem::path& pdf, const std::string& needle) {
    const int pages = test::pdf_pages(pdf);
    for (int i = 1; i <= pages; ++i) {
        const auto text = test::squeeze(test::run_command("pdftotext -enc UTF-8 -f " + std::to_string(i) + " -l " +
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
            const double ax = (l.points[i - 1].lon - p.lon) * kx, ay = (l.points[i - 1].lat - p.lat) * ky;
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
    const auto major = report::detail::Colour{1.0, 0.91, 0.55};   // secondary/primary fill
    const auto trunk = report::detail::Colour{0.96, 0.72, 0.40};   // trunk/motorway fill
    int with_hazard = 0;
    for (const auto& c : b.plan.children) {
        const auto pdf = b.dir / ("guidebook_" + c.child_id + ".pdf");
        ASSERT_TRUE(std::filesystem::exists(pdf)) << pdf;
        const int page = page_with(pdf, "全体図:自宅から避難先まで");
        ASSERT_GT(page, 0) << c.child_id << ": no whole-route map";
        const auto img = render_page(pdf, page, work() / ("p-" + c.child_id));
        EXPECT_GT(count(img, major) + count(img, trunk), 200) << c.child_id << ": main roads drawn";
        EXPECT_GT(count(img, report::detail::kMinorRoadColour, 10), 200) << c.child_id << ": streets drawn";
        if (c.primary) {
            EXPECT_GT(count(img, report::detail::kRouteColour, 6), 300) << c.child_id << ": route drawn";
        }
        if (c.primary && route_meets_hazard(c.primary->geometry, b.background.hazards)) {
            // The route crosses a hazard area, so the area is in view: its fill shows.
            ++with_hazard;
            int shaded = 0;
            for (const auto& a : b.background.hazards.areas()) {
                for (int sev = 0; sev <= 2; ++sev) shaded += count(img, report::detail::hazard_fill(a.kind, sev), 3);
            }
            EXPECT_GT(shaded, 500) << c.child_id << ": hazard area shaded";
        }
        if (c.primary && c.primary->length_m > 1800) {
            EXPECT_GT(page_with(pdf, "拡大図:出発から最初の1km"), 0) << c.child_id << ": long route, no first-km map";
        }
    }
    EXPECT_GT(with_hazard, 0) << "at least one route in each scenario crosses its hazard areas";
}

INSTANTIATE_TEST_SUITE_P(Bundled, GuidebookMaps, ::testing::Values("ube-flood", "kochi-tsunami"),
                         [](const auto& info) { return info.param == "ube-flood" ? "Ube" : "Kochi"; });
