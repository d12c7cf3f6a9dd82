#include "geo/snap.hpp"

#include "geo/components.hpp"
#include "geo/projection.hpp"

#include <boost/geometry.hpp>
#include <boost/geometry/geometries/point.hpp>
#include <boost/geometry/geometries/segment.hpp>
#include <boost/geometry/index/rtree.hpp>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <mutex>
#include <sstream>

namespace sonae::geo {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace {

using Point = bg::model::point<double, 2, bg::cs::cartesian>;
using Segment = bg::model::segment<Point>;
using Value = std::pair<Segment, std::uint32_t>; // segment, index into Impl::segments

struct SegmentInfo {
    std::uint32_t edge;
    XY a;
    XY b;
    double start_m;   // projected length along the edge before this segment
    double edge_m;    // projected length of the whole edge
};

// Closest point of segment ab to p: parameter t in [0, 1] and the squared distance.
std::pair<double, double> closest_on_segment(XY p, XY a, XY b) {
    const double dx = b.x - a.x;
    const double dy = b.y - a.y;
    const double len2 = dx * dx + dy * dy;
    double t = 0.0;
    if (len2 > 0.0) t = std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0, 1.0);
    const double cx = a.x + t * dx - p.x;
    const double cy = a.y + t * dy - p.y;
    return {t, cx * cx + cy * cy};
}

constexpr unsigned nearest_candidates = 16;

} // namespace

struct Snapper::Impl {
    const RoadNetwork* net = nullptr;
    std::vector<Weight> usable; // copy of the weights' usability (no_edge or not)
    std::vector<SegmentInfo> segments;
    bgi::rtree<Value, bgi::rstar<16>> tree;
    std::unique_ptr<Projector> projector;
    std::mutex projector_mutex; // PROJ transformations are not thread-safe
};

Snapper::Snapper(const RoadNetwork& net, std::span<const Weight> weights, SnapOptions options)
    : m_impl(std::make_unique<Impl>()), m_options(options) {
    if (weights.size() != net.edge_count()) {
        throw InternalError("Snapper: weights do not match the network's edges");
    }
    if (!net.has_coordinates()) {
        throw InputError("the network has no coordinates (a DIMACS graph?), so points cannot be snapped to it");
    }
    auto& impl = *m_impl;
    impl.net = &net;
    impl.usable.assign(weights.begin(), weights.end());
    const int epsg = net.projected() ? net.metric_epsg() : choose_metric_epsg(network_centre(net));
    impl.projector = std::make_unique<Projector>(epsg);

    std::vector<XY> node_xy;
    if (!net.projected()) node_xy = impl.projector->to_xy(std::span<const LonLat>(
                              [&] {
                                  std::vector<LonLat> all(net.node_count());
                                  for (std::uint32_t u = 0; u < net.node_count(); ++u) all[u] = net.lonlat(NodeId(u));
                                  return all;
                              }()));
    auto xy_of = [&](NodeId u) { return net.projected() ? net.xy(u) : node_xy[u.value()]; };

    std::vector<Value> values;
    std::vector<XY> pts;
    for (std::uint32_t i = 0; i < net.edge_count(); ++i) {
        if (weights[i] == no_edge) continue;
        const EdgeId e(i);
        pts.clear();
        pts.push_back(xy_of(net.tail(e)));
        const auto inner = net.edge_inner_points(e);
        if (!inner.empty()) {
            const auto inner_xy = impl.projector->to_xy(inner);
            pts.insert(pts.end(), inner_xy.begin(), inner_xy.end());
        }
        pts.push_back(xy_of(net.head(e)));
        double total = 0.0;
        for (std::size_t k = 1; k < pts.size(); ++k) total += std::hypot(pts[k].x - pts[k - 1].x, pts[k].y - pts[k - 1].y);
        double start = 0.0;
        for (std::size_t k = 1; k < pts.size(); ++k) {
            const auto index = static_cast<std::uint32_t>(impl.segments.size());
            impl.segments.push_back(SegmentInfo{i, pts[k - 1], pts[k], start, total});
            values.emplace_back(Segment(Point(pts[k - 1].x, pts[k - 1].y), Point(pts[k].x, pts[k].y)), index);
            start += std::hypot(pts[k].x - pts[k - 1].x, pts[k].y - pts[k - 1].y);
        }
    }
    impl.tree = bgi::rtree<Value, bgi::rstar<16>>(values.begin(), values.end()); // bulk load
}

Snapper::~Snapper() = default;
Snapper::Snapper(Snapper&&) noexcept = default;
Snapper& Snapper::operator=(Snapper&&) noexcept = default;

std::size_t Snapper::segment_count() const noexcept { return m_impl->segments.size(); }

