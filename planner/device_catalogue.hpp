#pragma once
/// Care items (the 14 of the 医療的ケア判定スコア, DOMAIN.md section 1) and the catalogue of
/// medical and household devices with their power, duty, batteries, consumables and staff
/// (DOMAIN.md section 2.1). The defaults live in data/devices.toml (compiled in); a scenario
/// can override any field of any device, and a child can override watts and battery hours.

#include "core/error.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sonae::planner {

/// Who can do a care act. Ordered: a nurse can do what a carer can, a carer what family can.
enum class StaffLevel : std::uint8_t {
    family = 0, ///< the family can manage
    carer = 1,  ///< nurse or certified carer (喀痰吸引等研修: suction, tube feeding)
    nurse = 2,  ///< a nurse
};
std::string_view to_string(StaffLevel level);

/// The 14 care types of the 医療的ケア判定スコア, numbered as in DOMAIN.md section 1.
enum class CareItem : std::uint8_t {
    ventilator = 1,          ///< 人工呼吸器の管理 (incl. NPPV, high-flow, cough assist)
    tracheostomy,            ///< 気管切開
    nasopharyngeal_airway,   ///< 鼻咽頭エアウェイ
    oxygen,                  ///< 酸素療法
    suction,                 ///< 吸引
    nebuliser,               ///< ネブライザー・薬液吸入
    tube_feeding,            ///< 経管栄養
    central_venous_catheter, ///< 中心静脈カテーテル
    injection,               ///< その他の注射管理
    blood_glucose,           ///< 血糖測定
    dialysis,                ///< 継続的な透析
    catheterisation,         ///< 導尿
    bowel,                   ///< 排便管理
    seizure,                 ///< 痙攣時の処置
};
inline constexpr std::size_t kCareItemCount = 14;

/// Static facts of a care item (DOMAIN.md section 1 table).
struct CareItemInfo {
    CareItem item;
    std::string_view code;    ///< short English code used in CSV, e.g. "ventilator"
    std::string_view name_ja; ///< e.g. "人工呼吸器の管理"
    std::string_view name_en;
    int base_score;   ///< 基本スコア
    StaffLevel staff; ///< who may perform it
};

/// All 14, in number order.
std::span<const CareItemInfo> care_items();
const CareItemInfo& info(CareItem item);
/// Accepts the number ("1".."14", also full-width), the code ("ventilator"), the Japanese name
/// or a short Japanese form ("人工呼吸器", "気切", "酸素", "吸引", "経管栄養", ...).
std::optional<CareItem> parse_care_item(std::string_view text);

/// How bad it is when a device stops (used by the power model for the deadline).
enum class Criticality : std::uint8_t {
    comfort, ///< a fallback exists for days (humidifier -> HME, air-con, bed)
    needed,  ///< needed daily; a manual fallback exists for hours (suction, feeding pump)
    life,    ///< life-sustaining, no safe fallback for long (ventilator, concentrator, CVC pump)
};
std::string_view to_string(Criticality criticality);

/// A consumable used per day, e.g. {"suction catheter", 20, "pcs"}.
struct Consumable {
    std::string name;
    double per_day = 0.0;
    std::string unit;
};

/// One device type (DOMAIN.md section 2.1).
struct DeviceSpec {
    std::string id; ///< "vent", "humid", "suction", ...
    std::string name_ja;
    std::string name_en;
    std::vector<std::string> aliases; ///< other accepted spellings in registries
    double power_w = 0.0;             ///< typical draw while running
    double power_min_w = 0.0;         ///< plausible range (outside: warning)
    double power_max_w = 0.0;
    double duty_h_per_day = 24.0; ///< hours running per day
    /// Clock hour (0-24) when the daily run starts, e.g. 22 for a CPAP used overnight; the
    /// device then runs duty_h_per_day hours from it, and the power model uses the load at
    /// the time of day when it knows the clock. Negative = spread over the day (average).
    double duty_start_h = -1.0;
    double internal_battery_h = 0.0; ///< at continuous running; 0 = none
    double external_battery_h = 0.0; ///< dedicated external battery, 0 = none
    bool mains_powered = true;       ///< false for cylinders and cell-powered devices
    Criticality criticality = Criticality::needed;
    StaffLevel staff = StaffLevel::family;
    std::vector<Consumable> consumables; ///< per day of use
    std::string fallback;                ///< manual alternative, e.g. "HME (人工鼻)"
    std::string source;                  ///< DOMAIN.md source tags, "est." if estimated
};

/// The catalogue: device specs by id. Immutable once built.
class DeviceCatalogue {
public:
    DeviceCatalogue() = default;
    explicit DeviceCatalogue(std::vector<DeviceSpec> devices);

    /// By id or alias (case-insensitive, normalised); nullptr if unknown.
    const DeviceSpec* find(std::string_view id_or_alias) const;
    std::span<const DeviceSpec> devices() const noexcept { return m_devices; }
    /// Where it came from ("built-in data/devices.toml" or a path), for reports.
    const std::string& origin() const noexcept { return m_origin; }

    /// A copy with fields overridden from a TOML document whose tables are
    /// [devices.<id>] with any of the DeviceSpec keys (see data/devices.toml). An unknown id
    /// adds a new device (it must then have name_en and power_w). Throws InputError naming
    /// the file, table and key on a bad value.
    DeviceCatalogue with_overrides(std::string_view toml_text, const std::string& origin) const;
    DeviceCatalogue with_overrides_file(const std::filesystem::path& path) const;

private:
    friend DeviceCatalogue parse_device_catalogue(std::string_view, const std::string&);
    std::vector<DeviceSpec> m_devices; // sorted by id
    std::string m_origin;
};

/// Parses a full catalogue from TOML text (format of data/devices.toml). Throws InputError.
DeviceCatalogue parse_device_catalogue(std::string_view toml_text, const std::string& origin);
/// Reads a catalogue file. Throws IoError / InputError.
DeviceCatalogue load_device_catalogue(const std::filesystem::path& path);
/// The built-in defaults (data/devices.toml compiled into the library). Parsed once.
const DeviceCatalogue& default_device_catalogue();

} // namespace sonae::planner
