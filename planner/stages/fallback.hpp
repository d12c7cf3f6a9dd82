#pragma once
/// Stage 6, fallback: for a child the assignment left without a place, somewhere to go all
/// the same: the nearest reachable hospital, else the nearest reachable facility with power
/// (a generator), by a search that stops at the first hospital. Straight-line mode: by
/// distance. The plan names it as 代替先 and the child stays cannot_serve.

#include "planner/stages/access.hpp"
#include "planner/stages/assignment.hpp"
#include "planner/stages/context.hpp"
#include "planner/stages/needs.hpp"
#include "planner/stages/transport.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace sonae::planner::stages {

/// Per child (ctx.children order), the fallback facility's index into ctx.facilities; nullopt
/// for a child with a place, or without any hospital or powered facility within reach.
std::vector<std::optional<std::size_t>>
find_fallbacks(const PlanContext& ctx, const NetworkAccess& access,
               const std::vector<ChildNeed>& needs, const std::vector<TransportChoice>& transport,
               const Assignment& assignment);

} // namespace sonae::planner::stages
