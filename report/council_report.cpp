#include "report/council_report.hpp"

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/stats.hpp"
#include "geo/gis_writer.hpp"
#include "geo/qgis_style.hpp"
#include "planner/csv.hpp"
#include "planner/device_catalogue.hpp"
#include "planner/labels.hpp"
#include "report/care_catalog.hpp"
#include "report/detail/blocks.hpp"
#include "report/detail/labels.hpp"
#include "report/detail/simulation_bands.hpp"
#include "report/regions.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <unordered_map>

namespace sonae::report {

namespace {

using detail::Align;
using detail::fixed;
using planner::ChildPlan;
using planner::Feasibility;
using planner::Plan;

std::string care_code(const std::string& raw) {
    if (const auto item = planner::parse_care_item(raw))
        return std::string(planner::info(*item).code);
    return raw;
}

int region_order(Region r) {
    return r == Region::east ? 0 : (r == Region::west ? 1 : 2);
}

// A fixed metric grid over Yamaguchi (origin and scale do not depend on the data, so a cell
// is the same cell in every report and scenario).
constexpr double kGridLon0 = 130.5;
constexpr double kGridLat0 = 33.5;
constexpr double kGridLatRef = 34.2;
double grid_kx() {
    return 111320.0 * std::cos(kGridLatRef * M_PI / 180.0);
}
constexpr double kGridKy = 110574.0;

/// One row of the area tables: a municipality, the small municipalities of a region merged,
/// a region subtotal or the prefecture.
struct Area {
    enum class Kind : unsigned char {
        municipality,
        merged,
        region,
        prefecture
    } kind = Kind::municipality;
    std::string code; ///< municipality code, empty for others
    Region region = Region::unknown;
    std::string label;
    std::size_t total = 0, on_time = 0, at_risk = 0, cannot = 0;
    std::vector<std::size_t> care;   ///< cell per care code (empty in a comparison's plan B)
    std::vector<std::size_t> device; ///< cell per device id
    std::size_t municipalities = 0;  ///< merged: how many municipalities
};

struct GridCell {
    long ix = 0, iy = 0;
    std::size_t cell = 0;
    std::string municipality; ///< the cell counts the homes of this municipality only
};

struct Band {
    std::string label;
    std::size_t cell = 0;
};

/// Which parts of the report a plan's cells are published in.
enum class Part : unsigned char {
    full,       ///< the report's own plan (A): every table, chart and map
    comparison, ///< plan B of a comparison: status per area and children per facility
};

/// Every count of one plan's part of the release (cells of the shared SuppressedTable).
struct Aggregates {
    SuppressedTable& t;
    std::vector<Area>
        areas; ///< regions' municipalities, merged row, region subtotal, ..., prefecture last
    std::vector<std::string> care_codes;
    std::vector<std::string> device_ids;
    std::vector<Band> margin_bins;
    /// Timing (issue 17): each deadline's own slack for the children who arrive (the margin
    /// bins' edges, then "no such deadline"), the outcomes and when to set off.
    std::vector<Band> leave_bins, power_bins;
    std::optional<std::size_t> evacuate, stay;
    std::vector<Band> alert_bands; ///< level 3, level 4, at once (tsunami, earthquake), not said
    std::vector<std::pair<const planner::FacilityPlan*, std::size_t>> facilities;
    std::vector<GridCell> grid;
    bool simulated = false;
    bool collapsed = false; ///< municipalities reported within their regions only
    std::vector<Band> miss_bands, battery_bands, arrival_bands;
    std::optional<std::size_t> sim_total;
    std::size_t arrived = 0; ///< children who arrive (margins exist)
    std::string quantiles;   ///< "p10 … ／p50 … ／p90 …" or empty (group too small)

