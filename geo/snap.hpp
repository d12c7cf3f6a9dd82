#pragma once
/// Snapping points (homes, shelters) onto the nearest road a travel mode may use.
///
/// A SegmentIndex holds the projected segments of every edge of a network, bucketed in a
/// uniform grid, once per network; a Snapper answers queries for one travel mode over such
/// an index, skipping the edges the mode may not use (weights[e] == no_edge), so the modes of
/// one network share one index. A query visits the grid cells in rings around the point
/// until no closer segment can remain, so it returns the exact nearest usable segment.
/// Distances are measured in the network's metric CRS (JGD2011 plane zone / UTM: scale
/// error below 0.1 %). A point farther than the threshold is still snapped but flagged
/// too_far and reported: it is never silently moved. Queries are safe from several threads.

#include "core/error.hpp"
#include "geo/road_network.hpp"
#include "geo/routing.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace sonae::geo {

struct Components;

/// Snapping options.
struct SnapOptions {
    /// Beyond this distance (metres) a snap is flagged too_far and reported.
    double max_distance_m = 500.0;
    /// A point whose road lies in a strongly connected component smaller than this (and not
    /// the largest) is reported as on an island (snap_all with components only).
    std::uint32_t max_island_nodes = 1000;
};

/// Where a point lands on the network.
struct Snap {
    EdgeId edge;                    ///< usable directed edge the point lands on
    std::optional<EdgeId> opposite; ///< the usable edge the other way along the same road
    double fraction = 0.0;          ///< 0 at the edge's tail .. 1 at its head (along geometry)
    LonLat point;                   ///< the snapped point
    XY point_xy;                    ///< the snapped point, projected
    double distance_m = 0.0;        ///< from the query point to the snapped point
    double from_tail_m = 0.0;       ///< along the edge, tail -> snapped point (fraction * length_m)
    double to_head_m = 0.0;         ///< along the edge, snapped point -> head
    NodeId tail;                    ///< edge tail (reaches the point by travelling the edge)
    NodeId head;                    ///< edge head: reachable from the point along the edge
    NodeId nearer_node;             ///< the end of the edge nearer along the edge (tail on a tie)
    bool too_far = false;           ///< distance_m > SnapOptions::max_distance_m
};

/// Results of snap_all: one entry per input point (nullopt when the mode can use no edge at
/// all), plus a diagnostic per point that is too far, unsnappable or on a small island.
struct SnapBatch {
    std::vector<std::optional<Snap>> snaps;
    Diagnostics diagnostics;
};

/// The projected segments of every edge of one network (whatever the travel mode) in a
/// uniform grid of about four segments per cell. Build once per network and share it
/// between the Snappers of its modes. Keeps a reference to `net`: the network must outlive
/// the index. Immutable.
class SegmentIndex {
public:
    /// Throws InputError if the network has no coordinates. Projects with
    /// net.metric_epsg(), or chooses a CRS if net is unprojected. O(m + cells).
    explicit SegmentIndex(const RoadNetwork& net);
    ~SegmentIndex();
    SegmentIndex(SegmentIndex&&) noexcept;
    SegmentIndex& operator=(SegmentIndex&&) noexcept;
    SegmentIndex(const SegmentIndex&) = delete;
    SegmentIndex& operator=(const SegmentIndex&) = delete;

    const RoadNetwork& network() const noexcept;
    /// The metric CRS the segments are projected in.
    int epsg() const noexcept;
    /// Number of segments of all edges.
    std::size_t segment_count() const noexcept;

private:
    friend class Snapper;
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// Nearest-road queries for one network in one travel mode. Build once, query many times.
/// Keeps a reference to the network: it must outlive the Snapper.
class Snapper {
public:
    /// Snaps onto the edges with weights[e] != no_edge, with an index of its own.
    /// Precondition: weights.size() == net.edge_count() (else InternalError). Throws
    /// InputError if the network has no coordinates. O(m + cells).
    Snapper(const RoadNetwork& net, std::span<const Weight> weights, SnapOptions options = {});
    /// As above over a shared index of the network (the modes of one network share one).
    /// Precondition: index != nullptr and weights.size() == its network's edge_count() (else
    /// InternalError). O(m).
    Snapper(std::shared_ptr<const SegmentIndex> index, std::span<const Weight> weights,
            SnapOptions options = {});
    ~Snapper();
    Snapper(Snapper&&) noexcept;
    Snapper& operator=(Snapper&&) noexcept;
    Snapper(const Snapper&) = delete;
    Snapper& operator=(const Snapper&) = delete;

    /// Nearest usable edge to a lon/lat point; nullopt only if no edge is usable.
    std::optional<Snap> snap(LonLat p) const;

    /// Snaps many points. `labels` (same size, or empty) name each point in diagnostics
    /// (e.g. "shelter 12"; never a child's name). With `components` (from
    /// strong_components over the same weights) a point on a small island is reported too.
    SnapBatch snap_all(std::span<const LonLat> points, std::span<const std::string> labels = {},
                       const Components* components = nullptr) const;

    const SnapOptions& options() const noexcept { return m_options; }
    /// Number of segments of the usable edges.
    std::size_t segment_count() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    SnapOptions m_options;
};

} // namespace sonae::geo
