#include "planner/power_model.hpp"

#include "planner/detail/registry_text.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace sonae::planner {

using detail::format_number;

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
} // namespace

std::string_view to_string(PowerSourceKind kind) {
    switch (kind) {
    case PowerSourceKind::power_station: return "power_station";
    case PowerSourceKind::car_socket: return "car_socket";
    case PowerSourceKind::hybrid_outlet: return "hybrid_outlet";
    case PowerSourceKind::generator: return "generator";
    case PowerSourceKind::internal_battery: return "internal_battery";
    case PowerSourceKind::external_battery: return "external_battery";
    case PowerSourceKind::oxygen_cylinder: return "oxygen_cylinder";
    case PowerSourceKind::none: return "none";
    }
    return "none";
}

double runtime_h(double label_wh, std::span<const Load> loads, const PowerOptions& options,
                 bool dc) {
    double average_w = 0.0;
    for (const Load& l : loads) average_w += l.power_w * (l.duty_h_per_day / 24.0);
    if (average_w <= 0.0) return kInf;
    const double efficiency = dc ? options.dc_efficiency : options.inverter_efficiency;
    return label_wh * options.usable_fraction * efficiency /
           (options.load_safety_factor * average_w);
}

double cylinder_usable_l(double nominal_l, double pressure_mpa) {
    // Body (water) volume of the common home-oxygen sizes (DOMAIN 2.2); other sizes scale
    // with the nominal litres at ~14.7 MPa.
    double body_l = nominal_l / 147.0;
    if (std::fabs(nominal_l - 300.0) < 1e-9) body_l = 2.0;
    if (std::fabs(nominal_l - 500.0) < 1e-9) body_l = 3.4;
    return body_l * pressure_mpa * 10.0 * 0.8;
}

double cylinder_hours(const OxygenSupply& oxygen) {
    if (oxygen.cylinders <= 0) return 0.0;
    if (oxygen.flow_lpm <= 0.0) return kInf;
    const double litres =
        cylinder_usable_l(oxygen.cylinder_nominal_l, oxygen.cylinder_pressure_mpa) *
        oxygen.cylinders;
    return litres / oxygen.flow_lpm / 60.0 * std::max(1.0, oxygen.demand_valve_factor);
}

