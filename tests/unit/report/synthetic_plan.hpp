#pragma once
/// A synthetic Plan for the report tests: invented children (ids SYN-...), no real people.
/// Ube (352021): 6 children, Hagi (352047): 2, Shunan (352152): 4, Waki (353213): 1.

#include "planner/plan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace sonae::test {

inline planner::PlannedRoute synthetic_route(geo::LonLat from, geo::LonLat to,
                                             std::int64_t travel_s) {
    planner::PlannedRoute r;
    r.mode = planner::TravelMode::car;
    r.travel_s = travel_s;
    // An L-shaped road: east first, then north, with a kink in the middle.
    const geo::LonLat corner{to.lon, from.lat};
    r.geometry = {from, {(from.lon + corner.lon) / 2, from.lat + 0.0015}, corner, to};
    r.length_m = 0;
    for (std::size_t i = 1; i < r.geometry.size(); ++i) {
        const double dx = (r.geometry[i].lon - r.geometry[i - 1].lon) * 92000.0;
        const double dy = (r.geometry[i].lat - r.geometry[i - 1].lat) * 110574.0;
        r.length_m += std::sqrt(dx * dx + dy * dy);
    }
    r.edges = {geo::EdgeId(1), geo::EdgeId(2), geo::EdgeId(3)};
    return r;
}

