#include "planner/stages/access.hpp"

#include "core/error.hpp"
#include "planner/timing.hpp"

#include <algorithm>
#include <cmath>
#include <future>
#include <string>

namespace sonae::planner::stages {

std::span<const geo::Distance> potential_in(const Potentials& p, const std::string& mode) {
    const auto it = p.find(mode);
    return it == p.end() ? std::span<const geo::Distance>{}
                         : std::span<const geo::Distance>(it->second);
}

NetworkAccess::NetworkAccess(const PlanContext& ctx)
    : m_network(ctx.scenario.network ? &*ctx.scenario.network : nullptr),
      m_facility_count(ctx.facilities.size()) {
    const auto& opt = ctx.options;
    const auto& facilities = ctx.facilities;
    const auto* net = m_network;
    if (net) {
        ctx.report("road network modes", 0.1);
        m_travel.emplace(*net, ctx.scenario.hazards,
                         std::vector<std::string>{opt.car_mode, opt.walk_mode, opt.wheelchair_mode},
                         opt.max_snap_m);
    }
    // Facilities on the network, per mode.
    if (net) {
        for (const auto& name : {opt.car_mode, opt.walk_mode, opt.wheelchair_mode}) {
            auto& acc = m_facility_access[name];
            if (!acc.empty()) continue;
            acc.reserve(facilities.size());
            for (const auto& f : facilities) acc.push_back(m_travel->access(name, f.position));
        }
        // The car at night (data/timing.toml night.car_speed_factor), only with a clock.
        const auto& timing = default_timing();
        m_car_mode = opt.car_mode;
        m_t0_clock = ctx.scenario.manifest.timeline.t0_clock;
        if (m_t0_clock && timing.night_car_speed_factor < 1.0 &&
            timing.night_starts_min != timing.night_ends_min) {
            const auto& day = m_travel->mode(opt.car_mode).weights_ms;
            m_night_car_weights.resize(day.size());
            for (std::size_t e = 0; e < day.size(); ++e) {
                m_night_car_weights[e] =
                    day[e] == geo::no_edge
                        ? geo::no_edge
                        : static_cast<geo::Weight>(
                              std::min<double>(std::llround(day[e] / timing.night_car_speed_factor),
                                               geo::no_edge - 1));
            }
        }
        for (std::size_t j = 0; j < facilities.size(); ++j) {
            const auto& f = facilities[j];
            const bool curated = f.is(FacilityKind::welfare_shelter) ||
                                 f.is(FacilityKind::hospital) || f.is(FacilityKind::support_centre);
            if (!m_facility_access[opt.car_mode][j].ok && curated) {
                throw InputError("the facility is outside the road network (farther than " +
                                     std::to_string(static_cast<int>(opt.max_snap_m)) +
                                     " m from any road a car can use); check its coordinates or "
                                     "the network's extent",
                                 {.file = ctx.scenario.manifest.manifest_path.string(),
                                  .feature = f.id,
                                  .field = "lon/lat",
                                  .value = std::to_string(f.position.lon) + "," +
                                           std::to_string(f.position.lat)});
            }
        }
    }
}

const std::vector<geo::Weight>& NetworkAccess::weights(const std::string& mode,
                                                       std::int64_t depart_s) const {
    if (mode == m_car_mode && !m_night_car_weights.empty() &&
        is_night(m_t0_clock, depart_s, default_timing())) {
        return m_night_car_weights;
    }
    return m_travel->mode(mode).weights_ms;
}

const std::vector<geo::Weight>& NetworkAccess::weights_within(const std::string& mode,
                                                              std::int64_t from_s,
                                                              std::int64_t to_s) const {
    if (mode == m_car_mode && !m_night_car_weights.empty() &&
        night_within(m_t0_clock, from_s, to_s, default_timing())) {
        return m_night_car_weights;
    }
    return m_travel->mode(mode).weights_ms;
}

std::vector<geo::NodeId>
NetworkAccess::facility_nodes(const std::string& mode,
                              const std::function<bool(std::size_t)>& include) const {
    std::vector<geo::NodeId> nodes;
    const auto& acc = m_facility_access.at(mode);
    for (std::size_t j = 0; j < m_facility_count; ++j) {
        if (acc[j].ok && include(j)) nodes.push_back(acc[j].arrive_node);
    }
    return nodes;
}

Potentials
NetworkAccess::nearest_facility_times(const std::set<std::string>& modes,
                                      const std::function<bool(std::size_t)>& include) const {
    Potentials out;
    if (!m_network || modes.empty()) return out;
    std::vector<std::future<void>> tasks; // one tree per mode, on every core
    for (const auto& name : modes) {
        auto roots = facility_nodes(name, include);
        if (roots.empty()) continue;
        tasks.push_back(std::async(std::launch::async, [this, name, roots = std::move(roots),
                                                        &into = out[name]] {
            geo::Router router(m_travel->graph());
            const auto& tree = router.tree(roots, mode(name).weights_ms, geo::Direction::backward);
            into.assign(tree.distances().begin(), tree.distances().end());
        }));
    }
    for (auto& t : tasks) t.get();
    return out;
}

} // namespace sonae::planner::stages
