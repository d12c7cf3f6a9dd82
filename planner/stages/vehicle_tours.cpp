#include "planner/stages/vehicle_tours.hpp"

#include "geo/road_network.hpp"
#include "geo/routing.hpp"
#include "geo/space_order.hpp"
#include "planner/stages/workers.hpp"
#include "planner/vrp.hpp"

#include <boost/dynamic_bitset.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

namespace sonae::planner::stages {

namespace {

constexpr std::int32_t kNoLegS = 100'000'000; // vehicle matrix: no leg (far beyond any window)
constexpr std::int64_t kVrpMaxIterations =
    20'000;                                     // vehicle tours: SISR iterations for small fleets
constexpr std::int64_t kVrpMinIterations = 500; // ... and at least this many for large ones
constexpr std::int64_t kVrpWork = 100'000;      // iterations x jobs budget between the two

/// What the tours of every fleet read.
struct TourInputs {
    const PlanContext& ctx;
    const NetworkAccess& access;
    const std::vector<ChildNeed>& needs;
    const std::vector<std::optional<std::size_t>>& facility_of;
};

/// One scheduling problem per group of vehicles and the children they carry: the tours of one
/// fleet and the children it carries. `own` (a worker's search state) computes the travel-time
/// matrix on the calling thread; without it the matrix rows run on every core.
vrp::Solution solve_tours(const TourInputs& in, const std::vector<Vehicle>& fleet,
                          const std::vector<std::size_t>& group, SearchScratch* own) {
    const auto& ctx = in.ctx;
    const auto& access = in.access;
    const auto& timing = default_timing();
    const auto& needs = in.needs;
    const auto& facility_of = in.facility_of;
    const auto& opt = ctx.options;
    const auto& children = ctx.children;
    const auto& facilities = ctx.facilities;
    const auto* net = access.network();
    const bool district = own != nullptr;
    // Locations: vehicle bases, then homes, then facilities (each once).
    std::vector<geo::LonLat> points;
    for (const auto& v : fleet) points.push_back(v.base);
    const std::size_t home0 = points.size();
    for (auto i : group) points.push_back(children[i].home);
    std::map<std::size_t, std::size_t> fac_loc;
    for (auto i : group) {
        if (!fac_loc.count(*facility_of[i])) {
            fac_loc[*facility_of[i]] = points.size();
            points.push_back(facilities[*facility_of[i]].position);
        }
    }
    const auto L = static_cast<std::int32_t>(points.size());
    vrp::Problem vp;
    vp.durations = vrp::Matrix(L);
    // The earliest moment a vehicle can leave each place (a base: when the vehicle is
    // available; a home: the earliest pickup + loading; a facility: the earliest pickup of a
    // child delivered there + loading).
    std::vector<std::int64_t> row_start_ms(static_cast<std::size_t>(L),
                                           std::numeric_limits<std::int64_t>::max());
    for (std::size_t k = 0; k < fleet.size(); ++k)
        row_start_ms[k] = fleet[k].available_from_s * 1000;
    for (std::size_t k = 0; k < group.size(); ++k) {
        const auto i = group[k];
        const auto ready_ms =
            (needs[i].earliest_departure_s + vehicle_loading_s(needs[i].preparation, timing)) *
            1000;
        row_start_ms[home0 + k] = ready_ms;
        auto& f = row_start_ms[fac_loc.at(*facility_of[i])];
        f = std::min(f, ready_ms);
    }
    // A leg that starts at night drives slower (data/timing.toml night.car_speed_factor, when
    // the manifest's t0_clock puts that start at night): each row is timed by its earliest
    // start, as its closures are. (The simulator slows a whole tour that leaves its base at
    // night.)
    std::vector<char> row_night(static_cast<std::size_t>(L), 0);
    for (std::size_t row = 0; row < row_night.size(); ++row) {
        row_night[row] =
            row_start_ms[row] != std::numeric_limits<std::int64_t>::max() &&
            is_night(ctx.scenario.manifest.timeline.t0_clock, row_start_ms[row] / 1000, timing);
    }
    const bool any_night = std::find(row_night.begin(), row_night.end(), 1) != row_night.end();
    if (net) {
        // Vehicles drive while the hazard spreads (issue 17, item 5): a leg closes a road only
        // from the time that leg would use it. Each row's search starts at the earliest moment
        // a vehicle can leave that place (a base: when the vehicle is available; a home: the
        // earliest pickup + loading; a facility: the earliest pickup of a child delivered
        // there + loading) and meets each road's closure when it gets there. Leaving later,
        // a leg may find more roads closed: the feasibility stage checks each child's own
        // trip from home at the planned pickup (latest safe departure). Edges closed before
        // any leg can start are left out of the reachability sweeps and the district's legs
        // via the base.
        const auto& mode = access.mode(opt.car_mode);
        const auto t_min_ms = *std::min_element(row_start_ms.begin(), row_start_ms.end());
        auto without_closed = [&](const std::vector<geo::Weight>& base) {
            auto w = base;
            for (std::size_t e = 0; e < w.size(); ++e) {
                if (mode.closures.closed_from_ms[e] <= t_min_ms) w[e] = geo::no_edge;
            }
            return w;
        };
        const auto weights = without_closed(mode.weights_ms);
        std::vector<geo::Weight> night_weights;
        if (any_night) {
            const auto first = static_cast<std::size_t>(
                std::find(row_night.begin(), row_night.end(), 1) - row_night.begin());
            night_weights =
                without_closed(access.weights(opt.car_mode, row_start_ms[first] / 1000));
        }
        std::vector<Access> acc;
        for (const auto& p : points) acc.push_back(access.access(opt.car_mode, p));
        // Which legs a tour can use. A tour leaves its base and comes back, so every
        // node on it is reachable from the base and can reach it again, counting
        // each stop as a link from the node where the vehicle joins the point to the
        // node where it leaves. A leg between places outside that set for every
        // base of the fleet is in no feasible tour: it is left unreachable without a
        // search. Without this, a place cut off by the water made every row's search
        // sweep the whole network (on a million nodes, the tours never finished).
        std::vector<std::pair<geo::NodeId, geo::NodeId>> stops;
        std::vector<geo::NodeId> place_nodes; // the sweeps stop once all are reached
        for (const auto& a : acc) {
            if (!a.ok) continue;
            stops.emplace_back(a.arrive_node, a.depart_node);
            place_nodes.push_back(a.arrive_node);
            place_nodes.push_back(a.depart_node);
        }
        std::vector<boost::dynamic_bitset<>> leave_ok(static_cast<std::size_t>(L),
                                                      boost::dynamic_bitset<>(fleet.size()));
        auto join_ok = leave_ok;
        for (std::size_t k = 0; k < fleet.size(); ++k) {
            if (!acc[k].ok) continue;
            const std::array<geo::NodeId, 1> from{acc[k].depart_node}, to{acc[k].arrive_node};
            const auto out = geo::reachable_nodes(access.travel().graph(), from, weights,
                                                  geo::Direction::forward, stops, place_nodes);
            const auto back = geo::reachable_nodes(access.travel().graph(), to, weights,
                                                   geo::Direction::backward, stops, place_nodes);
            for (std::size_t p = 0; p < points.size(); ++p) {
                if (!acc[p].ok) continue;
                const auto d = acc[p].depart_node.value(), r = acc[p].arrive_node.value();
                leave_ok[p][k] = out[d] && back[d];
                join_ok[p][k] = out[r] && back[r];
            }
        }
        auto seconds = [&](std::int32_t a, std::int32_t b, geo::Distance ms) {
            if (ms == geo::unreachable) return kNoLegS;
            return static_cast<std::int32_t>(std::min<std::int64_t>(
                (acc[a].leave_ms + ms + acc[b].join_ms + 999) / 1000, kNoLegS));
        };
        // A district's vehicle (one base, index 0) covers a large area with many
        // places, and a row's search to every one of them covers most of it. There,
        // each place gets exact times to its opt.district_neighbours nearest places (and a
        // home to its child's facility); the others are via the base, from the base
        // row and a backward search to the base: the time of a real drive, never
        // optimistic. Consecutive stops of a good tour are near each other.
        std::vector<std::int32_t> must(static_cast<std::size_t>(L), -1);
        for (std::size_t k = 0; k < group.size(); ++k) {
            must[home0 + k] = static_cast<std::int32_t>(fac_loc.at(*facility_of[group[k]]));
        }
        auto matrix_row = [&](SearchScratch& s, std::size_t row) {
            const auto a = static_cast<std::int32_t>(row);
            std::vector<std::int32_t> cols;
            std::vector<geo::NodeId> targets;
            for (std::int32_t b = 0; b < L; ++b) {
                if (b != a && leave_ok[row].intersects(join_ok[static_cast<std::size_t>(b)])) {
                    cols.push_back(b);
                    targets.push_back(acc[b].arrive_node);
                }
            }
            for (std::int32_t b = 0; b < L; ++b) vp.durations.set(a, b, a == b ? 0 : kNoLegS);
            if (cols.empty()) return;
            const auto start_ms = row_start_ms[row] + acc[a].leave_ms;
            const bool all = !district || a == 0;
            std::size_t found = 0;
            bool must_found = must[row] < 0;
            s.router->search_targets(
                acc[a].depart_node, start_ms, row_night[row] ? night_weights : weights,
                mode.closures.closed_from_ms, targets,
                [&](std::size_t k, geo::Distance arrival_ms) {
                    vp.durations.set(a, cols[k], seconds(a, cols[k], arrival_ms - start_ms));
                    must_found = must_found || cols[k] == must[row];
                    ++found;
                    return all ? found == targets.size()
                               : found >= opt.district_neighbours && must_found;
                });
        };
        std::vector<std::size_t> rows(static_cast<std::size_t>(L));
        std::iota(rows.begin(), rows.end(), std::size_t{0});
        rows = geo::in_space_order(std::move(rows), [&](std::size_t row) { return points[row]; });
        if (own) {
            for (const auto row : rows) matrix_row(*own, row);
        } else {
            for_each_item(ctx, access.graph(), rows, "vehicle tours", 0.7, 0.72, matrix_row);
        }
        if (district && acc[0].ok) {
            // Only places that can reach the base are searched for (one cut off by the
            // water would make the search sweep all the network it can reach).
            std::vector<geo::NodeId> sources;
            for (std::int32_t a = 0; a < L; ++a) {
                const bool reaches_base = acc[a].ok && leave_ok[static_cast<std::size_t>(a)][0];
                sources.push_back(reaches_base ? acc[a].depart_node : acc[0].arrive_node);
            }
            // At night speed if any leg starts at night (the safe side: never optimistic).
            const auto to_base = own->router->many_to_one(sources, acc[0].arrive_node,
                                                          any_night ? night_weights : weights);
            for (std::int32_t a = 1; a < L; ++a) {
                if (acc[a].ok && leave_ok[static_cast<std::size_t>(a)][0]) {
                    vp.durations.set(a, 0, seconds(a, 0, to_base(a)));
                }
            }
            for (std::int32_t a = 1; a < L; ++a) {
                for (std::int32_t b = 1; b < L; ++b) {
                    if (a == b || vp.durations.at(a, b) < kNoLegS) continue;
                    const std::int64_t via =
                        std::int64_t{vp.durations.at(a, 0)} + vp.durations.at(0, b);
                    if (via < kNoLegS) vp.durations.set(a, b, static_cast<std::int32_t>(via));
                }
            }
        }
    } else {
        for (std::int32_t a = 0; a < L; ++a) {
            for (std::int32_t b = 0; b < L; ++b) {
                const double d =
                    geo::haversine_m(points[a], points[b]) * opt.straight_line_circuity;
                const double kmh =
                    opt.straight_line_speed_kmh *
                    (row_night[static_cast<std::size_t>(a)] ? timing.night_car_speed_factor : 1.0);
                vp.durations.set(a, b, static_cast<std::int32_t>(std::ceil(d / (kmh / 3.6))));
            }
        }
    }
    vp.costs = vp.durations;
    for (std::size_t k = 0; k < fleet.size(); ++k) {
        const auto& v = fleet[k];
        vrp::Vehicle vv;
        vv.id = v.id;
        vv.start = vrp::LocationIndex(static_cast<std::int32_t>(k));
        vv.end = vv.start;
        vv.capacity = {v.seats, v.wheelchair_slots, v.stretcher_slots};
        if (v.nurse)
            vv.skills |= vrp::skill(vrp::Skill::nurse) | vrp::skill(vrp::Skill::certified_carer);
        if (v.carer) vv.skills |= vrp::skill(vrp::Skill::certified_carer);
        vv.availability = {v.available_from_s,
                           v.available_until_s < 0 ? ctx.horizon_s * 2 : v.available_until_s};
        vp.vehicles.push_back(vv);
    }
    for (std::size_t k = 0; k < group.size(); ++k) {
        const auto i = group[k];
        const auto& w = needs[i];
        const auto& c = children[i];
        vrp::Job job;
        job.id = c.id;
        job.kind = vrp::JobKind::pickup_delivery;
        job.pickup.location = vrp::LocationIndex(static_cast<std::int32_t>(home0 + k));
        // Loaded and gone before the hazard reaches the home (leave_by), when it does.
        const auto loading_s = vehicle_loading_s(
            w.preparation, timing); // steps.vehicle_loading, or the drill's loading_min
        job.pickup.window = {
            w.earliest_departure_s,
            w.deadlines.leave_by_s >= 0
                ? std::max(w.earliest_departure_s, w.deadlines.leave_by_s - loading_s)
                : ctx.horizon_s};
        job.pickup.service = loading_s; // the child and devices into the van
        job.delivery.location =
            vrp::LocationIndex(static_cast<std::int32_t>(fac_loc.at(*facility_of[i])));
        // A facility that opens after the child's deadline still has a window (the child
        // will be late, and the plan says so), never one that ends before it starts.
        const auto opens_s = facilities[*facility_of[i]].opening_delay_s;
        job.delivery.window = {opens_s, std::max({w.deadline_s, w.earliest_departure_s, opens_s})};
        job.delivery.service = static_cast<std::int64_t>(std::llround(timing.delivery_min * 60.0));
        job.demand = {1, c.mobility == Mobility::wheelchair ? 1 : 0,
                      c.mobility == Mobility::stretcher ? 1 : 0};
        if (rides_with_trained_helper(c, w)) {
            job.demand[0] = 2; // a trained parent or helper rides along instead of a nurse
        } else {
            if (w.needs.staff == StaffLevel::nurse) job.required |= vrp::skill(vrp::Skill::nurse);
            if (w.needs.staff == StaffLevel::carer)
                job.required |= vrp::skill(vrp::Skill::certified_carer);
        }
        if (w.needs.life_critical && w.needs.endurance_h > 0) {
            job.max_ride = static_cast<std::int64_t>(w.needs.endurance_h * 3600);
        }
        vp.jobs.push_back(job);
    }
    vrp::Options vo;
    vo.seed = ctx.scenario.manifest.seed;
    vo.time_limit_s = 0;
    // Iterations, not seconds: the same plan on any machine. Each iteration costs about
    // the number of jobs, so large fleets get fewer (bench/README.md "planner" measures
    // what that costs in served children and ride time).
    vo.iteration_limit = std::clamp<std::int64_t>(
        kVrpWork / static_cast<std::int64_t>(vp.jobs.size()), kVrpMinIterations, kVrpMaxIterations);
    return vrp::solve(vp, vo);
}

/// Writes a fleet's solution into the child plans (vehicle, pickup, arrival; a reason for a
/// child no vehicle could take) and the tours.
void apply_tours(const TourInputs& in, const std::vector<Vehicle>& fleet,
                 const std::vector<std::size_t>& group, const vrp::Solution& sol,
                 VehicleTours& out) {
    for (const auto& route : sol.routes) {
        const auto& v = fleet[static_cast<std::size_t>(route.vehicle.value())];
        VehicleTour tour;
        tour.vehicle_id = v.id;
        tour.vehicle_type = std::string(to_string(v.type));
        tour.stops.push_back({StopKind::depot, "", "", v.base, route.departure, route.departure});
        for (const auto& stop : route.stops) {
            const auto k = static_cast<std::size_t>(stop.job.value());
            const auto i = group[k];
            auto& cp = out.children[i];
            if (stop.is_pickup) {
                tour.stops.push_back({StopKind::pickup, cp.child_id, "", in.ctx.children[i].home,
                                      stop.arrival, stop.departure});
                cp.vehicle_id = v.id;
                cp.planned_departure_s = stop.departure;
            } else {
                tour.stops.push_back({StopKind::delivery, cp.child_id, cp.facility_id,
                                      in.ctx.facilities[*in.facility_of[i]].position, stop.arrival,
                                      stop.departure});
                cp.arrival_s = stop.arrival;
            }
        }
        tour.stops.push_back({StopKind::depot, "", "", v.base, route.arrival, route.arrival});
        out.tours.push_back(std::move(tour));
    }
    for (const auto& u : sol.unserved) {
        const auto i = group[static_cast<std::size_t>(u.job.value())];
        out.children[i].arrival_s = -1;
        out.children[i].reasons.push_back(
            "搬送車両の割り当てができない: " + std::string(vrp::label_ja(u.reason)) +
            " (vehicle: " + std::string(vrp::to_string(u.reason)) + ")");
    }
}

} // namespace

VehicleTours schedule_vehicles(const PlanContext& ctx, const NetworkAccess& access,
                               const std::vector<ChildNeed>& needs,
                               const std::vector<TransportChoice>& transport,
                               const Assignment& assignment, std::vector<ChildPlan> plans) {
    VehicleTours out;
    out.children = std::move(plans);
    const auto& opt = ctx.options;
    const auto& vehicles = ctx.scenario.vehicles;
    const std::size_t n = ctx.children.size();
    std::vector<std::optional<std::size_t>> facility_of(n);
    for (std::size_t i = 0; i < n; ++i) facility_of[i] = assignment.facility_of(i);
    const TourInputs in{ctx, access, needs, facility_of};
    ctx.report("vehicle tours", 0.7);
    std::vector<std::size_t> vehicle_children;
    for (std::size_t i = 0; i < n; ++i) {
        if (transport[i].kind == TransportKind::vehicle && facility_of[i])
            vehicle_children.push_back(i);
    }
    if (vehicle_children.empty()) return out;
    if (vehicles.empty()) {
        for (auto i : vehicle_children) {
            out.children[i].reasons.push_back(
                "搬送車両がシナリオにない (no vehicle in the scenario)");
            out.children[i].arrival_s = -1;
        }
        return out;
    }
    if (vehicles.size() + 2 * vehicle_children.size() <= opt.vrp_max_locations) {
        apply_tours(in, vehicles, vehicle_children,
                    solve_tours(in, vehicles, vehicle_children, nullptr), out);
    } else {
        out.warnings.push_back(
            "vehicle tours: " + std::to_string(vehicle_children.size()) +
            " children need a vehicle, more than one schedule can hold (vrp_max_locations " +
            std::to_string(opt.vrp_max_locations) +
            "): each vehicle was scheduled with the children nearest its base; between places that "
            "are not " +
            "among each other's " + std::to_string(opt.district_neighbours) +
            " nearest, tours were timed via the base (real drives, never optimistic, sometimes "
            "longer)");
        std::vector<std::vector<std::size_t>> groups(vehicles.size());
        // Too many places for one travel-time matrix (each row is a search over the
        // whole network): each child goes to the nearest vehicle that can carry it
        // (stretcher, wheelchair, nurse), and each vehicle is scheduled with its own
        // children, as municipalities assign vehicles by district.
        for (const auto i : vehicle_children) {
            const auto& c = ctx.children[i];
            auto can_carry = [&](const Vehicle& v) { return vehicle_can_carry(v, c, needs[i]); };
            std::optional<std::size_t> best;
            double best_m = 0.0;
            for (int pass = 0; pass < 2 && !best; ++pass) {
                for (std::size_t k = 0; k < vehicles.size(); ++k) {
                    if (pass == 0 && !can_carry(vehicles[k])) continue;
                    const double d = geo::haversine_m(c.home, vehicles[k].base);
                    if (!best || d < best_m) {
                        best = k;
                        best_m = d;
                    }
                }
            }
            groups[*best].push_back(i);
        }
        // Districts are independent: one per worker, each with its own matrix, then
        // written in vehicle order (the plan does not depend on the thread count).
        std::vector<std::size_t> busy;
        for (std::size_t k = 0; k < vehicles.size(); ++k) {
            if (!groups[k].empty()) busy.push_back(k);
        }
        // Largest districts first, so that no large one is left to run alone at the end.
        std::stable_sort(busy.begin(), busy.end(), [&](std::size_t a, std::size_t b) {
            return groups[a].size() > groups[b].size();
        });
        std::vector<vrp::Solution> solutions(vehicles.size());
        for_each_item(ctx, access.graph(), busy, "vehicle tours", 0.7, 0.75,
                      [&](SearchScratch& s, std::size_t k) {
                          solutions[k] = solve_tours(in, {vehicles[k]}, groups[k], &s);
                      });
        for (const auto k : busy) apply_tours(in, {vehicles[k]}, groups[k], solutions[k], out);
    }
    return out;
}

} // namespace sonae::planner::stages
