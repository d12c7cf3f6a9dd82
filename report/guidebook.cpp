#include "report/guidebook.hpp"

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/time_text.hpp"
#include "geo/workbook.hpp"
#include "planner/csv.hpp"
#include "planner/device_catalogue.hpp"
#include "planner/geocoder.hpp"
#include "planner/hazard_destinations.hpp"
#include "planner/labels.hpp"
#include "planner/power_model.hpp"
#include "report/care_catalog.hpp"
#include "report/detail/drawing.hpp"
#include "report/detail/labels.hpp"
#include "report/detail/route_map.hpp"
#include "report/regions.hpp"
#include "report/triggers.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

namespace sonae::report {

namespace {

using detail::Align;
using detail::fixed;
using detail::PdfDocument;
using planner::ChildPlan;
using planner::Plan;

const planner::Child* registry_child(const std::string& id, const GuidebookOptions& options) {
    if (options.registry == nullptr) return nullptr;
    const auto found = options.registry->find(id);
    if (!found) return nullptr;
    return &(*options.registry)[*found];
}

std::string hours_text(double h) {
    if (!std::isfinite(h) || h >= 336.0) return "14日以上";
    if (h <= 0) return "なし";
    if (h >= 48) return "約" + fixed(h / 24.0, 1) + "日（" + fixed(h, 0) + "時間）";
    return "約" + fixed(h, 1) + "時間";
}

std::string quantity(double per_day, double days, std::string_view unit) {
    if (per_day <= 0) return "処方どおり";
    const double q = std::ceil(per_day * days - 1e-9);
    return fixed(q, 0) + std::string(unit);
}

struct DeviceRow {
    std::string id;
    std::string name;
    int count = 1;
    double power_w = 0;
    double duty_h = 0;
    double internal_h = 0;
    double external_h = 0;
    bool mains = true;
    std::string fallback;
    const planner::DeviceSpec* spec = nullptr;
};

std::vector<DeviceRow> device_rows(const ChildPlan& child, const planner::Child* record) {
    const auto& catalogue = planner::default_device_catalogue();
    std::vector<DeviceRow> rows;
    auto add = [&](const std::string& id, const planner::DeviceUse* use) {
        DeviceRow row;
        row.id = id;
        row.spec = catalogue.find(id);
        row.name = row.spec ? row.spec->name_ja : id;
        if (row.spec) {
            row.power_w = row.spec->power_w;
            row.duty_h = row.spec->duty_h_per_day;
            row.internal_h = row.spec->internal_battery_h;
            row.external_h = row.spec->external_battery_h;
            row.mains = row.spec->mains_powered;
            row.fallback = fallback_label_ja(id);
            if (row.fallback.empty()) row.fallback = row.spec->fallback;
        }
        if (use != nullptr) {
            row.count = use->count;
            if (use->power_w) row.power_w = *use->power_w;
            if (use->internal_battery_h) row.internal_h = *use->internal_battery_h;
            if (use->external_battery_h) row.external_h = *use->external_battery_h;
        }
        rows.push_back(row);
    };
    if (record != nullptr && !record->devices.empty()) {
        for (const auto& use : record->devices) add(use.type, &use);
    } else {
        for (const auto& id : child.power.devices) add(id, nullptr);
    }
    return rows;
}

struct Supply {
    std::string name;
    std::string unit;
    double per_day = 0;
    double stock = 0; ///< > 0: a fixed stock (cool box, oxygen cylinders), the same in every column
};

std::vector<Supply> supplies(const ChildPlan& child, const std::vector<DeviceRow>& devices,
                             const planner::Child* record) {
    std::vector<Supply> out;
    if (record != nullptr) {
        // The planner's list: devices and care items, each need once (planner/power_model.hpp).
        const auto needs = planner::assess_child(*record, planner::default_device_catalogue());
        for (const auto& c : needs.consumables)
            out.push_back({consumable_label_ja(c.name), unit_label_ja(c.unit), c.per_day,
                           c.stock ? c.day1 : 0.0});
    } else {
        for (const auto& d : devices) {
            if (d.spec == nullptr) continue;
            for (const auto& c : d.spec->consumables)
                out.push_back(
                    {consumable_label_ja(c.name), unit_label_ja(c.unit), c.per_day * d.count});
        }
        for (const auto& item : child.care_items)
            for (const auto& c : care_consumables(item))
                out.push_back({std::string(c.item_ja), std::string(c.unit_ja), c.per_day});
    }
    // One line per item: a device's and a care item's need for the same thing (feeding
    // syringes) is one need, the larger.
    std::map<std::string, Supply> merged;
    for (const auto& s : out) {
        auto [it, inserted] = merged.emplace(s.name, s);
        if (!inserted) {
            it->second.per_day = std::max(it->second.per_day, s.per_day);
            it->second.stock = std::max(it->second.stock, s.stock);
        }
    }
    std::vector<Supply> result;
    for (auto& [name, s] : merged) result.push_back(s);
    return result;
}

/// A planner sentence without its English gloss (planner/labels.hpp).
std::string without_english(std::string_view text) {
    return planner::without_english(text);
}

/// Japanese name of a vehicle type (the registry's 車種 is Japanese already; older plans hold
/// English codes).
std::string vehicle_type_ja(std::string_view type) {
    if (type == "ambulance") return "救急車（民間救急）";
    if (type == "wheelchair_van" || type == "van") return "福祉車両";
    const bool ascii = std::all_of(type.begin(), type.end(),
                                   [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    return ascii ? std::string() : std::string(type);
}

std::string backup_source_label_ja(std::string_view source) {
    if (source == "power_station") return "ポータブル電源";
    if (source == "car_socket") return "車のシガーソケット";
    if (source == "hybrid_outlet") return "PHEV・ハイブリッド車";
    if (source == "generator") return "発電機";
    if (source == "internal_battery") return "内部バッテリー";
    if (source == "external_battery") return "外部バッテリー";
    if (source == "oxygen_cylinder") return "酸素ボンベ";
    return std::string(source);
}

/// "酸素ボンベ 0〜6.3時間 → ポータブル電源 0〜7.7時間 → ..." : the order of use after the cut.
std::string sequence_text_ja(const planner::ChildPower& power) {
    std::string out;
    for (const auto& step : power.sequence) {
        std::string name = backup_source_label_ja(step.source);
        if (!step.device.empty() && step.source != "oxygen_cylinder")
            name = device_label_ja(step.device) + "の" + name;
        // A step shorter than the tenth of an hour shown (a car socket for the last minutes of a
        // cylinder) gets two decimals rather than "6.3〜6.3".
        const int digits = fixed(step.start_h, 1) == fixed(step.end_h, 1) ? 2 : 1;
        out += (out.empty() ? "" : " → ") + name + " " + fixed(step.start_h, digits) + "〜" +
               fixed(step.end_h, digits) + "時間";
    }
    return out;
}

std::string role_list(const ChildPlan& child) {
    std::string out;
    if (child.power.needs_nurse)
        out = "看護師";
    else if (child.power.needs_carer)
        out = "看護師または喀痰吸引等研修を受けた介護職員";
    else
        out = "家族";
    return out;
}

const planner::FacilityPlan* find_facility(const Plan& plan, const std::string& id) {
    if (id.empty()) return nullptr;
    for (const auto& f : plan.facilities)
        if (f.facility_id == id) return &f;
    return nullptr;
}

const planner::VehicleTour* find_tour(const Plan& plan, const std::string& vehicle_id) {
    for (const auto& t : plan.tours)
        if (t.vehicle_id == vehicle_id) return &t;
    return nullptr;
}

/// Route colour per standing-plan hazard type (distinct in print and for common colour
/// blindness: blue, brown, teal, magenta, orange).
detail::Colour hazard_colour(planner::Hazard h) {
    switch (h) {
    case planner::Hazard::flood: return {0.12, 0.35, 0.80};
    case planner::Hazard::landslide: return {0.55, 0.33, 0.10};
    case planner::Hazard::storm_surge: return {0.00, 0.58, 0.55};
    case planner::Hazard::tsunami: return {0.78, 0.10, 0.45};
    case planner::Hazard::earthquake: return {0.92, 0.55, 0.00};
    default: return {0.4, 0.4, 0.4};
    }
}

std::string distance_text(double m) {
    return m < 1000 ? fixed(m, 0) + " m" : fixed(m / 1000.0, 1) + " km";
}

std::string travel_text(std::int64_t s, planner::TravelMode mode) {
    return "約" + std::to_string(std::max<std::int64_t>(1, (s + 59) / 60)) + "分（" +
           planner::mode_ja(mode) + "）";
}

// ---------------------------------------------------------------------------------------
// Route maps on the scenario's own roads and hazard areas.

/// When a hazard area becomes dangerous, in the words of the plan's timeline.
std::string onset_text(const Plan& plan, geo::HazardKind kind, std::int64_t onset_ms) {
    const std::int64_t t_s = onset_ms / 1000;
    if (detail::t0_local_minutes(plan.t0_label))
        return detail::format_clock(plan, t_s) + "ごろから";
    // 「約5分」, 「約2時間」, 「約1時間5分」: a started minute counts.
    const std::string span = core::duration_ja(t_s, {.short_form = true, .round_up = true});
    if (kind == geo::HazardKind::tsunami || plan.hazard_kind == "earthquake") {
        return t_s <= 0
                   ? "地震の直後から"
                   : "地震から約" + span + (kind == geo::HazardKind::tsunami ? "で到達" : "後から");
    }
    return t_s <= 0 ? "発令の時点から" : "発令から約" + span + "後から";
}

/// The scenario's hazard areas as the maps draw them: hatched by kind, denser when deeper,
/// labelled with their name, depth or zone, and onset.
std::vector<detail::MapHazard> map_hazards(const Plan& plan, const GuidebookOptions& options) {
    std::vector<detail::MapHazard> out;
    if (options.map == nullptr) return out;
    const auto& hazards = options.map->hazards;
    const auto areas = hazards.areas();
    for (std::uint32_t i = 0; i < areas.size(); ++i) {
        const auto& a = areas[i];
        detail::MapHazard h;
        h.polygons = hazards.polygons(i);
        h.kind = a.kind;
        std::string what;
        if (a.kind == geo::HazardKind::landslide) {
            h.severity = a.zone == geo::LandslideZone::red ? 2 : 0;
            what = a.zone == geo::LandslideZone::red ? "特別警戒区域" : "警戒区域";
        } else if (a.depth_m) {
            h.severity = *a.depth_m >= 3.0 ? 2 : (*a.depth_m >= 0.5 ? 1 : 0);
            what = "浸水" + fixed(*a.depth_m, 1) + "m";
        } else {
            h.severity = 1;
            what = "浸水（深さ不明）";
        }
        h.label = (a.feature_id.empty() ? std::string() : a.feature_id + "\n") + what + "・" +
                  onset_text(plan, a.kind, a.onset_ms);
        out.push_back(std::move(h));
    }
    return out;
}

detail::RouteMapContent base_map(const Plan& plan, const ChildPlan& child,
                                 const GuidebookOptions& options,
                                 const std::vector<detail::MapHazard>& hazards) {
    detail::RouteMapContent c;
    if (options.map != nullptr) c.lines = options.map->lines;
    c.hazards = hazards;
    c.home = child.home;
    c.straight_line = plan.approximate;
    return c;
}

geo::LonLatBox box_around(const std::vector<geo::LonLat>& points) {
    geo::LonLatBox b{points.front(), points.front()};
    for (const auto& p : points) {
        b.min = {std::min(b.min.lon, p.lon), std::min(b.min.lat, p.lat)};
        b.max = {std::max(b.max.lon, p.lon), std::max(b.max.lat, p.lat)};
    }
    return b;
}

/// The first `metres` of a route (cut inside the segment that crosses it).
std::vector<geo::LonLat> route_prefix(const std::vector<geo::LonLat>& route, double metres) {
    std::vector<geo::LonLat> out;
    if (route.empty()) return out;
    out.push_back(route.front());
    double run = 0;
    for (std::size_t i = 1; i < route.size(); ++i) {
        const double seg = geo::haversine_m(route[i - 1], route[i]);
        if (run + seg >= metres && seg > 0) {
            const double t = (metres - run) / seg;
            out.push_back({route[i - 1].lon + t * (route[i].lon - route[i - 1].lon),
                           route[i - 1].lat + t * (route[i].lat - route[i - 1].lat)});
            return out;
        }
        run += seg;
        out.push_back(route[i]);
    }
    return out;
}

/// Draws one map with its legend under it, keeping both on one page.
void map_block(PdfDocument& doc, const detail::RouteMapContent& content, const geo::LonLatBox& box,
               double map_h, double min_extent_m) {
    const double legend_h = detail::route_legend_height(content, doc.content_width());
    doc.drawing(map_h + legend_h + 4, [&](cairo_t* cr, const detail::Rect& area) {
        const detail::Rect frame{area.x, area.y, area.w, map_h};
        detail::draw_route_map(cr, detail::fit_view(box, frame, 34, min_extent_m), content);
        detail::draw_route_legend(cr, {area.x, area.y + map_h + 4, area.w, legend_h}, content);
    });
}

/// Shelters worth showing besides the destination: this child's standing destinations per
/// hazard type and the facilities of the plan, each once.
std::vector<detail::MapPlace> other_shelters(const Plan& plan, const ChildPlan& child,
                                             const std::vector<std::string>& skip_ids) {
    std::vector<detail::MapPlace> out;
    std::vector<std::string> seen = skip_ids;
    auto add = [&](const std::string& id, const geo::LonLat& at, const std::string& name) {
        if (id.empty() || std::find(seen.begin(), seen.end(), id) != seen.end()) return;
        seen.push_back(id);
        out.push_back({at, name});
    };
    for (const auto& d : child.destinations_by_hazard)
        add(d.facility_id, d.facility_location, d.facility_name);
    for (const auto& f : plan.facilities) add(f.facility_id, f.location, f.name);
    // Nearest first; only the nearest few keep a printed name (the map stays readable).
    std::stable_sort(
        out.begin(), out.end(), [&](const detail::MapPlace& a, const detail::MapPlace& b) {
            return geo::haversine_m(child.home, a.at) < geo::haversine_m(child.home, b.at);
        });
    for (std::size_t i = 4; i < out.size(); ++i) out[i].label.clear();
    return out;
}

/// Section 4's maps: the whole route, and for a long route the first kilometre enlarged.
void route_maps(const Plan& plan, const ChildPlan& child, const planner::FacilityPlan* facility,
                const planner::FacilityPlan* fallback, PdfDocument& doc,
                const GuidebookOptions& options, const std::vector<detail::MapHazard>& hazards) {
    auto content = base_map(plan, child, options, hazards);
    std::vector<geo::LonLat> frame_points{child.home};
    std::vector<std::string> skip;
    if (child.primary) {
        content.route = child.primary->geometry;
        frame_points.insert(frame_points.end(), content.route.begin(), content.route.end());
    }
    if (child.alternate) {
        content.alternate = child.alternate->geometry;
        frame_points.insert(frame_points.end(), content.alternate.begin(), content.alternate.end());
    }
    if (facility) {
        content.destination = detail::MapPlace{facility->location, facility->name};
        frame_points.push_back(facility->location);
        skip.push_back(facility->facility_id);
    }
    if (fallback) {
        content.next_candidate =
            detail::MapPlace{fallback->location, fallback->name + "（次の候補）"};
        if (!facility) frame_points.push_back(fallback->location);
        skip.push_back(fallback->facility_id);
    }
    content.other_shelters = other_shelters(plan, child, skip);
    if (!facility && !child.primary) {
        // No destination in this plan: frame the home and the nearest standing destinations.
        for (std::size_t i = 0; i < content.other_shelters.size() && i < 2; ++i)
            frame_points.push_back(content.other_shelters[i].at);
    }
    content.title = "全体図: 自宅から避難先まで";
    const auto whole = box_around(frame_points);
    map_block(doc, content, whole, 400, 500);
    if (child.primary && child.primary->length_m > 1800 && !plan.approximate) {
        auto first = content;
        const auto prefix = route_prefix(child.primary->geometry, 1000);
        first.title = "拡大図: 出発から最初の1km（暗い中で運転するところ）";
        doc.keep(400 + 60);
        map_block(doc, first, box_around(prefix), 360, 600);
    }
    if (options.map == nullptr || options.map->lines.empty()) {
        doc.note(
            plan.approximate
                ? "この計画は道路網を使わない直線距離の目安なので、地図には道路を描いていません。実"
                  "際の道順は、地域の地図で家族と支援者が確かめてください。"
                : "この地図には道路を描いていません。実際の道順は、地域の地図で確かめてください。");
    }
}

/// The standing destination for the plan's own hazard (section 5's row), if the plan has one.
const planner::HazardDestination* standing_destination(const Plan& plan, const ChildPlan& child) {
    const auto hazard = planner::parse_hazard(plan.hazard_kind);
    if (!hazard) return nullptr;
    for (const auto& d : child.destinations_by_hazard)
        if (d.hazard == planner::to_string(*hazard)) return &d;
    return nullptr;
}

/// What the family does when the plan has no place for the child: stay home on the stated
/// conditions, or go to the candidate after a call, and whom to call.
void no_destination_block(const Plan& plan, const ChildPlan& child,
                          const planner::HazardDestination* candidate, PdfDocument& doc) {
    doc.subheading("避難先が決まっていないとき");
    std::string text;
    if (child.hazard_at_home_s >= 0) {
        text += "・自宅はこの想定の危険な区域の中です（" +
                detail::format_time_ja(plan, child.hazard_at_home_s) +
                "に危険）。家にとどまらず、それより前に、候補の施設か、区域の外の親族・知人の家など"
                "安全な場所へ移ります。\n";
    } else {
        text += "・自宅はこの想定の危険な区域の外です。家が壊れていなければ、電源を確保して在宅避難"
                "できます。"
                "いまの機器とバッテリーで生命維持が続くのは" +
                hours_text(child.power.endurance_h) +
                "です。それより長い停電に備えて、3. の電源（蓄電池・車・発電機）を用意します。\n";
    }
    if (candidate != nullptr) {
        text += "・候補の「" + candidate->facility_name +
                "」には、出発の前に必ず電話で受け入れを確かめます。\n";
    }
    text += "・市町の障害福祉・防災の担当課と支援センター（9. "
            "連絡先）に、この冊子を見せて、受け入れ先を一緒に決めます。\n"
            "・呼吸が苦しい、機器が止まって代わりがないときは、ためらわず119番に電話します。";
    doc.paragraph(text, {.size_pt = 9.5});
}

/// Section 「災害の種類ごとの避難先」: the standing plan per hazard type with a route map.
void hazard_destinations_section(const Plan& plan, const ChildPlan& child, PdfDocument& doc,
                                 const GuidebookOptions& options,
                                 const std::vector<detail::MapHazard>& map_areas) {
    doc.keep(520);
    doc.heading("5. 災害の種類ごとの避難先");
    if (child.destinations_by_hazard.empty()) {
        doc.paragraph(
            "この計画ファイルには、災害の種類ごとの避難先が含まれていません（古い計画です）。"
            "計画を作り直すと、洪水・土砂災害・高潮・津波・地震ごとの避難先と経路がここに入ります。"
            "コーディネーターに依頼してください。");
        return;
    }
    const auto* assigned = find_facility(plan, child.facility_id);
    const auto plan_hazard = planner::parse_hazard(plan.hazard_kind);
    detail::Table table;
    table.font_pt = 8.5;
    table.columns = {{"災害の種類", 0.9, Align::left},
                     {"避難先", 2.4, Align::left},
                     {"移動の目安", 1.2, Align::right},
                     {"距離", 0.75, Align::right},
                     {"備考", 2.0, Align::left}};
    std::vector<detail::MapRoute> routes;
    std::vector<detail::MapPlace> markers;
    const auto hazards = planner::standing_plan_hazards();
    double width = 2.6 + 1.6 * static_cast<double>(hazards.size() - 1);
    for (const auto hazard : hazards) {
        const std::string label(planner::guide_label_ja(hazard));
        const auto colour = hazard_colour(hazard);
        const auto it =
            std::find_if(child.destinations_by_hazard.begin(), child.destinations_by_hazard.end(),
                         [&](const planner::HazardDestination& d) {
                             return d.hazard == planner::to_string(hazard);
                         });
        const planner::HazardDestination* d =
            it == child.destinations_by_hazard.end() ? nullptr : &*it;
        const bool plan_row = plan_hazard && *plan_hazard == hazard;
        std::vector<std::string> notes;
        detail::TableRow row;
        if (plan_row && assigned != nullptr) {
            // The plan's own answer for its hazard: the assigned facility and the planned route.
            row.cells = {label, assigned->name + "\n【計画の避難先】",
                         child.primary ? travel_text(child.primary->travel_s, child.primary->mode)
                                       : "—",
                         child.primary ? distance_text(child.primary->length_m) : "—", ""};
            notes.push_back("この冊子の想定「" + detail::hazard_label_ja(plan.hazard_kind) +
                            "」で計画した避難先");
            if (d != nullptr && d->facility_id != assigned->facility_id) {
                notes.push_back("ふだんの最寄り: " + d->facility_name + "（" +
                                travel_text(d->travel_s, d->mode) + "）");
            }
            row.bold = true;
        } else if (plan_row && d != nullptr) {
            // The plan found no place for this child: the same candidate as section 4.
            row.cells = {label, d->facility_name + "\n【相談して決める候補・受け入れ未確定】",
                         travel_text(d->travel_s, d->mode), distance_text(d->length_m), ""};
            notes.push_back("この想定では受け入れが決まっていません（4. を参照）");
            row.bold = true;
        } else if (d != nullptr) {
            row.cells = {label,
                         d->facility_name + "\n" + detail::facility_kind_ja(d->facility_kind),
                         travel_text(d->travel_s, d->mode), distance_text(d->length_m), ""};
        } else {
            row.cells = {label, "条件に合う避難先が見つかりません", "—", "—", ""};
            notes.push_back("市町・支援センターに相談してください");
        }
        if (d != nullptr &&
            !(plan_row && assigned != nullptr && d->facility_id != assigned->facility_id)) {
            if (d->designation_unknown)
                notes.push_back("指定の確認が必要（この災害の指定の情報がない施設）");
            if (d->approximate) notes.push_back("道路網なしの直線距離による概算");
        }
        for (const auto& n : notes) row.cells[4] += (row.cells[4].empty() ? "" : "\n") + n;
        table.rows.push_back(row);

        // Map: the plan's own route for its hazard, the standing route for the others.
        std::vector<geo::LonLat> route;
        geo::LonLat at{};
        std::string name;
        if (plan_row && assigned != nullptr) {
            if (child.primary) route = child.primary->geometry;
            at = assigned->location;
            name = assigned->name;
        } else if (d != nullptr) {
            route = d->geometry;
            at = d->facility_location;
            name = d->facility_name;
        } else {
            continue;
        }
        // Routes sharing roads stay visible: the first types are drawn widest, underneath, and
        // only the first has a white casing (a casing would cover the wider line below).
        if (route.size() >= 2) {
            routes.push_back({route, colour, width,
                              label + (plan_row && assigned != nullptr ? "（計画の避難先）" : "")});
        }
        width -= 1.6;
        const auto same = std::find_if(markers.begin(), markers.end(),
                                       [&](const detail::MapPlace& m) { return m.at == at; });
        if (same == markers.end()) {
            markers.push_back({at, name + "（" + label + "）"});
        } else {
            same->label.insert(same->label.size() - std::string("）").size(), "・" + label);
        }
    }
    doc.table(table);
    auto content = base_map(plan, child, options, map_areas);
    std::vector<geo::LonLat> frame_points{child.home};
    for (const auto& r : routes)
        frame_points.insert(frame_points.end(), r.points.begin(), r.points.end());
    for (const auto& m : markers) frame_points.push_back(m.at);
    content.extra_routes = std::move(routes);
    content.other_shelters = std::move(markers);
    content.title = "災害の種類ごとの避難先と経路";
    doc.keep(300);
    map_block(doc, content, box_around(frame_points), 330, 500);
    doc.note("災害の種類ごとに、この子の移動手段で行けて、その災害の指定があり、機器・電源・看護の"
             "条件に合ういちばん近い施設です（目安）。"
             "移動時間は通行止めや渋滞のない平常時の値で、施設の受入れ枠の割り振りはしていません。"
             "「指定の確認が必要」の施設（福祉避難所・病院など）は、その災害で使えるかを市町と施設"
             "に確かめてください。"
             "災害が起きたときは、市町の避難情報と避難所の開設状況を必ず確認してください。");
}

// ---------------------------------------------------------------------------------------
// Pages a family uses in the moment and carries with it (issue 20 item 4): settings to fill
// in, what to do at a power cut or an earthquake, the 119 call, safety confirmation, care for
// shelter staff, consent, and the cut-out cards.

bool has_device(const std::vector<DeviceRow>& devices, std::string_view id) {
    return std::any_of(devices.begin(), devices.end(),
                       [&](const DeviceRow& d) { return d.id == id; });
}

bool has_care(const ChildPlan& child, std::string_view code) {
    return std::find(child.care_items.begin(), child.care_items.end(), code) !=
           child.care_items.end();
}

/// The general electricity company (送配電事業者) of the child's prefecture, by JIS code.
std::string power_company(std::string_view municipality_code) {
    if (municipality_code.rfind("35", 0) == 0) return "中国電力ネットワーク";
    if (municipality_code.rfind("39", 0) == 0) return "四国電力送配電";
    return "お住まいの地域の電力会社（送配電事業者）";
}

/// Rows of the settings table: per device the settings a physician or vendor writes in.
std::vector<std::pair<std::string, std::vector<std::string>>>
settings_rows(const ChildPlan& child, const std::vector<DeviceRow>& devices) {
    std::vector<std::pair<std::string, std::vector<std::string>>> rows;
    for (const auto& d : devices) {
        std::vector<std::string> items;
        if (d.id == "vent") {
            items = {"換気モード",      "呼吸回数（回/分）",         "1回換気量（mL）",
                     "吸気圧（cmH2O）", "呼気の終わりの圧（cmH2O）", "酸素の流量（L/分）",
                     "アラームの設定"};
        } else if (d.id == "cpap") {
            items = {"圧（cmH2O）", "マスクの種類・サイズ"};
        } else if (d.id == "o2conc" || d.id == "o2cyl") {
            items = {"酸素の流量（L/分）・ふだん", "酸素の流量（L/分）・動くとき",
                     "ボンベの大きさと本数"};
        } else if (d.id == "suction") {
            items = {"吸引圧（kPa）", "カテーテルの太さ（Fr）と長さ"};
        } else if (d.id == "feed") {
            items = {"注入の速さ（mL/時）", "1回の量（mL）と回数"};
        } else if (d.id == "ivpump") {
            items = {"流量（mL/時）", "薬液・輸液の名前"};
        } else if (d.id == "humid") {
            items = {"温度の設定"};
        } else if (d.id == "spo2") {
            items = {"アラームの値（%）・下限", "アラームの値（脈拍）"};
        } else {
            items = {"設定"};
        }
        rows.push_back({d.name, items});
    }
    if (has_care(child, "tracheostomy")) {
        rows.push_back(
            {"気管カニューレ", {"種類と内径（mm）", "カフ圧・カフの水の量（mL）", "前回の交換日"}});
    }
    return rows;
}

void family_pages(const Plan& plan, const ChildPlan& child, const std::vector<DeviceRow>& devices,
                  const planner::Child* record, const std::string& name,
                  const planner::FacilityPlan* facility, PdfDocument& doc) {
    // 11. Device settings with empty cells.
    doc.heading("11. 医療機器の設定（主治医・業者と一緒に記入）");
    doc.paragraph("避難先の看護師や救急隊が、すぐに同じ設定で使えるように書いておきます。設定が変わ"
                  "ったら書き直します。",
                  {.size_pt = 9});
    detail::Table settings;
    settings.font_pt = 8.5;
    settings.columns = {{"機器", 1.6, Align::left},
                        {"項目", 2.2, Align::left},
                        {"設定値", 1.6, Align::left},
                        {"確認した日", 1.0, Align::left}};
    for (const auto& [device, items] : settings_rows(child, devices)) {
        for (std::size_t i = 0; i < items.size(); ++i)
            settings.rows.push_back({{i == 0 ? device : "", items[i], "", ""}});
    }
    if (settings.rows.empty())
        settings.rows.push_back({{"（登録された機器はありません）", "", "", ""}});
    doc.table(settings);

    // 12. Immediate actions: power cut and earthquake.
    doc.keep(420);
    doc.heading("12. 停電したとき・地震のとき（すぐにすること）");
    std::string power_steps;
    int n = 0;
    auto step = [&](const std::string& text) {
        power_steps += std::to_string(++n) + ". " + text + "\n";
    };
    if (has_device(devices, "vent")) {
        step("人工呼吸器が内部バッテリーに切り替わったか、画面で確かめます。外部バッテリーをつなぎ"
             "ます。");
        step("蘇生バッグ（アンビューバッグ）を手元に出し、呼吸器が止まったらすぐ手で換気できるよう"
             "にします。");
    }
    if (has_device(devices, "humid"))
        step("加温加湿器は止まるので、人工鼻（HME）に付け替えます（電気を節約します）。");
    if (has_device(devices, "o2conc"))
        step("酸素濃縮器から酸素ボンベに切り替えます。ボンベのバルブを開け、処方どおりの流量に合わ"
             "せます。");
    if (has_device(devices, "suction"))
        step("吸引器はバッテリーで動かし、足踏み式・手動の吸引器も出しておきます。");
    if (has_device(devices, "feed"))
        step("栄養ポンプが止まったら、シリンジや自然滴下での注入に切り替えます。");
    if (child.power.load_peak_w > 0) {
        step("懐中電灯をつけ、スマートフォンを充電し、残りのバッテリー時間を「2. "
             "医療機器とバッテリー」で確かめます。");
        step("停電が長くなりそうなら「3. "
             "停電したときの電源計画」の順に電源を使い、バッテリーが切れる前に避難先へ向かいま"
             "す。");
    } else {
        // No device uses power (section 3 has no power plan): no battery times to check.
        step("懐中電灯をつけ、モバイルバッテリーでスマートフォンを充電します。");
        step("停電が長くなりそうなら、ケアに使う物（「8. "
             "持ち出し品・備蓄のチェックリスト」）を確かめ、市町の避難情報を聞きます。");
    }
    doc.subheading("停電したとき");
    doc.paragraph(power_steps, {.size_pt = 9.5});
    doc.key_values({{"電力会社", power_company(child.municipality_code) +
                                     "（停電の問い合わせ番号: " + "　　　　　　　　　　）"},
                    {"電力会社に伝えること",
                     [&] {
                         std::string names;
                         for (const auto& d : devices)
                             names += (names.empty() ? "" : "・") + d.name;
                         if (names.empty() || child.power.load_peak_w <= 0)
                             return std::string("住所・名前、医療的ケアが必要な子どもがいること、"
                                                "停電の様子。");
                         return "住所・名前、在宅で医療機器（" + names +
                                "）を使っている子どもがいること、停電の様子、バッテリーの残り時"
                                "間。ふだんから医療機器を使っていることを電力会社に伝えておきま"
                                "す。";
                     }()}},
                   0.25);
    doc.subheading("地震のとき");
    doc.paragraph("1. "
                  "揺れている間は、子どもに覆いかぶさって頭を守り、気管カニューレ・回路・チューブが"
                  "抜けないよう押さえます。\n"
                  "2. "
                  "揺れがおさまったら、呼吸・顔色、機器が動いているか、回路の外れや機器の落下がない"
                  "かを確かめます。\n"
                  "3. 停電していたら、上の「停電したとき」をします。\n"
                  "4. 海の近く・がけの近くなら、「6. "
                  "避難を始めるタイミング」の津波・土砂災害の合図に従います。\n"
                  "5. "
                  "家が安全なら在宅避難、危ないときは避難先へ。どちらでも、次の「災害用伝言ダイヤル"
                  "」で無事を伝えます。",
                  {.size_pt = 9.5});

    // 13. The 119 call and safety confirmation.
    doc.keep(360);
    doc.heading("13. 119番に電話するとき・安否を伝えるとき");
    std::string devices_named;
    for (const auto& d : devices) devices_named += (devices_named.empty() ? "" : "・") + d.name;
    doc.key_values(
        {{"1. 最初に", "「救急です」"},
         {"2. 場所", "住所: \n目印: "},
         {"3. だれが", "「" + (devices_named.empty() ? std::string("医療的ケア") : devices_named) +
                           "を使っている　　歳の子どもです」"},
         {"4. なにが起きたか", "例: 息が苦しい、機器が止まった、停電でバッテリーが残り　　時間"},
         {"5. 電話してきた人", "名前: 　　　　　　　電話: "},
         {"6. 救急車を待つ間", "蘇生バッグで換気を続け、玄関の鍵を開け、この冊子と「16. "
                               "救急情報カード」を渡せるようにします。"}},
        0.25);
    doc.subheading("安否を伝える（災害用伝言ダイヤル 171）");
    doc.paragraph(
        "録音: 171 → 1 → 自宅の電話番号（市外局番から）→ 伝言を話す。\n"
        "再生: 171 → 2 → 相手の電話番号 → 伝言を聞く。\n"
        "インターネットでは「災害用伝言板（web171）」、携帯電話各社の災害用伝言板も使えます。"
        "ふだんから家族で「どの番号に録音するか」を決め、毎月1日などの体験利用日に試しておきます。",
        {.size_pt = 9.5});

    // 14. Daily care for shelter staff.
    doc.keep(360);
    doc.heading("14. 避難先のスタッフへ（ふだんのケア）");
    std::string care;
    for (const auto& c : child.care_items) care += (care.empty() ? "" : "、") + care_label_ja(c);
    doc.key_values({{"医療的ケア", care.empty() ? "（登録なし）" : care},
                    {"ケアができる人", role_list(child)},
                    {"電源", std::to_string(child.power.outlets) + " 口のコンセント、最大 " +
                                 fixed(child.power.load_peak_w, 0) + " W"},
                    {"食事・栄養（種類・量・時刻）", "\n\n"},
                    {"吸引（回数・圧・カテーテル）", "\n"},
                    {"姿勢・体位の交換", "\n"},
                    {"気持ちの伝え方（はい・いいえ、痛いとき）", "\n\n"},
                    {"落ち着く方法・好きなこと", "\n"},
                    {"発作のときの様子と対応", "\n"},
                    {"排せつ・おむつ", "\n"}},
                   0.32);

    // 15. Consent and who receives the plan; the registry's contacts when names may be printed.
    doc.keep(260);
    doc.heading("15. 同意と、この計画を受け取る人");
    auto consent = [&](bool given) -> std::string {
        if (record == nullptr) return "この冊子の作成時に確かめていません（名簿を使わずに作成）";
        return given ? "同意あり" : "同意なし（記録のうえで）";
    };
    std::vector<std::pair<std::string, std::string>> rows{
        {"名簿情報の提供（避難行動要支援者名簿）",
         consent(record != nullptr && record->consent.registry_sharing)},
        {"個別避難計画の提供", consent(record != nullptr && record->consent.plan_sharing)},
        {"この計画を受け取る人", record != nullptr && record->consent.plan_sharing
                                     ? "ご家族、市町の担当課、支援センター、担当者会議の関係者、避"
                                       "難支援をする人（同意の範囲）"
                                     : "ご家族、市町の担当課と担当者会議の関係者（計画提供の同意が"
                                       "ないため、地域の支援者には渡しません）"}};
    if (!name.empty() && record != nullptr) {
        // Printed only with the flag and the plan-sharing consent (printable_name).
        if (!record->personal.phone.empty())
            rows.push_back({"登録の電話番号", record->personal.phone});
        std::string contacts;
        for (const auto& c : record->personal.emergency_contacts)
            contacts += (contacts.empty() ? "" : "\n") + c;
        if (!contacts.empty()) rows.push_back({"登録の緊急連絡先", contacts});
    }
    doc.key_values(rows, 0.32);
    doc.note(
        "同意は名簿の提供と計画の提供で別々です。変えたいときは、市町の担当課に伝えてください。");

    // 16. Cut-out cards: the emergency information card and the help card, side by side.
    doc.page_break();
    doc.heading("16. 救急情報カード・ヘルプカード（切り取って持ち歩く）");
    doc.paragraph("点線で切り取り、半分に折って、子どものかばん・車いす・母子手帳に入れておきます。"
                  "空いている欄は書き込みます。",
                  {.size_pt = 9});
    std::string destination = facility ? facility->name : std::string();
    if (destination.empty()) {
        if (const auto* d = standing_destination(plan, child))
            destination = d->facility_name + "（相談中）";
    }
    std::string contacts_line;
    if (!name.empty() && record != nullptr)
        for (const auto& c : record->personal.emergency_contacts)
            contacts_line += (contacts_line.empty() ? "" : "\n") + c;
    const std::vector<std::pair<std::string, std::string>> card{
        {"名前", name.empty() ? "" : name},
        {"生年月日・血液型", ""},
        {"診断名", ""},
        {"医療的ケア", care.empty() ? "" : care},
        {"医療機器", devices_named},
        {"呼吸器・酸素の設定", "\n"},
        {"アレルギー", ""},
        {"薬", "\n"},
        {"病院・主治医", "\n"},
        {"緊急連絡先", contacts_line.empty() ? "\n" : contacts_line},
        {"避難先", destination},
        {"ID", child.child_id}};
    const std::string help =
        "わたしは医療的ケアが必要です。\n" +
        std::string(child.power.ventilator
                        ? "人工呼吸器を使っています。止まったら、すぐ蘇生バッグで換気が必要です。\n"
                        : "") +
        (has_device(devices, "suction") ? "たんの吸引が必要なときがあります。\n" : "") +
        (child.power.outlets > 0
             ? "電気（コンセント " + std::to_string(child.power.outlets) + " 口）が必要です。\n"
             : "") +
        "話せないことがあります。家族か、下の連絡先に知らせてください。";
    doc.drawing(500, [&](cairo_t* cr, const detail::Rect& area) {
        const double w = area.w / 2 - 6;
        for (int side = 0; side < 2; ++side) {
            const detail::Rect box{area.x + side * (w + 12), area.y, w, area.h};
            cairo_save(cr);
            cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
            cairo_set_line_width(cr, 0.8);
            const double dash[] = {5, 3};
            cairo_set_dash(cr, dash, 2, 0);
            cairo_rectangle(cr, box.x, box.y, box.w, box.h);
            cairo_stroke(cr);
            cairo_restore(cr);
            double y = box.y + 8;
            const double x = box.x + 8, inner = box.w - 16;
            if (side == 0) {
                y += detail::draw_text(cr, x, y, "救急情報カード",
                                       {.size_pt = 13, .bold = true, .colour = {0.6, 0.05, 0.05}},
                                       inner) +
                     6;
                for (const auto& [k, v] : card) {
                    const double kh =
                        detail::draw_text(cr, x, y, k, {.size_pt = 8, .bold = true}, inner * 0.34);
                    const double vh =
                        detail::draw_text(cr, x + inner * 0.36, y, v.empty() ? " " : v,
                                          {.size_pt = 8.5}, inner * 0.64);
                    y += std::max({kh, vh, 19.0}) + 4; // room to write by hand
                    cairo_set_source_rgb(cr, 0.7, 0.7, 0.7);
                    cairo_set_line_width(cr, 0.4);
                    cairo_move_to(cr, x, y - 1.5);
                    cairo_line_to(cr, x + inner, y - 1.5);
                    cairo_stroke(cr);
                }
            } else {
                y += detail::draw_text(cr, x, y, "ヘルプカード",
                                       {.size_pt = 13, .bold = true, .colour = {0.6, 0.05, 0.05}},
                                       inner) +
                     6;
                y += detail::draw_text(cr, x, y, help, {.size_pt = 10, .bold = true}, inner) + 10;
                for (const char* k : {"してほしいこと", "連絡先（家族）", "連絡先（病院）",
                                      "かかりつけの訪問看護"}) {
                    detail::draw_text(cr, x, y, k, {.size_pt = 8, .bold = true}, inner);
                    y += 40;
                    cairo_set_source_rgb(cr, 0.7, 0.7, 0.7);
                    cairo_set_line_width(cr, 0.4);
                    cairo_move_to(cr, x, y - 4);
                    cairo_line_to(cr, x + inner, y - 4);
                    cairo_stroke(cr);
                }
            }
        }
        detail::draw_text(cr, area.x, area.y + area.h + 1, "切り取り線（点線）",
                          {.size_pt = 7, .colour = {0.4, 0.4, 0.4}}, area.w);
    });
}

// What the published sources say about a destination (issue 22): access notes from a
// standard list's 備考, qualified designations (○（２階）), the capacity's area basis, and a
// location found from the address. Empty rows are left out.
std::vector<std::pair<std::string, std::string>> facility_notes_ja(const planner::FacilityPlan& f) {
    std::vector<std::pair<std::string, std::string>> rows;
    const auto join = [](const std::vector<std::string>& items, const char* sep) {
        std::string out;
        for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
        return out;
    };
    if (!f.accessibility.empty())
        rows.push_back({"避難先の設備・配慮",
                        join(f.accessibility, "、") + "（市町の避難場所一覧の備考から）"});
    if (!f.designation_notes.empty()) {
        rows.push_back(
            {"指定の条件", join(f.designation_notes, "\n") +
                               "\n（かっこ内の階から上が、その災害のときの避難場所です）"});
    }
    if (!f.capacity_basis.empty() && f.capacity >= 0) {
        rows.push_back(
            {"想定収容人数", std::to_string(f.capacity) + "人（" + f.capacity_basis + "）"});
    }
    if (const auto p = planner::parse_geocode_precision(f.location_precision)) {
        rows.push_back({"避難先の位置", "住所から求めた" + std::string(planner::label_ja(*p)) +
                                            "の代表点です（建物の位置は地図で確認してください）"});
    }
    return rows;
}

// How the home was placed when the registry had only an address; empty for a pinned home.
std::string home_position_note_ja(const ChildPlan& child) {
    const auto p = planner::parse_geocode_precision(child.home_precision);
    if (!p) return {};
    if (*p == planner::GeocodePrecision::oaza)
        return "住所の大字の代表点（1〜5 km の誤差）。" + std::string(planner::kCheckHomeOnMap);
    return "住所の" + std::string(planner::label_ja(*p)) + "の代表点（約" +
           (*p == planner::GeocodePrecision::chome ? std::string("100〜300 m")
                                                   : std::string("1 km")) +
           "の誤差）";
}

void render(const Plan& plan, const ChildPlan& child, PdfDocument& doc,
            const GuidebookOptions& options, const detail::Date& issued) {
    const auto* record = registry_child(child.child_id, options);
    const auto name = printable_name(child.child_id, options);
    const auto region = region_of(child.municipality_code);
    const auto review = detail::add_months(issued, std::clamp(options.review_months, 1, 12));
    const auto devices = device_rows(child, record);
    const auto hazards = map_hazards(plan, options);
    const auto* facility = find_facility(plan, child.facility_id);
    const auto* fallback = find_facility(plan, child.fallback_facility_id);

    doc.title_block("災害の備えガイドブック",
                    "医療的ケア児の個別避難計画（" + detail::hazard_label_ja(plan.hazard_kind) +
                        "）　" + (name.empty() ? "ID " + child.child_id : name + " さん"));
    doc.paragraph("この冊子には個人情報（要配慮個人情報）が含まれます。ご家族と、担当者会議など必要"
                  "な支援者の間だけで使い、"
                  "コピーや持ち出しに注意してください。数値は計画時の目安です。医療機器の設定と主治"
                  "医の指示を必ず優先してください。",
                  {.size_pt = 8.5, .colour = {0.55, 0.1, 0.1}});
    doc.key_values(
        {{"作成日", detail::format_date_ja(issued)},
         {"次回見直し日", detail::format_date_ja(review) + "まで（少なくとも年1回見直します）"},
         {"想定", plan.scenario_title.empty() ? plan.scenario_name : plan.scenario_title},
         {"計画の判定", std::string(planner::label_ja(child.status))}},
        0.25);

    // 1. Profile
    doc.heading("1. プロフィール");
    std::string care;
    for (const auto& c : child.care_items) care += (care.empty() ? "" : "、") + care_label_ja(c);
    std::vector<std::pair<std::string, std::string>> profile;
    profile.push_back({"児童ID（仮名）", child.child_id});
    if (!name.empty()) profile.push_back({"氏名", name});
    profile.push_back({"お住まいの市町", municipality_name(child.municipality_code)});
    profile.push_back({"支援センターの地域", std::string(region_label_ja(region))});
    profile.push_back({"移動のしかた", detail::mobility_label_ja(child.mobility)});
    profile.push_back({"医療的ケア", care.empty() ? "（登録なし）" : care});
    profile.push_back({"ケアができる人", role_list(child)});
    // Fields only the family can fill are empty boxes to write in (11. holds the settings).
    profile.push_back({"診断名", "\n"});
    profile.push_back({"薬（名前・量・時刻）", "\n\n"});
    profile.push_back({"アレルギー", "\n"});
    doc.key_values(profile, 0.3);
    if (child.status != planner::Feasibility::on_time && !child.reasons.empty()) {
        std::string reasons;
        for (const auto& r : child.reasons) reasons += "・" + without_english(r) + "\n";
        doc.subheading("計画で見つかった注意点");
        doc.paragraph(reasons, {.size_pt = 9.5});
    }

    // 2. Devices
    doc.heading("2. 医療機器とバッテリー");
    detail::Table table;
    table.columns = {{"機器", 1.9, Align::left},          {"台数", 0.55, Align::right},
                     {"消費電力", 0.9, Align::right},     {"1日の使用", 0.95, Align::right},
                     {"内部電池", 1.0, Align::right},     {"外部電池", 1.0, Align::right},
                     {"停電時の代わり", 2.3, Align::left}};
    for (const auto& d : devices) {
        table.rows.push_back(
            {{d.name, std::to_string(d.count), d.mains ? fixed(d.power_w, 0) + " W" : "電源不要",
              fixed(d.duty_h, d.duty_h < 1 ? 2 : 0) + " 時間",
              d.internal_h > 0 ? hours_text(d.internal_h) : "なし",
              d.external_h > 0 ? hours_text(d.external_h) : "なし",
              d.fallback.empty() ? "—" : d.fallback}});
    }
    if (table.rows.empty())
        table.rows.push_back({{"（登録された機器はありません）", "", "", "", "", "", ""}});
    doc.table(table);
    // What each hour is (issue 18): the devices' own batteries, the cylinders, each backup
    // source alone, and all of them in order of use.
    const bool has_vent_battery = child.power.device_battery_h >= 0;
    std::vector<std::pair<std::string, std::string>> hours{
        {"平均の消費電力", fixed(child.power.load_avg_w, 0) + " W（1日の使用時間で平均）"},
        {"同時に使う最大電力",
         fixed(child.power.load_peak_w, 0) + " W（電源はこれ以上の出力が必要）"}};
    if (has_vent_battery) {
        hours.push_back({"機器のバッテリーだけで呼吸器・輸液が続く時間",
                         hours_text(child.power.device_battery_h) + "（内部＋外部）"});
    }
    if (child.power.oxygen) {
        hours.push_back({"酸素ボンベだけで続く時間",
                         child.power.cylinder_only_h > 0
                             ? hours_text(child.power.cylinder_only_h) + "（処方の流量で）"
                             : "ボンベなし"});
    }
    for (const auto& b : child.power.backup_sources) {
        // A source too small for all: say which devices it cannot run; one of them keeping the
        // child alive (the concentrator beside a ventilator on a car socket) means the hours
        // are not life support.
        std::string text = hours_text(b.hours);
        if (!b.carries_all) {
            std::string names;
            bool life = false;
            for (const auto& id : b.left_out) {
                names += (names.empty() ? "" : "・") + device_label_ja(id);
                const auto* spec = planner::default_device_catalogue().find(id);
                life |= spec != nullptr && spec->criticality == planner::Criticality::life;
            }
            if (names.empty())
                text += "（出力が足りず、一部の機器だけ）";
            else if (life)
                text = "生命維持には使えません（出力が足りず、" + names +
                       "を動かせません。ほかの機器だけなら" + text + "）";
            else
                text += "（出力が足りず、" + names + "は動かせません）";
        }
        hours.push_back({backup_source_label_ja(b.source) + "だけで", text});
    }
    if (has_vent_battery || child.power.oxygen) {
        hours.push_back({"全部を順に使って生命維持が続く時間",
                         hours_text(child.power.endurance_h) + "（計画の値）"});
    }
    if (const std::string order = sequence_text_ja(child.power); !order.empty())
        hours.push_back({"使う順番", order});
    if (child.power.oxygen && child.power.oxygen_cylinders_recommended > 0) {
        // Without a concentrator the cylinders are the only oxygen: they cover the horizon.
        const bool concentrator = std::find(child.power.devices.begin(), child.power.devices.end(),
                                            "o2conc") != child.power.devices.end();
        hours.push_back(
            {"酸素ボンベの備え",
             std::to_string(child.power.oxygen_cylinders_recommended) +
                 (concentrator ? " 本（濃縮器に電気が戻るまでの分＋予備。本数は酸素業者と決めて"
                                 "ください）"
                               : " 本（酸素はボンベだけなので、" + std::to_string(plan.horizon_h) +
                                     "時間の分＋予備。本数は酸素業者と決めてください）")});
        hours.push_back({"酸素業者への連絡",
                         child.power.oxygen_call_supplier_h <= 0
                             ? "停電したらすぐ"
                             : "停電したらすぐ。遅くとも停電から" +
                                   hours_text(child.power.oxygen_call_supplier_h) + "後まで"});
    }
    hours.push_back({"必要なコンセント", std::to_string(child.power.outlets) + " 口"});
    doc.key_values(hours, 0.3);
    doc.note("バッテリー時間は機器の標準値（国立成育医療研究センターのマニュアルや製品資料による目"
             "安）または登録値です。古いバッテリーは短くなります（鉛蓄電池は5年で半分程度）。"
             "ラベルと取扱説明書で確認し、2年ごとの交換を目安にしてください。");

    // 3. Power plan in four steps (DOMAIN 2.3), for a child whose devices use power.
    if (child.power.load_peak_w <= 0) {
        doc.heading("3. 停電したときの電源計画");
        doc.paragraph("電気を使う医療機器は登録されていません。停電のときは、明かりと携帯電話の充電"
                      "（モバイルバッテリー）を用意してください。");
    } else {
        doc.heading("3. 停電したときの電源計画（4つの段階）");
        // The same essential load as the endurance model: the humidifier and other comfort
        // devices switch to their fallback (HME...) on backup power.
        const planner::PowerOptions popts;
        const double avg_w =
            child.power.essential_avg_w > 0 ? child.power.essential_avg_w : child.power.load_avg_w;
        const double peak_w = child.power.essential_peak_w > 0 ? child.power.essential_peak_w
                                                               : child.power.load_peak_w;
        const std::vector<planner::Load> avg_load{{avg_w, 24.0}};
        // A power station's hours come from the planner's power model, as section 2's: the same
        // essential load and, for a device used at set hours (CPAP overnight), the clock of the
        // power cut (the plan's, or the worst time of day), not the 24-hour average.
        planner::Child household;
        if (record != nullptr) {
            household = *record;
        } else {
            household.id = child.child_id;
            for (const auto& id : child.power.devices)
                household.devices.push_back(planner::DeviceUse{.type = id});
        }
        household.backup = {};
        household.vehicle = planner::HouseholdVehicle::none;
        planner::PowerOptions model;
        model.horizon_h = static_cast<double>(plan.horizon_h);
        if (const auto t0 = detail::t0_local_minutes(plan.t0_label)) {
            const std::int64_t minute = (*t0 + child.mains_lost_s / 60) % (24 * 60);
            model.mains_lost_clock_h = static_cast<double>(minute) / 60.0;
        }
        // Without the registry the plan's device ids are all there is: the model (catalogue
        // values) is used only where a device has set hours, the plan's average otherwise.
        const bool use_model =
            record != nullptr || std::any_of(devices.begin(), devices.end(), [](const auto& d) {
                return d.spec != nullptr && d.spec->duty_start_h >= 0.0 &&
                       d.spec->duty_h_per_day < 24.0;
            });
        std::optional<double> cut_clock_h;
        bool cut_clock_assumed = false;
        auto station_h = [&](double wh, double output_w, bool dc) {
            if (!use_model) return planner::runtime_h(wh, avg_load, popts, dc);
            planner::Child c = household;
            c.backup.power_station_wh = wh;
            c.backup.power_station_output_w = output_w;
            planner::PowerOptions o = model;
            o.power_station_dc = dc;
            const auto n = planner::assess_child(c, planner::default_device_catalogue(), o);
            cut_clock_h = n.cut_clock_h;
            cut_clock_assumed = n.cut_clock_assumed;
            for (const auto& b : n.backup_sources)
                if (b.source == planner::PowerSourceKind::power_station) return b.hours;
            // No device the model runs on backup power (a medicine fridge only): the formula
            // on the whole average load.
            return planner::runtime_h(wh, avg_load, popts, dc);
        };
        auto station = [&](double wh, double output_w = 0.0) {
            return "AC出力で" + hours_text(station_h(wh, output_w, false)) + "、DC出力で" +
                   hours_text(station_h(wh, output_w, true));
        };
        std::string own_station = "お持ちの蓄電池の容量: 　　　　 Wh（記入してください）";
        if (record != nullptr && record->backup.power_station_wh > 0) {
            own_station =
                "お持ちの " + fixed(record->backup.power_station_wh, 0) + " Wh: " +
                station(record->backup.power_station_wh, record->backup.power_station_output_w);
        }
        std::string car = "シガーソケット（12V、60〜120W）: ";
        car += peak_w <= 60 ? "使えます（正弦波インバーターが必要）"
                            : (peak_w <= 120 ? "ぎりぎりです（最大 " + fixed(peak_w, 0) +
                                                   " W）。同時に使う機器を減らしてください"
                                             : "足りません（最大 " + fixed(peak_w, 0) + " W）");
        car += "\nPHEV・ハイブリッド車の1,500Wコンセント: ";
        car += peak_w <= 1500
                   ? "使えます。満タンのPHEVで " +
                         hours_text(planner::runtime_h(100000.0 / 0.8, avg_load, popts, false))
                   : "最大電力が1,500Wを超えます";
        if (record != nullptr) {
            car += "\nご家庭の車: " +
                   std::string(record->vehicle == planner::HouseholdVehicle::none ? "なし"
                               : record->vehicle == planner::HouseholdVehicle::car
                                   ? "ふつうの車（シガーソケット）"
                                   : "PHEV・ハイブリッド（1,500W）");
        }
        // A generator burns fuel even when idling (idle + proportional, data/power_sources.toml).
        std::string gen;
        const auto& power_sources = planner::default_power_sources();
        if (const auto* cassette = power_sources.home_class(900.0)) {
            const double per_h = cassette->fuel_per_h(900.0, popts.load_safety_factor * avg_w);
            const double can_h = per_h > 0 ? 1.0 / per_h : 0.0;
            gen =
                "カセットガス発電機（900VA）: " +
                std::string(peak_w <= 720 ? "使えます"
                                          : "出力が足りません（最大 " + fixed(peak_w, 0) + " W）") +
                "。ガス1本で約" + fixed(can_h, 1) +
                "時間（発電機は機器が少なくても燃料を使います）、3日（72時間）で約" +
                fixed(std::ceil(72.0 * per_h - 1e-9), 0) + "本。";
        }
        for (const auto& b : child.power.backup_sources) {
            if (b.source == "generator" && b.fuel_per_h > 0) {
                gen += "\nお持ちの発電機: 燃料 約" + fixed(b.fuel_held, 1) + b.fuel_unit + "で" +
                       hours_text(b.fuel_held / b.fuel_per_h) + "（1時間に約" +
                       fixed(b.fuel_per_h, 2) + b.fuel_unit + "）。";
            }
        }
        gen += "\n必ず屋外で使います（一酸化炭素中毒の危険）。";
        detail::Table steps;
        steps.columns = {{"段階", 0.5, Align::centre},
                         {"電源", 1.5, Align::left},
                         {"この子の場合の目安", 4.0, Align::left}};
        steps.font_pt = 9;
        steps.rows = {
            {{"1", "機器専用の外部バッテリー",
              (has_vent_battery ? "機器の内部＋外部バッテリーだけで呼吸器・輸液が続く時間: " +
                                      hours_text(child.power.device_battery_h)
                                : std::string("呼吸器・輸液ポンプの登録はありません")) +
                  (child.power.oxygen ? "\n酸素濃縮器にはバッテリーがありません。停電したらまず酸素"
                                        "ボンベに切り替えます。"
                                      : "") +
                  "\n予備バッテリーは複数用意し、充電と使用年数を確認します。"}},
            {{"2", "蓄電池・ポータブル電源",
              "500 Wh: " + station(500) + "\n1,000 Wh: " + station(1000) +
                  "\n2,000 Wh: " + station(2000) + "\n" + own_station + "\n出力（W）が最大電力 " +
                  fixed(peak_w, 0) + " W 以上で、純正弦波のものを使います。"}},
            {{"3", "車から給電", car}},
            {{"4", "発電機", gen}},
        };
        doc.table(steps);
        std::string clock_note;
        if (cut_clock_h) {
            const int minute = static_cast<int>(std::lround(*cut_clock_h * 60.0)) % (24 * 60);
            clock_note = "CPAPなど使う時間が決まっている機器は、停電が" +
                         std::to_string(minute / 60) + "時" +
                         (minute % 60 ? std::to_string(minute % 60) + "分" : std::string()) +
                         (cut_clock_assumed ? "（いちばん厳しい時刻）" : "（計画の想定）") +
                         "に起きたときの使い方で計算しています（1日の平均ではありません）。";
        }
        doc.note("計算式: 時間 = 容量Wh × 0.8 × 効率（AC 0.85／DC 0.9） ÷（1.25 × 平均消費電力 " +
                 fixed(avg_w, 0) + " W。加温加湿器などは人工鼻などに切り替えた後の値）。" +
                 clock_note +
                 "機器メーカーは蓄電池や車からの給電を保証していません。ご家族の判断で、事前に試"
                 "してください。");
    }

    // 4. Destination and route: keep the table and the whole-route map on one page.
    doc.keep(640);
    doc.heading("4. 避難先と経路");
    std::vector<std::pair<std::string, std::string>> dest;
    dest.push_back({"想定する災害", detail::hazard_label_ja(plan.hazard_kind)});
    // One answer in every section: with no place assigned, the standing destination for this
    // hazard (section 5's row) is a candidate to settle, not a destination.
    const auto* candidate = facility ? nullptr : standing_destination(plan, child);
    const bool stays = child.outcome == planner::Outcome::shelter_in_place;
    if (facility) {
        dest.push_back(
            {"避難先", facility->name + "（" + detail::facility_kind_ja(facility->kind) + "）"});
        for (const auto& [label, text] : facility_notes_ja(*facility))
            dest.push_back({label, text});
    } else if (stays) {
        dest.push_back({"避難の方法",
                        "在宅避難（自宅にとどまる）。条件と、移動するときの目安は 6. にあります"});
    } else {
        dest.push_back({"避難先", "この想定では、受け入れが決まった避難先はありません（このページの"
                                  "下の「避難先が決まっていないとき」）"});
        if (candidate) {
            dest.push_back({"相談して決める候補",
                            candidate->facility_name + "（" +
                                detail::facility_kind_ja(candidate->facility_kind) +
                                "、受け入れは未確定、" +
                                travel_text(candidate->travel_s, candidate->mode) + "）"});
        }
    }
    if (fallback != nullptr)
        dest.push_back(
            {"次の候補", fallback->name + "（" + detail::facility_kind_ja(fallback->kind) + "）"});
    if (child.primary) {
        dest.push_back({"経路", fixed(child.primary->length_m / 1000.0, 1) + " km、" +
                                    detail::format_duration_ja(child.primary->travel_s) + "（" +
                                    planner::mode_ja(child.primary->mode) + "、渋滞なしの目安）"});
    }
    if (child.alternate) {
        dest.push_back(
            {"別の経路（点線）", fixed(child.alternate->length_m / 1000.0, 1) + " km、" +
                                     detail::format_duration_ja(child.alternate->travel_s)});
    }
    if (const auto home = home_position_note_ja(child); !home.empty())
        dest.push_back({"自宅の位置", home});
    doc.key_values(dest, 0.25);
    if (const auto p = planner::parse_geocode_precision(child.home_precision);
        p == planner::GeocodePrecision::oaza) {
        doc.paragraph(
            "自宅の位置は住所の大字の代表点で、実際の家から1〜5 km離れていることがあります。" +
                std::string(planner::kCheckHomeOnMap) +
                "（担当者が地図で自宅の位置を直すと、経路と時間が正しくなります）。",
            {.size_pt = 9.5, .bold = true, .colour = {0.55, 0.1, 0.1}});
    }
    route_maps(plan, child, facility, fallback, doc, options, hazards);
    if (!facility && !stays) no_destination_block(plan, child, candidate, doc);
    doc.note("この冊子は「" + detail::hazard_label_ja(plan.hazard_kind) +
             "」の想定です。津波・土砂災害など別の災害のときの避難先は、次の「5. "
             "災害の種類ごとの避難先」を見てください。");

    hazard_destinations_section(plan, child, doc, options, hazards);

    // 5. Timing
    doc.heading("6. 避難を始めるタイミング");
    // The trigger of the plan's own hazard from the one table (data/hazard_triggers.toml); a
    // drill plans for heavy rain, so it takes the landslide row.
    const auto* trig = triggers_for(plan.hazard_kind == "drill" ? "landslide" : plan.hazard_kind);
    if (trig == nullptr) trig = triggers_for("flood");
    doc.paragraph(trig->headline, {.size_pt = 10.5, .bold = true});
    {
        detail::Table steps;
        steps.font_pt = 8.5;
        steps.columns = {{"合図", 2.2, Align::left}, {"すること", 4.0, Align::left}};
        for (const auto& st : trig->steps) steps.rows.push_back({{st.when, st.action}});
        doc.table(steps);
    }
    std::vector<std::pair<std::string, std::string>> timing;
    timing.push_back(
        {"出発の合図（" + trig->label + "）",
         trig->leave_at + (plan.t0_label.empty() ? std::string()
                                                 : "\nこの計画の想定の始まり: " + plan.t0_label)});
    if (stays) {
        std::string conditions;
        for (const auto& r : child.reasons)
            conditions += (conditions.empty() ? "" : "\n") + without_english(r);
        timing.push_back({"在宅避難の条件", conditions});
        if (child.arrive_by_s >= 0)
            timing.push_back({"電源に着く期限（燃料がないとき）",
                              detail::format_time_ja(plan, child.arrive_by_s)});
    } else if (child.status != planner::Feasibility::cannot_serve) {
        timing.push_back({"出発の予定", detail::format_time_ja(plan, child.planned_departure_s)});
        timing.push_back({"遅くともこの時刻までに出発",
                          child.latest_safe_departure_s >= 0
                              ? detail::format_time_ja(plan, child.latest_safe_departure_s)
                              : "計画期間内に出発の期限はありません"});
        if (child.arrival_s >= 0)
            timing.push_back({"到着の予定", detail::format_time_ja(plan, child.arrival_s)});
        if (child.leave_by_s >= 0)
            timing.push_back({"自宅を離れる期限", detail::format_time_ja(plan, child.leave_by_s)});
        if (child.arrive_by_s >= 0)
            timing.push_back({"電源に着く期限", detail::format_time_ja(plan, child.arrive_by_s)});
        timing.push_back({"時間の余裕", detail::format_duration_ja(child.margin_s) + "（" +
                                            std::string(planner::label_ja(child.binding)) +
                                            "まで）"});
    } else {
        timing.push_back(
            {"出発の時刻", "計画で決まっていません。支援センターと市町に相談してください。"});
    }
    timing.push_back({"停電の想定", detail::format_time_ja(plan, child.mains_lost_s)});
    if (child.hazard_at_home_s >= 0)
        timing.push_back(
            {"自宅に危険が及ぶ想定", detail::format_time_ja(plan, child.hazard_at_home_s)});
    doc.key_values(timing, 0.32);
    {
        doc.subheading("ほかの災害のときの出発の合図");
        detail::Table others;
        others.font_pt = 8.5;
        others.columns = {{"災害の種類", 1.3, Align::left}, {"出発の合図", 4.5, Align::left}};
        for (const auto& t : hazard_triggers()) {
            if (&t == trig) continue;
            others.rows.push_back({{t.label, t.leave_at}});
        }
        doc.table(others);
        std::string cited;
        for (const auto& src : trig->sources) cited += (cited.empty() ? "" : "／") + src.title;
        doc.note("津波と地震は警戒レベルの対象外で、揺れと津波警報が合図です。出典: " + cited +
                 "。");
    }

    // 6. Transport and helpers
    doc.heading("7. 移動手段と支援者");
    std::vector<std::pair<std::string, std::string>> transport{
        {"移動手段", std::string(planner::label_ja(child.transport))}};
    if (child.transport == planner::TransportKind::vehicle) {
        std::string v = child.vehicle_id;
        if (const auto* tour = find_tour(plan, child.vehicle_id)) {
            if (const auto type = vehicle_type_ja(tour->vehicle_type); !type.empty())
                v += "（" + type + "）";
            for (const auto& stop : tour->stops) {
                if (stop.kind == planner::StopKind::pickup && stop.child_id == child.child_id) {
                    transport.push_back(
                        {"迎えの到着予定", detail::format_time_ja(plan, stop.arrival_s)});
                }
            }
        }
        transport.insert(transport.begin() + 1, {"車両", v});
    }
    if (record != nullptr)
        transport.push_back(
            {"避難を手伝える大人（登録）", std::to_string(record->helpers) + " 人"});
    doc.key_values(transport, 0.3);
    detail::Table helpers;
    helpers.columns = {
        {"役割", 2.0, Align::left}, {"お名前", 1.6, Align::left}, {"電話", 1.6, Align::left}};
    helpers.rows = {
        {{"運転・車の準備", "", ""}},
        {{"抱っこ・移乗（" + detail::mobility_label_ja(child.mobility) + "）", "", ""}},
        {{"医療機器・荷物の運搬（" + std::to_string(devices.size()) + "台と持ち出し品）", "", ""}}};
    if (child.power.needs_nurse || child.power.needs_carer)
        helpers.rows.push_back({{"移動中のケア（" + role_list(child) + "）", "", ""}});
    helpers.rows.push_back({{"近所の支援者", "", ""}});
    doc.table(helpers);

    // 7. Supplies
    doc.heading("8. 持ち出し品・備蓄のチェックリスト");
    detail::Table list;
    list.columns = {{"✓", 0.35, Align::centre},
                    {"品目", 3.0, Align::left},
                    {"1日分", 1.0, Align::right},
                    {"3日分（持ち出し）", 1.3, Align::right},
                    {"14日分（自宅の備蓄）", 1.4, Align::right}};
    for (const auto& s : supplies(child, devices, record)) {
        if (s.stock > 0) {
            const std::string q = fixed(s.stock, 0) + s.unit;
            list.rows.push_back({{"□", s.name, q, q, q}});
            continue;
        }
        list.rows.push_back({{"□", s.name, quantity(s.per_day, 1, s.unit),
                              quantity(s.per_day, 3, s.unit), quantity(s.per_day, 14, s.unit)}});
    }
    list.rows.push_back(
        {{"□", "常備薬（予備1週間分以上）", "処方どおり", "処方どおり", "処方どおり"}});
    list.rows.push_back({{"□", "お薬手帳・保険証・受給者証・このガイドブック", "—", "—", "—"}});
    list.rows.push_back({{"□", "充電ケーブル・延長コード・正弦波インバーター", "—", "—", "—"}});
    doc.table(list);
    doc.note("3日分（72時間）は避難のときに持ち出し、14日分は自宅に備えます。数量は標準の目安なので"
             "、処方と普段の使用量に合わせて直してください。");

    // 8. Contacts
    doc.heading("9. 連絡先");
    const auto& centre = support_centre(region);
    if (!centre.name.empty()) {
        doc.key_values({{"支援センター", std::string(centre.name)},
                        {"運営", std::string(centre.runner)},
                        {"所在地", std::string(centre.address)},
                        {"電話／FAX", std::string(centre.tel) + "／" + std::string(centre.fax)},
                        {"メール", std::string(centre.email)},
                        {"受付時間", std::string(centre.hours)}},
                       0.25);
    }
    if (const auto* m = find_municipality(child.municipality_code);
        m != nullptr && !m->coordinator_offices.empty()) {
        std::string offices;
        for (const auto& o : m->coordinator_offices)
            offices += (offices.empty() ? "" : "、") + std::string(o);
        doc.key_values(
            {{std::string(m->name_ja) + "の医療的ケア児等コーディネーター配置先", offices}}, 0.35);
    }
    detail::Table contacts;
    contacts.columns = {
        {"連絡先", 2.0, Align::left}, {"名前・機関", 2.0, Align::left}, {"電話", 1.5, Align::left}};
    for (const char* who :
         {"主治医・病院", "訪問看護ステーション", "医療機器の業者（24時間窓口）", "相談支援専門員",
          "市町の障害福祉・防災の担当課", "電力会社", "近所の方・自治会", "緊急連絡先（家族）"}) {
        contacts.rows.push_back({{who, "", ""}});
    }
    doc.table(contacts);

    // 9. Review
    doc.heading("10. 見直しと訓練");
    // The plan it was made from is a row of the table, never a lone line that could spill
    // onto a page of its own.
    doc.key_values(
        {{"次回見直し日", detail::format_date_ja(review)},
         {"見直すとき", "機器・設定・体重・住所・支援者が変わったとき、少なくとも年1回"},
         {"訓練", "この計画で避難訓練をして、かかった時間と忘れ物を記録します"},
         {"もとにした計画",
          "「" + (plan.scenario_title.empty() ? plan.scenario_name : plan.scenario_title) + "」、" +
              std::to_string(plan.horizon_h) + "時間の想定" +
              (plan.approximate ? "。道路網を使わない直線距離の概算です（" +
                                      without_english(plan.approximation_note) + "）"
                                : "")}},
        0.25);

    family_pages(plan, child, devices, record, name, facility, doc);
}

} // namespace

std::vector<std::pair<std::string, std::string>>
guidebook_data_row(const Plan& plan, const std::string& child_id, const GuidebookOptions& options) {
    const auto it = std::find_if(plan.children.begin(), plan.children.end(),
                                 [&](const ChildPlan& c) { return c.child_id == child_id; });
    if (it == plan.children.end())
        throw InputError("this child is not in the plan", {.field = "child_id", .value = child_id});
    const auto& child = *it;
    const auto* record = registry_child(child_id, options);
    const auto name = printable_name(child_id, options);
    const auto devices = device_rows(child, record);
    const auto* facility = find_facility(plan, child.facility_id);
    const auto* fallback = find_facility(plan, child.fallback_facility_id);
    const auto* candidate = facility ? nullptr : standing_destination(plan, child);
    detail::Date issued = detail::today_jst();
    if (!options.issued_on.empty()) {
        const auto d = detail::parse_date(options.issued_on);
        if (!d)
            throw InputError("the issue date must be YYYY-MM-DD",
                             {.field = "issued_on", .value = options.issued_on});
        issued = *d;
    }
    const auto review = detail::add_months(issued, std::clamp(options.review_months, 1, 12));
    const auto* trig = triggers_for(plan.hazard_kind == "drill" ? "landslide" : plan.hazard_kind);
    if (trig == nullptr) trig = triggers_for("flood");

    std::vector<std::pair<std::string, std::string>> row;
    auto add = [&](std::string field, std::string value) {
        row.emplace_back(std::move(field), std::move(value));
    };
    add("児童ID", child.child_id);
    add("氏名", name);
    add("市町", municipality_name(child.municipality_code));
    add("移動のしかた", detail::mobility_label_ja(child.mobility));
    std::string care;
    for (const auto& c : child.care_items) care += (care.empty() ? "" : "、") + care_label_ja(c);
    add("医療的ケア", care);
    add("ケアができる人", role_list(child));
    std::string names;
    for (const auto& d : devices) names += (names.empty() ? "" : "・") + d.name;
    add("医療機器", names);
    add("平均の消費電力_W", fixed(child.power.load_avg_w, 0));
    add("同時に使う最大電力_W", fixed(child.power.load_peak_w, 0));
    // As the booklet (section 3): only for a child whose devices run on batteries or oxygen.
    add("停電から生命維持が続く時間", child.power.device_battery_h >= 0 || child.power.oxygen
                                          ? hours_text(child.power.endurance_h)
                                          : "");
    add("必要なコンセント_口", std::to_string(child.power.outlets));
    add("計画の判定", std::string(planner::label_ja(child.status)));
    add("想定する災害", detail::hazard_label_ja(plan.hazard_kind));
    add("避難先", facility ? facility->name : "");
    add("相談して決める候補", candidate ? candidate->facility_name : "");
    add("次の候補", fallback ? fallback->name : "");
    add("経路の距離_km", child.primary ? fixed(child.primary->length_m / 1000.0, 1) : "");
    add("経路の移動時間", child.primary ? detail::format_duration_ja(child.primary->travel_s) : "");
    add("別の経路の距離_km", child.alternate ? fixed(child.alternate->length_m / 1000.0, 1) : "");
    const auto plan_hazard = planner::parse_hazard(plan.hazard_kind);
    for (const auto hazard : planner::standing_plan_hazards()) {
        const std::string label(planner::guide_label_ja(hazard));
        const planner::HazardDestination* d = nullptr;
        for (const auto& x : child.destinations_by_hazard)
            if (x.hazard == planner::to_string(hazard)) d = &x;
        const bool plan_row = plan_hazard && *plan_hazard == hazard && facility != nullptr;
        add("避難先_" + label, plan_row ? facility->name : (d ? d->facility_name : ""));
        add("移動の目安_" + label,
            plan_row
                ? (child.primary ? travel_text(child.primary->travel_s, child.primary->mode) : "")
                : (d ? travel_text(d->travel_s, d->mode) : ""));
    }
    add("出発の合図", trig->leave_at);
    // A child planned to stay home does not depart: no departure times in its row.
    const bool timed = child.status != planner::Feasibility::cannot_serve &&
                       child.outcome != planner::Outcome::shelter_in_place;
    add("出発の予定", timed ? detail::format_time_ja(plan, child.planned_departure_s) : "");
    add("遅くともこの時刻までに出発",
        !timed ? ""
        : child.latest_safe_departure_s >= 0
            ? detail::format_time_ja(plan, child.latest_safe_departure_s)
            : "計画期間内に出発の期限はありません");
    add("停電の想定", detail::format_time_ja(plan, child.mains_lost_s));
    add("移動手段", std::string(planner::label_ja(child.transport)));
    add("車両", child.transport == planner::TransportKind::vehicle ? child.vehicle_id : "");
    add("避難を手伝える大人_人", record ? std::to_string(record->helpers) : "");
    std::string three, fourteen;
    for (const auto& sup : supplies(child, devices, record)) {
        // An item whose name already says 処方どおり gets no second 処方どおり as its amount.
        const bool as_prescribed =
            sup.per_day <= 0 && sup.name.find("処方どおり") != std::string::npos;
        three += (three.empty() ? "" : "、") + sup.name +
                 (as_prescribed ? "" : " " + quantity(sup.per_day, 3, sup.unit));
        fourteen += (fourteen.empty() ? "" : "、") + sup.name +
                    (as_prescribed ? "" : " " + quantity(sup.per_day, 14, sup.unit));
    }
    add("持ち出し品_3日分", three);
    add("自宅の備蓄_14日分", fourteen);
    add("電力会社", power_company(child.municipality_code));
    const auto& centre = support_centre(region_of(child.municipality_code));
    add("支援センター", std::string(centre.name));
    add("支援センターの電話", std::string(centre.tel));
    auto consent = [&](bool given) -> std::string {
        if (record == nullptr) return "この冊子の作成時に確かめていません（名簿を使わずに作成）";
        return given ? "同意あり" : "同意なし（記録のうえで）";
    };
    add("名簿提供の同意", consent(record != nullptr && record->consent.registry_sharing));
    add("計画提供の同意", consent(record != nullptr && record->consent.plan_sharing));
    add("登録の電話番号", !name.empty() && record ? record->personal.phone : "");
    std::string contacts;
    if (!name.empty() && record)
        for (const auto& c : record->personal.emergency_contacts)
            contacts += (contacts.empty() ? "" : "、") + c;
    add("登録の緊急連絡先", contacts);
    add("作成日", detail::format_date_ja(issued));
    add("次回見直し日", detail::format_date_ja(review));
    return row;
}

std::vector<std::filesystem::path>
write_guidebook_data(const Plan& plan, const std::filesystem::path& dir,
                     const GuidebookOptions& options,
                     const std::vector<std::filesystem::path>& inputs) {
    create_output_dir(dir);
    std::vector<std::string> ids;
    for (const auto& c : plan.children) ids.push_back(c.child_id);
    std::sort(ids.begin(), ids.end());
    std::vector<std::vector<std::string>> rows;
    for (const auto& id : ids) {
        const auto row = guidebook_data_row(plan, id, options);
        if (rows.empty()) {
            rows.emplace_back();
            for (const auto& [field, value] : row) rows.back().push_back(field);
        }
        rows.emplace_back();
        for (const auto& [field, value] : row) rows.back().push_back(value);
    }
    const auto csv = dir / "guidebook_data.csv";
    const auto xlsx = dir / "guidebook_data.xlsx";
    ensure_not_an_input(csv, inputs);
    ensure_not_an_input(xlsx, inputs);
    write_file_atomically(csv, planner::format_csv(rows), FileMode::personal);
    AtomicPath out(xlsx, FileMode::personal);
    geo::write_workbook(out.temp(), "ガイドブック", rows);
    out.commit();
    return {csv, xlsx};
}

std::vector<std::filesystem::path>
write_coordinator_summaries(const Plan& plan, const Plan& previous,
                            const std::filesystem::path& dir, const GuidebookOptions& options,
                            const std::string& only_child,
                            const std::vector<std::filesystem::path>& inputs) {
    create_output_dir(dir);
    std::vector<std::string> ids;
    auto collect = [&](const Plan& p) {
        for (const auto& c : p.children)
            if ((only_child.empty() || c.child_id == only_child) &&
                std::find(ids.begin(), ids.end(), c.child_id) == ids.end())
                ids.push_back(c.child_id);
    };
    collect(plan);
    collect(previous);
    if (!only_child.empty() && ids.empty())
        throw InputError("this child is in neither plan",
                         {.field = "--child", .value = only_child});
    std::sort(ids.begin(), ids.end());
    // The values a case meeting looks at first; any other changed value follows them.
    const std::vector<std::string> key_fields{"計画の判定",
                                              "避難先",
                                              "相談して決める候補",
                                              "経路の距離_km",
                                              "経路の移動時間",
                                              "出発の予定",
                                              "遅くともこの時刻までに出発",
                                              "移動手段",
                                              "車両",
                                              "停電から生命維持が続く時間",
                                              "同時に使う最大電力_W",
                                              "医療機器",
                                              "医療的ケア",
                                              "出発の合図"};
    detail::Date issued = detail::today_jst();
    if (!options.issued_on.empty()) {
        const auto d = detail::parse_date(options.issued_on);
        if (!d)
            throw InputError("the issue date must be YYYY-MM-DD",
                             {.field = "issued_on", .value = options.issued_on});
        issued = *d;
    }
    auto in = [](const Plan& p, const std::string& id) {
        return std::any_of(p.children.begin(), p.children.end(),
                           [&](const ChildPlan& c) { return c.child_id == id; });
    };
    std::vector<std::filesystem::path> written;
    for (const auto& id : ids) {
        const auto path =
            dir / ("summary_" + guidebook_file_name(id).substr(std::string("guidebook_").size()));
        ensure_not_an_input(path, inputs);
        const bool now = in(plan, id), before = in(previous, id);
        std::vector<std::pair<std::string, std::string>> a, b;
        if (now) a = guidebook_data_row(plan, id, options);
        if (before) b = guidebook_data_row(previous, id, options);
        auto value = [](const std::vector<std::pair<std::string, std::string>>& row,
                        const std::string& field) {
            for (const auto& [f, v] : row)
                if (f == field) return v;
            return std::string();
        };
        detail::Table table;
        table.font_pt = 8;
        table.columns = {{"項目", 1.5, Align::left},
                         {"前回の計画", 2.2, Align::left},
                         {"今回の計画", 2.2, Align::left},
                         {"", 0.5, Align::centre}};
        std::vector<std::string> fields = key_fields;
        for (const auto& [f, v] : (now ? a : b)) {
            if (std::find(fields.begin(), fields.end(), f) != fields.end()) continue;
            if (f == "作成日" || f == "次回見直し日") continue;
            if (value(a, f) != value(b, f) && now && before) fields.push_back(f);
        }
        int changed = 0;
        for (const auto& f : fields) {
            const auto va = value(a, f), vb = value(b, f);
            const bool diff = now && before && va != vb;
            changed += diff;
            detail::TableRow row{{f, before ? (vb.empty() ? "—" : vb) : "",
                                  now ? (va.empty() ? "—" : va) : "", diff ? "変更" : ""}};
            row.bold = diff;
            row.shaded = diff;
            table.rows.push_back(row);
        }
        AtomicPath out(path, FileMode::personal);
        {
            detail::DocumentInfo info;
            info.title = "担当者会議用の要約 " + id;
            info.subject = "医療的ケア児の個別避難計画（前回との比較）";
            info.author = "医療的ケア児等コーディネーター";
            info.running_head = "担当者会議用の要約　ID " + id;
            info.footer = "個人情報（要配慮個人情報）・取扱注意　ID " + id;
            info.create_date = detail::format_date_iso(issued) + "T00:00:00+09:00";
            PdfDocument doc(out.temp(), FileMode::personal, info);
            doc.title_block("担当者会議用の要約", "ID " + id + "　前回の計画との比較");
            std::string state;
            if (!before)
                state = "前回の計画にはいなかった子どもです（新しく計画に入りました）。";
            else if (!now)
                state = "今回の計画にはいません（転居・名簿からの削除などを確かめてください）。";
            else
                state = changed == 0 ? "前回の計画から変わった項目はありません。"
                                     : "前回の計画から " + std::to_string(changed) +
                                           " 項目が変わりました（「変更」の行）。";
            doc.paragraph(state, {.size_pt = 10.5, .bold = true});
            doc.key_values(
                {{"前回の計画", previous.scenario_title.empty() ? previous.scenario_name
                                                                : previous.scenario_title},
                 {"今回の計画",
                  plan.scenario_title.empty() ? plan.scenario_name : plan.scenario_title},
                 {"作成日", detail::format_date_ja(issued)}},
                0.25);
            doc.table(table);
            doc.note("変わった項目は、ご家族の冊子（災害の備えガイドブック）の該当ページと一緒に確"
                     "かめ、必要なら家族と支援者に伝えてください。");
            doc.finish();
        }
        out.commit();
        written.push_back(path);
    }
    return written;
}

std::string printable_name(const std::string& child_id, const GuidebookOptions& options) {
    if (!options.with_names) return {};
    const auto* record = registry_child(child_id, options);
    if (record == nullptr || !record->consent.plan_sharing) return {};
    return record->personal.name;
}

std::string guidebook_file_name(const std::string& child_id) {
    // One file per id (issue 24 item 3): every character not alphanumeric, '-' or '_' used to
    // become '_', so 「宇部1」 and 「下関1」 (both guidebook_______1.pdf) or UBE.4 and UBE_4 wrote
    // one file and a family's guidebook was lost. Now the id stays as it is (UTF-8 included;
    // the registry's id rules keep slashes, quotes and line breaks out) and only what some file
    // system refuses or a shell misreads is written %XX, '%' too, so no two ids share a name.
    std::string safe;
    for (const unsigned char c : child_id) {
        if (c < 0x20 || c == 0x7F ||
            std::string_view(" %:*?<>|/\\\"").find(static_cast<char>(c)) !=
                std::string_view::npos) {
            char hex[4];
            std::snprintf(hex, sizeof hex, "%%%02X", c);
            safe += hex;
        } else {
            safe += static_cast<char>(c);
        }
    }
    return "guidebook_" + safe + ".pdf";
}

void write_guidebook(const Plan& plan, const std::string& child_id,
                     const std::filesystem::path& pdf_path, const GuidebookOptions& options) {
    const auto it = std::find_if(plan.children.begin(), plan.children.end(),
                                 [&](const ChildPlan& c) { return c.child_id == child_id; });
    if (it == plan.children.end()) {
        throw InputError("this child is not in the plan", {.field = "child_id", .value = child_id});
    }
    detail::Date issued = detail::today_jst();
    if (!options.issued_on.empty()) {
        const auto d = detail::parse_date(options.issued_on);
        if (!d)
            throw InputError("the issue date must be YYYY-MM-DD",
                             {.field = "issued_on", .value = options.issued_on});
        issued = *d;
    }
    AtomicPath out(pdf_path, FileMode::personal);
    {
        detail::DocumentInfo info;
        info.title = "災害の備えガイドブック " + child_id;
        info.subject = "医療的ケア児の個別避難計画";
        info.author = municipality_name(it->municipality_code) +
                      "の医療的ケア児 個別避難計画（担当者会議用）";
        info.running_head = "災害の備えガイドブック　ID " + child_id;
        info.footer = "個人情報（要配慮個人情報）・取扱注意　ID " + child_id;
        info.create_date = detail::format_date_iso(issued) + "T00:00:00+09:00";
        PdfDocument doc(out.temp(), FileMode::personal, info);
        doc.on_page_done = options.on_page_done;
        render(plan, *it, doc, options, issued);
        doc.finish();
    }
    out.commit();
}

std::vector<std::filesystem::path>
write_guidebooks(const Plan& plan, const std::filesystem::path& dir,
                 const GuidebookOptions& options, const std::string& only_child,
                 const std::vector<std::filesystem::path>& inputs) {
    create_output_dir(dir);
    std::vector<const ChildPlan*> children;
    for (const auto& c : plan.children)
        if (only_child.empty() || c.child_id == only_child) children.push_back(&c);
    if (!only_child.empty() && children.empty()) {
        throw InputError("this child is not in the plan",
                         {.field = "--child", .value = only_child});
    }
    std::sort(children.begin(), children.end(),
              [](auto* a, auto* b) { return a->child_id < b->child_id; });
    std::vector<std::filesystem::path> written;
    for (const auto* c : children) {
        const auto path = dir / guidebook_file_name(c->child_id);
        ensure_not_an_input(path, inputs);
        write_guidebook(plan, c->child_id, path, options);
        written.push_back(path);
    }
    return written;
}

} // namespace sonae::report
