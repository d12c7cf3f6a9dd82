#include "planner/stages/fallback.hpp"

#include "geo/road_network.hpp"
#include "planner/stages/candidates.hpp"
#include "planner/stages/workers.hpp"

#include <algorithm>
#include <utility>

namespace sonae::planner::stages {

std::vector<std::optional<std::size_t>>
find_fallbacks(const PlanContext& ctx, const NetworkAccess& access,
               const std::vector<ChildNeed>& needs, const std::vector<TransportChoice>& transport,
               const Assignment& assignment) {
    const auto& facilities = ctx.facilities;
    const auto& children = ctx.children;
    const auto* net = access.network();
    const std::size_t n = children.size();
    const std::size_t f_count = facilities.size();
    std::vector<std::optional<std::size_t>> fallback(n);
    std::vector<std::size_t> unplaced;
    for (std::size_t i = 0; i < n; ++i) {
        if (!assignment.flow.supply_of[i]) unplaced.push_back(i);
    }
    // Its own A* potential: the nearest hospital or powered facility, per mode in use.
    const Potentials fallback_potential =
        access.nearest_facility_times(modes_of(transport, unplaced), [&](std::size_t j) {
            return facilities[j].is(FacilityKind::hospital) || facilities[j].has_power();
        });
    for_each_child(
        ctx, access.graph(), unplaced, "assignment", 0.55, 0.6,
        [&](SearchScratch& s, std::size_t i) {
            const auto& c = children[i];
            std::optional<std::size_t> hospital, powered;
            auto consider = [&](std::size_t j) {
                if (facilities[j].is(FacilityKind::hospital)) {
                    if (!hospital) hospital = j;
                } else if (facilities[j].has_power() && !powered) {
                    powered = j;
                }
                return hospital.has_value();
            };
            if (!net) {
                std::vector<std::pair<double, std::size_t>> by_distance;
                for (std::size_t j = 0; j < f_count; ++j)
                    by_distance.emplace_back(geo::haversine_m(c.home, facilities[j].position), j);
                std::sort(by_distance.begin(), by_distance.end());
                for (const auto& [d, j] : by_distance) {
                    if (consider(j)) break;
                }
            } else {
                const auto& mode_name = transport[i].mode;
                const auto& mode = access.mode(mode_name);
                const auto home = access.access(mode_name, c.home);
                if (!home.ok) return;
                const auto& acc = access.facilities(mode_name);
                std::vector<geo::NodeId> nodes;
                std::vector<std::size_t> which;
                for (std::size_t j = 0; j < f_count; ++j) {
                    if (!acc[j].ok) continue;
                    if (!facilities[j].is(FacilityKind::hospital) && !facilities[j].has_power())
                        continue;
                    nodes.push_back(acc[j].arrive_node);
                    which.push_back(j);
                }
                if (nodes.empty()) return;
                s.router->search_targets(
                    home.depart_node, needs[i].earliest_departure_s * 1000 + home.leave_ms,
                    access.weights(mode_name, needs[i].earliest_departure_s),
                    mode.closures.closed_from_ms, nodes,
                    [&](std::size_t k, geo::Distance) { return consider(which[k]); },
                    potential_in(fallback_potential, mode_name), mode.arrival_closing_ms);
            }
            fallback[i] = hospital ? hospital : powered;
        });
    return fallback;
}

} // namespace sonae::planner::stages
