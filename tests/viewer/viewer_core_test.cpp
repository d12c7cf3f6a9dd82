// Viewer logic that needs no window: projection, viewport, polygon fill, playback, parsing.
#include "core/error.hpp"
#include "viewer/frame_export.hpp"
#include "viewer/map_view.hpp"
#include "viewer/playback.hpp"
#include "viewer/scene.hpp"
#include "viewer/style.hpp"

#include <gtest/gtest.h>

namespace sonae::viewer {
namespace {

TEST(MapView, ProjectionRoundTripAndDistances) {
    const MapProjection proj({131.25, 33.95});
    const geo::XY east = proj.forward({131.26, 33.95});
    // 0.01 degree of longitude at 33.95 N is about 923 m.
    EXPECT_NEAR(east.x, geo::haversine_m({131.25, 33.95}, {131.26, 33.95}), 1.0);
    EXPECT_NEAR(east.y, 0.0, 1e-9);
    const geo::LonLat back = proj.inverse(east);
    EXPECT_NEAR(back.lon, 131.26, 1e-12);
}

TEST(MapView, FitShowsTheWholeExtentAndZoomKeepsTheAnchor) {
    const Layout layout = Layout::for_size(1000, 700);
    EXPECT_DOUBLE_EQ(layout.map.width + layout.sidebar.width, 1000.0);
    EXPECT_DOUBLE_EQ(layout.map.height + layout.timeline.height, 700.0);
    Viewport v = Viewport::fit({131.2, 33.9}, {131.3, 34.0}, layout.map, 0.05);
    for (const geo::LonLat corner : {geo::LonLat{131.2, 33.9}, geo::LonLat{131.3, 34.0}}) {
        const ScreenPoint s = v.to_screen(corner);
        EXPECT_TRUE(layout.map.contains(s)) << s.x << "," << s.y;
    }
    const ScreenPoint anchor{200, 300};
    const geo::LonLat under = v.to_lonlat(anchor);
    v.zoom(2.0, anchor);
    const ScreenPoint after = v.to_screen(under);
    EXPECT_NEAR(after.x, anchor.x, 1e-6);
    EXPECT_NEAR(after.y, anchor.y, 1e-6);
    const double mpp = v.metres_per_pixel();
    v.pan(10, 0);
    EXPECT_NEAR(v.to_screen(under).x, anchor.x + 10, 1e-6);
    EXPECT_DOUBLE_EQ(v.metres_per_pixel(), mpp);
}

TEST(MapView, NiceScaleLengths) {
    EXPECT_DOUBLE_EQ(nice_scale_length_m(1234), 1000);
    EXPECT_DOUBLE_EQ(nice_scale_length_m(2500), 2000);
    EXPECT_DOUBLE_EQ(nice_scale_length_m(999), 500);
    EXPECT_DOUBLE_EQ(nice_scale_length_m(55), 50);
}

TEST(PolygonFill, SquareWithHoleIsFilledByEvenOdd) {
    std::vector<std::uint8_t> rgba(20 * 20 * 4, 0);
    const std::vector<std::vector<ScreenPoint>> rings = {{{2, 2}, {18, 2}, {18, 18}, {2, 18}},
                                                         {{8, 8}, {12, 8}, {12, 12}, {8, 12}}};
    fill_even_odd(rgba, 20, 20, rings, sf::Color(10, 20, 30, 200));
    auto alpha = [&](int x, int y) { return rgba[(static_cast<std::size_t>(y) * 20 + x) * 4 + 3]; };
    EXPECT_EQ(alpha(3, 3), 200);
    EXPECT_EQ(alpha(17, 17), 200);
    EXPECT_EQ(alpha(10, 10), 0); // hole
    EXPECT_EQ(alpha(1, 10), 0);
    EXPECT_EQ(alpha(18, 10), 0); // right edge is exclusive at pixel centres
    int filled = 0;
    for (int i = 0; i < 400; ++i) filled += rgba[static_cast<std::size_t>(i) * 4 + 3] > 0;
    EXPECT_EQ(filled, 16 * 16 - 4 * 4);
    // Off-screen polygons are clipped, never written out of bounds.
    fill_even_odd(rgba, 20, 20, {{{-50, -50}, {100, -50}, {100, 100}}}, sf::Color::Red);
    EXPECT_TRUE(inside_even_odd({{{0, 0}, {10, 0}, {10, 10}, {0, 10}}}, {5, 5}));
    EXPECT_FALSE(inside_even_odd(
        {{{0, 0}, {10, 0}, {10, 10}, {0, 10}}, {{4, 4}, {6, 4}, {6, 6}, {4, 6}}}, {5, 5}));
}

TEST(PlaybackClock, PlaysAtSpeedAndStopsAtTheEnd) {
    Playback p(0, 3600);
    EXPECT_FALSE(p.playing());
    EXPECT_DOUBLE_EQ(p.speed(), 60.0);
    p.play();
    p.advance(10.0);
    EXPECT_EQ(p.t_s(), 600);
    p.set_speed(3600);
    EXPECT_DOUBLE_EQ(p.speed(), 3600.0);
    p.faster();
    EXPECT_DOUBLE_EQ(p.speed(), 3600.0); // top speed
    p.advance(10.0);
    EXPECT_EQ(p.t_s(), 3600);
    EXPECT_FALSE(p.playing());
    p.play(); // from the end: starts again
    EXPECT_EQ(p.t_s(), 0);
    p.step(-60);
    EXPECT_EQ(p.t_s(), 0);
    p.seek(1800);
    p.step(60);
    EXPECT_EQ(p.t_s(), 1860);
    p.set_speed(1);
    p.slower();
    EXPECT_DOUBLE_EQ(p.speed(), 1.0);
}

TEST(Parsing, TimesAndSizes) {
    EXPECT_EQ(parse_time_s("5400"), 5400);
    EXPECT_EQ(parse_time_s("-60"), -60);
    EXPECT_EQ(parse_time_s("1:30"), 5400);
    EXPECT_EQ(parse_time_s("0:15:00"), 900);
    EXPECT_EQ(parse_time_s("90m"), 5400);
    EXPECT_EQ(parse_time_s("1.5h"), 5400);
    EXPECT_THROW(parse_time_s("soon"), InputError);
    EXPECT_THROW(parse_time_s("1:75"), InputError);
    const PictureSize s = parse_picture_size("1280x720");
    EXPECT_EQ(s.width, 1280u);
    EXPECT_EQ(s.height, 720u);
    EXPECT_THROW(parse_picture_size("10x10"), InputError);
    EXPECT_THROW(parse_picture_size("big"), InputError);
}

TEST(Style, ColoursAreDistinctWhereItMatters) {
    EXPECT_NE(style::vehicle, style::family_car);
    EXPECT_NE(style::state_colour(sim::StateCode::failed),
              style::state_colour(sim::StateCode::powered));
    EXPECT_EQ(style::battery_colour(30), style::battery_colour(0));
    EXPECT_NE(style::battery_colour(30), style::battery_colour(200));
    EXPECT_NE(style::hazard_fill_over(sim::HazardKind::flood, style::background),
              style::background);
    // A drill's ghost must not be mistaken for a vehicle, a family car or a child's state.
    auto apart = [](sf::Color a, sf::Color b) {
        return std::abs(a.r - b.r) + std::abs(a.g - b.g) + std::abs(a.b - b.b) > 60;
    };
    EXPECT_TRUE(apart(style::ghost, style::vehicle));
    EXPECT_TRUE(apart(style::ghost, style::family_car));
    EXPECT_TRUE(apart(style::ghost, style::facility));
    for (int c = 0; c < static_cast<int>(sim::StateCode::count_); ++c)
        EXPECT_TRUE(apart(style::ghost, style::state_colour(static_cast<sim::StateCode>(c)))) << c;
    // Delay colours: red from 15 min, amber from 5, grey below (and ahead of the plan).
    EXPECT_EQ(style::delay_colour(15 * 60), style::delay_colour(3600));
    EXPECT_NE(style::delay_colour(15 * 60 - 1), style::delay_colour(15 * 60));
    EXPECT_NE(style::delay_colour(5 * 60 - 1), style::delay_colour(5 * 60));
    EXPECT_EQ(style::delay_colour(0), style::delay_colour(-600));
    EXPECT_EQ(format_delay(2346), "+39分");
    EXPECT_EQ(format_delay(-29), "±0分");
    EXPECT_EQ(format_delay(-840), "-14分");
    EXPECT_EQ(format_elapsed(3725), "1:02:05");
    EXPECT_EQ(format_elapsed(-90), "-0:01:30");
}

} // namespace
} // namespace sonae::viewer
