#include "report/council_report.hpp"

#include "geo/atomic_file.hpp"
#include "geo/error.hpp"
#include "geo/gis_writer.hpp"
#include "planner/csv.hpp"
#include "planner/device_catalogue.hpp"
#include "report/care_catalog.hpp"
#include "report/detail/blocks.hpp"
#include "report/detail/labels.hpp"
#include "report/regions.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>

namespace sonae::report {

namespace {

using detail::Align;
using detail::fixed;
using planner::ChildPlan;
using planner::Feasibility;
using planner::Plan;

constexpr std::int64_t kMinChildrenForQuantiles = 10;

std::string care_code(const std::string& raw) {
    if (const auto item = planner::parse_care_item(raw)) return std::string(planner::info(*item).code);
    return raw;
}

int region_order(Region r) { return r == Region::east ? 0 : (r == Region::west ? 1 : 2); }

// A fixed metric grid over Yamaguchi (origin and scale do not depend on the data, so a cell
// is the same cell in every report and scenario).
constexpr double kGridLon0 = 130.5;
constexpr double kGridLat0 = 33.5;
constexpr double kGridLatRef = 34.2;
double grid_kx() { return 111320.0 * std::cos(kGridLatRef * M_PI / 180.0); }
constexpr double kGridKy = 110574.0;

/// One row of the area tables: a municipality, a region subtotal or the prefecture.
struct Area {
    enum class Kind : unsigned char { municipality, region, prefecture } kind = Kind::municipality;
    std::string code;                 ///< municipality code, empty for others
    Region region = Region::unknown;
    std::string label;
    std::size_t total = 0, on_time = 0, at_risk = 0, cannot = 0;
    std::vector<std::size_t> care;    ///< cell per care code
    std::vector<std::size_t> device;  ///< cell per device id
};

struct GridCell {
    long ix = 0, iy = 0;
    std::size_t cell = 0;
    std::set<std::string> municipalities;
};

struct Band {
    std::string label;
    std::size_t cell = 0;
};

/// Every count of one plan's council report, suppressed together.
struct Aggregates {
    SuppressedTable t;
    std::vector<Area> areas;          ///< regions' municipalities, region subtotal, ..., prefecture last
    std::vector<std::string> care_codes;
    std::vector<std::string> device_ids;
    std::vector<Band> margin_bins;
    std::optional<std::size_t> arrived;
    std::vector<std::pair<const planner::FacilityPlan*, std::size_t>> facilities;
    std::vector<GridCell> grid;
    bool simulated = false;
    std::vector<Band> miss_bands, battery_bands, arrival_bands;
    std::optional<std::size_t> sim_total;
    std::vector<double> margins_min;  ///< of arrived children, for prefecture quantiles

