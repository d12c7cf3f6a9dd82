#pragma once
/// Independent feasibility checker for vehicle schedules (shares no code with the solver's
/// evaluation). Recomputes every tour from its stop sequence: earliest-start schedule (the
/// vehicle leaves its start depot at its availability start, waits when early), loads,
/// ride times and costs; then compares with what the solution reports.

#include "planner/vrp.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace sonae::planner::vrp {

/// Outcome of check(): feasible when `violations` is empty. Costs are recomputed.
struct CheckReport {
    std::vector<std::string> violations; ///< plain-words, one per problem found
    std::int64_t travel_cost = 0;
    std::int64_t fixed_cost = 0;
    std::int64_t objective = 0;
    std::int32_t routes_used = 0;
    bool feasible() const { return violations.empty(); }
};

/// What check() compares besides the constraints.
struct CheckOptions {
    /// Also require the reported times, loads and costs to equal the recomputed ones
    /// (off for solutions read from files that carry no times).
    bool compare_reported = true;
    /// Require every job to be served (Solomon benchmark) rather than listed as unserved.
    bool require_all_served = false;
};

/// Checks: valid vehicle and job indices, each vehicle used at most once, each job served
/// exactly once (pickup before delivery, in one tour) or listed unserved exactly once,
/// skills, capacity in every dimension after every stop, time windows, return to the end
/// depot by the availability end, ride limits. O(total stops + jobs).
CheckReport check(const Problem& problem, const Solution& solution,
                  const CheckOptions& options = {});

} // namespace sonae::planner::vrp
