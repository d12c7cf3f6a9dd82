#include "geo/point_access.hpp"

#include <algorithm>
#include <cmath>

namespace sonae::geo {

double access_speed_kmh(const TravelProfile& profile) {
    // Off-road access: walking pace, or a car creeping along a drive (est.).
    return profile.motor_vehicle ? 15.0 : 3.0;
}

PointAccess point_access(const Snap& snap, double access_kmh) {
    PointAccess a;
    if (snap.too_far) return a;
    const double mps = access_kmh / 3.6;
    auto ms = [mps](double m) { return static_cast<std::int64_t>(std::llround(m / mps * 1000.0)); };
    a.ok = true;
    a.distance_m = snap.distance_m;
    // On a two-way road the point can be left (and reached) at the nearer end; on a one-way
    // road only in the direction of travel.
    const bool two_way = snap.opposite.has_value();
    const bool tail_nearer = snap.from_tail_m <= snap.to_head_m;
    if (two_way && tail_nearer) {
        a.depart_node = snap.tail;
        a.leave_along_m = snap.from_tail_m;
    } else {
        a.depart_node = snap.head;
        a.leave_along_m = snap.to_head_m;
    }
    a.leave_ms = ms(snap.distance_m + a.leave_along_m);
    if (two_way && !tail_nearer) {
        a.arrive_node = snap.head;
        a.join_along_m = snap.to_head_m;
    } else {
        a.arrive_node = snap.tail;
        a.join_along_m = snap.from_tail_m;
    }
    a.join_ms = ms(snap.distance_m + a.join_along_m);
    return a;
}

std::vector<LonLat> edge_part_geometry(const RoadNetwork& net, EdgeId e, double a, double b) {
    const auto points = net.edge_geometry(e);
    std::vector<double> along{0.0};
    for (std::size_t i = 1; i < points.size(); ++i) {
        along.push_back(along.back() + haversine_m(points[i - 1], points[i]));
    }
    const double total = along.back();
    auto at = [&](double f) {
        const double target = std::clamp(f, 0.0, 1.0) * total;
        for (std::size_t i = 1; i < points.size(); ++i) {
            if (along[i] >= target || i + 1 == points.size()) {
                const double span = along[i] - along[i - 1];
                const double t = span > 0 ? (target - along[i - 1]) / span : 0.0;
                return LonLat{points[i - 1].lon + t * (points[i].lon - points[i - 1].lon),
                              points[i - 1].lat + t * (points[i].lat - points[i - 1].lat)};
            }
        }
        return points.back();
    };
    std::vector<LonLat> out{at(a)};
    for (std::size_t i = 1; i + 1 < points.size(); ++i) {
        if (total > 0 && along[i] > a * total && along[i] < b * total) out.push_back(points[i]);
    }
    out.push_back(at(b));
    return out;
}

std::vector<LonLat> leave_geometry(const RoadNetwork& net, LonLat point, const Snap& snap,
                                   const PointAccess& access) {
    std::vector<LonLat> out{point};
    if (access.depart_node == snap.head) {
        const auto part = edge_part_geometry(net, snap.edge, snap.fraction, 1.0);
        out.insert(out.end(), part.begin(), part.end());
    } else {
        auto part = edge_part_geometry(net, snap.edge, 0.0, snap.fraction);
        out.insert(out.end(), part.rbegin(), part.rend());
    }
    return out;
}

std::vector<LonLat> join_geometry(const RoadNetwork& net, LonLat point, const Snap& snap,
                                  const PointAccess& access) {
    std::vector<LonLat> out;
    if (access.arrive_node == snap.tail) {
        out = edge_part_geometry(net, snap.edge, 0.0, snap.fraction);
    } else {
        const auto part = edge_part_geometry(net, snap.edge, snap.fraction, 1.0);
        out.assign(part.rbegin(), part.rend());
    }
    out.push_back(point);
    return out;
}

} // namespace sonae::geo
