#include "planner/stages/routes.hpp"

#include "geo/road_network.hpp"
#include "geo/routing.hpp"
#include "planner/stages/workers.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <span>

namespace sonae::planner::stages {

std::vector<ChildPlan> plan_routes(const PlanContext& ctx, const NetworkAccess& access,
                                   const std::vector<TransportChoice>& transport,
                                   const Assignment& assignment, const Potentials& potential,
                                   std::vector<ChildPlan> plans) {
    const auto& opt = ctx.options;
    const auto& children = ctx.children;
    const auto& facilities = ctx.facilities;
    const auto* net = access.network();
    const auto& hazards = ctx.scenario.hazards;
    const std::size_t n = children.size();
    // Routes for each child who travels, at the planned departure.
    std::vector<std::size_t> travellers;
    for (std::size_t i = 0; i < n; ++i) {
        if (assignment.facility_of(i) && plans[i].arrival_s >= 0) travellers.push_back(i);
    }
    for_each_child(
        ctx, access.graph(), travellers, "routes", 0.75, 0.85,
        [&](SearchScratch& scratch, std::size_t i) {
            auto& cp = plans[i];
            const auto j = *assignment.facility_of(i);
            const auto& mode_name = transport[i].mode;
            if (!net) {
                PlannedRoute r;
                r.mode = opt.travel_mode(mode_name);
                r.depart_s = cp.planned_departure_s;
                r.geometry = {children[i].home, facilities[j].position};
                r.length_m = geo::haversine_m(children[i].home, facilities[j].position) *
                             opt.straight_line_circuity;
                r.travel_s = assignment.candidates[i].travel_to(j);
                cp.primary = r;
                return;
            }
            const auto& mode = access.mode(mode_name);
            const auto home = access.access(mode_name, children[i].home);
            const auto& fa = access.facilities(mode_name)[j];
            const auto dep_ms = cp.planned_departure_s * 1000 + home.leave_ms;
            // A car that sets off at night drives slower (NetworkAccess::weights).
            const auto& base = access.weights(mode_name, cp.planned_departure_s);
            const bool night = &base != &mode.weights_ms;
            auto make = [&](std::span<const geo::Weight> weights) -> std::optional<PlannedRoute> {
                // The nearest-facility potential is a lower bound to this facility too (it is
                // among the potential's roots), and the alternate's dearer weights keep it one.
                const auto route = scratch.router->earliest_arrival(
                    home.depart_node, fa.arrive_node, dep_ms, weights, mode.closures.closed_from_ms,
                    potential_in(potential, mode_name));
                if (!route) return std::nullopt;
                PlannedRoute r;
                r.mode = opt.travel_mode(mode_name);
                r.depart_s = cp.planned_departure_s;
                r.edges = route->edges;
                r.geometry = geo::path_geometry(*net, route->edges);
                r.geometry.insert(r.geometry.begin(), children[i].home);
                r.geometry.push_back(facilities[j].position);
                r.length_m =
                    geo::path_length_m(*net, route->edges) + home.distance_m + fa.distance_m;
                std::int64_t t_ms = home.leave_ms + fa.join_ms;
                for (const auto e : route->edges) t_ms += base[e.value()];
                r.travel_s = (t_ms + 999) / 1000;
                r.uses_hazard_closures = !hazards.empty();
                return r;
            };
            cp.primary = make(base);
            if (cp.primary && transport[i].kind != TransportKind::vehicle) {
                cp.arrival_s = std::max(cp.planned_departure_s + cp.primary->travel_s,
                                        facilities[j].opening_delay_s);
            }
            if (cp.primary && !cp.primary->edges.empty()) {
                // Alternate: the primary's edges (both directions) cost five times as much. The
                // thread's copy of the weights is changed on those edges only and put back after.
                auto& weights = scratch.weights_of(night ? mode.name + "@night" : mode.name, base);
                std::set<geo::EdgeId> used(cp.primary->edges.begin(), cp.primary->edges.end());
                for (const auto e : cp.primary->edges) {
                    if (auto rev = net->find_edge(net->head(e), net->tail(e))) used.insert(*rev);
                }
                for (const auto e : used) {
                    auto& w = weights[e.value()];
                    if (w != geo::no_edge)
                        w = static_cast<geo::Weight>(
                            std::min<std::uint64_t>(w * 5ull, geo::no_edge - 1));
                }
                auto alt = make(weights);
                for (const auto e : used) weights[e.value()] = base[e.value()];
                if (alt) {
                    double shared = 0.0;
                    for (const auto e : alt->edges) {
                        if (used.count(e)) shared += net->length_m(e);
                    }
                    alt->overlap_with_primary =
                        cp.primary->length_m > 0 ? shared / cp.primary->length_m : 1.0;
                    // Recompute its real travel time (without the penalty).
                    std::int64_t t_ms = home.leave_ms + fa.join_ms;
                    for (const auto e : alt->edges) t_ms += base[e.value()];
                    alt->travel_s = (t_ms + 999) / 1000;
                    if (alt->overlap_with_primary < 0.7) cp.alternate = std::move(alt);
                }
                if (!cp.alternate) {
                    cp.reasons.push_back(
                        "はっきり異なる別ルートがない (no clearly different alternate route)");
                }
            }
        });
    return plans;
}

} // namespace sonae::planner::stages
