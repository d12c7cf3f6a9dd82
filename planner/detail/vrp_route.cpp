#include "planner/detail/vrp_route.hpp"

#include <algorithm>
#include <initializer_list>

namespace sonae::planner::vrp::detail {

namespace {
std::uint64_t splitmix(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
std::uint64_t rotl(std::uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

bool fits_plus(const Amount& load, const Amount& add, const Amount& capacity) {
    for (std::size_t d = 0; d < dimension_count; ++d) {
        if (load[d] + add[d] > capacity[d]) return false;
    }
    return true;
}
} // namespace

Rng::Rng(std::uint64_t seed) {
    std::uint64_t x = seed;
    for (auto& s : m_s) s = splitmix(x);
}

std::uint64_t Rng::next() {
    const std::uint64_t result = rotl(m_s[1] * 5, 7) * 9;
    const std::uint64_t t = m_s[1] << 17;
    m_s[2] ^= m_s[0];
    m_s[3] ^= m_s[1];
    m_s[1] ^= m_s[2];
    m_s[0] ^= m_s[3];
    m_s[2] ^= t;
    m_s[3] = rotl(m_s[3], 45);
    return result;
}

void RouteState::refresh(const Instance& in) {
    const VehicleInfo& v = in.vehicles[static_cast<std::size_t>(vehicle)];
    const std::size_t n = nodes.size();
    loc.resize(n + 2);
    start.resize(n + 2);
    latest.resize(n + 2);
    load.resize(n + 2);
    prefix_max.resize(n + 2);
    feasible = true;
    ride_sensitive = false;

    Amount initial{};
    for (std::size_t k = 0; k < n; ++k) {
        const Node& node = in.nodes[static_cast<std::size_t>(nodes[k])];
        if (!in.is_pd[static_cast<std::size_t>(node.job)]) {
            for (std::size_t d = 0; d < dimension_count; ++d) initial[d] -= node.delta[d];
        }
        if (in.has_ride_limit[static_cast<std::size_t>(node.job)]) ride_sensitive = true;
    }
    loc[0] = v.start;
    start[0] = v.earliest;
    load[0] = initial;
    prefix_max[0] = initial;
    if (!fits_plus(initial, Amount{}, v.capacity)) feasible = false;
    cost = 0;
    for (std::size_t k = 1; k <= n; ++k) {
        const Node& node = in.nodes[static_cast<std::size_t>(nodes[k - 1])];
        const std::int64_t service_prev =
            k == 1 ? 0 : in.nodes[static_cast<std::size_t>(nodes[k - 2])].service;
        loc[k] = node.location;
        cost += in.cst(loc[k - 1], loc[k]);
        start[k] = std::max(start[k - 1] + service_prev + in.dur(loc[k - 1], loc[k]), node.ready);
        if (start[k] > node.due) feasible = false;
        for (std::size_t d = 0; d < dimension_count; ++d) {
            load[k][d] = load[k - 1][d] + node.delta[d];
            prefix_max[k][d] = std::max(prefix_max[k - 1][d], load[k][d]);
        }
        if (!fits_plus(load[k], Amount{}, v.capacity)) feasible = false;
    }
    const std::int64_t last_service =
        n == 0 ? 0 : in.nodes[static_cast<std::size_t>(nodes[n - 1])].service;
    loc[n + 1] = v.end;
    cost += in.cst(loc[n], v.end);
    start[n + 1] = start[n] + last_service + in.dur(loc[n], v.end);
    load[n + 1] = load[n];
    prefix_max[n + 1] = prefix_max[n];
    if (start[n + 1] > v.latest) feasible = false;

    latest[n + 1] = v.latest;
    for (std::size_t k = n; k >= 1; --k) {
        const Node& node = in.nodes[static_cast<std::size_t>(nodes[k - 1])];
        latest[k] = std::min(node.due, latest[k + 1] - in.dur(loc[k], loc[k + 1]) - node.service);
    }
    latest[0] = latest[1] - in.dur(loc[0], loc[1]);

    if (feasible && (ride_sensitive || n > 0)) {
        // Precedence and ride limits need the whole sequence; cheap next to the search.
        bool has_pd = false;
        for (std::int32_t node : nodes) {
            if (in.is_pd[static_cast<std::size_t>(in.nodes[static_cast<std::size_t>(node)].job)]) {
                has_pd = true;
                break;
            }
        }
        if (has_pd && !evaluate_sequence(in, vehicle, nodes.data(), nodes.size())) {
            feasible = false;
        }
    }

    ride_slack.assign(n + 2, unlimited_slack);
    if (feasible && ride_sensitive) {
        for (std::size_t k = n; k >= 1; --k) {
            std::int64_t slack = ride_slack[k + 1];
            const Node& node = in.nodes[static_cast<std::size_t>(nodes[k - 1])];
            const auto job = static_cast<std::size_t>(node.job);
            if (!node.pickup && in.has_ride_limit[job]) {
                // A feasible tour has the pickup before the delivery.
                std::size_t q = k - 1;
                while (nodes[q - 1] != node.job * 2 + 1) --q;
                const std::int64_t pickup_end =
                    start[q] + in.nodes[static_cast<std::size_t>(nodes[q - 1])].service;
                slack = std::min(slack, in.max_ride[job] - (start[k] - pickup_end));
            }
            ride_slack[k] = slack;
        }
        ride_slack[0] = ride_slack[1];
    }
}

namespace {

/// Whether every ride limit of a feasible tour still holds after an insertion that moves the
/// service starts after position `from` by amounts within [min(0, shifts), max(0, shifts)]:
/// a ride then grows by at most the width of that range. False means "maybe not".
bool rides_certainly_hold(const RouteState& route, std::int32_t from,
                          std::initializer_list<std::int64_t> shifts) {
    const std::int64_t slack = route.ride_slack[static_cast<std::size_t>(from)];
    if (slack == unlimited_slack) return true;
    std::int64_t lo = 0;
    std::int64_t hi = 0;
    for (std::int64_t shift : shifts) {
        lo = std::min(lo, shift);
        hi = std::max(hi, shift);
    }
    return hi - lo <= slack;
}

} // namespace

void find_insertion(const Instance& in, const RouteState& route, std::int32_t route_index,
                    std::int32_t job, std::int64_t extra, double blink, Rng& rng, Insertion& best,
                    std::vector<std::int32_t>& scratch) {
    const VehicleInfo& v = in.vehicles[static_cast<std::size_t>(route.vehicle)];
    const std::int32_t n = route.size();
    const Node& dn = in.delivery(job);
    const bool full_check =
        route.ride_sensitive || in.has_ride_limit[static_cast<std::size_t>(job)];
    const auto node_at = [&](std::int32_t pos) -> const Node& {
        return in.nodes[static_cast<std::size_t>(route.nodes[static_cast<std::size_t>(pos - 1)])];
    };
    const auto service_at = [&](std::int32_t pos) -> std::int64_t {
        return (pos == 0 || pos == n + 1) ? 0 : node_at(pos).service;
    };
    // Start shift at `pos` when the service there could begin at `arrival` (0 at the end depot).
    const auto shift_at = [&](std::int32_t pos, std::int64_t arrival) -> std::int64_t {
        return pos > n ? 0
                       : std::max(arrival, node_at(pos).ready) -
                             route.start[static_cast<std::size_t>(pos)];
    };
    // The exact check, for the few candidates the O(1) bounds cannot decide.
    const auto evaluate_candidate = [&](std::int32_t after_pickup, std::int32_t after_delivery) {
        scratch.assign(route.nodes.begin(), route.nodes.end());
        scratch.insert(scratch.begin() + after_delivery, 2 * job);
        if (after_pickup >= 0) scratch.insert(scratch.begin() + after_pickup, 2 * job + 1);
        return evaluate_sequence(in, route.vehicle, scratch.data(), scratch.size()).has_value();
    };
    const auto& loc = route.loc;

    if (!in.is_pd[static_cast<std::size_t>(job)]) {
        Amount demand{};
        for (std::size_t d = 0; d < dimension_count; ++d) demand[d] = -dn.delta[d];
        for (std::int32_t pos = 0; pos <= n; ++pos) {
            const auto p = static_cast<std::size_t>(pos);
            const std::int64_t delta = extra + in.cst(loc[p], dn.location) +
                                       in.cst(dn.location, loc[p + 1]) - in.cst(loc[p], loc[p + 1]);
            if (delta >= best.delta) continue;
            if (blink > 0.0 && rng.uniform() < blink) continue;
            if (!fits_plus(route.prefix_max[p], demand, v.capacity)) continue;
            const std::int64_t arrival =
                route.start[p] + service_at(pos) + in.dur(loc[p], dn.location);
            const std::int64_t s = std::max(arrival, dn.ready);
            if (s > dn.due) continue;
            const std::int64_t next_arrival = s + dn.service + in.dur(dn.location, loc[p + 1]);
            if (next_arrival > route.latest[p + 1]) continue;
            if (full_check &&
                !(route.feasible &&
                  rides_certainly_hold(route, pos + 1, {shift_at(pos + 1, next_arrival)})) &&
                !evaluate_candidate(-1, pos)) {
                continue;
            }
            best.delta = delta;
            best.route = route_index;
            best.after_pickup = -1;
            best.after_delivery = pos;
        }
        return;
    }

    // Pickup after position i, delivery after position j >= i. On a feasible tour the
    // candidate is decided from the cached schedule: the visits between the two insertions
    // are rescheduled one by one as j grows, the visits after the delivery are covered by
    // the latest start at j + 1 (Savelsbergh) and the ride limits by the ride slack; only
    // when the slack cannot vouch for the rides is the candidate evaluated in full.
    const Node& pn = in.pickup(job);
    const Amount& demand = pn.delta;
    const bool fast = route.feasible;
    const bool own_limit = in.has_ride_limit[static_cast<std::size_t>(job)];
    const std::int64_t own_max_ride = in.max_ride[static_cast<std::size_t>(job)];
    for (std::int32_t i = 0; i <= n; ++i) {
        const auto pi = static_cast<std::size_t>(i);
        if (!fits_plus(route.load[pi], demand, v.capacity)) continue;
        const std::int64_t p_arrival =
            route.start[pi] + service_at(i) + in.dur(loc[pi], pn.location);
        const std::int64_t ps = std::max(p_arrival, pn.ready);
        if (ps > pn.due) continue;
        if (blink > 0.0 && rng.uniform() < blink) continue;
        const std::int64_t pickup_delta = in.cst(loc[pi], pn.location) +
                                          in.cst(pn.location, loc[pi + 1]) -
                                          in.cst(loc[pi], loc[pi + 1]);
        const std::int64_t pickup_end = ps + pn.service;
        // Departure from (and location of) the visit the delivery would follow, with the
        // pickup inserted; the pickup's start shift at i + 1.
        std::int64_t before_departure = pickup_end;
        std::int32_t before_loc = pn.location;
        std::int64_t pickup_shift = 0;
        Amount running = route.load[pi];
        for (std::int32_t j = i; j <= n; ++j) {
            const auto pj = static_cast<std::size_t>(j);
            if (j > i) {
                for (std::size_t d = 0; d < dimension_count; ++d) {
                    running[d] = std::max(running[d], route.load[pj][d]);
                }
                if (!fits_plus(running, demand, v.capacity)) break; // only grows with j
                if (fast) {
                    const Node& node = node_at(j);
                    const std::int64_t s =
                        std::max(before_departure + in.dur(before_loc, loc[pj]), node.ready);
                    // Visit j stays between the pickup and the delivery for every later j.
                    if (s > node.due) break;
                    if (j == i + 1) pickup_shift = s - route.start[pj];
                    before_departure = s + node.service;
                    before_loc = loc[pj];
                }
            }
            std::int64_t delta = extra;
            if (j == i) {
                delta += in.cst(loc[pi], pn.location) + in.cst(pn.location, dn.location) +
                         in.cst(dn.location, loc[pi + 1]) - in.cst(loc[pi], loc[pi + 1]);
            } else {
                delta += pickup_delta + in.cst(loc[pj], dn.location) +
                         in.cst(dn.location, loc[pj + 1]) - in.cst(loc[pj], loc[pj + 1]);
            }
            if (delta >= best.delta) continue;
            if (fast) {
                const std::int64_t ds =
                    std::max(before_departure + in.dur(before_loc, dn.location), dn.ready);
                if (ds > dn.due) continue;
                if (own_limit && ds - pickup_end > own_max_ride) continue;
                const std::int64_t next_arrival =
                    ds + dn.service + in.dur(dn.location, loc[pj + 1]);
                if (next_arrival > route.latest[pj + 1]) continue;
                if (!rides_certainly_hold(route, i + 1,
                                          {pickup_shift, shift_at(j + 1, next_arrival)}) &&
                    !evaluate_candidate(i, j)) {
                    continue;
                }
            } else if (!evaluate_candidate(i, j)) {
                continue;
            }
            best.delta = delta;
            best.route = route_index;
            best.after_pickup = i;
            best.after_delivery = j;
        }
    }
}

void apply_insertion(const Instance& in, RouteState& route, std::int32_t job,
                     const Insertion& insertion) {
    route.nodes.insert(route.nodes.begin() + insertion.after_delivery, 2 * job);
    if (insertion.after_pickup >= 0) {
        route.nodes.insert(route.nodes.begin() + insertion.after_pickup, 2 * job + 1);
    }
    route.refresh(in);
}

} // namespace sonae::planner::vrp::detail
