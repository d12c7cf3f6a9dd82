// bench_geo_routing: times sonae's routing on one network, with the Dijkstra Router and with
// the contraction hierarchy (preprocessing timed separately), checks that both give identical
// answers, and exports the same graph and queries (with those answers) so that run.sh can
// replay them in networkx and pgRouting.
//
//   bench_geo_routing --network FILE [--mode car|length] [--trees N] [--pairs N]
//                     [--matrix N] [--seed S] [--export DIR]
//   bench_geo_routing --synthetic-grid SIDE      (SIDE x SIDE grid: build time and memory)
//
// Prints one JSON object on stdout. Sources and targets are drawn (seeded) from the largest
// strongly connected component so that every query has an answer.
#include "geo/components.hpp"
#include "geo/contraction.hpp"
#include "geo/dimacs.hpp"
#include "geo/load_network.hpp"
#include "geo/routing.hpp"
#include "geo/travel_mode.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <string>
#include <vector>

using namespace sonae::geo;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// CPU time of this thread: less disturbed than wall time when other jobs share the cores.
double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0.0 : v[v.size() / 2];
}

double sum(const std::vector<double>& v) {
    double total = 0.0;
    for (const auto x : v) total += x;
    return total;
}

// The CH must give the Dijkstra answers exactly; a difference ends the benchmark.
void require(bool same, const std::string& what) {
    if (same) return;
    std::cerr << "bench_geo_routing: contraction hierarchy differs from Dijkstra: " << what << '\n';
    std::exit(4);
}

struct Args {
    std::string network;
    std::string mode = "auto";
    int trees = 20;
    int pairs = 200;
    int matrix = 50;
    unsigned seed = 20240101;
    std::string export_dir;
    int grid_side = 0;
};

Args parse(int argc, char** argv) {
    Args a;
    for (int i = 1; i < argc; ++i) {
        const std::string k = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << "missing value for " << k << '\n';
                std::exit(1);
            }
            return argv[++i];
        };
        if (k == "--network")
            a.network = next();
        else if (k == "--mode")
            a.mode = next();
        else if (k == "--trees")
            a.trees = std::stoi(next());
        else if (k == "--pairs")
            a.pairs = std::stoi(next());
        else if (k == "--matrix")
            a.matrix = std::stoi(next());
        else if (k == "--seed")
            a.seed = static_cast<unsigned>(std::stoul(next()));
        else if (k == "--export")
            a.export_dir = next();
        else if (k == "--synthetic-grid")
            a.grid_side = std::stoi(next());
        else {
            std::cerr << "unknown argument " << k << '\n';
            std::exit(1);
        }
    }
    if (a.network.empty() && a.grid_side == 0) {
        std::cerr << "usage: bench_geo_routing --network FILE [...] | --synthetic-grid SIDE\n";
        std::exit(1);
    }
    return a;
}