namespace {

struct Unit {
    const DeviceSpec* spec = nullptr;
    std::string type;
    int count = 1;
    double power_w = 0.0;    // per unit
    double duty = 1.0;       // fraction of the day running
    double internal_h = 0.0; // per unit, continuous
    double external_h = 0.0;
    bool on_backup = true;
};

/// A household backup source for the timeline simulation.
struct Source {
    PowerSourceKind kind = PowerSourceKind::none;
    double output_w = kInf;   // rated output (inf = not limiting)
    double energy_wh = kInf;  // energy delivered before the load factor; inf if not energy-limited
    double duration_h = kInf; // running hours (car idling); inf if not duration-limited
    const GeneratorClass* generator = nullptr; // fuel-limited: fuel units held
    double rated_w = 0.0;
    double fuel = kInf;
    std::string label;
};

/// A device in the simulation (all of its units together).
struct SimDevice {
    std::size_t unit = 0;
    double power_w = 0.0;         // all units
    double duty = 1.0;            // average fraction
    double window_start_h = -1.0; // clock hour the daily run starts; < 0 = average
    double window_h = 24.0;
    bool life = false;
    bool oxygen = false; // the concentrator: off while cylinders last
    bool counted = true; // its stop ends the endurance
    int rank = 0;        // who gets a source that cannot carry all: lower first
};

struct SimInput {
    std::vector<SimDevice> devices;
    std::vector<Source> sources;
    bool batteries = true;
    double cylinder_l = 0.0;
    double cylinder_lph = 0.0;   // litres per hour drawn from cylinders
    bool oxygen_counted = false; // oxygen's stop ends the endurance
    bool has_concentrator = false;
};

struct SimResult {
    double endurance_h = kInf; // first counted life stop
    double oxygen_end_h = kInf;
    double ventilation_end_h = kInf;   // first counted life stop of a non-oxygen device
    std::vector<double> device_stop_h; // per SimDevice; inf = ran to the end
    std::vector<double> source_end_h;  // per source: when it was spent (inf = not spent)
    std::vector<bool> source_partial;  // per source: ran only part of the needed devices
    std::vector<PowerPhase> timeline;
};

bool in_window(double clock_h, double start_h, double length_h) {
    if (length_h >= 24.0) return true;
    double since = std::fmod(clock_h - start_h, 24.0);
    if (since < 0) since += 24.0;
    return since < length_h - 1e-9;
}

// Hours until the clock next crosses the window's start or end (>0).
double to_window_edge(double clock_h, double start_h, double length_h) {
    if (length_h >= 24.0 || length_h <= 0.0) return kInf;
    auto until = [&](double edge) {
        double d = std::fmod(edge - clock_h, 24.0);
        if (d <= 1e-9) d += 24.0;
        return d;
    };
    return std::min(until(start_h), until(start_h + length_h));
}

void add_phase(std::vector<PowerPhase>& timeline, PowerPhase p) {
    if (p.end_h - p.start_h <= 1e-12) return;
    // Merge with the same source and device ending where this one starts.
    for (auto it = timeline.rbegin(); it != timeline.rend(); ++it) {
        if (it->source == p.source && it->device == p.device &&
            std::fabs(it->end_h - p.start_h) < 1e-9) {
            const double a = it->end_h - it->start_h, b = p.end_h - p.start_h;
            it->load_w = (it->load_w * a + p.load_w * b) / (a + b);
            it->end_h = p.end_h;
            return;
        }
    }
    timeline.push_back(std::move(p));
}

/// Runs the household through the power cut: sources in order, device batteries, cylinders.
SimResult simulate_power_cut(const std::vector<Unit>& units, const SimInput& in,
                             const PowerOptions& options) {
    const double until = options.simulate_until_h;
    const std::size_t nd = in.devices.size();
    SimResult r;
    r.device_stop_h.assign(nd, kInf);
    r.source_end_h.assign(in.sources.size(), kInf);
    r.source_partial.assign(in.sources.size(), false);
    std::vector<double> internal(nd), external(nd);
    for (std::size_t k = 0; k < nd; ++k) {
        const Unit& u = units[in.devices[k].unit];
        internal[k] = in.batteries ? u.internal_h : 0.0;
        external[k] = in.batteries ? u.external_h : 0.0;
    }
    std::vector<double> energy, duration, fuel;
    for (const Source& s : in.sources) {
        energy.push_back(s.energy_wh);
        duration.push_back(s.duration_h);
        fuel.push_back(s.fuel);
    }
    auto spent = [&](std::size_t j) {
        return energy[j] <= 1e-9 || duration[j] <= 1e-9 || fuel[j] <= 1e-12;
    };
    double cylinder = in.cylinder_l;
    const bool clock = options.mains_lost_clock_h.has_value();
    auto duty_at = [&](const SimDevice& d, double t) {
        if (!clock || d.window_start_h < 0.0) return d.duty;
        return in_window(std::fmod(*options.mains_lost_clock_h + t, 24.0), d.window_start_h,
                         d.window_h)
                   ? 1.0
                   : 0.0;
    };
    auto stop = [&](std::size_t k, double t) {
        if (r.device_stop_h[k] <= t) return;
        r.device_stop_h[k] = t;
        const SimDevice& d = in.devices[k];
        if (!d.counted) return;
        r.endurance_h = std::min(r.endurance_h, t);
        if (d.oxygen)
            r.oxygen_end_h = std::min(r.oxygen_end_h, t);
        else
            r.ventilation_end_h = std::min(r.ventilation_end_h, t);
    };
    double t = 0.0;
    for (int guard = 0; guard < 100000 && t < until - 1e-9; ++guard) {
        // Devices that need power now.
        std::vector<std::size_t> needed;
        for (std::size_t k = 0; k < nd; ++k) {
            const SimDevice& d = in.devices[k];
            if (r.device_stop_h[k] <= t) continue;
            if (d.oxygen && cylinder > 1e-9) continue; // on the cylinders first
            if (duty_at(d, t) <= 0.0) continue;
            needed.push_back(k);
        }
        // Sources in order of use, each taking the most critical needed devices its output can
        // carry. A later source is started only for life-critical devices the earlier ones
        // could not take (a generator is not run at idle for a suction pump).
        std::vector<std::size_t> remaining = needed;
        std::stable_sort(remaining.begin(), remaining.end(), [&](std::size_t a, std::size_t b) {
            return in.devices[a].rank < in.devices[b].rank;
        });
        struct Active {
            std::size_t source;
            double planned_w;
            double fuel_rate;
        };
        std::vector<Active> active;
        std::vector<bool> is_served(nd, false);
        double dt = until - t;
        for (std::size_t j = 0; j < in.sources.size() && !remaining.empty(); ++j) {
            if (spent(j)) continue;
            if (!active.empty() && !in.devices[remaining.front()].life) break;
            double peak = 0.0;
            std::vector<std::size_t> rest;
            double load_w = 0.0;
            for (std::size_t k : remaining) {
                if (peak + in.devices[k].power_w <= in.sources[j].output_w + 1e-9) {
                    peak += in.devices[k].power_w;
                    is_served[k] = true;
                    load_w += in.devices[k].power_w * duty_at(in.devices[k], t);
                } else {
                    rest.push_back(k);
                }
            }
            if (rest.size() == remaining.size()) continue; // carries none of them
            if (!rest.empty()) r.source_partial[j] = true;
            remaining = std::move(rest);
            const double planned_w = options.load_safety_factor * load_w;
            double fuel_rate = 0.0;
            if (load_w > 0.0) {
                if (std::isfinite(energy[j])) dt = std::min(dt, energy[j] / planned_w);
                if (std::isfinite(duration[j])) dt = std::min(dt, duration[j]);
                if (in.sources[j].generator != nullptr) {
                    fuel_rate =
                        in.sources[j].generator->fuel_per_h(in.sources[j].rated_w, planned_w);
                    if (fuel_rate > 0.0) dt = std::min(dt, fuel[j] / fuel_rate);
                }
            }
            active.push_back(Active{j, planned_w, fuel_rate});
        }

        std::vector<std::size_t> on_battery;
        for (std::size_t k : needed) {
            if (is_served[k]) continue;
            const double duty = duty_at(in.devices[k], t);
            const double left = internal[k] > 1e-12 ? internal[k] : external[k];
            if (left <= 1e-12) {
                stop(k, t);
                continue;
            }
            on_battery.push_back(k);
            dt = std::min(dt, left / duty);
        }
        const double cylinder_rate = cylinder > 1e-9 ? in.cylinder_lph : 0.0;
        if (cylinder_rate > 0.0) dt = std::min(dt, cylinder / cylinder_rate);
        if (clock) {
            for (std::size_t k = 0; k < nd; ++k) {
                const SimDevice& d = in.devices[k];
                if (d.window_start_h < 0.0 || r.device_stop_h[k] <= t) continue;
                dt = std::min(dt, to_window_edge(std::fmod(*options.mains_lost_clock_h + t, 24.0),
                                                 d.window_start_h, d.window_h));
            }
        }
        // Oxygen without a concentrator stops with the cylinders.
        if (!in.has_concentrator && in.cylinder_lph > 0.0 && cylinder <= 1e-9) {
            r.oxygen_end_h = std::min(r.oxygen_end_h, t);
            if (in.oxygen_counted) r.endurance_h = std::min(r.endurance_h, t);
        }
        dt = std::max(dt, 0.0);
        const double t1 = std::min(until, t + dt);

        // Record and advance.
        for (const Active& a : active) {
            if (a.planned_w <= 0.0) continue; // nothing runs on it now (CPAP off by day): not drawn
            const std::size_t j = a.source;
            add_phase(r.timeline,
                      PowerPhase{t, t1, in.sources[j].kind, std::string(), a.planned_w});
            if (std::isfinite(energy[j])) energy[j] -= a.planned_w * (t1 - t);
            if (std::isfinite(duration[j])) duration[j] -= (t1 - t);
            if (in.sources[j].generator != nullptr) fuel[j] -= a.fuel_rate * (t1 - t);
            if (spent(j)) r.source_end_h[j] = t1;
        }
        for (std::size_t k : on_battery) {
            const Unit& u = units[in.devices[k].unit];
            const double duty = duty_at(in.devices[k], t);
            double& left = internal[k] > 1e-12 ? internal[k] : external[k];
            const auto kind = internal[k] > 1e-12 ? PowerSourceKind::internal_battery
                                                  : PowerSourceKind::external_battery;
            add_phase(r.timeline, PowerPhase{t, t1, kind, u.type, in.devices[k].power_w * duty});
            left -= duty * (t1 - t);
            if (left < 1e-9) left = 0.0;
        }
        if (cylinder_rate > 0.0) {
            add_phase(r.timeline,
                      PowerPhase{t, t1, PowerSourceKind::oxygen_cylinder, "o2cyl", 0.0});
            cylinder -= cylinder_rate * (t1 - t);
            if (cylinder < 1e-6) cylinder = 0.0;
        }
        if (t1 <= t && dt <= 0.0) {
            // Nothing changed in time: only a stop or an exhausted store happened; go on.
            continue;
        }
        t = t1;
    }
    return r;
}

struct CareSupplyRow {
    CareItem item;
    std::vector<Consumable> supplies;
};

// DOMAIN.md section 1 "Consumables" column, for supplies tied to a care item rather than a
// device. per_day 0 = as prescribed; quantities are est. unless the table gives them.
const std::vector<CareSupplyRow>& care_supply_rows() {
    static const std::vector<CareSupplyRow> rows = {
        {CareItem::ventilator, {{"bag-valve mask", 0, "pcs"}}},
        {CareItem::tracheostomy, {{"spare tracheostomy tube", 0, "pcs"}, {"Y gauze", 2, "pcs"}}},
        {CareItem::nasopharyngeal_airway, {{"spare nasopharyngeal airway", 0, "pcs"}}},
        {CareItem::suction, {{"manual suction pump", 0, "units"}}},
        {CareItem::tube_feeding,
         {{"enteral formula", 0, "pcs"}, {"feeding syringe", 4, "pcs"}, {"flush water", 0.3, "L"}}},
        {CareItem::injection, {{"injection needle", 0, "pcs"}, {"cold pack", 2, "pcs"}}},
        {CareItem::blood_glucose, {{"glucose test strip or sensor", 4, "pcs"}}},
        {CareItem::dialysis, {{"dialysate", 0, "bags"}}},
        {CareItem::catheterisation, {{"urinary catheter", 6, "pcs"}}},
        {CareItem::bowel, {{"stoma appliance", 1, "pcs"}}},
        {CareItem::seizure, {{"rescue medicine", 0, "doses"}}},
    };
    return rows;
}

} // namespace

