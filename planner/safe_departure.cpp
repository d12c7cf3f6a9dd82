#include "planner/safe_departure.hpp"

namespace sonae::planner {

SafeDeparture latest_safe_departure(geo::Router& router, const SafeDepartureQuery& q) {
    SafeDeparture out;
    if (q.mode == nullptr || !q.home.ok || !q.facility.ok || q.cap_s < q.earliest_s) return out;
    const auto& mode = *q.mode;
    // Arrives in time leaving home at t (seconds): on the network from t + the access leg,
    // then the leg from the road to the facility.
    auto works = [&](std::int64_t t) {
        const std::int64_t start_ms = t * 1000 + q.home.leave_ms;
        if (q.home.depart_node == q.facility.arrive_node) {
            return q.arrive_by_s < 0 || start_ms + q.facility.join_ms <= q.arrive_by_s * 1000;
        }
        const auto route = router.earliest_arrival(q.home.depart_node, q.facility.arrive_node, start_ms, mode.weights_ms,
                                                   mode.closures.closed_from_ms, q.potential);
        if (!route) return false;
        return q.arrive_by_s < 0 || route->arrival() + q.facility.join_ms <= q.arrive_by_s * 1000;
    };
    if (works(q.cap_s)) {
        out.latest_s = q.cap_s;
        out.at_cap = true;
        return out;
    }
    if (!works(q.earliest_s)) return out;
    std::int64_t lo = q.earliest_s, hi = q.cap_s; // works(lo), !works(hi)
    while (hi - lo > 1) {
        const auto mid = lo + (hi - lo) / 2;
        (works(mid) ? lo : hi) = mid;
    }
    out.latest_s = lo;
    return out;
}

} // namespace sonae::planner
