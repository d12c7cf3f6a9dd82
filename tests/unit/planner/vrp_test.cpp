// The VRP solver on hand-built and randomised problems, verified by the independent checker
// and, for tiny problems, against brute-force enumeration; the insertion search's cached
// feasibility checks against full evaluation of every candidate tour.
#include "core/error.hpp"
#include "planner/detail/vrp_route.hpp"
#include "planner/vrp.hpp"
#include "planner/vrp_check.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

namespace vrp = sonae::planner::vrp;

namespace {

struct Point {
    double x;
    double y;
};

/// Euclidean matrix (rounded to integers) over points.
vrp::Matrix euclidean(const std::vector<Point>& points) {
    vrp::Matrix m(static_cast<std::int32_t>(points.size()));
    for (std::size_t a = 0; a < points.size(); ++a) {
        for (std::size_t b = 0; b < points.size(); ++b) {
            const double d = std::hypot(points[a].x - points[b].x, points[a].y - points[b].y);
            m.set(static_cast<std::int32_t>(a), static_cast<std::int32_t>(b),
                  static_cast<std::int32_t>(std::lround(d)));
        }
    }
    return m;
}

vrp::Vehicle vehicle(std::int32_t depot, vrp::Amount capacity, std::int64_t end_t,
                     vrp::Skills skills = {}) {
    vrp::Vehicle v;
    v.id = "v" + std::to_string(depot);
    v.start = vrp::LocationIndex(depot);
    v.end = vrp::LocationIndex(depot);
    v.capacity = capacity;
    v.availability = {0, end_t};
    v.skills = skills;
    return v;
}

vrp::Job delivery(std::int32_t location, std::int64_t ready, std::int64_t due, std::int32_t seats,
                  std::int64_t service = 0) {
    vrp::Job j;
    j.id = "d" + std::to_string(location);
    j.kind = vrp::JobKind::delivery;
    j.delivery.location = vrp::LocationIndex(location);
    j.delivery.window = {ready, due};
    j.delivery.service = service;
    j.demand = {seats, 0, 0};
    return j;
}

vrp::Job pickup_delivery(std::int32_t from, std::int32_t to, std::int64_t ready, std::int64_t due,
                         vrp::Amount demand) {
    vrp::Job j;
    j.id = "pd" + std::to_string(from) + "-" + std::to_string(to);
    j.kind = vrp::JobKind::pickup_delivery;
    j.pickup.location = vrp::LocationIndex(from);
    j.pickup.window = {ready, due};
    j.pickup.service = 2;
    j.delivery.location = vrp::LocationIndex(to);
    j.delivery.window = {ready, due + 200};
    j.delivery.service = 2;
    j.demand = demand;
    return j;
}

vrp::Options iterations(std::int64_t n, std::uint64_t seed = 7) {
    vrp::Options o;
    o.seed = seed;
    o.time_limit_s = 0.0;
    o.iteration_limit = n;
    return o;
}

/// All stop sequences: permutations of every job's stops, cut into one segment per vehicle,
/// kept when the checker accepts them. Returns the best objective (max if none).
std::int64_t brute_force(const vrp::Problem& problem) {
    std::vector<vrp::Stop> stops;
    for (std::size_t j = 0; j < problem.jobs.size(); ++j) {
        vrp::Stop s;
        s.job = vrp::JobIndex(static_cast<std::int32_t>(j));
        if (problem.jobs[j].kind == vrp::JobKind::pickup_delivery) {
            s.is_pickup = true;
            stops.push_back(s);
            s.is_pickup = false;
        }
        stops.push_back(s);
    }
    std::vector<int> order(stops.size());
    std::iota(order.begin(), order.end(), 0);
    const std::size_t n = stops.size();
    const std::size_t v = problem.vehicles.size();
    std::int64_t best = std::numeric_limits<std::int64_t>::max();
    vrp::CheckOptions options;
    options.compare_reported = false;
    do {
        // cuts: v-1 non-decreasing cut points in [0, n]
        std::vector<std::size_t> cuts(v - 1, 0);
        while (true) {
            std::vector<vrp::Route> routes(v);
            std::size_t begin = 0;
            for (std::size_t r = 0; r < v; ++r) {
                const std::size_t end = r + 1 < v ? cuts[r] : n;
                routes[r].vehicle = vrp::VehicleIndex(static_cast<std::int32_t>(r));
                for (std::size_t k = begin; k < end; ++k)
                    routes[r].stops.push_back(stops[static_cast<std::size_t>(order[k])]);
                begin = end;
            }
            const vrp::Solution s = vrp::make_solution(problem, routes);
            const vrp::CheckReport report = vrp::check(problem, s, options);
            if (report.feasible() && s.unserved.empty()) best = std::min(best, report.objective);
            // next cut vector
            std::size_t i = v - 1;
            while (i > 0) {
                if (cuts[i - 1] < n) {
                    ++cuts[i - 1];
                    for (std::size_t k = i; k < v - 1; ++k) cuts[k] = cuts[i - 1];
                    break;
                }
                --i;
            }
            if (i == 0) break;
        }
    } while (std::next_permutation(order.begin(), order.end()));
    return best;
}

/// Random small instance: depot 0, `jobs` single deliveries with windows, `vehicles` vehicles.
vrp::Problem random_small(std::mt19937& rng, int jobs, int vehicles, bool with_pd) {
    std::uniform_real_distribution<double> coord(0.0, 100.0);
    std::vector<Point> points{{50.0, 50.0}};
    vrp::Problem p;
    for (int j = 0; j < jobs; ++j) points.push_back({coord(rng), coord(rng)});
    if (with_pd) {
        for (int j = 0; j < jobs; ++j) points.push_back({coord(rng), coord(rng)});
    }
    p.durations = euclidean(points);
    std::uniform_int_distribution<int> start(0, 300);
    std::uniform_int_distribution<int> width(60, 400);
    std::uniform_int_distribution<int> seats(1, 3);
    for (int j = 0; j < jobs; ++j) {
        const int s = start(rng);
        if (with_pd) {
            p.jobs.push_back(
                pickup_delivery(1 + j, 1 + jobs + j, s, s + width(rng), {seats(rng), 0, 0}));
        } else {
            p.jobs.push_back(delivery(1 + j, s, s + width(rng), seats(rng), 5));
        }
    }
    for (int v = 0; v < vehicles; ++v) p.vehicles.push_back(vehicle(0, {8, 0, 0}, 1500));
    p.vehicles[0].fixed_cost = 30;
    return p;
}

TEST(VrpSolve, SmallInstancesMatchBruteForceOptimum) {
    std::mt19937 rng(12345);
    int compared = 0;
    for (int trial = 0; trial < 8; ++trial) {
        const bool pd = trial % 2 == 1;
        const vrp::Problem p = random_small(rng, pd ? 3 : 6, 2, pd);
        const std::int64_t optimum = brute_force(p);
        if (optimum == std::numeric_limits<std::int64_t>::max()) continue; // not all servable
        const vrp::Solution s = vrp::solve(p, iterations(3000, static_cast<std::uint64_t>(trial)));
        const vrp::CheckReport report = vrp::check(p, s);
        ASSERT_TRUE(report.feasible()) << report.violations.front();
        EXPECT_TRUE(s.unserved.empty()) << "trial " << trial;
        EXPECT_EQ(s.objective, optimum) << "trial " << trial;
        ++compared;
    }
    EXPECT_GE(compared, 5); // most random instances are fully servable
}

/// Randomised rich instance: two depots, pickup-and-delivery to three facilities, skills,
/// three capacity dimensions, ride limits.
vrp::Problem random_rich(std::uint32_t seed, int jobs) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> coord(0.0, 200.0);
    std::vector<Point> points{
        {60, 60}, {140, 140}, {100, 20}, {20, 180}, {180, 100}}; // 2 depots, 3 facilities
    for (int j = 0; j < jobs; ++j) points.push_back({coord(rng), coord(rng)});
    vrp::Problem p;
    p.durations = euclidean(points);
    std::uniform_int_distribution<int> facility(2, 4);
    std::uniform_int_distribution<int> kind(0, 9);
    std::uniform_int_distribution<int> ready(0, 600);
    for (int j = 0; j < jobs; ++j) {
        const std::int32_t home = 5 + j;
        const int r = ready(rng);
        vrp::Job job = pickup_delivery(home, facility(rng), r, r + 300, {1, 0, 0});
        const int k = kind(rng);
        if (k < 2) job.demand = {1, 1, 0};  // wheelchair
        if (k == 2) job.demand = {1, 0, 1}; // stretcher
        if (k == 2 || k == 3) job.required = vrp::skill(vrp::Skill::nurse);
        if (k == 4) job.required = vrp::skill(vrp::Skill::certified_carer);
        if (k % 2 == 0) job.max_ride = 180 + 20 * k;
        job.id = "child" + std::to_string(j);
        p.jobs.push_back(job);
    }
    p.vehicles.push_back(vehicle(0, {4, 1, 0}, 2000));
    p.vehicles.push_back(vehicle(0, {6, 0, 0}, 2000, vrp::skill(vrp::Skill::certified_carer)));
    p.vehicles.push_back(vehicle(1, {2, 0, 1}, 2000, vrp::skill(vrp::Skill::nurse)));
    p.vehicles.push_back(
        vehicle(1, {3, 2, 0}, 2000,
                vrp::skill(vrp::Skill::nurse) | vrp::skill(vrp::Skill::certified_carer)));
    p.vehicles.push_back(vehicle(1, {4, 0, 0}, 2000));
    for (std::size_t v = 0; v < p.vehicles.size(); ++v)
        p.vehicles[v].id = "van" + std::to_string(v);
    return p;
}

