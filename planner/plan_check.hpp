#pragma once
/// Checks of a plan.json read back (issue 24 item 2, 3): a plan edited by hand, truncated or
/// made for another registry must be refused with the file, the record and the value, never
/// end in "unordered_map::at" or in a guidebook that says 間に合う with no destination.

#include "planner/plan.hpp"

#include <string>

namespace sonae::planner {

struct LoadedScenario;

/// The plan on its own: ids unique (children, facilities, tours); every child's facility_id,
/// and every tour stop's child_id and facility_id, name a record of the plan; a child that
/// evacuates on time or at risk has a facility;
/// numbers in plausible ranges (horizon 1-720 h, times and margins within ten horizons, power
/// and lengths finite and not negative, points valid longitudes and latitudes). Throws
/// InputError naming `source`, the field path (children[3].margin_s) and the value.
void check_plan(const Plan& plan, const std::string& source);

/// The plan against the scenario it is used with (simulate, drill): the same scenario name
/// and horizon, every registry child in the plan and no other, every facility of the plan a
/// facility of the scenario, every tour's vehicle a vehicle of the scenario. Throws
/// InputError naming `source`, the field path and the id.
void check_plan_matches_scenario(const Plan& plan, const LoadedScenario& scenario,
                                 const std::string& source);

} // namespace sonae::planner
