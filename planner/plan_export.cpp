#include "planner/plan_export.hpp"
#include "planner/geocoder.hpp"

#include "geo/atomic_file.hpp"
#include "geo/gis_writer.hpp"
#include "planner/csv.hpp"
#include "planner/labels.hpp"
#include "planner/municipality.hpp"
#include "planner/plan_io.hpp"

#include <cmath>
#include <cstdio>
#include <future>
#include <map>
#include <set>
#include <sstream>

namespace sonae::planner {

namespace fs = std::filesystem;

std::string format_t0_offset(std::int64_t s) {
    if (s == -1) return "—";
    const bool neg = s < 0;
    const auto a = neg ? -s : s;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%lld:%02lld", neg ? "-" : "", static_cast<long long>(a / 3600),
                  static_cast<long long>((a % 3600) / 60));
    return buf;
}

namespace {

/// plan.gpkg: facilities with load and shortages, routes, home-to-facility links and homes.
void write_plan_geopackage(const Plan& plan, const fs::path& path);

std::string fixed(double v, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
    return out;
}

const FacilityPlan* find_facility(const Plan& plan, const std::string& id) {
    for (const auto& f : plan.facilities) {
        if (f.facility_id == id) return &f;
    }
    return nullptr;
}

} // namespace

std::optional<ClockTime> plan_t0_clock(const Plan& plan) {
    // With a manifest t0_clock the label starts with it (stages/plan_assembly.cpp).
    const auto space = plan.t0_label.find(' ');
    return parse_clock_time(std::string_view(plan.t0_label).substr(0, space));
}

std::string table_time(const Plan& plan, std::int64_t t_s) {
    if (const auto clock = plan_t0_clock(plan)) return format_local(*clock, t_s);
    const bool neg = t_s < 0;
    const auto minutes = (neg ? -t_s : t_s) / 60;
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%lld:%02lld", neg ? "-" : "", static_cast<long long>(minutes / 60),
                  static_cast<long long>(minutes % 60));
    return buf;
}

namespace {

/// Whole minutes rounded down: a margin of -90 s is -2 min, 90 s is 1 min (never shown larger than it is).
std::int64_t floor_minutes(std::int64_t s) { return s >= 0 ? s / 60 : -((-s + 59) / 60); }

/// Codes in Japanese, joined with 「、」.
std::string join_ja(const std::vector<std::string>& codes, std::string (*label)(std::string_view)) {
    std::string out;
    for (const auto& c : codes) out += (out.empty() ? "" : "、") + label(c);
    return out;
}

} // namespace

std::vector<std::vector<std::string>> plan_child_rows(const Plan& plan, const ChildTableOptions& options) {
    std::vector<std::vector<std::string>> rows;
    // One header set for plan.csv and the guidebook command's plan_children.csv. Numeric
    // columns hold a number or nothing (SUM and sorting work in Excel); times are the local
    // date and time when the scenario gives t0's clock, else hours:minutes after t0.
    if (options.header) rows.push_back({"児童ID", "氏名", "市町コード", "市町", "支援センター地域", "移動", "医療的ケア", "医療機器", "判定",
                    "結果", "理由・注意", "搬送手段", "車両ID", "避難先ID", "避難先", "代替先ID", "代替先", "出発可能",
                    "出発予定", "安全な最終出発", "到着予定", "電源確保予定", "自宅を離れる期限", "電源に着く期限",
                    "余裕（分）", "余裕を決めるもの", "経路距離（km）", "経路時間（分）", "別ルート距離（km）",
                    "平均消費電力（W）", "最大消費電力（W）", "機器のバッテリーだけで呼吸器・輸液（時間）",
                    "酸素ボンベだけで（時間）", "全電源を順に使って生命維持（時間）", "酸素の合計（時間）",
                    "付き添う職員", "自宅経度", "自宅緯度", "概算"});
    const std::string approximate = plan.approximate ? "概算（道路網なし・直線距離）" : "";
    const auto& towns = yamaguchi_municipalities();
    auto time = [&](std::int64_t t_s, bool valid) { return valid ? table_time(plan, t_s) : std::string(); };
    for (std::size_t i = options.begin; i < std::min(options.end, plan.children.size()); ++i) {
        const auto& c = plan.children[i];
        const auto* f = find_facility(plan, c.facility_id);
        const auto* fallback = find_facility(plan, c.fallback_facility_id);
        const auto* town = towns.find(c.municipality_code);
        std::string reasons;
        for (const auto& r : c.reasons) reasons += (reasons.empty() ? "" : " / ") + without_english(r);
        // Departure times only for a child who leaves and arrives (a child planned to stay
        // home, or one who cannot be served, has none: as in the guidebook).
        const bool served = c.status != Feasibility::cannot_serve && c.arrival_s >= 0;
        rows.push_back({
            c.child_id, options.name ? options.name(c) : std::string(), c.municipality_code,
            town ? town->name_ja : std::string(),
            town ? std::string(town->centre == SupportRegion::east ? "東部" : "西部") : std::string(),
            mobility_ja(c.mobility), join_ja(c.care_items, care_item_ja), join_ja(c.power.devices, device_ja),
            std::string(label_ja(c.status)), std::string(label_ja(c.outcome)), reasons,
            std::string(label_ja(c.transport)), c.vehicle_id, c.facility_id, f ? f->name : "",
            c.fallback_facility_id, fallback ? fallback->name : "",
            time(c.earliest_departure_s, served), time(c.planned_departure_s, served),
            time(c.latest_safe_departure_s, served && c.latest_safe_departure_s >= 0),
            time(c.arrival_s, c.arrival_s >= 0), time(c.on_power_s, c.on_power_s >= 0),
            time(c.leave_by_s, c.leave_by_s >= 0), time(c.arrive_by_s, c.arrive_by_s >= 0),
            served ? std::to_string(floor_minutes(c.margin_s)) : "", std::string(label_ja(c.binding)),
            c.primary ? fixed(c.primary->length_m / 1000.0, 2) : "",
            c.primary ? std::to_string((c.primary->travel_s + 59) / 60) : "",
            c.alternate ? fixed(c.alternate->length_m / 1000.0, 2) : "",
            fixed(c.power.load_avg_w, 0), fixed(c.power.load_peak_w, 0),
            c.power.device_battery_h >= 0 ? fixed(c.power.device_battery_h, 1) : "",
            c.power.oxygen && c.power.cylinder_only_h >= 0 ? fixed(c.power.cylinder_only_h, 1) : "",
            fixed(c.power.endurance_h, 1), c.power.oxygen && c.power.oxygen_h >= 0 ? fixed(c.power.oxygen_h, 1) : "",
            c.power.needs_nurse ? "看護師" : (c.power.needs_carer ? "看護師または研修修了の介護職員" : ""),
            fixed(c.home.lon, 6), fixed(c.home.lat, 6), approximate});
    }
    return rows;
}