// A grid-like city: SIDE x SIDE junctions 80 m apart around Ube, two-way streets, every
// fifth street a secondary road with a 40 km/h limit, 10 % one-way streets, every street
// with one shape point (as imported OSM ways often have).
int synthetic_grid(int side) {
    const auto start = Clock::now();
    RoadNetworkBuilder b;
    std::mt19937 rng(7);
    const double dlat = 80.0 / 111195.0;
    const double dlon = 80.0 / (111195.0 * std::cos(33.95 * M_PI / 180.0));
    auto id = [side](int r, int c) { return static_cast<std::int64_t>(r) * side + c + 1; };
    for (int r = 0; r < side; ++r)
        for (int c = 0; c < side; ++c)
            b.add_node(id(r, c), LonLat{131.0 + c * dlon, 34.2 - r * dlat});
    std::int64_t way = 0;
    auto street = [&](int r0, int c0, int r1, int c1, bool major) {
        EdgeAttributes a;
        a.length_m = 80.0;
        a.road_class = major ? RoadClass::secondary : RoadClass::residential;
        a.maxspeed_kmh = major ? 40 : 0;
        a.original_id = ++way;
        const bool oneway = !major && rng() % 10 == 0;
        const LonLat mid{131.0 + (c0 + c1) * 0.5 * dlon + 1e-6, 34.2 - (r0 + r1) * 0.5 * dlat};
        const LonLat inner[] = {mid};
        const auto u = NodeId(static_cast<std::uint32_t>(id(r0, c0) - 1));
        const auto v = NodeId(static_cast<std::uint32_t>(id(r1, c1) - 1));
        b.add_edge(u, v, a, inner);
        EdgeAttributes back = a;
        if (oneway) back.flags |= edge_against_oneway;
        b.add_edge(v, u, back, inner);
    };
    for (int r = 0; r < side; ++r)
        for (int c = 0; c < side; ++c) {
            if (c + 1 < side) street(r, c, r, c + 1, r % 5 == 0);
            if (r + 1 < side) street(r, c, r + 1, c, c % 5 == 0);
        }
    const double add_ms = ms_since(start);
    const auto build_start = Clock::now();
    const RoadNetwork net = std::move(b).build();
    const double build_ms = ms_since(build_start);
    const auto rg_start = Clock::now();
    const RoutingGraph graph(net);
    const double rg_ms = ms_since(rg_start);
    auto w = length_weights(net);
    for (std::uint32_t e = 0; e < net.edge_count(); ++e)
        if (net.flags(EdgeId(e)) & edge_against_oneway) w[e] = no_edge;
    Router router(graph);
    std::vector<double> tree_ms;
    for (int i = 0; i < 5; ++i) {
        const auto t0 = Clock::now();
        const auto& tree =
            router.tree(NodeId(static_cast<std::uint32_t>(rng() % net.node_count())), w);
        tree_ms.push_back(ms_since(t0));
        if (tree.distances().empty()) return 3;
    }
    const auto bytes = net.memory_bytes();
    std::cout << "{\"network\":\"synthetic-grid-" << side << "\",\"nodes\":" << net.node_count()
              << ",\"edges\":" << net.edge_count() << ",\"builder_fill_ms\":" << add_ms
              << ",\"build_ms\":" << build_ms << ",\"fill_plus_build_ms\":" << add_ms + build_ms
              << ",\"memory_bytes\":" << bytes
              << ",\"bytes_per_edge\":" << static_cast<double>(bytes) / net.edge_count()
              << ",\"routing_graph_build_ms\":" << rg_ms
              << ",\"tree_ms_median\":" << median(tree_ms) << "}\n";
    return 0;
}

} // namespace

