#include "planner/stages/child_plans.hpp"

#include "core/time_text.hpp"
#include "planner/geocoder.hpp"
#include "planner/municipality.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <string>

namespace sonae::planner::stages {

std::vector<ChildPlan> child_plans(const PlanContext& ctx, const NetworkAccess& access,
                                   const std::vector<ChildNeed>& needs,
                                   const std::vector<TransportChoice>& transport,
                                   const Compatibility& compatibility, const Assignment& assignment,
                                   const std::vector<std::optional<std::size_t>>& fallback) {
    ctx.report("routes", 0.6);
    const auto& facilities = ctx.facilities;
    const std::size_t n = ctx.children.size();
    // How far each facility lies off the land of the bundled outlines, where it is beyond what
    // their simplification explains (kOffLandToleranceM): a hospital in the sea still received
    // a ventilator child with nothing said beside the child (issue 24 item 3).
    std::vector<std::optional<double>> off_land(facilities.size());
    for (std::size_t j = 0; j < facilities.size(); ++j) {
        if (const auto off = metres_off_land(facilities[j].position);
            off && *off > kOffLandToleranceM)
            off_land[j] = *off;
    }
    const std::size_t f_count = facilities.size();
    std::vector<ChildPlan> plans(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto& w = needs[i];
        const auto& cands = assignment.candidates[i];
        const auto& c = ctx.children[i];
        auto& cp = plans[i];
        cp.child_id = c.id;
        cp.municipality_code = c.municipality_code;
        cp.home = c.home;
        if (c.home_precision) cp.home_precision = std::string(to_string(*c.home_precision));
        cp.mobility = c.mobility;
        for (const auto item : c.care_items) cp.care_items.emplace_back(info(item).code);
        cp.power = to_child_power(w.needs, c);
        cp.transport = transport[i].kind;
        cp.hazard_at_home_s = w.hazard_at_home_s;
        cp.mains_lost_s = ctx.mains_lost_s;
        cp.earliest_departure_s = w.earliest_departure_s;
        cp.planned_departure_s = w.earliest_departure_s;
        cp.leave_by_s = w.deadlines.leave_by_s;
        cp.arrive_by_s = w.deadlines.arrive_by_s;
        cp.steps.decision_s = w.preparation.decision_s;
        cp.steps.packing_s = w.preparation.packing_s;
        cp.steps.stairs_s = w.preparation.stairs_s;
        cp.steps.recorded = w.preparation.recorded;
        cp.steps.night = w.preparation.night;
        const auto& timing = default_timing();
        if (w.connects && w.preparation.recorded_connect_s) {
            // The drill timed arrival to power as one stretch (the registry's connect_min).
            cp.steps.connection_s = *w.preparation.recorded_connect_s;
        } else if (w.connects) {
            cp.steps.transfer_s =
                static_cast<std::int64_t>(std::llround(timing.transfer_to_power_min * 60.0));
            cp.steps.connection_s =
                static_cast<std::int64_t>(std::llround(timing.connection_min * 60.0));
        }
        // A home the loader found off the land (in the sea?) is planned as given, and said
        // beside the child (plan.csv's 理由・注意), not only among the warnings (issue 24 item 3).
        if (c.home_off_land_m) {
            // To 10 m (at least 10): the outline itself is 100 m-1 km off in places.
            const auto metres =
                std::max<long long>(10, std::llround(*c.home_off_land_m / 10.0) * 10);
            cp.reasons.push_back("自宅の位置が地図の陸地から約" + std::to_string(metres) +
                                 " m離れています（海上か、座標の誤り？）。" +
                                 std::string(kCheckHomeOnMap) +
                                 " (the home lies off the land: in the sea?)");
        }
        for (const auto& note : w.preparation.notes) cp.reasons.push_back(note);
        if (w.stays) {
            // 在宅避難: the conditions, and where to go if the family must leave after all.
            cp.outcome = Outcome::shelter_in_place;
            cp.transport = TransportKind::none;
            for (const auto& note : w.stay_conditions) cp.reasons.push_back(note);
            if (fallback[i]) {
                cp.fallback_facility_id = facilities[*fallback[i]].id;
                cp.reasons.push_back("やむを得ず移動するときの行き先 (if the family must leave): " +
                                     facilities[*fallback[i]].name);
            }
            continue;
        }
        cp.outcome = Outcome::evacuate;
        for (const auto& note : transport[i].notes) cp.reasons.push_back(note);
        auto minutes_of = [](std::int64_t s) {
            return std::to_string(static_cast<long long>(std::llround(s / 60.0)));
        };
        if (w.preparation.recorded_loading_s) {
            cp.reasons.push_back(
                cp.transport == TransportKind::vehicle
                    ? "送迎車両への乗車は訓練の記録 " +
                          minutes_of(*w.preparation.recorded_loading_s) + "分"
                    : std::string("訓練の乗車時間 (loading_min) は送迎車両への乗車にだけ使う: "
                                  "家族の車・徒歩では準備時間 (packing_min) に含める"));
        }
        if (w.connects && w.preparation.recorded_connect_s) {
            cp.reasons.push_back("到着から電源接続までは訓練の記録 " +
                                 minutes_of(*w.preparation.recorded_connect_s) + "分");
        }
        if (access.network() && !cands.home_on_network) {
            cp.reasons.push_back(
                "自宅が通行できる道路から" +
                std::to_string(static_cast<int>(ctx.options.max_snap_m)) +
                "m以上離れている (home is farther than the snap limit from a usable road)");
        }

        if (const auto j = assignment.facility_of(i)) {
            const auto travel = cands.travel_to(*j);
            cp.facility_id = facilities[*j].id;
            if (off_land[*j]) {
                cp.reasons.push_back(
                    "避難先（" + facilities[*j].name + "）の位置が地図の陸地から約" +
                    std::to_string(std::llround(*off_land[*j] / 10.0) * 10) +
                    " m離れています（海上か、座標の誤り？）: 施設の位置を地図で確認してください "
                    "(the facility lies off the land: in the sea?)");
            }
            cp.arrival_s = open_by(facilities[*j], w.earliest_departure_s + travel);
            if (cp.arrival_s > w.earliest_departure_s + travel) {
                cp.reasons.push_back("施設の開設（" +
                                     core::duration_ja(facilities[*j].opening_delay_s) +
                                     "後）を待つ");
            }
        } else {
            // Explain: count what ruled each facility out (the first reason that applies).
            std::map<Why, int> why;
            for (std::size_t j = 0; j < f_count; ++j) {
                Why r = compatibility.why_not(w.needs, j);
                if (r == Why::ok) {
                    if (cands.travel_to(j) >= 0)
                        r = Why::capacity;
                    else if (cands.extended)
                        r = std::binary_search(cands.extension.begin(), cands.extension.end(), j)
                                ? Why::unreachable
                                : Why::capacity;
                    else
                        r = cands.searched_all ? Why::unreachable : Why::farther;
                }
                why[r]++;
            }
            std::vector<std::string> parts;
            for (const auto& [k, count] : why)
                parts.push_back(std::string(why_text(k)) + " " + std::to_string(count) + "か所");
            cp.reasons.push_back("受け入れ可能な施設がない (no compatible facility): " +
                                 join(parts, "、"));
            if (fallback[i]) {
                cp.fallback_facility_id = facilities[*fallback[i]].id;
                cp.reasons.push_back("代替先 (fallback): " + facilities[*fallback[i]].name);
            }
        }
    }
    return plans;
}

} // namespace sonae::planner::stages