std::vector<std::vector<std::string>> plan_facility_rows(const Plan& plan) {
    std::vector<std::vector<std::string>> rows;
    rows.push_back({"施設ID", "施設名", "種別", "市町コード", "市町", "経度", "緯度", "受入人数", "定員",
                    "必要電力ピーク（kW）", "発電機（kW）", "必要電力量（kWh）", "必要燃料（L）", "保有燃料（L）",
                    "必要コンセント", "事前充電する外部バッテリー", "必要看護師", "必要介護職", "不足",
                    "72時間の消耗品", "概算", "定員の基準", "設備・配慮（避難場所一覧の備考から）", "指定の条件",
                    "位置の求め方"});
    const std::string approximate = plan.approximate ? "概算（道路網なし・直線距離）" : "";
    const auto& towns = yamaguchi_municipalities();
    const auto joined = [](const std::vector<std::string>& items) {
        std::string out;
        for (const auto& i : items) out += (out.empty() ? "" : "、") + i;
        return out;
    };
    for (const auto& f : plan.facilities) {
        std::string shortages;
        for (const auto& s : f.shortages) shortages += (shortages.empty() ? "" : "、") + shortage_ja(s);
        std::string supplies;
        for (const auto& [k, v] : f.consumables_72h) supplies += (supplies.empty() ? "" : "、") + supply_ja(k, v);
        const auto* town = towns.find(f.municipality_code);
        rows.push_back({f.facility_id, f.name, facility_kind_ja(f.kind), f.municipality_code,
                        town ? town->name_ja : std::string(), fixed(f.location.lon, 6), fixed(f.location.lat, 6),
                        std::to_string(f.assigned), f.capacity >= 0 ? std::to_string(f.capacity) : "",
                        fixed(f.peak_kw, 2), fixed(f.generator_kw, 1), fixed(f.energy_kwh, 1), fixed(f.fuel_needed_l, 1),
                        fixed(f.fuel_l, 1), std::to_string(f.outlets_needed), std::to_string(f.batteries_to_precharge),
                        std::to_string(f.nurses_needed), std::to_string(f.carers_needed),
                        shortages.empty() ? "なし" : shortages, supplies, approximate});
        // What the municipality's published list says (issue 22): the capacity's area basis,
        // access notes from 備考, qualified designations, and a position found from the address.
        const auto precision = parse_geocode_precision(f.location_precision);
        rows.back().insert(rows.back().end(),
                           {f.capacity_basis, joined(f.accessibility), joined(f.designation_notes),
                            precision ? "住所の" + std::string(label_ja(*precision)) + "の代表点" : std::string()});
    }
    return rows;
}

