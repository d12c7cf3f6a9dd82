// sonae-view headless export, checked pixel by pixel on a small known trace.
// Pictures are in the still layout (no play bar); the in-process renders get an X display
// through ensure_display() (a private Xvfb, else the one in DISPLAY).
#include "sim/trace.hpp"
#include "tests/support/paths.hpp"
#include "viewer/font.hpp"
#include "viewer/headless_display.hpp"
#include "viewer/map_view.hpp"
#include "viewer/scene.hpp"
#include "viewer/style.hpp"

#include <SFML/Graphics/Image.hpp>
#include <SFML/Graphics/RenderTexture.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

namespace sonae::viewer {
namespace {

namespace fs = std::filesystem;
using geo::LonLat;

const std::string view_binary = SONAE_BINARY_DIR "/viewer/sonae-view";

// Hazard square (flood) from t = 600 s; a van driving east along the southern road from
// t = 0 to t = 1200 s; a home and a shelter well away from both.
constexpr LonLat hazard_min{131.230, 33.960};
constexpr LonLat hazard_max{131.245, 33.972};
constexpr LonLat van_from{131.205, 33.945};
constexpr LonLat van_to{131.265, 33.945};
constexpr std::int64_t onset_s = 600;

fs::path write_known_trace(const fs::path& file) {
    sim::TraceMetadata meta;
    meta.title = "描画テスト";
    meta.epoch_unix_s = 1751241600;
    sim::TraceWriter w(meta);
    w.add_road(geo::RoadClass::primary, {{131.20, 33.945}, {131.27, 33.945}});
    w.add_road(geo::RoadClass::residential, {{131.20, 33.99}, {131.27, 33.99}});
    sim::HazardArea flood;
    flood.label = "浸水想定区域";
    flood.kind = sim::HazardKind::flood;
    flood.stages.push_back({onset_s,
                            {{{hazard_min.lon, hazard_min.lat},
                              {hazard_max.lon, hazard_min.lat},
                              {hazard_max.lon, hazard_max.lat},
                              {hazard_min.lon, hazard_max.lat}}}});
    w.add_hazard(flood);
    const auto home = w.add_home("A-01", {131.21, 33.985});
    const auto shelter = w.add_facility("S-01", {131.26, 33.985}, 10, 2000);
    const auto van = w.add_vehicle("V-01", sim::EntityKind::vehicle, van_from, 2);
    sim::EntitySample s;
    s.state = sim::StateCode::travelling;
    s.position = van_from;
    w.sample(0, van, s);
    s.position = van_to;
    w.sample(1200, van, s);
    sim::EntitySample h;
    h.position = {131.21, 33.985};
    h.state = sim::StateCode::waiting;
    h.battery_margin_min = 200;
    w.sample(0, home, h);
    sim::EntitySample f;
    f.position = {131.26, 33.985};
    f.state = sim::StateCode::powered;
    f.occupancy = 3;
    f.load_w = 900;
    w.sample(0, shelter, f);
    w.event(0, sim::EntityId::invalid(), sim::EventKind::alert, "レベル3");
    w.write(file);
    return file;
}

struct ViewRun {
    int exit_code = -1;
    std::string err;
};

ViewRun run_view(const std::string& args, const fs::path& err_file) {
    const std::string cmd =
        "'" + view_binary + "' " + args + " >/dev/null 2>'" + err_file.string() + "'";
    const int status = std::system(cmd.c_str());
    ViewRun r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ifstream in(err_file);
    std::stringstream ss;
    ss << in.rdbuf();
    r.err = ss.str();
    return r;
}

bool near(sf::Color a, sf::Color b, int tolerance) {
    return std::abs(a.r - b.r) <= tolerance && std::abs(a.g - b.g) <= tolerance &&
           std::abs(a.b - b.b) <= tolerance;
}

std::string str(sf::Color c) {
    return "(" + std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + ")";
}

class ViewerRender : public ::testing::Test {
protected:
    void SetUp() override {
        ensure_display();
        trace_file = write_known_trace(dir / "known.sonaetrace");
        const sim::TraceReader reader(trace_file);
        meta = reader.metadata();
        layout = Layout::for_still(1000, 700); // exported pictures
        viewport = Viewport::fit(meta.extent_min, meta.extent_max, layout.map, initial_margin);
        window = Layout::for_size(1000, 700); // the window, for in-process renders and clicks
        window_view = Viewport::fit(meta.extent_min, meta.extent_max, window.map, initial_margin);
    }
    sf::Image export_at(const std::string& at) {
        const fs::path png = dir / ("at_" + at + ".png");
        const ViewRun r = run_view("'" + trace_file.string() + "' --png '" + png.string() +
                                       "' --at " + at + " --size 1000x700",
                                   dir / "err.txt");
        EXPECT_EQ(r.exit_code, 0) << r.err;
        sf::Image image;
        EXPECT_TRUE(image.loadFromFile(png.string())) << png;
        EXPECT_EQ(image.getSize(), sf::Vector2u(1000, 700));
        return image;
    }
    sf::Color pixel(const sf::Image& image, LonLat p) const {
        const ScreenPoint s = viewport.to_screen(p);
        return image.getPixel(static_cast<unsigned>(std::floor(s.x)),
                              static_cast<unsigned>(std::floor(s.y)));
    }

