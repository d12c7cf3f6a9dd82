#pragma once
/// Vehicle scheduling (VRP with time windows, pickup-and-delivery, skills, several capacity
/// dimensions, ride limits and several depots): the public model and the solver entry point.
///
/// Flow: build a `vrp::Problem` (matrix over location indices, jobs, vehicles), call
/// `vrp::solve(problem, options)`, read the returned `vrp::Solution` (one tour per used
/// vehicle with times, plus unserved jobs each with a reason). `vrp::check` in
/// planner/vrp_check.hpp verifies a solution independently of the solver.
///
/// Example (planner side; one van, one child from home 1 to facility 2):
///   vrp::Problem p;
///   p.durations = vrp::Matrix(3);               // fill with road travel seconds
///   vrp::Job child;
///   child.id = "child-17";
///   child.kind = vrp::JobKind::pickup_delivery;
///   child.pickup = {vrp::LocationIndex(1), {ready_s, latest_pickup_s}, 300};
///   child.delivery = {vrp::LocationIndex(2), {ready_s, deadline_s}, 120};
///   child.demand[std::size_t(vrp::Dimension::wheelchair)] = 1;
///   child.required = vrp::skill(vrp::Skill::nurse);
///   child.max_ride = battery_endurance_s;      // extended by the van's outlet if any
///   p.jobs.push_back(child);
///   p.vehicles.push_back(van);                  // start/end depot, capacity, skills, shift
///   vrp::Solution s = vrp::solve(p, {.seed = scenario_seed, .time_limit_s = 2.0});
///   // s.routes[i].stops give times; s.unserved[i].reason says why a child was left out.
///
/// Units: every time, duration and cost is an integer in one unit the caller chooses and
/// uses throughout (seconds in the planner; tenths of a distance unit for the Solomon
/// benchmark, where travel time equals distance). Integers keep the objective exact and the
/// search deterministic; the matrices are int32 (up to about 68 years in seconds).

#include "core/strong_id.hpp"

#include <array>
#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonae::planner::vrp {

/// Index of a row/column of the travel matrices (a home, a facility, a depot).
using LocationIndex = StrongId<struct LocationTag, std::int32_t>;
/// Index into Problem::jobs.
using JobIndex = StrongId<struct JobTag, std::int32_t>;
/// Index into Problem::vehicles.
using VehicleIndex = StrongId<struct VehicleTag, std::int32_t>;

/// Capacity dimensions. A job's demand and a vehicle's capacity give one amount per dimension.
enum class Dimension : std::uint8_t { seats = 0, wheelchair = 1, stretcher = 2 };
inline constexpr std::size_t dimension_count = 3;
/// Amount per dimension, indexed by Dimension (seats, wheelchair slots, stretcher slots).
using Amount = std::array<std::int32_t, dimension_count>;

/// Skills a job requires and a vehicle's crew has. A vehicle can serve a job only if it has
/// every skill the job requires.
enum class Skill : std::uint8_t { nurse = 0, certified_carer = 1 };
inline constexpr std::size_t max_skills = 16;
using Skills = std::bitset<max_skills>;
/// A Skills set with one skill.
inline Skills skill(Skill s) {
    return Skills{}.set(static_cast<std::size_t>(s));
}

/// Square travel matrix over location indices, row-major: at(from, to).
/// Fill `values` directly (size*size entries) or via set(); negative entries are invalid.
/// The triangle inequality is not required.
struct Matrix {
    std::int32_t size = 0;
    std::vector<std::int32_t> values;

    Matrix() = default;
    /// A size x size matrix of zeros.
    explicit Matrix(std::int32_t n)
        : size(n), values(static_cast<std::size_t>(n) * static_cast<std::size_t>(n), 0) {}
    std::int32_t at(std::int32_t from, std::int32_t to) const {
        return values[static_cast<std::size_t>(from) * static_cast<std::size_t>(size) +
                      static_cast<std::size_t>(to)];
    }
    void set(std::int32_t from, std::int32_t to, std::int32_t value) {
        values[static_cast<std::size_t>(from) * static_cast<std::size_t>(size) +
               static_cast<std::size_t>(to)] = value;
    }
    bool empty() const { return size == 0; }
};

/// A closed interval [earliest, latest] of service start times (or of a vehicle's shift).
struct TimeWindow {
    std::int64_t earliest = 0;
    std::int64_t latest = 0;
};

/// One stop of a job: where, when service may start, how long it takes.
/// Arriving before `window.earliest` means waiting; service must start by `window.latest`.
struct Visit {
    LocationIndex location;
    TimeWindow window;
    std::int64_t service = 0; ///< service duration (loading a child, handing over)
};

enum class JobKind : std::uint8_t {
    /// A single visit served from the vehicle's start depot: the demand is on board from the
    /// start depot until this visit (Solomon customers).
    delivery,
    /// Pick up at `pickup` (a child's home) and deliver at `delivery` (the assigned facility),
    /// by the same vehicle, pickup first. Delivery locations may differ between jobs.
    pickup_delivery,
};

