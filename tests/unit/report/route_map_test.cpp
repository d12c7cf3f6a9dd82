// The guidebook's route map drawn into an image: roads lie under the route, hazard areas are
// shaded where they are and nowhere else, labels and legend name what is drawn.
#include "report/detail/route_map.hpp"

#include <cairo.h>
#include <gtest/gtest.h>

#include <cmath>
#include <memory>

using namespace sonae;
using namespace sonae::report::detail;

namespace {

struct Image {
    std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)> surface{
        nullptr, cairo_surface_destroy};
    int width = 0, height = 0;
    /// RGB of a pixel, 0..255 each.
    std::array<int, 3> at(double x, double y) const {
        auto* s = surface.get();
        const int stride = cairo_image_surface_get_stride(s);
        const unsigned char* data = cairo_image_surface_get_data(s);
        const auto* px =
            reinterpret_cast<const std::uint32_t*>(data + static_cast<int>(y) * stride) +
            static_cast<int>(x);
        return {static_cast<int>((*px >> 16) & 0xff), static_cast<int>((*px >> 8) & 0xff),
                static_cast<int>(*px & 0xff)};
    }
};

bool near(const std::array<int, 3>& rgb, const Colour& c, int tolerance = 6) {
    return std::abs(rgb[0] - static_cast<int>(std::lround(c.r * 255))) <= tolerance &&
           std::abs(rgb[1] - static_cast<int>(std::lround(c.g * 255))) <= tolerance &&
           std::abs(rgb[2] - static_cast<int>(std::lround(c.b * 255))) <= tolerance;
}

Image render(const RouteMapContent& content, const MapView& view) {
    Image img;
    img.width = static_cast<int>(view.area.w);
    img.height = static_cast<int>(view.area.h);
    img.surface.reset(cairo_image_surface_create(CAIRO_FORMAT_RGB24, img.width, img.height));
    cairo_t* cr = cairo_create(img.surface.get());
    cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE); // exact colours to compare
    draw_route_map(cr, view, content);
    cairo_destroy(cr);
    cairo_surface_flush(img.surface.get());
    return img;
}

// A small town, 100 m blocks (about 0.0009 deg of latitude, 0.0011 deg of longitude at 34 N):
//
//     N                      F = facility (top right), H = home (bottom left)
//     +----+----+----F       route: H east along the bottom street to the right edge, then north
//     |    |    |    |       along the right street to F (the primary road, tier 3)
//     +----+----+----+       flooded block: the square marked ~ (flood, 1.2 m)
//     |    | ~~ |    |
//     H----+----+----+
geo::LonLat at(int col, int row) {
    return {131.25 + col * 0.0011, 33.95 + row * 0.0009};
}

RouteMapContent small_town(std::vector<geo::BackgroundLine>& roads) {
    for (int row = 0; row <= 2; ++row) {
        geo::BackgroundLine street;
        street.road_class = row == 0 ? geo::RoadClass::secondary : geo::RoadClass::residential;
        street.name = row == 0 ? "宇部港線" : "";
        for (int col = 0; col <= 3; ++col) street.points.push_back(at(col, row));
        roads.push_back(street);
    }
    for (int col = 0; col <= 3; ++col) {
        geo::BackgroundLine avenue;
        avenue.road_class = col == 3 ? geo::RoadClass::primary : geo::RoadClass::residential;
        for (int row = 0; row <= 2; ++row) avenue.points.push_back(at(col, row));
        roads.push_back(avenue);
    }
    RouteMapContent c;
    c.lines = roads;
    MapHazard flood;
    flood.kind = geo::HazardKind::flood;
    flood.severity = 1;
    const auto a = at(1, 0), b = at(2, 1);
    // The block between the streets, inset 20 % so no road crosses it.
    const double dx = (b.lon - a.lon) * 0.2, dy = (b.lat - a.lat) * 0.2;
    flood.polygons = {{{{a.lon + dx, a.lat + dy},
                        {b.lon - dx, a.lat + dy},
                        {b.lon - dx, b.lat - dy},
                        {a.lon + dx, b.lat - dy},
                        {a.lon + dx, a.lat + dy}}}};
    flood.label = "真締川\n浸水1.2m";
    c.hazards = {flood};
    c.route = {at(0, 0), at(1, 0), at(2, 0), at(3, 0), at(3, 1), at(3, 2)};
    c.home = at(0, 0);
    c.destination = MapPlace{at(3, 2), "福祉避難所"};
    return c;
}

} // namespace

