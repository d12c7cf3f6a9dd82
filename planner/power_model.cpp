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

double runtime_h(double label_wh, std::span<const Load> loads, const PowerOptions& options, bool dc) {
    double average_w = 0.0;
    for (const Load& l : loads) average_w += l.power_w * (l.duty_h_per_day / 24.0);
    if (average_w <= 0.0) return kInf;
    const double efficiency = dc ? options.dc_efficiency : options.inverter_efficiency;
    return label_wh * options.usable_fraction * efficiency / (options.load_safety_factor * average_w);
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
    const double litres = cylinder_usable_l(oxygen.cylinder_nominal_l, oxygen.cylinder_pressure_mpa) * oxygen.cylinders;
    return litres / oxygen.flow_lpm / 60.0 * std::max(1.0, oxygen.demand_valve_factor);
}

namespace {

struct Unit {
    const DeviceSpec* spec = nullptr;
    std::string type;
    int count = 1;
    double power_w = 0.0;        // per unit
    double duty = 1.0;           // fraction of the day running
    double internal_h = 0.0;     // per unit, continuous
    double external_h = 0.0;
    bool on_backup = true;
};

struct SharedPhase {
    PowerSourceKind source;
    double start_h;
    double end_h;
    std::vector<std::size_t> served; // unit indices
    double load_w;                   // average incl. safety factor
};

} // namespace