/// Random instance for the insertion checks: single deliveries mixed with pickup-and-delivery
/// jobs, tight ride limits, waiting, and a travel matrix without the triangle inequality
/// (an inserted visit can make the rest of a tour earlier as well as later).
vrp::Problem random_insertion_instance(std::uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> coord(0.0, 300.0);
    std::uniform_real_distribution<double> noise(0.5, 1.5);
    std::uniform_int_distribution<int> percent(0, 99);
    const int jobs = 40;
    std::vector<Point> points{{150, 150}};
    for (int k = 0; k < 2 * jobs; ++k) points.push_back({coord(rng), coord(rng)});
    vrp::Problem p;
    p.durations = euclidean(points);
    for (std::int32_t a = 0; a < p.durations.size; ++a) {
        for (std::int32_t b = 0; b < p.durations.size; ++b) {
            if (a != b) {
                p.durations.set(a, b,
                                static_cast<std::int32_t>(1.0 + p.durations.at(a, b) * noise(rng)));
            }
        }
    }
    if (seed % 2 == 0) {
        p.costs = p.durations;
        for (std::int32_t& c : p.costs.values) c += percent(rng) / 10;
    }
    std::uniform_int_distribution<int> ready(0, 2000);
    std::uniform_int_distribution<int> width(100, 1500);
    for (int j = 0; j < jobs; ++j) {
        const int r = ready(rng);
        const int w = percent(rng) < 20 ? 4000 : width(rng);
        vrp::Job job;
        if (percent(rng) < 25) {
            job = delivery(1 + 2 * j, r, r + w, 1 + percent(rng) % 2, percent(rng) % 10);
        } else {
            job =
                pickup_delivery(1 + 2 * j, 2 + 2 * j, r, r + w, {1, percent(rng) < 20 ? 1 : 0, 0});
            job.delivery.window = {r + percent(rng) * 5, r + w + 300};
            if (percent(rng) < 60) job.max_ride = 200 + 5 * percent(rng);
        }
        job.id = "job" + std::to_string(j);
        p.jobs.push_back(job);
    }
    p.vehicles.push_back(vehicle(0, {6, 1, 0}, 4500));
    p.vehicles.push_back(vehicle(0, {3, 2, 0}, 4500));
    p.vehicles[1].availability.earliest = 300;
    return p;
}