    const Area& prefecture() const { return areas.back(); }
    const Area* find_area(Area::Kind kind, const std::string& key) const {
        for (const auto& a : areas) {
            if (a.kind != kind) continue;
            if (kind == Area::Kind::prefecture) return &a;
            if (kind == Area::Kind::municipality && a.code == key) return &a;
            if (kind == Area::Kind::region && std::string(region_label_ja(a.region)) == key) return &a;
        }
        return nullptr;
    }
};

std::vector<Band> add_bands(SuppressedTable& t, const std::vector<std::string>& labels, const std::vector<std::int64_t>& counts) {
    std::vector<Band> bands;
    for (std::size_t i = 0; i < labels.size(); ++i) bands.push_back({labels[i], t.add(counts[i])});
    return bands;
}

std::vector<std::size_t> cells_of(const std::vector<Band>& bands) {
    std::vector<std::size_t> out;
    for (const auto& b : bands) out.push_back(b.cell);
    return out;
}

Aggregates aggregate(const Plan& plan, const CouncilOptions& options) {
    Aggregates agg;
    auto& t = agg.t;
    std::set<std::string> care_set, device_set;
    for (const auto& c : plan.children) {
        for (const auto& item : c.care_items) care_set.insert(care_code(item));
        for (const auto& d : c.power.devices) device_set.insert(d);
    }
    agg.care_codes.assign(care_set.begin(), care_set.end());
    agg.device_ids.assign(device_set.begin(), device_set.end());

    // Municipalities in region order, then code order.
    std::map<std::string, std::vector<const ChildPlan*>> by_muni;
    for (const auto& c : plan.children) by_muni[c.municipality_code].push_back(&c);
    std::vector<std::string> munis;
    for (const auto& [code, list] : by_muni) munis.push_back(code);
    std::stable_sort(munis.begin(), munis.end(), [](const std::string& a, const std::string& b) {
        return region_order(region_of(a)) < region_order(region_of(b));
    });

    auto add_area = [&](Area area, const std::vector<const ChildPlan*>& children) {
        const int keep = area.kind == Area::Kind::prefecture ? 2 : (area.kind == Area::Kind::region ? 1 : 0);
        std::int64_t on = 0, risk = 0, cannot = 0;
        std::vector<std::int64_t> care(agg.care_codes.size()), dev(agg.device_ids.size());
        for (const auto* c : children) {
            on += c->status == Feasibility::on_time;
            risk += c->status == Feasibility::at_risk;
            cannot += c->status == Feasibility::cannot_serve;
            std::set<std::string> codes;
            for (const auto& item : c->care_items) codes.insert(care_code(item));
            for (std::size_t k = 0; k < agg.care_codes.size(); ++k) care[k] += codes.count(agg.care_codes[k]);
            std::set<std::string> devs(c->power.devices.begin(), c->power.devices.end());
            for (std::size_t k = 0; k < agg.device_ids.size(); ++k) dev[k] += devs.count(agg.device_ids[k]);
        }
        // Totals are kept visible longer than their parts.
        area.total = t.add(static_cast<std::int64_t>(children.size()), keep + 1);
        area.on_time = t.add(on, keep);
        area.at_risk = t.add(risk, keep);
        area.cannot = t.add(cannot, keep);
        t.relate(area.total, {area.on_time, area.at_risk, area.cannot});
        for (auto v : care) area.care.push_back(t.add(v, keep));
        for (auto v : dev) area.device.push_back(t.add(v, keep));
        agg.areas.push_back(std::move(area));
        return agg.areas.size() - 1;
    };
    auto relate_sum = [&](std::size_t total_area, const std::vector<std::size_t>& parts) {
        auto col = [&](auto member) {
            std::vector<std::size_t> cells;
            for (auto p : parts) cells.push_back(member(agg.areas[p]));
            t.relate(member(agg.areas[total_area]), cells);
        };
        col([](const Area& a) { return a.total; });
        col([](const Area& a) { return a.on_time; });
        col([](const Area& a) { return a.at_risk; });
        col([](const Area& a) { return a.cannot; });
        for (std::size_t k = 0; k < agg.care_codes.size(); ++k) col([k](const Area& a) { return a.care[k]; });
        for (std::size_t k = 0; k < agg.device_ids.size(); ++k) col([k](const Area& a) { return a.device[k]; });
    };

    std::vector<std::size_t> region_rows;
    for (Region region : {Region::east, Region::west, Region::unknown}) {
        std::vector<std::size_t> rows;
        std::vector<const ChildPlan*> region_children;
        for (const auto& code : munis) {
            if (region_of(code) != region) continue;
            Area a{.kind = Area::Kind::municipality, .code = code, .region = region, .label = municipality_name(code)};
            rows.push_back(add_area(a, by_muni[code]));
            region_children.insert(region_children.end(), by_muni[code].begin(), by_muni[code].end());
        }
        if (rows.empty()) continue;
        Area r{.kind = Area::Kind::region, .region = region,
               .label = region == Region::unknown ? "地域不明の計" : std::string(region_label_ja(region)) + "地域（" +
                                                                       std::string(support_centre(region).name) + "）の計"};
        const auto row = add_area(r, region_children);
        relate_sum(row, rows);
        region_rows.push_back(row);
    }
    std::vector<const ChildPlan*> all;
    for (const auto& c : plan.children) all.push_back(&c);
    const auto pref = add_area({.kind = Area::Kind::prefecture, .label = "県全体"}, all);
    relate_sum(pref, region_rows);
    const auto& P = agg.areas[pref];

    // Margins of the children who arrive.
    std::vector<std::int64_t> bins(5);
    for (const auto& c : plan.children) {
        if (c.arrival_s < 0) continue;
        const double m = static_cast<double>(c.margin_s) / 60.0;
        agg.margins_min.push_back(m);
        bins[m < 0 ? 0 : m < 30 ? 1 : m < 60 ? 2 : m < 120 ? 3 : 4]++;
    }
    agg.margin_bins = add_bands(t, {"遅れ（0分未満）", "0〜30分", "30〜60分", "60〜120分", "120分以上"}, bins);
    const auto arrived = static_cast<std::int64_t>(agg.margins_min.size());
    agg.arrived = t.add(arrived, 2);
    t.relate(*agg.arrived, cells_of(agg.margin_bins));
    if (arrived == t.value(P.on_time) + t.value(P.at_risk)) t.relate(*agg.arrived, {P.on_time, P.at_risk});

    // Facility assignments.
    std::vector<std::size_t> fac_cells;
    std::int64_t assigned_total = 0;
    for (const auto& f : plan.facilities) {
        std::int64_t n = 0;
        for (const auto& c : plan.children) n += c.facility_id == f.facility_id && c.status != Feasibility::cannot_serve;
        assigned_total += n;
        agg.facilities.push_back({&f, t.add(n)});
        fac_cells.push_back(agg.facilities.back().second);
    }
    if (!fac_cells.empty() && assigned_total == t.value(P.on_time) + t.value(P.at_risk)) {
        t.relate(*agg.arrived, fac_cells);
    }

    // Homes per grid cell.
    std::map<std::pair<long, long>, std::pair<std::int64_t, std::set<std::string>>> cells;
    for (const auto& c : plan.children) {
        const long ix = static_cast<long>(std::floor((c.home.lon - kGridLon0) * grid_kx() / options.grid_m));
        const long iy = static_cast<long>(std::floor((c.home.lat - kGridLat0) * kGridKy / options.grid_m));
        auto& cell = cells[{ix, iy}];
        ++cell.first;
        cell.second.insert(c.municipality_code);
    }
    // Cells under the threshold are not drawn at all (not even as "<3"): a reader who knew how
    // many small cells there are could split the remainder of the total among them. The
    // cells are therefore not related to the total.
    for (const auto& [key, value] : cells) agg.grid.push_back({key.first, key.second, t.add(value.first), value.second});

    // Simulation bands.
    if (options.simulation != nullptr) {
        agg.simulated = true;
        const auto& sim = *options.simulation;
        std::map<std::string, std::int64_t> deadline;
        for (const auto& c : plan.children) deadline[c.child_id] = c.deadline_s;
        std::vector<std::int64_t> miss(4), battery(4), arrival(4);
        for (const auto& c : sim.children) {
            const double p = c.p_miss_deadline;
            miss[p < 0.01 ? 0 : p < 0.05 ? 1 : p < 0.2 ? 2 : 3]++;
            const double b = c.battery_margin_h.p5;
            battery[b < 0 ? 0 : b < 2 ? 1 : b < 6 ? 2 : 3]++;
            const double a = c.arrival_s.p95 / 60.0;
            arrival[a < 60 ? 0 : a < 120 ? 1 : a < 240 ? 2 : 3]++;
        }
        agg.miss_bands = add_bands(t, {"1%未満", "1〜5%", "5〜20%", "20%以上"}, miss);
        agg.battery_bands = add_bands(t, {"不足（0時間未満）", "0〜2時間", "2〜6時間", "6時間以上"}, battery);
        agg.arrival_bands = add_bands(t, {"60分未満", "60〜120分", "120〜240分", "240分以上"}, arrival);
        const auto n = static_cast<std::int64_t>(sim.children.size());
        std::size_t total_cell = P.total;
        if (n != t.value(P.total)) {
            agg.sim_total = t.add(n);
            total_cell = *agg.sim_total;
        }
        t.relate(total_cell, cells_of(agg.miss_bands));
        t.relate(total_cell, cells_of(agg.battery_bands));
        t.relate(total_cell, cells_of(agg.arrival_bands));
    }
    t.apply(options.rule);
    return agg;
}

std::string shortage_label_ja(const std::string& item) {
    if (item == "power_kw") return "発電出力";
    if (item == "energy_kwh") return "電力量";
    if (item == "fuel_l") return "燃料";
    if (item == "outlets") return "コンセント";
    if (item == "nurses") return "看護師";
    if (item == "carers") return "介護職員";
    if (item == "capacity") return "受入れ枠";
    return item;
}

std::string shortage_unit(const std::string& item) {
    if (item == "power_kw") return " kW";
    if (item == "energy_kwh") return " kWh";
    if (item == "fuel_l") return " L";
    if (item == "outlets") return " 口";
    if (item == "nurses" || item == "carers") return " 人";
    return "";
}

std::string quantile_text(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    auto q = [&](double p) {
        const double pos = p * static_cast<double>(values.size() - 1);
        const auto lo = static_cast<std::size_t>(std::floor(pos));
        const auto hi = std::min(lo + 1, values.size() - 1);
        return values[lo] + (values[hi] - values[lo]) * (pos - static_cast<double>(lo));
    };
    return "p5 " + fixed(q(0.05), 0) + "分／p50 " + fixed(q(0.5), 0) + "分／p95 " + fixed(q(0.95), 0) + "分";
}

std::vector<detail::Bar> bars(const Aggregates& agg, const std::vector<Band>& bands, detail::Colour colour) {
    std::vector<detail::Bar> out;
    for (const auto& b : bands) {
        detail::Bar bar;
        bar.label = b.label;
        bar.suppressed = !agg.t.shown(b.cell);
        bar.value = bar.suppressed ? 0 : static_cast<double>(agg.t.value(b.cell));
        bar.text = agg.t.text(b.cell);
        bar.colour = colour;
        out.push_back(bar);
    }
    return out;
}

/// Drops the part of a route within `clip_m` of the home (straight-line distance), so the
/// drawn line never leads to the house.
std::vector<geo::LonLat> clip_route(const std::vector<geo::LonLat>& points, geo::LonLat home, double clip_m) {
    const double kx = 111320.0 * std::cos(home.lat * M_PI / 180.0);
    auto dist = [&](const geo::LonLat& p) {
        const double dx = (p.lon - home.lon) * kx, dy = (p.lat - home.lat) * kGridKy;
        return std::sqrt(dx * dx + dy * dy);
    };
    std::vector<geo::LonLat> out;
    bool outside = false;
    for (std::size_t i = 0; i < points.size(); ++i) {
        const double d = dist(points[i]);
        if (!outside && d >= clip_m) {
            outside = true;
            if (i > 0) {
                // Start exactly where the segment leaves the circle.
                const double d0 = dist(points[i - 1]);
                const double f = d - d0 > 1e-9 ? (clip_m - d0) / (d - d0) : 0.0;
                out.push_back({points[i - 1].lon + (points[i].lon - points[i - 1].lon) * f,
                               points[i - 1].lat + (points[i].lat - points[i - 1].lat) * f});
            }
        }
        if (outside) {
            if (d < clip_m) break; // the route comes back near the home: stop drawing
            out.push_back(points[i]);
        }
    }
    return out;
}

std::string area_label(const Area& a) {
    if (a.kind == Area::Kind::municipality) return a.label + "（" + std::string(region_label_ja(a.region)) + "）";
    return a.label;
}

void status_table(const Aggregates& agg, detail::Blocks& out) {
    detail::Table table;
    table.font_pt = 9;
    table.columns = {{"市町・地域", 3.0, Align::left},  {"対象児", 1.0, Align::right}, {"間に合う", 1.0, Align::right},
                     {"要注意（余裕30分未満）", 1.3, Align::right}, {"対応できない", 1.1, Align::right}};
    for (const auto& a : agg.areas) {
        table.rows.push_back({{area_label(a), agg.t.text(a.total), agg.t.text(a.on_time), agg.t.text(a.at_risk), agg.t.text(a.cannot)},
                              a.kind != Area::Kind::municipality, a.kind == Area::Kind::region});
    }
    out.table(table);
}

void count_table(const Aggregates& agg, detail::Blocks& out, bool care) {
    const auto& keys = care ? agg.care_codes : agg.device_ids;
    if (keys.empty()) {
        out.paragraph(care ? "医療的ケアの登録はありません。" : "医療機器の登録はありません。");
        return;
    }
    // At most 7 columns per table so that A4 stays readable; more become further tables.
    for (std::size_t start = 0; start < keys.size(); start += 7) {
        const std::size_t end = std::min(keys.size(), start + 7);
        detail::Table table;
        table.font_pt = 8.5;
        table.columns.push_back({"市町・地域", 2.6, Align::left});
        for (std::size_t k = start; k < end; ++k)
            table.columns.push_back({care ? care_label_ja(keys[k]) : device_label_ja(keys[k]), 1.0, Align::right});
        for (const auto& a : agg.areas) {
            detail::TableRow row{{area_label(a)}, a.kind != Area::Kind::municipality, a.kind == Area::Kind::region};
            for (std::size_t k = start; k < end; ++k) row.cells.push_back(agg.t.text(care ? a.care[k] : a.device[k]));
            table.rows.push_back(row);
        }
        out.table(table);
    }
}

void facility_table(const Aggregates& agg, detail::Blocks& out) {
    if (agg.facilities.empty()) {
        out.paragraph("計画で使われた避難先はありません。");
        return;
    }
    detail::Table table;
    table.font_pt = 8.5;
    table.columns = {{"避難先（公表施設）", 2.6, Align::left}, {"市町", 1.0, Align::left}, {"受入れ児", 0.8, Align::right},
                     {"発電出力 kW", 0.9, Align::right},  {"必要出力 kW", 0.9, Align::right}, {"余裕 kW", 0.8, Align::right},
                     {"燃料 L（必要／備蓄）", 1.2, Align::right}, {"不足", 2.0, Align::left}};
    for (const auto& [f, cell] : agg.facilities) {
        const double headroom = f->generator_kw - f->peak_kw;
        std::string shortages;
        for (const auto& s : f->shortages) {
            shortages += (shortages.empty() ? "" : "\n") + shortage_label_ja(s.item) + ": 必要 " + fixed(s.needed, 1) +
                         shortage_unit(s.item) + "／あり " + fixed(s.available, 1) + shortage_unit(s.item);
        }
        table.rows.push_back({{f->name + "\n" + detail::facility_kind_ja(f->kind), municipality_name(f->municipality_code),
                               agg.t.text(cell), fixed(f->generator_kw, 1), fixed(f->peak_kw, 2),
                               (headroom < 0 ? "▲" : "") + fixed(std::fabs(headroom), 2),
                               fixed(f->fuel_needed_l, 0) + "／" + fixed(f->fuel_l, 0), shortages.empty() ? "なし" : shortages},
                              false, !f->shortages.empty()});
    }
    out.table(table);
    out.note("▲は不足。必要出力は受け入れる子どもの機器を同時に使ったときの合計（計画の値）。網掛けの行は不足がある避難先。");
}

void maps(const Plan& plan, const Aggregates& agg, const CouncilOptions& options, detail::Blocks& out) {
    for (const auto& area : agg.areas) {
        if (area.kind != Area::Kind::municipality) continue;
        std::vector<detail::MapCell> cells;
        const double kx = grid_kx();
        std::int64_t max_count = 1;
        for (const auto& g : agg.grid) max_count = std::max(max_count, agg.t.value(g.cell));
        for (const auto& g : agg.grid) {
            if (!g.municipalities.count(area.code) || !agg.t.shown(g.cell)) continue;
            const geo::LonLat sw{kGridLon0 + static_cast<double>(g.ix) * options.grid_m / kx,
                                 kGridLat0 + static_cast<double>(g.iy) * options.grid_m / kGridKy};
            const geo::LonLat ne{sw.lon + options.grid_m / kx, sw.lat + options.grid_m / kGridKy};
            const double shade = static_cast<double>(agg.t.value(g.cell)) / static_cast<double>(max_count);
            cells.push_back({sw, ne, agg.t.text(g.cell), shade});
        }
        std::vector<detail::MapLine> lines;
        std::set<std::string> used;
        // Routes of a town with fewer children than the threshold would single them out.
        const bool draw_routes = agg.t.value(area.total) >= options.rule.threshold;
        for (const auto& c : plan.children) {
            if (c.municipality_code != area.code) continue;
            if (!c.facility_id.empty()) used.insert(c.facility_id);
            if (draw_routes && c.primary) {
                auto clipped = clip_route(c.primary->geometry, c.home, options.route_clip_m);
                if (clipped.size() >= 2) lines.push_back({std::move(clipped), {0.85, 0.3, 0.1}, 1.8, false});
            }
        }
        std::vector<detail::MapMarker> markers;
        for (const auto& [f, cell] : agg.facilities) {
            if (used.count(f->facility_id) || f->municipality_code == area.code) {
                markers.push_back({f->location, f->name, {0.8, 0.1, 0.1}, detail::MapMarker::Shape::cross, 6});
            }
        }
        out.subheading(area.label);
        if (!draw_routes && cells.empty()) {
            out.paragraph("子どもの数が" + std::to_string(options.rule.threshold) +
                          "人未満のため、経路と自宅の集計は地図に示しません。");
            if (markers.empty()) continue;
        }
        out.drawing(270, [cells, lines, markers, grid = options.grid_m](cairo_t* cr, const detail::Rect& r) {
            detail::draw_map(cr, r, cells, lines, markers,
                             {{{0.85, 0.3, 0.1}, "避難経路（自宅付近は非表示）"},
                              {{0.7, 0.45, 0.7}, "自宅の数（" + fixed(grid / 1000.0, 1) + "km四方ごと）"},
                              {{0.8, 0.1, 0.1}, "避難先"}});
        });
    }
}

void comparison(const Plan& a_plan, const Aggregates& a, const Plan& b_plan, const Aggregates& b, detail::Blocks& out) {
    out.heading("7. シナリオ比較（A／B）");
    out.key_values({{"シナリオA", a_plan.scenario_name + "　" + a_plan.scenario_title},
                    {"シナリオB", b_plan.scenario_name + "　" + b_plan.scenario_title}});
    // Headline sentences for the differences that are shown on both sides.
    std::vector<std::string> lines;
    auto headline = [&](const std::string& what, std::size_t ca, std::size_t cb) {
        const auto d = format_difference(a.t.value(ca), a.t.shown(ca), b.t.value(cb), b.t.shown(cb));
        lines.push_back(what + ": A " + a.t.text(ca) + " → B " + b.t.text(cb) + (d == "—" ? "（差は秘匿）" : "（" + d + "）"));
    };
    headline("対象児", a.prefecture().total, b.prefecture().total);
    headline("間に合う", a.prefecture().on_time, b.prefecture().on_time);
    headline("要注意", a.prefecture().at_risk, b.prefecture().at_risk);
    headline("対応できない", a.prefecture().cannot, b.prefecture().cannot);
    std::string text;
    for (const auto& l : lines) text += "・" + l + "\n";
    out.paragraph(text);

    detail::Table table;
    table.font_pt = 8.5;
    table.columns = {{"市町・地域", 2.6, Align::left}, {"区分", 1.2, Align::left}, {"A", 0.8, Align::right},
                     {"B", 0.8, Align::right}, {"差（B−A）", 0.9, Align::right}};
    std::vector<std::pair<Area::Kind, std::string>> keys;
    for (const auto* agg : {&a, &b}) {
        for (const auto& area : agg->areas) {
            const std::string key = area.kind == Area::Kind::municipality ? area.code : std::string(region_label_ja(area.region));
            if (std::find(keys.begin(), keys.end(), std::pair{area.kind, key}) == keys.end()) keys.push_back({area.kind, key});
        }
    }
    std::stable_sort(keys.begin(), keys.end(), [](const auto& x, const auto& y) {
        auto rank = [](const auto& k) { return k.first == Area::Kind::prefecture ? 0 : (k.first == Area::Kind::region ? 1 : 2); };
        return rank(x) < rank(y);
    });
    for (const auto& [kind, key] : keys) {
        const Area* x = a.find_area(kind, key);
        const Area* y = b.find_area(kind, key);
        const std::string label = x ? area_label(*x) : area_label(*y);
        const std::pair<const char*, std::size_t Area::*> metrics[] = {
            {"対象児", &Area::total}, {"間に合う", &Area::on_time}, {"要注意", &Area::at_risk}, {"対応できない", &Area::cannot}};
        bool first = true;
        for (const auto& [name, member] : metrics) {
            // An area absent from one plan has a true zero there.
            const std::string at = x ? a.t.text(x->*member) : "0";
            const std::string bt = y ? b.t.text(y->*member) : "0";
            const auto d = format_difference(x ? a.t.value(x->*member) : 0, x ? a.t.shown(x->*member) : true,
                                             y ? b.t.value(y->*member) : 0, y ? b.t.shown(y->*member) : true);
            table.rows.push_back({{first ? label : "", name, at, bt, d}, kind != Area::Kind::municipality, false});
            first = false;
        }
    }
    out.table(table);

    out.subheading("避難先の電源の比較");
    detail::Table fac;
    fac.font_pt = 8.5;
    fac.columns = {{"避難先", 2.6, Align::left}, {"A: 余裕 kW", 1.0, Align::right}, {"B: 余裕 kW", 1.0, Align::right},
                   {"A: 不足", 1.4, Align::left}, {"B: 不足", 1.4, Align::left}};
    std::map<std::string, std::pair<const planner::FacilityPlan*, const planner::FacilityPlan*>> both;
    for (const auto& f : a_plan.facilities) both[f.facility_id].first = &f;
    for (const auto& f : b_plan.facilities) both[f.facility_id].second = &f;
    auto headroom = [](const planner::FacilityPlan* f) {
        if (f == nullptr) return std::string("—");
        const double h = f->generator_kw - f->peak_kw;
        return (h < 0 ? "▲" : "") + fixed(std::fabs(h), 2);
    };
    auto short_text = [](const planner::FacilityPlan* f) {
        if (f == nullptr) return std::string("（使われない）");
        std::string s;
        for (const auto& x : f->shortages) s += (s.empty() ? "" : "、") + shortage_label_ja(x.item);
        return s.empty() ? std::string("なし") : s;
    };
    for (const auto& [id, pair] : both) {
        const auto* f = pair.first ? pair.first : pair.second;
        fac.rows.push_back({{f->name, headroom(pair.first), headroom(pair.second), short_text(pair.first), short_text(pair.second)},
                            false, short_text(pair.first) != short_text(pair.second)});
    }
    out.table(fac);
    out.note("差は、A と B の両方の数が表示されている場合だけ示します（一方が「<3」や「x」なら「—」）。網掛けは不足の状況が変わった避難先。");
}

detail::Blocks build(const Plan& plan, const Aggregates& agg, const CouncilOptions& options, const detail::Date& issued,
                     const Plan* compare, const Aggregates* compare_agg) {
    detail::Blocks out;
    out.title("医療的ケア児の避難計画　協議の場への報告",
              (plan.scenario_title.empty() ? plan.scenario_name : plan.scenario_title) + "\n想定: " +
                  detail::hazard_label_ja(plan.hazard_kind) + "　作成日: " + detail::format_date_ja(issued));
    out.paragraph("この報告は集計値だけを載せています。氏名・住所・児童ID・自宅の位置は含みません。1人または2人の数は「<3」、"
                  "他の欄から小さい数が計算できてしまう欄は「x」と表示します（8章）。",
                  true);

    const auto& P = agg.prefecture();
    out.heading("1. 概要");
    std::vector<std::pair<std::string, std::string>> summary{
        {"対象の子ども", agg.t.text(P.total) + " 人"},
        {"間に合う／要注意／対応できない", agg.t.text(P.on_time) + "／" + agg.t.text(P.at_risk) + "／" + agg.t.text(P.cannot)},
        {"想定の合図", plan.t0_label.empty() ? "警戒レベル3 高齢者等避難" : plan.t0_label},
        {"計画の時間幅", std::to_string(plan.horizon_h) + " 時間"}};
    if (static_cast<std::int64_t>(agg.margins_min.size()) >= kMinChildrenForQuantiles) {
        summary.push_back({"到着時の余裕（県全体）", quantile_text(agg.margins_min)});
    } else {
        summary.push_back({"到着時の余裕（県全体）", "人数が少ないため分位数は示しません（" +
                                                         std::to_string(kMinChildrenForQuantiles) + "人以上で表示）"});
    }
    std::int64_t short_count = 0;
    for (const auto& [f, cell] : agg.facilities) short_count += !f->shortages.empty();
    summary.push_back({"使われる避難先／不足のある避難先", std::to_string(agg.facilities.size()) + "／" + std::to_string(short_count)});
    summary.push_back({"シミュレーション", options.simulation ? options.simulation->label + "（" + std::to_string(options.simulation->runs) + "回）"
                                                              : "未実施（計画の値のみ）"});
    out.key_values(summary);
    if (plan.approximate) out.note("道路網なしの概算です: " + plan.approximation_note);

    out.heading("2. 市町別・支援センター地域別の状況");
    status_table(agg, out);
    out.note("要注意: 到着できるが期限までの余裕が" + std::to_string(plan.at_risk_threshold_s / 60) +
             "分未満。対応できない: 受け入れ先・移動手段・経路のいずれかが期限内に確保できない。");

    out.heading("3. 医療的ケアと医療機器の内訳");
    out.subheading("医療的ケア（1人が複数に該当）");
    count_table(agg, out, true);
    out.subheading("医療機器（その機器を使う子どもの数）");
    count_table(agg, out, false);

    out.heading("4. 避難にかかる時間の分布");
    const auto margin_bars = bars(agg, agg.margin_bins, {0.25, 0.45, 0.7});
    out.drawing(190, [margin_bars](cairo_t* cr, const detail::Rect& r) {
        detail::draw_bar_chart(cr, r, "計画: 到着時の期限までの余裕（人数）", margin_bars, "人");
    });
    if (agg.simulated) {
        const auto& sim = *options.simulation;
        const auto miss = bars(agg, agg.miss_bands, {0.75, 0.35, 0.2});
        const auto battery = bars(agg, agg.battery_bands, {0.3, 0.55, 0.35});
        const auto arrival = bars(agg, agg.arrival_bands, {0.45, 0.4, 0.65});
        out.drawing(190, [miss](cairo_t* cr, const detail::Rect& r) {
            detail::draw_bar_chart(cr, r, "シミュレーション: 期限に遅れる確率（人数）", miss, "人");
        });
        out.drawing(190, [battery](cairo_t* cr, const detail::Rect& r) {
            detail::draw_bar_chart(cr, r, "シミュレーション: 到着時のバッテリー残り（p5、人数）", battery, "人");
        });
        out.drawing(190, [arrival](cairo_t* cr, const detail::Rect& r) {
            detail::draw_bar_chart(cr, r, "シミュレーション: 到着時刻 p95（発令から、人数）", arrival, "人");
        });
        std::vector<double> completion;
        for (double s : sim.completion_s) completion.push_back(s / 60.0);
        out.drawing(200, [completion](cairo_t* cr, const detail::Rect& r) {
            detail::draw_cdf(cr, r, "シミュレーション: 全員の避難が終わる時刻の分布", completion, "発令からの分");
        });
        if (sim.runs_incomplete > 0) {
            out.note(std::to_string(sim.runs_incomplete) + " 回の試行では、全員が到着しませんでした（上の分布に含みません）。");
        }
    } else {
        for (const char* title : {"シミュレーション: 期限に遅れる確率", "シミュレーション: 到着時のバッテリー残り",
                                  "シミュレーション: 全員の避難が終わる時刻の分布"}) {
            out.drawing(110, [title = std::string(title)](cairo_t* cr, const detail::Rect& r) {
                detail::draw_not_simulated(cr, r, title);
            });
        }
    }

    out.heading("5. 避難先の電源の余裕と不足");
    facility_table(agg, out);

    out.heading("6. 地図（避難先・経路・自宅の集計）");
    out.note("自宅は" + fixed(options.grid_m / 1000.0, 1) + "km四方のマスごとの人数だけを示し、" +
             std::to_string(options.rule.threshold) + "人未満のマスは描きません。子どもが" + std::to_string(options.rule.threshold) +
             "人未満の市町は経路も描きません。経路は自宅から" +
             fixed(options.route_clip_m / 1000.0, 1) + "km以内の部分を描きません。ハザード区域は計画ファイルに含まれないため表示していません。");
    maps(plan, agg, options, out);

    if (compare != nullptr && compare_agg != nullptr) comparison(plan, agg, *compare, *compare_agg, out);

    out.heading(compare ? "8. 集計と秘匿のルール" : "7. 集計と秘匿のルール");
    out.paragraph("・1人または2人の数は「<" + std::to_string(options.rule.threshold) + "」と表示します（小さな町では1人でも個人が特定できるため）。"
                  + (options.rule.suppress_zero ? "0も同じく表示しません。" : "0は誰も特定しないため、そのまま「0」と表示します。") +
                  "\n・市町の行、地域の小計、県全体の計、到着時間の区分、避難先ごとの受入れ数、地図のマスは互いに足し算の関係にあります。"
                  "表示された数から「<3」の欄が計算できてしまう場合は、同じ足し算に含まれる一番小さい別の欄（なければ合計）も隠して「x」と表示します。"
                  "これを、計算できる小さな数がなくなるまで繰り返します。\n・A/B 比較の差は、両方の数が表示されている場合だけ示します。"
                  "\n・地図のマスは" + std::to_string(options.rule.threshold) + "人以上のものだけを描き、小さいマスは数も位置も示しません。"
                  "\n・分位数は到着する子どもが" + std::to_string(kMinChildrenForQuantiles) + "人以上のときだけ県全体で示します。");
    return out;
}

std::string csv_text(const std::vector<std::vector<std::string>>& rows) {
    return planner::format_csv(rows); // UTF-8 with BOM, CRLF: opens in Excel directly
}

std::vector<std::vector<std::string>> area_csv(const Aggregates& agg) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header{"区分", "市町コード", "市町・地域", "支援センター地域", "対象児", "間に合う", "要注意", "対応できない"};
    for (const auto& c : agg.care_codes) header.push_back("ケア:" + care_label_ja(c));
    for (const auto& d : agg.device_ids) header.push_back("機器:" + device_label_ja(d));
    rows.push_back(header);
    for (const auto& a : agg.areas) {
        std::vector<std::string> row{a.kind == Area::Kind::municipality ? "市町" : (a.kind == Area::Kind::region ? "地域計" : "県計"),
                                     a.code, a.label, a.kind == Area::Kind::prefecture ? "" : std::string(region_label_ja(a.region)),
                                     agg.t.text(a.total), agg.t.text(a.on_time), agg.t.text(a.at_risk), agg.t.text(a.cannot)};
        for (auto c : a.care) row.push_back(agg.t.text(c));
        for (auto d : a.device) row.push_back(agg.t.text(d));
        rows.push_back(row);
    }
    return rows;
}

std::vector<std::vector<std::string>> facility_csv(const Aggregates& agg) {
    std::vector<std::vector<std::string>> rows{{"避難先ID", "避難先", "種類", "市町", "受入れ児", "発電出力kW", "必要出力kW", "余裕kW",
                                                "必要燃料L", "備蓄燃料L", "必要コンセント", "必要看護師", "不足"}};
    for (const auto& [f, cell] : agg.facilities) {
        std::string shortages;
        for (const auto& s : f->shortages)
            shortages += (shortages.empty() ? "" : "; ") + shortage_label_ja(s.item) + " " + fixed(s.needed, 2) + "/" + fixed(s.available, 2);
        rows.push_back({f->facility_id, f->name, detail::facility_kind_ja(f->kind), municipality_name(f->municipality_code),
                        agg.t.text(cell), fixed(f->generator_kw, 2), fixed(f->peak_kw, 2), fixed(f->generator_kw - f->peak_kw, 2),
                        fixed(f->fuel_needed_l, 1), fixed(f->fuel_l, 1), std::to_string(f->outlets_needed),
                        std::to_string(f->nurses_needed), shortages});
    }
    return rows;
}

/// A count for the GIS: the printed text ("12", "<3", "x") and the number only when shown.
void add_count(std::vector<geo::FieldValue>& values, const SuppressedTable& t, std::size_t cell) {
    values.emplace_back(t.text(cell));
    if (t.shown(cell)) values.emplace_back(t.value(cell));
    else values.emplace_back(std::monostate{});
}

/// council.gpkg: the council's aggregates for QGIS, with the same cells and the same
/// suppression as the CSV files (one SuppressedTable for everything). Public facilities as
/// points; municipal rows at a point inside the municipality (regions.hpp
/// representative_point), region and prefecture rows without geometry. No homes, no routes
/// (see the notes layer), no child ids.
std::vector<geo::Layer> council_layers(const Plan& plan, const Aggregates& agg, const CouncilOptions& options) {
    std::vector<geo::Layer> layers;

    geo::Layer fac{.name = "facilities", .geometry_type = geo::GeometryType::point};
    for (const auto* f : {"facility_id", "name", "kind", "municipality_code", "municipality", "assigned"})
        fac.add_field(f, geo::FieldType::string);
    fac.add_field("assigned_n", geo::FieldType::int64);
    for (const auto* f : {"generator_kw", "peak_kw", "headroom_kw", "fuel_needed_l", "fuel_l"})
        fac.add_field(f, geo::FieldType::real);
    fac.add_field("outlets_needed", geo::FieldType::int64);
    fac.add_field("nurses_needed", geo::FieldType::int64);
    fac.add_field("shortages", geo::FieldType::string);
    for (const auto& [f, cell] : agg.facilities) {
        std::string shortages;
        for (const auto& sh : f->shortages)
            shortages += (shortages.empty() ? "" : "; ") + shortage_label_ja(sh.item) + " " + fixed(sh.needed, 2) + "/" +
                         fixed(sh.available, 2);
        std::vector<geo::FieldValue> v{f->facility_id, f->name, detail::facility_kind_ja(f->kind), f->municipality_code,
                                       municipality_name(f->municipality_code)};
        add_count(v, agg.t, cell);
        v.insert(v.end(), {f->generator_kw, f->peak_kw, f->generator_kw - f->peak_kw, f->fuel_needed_l, f->fuel_l,
                           f->outlets_needed, f->nurses_needed, shortages});
        fac.add_feature(f->location, std::move(v));
    }
    layers.push_back(std::move(fac));

    geo::Layer areas{.name = "municipal_aggregates", .geometry_type = geo::GeometryType::point};
    for (const auto* f : {"level", "municipality_code", "name", "region"}) areas.add_field(f, geo::FieldType::string);
    for (const auto* f : {"children", "on_time", "at_risk", "cannot_serve"}) {
        areas.add_field(f, geo::FieldType::string);
        areas.add_field(std::string(f) + "_n", geo::FieldType::int64);
    }
    for (const auto& c : agg.care_codes) areas.add_field("care_" + c, geo::FieldType::string);
    for (const auto& d : agg.device_ids) areas.add_field("device_" + d, geo::FieldType::string);
    for (const auto& a : agg.areas) {
        std::vector<geo::FieldValue> v{
            std::string(a.kind == Area::Kind::municipality ? "municipality" : (a.kind == Area::Kind::region ? "region" : "prefecture")),
            a.code, a.label, a.kind == Area::Kind::prefecture ? std::string() : std::string(region_label_ja(a.region))};
        for (auto cell : {a.total, a.on_time, a.at_risk, a.cannot}) add_count(v, agg.t, cell);
        for (auto c : a.care) v.emplace_back(agg.t.text(c));
        for (auto d : a.device) v.emplace_back(agg.t.text(d));
        geo::Geometry where;
        if (a.kind == Area::Kind::municipality) {
            if (const auto p = representative_point(a.code)) where = *p;
        }
        areas.add_feature(std::move(where), std::move(v));
    }
    layers.push_back(std::move(areas));

    geo::Layer notes{.name = "notes", .geometry_type = geo::GeometryType::point};
    notes.add_field("topic", geo::FieldType::string);
    notes.add_field("text", geo::FieldType::string);
    const std::string threshold = std::to_string(options.rule.threshold);
    const std::vector<std::pair<std::string, std::string>> rows{
        {"scenario", plan.scenario_name + " " + plan.scenario_title + " (" + plan.hazard_kind + ")"},
        {"suppression", "Counts 1.." + std::to_string(options.rule.threshold - 1) + " are \"<" + threshold +
                            "\"; a count that could be recomputed from the others is hidden as \"x\" (same cells as "
                            "council_by_area.csv and council_facilities.csv). *_n columns hold the number only when shown."},
        {"municipal_aggregates", "Municipal rows sit at a point inside the municipality (point on surface of its "
                                 "国土数値情報 N03 行政区域 polygon), not at a home or the office; region and prefecture rows "
                                 "have no geometry. 出典：国土数値情報（行政区域データ）（国土交通省）を加工して作成"},
        {"routes", "No routes or route corridors: every route starts at a home, and in a town with few children a "
                   "corridor that can be zoomed and intersected with the road map leads back to the house even when "
                   "its first kilometre is cut (the PDF map draws clipped routes for towns with at least " +
                       threshold + " children only)."},
        {"homes", "No home locations, names, addresses or child ids."},
    };
    for (const auto& [topic, text] : rows) notes.add_feature(std::monostate{}, {topic, text});
    layers.push_back(std::move(notes));
    return layers;
}

} // namespace