    test::TempDir dir;
    fs::path trace_file;
    sim::TraceMetadata meta;
    Layout layout;
    Viewport viewport;
    Layout window;
    Viewport window_view;
};

TEST_F(ViewerRender, HazardColourInsideThePolygonOnlyAfterOnset) {
    const sf::Image after = export_at("900");
    const sf::Color fill = style::hazard_fill_over(sim::HazardKind::flood, style::background);
    const LonLat centre{(hazard_min.lon + hazard_max.lon) / 2,
                        (hazard_min.lat + hazard_max.lat) / 2};
    // Several points well inside the square (the middle row holds the area's name).
    for (const double fx : {0.2, 0.5, 0.8})
        for (const double fy : {0.2, 0.8}) {
            const LonLat p{hazard_min.lon + fx * (hazard_max.lon - hazard_min.lon),
                           hazard_min.lat + fy * (hazard_max.lat - hazard_min.lat)};
            EXPECT_TRUE(near(pixel(after, p), fill, 4))
                << "inside at " << fx << "," << fy << ": " << str(pixel(after, p)) << " want "
                << str(fill);
        }
    // Just outside each side: plain background.
    const double dlon = 0.002, dlat = 0.002;
    for (const LonLat p :
         {LonLat{hazard_min.lon - dlon, centre.lat}, LonLat{hazard_max.lon + dlon, centre.lat},
          LonLat{centre.lon, hazard_min.lat - dlat}, LonLat{centre.lon, hazard_max.lat + dlat}})
        EXPECT_TRUE(near(pixel(after, p), style::background, 2)) << str(pixel(after, p));

    // Before the onset the area is not drawn at all.
    const sf::Image before = export_at("5m"); // 300 s
    EXPECT_TRUE(near(pixel(before, centre), style::background, 2)) << str(pixel(before, centre));
    int hazard_pixels = 0;
    for (unsigned y = 0; y < before.getSize().y; ++y)
        for (unsigned x = 0; x < static_cast<unsigned>(layout.map.width); ++x)
            if (near(before.getPixel(x, y), fill, 3)) ++hazard_pixels;
    EXPECT_EQ(hazard_pixels, 0);
}

TEST_F(ViewerRender, VehicleColourAtItsInterpolatedPosition) {
    // t = 900 s: three quarters of the way from van_from to van_to.
    const sf::Image image = export_at("0:15:00");
    const LonLat at{van_from.lon + 0.75 * (van_to.lon - van_from.lon), van_from.lat};
    EXPECT_TRUE(near(pixel(image, at), style::vehicle, 10)) << str(pixel(image, at));
    // Where it was at t = 0 there is no vehicle any more (the road is there instead).
    EXPECT_FALSE(near(pixel(image, van_from), style::vehicle, 40)) << str(pixel(image, van_from));
    // And at t = 0 it is at the start.
    const sf::Image start = export_at("0");
    EXPECT_TRUE(near(pixel(start, van_from), style::vehicle, 10)) << str(pixel(start, van_from));
}

TEST_F(ViewerRender, LegendTimeLabelAndScaleBarArePresent) {
    const sf::Image image = export_at("900");
    const ScreenRect legend = SceneRenderer::legend_rect(layout);
    // The legend box: white panel with its border, inside the sidebar.
    EXPECT_TRUE(near(image.getPixel(static_cast<unsigned>(legend.left + legend.width - 6),
                                    static_cast<unsigned>(legend.top + 4)),
                     style::panel, 1));
    // The heading 凡例 is drawn: dark text pixels in its corner.
    int dark = 0;
    for (unsigned y = static_cast<unsigned>(legend.top + 4); y < legend.top + 30; ++y)
        for (unsigned x = static_cast<unsigned>(legend.left + 8); x < legend.left + 50; ++x)
            if (near(image.getPixel(x, y), style::text, 60)) ++dark;
    EXPECT_GT(dark, 30) << "legend heading not drawn";
    // Legend swatches: the 'failed' state colour appears inside the legend box.
    bool failed_swatch = false;
    for (unsigned y = static_cast<unsigned>(legend.top);
         y < legend.top + legend.height && !failed_swatch; ++y)
        for (unsigned x = static_cast<unsigned>(legend.left); x < legend.left + legend.width; ++x)
            if (near(image.getPixel(x, y), style::state_colour(sim::StateCode::failed), 6)) {
                failed_swatch = true;
                break;
            }
    EXPECT_TRUE(failed_swatch);
    // Time label box at the top left of the map holds dark text.
    dark = 0;
    for (unsigned y = 14; y < 46; ++y)
        for (unsigned x = 14; x < 180; ++x)
            if (near(image.getPixel(x, y), style::text, 60)) ++dark;
    EXPECT_GT(dark, 50) << "time label not drawn";
    // Scale bar: a solid dark bar near the bottom left of the map.
    const unsigned bar_y = static_cast<unsigned>(layout.map.top + layout.map.height - 20);
    int bar = 0;
    for (unsigned x = 16; x < 60; ++x)
        if (near(image.getPixel(x, bar_y), style::text, 10)) ++bar;
    EXPECT_GT(bar, 30) << "scale bar not drawn";
}

TEST_F(ViewerRender, FramesEveryInterval) {
    const ViewRun r = run_view("'" + trace_file.string() + "' --frames '" +
                                   (dir / "frames").string() + "' --every 300 --size 640x400",
                               dir / "err.txt");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // 0 .. 1200 s every 300 s: 5 pictures.
    int count = 0;
    for (const auto& e : fs::directory_iterator(dir / "frames")) {
        EXPECT_EQ(e.path().extension(), ".png");
        ++count;
    }
    EXPECT_EQ(count, 5);
    EXPECT_TRUE(fs::exists(dir / "frames" / "frame_00004.png"));
}

TEST_F(ViewerRender, CorruptTraceExitsTwoWithoutPicture) {
    std::string bytes;
    {
        std::ifstream in(trace_file, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        bytes = ss.str();
    }
    bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x40);
    const fs::path bad = dir / "corrupt.sonaetrace";
    {
        std::ofstream out(bad, std::ios::binary);
        out << bytes;
    }
    const fs::path png = dir / "never.png";
    ViewRun r =
        run_view("'" + bad.string() + "' --png '" + png.string() + "' --at 900", dir / "err.txt");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("corrupt"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("corrupt.sonaetrace"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(png));

    // Truncated, wrong version, missing: all exit 2 with a message, never a crash.
    {
        std::ofstream out(bad, std::ios::binary | std::ios::trunc);
        out << bytes.substr(0, 100);
    }
    r = run_view("'" + bad.string() + "' --png '" + png.string() + "' --at 900", dir / "err.txt");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("truncated"), std::string::npos) << r.err;
    std::string old = bytes;
    old[8] = 7;
    {
        std::ofstream out(bad, std::ios::binary | std::ios::trunc);
        out << old;
    }
    r = run_view("'" + bad.string() + "' --png '" + png.string() + "' --at 900", dir / "err.txt");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("version 7"), std::string::npos) << r.err;
    r = run_view("'" + (dir / "missing.sonaetrace").string() + "' --png '" + png.string() +
                     "' --at 900",
                 dir / "err.txt");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(png));
    // Bad arguments are input errors too.
    r = run_view("'" + trace_file.string() + "' --png '" + png.string() + "' --at soon",
                 dir / "err.txt");
    EXPECT_EQ(r.exit_code, 2);
    r = run_view("'" + trace_file.string() + "' --png '" + png.string() + "' --at 60 --size 10x10",
                 dir / "err.txt");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_FALSE(fs::exists(png));
    // A time past the trace's end is bad input too (was: a picture of the last moment).
    r = run_view("'" + trace_file.string() + "' --png '" + png.string() + "' --at 9999:00",
                 dir / "err.txt");
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("outside the trace"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(png));
    // Usage errors exit 1, as sonae's: an unknown option, --png without --at.
    r = run_view("'" + trace_file.string() + "' --pgn '" + png.string() + "'", dir / "err.txt");
    EXPECT_EQ(r.exit_code, 1) << r.err;
    r = run_view("'" + trace_file.string() + "' --png '" + png.string() + "'", dir / "err.txt");
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("--png needs --at"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(png));
}

