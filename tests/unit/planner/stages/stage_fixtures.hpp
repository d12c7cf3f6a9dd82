#pragma once
/// Hand-drawn scenarios for the planner's stage tests (planner/stages/): a LoadedScenario on an
/// ASCII-map network with the decision time and the mains loss at t0, so the stages' times
/// are the network's and the packing's alone.

#include "planner/scenario.hpp"
#include "planner/stages/context.hpp"
#include "tests/support/ascii_network.hpp"
#include "tests/support/plan_fixtures.hpp"

#include <string>

namespace sonae::test {

/// A flood scenario on `t`'s network, decision at t0, mains lost at t0, 72 h horizon.
inline planner::LoadedScenario stage_scenario(const AsciiNetwork& t) {
    planner::LoadedScenario s;
    s.manifest.name = "stages";
    s.manifest.hazard_kind = "flood";
    s.manifest.options.decision_min = 0;
    s.manifest.timeline.mains_lost_min = 0;
    s.network = t.net;
    s.catalogue = planner::default_device_catalogue();
    return s;
}

inline geo::LonLat at(const AsciiNetwork& t, char node) {
    return t.net.lonlat(t.node(node));
}

/// A child on a home ventilator (nurse level, 60 W essential load) with the given batteries.
inline planner::Child ventilated_child(const std::string& id, geo::LonLat home,
                                       double internal_h = 8, double external_h = 8) {
    auto c = family_child(id, home);
    c.care_items = {planner::CareItem::ventilator};
    planner::DeviceUse vent;
    vent.type = "vent";
    vent.internal_battery_h = internal_h;
    vent.external_battery_h = external_h;
    c.devices = {vent};
    return c;
}

/// The index of facility `id` in ctx.facilities (sorted by id).
inline std::size_t facility_index(const planner::stages::PlanContext& ctx, const std::string& id) {
    for (std::size_t j = 0; j < ctx.facilities.size(); ++j) {
        if (ctx.facilities[j].id == id) return j;
    }
    throw std::invalid_argument("no facility " + id);
}

/// The index of child `id` in ctx.children (sorted by id).
inline std::size_t child_index(const planner::stages::PlanContext& ctx, const std::string& id) {
    for (std::size_t i = 0; i < ctx.children.size(); ++i) {
        if (ctx.children[i].id == id) return i;
    }
    throw std::invalid_argument("no child " + id);
}

} // namespace sonae::test
