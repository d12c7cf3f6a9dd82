#include "report/care_catalog.hpp"

#include "planner/device_catalogue.hpp"
#include "planner/power_model.hpp"


namespace sonae::report {

namespace {

struct CareRow {
    std::string_view code;
    std::string_view label;
};

const std::vector<CareRow>& care_items() {
    static const std::vector<CareRow> rows = {
        {"ventilator", "人工呼吸器の管理"},
        {"tracheostomy", "気管切開"},
        {"nasopharyngeal_airway", "鼻咽頭エアウェイ"},
        {"oxygen", "酸素療法"},
        {"suction", "吸引"},
        {"nebulizer", "ネブライザー・薬液吸入"},
        {"tube_feeding", "経管栄養"},
        {"central_venous_catheter", "中心静脈カテーテル"},
        {"injection", "その他の注射管理"},
        {"blood_glucose", "血糖測定"},
        {"dialysis", "継続的な透析"},
        {"catheterization", "導尿"},
        {"bowel", "排便管理"},
        {"seizure", "痙攣時の処置"},
    };
    return rows;
}

// Accepted spellings of care codes (English variants the registry may use).
std::string_view canonical_care_code(std::string_view code) {
    if (code == "nebuliser") return "nebulizer";
    if (code == "cvc") return "central_venous_catheter";
    if (code == "airway") return "nasopharyngeal_airway";
    if (code == "glucose" || code == "cgm") return "blood_glucose";
    if (code == "catheterisation") return "catheterization";
    if (code == "feeding" || code == "enteral") return "tube_feeding";
    if (code == "tracheotomy") return "tracheostomy";
    return code;
}

} // namespace

std::string device_label_ja(std::string_view id) {
    if (const auto* spec = planner::default_device_catalogue().find(id)) return spec->name_ja;
    return std::string(id);
}

std::string consumable_label_ja(std::string_view name) {
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

std::string unit_label_ja(std::string_view unit) {
    if (unit == "pcs" || unit == "pc") return "個";
    if (unit == "pairs") return "組";
    if (unit == "sets") return "式";
    if (unit == "cylinders") return "本";
    if (unit == "units") return "台";
    if (unit == "bags") return "袋";
    if (unit == "doses") return "回分";
    return std::string(unit);
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
    if (const auto item = planner::parse_care_item(code)) return std::string(planner::info(*item).name_ja);
    const auto c = canonical_care_code(code);
    for (const auto& r : care_items())
        if (r.code == c) return std::string(r.label);
    return std::string(code);
}

std::vector<Consumable> care_consumables(std::string_view code) {
    std::vector<Consumable> out;
    auto item = planner::parse_care_item(code);
    if (!item) item = planner::parse_care_item(canonical_care_code(code) == "nebulizer" ? "nebuliser" : canonical_care_code(code) == "catheterization" ? "catheterisation" : canonical_care_code(code));
    if (!item) return out;
    for (const auto& c : planner::care_item_supplies(*item)) {
        out.push_back({consumable_label_ja(c.name), c.per_day, unit_label_ja(c.unit)});
    }
    return out;
}

} // namespace sonae::report