std::vector<fs::path> write_plan_outputs(const Plan& plan, const fs::path& dir) {
    create_output_dir(dir);
    // The GeoPackage (GDAL) is written on a second thread while plan.json and the CSV files
    // are written here; each file is still written whole or not at all. If this thread
    // throws, the future's destructor waits for the GeoPackage before the error goes on.
    auto gpkg = std::async(std::launch::async, [&plan, &dir] { write_plan_geopackage(plan, dir / "plan.gpkg"); });
    std::vector<fs::path> written;
    write_plan_json(dir / "plan.json", plan);
    written.push_back(dir / "plan.json");
    {
        // In batches of 4,096 children: the rows of 100,000 as strings are about 350 MB.
        AtomicFileWriter csv(dir / "plan.csv", FileMode::personal);
        constexpr std::size_t batch = 4096;
        const std::size_t n = plan.children.size();
        for (std::size_t begin = 0; begin == 0 || begin < n; begin += batch) {
            CsvWriteOptions csv_options;
            if (begin > 0) csv_options.encoding = TextEncoding::utf8; // the BOM opens the file only
            ChildTableOptions rows;
            rows.begin = begin;
            rows.end = begin + batch;
            rows.header = begin == 0;
            csv.write(format_csv(plan_child_rows(plan, rows), csv_options));
        }
        csv.commit();
    }
    written.push_back(dir / "plan.csv");
    // Per-facility counts include unserved children and loads that reveal small counts: staff
    // only, like plan.csv (the council gets council_facilities.csv, suppressed).
    write_file_atomically(dir / "facilities.csv", format_csv(plan_facility_rows(plan)), FileMode::personal);
    written.push_back(dir / "facilities.csv");
    gpkg.get();
    written.push_back(dir / "plan.gpkg");
    return written;
}

namespace {

void write_plan_geopackage(const Plan& plan, const fs::path& path) {
    using geo::FieldType;
    std::vector<geo::Layer> layers;
    geo::Layer routes{"routes", geo::GeometryType::line, {}, {}};
    for (const auto& [name, type] : std::vector<std::pair<std::string, FieldType>>{
             {"child_id", FieldType::string}, {"kind", FieldType::string}, {"mode", FieldType::string},
             {"facility_id", FieldType::string}, {"length_m", FieldType::real}, {"travel_min", FieldType::real},
             {"depart", FieldType::string}, {"status", FieldType::string}, {"approximate", FieldType::int64}}) {
        routes.add_field(name, type);
    }
    geo::Layer links{"assignments", geo::GeometryType::line, {}, {}};
    for (const auto& name : {"child_id", "facility_id", "status", "margin_min"}) {
        links.add_field(name, std::string(name) == "margin_min" ? FieldType::real : FieldType::string);
    }
    geo::Layer homes{"homes", geo::GeometryType::point, {}, {}};
    for (const auto& name : {"child_id", "status", "transport", "facility_id", "margin_min"}) {
        homes.add_field(name, std::string(name) == "margin_min" ? FieldType::real : FieldType::string);
    }
    for (const auto& c : plan.children) {
        const std::string status(to_string(c.status));
        const double margin = c.arrival_s >= 0 ? static_cast<double>(c.margin_s) / 60.0 : 0.0;
        homes.add_feature(c.home, {c.child_id, status, std::string(to_string(c.transport)), c.facility_id, margin});
        for (const auto* r : {c.primary ? &*c.primary : nullptr, c.alternate ? &*c.alternate : nullptr}) {
            if (!r || r->geometry.size() < 2) continue;
            routes.add_feature(geo::LineGeometry{r->geometry},
                               {c.child_id, std::string(r == &*c.primary ? "primary" : "alternate"), r->mode,
                                c.facility_id, r->length_m, static_cast<double>(r->travel_s) / 60.0,
                                format_t0_offset(r->depart_s), status, std::int64_t{plan.approximate ? 1 : 0}});
        }
        if (const auto* f = find_facility(plan, c.facility_id)) {
            links.add_feature(geo::LineGeometry{{c.home, f->location}}, {c.child_id, c.facility_id, status, margin});
        }
    }
    geo::Layer facilities{"facilities", geo::GeometryType::point, {}, {}};
    for (const auto& [name, type] : std::vector<std::pair<std::string, FieldType>>{
             {"facility_id", FieldType::string}, {"name", FieldType::string}, {"kind", FieldType::string},
             {"assigned", FieldType::int64}, {"capacity", FieldType::int64}, {"peak_kw", FieldType::real},
             {"generator_kw", FieldType::real}, {"energy_kwh", FieldType::real}, {"fuel_needed_l", FieldType::real},
             {"nurses_needed", FieldType::int64}, {"shortages", FieldType::string}}) {
        facilities.add_field(name, type);
    }
    for (const auto& f : plan.facilities) {
        std::vector<std::string> s;
        for (const auto& x : f.shortages) s.push_back(x.item);
        facilities.add_feature(f.location, {f.facility_id, f.name, f.kind, f.assigned, f.capacity, f.peak_kw,
                                            f.generator_kw, f.energy_kwh, f.fuel_needed_l, f.nurses_needed,
                                            join(s, ";")});
    }
    layers.push_back(std::move(facilities));
    layers.push_back(std::move(routes));
    layers.push_back(std::move(links));
    layers.push_back(std::move(homes));
    geo::write_geopackage(path, layers, FileMode::personal);
}

} // namespace