// Outputs already there are replaced only with --overwrite, as sonae's (issue 23 item 6):
// without it, exit 1 naming the output, before anything is drawn, the file left as it was;
// with it, the picture replaces the file.
TEST_F(ViewerRender, OutputsAlreadyThereAreReplacedOnlyWithOverwrite) {
    const auto put = [](const fs::path& p, const std::string& text) {
        std::ofstream(p, std::ios::binary) << text;
    };
    const auto slurp = [](const fs::path& p) {
        std::ifstream in(p, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    const fs::path png = dir / "there.png";
    const fs::path csv = dir / "there.csv";
    const fs::path frames = dir / "frames_there";
    put(png, "mine");
    put(csv, "mine");
    fs::create_directories(frames);
    put(frames / "frame_00000.png", "mine");
    const std::string trace = "'" + trace_file.string() + "'";
    ViewRun r = run_view(trace + " --png '" + png.string() + "' --at 60", dir / "err.txt");
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("there.png already exists; add --overwrite"), std::string::npos) << r.err;
    EXPECT_EQ(slurp(png), "mine");
    r = run_view(trace + " --events-csv '" + csv.string() + "'", dir / "err.txt");
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(slurp(csv), "mine");
    r = run_view(trace + " --frames '" + frames.string() + "' --every 300", dir / "err.txt");
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.err.find("--overwrite"), std::string::npos) << r.err;
    EXPECT_EQ(slurp(frames / "frame_00000.png"), "mine");
    // A folder without frames (the user's own file only) is not an output already there.
    const fs::path other = dir / "other";
    fs::create_directories(other);
    put(other / "notes.txt", "mine");
    r = run_view(trace + " --frames '" + other.string() + "' --every 600 --size 320x240",
                 dir / "err.txt");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(slurp(other / "notes.txt"), "mine");
    // With --overwrite: a picture.
    r = run_view(trace + " --png '" + png.string() + "' --at 60 --size 320x240 --overwrite",
                 dir / "err.txt");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    sf::Image image;
    ASSERT_TRUE(image.loadFromFile(png.string()));
    EXPECT_EQ(image.getSize(), sf::Vector2u(320, 240));
}

