#include "geo/snap.hpp"

#include "geo/components.hpp"
#include "geo/projection.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <mutex>
#include <sstream>

namespace sonae::geo {

namespace {

struct Segment {
    XY a;
    XY b;
    std::uint32_t edge;
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

constexpr double segments_per_cell = 4.0;

} // namespace

struct SegmentIndex::Impl {
    const RoadNetwork* net = nullptr;
    int epsg = 0;
    std::vector<Segment> segments;         // edge by edge, tail to head
    std::vector<std::uint32_t> edge_first; // segments of edge e: [edge_first[e], [e + 1])
    // Grid: cell (ix, iy) covers [x0 + ix * cell_m, +cell_m) x [y0 + iy * cell_m, +cell_m);
    // a segment is listed (ascending) in every cell its bounding box overlaps.
    double x0 = 0.0;
    double y0 = 0.0;
    double cell_m = 1.0;
    std::int64_t nx = 1;
    std::int64_t ny = 1;
    std::vector<std::uint32_t> cell_first;
    std::vector<std::uint32_t> cell_segments;

    // The cell of a coordinate, clamped onto the grid (truncation is floor for f > 0).
    static std::int64_t cell_of(double f, std::int64_t n) {
        if (!(f > 0.0)) return 0;
        if (f >= static_cast<double>(n - 1)) return n - 1;
        return static_cast<std::int64_t>(f);
    }
    std::int64_t cell_x(double x) const { return cell_of((x - x0) / cell_m, nx); }
    std::int64_t cell_y(double y) const { return cell_of((y - y0) / cell_m, ny); }
    void build_grid();
};

void SegmentIndex::Impl::build_grid() {
    double max_x = 0.0;
    double max_y = 0.0;
    if (!segments.empty()) {
        x0 = max_x = segments.front().a.x;
        y0 = max_y = segments.front().a.y;
    }
    for (const auto& s : segments) {
        for (const XY& p : {s.a, s.b}) {
            if (p.x < x0) x0 = p.x;
            if (p.x > max_x) max_x = p.x;
            if (p.y < y0) y0 = p.y;
            if (p.y > max_y) max_y = p.y;
        }
    }
    const double width = std::max(max_x - x0, 1.0);
    const double height = std::max(max_y - y0, 1.0);
    const double n = std::max(static_cast<double>(segments.size()), 1.0);
    cell_m = std::max(std::sqrt(width * height * segments_per_cell / n), 1.0);
    nx = static_cast<std::int64_t>(width / cell_m) + 1;
    ny = static_cast<std::int64_t>(height / cell_m) + 1;

    // Counting sort of (cell, segment) pairs: one pass to count, one to place.
    auto for_each_cell = [this](const Segment& s, auto&& f) {
        const auto ix0 = cell_x(std::min(s.a.x, s.b.x));
        const auto ix1 = cell_x(std::max(s.a.x, s.b.x));
        const auto iy0 = cell_y(std::min(s.a.y, s.b.y));
        const auto iy1 = cell_y(std::max(s.a.y, s.b.y));
        for (auto iy = iy0; iy <= iy1; ++iy) {
            for (auto ix = ix0; ix <= ix1; ++ix) f(static_cast<std::size_t>(iy * nx + ix));
        }
    };
    cell_first.assign(static_cast<std::size_t>(nx * ny) + 1, 0);
    for (const auto& s : segments) for_each_cell(s, [this](std::size_t c) { ++cell_first[c + 1]; });
    for (std::size_t c = 1; c < cell_first.size(); ++c) cell_first[c] += cell_first[c - 1];
    if (cell_first.back() > std::numeric_limits<std::uint32_t>::max() - 1) {
        throw InternalError("SegmentIndex: too many grid entries");
    }
    cell_segments.resize(cell_first.back());
    std::vector<std::uint32_t> next(cell_first.begin(), cell_first.end() - 1);
    for (std::uint32_t i = 0; i < segments.size(); ++i) {
        for_each_cell(segments[i], [&](std::size_t c) { cell_segments[next[c]++] = i; });
    }
}

SegmentIndex::SegmentIndex(const RoadNetwork& net) : m_impl(std::make_unique<Impl>()) {
    if (!net.has_coordinates()) {
        throw InputError(
            "the network has no coordinates (a DIMACS graph?), so points cannot be snapped to it");
    }
    auto& impl = *m_impl;
    impl.net = &net;
    impl.epsg = net.projected() ? net.metric_epsg() : choose_metric_epsg(network_centre(net));
    const Projector projector(impl.epsg);

    std::vector<XY> node_xy;
    if (!net.projected()) {
        std::vector<LonLat> all(net.node_count());
        for (std::uint32_t u = 0; u < net.node_count(); ++u) all[u] = net.lonlat(NodeId(u));
        node_xy = projector.to_xy(std::span<const LonLat>(all));
    }
    auto xy_of = [&](NodeId u) { return net.projected() ? net.xy(u) : node_xy[u.value()]; };

    impl.edge_first.reserve(net.edge_count() + 1);
    impl.segments.reserve(net.edge_count());
    for (std::uint32_t i = 0; i < net.edge_count(); ++i) {
        const EdgeId e(i);
        impl.edge_first.push_back(static_cast<std::uint32_t>(impl.segments.size()));
        XY prev = xy_of(net.tail(e));
        const auto inner = net.edge_inner_points(e);
        if (!inner.empty()) {
            for (const auto& p : projector.to_xy(inner)) {
                impl.segments.push_back(Segment{prev, p, i});
                prev = p;
            }
        }
        impl.segments.push_back(Segment{prev, xy_of(net.head(e)), i});
    }
    impl.edge_first.push_back(static_cast<std::uint32_t>(impl.segments.size()));
    impl.build_grid();
}

SegmentIndex::~SegmentIndex() = default;
SegmentIndex::SegmentIndex(SegmentIndex&&) noexcept = default;
SegmentIndex& SegmentIndex::operator=(SegmentIndex&&) noexcept = default;

const RoadNetwork& SegmentIndex::network() const noexcept {
    return *m_impl->net;
}
int SegmentIndex::epsg() const noexcept {
    return m_impl->epsg;
}
std::size_t SegmentIndex::segment_count() const noexcept {
    return m_impl->segments.size();
}

struct Snapper::Impl {
    std::shared_ptr<const SegmentIndex> index;
    std::vector<std::uint8_t> usable; // per edge: weights[e] != no_edge
    std::size_t usable_segments = 0;
    std::unique_ptr<Projector> projector;
    std::mutex projector_mutex; // PROJ transformations are not thread-safe
};

Snapper::Snapper(const RoadNetwork& net, std::span<const Weight> weights, SnapOptions options)
    : Snapper(weights.size() == net.edge_count() ? std::make_shared<const SegmentIndex>(net)
                                                 : nullptr,
              weights, options) {}

Snapper::Snapper(std::shared_ptr<const SegmentIndex> index, std::span<const Weight> weights,
                 SnapOptions options)
    : m_impl(std::make_unique<Impl>()), m_options(options) {
    if (index == nullptr || weights.size() != index->network().edge_count()) {
        throw InternalError("Snapper: weights do not match the network's edges");
    }
    auto& impl = *m_impl;
    const auto& edge_first = index->m_impl->edge_first;
    impl.usable.resize(weights.size());
    for (std::size_t e = 0; e < weights.size(); ++e) {
        impl.usable[e] = weights[e] != no_edge;
        if (impl.usable[e]) impl.usable_segments += edge_first[e + 1] - edge_first[e];
    }
    impl.projector = std::make_unique<Projector>(index->epsg());
    impl.index = std::move(index);
}

Snapper::~Snapper() = default;
Snapper::Snapper(Snapper&&) noexcept = default;
Snapper& Snapper::operator=(Snapper&&) noexcept = default;

std::size_t Snapper::segment_count() const noexcept {
    return m_impl->usable_segments;
}

std::optional<Snap> Snapper::snap(LonLat p) const {
    const auto& impl = *m_impl;
    if (impl.usable_segments == 0) return std::nullopt;
    const auto& index = *impl.index->m_impl;
    XY q;
    {
        std::lock_guard lock(m_impl->projector_mutex);
        q = impl.projector->to_xy(p);
    }

    // Rings of cells around the cell of q' (the point clamped onto the grid's box): every
    // cell of ring k >= 1 lies at least (k - 1) cells from q', and as q' is the projection
    // of q onto a convex set, |q - p|^2 >= |q - q'|^2 + |q' - p|^2 for every p on the grid.
    // Once that bound exceeds the best distance no closer segment is left; the slack absorbs
    // rounding in the cell arithmetic. Ties go to the lowest edge, then segment, so the
    // answer is the exact nearest segment whatever the grid.
    const auto cx = index.cell_x(q.x);
    const auto cy = index.cell_y(q.y);
    const double grid_x1 = index.x0 + static_cast<double>(index.nx) * index.cell_m;
    const double grid_y1 = index.y0 + static_cast<double>(index.ny) * index.cell_m;
    const double off_x = q.x - std::clamp(q.x, index.x0, grid_x1);
    const double off_y = q.y - std::clamp(q.y, index.y0, grid_y1);
    const double off_grid2 = off_x * off_x + off_y * off_y;
    const double slack_m = 1e-3 + 1e-9 * index.cell_m;
    const auto max_ring = std::max({cx, index.nx - 1 - cx, cy, index.ny - 1 - cy});
    constexpr auto none = std::numeric_limits<std::uint32_t>::max();
    std::uint32_t best = none;
    double best_d2 = std::numeric_limits<double>::max();
    double best_t = 0.0;
    auto visit_cell = [&](std::int64_t ix, std::int64_t iy) {
        if (ix < 0 || iy < 0 || ix >= index.nx || iy >= index.ny) return;
        const auto c = static_cast<std::size_t>(iy * index.nx + ix);
        for (auto k = index.cell_first[c]; k < index.cell_first[c + 1]; ++k) {
            const std::uint32_t i = index.cell_segments[k];
            const auto& s = index.segments[i];
            if (!impl.usable[s.edge]) continue;
            const auto [t, d2] = closest_on_segment(q, s.a, s.b);
            if (best == none || d2 < best_d2 ||
                (d2 == best_d2 &&
                 std::tie(s.edge, i) < std::tie(index.segments[best].edge, best))) {
                best = i;
                best_d2 = d2;
                best_t = t;
            }
        }
    };
    for (std::int64_t ring = 0; ring <= max_ring; ++ring) {
        const double ring_m = static_cast<double>(ring - 1) * index.cell_m;
        if (ring >= 1 && best != none &&
            std::sqrt(off_grid2 + ring_m * ring_m) > std::sqrt(best_d2) + slack_m) {
            break;
        }
        if (ring == 0) {
            visit_cell(cx, cy);
            continue;
        }
        for (auto ix = cx - ring; ix <= cx + ring; ++ix) {
            visit_cell(ix, cy - ring);
            visit_cell(ix, cy + ring);
        }
        for (auto iy = cy - ring + 1; iy <= cy + ring - 1; ++iy) {
            visit_cell(cx - ring, iy);
            visit_cell(cx + ring, iy);
        }
    }

    const auto& s = index.segments[best];
    const auto& net = *index.net;
    const EdgeId e(s.edge);
    // Lengths along the edge, summed segment by segment from the tail.
    double start_m = 0.0;
    double edge_m = 0.0;
    for (auto k = index.edge_first[s.edge]; k < index.edge_first[s.edge + 1]; ++k) {
        const auto& g = index.segments[k];
        if (k == best) start_m = edge_m;
        edge_m += std::hypot(g.b.x - g.a.x, g.b.y - g.a.y);
    }
    Snap snap;
    snap.edge = e;
    snap.point_xy = XY{s.a.x + best_t * (s.b.x - s.a.x), s.a.y + best_t * (s.b.y - s.a.y)};
    {
        std::lock_guard lock(m_impl->projector_mutex);
        snap.point = impl.projector->to_lonlat(snap.point_xy);
    }
    snap.distance_m = std::sqrt(best_d2);
    const double along = start_m + best_t * std::hypot(s.b.x - s.a.x, s.b.y - s.a.y);
    snap.fraction = edge_m > 0.0 ? std::clamp(along / edge_m, 0.0, 1.0) : 0.0;
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
        if (net.head(g) != snap.tail || !impl.usable[f] || g == e) continue;
        if (net.original_edge_id(g) != net.original_edge_id(e)) continue;
        if (std::fabs(net.length_m(g) - net.length_m(e)) > 1e-6 * std::max(1.0, net.length_m(e)))
            continue;
        const auto back = net.edge_inner_points(g);
        if (back.size() != inner.size() || !std::equal(back.begin(), back.end(), inner.rbegin()))
            continue;
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
