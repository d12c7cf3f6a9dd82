// The recorded drill replayed beside the plan (issue 21): the Kudamatsu drill's trace opens in
// sonae-view, and a still at 2:30 shows KDM-0004 (the delayed child) twice: its recorded
// position still on the road (teal) and its planned position already at the hospital (the
// ghost, pale indigo), a red dashed gap between them, and the side panel's list of the largest
// delays in red. The frame series of the same trace holds the same picture at 2:30.
// sonae-view needs no X display for stills (it starts a private Xvfb when there is none).
#include "planner/planner.hpp"
#include "sim/drill.hpp"
#include "sim/drill_trace.hpp"
#include "sim/trace.hpp"
#include "tests/support/paths.hpp"
#include "viewer/map_view.hpp"
#include "viewer/scene.hpp"
#include "viewer/style.hpp"

#include <SFML/Graphics/Image.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sys/wait.h>

namespace sonae::viewer {
namespace {

namespace fs = std::filesystem;

const std::string view_binary = SONAE_BINARY_DIR "/viewer/sonae-view";

bool near(sf::Color a, sf::Color b, int tolerance) {
    return std::abs(a.r - b.r) <= tolerance && std::abs(a.g - b.g) <= tolerance &&
           std::abs(a.b - b.b) <= tolerance;
}

std::string str(sf::Color c) {
    return "(" + std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + ")";
}

TEST(DrillReplay, StillShowsTheRecordedAndThePlannedPositionOfTheDelayedChild) {
    const auto scenario = planner::load_scenario(test::source_path("scenarios/kudamatsu-drill"));
    const auto plan = planner::make_plan(scenario);
    const auto timeline = sim::read_drill_file(scenario.manifest.drill_timeline.value());
    auto drill = sim::read_drill_file(scenario.manifest.drill_recorded.at(0));
    sim::check_drill(drill, plan, &timeline);
    const auto review =
        sim::drill_review(plan, scenario.manifest.options.decision_min, nullptr, drill, &timeline);

    // The largest delay at arrival is KDM-0004's (the late ambulance).
    const auto delays = sim::arrival_delays(review);
    ASSERT_GE(delays.size(), 2u);
    EXPECT_EQ(delays[0].first, "KDM-0004");
    EXPECT_GT(delays[0].second, 30.0);

    test::TempDir dir;
    const auto file = dir / "drill_trace.sonae";
    sim::drill_trace(scenario, plan, review).write(file);
    const sim::TraceReader reader(file);
    // t0 = 2026-03-14 9:30 JST = 00:30 UTC.
    EXPECT_EQ(reader.metadata().epoch_unix_s, 1773448200);
    std::optional<sim::EntityId> recorded, planned;
    for (std::uint32_t i = 0; i < reader.entities().size(); ++i) {
        if (reader.entities()[i].label == "KDM-0004 実績") recorded = sim::EntityId(i);
        if (reader.entities()[i].label == "KDM-0004 計画") planned = sim::EntityId(i);
    }
    ASSERT_TRUE(recorded && planned);
    bool listed = false;
    for (const auto& e : reader.events())
        listed = listed || e.text.find("遅れの大きい順") != std::string::npos;
    EXPECT_TRUE(listed);

    // The DRIL section pairs the moves. KDM-0004's plan: departed 4827 s (80.45 min; the
    // review's CSV prints 80.5), arrived 6654 s (110.9 min); recorded: departed 105 min = 6300 s,
    // arrived 160 min = 9600 s. At 2:30 (9000 s) the record has reached 出発
    // (6300 - 4827 = 1473 s late) and the plan is past 到着 for 9000 - 6654 = 2346 s: the gap
    // is the larger, 2346 s (39.1 min).
    const sim::DrillReplayChild* k4_drill = nullptr;
    for (const auto& c : reader.drill_children()) {
        if (c.label == "KDM-0004") k4_drill = &c;
    }
    ASSERT_NE(k4_drill, nullptr);
    EXPECT_EQ(k4_drill->recorded, *recorded);
    EXPECT_EQ(k4_drill->planned, *planned);
    ASSERT_EQ(k4_drill->steps.size(), sim::kDrillSteps);
    EXPECT_EQ(k4_drill->steps[5].name, "出発");
    EXPECT_EQ(k4_drill->steps[5].planned_t_s, 4827);
    EXPECT_EQ(k4_drill->steps[5].recorded_t_s, 6300); // 105 min
    EXPECT_EQ(k4_drill->delay_at(9000), 2346);
    // At 2:00 (7200 s): max(6300 - 4827, 7200 - 6654) = max(1473, 546) = 1473 s.
    EXPECT_EQ(k4_drill->delay_at(7200), 1473);
    // The home's battery ring from the recorded battery: 35 % at 到着 (12:10 = 9600 s) of the
    // devices' own 6 h (ventilator 3 h + external 3 h) = 0.35 x 6 x 60 = 126 min (amber), until
    // 電源接続 at 12:18 (10080 s), then on shelter power (not applicable).
    {
        sim::TraceCursor c(reader);
        EXPECT_TRUE(std::isnan(c.state_at(9000, k4_drill->home).sample.battery_margin_min));
        EXPECT_NEAR(c.state_at(9800, k4_drill->home).sample.battery_margin_min, 126.0, 1e-3);
        EXPECT_EQ(c.state_at(9800, k4_drill->home).sample.state, sim::StateCode::arrived);
        EXPECT_TRUE(std::isnan(c.state_at(10080, k4_drill->home).sample.battery_margin_min));
        EXPECT_EQ(c.state_at(10080, k4_drill->home).sample.state, sim::StateCode::powered);
    }
    // The side panel's list: KDM-0004 first at 2:30.
    const auto now = drill_delays_at(reader, 9000);
    ASSERT_FALSE(now.empty());
    EXPECT_EQ(reader.drill_children()[now[0].child].label, "KDM-0004");
    EXPECT_EQ(now[0].delay_s, 2346);
    EXPECT_EQ(format_delay(2346), "+39分");

    // At 2:30 (9000 s): recorded departure 11:15 (105 min), arrival 12:10 (160 min): 45/55 of
    // the way; the planned arrival is before 150 min: at the hospital.
    sim::TraceCursor cursor(reader);
    const auto r = cursor.state_at(9000, *recorded);
    const auto p = cursor.state_at(9000, *planned);
    ASSERT_TRUE(r.present && p.present);
    EXPECT_EQ(r.sample.state, sim::StateCode::travelling);
    EXPECT_EQ(p.sample.state, sim::StateCode::arrived);
    const auto& k4 =
        *std::find_if(plan.children.begin(), plan.children.end(),
                      [](const planner::ChildPlan& c) { return c.child_id == "KDM-0004"; });
    const auto hospital = std::find_if(
        plan.facilities.begin(), plan.facilities.end(),
        [&](const planner::FacilityPlan& f) { return f.facility_id == k4.facility_id; });
    ASSERT_NE(hospital, plan.facilities.end());
    EXPECT_NEAR(p.sample.position.lon, hospital->location.lon, 1e-6);
    const double f = 45.0 / 55.0;
    EXPECT_NEAR(r.sample.position.lon, k4.home.lon + f * (hospital->location.lon - k4.home.lon),
                2e-4);
    EXPECT_NEAR(r.sample.position.lat, k4.home.lat + f * (hospital->location.lat - k4.home.lat),
                2e-4);

    // The still.
    const auto png = dir / "drill_2h30.png";
    const std::string cmd = "'" + view_binary + "' '" + file.string() + "' --png '" + png.string() +
                            "' --at 2:30 --size 1000x700 >/dev/null 2>'" +
                            (dir / "err.txt").string() + "'";
    const int status = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    sf::Image image;
    ASSERT_TRUE(image.loadFromFile(png.string()));
    const auto meta = reader.metadata();
    const auto layout = Layout::for_still(1000, 700); // a still has no play bar
    const auto viewport =
        Viewport::fit(meta.extent_min, meta.extent_max, layout.map, initial_margin);
    auto pixel = [&](geo::LonLat at) {
        const ScreenPoint s = viewport.to_screen(at);
        return image.getPixel(static_cast<unsigned>(std::floor(s.x)),
                              static_cast<unsigned>(std::floor(s.y)));
    };
    EXPECT_TRUE(near(pixel(r.sample.position), style::family_car, 12))
        << str(pixel(r.sample.position));
    EXPECT_TRUE(near(pixel(p.sample.position), style::ghost, 12)) << str(pixel(p.sample.position));
    // The gap: red dashes on the segment between the two markers (39 min >= 15 min).
    const sf::Color late = style::delay_colour(2346);
    ASSERT_TRUE(near(late, sf::Color(213, 0, 0), 0));
    {
        const ScreenPoint a = viewport.to_screen(r.sample.position);
        const ScreenPoint b = viewport.to_screen(p.sample.position);
        const double len = std::hypot(b.x - a.x, b.y - a.y);
        ASSERT_GT(len, 40.0) << "the two markers should be apart at this size";
        int red = 0;
        for (double d = 15.0; d < len - 15.0; d += 1.0) {
            const double f = d / len;
            const auto c = image.getPixel(static_cast<unsigned>(std::floor(a.x + f * (b.x - a.x))),
                                          static_cast<unsigned>(std::floor(a.y + f * (b.y - a.y))));
            if (near(c, late, 20)) ++red;
        }
        EXPECT_GT(red, 10) << "no red gap line between the recorded and the planned position";
    }
    // KDM-0003, whom the plan cannot serve (no destination; its ghost never leaves home), was
    // taken by the van in the drill and arrived at 95 min: at 2:30 no recorded square sits on
    // its home in the slide zone as if the child were still there.
    const auto& k3 =
        *std::find_if(plan.children.begin(), plan.children.end(),
                      [](const planner::ChildPlan& c) { return c.child_id == "KDM-0003"; });
    ASSERT_EQ(k3.outcome, planner::Outcome::cannot_serve);
    EXPECT_FALSE(near(pixel(k3.home), style::family_car, 12)) << str(pixel(k3.home));
    // The list of largest delays in the side panel: red text below the legend.
    int red_text = 0;
    const auto legend = SceneRenderer::legend_rect(layout);
    for (unsigned y = static_cast<unsigned>(legend.top + legend.height) + 1;
         y < static_cast<unsigned>(layout.sidebar.top + layout.sidebar.height); ++y) {
        for (unsigned x = static_cast<unsigned>(layout.sidebar.left);
             x < static_cast<unsigned>(layout.sidebar.left + layout.sidebar.width); ++x) {
            const auto c = image.getPixel(x, y);
            if (c.r > 150 && c.g < 60 && c.b < 60) ++red_text;
        }
    }
    EXPECT_GT(red_text, 20) << "the side panel does not list KDM-0004's delay in red";

    // The frame series of the same trace: every 30 min from 0, so 2:30 is frame 5, the same
    // picture as the still.
    const auto frames = dir / "frames";
    const std::string frames_cmd =
        "'" + view_binary + "' '" + file.string() + "' --frames '" + frames.string() +
        "' --every 30m --size 1000x700 >/dev/null 2>>'" + (dir / "err.txt").string() + "'";
    const int frames_status = std::system(frames_cmd.c_str());
    ASSERT_TRUE(WIFEXITED(frames_status) && WEXITSTATUS(frames_status) == 0);
    ASSERT_EQ(meta.start_t_s, 0);
    sf::Image frame5;
    ASSERT_TRUE(frame5.loadFromFile((frames / "frame_00005.png").string()));
    ASSERT_EQ(frame5.getSize(), image.getSize());
    std::size_t differing = 0;
    for (unsigned y = 0; y < image.getSize().y; ++y)
        for (unsigned x = 0; x < image.getSize().x; ++x)
            differing += image.getPixel(x, y) != frame5.getPixel(x, y) ? 1 : 0;
    EXPECT_EQ(differing, 0u);
}

} // namespace
} // namespace sonae::viewer
