#pragma once
/// Stage 10, shelter needs: per facility that receives children (those the plan sends there
/// and who arrive: arrives_at_facility, the council report's count), what it must prepare
/// with the load definition of planner/shelter_load.hpp: places for the children and their
/// companions; peak power (the shelter's base peak, each child's running load, start-up surge
/// and batteries charging) against the generator's kW for evacuees; the generator's energy,
/// fuel per hour at the planned load (idle + proportional), fuel from the power cut to the
/// horizon and the hours until it must be refuelled; outlets; batteries to precharge; nurses
/// and certified carers on the roster to fill the posts at every hour in shifts; consumables
/// for 72 hours; and the shortages against what it has (places, power, fuel, outlets, nurses,
/// nurses and carers).

#include "planner/plan.hpp"
#include "planner/stages/compatibility.hpp"
#include "planner/stages/context.hpp"
#include "planner/stages/needs.hpp"

#include <vector>

namespace sonae::planner::stages {

/// The facilities' plans, in ctx.facilities order (by id), only those that receive children.
/// `plans` are the children's plans in ctx.children order.
std::vector<FacilityPlan> shelter_needs(const PlanContext& ctx, const std::vector<ChildNeed>& needs,
                                        const Compatibility& compatibility,
                                        const std::vector<ChildPlan>& plans);

} // namespace sonae::planner::stages
