#include "planner/vrp.hpp"

#include "core/error.hpp"
#include "planner/detail/vrp_instance.hpp"
#include "planner/detail/vrp_sisr.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <ctime>

namespace sonae::planner::vrp {
namespace {

[[noreturn]] void fail(const std::string& message, const std::string& feature,
                       const std::string& field, const std::string& value) {
    Where where;
    where.feature = feature;
    where.field = field;
    where.value = value;
    throw InputError(message, where);
}

void check_location(const Problem& p, LocationIndex location, const std::string& feature,
                    const std::string& field) {
    if (!location.valid() || location.value() < 0 || location.value() >= p.durations.size) {
        fail(fmt::format("location index outside the {}x{} travel matrix", p.durations.size,
                         p.durations.size),
             feature, field, std::to_string(location.value()));
    }
}

void check_window(const TimeWindow& w, const std::string& feature, const std::string& field) {
    if (w.latest < w.earliest) {
        fail("time window ends before it starts", feature, field,
             fmt::format("[{}, {}]", w.earliest, w.latest));
    }
}

void check_amount(const Amount& a, const std::string& feature, const std::string& field) {
    for (std::size_t d = 0; d < dimension_count; ++d) {
        if (a[d] < 0) fail("negative amount", feature, field, std::to_string(a[d]));
    }
}

void check_matrix(const Matrix& m, const std::string& name) {
    if (m.size < 0 ||
        m.values.size() != static_cast<std::size_t>(m.size) * static_cast<std::size_t>(m.size)) {
        fail("matrix is not square (values.size() != size*size)", name, "values",
             std::to_string(m.values.size()));
    }
    for (std::size_t i = 0; i < m.values.size(); ++i) {
        if (m.values[i] < 0) {
            fail(fmt::format("negative entry at row {}, column {}",
                             i / static_cast<std::size_t>(m.size),
                             i % static_cast<std::size_t>(m.size)),
                 name, "values", std::to_string(m.values[i]));
        }
    }
}

} // namespace

std::string_view to_string(UnservedReason reason) {
    switch (reason) {
    case UnservedReason::no_vehicle_with_skills: return "no vehicle has the required skills";
    case UnservedReason::over_capacity:
        return "demand exceeds the capacity of every suitable vehicle";
    case UnservedReason::time_window_impossible:
        return "no suitable vehicle can reach it within its time window, even alone";
    case UnservedReason::ride_time_exceeded:
        return "even a direct trip exceeds the maximum ride time";
    case UnservedReason::fleet_full: return "no vehicle tour had room for it";
    }
    return "unknown";
}

std::string_view label_ja(UnservedReason reason) {
    switch (reason) {
    case UnservedReason::no_vehicle_with_skills: return "必要な装備・同乗者のある車両がない";
    case UnservedReason::over_capacity:
        return "乗せられる車両がない（座席・車いす・ストレッチャーの数が足りない）";
    case UnservedReason::time_window_impossible: return "どの車両も迎えに行ける時間内に着けない";
    case UnservedReason::ride_time_exceeded: return "直行しても乗車時間の上限を超える";
    case UnservedReason::fleet_full: return "車両の運行に空きがない";
    }
    return "理由不明";
}

void validate(const Problem& p) {
    check_matrix(p.durations, "durations");
    if (!p.costs.empty()) {
        check_matrix(p.costs, "costs");
        if (p.costs.size != p.durations.size) {
            fail("cost matrix size differs from the duration matrix", "costs", "size",
                 std::to_string(p.costs.size));
        }
    }
    if (p.unserved_penalty < 0) {
        fail("negative unserved penalty", "problem", "unserved_penalty",
             std::to_string(p.unserved_penalty));
    }
    for (std::size_t j = 0; j < p.jobs.size(); ++j) {
        const Job& job = p.jobs[j];
        const std::string feature = fmt::format("job {} ('{}')", j, job.id);
        check_location(p, job.delivery.location, feature, "delivery.location");
        check_window(job.delivery.window, feature, "delivery.window");
        if (job.delivery.service < 0) {
            fail("negative service time", feature, "delivery.service",
                 std::to_string(job.delivery.service));
        }
        check_amount(job.demand, feature, "demand");
        if (job.kind == JobKind::pickup_delivery) {
            check_location(p, job.pickup.location, feature, "pickup.location");
            check_window(job.pickup.window, feature, "pickup.window");
            if (job.pickup.service < 0) {
                fail("negative service time", feature, "pickup.service",
                     std::to_string(job.pickup.service));
            }
        }
        if (job.max_ride) {
            if (job.kind != JobKind::pickup_delivery) {
                fail("a ride limit applies only to pickup-and-delivery jobs", feature, "max_ride",
                     std::to_string(*job.max_ride));
            }
            if (*job.max_ride < 0)
                fail("negative ride limit", feature, "max_ride", std::to_string(*job.max_ride));
        }
    }
    for (std::size_t v = 0; v < p.vehicles.size(); ++v) {
        const Vehicle& vehicle = p.vehicles[v];
        const std::string feature = fmt::format("vehicle {} ('{}')", v, vehicle.id);
        check_location(p, vehicle.start, feature, "start");
        check_location(p, vehicle.end, feature, "end");
        check_window(vehicle.availability, feature, "availability");
        check_amount(vehicle.capacity, feature, "capacity");
        if (vehicle.fixed_cost < 0)
            fail("negative fixed cost", feature, "fixed_cost", std::to_string(vehicle.fixed_cost));
    }
}

Solution make_solution(const Problem& problem, std::vector<Route> routes) {
    const auto dur = [&](std::int32_t a, std::int32_t b) -> std::int64_t {
        return problem.durations.at(a, b);
    };
    const Matrix& cost_matrix = problem.costs.empty() ? problem.durations : problem.costs;
    Solution solution;
    std::vector<bool> served(problem.jobs.size(), false);
    for (Route& route : routes) {
        const Vehicle& v = problem.vehicles[static_cast<std::size_t>(route.vehicle.value())];
        Amount load{};
        for (const Stop& stop : route.stops) {
            const Job& job = problem.jobs[static_cast<std::size_t>(stop.job.value())];
            served[static_cast<std::size_t>(stop.job.value())] = true;
            if (job.kind == JobKind::delivery) {
                for (std::size_t d = 0; d < dimension_count; ++d) load[d] += job.demand[d];
            }
        }
        std::int64_t t = v.availability.earliest;
        std::int32_t at = v.start.value();
        route.departure = t;
        route.travel_cost = 0;
        route.travel_duration = 0;
        for (Stop& stop : route.stops) {
            const Job& job = problem.jobs[static_cast<std::size_t>(stop.job.value())];
            const Visit& visit = stop.is_pickup ? job.pickup : job.delivery;
            const std::int32_t to = visit.location.value();
            stop.arrival = t + dur(at, to);
            route.travel_duration += dur(at, to);
            route.travel_cost += cost_matrix.at(at, to);
            stop.start = std::max(stop.arrival, visit.window.earliest);
            stop.departure = stop.start + visit.service;
            for (std::size_t d = 0; d < dimension_count; ++d) {
                load[d] += stop.is_pickup ? job.demand[d] : -job.demand[d];
            }
            stop.load = load;
            t = stop.departure;
            at = to;
        }
        route.arrival = t + dur(at, v.end.value());
        route.travel_duration += dur(at, v.end.value());
        route.travel_cost += cost_matrix.at(at, v.end.value());
        solution.travel_cost += route.travel_cost;
        if (!route.stops.empty()) solution.fixed_cost += v.fixed_cost;
    }
    std::erase_if(routes, [](const Route& r) { return r.stops.empty(); });
    solution.routes = std::move(routes);
    for (std::size_t j = 0; j < problem.jobs.size(); ++j) {
        if (!served[j])
            solution.unserved.push_back(
                {JobIndex(static_cast<std::int32_t>(j)), UnservedReason::fleet_full});
    }
    solution.objective =
        solution.travel_cost + solution.fixed_cost +
        problem.unserved_penalty * static_cast<std::int64_t>(solution.unserved.size());
    return solution;
}

namespace {
double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}
} // namespace

