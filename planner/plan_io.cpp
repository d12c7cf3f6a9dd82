// A type error in a plan.json read back names the path of the field (children/3/margin_s):
// defined before any header can include nlohmann/json.hpp. nlohmann tags its ABI with the
// setting (json_abi_diag_v3_11_2), so other files' json stays the plain type.
#define JSON_DIAGNOSTICS 1
#include "planner/plan_io.hpp"

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "geo/input_file.hpp"
#include "planner/plan_check.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>
#include <vector>

namespace sonae::planner {

using nlohmann::ordered_json;

namespace {

template <typename Enum>
Enum enum_from(const std::string& text, std::initializer_list<Enum> values, const char* field) {
    for (auto v : values) {
        if (to_string(v) == text) return v;
    }
    throw InputError("unknown value", {.field = field, .value = text});
}

// A code of planner/codes.hpp read back: unknown is bad input naming the field and the value.
template <typename Enum>
Enum code_from(const std::string& text, std::optional<Enum> (*from_code)(std::string_view),
               const char* field) {
    if (const auto v = from_code(text)) return *v;
    throw InputError("unknown value", {.field = field, .value = text});
}

ordered_json lonlat_json(const geo::LonLat& p) {
    return ordered_json::array({p.lon, p.lat});
}

geo::LonLat lonlat_from(const ordered_json& j) {
    return {j.at(0).get<double>(), j.at(1).get<double>()};
}

ordered_json route_json(const PlannedRoute& r) {
    ordered_json j;
    j["mode"] = std::string(to_string(r.mode));
    j["length_m"] = r.length_m;
    j["travel_s"] = r.travel_s;
    j["depart_s"] = r.depart_s;
    j["uses_hazard_closures"] = r.uses_hazard_closures;
    j["overlap_with_primary"] = r.overlap_with_primary;
    auto edges = ordered_json::array();
    for (const auto e : r.edges) edges.push_back(e.value());
    j["edges"] = std::move(edges);
    auto g = ordered_json::array();
    for (const auto& p : r.geometry) g.push_back(lonlat_json(p));
    j["geometry"] = std::move(g);
    return j;
}

PlannedRoute route_from(const ordered_json& j) {
    PlannedRoute r;
    r.mode = code_from(j.at("mode").get<std::string>(), travel_mode_from_code, "mode");
    r.length_m = j.at("length_m").get<double>();
    r.travel_s = j.at("travel_s").get<std::int64_t>();
    r.depart_s = j.at("depart_s").get<std::int64_t>();
    r.uses_hazard_closures = j.at("uses_hazard_closures").get<bool>();
    r.overlap_with_primary = j.at("overlap_with_primary").get<double>();
    for (const auto e : j.at("edges").get<std::vector<geo::EdgeId::rep_type>>())
        r.edges.emplace_back(e);
    for (const auto& p : j.at("geometry")) r.geometry.push_back(lonlat_from(p));
    return r;
}

ordered_json destination_json(const HazardDestination& d) {
    ordered_json j;
    j["hazard"] = d.hazard;
    j["facility_id"] = d.facility_id;
    j["facility_name"] = d.facility_name;
    j["facility_kind"] = d.facility_kind;
    j["facility_location"] = lonlat_json(d.facility_location);
    j["mode"] = std::string(to_string(d.mode));
    j["travel_s"] = d.travel_s;
    j["length_m"] = d.length_m;
    j["designation_unknown"] = d.designation_unknown;
    j["approximate"] = d.approximate;
    auto g = ordered_json::array();
    for (const auto& p : d.geometry) g.push_back(lonlat_json(p));
    j["geometry"] = std::move(g);
    return j;
}

HazardDestination destination_from(const ordered_json& j) {
    HazardDestination d;
    d.hazard = j.at("hazard").get<std::string>();
    d.facility_id = j.at("facility_id").get<std::string>();
    d.facility_name = j.at("facility_name").get<std::string>();
    d.facility_kind = j.at("facility_kind").get<std::string>();
    d.facility_location = lonlat_from(j.at("facility_location"));
    d.mode = code_from(j.at("mode").get<std::string>(), travel_mode_from_code, "mode");
    d.travel_s = j.at("travel_s").get<std::int64_t>();
    d.length_m = j.at("length_m").get<double>();
    d.designation_unknown = j.at("designation_unknown").get<bool>();
    d.approximate = j.at("approximate").get<bool>();
    for (const auto& p : j.at("geometry")) d.geometry.push_back(lonlat_from(p));
    return d;
}

ordered_json child_json(const ChildPlan& c) {
    ordered_json j;
    j["child_id"] = c.child_id;
    j["municipality_code"] = c.municipality_code;
    j["home"] = lonlat_json(c.home);
    // Only for a home placed from its address (issue 22): plans of pinned homes are unchanged.
    if (!c.home_precision.empty()) j["home_precision"] = c.home_precision;
    j["mobility"] = std::string(to_string(c.mobility));
    j["care_items"] = c.care_items;
    ordered_json p;
    p["load_avg_w"] = c.power.load_avg_w;
    p["load_peak_w"] = c.power.load_peak_w;
    p["energy_horizon_wh"] = c.power.energy_horizon_wh;
    p["endurance_h"] = c.power.endurance_h;
    p["oxygen_h"] = c.power.oxygen_h;
    p["outlets"] = c.power.outlets;
    p["needs_nurse"] = c.power.needs_nurse;
    p["needs_carer"] = c.power.needs_carer;
    p["ventilator"] = c.power.ventilator;
    p["oxygen"] = c.power.oxygen;
    p["devices"] = c.power.devices;
    // Added within version 1 (issue 18): what each hour is.
    p["essential_avg_w"] = c.power.essential_avg_w;
    p["essential_peak_w"] = c.power.essential_peak_w;
    p["device_battery_h"] = c.power.device_battery_h;
    p["cylinder_only_h"] = c.power.cylinder_only_h;
    p["total_endurance_h"] = c.power.endurance_h;
    p["oxygen_cylinders_recommended"] = c.power.oxygen_cylinders_recommended;
    p["oxygen_call_supplier_h"] = c.power.oxygen_call_supplier_h;
    auto sources = ordered_json::array();
    for (const auto& b : c.power.backup_sources) {
        ordered_json o;
        o["source"] = b.source;
        o["hours"] = b.hours;
        o["carries_all"] = b.carries_all;
        o["fuel_held"] = b.fuel_held;
        o["fuel_per_h"] = b.fuel_per_h;
        o["fuel_unit"] = b.fuel_unit;
        o["left_out"] = b.left_out;
        sources.push_back(std::move(o));
    }
    p["backup_sources"] = std::move(sources);
    auto sequence = ordered_json::array();
    for (const auto& st : c.power.sequence) {
        ordered_json o;
        o["source"] = st.source;
        o["device"] = st.device;
        o["start_h"] = st.start_h;
        o["end_h"] = st.end_h;
        sequence.push_back(std::move(o));
    }
    p["sequence"] = std::move(sequence);
    j["power"] = std::move(p);
    j["transport"] = std::string(to_string(c.transport));
    j["vehicle_id"] = c.vehicle_id;
    j["facility_id"] = c.facility_id;
    j["fallback_facility_id"] = c.fallback_facility_id;
    j["hazard_at_home_s"] = c.hazard_at_home_s;
    j["mains_lost_s"] = c.mains_lost_s;
    j["earliest_departure_s"] = c.earliest_departure_s;
    j["leave_by_s"] = c.leave_by_s;
    j["arrive_by_s"] = c.arrive_by_s;
    j["latest_safe_departure_s"] = c.latest_safe_departure_s;
    j["planned_departure_s"] = c.planned_departure_s;
    j["arrival_s"] = c.arrival_s;
    j["on_power_s"] = c.on_power_s;
    j["margin_s"] = c.margin_s;
    j["binding"] = std::string(to_string(c.binding));
    j["alert"] = c.alert;
    ordered_json steps;
    steps["decision_s"] = c.steps.decision_s;
    steps["packing_s"] = c.steps.packing_s;
    steps["stairs_s"] = c.steps.stairs_s;
    steps["loading_s"] = c.steps.loading_s;
    steps["transfer_s"] = c.steps.transfer_s;
    steps["connection_s"] = c.steps.connection_s;
    steps["recorded"] = c.steps.recorded;
    steps["night"] = c.steps.night;
    j["steps"] = std::move(steps);
    j["primary"] = c.primary ? route_json(*c.primary) : ordered_json(nullptr);
    j["alternate"] = c.alternate ? route_json(*c.alternate) : ordered_json(nullptr);
    j["outcome"] = std::string(to_string(c.outcome));
    j["status"] = std::string(to_string(c.status));
    j["reasons"] = c.reasons;
    auto dests = ordered_json::array();
    for (const auto& d : c.destinations_by_hazard) dests.push_back(destination_json(d));
    j["destinations_by_hazard"] = std::move(dests);
    return j;
}

ChildPlan child_from(const ordered_json& j) {
    ChildPlan c;
    c.child_id = j.at("child_id").get<std::string>();
    c.municipality_code = j.at("municipality_code").get<std::string>();
    c.home = lonlat_from(j.at("home"));
    c.home_precision = j.value("home_precision", std::string());
    c.mobility = code_from(j.at("mobility").get<std::string>(), mobility_from_code, "mobility");
    c.care_items = j.at("care_items").get<std::vector<std::string>>();
    const auto& p = j.at("power");
    c.power.load_avg_w = p.at("load_avg_w").get<double>();
    c.power.load_peak_w = p.at("load_peak_w").get<double>();
    c.power.energy_horizon_wh = p.at("energy_horizon_wh").get<double>();
    c.power.endurance_h = p.at("endurance_h").get<double>();
    c.power.oxygen_h = p.at("oxygen_h").get<double>();
    c.power.outlets = p.at("outlets").get<std::int64_t>();
    c.power.needs_nurse = p.at("needs_nurse").get<bool>();
    c.power.needs_carer = p.at("needs_carer").get<bool>();
    c.power.ventilator = p.at("ventilator").get<bool>();
    c.power.oxygen = p.at("oxygen").get<bool>();
    c.power.devices = p.at("devices").get<std::vector<std::string>>();
    // Added within version 1 (issue 18); older files read the defaults.
    c.power.essential_avg_w = p.value("essential_avg_w", 0.0);
    c.power.essential_peak_w = p.value("essential_peak_w", 0.0);
    c.power.device_battery_h = p.value("device_battery_h", -1.0);
    c.power.cylinder_only_h = p.value("cylinder_only_h", -1.0);
    c.power.oxygen_cylinders_recommended = p.value("oxygen_cylinders_recommended", std::int64_t{0});
    c.power.oxygen_call_supplier_h = p.value("oxygen_call_supplier_h", -1.0);
    if (const auto it = p.find("backup_sources"); it != p.end()) {
        for (const auto& o : *it) {
            c.power.backup_sources.push_back(BackupSourcePlan{
                o.at("source").get<std::string>(), o.at("hours").get<double>(),
                o.at("carries_all").get<bool>(), o.at("fuel_held").get<double>(),
                o.at("fuel_per_h").get<double>(), o.at("fuel_unit").get<std::string>(),
                o.value("left_out", std::vector<std::string>{})});
        }
    }
    if (const auto it = p.find("sequence"); it != p.end()) {
        for (const auto& o : *it) {
            c.power.sequence.push_back(
                PowerStep{o.at("source").get<std::string>(), o.at("device").get<std::string>(),
                          o.at("start_h").get<double>(), o.at("end_h").get<double>()});
        }
    }
    c.transport = enum_from(j.at("transport").get<std::string>(),
                            {TransportKind::family_car, TransportKind::vehicle, TransportKind::walk,
                             TransportKind::none},
                            "transport");
    c.vehicle_id = j.at("vehicle_id").get<std::string>();
    c.facility_id = j.at("facility_id").get<std::string>();
    c.fallback_facility_id = j.at("fallback_facility_id").get<std::string>();
    c.hazard_at_home_s = j.at("hazard_at_home_s").get<std::int64_t>();
    c.mains_lost_s = j.at("mains_lost_s").get<std::int64_t>();
    c.earliest_departure_s = j.at("earliest_departure_s").get<std::int64_t>();
    c.leave_by_s = j.at("leave_by_s").get<std::int64_t>();
    c.arrive_by_s = j.at("arrive_by_s").get<std::int64_t>();
    c.latest_safe_departure_s = j.at("latest_safe_departure_s").get<std::int64_t>();
    c.planned_departure_s = j.at("planned_departure_s").get<std::int64_t>();
    c.arrival_s = j.at("arrival_s").get<std::int64_t>();
    c.on_power_s = j.at("on_power_s").get<std::int64_t>();
    c.margin_s = j.at("margin_s").get<std::int64_t>();
    c.binding = enum_from(j.at("binding").get<std::string>(),
                          {Binding::none, Binding::leave_by, Binding::arrive_by, Binding::route},
                          "binding");
    c.alert = j.at("alert").get<std::string>();
    const auto& steps = j.at("steps");
    c.steps.decision_s = steps.at("decision_s").get<std::int64_t>();
    c.steps.packing_s = steps.at("packing_s").get<std::int64_t>();
    c.steps.stairs_s = steps.at("stairs_s").get<std::int64_t>();
    c.steps.loading_s = steps.at("loading_s").get<std::int64_t>();
    c.steps.transfer_s = steps.at("transfer_s").get<std::int64_t>();
    c.steps.connection_s = steps.at("connection_s").get<std::int64_t>();
    c.steps.recorded = steps.at("recorded").get<bool>();
    c.steps.night = steps.at("night").get<bool>();
    if (!j.at("primary").is_null()) c.primary = route_from(j.at("primary"));
    if (!j.at("alternate").is_null()) c.alternate = route_from(j.at("alternate"));
    c.outcome =
        enum_from(j.at("outcome").get<std::string>(),
                  {Outcome::evacuate, Outcome::shelter_in_place, Outcome::cannot_serve}, "outcome");
    c.status = enum_from(j.at("status").get<std::string>(),
                         {Feasibility::on_time, Feasibility::at_risk, Feasibility::cannot_serve},
                         "status");
    c.reasons = j.at("reasons").get<std::vector<std::string>>();
    // Added after format version 1 was first written: older plan.json files have no such
    // field, and read as a plan without standing-plan destinations.
    if (const auto it = j.find("destinations_by_hazard"); it != j.end()) {
        for (const auto& d : *it) c.destinations_by_hazard.push_back(destination_from(d));
    }
    return c;
}

ordered_json facility_json(const FacilityPlan& f) {
    ordered_json j;
    j["facility_id"] = f.facility_id;
    j["name"] = f.name;
    j["kind"] = f.kind;
    j["municipality_code"] = f.municipality_code;
    j["location"] = lonlat_json(f.location);
    // Written only when the source says something (issue 22): other plans stay as they were.
    if (!f.location_precision.empty()) j["location_precision"] = f.location_precision;
    j["capacity"] = f.capacity;
    if (!f.capacity_basis.empty()) j["capacity_basis"] = f.capacity_basis;
    if (!f.accessibility.empty()) j["accessibility"] = f.accessibility;
    if (!f.designation_notes.empty()) j["designation_notes"] = f.designation_notes;
    j["assigned"] = f.assigned;
    j["generator_kw"] = f.generator_kw;
    j["fuel_l"] = f.fuel_l;
    j["peak_kw"] = f.peak_kw;
    j["energy_kwh"] = f.energy_kwh;
    j["fuel_needed_l"] = f.fuel_needed_l;
    j["outlets_needed"] = f.outlets_needed;
    j["batteries_to_precharge"] = f.batteries_to_precharge;
    j["nurses_needed"] = f.nurses_needed;
    j["carers_needed"] = f.carers_needed;
    j["places_needed"] = f.places_needed;
    j["evacuee_kw"] = f.evacuee_kw;
    j["base_load_kw"] = f.base_load_kw;
    j["fuel_per_h"] = f.fuel_per_h;
    j["hours_to_refuel"] = f.hours_to_refuel;
    j["refuel_by_s"] = f.refuel_by_s;
    j["staff_shifts"] = f.staff_shifts;
    j["outlets"] = f.outlets;
    auto cons = ordered_json::array();
    for (const auto& [item, qty] : f.consumables_72h) cons.push_back({item, qty});
    j["consumables_72h"] = std::move(cons);
    auto sh = ordered_json::array();
    for (const auto& s : f.shortages) {
        sh.push_back(
            ordered_json{{"item", s.item}, {"needed", s.needed}, {"available", s.available}});
    }
    j["shortages"] = std::move(sh);
    return j;
}

FacilityPlan facility_from(const ordered_json& j) {
    FacilityPlan f;
    f.facility_id = j.at("facility_id").get<std::string>();
    f.name = j.at("name").get<std::string>();
    f.kind = j.at("kind").get<std::string>();
    f.municipality_code = j.at("municipality_code").get<std::string>();
    f.location = lonlat_from(j.at("location"));
    f.location_precision = j.value("location_precision", std::string());
    f.capacity = j.at("capacity").get<std::int64_t>();
    f.capacity_basis = j.value("capacity_basis", std::string());
    f.accessibility = j.value("accessibility", std::vector<std::string>());
    f.designation_notes = j.value("designation_notes", std::vector<std::string>());
    f.assigned = j.at("assigned").get<std::int64_t>();
    f.generator_kw = j.at("generator_kw").get<double>();
    f.fuel_l = j.at("fuel_l").get<double>();
    f.peak_kw = j.at("peak_kw").get<double>();
    f.energy_kwh = j.at("energy_kwh").get<double>();
    f.fuel_needed_l = j.at("fuel_needed_l").get<double>();
    f.outlets_needed = j.at("outlets_needed").get<std::int64_t>();
    f.batteries_to_precharge = j.at("batteries_to_precharge").get<std::int64_t>();
    f.nurses_needed = j.at("nurses_needed").get<std::int64_t>();
    f.carers_needed = j.at("carers_needed").get<std::int64_t>();
    // Added within version 2 (issue 18 item 6); older files read the defaults.
    f.places_needed = j.value("places_needed", f.assigned);
    f.evacuee_kw = j.value("evacuee_kw", f.generator_kw);
    f.base_load_kw = j.value("base_load_kw", 0.0);
    f.fuel_per_h = j.value("fuel_per_h", 0.0);
    f.hours_to_refuel = j.value("hours_to_refuel", -1.0);
    f.refuel_by_s = j.value("refuel_by_s", std::int64_t{-1});
    f.staff_shifts = j.value("staff_shifts", std::int64_t{1});
    f.outlets = j.value("outlets", std::int64_t{-1});
    for (const auto& c : j.at("consumables_72h")) {
        f.consumables_72h.emplace_back(c.at(0).get<std::string>(), c.at(1).get<double>());
    }
    for (const auto& s : j.at("shortages")) {
        f.shortages.push_back(Shortage{s.at("item").get<std::string>(),
                                       s.at("needed").get<double>(),
                                       s.at("available").get<double>()});
    }
    return f;
}

ordered_json tour_json(const VehicleTour& t) {
    ordered_json j;
    j["vehicle_id"] = t.vehicle_id;
    j["vehicle_type"] = t.vehicle_type;
    j["length_m"] = t.length_m;
    auto stops = ordered_json::array();
    for (const auto& s : t.stops) {
        ordered_json sj;
        sj["kind"] = std::string(to_string(s.kind));
        sj["child_id"] = s.child_id;
        sj["facility_id"] = s.facility_id;
        sj["location"] = lonlat_json(s.location);
        sj["arrival_s"] = s.arrival_s;
        sj["departure_s"] = s.departure_s;
        stops.push_back(std::move(sj));
    }
    j["stops"] = std::move(stops);
    return j;
}

VehicleTour tour_from(const ordered_json& j) {
    VehicleTour t;
    t.vehicle_id = j.at("vehicle_id").get<std::string>();
    t.vehicle_type = j.at("vehicle_type").get<std::string>();
    t.length_m = j.at("length_m").get<double>();
    for (const auto& sj : j.at("stops")) {
        TourStop s;
        s.kind = code_from(sj.at("kind").get<std::string>(), stop_kind_from_code, "kind");
        s.child_id = sj.at("child_id").get<std::string>();
        s.facility_id = sj.at("facility_id").get<std::string>();
        s.location = lonlat_from(sj.at("location"));
        s.arrival_s = sj.at("arrival_s").get<std::int64_t>();
        s.departure_s = sj.at("departure_s").get<std::int64_t>();
        t.stops.push_back(std::move(s));
    }
    return t;
}

/// "[json.exception.type_error.302] (/children/3/margin_s) type must be number, but is string"
/// -> {"children[3].margin_s", "type must be number, but is string"}; no path -> {"", text}.
std::pair<std::string, std::string> json_error_path(const std::string& what) {
    std::string text = what;
    if (text.starts_with("[json.exception.")) {
        if (const auto end = text.find("] "); end != std::string::npos) text = text.substr(end + 2);
    }
    if (!text.starts_with("(")) return {"", text};
    const auto close = text.find(") ");
    if (close == std::string::npos) return {"", text};
    const std::string pointer = text.substr(1, close - 1);
    std::string path;
    std::size_t pos = 1; // after the leading '/'
    while (pointer.starts_with("/") && pos <= pointer.size()) {
        const auto next = std::min(pointer.find('/', pos), pointer.size());
        std::string token = pointer.substr(pos, next - pos);
        for (std::size_t k = 0; (k = token.find('~', k)) != std::string::npos; ++k) {
            token.replace(k, 2, token.compare(k, 2, "~1") == 0 ? "/" : "~");
        }
        const bool index =
            !token.empty() && token.find_first_not_of("0123456789") == std::string::npos;
        path += index ? "[" + token + "]" : (path.empty() ? "" : ".") + token;
        pos = next + 1;
    }
    return {path, text.substr(close + 2)};
}

/// Issue 24 item 3: every number of a plan.json is read into an integer or a double, and a
/// float beyond what an integer holds (a margin of 1e308) became INT64_MIN on the way
/// (undefined behaviour) before the range checks saw it. So a number beyond ±1e15 is refused
/// first, naming its path and its value as written; nothing sonae writes comes near (times
/// within ten horizons, amounts up to 1e9, the seed is written as an integer). The path is
/// made only for the number refused (plan.json has millions of values).
void check_number_sizes(const ordered_json& j, const std::string& source) {
    struct Step {
        const ordered_json* value;
        std::string_view key; ///< the member's name, or empty for an array's element
        std::size_t index;
    };
    std::vector<Step> stack;
    const auto path_of = [&] {
        std::string path;
        for (std::size_t k = 1; k < stack.size(); ++k) {
            const Step& s = stack[k];
            if (s.key.empty())
                path += "[" + std::to_string(s.index) + "]";
            else
                path += (path.empty() ? "" : ".") + std::string(s.key);
        }
        return path;
    };
    const std::function<void(const ordered_json&, std::string_view, std::size_t)> visit =
        [&](const ordered_json& v, std::string_view key, std::size_t index) {
            stack.push_back({&v, key, index});
            if (v.is_object()) {
                for (auto it = v.begin(); it != v.end(); ++it) visit(*it, it.key(), 0);
            } else if (v.is_array()) {
                for (std::size_t i = 0; i < v.size(); ++i) visit(v[i], {}, i);
            } else if (v.is_number_float() && !(std::fabs(v.get<double>()) <= 1e15)) {
                throw InputError("out of range: no number in a plan is beyond ±1e15 (times are "
                                 "seconds within ten horizons)",
                                 {.file = source, .field = path_of(), .value = v.dump()});
            }
            stack.pop_back();
        };
    visit(j, {}, 0);
}

/// children[3].margin_s -> /children/3/margin_s (names with '.' or '[' are not in a plan).
std::string json_pointer_of(const std::string& path) {
    std::string pointer = "/";
    for (const char ch : path) {
        if (ch == '.' || ch == '[')
            pointer += '/';
        else if (ch != ']')
            pointer += ch;
    }
    return pointer;
}

} // namespace

namespace {

/// Prints plan.json through `sink`, a piece at a time: the document without its children, then
/// the children in batches, each child converted and printed on every core, then the rest. The
/// text is the same as printing the whole document at once (tested in plan_io_test); at no
/// point is the whole text, or the whole document as JSON values, in memory (a plan of
/// 100,000 children is about 600 MB of text: issue 24 item 6).
void print_plan_json(const Plan& plan, const std::function<void(std::string_view)>& sink) {
    ordered_json j;
    j["format"] = "sonae-plan";
    j["format_version"] = plan.format_version;
    j["scenario_name"] = plan.scenario_name;
    j["scenario_title"] = plan.scenario_title;
    j["hazard_kind"] = plan.hazard_kind;
    j["t0_label"] = plan.t0_label;
    j["seed"] = plan.seed;
    j["horizon_h"] = plan.horizon_h;
    j["approximate"] = plan.approximate;
    j["approximation_note"] = plan.approximation_note;
    j["network_source"] = plan.network_source;
    j["at_risk_threshold_s"] = plan.at_risk_threshold_s;
    ordered_json s;
    s["children"] = plan.summary.children;
    s["on_time"] = plan.summary.on_time;
    s["at_risk"] = plan.summary.at_risk;
    s["cannot_serve"] = plan.summary.cannot_serve;
    s["shelter_in_place"] = plan.summary.shelter_in_place;
    s["margin_min_p5"] = plan.summary.margin_min_p5;
    s["margin_min_p50"] = plan.summary.margin_min_p50;
    s["margin_min_p95"] = plan.summary.margin_min_p95;
    s["facilities_used"] = plan.summary.facilities_used;
    s["facilities_short"] = plan.summary.facilities_short;
    j["summary"] = std::move(s);
    // The children are most of the document (routes with their geometry): each is converted
    // and printed on its own, on every core, and spliced in where a marker stands; the text
    // is the same as printing the whole document at once (tested in plan_io_test).
    constexpr const char* marker = "\x01sonae-children\x01";
    j["children"] = plan.children.empty() ? ordered_json::array() : ordered_json::array({marker});
    auto facilities = ordered_json::array();
    for (const auto& f : plan.facilities) facilities.push_back(facility_json(f));
    j["facilities"] = std::move(facilities);
    auto tours = ordered_json::array();
    for (const auto& t : plan.tours) tours.push_back(tour_json(t));
    j["tours"] = std::move(tours);
    j["warnings"] = plan.warnings;
    std::string text = j.dump(2) + "\n";
    if (plan.children.empty()) {
        sink(text);
        return;
    }
    const std::string placeholder = "    " + ordered_json(marker).dump();
    const auto at = text.find(placeholder);
    if (at == std::string::npos)
        throw InternalError("plan_to_json: the children marker is missing");
    sink(std::string_view(text).substr(0, at));
    // Each child is an element of an array two levels deep: four more spaces on every line.
    constexpr std::size_t batch = 2048;
    std::vector<std::string> parts(std::min(batch, plan.children.size()));
    const unsigned workers = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
    for (std::size_t begin = 0; begin < plan.children.size(); begin += batch) {
        const std::size_t end = std::min(plan.children.size(), begin + batch);
        core::parallel_for(end - begin, workers, [&](std::size_t k) {
            const std::size_t i = begin + k;
            const auto one = child_json(plan.children[i]).dump(2);
            auto& out = parts[k];
            out.clear();
            out.reserve(one.size() + one.size() / 8 + 2);
            if (i > 0) out += ",\n";
            out += "    ";
            for (const char ch : one) {
                out += ch;
                if (ch == '\n') out += "    ";
            }
        });
        for (std::size_t i = begin; i < end; ++i) sink(parts[i - begin]);
    }
    sink(std::string_view(text).substr(at + placeholder.size()));
}

} // namespace

std::string plan_to_json(const Plan& plan) {
    std::string text;
    print_plan_json(plan, [&](std::string_view piece) { text += piece; });
    return text;
}

Plan plan_from_json(const std::string& text, const std::string& source) {
    ordered_json j;
    try {
        j = ordered_json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw InputError(std::string("not a valid JSON document: ") + e.what(), {.file = source});
    }
    try {
        if (j.value("format", "") != "sonae-plan") {
            throw InputError("not a sonae plan (field 'format' is not 'sonae-plan')",
                             {.file = source});
        }
        check_number_sizes(j, source);
        Plan plan;
        plan.format_version = j.at("format_version").get<int>();
        if (plan.format_version != kPlanFormatVersion) {
            throw InputError("unsupported plan format version (this sonae reads version " +
                                 std::to_string(kPlanFormatVersion) + "); re-run `sonae plan`",
                             {.file = source,
                              .field = "format_version",
                              .value = std::to_string(plan.format_version)});
        }
        plan.scenario_name = j.at("scenario_name").get<std::string>();
        plan.scenario_title = j.at("scenario_title").get<std::string>();
        plan.hazard_kind = j.at("hazard_kind").get<std::string>();
        plan.t0_label = j.at("t0_label").get<std::string>();
        plan.seed = j.at("seed").get<std::uint64_t>();
        plan.horizon_h = j.at("horizon_h").get<std::int64_t>();
        plan.approximate = j.at("approximate").get<bool>();
        plan.approximation_note = j.at("approximation_note").get<std::string>();
        plan.network_source = j.at("network_source").get<std::string>();
        plan.at_risk_threshold_s = j.at("at_risk_threshold_s").get<std::int64_t>();
        const auto& s = j.at("summary");
        plan.summary.children = s.at("children").get<std::int64_t>();
        plan.summary.on_time = s.at("on_time").get<std::int64_t>();
        plan.summary.at_risk = s.at("at_risk").get<std::int64_t>();
        plan.summary.cannot_serve = s.at("cannot_serve").get<std::int64_t>();
        plan.summary.shelter_in_place = s.at("shelter_in_place").get<std::int64_t>();
        plan.summary.margin_min_p5 = s.at("margin_min_p5").get<double>();
        plan.summary.margin_min_p50 = s.at("margin_min_p50").get<double>();
        plan.summary.margin_min_p95 = s.at("margin_min_p95").get<double>();
        plan.summary.facilities_used = s.at("facilities_used").get<std::int64_t>();
        plan.summary.facilities_short = s.at("facilities_short").get<std::int64_t>();
        for (const auto& c : j.at("children")) plan.children.push_back(child_from(c));
        for (const auto& f : j.at("facilities")) plan.facilities.push_back(facility_from(f));
        for (const auto& t : j.at("tours")) plan.tours.push_back(tour_from(t));
        plan.warnings = j.at("warnings").get<std::vector<std::string>>();
        try {
            check_plan(plan, source);
        } catch (const InputError& e) {
            // The value as written in the file (1e308, not the integer it became).
            Where w = e.where();
            try {
                if (!w.field.empty()) {
                    const auto& v = j.at(ordered_json::json_pointer(json_pointer_of(w.field)));
                    if (v.is_number()) w.value = v.dump();
                }
            } catch (const nlohmann::json::exception&) {
            }
            throw InputError(e.message(), w);
        }
        return plan;
    } catch (const nlohmann::json::exception& e) {
        const auto [path, message] = json_error_path(e.what());
        Where where{.file = source, .field = path};
        if (!path.empty()) {
            // The value at the path, as written (shortened), when it exists.
            try {
                where.value = j.at(ordered_json::json_pointer(json_pointer_of(path))).dump();
                if (where.value.size() > 60) where.value = where.value.substr(0, 57) + "...";
            } catch (const nlohmann::json::exception&) {
            }
        }
        throw InputError("the plan is incomplete or has a wrong type: " + message, where);
    } catch (const InputError& e) {
        if (!e.where().file.empty()) throw;
        Where w = e.where();
        w.file = source;
        throw InputError(e.message(), w);
    }
}

void write_plan_json(const std::filesystem::path& path, const Plan& plan) {
    AtomicFileWriter out(path, FileMode::personal);
    print_plan_json(plan, [&](std::string_view piece) { out.write(piece); });
    out.commit();
}

Plan read_plan_json(const std::filesystem::path& path) {
    return plan_from_json(read_input_file(path, "plan", kMaxPlanBytes), path.string());
}

} // namespace sonae::planner
