#pragma once
/// What each child needs to get through an evacuation alive: electrical load, battery and
/// backup endurance from the moment mains power is lost, oxygen, consumables, staff, and the
/// deadline by which the child must reach power (DOMAIN.md sections 2.1-2.4).
///
/// Model (all defaults in PowerOptions, each with its DOMAIN.md source or marked est.):
///  - A device's average draw is W x (h_day / 24); the peak is the sum of W of all devices.
///  - Runtime on a shared source follows DOMAIN 2.3:
///      hours = usable_Wh x eff / (1.25 x sum W_i x h_day_i / 24),
///    usable_Wh = 0.8 x label Wh, eff = 0.85 through an AC inverter, 0.9 DC; the source's
///    rated output must cover the sum of peak W of the devices it runs.
///  - After mains loss the household first runs its shared backups (power station, then the
///    car socket or the PHEV/HEV outlet, then a generator) for the essential devices, keeping
///    the devices' own batteries for the journey; a source whose rated output cannot carry
///    them all runs the most critical that fit. Devices not on a shared source run on their
///    own internal then external batteries (battery hours are at continuous running).
///  - Order of fallbacks (DOMAIN 2.1, 2.3): at the power cut the oxygen concentrator is
///    switched to the cylinders first; it goes back on a shared source only when they are
///    empty. The shared sources carry the same essential load everywhere (humidifier on HME).
///  - Duty cycles: a device with a daily start hour (CPAP overnight, data/devices.toml
///    duty_start_h) runs fully inside its hours and not outside them, from the clock time of
///    the power cut (PowerOptions::mains_lost_clock_h); when that is unknown, from the worst
///    time of day (a CPAP's 22:00), not on a 24-hour average. Devices without set hours
///    always draw their 24-hour average.
///  - Generators burn fuel as idle + proportional to load per class (data/power_sources.toml,
///    DOMAIN 7); a car socket runs for the hours of fuel assumed.
///  - Comfort devices (humidifier, air-con, bed...) switch to their fallback (HME, ...) on
///    backup power unless options say otherwise; the notes say so.
///  - Oxygen: usable L = body L x MPa x 10 x 0.8; hours = usable L / flow / 60 x demand-valve
///    factor (section 2.2). Stock: cylinders for PowerSourceDefaults::oxygen.bridge_h (until the
///    concentrator has power again), or for the whole horizon when there is no concentrator
///    (the cylinders are the only oxygen), plus the reserve agreed with the supplier.
///  - Endurance = when the first life-critical function (ventilation, oxygen, CVC infusion)
///    stops; deadline = endurance - max(margin fraction x endurance, minimum margin).

#include "planner/device_catalogue.hpp"
#include "planner/plan.hpp"
#include "planner/power_sources.hpp"
#include "planner/registry.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace sonae::planner {

/// Parameters of the power model. Defaults from DOMAIN.md section 2.3 / 2.4.
struct PowerOptions {
    double horizon_h = 72.0;                               ///< planning horizon (section 2.4)
    std::vector<double> check_h{24.0, 72.0, 168.0, 336.0}; ///< energy checks (section 2.4)
    double usable_fraction = 0.8;                          ///< power station usable share [S17]
    double inverter_efficiency = 0.85;                     ///< AC inverter (section 2.3)
    double dc_efficiency = 0.9;                            ///< dedicated DC cable (est.)
    bool power_station_dc = false;                         ///< families mostly use the AC outlet
    double load_safety_factor = 1.25;                      ///< (est., section 2.3)
    double car_socket_w = 100.0;      ///< 12 V x 5-10 A = 60-120 W [S19]; mid-high
    double car_fuel_h = 24.0;         ///< idling hours assumed on the fuel in the tank (est.)
    double hybrid_outlet_w = 1500.0;  ///< PHEV/HEV AC outlet [S20]
    double hybrid_energy_kwh = 40.0;  ///< HV emergency mode ~4 days at 10 kWh/day [S20];
                                      ///< a PHEV gives ~100 kWh: set per child
    double simulate_until_h = 336.0;  ///< endurance beyond this is reported as this
    double margin_fraction = 0.2;     ///< safety margin share of endurance (est.)
    std::int64_t margin_min_s = 3600; ///< at least 1 h margin (est.)
    bool comfort_on_backup = false;   ///< run humidifier etc. on backup power
    /// Clock time of the power cut in hours after midnight (0-24), when the scenario gives
    /// t0's clock; nullopt = unknown, every device draws its 24-hour average.
    std::optional<double> mains_lost_clock_h;
    /// Generator classes, oxygen bridge and reserve (data/power_sources.toml).
    const PowerSourceDefaults* sources = nullptr; ///< nullptr = default_power_sources()
};