/// A transport request.
struct Job {
    std::string id; ///< caller's id, echoed in outputs and checker messages
    JobKind kind = JobKind::delivery;
    Visit pickup;    ///< used only for pickup_delivery
    Visit delivery;  ///< the single visit (delivery) or the drop-off (pickup_delivery)
    Amount demand{}; ///< seats / wheelchair slots / stretcher slots taken while on board
    Skills required; ///< skills the vehicle's crew must have
    /// pickup_delivery only: longest time on board, from the end of pickup service to the
    /// start of delivery service (battery endurance; the caller extends it when the
    /// vehicle's outlet can power the device). Unset: no limit.
    std::optional<std::int64_t> max_ride;
};

/// A vehicle that can drive one tour from `start` to `end` inside `availability`
/// (leaves `start` no earlier than availability.earliest, reaches `end` by availability.latest).
struct Vehicle {
    std::string id;
    LocationIndex start;
    LocationIndex end;
    Amount capacity{};
    Skills skills;
    TimeWindow availability;
    std::int64_t fixed_cost = 0; ///< added to the objective when the vehicle is used
};

/// The whole problem. `durations` gives travel times; `costs` (optional, same size) gives
/// the travel cost to minimise; when empty, the cost of an arc is its duration.
struct Problem {
    Matrix durations;
    Matrix costs;
    std::vector<Job> jobs;
    std::vector<Vehicle> vehicles;
    /// Objective penalty per unserved job; keep it far above any tour cost so that serving a
    /// job always wins when feasible.
    std::int64_t unserved_penalty = 1'000'000'000;
};

/// Throws sonae::InputError (field and value named) if the problem is malformed: matrix not
/// square or negative, a location outside the matrix, a negative demand, capacity, service
/// or ride limit, a window with latest < earliest. O(size^2 + jobs + vehicles).
void validate(const Problem& problem);

/// Solver settings. The search stops at whichever limit comes first; at least one limit
/// must be set (time_limit_s > 0 or iteration_limit > 0).
struct Options {
    std::uint64_t seed = 1;
    double time_limit_s = 1.0;        ///< time budget (see `cpu_time`); <= 0 means none
    std::int64_t iteration_limit = 0; ///< ruin-and-recreate iterations; <= 0 means none
    /// Count time_limit_s in this thread's CPU time instead of wall-clock time, so that a
    /// benchmark on a busy shared machine still gives the solver the stated budget.
    bool cpu_time = false;
};

/// One stop of a tour, with the schedule the solver computed (service starts as early as
/// possible; the vehicle leaves its start depot at its availability start).
struct Stop {
    JobIndex job;
    bool is_pickup = false;   ///< true: the pickup of a pickup_delivery job
    std::int64_t arrival = 0; ///< arrival at the location
    std::int64_t start = 0;   ///< service start (>= arrival, after any waiting)
    std::int64_t departure = 0;
    Amount load{}; ///< on board after this stop
};

/// One vehicle's tour.
struct Route {
    VehicleIndex vehicle;
    std::vector<Stop> stops;
    std::int64_t departure = 0; ///< leaves the start depot
    std::int64_t arrival = 0;   ///< reaches the end depot
    std::int64_t travel_cost = 0;
    std::int64_t travel_duration = 0;
};

/// Why a job is not served.
enum class UnservedReason : std::uint8_t {
    no_vehicle_with_skills, ///< no vehicle has all the skills the job requires
    over_capacity,          ///< the demand exceeds every skilled vehicle's capacity
    time_window_impossible, ///< no suitable vehicle can serve it in time even alone
    ride_time_exceeded,     ///< even driven directly, the ride exceeds max_ride
    fleet_full,             ///< each job is feasible alone, but no tour found room for it
};

/// Plain-words description of a reason ("no vehicle has the required skills", ...).
std::string_view to_string(UnservedReason reason);
/// The same in Japanese, for the plan's reasons (「定員を超える」...).
std::string_view label_ja(UnservedReason reason);

struct Unserved {
    JobIndex job;
    UnservedReason reason;
};

/// Result of solve(): used vehicles' tours (unused vehicles are absent), unserved jobs.
struct Solution {
    std::vector<Route> routes;
    std::vector<Unserved> unserved;
    std::int64_t travel_cost = 0; ///< sum of the tours' travel costs
    std::int64_t fixed_cost = 0;  ///< sum of used vehicles' fixed costs
    /// travel_cost + fixed_cost + unserved_penalty * unserved.size()
    std::int64_t objective = 0;
    std::int64_t iterations = 0; ///< search iterations done
    double seconds = 0.0;        ///< wall-clock time spent in solve()
    double cpu_seconds = 0.0;    ///< CPU time of the calling thread spent in solve()
};

/// Solves the problem: ruin-and-recreate with slack induction by string removals (SISR,
/// Christiaens & Vanden Berghe 2020) under simulated annealing, on one thread.
/// Deterministic for a seed when only `iteration_limit` is set; with a time limit the
/// result also depends on how many iterations fit in the time (anytime: the best solution
/// found so far is returned). Throws InputError if validate() fails.
Solution solve(const Problem& problem, const Options& options);

/// Recomputes the schedule, loads and cost of tours given as stop sequences (vehicle and
/// job/is_pickup of each stop; times are ignored) with the solver's schedule rule, fills
/// the times, the costs and the objective. Jobs absent from every tour are listed as
/// unserved with reason fleet_full. Does not check feasibility (use vrp::check).
Solution make_solution(const Problem& problem, std::vector<Route> routes);

} // namespace sonae::planner::vrp