CouncilOutputs write_council_report(const Plan& plan, const std::filesystem::path& dir, const CouncilOptions& options,
                                    const Plan* compare, const std::vector<std::filesystem::path>& inputs) {
    if (options.grid_m <= 0) throw InputError("the grid cell size must be positive", {.field = "grid_m", .value = fixed(options.grid_m, 0)});
    detail::Date issued = detail::today_jst();
    if (!options.issued_on.empty()) {
        const auto d = detail::parse_date(options.issued_on);
        if (!d) throw InputError("the issue date must be YYYY-MM-DD", {.field = "issued_on", .value = options.issued_on});
        issued = *d;
    }
    create_output_dir(dir);
    CouncilOutputs outputs;
    outputs.pdf = dir / "council_report.pdf";
    outputs.html = dir / "council_report.html";
    outputs.csv = {dir / "council_by_area.csv", dir / "council_facilities.csv"};
    outputs.gpkg = dir / "council.gpkg";
    for (const auto& p : {outputs.pdf, outputs.html, outputs.csv[0], outputs.csv[1], outputs.gpkg}) ensure_not_an_input(p, inputs);

    const auto agg = aggregate(plan, options);
    std::optional<Aggregates> compare_agg;
    if (compare != nullptr) {
        CouncilOptions b_options = options;
        b_options.simulation = nullptr; // the summary belongs to plan A
        compare_agg.emplace(aggregate(*compare, b_options));
    }
    const auto blocks = build(plan, agg, options, issued, compare, compare_agg ? &*compare_agg : nullptr);
    const std::string footer = "集計値のみ（個人情報を含みません）　小さな数は「<" + std::to_string(options.rule.threshold) +
                               "」「x」で秘匿　sonae " + plan.scenario_name;

    {
        AtomicPath out(outputs.pdf, FileMode::shared);
        {
            detail::DocumentInfo info;
            info.title = "医療的ケア児の避難計画 協議の場への報告 " + plan.scenario_name;
            info.subject = "集計報告";
            info.running_head = "医療的ケア児の避難計画　協議の場への報告（" + plan.scenario_name + "）";
            info.footer = footer;
            info.create_date = detail::format_date_iso(issued) + "T00:00:00+09:00";
            detail::PdfDocument doc(out.temp(), FileMode::shared, info);
            doc.on_page_done = options.on_page_done;
            detail::render_pdf(blocks.blocks(), doc);
            doc.finish();
        }
        out.commit();
    }
    write_file_atomically(outputs.html, detail::render_html(blocks.blocks(), "協議の場への報告 " + plan.scenario_name, footer),
                          FileMode::shared);
    write_file_atomically(outputs.csv[0], csv_text(area_csv(agg)), FileMode::shared);
    write_file_atomically(outputs.csv[1], csv_text(facility_csv(agg)), FileMode::shared);
    geo::write_geopackage(outputs.gpkg, council_layers(plan, agg, options), FileMode::shared);
    return outputs;
}

} // namespace sonae::report
