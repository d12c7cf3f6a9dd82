#pragma once
/// The registry of children on medical care (pseudonymous), as municipal staff hold it: a CSV
/// from Excel (UTF-8, UTF-8 with BOM or Shift_JIS/CP932), the .xlsx workbook itself, or a GIS
/// point layer. The schema,
/// with its English and Japanese headers, is documented in planner/REGISTRY_SCHEMA.md.
///
/// Loading never stops at the first problem: every row is either loaded or listed in the
/// returned Diagnostics with file, line (or feature id), column and value. The registry is
/// sorted by child id, so the same data in another row order gives the same registry.
/// Children's data is sensitive (DOMAIN.md section 6): tests and demos use synthetic people.

#include "core/error.hpp"
#include "core/strong_id.hpp"
#include "geo/road_network.hpp"
#include "planner/codes.hpp"
#include "planner/csv.hpp"
#include "planner/device_catalogue.hpp"
#include "planner/geocoder.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace sonae::planner {

struct ChildTag {};
/// Index of a child in Registry::children().
using ChildId = StrongId<ChildTag>;

/// "walks"/"歩行", "carried"/"抱っこ"/"おんぶ", "wheelchair"/"車椅子"/"バギー",
/// "stretcher"/"ストレッチャー"/"寝台".
std::optional<Mobility> parse_mobility(std::string_view text);

/// The household's own vehicle and what it can power (DOMAIN.md section 2.3 step 3).
enum class HouseholdVehicle : std::uint8_t {
    none,
    car,           ///< cigarette socket 12 V: 60-120 W through a pure-sine inverter
    hybrid_outlet, ///< PHEV/HEV with a 1,500 W AC outlet
};
std::string_view to_string(HouseholdVehicle vehicle);
/// "none"/"なし", "car"/"自家用車"/"車", "phev"/"hev"/"hybrid"/"PHEV"/"ハイブリッド"/"給電車".
std::optional<HouseholdVehicle> parse_household_vehicle(std::string_view text);

/// One device a child uses, with optional per-child overrides.
struct DeviceUse {
    std::string type; ///< catalogue id ("vent"), resolved from aliases
    int count = 1;
    std::optional<double> power_w;            ///< override of the catalogue's typical watts
    std::optional<double> internal_battery_h; ///< override, at continuous running
    std::optional<double> external_battery_h; ///< override, dedicated external batteries
    friend bool operator==(const DeviceUse&, const DeviceUse&) = default;
};

/// Parses a device list: entries separated by ';' (or '；', '、'), each
/// `type[:count][:<watts>W][:<hours>h][:ext<hours>h]`, e.g. "ventilator:1:60W:8h;suction:1".
/// Returns the entries and, for each bad entry, a message in `problems`.
std::vector<DeviceUse> parse_device_list(std::string_view text, const DeviceCatalogue& catalogue,
                                         std::vector<std::string>& problems);
/// Renders a device list in the same syntax (round-trips with parse_device_list).
std::string format_device_list(std::span<const DeviceUse> devices);

/// Oxygen supply (DOMAIN.md section 2.2).
struct OxygenSupply {
    double flow_lpm = 0.0;               ///< prescribed continuous flow, L/min (0 = none)
    int cylinders = 0;                   ///< full cylinders held at home
    double cylinder_nominal_l = 500.0;   ///< nominal size: 300 or 500 L class
    double cylinder_pressure_mpa = 14.0; ///< filling pressure
    double demand_valve_factor = 1.0;    ///< 呼吸同調器 stretch; 1 unless prescribed
    friend bool operator==(const OxygenSupply&, const OxygenSupply&) = default;
};

/// Backup power the household holds (DOMAIN.md section 2.3).
struct HomeBackup {
    double power_station_wh = 0.0;       ///< label capacity of a portable power station
    double power_station_output_w = 0.0; ///< rated AC output, 0 = unknown (assume enough)
    double generator_w = 0.0;            ///< inverter generator rated output, 0 = none
    double generator_fuel_h = 0.0;       ///< hours of fuel held (cassette gas: ~1-2 h a pair)
    double vehicle_energy_kwh = 0.0;     ///< for hybrid_outlet; 0 = default of the model
    friend bool operator==(const HomeBackup&, const HomeBackup&) = default;
};

/// Who may see what (DOMAIN.md section 6): registry-sharing consent is not plan-sharing consent.
struct Consent {
    bool registry_sharing = false;
    bool plan_sharing = false;
    friend bool operator==(const Consent&, const Consent&) = default;
};

/// Optional identifying fields; empty in synthetic registries unless names were asked for.
struct PersonalFields {
    std::string name;
    std::string phone;
    std::vector<std::string> emergency_contacts;
    friend bool operator==(const PersonalFields&, const PersonalFields&) = default;
};

