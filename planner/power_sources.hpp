#pragma once
/// Defaults for backup power that are not devices: generator classes with their fuel use at
/// part load, the oxygen supply's bridge and reserve, start-up surge factors and a shelter's
/// own load and staffing shifts. The values live in data/power_sources.toml (compiled in),
/// each with its source tag or marked est.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace sonae::planner {

/// One class of generator. Fuel use per hour at load L of a generator rated R (W):
///   R/1000 x (idle_per_kwh + (full_per_kwh - idle_per_kwh) x L / R)
/// (idle + proportional, DOMAIN.md section 7; data/power_sources.toml).
struct GeneratorClass {
    std::string id; ///< cassette_gas, gasoline_inverter, diesel_standby
    std::string name_ja;
    std::string fuel_ja;       ///< カセットガス, ガソリン, 軽油
    std::string unit_ja;       ///< 本 (cans), L
    bool home = false;         ///< a household class (else shelters and hospitals)
    double max_rated_w = 0.0;  ///< home classes: ratings up to this; 0 = any
    double full_per_kwh = 0.0; ///< fuel units per hour per rated kW at rated output
    double idle_per_kwh = 0.0; ///< ... at no load
    std::string source;

    /// Fuel units burnt per hour by a generator of `rated_w` carrying `load_w` (clamped to
    /// 0..rated_w). 0 if rated_w <= 0.
    double fuel_per_h(double rated_w, double load_w) const;
    /// Fuel units a generator of `rated_w` holds when it runs `hours_at_rated` at rated output.
    double fuel_for_rated_hours(double rated_w, double hours_at_rated) const;
};

/// Oxygen supply defaults (DOMAIN.md section 2.2).
struct OxygenDefaults {
    double bridge_h = 24.0;       ///< cylinders cover this until the concentrator has power
    int reserve_cylinders = 1;    ///< spare cylinders beyond the bridge (agree with the supplier)
    double supplier_lead_h = 6.0; ///< from the call to a delivered cylinder
};

/// A shelter's own load and staffing defaults.
struct ShelterDefaults {
    double base_load_w = 300.0;     ///< lights, medicine fridge, phone charging (average)
    double base_peak_w = 800.0;     ///< the same at its peak (fridge start)
    double battery_charge_w = 90.0; ///< one external battery charging [S18]
    double battery_charge_h = 2.0;  ///< hours a day one battery charges
    double shift_h = 8.0;           ///< one staff member's shift per day
    int children_per_staff = 3;     ///< medical children one nurse/carer watches at once
    int companions_default = 1;     ///< family members admitted with each child (DOMAIN 3.2)
    double hospital_evacuee_share =
        0.2; ///< share of a hospital's generator for evacuees when not given
};

/// All of data/power_sources.toml.
struct PowerSourceDefaults {
    std::vector<GeneratorClass> generators; ///< in file order
    double home_max_generator_w = 5500.0;
    OxygenDefaults oxygen;
    std::map<std::string, double> surge; ///< device id -> start-up factor (x running W)
    ShelterDefaults shelter;

    /// The class of a household generator of `rated_w`: the first home class whose
    /// max_rated_w covers it; nullptr if none (above home_max_generator_w).
    const GeneratorClass* home_class(double rated_w) const;
    /// The class of a shelter's or hospital's generator (the first non-home class).
    const GeneratorClass* facility_class() const;
    /// Start-up factor of a device (1 if not listed).
    double surge_factor(std::string_view device) const;
};

/// Parses the format of data/power_sources.toml. Throws InputError naming the file, table,
/// line and key on a bad value.
PowerSourceDefaults parse_power_source_defaults(std::string_view toml_text,
                                                const std::string& origin);
/// The built-in defaults (data/power_sources.toml compiled in). Parsed once.
const PowerSourceDefaults& default_power_sources();

} // namespace sonae::planner
