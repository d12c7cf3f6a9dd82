#include "planner/detail/vrp_sisr.hpp"

#include "planner/detail/vrp_route.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <numeric>

namespace sonae::planner::vrp::detail {
namespace {

// Parameters from Christiaens & Vanden Berghe (2020), Table 2, except the temperatures,
// which are scaled to the instance (mean arc cost) because our runs are far shorter.
// Temperatures tuned on 12 Solomon instances at 80k iterations (about 1 CPU second):
// T0 = 1.0 x mean arc and Tf = 0.01 x mean arc (the paper's 100 and 1 are about 2.5 and
// 0.025 x mean arc for Solomon, tuned for runs 100x longer).
constexpr double average_removed = 10.0; // c-bar
constexpr double max_string = 10.0;      // L^max
constexpr double split_rate = 0.5;
constexpr double split_depth = 0.01; // beta
constexpr double blink_rate = 0.01;
constexpr double start_temperature_factor = 1.0;
constexpr double final_temperature_factor = 0.01;

struct State {
    std::vector<RouteState> routes;
    std::vector<std::int32_t> route_of;
    std::vector<std::int32_t> unassigned;
    std::int64_t objective = 0;
};

class Search {
public:
    Search(const Instance& in, const Options& options)
        : m_in(in), m_options(options), m_rng(options.seed) {}

    SearchResult run();

private:
    std::int64_t objective(const State& s) const;
    void touch(std::int32_t r);
    void restore();
    void remove_jobs_of_route(std::int32_t r, const std::vector<std::int32_t>& node_indices,
                              std::vector<std::int32_t>& removed);
    void ruin(std::vector<std::int32_t>& removed);
    void recreate(std::vector<std::int32_t>& jobs);
    void sort_for_recreate(std::vector<std::int32_t>& jobs);
    double mean_arc_cost() const;
    double now_s() const;

