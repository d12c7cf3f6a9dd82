#include "planner/stages/transport.hpp"

#include "geo/road_network.hpp"

#include <algorithm>

namespace sonae::planner::stages {

std::vector<TransportChoice> choose_transport(const PlanContext& ctx) {
    ctx.report("transport", 0.15);
    const auto& opt = ctx.options;
    const auto& facilities = ctx.facilities;
    auto nearest_straight_m = [&](const Child& c) {
        double best = 1e18;
        for (const auto& f : facilities) {
            if (f.is(FacilityKind::welfare_shelter) || f.is(FacilityKind::hospital)) {
                best = std::min(best, geo::haversine_m(c.home, f.position));
            }
        }
        return best;
    };
    std::vector<TransportChoice> out(ctx.children.size());
    for (std::size_t i = 0; i < ctx.children.size(); ++i) {
        auto& w = out[i];
        const auto& c = ctx.children[i];
        const bool has_car = c.vehicle != HouseholdVehicle::none && c.helpers >= 1;
        const bool walkable = c.mobility != Mobility::stretcher &&
                              nearest_straight_m(c) * opt.straight_line_circuity <= opt.walk_max_m &&
                              c.helpers >= (c.mobility == Mobility::walks ? 1 : 2);
        if (c.mobility == Mobility::stretcher) {
            w.kind = TransportKind::vehicle;
            w.notes.push_back("ストレッチャーのため救急車など専用車両で搬送");
        } else if (has_car) {
            w.kind = TransportKind::family_car;
        } else if (walkable) {
            w.kind = TransportKind::walk;
        } else {
            w.kind = TransportKind::vehicle;
            w.notes.push_back(c.vehicle == HouseholdVehicle::none ? "家族の車がないため福祉車両で搬送"
                                                                  : "運転・介助できる人がいないため福祉車両で搬送");
        }
        w.mode = w.kind == TransportKind::walk
                     ? (c.mobility == Mobility::wheelchair ? opt.wheelchair_mode : opt.walk_mode)
                     : opt.car_mode;
    }
    return out;
}

} // namespace sonae::planner::stages