TEST(VrpInsertion, CachedChecksAgreeWithFullEvaluationOnRandomTours) {
    namespace detail = sonae::planner::vrp::detail;
    int compared = 0;
    int feasible_found = 0;
    std::int64_t cheaper_rejected = 0; // infeasible candidates cheaper than the best one
    for (std::uint32_t seed = 1; seed <= 12; ++seed) {
        const vrp::Problem p = random_insertion_instance(seed);
        const detail::Instance in = detail::build_instance(p);
        std::mt19937 rng(seed);
        detail::Rng unused(seed);
        std::vector<std::int32_t> scratch;
        std::vector<std::int32_t> order(static_cast<std::size_t>(in.job_count));
        std::iota(order.begin(), order.end(), 0);
        std::shuffle(order.begin(), order.end(), rng);
        std::vector<detail::RouteState> routes(p.vehicles.size());
        for (std::size_t r = 0; r < routes.size(); ++r) {
            routes[r].vehicle = static_cast<std::int32_t>(r);
            routes[r].refresh(in);
        }
        for (const std::int32_t job : order) {
            const auto r = static_cast<std::int32_t>(rng() % routes.size());
            detail::RouteState& route = routes[static_cast<std::size_t>(r)];
            if (!in.can_serve(route.vehicle, job)) continue;
            ASSERT_TRUE(route.feasible);
            detail::Insertion fast;
            detail::find_insertion(in, route, r, job, 0, 0.0, unused, fast, scratch);

            // Every candidate in the search's order, each tour evaluated in full.
            const bool pd = in.is_pd[static_cast<std::size_t>(job)];
            const std::int32_t n = route.size();
            detail::Insertion full;
            std::vector<detail::Insertion> feasible;
            std::vector<std::int64_t> rejected; // travel cost added by each infeasible candidate
            for (std::int32_t i = pd ? 0 : -1; i <= (pd ? n : -1); ++i) {
                for (std::int32_t j = std::max(i, 0); j <= n; ++j) {
                    std::vector<std::int32_t> tour = route.nodes;
                    tour.insert(tour.begin() + j, 2 * job);
                    if (pd) tour.insert(tour.begin() + i, 2 * job + 1);
                    const auto cost =
                        detail::evaluate_sequence(in, route.vehicle, tour.data(), tour.size());
                    if (!cost) {
                        const detail::VehicleInfo& v =
                            in.vehicles[static_cast<std::size_t>(route.vehicle)];
                        std::int64_t travel = 0;
                        std::int32_t at = v.start;
                        for (const std::int32_t node : tour) {
                            travel += in.cst(at, in.nodes[static_cast<std::size_t>(node)].location);
                            at = in.nodes[static_cast<std::size_t>(node)].location;
                        }
                        rejected.push_back(travel + in.cst(at, v.end) - route.cost);
                        continue;
                    }
                    const detail::Insertion candidate{*cost - route.cost, r, i, j};
                    feasible.push_back(candidate);
                    if (candidate.delta < full.delta) full = candidate;
                }
            }
            cheaper_rejected +=
                std::count_if(rejected.begin(), rejected.end(),
                              [&](std::int64_t delta) { return delta < full.delta; });
            ++compared;
            EXPECT_EQ(fast.delta, full.delta) << "seed " << seed << " job " << job;
            EXPECT_EQ(fast.after_pickup, full.after_pickup) << "seed " << seed << " job " << job;
            EXPECT_EQ(fast.after_delivery, full.after_delivery)
                << "seed " << seed << " job " << job;
            if (feasible.empty()) continue;
            ++feasible_found;
            // Grow the tour at a random feasible place, not always the cheapest, so that the
            // tours get waiting, slack and ride limits near their bounds.
            const detail::Insertion& chosen = feasible[rng() % feasible.size()];
            detail::apply_insertion(in, route, job, chosen);
        }
    }
    EXPECT_GE(compared, 200);
    EXPECT_GE(feasible_found, 100);
    EXPECT_GE(cheaper_rejected, 1000); // the checks had real work to do
}