ChildNeeds assess_child(const Child& child, const DeviceCatalogue& catalogue, const PowerOptions& options) {
    ChildNeeds needs;
    needs.child_id = child.id;

    // Devices: the child's own list plus devices its care items imply when none is listed.
    std::vector<DeviceUse> uses = child.devices;
    auto implied = [&](CareItem item, std::initializer_list<std::string_view> any_of, const char* add) {
        if (!child.has_care(item)) return;
        for (auto t : any_of) {
            if (child.has_device(t)) return;
        }
        if (catalogue.find(add) == nullptr) return;
        uses.push_back(DeviceUse{.type = add});
        needs.notes.push_back("care item '" + std::string(info(item).code) + "' without a listed device: a default '" +
                              add + "' from the catalogue is assumed");
    };
    implied(CareItem::ventilator, {"vent", "cpap"}, "vent");
    implied(CareItem::suction, {"suction"}, "suction");
    implied(CareItem::central_venous_catheter, {"ivpump"}, "ivpump");

    std::vector<Unit> units;
    for (const DeviceUse& use : uses) {
        const DeviceSpec* spec = catalogue.find(use.type);
        if (spec == nullptr) {
            needs.notes.push_back("device '" + use.type + "' is not in the catalogue and was left out of the power model");
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
            needs.notes.push_back(spec->name_en + " (" + spec->name_ja + ") is not run on backup power; fallback: " +
                                  (spec->fallback.empty() ? std::string("none listed") : spec->fallback));
        }
        units.push_back(u);
    }
    std::sort(units.begin(), units.end(), [](const Unit& a, const Unit& b) { return a.type < b.type; });

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
    for (CareItem item : child.care_items) needs.staff = std::max(needs.staff, info(item).staff);
    needs.needs_ventilator = child.has_care(CareItem::ventilator) ||
                             std::any_of(units.begin(), units.end(), [](const Unit& u) { return u.type == "vent" || u.type == "cpap"; });
    needs.needs_oxygen = child.has_care(CareItem::oxygen) || child.oxygen.flow_lpm > 0.0 ||
                         std::any_of(units.begin(), units.end(), [](const Unit& u) { return u.type == "o2conc" || u.type == "o2cyl"; });

    // Shared backup sources, in the order of DOMAIN 2.3, each running the essential mains
    // devices (or, if its output cannot carry them all, only the life-critical ones).
    std::vector<std::size_t> essential, life;
    for (std::size_t i = 0; i < units.size(); ++i) {
        const Unit& u = units[i];
        if (!u.spec->mains_powered || !u.on_backup || u.power_w <= 0.0) continue;
        essential.push_back(i);
        if (u.spec->criticality == Criticality::life) life.push_back(i);
    }
    auto peak_of = [&](const std::vector<std::size_t>& set) {
        double w = 0.0;
        for (std::size_t i : set) w += units[i].power_w * units[i].count;
        return w;
    };
    auto avg_of = [&](const std::vector<std::size_t>& set) {
        double w = 0.0;
        for (std::size_t i : set) w += units[i].power_w * units[i].count * units[i].duty;
        return w;
    };
    auto loads_of = [&](const std::vector<std::size_t>& set) {
        std::vector<Load> loads;
        for (std::size_t i : set) loads.push_back(Load{units[i].power_w * units[i].count, units[i].duty * 24.0});
        return loads;
    };
    struct Source {
        PowerSourceKind kind;
        double output_w;   // rated output (inf = not limiting)
        double energy_wh;  // delivered energy before the safety factor; inf if duration-limited
        double duration_h; // inf if energy-limited
        std::string label;
    };
    std::vector<Source> sources;
    if (child.backup.power_station_wh > 0.0) {
        sources.push_back(Source{PowerSourceKind::power_station,
                                 child.backup.power_station_output_w > 0.0 ? child.backup.power_station_output_w : kInf,
                                 child.backup.power_station_wh, kInf,
                                 "portable power station " + format_number(child.backup.power_station_wh) + " Wh"});
    }
    if (child.vehicle == HouseholdVehicle::car) {
        sources.push_back(Source{PowerSourceKind::car_socket, options.car_socket_w, kInf, options.car_fuel_h,
                                 "car socket " + format_number(options.car_socket_w) + " W via inverter"});
    } else if (child.vehicle == HouseholdVehicle::hybrid_outlet) {
        const double kwh = child.backup.vehicle_energy_kwh > 0.0 ? child.backup.vehicle_energy_kwh : options.hybrid_energy_kwh;
        sources.push_back(Source{PowerSourceKind::hybrid_outlet, options.hybrid_outlet_w, kwh * 1000.0, kInf,
                                 "PHEV/HEV outlet " + format_number(options.hybrid_outlet_w) + " W, " + format_number(kwh) + " kWh"});
    }
    if (child.backup.generator_w > 0.0 && child.backup.generator_fuel_h > 0.0) {
        sources.push_back(Source{PowerSourceKind::generator, child.backup.generator_w, kInf, child.backup.generator_fuel_h,
                                 "generator " + format_number(child.backup.generator_w) + " W (outdoors only)"});
    }

    std::vector<SharedPhase> phases;
    double t = 0.0;
    for (const Source& s : sources) {
        if (essential.empty() || t >= options.simulate_until_h) break;
        std::vector<std::size_t> served = essential;
        if (peak_of(served) > s.output_w) {
            served = life;
            if (served.empty() || peak_of(served) > s.output_w) {
                needs.notes.push_back(s.label + ": rated output " + format_number(s.output_w) +
                                      " W is below the devices' peak " + format_number(peak_of(essential)) +
                                      " W; not used");
                continue;
            }
            needs.notes.push_back(s.label + ": output too small for all devices (" + format_number(peak_of(essential)) +
                                  " W); only the life-critical ones run on it");
        }
        double hours = kInf;
        if (s.kind == PowerSourceKind::power_station) {
            const auto loads = loads_of(served);
            hours = runtime_h(s.energy_wh, loads, options, options.power_station_dc);
        } else if (std::isfinite(s.energy_wh)) {
            const double avg = avg_of(served);
            hours = avg > 0.0 ? s.energy_wh / (options.load_safety_factor * avg) : kInf;
        } else {
            hours = s.duration_h;
        }
        const double end = std::min(t + hours, options.simulate_until_h);
        phases.push_back(SharedPhase{s.kind, t, end, served, options.load_safety_factor * avg_of(served)});
        t = end;
    }

    // Per device: shared phases where served, own batteries otherwise and afterwards.
    for (std::size_t i = 0; i < units.size(); ++i) {
        const Unit& u = units[i];
        DeviceEndurance e;
        e.type = u.type;
        e.criticality = u.spec->criticality;
        e.on_backup = u.on_backup;
        if (!u.spec->mains_powered || u.power_w <= 0.0) {
            e.endurance_h = options.simulate_until_h; // cylinders and cell devices: see oxygen
            needs.devices.push_back(e);
            continue;
        }
        if (!u.on_backup) {
            e.endurance_h = 0.0;
            needs.devices.push_back(e);
            continue;
        }
        double internal = u.internal_h; // hours of running left, per unit (units run in parallel)
        double external = u.external_h;
        double clock = 0.0;
        bool stopped = false;
        auto drain = [&](double from, double until) {
            // Runs the device on its own batteries from `from` until `until` or empty; records
            // phases; returns the time it stopped (or `until`).
            double now = from;
            for (auto [left, kind] : {std::pair<double*, PowerSourceKind>{&internal, PowerSourceKind::internal_battery},
                                      std::pair<double*, PowerSourceKind>{&external, PowerSourceKind::external_battery}}) {
                if (now >= until || *left <= 0.0) continue;
                const double wall = u.duty > 0.0 ? *left / u.duty : kInf;
                const double end = std::min(until, now + wall);
                needs.timeline.push_back(PowerPhase{now, end, kind, u.type, u.power_w * u.count * u.duty});
                *left -= (end - now) * u.duty;
                if (*left < 1e-12) *left = 0.0;
                now = end;
            }
            return now;
        };
        for (const SharedPhase& p : phases) {
            const bool served = std::find(p.served.begin(), p.served.end(), i) != p.served.end();
            if (served) {
                clock = p.end_h;
                continue;
            }
            const double reached = drain(p.start_h, p.end_h);
            if (reached < p.end_h) {
                clock = reached;
                stopped = true;
                break;
            }
            clock = p.end_h;
        }
        if (!stopped) clock = drain(clock, options.simulate_until_h);
        e.endurance_h = std::min(clock, options.simulate_until_h);
        needs.devices.push_back(e);
    }
    for (const SharedPhase& p : phases) {
        needs.timeline.push_back(PowerPhase{p.start_h, p.end_h, p.source, std::string(), p.load_w});
    }

    // Oxygen: concentrator on backup power, then cylinders.
    needs.oxygen_cylinder_h = cylinder_hours(child.oxygen);
    double oxygen_h = kInf;
    if (needs.needs_oxygen) {
        if (child.oxygen.flow_lpm <= 0.0) {
            needs.notes.push_back("oxygen is needed but no flow is given: oxygen hours are unknown and not in the deadline");
        } else {
            double concentrator_h = 0.0;
            for (const auto& e : needs.devices) {
                if (e.type == "o2conc") concentrator_h = e.endurance_h;
            }
            const double cylinders_h = needs.oxygen_cylinder_h;
            oxygen_h = concentrator_h + cylinders_h;
            if (cylinders_h > 0.0) {
                needs.timeline.push_back(PowerPhase{concentrator_h, std::min(oxygen_h, options.simulate_until_h),
                                                    PowerSourceKind::oxygen_cylinder, "o2cyl", 0.0});
            }
            if (oxygen_h <= 0.0) needs.notes.push_back("oxygen is needed but there is no cylinder and no powered concentrator");
        }
    }
    needs.oxygen_h = std::min(oxygen_h, options.simulate_until_h);

    // Life-critical endurance and the deadline.
    double endurance = kInf;
    for (const auto& e : needs.devices) {
        if (e.criticality != Criticality::life || e.type == "o2conc" || e.type == "o2cyl") continue;
        endurance = std::min(endurance, e.endurance_h);
        needs.life_critical = true;
    }
    if (needs.needs_oxygen && child.oxygen.flow_lpm > 0.0) {
        endurance = std::min(endurance, oxygen_h);
        needs.life_critical = true;
    }
    needs.endurance_h = std::min(endurance, options.simulate_until_h);
    if (needs.life_critical) {
        const double endurance_s = needs.endurance_h * 3600.0;
        const double margin_s = std::max(options.margin_fraction * endurance_s, static_cast<double>(options.margin_min_s));
        needs.deadline_s = static_cast<std::int64_t>(std::floor(std::max(0.0, endurance_s - margin_s)));
        if (*needs.deadline_s == 0) {
            needs.notes.push_back("no time margin: the child must be on power at once when mains power is lost");
        }
    }

    // Energy checks over the horizons.
    needs.energy_horizon_wh = needs.load_avg_w * options.horizon_h;
    double essential_endurance = options.simulate_until_h;
    for (const auto& e : needs.devices) {
        if (e.on_backup && e.criticality != Criticality::comfort) essential_endurance = std::min(essential_endurance, e.endurance_h);
    }
    if (needs.needs_oxygen && child.oxygen.flow_lpm > 0.0) essential_endurance = std::min(essential_endurance, needs.oxygen_h);
    for (double h : options.check_h) {
        needs.checks.push_back(EnergyCheck{h, needs.load_avg_w * h, needs.essential_avg_w * h, essential_endurance >= h});
    }

    // Consumables for 1, 3 and 14 days (DOMAIN 2.4: carry 3 days, stock 14).
    std::map<std::pair<std::string, std::string>, double> per_day;
    for (const Unit& u : units) {
        for (const Consumable& c : u.spec->consumables) per_day[{c.name, c.unit}] += c.per_day * u.count;
    }
    if (child.oxygen.flow_lpm > 0.0) {
        const double usable = cylinder_usable_l(child.oxygen.cylinder_nominal_l, child.oxygen.cylinder_pressure_mpa);
        per_day[{"oxygen cylinder " + format_number(child.oxygen.cylinder_nominal_l) + " L", "cylinders"}] +=
            child.oxygen.flow_lpm * 60.0 * 24.0 / std::max(1.0, child.oxygen.demand_valve_factor) / usable;
    }
    for (const auto& [key, amount] : per_day) {
        needs.consumables.push_back(ConsumableNeed{key.first, key.second, amount, amount, amount * 3.0, amount * 14.0});
    }

    std::sort(needs.timeline.begin(), needs.timeline.end(), [](const PowerPhase& a, const PowerPhase& b) {
        if (a.start_h != b.start_h) return a.start_h < b.start_h;
        return a.device < b.device;
    });
    return needs;
}

ChildPower to_child_power(const ChildNeeds& needs, const Child& child) {
    ChildPower p;
    p.load_avg_w = needs.load_avg_w;
    p.load_peak_w = needs.load_peak_w;
    p.energy_horizon_wh = needs.energy_horizon_wh;
    p.endurance_h = needs.endurance_h;
    p.oxygen_h = needs.needs_oxygen ? needs.oxygen_h : -1.0;
    p.outlets = needs.outlets;
    p.needs_nurse = needs.staff == StaffLevel::nurse;
    p.needs_carer = needs.staff >= StaffLevel::carer;
    p.ventilator = needs.needs_ventilator;
    p.oxygen = needs.needs_oxygen;
    for (const auto& d : needs.devices) p.devices.push_back(d.type);
    (void)child;
    return p;
}

} // namespace sonae::planner
