#include "sim/drill_trace.hpp"

#include "geo/hazard.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>
#include <map>

namespace sonae::sim {

namespace {

HazardKind to_trace_kind(geo::HazardKind k) {
    switch (k) {
    case geo::HazardKind::flood: return HazardKind::flood;
    case geo::HazardKind::tsunami: return HazardKind::tsunami;
    case geo::HazardKind::landslide: return HazardKind::landslide;
    case geo::HazardKind::storm_surge: return HazardKind::storm_surge;
    }
    return HazardKind::other;
}

std::string signed_minutes(double m) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.0f分", m);
    return buf;
}

/// Samples a move along `path` from t0 to t1 (seconds), in proportion to length.
void move_along(TraceWriter& trace, EntityId id, const std::vector<geo::LonLat>& path,
                std::int64_t t0, std::int64_t t1, StateCode state) {
    std::vector<double> cum{0.0};
    for (std::size_t i = 1; i < path.size(); ++i) {
        const double dx = (path[i].lon - path[i - 1].lon) * std::cos(path[i].lat * M_PI / 180.0);
        const double dy = path[i].lat - path[i - 1].lat;
        cum.push_back(cum.back() + std::hypot(dx, dy));
    }
    const double total = cum.back();
    std::int64_t last_t = t0 - 1;
    for (std::size_t i = 0; i < path.size(); ++i) {
        const double f = total > 0
                             ? cum[i] / total
                             : static_cast<double>(i) / std::max<std::size_t>(1, path.size() - 1);
        auto t = t0 + static_cast<std::int64_t>(std::llround(f * static_cast<double>(t1 - t0)));
        if (t <= last_t) {
            if (i + 1 < path.size()) continue; // several points in one second: keep the last
            t = last_t + 1;
        }
        trace.sample(t, id, {.position = path[i], .state = state});
        last_t = t;
    }
}

const DrillReviewRow* find_row(const DrillReview& review, const std::string& id, DrillStep step) {
    for (const auto& r : review.rows) {
        if (r.child_id == id && r.step == step) return &r;
    }
    return nullptr;
}

std::optional<double> row_value(const DrillReview& review, const std::string& id, DrillStep step,
                                bool planned) {
    const auto* r = find_row(review, id, step);
    if (r == nullptr) return std::nullopt;
    return planned ? r->planned_min : r->actual_min;
}

StateCode state_after(DrillStep step) {
    switch (step) {
    case DrillStep::alert: return StateCode::waiting;
    case DrillStep::decision: return StateCode::packing;
    case DrillStep::packing_done: return StateCode::carrying_out;
    case DrillStep::carried_out: return StateCode::loading;
    case DrillStep::loaded: return StateCode::loading;
    case DrillStep::departed: return StateCode::travelling;
    case DrillStep::arrived: return StateCode::arrived;
    case DrillStep::power_connected: return StateCode::powered;
    }
    return StateCode::unknown;
}

} // namespace

std::vector<std::pair<std::string, double>> arrival_delays(const DrillReview& review) {
    std::vector<std::pair<std::string, double>> out;
    for (const auto& id : review.participants) {
        const auto p = row_value(review, id, DrillStep::arrived, true);
        const auto a = row_value(review, id, DrillStep::arrived, false);
        if (p && a) out.emplace_back(id, *a - *p);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& x, const auto& y) { return x.second > y.second; });
    return out;
}

