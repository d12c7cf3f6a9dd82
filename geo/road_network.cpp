#include "geo/road_network.hpp"

#include "core/error.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <tuple>

namespace sonae::geo {

namespace {
constexpr std::array<std::string_view, static_cast<std::size_t>(RoadClass::count_)> class_names = {
    "motorway",      "motorway_link",  "trunk",    "trunk_link",    "primary",      "primary_link",
    "secondary",     "secondary_link", "tertiary", "tertiary_link", "unclassified", "residential",
    "living_street", "service",        "track",    "road",          "pedestrian",   "footway",
    "path",          "cycleway",       "steps",    "bridleway",     "other"};
} // namespace

RoadClass road_class_from_osm(std::string_view highway) {
    for (std::size_t i = 0; i < class_names.size(); ++i) {
        if (class_names[i] == highway) return static_cast<RoadClass>(i);
    }
    if (highway == "corridor" || highway == "elevator") return RoadClass::footway;
    return RoadClass::other;
}

std::string_view to_string(RoadClass road_class) {
    const auto i = static_cast<std::size_t>(road_class);
    return i < class_names.size() ? class_names[i] : "other";
}

double haversine_m(LonLat a, LonLat b) {
    constexpr double radius_m = 6371008.8;
    constexpr double deg = M_PI / 180.0;
    const double dlat = (b.lat - a.lat) * deg;
    const double dlon = (b.lon - a.lon) * deg;
    const double h =
        std::sin(dlat / 2) * std::sin(dlat / 2) +
        std::cos(a.lat * deg) * std::cos(b.lat * deg) * std::sin(dlon / 2) * std::sin(dlon / 2);
    return 2.0 * radius_m * std::asin(std::min(1.0, std::sqrt(h)));
}

std::vector<LonLat> RoadNetwork::edge_geometry(EdgeId e) const {
    std::vector<LonLat> out;
    if (!has_coordinates()) return out;
    const auto inner = edge_inner_points(e);
    out.reserve(inner.size() + 2);
    out.push_back(lonlat(tail(e)));
    out.insert(out.end(), inner.begin(), inner.end());
    out.push_back(lonlat(head(e)));
    return out;
}

std::span<const LonLat> RoadNetwork::edge_inner_points(EdgeId e) const {
    if (m_geom_first.empty()) return {};
    const auto first = m_geom_first[e.value()];
    const auto last = m_geom_first[e.value() + 1];
    return std::span<const LonLat>(m_geom_points).subspan(first, last - first);
}

std::optional<EdgeId> RoadNetwork::find_edge(NodeId u, NodeId v) const {
    std::optional<EdgeId> best;
    for (auto e = out_begin(u); e < out_end(u); ++e) {
        if (m_head[e] == v.value() && (!best || m_length_m[e] < m_length_m[best->value()])) {
            best = EdgeId(e);
        }
    }
    return best;
}

std::optional<NodeId> RoadNetwork::node_by_original_id(std::int64_t original_id) const {
    // Nodes are numbered in increasing original id (see RoadNetworkBuilder::build).
    const auto it =
        std::lower_bound(m_original_node_id.begin(), m_original_node_id.end(), original_id);
    if (it == m_original_node_id.end() || *it != original_id) return std::nullopt;
    return NodeId(static_cast<std::uint32_t>(it - m_original_node_id.begin()));
}

std::pair<LonLat, LonLat> RoadNetwork::extent() const {
    LonLat lo{1e9, 1e9};
    LonLat hi{-1e9, -1e9};
    for (const auto& p : m_lonlat) {
        lo.lon = std::min(lo.lon, p.lon);
        lo.lat = std::min(lo.lat, p.lat);
        hi.lon = std::max(hi.lon, p.lon);
        hi.lat = std::max(hi.lat, p.lat);
    }
    return {lo, hi};
}

std::size_t RoadNetwork::memory_bytes() const {
    auto bytes = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
    return bytes(m_first_out) + bytes(m_head) + bytes(m_tail) + bytes(m_length_m) + bytes(m_class) +
           bytes(m_maxspeed_kmh) + bytes(m_lanes) + bytes(m_width_dm) + bytes(m_flags) +
           bytes(m_original_edge_id) + bytes(m_geom_first) + bytes(m_geom_points) +
           bytes(m_lonlat) + bytes(m_xy) + bytes(m_original_node_id);
}

NodeId RoadNetworkBuilder::add_node(std::int64_t original_id, std::optional<LonLat> position) {
    const auto [it, inserted] =
        m_index.try_emplace(original_id, static_cast<std::uint32_t>(m_original_node_id.size()));
    if (inserted) {
        m_original_node_id.push_back(original_id);
        m_position.push_back(position);
    } else if (position && !m_position[it->second]) {
        m_position[it->second] = position;
    }
    return NodeId(it->second);
}

void RoadNetworkBuilder::add_edge(NodeId tail, NodeId head, const EdgeAttributes& attributes,
                                  std::span<const LonLat> inner) {
    if (tail.value() >= m_original_node_id.size() || head.value() >= m_original_node_id.size()) {
        throw InternalError("RoadNetworkBuilder::add_edge: unknown node");
    }
    m_edges.push_back(PendingEdge{tail.value(), head.value(), attributes,
                                  static_cast<std::uint32_t>(m_inner.size()),
                                  static_cast<std::uint32_t>(inner.size())});
    m_inner.insert(m_inner.end(), inner.begin(), inner.end());
}

RoadNetwork RoadNetworkBuilder::build() && {
    RoadNetwork net;
    const auto n = static_cast<std::uint32_t>(m_original_node_id.size());

    // Renumber nodes by original id so that the input order does not matter.
    std::vector<std::uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        return m_original_node_id[a] < m_original_node_id[b];
    });
    std::vector<std::uint32_t> new_index(n);
    for (std::uint32_t i = 0; i < n; ++i) new_index[order[i]] = i;

    const bool any_position = std::any_of(m_position.begin(), m_position.end(),
                                          [](const auto& p) { return p.has_value(); });
    net.m_original_node_id.resize(n);
    if (any_position) net.m_lonlat.resize(n);
    for (std::uint32_t i = 0; i < n; ++i) {
        const auto old = order[i];
        net.m_original_node_id[i] = m_original_node_id[old];
        if (any_position) {
            if (!m_position[old]) {
                throw InternalError("RoadNetworkBuilder: node " +
                                    std::to_string(m_original_node_id[old]) + " has no position");
            }
            net.m_lonlat[i] = *m_position[old];
        }
    }

    for (auto& e : m_edges) {
        e.tail = new_index[e.tail];
        e.head = new_index[e.head];
    }
    auto key = [this](const PendingEdge& e) {
        const auto& a = e.attributes;
        return std::make_tuple(e.tail, e.head, a.original_id, a.length_m,
                               static_cast<int>(a.road_class), a.flags, a.maxspeed_kmh, a.lanes,
                               a.width_dm, e.inner_count);
    };
    std::vector<std::uint32_t> edge_order(m_edges.size());
    std::iota(edge_order.begin(), edge_order.end(), 0u);
    std::stable_sort(edge_order.begin(), edge_order.end(), [&](std::uint32_t a, std::uint32_t b) {
        const auto ka = key(m_edges[a]);
        const auto kb = key(m_edges[b]);
        if (ka != kb) return ka < kb;
        // Identical keys: order by shape so the result does not depend on insertion order.
        const auto& ea = m_edges[a];
        const auto& eb = m_edges[b];
        for (std::uint32_t k = 0; k < ea.inner_count; ++k) {
            const auto& pa = m_inner[ea.inner_first + k];
            const auto& pb = m_inner[eb.inner_first + k];
            if (pa.lon != pb.lon) return pa.lon < pb.lon;
            if (pa.lat != pb.lat) return pa.lat < pb.lat;
        }
        return false;
    });

    const auto m = m_edges.size();
    net.m_first_out.assign(static_cast<std::size_t>(n) + 1, 0);
    net.m_head.resize(m);
    net.m_tail.resize(m);
    net.m_length_m.resize(m);
    net.m_class.resize(m);
    net.m_maxspeed_kmh.resize(m);
    net.m_lanes.resize(m);
    net.m_width_dm.resize(m);
    net.m_flags.resize(m);
    net.m_original_edge_id.resize(m);
    const bool any_inner = !m_inner.empty();
    if (any_inner) net.m_geom_first.assign(m + 1, 0);
    for (std::size_t i = 0; i < m; ++i) {
        const auto& e = m_edges[edge_order[i]];
        const auto& a = e.attributes;
        net.m_first_out[e.tail + 1]++;
        net.m_head[i] = e.head;
        net.m_tail[i] = e.tail;
        net.m_length_m[i] = a.length_m;
        net.m_class[i] = static_cast<std::uint8_t>(a.road_class);
        net.m_maxspeed_kmh[i] = a.maxspeed_kmh;
        net.m_lanes[i] = a.lanes;
        net.m_width_dm[i] = a.width_dm;
        net.m_flags[i] = a.flags;
        net.m_original_edge_id[i] = a.original_id;
        if (any_inner) {
            net.m_geom_first[i + 1] = net.m_geom_first[i] + e.inner_count;
            net.m_geom_points.insert(net.m_geom_points.end(), m_inner.begin() + e.inner_first,
                                     m_inner.begin() + e.inner_first + e.inner_count);
        }
    }
    for (std::uint32_t u = 0; u < n; ++u) net.m_first_out[u + 1] += net.m_first_out[u];

    m_edges.clear();
    m_inner.clear();
    m_index.clear();
    return net;
}

} // namespace sonae::geo
