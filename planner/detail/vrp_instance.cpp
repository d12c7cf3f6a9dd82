#include "planner/detail/vrp_instance.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <tuple>

namespace sonae::planner::vrp::detail {
namespace {

bool fits(const Amount& load, const Amount& capacity) {
    for (std::size_t d = 0; d < dimension_count; ++d) {
        if (load[d] > capacity[d]) return false;
    }
    return true;
}

std::optional<std::int64_t> evaluate(const Instance& in, std::int32_t vehicle,
                                     const std::int32_t* nodes, std::size_t count,
                                     bool ignore_ride) {
    const VehicleInfo& v = in.vehicles[static_cast<std::size_t>(vehicle)];
    Amount load{};
    for (std::size_t k = 0; k < count; ++k) {
        const Node& n = in.nodes[static_cast<std::size_t>(nodes[k])];
        if (!n.pickup && !in.is_pd[static_cast<std::size_t>(n.job)]) {
            for (std::size_t d = 0; d < dimension_count; ++d) load[d] -= n.delta[d];
        }
    }
    if (!fits(load, v.capacity)) return std::nullopt;
    // Open pickups: (job, end of pickup service). Tours are short, a linear scan is fine.
    std::int32_t open_jobs[64];
    std::int64_t open_end[64];
    std::vector<std::pair<std::int32_t, std::int64_t>> open_overflow;
    std::size_t open_count = 0;
    std::int64_t t = v.earliest;
    std::int64_t cost = 0;
    std::int32_t at = v.start;
    for (std::size_t k = 0; k < count; ++k) {
        const Node& n = in.nodes[static_cast<std::size_t>(nodes[k])];
        const std::int64_t arrival = t + in.dur(at, n.location);
        cost += in.cst(at, n.location);
        const std::int64_t start = std::max(arrival, n.ready);
        if (start > n.due) return std::nullopt;
        if (in.is_pd[static_cast<std::size_t>(n.job)]) {
            if (n.pickup) {
                if (open_count < 64) {
                    open_jobs[open_count] = n.job;
                    open_end[open_count] = start + n.service;
                    ++open_count;
                } else {
                    open_overflow.emplace_back(n.job, start + n.service);
                }
            } else {
                std::int64_t pickup_end = -1;
                bool found = false;
                for (std::size_t i = 0; i < open_count && !found; ++i) {
                    if (open_jobs[i] == n.job) {
                        pickup_end = open_end[i];
                        open_jobs[i] = open_jobs[open_count - 1];
                        open_end[i] = open_end[open_count - 1];
                        --open_count;
                        found = true;
                    }
                }
                for (std::size_t i = 0; i < open_overflow.size() && !found; ++i) {
                    if (open_overflow[i].first == n.job) {
                        pickup_end = open_overflow[i].second;
                        open_overflow.erase(open_overflow.begin() + static_cast<std::ptrdiff_t>(i));
                        found = true;
                    }
                }
                if (!found) return std::nullopt; // delivery before pickup
                if (!ignore_ride && in.has_ride_limit[static_cast<std::size_t>(n.job)] &&
                    start - pickup_end > in.max_ride[static_cast<std::size_t>(n.job)]) {
                    return std::nullopt;
                }
            }
        }
        for (std::size_t d = 0; d < dimension_count; ++d) load[d] += n.delta[d];
        if (!fits(load, v.capacity)) return std::nullopt;
        t = start + n.service;
        at = n.location;
    }
    if (open_count != 0 || !open_overflow.empty()) return std::nullopt; // pickup never delivered
    const std::int64_t end_arrival = t + in.dur(at, v.end);
    cost += in.cst(at, v.end);
    if (end_arrival > v.latest) return std::nullopt;
    return cost;
}

std::int64_t relatedness(const Instance& in, std::int32_t a, std::int32_t b) {
    std::int32_t la[2] = {in.delivery(a).location, in.pickup(a).location};
    std::int32_t lb[2] = {in.delivery(b).location, in.pickup(b).location};
    const int na = in.is_pd[static_cast<std::size_t>(a)] ? 2 : 1;
    const int nb = in.is_pd[static_cast<std::size_t>(b)] ? 2 : 1;
    std::int64_t best = std::numeric_limits<std::int64_t>::max();
    for (int i = 0; i < na; ++i) {
        for (int j = 0; j < nb; ++j) {
            best = std::min({best, in.cst(la[i], lb[j]), in.cst(lb[j], la[i])});
        }
    }
    return best;
}

} // namespace

std::optional<std::int64_t> evaluate_sequence(const Instance& instance, std::int32_t vehicle,
                                              const std::int32_t* nodes, std::size_t count) {
    return evaluate(instance, vehicle, nodes, count, false);
}

Instance build_instance(const Problem& problem) {
    Instance in;
    in.problem = &problem;
    in.job_count = static_cast<std::int32_t>(problem.jobs.size());
    in.vehicle_count = static_cast<std::int32_t>(problem.vehicles.size());
    in.matrix_size = problem.durations.size;
    in.duration = problem.durations.values.data();
    in.cost = problem.costs.empty() ? in.duration : problem.costs.values.data();

    const auto jobs = static_cast<std::size_t>(in.job_count);
    in.nodes.resize(2 * jobs);
    in.is_pd.resize(jobs);
    in.has_ride_limit.resize(jobs);
    in.max_ride.resize(jobs, 0);
    for (std::size_t j = 0; j < jobs; ++j) {
        const Job& job = problem.jobs[j];
        const bool pd = job.kind == JobKind::pickup_delivery;
        in.is_pd[j] = pd;
        Node& d = in.nodes[2 * j];
        d.location = job.delivery.location.value();
        d.ready = job.delivery.window.earliest;
        d.due = job.delivery.window.latest;
        d.service = job.delivery.service;
        d.job = static_cast<std::int32_t>(j);
        for (std::size_t k = 0; k < dimension_count; ++k) d.delta[k] = -job.demand[k];
        Node& p = in.nodes[2 * j + 1];
        p.job = static_cast<std::int32_t>(j);
        p.pickup = true;
        if (pd) {
            p.location = job.pickup.location.value();
            p.ready = job.pickup.window.earliest;
            p.due = job.pickup.window.latest;
            p.service = job.pickup.service;
            p.delta = job.demand;
            if (job.max_ride) {
                in.has_ride_limit[j] = true;
                in.max_ride[j] = *job.max_ride;
                in.any_ride_limit = true;
            }
        } else {
            p.location = d.location;
        }
    }

    std::map<std::tuple<std::int32_t, std::int32_t, Amount, std::string, std::int64_t, std::int64_t,
                        std::int64_t>,
             std::int32_t>
        classes;
    in.vehicles.resize(problem.vehicles.size());
    for (std::size_t v = 0; v < problem.vehicles.size(); ++v) {
        const Vehicle& src = problem.vehicles[v];
        VehicleInfo& info = in.vehicles[v];
        info.start = src.start.value();
        info.end = src.end.value();
        info.capacity = src.capacity;
        info.earliest = src.availability.earliest;
        info.latest = src.availability.latest;
        info.fixed_cost = src.fixed_cost;
        auto key = std::make_tuple(info.start, info.end, info.capacity, src.skills.to_string(),
                                   info.earliest, info.latest, info.fixed_cost);
        auto [it, inserted] = classes.emplace(key, static_cast<std::int32_t>(classes.size()));
        info.vehicle_class = it->second;
    }

    in.compatible.assign(problem.vehicles.size() * jobs, 0);
    in.impossible.assign(jobs, std::nullopt);
    for (std::size_t j = 0; j < jobs; ++j) {
        const Job& job = problem.jobs[j];
        bool any_skill = false;
        bool any_capacity = false;
        bool any_time_without_ride = false;
        bool any = false;
        std::int32_t seq[2];
        std::size_t len = 0;
        if (in.is_pd[j]) seq[len++] = static_cast<std::int32_t>(2 * j + 1);
        seq[len++] = static_cast<std::int32_t>(2 * j);
        for (std::size_t v = 0; v < problem.vehicles.size(); ++v) {
            const Vehicle& vehicle = problem.vehicles[v];
            if ((job.required & ~vehicle.skills).any()) continue;
            any_skill = true;
            if (!fits(job.demand, vehicle.capacity)) continue;
            any_capacity = true;
            const auto vi = static_cast<std::int32_t>(v);
            if (evaluate(in, vi, seq, len, false)) {
                in.compatible[v * jobs + j] = 1;
                any = true;
            } else if (evaluate(in, vi, seq, len, true)) {
                any_time_without_ride = true;
            }
        }
        if (!any) {
            in.impossible[j] = !any_skill              ? UnservedReason::no_vehicle_with_skills
                               : !any_capacity         ? UnservedReason::over_capacity
                               : any_time_without_ride ? UnservedReason::ride_time_exceeded
                                                       : UnservedReason::time_window_impossible;
        }
    }

    in.neighbours.resize(jobs);
    in.depot_distance.assign(jobs, 0);
    std::vector<std::pair<std::int64_t, std::int32_t>> order;
    for (std::size_t j = 0; j < jobs; ++j) {
        order.clear();
        for (std::size_t k = 0; k < jobs; ++k) {
            if (k == j) continue;
            order.emplace_back(
                relatedness(in, static_cast<std::int32_t>(j), static_cast<std::int32_t>(k)),
                static_cast<std::int32_t>(k));
        }
        std::sort(order.begin(), order.end());
        auto& list = in.neighbours[j];
        list.reserve(order.size() + 1);
        list.push_back(static_cast<std::int32_t>(j));
        for (const auto& entry : order) list.push_back(entry.second);

        const std::int32_t first = in.is_pd[j] ? in.pickup(static_cast<std::int32_t>(j)).location
                                               : in.delivery(static_cast<std::int32_t>(j)).location;
        std::int64_t best = std::numeric_limits<std::int64_t>::max();
        for (const VehicleInfo& v : in.vehicles) best = std::min(best, in.cst(v.start, first));
        in.depot_distance[j] = in.vehicles.empty() ? 0 : best;
    }
    return in;
}

} // namespace sonae::planner::vrp::detail