std::vector<Consumable> care_item_supplies(CareItem item) {
    for (const auto& row : care_supply_rows()) {
        if (row.item == item) return row.supplies;
    }
    return {};
}

namespace {

ChildNeeds assess_child_at(const Child& child, const DeviceCatalogue& catalogue,
                           const PowerOptions& options) {
    ChildNeeds needs;
    needs.cut_clock_h = options.mains_lost_clock_h;
    needs.child_id = child.id;
    const PowerSourceDefaults& defaults =
        options.sources != nullptr ? *options.sources : default_power_sources();

    // Devices: the child's own list plus devices its care items imply when none is listed.
    std::vector<DeviceUse> uses = child.devices;
    auto implied = [&](CareItem item, std::initializer_list<std::string_view> any_of,
                       const char* add) {
        if (!child.has_care(item)) return;
        for (auto t : any_of) {
            if (child.has_device(t)) return;
        }
        if (catalogue.find(add) == nullptr) return;
        uses.push_back(DeviceUse{.type = add});
        needs.notes.push_back("care item '" + std::string(info(item).code) +
                              "' without a listed device: a default '" + add +
                              "' from the catalogue is assumed");
    };
    implied(CareItem::ventilator, {"vent", "cpap"}, "vent");
    implied(CareItem::suction, {"suction"}, "suction");
    implied(CareItem::central_venous_catheter, {"ivpump"}, "ivpump");

    std::vector<Unit> units;
    for (const DeviceUse& use : uses) {
        const DeviceSpec* spec = catalogue.find(use.type);
        if (spec == nullptr) {
            needs.notes.push_back("device '" + use.type +
                                  "' is not in the catalogue and was left out of the power model");
            continue;
        }
        Unit u;
        u.spec = spec;
        u.type = spec->id;
        u.count = std::max(1, use.count);
        u.power_w = use.power_w.value_or(spec->power_w);
        u.duty = std::clamp(spec->duty_h_per_day / 24.0, 0.0, 1.0);
        u.internal_h = use.internal_battery_h.value_or(spec->internal_battery_h);
        u.external_h = use.external_battery_h.value_or(spec->external_battery_h);
        u.on_backup = spec->criticality != Criticality::comfort || options.comfort_on_backup;
        if (!u.on_backup) {
            needs.notes.push_back(
                spec->name_en + " (" + spec->name_ja + ") is not run on backup power; fallback: " +
                (spec->fallback.empty() ? std::string("none listed") : spec->fallback));
        }
        units.push_back(u);
    }
    std::sort(units.begin(), units.end(),
              [](const Unit& a, const Unit& b) { return a.type < b.type; });

    // Loads, outlets, staff, acceptances.
    for (const Unit& u : units) {
        if (!u.spec->mains_powered) continue;
        needs.load_peak_w += u.power_w * u.count;
        needs.load_avg_w += u.power_w * u.count * u.duty;
        needs.outlets += u.count;
        if (u.on_backup) {
            needs.essential_peak_w += u.power_w * u.count;
            needs.essential_avg_w += u.power_w * u.count * u.duty;
        }
        needs.staff = std::max(needs.staff, u.spec->staff);
    }
    for (const Unit& u : units) {
        if (u.external_h > 0.0) needs.external_batteries += u.count;
        if (!u.spec->mains_powered || !u.on_backup) continue;
        needs.surge_w = std::max(needs.surge_w, (defaults.surge_factor(u.type) - 1.0) * u.power_w);
    }
    for (CareItem item : child.care_items) needs.staff = std::max(needs.staff, info(item).staff);
    needs.needs_ventilator = child.has_care(CareItem::ventilator) ||
                             std::any_of(units.begin(), units.end(), [](const Unit& u) {
                                 return u.type == "vent" || u.type == "cpap";
                             });
    needs.needs_oxygen = child.has_care(CareItem::oxygen) || child.oxygen.flow_lpm > 0.0 ||
                         std::any_of(units.begin(), units.end(), [](const Unit& u) {
                             return u.type == "o2conc" || u.type == "o2cyl";
                         });
    const bool oxygen_known = needs.needs_oxygen && child.oxygen.flow_lpm > 0.0;
    if (needs.needs_oxygen && !oxygen_known) {
        needs.notes.push_back("oxygen is needed but no flow is given: oxygen hours are unknown and "
                              "not in the deadline");
    }

    // The essential devices the household's sources and batteries run.
    SimInput base;
    for (std::size_t i = 0; i < units.size(); ++i) {
        const Unit& u = units[i];
        if (!u.spec->mains_powered || !u.on_backup || u.power_w <= 0.0) continue;
        SimDevice d;
        d.unit = i;
        d.power_w = u.power_w * u.count;
        d.duty = u.duty;
        if (u.spec->duty_start_h >= 0.0 && u.spec->duty_h_per_day < 24.0) {
            d.window_start_h = u.spec->duty_start_h;
            d.window_h = u.spec->duty_h_per_day;
            needs.duty_window_starts_h.push_back(d.window_start_h);
            needs.duty_window_h.push_back(d.window_h);
        }
        d.life = u.spec->criticality == Criticality::life;
        d.oxygen = u.type == "o2conc";
        d.counted = d.life && (!d.oxygen || oxygen_known);
        // A source too small for all runs ventilation/infusion first, then oxygen, then the rest.
        d.rank = d.life ? (d.oxygen ? 1 : 0) : 2;
        base.devices.push_back(d);
        if (d.oxygen) base.has_concentrator = true;
    }
    if (oxygen_known) {
        base.cylinder_l = child.oxygen.cylinders > 0
                              ? cylinder_usable_l(child.oxygen.cylinder_nominal_l,
                                                  child.oxygen.cylinder_pressure_mpa) *
                                    child.oxygen.cylinders
                              : 0.0;
        base.cylinder_lph =
            child.oxygen.flow_lpm * 60.0 / std::max(1.0, child.oxygen.demand_valve_factor);
        base.oxygen_counted = true;
    }

    // Shared backup sources, in the order of DOMAIN 2.3.
    if (child.backup.power_station_wh > 0.0) {
        Source s;
        s.kind = PowerSourceKind::power_station;
        s.output_w =
            child.backup.power_station_output_w > 0.0 ? child.backup.power_station_output_w : kInf;
        const double efficiency =
            options.power_station_dc ? options.dc_efficiency : options.inverter_efficiency;
        s.energy_wh = child.backup.power_station_wh * options.usable_fraction * efficiency;
        s.label = "portable power station " + format_number(child.backup.power_station_wh) + " Wh";
        base.sources.push_back(s);
    }
    if (child.vehicle == HouseholdVehicle::car) {
        Source s;
        s.kind = PowerSourceKind::car_socket;
        s.output_w = options.car_socket_w;
        s.duration_h = options.car_fuel_h;
        s.label = "car socket " + format_number(options.car_socket_w) + " W via inverter";
        base.sources.push_back(s);
    } else if (child.vehicle == HouseholdVehicle::hybrid_outlet) {
        const double kwh = child.backup.vehicle_energy_kwh > 0.0 ? child.backup.vehicle_energy_kwh
                                                                 : options.hybrid_energy_kwh;
        Source s;
        s.kind = PowerSourceKind::hybrid_outlet;
        s.output_w = options.hybrid_outlet_w;
        s.energy_wh = kwh * 1000.0;
        s.label = "PHEV/HEV outlet " + format_number(options.hybrid_outlet_w) + " W, " +
                  format_number(kwh) + " kWh";
        base.sources.push_back(s);
    }
    if (child.backup.generator_w > 0.0 && child.backup.generator_fuel_h > 0.0) {
        const GeneratorClass* g = defaults.home_class(child.backup.generator_w);
        if (g == nullptr) {
            needs.notes.push_back("generator " + format_number(child.backup.generator_w) +
                                  " W is larger than any household generator class "
                                  "(data/power_sources.toml); not used");
        } else {
            Source s;
            s.kind = PowerSourceKind::generator;
            s.output_w = child.backup.generator_w;
            s.generator = g;
            s.rated_w = child.backup.generator_w;
            s.fuel =
                g->fuel_for_rated_hours(child.backup.generator_w, child.backup.generator_fuel_h);
            s.label = "generator " + format_number(child.backup.generator_w) + " W, " + g->id +
                      " (outdoors only)";
            base.sources.push_back(s);
        }
    }

    // The whole household: sources, then device batteries; cylinders first for oxygen.
    const SimResult all = simulate_power_cut(units, base, options);
    for (std::size_t j = 0; j < base.sources.size(); ++j) {
        if (all.source_partial[j]) {
            needs.notes.push_back(base.sources[j].label + ": output too small for all devices (" +
                                  format_number(needs.essential_peak_w) +
                                  " W); only the most critical ones run on it");
        }
    }
    // Each source alone, the concentrator included (no cylinders, no device batteries).
    for (const Source& s : base.sources) {
        if (base.devices.empty()) break; // nothing to run: no source is listed
        SimInput alone = base;
        alone.sources = {s};
        alone.batteries = false;
        alone.cylinder_l = 0.0;
        alone.cylinder_lph = 0.0;
        const SimResult r = simulate_power_cut(units, alone, options);
        BackupSourceHours b;
        b.source = s.kind;
        b.label = s.label;
        double used = 0.0;
        for (const auto& p : r.timeline)
            if (p.source == s.kind) used = std::max(used, p.end_h);
        b.hours = std::min(used, options.simulate_until_h);
        b.carries_all = !r.source_partial[0];
        for (std::size_t k = 0; k < alone.devices.size(); ++k) {
            // A device stopped while the source still ran: its output could not take it.
            if (r.device_stop_h[k] < used - 1e-9)
                b.left_out.push_back(units[alone.devices[k].unit].type);
        }
        if (s.generator != nullptr) {
            b.fuel_unit_ja = s.generator->unit_ja;
            b.fuel_held = s.fuel;
            b.fuel_per_h = s.generator->fuel_per_h(s.rated_w, options.load_safety_factor *
                                                                  needs.essential_avg_w);
        }
        if (b.hours <= 0.0) {
            needs.notes.push_back(s.label + ": rated output " + format_number(s.output_w) +
                                  " W is below every essential device's peak; not used");
        }
        needs.backup_sources.push_back(std::move(b));
    }
    // Ventilation or infusion on the devices' own batteries alone.
    {
        SimInput own = base;
        own.sources.clear();
        own.cylinder_l = 0.0;
        own.cylinder_lph = 0.0;
        own.oxygen_counted = false;
        bool any = false;
        for (auto& d : own.devices) {
            if (d.oxygen) d.counted = false;
            any |= d.counted;
        }
        if (any)
            needs.device_battery_h =
                std::min(simulate_power_cut(units, own, options).ventilation_end_h,
                         options.simulate_until_h);
    }

    for (std::size_t i = 0; i < units.size(); ++i) {
        const Unit& u = units[i];
        DeviceEndurance e;
        e.type = u.type;
        e.criticality = u.spec->criticality;
        e.on_backup = u.on_backup;
        e.endurance_h = options.simulate_until_h; // cylinders and cell devices: see oxygen
        if (u.spec->mains_powered && u.power_w > 0.0 && !u.on_backup) e.endurance_h = 0.0;
        for (std::size_t k = 0; k < base.devices.size(); ++k) {
            if (base.devices[k].unit == i)
                e.endurance_h = std::min(all.device_stop_h[k], options.simulate_until_h);
        }
        needs.devices.push_back(e);
    }

    // Oxygen.
    needs.oxygen_cylinder_h = cylinder_hours(child.oxygen);
    needs.oxygen_h = oxygen_known ? std::min(all.oxygen_end_h, options.simulate_until_h)
                                  : options.simulate_until_h;
    if (oxygen_known && needs.oxygen_h <= 0.0) {
        needs.notes.push_back(
            "oxygen is needed but there is no cylinder and no powered concentrator");
    }
    if (oxygen_known) {
        const double per_cylinder_h =
            cylinder_usable_l(child.oxygen.cylinder_nominal_l, child.oxygen.cylinder_pressure_mpa) /
            base.cylinder_lph;
        // With a concentrator the cylinders bridge the time until it has power again; without
        // one they are the child's only oxygen: they cover the whole horizon (DOMAIN 2.4's
        // 72 h of self-reliance), as at the shelter (shelter_oxygen_cylinders).
        const double cover_h = base.has_concentrator ? defaults.oxygen.bridge_h : options.horizon_h;
        needs.oxygen_cylinders_recommended =
            static_cast<int>(std::ceil(cover_h / per_cylinder_h - 1e-9)) +
            defaults.oxygen.reserve_cylinders;
        needs.oxygen_hours_per_cylinder = per_cylinder_h;
        needs.oxygen_concentrator = base.has_concentrator;
        needs.oxygen_call_supplier_h =
            std::max(0.0, needs.oxygen_cylinder_h - defaults.oxygen.supplier_lead_h);
    }

    // Life-critical endurance and the deadline.
    needs.life_critical = std::any_of(base.devices.begin(), base.devices.end(),
                                      [](const SimDevice& d) { return d.counted; }) ||
                          oxygen_known;
    needs.endurance_h = std::min(all.endurance_h, options.simulate_until_h);
    if (needs.life_critical) {
        const double endurance_s = needs.endurance_h * 3600.0;
        const double margin_s = std::max(options.margin_fraction * endurance_s,
                                         static_cast<double>(options.margin_min_s));
        needs.deadline_s =
            static_cast<std::int64_t>(std::floor(std::max(0.0, endurance_s - margin_s)));
        if (*needs.deadline_s == 0) {
            needs.notes.push_back(
                "no time margin: the child must be on power at once when mains power is lost");
        }
    }
    // The order of use up to the total endurance.
    for (const PowerPhase& p : all.timeline) {
        if (p.start_h >= needs.endurance_h - 1e-9 && needs.life_critical) continue;
        PowerPhase q = p;
        if (needs.life_critical) q.end_h = std::min(q.end_h, needs.endurance_h);
        needs.timeline.push_back(std::move(q));
    }

    // Energy checks over the horizons.
    needs.energy_horizon_wh = needs.load_avg_w * options.horizon_h;
    double essential_endurance = options.simulate_until_h;
    for (const auto& e : needs.devices) {
        if (e.on_backup && e.criticality != Criticality::comfort)
            essential_endurance = std::min(essential_endurance, e.endurance_h);
    }
    if (oxygen_known) essential_endurance = std::min(essential_endurance, needs.oxygen_h);
    for (double h : options.check_h) {
        needs.checks.push_back(EnergyCheck{h, needs.load_avg_w * h, needs.essential_avg_w * h,
                                           essential_endurance >= h});
    }

    // Consumables for 1, 3 and 14 days (DOMAIN 2.4: carry 3 days, stock 14). A care item's
    // supply that a device already lists (feeding syringes) is counted once, at the larger
    // daily amount.
    std::map<std::pair<std::string, std::string>, double> per_day;
    for (const Unit& u : units) {
        for (const Consumable& c : u.spec->consumables)
            per_day[{c.name, c.unit}] += c.per_day * u.count;
    }
    for (CareItem item : child.care_items) {
        for (const Consumable& c : care_item_supplies(item)) {
            auto& q = per_day[{c.name, c.unit}];
            q = std::max(q, c.per_day);
        }
    }
    for (const auto& [key, amount] : per_day) {
        needs.consumables.push_back(ConsumableNeed{key.first, key.second, amount, false, amount,
                                                   amount * 3.0, amount * 14.0});
    }
    if (child.has_care(CareItem::injection)) {
        needs.consumables.push_back(ConsumableNeed{"cool box", "units", 0.0, true, 1.0, 1.0, 1.0});
    }
    if (oxygen_known && needs.oxygen_cylinders_recommended > 0) {
        // Cylinders bridge the time until the concentrator has power again, plus the reserve;
        // not a daily consumption (a powered concentrator uses none).
        const double n = needs.oxygen_cylinders_recommended;
        needs.consumables.push_back(
            ConsumableNeed{"oxygen cylinder", "cylinders", 0.0, true, n, n, n});
    }
    std::sort(needs.consumables.begin(), needs.consumables.end(),
              [](const ConsumableNeed& a, const ConsumableNeed& b) { return a.name < b.name; });

    std::sort(needs.timeline.begin(), needs.timeline.end(),
              [](const PowerPhase& a, const PowerPhase& b) {
                  if (a.start_h != b.start_h) return a.start_h < b.start_h;
                  // At the same moment the cylinders come first: the concentrator is switched to
                  // them.
                  const bool ao = a.source == PowerSourceKind::oxygen_cylinder,
                             bo = b.source == PowerSourceKind::oxygen_cylinder;
                  if (ao != bo) return ao;
                  if (a.device != b.device) return a.device < b.device;
                  return a.source < b.source;
              });
    return needs;
}

} // namespace

