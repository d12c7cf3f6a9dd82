#pragma once
/// Stage 10, shelter needs: per facility that receives children, what it must prepare (peak
/// power, energy and generator fuel over the horizon, outlets, batteries to precharge, nurses
/// and carers at kChildrenPerStaff children each, consumables for 72 hours) and the shortages
/// against what it has (places, power, fuel, outlets, nurses, nurses and carers).

#include "planner/plan.hpp"
#include "planner/stages/assignment.hpp"
#include "planner/stages/context.hpp"
#include "planner/stages/needs.hpp"

#include <vector>

namespace sonae::planner::stages {

/// The facilities' plans, in ctx.facilities order (by id), only those that receive children.
std::vector<FacilityPlan> shelter_needs(const PlanContext& ctx, const std::vector<ChildNeed>& needs,
                                        const Assignment& assignment);

} // namespace sonae::planner::stages
