#include "planner/stages/workers.hpp"

#include "geo/space_order.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

namespace sonae::planner::stages {

void parallel_for(const std::vector<std::size_t>& items, unsigned threads,
                  const geo::RoutingGraph* graph, const ItemFn& fn,
                  const std::function<void(std::size_t)>& progress) {
    if (items.empty()) return;
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> done{0};
    std::mutex error_mutex;
    std::exception_ptr error;
    auto worker = [&](bool reports) {
        try {
            SearchScratch scratch;
            if (graph != nullptr) scratch.router.emplace(*graph);
            for (;;) {
                const auto k = next.fetch_add(1);
                if (k >= items.size()) break;
                fn(scratch, items[k]);
                const auto d = done.fetch_add(1) + 1;
                if (reports && (d % 32 == 0 || d == items.size())) progress(d);
            }
        } catch (...) {
            const std::lock_guard lock(error_mutex);
            if (!error) error = std::current_exception();
            next = items.size();
        }
    };
    const auto count =
        static_cast<unsigned>(std::min<std::size_t>(std::max(threads, 1u), items.size()));
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < count; ++t) pool.emplace_back(worker, false);
    worker(true);
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
}

void for_each_item(const PlanContext& ctx, const geo::RoutingGraph* graph,
                   const std::vector<std::size_t>& which, std::string_view stage, double f0,
                   double f1, const ItemFn& fn) {
    parallel_for(which, ctx.threads, graph, fn, [&](std::size_t done) {
        ctx.report(stage, f0 + (f1 - f0) * static_cast<double>(done) /
                                   static_cast<double>(std::max<std::size_t>(which.size(), 1)));
    });
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
