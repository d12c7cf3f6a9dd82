#pragma once
/// The immutable road network: a directed graph in CSR arrays behind strong ids.
///
/// Every importer (OSM, GDAL line layers, DIMACS) fills a RoadNetworkBuilder and calls
/// build(). A two-way street is two directed edges; the reverse edge of a one-way street is
/// kept with the flag against_oneway so that walking can still use it while driving cannot.
/// Travel-mode weights are separate arrays over the same edges (geo/travel_mode.hpp).

#include "core/strong_id.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sonae::geo {

struct NodeTag {};
struct EdgeTag {};
using NodeId = StrongId<NodeTag>;
using EdgeId = StrongId<EdgeTag>;

/// Geographic position in degrees, WGS84/JGD2011 (they agree to well under a metre here).
struct LonLat {
    double lon = 0.0;
    double lat = 0.0;
    friend bool operator==(const LonLat&, const LonLat&) = default;
};

/// Projected position in metres (x east, y north) in the network's metric CRS.
struct XY {
    double x = 0.0;
    double y = 0.0;
    friend bool operator==(const XY&, const XY&) = default;
};

/// OpenStreetMap highway classes that matter for routing, plus "other".
enum class RoadClass : std::uint8_t {
    motorway,
    motorway_link,
    trunk,
    trunk_link,
    primary,
    primary_link,
    secondary,
    secondary_link,
    tertiary,
    tertiary_link,
    unclassified,
    residential,
    living_street,
    service,
    track,
    road,
    pedestrian,
    footway,
    path,
    cycleway,
    steps,
    bridleway,
    other,
    count_ // number of classes; keep last
};

/// Parses an OSM highway value ("residential", "primary_link"); unknown values give other.
RoadClass road_class_from_osm(std::string_view highway);
/// The OSM spelling of a class ("residential").
std::string_view to_string(RoadClass road_class);

/// Bit flags per directed edge.
enum EdgeFlag : std::uint8_t {
    edge_against_oneway = 1u << 0, ///< reverse direction of a one-way road: no cars
    edge_bridge = 1u << 1,
    edge_tunnel = 1u << 2,
    edge_no_motor = 1u << 3, ///< access=no / motor_vehicle=no: no cars
    edge_no_foot = 1u << 4,  ///< foot=no or a motorway: no walking
};

/// What an importer knows about one directed edge.
struct EdgeAttributes {
    double length_m = 0.0; ///< along the geometry; for DIMACS the arc weight
    RoadClass road_class = RoadClass::other;
    std::uint8_t maxspeed_kmh = 0; ///< 0 = unknown
    std::uint8_t lanes = 0;        ///< 0 = unknown
    std::uint16_t width_dm = 0;    ///< decimetres, 0 = unknown
    std::uint8_t flags = 0;        ///< EdgeFlag bits
    std::int64_t original_id = -1; ///< OSM way id / source feature id, -1 if none
};

/// Immutable directed road network. Cheap to pass by const&; do not copy needlessly.
class RoadNetwork {
public:
    RoadNetwork() = default;

    std::uint32_t node_count() const noexcept {
        return static_cast<std::uint32_t>(m_first_out.empty() ? 0 : m_first_out.size() - 1);
    }
    std::uint32_t edge_count() const noexcept { return static_cast<std::uint32_t>(m_head.size()); }

    /// CSR: the out-edges of node u are [first_out[u], first_out[u+1]).
    std::span<const std::uint32_t> first_out() const noexcept { return m_first_out; }
    /// Target node of each edge (CSR order).
    std::span<const std::uint32_t> heads() const noexcept { return m_head; }
    /// Source node of each edge (CSR order).
    std::span<const std::uint32_t> tails() const noexcept { return m_tail; }

    NodeId head(EdgeId e) const { return NodeId(m_head[e.value()]); }
    NodeId tail(EdgeId e) const { return NodeId(m_tail[e.value()]); }
    std::uint32_t out_begin(NodeId u) const { return m_first_out[u.value()]; }
    std::uint32_t out_end(NodeId u) const { return m_first_out[u.value() + 1]; }

    double length_m(EdgeId e) const { return m_length_m[e.value()]; }
    RoadClass road_class(EdgeId e) const { return static_cast<RoadClass>(m_class[e.value()]); }
    std::uint8_t maxspeed_kmh(EdgeId e) const { return m_maxspeed_kmh[e.value()]; }
    std::uint8_t lanes(EdgeId e) const { return m_lanes[e.value()]; }
    std::uint16_t width_dm(EdgeId e) const { return m_width_dm[e.value()]; }
    std::uint8_t flags(EdgeId e) const { return m_flags[e.value()]; }
    std::int64_t original_edge_id(EdgeId e) const { return m_original_edge_id[e.value()]; }
    std::span<const double> lengths_m() const noexcept { return m_length_m; }