TEST_F(ViewerRender, ClickPicksVehicleHazardAndTimeline) {
    const sim::TraceReader reader(trace_file);
    const sf::Font font = load_japanese_font(std::nullopt);
    SceneRenderer renderer(reader, font);
    const Viewport v = renderer.initial_viewport(window);
    ASSERT_TRUE(v == window_view);
    const LonLat van_at{van_from.lon + 0.75 * (van_to.lon - van_from.lon), van_from.lat};
    ScreenPoint p = v.to_screen(van_at);
    Pick pick = renderer.pick({p.x + 4, p.y - 3}, window, v, 900);
    ASSERT_EQ(pick.kind, Pick::Kind::entity);
    EXPECT_EQ(reader.entity(pick.entity).label, "V-01");
    const LonLat centre{(hazard_min.lon + hazard_max.lon) / 2,
                        (hazard_min.lat + hazard_max.lat) / 2};
    p = v.to_screen(centre);
    EXPECT_EQ(renderer.pick(p, window, v, 900).kind, Pick::Kind::hazard);
    EXPECT_EQ(renderer.pick(p, window, v, 100).kind, Pick::Kind::none); // before onset
    const double x = renderer.timeline_x(window, 600);
    pick = renderer.pick({x, window.timeline.top + window.timeline.height / 2}, window, v, 0);
    ASSERT_EQ(pick.kind, Pick::Kind::timeline);
    EXPECT_NEAR(static_cast<double>(pick.t_s), 600.0, 3.0);
}