int main(int argc, char** argv) try {
    const Args args = parse(argc, argv);
    if (args.grid_side > 0) return synthetic_grid(args.grid_side);

    const std::filesystem::path path(args.network);
    const bool dimacs = path.extension() == ".gr";
    auto t0 = Clock::now();
    const RoadNetwork net =
        dimacs ? read_dimacs(path) : load_road_network(path, {.project = false});
    const double load_ms = ms_since(t0);

    const std::string mode = args.mode == "auto" ? (dimacs ? "length" : "car") : args.mode;
    const std::vector<Weight> w = mode == "length"
                                      ? length_weights(net)
                                      : travel_time_weights_ms(net, load_travel_profile(mode));

    t0 = Clock::now();
    const RoutingGraph graph(net);
    const double graph_ms = ms_since(t0);
    Router router(graph);

    const auto comps = strong_components(net, w);
    std::vector<NodeId> main_nodes;
    for (std::uint32_t u = 0; u < net.node_count(); ++u)
        if (comps.in_largest(NodeId(u))) main_nodes.push_back(NodeId(u));
    std::mt19937 rng(args.seed);
    auto pick = [&] { return main_nodes[rng() % main_nodes.size()]; };

    // One-to-all trees (warm-up run first, then each source timed once).
    std::vector<NodeId> tree_sources;
    for (int i = 0; i < args.trees; ++i) tree_sources.push_back(pick());
    router.tree(tree_sources.front(), w);
    std::vector<double> tree_ms;
    std::vector<double> tree_cpu_ms;
    std::vector<std::pair<std::int64_t, Distance>> tree_answers; // reached count, sum
    for (const auto s : tree_sources) {
        t0 = Clock::now();
        const double c0 = thread_cpu_ms();
        const auto& tree = router.tree(s, w);
        tree_cpu_ms.push_back(thread_cpu_ms() - c0);
        tree_ms.push_back(ms_since(t0));
        std::int64_t reached = 0;
        Distance sum = 0;
        for (const auto d : tree.distances()) {
            if (d == unreachable) continue;
            ++reached;
            sum += d;
        }
        tree_answers.emplace_back(reached, sum);
    }
    // Backward trees (all nodes to one node), same sources.
    std::vector<double> back_ms;
    for (const auto s : tree_sources) {
        t0 = Clock::now();
        router.tree(s, w, Direction::backward);
        back_ms.push_back(ms_since(t0));
    }

    // Point to point.
    std::vector<std::pair<NodeId, NodeId>> pairs;
    for (int i = 0; i < args.pairs; ++i) pairs.emplace_back(pick(), pick());
    std::vector<Distance> pair_answers;
    t0 = Clock::now();
    double c0 = thread_cpu_ms();
    for (const auto& [s, t] : pairs) {
        const auto r = router.route(s, t, w);
        pair_answers.push_back(r ? r->cost : -1);
    }
    const double pairs_cpu_ms = thread_cpu_ms() - c0;
    const double pairs_ms = ms_since(t0);

    // Many to many.
    std::vector<NodeId> msrc;
    std::vector<NodeId> mdst;
    for (int i = 0; i < args.matrix; ++i) msrc.push_back(pick());
    for (int i = 0; i < args.matrix; ++i) mdst.push_back(pick());
    t0 = Clock::now();
    c0 = thread_cpu_ms();
    const DistanceMatrix matrix = router.many_to_many(msrc, mdst, w);
    const double matrix_cpu_ms = thread_cpu_ms() - c0;
    const double matrix_ms = ms_since(t0);

    // Contraction hierarchy: preprocessing once, then the same queries with one ChQuery.
    t0 = Clock::now();
    c0 = thread_cpu_ms();
    const ContractionHierarchy ch(graph, w);
    const double ch_build_cpu_ms = thread_cpu_ms() - c0;
    const double ch_build_ms = ms_since(t0);
    ChQuery query(ch);

    query.tree(tree_sources.front());
    std::vector<double> ch_tree_ms;
    std::vector<double> ch_tree_cpu_ms;
    for (std::size_t i = 0; i < tree_sources.size(); ++i) {
        t0 = Clock::now();
        c0 = thread_cpu_ms();
        const auto dist = query.tree(tree_sources[i]);
        ch_tree_cpu_ms.push_back(thread_cpu_ms() - c0);
        ch_tree_ms.push_back(ms_since(t0));
        std::int64_t reached = 0;
        Distance total = 0;
        for (const auto d : dist) {
            if (d == unreachable) continue;
            ++reached;
            total += d;
        }
        require(reached == tree_answers[i].first && total == tree_answers[i].second,
                "tree " + std::to_string(i));
    }
    std::vector<double> ch_back_ms;
    for (const auto s : tree_sources) {
        t0 = Clock::now();
        query.tree(s, Direction::backward);
        ch_back_ms.push_back(ms_since(t0));
    }
    // Untimed: every distance of every tree, both directions, against the Router.
    for (const auto s : tree_sources) {
        for (const auto dir : {Direction::forward, Direction::backward}) {
            const auto want = router.tree(s, w, dir).distances();
            const auto got = query.tree(s, dir);
            require(std::equal(got.begin(), got.end(), want.begin(), want.end()),
                    "tree distances from node " + std::to_string(s.value()));
        }
    }

    // Point to point with the path unpacked to network edges (as Router::route returns it).
    std::vector<Distance> ch_pair_answers;
    std::size_t ch_pair_edges = 0;
    t0 = Clock::now();
    c0 = thread_cpu_ms();
    for (const auto& [s, t] : pairs) {
        const auto r = query.route(s, t);
        ch_pair_answers.push_back(r ? r->cost : -1);
        ch_pair_edges += r ? r->edges.size() : 0;
    }
    const double ch_pairs_cpu_ms = thread_cpu_ms() - c0;
    const double ch_pairs_ms = ms_since(t0);
    require(ch_pair_answers == pair_answers, "point-to-point distances");
    // Distance only (no path), for the record.
    std::vector<Distance> ch_distance_answers;
    t0 = Clock::now();
    for (const auto& [s, t] : pairs) {
        const auto d = query.distance(s, t);
        ch_distance_answers.push_back(d == unreachable ? -1 : d);
    }
    const double ch_pairs_distance_ms = ms_since(t0);
    require(ch_distance_answers == pair_answers, "point-to-point distances without paths");

    t0 = Clock::now();
    c0 = thread_cpu_ms();
    const DistanceMatrix ch_matrix = query.many_to_many(msrc, mdst);
    const double ch_matrix_cpu_ms = thread_cpu_ms() - c0;
    const double ch_matrix_ms = ms_since(t0);
    require(ch_matrix == matrix, "matrix");

    if (!args.export_dir.empty()) {
        const std::filesystem::path dir(args.export_dir);
        std::filesystem::create_directories(dir);
        auto oid = [&](NodeId u) { return net.original_node_id(u); };
        std::ofstream edges(dir / "edges.csv");
        edges << "id,source,target,cost\n";
        std::uint32_t usable = 0;
        for (std::uint32_t e = 0; e < net.edge_count(); ++e) {
            if (w[e] == no_edge) continue;
            edges << ++usable << ',' << oid(net.tail(EdgeId(e))) << ',' << oid(net.head(EdgeId(e)))
                  << ',' << w[e] << '\n';
        }
        std::ofstream nodes(dir / "nodes.csv");
        nodes << "id\n";
        for (std::uint32_t u = 0; u < net.node_count(); ++u) nodes << oid(NodeId(u)) << '\n';
        std::ofstream trees(dir / "trees.csv");
        trees << "source,reached,sum_dist\n";
        for (std::size_t i = 0; i < tree_sources.size(); ++i)
            trees << oid(tree_sources[i]) << ',' << tree_answers[i].first << ','
                  << tree_answers[i].second << '\n';
        std::ofstream p2p(dir / "pairs.csv");
        p2p << "source,target,dist\n";
        for (std::size_t i = 0; i < pairs.size(); ++i)
            p2p << oid(pairs[i].first) << ',' << oid(pairs[i].second) << ',' << pair_answers[i]
                << '\n';
        std::ofstream mx(dir / "matrix.csv");
        mx << "source,target,dist\n";
        for (std::size_t i = 0; i < msrc.size(); ++i)
            for (std::size_t j = 0; j < mdst.size(); ++j)
                mx << oid(msrc[i]) << ',' << oid(mdst[j]) << ','
                   << matrix(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) << '\n';
    }

    std::cout << "{\"network\":\"" << path.filename().string() << "\",\"mode\":\"" << mode
              << "\",\"nodes\":" << net.node_count() << ",\"edges\":" << net.edge_count()
              << ",\"usable_edges\":"
              << std::count_if(w.begin(), w.end(), [](Weight x) { return x != no_edge; })
              << ",\"largest_scc\":" << comps.sizes.at(0) << ",\"load_ms\":" << load_ms
              << ",\"routing_graph_build_ms\":" << graph_ms << ",\"trees\":" << tree_ms.size()
              << ",\"tree_ms_median\":" << median(tree_ms)
              << ",\"tree_ms_min\":" << *std::min_element(tree_ms.begin(), tree_ms.end())
              << ",\"tree_cpu_ms_median\":" << median(tree_cpu_ms)
              << ",\"backward_tree_ms_median\":" << median(back_ms) << ",\"pairs\":" << pairs.size()
              << ",\"pairs_total_ms\":" << pairs_ms << ",\"pairs_cpu_ms\":" << pairs_cpu_ms
              << ",\"matrix\":\"" << msrc.size() << "x" << mdst.size()
              << "\",\"matrix_ms\":" << matrix_ms << ",\"matrix_cpu_ms\":" << matrix_cpu_ms
              << ",\"tree_ms_total\":" << sum(tree_ms) << ",\"ch\":{\"build_ms\":" << ch_build_ms
              << ",\"build_cpu_ms\":" << ch_build_cpu_ms
              << ",\"input_arcs\":" << ch.stats().input_arcs
              << ",\"shortcuts\":" << ch.stats().shortcuts
              << ",\"upward_arcs\":" << ch.stats().upward_arcs
              << ",\"downward_arcs\":" << ch.stats().downward_arcs
              << ",\"memory_bytes\":" << ch.stats().memory_bytes
              << ",\"tree_ms_median\":" << median(ch_tree_ms)
              << ",\"tree_ms_min\":" << *std::min_element(ch_tree_ms.begin(), ch_tree_ms.end())
              << ",\"tree_ms_total\":" << sum(ch_tree_ms)
              << ",\"tree_cpu_ms_median\":" << median(ch_tree_cpu_ms)
              << ",\"backward_tree_ms_median\":" << median(ch_back_ms)
              << ",\"pairs_total_ms\":" << ch_pairs_ms << ",\"pairs_cpu_ms\":" << ch_pairs_cpu_ms
              << ",\"pairs_distance_only_ms\":" << ch_pairs_distance_ms
              << ",\"pairs_path_edges\":" << ch_pair_edges << ",\"matrix_ms\":" << ch_matrix_ms
              << ",\"matrix_cpu_ms\":" << ch_matrix_cpu_ms << "}}\n";
    return 0;
} catch (const std::exception& e) {
    std::cerr << "bench_geo_routing: " << e.what() << '\n';
    return 2;
}