std::string compare_plans(const Plan& a, const Plan& b) {
    std::ostringstream out;
    out << "比較 (compare): A = " << a.scenario_name << ", B = " << b.scenario_name << "\n\n";
    auto line = [&](const char* label, std::int64_t x, std::int64_t y) {
        out << "  " << label << ": " << x << " -> " << y;
        if (y != x) out << " (" << (y > x ? "+" : "") << (y - x) << ")";
        out << "\n";
    };
    out << "集計 (summary)\n";
    line("児童 children", a.summary.children, b.summary.children);
    line("間に合う on time", a.summary.on_time, b.summary.on_time);
    line("要注意 at risk", a.summary.at_risk, b.summary.at_risk);
    line("対応できない cannot be served", a.summary.cannot_serve, b.summary.cannot_serve);
    line("不足のある施設 facilities short", a.summary.facilities_short, b.summary.facilities_short);
    out << "  余裕の中央値 median margin (min): " << fixed(a.summary.margin_min_p50, 0) << " -> "
        << fixed(b.summary.margin_min_p50, 0) << "\n\n";

    std::map<std::string, const ChildPlan*> in_b;
    for (const auto& c : b.children) in_b[c.child_id] = &c;
    out << "児童ごとの変化 (children that changed)\n";
    int changed = 0;
    for (const auto& ca : a.children) {
        const auto it = in_b.find(ca.child_id);
        if (it == in_b.end()) {
            out << "  " << ca.child_id << ": B にいない (not in B)\n";
            ++changed;
            continue;
        }
        const auto& cb = *it->second;
        std::vector<std::string> diffs;
        if (ca.status != cb.status) diffs.push_back(std::string(label_ja(ca.status)) + " -> " + std::string(label_ja(cb.status)));
        if (ca.facility_id != cb.facility_id) diffs.push_back("避難先 " + ca.facility_id + " -> " + cb.facility_id);
        if (ca.margin_s / 60 != cb.margin_s / 60) {
            diffs.push_back("余裕 " + std::to_string(ca.margin_s / 60) + " -> " + std::to_string(cb.margin_s / 60) + " 分");
        }
        const double la = ca.primary ? ca.primary->length_m : 0.0;
        const double lb = cb.primary ? cb.primary->length_m : 0.0;
        if (std::abs(la - lb) > 1.0) diffs.push_back("ルート " + fixed(la / 1000, 2) + " -> " + fixed(lb / 1000, 2) + " km");
        if (!diffs.empty()) {
            out << "  " << ca.child_id << ": " << join(diffs, ", ") << "\n";
            ++changed;
        }
    }
    for (const auto& cb : b.children) {
        bool found = false;
        for (const auto& ca : a.children) found = found || ca.child_id == cb.child_id;
        if (!found) {
            out << "  " << cb.child_id << ": A にいない (new in B)\n";
            ++changed;
        }
    }
    if (changed == 0) out << "  変化なし (none)\n";

    out << "\n施設の余力 (facility headroom, kW = generator - peak need)\n";
    std::set<std::string> ids;
    for (const auto& f : a.facilities) ids.insert(f.facility_id);
    for (const auto& f : b.facilities) ids.insert(f.facility_id);
    for (const auto& id : ids) {
        const auto* fa = find_facility(a, id);
        const auto* fb = find_facility(b, id);
        auto head = [](const FacilityPlan* f) { return f ? f->generator_kw - f->peak_kw : 0.0; };
        const std::string name = fb ? fb->name : fa->name;
        if (!fa || !fb || std::abs(head(fa) - head(fb)) > 1e-6 || fa->assigned != fb->assigned) {
            out << "  " << name << " (" << id << "): " << (fa ? fixed(head(fa), 2) : std::string("未使用")) << " -> "
                << (fb ? fixed(head(fb), 2) : std::string("未使用")) << " kW, 受入 " << (fa ? fa->assigned : 0) << " -> "
                << (fb ? fb->assigned : 0) << "\n";
        }
    }
    return out.str();
}

} // namespace sonae::planner