// The details panel of a selected entity, drawn in-process as the window does.
TEST_F(ViewerRender, SelectionShowsRingAndDetails) {
    const sim::TraceReader reader(trace_file);
    const sf::Font font = load_japanese_font(std::nullopt);
    SceneRenderer renderer(reader, font);
    sf::RenderTexture texture;
    ASSERT_TRUE(texture.create(1000, 700));
    FrameState frame;
    frame.t_s = 900;
    auto details_ink = [&](const sf::Image& image) {
        // Dark text pixels in the sidebar below the legend.
        const ScreenRect legend = SceneRenderer::legend_rect(window);
        int dark = 0;
        for (unsigned y = static_cast<unsigned>(legend.top + legend.height + 8);
             y < static_cast<unsigned>(window.sidebar.top + window.sidebar.height); ++y)
            for (unsigned x = static_cast<unsigned>(window.sidebar.left); x < 1000; ++x)
                if (near(image.getPixel(x, y), style::text, 60)) ++dark;
        return dark;
    };
    renderer.draw(texture, window, renderer.initial_viewport(window), frame);
    texture.display();
    const sf::Image plain = texture.getTexture().copyToImage();
    frame.selected = sim::EntityId(2); // the van
    renderer.draw(texture, window, renderer.initial_viewport(window), frame);
    texture.display();
    const sf::Image selected = texture.getTexture().copyToImage();
    // The van's details replace the children's counts: the panel's ink changes.
    EXPECT_GT(std::abs(details_ink(selected) - details_ink(plain)), 100);
    // A black selection ring around the van: 12 px left of its centre.
    const LonLat at{van_from.lon + 0.75 * (van_to.lon - van_from.lon), van_from.lat};
    const ScreenPoint p = window_view.to_screen(at);
    bool ring = false;
    for (int dx = -15; dx <= -9 && !ring; ++dx)
        ring = near(selected.getPixel(static_cast<unsigned>(p.x + dx), static_cast<unsigned>(p.y)),
                    style::selection, 40);
    EXPECT_TRUE(ring);
}

TEST_F(ViewerRender, EventsCsvExport) {
    const ViewRun r = run_view("'" + trace_file.string() + "' --events-csv '" +
                                   (dir / "events.csv").string() + "'",
                               dir / "err.txt");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::ifstream in(dir / "events.csv", std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_EQ(ss.str().substr(0, 3), "\xEF\xBB\xBF");
    EXPECT_NE(ss.str().find("警報・発令,レベル3"), std::string::npos);
}

} // namespace
} // namespace sonae::viewer