    const Area& prefecture() const { return areas.back(); }
    /// Key of an area across plans A and B: code, "merged:<region>", "region:<region>",
    /// "prefecture".
    static std::string key(const Area& a) {
        switch (a.kind) {
        case Area::Kind::municipality: return a.code;
        case Area::Kind::merged: return "merged:" + std::string(region_label_ja(a.region));
        case Area::Kind::region: return "region:" + std::string(region_label_ja(a.region));
        case Area::Kind::prefecture: return "prefecture";
        }
        return {};
    }
    const Area* find_area(const std::string& k) const {
        for (const auto& a : areas)
            if (key(a) == k) return &a;
        return nullptr;
    }
};

std::vector<Band> add_bands(SuppressedTable& t, const std::vector<std::string>& labels,
                            const std::vector<std::int64_t>& counts) {
    std::vector<Band> bands;
    for (std::size_t i = 0; i < labels.size(); ++i) bands.push_back({labels[i], t.add(counts[i])});
    return bands;
}

std::vector<std::size_t> cells_of(const std::vector<Band>& bands) {
    std::vector<std::size_t> out;
    for (const auto& b : bands) out.push_back(b.cell);
    return out;
}

/// The planner's margin bins in minutes: late, [0, T), [T, 2T), [2T, 4T), 4T and more, with T
/// the scenario's at-risk threshold, so the second bin is exactly the at-risk column.
std::vector<double> margin_edges_min(const Plan& plan) {
    const double t = static_cast<double>(plan.at_risk_threshold_s) / 60.0;
    return {0.0, t, 2 * t, 4 * t};
}

std::string minutes_label(double m) {
    return fixed(m, 0) + "分";
}

/// The program's quantile (core/stats.hpp) of a sorted sample, and the rank of the order
/// statistic below it (the suppression rule looks at how many children lie below a quantile).
double quantile(const std::vector<double>& sorted, double p, std::size_t* lower_rank = nullptr) {
    if (lower_rank)
        *lower_rank =
            static_cast<std::size_t>(std::floor(p * static_cast<double>(sorted.size() - 1)));
    return core::quantile_sorted(sorted, p);
}

Aggregates aggregate(const Plan& plan, const CouncilOptions& options, SuppressedTable& t, Part part,
                     bool collapse) {
    Aggregates agg{.t = t};
    agg.collapsed = collapse;
    const bool full = part == Part::full;
    const std::int64_t threshold = options.rule.threshold;
    std::set<std::string> care_set, device_set;
    if (full) {
        for (const auto& c : plan.children) {
            for (const auto& item : c.care_items) care_set.insert(care_code(item));
            for (const auto& d : c.power.devices) device_set.insert(d);
        }
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
        const int keep =
            area.kind == Area::Kind::prefecture ? 2 : (area.kind == Area::Kind::region ? 1 : 0);
        std::int64_t on = 0, risk = 0, cannot = 0;
        std::vector<std::int64_t> care(agg.care_codes.size()), dev(agg.device_ids.size());
        for (const auto* c : children) {
            on += c->status == Feasibility::on_time;
            risk += c->status == Feasibility::at_risk;
            cannot += c->status == Feasibility::cannot_serve;
            std::set<std::string> codes;
            for (const auto& item : c->care_items) codes.insert(care_code(item));
            for (std::size_t k = 0; k < agg.care_codes.size(); ++k)
                care[k] += codes.count(agg.care_codes[k]);
            std::set<std::string> devs(c->power.devices.begin(), c->power.devices.end());
            for (std::size_t k = 0; k < agg.device_ids.size(); ++k)
                dev[k] += devs.count(agg.device_ids[k]);
        }
        // Totals are kept visible longer than their parts.
        area.total = t.add(static_cast<std::int64_t>(children.size()), keep + 1);
        area.on_time = t.add(on, keep);
        area.at_risk = t.add(risk, keep);
        area.cannot = t.add(cannot, keep);
        t.relate(area.total, {area.on_time, area.at_risk, area.cannot});
        for (auto v : care) area.care.push_back(t.add(v, keep));
        for (auto v : dev) area.device.push_back(t.add(v, keep));
        // A care item or device is a subset of the children: at most the total.
        for (auto c : area.care) t.at_most({c}, {area.total});
        for (auto c : area.device) t.at_most({c}, {area.total});
        // A row whose size is hidden prints no zeros either: "0" against a hidden 1 would
        // profile that child (no ventilator, no oxygen, ...).
        if (area.kind != Area::Kind::prefecture) {
            for (auto cell : {area.on_time, area.at_risk, area.cannot})
                t.hide_with(cell, area.total);
            for (auto cell : area.care) t.hide_with(cell, area.total);
            for (auto cell : area.device) t.hide_with(cell, area.total);
        }
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
        for (std::size_t k = 0; k < agg.care_codes.size(); ++k)
            col([k](const Area& a) { return a.care[k]; });
        for (std::size_t k = 0; k < agg.device_ids.size(); ++k)
            col([k](const Area& a) { return a.device[k]; });
    };

    std::vector<std::size_t> region_rows;
    for (Region region : {Region::east, Region::west, Region::unknown}) {
        std::vector<std::size_t> rows;
        std::vector<const ChildPlan*> region_children, merged_children;
        std::size_t merged = 0;
        for (const auto& code : munis) {
            if (region_of(code) != region) continue;
            const auto& list = by_muni[code];
            region_children.insert(region_children.end(), list.begin(), list.end());
            // A municipality under the threshold has no row of its own (its profile would be
            // one or two children's): it is counted in its region's merged row.
            if (collapse || static_cast<std::int64_t>(list.size()) < threshold) {
                merged_children.insert(merged_children.end(), list.begin(), list.end());
                ++merged;
                continue;
            }
            Area a{.kind = Area::Kind::municipality,
                   .code = code,
                   .region = region,
                   .label = municipality_name(code)};
            rows.push_back(add_area(a, list));
        }
        if (region_children.empty()) continue;
        if (!merged_children.empty() && !collapse) {
            Area m{.kind = Area::Kind::merged,
                   .region = region,
                   .label = region == Region::unknown
                                ? "地域不明の市町"
                                : "その他の市町（" + std::string(region_label_ja(region)) + "）",
                   .municipalities = merged};
            rows.push_back(add_area(m, merged_children));
        }
        Area r{.kind = Area::Kind::region,
               .region = region,
               .label = region == Region::unknown
                            ? "地域不明の計"
                            : std::string(region_label_ja(region)) + "地域（" +
                                  std::string(support_centre(region).name) + "）の計"};
        const auto row = add_area(r, region_children);
        if (!rows.empty()) relate_sum(row, rows);
        region_rows.push_back(row);
    }
    std::vector<const ChildPlan*> all;
    for (const auto& c : plan.children) all.push_back(&c);
    const auto pref = add_area({.kind = Area::Kind::prefecture, .label = "県全体"}, all);
    relate_sum(pref, region_rows);
    const auto& P = agg.areas[pref];

    // Facility assignments: a facility row exists only if a child who arrives uses it (the
    // reader knows each printed row is at least 1).
    std::vector<std::size_t> fac_cells;
    for (const auto& f : plan.facilities) {
        std::int64_t n = 0;
        // The shelter needs' rule (planner::arrives_at_facility): the counts match the needs.
        for (const auto& c : plan.children)
            n += c.facility_id == f.facility_id && planner::arrives_at_facility(c);
        if (n == 0) continue;
        agg.facilities.push_back({&f, t.add(n, 0, 1)});
        fac_cells.push_back(agg.facilities.back().second);
    }
    t.equal_if_true(fac_cells, {P.on_time, P.at_risk});
    if (!full) return agg;

    // Margins of the children who arrive, in bins whose second edge is the at-risk threshold.
    const auto edges = margin_edges_min(plan);
    std::vector<std::int64_t> bins(5);
    std::vector<double> margins;
    for (const auto& c : plan.children) {
        if (c.arrival_s < 0) continue;
        const double m = static_cast<double>(c.margin_s) / 60.0;
        margins.push_back(m);
        std::size_t b = 0;
        while (b < edges.size() && m >= edges[b]) ++b;
        bins[b]++;
    }
    agg.arrived = margins.size();
    agg.margin_bins = add_bands(t,
                                {"遅れ（0分未満）", "0〜" + minutes_label(edges[1]),
                                 minutes_label(edges[1]) + "〜" + minutes_label(edges[2]),
                                 minutes_label(edges[2]) + "〜" + minutes_label(edges[3]),
                                 minutes_label(edges[3]) + "以上"},
                                bins);
    const auto bin_cells = cells_of(agg.margin_bins);
    // What the reader knows: the second bin is the at-risk column, the last three the on-time
    // one, late arrivals cannot be served (declared where the data agrees).
    t.relate_if_true(P.at_risk, {bin_cells[1]});
    t.relate_if_true(P.on_time, {bin_cells[2], bin_cells[3], bin_cells[4]});
    t.at_most_if_true({bin_cells[0]}, {P.cannot});
    t.at_most_if_true(bin_cells, {P.total});

    // Each deadline's own slack (issue 17: leave_by - departure, arrive_by - on power), for the
    // children of the margin bins. The margin is the smaller of the slacks (and the road's),
    // so fewer children have a slack under each edge than a margin under it.
    std::vector<std::int64_t> leave(6), power(6);
    auto bin_of = [&](std::int64_t slack_s) {
        const double m = static_cast<double>(slack_s) / 60.0;
        std::size_t b = 0;
        while (b < edges.size() && m >= edges[b]) ++b;
        return b;
    };
    for (const auto& c : plan.children) {
        if (c.arrival_s < 0) continue;
        leave[c.leave_by_s >= 0 ? bin_of(c.leave_by_s - c.planned_departure_s) : 5]++;
        power[c.arrive_by_s >= 0 && c.on_power_s >= 0 ? bin_of(c.arrive_by_s - c.on_power_s) : 5]++;
    }
    std::vector<std::string> slack_labels;
    for (const auto& b : agg.margin_bins) slack_labels.push_back(b.label);
    slack_labels.push_back("期限なし");
    agg.leave_bins = add_bands(t, slack_labels, leave);
    agg.power_bins = add_bands(t, slack_labels, power);
    for (const auto* bands : {&agg.leave_bins, &agg.power_bins}) {
        const auto cells = cells_of(*bands);
        t.equal_if_true(cells, bin_cells);
        for (std::size_t k = 1; k < bin_cells.size(); ++k) {
            t.at_most_if_true(
                {cells.begin(), cells.begin() + static_cast<std::ptrdiff_t>(k)},
                {bin_cells.begin(), bin_cells.begin() + static_cast<std::ptrdiff_t>(k)});
        }
    }

    // The outcomes (evacuate, stay home, cannot be served) and, for those who evacuate, when
    // to set off (DOMAIN.md section 7): at level 3 to be safe, could wait for level 4, at once
    // (tsunami, earthquake), not said (no level4_min in the scenario).
    std::int64_t evacuate = 0, stay = 0;
    std::vector<std::int64_t> alerts(4);
    for (const auto& c : plan.children) {
        if (c.outcome == planner::Outcome::shelter_in_place) ++stay;
        if (c.outcome != planner::Outcome::evacuate) continue;
        ++evacuate;
        alerts[c.alert == "level3"      ? 0
               : c.alert == "level4"    ? 1
               : c.alert == "immediate" ? 2
                                        : 3]++;
    }
    agg.evacuate = t.add(evacuate);
    agg.stay = t.add(stay);
    t.relate_if_true(P.total, {*agg.evacuate, *agg.stay, P.cannot});
    t.at_most_if_true({*agg.stay}, {P.on_time});
    agg.alert_bands =
        add_bands(t,
                  {"警戒レベル3（高齢者等避難）で出発", "警戒レベル4（避難指示）まで待てる",
                   "揺れがおさまったらすぐ出発（津波・地震）", "指定なし"},
                  alerts);
    t.relate(*agg.evacuate, cells_of(agg.alert_bands));

    // Quantiles: only for a large enough group, rounded, and declared as what they say about
    // the bins: at least lo+1 margins lie below the upper end of the rounding interval, at
    // least n-lo-1 at or above its lower end.
    if (static_cast<std::int64_t>(margins.size()) >= kCouncilQuantileMinGroup) {
        std::sort(margins.begin(), margins.end());
        const double step = kCouncilQuantileRoundMin;
        std::string text;
        for (double p : {0.1, 0.5, 0.9}) {
            std::size_t lo = 0;
            const double q = quantile(margins, p, &lo);
            const double r = std::round(q / step) * step;
            text += (text.empty() ? "" : "／") + ("p" + std::to_string(static_cast<int>(p * 100))) +
                    " 約" + fixed(r, 0) + "分";
            const double upper = r + step / 2, lower = r - step / 2;
            std::vector<std::size_t> below_upper, at_or_above_lower;
            for (std::size_t b = 0; b < bin_cells.size(); ++b) {
                const double b_lo = b == 0 ? -1e18 : edges[b - 1];
                const double b_hi = b < edges.size() ? edges[b] : 1e18;
                if (b_lo <= upper) below_upper.push_back(bin_cells[b]);
                if (b_hi > lower) at_or_above_lower.push_back(bin_cells[b]);
            }
            t.at_least(below_upper, static_cast<std::int64_t>(lo) + 1);
            t.at_least(at_or_above_lower, static_cast<std::int64_t>(margins.size() - lo) - 1);
        }
        agg.quantiles = text;
    }

    // Homes per grid cell, per municipality that has a row of its own (a cell is drawn on the
    // map of that municipality only, counting its homes only). Drawn only with at least
    // `threshold` homes; a cell that is not drawn is never a cell of the release.
    std::map<std::tuple<std::string, long, long>, std::int64_t> cells;
    for (const auto& c : plan.children) {
        const long ix =
            static_cast<long>(std::floor((c.home.lon - kGridLon0) * grid_kx() / options.grid_m));
        const long iy =
            static_cast<long>(std::floor((c.home.lat - kGridLat0) * kGridKy / options.grid_m));
        ++cells[{c.municipality_code, ix, iy}];
    }
    std::map<std::string, std::vector<std::size_t>> grid_of;
    for (const auto& [key, value] : cells) {
        const auto& [code, ix, iy] = key;
        if (value < threshold) continue;
        const auto* area = agg.find_area(code);
        if (area == nullptr) continue;
        agg.grid.push_back({ix, iy, t.add(value, -1), code});
        grid_of[code].push_back(agg.grid.back().cell);
    }
    for (const auto& [code, list] : grid_of) t.at_most(list, {agg.find_area(code)->total});

    // Simulation bands.
    if (options.simulation != nullptr) {
        agg.simulated = true;
        const auto& sim = *options.simulation;
        // A child the plan keeps at home has no deadline to miss and, like a child the plan
        // cannot serve, no arrival: each gets a band of its own (before, their arrival "0"
        // counted as 60分未満, their home's endurance as battery left, and a stay at home as a
        // missed deadline in every run).
        std::map<std::string, planner::Outcome, std::less<>> outcome_of;
        for (const auto& c : plan.children) outcome_of[c.child_id] = c.outcome;
        std::vector<std::int64_t> miss(5), battery(5), arrival(5);
        for (const auto& c : sim.children) {
            const auto found = outcome_of.find(c.child_id);
            const auto b = detail::simulation_bands(
                found == outcome_of.end() ? planner::Outcome::evacuate : found->second, c);
            miss[b.miss]++;
            battery[b.battery]++;
            arrival[b.arrival]++;
        }
        const auto labels = [](const auto& bands) {
            return std::vector<std::string>(bands.begin(), bands.end());
        };
        agg.miss_bands = add_bands(t, labels(detail::kMissBands), miss);
        agg.battery_bands = add_bands(t, labels(detail::kBatteryBands), battery);
        agg.arrival_bands = add_bands(t, labels(detail::kArrivalBands), arrival);
        const auto n = static_cast<std::int64_t>(sim.children.size());
        std::size_t total_cell = P.total;
        if (n != t.value(P.total)) {
            agg.sim_total = t.add(n);
            total_cell = *agg.sim_total;
        }
        t.relate(total_cell, cells_of(agg.miss_bands));
        t.relate(total_cell, cells_of(agg.battery_bands));
        t.relate(total_cell, cells_of(agg.arrival_bands));
        // A child who cannot be served misses the deadline in every run (probability 1).
        t.at_most_if_true({P.cannot}, {agg.miss_bands[3].cell});
        // The bands of their own are the plan's counts, which a reader can tell from the labels:
        // 在宅避難 = the children kept at home; 避難しない・できない = those plus the children
        // who cannot be served (declared, so the audit knows what a reader knows).
        t.equal_if_true({agg.miss_bands[4].cell}, {*agg.stay});
        for (const auto* bands : {&agg.battery_bands, &agg.arrival_bands})
            t.equal_if_true({bands->back().cell}, {*agg.stay, P.cannot});
    }
    return agg;
}

std::vector<detail::Bar> bars(const Aggregates& agg, const std::vector<Band>& bands,
                              detail::Colour colour) {
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

} // namespace

std::vector<std::vector<geo::LonLat>> council_route_lines(const Plan& plan,
                                                          const std::string& municipality,
                                                          const CouncilOptions& options) {
    std::vector<std::vector<geo::LonLat>> out;
    // Straight-line mode: every route is one segment from the home; any piece of it, however
    // short, points back at the house. Nothing is drawn.
    if (plan.approximate) return out;
    // Road segments used by at least `threshold` children of the municipality (a drawn piece
    // is a flow shared by several families, not one child's way).
    using Key = std::array<long long, 4>;
    auto q = [](double v) { return static_cast<long long>(std::llround(v * 1e7)); };
    std::map<Key, std::pair<std::int64_t, std::pair<geo::LonLat, geo::LonLat>>> used;
    for (const auto& c : plan.children) {
        if (c.municipality_code != municipality || !c.primary ||
            c.status == Feasibility::cannot_serve)
            continue;
        std::set<Key> mine;
        const auto& g = c.primary->geometry;
        for (std::size_t i = 1; i < g.size(); ++i) {
            Key k{q(g[i - 1].lon), q(g[i - 1].lat), q(g[i].lon), q(g[i].lat)};
            Key r{k[2], k[3], k[0], k[1]};
            const Key key = std::min(k, r);
            if (key[0] == key[2] && key[1] == key[3]) continue;
            if (mine.insert(key).second) {
                auto& u = used[key];
                ++u.first;
                u.second = {g[i - 1], g[i]};
            }
        }
    }
    // Cut every piece within the safe distance of any home of the plan (not only of the
    // municipality's children). Local metric coordinates around each home; homes in buckets
    // of the safe distance.
    const double radius = options.route_clip_m;
    const double kx = grid_kx();
    auto xy = [&](const geo::LonLat& p) {
        return std::pair{(p.lon - kGridLon0) * kx, (p.lat - kGridLat0) * kGridKy};
    };
    const double bucket = std::max(radius, 50.0);
    std::unordered_map<long long, std::vector<std::pair<double, double>>> homes;
    auto bucket_key = [&](long bx, long by) {
        return (static_cast<long long>(bx) << 32) ^
               static_cast<long long>(static_cast<std::uint32_t>(by));
    };
    for (const auto& c : plan.children) {
        const auto [x, y] = xy(c.home);
        homes[bucket_key(static_cast<long>(std::floor(x / bucket)),
                         static_cast<long>(std::floor(y / bucket)))]
            .push_back({x, y});
    }
    // 1 % and a metre more than asked: the same clearance under any local projection of the area.
    const double r = radius * 1.01 + 1.0;
    for (const auto& [key, use] : used) {
        if (use.first < options.rule.threshold) continue;
        const auto [ax, ay] = xy(use.second.first);
        const auto [bx, by] = xy(use.second.second);
        const double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
        // Parameter intervals [t0, t1] of the segment inside some home's circle.
        std::vector<std::pair<double, double>> cut;
        const long x0 = static_cast<long>(std::floor((std::min(ax, bx) - r) / bucket)),
                   x1 = static_cast<long>(std::floor((std::max(ax, bx) + r) / bucket));
        const long y0 = static_cast<long>(std::floor((std::min(ay, by) - r) / bucket)),
                   y1 = static_cast<long>(std::floor((std::max(ay, by) + r) / bucket));
        for (long ix = x0; ix <= x1; ++ix) {
            for (long iy = y0; iy <= y1; ++iy) {
                const auto it = homes.find(bucket_key(ix, iy));
                if (it == homes.end()) continue;
                for (const auto& [hx, hy] : it->second) {
                    // |a + t d - h|^2 < r^2
                    const double fx = ax - hx, fy = ay - hy;
                    const double b2 = fx * dx + fy * dy, c2 = fx * fx + fy * fy - r * r;
                    if (len2 <= 0) {
                        if (c2 < 0) cut.push_back({0.0, 1.0});
                        continue;
                    }
                    const double disc = b2 * b2 - len2 * c2;
                    if (disc <= 0) continue;
                    const double s = std::sqrt(disc);
                    const double t0 = (-b2 - s) / len2, t1 = (-b2 + s) / len2;
                    if (t1 <= 0 || t0 >= 1) continue;
                    cut.push_back({std::max(0.0, t0), std::min(1.0, t1)});
                }
            }
        }
        std::sort(cut.begin(), cut.end());
        double t = 0.0;
        auto emit = [&](double from, double to) {
            if (to - from <= 1e-9) return;
            const auto& a = use.second.first;
            const auto& b = use.second.second;
            out.push_back({{a.lon + (b.lon - a.lon) * from, a.lat + (b.lat - a.lat) * from},
                           {a.lon + (b.lon - a.lon) * to, a.lat + (b.lat - a.lat) * to}});
        };
        for (const auto& [c0, c1] : cut) {
            if (c0 > t) emit(t, c0);
            t = std::max(t, c1);
        }
        if (t < 1.0) emit(t, 1.0);
    }
    return out;
}

namespace {

std::string area_label(const Area& a) {
    if (a.kind == Area::Kind::municipality)
        return a.label + "（" + std::string(region_label_ja(a.region)) + "）";
    return a.label;
}

bool is_subtotal(const Area& a) {
    return a.kind == Area::Kind::region || a.kind == Area::Kind::prefecture;
}

void status_table(const Plan& plan, const Aggregates& agg, detail::Blocks& out) {
    detail::Table table;
    table.font_pt = 9;
    table.columns = {{"市町・地域", 3.0, Align::left},
                     {"対象児", 1.0, Align::right},
                     {"間に合う", 1.0, Align::right},
                     {"要注意（余裕" +
                          minutes_label(static_cast<double>(plan.at_risk_threshold_s) / 60.0) +
                          "未満）",
                      1.3, Align::right},
                     {"対応できない", 1.1, Align::right}};
    for (const auto& a : agg.areas) {
        table.rows.push_back({{area_label(a), agg.t.text(a.total), agg.t.text(a.on_time),
                               agg.t.text(a.at_risk), agg.t.text(a.cannot)},
                              is_subtotal(a),
                              a.kind == Area::Kind::region});
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
            table.columns.push_back(
                {care ? care_label_ja(keys[k]) : device_label_ja(keys[k]), 1.0, Align::right});
        for (const auto& a : agg.areas) {
            detail::TableRow row{{area_label(a)}, is_subtotal(a), a.kind == Area::Kind::region};
            for (std::size_t k = start; k < end; ++k)
                row.cells.push_back(agg.t.text(care ? a.care[k] : a.device[k]));
            table.rows.push_back(row);
        }
        out.table(table);
    }
}

/// A facility's figures that follow from its children (needed power, fuel, outlets, nurses,
/// shortages' amounts) reveal how many it receives: printed only when its count is shown.
struct FacilityFigures {
    bool shown = false;
    std::string needed_kw, headroom_kw, fuel_needed_l, outlets, nurses, carers, shortages_short,
        shortages_long;
};

FacilityFigures facility_figures(const planner::FacilityPlan& f, bool shown) {
    FacilityFigures out{.shown = shown};
    const double headroom = f.evacuee_kw - f.peak_kw; // the generator's share for evacuees
    out.needed_kw = shown ? fixed(f.peak_kw, 2) : "x";
    out.headroom_kw = shown ? (headroom < 0 ? "▲" : "") + fixed(std::fabs(headroom), 2) : "x";
    out.fuel_needed_l = shown ? fixed(f.fuel_needed_l, 1) : "x";
    out.outlets = shown ? std::to_string(f.outlets_needed) : "x";
    out.nurses = shown ? std::to_string(f.nurses_needed) : "x";
    // Certified carers are a skill of their own (issue 18 item 6), counted apart.
    out.carers = shown ? std::to_string(f.carers_needed) : "x";
    for (const auto& s : f.shortages) {
        // One wording with facilities.csv and plan.gpkg (planner/labels.hpp); the amounts only
        // when the facility's count is shown.
        const std::string text =
            shown ? planner::shortage_ja(s) : planner::shortage_item_ja(s.item);
        out.shortages_short += (out.shortages_short.empty() ? "" : "、") + text;
        out.shortages_long +=
            (out.shortages_long.empty() ? "" : "\n") + (shown ? text : text + "（量は秘匿）");
    }
    return out;
}

/// The timing quantities of issue 17: each deadline's own slack, the outcomes and when to
/// set off (cells of the release like every other count).
void timing_tables(const Plan& plan, const Aggregates& agg, detail::Blocks& out) {
    out.subheading("期限ごとの余裕（到着する子ども、人数）");
    detail::Table slack;
    slack.font_pt = 9;
    slack.columns = {{"余裕の区分", 2.0, Align::left},
                     {"出発の余裕（自宅に危険が及ぶまで − 出発）", 2.2, Align::right},
                     {"電源の余裕（電池・酸素が尽きるまで − 電源につながる）", 2.6, Align::right}};
    for (std::size_t k = 0; k < agg.leave_bins.size(); ++k) {
        slack.rows.push_back({{agg.leave_bins[k].label, agg.t.text(agg.leave_bins[k].cell),
                               agg.t.text(agg.power_bins[k].cell)}});
    }
    out.table(slack);
    out.note("到着時の余裕（上の図）は、この二つの余裕と、避難路が通れなくなるまでの余裕のうち小さ"
             "いほうです。"
             "期限なし: 自宅が想定区域の外（出発）、計画期間" +
             std::to_string(plan.horizon_h) + "時間のうちは電源がもつ（電源）。");
    out.subheading("避難の判断（県全体、人数）");
    detail::Table decision;
    decision.font_pt = 9;
    decision.columns = {{"判断", 3.2, Align::left}, {"人数", 1.0, Align::right}};
    decision.rows.push_back({{"避難する", agg.t.text(*agg.evacuate)}, true});
    for (const auto& b : agg.alert_bands)
        decision.rows.push_back({{"　" + b.label, agg.t.text(b.cell)}});
    decision.rows.push_back(
        {{"在宅避難（自宅が区域外で、電源が計画期間もつ）", agg.t.text(*agg.stay)}, true});
    decision.rows.push_back({{"対応できない", agg.t.text(agg.prefecture().cannot)}, true});
    out.table(decision);
    out.note("警戒レベル3で出発: レベル4（避難指示）まで待つと余裕が" +
             minutes_label(static_cast<double>(plan.at_risk_threshold_s) / 60.0) +
             "未満になる子ども。津波・地震には警戒レベル3がなく、揺れがおさまったらすぐ出発します。"
             "指定なし: 想定に避難指示（レベル4）の発令時刻が入っていない。");
}

void facility_table(const Aggregates& agg, detail::Blocks& out) {
    if (agg.facilities.empty()) {
        out.paragraph("計画で使われた避難先はありません。");
        return;
    }
    detail::Table table;
    table.font_pt = 8.5;
    table.columns = {{"避難先（公表施設）", 2.6, Align::left},
                     {"市町", 1.0, Align::left},
                     {"受入れ児", 0.8, Align::right},
                     {"発電出力 kW", 0.9, Align::right},
                     {"必要出力 kW", 0.9, Align::right},
                     {"余裕 kW", 0.8, Align::right},
                     {"燃料 L（必要／備蓄）", 1.2, Align::right},
                     {"不足", 2.0, Align::left}};
    for (const auto& [f, cell] : agg.facilities) {
        const auto fig = facility_figures(*f, agg.t.shown(cell));
        table.rows.push_back(
            {{f->name + "\n" + detail::facility_kind_ja(f->kind),
              municipality_name(f->municipality_code), agg.t.text(cell),
              fixed(f->generator_kw, 1) + (f->evacuee_kw + 1e-9 < f->generator_kw
                                               ? "\n(避難者用 " + fixed(f->evacuee_kw, 1) + ")"
                                               : ""),
              fig.needed_kw, fig.headroom_kw,
              (fig.shown ? fixed(f->fuel_needed_l, 0) : "x") + "／" + fixed(f->fuel_l, 0),
              fig.shortages_long.empty() ? "なし" : fig.shortages_long},
             false,
             !f->shortages.empty()});
    }
    out.table(table);
    out.note(
        "▲は不足。必要出力は避難所自身の照明・薬用冷蔵庫・携帯充電と、受け入れる子どもの機器（起動"
        "時の突入分、"
        "予備バッテリーの充電を含む）を合わせたピーク（計画の値）。余裕は発電機のうち避難者用の出力"
        "（病院は避難者に回せる分）"
        "から。必要燃料は停電から計画期間の終わりまで、計画の負荷で運転したとき（無負荷でも消費する"
        "分を含む）。"
        "網掛けの行は不足がある避難先。"
        "受入れ児が「x」の避難先は、人数が分かってしまうため必要出力・燃料・不足量も「x」です。");
}

void maps(const Plan& plan, const Aggregates& agg, const CouncilOptions& options,
          detail::Blocks& out) {
    for (const auto& area : agg.areas) {
        if (area.kind != Area::Kind::municipality) continue;
        std::vector<detail::MapCell> cells;
        const double kx = grid_kx();
        std::int64_t max_count = 1;
        for (const auto& g : agg.grid) max_count = std::max(max_count, agg.t.value(g.cell));
        for (const auto& g : agg.grid) {
            if (g.municipality != area.code || !agg.t.shown(g.cell)) continue;
            const geo::LonLat sw{kGridLon0 + static_cast<double>(g.ix) * options.grid_m / kx,
                                 kGridLat0 + static_cast<double>(g.iy) * options.grid_m / kGridKy};
            const geo::LonLat ne{sw.lon + options.grid_m / kx, sw.lat + options.grid_m / kGridKy};
            const double shade =
                static_cast<double>(agg.t.value(g.cell)) / static_cast<double>(max_count);
            cells.push_back({sw, ne, agg.t.text(g.cell), shade});
        }
        std::vector<detail::MapLine> lines;
        if (agg.t.shown(area.total)) {
            for (auto& piece : council_route_lines(plan, area.code, options))
                lines.push_back({std::move(piece), {0.85, 0.3, 0.1}, 1.8, false});
        }
        // Markers: the public facilities located in the municipality that the facility table
        // lists (never the destinations elsewhere: on a small town's map they would say where
        // its children go).
        std::vector<detail::MapMarker> markers;
        for (const auto& [f, cell] : agg.facilities) {
            if (f->municipality_code == area.code) {
                markers.push_back(
                    {f->location, f->name, {0.8, 0.1, 0.1}, detail::MapMarker::Shape::cross, 6});
            }
        }
        out.subheading(area.label);
        if (lines.empty() && cells.empty() && markers.empty()) {
            out.paragraph("示せる経路・自宅の集計・避難先がありません。");
            continue;
        }
        out.drawing(270, [cells, lines, markers, grid = options.grid_m](cairo_t* cr,
                                                                        const detail::Rect& r) {
            detail::draw_map(
                cr, r, cells, lines, markers,
                {{{0.85, 0.3, 0.1}, "複数の家族が通る道（自宅付近は非表示）"},
                 {{0.7, 0.45, 0.7}, "自宅の数（" + fixed(grid / 1000.0, 1) + "km四方ごと）"},
                 {{0.8, 0.1, 0.1}, "市町内の避難先"}});
        });
    }
}

void comparison(const Plan& a_plan, const Aggregates& a, const Plan& b_plan, const Aggregates& b,
                detail::Blocks& out) {
    out.heading("8. シナリオ比較（A／B）");
    out.key_values({{"シナリオA", a_plan.scenario_name + "　" + a_plan.scenario_title},
                    {"シナリオB", b_plan.scenario_name + "　" + b_plan.scenario_title}});
    // Headline sentences for the differences that are shown on both sides.
    std::vector<std::string> lines;
    auto headline = [&](const std::string& what, std::size_t ca, std::size_t cb) {
        const auto d =
            format_difference(a.t.value(ca), a.t.shown(ca), b.t.value(cb), b.t.shown(cb));
        lines.push_back(what + ": A " + a.t.text(ca) + " → B " + b.t.text(cb) +
                        (d == "—" ? "（差は秘匿）" : "（" + d + "）"));
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
    table.columns = {{"市町・地域", 2.6, Align::left},
                     {"区分", 1.2, Align::left},
                     {"A", 0.8, Align::right},
                     {"B", 0.8, Align::right},
                     {"差（B−A）", 0.9, Align::right}};
    std::vector<std::pair<int, std::string>> keys;
    for (const auto* agg : {&a, &b}) {
        for (const auto& area : agg->areas) {
            const int rank =
                area.kind == Area::Kind::prefecture ? 0 : (area.kind == Area::Kind::region ? 1 : 2);
            const std::pair<int, std::string> k{rank, Aggregates::key(area)};
            if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
        }
    }
    std::stable_sort(keys.begin(), keys.end(),
                     [](const auto& x, const auto& y) { return x.first < y.first; });
    for (const auto& [rank, key] : keys) {
        const Area* x = a.find_area(key);
        const Area* y = b.find_area(key);
        const std::string label = x ? area_label(*x) : area_label(*y);
        const std::pair<const char*, std::size_t Area::*> metrics[] = {
            {"対象児", &Area::total},
            {"間に合う", &Area::on_time},
            {"要注意", &Area::at_risk},
            {"対応できない", &Area::cannot}};
        bool first = true;
        for (const auto& [name, member] : metrics) {
            // A row absent from one plan is not printed there ("—"): the area may have no
            // children or be merged into its region.
            const std::string at = x ? a.t.text(x->*member) : "—";
            const std::string bt = y ? b.t.text(y->*member) : "—";
            const auto d = x && y ? format_difference(a.t.value(x->*member), a.t.shown(x->*member),
                                                      b.t.value(y->*member), b.t.shown(y->*member))
                                  : std::string("—");
            table.rows.push_back({{first ? label : "", name, at, bt, d}, rank < 2, false});
            first = false;
        }
    }
    out.table(table);

    out.subheading("避難先の受入れと電源の比較");
    detail::Table fac;
    fac.font_pt = 8.5;
    fac.columns = {{"避難先", 2.4, Align::left},       {"A: 受入れ児", 0.8, Align::right},
                   {"B: 受入れ児", 0.8, Align::right}, {"A: 余裕 kW", 0.9, Align::right},
                   {"B: 余裕 kW", 0.9, Align::right},  {"A: 不足", 1.2, Align::left},
                   {"B: 不足", 1.2, Align::left}};
    struct Side {
        const planner::FacilityPlan* f = nullptr;
        std::optional<std::size_t> cell;
    };
    std::map<std::string, std::pair<Side, Side>> both;
    for (const auto& [f, cell] : a.facilities) both[f->facility_id].first = {f, cell};
    for (const auto& [f, cell] : b.facilities) both[f->facility_id].second = {f, cell};
    auto count = [](const Aggregates& agg, const Side& s) {
        return s.cell ? agg.t.text(*s.cell) : std::string("—");
    };
    auto headroom = [](const Aggregates& agg, const Side& s) {
        if (!s.cell) return std::string("—");
        return facility_figures(*s.f, agg.t.shown(*s.cell)).headroom_kw;
    };
    auto short_text = [](const Side& s) {
        if (!s.cell) return std::string("（使われない）");
        std::string out;
        for (const auto& x : s.f->shortages)
            out += (out.empty() ? "" : "、") + planner::shortage_item_ja(x.item);
        return out.empty() ? std::string("なし") : out;
    };
    for (const auto& [id, pair] : both) {
        const auto* f = pair.first.f ? pair.first.f : pair.second.f;
        fac.rows.push_back(
            {{f->name, count(a, pair.first), count(b, pair.second), headroom(a, pair.first),
              headroom(b, pair.second), short_text(pair.first), short_text(pair.second)},
             false,
             short_text(pair.first) != short_text(pair.second)});
    }
    out.table(fac);
    out.note("差は、A と B "
             "の両方の数が表示されている場合だけ示します（一方が「x」なら「—」）。受入れ児が「x」の"
             "側は余裕 kW も「x」です。"
             "網掛けは不足の状況が変わった避難先。A と B "
             "の数は、同じ子どもであることも含めて一緒に監査しています（7章の後の規則）。");
}

/// The disclosure rules as implemented (7章, README "Council report: disclosure control").
std::string rules_text(const Plan& plan, const CouncilOptions& options) {
    const std::string thr = std::to_string(options.rule.threshold);
    const std::string small = options.rule.threshold == 3
                                  ? "1人または2人"
                                  : "1〜" + std::to_string(options.rule.threshold - 1) + "人";
    const std::string t = minutes_label(static_cast<double>(plan.at_risk_threshold_s) / 60.0);
    return "・" + small +
           "の数は表示せず「x」とします。ほかの欄から小さな数が絞り込めないように隠した欄（0人のこ"
           "とも、多い数のこともあります）も"
           "同じ「x」で、区別しません。0は誰も特定しないため「0」と表示しますが、市町・その他の市町"
           "・地域の行で対象児が「x」のときは、"
           "その行の0も「x」にします（その子どものケアや機器が分からないように）。"
           "\n・子どもが" +
           thr +
           "人未満の市町は、市町名の行を作らず、支援センター地域ごとの「その他の市町」にまとめます"
           "（地図も作りません）。"
           "\n・読み手が知りうる関係をすべて数式にします: "
           "市町と「その他の市町」の和＝地域の計、地域の計の和＝県全体（各列）。"
           "各行で "
           "対象児＝間に合う＋要注意＋対応できない、ケア・機器の人数≦対象児。到着時の余裕の区分は "
           "「0〜" +
           t + "」＝要注意、" + t +
           "以上の3区分の和＝間に合う、遅れ≦対応できない。避難先ごとの受入れ児の和＝間に合う＋要注"
           "意（表にある避難先は1人以上）。"
           "期限ごとの余裕（出発・電源）の各列の和＝到着時の余裕の区分の和、各区分より下の人数≦到着"
           "時の余裕のその区分より下の人数"
           "（余裕はそれらの小さいほう）。避難する＋在宅避難＋対応できない＝対象児、在宅避難≦間に合"
           "う、出発の合図の区分の和＝避難する。"
           "地図のマスの和≦その市町の対象児。分位数が示す区分の人数。シミュレーションの各区分の和＝"
           "対象児、対応できない≦遅れる確率20%以上の人数、在宅避難（期限なし）の人数＝在宅避難、"
           "避難しない・できない人数＝在宅避難＋対応できない。"
           "比較では A と B の数も同じ監査に入れ、同じ子どもの地域は A と B "
           "の対象児が等しいとします。"
           "\n・監査: "
           "公表するすべての数とこれらの関係から、隠した欄ごとに読み手が絞り込める最小値と最大値を"
           "整数計画（GLPK）で求めます。"
           "どの「x」も" +
           std::to_string(options.rule.min_values) + "通り以上の値をとり、" + thr +
           "以上もありうることを確かめます。"
           "足りない欄があれば、関係する表示中の欄を一つ隠して（地図のマス、市町の行、地域の計、県"
           "全体の順、同じなら小さい数から）"
           "監査をやり直します。それでも守れなければ市町の行をやめて地域ごとに示し、それでも守れな"
           "ければ報告を書きません。"
           "\n・避難先: "
           "受入れ児が「x」の避難先は、必要出力・燃料・コンセント・看護師・不足量も「x」にします（"
           "人数が分かるため）。"
           "\n・地図: 自宅のマスは市町ごとに数え、" +
           thr + "人以上で監査を通ったものだけを描きます。経路は市町の子ども" + thr +
           "人以上が通る道の区間だけを描き、どの自宅からも" +
           fixed(options.route_clip_m / 1000.0, 1) +
           "km以内の部分は描きません。道路網なしの概算（直線）では経路を描きません。避難先の印はそ"
           "の市町にある避難先だけです。"
           "council.gpkg には経路も自宅も含めません。"
           "\n・分位数: 到着する子どもが" +
           std::to_string(kCouncilQuantileMinGroup) +
           "人以上のときだけ、県全体の p10／p50／p90 を" + fixed(kCouncilQuantileRoundMin, 0) +
           "分単位に丸めて示します。"
           "\n・A/B 比較の差は、A と B の両方の数が表示されている場合だけ示します。";
}

detail::Blocks build(const Plan& plan, const Aggregates& agg, const CouncilOptions& options,
                     const detail::Date& issued, const Plan* compare,
                     const Aggregates* compare_agg) {
    detail::Blocks out;
    out.title("医療的ケア児の避難計画　協議の場への報告",
              (plan.scenario_title.empty() ? plan.scenario_name : plan.scenario_title) +
                  "\n想定: " + detail::hazard_label_ja(plan.hazard_kind) +
                  "　作成日: " + detail::format_date_ja(issued));
    out.paragraph("この報告は集計値だけを載せています。氏名・住所・児童ID・自宅の位置は含みません。"
                  "1人または2人の数と、"
                  "他の欄から小さい数が絞り込めてしまう欄は、どちらも「x」と表示します（7章）。",
                  true);

    const auto& P = agg.prefecture();
    out.heading("1. 概要");
    std::vector<std::pair<std::string, std::string>> summary{
        {"対象の子ども", agg.t.text(P.total) + " 人"},
        {"間に合う／要注意／対応できない",
         agg.t.text(P.on_time) + "／" + agg.t.text(P.at_risk) + "／" + agg.t.text(P.cannot)},
        {"想定の合図", plan.t0_label.empty() ? "警戒レベル3 高齢者等避難" : plan.t0_label},
        {"計画の時間幅", std::to_string(plan.horizon_h) + " 時間"}};
    if (!agg.quantiles.empty()) {
        summary.push_back(
            {"到着時の余裕（県全体、" + fixed(kCouncilQuantileRoundMin, 0) + "分単位）",
             agg.quantiles});
    } else {
        summary.push_back({"到着時の余裕（県全体）",
                           "人数が少ないため分位数は示しません（到着する子どもが" +
                               std::to_string(kCouncilQuantileMinGroup) + "人以上で表示）"});
    }
    std::int64_t short_count = 0;
    for (const auto& [f, cell] : agg.facilities) short_count += !f->shortages.empty();
    summary.push_back({"使われる避難先／不足のある避難先",
                       std::to_string(agg.facilities.size()) + "／" + std::to_string(short_count)});
    summary.push_back({"シミュレーション",
                       options.simulation ? options.simulation->label + "（" +
                                                std::to_string(options.simulation->runs) + "回）"
                                          : "未実施（計画の値のみ）"});
    out.key_values(summary);
    if (plan.approximate) out.note("道路網なしの概算です: " + plan.approximation_note);

    out.heading("2. 市町別・支援センター地域別の状況");
    status_table(plan, agg, out);
    out.note("要注意: 到着できるが期限までの余裕が" +
             minutes_label(static_cast<double>(plan.at_risk_threshold_s) / 60.0) +
             "未満。対応できない: 受け入れ先・移動手段・経路のいずれかが期限内に確保できない。");

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
    timing_tables(plan, agg, out);
    if (agg.simulated) {
        const auto& sim = *options.simulation;
        const auto miss = bars(agg, agg.miss_bands, {0.75, 0.35, 0.2});
        const auto battery = bars(agg, agg.battery_bands, {0.3, 0.55, 0.35});
        const auto arrival = bars(agg, agg.arrival_bands, {0.45, 0.4, 0.65});
        out.drawing(190, [miss](cairo_t* cr, const detail::Rect& r) {
            detail::draw_bar_chart(cr, r, "シミュレーション: 期限に遅れる確率（人数）", miss, "人");
        });
        out.drawing(190, [battery](cairo_t* cr, const detail::Rect& r) {
            detail::draw_bar_chart(cr, r, "シミュレーション: 到着時のバッテリー残り（p5、人数）",
                                   battery, "人");
        });
        out.drawing(190, [arrival](cairo_t* cr, const detail::Rect& r) {
            detail::draw_bar_chart(cr, r, "シミュレーション: 到着時刻 p95（発令から、人数）",
                                   arrival, "人");
        });
        std::vector<double> completion;
        for (double s : sim.completion_s) completion.push_back(s / 60.0);
        out.drawing(200, [completion](cairo_t* cr, const detail::Rect& r) {
            detail::draw_cdf(cr, r, "シミュレーション: 全員の避難が終わる時刻の分布", completion,
                             "発令からの分");
        });
        if (sim.runs_incomplete > 0) {
            out.note(std::to_string(sim.runs_incomplete) +
                     " 回の試行では、全員が到着しませんでした（上の分布に含みません）。");
        }
    } else {
        for (const char* title :
             {"シミュレーション: 期限に遅れる確率", "シミュレーション: 到着時のバッテリー残り",
              "シミュレーション: 全員の避難が終わる時刻の分布"}) {
            out.drawing(110, [title = std::string(title)](cairo_t* cr, const detail::Rect& r) {
                detail::draw_not_simulated(cr, r, title);
            });
        }
    }

    out.heading("5. 避難先の電源の余裕と不足");
    facility_table(agg, out);

    out.heading("6. 地図（避難先・経路・自宅の集計）");
    out.note(
        "自宅は" + fixed(options.grid_m / 1000.0, 1) + "km四方のマスごとに市町別に数え、" +
        std::to_string(options.rule.threshold) +
        "人以上で監査を通ったマスだけを描きます。経路は、その市町の子ども" +
        std::to_string(options.rule.threshold) + "人以上が通る道の区間だけを描き、どの自宅からも" +
        fixed(options.route_clip_m / 1000.0, 1) + "km以内の部分は描きません。" +
        (plan.approximate ? "この計画は道路網なしの概算（直線）のため、経路は描きません。" : "") +
        "避難先の印はその市町にある避難先だけです。ハザード区域は計画ファイルに含まれないため表示し"
        "ていません。");
    maps(plan, agg, options, out);

    out.heading("7. 集計と秘匿のルール");
    out.paragraph(rules_text(plan, options));
    if (agg.collapsed) {
        out.note("市町ごとの行では秘匿の監査を通らなかったため、この報告は支援センター地域ごとにま"
                 "とめて示しています。");
    }

    if (compare != nullptr && compare_agg != nullptr)
        comparison(plan, agg, *compare, *compare_agg, out);
    return out;
}

std::string csv_text(const std::vector<std::vector<std::string>>& rows) {
    return planner::format_csv(rows); // UTF-8 with BOM, CRLF: opens in Excel directly
}

std::string area_kind_ja(const Area& a) {
    switch (a.kind) {
    case Area::Kind::municipality: return "市町";
    case Area::Kind::merged: return "その他の市町";
    case Area::Kind::region: return "地域計";
    case Area::Kind::prefecture: return "県計";
    }
    return {};
}

std::vector<std::vector<std::string>> area_csv(const Aggregates& agg) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header{"区分",   "市町コード", "市町・地域", "支援センター地域",
                                    "対象児", "間に合う",   "要注意",     "対応できない"};
    for (const auto& c : agg.care_codes) header.push_back("ケア:" + care_label_ja(c));
    for (const auto& d : agg.device_ids) header.push_back("機器:" + device_label_ja(d));
    rows.push_back(header);
    for (const auto& a : agg.areas) {
        std::vector<std::string> row{
            area_kind_ja(a),
            a.code,
            a.label,
            a.kind == Area::Kind::prefecture ? "" : std::string(region_label_ja(a.region)),
            agg.t.text(a.total),
            agg.t.text(a.on_time),
            agg.t.text(a.at_risk),
            agg.t.text(a.cannot)};
        for (auto c : a.care) row.push_back(agg.t.text(c));
        for (auto d : a.device) row.push_back(agg.t.text(d));
        rows.push_back(row);
    }
    return rows;
}

std::vector<std::vector<std::string>> facility_csv(const Aggregates& agg) {
    std::vector<std::vector<std::string>> rows{
        {"避難先ID", "避難先", "種類", "市町", "受入れ児", "発電出力kW", "必要出力kW", "余裕kW",
         "必要燃料L", "備蓄燃料L", "必要コンセント", "必要看護師", "必要介護職", "不足"}};
    for (const auto& [f, cell] : agg.facilities) {
        const auto fig = facility_figures(*f, agg.t.shown(cell));
        rows.push_back({f->facility_id, f->name, detail::facility_kind_ja(f->kind),
                        municipality_name(f->municipality_code), agg.t.text(cell),
                        fixed(f->generator_kw, 2), fig.needed_kw,
                        fig.shown ? fixed(f->evacuee_kw - f->peak_kw, 2) : "x", fig.fuel_needed_l,
                        fixed(f->fuel_l, 1), fig.outlets, fig.nurses, fig.carers,
                        // As facilities.csv and the PDF say it (one vocabulary, issue 23 item 4).
                        fig.shortages_short.empty() ? "なし" : fig.shortages_short});
    }
    return rows;
}

/// A count for the GIS: the printed text ("12" or "x") and the number only when shown.
void add_count(std::vector<geo::FieldValue>& values, const SuppressedTable& t, std::size_t cell) {
    values.emplace_back(t.text(cell));
    if (t.shown(cell))
        values.emplace_back(t.value(cell));
    else
        values.emplace_back(std::monostate{});
}

/// council.gpkg: the council's aggregates for QGIS, with the same cells and the same
/// suppression as the CSV files (one SuppressedTable for everything). Public facilities as
/// points; municipal rows at a point inside the municipality (regions.hpp
/// representative_point), region and prefecture rows without geometry. No homes, no routes
/// (see the notes layer), no child ids.
std::vector<geo::Layer> council_layers(const Plan& plan, const Aggregates& agg,
                                       const CouncilOptions& options) {
    std::vector<geo::Layer> layers;

    geo::Layer fac{.name = "facilities",
                   .geometry_type = geo::GeometryType::point,
                   .description = "避難先ごとの受入れ児数と電源・燃料・職員の必要量（3未満の数と、"
                                  "それを守るために隠した数は x、"
                                  "数値欄は空）"};
    for (const auto& [f, alias] :
         std::vector<std::pair<const char*, const char*>>{{"facility_id", "避難先ID"},
                                                          {"name", "避難先"},
                                                          {"kind", "種類"},
                                                          {"municipality_code", "市町コード"},
                                                          {"municipality", "市町"},
                                                          {"assigned", "受入れ児（表示）"}})
        fac.add_field(f, geo::FieldType::string, alias);
    fac.add_field("assigned_n", geo::FieldType::int64, "受入れ児（数値）");
    for (const auto& [f, alias] :
         std::vector<std::pair<const char*, const char*>>{{"generator_kw", "発電出力（kW）"},
                                                          {"peak_kw", "必要出力（kW）"},
                                                          {"headroom_kw", "余裕（kW）"},
                                                          {"fuel_needed_l", "必要燃料（L）"},
                                                          {"fuel_l", "備蓄燃料（L）"}})
        fac.add_field(f, geo::FieldType::real, alias);
    fac.add_field("outlets_needed", geo::FieldType::int64, "必要コンセント");
    fac.add_field("nurses_needed", geo::FieldType::int64, "必要看護師");
    fac.add_field("carers_needed", geo::FieldType::int64, "必要介護職");
    fac.add_field("shortages", geo::FieldType::string, "不足");
    for (const auto& [f, cell] : agg.facilities) {
        const auto fig = facility_figures(*f, agg.t.shown(cell));
        std::vector<geo::FieldValue> v{f->facility_id, f->name, detail::facility_kind_ja(f->kind),
                                       f->municipality_code,
                                       municipality_name(f->municipality_code)};
        add_count(v, agg.t, cell);
        // Figures that follow from the children are null when the count is hidden.
        auto real = [&](double x) {
            return fig.shown ? geo::FieldValue(x) : geo::FieldValue(std::monostate{});
        };
        auto integer = [&](std::int64_t x) {
            return fig.shown ? geo::FieldValue(x) : geo::FieldValue(std::monostate{});
        };
        v.insert(v.end(), {geo::FieldValue(f->generator_kw), real(f->peak_kw),
                           real(f->evacuee_kw - f->peak_kw), real(f->fuel_needed_l),
                           geo::FieldValue(f->fuel_l), integer(f->outlets_needed),
                           integer(f->nurses_needed), integer(f->carers_needed),
                           // NULL where there is none, as in plan.gpkg.
                           fig.shortages_short.empty() ? geo::FieldValue(std::monostate{})
                                                       : geo::FieldValue(fig.shortages_short)});
        fac.add_feature(f->location, std::move(v));
    }
    // One symbol: a size by count would hide the facilities whose count is hidden (null).
    fac.style_qml = geo::single_style(fac, {.colour = {70, 70, 160}, .size = 3.5});
    layers.push_back(std::move(fac));

    geo::Layer areas{
        .name = "municipal_aggregates",
        .geometry_type = geo::GeometryType::point,
        .description =
            "市町・地域・県全体の集計（市町の点は行政区域の内側の代表点で、自宅や役場ではない。"
            "3未満の数と、それを守るために隠した数は x）"};
    for (const auto& [f, alias] :
         std::vector<std::pair<const char*, const char*>>{{"level", "区分"},
                                                          {"municipality_code", "市町コード"},
                                                          {"name", "市町・地域"},
                                                          {"region", "支援センター地域"}})
        areas.add_field(f, geo::FieldType::string, alias);
    for (const auto& [f, alias] :
         std::vector<std::pair<std::string, std::string>>{{"children", "対象児"},
                                                          {"on_time", "間に合う"},
                                                          {"at_risk", "要注意"},
                                                          {"cannot_serve", "対応できない"}}) {
        areas.add_field(f, geo::FieldType::string, alias + "（表示）");
        areas.add_field(f + "_n", geo::FieldType::int64, alias + "（数値）");
    }
    for (const auto& c : agg.care_codes)
        areas.add_field("care_" + c, geo::FieldType::string, "ケア:" + care_label_ja(c));
    for (const auto& d : agg.device_ids)
        areas.add_field("device_" + d, geo::FieldType::string, "機器:" + device_label_ja(d));
    for (const auto& a : agg.areas) {
        std::vector<geo::FieldValue> v{area_kind_ja(a), a.code, a.label,
                                       a.kind == Area::Kind::prefecture
                                           ? std::string()
                                           : std::string(region_label_ja(a.region))};
        for (auto cell : {a.total, a.on_time, a.at_risk, a.cannot}) add_count(v, agg.t, cell);
        for (auto c : a.care) v.emplace_back(agg.t.text(c));
        for (auto d : a.device) v.emplace_back(agg.t.text(d));
        geo::Geometry where;
        if (a.kind == Area::Kind::municipality) {
            if (const auto p = representative_point(a.code)) where = *p;
        }
        areas.add_feature(std::move(where), std::move(v));
    }
    areas.style_qml = geo::single_style(areas, {.colour = {120, 60, 140}, .size = 3.0});
    layers.push_back(std::move(areas));

    // An attribute table (no geometry): what the layers hold and what they leave out.
    geo::Layer notes{.name = "notes",
                     .geometry_type = geo::GeometryType::none,
                     .description =
                         "この GeoPackage の読み方（秘匿の規則、点の位置、載せていないもの）"};
    notes.add_field("topic", geo::FieldType::string, "項目");
    notes.add_field("text", geo::FieldType::string, "説明");
    const std::string threshold = std::to_string(options.rule.threshold);
    const std::vector<std::pair<std::string, std::string>> rows{
        {"想定", plan.scenario_title + "（" + detail::hazard_label_ja(plan.hazard_kind) + "、" +
                     plan.scenario_name + "）"},
        {"秘匿", "1〜" + std::to_string(options.rule.threshold - 1) +
                     " 人の数と、それを守るために隠した数はすべて「x」です"
                     "（council_by_area.csv、council_facilities.csv、PDF・HTML "
                     "と同じセル）。「（数値）」の列は数が表示されるときだけ"
                     "値を持ちます。受入れ児の数が隠れている避難先は、必要出力・燃料・コンセント・"
                     "看護師も空です。対象児が " +
                     threshold +
                     " 人未満の市町は地域の行にまとめています（区分「その他の市町」）。隠した数はす"
                     "べて、公開するすべての数と"
                     "その関係に対する整数計画（GLPK）で監査済みで、それぞれ少なくとも " +
                     std::to_string(options.rule.min_values) + " 通りの値（" + threshold +
                     " 以上を含む）をとりえます。"},
        {"市町の点", "市町の行は行政区域の内側の代表点（国土数値情報 N03 行政区域ポリゴンの point "
                     "on surface）に置いています。"
                     "自宅や役場の位置ではありません。地域と県全体の行は位置を持ちません。"
                     "出典：国土数値情報（行政区域データ）（国土交通省）を加工して作成"},
        {"ルート", "ルートや経路の帯は載せていません（どのルートも自宅から始まるため）。PDF "
                   "の地図は、その市町の " +
                       threshold +
                       " 人以上の子が使う道路の部分だけを、どの自宅からも安全な距離を離して描き、直"
                       "線距離モードでは描きません。"},
        {"自宅", "自宅の位置、氏名、住所、児童IDは載せていません。"},
    };
    for (const auto& [topic, text] : rows) notes.add_feature(std::monostate{}, {topic, text});
    layers.push_back(std::move(notes));
    return layers;
}

} // namespace

namespace {

/// One release: plan A's cells, plan B's (comparison) and the relations between them, in one
/// SuppressedTable, suppressed and audited together. Falls back to regions only (no municipal
/// rows) when the municipal rows cannot be protected.
class Release {
public:
    Release(const Plan& plan, const CouncilOptions& options, const Plan* compare) {
        try {
            build(plan, options, compare, false);
        } catch (const DisclosureError&) {
            build(plan, options, compare, true);
        }
    }
    const Aggregates& a() const { return *m_a; }
    const Aggregates* b() const { return m_b ? &*m_b : nullptr; }
    const SuppressedTable& table() const { return *m_table; }

private:
    void build(const Plan& plan, const CouncilOptions& options, const Plan* compare,
               bool collapse) {
        m_b.reset();
        m_a.reset();
        m_table = std::make_unique<SuppressedTable>();
        m_a.emplace(aggregate(plan, options, *m_table, Part::full, collapse));
        if (compare != nullptr) {
            CouncilOptions b_options = options;
            b_options.simulation = nullptr; // the summary belongs to plan A
            m_b.emplace(aggregate(*compare, b_options, *m_table, Part::comparison, collapse));
            // A reader knows both scenarios plan for the same registry: an area with the same
            // children has the same total in A and B.
            auto ids = [](const Plan& p, const Aggregates& agg, const Area& area) {
                std::vector<std::string> out;
                for (const auto& c : p.children) {
                    const auto& code = c.municipality_code;
                    bool in = false;
                    switch (area.kind) {
                    case Area::Kind::prefecture: in = true; break;
                    case Area::Kind::region: in = region_of(code) == area.region; break;
                    case Area::Kind::municipality: in = code == area.code; break;
                    case Area::Kind::merged:
                        in = region_of(code) == area.region && agg.find_area(code) == nullptr;
                        break;
                    }
                    if (in) out.push_back(c.child_id);
                }
                std::sort(out.begin(), out.end());
                return out;
            };
            for (const auto& x : m_a->areas) {
                const auto* y = m_b->find_area(Aggregates::key(x));
                if (y != nullptr && ids(plan, *m_a, x) == ids(*compare, *m_b, *y))
                    m_table->relate(x.total, {y->total});
            }
        }
        m_table->apply(options.rule);
        m_table->check();
    }
    std::unique_ptr<SuppressedTable> m_table;
    std::optional<Aggregates> m_a, m_b;
};

} // namespace

CouncilAudit audit_council_report(const Plan& plan, const CouncilOptions& options,
                                  const Plan* compare) {
    Release release(plan, options, compare);
    CouncilAudit out;
    out.cells = release.table().size();
    out.relations = release.table().relations();
    out.intervals = release.table().audit();
    out.hidden = out.intervals.size();
    out.regions_only = release.a().collapsed;
    return out;
}

CouncilOutputs write_council_report(const Plan& plan, const std::filesystem::path& dir,
                                    const CouncilOptions& options, const Plan* compare,
                                    const std::vector<std::filesystem::path>& inputs) {
    if (options.grid_m <= 0)
        throw InputError("the grid cell size must be positive",
                         {.field = "grid_m", .value = fixed(options.grid_m, 0)});
    detail::Date issued = detail::today_jst();
    if (!options.issued_on.empty()) {
        const auto d = detail::parse_date(options.issued_on);
        if (!d)
            throw InputError("the issue date must be YYYY-MM-DD",
                             {.field = "issued_on", .value = options.issued_on});
        issued = *d;
    }
    CouncilOutputs outputs;
    outputs.pdf = dir / "council_report.pdf";
    outputs.html = dir / "council_report.html";
    outputs.csv = {dir / "council_by_area.csv", dir / "council_facilities.csv"};
    outputs.gpkg = dir / "council.gpkg";
    for (const auto& p : {outputs.pdf, outputs.html, outputs.csv[0], outputs.csv[1], outputs.gpkg})
        ensure_not_an_input(p, inputs);

    // The release is suppressed and audited before anything is written: a report that fails
    // its audit throws DisclosureError (exit 3) and leaves no file behind.
    Release release(plan, options, compare);
    const auto& agg = release.a();
    const auto* compare_agg = release.b();
    outputs.published_cells = release.table().size();
    for (std::size_t i = 0; i < release.table().size(); ++i)
        outputs.hidden_cells += !release.table().shown(i);
    outputs.regions_only = agg.collapsed;
    const auto blocks = build(plan, agg, options, issued, compare, compare_agg);
    const std::string footer =
        "集計値のみ（個人情報を含みません）　小さな数とそれを守るために隠した数は「x」　sonae " +
        plan.scenario_name;

    create_output_dir(dir);
    {
        AtomicPath out(outputs.pdf, FileMode::shared);
        {
            detail::DocumentInfo info;
            info.title = "医療的ケア児の避難計画 協議の場への報告 " + plan.scenario_name;
            info.subject = "集計報告";
            info.running_head =
                "医療的ケア児の避難計画　協議の場への報告（" + plan.scenario_name + "）";
            info.footer = footer;
            info.create_date = detail::format_date_iso(issued) + "T00:00:00+09:00";
            detail::PdfDocument doc(out.temp(), FileMode::shared, info);
            doc.on_page_done = options.on_page_done;
            detail::render_pdf(blocks.blocks(), doc);
            doc.finish();
        }
        out.commit();
    }
    write_file_atomically(
        outputs.html,
        detail::render_html(blocks.blocks(), "協議の場への報告 " + plan.scenario_name, footer),
        FileMode::shared);
    write_file_atomically(outputs.csv[0], csv_text(area_csv(agg)), FileMode::shared);
    write_file_atomically(outputs.csv[1], csv_text(facility_csv(agg)), FileMode::shared);
    geo::write_geopackage(outputs.gpkg, council_layers(plan, agg, options), FileMode::shared, 4326,
                          detail::format_date_iso(issued));
    return outputs;
}

} // namespace sonae::report
