#include "report/plan_csv.hpp"

#include "geo/atomic_file.hpp"
#include "planner/csv.hpp"
#include "report/care_catalog.hpp"
#include "report/detail/labels.hpp"
#include "report/regions.hpp"

#include <algorithm>

namespace sonae::report {

namespace {
std::string join(const std::vector<std::string>& items, std::string (*label)(std::string_view)) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : "・") + label(i);
    return out;
}
std::string time_or_blank(const planner::Plan& plan, std::int64_t t_s, bool valid) {
    return valid ? detail::format_clock(plan, t_s) : std::string();
}
} // namespace

std::vector<std::vector<std::string>> plan_children_rows(const planner::Plan& plan, const GuidebookOptions& options) {
    std::vector<std::vector<std::string>> rows{{"児童ID", "氏名", "市町コード", "市町", "支援センター地域", "判定", "理由",
                                                "移動手段", "車両ID", "避難先ID", "避難先", "次の候補ID", "出発可能",
                                                "予定出発", "安全な最終出発", "到着予定", "電源確保予定", "自宅を離れる期限",
                                                "電源に着く期限", "余裕（分）", "余裕を決めるもの", "結果", "経路距離（km）",
                                                "経路時間（分）", "医療的ケア", "医療機器", "平均消費電力（W）",
                                                "最大消費電力（W）", "機器のバッテリーだけで呼吸器・輸液（時間）",
                                                "酸素ボンベだけで（時間）", "全電源を順に使って生命維持（時間）",
                                                "酸素の合計（時間）", "看護師",
                                                "自宅経度", "自宅緯度"}};
    std::vector<const planner::ChildPlan*> children;
    for (const auto& c : plan.children) children.push_back(&c);
    std::sort(children.begin(), children.end(), [](auto* a, auto* b) { return a->child_id < b->child_id; });
    for (const auto* c : children) {
        std::string facility_name;
        for (const auto& f : plan.facilities)
            if (f.facility_id == c->facility_id) facility_name = f.name;
        std::string reasons;
        for (const auto& r : c->reasons) reasons += (reasons.empty() ? "" : " / ") + r;
        const bool served = c->status != planner::Feasibility::cannot_serve && c->arrival_s >= 0;
        const std::string latest = !served ? ""
                                   : c->latest_safe_departure_s < 0 ? "期限なし"
                                                                    : detail::format_clock(plan, c->latest_safe_departure_s);
        rows.push_back({c->child_id, printable_name(c->child_id, options), c->municipality_code,
                        municipality_name(c->municipality_code), std::string(region_label_ja(region_of(c->municipality_code))),
                        std::string(planner::label_ja(c->status)), reasons, std::string(planner::label_ja(c->transport)),
                        c->vehicle_id, c->facility_id, facility_name, c->fallback_facility_id,
                        time_or_blank(plan, c->earliest_departure_s, served), time_or_blank(plan, c->planned_departure_s, served),
                        latest, time_or_blank(plan, c->arrival_s, c->arrival_s >= 0),
                        time_or_blank(plan, c->on_power_s, c->on_power_s >= 0),
                        c->leave_by_s >= 0 ? detail::format_clock(plan, c->leave_by_s) : "なし",
                        c->arrive_by_s >= 0 ? detail::format_clock(plan, c->arrive_by_s) : "なし",
                        served ? detail::fixed(static_cast<double>(c->margin_s) / 60.0, 0) : "",
                        std::string(planner::label_ja(c->binding)), std::string(planner::label_ja(c->outcome)),
                        c->primary ? detail::fixed(c->primary->length_m / 1000.0, 2) : "",
                        c->primary ? detail::fixed(static_cast<double>(c->primary->travel_s) / 60.0, 0) : "",
                        join(c->care_items, [](std::string_view s) { return care_label_ja(s); }),
                        join(c->power.devices, [](std::string_view s) { return device_label_ja(s); }),
                        detail::fixed(c->power.load_avg_w, 0), detail::fixed(c->power.load_peak_w, 0),
                        c->power.device_battery_h >= 0 ? detail::fixed(c->power.device_battery_h, 1) : "",
                        c->power.oxygen && c->power.cylinder_only_h >= 0 ? detail::fixed(c->power.cylinder_only_h, 1) : "",
                        detail::fixed(c->power.endurance_h, 1), c->power.oxygen ? detail::fixed(c->power.oxygen_h, 1) : "",
                        c->power.needs_nurse ? "必要" : (c->power.needs_carer ? "看護師または研修修了の介護職員" : ""),
                        detail::fixed(c->home.lon, 6), detail::fixed(c->home.lat, 6)});
    }
    return rows;
}

void write_plan_children_csv(const planner::Plan& plan, const std::filesystem::path& path, const GuidebookOptions& options) {
    write_file_atomically(path, planner::format_csv(plan_children_rows(plan, options)), FileMode::personal);
}

} // namespace sonae::report
