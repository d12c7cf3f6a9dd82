#pragma once
/// The latest safe departure of one trip (issue 17, DOMAIN.md section 7): the latest moment a
/// child can leave home such that a route exists that never uses a closed road and arrives by
/// a deadline. Computed on the time-dependent network (closures per edge from their onset;
/// geo::Router::earliest_arrival), not as deadline - travel time at another departure.
///
/// Edges only close, so if leaving at t arrives in time, leaving earlier does too (follow the
/// same route, reach every edge earlier): feasibility is monotone in the departure. The latest
/// safe departure follows the fastest route's own limit from the earliest departure (see
/// latest_safe_departure): exact to the millisecond on the road, then to the second at home,
/// usually in one or two searches. (Until December 2026 a bisection over departures: about 14
/// forward searches per child, the failing ones sweeping the network when the facility was
/// cut off; the answers are the same.)

#include "geo/routing.hpp"
#include "planner/travel_context.hpp"

#include <cstdint>
#include <optional>
#include <span>

namespace sonae::planner {

/// One trip: from the home's access to the facility's access in one mode.
struct SafeDepartureQuery {
    const ModeNetwork* mode = nullptr;
    Access home;                   ///< in `mode`
    Access facility;               ///< in `mode`
    std::int64_t earliest_s = 0;   ///< the earliest departure considered
    std::int64_t cap_s = 0;        ///< never later than this (leave_by, or the horizon)
    std::int64_t arrive_by_s = -1; ///< arrival at the facility by then; -1 = no deadline
    /// Travel-time weights; empty = the mode's own (a car at night: NetworkAccess::weights_within).
    std::span<const geo::Weight> weights;
    /// A forward probe settles at most this many nodes before the backward sweep from the
    /// facility (Router::latest_departure_from, stopped once the home's time is known or is
    /// before the probe's start) decides whether it can be reached at all: a facility cut off
    /// in a pocket made each failing probe settle all the home could reach. 0 = no budget.
    /// The answers are the same either way.
    std::uint64_t probe_settle_budget = 100'000;
    /// A* potential as for Router::earliest_arrival (used only if 0 at the facility's node).
    std::span<const geo::Distance> potential;
    /// A* by the straight line to the facility (geo::straight_line_bound for `weights`): used
    /// instead of `potential` when usable. A nearest-facility potential guides a probe only to
    /// the nearest of many facilities, not to this one. The answers are the same either way.
    geo::StraightLineBound line;
};

/// The answer: `latest_s` = the latest departure in [earliest_s, cap_s] that arrives in time;
/// nullopt if even earliest_s does not. `at_cap` = leaving at the cap still works (the cap,
/// not the roads or the arrival deadline, is what binds).
struct SafeDeparture {
    std::optional<std::int64_t> latest_s;
    bool at_cap = false;
};

SafeDeparture latest_safe_departure(geo::Router& router, const SafeDepartureQuery& query);

} // namespace sonae::planner