std::optional<Snap> Snapper::snap(LonLat p) const {
    const auto& impl = *m_impl;
    if (impl.segments.empty()) return std::nullopt;
    XY q;
    {
        std::lock_guard lock(m_impl->projector_mutex);
        q = impl.projector->to_xy(p);
    }
    std::vector<Value> found;
    found.reserve(nearest_candidates);
    impl.tree.query(bgi::nearest(Point(q.x, q.y), nearest_candidates), std::back_inserter(found));

    // Exact distance for each candidate; ties go to the lowest edge, then segment, so the
    // answer does not depend on the R-tree's internal order.
    std::uint32_t best = 0;
    double best_d2 = std::numeric_limits<double>::max();
    double best_t = 0.0;
    for (const auto& [segment, index] : found) {
        const auto& s = impl.segments[index];
        const auto [t, d2] = closest_on_segment(q, s.a, s.b);
        const auto& b = impl.segments[best];
        if (d2 < best_d2 || (d2 == best_d2 && std::tie(s.edge, index) < std::tie(b.edge, best))) {
            best = index;
            best_d2 = d2;
            best_t = t;
        }
    }
    const auto& s = impl.segments[best];
    const auto& net = *impl.net;
    const EdgeId e(s.edge);
    Snap snap;
    snap.edge = e;
    snap.point_xy = XY{s.a.x + best_t * (s.b.x - s.a.x), s.a.y + best_t * (s.b.y - s.a.y)};
    {
        std::lock_guard lock(m_impl->projector_mutex);
        snap.point = impl.projector->to_lonlat(snap.point_xy);
    }
    snap.distance_m = std::sqrt(best_d2);
    const double along = s.start_m + best_t * std::hypot(s.b.x - s.a.x, s.b.y - s.a.y);
    snap.fraction = s.edge_m > 0.0 ? std::clamp(along / s.edge_m, 0.0, 1.0) : 0.0;
    snap.from_tail_m = snap.fraction * net.length_m(e);
    snap.to_head_m = net.length_m(e) - snap.from_tail_m;
    snap.tail = net.tail(e);
    snap.head = net.head(e);
    snap.nearer_node = snap.fraction <= 0.5 ? snap.tail : snap.head;
    snap.too_far = snap.distance_m > m_options.max_distance_m;

    // The same road the other way: head -> tail, same source id, same length and shape.
    const auto inner = net.edge_inner_points(e);
    for (auto f = net.out_begin(snap.head); f < net.out_end(snap.head); ++f) {
        const EdgeId g(f);
        if (net.head(g) != snap.tail || impl.usable[f] == no_edge || g == e) continue;
        if (net.original_edge_id(g) != net.original_edge_id(e)) continue;
        if (std::fabs(net.length_m(g) - net.length_m(e)) > 1e-6 * std::max(1.0, net.length_m(e))) continue;
        const auto back = net.edge_inner_points(g);
        if (back.size() != inner.size() || !std::equal(back.begin(), back.end(), inner.rbegin())) continue;
        snap.opposite = g;
        break;
    }
    return snap;
}

SnapBatch Snapper::snap_all(std::span<const LonLat> points, std::span<const std::string> labels,
                            const Components* components) const {
    if (!labels.empty() && labels.size() != points.size()) {
        throw InternalError("Snapper::snap_all: labels and points differ in number");
    }
    SnapBatch batch;
    batch.snaps.reserve(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        const auto& p = points[i];
        const std::string label = labels.empty() ? "point " + std::to_string(i + 1) : labels[i];
        std::ostringstream where_value;
        where_value.precision(8);
        where_value << p.lon << "," << p.lat;
        auto snap = this->snap(p);
        if (!snap) {
            batch.diagnostics.push_back(Diagnostic{
                Diagnostic::Severity::error, "no road usable in this travel mode to snap to",
                Where{.feature = label, .field = "lon,lat", .value = where_value.str()}});
        } else if (snap->too_far) {
            std::ostringstream message;
            message.precision(0);
            message << std::fixed << "the nearest usable road is " << snap->distance_m
                    << " m away (more than " << m_options.max_distance_m
                    << " m): the point was not moved; check its position";
            batch.diagnostics.push_back(Diagnostic{
                Diagnostic::Severity::warning, message.str(),
                Where{.feature = label, .field = "lon,lat", .value = where_value.str()}});
        }
        if (snap && components != nullptr) {
            const auto node = snap->head;
            if (components->in_small_island(node, m_options.max_island_nodes)) {
                batch.diagnostics.push_back(Diagnostic{
                    Diagnostic::Severity::warning,
                    "snaps onto a road in a small isolated part of the network (" +
                        std::to_string(components->size_of(node)) +
                        " nodes): routes to most places do not exist",
                    Where{.feature = label, .field = "lon,lat", .value = where_value.str()}});
            }
        }
        batch.snaps.push_back(snap);
    }
    return batch;
}

} // namespace sonae::geo
