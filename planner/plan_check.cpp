#include "planner/plan_check.hpp"

#include "core/error.hpp"
#include "planner/detail/registry_text.hpp"
#include "planner/scenario.hpp"

#include <cmath>
#include <map>
#include <set>

namespace sonae::planner {

namespace {

[[noreturn]] void fail(const std::string& source, const std::string& field,
                       const std::string& value, const std::string& message) {
    throw InputError(message, Where{.file = source, .field = field, .value = value});
}

std::string at(const char* array, std::size_t i, const char* field = nullptr) {
    std::string path = std::string(array) + "[" + std::to_string(i) + "]";
    if (field) path += std::string(".") + field;
    return path;
}

} // namespace

void check_plan(const Plan& plan, const std::string& source) {
    if (plan.horizon_h < 1 || plan.horizon_h > 720) {
        fail(source, "horizon_h", std::to_string(plan.horizon_h),
             "the horizon must be 1 to 720 hours");
    }
    const std::int64_t horizon_s = plan.horizon_h * 3600;
    // A time or a margin beyond ten horizons is no plan's (a margin of 1e308 printed as
    // 「-2562047788015215時間30分」); -1 (none) is within the range.
    const std::int64_t limit_s = 10 * horizon_s;
    const auto seconds = [&](const std::string& path, std::int64_t v) {
        if (v < -limit_s || v > limit_s) {
            fail(source, path, std::to_string(v),
                 "out of range: times and margins are seconds within ten horizons (±" +
                     std::to_string(limit_s) + " s)");
        }
    };
    const auto amount = [&](const std::string& path, double v) {
        if (!std::isfinite(v) || v < -1.0 || v > 1e9) {
            char text[64];
            std::snprintf(text, sizeof text, "%.17g", v);
            fail(source, path, text, "out of range: a quantity from 0 (or -1 = none) to 1e9");
        }
    };
    const auto point = [&](const std::string& path, const geo::LonLat& p) {
        if (!std::isfinite(p.lon) || !std::isfinite(p.lat) || std::fabs(p.lon) > 180.0 ||
            std::fabs(p.lat) > 90.0) {
            char text[96];
            std::snprintf(text, sizeof text, "[%.17g, %.17g]", p.lon, p.lat);
            fail(source, path, text, "not a point: [longitude -180..180, latitude -90..90]");
        }
    };
    seconds("at_risk_threshold_s", plan.at_risk_threshold_s);
    if (plan.at_risk_threshold_s < 0)
        fail(source, "at_risk_threshold_s", std::to_string(plan.at_risk_threshold_s),
             "must not be negative");

    std::map<std::string, std::size_t> facilities;
    for (std::size_t j = 0; j < plan.facilities.size(); ++j) {
        const auto& f = plan.facilities[j];
        if (f.facility_id.empty())
            fail(source, at("facilities", j, "facility_id"), "", "the facility id is empty");
        if (!facilities.emplace(f.facility_id, j).second) {
            fail(source, at("facilities", j, "facility_id"), f.facility_id,
                 "duplicate facility id (also facilities[" +
                     std::to_string(facilities[f.facility_id]) + "])");
        }
        point(at("facilities", j, "location"), f.location);
        for (const auto& [name, v] : {std::pair{"generator_kw", f.generator_kw},
                                      {"fuel_l", f.fuel_l},
                                      {"peak_kw", f.peak_kw},
                                      {"energy_kwh", f.energy_kwh},
                                      {"fuel_needed_l", f.fuel_needed_l}}) {
            amount(at("facilities", j, name), v);
        }
        if (f.assigned < 0)
            fail(source, at("facilities", j, "assigned"), std::to_string(f.assigned),
                 "must not be negative");
    }
    std::map<std::string, std::size_t> tours;
    for (std::size_t t = 0; t < plan.tours.size(); ++t) {
        if (!tours.emplace(plan.tours[t].vehicle_id, t).second) {
            fail(source, at("tours", t, "vehicle_id"), plan.tours[t].vehicle_id,
                 "duplicate vehicle id (also tours[" +
                     std::to_string(tours[plan.tours[t].vehicle_id]) + "])");
        }
    }
    std::map<std::string, std::size_t> children;
    std::map<std::string, std::size_t> lower_ids; // children's ids in lower case
    for (std::size_t i = 0; i < plan.children.size(); ++i) {
        const auto& c = plan.children[i];
        if (c.child_id.empty())
            fail(source, at("children", i, "child_id"), "", "the child id is empty");
        // The registry's id rules (a child id names the guidebook's file): a plan edited to
        // hold a 300-byte id failed while writing ("File name too long"), and "a/b" and "a_b"
        // both became guidebook_a_b.pdf, one overwriting the other.
        if (const auto problem = detail::id_problem(c.child_id))
            fail(source, at("children", i, "child_id"), c.child_id, *problem);
        if (!children.emplace(c.child_id, i).second) {
            fail(source, at("children", i, "child_id"), c.child_id,
                 "duplicate child id (also children[" + std::to_string(children[c.child_id]) +
                     "]): one guidebook would overwrite the other");
        }
        // Guidebook files of ids that differ only in case are one file on Windows and macOS.
        if (const auto [it, inserted] = lower_ids.emplace(detail::lower_ascii(c.child_id), i);
            !inserted) {
            fail(source, at("children", i, "child_id"), c.child_id,
                 "the child id differs from children[" + std::to_string(it->second) + "] ('" +
                     plan.children[it->second].child_id +
                     "') only in upper and lower case: their guidebook files would be one file "
                     "on Windows and macOS");
        }
        if (!c.facility_id.empty() && !facilities.count(c.facility_id)) {
            fail(source, at("children", i, "facility_id"), c.facility_id,
                 "the child's facility is not among the plan's facilities (an edited or mixed "
                 "plan?): re-run `sonae plan`");
        }
        if (c.facility_id.empty() && c.outcome == Outcome::evacuate &&
            c.status != Feasibility::cannot_serve) {
            fail(source, at("children", i, "facility_id"), "",
                 "the child evacuates " + std::string(to_string(c.status)) +
                     " but has no facility: re-run `sonae plan`");
        }
        point(at("children", i, "home"), c.home);
        const auto path = [&](const char* field) { return at("children", i, field); };
        seconds(path("hazard_at_home_s"), c.hazard_at_home_s);
        seconds(path("mains_lost_s"), c.mains_lost_s);
        seconds(path("earliest_departure_s"), c.earliest_departure_s);
        seconds(path("leave_by_s"), c.leave_by_s);
        seconds(path("arrive_by_s"), c.arrive_by_s);
        seconds(path("latest_safe_departure_s"), c.latest_safe_departure_s);
        seconds(path("planned_departure_s"), c.planned_departure_s);
        seconds(path("arrival_s"), c.arrival_s);
        seconds(path("on_power_s"), c.on_power_s);
        seconds(path("margin_s"), c.margin_s);
        for (const auto& [name, v] : {std::pair{"power.load_avg_w", c.power.load_avg_w},
                                      {"power.load_peak_w", c.power.load_peak_w},
                                      {"power.energy_horizon_wh", c.power.energy_horizon_wh},
                                      {"power.endurance_h", c.power.endurance_h},
                                      {"power.oxygen_h", c.power.oxygen_h}}) {
            amount(path(name), v);
        }
        for (const auto* route :
             {c.primary ? &*c.primary : nullptr, c.alternate ? &*c.alternate : nullptr}) {
            if (!route) continue;
            const char* which = route == &*c.primary ? "primary" : "alternate";
            amount(path(which) + ".length_m", route->length_m);
            seconds(path(which) + ".travel_s", route->travel_s);
            seconds(path(which) + ".depart_s", route->depart_s);
            for (std::size_t k = 0; k < route->geometry.size(); ++k) {
                point(path(which) + ".geometry[" + std::to_string(k) + "]", route->geometry[k]);
            }
        }
    }
    for (std::size_t t = 0; t < plan.tours.size(); ++t) {
        const auto& tour = plan.tours[t];
        for (std::size_t k = 0; k < tour.stops.size(); ++k) {
            const auto& s = tour.stops[k];
            const std::string stop = at("tours", t) + ".stops[" + std::to_string(k) + "]";
            if (!s.child_id.empty() && !children.count(s.child_id)) {
                fail(source, stop + ".child_id", s.child_id,
                     "the stop's child is not among the plan's children");
            }
            if (!s.facility_id.empty() && !facilities.count(s.facility_id)) {
                fail(source, stop + ".facility_id", s.facility_id,
                     "the stop's facility is not among the plan's facilities");
            }
            point(stop + ".location", s.location);
            seconds(stop + ".arrival_s", s.arrival_s);
            seconds(stop + ".departure_s", s.departure_s);
        }
    }
}

void check_plan_matches_scenario(const Plan& plan, const LoadedScenario& scenario,
                                 const std::string& source) {
    const auto& m = scenario.manifest;
    if (plan.scenario_name != m.name) {
        fail(source, "scenario_name", plan.scenario_name,
             "the plan was made for scenario '" + plan.scenario_name + "', not '" + m.name + "'");
    }
    if (plan.horizon_h != m.horizon_h) {
        fail(source, "horizon_h", std::to_string(plan.horizon_h),
             "the plan's horizon is not the scenario's (" + std::to_string(m.horizon_h) +
                 " h): re-run `sonae plan`");
    }
    std::set<std::string> planned;
    for (std::size_t i = 0; i < plan.children.size(); ++i) {
        const auto& id = plan.children[i].child_id;
        planned.insert(id);
        if (!scenario.registry.find(id)) {
            fail(source, at("children", i, "child_id"), id,
                 "the child is not in the scenario's registry (" + m.registry.string() +
                     "): the plan was made from another registry; re-run `sonae plan`");
        }
    }
    for (const auto& c : scenario.registry.children()) {
        if (!planned.count(c.id)) {
            fail(source, "children", c.id,
                 "a child of the registry (" + m.registry.string() +
                     ") is missing from the plan: re-run `sonae plan`");
        }
    }
    std::set<std::string> facilities;
    for (const auto& f : scenario.facilities) facilities.insert(f.id);
    for (std::size_t j = 0; j < plan.facilities.size(); ++j) {
        if (!facilities.count(plan.facilities[j].facility_id)) {
            fail(source, at("facilities", j, "facility_id"), plan.facilities[j].facility_id,
                 "the facility is not among the scenario's facilities: re-run `sonae plan`");
        }
    }
    std::set<std::string> vehicles;
    for (const auto& v : scenario.vehicles) vehicles.insert(v.id);
    for (std::size_t t = 0; t < plan.tours.size(); ++t) {
        if (!vehicles.count(plan.tours[t].vehicle_id)) {
            fail(source, at("tours", t, "vehicle_id"), plan.tours[t].vehicle_id,
                 "the vehicle is not among the scenario's vehicles: re-run `sonae plan`");
        }
    }
}

} // namespace sonae::planner