    /// Whether nodes carry coordinates (DIMACS graphs do not).
    bool has_coordinates() const noexcept { return !m_lonlat.empty(); }
    LonLat lonlat(NodeId u) const { return m_lonlat[u.value()]; }
    /// Projected position; valid only when projected() is true.
    XY xy(NodeId u) const { return m_xy[u.value()]; }
    bool projected() const noexcept { return !m_xy.empty(); }
    /// EPSG code of the metric CRS used for xy (e.g. 6671, JGD2011 zone III), 0 if none.
    int metric_epsg() const noexcept { return m_metric_epsg; }
    std::int64_t original_node_id(NodeId u) const { return m_original_node_id[u.value()]; }

    /// Full geometry of an edge in lon/lat, tail and head included, in travel direction.
    std::vector<LonLat> edge_geometry(EdgeId e) const;
    /// Inner shape points only (excluding the two end nodes), in travel direction.
    std::span<const LonLat> edge_inner_points(EdgeId e) const;

    /// The edge from u to v with the smallest length, if any. O(out-degree).
    std::optional<EdgeId> find_edge(NodeId u, NodeId v) const;

    /// Node with the given original (OSM / source) id, if any. O(log n).
    std::optional<NodeId> node_by_original_id(std::int64_t original_id) const;

    /// Bounding box in lon/lat: {min, max}. Precondition: has_coordinates().
    std::pair<LonLat, LonLat> extent() const;

    /// Bytes held by the arrays (for benchmarks: bytes per edge).
    std::size_t memory_bytes() const;

    /// Project all node coordinates into EPSG `epsg` (0 = choose from the data's location:
    /// JGD2011 plane rectangular zone in Japan, UTM elsewhere). Implemented in projection.cpp.
    void project(int epsg = 0);

private:
    friend class RoadNetworkBuilder;
    std::vector<std::uint32_t> m_first_out;
    std::vector<std::uint32_t> m_head;
    std::vector<std::uint32_t> m_tail;
    std::vector<double> m_length_m;
    std::vector<std::uint8_t> m_class;
    std::vector<std::uint8_t> m_maxspeed_kmh;
    std::vector<std::uint8_t> m_lanes;
    std::vector<std::uint16_t> m_width_dm;
    std::vector<std::uint8_t> m_flags;
    std::vector<std::int64_t> m_original_edge_id;
    std::vector<std::uint32_t> m_geom_first; // edge_count + 1 offsets into m_geom_points
    std::vector<LonLat> m_geom_points;
    std::vector<LonLat> m_lonlat;
    std::vector<XY> m_xy;
    std::vector<std::int64_t> m_original_node_id;
    std::vector<std::uint32_t> m_nodes_by_original_id; // node indices sorted by original id
    int m_metric_epsg = 0;
};

/// Collects nodes and edges in any order, then builds the CSR deterministically: nodes are
/// renumbered by original id, edges sorted by (tail, head, original id, length, class, ...),
/// so the same data in another row order gives the same network.
class RoadNetworkBuilder {
public:
    /// Adds a node, or returns the existing one with the same original id.
    NodeId add_node(std::int64_t original_id, std::optional<LonLat> position = std::nullopt);
    /// Adds one directed edge. `inner` are shape points between tail and head.
    void add_edge(NodeId tail, NodeId head, const EdgeAttributes& attributes,
                  std::span<const LonLat> inner = {});
    std::uint32_t node_count() const noexcept {
        return static_cast<std::uint32_t>(m_original_node_id.size());
    }
    std::uint32_t edge_count() const noexcept { return static_cast<std::uint32_t>(m_edges.size()); }
    /// Builds the network. Nodes without any edge are kept (they may be reported as islands).
    /// Precondition: all nodes have positions, or none has.
    RoadNetwork build() &&;

private:
    struct PendingEdge {
        std::uint32_t tail;
        std::uint32_t head;
        EdgeAttributes attributes;
        std::uint32_t inner_first;
        std::uint32_t inner_count;
    };
    std::vector<std::int64_t> m_original_node_id;
    std::vector<std::optional<LonLat>> m_position;
    std::vector<PendingEdge> m_edges;
    std::vector<LonLat> m_inner;
    std::unordered_map<std::int64_t, std::uint32_t> m_index;
};

/// Haversine great-circle distance in metres (mean Earth radius 6,371,008.8 m).
double haversine_m(LonLat a, LonLat b);

} // namespace sonae::geo
