#include "planner/stages/workers.hpp"

#include "core/parallel.hpp"
#include "geo/space_order.hpp"

#include <algorithm>

namespace sonae::planner::stages {

void for_each_item(const PlanContext& ctx, const geo::RoutingGraph* graph,
                   const std::vector<std::size_t>& which, std::string_view stage, double f0,
                   double f1, const ItemFn& fn) {
    const auto total = static_cast<double>(std::max<std::size_t>(which.size(), 1));
    core::parallel_for_with(
        which.size(), ctx.threads,
        [graph] {
            SearchScratch scratch;
            if (graph != nullptr) scratch.router.emplace(*graph);
            return scratch;
        },
        [&](SearchScratch& scratch, std::size_t k) { fn(scratch, which[k]); },
        {.report =
             [&](std::size_t done) {
                 ctx.report(stage, f0 + (f1 - f0) * static_cast<double>(done) / total);
             },
         .every = 32});
}

void for_each_child(const PlanContext& ctx, const geo::RoutingGraph* graph,
                    const std::vector<std::size_t>& which, std::string_view stage, double f0,
                    double f1, const ItemFn& fn) {
    const auto& children = ctx.children;
    for_each_item(ctx, graph,
                  geo::in_space_order(which, [&](std::size_t i) { return children[i].home; }),
                  stage, f0, f1, fn);
}

} // namespace sonae::planner::stages
