#pragma once
/// Japanese for the codes plan.json keeps: the one vocabulary of everything a person reads
/// (plan.csv, facilities.csv, plan.gpkg, the guidebook, the council report and its
/// GeoPackage). plan.json keeps the codes; outputs for people print these labels. An unknown
/// code comes back as it is (a registry written in Japanese keeps its own words).

#include "planner/device_catalogue.hpp"
#include "planner/plan.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace sonae::planner {

/// Mobility::wheelchair -> "車いす".
std::string mobility_ja(Mobility mobility);
/// The care item of a code, also of the English variants a registry may use ("nebulizer",
/// "cvc", "feeding", ...); nullopt if unknown.
std::optional<CareItem> care_item_of(std::string_view code);
/// "ventilator" -> "人工呼吸器の管理" (the care item's name in device_catalogue.hpp; also the
/// English variants a registry may use: "nebulizer", "cvc", "feeding", ...).
std::string care_item_ja(std::string_view code);
/// "o2conc" -> "酸素濃縮器" (the device catalogue's name_ja).
std::string device_ja(std::string_view id);
/// A hazard kind: "flood" -> "洪水（浸水）", "tsunami" -> "津波", "landslide" -> "土砂災害".
std::string hazard_kind_ja(std::string_view kind);
/// A route's travel mode: TravelMode::car -> "車", walk -> "徒歩", wheelchair -> "車いす".
std::string mode_ja(TravelMode mode);
/// "shelter+emergency_site" -> "指定避難所・指定緊急避難場所" (a merged facility's kinds).
std::string facility_kind_ja(std::string_view kind);
/// A consumable named in the device catalogue or the care-item supplies: "suction catheter"
/// -> "吸引カテーテル".
std::string consumable_ja(std::string_view name);
/// A consumable's unit: "pcs" -> "個", "pairs" -> "組", "cylinders" -> "本", "L" -> "L".
std::string unit_ja(std::string_view unit);
/// A supply line of facilities.csv from the plan's key "nasal cannula (pcs)" and a quantity:
/// counted units rounded up to whole ones ("鼻カニューラ 1個" for 0.4, "酸素ボンベ 3本"), litres
/// with one decimal ("滅菌蒸留水（加湿器用） 2.7L"); a quantity of 0 (per prescription) ->
/// "栄養剤（処方どおり）".
std::string supply_ja(std::string_view key, double quantity);

/// A shortage item ("places", "power_kw", "fuel_l", "outlets", "nurses",
/// "nurses_and_carers") -> "受入れ人数", "発電機の出力", ...
std::string shortage_item_ja(std::string_view item);
/// Its unit with a leading space where one is written: " kW", " L", " 口", " 人".
std::string shortage_unit_ja(std::string_view item);
/// One shortage as people read it: "コンセント 必要 14 口／あり 12 口".
std::string shortage_ja(const Shortage& shortage);

/// A planner sentence without its English glosses: plan.json keeps "… (margin under the
/// threshold)" for coordinators' tools; people read only the Japanese. Every " (…)" whose
/// content is ASCII only is dropped; Japanese brackets stay.
std::string without_english(std::string_view text);

} // namespace sonae::planner
