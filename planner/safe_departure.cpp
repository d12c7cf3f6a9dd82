#include "planner/safe_departure.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <array>
#include <vector>

namespace sonae::planner {

namespace {

/// One probe: the route of earliest arrival leaving home at a given second, and the latest
/// moment (ms, on the road at the home's node) this same route could be started and still be
/// off every edge before it closes and at the facility by the deadline.
struct Probe {
    std::int64_t latest_ms = 0;
    bool deadline_binds = false; ///< the arrival deadline, not a closing road, limits this route
};

} // namespace

SafeDeparture latest_safe_departure(geo::Router& router, const SafeDepartureQuery& q) {
    SafeDeparture out;
    if (q.mode == nullptr || !q.home.ok || !q.facility.ok || q.cap_s < q.earliest_s) return out;
    const auto& mode = *q.mode;
    const std::span<const geo::Weight> weights =
        q.weights.empty() ? std::span<const geo::Weight>(mode.weights_ms) : q.weights;
    const auto& closed = mode.closures.closed_from_ms;
    // Leaving home at t (seconds) puts the child on the road at t * 1000 + leave_ms; it must
    // reach the facility's road node by arrive_by less the leg from the road to the facility.
    const std::int64_t by_ms =
        q.arrive_by_s < 0 ? geo::never_closes : q.arrive_by_s * 1000 - q.facility.join_ms;
    // The A* potential is a lower bound only toward the facilities it was built from (0 there).
    const auto potential = !q.potential.empty() && q.potential[q.facility.arrive_node.value()] == 0
                               ? q.potential
                               : std::span<const geo::Distance>{};
    // The latest moment the home's node can still reach the facility: computed once, when a
    // probe gives up, for departures from `asked_ms` on (never_reached: none of them).
    std::optional<geo::Distance> latest_from_home;
    std::int64_t asked_ms = 0;
    auto probe = [&](std::int64_t t) -> std::optional<Probe> {
        const std::int64_t start_ms = t * 1000 + q.home.leave_ms;
        Probe p;
        if (q.home.depart_node == q.facility.arrive_node) {
            if (start_ms > by_ms) return std::nullopt;
            p.latest_ms = by_ms;
            p.deadline_binds = by_ms != geo::never_closes;
            return p;
        }
        auto search = [&](std::uint64_t budget) {
            if (q.line.usable()) {
                return router.earliest_arrival(q.home.depart_node, q.facility.arrive_node, start_ms,
                                               weights, closed, q.line, budget);
            }
            return router.earliest_arrival(q.home.depart_node, q.facility.arrive_node, start_ms,
                                           weights, closed, potential, 1.0, budget);
        };
        auto route = search(q.probe_settle_budget);
        if (!route && router.gave_up()) {
            // A probe toward a facility cut off in a pocket whose roads still look open settles
            // everything the home can reach before it fails. The backward sweep from the
            // facility (the latest moment each node can still reach it) is bounded by that
            // pocket: if the home cannot reach the facility at all from start_ms, no route
            // exists; otherwise the probe runs to its end. Same answers, either way.
            // Only the home's time is needed, and only from start_ms on: the sweep stops there.
            if (!latest_from_home || start_ms < asked_ms) {
                const std::array<geo::NodeId, 1> root{q.facility.arrive_node};
                latest_from_home = router.latest_departure_from(q.home.depart_node, root, weights,
                                                                closed, start_ms);
                asked_ms = start_ms;
            }
            if (start_ms > *latest_from_home) return std::nullopt;
            route = search(0);
        }
        if (!route || route->arrival() > by_ms) return std::nullopt;
        // Started at s, the route enters its i-th edge at s + (the weights before it) and must
        // be off it by the edge's closing: s <= closed - (the weights up to and including it).
        std::int64_t prefix_ms = 0;
        std::int64_t closing_ms = geo::never_closes;
        for (const auto e : route->edges) {
            prefix_ms += weights[e.value()];
            if (closed[e.value()] != geo::never_closes)
                closing_ms = std::min(closing_ms, closed[e.value()] - prefix_ms);
        }
        if (prefix_ms != route->cost)
            throw InternalError("latest_safe_departure: the route's cost is not its weights' sum");
        const std::int64_t deadline_ms =
            by_ms == geo::never_closes ? geo::never_closes : by_ms - prefix_ms;
        p.latest_ms = std::min(closing_ms, deadline_ms);
        p.deadline_binds = by_ms != geo::never_closes && deadline_ms <= closing_ms;
        return p;
    };
    // The last whole second t with t * 1000 + leave_ms <= latest_ms (floor division).
    auto last_second = [&](std::int64_t latest_ms) {
        if (latest_ms == geo::never_closes) return q.cap_s;
        const std::int64_t span_ms = latest_ms - q.home.leave_ms;
        return std::min(q.cap_s, span_ms / 1000 - (span_ms % 1000 < 0 ? 1 : 0));
    };
    // Start from the earliest departure and follow the fastest route's own limit: leaving at t,
    // route P is the fastest still open, and P can be started until latest(P) >= t. If the
    // arrival deadline is what limits P, no later departure arrives in time (any route open
    // later is open at t too, so it is no faster than P). If a closing road limits it, a slower
    // route may stay open longer: probe one second after latest(P). Every probe moves on by at
    // least a second; usually one or two searches suffice (was: a bisection of about 14).
    auto p = probe(q.earliest_s);
    if (!p) return out;
    for (;;) {
        const auto t = last_second(p->latest_ms);
        if (t >= q.cap_s) {
            out.latest_s = q.cap_s;
            out.at_cap = true;
            return out;
        }
        if (p->deadline_binds) {
            out.latest_s = t;
            return out;
        }
        auto next = probe(t + 1);
        if (!next) {
            out.latest_s = t;
            return out;
        }
        p = next;
    }
}

} // namespace sonae::planner
