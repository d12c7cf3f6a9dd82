// Standing-plan destinations per hazard type on the real Ube scenario (scenarios/ube-flood):
// the early-stopping search must find exactly what a full shortest-path tree finds.
#include "geo/routing.hpp"
#include "geo/travel_mode.hpp"
#include "planner/hazard_destinations.hpp"
#include "planner/planner.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

namespace sonae::planner {
namespace {

struct Ube {
    LoadedScenario sc = load_scenario(test::source_path("scenarios/ube-flood"));
    std::vector<ChildTravelInput> inputs;

    Ube() {
        for (const auto& c : sc.registry.children()) {
            const auto needs = assess_child(c, sc.catalogue);
            // Everyone by car here, and the walkers once more on foot (two modes, one call).
            inputs.push_back(travel_input(c, needs, sc.manifest.options.car_mode));
            if (c.mobility == Mobility::walks)
                inputs.push_back(travel_input(c, needs, sc.manifest.options.walk_mode));
        }
    }
};

TEST(HazardDestinationsUbe, MatchesAFullTreeSearchForEveryChildAndHazard) {
    Ube ube;
    ASSERT_TRUE(ube.sc.network.has_value());
    ASSERT_FALSE(ube.sc.hazards.empty()); // the scenario's flood closures exist and must not matter
    const auto& opt = ube.sc.manifest.options;
    const TravelContext travel(*ube.sc.network, ube.sc.hazards,
                               {opt.car_mode, opt.walk_mode, opt.wheelchair_mode}, opt.max_snap_m);
    const auto t0 = std::chrono::steady_clock::now();
    const auto result = destinations_by_hazard(&travel, ube.sc.facilities, ube.inputs, opt, 2);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ASSERT_EQ(result.size(), ube.inputs.size());
    ASSERT_GE(ube.inputs.size(), 10u);

    // Reference: a whole-network tree per child on the ordinary-day weights.
    std::map<std::string, std::vector<geo::Weight>> weights;
    geo::Router router(travel.graph());
    std::size_t checked = 0, with_flood = 0, designated = 0;
    for (std::size_t i = 0; i < ube.inputs.size(); ++i) {
        const auto& c = ube.inputs[i];
        if (!weights.count(c.mode)) {
            weights[c.mode] =
                geo::travel_time_weights_ms(travel.network(), geo::load_travel_profile(c.mode));
        }
        const auto home = travel.access(c.mode, c.home);
        ASSERT_TRUE(home.ok) << i;
        const auto& tree = router.tree(home.depart_node, weights[c.mode]);
        for (const auto hazard : standing_plan_hazards()) {
            std::int64_t best = -1;
            for (const auto& f : ube.sc.facilities) {
                if (!can_take(f, c) || (f.hazards_known && !f.safe_for.has(hazard))) continue;
                const auto fa = travel.access(c.mode, f.position);
                if (!fa.ok || !tree.reached(fa.arrive_node)) continue;
                const auto total = home.leave_ms + tree.distance(fa.arrive_node) + fa.join_ms;
                if (best < 0 || total < best) best = total;
            }
            const auto it =
                std::find_if(result[i].begin(), result[i].end(), [&](const HazardDestination& d) {
                    return d.hazard == to_string(hazard);
                });
            if (best < 0) {
                EXPECT_EQ(it, result[i].end()) << i << " " << to_string(hazard);
                continue;
            }
            ASSERT_NE(it, result[i].end()) << i << " " << to_string(hazard);
            EXPECT_EQ(it->travel_s, (best + 999) / 1000)
                << "input " << i << " " << to_string(hazard);
            // The facility named is suitable and can take the child.
            const auto f = std::find_if(ube.sc.facilities.begin(), ube.sc.facilities.end(),
                                        [&](const Facility& x) { return x.id == it->facility_id; });
            ASSERT_NE(f, ube.sc.facilities.end());
            EXPECT_TRUE(can_take(*f, c));
            EXPECT_EQ(it->designation_unknown, !f->hazards_known);
            if (f->hazards_known) {
                EXPECT_TRUE(f->safe_for.has(hazard));
                ++designated;
            }
            EXPECT_GT(it->length_m, 0.0);
            ASSERT_GE(it->geometry.size(), 2u);
            EXPECT_EQ(it->geometry.front(), c.home);
            EXPECT_EQ(it->geometry.back(), f->position);
            with_flood += hazard == Hazard::flood;
            ++checked;
        }
    }
    EXPECT_GE(with_flood, ube.inputs.size() / 2);
    EXPECT_GT(designated, 0u); // the GSI shelters' flags are used, not only unflagged places
    EXPECT_GT(checked, ube.inputs.size() * 2);
    std::cout << "[ info ] " << ube.inputs.size() << " inputs, " << checked << " destinations in "
              << seconds << " s (2 threads)\n";
}

} // namespace
} // namespace sonae::planner