/// A load for the runtime formula.
struct Load {
    double power_w = 0.0;
    double duty_h_per_day = 24.0;
};

/// DOMAIN 2.3 runtime of a source of `label_wh` for the loads (hours). `dc` selects the DC
/// efficiency. Returns +infinity for zero load.
double runtime_h(double label_wh, std::span<const Load> loads, const PowerOptions& options,
                 bool dc = false);

/// Usable litres of one cylinder (section 2.2): body L x MPa x 10 x 0.8. The body volume is
/// 2.0 L for the 300 L class, 3.4 L for the 500 L class, nominal / 147 otherwise.
double cylinder_usable_l(double nominal_l, double pressure_mpa);
/// Hours the household's cylinders last at the prescribed flow; 0 if no cylinders,
/// +infinity if flow is 0.
double cylinder_hours(const OxygenSupply& oxygen);

/// What powers a device (or the essential set) during a phase.
enum class PowerSourceKind : std::uint8_t {
    power_station,
    car_socket,
    hybrid_outlet,
    generator,
    internal_battery,
    external_battery,
    oxygen_cylinder,
    none,
};
std::string_view to_string(PowerSourceKind kind);

/// One phase of the timeline after mains loss (hours from mains loss).
struct PowerPhase {
    double start_h = 0.0;
    double end_h = 0.0;
    PowerSourceKind source = PowerSourceKind::none;
    std::string device;  ///< device type, empty for a shared source running the set
    double load_w = 0.0; ///< average draw served (incl. the safety factor for shared)
};

/// Endurance of one device type (all of its units) from mains loss.
struct DeviceEndurance {
    std::string type;
    Criticality criticality = Criticality::needed;
    double endurance_h = 0.0; ///< capped at simulate_until_h
    bool on_backup = true;    ///< false: not run on backup (comfort fallback used)
};

/// One backup source on its own, running the essential devices from the power cut (the
/// concentrator included, no cylinders, no device batteries).
struct BackupSourceHours {
    PowerSourceKind source = PowerSourceKind::none;
    std::string label;        ///< e.g. "portable power station 700 Wh"
    double hours = 0.0;       ///< capped at simulate_until_h; 0 if it carries nothing
    bool carries_all = true;  ///< false: its output runs only the most critical devices
    std::string fuel_unit_ja; ///< generators: 本 / L; empty otherwise
    double fuel_held = 0.0;   ///< generators: fuel units held
    double fuel_per_h = 0.0;  ///< generators: fuel units per hour at the planned load
    /// Device types its output cannot run with the more critical ones (they stop at once when
    /// it is the only source); empty when it carries all.
    std::vector<std::string> left_out;
};

/// Energy check at one horizon.
struct EnergyCheck {
    double hours = 0.0;
    double energy_wh = 0.0;           ///< all devices at their duty, no safety factor
    double essential_energy_wh = 0.0; ///< devices run on backup, no safety factor
    bool covered = false;             ///< household backups and batteries last this long
};

/// A consumable over 1, 3 and 14 days (section 2.4 and 3.3 item 5).
struct ConsumableNeed {
    std::string name; ///< English key; report/care_catalog.hpp gives the Japanese label
    std::string unit;
    double per_day = 0.0; ///< 0 with day1..day14 0 = as prescribed
    bool stock = false;   ///< a fixed stock (cool box, oxygen reserve): day1..day14 equal
    double day1 = 0.0;
    double day3 = 0.0;
    double day14 = 0.0;
};