TEST(VrpSolve, RandomisedRichInstancesAreFeasible) {
    for (std::uint32_t seed = 1; seed <= 6; ++seed) {
        const vrp::Problem p = random_rich(seed, 24);
        const vrp::Solution s = vrp::solve(p, iterations(1500, seed));
        const vrp::CheckReport report = vrp::check(p, s);
        EXPECT_TRUE(report.feasible()) << "seed " << seed << ": " << report.violations.front();
        EXPECT_GT(s.routes.size(), 0u);
        // Each stop respects the constraints the checker verified; also spot-check skills here.
        for (const vrp::Route& route : s.routes) {
            const vrp::Vehicle& v = p.vehicles[static_cast<std::size_t>(route.vehicle.value())];
            for (const vrp::Stop& stop : route.stops) {
                const vrp::Job& job = p.jobs[static_cast<std::size_t>(stop.job.value())];
                EXPECT_TRUE((job.required & ~v.skills).none());
            }
        }
        // Most jobs are servable here; unserved ones carry a reason.
        EXPECT_LT(s.unserved.size(), p.jobs.size() / 2) << "seed " << seed;
    }
}

TEST(VrpSolve, SameSeedSameTours) {
    const vrp::Problem p = random_rich(42, 30);
    const vrp::Solution a = vrp::solve(p, iterations(800, 99));
    const vrp::Solution b = vrp::solve(p, iterations(800, 99));
    ASSERT_EQ(a.routes.size(), b.routes.size());
    for (std::size_t r = 0; r < a.routes.size(); ++r) {
        EXPECT_EQ(a.routes[r].vehicle, b.routes[r].vehicle);
        ASSERT_EQ(a.routes[r].stops.size(), b.routes[r].stops.size());
        for (std::size_t k = 0; k < a.routes[r].stops.size(); ++k) {
            EXPECT_EQ(a.routes[r].stops[k].job, b.routes[r].stops[k].job);
            EXPECT_EQ(a.routes[r].stops[k].is_pickup, b.routes[r].stops[k].is_pickup);
        }
    }
    EXPECT_EQ(a.objective, b.objective);
    EXPECT_EQ(a.iterations, 800);
}

