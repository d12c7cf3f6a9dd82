#include "planner/stages/needs.hpp"

#include "core/time_text.hpp"
#include "planner/clock.hpp"
#include "planner/planner.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace sonae::planner {

std::int64_t packing_s(Mobility mobility) {
    // data/timing.toml [packing]: the base by mobility (DOMAIN.md section 4, est.); the plan's
    // preparation adds devices, cylinders, helpers, stairs and night (planner/timing.hpp).
    return static_cast<std::int64_t>(
        std::llround(default_timing().packing_min[static_cast<std::size_t>(mobility)] * 60.0));
}

} // namespace sonae::planner

namespace sonae::planner::stages {

namespace {

std::string hours_text(double h) {
    std::ostringstream out;
    out << static_cast<long long>(std::floor(h)) << "時間";
    return out.str();
}

/// The conditions under which a child may stay home: what keeps the devices running, the fuel
/// to hold, and when to leave after all (the fallback destination is added by child_plans).
std::vector<std::string> stay_conditions(const Child& c, const ChildNeed& w, const PlanContext& ctx,
                                         const PowerOptions& power) {
    std::vector<std::string> out;
    const auto horizon_h = static_cast<double>(ctx.horizon_s) / 3600.0;
    out.push_back("在宅避難（自宅にとどまる）: 自宅はこの想定の浸水・危険区域の外 (shelter in "
                  "place: the home is "
                  "outside every hazard area of the scenario)");
    if (ctx.scenario.manifest.hazard_kind == "earthquake") {
        // The hazard map cannot say whether the shaking damaged the house.
        out.push_back("地震: "
                      "揺れがおさまったら家の被害（傾き・大きなひび割れ・ガス漏れ）を確かめ、被害が"
                      "あれば避難先へ移動する "
                      "(only if the house is undamaged after the shaking)");
    }
    if (w.needs.load_peak_w > 0 || w.needs.needs_oxygen) {
        std::vector<std::string> sources;
        if (c.backup.power_station_wh > 0) sources.push_back("ポータブル電源");
        if (c.vehicle == HouseholdVehicle::hybrid_outlet)
            sources.push_back("車（PHEV・ハイブリッド車）の給電");
        else if (c.vehicle == HouseholdVehicle::car)
            sources.push_back("車のシガーソケット");
        if (c.backup.generator_w > 0 && c.backup.generator_fuel_h > 0) sources.push_back("発電機");
        sources.push_back("機器のバッテリー");
        const double endurance = std::min(w.needs.endurance_h, power.simulate_until_h);
        out.push_back(
            "停電しても" + join(sources, "・") + "で約" + hours_text(endurance) + "もつ想定" +
            (w.deadlines.arrive_by_s < 0
                 ? "（計画期間" + hours_text(horizon_h) + "を余裕をもって超える）"
                 : "。発電機の燃料を足せば計画期間" + hours_text(horizon_h) + "をまかなえる"));
        if (c.backup.generator_w > 0) {
            // Fuel for the outage within the horizon, with the power model's margin share;
            // DOMAIN.md section 2.4: families stock 14 days for staying at home; a cassette-gas
            // generator runs 1-2 h per can [S71] (counted at 1 h).
            const double outage_h = static_cast<double>(ctx.horizon_s - ctx.mains_lost_s) / 3600.0;
            const double buy_h =
                std::ceil(std::max(0.0, outage_h * (1.0 + power.margin_fraction) - endurance));
            std::string fuel = "発電機は必ず屋外で使う。手元の燃料は約" +
                               hours_text(c.backup.generator_fuel_h) + "分";
            if (buy_h > 0) {
                fuel += "。計画期間をまかなうには燃料をあと約" + hours_text(buy_h) +
                        "分（カセットボンベなら約" + std::to_string(static_cast<long long>(buy_h)) +
                        "本）用意する";
            }
            const double more_h =
                std::max(0.0, power.simulate_until_h - std::max(endurance, outage_h + buy_h));
            if (more_h > 0) fuel += "。14日間の在宅にはさらに約" + hours_text(more_h) + "分";
            out.push_back(fuel);
        }
        if (w.needs.deadline_s) {
            // Without more fuel (or beyond the horizon) the power deadline still comes.
            const auto leave_s = ctx.mains_lost_s + *w.needs.deadline_s;
            out.push_back(
                std::string(w.deadlines.arrive_by_s >= 0 ? "燃料が手に入らず停電" : "停電") +
                "が発令から" + core::duration_ja(leave_s) +
                "後を過ぎても続きそうなら、それまでに電源のある施設に着くよう移動する");
        }
    }
    out.push_back("避難指示が出たとき、自宅に危険が迫ったとき（浸水・がけ崩れの兆し）、機器・物資が"
                  "足りなくなったときは移動する");
    return out;
}

} // namespace

std::vector<ChildNeed> assess_needs(const PlanContext& ctx) {
    ctx.report("care and power needs", 0.05);
    const auto& sc = ctx.scenario;
    const auto& opt = ctx.options;
    const auto& children = ctx.children;
    const std::size_t n = children.size();
    PowerOptions power_options;
    power_options.horizon_h = static_cast<double>(sc.manifest.horizon_h);
    // Duty cycles by the clock of the power cut (a CPAP runs overnight): t0's clock + mains loss.
    if (const auto& clock = sc.manifest.timeline.t0_clock) {
        power_options.mains_lost_clock_h = local_minute_of_day(*clock, ctx.mains_lost_s) / 60.0;
    }
    const auto& timing = default_timing();
    std::vector<ChildNeed> work(n);
    for (std::size_t i = 0; i < n; ++i) {
        auto& w = work[i];
        const auto& c = children[i];
        w.needs = assess_child(c, sc.catalogue, power_options);
        w.preparation = preparation(c, w.needs.outlets, opt.decision_min,
                                    sc.manifest.timeline.t0_clock, timing);
        w.earliest_departure_s = w.preparation.total_s();
        bool in_hazard_area = false;
        if (!sc.hazards.empty()) {
            if (const auto h = sc.hazards.hazard_at(c.home); h) {
                in_hazard_area = true;
                if (h->onset_ms != geo::never_ms) {
                    w.hazard_at_home_s = h->onset_ms / 1000;
                    w.hazard_at_home_kind = std::string(geo::to_string(h->kind));
                }
            }
        }
        // Two deadlines, never merged (DOMAIN.md section 7).
        w.deadlines =
            deadlines(w.hazard_at_home_s, ctx.mains_lost_s, w.needs.deadline_s, ctx.horizon_s);
        w.connects = w.needs.load_peak_w > 0 || w.needs.needs_oxygen;
        const auto steps_s = w.connects ? connect_s(w.preparation, timing)
                                        : 0; // transfer + connection, or the drill's connect_min
        w.deadline_s =
            w.deadlines.arrive_by_s >= 0 ? w.deadlines.arrive_by_s - steps_s : ctx.horizon_s;
        // Shelter in place: a hazard map says the home is safe, and home power lasts the horizon
        // (or a generator that carries the essential load does, given the fuel to buy).
        const bool generator_carries =
            c.backup.generator_w > 0 && c.backup.generator_w >= w.needs.essential_peak_w;
        w.stays = !sc.hazards.empty() && !in_hazard_area &&
                  (w.deadlines.arrive_by_s < 0 || generator_carries);
        if (w.stays) w.stay_conditions = stay_conditions(c, w, ctx, power_options);
    }
    return work;
}

} // namespace sonae::planner::stages
