// Deliberately written apart from the solver (planner/detail/vrp_*): a straight,
// unoptimised recomputation over the public model only, so that a bug in the solver's
// cached evaluation cannot hide itself.
#include "planner/vrp_check.hpp"

#include <fmt/format.h>

#include <map>

namespace sonae::planner::vrp {

CheckReport check(const Problem& problem, const Solution& solution, const CheckOptions& options) {
    CheckReport report;
    auto& out = report.violations;
    const std::size_t job_count = problem.jobs.size();
    const Matrix& cost = problem.costs.empty() ? problem.durations : problem.costs;
    const Matrix& time = problem.durations;
    auto name = [&](std::int32_t j) {
        return fmt::format("job '{}'", problem.jobs[static_cast<std::size_t>(j)].id);
    };
    auto in_matrix = [&](LocationIndex l) {
        return l.valid() && l.value() >= 0 && l.value() < time.size;
    };

    std::vector<int> pickups_seen(job_count, 0);
    std::vector<int> deliveries_seen(job_count, 0);
    std::vector<int> unserved_seen(job_count, 0);
    std::vector<int> vehicle_seen(problem.vehicles.size(), 0);

    for (std::size_t r = 0; r < solution.routes.size(); ++r) {
        const Route& route = solution.routes[r];
        const std::int32_t vi = route.vehicle.value();
        if (!route.vehicle.valid() || vi < 0 ||
            static_cast<std::size_t>(vi) >= problem.vehicles.size()) {
            out.push_back(fmt::format("route {} names vehicle {}, which does not exist", r, vi));
            continue;
        }
        const Vehicle& vehicle = problem.vehicles[static_cast<std::size_t>(vi)];
        if (++vehicle_seen[static_cast<std::size_t>(vi)] > 1) {
            out.push_back(fmt::format("vehicle '{}' drives more than one tour", vehicle.id));
        }
        if (!in_matrix(vehicle.start) || !in_matrix(vehicle.end)) {
            out.push_back(fmt::format("vehicle '{}' has a depot outside the matrix", vehicle.id));
            continue;
        }
        bool stops_ok = true;
        for (const Stop& stop : route.stops) {
            const std::int32_t j = stop.job.value();
            if (!stop.job.valid() || j < 0 || static_cast<std::size_t>(j) >= job_count) {
                out.push_back(
                    fmt::format("vehicle '{}' visits job {}, which does not exist", vehicle.id, j));
                stops_ok = false;
            } else if (stop.is_pickup &&
                       problem.jobs[static_cast<std::size_t>(j)].kind != JobKind::pickup_delivery) {
                out.push_back(
                    fmt::format("vehicle '{}' has a pickup stop for {}, which has no pickup",
                                vehicle.id, name(j)));
                stops_ok = false;
            }
        }
        if (!stops_ok) continue;
        if (route.stops.empty()) continue;
        ++report.routes_used;
        report.fixed_cost += vehicle.fixed_cost;

        // Load on board when leaving the start depot: every single-visit delivery of the tour.
        long long on_board[dimension_count] = {0, 0, 0};
        for (const Stop& stop : route.stops) {
            const Job& job = problem.jobs[static_cast<std::size_t>(stop.job.value())];
            if (job.kind == JobKind::delivery) {
                for (std::size_t d = 0; d < dimension_count; ++d) on_board[d] += job.demand[d];
            }
        }
        for (std::size_t d = 0; d < dimension_count; ++d) {
            if (on_board[d] > vehicle.capacity[d]) {
                out.push_back(
                    fmt::format("vehicle '{}' leaves its depot overloaded in dimension {}: {} > {}",
                                vehicle.id, d, on_board[d], vehicle.capacity[d]));
            }
        }

        std::map<std::int32_t, long long> picked_up_at; // job -> end of pickup service
        long long clock = vehicle.availability.earliest;
        if (options.compare_reported && route.departure != clock) {
            out.push_back(fmt::format("vehicle '{}' reports departure {} but leaves at {}",
                                      vehicle.id, route.departure, clock));
        }
        LocationIndex here = vehicle.start;
        long long route_cost = 0;
        long long route_duration = 0;
        for (std::size_t s = 0; s < route.stops.size(); ++s) {
            const Stop& stop = route.stops[s];
            const std::int32_t j = stop.job.value();
            const Job& job = problem.jobs[static_cast<std::size_t>(j)];
            if ((job.required & ~vehicle.skills).any()) {
                out.push_back(
                    fmt::format("vehicle '{}' lacks a skill {} requires", vehicle.id, name(j)));
            }
            const Visit& visit = stop.is_pickup ? job.pickup : job.delivery;
            if (!in_matrix(visit.location)) {
                out.push_back(fmt::format("{} has a location outside the matrix", name(j)));
                break;
            }
            const long long arrive = clock + time.at(here.value(), visit.location.value());
            route_duration += time.at(here.value(), visit.location.value());
            route_cost += cost.at(here.value(), visit.location.value());
            const long long begin = arrive < visit.window.earliest ? visit.window.earliest : arrive;
            if (begin > visit.window.latest) {
                out.push_back(fmt::format(
                    "vehicle '{}' starts serving {} ({}) at {}, after its deadline {}", vehicle.id,
                    name(j), stop.is_pickup ? "pickup" : "delivery", begin, visit.window.latest));
            }
            if (options.compare_reported && (stop.arrival != arrive || stop.start != begin ||
                                             stop.departure != begin + visit.service)) {
                out.push_back(fmt::format(
                    "vehicle '{}' reports times {}/{}/{} at {} but the schedule gives {}/{}/{}",
                    vehicle.id, stop.arrival, stop.start, stop.departure, name(j), arrive, begin,
                    begin + visit.service));
            }
            if (stop.is_pickup) {
                ++pickups_seen[static_cast<std::size_t>(j)];
                if (picked_up_at.count(j)) {
                    out.push_back(fmt::format("{} is picked up twice", name(j)));
                }
                picked_up_at[j] = begin + visit.service;
                for (std::size_t d = 0; d < dimension_count; ++d) on_board[d] += job.demand[d];
            } else {
                ++deliveries_seen[static_cast<std::size_t>(j)];
                if (job.kind == JobKind::pickup_delivery) {
                    auto it = picked_up_at.find(j);
                    if (it == picked_up_at.end()) {
                        out.push_back(fmt::format(
                            "vehicle '{}' delivers {} before (or without) picking it up",
                            vehicle.id, name(j)));
                    } else {
                        const long long ride = begin - it->second;
                        if (job.max_ride && ride > *job.max_ride) {
                            out.push_back(
                                fmt::format("{} rides {} in vehicle '{}', over its limit {}",
                                            name(j), ride, vehicle.id, *job.max_ride));
                        }
                        picked_up_at.erase(it);
                    }
                }
                for (std::size_t d = 0; d < dimension_count; ++d) on_board[d] -= job.demand[d];
            }
            for (std::size_t d = 0; d < dimension_count; ++d) {
                if (on_board[d] > vehicle.capacity[d]) {
                    out.push_back(fmt::format(
                        "vehicle '{}' is overloaded after serving {} in dimension {}: {} > {}",
                        vehicle.id, name(j), d, on_board[d], vehicle.capacity[d]));
                }
                if (options.compare_reported && stop.load[d] != on_board[d]) {
                    out.push_back(fmt::format(
                        "vehicle '{}' reports load {} after {} in dimension {}, actual {}",
                        vehicle.id, stop.load[d], name(j), d, on_board[d]));
                }
            }
            clock = begin + visit.service;
            here = visit.location;
        }
        for (const auto& [j, t] : picked_up_at) {
            out.push_back(fmt::format("{} is picked up by vehicle '{}' but never delivered",
                                      name(j), vehicle.id));
        }
        const long long home = clock + time.at(here.value(), vehicle.end.value());
        route_duration += time.at(here.value(), vehicle.end.value());
        route_cost += cost.at(here.value(), vehicle.end.value());
        if (home > vehicle.availability.latest) {
            out.push_back(fmt::format(
                "vehicle '{}' reaches its end depot at {}, after its availability end {}",
                vehicle.id, home, vehicle.availability.latest));
        }
        if (options.compare_reported) {
            if (route.arrival != home) {
                out.push_back(fmt::format("vehicle '{}' reports end arrival {}, actual {}",
                                          vehicle.id, route.arrival, home));
            }
            if (route.travel_cost != route_cost || route.travel_duration != route_duration) {
                out.push_back(fmt::format(
                    "vehicle '{}' reports cost {} / duration {}, actual {} / {}", vehicle.id,
                    route.travel_cost, route.travel_duration, route_cost, route_duration));
            }
        }
        report.travel_cost += route_cost;
    }

    for (const Unserved& u : solution.unserved) {
        const std::int32_t j = u.job.value();
        if (!u.job.valid() || j < 0 || static_cast<std::size_t>(j) >= job_count) {
            out.push_back(fmt::format("unserved list names job {}, which does not exist", j));
            continue;
        }
        ++unserved_seen[static_cast<std::size_t>(j)];
    }
    for (std::size_t j = 0; j < job_count; ++j) {
        const auto jj = static_cast<std::int32_t>(j);
        const bool pd = problem.jobs[j].kind == JobKind::pickup_delivery;
        const int visits = deliveries_seen[j] + pickups_seen[j];
        const int expected = pd ? 2 : 1;
        if (visits == 0) {
            if (unserved_seen[j] == 0)
                out.push_back(fmt::format("{} is neither served nor listed as unserved", name(jj)));
            if (unserved_seen[j] > 1)
                out.push_back(fmt::format("{} is listed as unserved more than once", name(jj)));
            if (options.require_all_served)
                out.push_back(fmt::format("{} is not served", name(jj)));
        } else {
            if (deliveries_seen[j] != 1 || (pd && pickups_seen[j] != 1) || visits != expected) {
                out.push_back(fmt::format("{} is visited {} times (pickups {}, deliveries {})",
                                          name(jj), visits, pickups_seen[j], deliveries_seen[j]));
            }
            if (unserved_seen[j] > 0)
                out.push_back(fmt::format("{} is served and also listed as unserved", name(jj)));
        }
    }
    const auto unserved = static_cast<std::int64_t>(solution.unserved.size());
    report.objective = report.travel_cost + report.fixed_cost + problem.unserved_penalty * unserved;
    if (options.compare_reported &&
        (solution.travel_cost != report.travel_cost || solution.fixed_cost != report.fixed_cost ||
         solution.objective != report.objective)) {
        out.push_back(
            fmt::format("solution reports travel {} fixed {} objective {}, actual {} {} {}",
                        solution.travel_cost, solution.fixed_cost, solution.objective,
                        report.travel_cost, report.fixed_cost, report.objective));
    }
    return report;
}

} // namespace sonae::planner::vrp