Solution solve(const Problem& problem, const Options& options) {
    const auto started = std::chrono::steady_clock::now();
    const double cpu_started = thread_cpu_seconds();
    validate(problem);
    if (options.time_limit_s <= 0.0 && options.iteration_limit <= 0) {
        fail("set a time limit or an iteration limit", "options", "time_limit_s",
             std::to_string(options.time_limit_s));
    }
    const detail::Instance instance = detail::build_instance(problem);
    const detail::SearchResult result = detail::run_sisr(instance, options);

    std::vector<Route> routes;
    for (std::size_t v = 0; v < result.tours.size(); ++v) {
        if (result.tours[v].empty()) continue;
        Route route;
        route.vehicle = VehicleIndex(static_cast<std::int32_t>(v));
        for (std::int32_t node : result.tours[v]) {
            Stop stop;
            stop.job = JobIndex(node / 2);
            stop.is_pickup = (node % 2) == 1;
            route.stops.push_back(stop);
        }
        routes.push_back(std::move(route));
    }
    Solution solution = make_solution(problem, std::move(routes));
    // make_solution marks every absent job fleet_full; give the real reasons.
    for (Unserved& u : solution.unserved) {
        const auto& reason = instance.impossible[static_cast<std::size_t>(u.job.value())];
        if (reason) u.reason = *reason;
    }
    solution.iterations = result.iterations;
    solution.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    solution.cpu_seconds = thread_cpu_seconds() - cpu_started;
    return solution;
}

} // namespace sonae::planner::vrp
