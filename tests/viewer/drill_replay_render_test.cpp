// The recorded drill replayed beside the plan (issue 21): the Kudamatsu drill's trace opens in
// sonae-view, and a still at 2:30 shows KDM-0004 (the delayed child) twice: its recorded
// position still on the road (family car, teal) and its planned position already at the
// hospital (the ghost, support-vehicle blue).
// Needs an X display: CI runs ctest under `xvfb-run -a`.
#include "planner/planner.hpp"
#include "sim/drill.hpp"
#include "sim/drill_trace.hpp"
#include "sim/trace.hpp"
#include "tests/support/paths.hpp"
#include "viewer/map_view.hpp"
#include "viewer/style.hpp"

#include <gtest/gtest.h>

#include <SFML/Graphics/Image.hpp>

#include <cmath>
#include <cstdlib>
#include <sys/wait.h>

namespace sonae::viewer {
namespace {

namespace fs = std::filesystem;

const std::string view_binary = SONAE_BINARY_DIR "/viewer/sonae-view";

bool near(sf::Color a, sf::Color b, int tolerance) {
    return std::abs(a.r - b.r) <= tolerance && std::abs(a.g - b.g) <= tolerance && std::abs(a.b - b.b) <= tolerance;
}

std::string str(sf::Color c) {
    return "(" + std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + ")";
}

TEST(DrillReplay, StillShowsTheRecordedAndThePlannedPositionOfTheDelayedChild) {
    if (std::getenv("DISPLAY") == nullptr) FAIL() << "no X display: run the rendering tests under xvfb-run -a";
    const auto scenario = planner::load_scenario(test::source_path("scenarios/kudamatsu-drill"));
    const auto plan = planner::make_plan(scenario);
    const auto timeline = sim::read_drill_file(scenario.manifest.drill_timeline.value());
    auto drill = sim::read_drill_file(scenario.manifest.drill_recorded.at(0));
    sim::check_drill(drill, plan, &timeline);
    const auto review = sim::drill_review(plan, scenario.manifest.options.decision_min, nullptr, drill, &timeline);

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
    for (const auto& e : reader.events()) listed = listed || e.text.find("遅れの大きい順") != std::string::npos;
    EXPECT_TRUE(listed);

    // At 2:30 (9000 s): recorded departure 11:15 (105 min), arrival 12:10 (160 min): 45/55 of
    // the way; the planned arrival is before 150 min: at the hospital.
    sim::TraceCursor cursor(reader);
    const auto r = cursor.state_at(9000, *recorded);
    const auto p = cursor.state_at(9000, *planned);
    ASSERT_TRUE(r.present && p.present);
    EXPECT_EQ(r.sample.state, sim::StateCode::travelling);
    EXPECT_EQ(p.sample.state, sim::StateCode::arrived);
    const auto& k4 = *std::find_if(plan.children.begin(), plan.children.end(),
                                   [](const planner::ChildPlan& c) { return c.child_id == "KDM-0004"; });
    const auto hospital = std::find_if(plan.facilities.begin(), plan.facilities.end(),
                                       [&](const planner::FacilityPlan& f) { return f.facility_id == k4.facility_id; });
    ASSERT_NE(hospital, plan.facilities.end());
    EXPECT_NEAR(p.sample.position.lon, hospital->location.lon, 1e-6);
    const double f = 45.0 / 55.0;
    EXPECT_NEAR(r.sample.position.lon, k4.home.lon + f * (hospital->location.lon - k4.home.lon), 2e-4);
    EXPECT_NEAR(r.sample.position.lat, k4.home.lat + f * (hospital->location.lat - k4.home.lat), 2e-4);

    // The still.
    const auto png = dir / "drill_2h30.png";
    const std::string cmd = "'" + view_binary + "' '" + file.string() + "' --png '" + png.string() +
                            "' --at 2:30 --size 1000x700 >/dev/null 2>'" + (dir / "err.txt").string() + "'";
    const int status = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    sf::Image image;
    ASSERT_TRUE(image.loadFromFile(png.string()));
    const auto meta = reader.metadata();
    const auto layout = Layout::for_size(1000, 700);
    const auto viewport = Viewport::fit(meta.extent_min, meta.extent_max, layout.map, initial_margin);
    auto pixel = [&](geo::LonLat at) {
        const ScreenPoint s = viewport.to_screen(at);
        return image.getPixel(static_cast<unsigned>(std::floor(s.x)), static_cast<unsigned>(std::floor(s.y)));
    };
    EXPECT_TRUE(near(pixel(r.sample.position), style::family_car, 12)) << str(pixel(r.sample.position));
    EXPECT_TRUE(near(pixel(p.sample.position), style::vehicle, 12)) << str(pixel(p.sample.position));
}

} // namespace
} // namespace sonae::viewer