TEST(VrpSolve, JobOrderDoesNotChangeTheOptimumOnSmallInstances) {
    std::mt19937 rng(777);
    vrp::Problem p = random_small(rng, 6, 2, false);
    const std::int64_t optimum = brute_force(p);
    ASSERT_NE(optimum, std::numeric_limits<std::int64_t>::max());
    std::reverse(p.jobs.begin(), p.jobs.end());
    const vrp::Solution s = vrp::solve(p, iterations(3000));
    EXPECT_EQ(s.objective, optimum);
}

TEST(VrpSolve, UnservedJobsComeBackWithReasons) {
    std::vector<Point> points{{0, 0}, {10, 0}, {20, 0}, {30, 0}, {40, 0}, {50, 0}, {60, 0}};
    vrp::Problem p;
    p.durations = euclidean(points);
    p.vehicles.push_back(vehicle(0, {1, 1, 0}, 1000));

    vrp::Job needs_nurse = pickup_delivery(1, 2, 0, 500, {1, 0, 0});
    needs_nurse.required = vrp::skill(vrp::Skill::nurse);
    vrp::Job stretcher = pickup_delivery(3, 2, 0, 500, {1, 0, 1});
    vrp::Job too_early = delivery(4, 0, 5, 1); // 40 away, due at 5
    vrp::Job long_ride = pickup_delivery(1, 6, 0, 500, {1, 0, 0});
    long_ride.max_ride = 30; // direct ride is 50
    vrp::Job first = delivery(5, 0, 1000, 1);
    vrp::Job second = delivery(6, 0, 1000, 1); // vehicle carries one seat from the depot
    p.jobs = {needs_nurse, stretcher, too_early, long_ride, first, second};

    const vrp::Solution s = vrp::solve(p, iterations(200));
    ASSERT_TRUE(vrp::check(p, s).feasible());
    std::vector<std::pair<int, vrp::UnservedReason>> got;
    for (const vrp::Unserved& u : s.unserved) got.emplace_back(u.job.value(), u.reason);
    std::sort(got.begin(), got.end());
    ASSERT_EQ(got.size(), 5u);
    EXPECT_EQ(got[0], std::make_pair(0, vrp::UnservedReason::no_vehicle_with_skills));
    EXPECT_EQ(got[1], std::make_pair(1, vrp::UnservedReason::over_capacity));
    EXPECT_EQ(got[2], std::make_pair(2, vrp::UnservedReason::time_window_impossible));
    EXPECT_EQ(got[3], std::make_pair(3, vrp::UnservedReason::ride_time_exceeded));
    EXPECT_TRUE(got[4].first == 4 || got[4].first == 5);
    EXPECT_EQ(got[4].second, vrp::UnservedReason::fleet_full);
    EXPECT_EQ(s.objective, s.travel_cost + 5 * p.unserved_penalty);
    EXPECT_FALSE(vrp::to_string(vrp::UnservedReason::fleet_full).empty());
}