TraceWriter drill_trace(const planner::LoadedScenario& scenario, const planner::Plan& plan,
                        const DrillReview& review) {
    TraceMetadata meta;
    meta.title = plan.scenario_name + " 訓練の再生（実績と計画）";
    if (const auto d = parse_drill_date(review.date); d && review.t0_clock_min) {
        std::tm tm{};
        tm.tm_year = std::stoi(d->substr(0, 4)) - 1900;
        tm.tm_mon = std::stoi(d->substr(5, 2)) - 1;
        tm.tm_mday = std::stoi(d->substr(8, 2));
        // Japan time: the epoch is local midnight minus 9 h, plus the start time.
        meta.epoch_unix_s = static_cast<std::int64_t>(timegm(&tm)) - 9 * 3600 +
                            static_cast<std::int64_t>(std::llround(*review.t0_clock_min * 60.0));
    }
    TraceWriter trace(meta);
    if (scenario.network) trace.add_roads(*scenario.network);
    const auto& hz = scenario.hazards;
    for (std::uint32_t a = 0; a < hz.areas().size(); ++a) {
        const auto& area = hz.areas()[a];
        HazardArea h;
        h.kind = to_trace_kind(area.kind);
        h.label = area.feature_id;
        HazardStage stage;
        stage.onset_t_s = area.onset_ms / 1000;
        for (const auto& poly : hz.polygons(a)) {
            for (const auto& ring : poly) stage.rings.push_back(ring);
        }
        h.stages.push_back(std::move(stage));
        trace.add_hazard(std::move(h));
    }
    std::map<std::string, const planner::FacilityPlan*> facilities;
    std::map<std::string, EntityId> facility_ids;
    for (const auto& f : plan.facilities) {
        facilities[f.facility_id] = &f;
        facility_ids[f.facility_id] = trace.add_facility(
            f.name, f.location, static_cast<std::uint32_t>(std::max<std::int64_t>(0, f.capacity)),
            f.generator_kw * 1000.0);
        trace.sample(0, facility_ids[f.facility_id],
                     {.position = f.location, .state = StateCode::powered});
    }
    auto s_of = [](double minutes) {
        return static_cast<std::int64_t>(std::llround(minutes * 60.0));
    };
    const auto delays = arrival_delays(review);
    std::string list = "遅れの大きい順（到着の実績−計画）: ";
    for (std::size_t i = 0; i < delays.size(); ++i) {
        list += (i ? "、" : "") + delays[i].first + " " + signed_minutes(delays[i].second);
    }
    trace.event(0, EntityId::invalid(), EventKind::alert,
                review.title.empty() ? "訓練開始（t0）" : review.title + " 開始（t0）");
    if (!delays.empty()) trace.event(0, EntityId::invalid(), EventKind::note, list);

    for (const auto& id : review.participants) {
        const auto cp = std::find_if(plan.children.begin(), plan.children.end(),
                                     [&](const planner::ChildPlan& c) { return c.child_id == id; });
        if (cp == plan.children.end()) continue;
        geo::LonLat destination = cp->home;
        if (const auto it = facilities.find(cp->facility_id); it != facilities.end())
            destination = it->second->location;
        std::vector<geo::LonLat> path;
        if (cp->primary && cp->primary->geometry.size() >= 2)
            path = cp->primary->geometry;
        else
            path = {cp->home, destination};

        // The home follows the recorded steps, and its battery ring the recorded battery %: the
        // devices' own batteries (device_battery_h at 100 %) times the share left, from the
        // step where it was read until the devices are on shelter power (then not applicable).
        const auto home = trace.add_home(id, cp->home);
        trace.sample(0, home, {.position = cp->home, .state = StateCode::waiting});
        double battery_min = std::numeric_limits<double>::quiet_NaN();
        for (std::size_t k = 0; k < kDrillSteps; ++k) {
            const auto step = static_cast<DrillStep>(k);
            const auto* row = find_row(review, id, step);
            if (row == nullptr || !row->actual_min) continue;
            if (row->observed.battery_pct && cp->power.device_battery_h > 0) {
                battery_min =
                    *row->observed.battery_pct / 100.0 * cp->power.device_battery_h * 60.0;
            }
            if (step == DrillStep::power_connected)
                battery_min = std::numeric_limits<double>::quiet_NaN();
            trace.sample(s_of(*row->actual_min), home,
                         {.position = cp->home,
                          .state = state_after(step),
                          .battery_margin_min = battery_min});
        }
        // The recorded move and the planned ghost, on the same clock.
        auto mover = [&](const std::string& label, EntityKind kind, std::optional<double> dep,
                         std::optional<double> arr, std::optional<double> powered) {
            const auto e = trace.add_vehicle(label, kind, cp->home, 1);
            trace.sample(0, e, {.position = cp->home, .state = StateCode::waiting, .occupancy = 1});
            if (!dep || !arr || *arr <= *dep) return e;
            move_along(trace, e, path, s_of(*dep), s_of(*arr), StateCode::travelling);
            trace.sample(s_of(*arr), e,
                         {.position = path.back(), .state = StateCode::arrived, .occupancy = 1});
            if (powered && *powered >= *arr) {
                trace.sample(
                    s_of(*powered), e,
                    {.position = path.back(), .state = StateCode::powered, .occupancy = 1});
            }
            return e;
        };
        const auto recorded = mover(id + " 実績", EntityKind::family_car,
                                    row_value(review, id, DrillStep::departed, false),
                                    row_value(review, id, DrillStep::arrived, false),
                                    row_value(review, id, DrillStep::power_connected, false));
        const auto planned = mover(id + " 計画", EntityKind::vehicle,
                                   row_value(review, id, DrillStep::departed, true),
                                   row_value(review, id, DrillStep::arrived, true), std::nullopt);
        // The step times the viewer compares (the gap per child, the list of largest delays).
        DrillReplayChild child{
            .label = id, .home = home, .recorded = recorded, .planned = planned, .steps = {}};
        for (std::size_t k = 0; k < kDrillSteps; ++k) {
            const auto step = static_cast<DrillStep>(k);
            DrillReplayStep st{
                .name = std::string(japanese_label(step)), .planned_t_s = {}, .recorded_t_s = {}};
            if (const auto p = row_value(review, id, step, true)) st.planned_t_s = s_of(*p);
            if (const auto a = row_value(review, id, step, false)) st.recorded_t_s = s_of(*a);
            child.steps.push_back(std::move(st));
        }
        trace.add_drill_child(std::move(child));
        if (const auto d = row_value(review, id, DrillStep::departed, false)) {
            trace.event(s_of(*d), recorded, EventKind::departed, id + " 出発（実績）");
        }
        if (const auto a = row_value(review, id, DrillStep::arrived, false)) {
            std::string text = id + " 到着（実績）";
            if (const auto p = row_value(review, id, DrillStep::arrived, true))
                text += " 計画との差 " + signed_minutes(*a - *p);
            trace.event(s_of(*a), recorded, EventKind::arrived, text);
        }
        for (const auto& f : review.flags) {
            if (f.child_id == id && f.severity == DrillFlag::Severity::danger) {
                trace.event(s_of(f.recorded_min), recorded, EventKind::deadline_missed, f.text);
            }
        }
    }
    return trace;
}

} // namespace sonae::sim