TEST(RouteMap, RoadsLieUnderTheRouteAndTheRouteIsDrawnOnThem) {
    std::vector<geo::BackgroundLine> roads;
    auto content = small_town(roads);
    const auto view = fit_view({at(0, 0), at(3, 2)}, {0, 0, 600, 400}, 40, 100);

    // Without the route (and without the street's printed name), every point along it is road,
    // not paper.
    auto unnamed = roads;
    for (auto& r : unnamed) r.name.clear();
    content.lines = unnamed;
    content.draw_routes = false;
    const auto bare = render(content, view);
    content.lines = roads;
    int road_pixels = 0, samples = 0;
    for (std::size_t i = 1; i < content.route.size(); ++i) {
        for (double t = 0.2; t <= 0.8; t += 0.1) {
            const geo::LonLat p{
                content.route[i - 1].lon + t * (content.route[i].lon - content.route[i - 1].lon),
                content.route[i - 1].lat + t * (content.route[i].lat - content.route[i - 1].lat)};
            const auto [x, y] = view(p);
            ++samples;
            const auto rgb = bare.at(x, y);
            road_pixels += near(rgb, {1.0, 0.91, 0.55}) || near(rgb, {0.96, 0.72, 0.40}) ||
                           near(rgb, kMinorRoadColour);
        }
    }
    EXPECT_EQ(road_pixels, samples) << "the route runs on the drawn secondary and primary roads";

    // With it, the same points are the route's colour: the name 宇部港線 on the same street is
    // drawn under the route, never over it.
    content.draw_routes = true;
    const auto drawn = render(content, view);
    int route_pixels = 0;
    for (std::size_t i = 1; i < content.route.size(); ++i) {
        for (double t = 0.2; t <= 0.8; t += 0.1) {
            const geo::LonLat p{
                content.route[i - 1].lon + t * (content.route[i].lon - content.route[i - 1].lon),
                content.route[i - 1].lat + t * (content.route[i].lat - content.route[i - 1].lat)};
            const auto [x, y] = view(p);
            const auto rgb = drawn.at(x, y);
            route_pixels += near(rgb, kRouteColour) ||
                            near(rgb, {1, 1, 1}, 2); // the direction arrows are white
        }
    }
    EXPECT_EQ(route_pixels, samples);
}

TEST(RouteMap, HazardAreaIsShadedWhereItIsAndNowhereElse) {
    std::vector<geo::BackgroundLine> roads;
    auto content = small_town(roads);
    content.hazards.front().label.clear(); // the label box would cover the sample points
    const auto view = fit_view({at(0, 0), at(3, 2)}, {0, 0, 600, 400}, 40, 100);
    const auto img = render(content, view);
    const auto fill = hazard_fill(geo::HazardKind::flood, 1);
    // Inside the flooded block (1, 0)-(2, 1): fill or its horizontal hatching, nothing else.
    int shaded = 0, inside = 0;
    for (double fx = 0.35; fx <= 0.65; fx += 0.05) {
        for (double fy = 0.35; fy <= 0.65; fy += 0.05) {
            const auto [x, y] = view({at(1, 0).lon + fx * 0.0011, at(1, 0).lat + fy * 0.0009});
            ++inside;
            shaded += near(img.at(x, y), fill) || near(img.at(x, y), {0.10, 0.30, 0.70}, 40);
        }
    }
    EXPECT_EQ(shaded, inside);
    // The block to its right (2, 0)-(3, 1) is paper: no shading.
    int paper = 0, outside = 0;
    for (double fx = 0.35; fx <= 0.65; fx += 0.05) {
        for (double fy = 0.35; fy <= 0.65; fy += 0.05) {
            const auto [x, y] = view({at(2, 0).lon + fx * 0.0011, at(2, 0).lat + fy * 0.0009});
            ++outside;
            paper += near(img.at(x, y), {0.985, 0.98, 0.965}, 3);
        }
    }
    EXPECT_EQ(paper, outside);
}

TEST(RouteMap, GreyPrintTellsHazardKindsApartByHatching) {
    // Same fill lightness is not enough in grey print: each kind hatches differently. Render a
    // flood and a tsunami area of the same size and compare their patterns row by row.
    std::vector<geo::BackgroundLine> none;
    auto pattern = [&](geo::HazardKind kind) {
        RouteMapContent c;
        MapHazard h;
        h.kind = kind;
        h.severity = 1;
        h.polygons = {
            {{{131.0, 34.0}, {131.01, 34.0}, {131.01, 34.01}, {131.0, 34.01}, {131.0, 34.0}}}};
        c.hazards = {h};
        c.home = {130.9, 33.9}; // outside the frame
        const auto view = fit_view({{131.0, 34.0}, {131.01, 34.01}}, {0, 0, 200, 200}, 10, 10);
        const auto img = render(c, view);
        // A horizontal hatch gives rows that are all hatch or all fill; a diagonal one does not.
        int uniform_rows = 0;
        for (int y = 60; y < 140; ++y) {
            bool same = true;
            const auto first = img.at(60, y);
            for (int x = 61; x < 140; ++x) same = same && img.at(x, y) == first;
            uniform_rows += same;
        }
        return uniform_rows;
    };
    EXPECT_EQ(pattern(geo::HazardKind::flood), 80);  // horizontal lines: every row uniform
    EXPECT_LT(pattern(geo::HazardKind::tsunami), 5); // diagonal lines: no row uniform
}

TEST(RouteMap, FitViewKeepsTheBoxInsideTheMarginAtEqualScale) {
    const geo::LonLatBox box{{131.20, 33.90}, {131.30, 33.95}};
    const Rect area{10, 20, 500, 300};
    const auto v = fit_view(box, area, 30, 100);
    for (const auto& p : {box.min, box.max, geo::LonLat{box.min.lon, box.max.lat}}) {
        const auto [x, y] = v(p);
        EXPECT_GE(x, area.x + 30 - 1e-6);
        EXPECT_LE(x, area.x + area.w - 30 + 1e-6);
        EXPECT_GE(y, area.y + 30 - 1e-6);
        EXPECT_LE(y, area.y + area.h - 30 + 1e-6);
    }
    // North is up and a metre is as long east as north: 0.01 deg of latitude = 1,105.74 m.
    const auto [x0, y0] = v({131.25, 33.92});
    const auto [x1, y1] = v({131.25, 33.93});
    EXPECT_NEAR(y0 - y1, 1105.74 * v.scale, 1e-6);
    EXPECT_DOUBLE_EQ(x0, x1);
    const auto shown = v.shown();
    EXPECT_LE(shown.min.lon, box.min.lon);
    EXPECT_GE(shown.max.lat, box.max.lat);
}