TEST(VrpSolve, RideLimitChangesTheTour) {
    // Two children to the same facility 3. Sharing the van (a, then b, then the facility)
    // is cheapest, but then child a rides 40 + 2 (b's pickup) + 40 = 82; pickups close at
    // 60, so the van cannot take them one after the other.
    std::vector<Point> points{{0, 0}, {10, 0}, {10, 40}, {10, 80}};
    vrp::Problem p;
    p.durations = euclidean(points);
    p.vehicles.push_back(vehicle(0, {2, 0, 0}, 1000));
    p.vehicles.push_back(vehicle(0, {2, 0, 0}, 1000));
    p.vehicles[1].id = "second";
    p.vehicles[1].fixed_cost = 100;
    vrp::Job a = pickup_delivery(1, 3, 0, 60, {1, 0, 0});
    vrp::Job b = pickup_delivery(2, 3, 0, 60, {1, 0, 0});
    a.delivery.window = {0, 1000};
    b.delivery.window = {0, 1000};
    p.jobs = {a, b};
    vrp::Solution shared = vrp::solve(p, iterations(300));
    ASSERT_TRUE(vrp::check(p, shared).feasible());
    EXPECT_EQ(shared.routes.size(), 1u);
    EXPECT_TRUE(shared.unserved.empty());

    p.jobs[0].max_ride = 81; // direct ride 80 fits, the shared ride 82 does not
    vrp::Solution limited = vrp::solve(p, iterations(300));
    const vrp::CheckReport report = vrp::check(p, limited);
    ASSERT_TRUE(report.feasible()) << report.violations.front();
    EXPECT_TRUE(limited.unserved.empty());
    EXPECT_EQ(limited.routes.size(), 2u);
}

TEST(VrpSolve, SeveralDepotsUseTheNearestVehicle) {
    std::vector<Point> points{{0, 0}, {1000, 0}, {5, 0}, {995, 0}};
    vrp::Problem p;
    p.durations = euclidean(points);
    p.vehicles.push_back(vehicle(0, {1, 0, 0}, 5000));
    p.vehicles.push_back(vehicle(1, {1, 0, 0}, 5000));
    p.jobs = {delivery(2, 0, 5000, 1), delivery(3, 0, 5000, 1)};
    const vrp::Solution s = vrp::solve(p, iterations(200));
    ASSERT_TRUE(vrp::check(p, s).feasible());
    EXPECT_EQ(s.travel_cost, 20);
}

TEST(VrpValidate, MalformedProblemsThrowWithField) {
    vrp::Problem p;
    p.durations = vrp::Matrix(2);
    p.vehicles.push_back(vehicle(0, {1, 0, 0}, 10));
    p.jobs.push_back(delivery(5, 0, 10, 1));
    try {
        vrp::validate(p);
        FAIL() << "expected InputError";
    } catch (const sonae::InputError& e) {
        EXPECT_EQ(e.where().field, "delivery.location");
        EXPECT_EQ(e.where().value, "5");
    }
    p.jobs[0] = delivery(1, 10, 0, 1);
    EXPECT_THROW(vrp::validate(p), sonae::InputError);
    p.jobs[0] = delivery(1, 0, 10, 1);
    p.jobs[0].max_ride = 5;
    EXPECT_THROW(vrp::validate(p), sonae::InputError);
    p.jobs[0].max_ride.reset();
    EXPECT_NO_THROW(vrp::validate(p));
    vrp::Options none;
    none.time_limit_s = 0;
    EXPECT_THROW(vrp::solve(p, none), sonae::InputError);
}

TEST(VrpSolve, TimeLimitIsRespected) {
    const vrp::Problem p = random_rich(5, 40);
    vrp::Options o;
    o.time_limit_s = 0.2;
    const vrp::Solution s = vrp::solve(p, o);
    EXPECT_LT(s.seconds, 1.0);
    EXPECT_GT(s.iterations, 0);
    EXPECT_TRUE(vrp::check(p, s).feasible());
}

} // namespace
