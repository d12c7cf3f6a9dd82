// Pictures for the council room (issue 23 item 5): exported stills without a display, without
// interactive chrome, with a count line that adds up and map labels that do not overlap.
// These tests need NO X display: sonae-view is run with DISPLAY removed from its environment,
// and the in-process renders start their own private Xvfb through ensure_display() (the same
// code path sonae-view takes), so they pass the same with or without xvfb-run.
#include "planner/planner.hpp"
#include "sim/simulate.hpp"
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

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace sonae::viewer {
namespace {

namespace fs = std::filesystem;

const std::string view_binary = SONAE_BINARY_DIR "/viewer/sonae-view";

struct ViewRun {
    int exit_code = -1;
    std::string err;
};

// sonae-view with DISPLAY (and XAUTHORITY) removed from its environment, as on a CI machine.
ViewRun view_without_display(const std::string& args, const fs::path& err_file) {
    const std::string cmd = "env -u DISPLAY -u XAUTHORITY -u WAYLAND_DISPLAY '" + view_binary +
                            "' " + args + " >/dev/null 2>'" + err_file.string() + "'";
    const int status = std::system(cmd.c_str());
    ViewRun r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
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

// A small trace: a van on a road, a home, a shelter, a flood square from 10 min.
fs::path write_small_trace(const fs::path& file) {
    sim::TraceMetadata meta;
    meta.title = "静止画テスト";
    meta.epoch_unix_s = 1751241600;
    meta.end_t_s = 1200;
    sim::TraceWriter w(meta);
    w.add_road(geo::RoadClass::primary, {{131.20, 33.945}, {131.27, 33.945}});
    sim::HazardArea flood;
    flood.label = "浸水想定区域";
    flood.kind = sim::HazardKind::flood;
    flood.stages.push_back(
        {600, {{{131.23, 33.96}, {131.245, 33.96}, {131.245, 33.972}, {131.23, 33.972}}}});
    w.add_hazard(flood);
    const auto home = w.add_home("A-01", {131.21, 33.985});
    const auto shelter = w.add_facility("S-01", {131.26, 33.985}, 10, 2000);
    const auto van = w.add_vehicle("V-01", sim::EntityKind::vehicle, {131.205, 33.945}, 2);
    sim::EntitySample s;
    s.state = sim::StateCode::travelling;
    s.position = {131.205, 33.945};
    w.sample(0, van, s);
    s.position = {131.265, 33.945};
    w.sample(1200, van, s);
    sim::EntitySample h;
    h.position = {131.21, 33.985};
    h.state = sim::StateCode::waiting;
    h.battery_margin_min = 200;
    w.sample(0, home, h);
    sim::EntitySample f;
    f.position = {131.26, 33.985};
    f.state = sim::StateCode::powered;
    w.sample(0, shelter, f);
    w.write(file);
    return file;
}

// ------------------------------------------------------------------ no display

TEST(ViewerStill, PngIsWrittenWithoutAnXDisplay) {
    test::TempDir dir;
    const auto trace = write_small_trace(dir / "small.sonae");
    const auto png = dir / "still.png";
    // Before: SFML aborted (exit 134) when DISPLAY was unset.
    const ViewRun r = view_without_display("'" + trace.string() + "' --png '" + png.string() +
                                               "' --at 15m --size 800x500",
                                           dir / "err.txt");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    sf::Image image;
    ASSERT_TRUE(image.loadFromFile(png.string()));
    EXPECT_EQ(image.getSize(), sf::Vector2u(800, 500));
    EXPECT_EQ(fs::status(png).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_write);
    // A frame series too.
    const ViewRun frames =
        view_without_display("'" + trace.string() + "' --frames '" + (dir / "frames").string() +
                                 "' --every 10m --size 640x400",
                             dir / "err.txt");
    ASSERT_EQ(frames.exit_code, 0) << frames.err;
    EXPECT_TRUE(fs::exists(dir / "frames" / "frame_00002.png")); // 0, 10, 20 min
    // The window cannot open without a display: a clear message and exit 2, not an abort.
    const ViewRun window = view_without_display("'" + trace.string() + "'", dir / "err.txt");
    EXPECT_EQ(window.exit_code, 2) << window.err;
    EXPECT_NE(window.err.find("no X display"), std::string::npos) << window.err;
    // Without Xvfb (not on PATH) and no display: exit 2 naming the package, no picture.
    {
        const std::string cmd = "env -u DISPLAY -u XAUTHORITY PATH=/nonexistent '" + view_binary +
                                "' '" + trace.string() + "' --png '" + (dir / "none.png").string() +
                                "' --at 5m >/dev/null 2>'" + (dir / "err.txt").string() + "'";
        const int status = std::system(cmd.c_str());
        std::ifstream in(dir / "err.txt");
        std::stringstream ss;
        ss << in.rdbuf();
        EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 2) << ss.str();
        EXPECT_NE(ss.str().find("install the package xvfb"), std::string::npos) << ss.str();
        EXPECT_FALSE(fs::exists(dir / "none.png"));
    }
    // A time past the trace's end (20 min) is an error, and no picture is written.
    const ViewRun late = view_without_display("'" + trace.string() + "' --png '" +
                                                  (dir / "late.png").string() + "' --at 0:21",
                                              dir / "err.txt");
    EXPECT_EQ(late.exit_code, 2);
    EXPECT_NE(late.err.find("outside the trace"), std::string::npos) << late.err;
    EXPECT_FALSE(fs::exists(dir / "late.png"));
}

// ------------------------------------------------------------------ no chrome

// Issue 24 item 1: a frame series is one set (geo/output_set.hpp). sonae-view killed half-way
// through a series leaves the previous series exactly as it was (no frame of the new one
// beside it, nothing of it readable), and the next export removes the killed one's staging
// folder; a shorter series then replaces a longer one whole (no frame of the old one left).
TEST(ViewerStill, AFrameSeriesIsOneSetAndAKilledExportLeavesThePreviousOne) {
    test::TempDir dir;
    const auto trace = write_small_trace(dir / "small.sonae");
    const auto frames = dir / "frames";
    const auto names_in = [](const fs::path& folder) {
        std::set<std::string> names;
        for (const auto& e : fs::directory_iterator(folder))
            names.insert(e.path().filename().string());
        return names;
    };
    const auto staging = [&] {
        std::vector<fs::path> out;
        for (const auto& e : fs::directory_iterator(dir.path())) {
            if (e.path().filename().string().starts_with(".frames.sonae-")) out.push_back(e.path());
        }
        return out;
    };
    const auto slurp = [](const fs::path& p) {
        std::ifstream in(p, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    // A series of 5: 0, 5, 10, 15, 20 min.
    const std::string args =
        "'" + trace.string() + "' --frames '" + frames.string() + "' --size 320x240 --every ";
    const ViewRun five = view_without_display(args + "5m", dir / "err.txt");
    ASSERT_EQ(five.exit_code, 0) << five.err;
    const auto first = names_in(frames);
    ASSERT_EQ(first.size(), 5u);
    const std::string last_frame = slurp(frames / "frame_00004.png");
    // Killed while writing a series of 1,201 (every second), once two of its frames are staged.
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        ::unsetenv("DISPLAY");
        ::unsetenv("XAUTHORITY");
        std::FILE* null = std::freopen("/dev/null", "w", stdout);
        null = std::freopen("/dev/null", "w", stderr);
        (void)null;
        ::execl(view_binary.c_str(), view_binary.c_str(), trace.c_str(), "--frames", frames.c_str(),
                "--size", "320x240", "--every", "1", "--overwrite", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    bool staged = false;
    for (int i = 0; i < 1000 && !staged; ++i) {
        for (const auto& s : staging()) {
            std::error_code ec;
            std::size_t n = 0;
            for (auto it = fs::directory_iterator(s, ec); !ec && it != fs::directory_iterator();
                 ++it)
                ++n;
            staged = staged || n >= 2;
        }
        if (!staged) ::usleep(10'000);
    }
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(staged) << "the export never staged two frames";
    EXPECT_EQ(names_in(frames), first) << "the previous series, no frame of the killed one";
    EXPECT_EQ(slurp(frames / "frame_00004.png"), last_frame);
    ASSERT_EQ(staging().size(), 1u);
    EXPECT_EQ(fs::status(staging()[0]).permissions() & fs::perms::all, fs::perms::owner_all)
        << "private while staged";
    // Without --overwrite the series already there is kept (exit 1, issue 23 item 6).
    EXPECT_EQ(view_without_display(args + "10m", dir / "err.txt").exit_code, 1);
    EXPECT_EQ(names_in(frames), first);
    // A series of 3 (0, 10, 20 min) replaces the 5 whole; the killed export's folder is removed.
    ASSERT_EQ(view_without_display(args + "10m --overwrite", dir / "err.txt").exit_code, 0);
    EXPECT_EQ(names_in(frames),
              (std::set<std::string>{"frame_00000.png", "frame_00001.png", "frame_00002.png"}));
    EXPECT_TRUE(staging().empty());
}

TEST(ViewerStill, NoPlayBarNoPlaybackStateNoClickHint) {
    test::TempDir dir;
    const auto trace = write_small_trace(dir / "small.sonae");
    const auto png = dir / "still.png";
    const ViewRun r = view_without_display("'" + trace.string() + "' --png '" + png.string() +
                                               "' --at 15m --size 1000x700",
                                           dir / "err.txt");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    sf::Image still;
    ASSERT_TRUE(still.loadFromFile(png.string()));
    // Where the window's play bar is (the bottom 64 px): its dark background, its yellow
    // progress and its white knob are absent in the still.
    const Layout window = Layout::for_size(1000, 700);
    auto chrome_pixels = [&](const sf::Image& image) {
        int n = 0;
        for (auto y = static_cast<unsigned>(window.timeline.top); y < 700; ++y)
            for (unsigned x = 0; x < 1000; ++x)
                if (near(image.getPixel(x, y), style::timeline_background, 3) ||
                    near(image.getPixel(x, y), style::timeline_done, 3))
                    ++n;
        return n;
    };
    EXPECT_EQ(chrome_pixels(still), 0);
    // The same frame drawn as the window draws it has the bar (so the check can fail).
    ensure_display();
    const sim::TraceReader reader(trace);
    const sf::Font font = load_japanese_font(std::nullopt);
    SceneRenderer renderer(reader, font);
    sf::RenderTexture texture;
    ASSERT_TRUE(texture.create(1000, 700));
    FrameState frame;
    frame.t_s = 900;
    renderer.draw(texture, window, renderer.initial_viewport(window), frame);
    texture.display();
    const sf::Image windowed = texture.getTexture().copyToImage();
    EXPECT_GT(chrome_pixels(windowed), 30000); // 1000 x 64 px, mostly the bar's background
    // The side panel: the window's playback line (一時停止 速度 60x) and the details' closing
    // click hint are two more lines of ink than the still has: compare the rows with dark ink
    // in the side panel, below the legend (the counts) and above it (title, time, playback).
    auto ink_rows = [&](const sf::Image& image, unsigned from, unsigned to) {
        int rows = 0;
        for (unsigned y = from; y < to; ++y) {
            bool ink = false;
            for (auto x = static_cast<unsigned>(window.sidebar.left + 12); x < 990 && !ink; ++x)
                ink = near(image.getPixel(x, y), style::text, 90) ||
                      near(image.getPixel(x, y), style::muted_text, 40);
            rows += ink ? 1 : 0;
        }
        return rows;
    };
    const ScreenRect legend = SceneRenderer::legend_rect(window);
    const auto legend_top = static_cast<unsigned>(legend.top);
    const auto below = static_cast<unsigned>(legend.top + legend.height + 8);
    EXPECT_GT(ink_rows(windowed, 0, legend_top), ink_rows(still, 0, legend_top) + 6);
    EXPECT_GT(ink_rows(windowed, below, 630), ink_rows(still, below, 630) + 6);
}

// ------------------------------------------------------------------ counts

// The Kochi tsunami scenario at 3:00. Its plan (plan.csv, 状態 and 在宅避難 columns), 16 children:
//   対応できない 5: KOC-0001, 0002, 0013, 0015, 0016 (no facility, transport or route in time);
//   在宅避難 5:    KOC-0004, 0007, 0008, 0010, 0011 (homes outside the tsunami area);
//   evacuate 6:    KOC-0003, 0005, 0006, 0009, 0012, 0014 by family car, planned to arrive by
//                  1:02 at the latest, so by 3:00 all six are there in the run with the
//                  scenario's seed (2 h of slack for its random delays).
// So at 3:00: 到着・電源接続 6 + 移動中 0 + 出発できていない 0 + 在宅避難 5 + 失敗 0 +
// 対応できない 5 = 16. (Before: 「到着 6, 移動中 0, 失敗 0」 of 16, ten children not counted.)
// At 0:01 no one has left yet: 0 + 0 + 6 + 5 + 0 + 5 = 16.
TEST(ViewerStill, CountsAddUpOnTheKochiScenario) {
    const auto scenario = planner::load_scenario(test::source_path("scenarios/kochi-tsunami"));
    const auto plan = planner::make_plan(scenario);
    ASSERT_EQ(plan.children.size(), 16u);
    std::map<planner::Outcome, std::set<std::string>> by_outcome;
    std::int64_t latest_arrival = 0;
    for (const auto& c : plan.children) {
        by_outcome[c.outcome].insert(c.child_id);
        if (c.outcome == planner::Outcome::evacuate)
            latest_arrival = std::max(latest_arrival, c.arrival_s);
    }
    EXPECT_EQ(by_outcome[planner::Outcome::cannot_serve],
              (std::set<std::string>{"KOC-0001", "KOC-0002", "KOC-0013", "KOC-0015", "KOC-0016"}));
    EXPECT_EQ(by_outcome[planner::Outcome::shelter_in_place],
              (std::set<std::string>{"KOC-0004", "KOC-0007", "KOC-0008", "KOC-0010", "KOC-0011"}));
    EXPECT_EQ(by_outcome[planner::Outcome::evacuate].size(), 6u);
    EXPECT_LE(latest_arrival, 63 * 60);

    // The trace of `sonae run` / `sonae simulate`: the run with the scenario's seed.
    sim::SimOptions options;
    options.seed = scenario.manifest.seed;
    const sim::Simulator simulator(scenario, plan, options);
    test::TempDir dir;
    const auto file = dir / "trace.sonae";
    simulator.trace_run().write(file);
    const sim::TraceReader reader(file);
    sim::TraceCursor cursor(reader);
    auto counts_at = [&](std::int64_t t_s) {
        return count_children(reader, cursor.states_at(t_s));
    };
    const ChildCounts at3h = counts_at(3 * 3600);
    EXPECT_EQ(at3h.total, 16u);
    EXPECT_EQ(at3h.safe, 6u);
    EXPECT_EQ(at3h.moving, 0u);
    EXPECT_EQ(at3h.not_left, 0u);
    EXPECT_EQ(at3h.stays_home, 5u);
    EXPECT_EQ(at3h.failed, 0u);
    EXPECT_EQ(at3h.cannot_serve, 5u);
    const ChildCounts at1min = counts_at(60);
    EXPECT_EQ(at1min.safe + at1min.moving + at1min.failed, 0u);
    EXPECT_EQ(at1min.not_left, 6u);
    EXPECT_EQ(at1min.stays_home, 5u);
    EXPECT_EQ(at1min.cannot_serve, 5u);
    // At every 10 minutes of the trace the classes add up to the 16 children.
    for (std::int64_t t = 0; t <= reader.metadata().end_t_s; t += 600) {
        const ChildCounts c = counts_at(t);
        EXPECT_EQ(c.safe + c.moving + c.not_left + c.stays_home + c.failed + c.cannot_serve, 16u)
            << "t = " << t;
    }
    // The still prints the 対応できない line in red (5 > 0) below the legend.
    const auto png = dir / "kochi_3h.png";
    const ViewRun r = view_without_display("'" + file.string() + "' --png '" + png.string() +
                                               "' --at 3:00 --size 1280x720",
                                           dir / "err.txt");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    sf::Image image;
    ASSERT_TRUE(image.loadFromFile(png.string()));
    const Layout layout = Layout::for_still(1280, 720);
    const ScreenRect legend = SceneRenderer::legend_rect(layout);
    int red = 0;
    for (auto y = static_cast<unsigned>(legend.top + legend.height + 8); y < 720; ++y)
        for (auto x = static_cast<unsigned>(layout.sidebar.left); x < 1280; ++x)
            if (near(image.getPixel(x, y), style::state_colour(sim::StateCode::failed), 60)) ++red;
    EXPECT_GT(red, 20);
    // On the map, at home: KOC-0002 (対応できない) in dark red, KOC-0004 (在宅避難) in blue
    // grey, not in 荷造り中's orange as before.
    const Viewport view = Viewport::fit(reader.metadata().extent_min, reader.metadata().extent_max,
                                        layout.map, initial_margin);
    auto fill_of = [&](const std::string& label) {
        for (const auto& e : reader.entities())
            if (e.label == label) {
                const ScreenPoint p = view.to_screen(e.position);
                return image.getPixel(static_cast<unsigned>(std::floor(p.x)),
                                      static_cast<unsigned>(std::floor(p.y)));
            }
        return sf::Color::Transparent;
    };
    EXPECT_TRUE(near(fill_of("KOC-0002"), style::cannot_serve, 12));
    EXPECT_TRUE(near(fill_of("KOC-0004"), style::stays_home, 12));
}

// ------------------------------------------------------------------ labels and title

bool overlap(const ScreenRect& a, const ScreenRect& b) {
    return a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height &&
           b.top < a.top + a.height;
}

// The Ube flood scenario at 2:00 (30 homes, 3 facilities, cars and a van near the hospital):
// the labels placed by the still do not overlap each other or another home's or facility's
// symbol, stay on the map, and every facility in view
// keeps its name (facilities are placed first; a car's label goes elsewhere or is left out).
// Before, a family car's and the van's labels were printed over the hospital's name.
TEST(ViewerStill, LabelsDoNotOverlapAndFacilitiesKeepTheirNames) {
    const auto scenario = planner::load_scenario(test::source_path("scenarios/ube-flood"));
    const auto plan = planner::make_plan(scenario);
    const sim::Simulator simulator(scenario, plan);
    test::TempDir dir;
    const auto file = dir / "trace.sonae";
    simulator.trace_run().write(file);
    const sim::TraceReader reader(file);
    ensure_display();
    const sf::Font font = load_japanese_font(std::nullopt);
    SceneRenderer renderer(reader, font);
    sf::RenderTexture texture;
    for (const auto& [w, h] :
         {std::pair{1600u, 900u}, std::pair{1280u, 720u}, std::pair{800u, 500u}}) {
        ASSERT_TRUE(texture.create(w, h));
        const Layout layout = Layout::for_still(w, h);
        FrameState frame;
        frame.t_s = 2 * 3600;
        frame.still = true;
        renderer.draw(texture, layout, renderer.initial_viewport(layout), frame);
        const auto& labels = renderer.placed_labels();
        ASSERT_GT(labels.size(), 5u) << w << "x" << h;
        for (std::size_t a = 0; a < labels.size(); ++a) {
            const auto& box = labels[a].box;
            EXPECT_TRUE(box.left >= layout.map.left && box.top >= layout.map.top &&
                        box.left + box.width <= layout.map.left + layout.map.width &&
                        box.top + box.height <= layout.map.top + layout.map.height)
                << labels[a].text;
            for (std::size_t b = a + 1; b < labels.size(); ++b)
                EXPECT_FALSE(overlap(box, labels[b].box))
                    << labels[a].text << " / " << labels[b].text << " at " << w << "x" << h;
        }
        // Nor does any label cover a home's or a facility's symbol other than its own.
        const Viewport at = renderer.initial_viewport(layout);
        for (std::uint32_t e = 0; e < reader.entities().size(); ++e) {
            const auto& entity = reader.entities()[e];
            if (entity.kind != sim::EntityKind::home && entity.kind != sim::EntityKind::facility)
                continue;
            const ScreenPoint p = at.to_screen(entity.position);
            const double r = entity.kind == sim::EntityKind::home ? style::home_ring_px / 2.0
                                                                  : style::facility_size_px / 2.0;
            const ScreenRect symbol{p.x - r, p.y - r, 2 * r, 2 * r};
            for (const auto& l : labels)
                if (l.entity != sim::EntityId(e)) {
                    EXPECT_FALSE(overlap(l.box, symbol))
                        << l.text << " covers " << entity.label << " at " << w << "x" << h;
                }
        }
        // Every facility on the map has its name placed, at the sizes `sonae run` writes
        // (1600x900 stills, 1280x720 frames); at 800x500 the two hospitals' long names cannot
        // both fit beside their symbols, and one may be left out (never drawn over the other).
        if (w == 800) continue;
        std::set<std::string> placed;
        for (const auto& l : labels) placed.insert(l.text);
        const Viewport view = renderer.initial_viewport(layout);
        for (const auto& e : reader.entities()) {
            if (e.kind != sim::EntityKind::facility ||
                !layout.map.contains(view.to_screen(e.position)))
                continue;
            EXPECT_TRUE(placed.count(e.label)) << e.label << " at " << w << "x" << h;
        }
    }
}

TEST(ViewerStill, TitleWrapsOnCharacterBoundaries) {
    ensure_display();
    const sf::Font font = load_japanese_font(std::nullopt);
    const std::string title = "高知市 南海トラフ地震津波想定（浦戸湾・鏡川・国分川河口）";
    const float width = 256.0f; // the side panel (280 px) less its margins
    const auto lines = wrap_text(font, title, 14, width, 2);
    ASSERT_EQ(lines.size(), 2u);
    // Nothing lost, nothing cut inside a character (each line is valid UTF-8 that sf::String
    // decodes back to the same bytes), every line fits, no line starts with ・ or 、.
    EXPECT_EQ(lines[0] + lines[1], title);
    for (const auto& line : lines) {
        const sf::String s = sf::String::fromUtf8(line.begin(), line.end());
        const auto back = s.toUtf8();
        EXPECT_EQ(std::string(back.begin(), back.end()), line);
        float w = 0;
        for (const auto cp : s) w += font.getGlyph(cp, 14, false).advance;
        EXPECT_LE(w, width) << line;
        EXPECT_NE(line.rfind("・", 0), 0u) << line;
        EXPECT_NE(line.rfind("、", 0), 0u) << line;
    }
    // A title too long for two lines ends the second in …; one that fits stays whole.
    const auto cut = wrap_text(font, title + title + title, 14, width, 2);
    ASSERT_EQ(cut.size(), 2u);
    EXPECT_EQ(cut[1].substr(cut[1].size() - 3), "…");
    EXPECT_EQ(wrap_text(font, "宇部市 洪水想定", 16, width, 1),
              std::vector<std::string>{"宇部市 洪水想定"});
}

} // namespace
} // namespace sonae::viewer