/// One child of the registry.
struct Child {
    std::string id;                ///< pseudonymous id, e.g. "UBE-0001"
    std::string municipality_code; ///< 6-digit JIS code with check digit, e.g. "352021"
    geo::LonLat home;
    std::vector<CareItem> care_items; ///< sorted, unique
    std::vector<DeviceUse> devices;   ///< sorted by type
    OxygenSupply oxygen;
    Mobility mobility = Mobility::carried;
    HouseholdVehicle vehicle = HouseholdVehicle::none;
    HomeBackup backup;
    int helpers = 0; ///< adults available to help evacuate (family included)
    /// Of the helpers, adults trained in the child's airway care (suction, bagging, circuit
    /// change) who may accompany a ventilator or CPAP child instead of a nurse (issue 17).
    int trained_helpers = 0;
    std::optional<int> floor;          ///< floor of the home, 1 = ground (1階); nullopt = unknown
    std::optional<bool> elevator;      ///< the building has a lift usable with the child
    std::optional<double> packing_min; ///< packing and carrying out as timed in a drill (wins)
    std::optional<double>
        loading_min; ///< into a scheduled vehicle at the home, as timed in a drill (wins)
    std::optional<double> connect_min; ///< arrival (or opening) to the devices on shelter power, as
                                       ///< timed in a drill (wins)
    int companions = 1;                ///< family members who come along and take shelter places
    Consent consent;
    PersonalFields personal;
    std::string notes;
    std::string address; ///< as written in the registry (personal), may be empty
    /// Set when the home is a town-level point of the address (geocoded), not the house.
    std::optional<GeocodePrecision> home_precision;
    std::int64_t source_line = -1; ///< CSV line, for messages
    std::string source_feature;    ///< GIS feature id, for messages
    /// Set when the loader found the home off the land (off_land_reason: in the sea?), how far
    /// off the bundled outlines in metres: the plan says so beside the child (issue 24 item 3),
    /// not only in the list of warnings. Derived from `home`, so not part of equality.
    std::optional<double> home_off_land_m;
    friend bool operator==(const Child& a, const Child& b) {
        // Equality of content; where it was read from does not matter.
        return a.id == b.id && a.municipality_code == b.municipality_code && a.home == b.home &&
               a.care_items == b.care_items && a.devices == b.devices && a.oxygen == b.oxygen &&
               a.mobility == b.mobility && a.vehicle == b.vehicle && a.backup == b.backup &&
               a.helpers == b.helpers && a.companions == b.companions &&
               a.trained_helpers == b.trained_helpers && a.floor == b.floor &&
               a.elevator == b.elevator && a.packing_min == b.packing_min &&
               a.loading_min == b.loading_min && a.connect_min == b.connect_min &&
               a.consent == b.consent && a.personal == b.personal && a.notes == b.notes &&
               a.address == b.address && a.home_precision == b.home_precision;
    }

    bool has_care(CareItem item) const;
    bool has_device(std::string_view type) const;
};

/// The registry: children sorted by id (ids unique).
class Registry {
public:
    Registry() = default;
    /// Sorts by id. Precondition: ids are unique (the loader guarantees it).
    explicit Registry(std::vector<Child> children);
    std::span<const Child> children() const noexcept { return m_children; }
    std::size_t size() const noexcept { return m_children.size(); }
    const Child& operator[](ChildId id) const { return m_children[id.value()]; }
    /// By pseudonymous id; nullopt if absent. O(log n).
    std::optional<ChildId> find(std::string_view id) const;

private:
    std::vector<Child> m_children;
};

/// Options for loading a registry.
struct RegistryLoadOptions {
    TextEncoding encoding = TextEncoding::automatic;
    std::string layer;                          ///< GIS layer or workbook sheet, empty = choose
    const DeviceCatalogue* catalogue = nullptr; ///< nullptr = default_device_catalogue()
    const geo::RoadNetwork* network = nullptr;  ///< if set: warn when a home is far from roads
    double far_from_road_m = 300.0;
};

/// A registry and every problem found. Rows with errors are not in the registry, and each is
/// listed; `rows_read` counts data rows, so rows_read == registry.size() + rows_rejected.
struct RegistryLoadResult {
    Registry registry;
    Diagnostics diagnostics;
    std::size_t rows_read = 0;
    std::size_t rows_rejected = 0;
};

/// The columns of the registry schema (canonical English names and Japanese aliases).
std::span<const ColumnSpec> registry_columns();

/// Loads from a Table already read (CSV or layer). Never throws for data problems.
RegistryLoadResult load_registry_table(const Table& table, const RegistryLoadOptions& options = {});
/// Loads a CSV, an .xlsx workbook or a GIS point layer (read_table). Throws IoError if unreadable.
RegistryLoadResult load_registry(const std::filesystem::path& path,
                                 const RegistryLoadOptions& options = {});

/// Writes the registry as CSV rows (English headers, one row per child) for format_csv.
/// Personal fields are included only if `include_personal`.
std::vector<std::vector<std::string>> registry_to_rows(const Registry& registry,
                                                       bool include_personal);

/// Japan's rough extent for coordinate checks: lon 122-154, lat 20-46.
bool inside_japan(geo::LonLat position);

} // namespace sonae::planner