ChildNeeds assess_child(const Child& child, const DeviceCatalogue& catalogue,
                        const PowerOptions& options) {
    ChildNeeds needs = assess_child_at(child, catalogue, options);
    if (options.mains_lost_clock_h || needs.duty_window_starts_h.empty()) {
        if (needs.duty_window_starts_h.empty()) needs.cut_clock_h.reset();
        return needs;
    }
    // The clock of the power cut is unknown and a device runs at set hours (CPAP overnight):
    // a 24-hour average would count a night-time cut at half its load (KDM-0007: 9.5 h instead
    // of 4.5 h). Take the worst time of day among the windows' starts (a cut as the heavy run
    // begins: with one source spent at a steady rate the shortest time) and ends (the guard
    // for several windows), the earliest of equals.
    std::vector<double> clocks = needs.duty_window_starts_h;
    for (std::size_t i = 0; i < needs.duty_window_starts_h.size(); ++i)
        clocks.push_back(std::fmod(needs.duty_window_starts_h[i] + needs.duty_window_h[i], 24.0));
    std::sort(clocks.begin(), clocks.end());
    clocks.erase(std::unique(clocks.begin(), clocks.end()), clocks.end());
    std::optional<ChildNeeds> worst;
    for (double clock : clocks) {
        PowerOptions at = options;
        at.mains_lost_clock_h = clock;
        ChildNeeds n = assess_child_at(child, catalogue, at);
        if (!worst || n.endurance_h < worst->endurance_h - 1e-9) worst = std::move(n);
    }
    worst->cut_clock_assumed = true;
    const int minute = static_cast<int>(std::lround(*worst->cut_clock_h * 60.0)) % (24 * 60);
    worst->notes.push_back(
        "the clock time of the power cut is unknown: a device used at set hours is assessed for "
        "the worst time of day, a cut at " +
        std::to_string(minute / 60) + ":" + (minute % 60 < 10 ? "0" : "") +
        std::to_string(minute % 60) + " (not its 24-hour average)");
    return std::move(*worst);
}

