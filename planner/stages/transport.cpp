#include "planner/stages/transport.hpp"

#include "geo/road_network.hpp"
#include "planner/stages/workers.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace sonae::planner::stages {

bool rides_with_trained_helper(const Child& c, const ChildNeed& w) {
    return c.trained_helpers >= 1 && w.needs.staff != StaffLevel::family;
}

bool vehicle_can_carry(const Vehicle& v, const Child& c, const ChildNeed& w) {
    if (c.mobility == Mobility::stretcher && v.stretcher_slots == 0) return false;
    if (c.mobility == Mobility::wheelchair && v.wheelchair_slots == 0) return false;
    if (w.needs.staff == StaffLevel::nurse && !v.nurse && !rides_with_trained_helper(c, w))
        return false;
    return true;
}

bool airway_device_child(const Child& child, const ChildNeeds& needs) {
    return needs.needs_ventilator || child.has_device("vent") || child.has_device("cpap");
}

std::vector<TransportChoice> choose_transport(const PlanContext& ctx, const NetworkAccess& access,
                                              const std::vector<ChildNeed>& needs,
                                              const Compatibility& compatibility) {
    ctx.report("transport", 0.15);
    const auto& opt = ctx.options;
    const auto& facilities = ctx.facilities;
    const auto& children = ctx.children;
    const std::size_t n = children.size();
    const auto* net = access.network();
    std::vector<TransportChoice> out(n);
    auto walk_mode_of = [&](const Child& c) {
        return c.mobility == Mobility::wheelchair ? opt.wheelchair_mode : opt.walk_mode;
    };
    // Who could go on foot if the way is short enough: not a stretcher, enough helpers, and no
    // household car the family can use.
    std::vector<bool> has_car(n), may_walk(n);
    std::vector<std::size_t> walkers;
    for (std::size_t i = 0; i < n; ++i) {
        const auto& c = children[i];
        const int drivers_needed =
            airway_device_child(c, needs[i].needs) ? 2 : 1; // a driver and a carer
        has_car[i] = c.vehicle != HouseholdVehicle::none && c.helpers >= drivers_needed;
        may_walk[i] = !needs[i].stays && c.mobility != Mobility::stretcher && !has_car[i] &&
                      c.helpers >= (c.mobility == Mobility::walks ? 1 : 2);
        if (may_walk[i]) walkers.push_back(i);
    }
    // The distance on foot to the nearest compatible facility (by time in the walking mode).
    std::vector<double> walk_m(n, std::numeric_limits<double>::infinity());
    if (net) {
        for_each_child(
            ctx, access.graph(), walkers, "transport", 0.15, 0.18,
            [&](SearchScratch& s, std::size_t i) {
                const auto& c = children[i];
                const auto mode_name = walk_mode_of(c);
                const auto& mode = access.mode(mode_name);
                const auto home = access.access(mode_name, c.home);
                if (!home.ok) return;
                const auto& acc = access.facilities(mode_name);
                std::vector<geo::NodeId> nodes;
                std::vector<std::size_t> which;
                for (std::size_t j = 0; j < facilities.size(); ++j) {
                    if (acc[j].ok && compatibility.why_not(needs[i].needs, j) == Why::ok) {
                        nodes.push_back(acc[j].arrive_node);
                        which.push_back(j);
                    }
                }
                if (nodes.empty()) return;
                std::optional<std::size_t> first;
                s.router->search_targets(
                    home.depart_node, needs[i].earliest_departure_s * 1000 + home.leave_ms,
                    mode.weights_ms, mode.closures.closed_from_ms, nodes,
                    [&](std::size_t k, geo::Distance) {
                        first = k;
                        return true;
                    },
                    {}, mode.arrival_closing_ms);
                if (!first) return;
                const auto path = s.router->last_tree().path(nodes[*first]);
                if (!path) return;
                walk_m[i] = geo::path_length_m(*net, *path) + home.distance_m +
                            acc[which[*first]].distance_m;
            });
    } else {
        for (const auto i : walkers) {
            for (std::size_t j = 0; j < facilities.size(); ++j) {
                if (compatibility.why_not(needs[i].needs, j) != Why::ok) continue;
                walk_m[i] =
                    std::min(walk_m[i], geo::haversine_m(children[i].home, facilities[j].position) *
                                            opt.straight_line_circuity);
            }
        }
    }
    for (std::size_t i = 0; i < n; ++i) {
        auto& w = out[i];
        const auto& c = children[i];
        const bool walkable = may_walk[i] && walk_m[i] <= opt.walk_max_m;
        if (needs[i].stays) {
            w.kind = TransportKind::none;
        } else if (c.mobility == Mobility::stretcher) {
            w.kind = TransportKind::vehicle;
            w.notes.push_back("ストレッチャーのため救急車など専用車両で搬送");
        } else if (has_car[i]) {
            w.kind = TransportKind::family_car;
        } else if (walkable) {
            w.kind = TransportKind::walk;
        } else {
            w.kind = TransportKind::vehicle;
            if (c.vehicle == HouseholdVehicle::none) {
                w.notes.push_back("家族の車がないため福祉車両で搬送");
            } else if (airway_device_child(c, needs[i].needs) && c.helpers == 1) {
                w.notes.push_back("人工呼吸器・CPAPの子を家族の車で運ぶには運転する人と付き添う人の"
                                  "2人が必要なため福祉車両で搬送");
            } else {
                w.notes.push_back("運転・介助できる人がいないため福祉車両で搬送");
            }
            if (may_walk[i] && std::isfinite(walk_m[i])) {
                w.notes.push_back(
                    "徒歩では最寄りの受入先まで道のりで約" +
                    std::to_string(static_cast<long long>(std::lround(walk_m[i]))) +
                    "m（徒歩の上限" +
                    std::to_string(static_cast<long long>(std::lround(opt.walk_max_m))) + "m）");
            }
        }
        w.mode = w.kind == TransportKind::walk ? walk_mode_of(c) : opt.car_mode;
    }
    return out;
}

} // namespace sonae::planner::stages