    const Instance& m_in;
    Options m_options;
    Rng m_rng;
    State m_cur;
    // Undo log for one iteration.
    std::vector<RouteState> m_backup;
    std::vector<std::uint8_t> m_touched;
    std::vector<std::int32_t> m_touched_list;
    std::vector<std::int32_t> m_backup_route_of;
    std::vector<std::int32_t> m_backup_unassigned;
    std::int64_t m_backup_objective = 0;
    std::vector<std::int32_t> m_scratch;
    std::vector<std::uint8_t> m_class_seen;
    std::vector<std::uint8_t> m_ruined;
};

std::int64_t Search::objective(const State& s) const {
    std::int64_t total = 0;
    for (const RouteState& r : s.routes) {
        if (r.empty()) continue;
        total += r.cost + m_in.vehicles[static_cast<std::size_t>(r.vehicle)].fixed_cost;
    }
    return total + static_cast<std::int64_t>(s.unassigned.size()) * m_in.problem->unserved_penalty;
}

void Search::touch(std::int32_t r) {
    const auto i = static_cast<std::size_t>(r);
    if (m_touched[i]) return;
    m_touched[i] = 1;
    m_backup[i] = m_cur.routes[i];
    m_touched_list.push_back(r);
}

void Search::restore() {
    for (std::int32_t r : m_touched_list) {
        m_cur.routes[static_cast<std::size_t>(r)] = m_backup[static_cast<std::size_t>(r)];
    }
    m_cur.route_of = m_backup_route_of;
    m_cur.unassigned = m_backup_unassigned;
    m_cur.objective = m_backup_objective;
}

void Search::remove_jobs_of_route(std::int32_t r, const std::vector<std::int32_t>& node_indices,
                                  std::vector<std::int32_t>& removed) {
    RouteState& route = m_cur.routes[static_cast<std::size_t>(r)];
    touch(r);
    for (std::int32_t idx : node_indices) {
        const std::int32_t job =
            m_in.nodes[static_cast<std::size_t>(route.nodes[static_cast<std::size_t>(idx)])].job;
        if (m_cur.route_of[static_cast<std::size_t>(job)] == r) {
            m_cur.route_of[static_cast<std::size_t>(job)] = -1;
            removed.push_back(job);
        }
    }
    std::erase_if(route.nodes, [&](std::int32_t node) {
        return m_cur.route_of[static_cast<std::size_t>(
                   m_in.nodes[static_cast<std::size_t>(node)].job)] != r;
    });
    route.refresh(m_in);
    if (!route.feasible) {
        // Without the triangle inequality (truncated distances, road times) a removal can
        // make a tour later; empty the tour rather than keep an infeasible one.
        for (std::int32_t node : route.nodes) {
            const std::int32_t job = m_in.nodes[static_cast<std::size_t>(node)].job;
            if (m_cur.route_of[static_cast<std::size_t>(job)] == r) {
                m_cur.route_of[static_cast<std::size_t>(job)] = -1;
                removed.push_back(job);
            }
        }
        route.nodes.clear();
        route.refresh(m_in);
    }
}

void Search::ruin(std::vector<std::int32_t>& removed) {
    std::int64_t nodes_in_routes = 0;
    std::int64_t used_routes = 0;
    for (const RouteState& r : m_cur.routes) {
        if (r.empty()) continue;
        nodes_in_routes += r.size();
        ++used_routes;
    }
    if (used_routes == 0) return;
    const double average_size =
        static_cast<double>(nodes_in_routes) / static_cast<double>(used_routes);
    const double ls_max = std::min(max_string, average_size);
    const double ks_max = 4.0 * average_removed / (1.0 + ls_max) - 1.0;
    const auto ks = static_cast<std::int32_t>(1.0 + m_rng.uniform() * ks_max);

    std::fill(m_ruined.begin(), m_ruined.end(), 0);
    const std::int32_t seed = m_rng.below(m_in.job_count);
    std::int32_t ruined = 0;
    std::vector<std::int32_t> indices;
    for (std::int32_t c : m_in.neighbours[static_cast<std::size_t>(seed)]) {
        if (ruined >= ks) break;
        const std::int32_t r = m_cur.route_of[static_cast<std::size_t>(c)];
        if (r < 0 || m_ruined[static_cast<std::size_t>(r)]) continue;
        const RouteState& route = m_cur.routes[static_cast<std::size_t>(r)];
        const std::int32_t size = route.size();
        std::int32_t p = 0;
        while (m_in.nodes[static_cast<std::size_t>(route.nodes[static_cast<std::size_t>(p)])].job !=
               c)
            ++p;
        const auto l_max = static_cast<std::int32_t>(std::min<double>(size, ls_max));
        const std::int32_t l = 1 + m_rng.below(std::max(1, l_max));
        indices.clear();
        if (l < size && m_rng.uniform() < split_rate) {
            std::int32_t m = 1;
            while (l + m < size && m_rng.uniform() >= split_depth) ++m;
            const std::int32_t length = l + m;
            const std::int32_t lo = std::max(0, p - length + 1);
            const std::int32_t hi = std::min(p, size - length);
            const std::int32_t a = lo + m_rng.below(hi - lo + 1);
            const std::int32_t keep = a + m_rng.below(length - m + 1);
            for (std::int32_t k = a; k < a + length; ++k) {
                if (k < keep || k >= keep + m) indices.push_back(k);
            }
        } else {
            const std::int32_t lo = std::max(0, p - l + 1);
            const std::int32_t hi = std::min(p, size - l);
            const std::int32_t a = lo + m_rng.below(hi - lo + 1);
            for (std::int32_t k = a; k < a + l; ++k) indices.push_back(k);
        }
        m_ruined[static_cast<std::size_t>(r)] = 1;
        remove_jobs_of_route(r, indices, removed);
        ++ruined;
    }
}

void Search::sort_for_recreate(std::vector<std::int32_t>& jobs) {
    // Shuffle first so that ties are broken at random.
    for (std::size_t i = jobs.size(); i > 1; --i) {
        std::swap(jobs[i - 1],
                  jobs[static_cast<std::size_t>(m_rng.below(static_cast<std::int32_t>(i)))]);
    }
    const std::int32_t pick = m_rng.below(11);
    if (pick < 4) return; // random order
    if (pick < 8) {
        auto size = [&](std::int32_t j) {
            const Amount& d = m_in.problem->jobs[static_cast<std::size_t>(j)].demand;
            return std::accumulate(d.begin(), d.end(), std::int64_t{0});
        };
        std::stable_sort(jobs.begin(), jobs.end(),
                         [&](std::int32_t a, std::int32_t b) { return size(a) > size(b); });
    } else if (pick < 10) {
        std::stable_sort(jobs.begin(), jobs.end(), [&](std::int32_t a, std::int32_t b) {
            return m_in.depot_distance[static_cast<std::size_t>(a)] >
                   m_in.depot_distance[static_cast<std::size_t>(b)];
        });
    } else {
        std::stable_sort(jobs.begin(), jobs.end(), [&](std::int32_t a, std::int32_t b) {
            return m_in.depot_distance[static_cast<std::size_t>(a)] <
                   m_in.depot_distance[static_cast<std::size_t>(b)];
        });
    }
}

void Search::recreate(std::vector<std::int32_t>& jobs) {
    sort_for_recreate(jobs);
    for (std::int32_t job : jobs) {
        Insertion best;
        std::fill(m_class_seen.begin(), m_class_seen.end(), 0);
        for (std::size_t r = 0; r < m_cur.routes.size(); ++r) {
            const RouteState& route = m_cur.routes[r];
            if (!m_in.can_serve(route.vehicle, job)) continue;
            std::int64_t extra = 0;
            if (route.empty()) {
                const VehicleInfo& v = m_in.vehicles[static_cast<std::size_t>(route.vehicle)];
                auto& seen = m_class_seen[static_cast<std::size_t>(v.vehicle_class)];
                if (seen) continue;
                seen = 1;
                extra = v.fixed_cost;
            }
            find_insertion(m_in, route, static_cast<std::int32_t>(r), job, extra, blink_rate, m_rng,
                           best, m_scratch);
        }
        if (best.route < 0) {
            m_cur.unassigned.push_back(job);
            continue;
        }
        touch(best.route);
        apply_insertion(m_in, m_cur.routes[static_cast<std::size_t>(best.route)], job, best);
        m_cur.route_of[static_cast<std::size_t>(job)] = best.route;
    }
}

double Search::mean_arc_cost() const {
    std::vector<std::int32_t> locations;
    for (std::int32_t j = 0; j < m_in.job_count && locations.size() < 400; ++j) {
        if (m_in.impossible[static_cast<std::size_t>(j)]) continue;
        locations.push_back(m_in.delivery(j).location);
        if (m_in.is_pd[static_cast<std::size_t>(j)]) locations.push_back(m_in.pickup(j).location);
    }
    double sum = 0.0;
    std::int64_t count = 0;
    for (std::int32_t a : locations) {
        for (std::int32_t b : locations) {
            if (a == b) continue;
            sum += static_cast<double>(m_in.cst(a, b));
            ++count;
        }
    }
    return count == 0 ? 1.0 : std::max(1.0, sum / static_cast<double>(count));
}

double Search::now_s() const {
    if (m_options.cpu_time) {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

SearchResult Search::run() {
    const double started = now_s();
    const std::size_t vehicles = m_in.vehicles.size();
    m_cur.routes.resize(vehicles);
    for (std::size_t v = 0; v < vehicles; ++v) {
        m_cur.routes[v].vehicle = static_cast<std::int32_t>(v);
        m_cur.routes[v].refresh(m_in);
    }
    m_backup.resize(vehicles);
    m_touched.assign(vehicles, 0);
    m_ruined.assign(vehicles, 0);
    std::int32_t classes = 0;
    for (const VehicleInfo& v : m_in.vehicles) classes = std::max(classes, v.vehicle_class + 1);
    m_class_seen.assign(static_cast<std::size_t>(classes), 0);
    m_cur.route_of.assign(static_cast<std::size_t>(m_in.job_count), -1);

    std::vector<std::int32_t> pending;
    for (std::int32_t j = 0; j < m_in.job_count; ++j) {
        if (!m_in.impossible[static_cast<std::size_t>(j)]) pending.push_back(j);
    }
    recreate(pending);
    m_cur.objective = objective(m_cur);
    m_touched_list.clear();
    std::fill(m_touched.begin(), m_touched.end(), 0);

    SearchResult best;
    auto save_best = [&] {
        best.tours.resize(vehicles);
        for (std::size_t v = 0; v < vehicles; ++v) best.tours[v] = m_cur.routes[v].nodes;
        best.unassigned = m_cur.unassigned;
    };
    save_best();
    std::int64_t best_objective = m_cur.objective;

    const double scale = mean_arc_cost();
    const double t0 = start_temperature_factor * scale;
    const double tf = final_temperature_factor * scale;
    const bool has_time = m_options.time_limit_s > 0.0;
    const bool has_iterations = m_options.iteration_limit > 0;
    std::int64_t iteration = 0;
    std::vector<std::int32_t> removed;
    if (pending.empty()) {
        best.iterations = 0;
        return best;
    }
    while (true) {
        double progress = 0.0;
        if (has_iterations) {
            progress =
                static_cast<double>(iteration) / static_cast<double>(m_options.iteration_limit);
        }
        if (has_time) {
            const double elapsed = now_s() - started;
            progress = std::max(progress, elapsed / m_options.time_limit_s);
        }
        if (progress >= 1.0) break;
        const double temperature = t0 * std::pow(tf / t0, progress);

        m_backup_route_of = m_cur.route_of;
        m_backup_unassigned = m_cur.unassigned;
        m_backup_objective = m_cur.objective;
        removed.clear();
        ruin(removed);
        removed.insert(removed.end(), m_cur.unassigned.begin(), m_cur.unassigned.end());
        m_cur.unassigned.clear();
        recreate(removed);
        m_cur.objective = objective(m_cur);

        const double threshold = static_cast<double>(m_backup_objective) -
                                 temperature * std::log(m_rng.uniform() + 1e-300);
        if (static_cast<double>(m_cur.objective) < threshold) {
            if (m_cur.objective < best_objective) {
                best_objective = m_cur.objective;
                save_best();
            }
        } else {
            restore();
        }
        for (std::int32_t r : m_touched_list) m_touched[static_cast<std::size_t>(r)] = 0;
        m_touched_list.clear();
        ++iteration;
    }
    best.iterations = iteration;
    return best;
}

} // namespace

SearchResult run_sisr(const Instance& instance, const Options& options) {
    Search search(instance, options);
    return search.run();
}

} // namespace sonae::planner::vrp::detail
