#pragma once
/// Labels and care-item supplies the guidebook prints (../shared/DOMAIN.md sections 1, 2.3,
/// 3.3). Device parameters come from the planner's catalogue (planner/device_catalogue.hpp,
/// data/devices.toml); this file adds what the catalogue does not hold: supplies tied to a
/// care item rather than a device (spare cannula, manual suction pump, bag-valve mask).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonae::report {

/// A consumable used per day by a device or a care item.
struct Consumable {
    std::string item_ja;  ///< "人工鼻（HME）"
    double per_day = 0.0; ///< quantity per day; 0 = per prescription (処方どおり)
    std::string unit_ja;  ///< "個", "L", "本"
};

/// Japanese name of a device id from the planner's device catalogue (the id if unknown).
std::string device_label_ja(std::string_view id);

/// Japanese name of a care item code (DOMAIN.md section 1), e.g. "ventilator" ->
/// "人工呼吸器の管理"; the code itself if unknown.
std::string care_label_ja(std::string_view code);

/// Japanese label of a consumable named in the device catalogue ("suction catheter" ->
/// "吸引カテーテル"); the name itself if unknown.
std::string consumable_label_ja(std::string_view name);
/// Japanese unit ("pcs" -> "個", "pairs" -> "組", "sets" -> "式", "L" -> "L").
std::string unit_label_ja(std::string_view unit);
/// Japanese description of a device's manual fallback when power runs out (DOMAIN 2.1);
/// empty if the device has none worth naming.
std::string fallback_label_ja(std::string_view device_id);

/// Consumables of a care item that are not tied to a device (e.g. tracheostomy: spare cannula),
/// from the planner's table (planner::care_item_supplies), labelled in Japanese.
std::vector<Consumable> care_consumables(std::string_view code);

} // namespace sonae::report
