#include "planner/planner.hpp"

#include "geo/components.hpp"
#include "geo/load_network.hpp"
#include "geo/routing.hpp"
#include "geo/snap.hpp"
#include "geo/travel_mode.hpp"
#include "planner/assignment.hpp"
#include "planner/power_model.hpp"
#include "planner/travel_context.hpp"
#include "planner/vrp.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <sstream>

namespace sonae::planner {

namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kLatenessPenaltyPerS = 10;     // a late minute costs ten on-time minutes
constexpr std::int64_t kUnservedCost = 1'000'000'000; // far above any travel cost
constexpr std::int64_t kUnknownCapacity = 30;         // places assumed when a shelter gives none (est.)
constexpr std::int64_t kChildrenPerStaff = 3;         // medical children one nurse/carer can watch (est.)
constexpr double kFuelLitresPerKwh = 0.6;             // small inverter generators, ~1.7 kWh per litre (est.)

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
    return out;
}

std::string minutes_text(std::int64_t s) {
    std::ostringstream out;
    out << (s < 0 ? "-" : "") << std::llabs(s) / 3600 << "時間" << (std::llabs(s) % 3600) / 60 << "分";
    return out.str();
}

void fail_with_all(const Diagnostics& diagnostics, const std::string& what) {
    std::vector<std::string> errors;
    for (const auto& d : diagnostics) {
        if (d.severity == Diagnostic::Severity::error) errors.push_back(d.str());
    }
    if (errors.empty()) return;
    std::string text = what + " (" + std::to_string(errors.size()) + " problem" +
                       (errors.size() == 1 ? "" : "s") + "; fix them and run again):";
    for (const auto& e : errors) text += "\n  " + e;
    throw InputError(text);
}

std::optional<Hazard> scenario_hazard(const std::string& kind) {
    if (kind == "drill") return std::nullopt;
    return parse_hazard(kind);
}

} // namespace

std::int64_t packing_s(Mobility mobility) {
    // DOMAIN.md section 4: luggage is the main barrier (Hirosaki); carrying a child out and
    // loading devices took about 20 minutes in Katori; two people were needed to lift a buggy
    // over steps (hinanping). The exact values are estimates to be replaced by drill records.
    switch (mobility) {
    case Mobility::walks: return 15 * 60;
    case Mobility::carried: return 20 * 60;
    case Mobility::wheelchair: return 30 * 60;
    case Mobility::stretcher: return 40 * 60;
    }
    return 30 * 60;
}

LoadedScenario load_scenario(const fs::path& manifest_or_dir, const Progress& progress) {
    auto report = [&](std::string_view stage, double f) {
        if (progress) progress(stage, f);
    };
    LoadedScenario s;
    s.manifest = read_manifest(manifest_or_dir);
    const auto& m = s.manifest;

    report("device catalogue", 0.0);
    s.catalogue = m.devices ? load_device_catalogue(*m.devices) : default_device_catalogue();

    if (m.network) {
        report("road network", 0.1);
        geo::LoadOptions options;
        options.layer = m.network_layer;
        auto imported = geo::import_road_network(*m.network, options);
        s.network = std::move(imported.network);
        s.diagnostics.insert(s.diagnostics.end(), imported.diagnostics.begin(), imported.diagnostics.end());
    }

    report("hazards", 0.4);
    std::vector<geo::HazardLayerSpec> specs;
    for (const auto& h : m.hazards) {
        geo::HazardLayerSpec spec;
        spec.path = h.path;
        spec.layer = h.layer;
        spec.kind = geo::hazard_kind_from_string(h.kind);
        spec.onset_min = h.onset_min;
        spec.onset_field = h.onset_field;
        spec.id_field = h.id_field;
        spec.depth_field = h.depth_field;
        spec.depth_rank_field = h.rank_field;
        spec.zone_field = h.zone_field;
        specs.push_back(std::move(spec));
    }
    if (!specs.empty()) {
        s.hazards = geo::load_hazards(specs);
        s.diagnostics.insert(s.diagnostics.end(), s.hazards.diagnostics().begin(), s.hazards.diagnostics().end());
    }

    report("registry", 0.6);
    RegistryLoadOptions ro;
    ro.encoding = parse_text_encoding(m.registry_encoding == "auto" ? "auto" : m.registry_encoding)
                      .value_or(TextEncoding::automatic);
    ro.catalogue = &s.catalogue;
    ro.network = s.network ? &*s.network : nullptr;
    ro.far_from_road_m = m.options.max_snap_m;
    auto registry = load_registry(m.registry, ro);
    fail_with_all(registry.diagnostics, "the registry has errors");
    s.registry = std::move(registry.registry);
    s.diagnostics.insert(s.diagnostics.end(), registry.diagnostics.begin(), registry.diagnostics.end());

    report("facilities", 0.7);
    std::vector<Facility> records;
    for (const auto& source : m.facilities) {
        FacilityLoadResult r;
        if (source.kind == "facilities") {
            r = load_facilities(source.path, TextEncoding::automatic, source.layer);
        } else if (source.kind == "p20") {
            r = load_p20(source.path);
        } else {
            r = load_gsi_shelters(source.path);
        }
        fail_with_all(r.diagnostics, "the facilities file has errors");
        s.diagnostics.insert(s.diagnostics.end(), r.diagnostics.begin(), r.diagnostics.end());
        records.insert(records.end(), r.facilities.begin(), r.facilities.end());
    }
    auto merged = merge_facilities(records);
    s.facilities = std::move(merged.facilities);

    if (m.vehicles) {
        report("vehicles", 0.8);
        auto v = load_vehicles(*m.vehicles);
        fail_with_all(v.diagnostics, "the vehicles file has errors");
        s.vehicles = std::move(v.vehicles);
        s.diagnostics.insert(s.diagnostics.end(), v.diagnostics.begin(), v.diagnostics.end());
    }
    report("loaded", 1.0);
    return s;
}

