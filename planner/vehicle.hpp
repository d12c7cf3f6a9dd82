#pragma once
/// Vehicles that can carry children (not the household's own car, which is in the registry):
/// wheelchair vans, ambulances and volunteer family cars, with their slots, power outlet,
/// staff skills, base and availability. Schema in planner/REGISTRY_SCHEMA.md.

#include "core/error.hpp"
#include "geo/road_network.hpp"
#include "planner/csv.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace sonae::planner {

enum class VehicleType : std::uint8_t { wheelchair_van, ambulance, family_car };
std::string_view to_string(VehicleType type);
/// "wheelchair_van"/"福祉車両"/"車椅子車", "ambulance"/"救急車"/"民間救急", "family_car"/"乗用車".
std::optional<VehicleType> parse_vehicle_type(std::string_view text);

/// One vehicle.
struct Vehicle {
    std::string id;
    VehicleType type = VehicleType::wheelchair_van;
    int seats = 0; ///< seated passengers besides the driver
    int wheelchair_slots = 0;
    int stretcher_slots = 0;
    double outlet_w = 0.0; ///< AC outlet for devices on board, 0 = none
    bool nurse = false;    ///< a nurse rides along
    bool carer = false;    ///< a certified carer rides along
    geo::LonLat base;
    std::int64_t available_from_s = 0;   ///< after t0
    std::int64_t available_until_s = -1; ///< -1 = until the end
    std::string municipality_code;       ///< operating municipality, may be empty
    std::string operator_name;
    std::int64_t source_line = -1;
    friend bool operator==(const Vehicle& a, const Vehicle& b) {
        return a.id == b.id && a.type == b.type && a.seats == b.seats &&
               a.wheelchair_slots == b.wheelchair_slots && a.stretcher_slots == b.stretcher_slots &&
               a.outlet_w == b.outlet_w && a.nurse == b.nurse && a.carer == b.carer &&
               a.base == b.base && a.available_from_s == b.available_from_s &&
               a.available_until_s == b.available_until_s &&
               a.municipality_code == b.municipality_code && a.operator_name == b.operator_name;
    }
};

/// Vehicles (sorted by id, ids unique) and every problem found.
struct VehicleLoadResult {
    std::vector<Vehicle> vehicles;
    Diagnostics diagnostics;
    std::size_t rows_read = 0;
    std::size_t rows_rejected = 0;
};

std::span<const ColumnSpec> vehicle_columns();
VehicleLoadResult load_vehicle_table(const Table& table);
/// Loads a vehicles CSV, .xlsx workbook (layer = sheet) or GIS layer (read_table). Throws IoError.
VehicleLoadResult load_vehicles(const std::filesystem::path& path,
                                TextEncoding encoding = TextEncoding::automatic,
                                const std::string& layer = {});

/// Parses a time after t0: "90" (minutes), "1:30" / "01:30" (h:mm), "90min", "1.5h", "5400s".
/// nullopt if not a time.
std::optional<std::int64_t> parse_duration_s(std::string_view text);

} // namespace sonae::planner
