#pragma once
/// The planner's per-child searches on every core (core/parallel.hpp): each worker owns a
/// Router and a copy of one mode's weights it may change (SearchScratch); items are handed out
/// one by one and each writes only its own results, so a plan does not depend on the number of
/// threads.

#include "geo/routing.hpp"
#include "planner/stages/context.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonae::planner::stages {

/// A worker's search state: its own Router and a copy of one mode's weights it may change.
struct SearchScratch {
    std::optional<geo::Router> router;
    std::string weights_mode;
    std::vector<geo::Weight> weights;

    std::vector<geo::Weight>& weights_of(const std::string& mode,
                                         const std::vector<geo::Weight>& original) {
        if (weights_mode != mode) {
            weights = original;
            weights_mode = mode;
        }
        return weights;
    }
};

/// What a worker does with one item (a child's index, a matrix row, a vehicle).
using ItemFn = std::function<void(SearchScratch&, std::size_t)>;

/// fn(scratch, item) for every item of `which` on ctx.threads workers (core::parallel_for_with,
/// each worker with its own SearchScratch; `graph` null: no Router, straight-line mode),
/// reporting `stage` from f0 to f1 as items are done. Each item must write only its own results,
/// so the plan does not depend on the number of threads. The first exception is rethrown.
void for_each_item(const PlanContext& ctx, const geo::RoutingGraph* graph,
                   const std::vector<std::size_t>& which, std::string_view stage, double f0,
                   double f1, const ItemFn& fn);

/// for_each_item over children (indices into ctx.children) in space order of their homes
/// (geo/space_order.hpp), so that each search finds much of its part of the network in cache.
void for_each_child(const PlanContext& ctx, const geo::RoutingGraph* graph,
                    const std::vector<std::size_t>& which, std::string_view stage, double f0,
                    double f1, const ItemFn& fn);

} // namespace sonae::planner::stages
