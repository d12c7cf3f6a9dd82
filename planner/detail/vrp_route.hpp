#pragma once
// One tour under construction with cached schedule data, so that inserting a visit or a
// pickup-and-delivery pair is checked in O(1) per candidate (forward earliest start, backward
// latest start: Savelsbergh 1992; ride slack for the ride limits), falling back to a full
// evaluation only when a ride limit might be hit.

#include "planner/detail/vrp_instance.hpp"

#include <cstdint>
#include <limits>
#include <vector>

namespace sonae::planner::vrp::detail {

/// Deterministic 64-bit generator (xoshiro256**), the same sequence on every platform.
class Rng {
public:
    explicit Rng(std::uint64_t seed);
    std::uint64_t next();
    /// Uniform in [0, 1).
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    /// Uniform integer in [0, n), n > 0.
    std::int32_t below(std::int32_t n) {
        return static_cast<std::int32_t>(uniform() * static_cast<double>(n));
    }

private:
    std::uint64_t m_s[4];
};

inline constexpr std::int64_t no_insertion = std::numeric_limits<std::int64_t>::max();
inline constexpr std::int64_t unlimited_slack = std::numeric_limits<std::int64_t>::max();

struct RouteState {
    std::int32_t vehicle = 0;
    std::vector<std::int32_t> nodes; // node ids, depots excluded
    // Per position 0..n+1 (0 = start depot, n+1 = end depot):
    std::vector<std::int32_t> loc;
    std::vector<std::int64_t> start;  // earliest service start (depot: departure/arrival)
    std::vector<std::int64_t> latest; // latest service start keeping the rest feasible
    std::vector<Amount> load;         // on board after the position
    std::vector<Amount> prefix_max;   // max load over positions 0..k
    /// Smallest ride slack (max_ride - ride) over the ride-limited deliveries at positions
    /// k..n+1; unlimited_slack when there is none. Meaningful only when `feasible`.
    std::vector<std::int64_t> ride_slack;
    std::int64_t cost = 0; // travel cost
    bool feasible = true;
    bool ride_sensitive = false; // holds a job with a ride limit

    std::int32_t size() const { return static_cast<std::int32_t>(nodes.size()); }
    bool empty() const { return nodes.empty(); }
    /// Recomputes every cache from `nodes`. O(n).
    void refresh(const Instance& in);
};

/// Best place found so far for a job.
struct Insertion {
    std::int64_t delta = no_insertion;
    std::int32_t route = -1;
    std::int32_t after_pickup = -1;   // PD: pickup goes after this position
    std::int32_t after_delivery = -1; // delivery goes after this (old) position
};

/// Updates `best` with the cheapest feasible insertion of `job` into `route` (index
/// `route_index`), skipping each position with probability `blink`. `extra` is added to
/// the delta (the vehicle's fixed cost for an empty route).
void find_insertion(const Instance& in, const RouteState& route, std::int32_t route_index,
                    std::int32_t job, std::int64_t extra, double blink, Rng& rng, Insertion& best,
                    std::vector<std::int32_t>& scratch);

/// Applies an insertion found by find_insertion and refreshes the route.
void apply_insertion(const Instance& in, RouteState& route, std::int32_t job,
                     const Insertion& insertion);

} // namespace sonae::planner::vrp::detail
