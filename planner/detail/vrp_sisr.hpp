#pragma once
// Ruin and recreate with slack induction by string removals (SISR, Christiaens & Vanden
// Berghe, Transportation Science 54(2), 2020) under simulated annealing.

#include "planner/detail/vrp_instance.hpp"

#include <cstdint>
#include <vector>

namespace sonae::planner::vrp::detail {

struct SearchResult {
    /// Node sequence per vehicle (empty: vehicle unused).
    std::vector<std::vector<std::int32_t>> tours;
    /// Jobs (possible alone) that no tour could take.
    std::vector<std::int32_t> unassigned;
    std::int64_t iterations = 0;
};

/// Runs the search from an empty solution until a limit in `options` is reached.
SearchResult run_sisr(const Instance& instance, const Options& options);

} // namespace sonae::planner::vrp::detail