/// Everything the planner and the reports need about one child.
struct ChildNeeds {
    std::string child_id;
    double load_peak_w = 0.0;      ///< all mains devices at once
    double load_avg_w = 0.0;       ///< mean over a day, all devices
    double essential_peak_w = 0.0; ///< devices run on backup
    double essential_avg_w = 0.0;
    int outlets = 0; ///< mains devices (units) needing a socket
    /// The largest extra draw of one essential mains device starting (compressor, concentrator):
    /// (start-up factor - 1) x its running W (data/power_sources.toml [surge]); 0 if none.
    double surge_w = 0.0;
    /// External batteries of the devices (units with external battery hours): charged at the
    /// shelter (planner/shelter_load.hpp) and pre-charged at home.
    int external_batteries = 0;
    StaffLevel staff = StaffLevel::family;
    bool needs_ventilator = false;    ///< destination must accept ventilator users
    bool needs_oxygen = false;        ///< destination must accept oxygen users
    std::vector<PowerPhase> timeline; ///< order of use up to endurance_h; by start, then device
    std::vector<DeviceEndurance> devices;
    /// Ventilation or infusion (life-critical devices other than oxygen) on the devices' own
    /// internal + external batteries alone; -1 if the child has none.
    double device_battery_h = -1.0;
    std::vector<BackupSourceHours> backup_sources; ///< each household source alone, in order of use
    double oxygen_cylinder_h = 0.0;                ///< cylinders alone at the prescribed flow
    double oxygen_h = 0.0; ///< cylinders first, then the concentrator on backups (capped)
    int oxygen_cylinders_recommended =
        0; ///< bridge (no concentrator: horizon) + reserve; 0 without flow
    /// Hours one cylinder lasts at the prescribed flow (usable litres / litres an hour); 0
    /// without oxygen flow.
    double oxygen_hours_per_cylinder = 0.0;
    /// An oxygen concentrator run on mains or backup power: once it has power, it needs no
    /// cylinder (planner/shelter_load.hpp counts a shelter's cylinders with it).
    bool oxygen_concentrator = false;
    /// Hours after the power cut by which to call the oxygen supplier (cylinders left for the
    /// delivery time); -1 without oxygen. 0 = call at once.
    double oxygen_call_supplier_h = -1.0;
    bool life_critical = false; ///< a life-critical function depends on supplies
    double endurance_h =
        0.0; ///< total: first life-critical stop (capped); simulate_until_h if none
    std::optional<std::int64_t> deadline_s; ///< after mains loss; nullopt = not power-limited
    double energy_horizon_wh = 0.0;         ///< all devices over options.horizon_h
    std::vector<EnergyCheck> checks;
    std::vector<ConsumableNeed> consumables; ///< sorted by name, incl. oxygen cylinders
    std::vector<std::string> notes;          ///< plain sentences (fallbacks, undersized sources)
    /// Clock hours at which a device used at set hours starts its daily run (CPAP 22:00); empty
    /// if every device runs at its 24-hour average.
    std::vector<double> duty_window_starts_h;
    std::vector<double> duty_window_h; ///< the length of each of those runs

    /// The clock hour of the power cut the hours above are computed for: the scenario's
    /// (PowerOptions::mains_lost_clock_h) or, when it is unknown and a device is used at set
    /// hours, the worst time of day; nullopt = 24-hour averages (no such device).
    std::optional<double> cut_clock_h;
    bool cut_clock_assumed = false; ///< cut_clock_h is the worst case, not the scenario's clock
};

/// The supplies of a care item that are not tied to a device (DOMAIN.md section 1: spare
/// cannula, formula and flush water, cold packs for insulin...), English keys as in
/// ConsumableNeed::name.
std::vector<Consumable> care_item_supplies(CareItem item);

/// Assesses one child. Unknown device types (not in the catalogue) are skipped with a note.
/// A device used at set hours (CPAP overnight) with the clock of the power cut unknown: the
/// child is assessed for the worst time of day (the shortest endurance over the windows'
/// starts and ends; the earliest of equals), never on the 24-hour average.
ChildNeeds assess_child(const Child& child, const DeviceCatalogue& catalogue,
                        const PowerOptions& options = {});

/// The plan's summary of a child's power picture (planner/plan.hpp).
ChildPower to_child_power(const ChildNeeds& needs, const Child& child);

} // namespace sonae::planner
