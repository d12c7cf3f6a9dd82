#include "report/care_catalog.hpp"

#include "planner/device_catalogue.hpp"

namespace sonae::report {

namespace {

struct CareRow {
    std::string_view code;
    std::string_view label;
    std::vector<Consumable> consumables;
};

const std::vector<CareRow>& care_items() {
    static const std::vector<CareRow> rows = {
        {"ventilator", "人工呼吸器の管理", {{"蘇生バッグ（停電時の手動換気）", 0, "個"}}},
        {"tracheostomy", "気管切開", {{"予備の気管カニューレ", 0, "本"}, {"Yガーゼ", 2, "枚"}}},
        {"nasopharyngeal_airway", "鼻咽頭エアウェイ", {{"予備のエアウェイ", 0, "本"}}},
        {"oxygen", "酸素療法", {}},
        {"suction", "吸引", {{"手動・足踏み式吸引器（停電時）", 0, "台"}}},
        {"nebulizer", "ネブライザー・薬液吸入", {}},
        {"tube_feeding", "経管栄養", {{"注入用シリンジ", 4, "本"}}},
        {"central_venous_catheter", "中心静脈カテーテル", {}},
        {"injection", "その他の注射管理", {{"注射針", 0, "本"}}},
        {"blood_glucose", "血糖測定", {{"測定用チップ・センサー", 4, "個"}}},
        {"dialysis", "継続的な透析", {{"透析液（処方どおり）", 0, "袋"}}},
        {"catheterization", "導尿", {{"導尿カテーテル", 6, "本"}}},
        {"bowel", "排便管理", {{"ストーマ装具", 1, "枚"}}},
        {"seizure", "痙攣時の処置", {{"発作時の頓用薬", 0, "回分"}}},
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
        {"syringe", "シリンジ"},
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
    const auto c = canonical_care_code(code);
    for (const auto& r : care_items())
        if (r.code == c) return r.consumables;
    return {};
}

double generator_hours_per_can(double average_load_w) {
    if (average_load_w <= 0.0) return 0.0;
    return 400.0 / (1.25 * average_load_w);
}

} // namespace sonae::report
