#include "planner/plan_export.hpp"

#include "core/atomic_file.hpp"
#include "core/time_text.hpp"
#include "geo/gis_writer.hpp"
#include "geo/qgis_style.hpp"
#include "planner/csv.hpp"
#include "planner/device_catalogue.hpp"
#include "planner/geocoder.hpp"
#include "planner/labels.hpp"
#include "planner/municipality.hpp"
#include "planner/plan_io.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <future>
#include <map>
#include <set>
#include <sstream>

namespace sonae::planner {

namespace fs = std::filesystem;

namespace {

/// plan.gpkg: facilities with load and shortages, routes, home-to-facility links, homes and
/// the hazard areas, each with Japanese aliases, a description and a default QGIS style.
void write_plan_geopackage(const Plan& plan, const geo::Hazards* hazards, const fs::path& path);

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
    return core::elapsed_text(t_s);
}

namespace {

/// Whole minutes rounded down: a margin of -90 s is -2 min, 90 s is 1 min (never shown larger than
/// it is).
std::int64_t floor_minutes(std::int64_t s) {
    return s >= 0 ? s / 60 : -((-s + 59) / 60);
}

/// Codes in Japanese, joined with 「、」.
std::string join_ja(const std::vector<std::string>& codes, std::string (*label)(std::string_view)) {
    std::string out;
    for (const auto& c : codes) out += (out.empty() ? "" : "、") + label(c);
    return out;
}

} // namespace

std::vector<std::vector<std::string>> plan_child_rows(const Plan& plan,
                                                      const ChildTableOptions& options) {
    std::vector<std::vector<std::string>> rows;
    // One header set for plan.csv and the guidebook command's plan_children.csv. Numeric
    // columns hold a number or nothing (SUM and sorting work in Excel); times are the local
    // date and time when the scenario gives t0's clock, else hours:minutes after t0.
    if (options.header)
        rows.push_back({"児童ID",
                        "氏名",
                        "市町コード",
                        "市町",
                        "支援センター地域",
                        "移動",
                        "医療的ケア",
                        "医療機器",
                        "判定",
                        "結果",
                        "理由・注意",
                        "搬送手段",
                        "車両ID",
                        "避難先ID",
                        "避難先",
                        "代替先ID",
                        "代替先",
                        "出発可能",
                        "出発予定",
                        "安全な最終出発",
                        "到着予定",
                        "電源確保予定",
                        "自宅を離れる期限",
                        "電源に着く期限",
                        "余裕（分）",
                        "余裕を決めるもの",
                        "経路距離（km）",
                        "経路時間（分）",
                        "別ルート距離（km）",
                        "平均消費電力（W）",
                        "最大消費電力（W）",
                        "機器のバッテリーだけで呼吸器・輸液（時間）",
                        "酸素ボンベだけで（時間）",
                        "全電源を順に使って生命維持（時間）",
                        "酸素の合計（時間）",
                        "ポータブル電源だけで生命維持（時間）",
                        "車だけで生命維持（時間）",
                        "発電機だけで生命維持（時間）",
                        "付き添う職員",
                        "自宅経度",
                        "自宅緯度",
                        "概算"});
    const std::string approximate = plan.approximate ? "概算（道路網なし・直線距離）" : "";
    const auto& towns = yamaguchi_municipalities();
    auto time = [&](std::int64_t t_s, bool valid) {
        return valid ? table_time(plan, t_s) : std::string();
    };
    for (std::size_t i = options.begin; i < std::min(options.end, plan.children.size()); ++i) {
        const auto& c = plan.children[i];
        const auto* f = find_facility(plan, c.facility_id);
        const auto* fallback = find_facility(plan, c.fallback_facility_id);
        const auto* town = towns.find(c.municipality_code);
        std::string reasons;
        for (const auto& r : c.reasons)
            reasons += (reasons.empty() ? "" : " / ") + without_english(r);
        // Departure times only for a child who leaves and arrives (a child planned to stay
        // home, or one who cannot be served, has none: as in the guidebook).
        const bool served = c.status != Feasibility::cannot_serve && c.arrival_s >= 0;
        // Life support on all sources: only for a child with ventilation, infusion or oxygen
        // (otherwise the model's 336 h cap, not an endurance).
        const bool life_support = c.power.device_battery_h >= 0 || c.power.oxygen;
        // Each household source alone (issue 18 item 1): its hours, or 0 when its output
        // cannot run a life-support device (a car socket beside a ventilator leaves the
        // concentrator out); empty without the source or without life support.
        const auto alone = [&](std::initializer_list<std::string_view> kinds) {
            if (!life_support) return std::string();
            for (const auto& b : c.power.backup_sources) {
                if (std::find(kinds.begin(), kinds.end(), b.source) == kinds.end()) continue;
                for (const auto& id : b.left_out) {
                    const auto* spec = default_device_catalogue().find(id);
                    if (spec != nullptr && spec->criticality == Criticality::life)
                        return fixed(0.0, 1);
                }
                return fixed(b.hours, 1);
            }
            return std::string();
        };
        rows.push_back(
            {c.child_id,
             options.name ? options.name(c) : std::string(),
             c.municipality_code,
             town ? town->name_ja : std::string(),
             town ? std::string(town->centre == SupportRegion::east ? "東部" : "西部")
                  : std::string(),
             mobility_ja(c.mobility),
             join_ja(c.care_items, care_item_ja),
             join_ja(c.power.devices, device_ja),
             std::string(label_ja(c.status)),
             std::string(label_ja(c.outcome)),
             reasons,
             std::string(label_ja(c.transport)),
             c.vehicle_id,
             c.facility_id,
             f ? f->name : "",
             c.fallback_facility_id,
             fallback ? fallback->name : "",
             time(c.earliest_departure_s, served),
             time(c.planned_departure_s, served),
             time(c.latest_safe_departure_s, served && c.latest_safe_departure_s >= 0),
             time(c.arrival_s, c.arrival_s >= 0),
             time(c.on_power_s, c.on_power_s >= 0),
             time(c.leave_by_s, c.leave_by_s >= 0),
             time(c.arrive_by_s, c.arrive_by_s >= 0),
             served ? std::to_string(floor_minutes(c.margin_s)) : "",
             std::string(label_ja(c.binding)),
             c.primary ? fixed(c.primary->length_m / 1000.0, 2) : "",
             c.primary ? std::to_string((c.primary->travel_s + 59) / 60) : "",
             c.alternate ? fixed(c.alternate->length_m / 1000.0, 2) : "",
             fixed(c.power.load_avg_w, 0),
             fixed(c.power.load_peak_w, 0),
             c.power.device_battery_h >= 0 ? fixed(c.power.device_battery_h, 1) : "",
             c.power.oxygen && c.power.cylinder_only_h >= 0 ? fixed(c.power.cylinder_only_h, 1)
                                                            : "",
             life_support ? fixed(c.power.endurance_h, 1) : "",
             c.power.oxygen && c.power.oxygen_h >= 0 ? fixed(c.power.oxygen_h, 1) : "",
             alone({"power_station"}),
             alone({"car_socket", "hybrid_outlet"}),
             alone({"generator"}),
             c.power.needs_nurse ? "看護師"
                                 : (c.power.needs_carer ? "看護師または研修修了の介護職員" : ""),
             fixed(c.home.lon, 6),
             fixed(c.home.lat, 6),
             approximate});
    }
    return rows;
}

std::vector<std::vector<std::string>> plan_facility_rows(const Plan& plan) {
    std::vector<std::vector<std::string>> rows;
    rows.push_back({"施設ID",
                    "施設名",
                    "種別",
                    "市町コード",
                    "市町",
                    "経度",
                    "緯度",
                    "受入人数",
                    "定員",
                    "必要電力ピーク（kW）",
                    "発電機（kW）",
                    "必要電力量（kWh）",
                    "必要燃料（L）",
                    "保有燃料（L）",
                    "必要コンセント",
                    "事前充電する外部バッテリー",
                    "必要看護師",
                    "必要介護職",
                    "不足",
                    "72時間の消耗品",
                    "概算",
                    "定員の基準",
                    "設備・配慮（避難場所一覧の備考から）",
                    "指定の条件",
                    "位置の求め方",
                    "必要な場所（家族を含む）",
                    "避難者に使える発電（kW）",
                    "施設自体の平均負荷（kW）",
                    "1時間の燃料（L）",
                    "保有燃料で動く時間（時間）",
                    "給油の期限",
                    "1つの持ち場に必要な人数（交代制）",
                    "医療機器用コンセント（空欄は不明）"});
    const std::string approximate = plan.approximate ? "概算（道路網なし・直線距離）" : "";
    const auto& towns = yamaguchi_municipalities();
    const auto joined = [](const std::vector<std::string>& items) {
        std::string out;
        for (const auto& i : items) out += (out.empty() ? "" : "、") + i;
        return out;
    };
    for (const auto& f : plan.facilities) {
        std::string shortages;
        for (const auto& s : f.shortages)
            shortages += (shortages.empty() ? "" : "、") + shortage_ja(s);
        std::string supplies;
        for (const auto& [k, v] : f.consumables_72h)
            supplies += (supplies.empty() ? "" : "、") + supply_ja(k, v);
        const auto* town = towns.find(f.municipality_code);
        rows.push_back({f.facility_id,
                        f.name,
                        facility_kind_ja(f.kind),
                        f.municipality_code,
                        town ? town->name_ja : std::string(),
                        fixed(f.location.lon, 6),
                        fixed(f.location.lat, 6),
                        std::to_string(f.assigned),
                        f.capacity >= 0 ? std::to_string(f.capacity) : "",
                        fixed(f.peak_kw, 2),
                        fixed(f.generator_kw, 1),
                        fixed(f.energy_kwh, 1),
                        fixed(f.fuel_needed_l, 1),
                        fixed(f.fuel_l, 1),
                        std::to_string(f.outlets_needed),
                        std::to_string(f.batteries_to_precharge),
                        std::to_string(f.nurses_needed),
                        std::to_string(f.carers_needed),
                        shortages.empty() ? "なし" : shortages,
                        supplies,
                        approximate});
        // What the municipality's published list says (issue 22): the capacity's area basis,
        // access notes from 備考, qualified designations, and a position found from the address.
        const auto precision = parse_geocode_precision(f.location_precision);
        rows.back().insert(rows.back().end(),
                           {f.capacity_basis, joined(f.accessibility), joined(f.designation_notes),
                            precision ? "住所の" + std::string(label_ja(*precision)) + "の代表点"
                                      : std::string()});
        // Issue 18 item 6: the shelter's needs as the assignment counts them
        // (planner/shelter_load), and how long its fuel lasts at the planned load (empty: no
        // generator).
        const bool generator = f.hours_to_refuel >= 0.0;
        rows.back().insert(rows.back().end(),
                           {std::to_string(f.places_needed), fixed(f.evacuee_kw, 1),
                            fixed(f.base_load_kw, 2),
                            generator ? fixed(f.fuel_per_h, 2) : std::string(),
                            generator ? fixed(f.hours_to_refuel, 1) : std::string(),
                            f.refuel_by_s >= 0 ? table_time(plan, f.refuel_by_s) : std::string(),
                            std::to_string(f.staff_shifts)});
        // The outlets the facility gives; empty when its table does not say (unknown, not 0).
        rows.back().push_back(f.outlets >= 0 ? std::to_string(f.outlets) : std::string());
    }
    return rows;
}

std::vector<fs::path> write_plan_outputs(const Plan& plan, const fs::path& dir,
                                         const geo::Hazards* hazards) {
    create_output_dir(dir);
    // The GeoPackage (GDAL) is written on a second thread while plan.json and the CSV files
    // are written here; each file is still written whole or not at all. If this thread
    // throws, the future's destructor waits for the GeoPackage before the error goes on.
    auto gpkg = std::async(std::launch::async, [&plan, &dir, hazards] {
        write_plan_geopackage(plan, hazards, dir / "plan.gpkg");
    });
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
    write_file_atomically(dir / "facilities.csv", format_csv(plan_facility_rows(plan)),
                          FileMode::personal);
    written.push_back(dir / "facilities.csv");
    gpkg.get();
    written.push_back(dir / "plan.gpkg");
    return written;
}

namespace {

/// Colours of the three statuses (as the guidebook and the viewer): green, amber, red.
const geo::Rgb kOnTime{46, 139, 87}, kAtRisk{230, 145, 20}, kCannot{200, 30, 30};

std::vector<geo::Category> status_categories(double size) {
    std::vector<geo::Category> out;
    for (const auto& [status, rgb] :
         {std::pair{Feasibility::on_time, kOnTime}, std::pair{Feasibility::at_risk, kAtRisk},
          std::pair{Feasibility::cannot_serve, kCannot}}) {
        const std::string label(label_ja(status));
        out.push_back({label, label, {.colour = rgb, .size = size}});
    }
    return out;
}

/// A time of the plan as minutes after t0 (null for -1 = none) and, when t0 has a clock time,
/// as a local datetime ("2026-03-14T10:42:00+09:00") for QGIS's Temporal Controller.
geo::FieldValue minutes_after_t0(std::int64_t t_s) {
    if (t_s < 0) return std::monostate{};
    return static_cast<double>(t_s) / 60.0;
}

geo::FieldValue datetime_at(const std::optional<ClockTime>& clock, std::int64_t t_s) {
    if (!clock || t_s < 0) return std::monostate{};
    // The minute as the tables print it (format_local), with :00 seconds.
    const std::int64_t local_s = local_seconds(*clock, t_s);
    return core::iso_local_text(local_s - ((local_s % 60) + 60) % 60, clock->offset_min);
}

/// The hazard class people read, for the map's legend: the depth band of a water hazard (the
/// MLIT colour bands of 浸水深), the zone of a landslide area.
std::string hazard_class_ja(const geo::HazardArea& area) {
    if (area.kind == geo::HazardKind::landslide) {
        return area.zone == geo::LandslideZone::red ? "土砂災害特別警戒区域（レッド）"
                                                    : "土砂災害警戒区域（イエロー）";
    }
    if (!area.depth_m) return "想定区域（深さの情報なし）";
    const double d = *area.depth_m;
    if (d < 0.5) return "浸水深 0.5m未満";
    if (d < 3.0) return "浸水深 0.5〜3m";
    if (d < 5.0) return "浸水深 3〜5m";
    if (d < 10.0) return "浸水深 5〜10m";
    return "浸水深 10m以上";
}

geo::Layer hazard_layer(const geo::Hazards& hazards) {
    using geo::FieldType;
    geo::Layer layer{.name = "hazard_areas",
                     .geometry_type = geo::GeometryType::polygon,
                     .description = "計画の前提とした災害の想定区域（浸水深・土砂災害警戒区域）と、"
                                    "危険が及ぶ時刻（発令からの分）"};
    layer.add_field("area", FieldType::int64, "区域番号");
    layer.add_field("kind", FieldType::string, "災害の種類");
    layer.add_field("class", FieldType::string, "区分");
    layer.add_field("depth_m", FieldType::real, "浸水深（m）");
    layer.add_field("onset_min", FieldType::real, "危険が及ぶ時刻（発令から分）");
    layer.add_field("feature_id", FieldType::string, "元データの地物ID");
    const auto areas = hazards.areas();
    for (std::uint32_t a = 0; a < areas.size(); ++a) {
        const auto& area = areas[a];
        layer.add_feature(geo::PolygonGeometry{hazards.polygons(a)},
                          {std::int64_t{a}, hazard_kind_ja(geo::to_string(area.kind)),
                           hazard_class_ja(area),
                           area.depth_m ? geo::FieldValue{*area.depth_m} : geo::FieldValue{},
                           area.onset_ms == geo::never_ms
                               ? geo::FieldValue{}
                               : geo::FieldValue{static_cast<double>(area.onset_ms) / 60000.0},
                           area.feature_id});
    }
    std::vector<geo::Category> classes;
    for (const auto& [label, rgb] : std::vector<std::pair<std::string, geo::Rgb>>{
             {"浸水深 0.5m未満", {247, 245, 169}},
             {"浸水深 0.5〜3m", {255, 216, 192}},
             {"浸水深 3〜5m", {255, 183, 183}},
             {"浸水深 5〜10m", {255, 145, 145}},
             {"浸水深 10m以上", {242, 133, 201}},
             {"土砂災害警戒区域（イエロー）", {255, 230, 0}},
             {"土砂災害特別警戒区域（レッド）", {230, 0, 18}},
             {"想定区域（深さの情報なし）", {160, 190, 230}}}) {
        classes.push_back({label, label, {.colour = rgb, .opacity_pct = 55}});
    }
    layer.style_qml = geo::categorized_style(layer, "class", classes);
    return layer;
}

void write_plan_geopackage(const Plan& plan, const geo::Hazards* hazards, const fs::path& path) {
    using geo::FieldType;
    const auto clock = plan_t0_clock(plan);
    geo::Layer routes{.name = "routes",
                      .geometry_type = geo::GeometryType::line,
                      .description = "子どもごとの避難ルート（主ルートと別ルート）。時刻は発令から"
                                     "の分、発令の日時があれば日時も"};
    routes.add_field("child_id", FieldType::string, "児童ID");
    routes.add_field("kind", FieldType::string, "ルート");
    routes.add_field("mode", FieldType::string, "移動手段");
    routes.add_field("facility_id", FieldType::string, "避難先ID");
    routes.add_field("length_m", FieldType::real, "距離（m）");
    routes.add_field("travel_min", FieldType::real, "所要時間（分）");
    routes.add_field("depart_min", FieldType::real, "出発（発令から分）");
    routes.add_field("arrive_min", FieldType::real, "到着（発令から分）");
    routes.add_field("depart_at", FieldType::datetime, "出発日時");
    routes.add_field("arrive_at", FieldType::datetime, "到着日時");
    routes.add_field("status", FieldType::string, "判定");
    routes.add_field("approximate", FieldType::int64, "概算（直線距離）");
    geo::Layer links{.name = "assignments",
                     .geometry_type = geo::GeometryType::line,
                     .description =
                         "自宅と避難先を結ぶ線（割り当て）。余裕は到着できる子だけ（ほかは空）"};
    links.add_field("child_id", FieldType::string, "児童ID");
    links.add_field("facility_id", FieldType::string, "避難先ID");
    links.add_field("status", FieldType::string, "判定");
    links.add_field("margin_min", FieldType::real, "余裕（分）");
    geo::Layer homes{
        .name = "homes",
        .geometry_type = geo::GeometryType::point,
        .description =
            "子どもの自宅（個人情報）と判定・避難先・時刻。余裕と時刻は値があるときだけ"};
    homes.add_field("child_id", FieldType::string, "児童ID");
    homes.add_field("status", FieldType::string, "判定");
    homes.add_field("outcome", FieldType::string, "結果");
    homes.add_field("transport", FieldType::string, "搬送手段");
    homes.add_field("facility_id", FieldType::string, "避難先ID");
    homes.add_field("margin_min", FieldType::real, "余裕（分）");
    homes.add_field("depart_min", FieldType::real, "出発予定（発令から分）");
    homes.add_field("arrive_min", FieldType::real, "到着予定（発令から分）");
    homes.add_field("depart_at", FieldType::datetime, "出発予定日時");
    homes.add_field("arrive_at", FieldType::datetime, "到着予定日時");
    for (const auto& c : plan.children) {
        const std::string status(label_ja(c.status));
        const bool served = c.status != Feasibility::cannot_serve && c.arrival_s >= 0;
        // No margin where the child does not arrive: NULL, not 0 (0 would read "just in time").
        const geo::FieldValue margin =
            served ? geo::FieldValue{static_cast<double>(c.margin_s) / 60.0} : geo::FieldValue{};
        const std::int64_t depart = served ? c.planned_departure_s : -1;
        homes.add_feature(c.home, {c.child_id, status, std::string(label_ja(c.outcome)),
                                   std::string(label_ja(c.transport)), c.facility_id, margin,
                                   minutes_after_t0(depart), minutes_after_t0(c.arrival_s),
                                   datetime_at(clock, depart), datetime_at(clock, c.arrival_s)});
        for (const auto* r :
             {c.primary ? &*c.primary : nullptr, c.alternate ? &*c.alternate : nullptr}) {
            if (!r || r->geometry.size() < 2) continue;
            const std::int64_t arrive = r->depart_s >= 0 ? r->depart_s + r->travel_s : -1;
            routes.add_feature(geo::LineGeometry{r->geometry},
                               {c.child_id, std::string(r == &*c.primary ? "主ルート" : "別ルート"),
                                mode_ja(r->mode), c.facility_id, r->length_m,
                                static_cast<double>(r->travel_s) / 60.0,
                                minutes_after_t0(r->depart_s), minutes_after_t0(arrive),
                                datetime_at(clock, r->depart_s), datetime_at(clock, arrive), status,
                                std::int64_t{plan.approximate ? 1 : 0}});
        }
        if (const auto* f = find_facility(plan, c.facility_id)) {
            links.add_feature(geo::LineGeometry{{c.home, f->location}},
                              {c.child_id, c.facility_id, status, margin});
        }
    }
    geo::Layer facilities{
        .name = "facilities",
        .geometry_type = geo::GeometryType::point,
        .description =
            "避難先ごとの受入人数・必要な電力と燃料・不足（個人が特定されうる正確な数: 職員用）"};
    facilities.add_field("facility_id", FieldType::string, "施設ID");
    facilities.add_field("name", FieldType::string, "施設名");
    facilities.add_field("kind", FieldType::string, "種別");
    facilities.add_field("assigned", FieldType::int64, "受入人数");
    facilities.add_field("capacity", FieldType::int64, "定員");
    facilities.add_field("peak_kw", FieldType::real, "必要電力ピーク（kW）");
    facilities.add_field("generator_kw", FieldType::real, "発電機（kW）");
    facilities.add_field("energy_kwh", FieldType::real, "必要電力量（kWh）");
    facilities.add_field("fuel_needed_l", FieldType::real, "必要燃料（L）");
    facilities.add_field("nurses_needed", FieldType::int64, "必要看護師");
    facilities.add_field("shortages", FieldType::string, "不足");
    for (const auto& f : plan.facilities) {
        std::string shortages;
        for (const auto& x : f.shortages)
            shortages += (shortages.empty() ? "" : "、") + shortage_ja(x);
        facilities.add_feature(
            f.location, {f.facility_id, f.name, facility_kind_ja(f.kind), f.assigned,
                         f.capacity >= 0 ? geo::FieldValue{f.capacity} : geo::FieldValue{},
                         f.peak_kw, f.generator_kw, f.energy_kwh, f.fuel_needed_l, f.nurses_needed,
                         shortages.empty() ? geo::FieldValue{} : geo::FieldValue{shortages}});
    }
    // Styles: statuses coloured, routes by kind, facilities sized by how many they receive.
    homes.style_qml = geo::categorized_style(homes, "status", status_categories(3.2));
    links.style_qml = geo::categorized_style(links, "status", status_categories(0.5));
    const geo::TemporalFields trip{"depart_at", "arrive_at"};
    routes.style_qml =
        geo::categorized_style(routes, "kind",
                               {{"主ルート", "主ルート", {.colour = {30, 90, 200}, .size = 0.9}},
                                {"別ルート",
                                 "別ルート（主ルートが通れないとき）",
                                 {.colour = {120, 120, 120}, .size = 0.6, .dashed = true}}},
                               clock ? trip : geo::TemporalFields{});
    const geo::Rgb load_colour{70, 70, 160};
    facilities.style_qml =
        geo::graduated_style(facilities, "assigned",
                             {{0, 0, "受入 0人", {.colour = {170, 170, 170}, .size = 2.0}},
                              {1, 2, "受入 1〜2人", {.colour = load_colour, .size = 3.5}},
                              {3, 5, "受入 3〜5人", {.colour = load_colour, .size = 5.0}},
                              {6, 10, "受入 6〜10人", {.colour = load_colour, .size = 6.5}},
                              {11, 1e9, "受入 11人以上", {.colour = load_colour, .size = 8.0}}});
    std::vector<geo::Layer> layers;
    layers.push_back(std::move(facilities));
    layers.push_back(std::move(routes));
    layers.push_back(std::move(links));
    layers.push_back(std::move(homes));
    if (hazards != nullptr && !hazards->areas().empty()) layers.push_back(hazard_layer(*hazards));
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
        if (ca.status != cb.status)
            diffs.push_back(std::string(label_ja(ca.status)) + " -> " +
                            std::string(label_ja(cb.status)));
        if (ca.facility_id != cb.facility_id)
            diffs.push_back("避難先 " + ca.facility_id + " -> " + cb.facility_id);
        if (ca.margin_s / 60 != cb.margin_s / 60) {
            diffs.push_back("余裕 " + std::to_string(ca.margin_s / 60) + " -> " +
                            std::to_string(cb.margin_s / 60) + " 分");
        }
        const double la = ca.primary ? ca.primary->length_m : 0.0;
        const double lb = cb.primary ? cb.primary->length_m : 0.0;
        if (std::abs(la - lb) > 1.0)
            diffs.push_back("ルート " + fixed(la / 1000, 2) + " -> " + fixed(lb / 1000, 2) + " km");
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
            out << "  " << name << " (" << id
                << "): " << (fa ? fixed(head(fa), 2) : std::string("未使用")) << " -> "
                << (fb ? fixed(head(fb), 2) : std::string("未使用")) << " kW, 受入 "
                << (fa ? fa->assigned : 0) << " -> " << (fb ? fb->assigned : 0) << "\n";
        }
    }
    return out.str();
}

} // namespace sonae::planner