inline planner::Plan synthetic_plan(const std::string& scenario = "synthetic-a") {
    using namespace sonae::planner;
    Plan plan;
    plan.scenario_name = scenario;
    plan.scenario_title = "合成データによる洪水想定（テスト用）";
    plan.hazard_kind = "flood";
    plan.t0_label = "2026-07-01T06:00+09:00 警戒レベル3";
    plan.seed = 7;
    plan.at_risk_threshold_s = 1800;

    auto facility = [](std::string id, std::string name, std::string kind, std::string muni,
                       geo::LonLat at) {
        FacilityPlan f;
        f.facility_id = std::move(id);
        f.name = std::move(name);
        f.kind = std::move(kind);
        f.municipality_code = std::move(muni);
        f.location = at;
        f.capacity = 10;
        f.generator_kw = 3.0;
        f.fuel_l = 40;
        return f;
    };
    plan.facilities.push_back(
        facility("F-HAGI", "萩市民館（合成）", "welfare_shelter", "352047", {131.399, 34.408}));
    plan.facilities.push_back(facility("F-SHUNAN", "周南市総合福祉センター（合成）",
                                       "welfare_shelter", "352152", {131.806, 34.055}));
    plan.facilities.push_back(facility("F-UBE", "宇部市福祉会館（合成）", "welfare_shelter",
                                       "352021", {131.247, 33.951}));

    struct Spec {
        const char* id;
        const char* muni;
        double lon, lat;
        Feasibility status;
        std::int64_t margin_s;
        const char* facility;
        bool vent;
    };
    const Spec specs[] = {
        {"SYN-UBE-01", "352021", 131.231, 33.962, Feasibility::on_time, 5400, "F-UBE", true},
        {"SYN-UBE-02", "352021", 131.236, 33.958, Feasibility::on_time, 4200, "F-UBE", false},
        {"SYN-UBE-03", "352021", 131.262, 33.944, Feasibility::on_time, 3000, "F-UBE", true},
        {"SYN-UBE-04", "352021", 131.233, 33.961, Feasibility::on_time, 7200, "F-UBE", false},
        {"SYN-UBE-05", "352021", 131.229, 33.963, Feasibility::at_risk, 900, "F-UBE", true},
        {"SYN-UBE-06", "352021", 131.270, 33.975, Feasibility::cannot_serve, -1200, "", true},
        {"SYN-HAGI-01", "352047", 131.410, 34.401, Feasibility::on_time, 6000, "F-HAGI", false},
        {"SYN-HAGI-02", "352047", 131.385, 34.415, Feasibility::at_risk, 600, "F-HAGI", true},
        {"SYN-SHU-01", "352152", 131.790, 34.060, Feasibility::on_time, 3600, "F-SHUNAN", true},
        {"SYN-SHU-02", "352152", 131.795, 34.048, Feasibility::on_time, 4800, "F-SHUNAN", false},
        {"SYN-SHU-03", "352152", 131.820, 34.066, Feasibility::on_time, 2400, "F-SHUNAN", false},
        {"SYN-SHU-04", "352152", 131.812, 34.041, Feasibility::on_time, 6600, "F-SHUNAN", true},
        {"SYN-WAKI-01", "353213", 132.220, 34.195, Feasibility::cannot_serve, -600, "", false},
    };
    for (const auto& s : specs) {
        ChildPlan c;
        c.child_id = s.id;
        c.municipality_code = s.muni;
        c.home = {s.lon, s.lat};
        c.mobility = s.vent ? planner::Mobility::wheelchair : planner::Mobility::carried;
        if (s.vent) {
            c.care_items = {"ventilator", "tracheostomy", "suction"};
            c.power.devices = {"vent", "humid", "suction"};
            c.power.load_avg_w = 161;
            c.power.load_peak_w = 230;
            c.power.endurance_h = 9.5;
            c.power.ventilator = true;
            c.power.needs_nurse = true;
            c.power.outlets = 3;
        } else {
            c.care_items = {"oxygen", "tube_feeding"};
            c.power.devices = {"o2conc", "feed"};
            c.power.load_avg_w = 127;
            c.power.load_peak_w = 130;
            c.power.endurance_h = 16;
            c.power.oxygen = true;
            c.power.oxygen_h = 12.6;
            c.power.needs_carer = true;
            c.power.outlets = 2;
        }
        c.status = s.status;
        c.margin_s = s.margin_s;
        c.mains_lost_s = 3 * 3600;
        c.arrive_by_s = 4 * 3600;
        c.binding = Binding::arrive_by;
        c.facility_id = s.facility;
        if (s.status != Feasibility::cannot_serve) {
            c.transport = s.vent ? TransportKind::vehicle : TransportKind::family_car;
            if (s.vent) c.vehicle_id = std::string("VAN-") + s.muni;
            c.arrival_s = c.arrive_by_s - s.margin_s;
            c.on_power_s = c.arrival_s;
            c.outcome = Outcome::evacuate;
            c.planned_departure_s = c.arrival_s - 1200;
            c.earliest_departure_s = 600;
            c.latest_safe_departure_s = c.planned_departure_s + s.margin_s;
            geo::LonLat dest{};
            for (const auto& f : plan.facilities)
                if (f.facility_id == s.facility) dest = f.location;
            c.primary = synthetic_route(c.home, dest, 1200);
            c.primary->depart_s = c.planned_departure_s;
        } else {
            c.reasons = {"対応できる避難先まで期限内に着く車両がありません"};
            c.fallback_facility_id = std::string(s.muni) == "352021" ? "F-UBE" : "F-SHUNAN";
        }
        plan.children.push_back(c);
    }
    // Standing-plan destinations per hazard type for the Ube children (the others have none,
    // like a plan.json written before the field existed). No storm-surge destination: the
    // guidebook must say so.
    for (auto& c : plan.children) {
        if (c.municipality_code != "352021") continue;
        auto dest = [&](const char* hazard, const char* id, const char* name, const char* kind,
                        geo::LonLat at, std::int64_t travel_s, bool unknown) {
            HazardDestination d;
            d.hazard = hazard;
            d.facility_id = id;
            d.facility_name = name;
            d.facility_kind = kind;
            d.facility_location = at;
            d.mode = planner::TravelMode::car;
            const auto route = synthetic_route(c.home, at, travel_s);
            d.travel_s = travel_s;
            d.length_m = route.length_m;
            d.geometry = route.geometry;
            d.designation_unknown = unknown;
            c.destinations_by_hazard.push_back(d);
        };
        dest("flood", "F-UBE", "宇部市福祉会館（合成）", "welfare_shelter", {131.247, 33.951}, 900,
             true);
        dest("landslide", "S-KOTO", "琴芝小学校（合成）", "shelter", {131.252, 33.957}, 600, false);
        dest("tsunami", "S-TAKA", "高台公民館（合成）", "shelter+emergency_site", {131.268, 33.985},
             1500, false);
        dest("earthquake", "F-UBE", "宇部市福祉会館（合成）", "welfare_shelter", {131.247, 33.951},
             900, true);
    }
    std::sort(plan.children.begin(), plan.children.end(),
              [](const ChildPlan& a, const ChildPlan& b) { return a.child_id < b.child_id; });
    for (auto& f : plan.facilities) {
        for (const auto& c : plan.children) {
            if (c.facility_id != f.facility_id) continue;
            ++f.assigned;
            f.peak_kw += c.power.load_peak_w / 1000.0;
            f.energy_kwh += c.power.load_avg_w * 72 / 1000.0;
            f.outlets_needed += c.power.outlets;
            f.nurses_needed += c.power.needs_nurse ? 1 : 0;
        }
        f.fuel_needed_l = f.energy_kwh * 0.5;
    }
    plan.facilities[2].generator_kw = 1.0; // Ube's hall is short of power
    plan.facilities[2].shortages = {{"power_kw", plan.facilities[2].peak_kw, 1.0}};

    VehicleTour tour;
    tour.vehicle_id = "VAN-352021";
    tour.vehicle_type = "wheelchair_van";
    for (const auto& c : plan.children)
        if (c.vehicle_id == tour.vehicle_id)
            tour.stops.push_back({planner::StopKind::pickup, c.child_id, "", c.home,
                                  c.planned_departure_s - 300, c.planned_departure_s});
    plan.tours.push_back(tour);

    plan.summary.children = static_cast<std::int64_t>(plan.children.size());
    for (const auto& c : plan.children) {
        if (c.status == Feasibility::on_time) ++plan.summary.on_time;
        if (c.status == Feasibility::at_risk) ++plan.summary.at_risk;
        if (c.status == Feasibility::cannot_serve) ++plan.summary.cannot_serve;
    }
    return plan;
}

} // namespace sonae::test
