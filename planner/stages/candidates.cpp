#include "planner/stages/candidates.hpp"

#include "geo/road_network.hpp"
#include "planner/timing.hpp"

#include <cmath>
#include <numeric>

namespace sonae::planner::stages {

std::set<std::string> modes_of(const std::vector<TransportChoice>& transport,
                               const std::vector<std::size_t>& who) {
    std::set<std::string> modes;
    for (const auto i : who) modes.insert(transport[i].mode);
    return modes;
}

void search_on(const PlanContext& ctx, const NetworkAccess& access, SearchScratch& scratch,
               geo::LonLat home_at, const std::string& mode_name, std::int64_t earliest_departure_s,
               const std::vector<std::uint32_t>& list, std::span<const geo::Distance> potential,
               CandidateSet& w, double max_length_m) {
    const auto& mode = access.mode(mode_name);
    const auto home = access.access(mode_name, home_at);
    w.home_on_network = home.ok;
    if (!home.ok) return;
    const auto& acc = access.facilities(mode_name);
    std::vector<geo::NodeId> nodes;
    std::vector<std::uint32_t> which;
    for (const auto j : list) {
        if (!acc[j].ok) continue;
        nodes.push_back(acc[j].arrive_node);
        which.push_back(j);
    }
    if (nodes.empty()) return;
    const auto dep_ms = earliest_departure_s * 1000;
    const std::size_t limit = std::min<std::size_t>(
        nodes.size(), static_cast<std::size_t>(ctx.options.candidate_facilities));
    std::size_t found = 0;
    const auto before = w.candidates.size();
    scratch.router->search_targets(
        home.depart_node, dep_ms + home.leave_ms, access.weights(mode_name, earliest_departure_s),
        mode.closures.closed_from_ms, nodes,
        [&](std::size_t k, geo::Distance arrival) {
            const auto j = which[k];
            w.candidates.push_back({j, (arrival + acc[j].join_ms - dep_ms + 999) / 1000});
            return ++found >= limit;
        },
        potential, mode.arrival_closing_ms);
    // Stopped at the limit: facilities may lie farther still (the next round).
    w.searched_all = found < limit || found == nodes.size();
    if (max_length_m > 0.0) {
        // On foot: only what lies within the walking limit by road (issue 17, item 5).
        const auto* net = access.network();
        const auto& tree = scratch.router->last_tree();
        std::size_t kept = before;
        for (std::size_t k = before; k < w.candidates.size(); ++k) {
            const auto& a = acc[w.candidates[k].facility];
            const auto path = tree.path(a.arrive_node);
            if (path &&
                geo::path_length_m(*net, *path) + home.distance_m + a.distance_m <= max_length_m) {
                w.candidates[kept++] = w.candidates[k];
            }
        }
        w.candidates.resize(kept);
    }
    std::sort(w.candidates.begin(), w.candidates.end());
}

Candidates find_candidates(const PlanContext& ctx, const NetworkAccess& access,
                           const std::vector<ChildNeed>& needs,
                           const std::vector<TransportChoice>& transport,
                           const Compatibility& compatibility) {
    ctx.report("travel times", 0.2);
    const auto& opt = ctx.options;
    const auto& facilities = ctx.facilities;
    const auto& children = ctx.children;
    const auto* net = access.network();
    const std::size_t n = children.size();
    const std::size_t f_count = facilities.size();
    Candidates out;
    out.of_child.resize(n);
    std::vector<std::size_t> everyone(n);
    std::iota(everyone.begin(), everyone.end(), std::size_t{0});
    // A* potentials (geo::Router::search_targets): per travel mode in use, every node's travel
    // time without closures to the nearest facility that some child could use. Each child's
    // targets are among those facilities, so their order and times are unchanged; the
    // searches settle far fewer nodes.
    out.potential =
        access.nearest_facility_times(modes_of(transport, everyone), [&](std::size_t j) {
            return compatibility.facility_why(j) == Why::ok;
        });
    // A child's first search: every facility compatible with the child (straight-line mode
    // offers them all at once).
    auto search_child = [&](SearchScratch& scratch, std::size_t i) {
        auto& w = out.of_child[i];
        const auto& c = children[i];
        const auto& mode = transport[i].mode;
        w.candidates.clear();
        w.searched_all = true;
        if (needs[i].stays) return; // shelter in place: no destination to search
        const double max_m = transport[i].kind == TransportKind::walk ? opt.walk_max_m : 0.0;
        std::vector<std::uint32_t> compatible;
        for (std::size_t j = 0; j < f_count; ++j) {
            if (compatibility.why_not(needs[i].needs, j) == Why::ok)
                compatible.push_back(static_cast<std::uint32_t>(j));
        }
        if (net) {
            search_on(ctx, access, scratch, c.home, mode, needs[i].earliest_departure_s, compatible,
                      potential_in(out.potential, mode), w, max_m);
            return;
        }
        // A car that sets off at night drives slower (data/timing.toml night.car_speed_factor).
        const double kmh =
            mode == opt.car_mode
                ? opt.straight_line_speed_kmh /
                      car_time_factor(ctx.scenario.manifest.timeline.t0_clock,
                                      needs[i].earliest_departure_s, default_timing())
                : 3.0;
        for (const auto j : compatible) {
            const double d =
                geo::haversine_m(c.home, facilities[j].position) * opt.straight_line_circuity;
            if (max_m > 0.0 && d > max_m) continue;
            w.candidates.push_back({j, static_cast<std::int64_t>(std::ceil(d / (kmh / 3.6)))});
        }
    };
    for_each_child(ctx, access.graph(), everyone, "travel times", 0.2, 0.45, search_child);
    return out;
}

} // namespace sonae::planner::stages
