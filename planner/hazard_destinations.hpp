#pragma once
/// Destinations per hazard type: a family's standing plan for each kind of disaster
/// (DOMAIN.md section 3.3, item 4 "destination per hazard"; the Tokyo guideline keeps one form
/// per disaster type [S40]). For every child and every hazard type of standing_plan_hazards(),
/// the nearest suitable facility by travel time in the child's own travel mode, on the road
/// network as it is on an ordinary day: no hazard closures and no shallow-water slowing of
/// this scenario (the plan's own answer for its hazard is the assigned facility).
///
/// Suitable for hazard h (the planner's compatibility rules of planner.cpp step 4, without the
/// scenario-specific ones):
///  - the facility takes direct evacuees (not a 協定 secondary shelter), and it is not an
///    open-space-only emergency site (指定緊急避難場所 without a building);
///  - designated safe for h (GSI flags, Facility::safe_for). A facility without any hazard
///    flag in any source (hazards_known = false: welfare shelters, hospitals and support
///    centres from the facilities table, P20 shelters) counts as suitable for every type, and
///    the result is marked designation_unknown (printed 「指定の確認が必要」): for children on
///    ventilators these curated places are often the only ones that can take them, and leaving
///    them out would leave the family without any answer;
///  - it can take the child: accepts ventilators / oxygen when the child needs them, generator
///    output at least the child's essential peak load, a nurse (or a nurse or certified carer)
///    when the care items need one.
/// Not applied here: the facility lying inside this scenario's hazard area (that belongs to
/// the scenario, not to a standing plan), opening delays, and capacity: places are not shared
/// out between children, so the result is a guide (目安), not an allocation.
///
/// Cost: one local search per child (geo::Router::search_targets) over the child's compatible
/// facilities, stopping as soon as every hazard type that any of them covers has its nearest
/// one settled; children with the same mode and needs share one target list.

#include "planner/device_catalogue.hpp"
#include "planner/facility.hpp"
#include "planner/plan.hpp"
#include "planner/power_model.hpp"
#include "planner/registry.hpp"
#include "planner/scenario.hpp"
#include "planner/travel_context.hpp"

#include <span>
#include <string>
#include <vector>

namespace sonae::planner {

/// The hazard types a family's guidebook covers, in print order: flood 洪水, landslide
/// 土砂災害, storm surge 高潮, tsunami 津波, earthquake 地震 (DOMAIN.md section 5: the
/// hazards of record in Yamaguchi -- heavy rain with floods and landslides, typhoon surge,
/// Nankai / Suo-Nada / Sea of Japan tsunamis, the Nankai earthquake). Inland flooding, large
/// fires and volcanoes have GSI flags too but no Yamaguchi record in DOMAIN.md; they are left
/// out so the guidebook stays one short table.
std::span<const Hazard> standing_plan_hazards();

/// Japanese label for the guidebook: 洪水, 土砂災害, 高潮, 津波, 地震 (the GSI column name for
/// the others).
std::string_view guide_label_ja(Hazard hazard);

/// What the search needs to know about one child.
struct ChildTravelInput {
    geo::LonLat home;
    std::string mode; ///< travel profile: car, walk, wheelchair
    bool needs_ventilator = false;
    bool needs_oxygen = false;
    /// Power at a shelter: essential devices, start-up surge, batteries charging (the
    /// ShelterUse::power_w of planner/shelter_load.hpp).
    std::int64_t power_w = 0;
    std::int64_t outlets = 0; ///< sockets its mains devices need
    StaffLevel staff = StaffLevel::family;
};

/// The input for a child from its needs (planner/power_model.hpp) and its travel mode.
ChildTravelInput travel_input(const Child& child, const ChildNeeds& needs, const std::string& mode);

/// True if `facility` may be a standing-plan destination for a child with these needs for
/// some hazard type (the rules in the file comment, without the designation).
bool can_take(const Facility& facility, const ChildTravelInput& child);

/// For each child (same order as `children`), its destinations in standing_plan_hazards()
/// order; a hazard type without any suitable reachable facility is left out. `facilities` in
/// any order (ties in travel time go to the smaller facility id). With `travel` null the
/// times are straight-line estimates (distance x options.straight_line_circuity at
/// options.straight_line_speed_kmh by car, 3 km/h otherwise, as planner.cpp does) and every
/// result is marked approximate. `threads` > 1 splits the children over that many threads
/// (one Router each); the result does not depend on it. Deterministic.
std::vector<std::vector<HazardDestination>>
destinations_by_hazard(const TravelContext* travel, std::span<const Facility> facilities,
                       std::span<const ChildTravelInput> children, const PlanOptions& options,
                       unsigned threads = 1);

} // namespace sonae::planner
