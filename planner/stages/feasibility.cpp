#include "planner/stages/feasibility.hpp"

#include "core/time_text.hpp"
#include "planner/safe_departure.hpp"
#include "planner/stages/workers.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

namespace sonae::planner::stages {

namespace {

std::string hazard_label(const std::string& kind) {
    if (kind == "flood") return "洪水";
    if (kind == "tsunami") return "津波";
    if (kind == "landslide") return "土砂災害";
    if (kind == "storm_surge") return "高潮";
    return kind;
}

const Facility* facility_by_id(const PlanContext& ctx, const std::string& id) {
    const auto it =
        std::lower_bound(ctx.facilities.begin(), ctx.facilities.end(), id,
                         [](const Facility& f, const std::string& v) { return f.id < v; });
    return it != ctx.facilities.end() && it->id == id ? &*it : nullptr;
}

/// A vehicle outlet that covers the child's essential load: power from boarding.
bool outlet_covers(const PlanContext& ctx, const ChildPlan& cp, const ChildNeed& w) {
    if (cp.transport != TransportKind::vehicle || cp.vehicle_id.empty() || !w.connects)
        return false;
    for (const auto& v : ctx.scenario.vehicles) {
        if (v.id == cp.vehicle_id) return v.outlet_w > 0 && v.outlet_w >= w.needs.essential_peak_w;
    }
    return false;
}

} // namespace

std::vector<ChildPlan> judge_feasibility(const PlanContext& ctx, const NetworkAccess& access,
                                         const std::vector<ChildNeed>& needs,
                                         const std::vector<TransportChoice>& transport,
                                         const Potentials& potential,
                                         std::vector<ChildPlan> plans) {
    ctx.report("feasibility", 0.85);
    const auto& timing = default_timing();
    const auto* net = access.network();
    const std::size_t n = plans.size();

    // The latest safe departure of every child who travels (usually one or two searches per
    // child, on every core).
    std::vector<std::optional<SafeDeparture>> safe(n);
    std::vector<std::size_t> travellers;
    for (std::size_t i = 0; i < n; ++i) {
        if (!plans[i].facility_id.empty() && plans[i].arrival_s >= 0) travellers.push_back(i);
        // A child who stays: how late the family can still leave for the fallback destination.
        if (needs[i].stays && !plans[i].fallback_facility_id.empty() && net)
            travellers.push_back(i);
    }
    auto arrival_deadline = [&](std::size_t i) -> std::int64_t {
        // On power from boarding a vehicle with an outlet: the trip has no arrival deadline.
        if (needs[i].deadlines.arrive_by_s < 0 || outlet_covers(ctx, plans[i], needs[i])) return -1;
        return needs[i].deadline_s; // arrive_by - transfer - connection
    };
    auto cap_of = [&](std::size_t i) {
        return needs[i].deadlines.leave_by_s >= 0 ? needs[i].deadlines.leave_by_s : ctx.horizon_s;
    };
    // The mode of the trip: the planned one, or for a child who stays the family's own way to
    // the fallback destination.
    auto mode_of = [&](std::size_t i) -> const std::string& {
        const auto& c = ctx.children[i];
        return !needs[i].stays                       ? transport[i].mode
               : c.vehicle != HouseholdVehicle::none ? ctx.options.car_mode
               : c.mobility == Mobility::wheelchair  ? ctx.options.wheelchair_mode
                                                     : ctx.options.walk_mode;
    };
    // The straight-line A* bound of each set of weights the probes use (one per mode, and the
    // car's at night), made once here.
    std::map<const geo::Weight*, geo::StraightLineBound> lines;
    if (net) {
        for (const auto i : travellers) {
            const auto& w = access.weights_within(mode_of(i), 0, cap_of(i));
            if (!lines.count(w.data())) lines[w.data()] = geo::straight_line_bound(*net, w);
        }
    }
    for_each_child(
        ctx, access.graph(), travellers, "feasibility", 0.85, 0.88,
        [&](SearchScratch& s, std::size_t i) {
            const auto& cp = plans[i];
            const auto* f =
                facility_by_id(ctx, needs[i].stays ? cp.fallback_facility_id : cp.facility_id);
            if (f == nullptr) return;
            const auto by = arrival_deadline(i);
            SafeDeparture r;
            if (by >= 0 && f->opening_delay_s > by) {
                safe[i] =
                    r; // the facility opens too late for the power deadline: no departure is safe
                return;
            }
            if (!net) {
                // Straight-line mode: the travel time does not depend on the departure.
                const auto travel = cp.primary ? cp.primary->travel_s : 0;
                const auto latest = by >= 0 ? std::min(cap_of(i), by - travel) : cap_of(i);
                if (latest >= 0) r.latest_s = latest;
                r.at_cap = latest == cap_of(i);
                safe[i] = r;
                return;
            }
            const auto& mode_name = mode_of(i);
            SafeDepartureQuery q;
            q.mode = &access.mode(mode_name);
            q.home = access.access(mode_name, ctx.children[i].home);
            q.facility = access.access(mode_name, f->position);
            q.earliest_s = 0;
            q.cap_s = cap_of(i);
            q.arrive_by_s = by;
            // A car that may set off at night is timed at night speed (the safe side).
            q.weights = access.weights_within(mode_name, q.earliest_s, q.cap_s);
            q.potential = potential_in(potential, mode_name);
            q.line = lines.at(q.weights.data());
            safe[i] = latest_safe_departure(*s.router, q);
        });

    for (std::size_t i = 0; i < n; ++i) {
        auto& cp = plans[i];
        const auto& w = needs[i];
        if (w.stays) {
            cp.status = Feasibility::on_time;
            cp.margin_s = 0;
            if (const auto& sd = safe[i]; sd && sd->latest_s && !sd->at_cap) {
                cp.latest_safe_departure_s = *sd->latest_s;
                cp.reasons.push_back(
                    "やむを得ず移動するなら発令から" + core::duration_ja(*sd->latest_s) +
                    "後までに出発する（それより後は道路が通れない、または電源に間に合わない）");
            } else if (sd && !sd->latest_s) {
                cp.reasons.push_back(
                    "代わりの行き先へ安全に移動できる時刻がない: 自宅で備えを厚くする");
            }
            continue;
        }
        if (cp.facility_id.empty() || cp.arrival_s < 0) {
            cp.status = Feasibility::cannot_serve;
            cp.outcome = Outcome::cannot_serve;
            cp.transport = cp.facility_id.empty() ? TransportKind::none : cp.transport;
            cp.margin_s = 0;
            continue;
        }
        const auto* f = facility_by_id(ctx, cp.facility_id);
        const auto opens_s = f != nullptr ? f->opening_delay_s : 0;
        if (cp.transport == TransportKind::vehicle) {
            cp.steps.loading_s = vehicle_loading_s(
                w.preparation, timing); // steps.vehicle_loading, or the drill's loading_min
        }
        const bool on_board = outlet_covers(ctx, cp, w);
        cp.on_power_s = on_board ? cp.planned_departure_s
                                 : on_power_s(cp.arrival_s, opens_s, w.connects,
                                              connect_s(w.preparation, timing));
        // The margin: the smallest slack among the deadlines that exist.
        const auto dep = cp.planned_departure_s;
        std::optional<std::int64_t> margin;
        auto consider = [&](std::int64_t slack, Binding b) {
            if (!margin || slack < *margin) {
                margin = slack;
                cp.binding = b;
            }
        };
        if (w.deadlines.leave_by_s >= 0) consider(w.deadlines.leave_by_s - dep, Binding::leave_by);
        if (w.deadlines.arrive_by_s >= 0)
            consider(w.deadlines.arrive_by_s - cp.on_power_s, Binding::arrive_by);
        const auto& sd = safe[i];
        bool no_safe_departure = false;
        if (sd && sd->latest_s) {
            if (!sd->at_cap || w.deadlines.leave_by_s >= 0)
                cp.latest_safe_departure_s = *sd->latest_s;
            if (!sd->at_cap) consider(*sd->latest_s - dep, Binding::route);
        } else if (sd) {
            no_safe_departure = true;
        }
        if (!margin) {
            cp.binding = Binding::none;
            margin = ctx.horizon_s - cp.on_power_s;
        }
        cp.margin_s = *margin;
        if (no_safe_departure && cp.margin_s >= 0) cp.margin_s = -1;
        if (cp.margin_s < 0) {
            cp.status = Feasibility::cannot_serve;
            cp.outcome = Outcome::cannot_serve;
            const auto late = core::duration_ja(-cp.margin_s);
            switch (cp.binding) {
            case Binding::leave_by:
                cp.reasons.push_back("自宅に危険が及ぶ前に出発できない: " + late +
                                     "遅れ (cannot leave before the hazard reaches the home)");
                break;
            case Binding::arrive_by:
                cp.reasons.push_back("バッテリー・酸素が尽きる前に電源に着けない: " + late +
                                     "遅れ (not on power before the battery or oxygen runs out)");
                break;
            case Binding::route:
            case Binding::none:
                cp.reasons.push_back("避難路が通れなくなる前に出発できない: " + late +
                                     "遅れ (the last road out closes first)");
                break;
            }
            if (no_safe_departure) {
                cp.reasons.push_back("安全に出発できる時刻がない (no departure time is safe: the "
                                     "facility opens too late or the roads close first)");
            }
        } else if (cp.margin_s < ctx.at_risk_threshold_s && cp.binding != Binding::none) {
            cp.status = Feasibility::at_risk;
            cp.outcome = Outcome::evacuate;
            cp.reasons.push_back("余裕が" + core::duration_ja(cp.margin_s) + "しかない（" +
                                 std::string(label_ja(cp.binding)) +
                                 "まで） (margin under the threshold)");
        } else {
            cp.status = Feasibility::on_time;
            cp.outcome = Outcome::evacuate;
        }
        if (w.hazard_at_home_s >= 0) {
            cp.reasons.push_back("自宅は" + hazard_label(w.hazard_at_home_kind) + "の想定区域内: " +
                                 core::duration_ja(w.hazard_at_home_s) + "後までに出発");
        }
        if (on_board)
            cp.reasons.push_back("車両のコンセントで移動中も給電 (the vehicle's outlet powers the "
                                 "devices on board)");
        // When to set off (DOMAIN.md section 7 alerts).
        const auto& m = ctx.scenario.manifest;
        if (m.hazard_kind == "tsunami" || m.hazard_kind == "earthquake") {
            // Outside the alert-level scale (DOMAIN.md section 7): t0 is the quake, the family
            // decides when the shaking stops (decision_min) and leaves as soon as it is packed;
            // there is no level 3 to wait for, and level4_min is not used.
            cp.alert = "immediate";
            cp.reasons.push_back(m.hazard_kind == "tsunami"
                                     ? "津波: 揺れがおさまったらすぐ出発（警戒レベル3を待たない）"
                                     : "地震: 揺れがおさまったらすぐ出発（警戒レベル3を待たない）");
        } else if (m.timeline.level4_min >= 0 && cp.status != Feasibility::cannot_serve) {
            const auto level4_s =
                static_cast<std::int64_t>(std::llround(m.timeline.level4_min * 60.0));
            const auto wait_s = std::max<std::int64_t>(0, level4_s - cp.steps.decision_s);
            const auto margin_if_waiting =
                cp.binding == Binding::none ? cp.margin_s : cp.margin_s - wait_s;
            if (margin_if_waiting >= ctx.at_risk_threshold_s) {
                cp.alert = "level4";
                cp.reasons.push_back("警戒レベル4（避難指示）まで待っても間に合う（そのときの余裕" +
                                     core::duration_ja(margin_if_waiting) +
                                     "）。早めの避難がより安全");
            } else {
                cp.alert = "level3";
                cp.reasons.push_back(
                    "警戒レベル3（高齢者等避難）で出発する: レベル4まで待つと余裕が" +
                    core::duration_ja(margin_if_waiting) + "になる");
            }
        }
    }
    return plans;
}

} // namespace sonae::planner::stages
