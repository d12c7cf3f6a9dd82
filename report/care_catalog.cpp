#include "report/care_catalog.hpp"

#include "planner/device_catalogue.hpp"
#include "planner/labels.hpp"
#include "planner/power_model.hpp"

namespace sonae::report {

std::string device_label_ja(std::string_view id) {
    return planner::device_ja(id);
}

std::string consumable_label_ja(std::string_view name) {
    return planner::consumable_ja(name);
}

std::string unit_label_ja(std::string_view unit) {
    return planner::unit_ja(unit);
}

std::string fallback_label_ja(std::string_view id) {
    if (id == "vent") return "蘇生バッグで手動換気（交代できる人が複数必要）";
    if (id == "humid") return "人工鼻（HME）に替える";
    if (id == "cpap") return "安全な代わりはありません。主治医に連絡";
    if (id == "suction") return "手動・足踏み式吸引器";
    if (id == "o2conc") return "酸素ボンベ（処方流量で）";
    if (id == "spo2") return "電池式の指先オキシメーターと観察";
    if (id == "feed") return "シリンジでの注入・自然滴下";
    if (id == "ivpump") return "看護師の管理で自然滴下";
    if (id == "neb") return "電池式メッシュネブライザー";
    if (id == "cough") return "用手での排痰と吸引";
    if (id == "mattress") return "2時間ごとの体位変換";
    if (id == "climate") return "毛布・保冷剤・日よけ";
    if (id == "fridge") return "保冷バッグと保冷剤";
    if (id == "comms") return "懐中電灯とモバイルバッテリー";
    if (id == "bed") return "クッションで姿勢を保つ";
    return {};
}

std::string care_label_ja(std::string_view code) {
    return planner::care_item_ja(code);
}

std::vector<Consumable> care_consumables(std::string_view code) {
    std::vector<Consumable> out;
    const auto item = planner::care_item_of(code);
    if (!item) return out;
    for (const auto& c : planner::care_item_supplies(*item)) {
        out.push_back({consumable_label_ja(c.name), c.per_day, unit_label_ja(c.unit)});
    }
    return out;
}

} // namespace sonae::report
