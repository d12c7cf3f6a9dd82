// Property: on a grid under a spreading flood, a route computed for departure time t never
// enters an edge that closes before the traveller has left it, and it is the earliest such
// route (checked against a plain label-correcting search written here).
#include "geo/hazard.hpp"
#include "geo/road_network.hpp"
#include "geo/routing.hpp"
#include "geo/travel_mode.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <random>

namespace sonae::geo {
namespace {

constexpr int grid = 9;           // 9 x 9 nodes
constexpr double spacing_m = 120; // metres between neighbours
constexpr double metres_per_degree_lat = 111'320.0;
const LonLat origin{131.24, 33.94};

LonLat node_position(int i, int j) {
    const double lon_m =
        metres_per_degree_lat * std::cos(origin.lat * 3.14159265358979323846 / 180.0);
    return {origin.lon + i * spacing_m / lon_m, origin.lat + j * spacing_m / metres_per_degree_lat};
}

RoadNetwork grid_network() {
    RoadNetworkBuilder builder;
    std::vector<NodeId> nodes;
    for (int j = 0; j < grid; ++j) {
        for (int i = 0; i < grid; ++i)
            nodes.push_back(builder.add_node(j * grid + i + 1, node_position(i, j)));
    }
    std::int64_t way = 1;
    const auto road = [&](int a, int b) {
        const double length =
            haversine_m(node_position(a % grid, a / grid), node_position(b % grid, b / grid));
        const EdgeAttributes attributes{
            .length_m = length, .road_class = RoadClass::residential, .original_id = way++};
        builder.add_edge(nodes[a], nodes[b], attributes);
        builder.add_edge(nodes[b], nodes[a], attributes);
    };
    for (int j = 0; j < grid; ++j) {
        for (int i = 0; i < grid; ++i) {
            if (i + 1 < grid) road(j * grid + i, j * grid + i + 1);
            if (j + 1 < grid) road(j * grid + i, (j + 1) * grid + i);
        }
    }
    return std::move(builder).build();
}

// A flood that starts along a river through column `river` and spreads sideways: cell
// (i, j) floods at base + |i - river| * spread plus jitter, with a random depth.
Hazards spreading_flood(std::mt19937& rng) {
    std::uniform_int_distribution<int> river_pick(1, grid - 2);
    std::uniform_real_distribution<double> depth_pick(0.05, 1.5);
    std::uniform_real_distribution<double> jitter(0.0, 4.0);
    std::bernoulli_distribution wet(0.3);
    const int river = river_pick(rng);
    const double base_min = 4.0;
    const double spread_min = 4.0;
    HazardsBuilder builder;
    for (int j = 0; j + 1 < grid; ++j) {
        for (int i = 0; i + 1 < grid; ++i) {
            if (!wet(rng)) continue;
            // The cell between nodes (i, j) and (i+1, j+1), grown by a few metres so that it
            // covers the roads around it.
            const LonLat a = node_position(i, j);
            const LonLat b = node_position(i + 1, j + 1);
            const double pad_lon = (b.lon - a.lon) * 0.05;
            const double pad_lat = (b.lat - a.lat) * 0.05;
            const LonLatPolygon cell{{{a.lon - pad_lon, a.lat - pad_lat},
                                      {b.lon + pad_lon, a.lat - pad_lat},
                                      {b.lon + pad_lon, b.lat + pad_lat},
                                      {a.lon - pad_lon, b.lat + pad_lat},
                                      {a.lon - pad_lon, a.lat - pad_lat}}};
            const double onset_min = base_min + std::abs(i - river) * spread_min + jitter(rng);
            builder.add_area({.kind = HazardKind::flood,
                              .depth_m = depth_pick(rng),
                              .onset_ms = static_cast<std::int64_t>(onset_min * 60'000),
                              .feature_id = std::to_string(i) + "," + std::to_string(j)},
                             std::vector<LonLatPolygon>{cell});
        }
    }
    return std::move(builder).build();
}

// Earliest arrival by plain label correcting (Bellman-Ford over edges), for comparison.
std::vector<std::int64_t> reference_arrivals(const RoadNetwork& net, NodeId from,
                                             std::int64_t departure,
                                             std::span<const Weight> weights,
                                             std::span<const std::int64_t> closed_from) {
    std::vector<std::int64_t> best(net.node_count(), unreachable);
    best[from.value()] = departure;
    for (bool changed = true; changed;) {
        changed = false;
        for (std::uint32_t e = 0; e < net.edge_count(); ++e) {
            const auto u = net.tail(EdgeId(e)).value();
            const auto v = net.head(EdgeId(e)).value();
            if (best[u] == unreachable || weights[e] == no_edge) continue;
            const std::int64_t leave = best[u] + weights[e];
            if (leave <= closed_from[e] && leave < best[v]) {
                best[v] = leave;
                changed = true;
            }
        }
    }
    return best;
}

TEST(HazardRoutingProperty, RoutesNeverUseAClosedEdgeAndAreEarliest) {
    const RoadNetwork net = grid_network();
    const RoutingGraph graph(net);
    Router router(graph);
    std::mt19937 rng(20260701);
    int routes = 0;
    int blocked = 0;
    int detours = 0;
    int closed_edges_seen = 0;
    for (int scenario = 0; scenario < 12; ++scenario) {
        const Hazards flood = spreading_flood(rng);
        const EdgeHazardOverlay overlay(net, flood);
        for (const char* mode : {"car", "walk", "wheelchair"}) {
            const auto closures = edge_closures(overlay, closure_rules(mode));
            closed_edges_seen += static_cast<int>(closures.closed_count);
            const auto weights =
                apply_slowdowns(travel_time_weights_ms(net, load_travel_profile(mode)), closures);
            std::uniform_int_distribution<std::uint32_t> node_pick(0, net.node_count() - 1);
            std::uniform_int_distribution<std::int64_t> departure_pick(0, 12 * 60'000);
            for (int trial = 0; trial < 25; ++trial) {
                const NodeId from(node_pick(rng));
                const NodeId to(node_pick(rng));
                const std::int64_t departure = departure_pick(rng);
                const auto route =
                    router.earliest_arrival(from, to, departure, weights, closures.closed_from_ms);
                const auto reference =
                    reference_arrivals(net, from, departure, weights, closures.closed_from_ms);
                if (!route) {
                    EXPECT_EQ(reference[to.value()], unreachable)
                        << "a route exists but was not found";
                    ++blocked;
                    continue;
                }
                ++routes;
                // Walk the route: each edge entered at t must be left by its closing time.
                std::int64_t t = departure;
                NodeId at = from;
                for (const EdgeId e : route->edges) {
                    ASSERT_EQ(net.tail(e), at) << "route is not connected";
                    const std::int64_t leave = t + weights[e.value()];
                    EXPECT_LE(leave, closures.closed_from_ms[e.value()])
                        << mode << ": edge " << e.value() << " entered at " << t
                        << " ms is closed from " << closures.closed_from_ms[e.value()] << " ms";
                    t = leave;
                    at = net.head(e);
                }
                EXPECT_EQ(at, to);
                EXPECT_EQ(route->arrival(), t);
                EXPECT_EQ(t, reference[to.value()]) << "not the earliest arrival";
                // Did the hazard change the route? (Keeps the test from passing vacuously.)
                const auto free_route = router.route(from, to, weights);
                if (free_route && free_route->edges != route->edges) ++detours;
            }
        }
    }
    EXPECT_GT(closed_edges_seen, 100);
    EXPECT_GT(routes, 300);
    EXPECT_GT(blocked, 10);
    EXPECT_GT(detours, 20);
    std::cout << "routes " << routes << ", blocked " << blocked << ", detours " << detours << '\n';
}

} // namespace
} // namespace sonae::geo