ChildPower to_child_power(const ChildNeeds& needs, const Child& child) {
    ChildPower p;
    p.load_avg_w = needs.load_avg_w;
    p.load_peak_w = needs.load_peak_w;
    p.essential_avg_w = needs.essential_avg_w;
    p.essential_peak_w = needs.essential_peak_w;
    p.energy_horizon_wh = needs.energy_horizon_wh;
    p.endurance_h = needs.endurance_h;
    p.device_battery_h = needs.device_battery_h;
    const bool oxygen_flow = needs.needs_oxygen && child.oxygen.flow_lpm > 0.0;
    p.cylinder_only_h = needs.needs_oxygen ? needs.oxygen_cylinder_h : -1.0;
    p.oxygen_h = needs.needs_oxygen ? needs.oxygen_h : -1.0;
    p.oxygen_cylinders_recommended = oxygen_flow ? needs.oxygen_cylinders_recommended : 0;
    p.oxygen_call_supplier_h = oxygen_flow ? needs.oxygen_call_supplier_h : -1.0;
    for (const auto& b : needs.backup_sources) {
        p.backup_sources.push_back(BackupSourcePlan{std::string(to_string(b.source)), b.hours,
                                                    b.carries_all, b.fuel_held, b.fuel_per_h,
                                                    b.fuel_unit_ja, b.left_out});
    }
    for (const auto& ph : needs.timeline) {
        p.sequence.push_back(
            PowerStep{std::string(to_string(ph.source)), ph.device, ph.start_h, ph.end_h});
    }
    p.outlets = needs.outlets;
    p.needs_nurse = needs.staff == StaffLevel::nurse;
    p.needs_carer = needs.staff >= StaffLevel::carer;
    p.ventilator = needs.needs_ventilator;
    p.oxygen = needs.needs_oxygen;
    for (const auto& d : needs.devices) p.devices.push_back(d.type);
    return p;
}

} // namespace sonae::planner