namespace {

/// Per child, what the planner works with.
struct ChildWork {
    const Child* child = nullptr;
    ChildNeeds needs;
    TransportKind transport = TransportKind::none;
    std::string mode;                       ///< car, walk, wheelchair
    std::int64_t earliest_departure_s = 0;
    std::int64_t deadline_s = 0;
    std::int64_t hazard_at_home_s = -1;
    std::string hazard_at_home_kind;       ///< flood, tsunami, ... of the area covering the home
    std::vector<std::int64_t> travel_s;     ///< per facility, -1 unreachable
    std::vector<std::string> incompatible;  ///< per facility: why not ("" = compatible)
    std::vector<std::string> reasons;
    std::vector<std::string> transport_notes;
};

std::string hazard_label(const std::string& kind) {
    if (kind == "flood") return "洪水";
    if (kind == "tsunami") return "津波";
    if (kind == "landslide") return "土砂災害";
    if (kind == "storm_surge") return "高潮";
    return kind;
}

double quantile(std::vector<double> values, double q) {
    if (values.empty()) return 0.0;
    std::sort(values.begin(), values.end());
    const double pos = q * static_cast<double>(values.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const auto hi = std::min(values.size() - 1, lo + 1);
    return values[lo] + (values[hi] - values[lo]) * (pos - static_cast<double>(lo));
}

} // namespace

Plan make_plan(const LoadedScenario& sc, const Progress& progress) {
    auto report = [&](std::string_view stage, double f) {
        if (progress) progress(stage, f);
    };
    const auto& m = sc.manifest;
    const auto& opt = m.options;
    const auto children = sc.registry.children();
    // Facilities sorted by id: the plan must not depend on the order of input rows.
    std::vector<Facility> facilities(sc.facilities.begin(), sc.facilities.end());
    std::sort(facilities.begin(), facilities.end(), [](const Facility& a, const Facility& b) { return a.id < b.id; });
    const std::size_t n = children.size();
    const std::size_t f_count = facilities.size();
    const auto hazard = scenario_hazard(m.hazard_kind);
    const std::int64_t mains_lost_s = static_cast<std::int64_t>(std::llround(m.timeline.mains_lost_min * 60));
    const std::int64_t horizon_s = m.horizon_h * 3600;

    Plan plan;
    plan.scenario_name = m.name;
    plan.scenario_title = m.title;
    plan.hazard_kind = m.hazard_kind;
    plan.t0_label = m.timeline.t0_label;
    plan.seed = m.seed;
    plan.horizon_h = m.horizon_h;
    plan.at_risk_threshold_s = static_cast<std::int64_t>(std::llround(opt.at_risk_threshold_min * 60));
    plan.network_source = m.network ? m.network->filename().string() : "";
    plan.approximate = !sc.network.has_value();
    if (plan.approximate) {
        std::ostringstream note;
        note << "道路網なし: 直線距離×" << opt.straight_line_circuity << "、時速"
             << opt.straight_line_speed_kmh << "kmの概算 (straight-line mode: distance x circuity factor; approximate)";
        plan.approximation_note = note.str();
    }

    // Municipalities with children must have at least one facility (issue 4, bad input).
    {
        std::set<std::string> with_facility;
        for (const auto& f : facilities) with_facility.insert(f.municipality_code);
        std::vector<std::string> missing;
        for (const auto& c : children) {
            if (!c.municipality_code.empty() && !with_facility.count(c.municipality_code) &&
                std::find(missing.begin(), missing.end(), c.municipality_code) == missing.end()) {
                missing.push_back(c.municipality_code);
            }
        }
        if (!missing.empty() && !facilities.empty()) {
            bool any_coded = std::any_of(facilities.begin(), facilities.end(),
                                         [](const Facility& f) { return !f.municipality_code.empty(); });
            if (any_coded) {
                throw InputError("children live in municipalities with no facility in the scenario: " +
                                     join(missing, ", ") + "; add their shelters or remove them from the registry",
                                 {.file = m.manifest_path.string(), .field = "facilities"});
            }
        }
    }

    // 1. Needs.
    report("care and power needs", 0.05);
    PowerOptions power_options;
    power_options.horizon_h = static_cast<double>(m.horizon_h);
    std::vector<ChildWork> work(n);
    for (std::size_t i = 0; i < n; ++i) {
        auto& w = work[i];
        w.child = &children[i];
        w.needs = assess_child(children[i], sc.catalogue, power_options);
        w.earliest_departure_s = static_cast<std::int64_t>(std::llround(opt.decision_min * 60)) +
                                 packing_s(children[i].mobility);
        std::int64_t deadline = horizon_s;
        if (w.needs.deadline_s) {
            deadline = std::min(deadline, mains_lost_s + *w.needs.deadline_s);
        }
        if (!sc.hazards.empty()) {
            if (const auto h = sc.hazards.hazard_at(children[i].home); h && h->onset_ms != geo::never_ms) {
                w.hazard_at_home_s = h->onset_ms / 1000;
                w.hazard_at_home_kind = std::string(geo::to_string(h->kind));
                deadline = std::min(deadline, w.hazard_at_home_s);
            }
        }
        w.deadline_s = deadline;
    }

    // 2. Network modes.
    std::optional<TravelContext> travel;
    const geo::RoadNetwork* net = sc.network ? &*sc.network : nullptr;
    if (net) {
        report("road network modes", 0.1);
        travel.emplace(*net, sc.hazards, std::vector<std::string>{opt.car_mode, opt.walk_mode, opt.wheelchair_mode},
                       opt.max_snap_m);
    }
    auto access_for = [&travel](const ModeNetwork& mode, const geo::RoadNetwork&, geo::LonLat p) {
        return travel->access(mode.name, p);
    };
    auto modes_at = [&travel](const std::string& name) -> const ModeNetwork& { return travel->mode(name); };

    // Facilities on the network, per mode.
    std::map<std::string, std::vector<Access>> facility_access;
    if (net) {
        for (const auto& name : {opt.car_mode, opt.walk_mode, opt.wheelchair_mode}) {
            auto& acc = facility_access[name];
            if (!acc.empty()) continue;
            acc.reserve(f_count);
            for (const auto& f : facilities) acc.push_back(travel->access(name, f.position));
        }
        for (std::size_t j = 0; j < f_count; ++j) {
            const auto& f = facilities[j];
            const bool curated = f.is(FacilityKind::welfare_shelter) || f.is(FacilityKind::hospital) ||
                                 f.is(FacilityKind::support_centre);
            if (!facility_access[opt.car_mode][j].ok && curated) {
                throw InputError("the facility is outside the road network (farther than " +
                                     std::to_string(static_cast<int>(opt.max_snap_m)) +
                                     " m from any road a car can use); check its coordinates or the network's extent",
                                 {.file = m.manifest_path.string(), .feature = f.id, .field = "lon/lat",
                                  .value = std::to_string(f.position.lon) + "," + std::to_string(f.position.lat)});
            }
        }
    }

    // 3. Transport decision.
    report("transport", 0.15);
    auto nearest_straight_m = [&](const Child& c) {
        double best = 1e18;
        for (const auto& f : facilities) {
            if (f.is(FacilityKind::welfare_shelter) || f.is(FacilityKind::hospital)) {
                best = std::min(best, geo::haversine_m(c.home, f.position));
            }
        }
        return best;
    };
    for (auto& w : work) {
        const auto& c = *w.child;
        const bool has_car = c.vehicle != HouseholdVehicle::none && c.helpers >= 1;
        const bool walkable = c.mobility != Mobility::stretcher &&
                              nearest_straight_m(c) * opt.straight_line_circuity <= opt.walk_max_m &&
                              c.helpers >= (c.mobility == Mobility::walks ? 1 : 2);
        if (c.mobility == Mobility::stretcher) {
            w.transport = TransportKind::vehicle;
            w.transport_notes.push_back("ストレッチャーのため救急車など専用車両で搬送");
        } else if (has_car) {
            w.transport = TransportKind::family_car;
        } else if (walkable) {
            w.transport = TransportKind::walk;
        } else {
            w.transport = TransportKind::vehicle;
            w.transport_notes.push_back(c.vehicle == HouseholdVehicle::none ? "家族の車がないため福祉車両で搬送"
                                                                            : "運転・介助できる人がいないため福祉車両で搬送");
        }
        w.mode = w.transport == TransportKind::walk
                     ? (c.mobility == Mobility::wheelchair ? opt.wheelchair_mode : opt.walk_mode)
                     : opt.car_mode;
        if (w.transport == TransportKind::vehicle) {
            // A vehicle needs time to come; ready when packed, picked up by the schedule.
        }
    }

    // 4. Travel times and compatibility.
    report("travel times", 0.2);
    std::optional<geo::Router> router;
    if (travel) router.emplace(travel->graph());
    for (std::size_t i = 0; i < n; ++i) {
        auto& w = work[i];
        const auto& c = *w.child;
        w.travel_s.assign(f_count, -1);
        w.incompatible.assign(f_count, "");
        if (net) {
            const auto& mode = modes_at(w.mode);
            const auto home = access_for(mode, *net, c.home);
            if (home.ok) {
                const auto dep_ms = w.earliest_departure_s * 1000;
                const auto& tree = router->earliest_arrival_tree(home.depart_node, dep_ms + home.leave_ms,
                                                                 mode.weights_ms, mode.closures.closed_from_ms);
                const auto& acc = facility_access.at(w.mode);
                for (std::size_t j = 0; j < f_count; ++j) {
                    if (!acc[j].ok || !tree.reached(acc[j].arrive_node)) continue;
                    const auto arrive_ms = tree.distance(acc[j].arrive_node) + acc[j].join_ms;
                    w.travel_s[j] = (arrive_ms - dep_ms + 999) / 1000;
                }
            } else {
                w.reasons.push_back("自宅が通行できる道路から" + std::to_string(static_cast<int>(opt.max_snap_m)) +
                                    "m以上離れている (home is farther than the snap limit from a usable road)");
            }
        } else {
            const double kmh = w.mode == opt.car_mode ? opt.straight_line_speed_kmh : 3.0;
            for (std::size_t j = 0; j < f_count; ++j) {
                const double d = geo::haversine_m(c.home, facilities[j].position) * opt.straight_line_circuity;
                w.travel_s[j] = static_cast<std::int64_t>(std::ceil(d / (kmh / 3.6)));
            }
        }
        for (std::size_t j = 0; j < f_count; ++j) {
            const auto& f = facilities[j];
            std::string why;
            if (w.travel_s[j] < 0) why = "unreachable";
            else if (!f.direct_evacuation) why = "no_direct";
            else if (f.is(FacilityKind::emergency_site) && !f.is(FacilityKind::shelter) &&
                     !f.is(FacilityKind::p20_shelter) && !f.is(FacilityKind::welfare_shelter) &&
                     !f.is(FacilityKind::hospital))
                why = "open_space";
            else if (hazard && f.hazards_known && !f.safe_for.has(*hazard)) why = "not_designated";
            else if (!sc.hazards.empty() && sc.hazards.hazard_at(f.position)) why = "in_hazard";
            else if (w.needs.needs_ventilator && !f.accepts_ventilator) why = "no_ventilator";
            else if (w.needs.needs_oxygen && !f.accepts_oxygen) why = "no_oxygen";
            else if (w.needs.essential_peak_w > 0 && f.generator_kw * 1000.0 < w.needs.essential_peak_w) why = "no_power";
            else if (w.needs.staff == StaffLevel::nurse && f.nurses == 0) why = "no_nurse";
            else if (w.needs.staff == StaffLevel::carer && f.nurses + f.carers == 0) why = "no_carer";
            w.incompatible[j] = why;
        }
        report("travel times", 0.2 + 0.3 * static_cast<double>(i + 1) / static_cast<double>(std::max<std::size_t>(n, 1)));
    }

    // 5. Assignment (min-cost flow).
    report("assignment", 0.5);
    AssignmentProblem problem;
    problem.demands.resize(n);
    problem.supplies.resize(f_count);
    for (std::size_t j = 0; j < f_count; ++j) {
        const auto& f = facilities[j];
        auto& cap = problem.supplies[j].capacity;
        cap.places = f.capacity_persons.value_or(kUnknownCapacity);
        if (cap.places < 0) cap.places = kUnknownCapacity;
        cap.power_w = static_cast<std::int64_t>(std::floor(f.generator_kw * 1000.0));
        cap.outlets = 1'000'000; // outlets are reported as shortages, not a hard limit
        cap.nurse_places = static_cast<std::int64_t>(f.nurses + f.carers) * kChildrenPerStaff;
    }
    auto open_by = [&](std::size_t j, std::int64_t arrival_s) {
        return std::max(arrival_s, facilities[j].opening_delay_s);
    };
    for (std::size_t i = 0; i < n; ++i) {
        const auto& w = work[i];
        auto& d = problem.demands[i];
        d.usage.places = 1;
        d.usage.power_w = static_cast<std::int64_t>(std::ceil(w.needs.essential_peak_w));
        d.usage.outlets = 0;
        d.usage.nurse_places = w.needs.staff == StaffLevel::family ? 0 : 1;
        d.unserved_cost = kUnservedCost;
        for (std::size_t j = 0; j < f_count; ++j) {
            if (!w.incompatible[j].empty()) continue;
            const auto arrival = open_by(j, w.earliest_departure_s + w.travel_s[j]);
            const auto late = std::max<std::int64_t>(0, arrival - w.deadline_s);
            problem.arcs.push_back({DemandIndex(static_cast<std::uint32_t>(i)), SupplyIndex(static_cast<std::uint32_t>(j)),
                                    arrival + kLatenessPenaltyPerS * late});
        }
    }
    const auto assignment = solve_assignment(problem);
    if (!assignment.proven_optimal) {
        plan.warnings.push_back("assignment: the multi-resource capacities needed a repair step; the result is "
                                "feasible but not proven optimal (gap bound in the log)");
    }

    // 6. Child plans, routes.
    report("routes", 0.6);
    plan.children.resize(n);
    std::vector<std::optional<std::size_t>> facility_of(n);
    for (std::size_t i = 0; i < n; ++i) {
        auto& w = work[i];
        const auto& c = *w.child;
        auto& cp = plan.children[i];
        cp.child_id = c.id;
        cp.municipality_code = c.municipality_code;
        cp.home = c.home;
        cp.mobility = std::string(to_string(c.mobility));
        for (const auto item : c.care_items) cp.care_items.emplace_back(info(item).code);
        cp.power = to_child_power(w.needs, c);
        cp.transport = w.transport;
        cp.hazard_at_home_s = w.hazard_at_home_s;
        cp.mains_lost_s = mains_lost_s;
        cp.earliest_departure_s = w.earliest_departure_s;
        cp.planned_departure_s = w.earliest_departure_s;
        cp.deadline_s = w.deadline_s;
        for (const auto& note : w.transport_notes) cp.reasons.push_back(note);
        for (const auto& note : w.reasons) cp.reasons.push_back(note);

        if (assignment.supply_of[i]) {
            const std::size_t j = assignment.supply_of[i]->value();
            facility_of[i] = j;
            cp.facility_id = facilities[j].id;
            const auto travel = w.travel_s[j];
            cp.latest_departure_s = w.deadline_s - travel;
            cp.arrival_s = open_by(j, w.earliest_departure_s + travel);
            if (cp.arrival_s > w.earliest_departure_s + travel) {
                cp.reasons.push_back("施設の開設（" + minutes_text(facilities[j].opening_delay_s) + "後）を待つ");
            }
        } else {
            // Explain: count what ruled each facility out.
            std::map<std::string, int> why;
            for (const auto& r : w.incompatible) why[r.empty() ? "capacity" : r]++;
            static const std::map<std::string, std::string> text = {
                {"unreachable", "道路で到達できない"}, {"no_direct", "直接避難を受け付けない"},
                {"open_space", "屋外の避難場所のみ"}, {"not_designated", "この災害の指定なし"},
                {"in_hazard", "浸水・危険区域内"}, {"no_ventilator", "人工呼吸器の受入なし"},
                {"no_oxygen", "酸素の受入なし"}, {"no_power", "電源（発電機）不足"},
                {"no_nurse", "看護師がいない"}, {"no_carer", "看護師・認定介護職がいない"},
                {"capacity", "受入枠・電源・人員が他の子で埋まった"}};
            std::vector<std::string> parts;
            for (const auto& [k, count] : why) parts.push_back(text.at(k) + " " + std::to_string(count) + "か所");
            cp.reasons.push_back("受け入れ可能な施設がない (no compatible facility): " + join(parts, "、"));
            // Fallback: the nearest reachable hospital, else the nearest reachable facility with power.
            std::optional<std::size_t> best;
            for (int pass = 0; pass < 2 && !best; ++pass) {
                for (std::size_t j = 0; j < f_count; ++j) {
                    if (w.travel_s[j] < 0) continue;
                    const bool ok = pass == 0 ? facilities[j].is(FacilityKind::hospital) : facilities[j].has_power();
                    if (ok && (!best || w.travel_s[j] < w.travel_s[*best])) best = j;
                }
            }
            if (best) {
                cp.fallback_facility_id = facilities[*best].id;
                cp.reasons.push_back("代替先 (fallback): " + facilities[*best].name);
            }
        }
    }

    // 7. Vehicle tours.
    report("vehicle tours", 0.7);
    std::vector<std::size_t> vehicle_children;
    for (std::size_t i = 0; i < n; ++i) {
        if (work[i].transport == TransportKind::vehicle && facility_of[i]) vehicle_children.push_back(i);
    }
    if (!vehicle_children.empty()) {
        if (sc.vehicles.empty()) {
            for (auto i : vehicle_children) {
                plan.children[i].reasons.push_back("搬送車両がシナリオにない (no vehicle in the scenario)");
                plan.children[i].arrival_s = -1;
            }
        } else {
            // Locations: vehicle bases, then homes, then facilities (each once).
            std::vector<geo::LonLat> points;
            for (const auto& v : sc.vehicles) points.push_back(v.base);
            const std::size_t home0 = points.size();
            for (auto i : vehicle_children) points.push_back(children[i].home);
            std::map<std::size_t, std::size_t> fac_loc;
            for (auto i : vehicle_children) {
                if (!fac_loc.count(*facility_of[i])) {
                    fac_loc[*facility_of[i]] = points.size();
                    points.push_back(facilities[*facility_of[i]].position);
                }
            }
            const auto L = static_cast<std::int32_t>(points.size());
            vrp::Problem vp;
            vp.durations = vrp::Matrix(L);
            if (net) {
                // Vehicles drive while the hazard spreads: edges that close before the earliest
                // deadline among these children are left out (conservative, documented).
                const auto& mode = modes_at(opt.car_mode);
                std::int64_t t_ref = horizon_s;
                for (auto i : vehicle_children) t_ref = std::min(t_ref, work[i].deadline_s);
                auto weights = mode.weights_ms;
                for (std::size_t e = 0; e < weights.size(); ++e) {
                    if (mode.closures.closed_from_ms[e] <= t_ref * 1000) weights[e] = geo::no_edge;
                }
                std::vector<Access> acc;
                for (const auto& p : points) acc.push_back(access_for(mode, *net, p));
                for (std::int32_t a = 0; a < L; ++a) {
                    if (!acc[a].ok) continue;
                    const auto& tree = router->tree(acc[a].depart_node, weights);
                    for (std::int32_t b = 0; b < L; ++b) {
                        std::int64_t t = 100'000'000; // unreachable: far beyond any window
                        if (a == b) t = 0;
                        else if (acc[b].ok && tree.reached(acc[b].arrive_node)) {
                            t = (acc[a].leave_ms + tree.distance(acc[b].arrive_node) + acc[b].join_ms + 999) / 1000;
                        }
                        vp.durations.set(a, b, static_cast<std::int32_t>(std::min<std::int64_t>(t, 100'000'000)));
                    }
                }
            } else {
                for (std::int32_t a = 0; a < L; ++a) {
                    for (std::int32_t b = 0; b < L; ++b) {
                        const double d = geo::haversine_m(points[a], points[b]) * opt.straight_line_circuity;
                        vp.durations.set(a, b, static_cast<std::int32_t>(std::ceil(d / (opt.straight_line_speed_kmh / 3.6))));
                    }
                }
            }
            vp.costs = vp.durations;
            for (std::size_t k = 0; k < sc.vehicles.size(); ++k) {
                const auto& v = sc.vehicles[k];
                vrp::Vehicle vv;
                vv.id = v.id;
                vv.start = vrp::LocationIndex(static_cast<std::int32_t>(k));
                vv.end = vv.start;
                vv.capacity = {v.seats, v.wheelchair_slots, v.stretcher_slots};
                if (v.nurse) vv.skills |= vrp::skill(vrp::Skill::nurse) | vrp::skill(vrp::Skill::certified_carer);
                if (v.carer) vv.skills |= vrp::skill(vrp::Skill::certified_carer);
                vv.availability = {v.available_from_s, v.available_until_s < 0 ? horizon_s * 2 : v.available_until_s};
                vp.vehicles.push_back(vv);
            }
            for (std::size_t k = 0; k < vehicle_children.size(); ++k) {
                const auto i = vehicle_children[k];
                const auto& w = work[i];
                const auto& c = *w.child;
                vrp::Job job;
                job.id = c.id;
                job.kind = vrp::JobKind::pickup_delivery;
                job.pickup.location = vrp::LocationIndex(static_cast<std::int32_t>(home0 + k));
                job.pickup.window = {w.earliest_departure_s, horizon_s};
                job.pickup.service = 10 * 60; // loading the child and devices (est., DOMAIN.md section 4)
                job.delivery.location = vrp::LocationIndex(static_cast<std::int32_t>(fac_loc.at(*facility_of[i])));
                job.delivery.window = {facilities[*facility_of[i]].opening_delay_s, std::max(w.deadline_s, w.earliest_departure_s)};
                job.delivery.service = 5 * 60;
                job.demand = {1, c.mobility == Mobility::wheelchair ? 1 : 0, c.mobility == Mobility::stretcher ? 1 : 0};
                if (w.needs.staff == StaffLevel::nurse) job.required |= vrp::skill(vrp::Skill::nurse);
                if (w.needs.staff == StaffLevel::carer) job.required |= vrp::skill(vrp::Skill::certified_carer);
                if (w.needs.life_critical && w.needs.endurance_h > 0) {
                    job.max_ride = static_cast<std::int64_t>(w.needs.endurance_h * 3600);
                }
                vp.jobs.push_back(job);
            }
            vrp::Options vo;
            vo.seed = m.seed;
            vo.time_limit_s = 0;
            vo.iteration_limit = 20000; // iterations, not seconds: the same plan on any machine
            const auto sol = vrp::solve(vp, vo);
            for (const auto& route : sol.routes) {
                const auto& v = sc.vehicles[static_cast<std::size_t>(route.vehicle.value())];
                VehicleTour tour;
                tour.vehicle_id = v.id;
                tour.vehicle_type = std::string(to_string(v.type));
                tour.stops.push_back({"depot", "", "", v.base, route.departure, route.departure});
                for (const auto& stop : route.stops) {
                    const auto k = static_cast<std::size_t>(stop.job.value());
                    const auto i = vehicle_children[k];
                    auto& cp = plan.children[i];
                    if (stop.is_pickup) {
                        tour.stops.push_back({"pickup", cp.child_id, "", children[i].home, stop.arrival, stop.departure});
                        cp.vehicle_id = v.id;
                        cp.planned_departure_s = stop.departure;
                    } else {
                        tour.stops.push_back({"delivery", cp.child_id, cp.facility_id,
                                              facilities[*facility_of[i]].position, stop.arrival, stop.departure});
                        cp.arrival_s = stop.arrival;
                    }
                }
                tour.stops.push_back({"depot", "", "", v.base, route.arrival, route.arrival});
                plan.tours.push_back(std::move(tour));
            }
            for (const auto& u : sol.unserved) {
                const auto i = vehicle_children[static_cast<std::size_t>(u.job.value())];
                plan.children[i].arrival_s = -1;
                plan.children[i].reasons.push_back("搬送車両の割り当てができない (vehicle: " +
                                                   std::string(vrp::to_string(u.reason)) + ")");
            }
        }
    }

    // Routes for each child who travels, at the planned departure.
    for (std::size_t i = 0; i < n; ++i) {
        auto& cp = plan.children[i];
        if (!facility_of[i] || cp.arrival_s < 0) continue;
        const auto j = *facility_of[i];
        const auto& w = work[i];
        if (!net) {
            PlannedRoute r;
            r.mode = w.mode;
            r.depart_s = cp.planned_departure_s;
            r.geometry = {children[i].home, facilities[j].position};
            r.length_m = geo::haversine_m(children[i].home, facilities[j].position) * opt.straight_line_circuity;
            r.travel_s = w.travel_s[j];
            cp.primary = r;
            continue;
        }
        const auto& mode = modes_at(w.mode);
        const auto home = access_for(mode, *net, children[i].home);
        const auto& fa = facility_access.at(w.mode)[j];
        const auto dep_ms = cp.planned_departure_s * 1000 + home.leave_ms;
        auto make = [&](std::span<const geo::Weight> weights) -> std::optional<PlannedRoute> {
            const auto route = router->earliest_arrival(home.depart_node, fa.arrive_node, dep_ms, weights,
                                                        mode.closures.closed_from_ms);
            if (!route) return std::nullopt;
            PlannedRoute r;
            r.mode = w.mode;
            r.depart_s = cp.planned_departure_s;
            for (const auto e : route->edges) r.edges.push_back(e.value());
            r.geometry = geo::path_geometry(*net, route->edges);
            r.geometry.insert(r.geometry.begin(), children[i].home);
            r.geometry.push_back(facilities[j].position);
            r.length_m = geo::path_length_m(*net, route->edges) + home.distance_m + fa.distance_m;
            std::int64_t t_ms = home.leave_ms + fa.join_ms;
            for (const auto e : route->edges) t_ms += mode.weights_ms[e.value()];
            r.travel_s = (t_ms + 999) / 1000;
            r.uses_hazard_closures = !sc.hazards.empty();
            return r;
        };
        cp.primary = make(mode.weights_ms);
        if (cp.primary && w.transport != TransportKind::vehicle) {
            cp.arrival_s = std::max(cp.planned_departure_s + cp.primary->travel_s, facilities[j].opening_delay_s);
        }
        if (cp.primary && !cp.primary->edges.empty()) {
            // Alternate: the primary's edges (both directions) cost five times as much.
            auto weights = mode.weights_ms;
            std::set<std::uint32_t> used(cp.primary->edges.begin(), cp.primary->edges.end());
            for (const auto e : cp.primary->edges) {
                const geo::EdgeId id(e);
                if (auto rev = net->find_edge(net->head(id), net->tail(id))) used.insert(rev->value());
            }
            for (const auto e : used) {
                if (weights[e] != geo::no_edge) weights[e] = static_cast<geo::Weight>(std::min<std::uint64_t>(weights[e] * 5ull, geo::no_edge - 1));
            }
            auto alt = make(weights);
            if (alt) {
                double shared = 0.0;
                for (const auto e : alt->edges) {
                    if (used.count(e)) shared += net->length_m(geo::EdgeId(e));
                }
                alt->overlap_with_primary = cp.primary->length_m > 0 ? shared / cp.primary->length_m : 1.0;
                // Recompute its real travel time (without the penalty).
                std::int64_t t_ms = home.leave_ms + fa.join_ms;
                for (const auto e : alt->edges) t_ms += mode.weights_ms[e];
                alt->travel_s = (t_ms + 999) / 1000;
                if (alt->overlap_with_primary < 0.7) cp.alternate = std::move(alt);
            }
            if (!cp.alternate) {
                cp.reasons.push_back("はっきり異なる別ルートがない (no clearly different alternate route)");
            }
        }
    }

    // 8. Feasibility.
    report("feasibility", 0.85);
    for (std::size_t i = 0; i < n; ++i) {
        auto& cp = plan.children[i];
        if (cp.facility_id.empty() || cp.arrival_s < 0) {
            cp.status = Feasibility::cannot_serve;
            cp.transport = cp.facility_id.empty() ? TransportKind::none : cp.transport;
            cp.margin_s = 0;
            continue;
        }
        cp.margin_s = cp.deadline_s - cp.arrival_s;
        if (cp.primary) cp.latest_departure_s = cp.deadline_s - cp.primary->travel_s;
        if (cp.margin_s < 0) {
            cp.status = Feasibility::cannot_serve;
            cp.reasons.push_back("期限までに到着できない: " + minutes_text(-cp.margin_s) + "遅れ (arrives after the deadline)");
        } else if (cp.margin_s < plan.at_risk_threshold_s) {
            cp.status = Feasibility::at_risk;
            cp.reasons.push_back("余裕が" + minutes_text(cp.margin_s) + "しかない (margin under the threshold)");
        } else {
            cp.status = Feasibility::on_time;
        }
        if (work[i].hazard_at_home_s >= 0) {
            cp.reasons.push_back("自宅は" + hazard_label(work[i].hazard_at_home_kind) + "の想定区域内: " +
                                 minutes_text(work[i].hazard_at_home_s) + "後までに出発");
        }
    }

    // 9. Facility needs.
    report("shelter needs", 0.9);
    std::vector<std::vector<std::size_t>> at(f_count);
    for (std::size_t i = 0; i < n; ++i) {
        if (facility_of[i]) at[*facility_of[i]].push_back(i);
    }
    for (std::size_t j = 0; j < f_count; ++j) {
        if (at[j].empty()) continue;
        const auto& f = facilities[j];
        FacilityPlan fp;
        fp.facility_id = f.id;
        fp.name = f.name;
        for (std::size_t k = 0; k < kFacilityKindCount; ++k) {
            if (f.is(static_cast<FacilityKind>(k))) {
                fp.kind += (fp.kind.empty() ? "" : "+") + std::string(to_string(static_cast<FacilityKind>(k)));
            }
        }
        fp.municipality_code = f.municipality_code;
        fp.location = f.position;
        fp.capacity = f.capacity_persons.value_or(-1);
        fp.assigned = static_cast<std::int64_t>(at[j].size());
        fp.generator_kw = f.generator_kw;
        fp.fuel_l = f.generator_fuel_h * f.generator_kw * kFuelLitresPerKwh;
        std::map<std::string, double> consumables;
        std::int64_t nurse_children = 0, carer_children = 0;
        for (const auto i : at[j]) {
            const auto& needs = work[i].needs;
            fp.peak_kw += needs.load_peak_w / 1000.0;
            fp.energy_kwh += needs.energy_horizon_wh / 1000.0;
            fp.outlets_needed += needs.outlets;
            for (const auto& d : children[i].devices) {
                const auto* spec = sc.catalogue.find(d.type);
                if (d.external_battery_h.value_or(0) > 0 || (spec && spec->external_battery_h > 0)) {
                    fp.batteries_to_precharge += d.count;
                }
            }
            if (needs.staff == StaffLevel::nurse) ++nurse_children;
            if (needs.staff == StaffLevel::carer) ++carer_children;
            for (const auto& c : needs.consumables) consumables[c.name + " (" + c.unit + ")"] += c.day3;
        }
        fp.fuel_needed_l = fp.energy_kwh * kFuelLitresPerKwh;
        fp.nurses_needed = (nurse_children + kChildrenPerStaff - 1) / kChildrenPerStaff;
        fp.carers_needed = (carer_children + kChildrenPerStaff - 1) / kChildrenPerStaff;
        for (const auto& [k, v] : consumables) fp.consumables_72h.emplace_back(k, v);
        if (fp.capacity >= 0 && fp.assigned > fp.capacity) fp.shortages.push_back({"places", double(fp.assigned), double(fp.capacity)});
        if (fp.peak_kw > f.generator_kw) fp.shortages.push_back({"power_kw", fp.peak_kw, f.generator_kw});
        if (fp.fuel_needed_l > fp.fuel_l + 1e-9 && fp.energy_kwh > 0) fp.shortages.push_back({"fuel_l", fp.fuel_needed_l, fp.fuel_l});
        if (fp.outlets_needed > f.outlets) fp.shortages.push_back({"outlets", double(fp.outlets_needed), double(f.outlets)});
        if (fp.nurses_needed > f.nurses) fp.shortages.push_back({"nurses", double(fp.nurses_needed), double(f.nurses)});
        if (fp.nurses_needed + fp.carers_needed > f.nurses + f.carers)
            fp.shortages.push_back({"nurses_and_carers", double(fp.nurses_needed + fp.carers_needed), double(f.nurses + f.carers)});
        plan.facilities.push_back(std::move(fp));
    }

    // Summary.
    std::vector<double> margins;
    for (const auto& cp : plan.children) {
        plan.summary.children++;
        if (cp.status == Feasibility::on_time) plan.summary.on_time++;
        if (cp.status == Feasibility::at_risk) plan.summary.at_risk++;
        if (cp.status == Feasibility::cannot_serve) plan.summary.cannot_serve++;
        if (cp.arrival_s >= 0 && !cp.facility_id.empty()) margins.push_back(static_cast<double>(cp.margin_s) / 60.0);
        if (cp.reasons.empty() && cp.status != Feasibility::on_time) {
            throw InternalError("child " + cp.child_id + " is not on time but has no reason");
        }
    }
    plan.summary.margin_min_p5 = quantile(margins, 0.05);
    plan.summary.margin_min_p50 = quantile(margins, 0.5);
    plan.summary.margin_min_p95 = quantile(margins, 0.95);
    plan.summary.facilities_used = static_cast<std::int64_t>(plan.facilities.size());
    for (const auto& f : plan.facilities) plan.summary.facilities_short += f.shortages.empty() ? 0 : 1;
    for (const auto& d : sc.diagnostics) {
        if (d.severity == Diagnostic::Severity::warning) plan.warnings.push_back(d.str());
    }
    std::sort(plan.warnings.begin(), plan.warnings.end());
    std::sort(plan.tours.begin(), plan.tours.end(), [](const auto& a, const auto& b) { return a.vehicle_id < b.vehicle_id; });
    report("done", 1.0);
    return plan;
}

} // namespace sonae::planner
