#include "planner/labels.hpp"

#include "planner/device_catalogue.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

namespace sonae::planner {

std::string mobility_ja(Mobility mobility) {
    switch (mobility) {
    case Mobility::walks: return "歩ける";
    case Mobility::carried: return "抱っこ・おんぶ";
    case Mobility::wheelchair: return "車いす";
    case Mobility::stretcher: return "ストレッチャー";
    }
    return std::string(to_string(mobility));
}

namespace {

// English variants of care codes a registry may use (parse_care_item knows the canonical ones).
std::string_view canonical_care_code(std::string_view code) {
    if (code == "nebulizer") return "nebuliser";
    if (code == "cvc") return "central_venous_catheter";
    if (code == "airway") return "nasopharyngeal_airway";
    if (code == "glucose" || code == "cgm") return "blood_glucose";
    if (code == "catheterization") return "catheterisation";
    if (code == "feeding" || code == "enteral") return "tube_feeding";
    if (code == "tracheotomy") return "tracheostomy";
    return code;
}

} // namespace

std::optional<CareItem> care_item_of(std::string_view code) {
    if (const auto item = parse_care_item(code)) return item;
    return parse_care_item(canonical_care_code(code));
}

std::string care_item_ja(std::string_view code) {
    if (const auto item = care_item_of(code)) return std::string(info(*item).name_ja);
    return std::string(code);
}

std::string device_ja(std::string_view id) {
    if (const auto* spec = default_device_catalogue().find(id);
        spec != nullptr && !spec->name_ja.empty()) {
        return spec->name_ja;
    }
    return std::string(id);
}

std::string hazard_kind_ja(std::string_view kind) {
    if (kind == "flood") return "洪水（浸水）";
    if (kind == "tsunami") return "津波";
    if (kind == "landslide") return "土砂災害";
    if (kind == "storm_surge") return "高潮";
    if (kind == "earthquake") return "地震";
    if (kind == "drill") return "避難訓練";
    if (kind.empty()) return "（未設定）";
    return std::string(kind);
}

std::string mode_ja(TravelMode mode) {
    switch (mode) {
    case TravelMode::car: return "車";
    case TravelMode::walk: return "徒歩";
    case TravelMode::wheelchair: return "車いす";
    }
    return std::string(to_string(mode));
}

std::string facility_kind_ja(std::string_view kind) {
    // A merged facility is several kinds joined by '+' (stages/shelter_needs.cpp).
    if (const auto plus = kind.find('+'); plus != std::string_view::npos) {
        return facility_kind_ja(kind.substr(0, plus)) + "・" +
               facility_kind_ja(kind.substr(plus + 1));
    }
    if (kind == "emergency_site") return "指定緊急避難場所";
    if (kind == "shelter" || kind == "designated_shelter") return "指定避難所";
    if (kind == "p20_shelter") return "避難施設（国土数値情報）";
    if (kind == "welfare_shelter") return "福祉避難所";
    if (kind == "designated_welfare_shelter") return "指定福祉避難所";
    if (kind == "hospital") return "病院";
    if (kind == "support_centre") return "医療的ケア児支援センター";
    if (kind == "home") return "自宅（在宅避難）";
    return std::string(kind);
}

std::string consumable_ja(std::string_view name) {
    static const std::pair<std::string_view, std::string_view> table[] = {
        {"HME (人工鼻)", "人工鼻（HME）"},
        {"ventilator filter", "人工呼吸器のフィルター"},
        {"sterile water", "滅菌蒸留水（加湿器用）"},
        {"distilled water (CPAP)", "精製水（CPAP用）"},
        {"suction catheter", "吸引カテーテル"},
        {"water for suction", "吸引用の水"},
        {"gloves", "手袋"},
        {"nasal cannula", "鼻カニューラ"},
        {"humidifier water (oxygen)", "酸素加湿用の水"},
        {"probe tape", "プローブ固定テープ"},
        {"feeding set", "栄養セット"},
        {"feeding syringe", "注入用シリンジ"},
        {"enteral formula", "栄養剤（処方どおり）"},
        {"flush water", "注入後に流す白湯・水"},
        {"cold pack", "保冷剤"},
        {"cool box", "保冷バッグ・クーラーボックス（インスリン用）"},
        {"bag-valve mask", "蘇生バッグ（停電時の手動換気）"},
        {"spare tracheostomy tube", "予備の気管カニューレ"},
        {"Y gauze", "Yガーゼ"},
        {"spare nasopharyngeal airway", "予備のエアウェイ"},
        {"manual suction pump", "手動・足踏み式吸引器（停電時）"},
        {"injection needle", "注射針"},
        {"glucose test strip or sensor", "測定用チップ・センサー"},
        {"dialysate", "透析液（処方どおり）"},
        {"urinary catheter", "導尿カテーテル"},
        {"stoma appliance", "ストーマ装具"},
        {"rescue medicine", "発作時の頓用薬"},
        {"TPN bag and line", "輸液バッグとルート"},
        {"CVC dressing", "カテーテル固定ドレッシング"},
        {"saline ampoule", "生理食塩水アンプル"},
        {"AA cells", "単3電池"},
        {"cough assist filter", "排痰補助装置のフィルター"},
        {"oxygen cylinder", "酸素ボンベ"},
        {"oxygen cylinders", "酸素ボンベ"},
    };
    for (const auto& [en, ja] : table)
        if (name == en) return std::string(ja);
    return std::string(name);
}

std::string unit_ja(std::string_view unit) {
    if (unit == "pcs" || unit == "pc") return "個";
    if (unit == "pairs") return "組";
    if (unit == "sets") return "式";
    if (unit == "cylinders") return "本";
    if (unit == "units") return "台";
    if (unit == "bags") return "袋";
    if (unit == "doses") return "回分";
    return std::string(unit);
}

namespace {

/// 14 for 14.0, 0.86 for a power, 4.5 otherwise.
std::string amount(double v, int digits) {
    char buf[64];
    if (std::fabs(v - std::round(v)) < 1e-9) {
        std::snprintf(buf, sizeof buf, "%.0f", v);
    } else {
        std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    }
    return buf;
}

} // namespace

std::string supply_ja(std::string_view key, double quantity) {
    // The plan's key is "<name> (<unit>)"; a name may hold brackets itself ("HME (人工鼻)").
    std::string_view name = key;
    std::string_view unit;
    if (const auto open = key.rfind(" ("); open != std::string_view::npos && key.back() == ')') {
        name = key.substr(0, open);
        unit = key.substr(open + 2, key.size() - open - 3);
    }
    std::string label = consumable_ja(name);
    if (quantity <= 0.0) {
        // Per prescription (per_day 0 in the catalogue): no amount to print.
        return label.find("処方どおり") != std::string::npos ? label : label + "（処方どおり）";
    }
    // Pieces, pairs, cylinders... are stocked whole: 0.4 nasal cannulas are 1 to have ready
    // (the plan keeps the exact figure). Litres keep their decimal.
    const std::string counter = unit_ja(unit);
    const bool whole = !unit.empty() && counter != unit;
    if (whole) quantity = std::ceil(quantity - 1e-9);
    return label + " " + amount(quantity, 1) + counter;
}

std::string shortage_item_ja(std::string_view item) {
    if (item == "places" || item == "capacity") return "受入れ人数";
    if (item == "power_kw") return "発電機の出力";
    if (item == "energy_kwh") return "電力量";
    if (item == "fuel_l") return "燃料";
    if (item == "outlets") return "コンセント";
    if (item == "nurses") return "看護師";
    if (item == "carers") return "介護職員";
    if (item == "nurses_and_carers") return "看護師と介護職員";
    return std::string(item);
}

std::string shortage_unit_ja(std::string_view item) {
    if (item == "power_kw") return " kW";
    if (item == "energy_kwh") return " kWh";
    if (item == "fuel_l") return " L";
    if (item == "outlets") return " 口";
    if (item == "places" || item == "capacity" || item == "nurses" || item == "carers" ||
        item == "nurses_and_carers")
        return " 人";
    return "";
}

std::string shortage_ja(const Shortage& s) {
    const int digits = s.item == "power_kw" ? 2 : 1;
    const auto unit = shortage_unit_ja(s.item);
    return shortage_item_ja(s.item) + " 必要 " + amount(s.needed, digits) + unit + "／あり " +
           amount(s.available, digits) + unit;
}

std::string without_english(std::string_view text) {
    std::string out;
    std::size_t i = 0;
    while (i < text.size()) {
        const auto open = text.find(" (", i);
        if (open == std::string_view::npos) break;
        const auto close = text.find(')', open);
        const auto inner = text.substr(
            open + 2, close == std::string_view::npos ? std::string_view::npos : close - open - 2);
        const bool ascii = std::all_of(inner.begin(), inner.end(),
                                       [](char c) { return static_cast<unsigned char>(c) < 0x80; });
        out.append(text.substr(i, open - i));
        if (ascii) {
            i = close == std::string_view::npos
                    ? text.size()
                    : close + 1; // drop " (…)"; an unclosed one to the end
        } else {
            out.append(" (");
            i = open + 2;
        }
    }
    out.append(text.substr(std::min(i, text.size())));
    return out;
}

} // namespace sonae::planner
