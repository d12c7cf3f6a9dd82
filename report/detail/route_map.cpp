#include "report/detail/route_map.hpp"

#include "report/detail/map_labels.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>

namespace sonae::report::detail {

namespace {

constexpr double kMetresPerDegreeLat = 110574.0;
constexpr double kMetresPerDegreeLonEquator = 111320.0;

void set_colour(cairo_t* cr, const Colour& c) {
    cairo_set_source_rgb(cr, c.r, c.g, c.b);
}

/// Road tiers drawn from the thinnest up; a wider tier is cased (a dark edge) so it reads as a
/// main road in grey print too.
struct RoadTier {
    double width_pt;
    double casing_pt; ///< 0 = no casing
    Colour fill;
};
constexpr std::array<RoadTier, 5> kTiers{{
    {0.45, 0, {0.78, 0.78, 0.78}},  // paths, footways, tracks
    {1.1, 0, kMinorRoadColour},     // residential, unclassified, service
    {2.4, 3.5, {1.0, 1.0, 1.0}},    // tertiary
    {3.4, 4.8, {1.0, 0.91, 0.55}},  // secondary, primary
    {4.2, 5.8, {0.96, 0.72, 0.40}}, // trunk, motorway
}};

int tier_of(geo::RoadClass c) {
    using geo::RoadClass;
    switch (c) {
    case RoadClass::motorway:
    case RoadClass::motorway_link:
    case RoadClass::trunk:
    case RoadClass::trunk_link: return 4;
    case RoadClass::primary:
    case RoadClass::primary_link:
    case RoadClass::secondary:
    case RoadClass::secondary_link: return 3;
    case RoadClass::tertiary:
    case RoadClass::tertiary_link: return 2;
    case RoadClass::pedestrian:
    case RoadClass::footway:
    case RoadClass::path:
    case RoadClass::cycleway:
    case RoadClass::steps:
    case RoadClass::bridleway:
    case RoadClass::track: return 0;
    default: return 1;
    }
}

Colour hazard_edge(geo::HazardKind kind) {
    switch (kind) {
    case geo::HazardKind::flood: return {0.10, 0.30, 0.70};
    case geo::HazardKind::storm_surge: return {0.00, 0.45, 0.45};
    case geo::HazardKind::tsunami: return {0.55, 0.10, 0.45};
    case geo::HazardKind::landslide: return {0.55, 0.30, 0.05};
    }
    return {0.3, 0.3, 0.3};
}

bool box_overlaps(const Rect& a, const Rect& b) {
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/// Hatching of a hazard kind inside the current clip: flood horizontal, storm surge vertical,
/// tsunami diagonal, landslide crossed (red zone) or the other diagonal (yellow zone).
void hatch_kind(cairo_t* cr, const Rect& r, geo::HazardKind kind, int severity) {
    const double step = severity >= 2 ? 3.5 : (severity == 1 ? 5.0 : 7.5);
    set_colour(cr, hazard_edge(kind));
    cairo_set_line_width(cr, 0.45);
    const bool horizontal = kind == geo::HazardKind::flood;
    const bool vertical = kind == geo::HazardKind::storm_surge;
    const bool rising =
        kind == geo::HazardKind::tsunami || (kind == geo::HazardKind::landslide && severity >= 2);
    const bool falling = kind == geo::HazardKind::landslide;
    if (horizontal) {
        for (double y = r.y; y <= r.y + r.h; y += step) {
            cairo_move_to(cr, r.x, y);
            cairo_line_to(cr, r.x + r.w, y);
        }
    }
    if (vertical) {
        for (double x = r.x; x <= r.x + r.w; x += step) {
            cairo_move_to(cr, x, r.y);
            cairo_line_to(cr, x, r.y + r.h);
        }
    }
    if (rising) {
        for (double d = -r.h; d <= r.w; d += step) {
            cairo_move_to(cr, r.x + d, r.y + r.h);
            cairo_line_to(cr, r.x + d + r.h, r.y);
        }
    }
    if (falling) {
        for (double d = -r.h; d <= r.w; d += step * 1.4) {
            cairo_move_to(cr, r.x + d, r.y);
            cairo_line_to(cr, r.x + d + r.h, r.y + r.h);
        }
    }
    cairo_stroke(cr);
}

/// Adds a polyline to the path. Page positions are rounded to `grid_pt` (0.1 pt; 1 pt for the
/// small streets of a whole-town map) and points closer than 0.6 pt to the last one kept are
/// dropped (the last point always stays): invisible on paper, and it keeps a map of a whole
/// town's streets small in the PDF.
void polyline(cairo_t* cr, const MapView& view, std::span<const geo::LonLat> points,
              double grid_pt = 0.1) {
    auto round = [grid_pt](double v) { return std::round(v / grid_pt) * grid_pt; };
    const double keep_pt = std::max(0.6, grid_pt * 1.2);
    double lx = 0, ly = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
        const auto [fx, fy] = view(points[i]);
        const double x = round(fx), y = round(fy);
        if (i == 0) {
            cairo_move_to(cr, x, y);
        } else if (i + 1 == points.size() || std::hypot(x - lx, y - ly) >= keep_pt) {
            cairo_line_to(cr, x, y);
        } else {
            continue;
        }
        lx = x;
        ly = y;
    }
}

geo::LonLatBox box_of(std::span<const geo::LonLat> points) {
    geo::LonLatBox b{{1e9, 1e9}, {-1e9, -1e9}};
    for (const auto& p : points) {
        b.min = {std::min(b.min.lon, p.lon), std::min(b.min.lat, p.lat)};
        b.max = {std::max(b.max.lon, p.lon), std::max(b.max.lat, p.lat)};
    }
    return b;
}

/// Even-odd point in polygon (all rings) in page coordinates.
bool inside(const std::vector<std::vector<std::pair<double, double>>>& rings, double x, double y) {
    bool in = false;
    for (const auto& ring : rings) {
        for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
            const auto [xi, yi] = ring[i];
            const auto [xj, yj] = ring[j];
            if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) in = !in;
        }
    }
    return in;
}

/// A point inside the area and the visible frame where a label can sit: the inside point of
/// a grid over the visible part nearest the visible part's centre, or nullopt.
std::optional<std::pair<double, double>> label_point(const MapView& view, const MapHazard& h,
                                                     const Rect& frame) {
    std::optional<std::pair<double, double>> best;
    double best_d = 1e18;
    for (const auto& polygon : h.polygons) {
        std::vector<std::vector<std::pair<double, double>>> rings;
        double x0 = 1e18, y0 = 1e18, x1 = -1e18, y1 = -1e18;
        for (const auto& ring : polygon) {
            auto& out = rings.emplace_back();
            for (const auto& p : ring) {
                const auto xy = view(p);
                out.push_back(xy);
                x0 = std::min(x0, xy.first);
                y0 = std::min(y0, xy.second);
                x1 = std::max(x1, xy.first);
                y1 = std::max(y1, xy.second);
            }
        }
        x0 = std::max(x0, frame.x);
        y0 = std::max(y0, frame.y);
        x1 = std::min(x1, frame.x + frame.w);
        y1 = std::min(y1, frame.y + frame.h);
        if (x1 - x0 < 20 || y1 - y0 < 8) continue;
        const double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
        for (int i = 0; i <= 12; ++i) {
            for (int j = 0; j <= 12; ++j) {
                const double x = x0 + (x1 - x0) * i / 12.0, y = y0 + (y1 - y0) * j / 12.0;
                if (!inside(rings, x, y)) continue;
                const double d = (x - cx) * (x - cx) + (y - cy) * (y - cy);
                if (d < best_d) {
                    best_d = d;
                    best = std::pair{x, y};
                }
            }
        }
    }
    return best;
}

void marker_path(cairo_t* cr, double x, double y, double s, int shape) {
    cairo_new_path(cr);
    switch (shape) {
    case 0: // house
        cairo_move_to(cr, x, y - s * 1.3);
        cairo_line_to(cr, x + s, y - s * 0.2);
        cairo_line_to(cr, x + s, y + s);
        cairo_line_to(cr, x - s, y + s);
        cairo_line_to(cr, x - s, y - s * 0.2);
        cairo_close_path(cr);
        break;
    case 1: // cross (destination)
        cairo_rectangle(cr, x - s, y - s * 0.35, 2 * s, s * 0.7);
        cairo_rectangle(cr, x - s * 0.35, y - s, s * 0.7, 2 * s);
        break;
    case 2: // square (next candidate)
        cairo_rectangle(cr, x - s, y - s, 2 * s, 2 * s);
        break;
    default: // triangle (other shelters)
        cairo_move_to(cr, x, y - s);
        cairo_line_to(cr, x + s, y + s * 0.8);
        cairo_line_to(cr, x - s, y + s * 0.8);
        cairo_close_path(cr);
        break;
    }
}

const Colour kHomeColour{0.10, 0.45, 0.15};
const Colour kDestinationColour{0.80, 0.05, 0.05};
const Colour kCandidateColour{0.45, 0.25, 0.25};
const Colour kShelterColour{0.25, 0.35, 0.55};
const Colour kAlternateColour{0.15, 0.30, 0.75};

/// Draws road and river names along their longest visible straight stretch, never over
/// another name; at most `limit` names.
void draw_names(cairo_t* cr, const MapView& view, std::span<const geo::BackgroundLine> lines,
                const Rect& frame, std::vector<Rect>& taken, std::size_t limit) {
    struct Stretch {
        double length = 0, x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        int rank = 0; // water and bigger roads first
    };
    std::map<std::string, Stretch> best;
    for (const auto& l : lines) {
        if (l.name.empty()) continue;
        const int rank = l.kind == geo::BackgroundLine::Kind::water ? 5 : tier_of(l.road_class);
        if (rank < 2) continue;
        auto in = [&](double x, double y) {
            return x > frame.x + 8 && x < frame.x + frame.w - 8 && y > frame.y + 8 &&
                   y < frame.y + frame.h - 8;
        };
        auto offer = [&](double ax, double ay, double bx, double by) {
            const double len = std::hypot(bx - ax, by - ay);
            auto& s = best[l.name];
            if (rank > s.rank || (rank == s.rank && len > s.length))
                s = {len, ax, ay, bx, by, rank};
        };
        // Runs of points that stay within 3 pt of their chord carry a name as one stretch.
        std::vector<std::pair<double, double>> pts;
        for (const auto& p : l.points) pts.push_back(view(p));
        std::size_t start = 0;
        while (start + 1 < pts.size()) {
            std::size_t end = start + 1;
            while (end + 1 < pts.size()) {
                const auto [ax, ay] = pts[start];
                const auto [bx, by] = pts[end + 1];
                const double len = std::hypot(bx - ax, by - ay);
                bool straight = len > 0;
                for (std::size_t k = start + 1; straight && k <= end; ++k) {
                    const double d = std::abs((bx - ax) * (ay - pts[k].second) -
                                              (ax - pts[k].first) * (by - ay)) /
                                     len;
                    straight = d < 3.0;
                }
                if (!straight) break;
                ++end;
            }
            const auto [ax, ay] = pts[start];
            const auto [bx, by] = pts[end];
            if (in(ax, ay) && in(bx, by)) offer(ax, ay, bx, by);
            start = end;
        }
    }
    std::vector<std::pair<std::string, Stretch>> order(best.begin(), best.end());
    std::stable_sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
        return a.second.rank != b.second.rank ? a.second.rank > b.second.rank
                                              : a.second.length > b.second.length;
    });
    std::size_t drawn = 0;
    for (const auto& [name, s] : order) {
        if (drawn >= limit) break;
        const TextStyle style{.size_pt = 7,
                              .bold = true,
                              .colour =
                                  s.rank == 5 ? Colour{0.1, 0.3, 0.7} : Colour{0.2, 0.2, 0.2}};
        const auto [tw, th] = measure_text(cr, name, style);
        if (tw > s.length * 1.6 + 10) continue; // the stretch is too short to carry the name
        double angle = std::atan2(s.y1 - s.y0, s.x1 - s.x0);
        if (angle > M_PI / 2) angle -= M_PI;
        if (angle < -M_PI / 2) angle += M_PI;
        const double cx = (s.x0 + s.x1) / 2, cy = (s.y0 + s.y1) / 2;
        const double bw = std::abs(tw * std::cos(angle)) + std::abs(th * std::sin(angle));
        const double bh = std::abs(tw * std::sin(angle)) + std::abs(th * std::cos(angle));
        const Rect box{cx - bw / 2, cy - bh / 2, bw, bh};
        if (box.x < frame.x || box.y < frame.y || box.x + box.w > frame.x + frame.w ||
            box.y + box.h > frame.y + frame.h)
            continue;
        if (std::any_of(taken.begin(), taken.end(),
                        [&](const Rect& r) { return box_overlaps(r, box); }))
            continue;
        taken.push_back(box);
        cairo_save(cr);
        cairo_translate(cr, cx, cy);
        cairo_rotate(cr, angle);
        cairo_set_source_rgba(cr, 1, 1, 1, 0.8);
        cairo_rectangle(cr, -tw / 2 - 1, -th / 2, tw + 2, th);
        cairo_fill(cr);
        draw_text(cr, -tw / 2, -th / 2, name, style);
        cairo_restore(cr);
        ++drawn;
    }
}

/// Small arrowheads along the route in its direction, at a third and two thirds.
void draw_arrows(cairo_t* cr, const MapView& view, const std::vector<geo::LonLat>& route) {
    std::vector<std::pair<double, double>> pts;
    for (const auto& p : route) pts.push_back(view(p));
    double total = 0;
    for (std::size_t i = 1; i < pts.size(); ++i)
        total += std::hypot(pts[i].first - pts[i - 1].first, pts[i].second - pts[i - 1].second);
    if (total < 60) return;
    for (double f : {1.0 / 3.0, 2.0 / 3.0}) {
        double want = total * f, run = 0;
        for (std::size_t i = 1; i < pts.size(); ++i) {
            const double seg =
                std::hypot(pts[i].first - pts[i - 1].first, pts[i].second - pts[i - 1].second);
            if (run + seg >= want && seg > 0) {
                const double t = (want - run) / seg;
                const double x = pts[i - 1].first + t * (pts[i].first - pts[i - 1].first);
                const double y = pts[i - 1].second + t * (pts[i].second - pts[i - 1].second);
                const double a =
                    std::atan2(pts[i].second - pts[i - 1].second, pts[i].first - pts[i - 1].first);
                cairo_save(cr);
                cairo_translate(cr, x, y);
                cairo_rotate(cr, a);
                cairo_move_to(cr, 4.5, 0);
                cairo_line_to(cr, -3.5, -3.5);
                cairo_line_to(cr, -1.5, 0);
                cairo_line_to(cr, -3.5, 3.5);
                cairo_close_path(cr);
                cairo_set_source_rgb(cr, 1, 1, 1);
                cairo_fill(cr);
                cairo_restore(cr);
                break;
            }
            run += seg;
        }
    }
}

} // namespace

geo::LonLatBox MapView::shown() const {
    const double half_w = area.w / 2 / scale / kx, half_h = area.h / 2 / scale / ky;
    const double clon = lon0 + (area.x + area.w / 2 - ox) / scale / kx;
    const double clat = lat0 - (area.y + area.h / 2 - oy) / scale / ky;
    return {{clon - half_w, clat - half_h}, {clon + half_w, clat + half_h}};
}

MapView fit_view(const geo::LonLatBox& box, const Rect& area, double margin_pt,
                 double min_extent_m) {
    MapView v;
    v.area = area;
    v.lon0 = (box.min.lon + box.max.lon) / 2;
    v.lat0 = (box.min.lat + box.max.lat) / 2;
    v.ky = kMetresPerDegreeLat;
    v.kx = kMetresPerDegreeLonEquator * std::cos(v.lat0 * M_PI / 180.0);
    const double w_m = std::max((box.max.lon - box.min.lon) * v.kx, min_extent_m);
    const double h_m = std::max((box.max.lat - box.min.lat) * v.ky, min_extent_m);
    v.scale = std::min((area.w - 2 * margin_pt) / w_m, (area.h - 2 * margin_pt) / h_m);
    v.ox = area.x + area.w / 2;
    v.oy = area.y + area.h / 2;
    return v;
}

Colour hazard_fill(geo::HazardKind kind, int severity) {
    const double k = std::clamp(severity, 0, 2) * 0.12;
    switch (kind) {
    case geo::HazardKind::flood: return {0.72 - k, 0.83 - k, 0.97 - k / 2};
    case geo::HazardKind::storm_surge: return {0.66 - k, 0.90 - k, 0.86 - k};
    case geo::HazardKind::tsunami: return {0.93 - k / 2, 0.74 - k, 0.90 - k};
    case geo::HazardKind::landslide:
        return severity >= 2 ? Colour{0.96, 0.62, 0.55} : Colour{0.99, 0.92, 0.55};
    }
    return {0.85, 0.85, 0.85};
}

void draw_route_map(cairo_t* cr, const MapView& view, const RouteMapContent& content) {
    const Rect& frame = view.area;
    cairo_save(cr);
    cairo_rectangle(cr, frame.x, frame.y, frame.w, frame.h);
    cairo_set_source_rgb(cr, 0.985, 0.98, 0.965);
    cairo_fill_preserve(cr);
    cairo_clip(cr);
    const auto shown = view.shown();

    // Hazard areas: fill, then the kind's hatching, then the outline.
    for (const auto& h : content.hazards) {
        bool visible = false;
        for (const auto& polygon : h.polygons)
            if (!polygon.empty() && box_of(polygon.front()).intersects(shown)) visible = true;
        if (!visible) continue;
        cairo_new_path(cr);
        for (const auto& polygon : h.polygons) {
            for (const auto& ring : polygon) {
                polyline(cr, view, ring);
                cairo_close_path(cr);
            }
        }
        cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
        set_colour(cr, hazard_fill(h.kind, h.severity));
        cairo_fill_preserve(cr);
        cairo_save(cr);
        cairo_clip_preserve(cr);
        cairo_new_path(cr);
        hatch_kind(cr, frame, h.kind, h.severity);
        cairo_restore(cr);
        set_colour(cr, hazard_edge(h.kind));
        cairo_set_line_width(cr, 0.9);
        cairo_stroke(cr);
    }

    // Waterways, then roads tier by tier: every casing of a tier, then its fill, so crossings
    // of one tier join cleanly. One path per pass keeps the PDF small.
    // Footways, paths and tracks only where the map is zoomed in enough to tell them apart
    // from streets (under about 2.5 km across); a whole-town view keeps the streets.
    // On a map of a whole town (under 0.15 pt a metre, over about 3.5 km across) the small
    // streets are drawn only within about 250 m of the routes and places: what a family needs
    // to find the way, and a few hundred KB less in the file.
    const bool paths = view.scale >= 0.2;
    const bool corridor = view.scale < 0.15;
    const double reach_pt = 250.0 * view.scale;
    std::set<std::pair<long, long>> near_cells; // page grid of reach_pt cells around the routes
    if (corridor) {
        auto mark = [&](double x, double y) {
            const long cx = std::lround(std::floor(x / reach_pt)),
                       cy = std::lround(std::floor(y / reach_pt));
            for (long dx = -1; dx <= 1; ++dx)
                for (long dy = -1; dy <= 1; ++dy) near_cells.insert({cx + dx, cy + dy});
        };
        auto mark_line = [&](const std::vector<geo::LonLat>& pts) {
            for (std::size_t i = 0; i < pts.size(); ++i) {
                const auto [x, y] = view(pts[i]);
                mark(x, y);
                if (i == 0) continue;
                const auto [px, py] = view(pts[i - 1]);
                const int steps = static_cast<int>(std::hypot(x - px, y - py) / (reach_pt / 2));
                for (int k = 1; k < steps; ++k)
                    mark(px + (x - px) * k / steps, py + (y - py) * k / steps);
            }
        };
        mark_line(content.route);
        mark_line(content.alternate);
        for (const auto& r : content.extra_routes) mark_line(r.points);
        mark_line({content.home});
        if (content.destination) mark_line({content.destination->at});
        if (content.next_candidate) mark_line({content.next_candidate->at});
        for (const auto& o : content.other_shelters) mark_line({o.at});
    }
    auto near_route = [&](const geo::BackgroundLine& l) {
        for (const auto& p : l.points) {
            const auto [x, y] = view(p);
            if (near_cells.count(
                    {std::lround(std::floor(x / reach_pt)), std::lround(std::floor(y / reach_pt))}))
                return true;
        }
        return false;
    };
    std::vector<const geo::BackgroundLine*> visible;
    for (const auto& l : content.lines) {
        const bool road = l.kind == geo::BackgroundLine::Kind::road;
        if (!paths && road && tier_of(l.road_class) == 0) continue;
        if (!box_of(l.points).intersects(shown)) continue;
        if (corridor && road && tier_of(l.road_class) <= 1) {
            if (!near_route(l)) continue;
            // A street shorter than 2 pt on the page is a dot: left out.
            const auto [ax, ay] = view(l.points.front());
            const auto [bx, by] = view(l.points.back());
            if (l.points.size() <= 3 && std::hypot(bx - ax, by - ay) < 2.0) continue;
        }
        visible.push_back(&l);
    }
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    cairo_new_path(cr);
    for (const auto* l : visible)
        if (l->kind == geo::BackgroundLine::Kind::water) polyline(cr, view, l->points);
    cairo_set_source_rgb(cr, 0.35, 0.6, 0.9);
    cairo_set_line_width(cr, 1.6);
    cairo_stroke(cr);
    for (int tier = 0; tier < static_cast<int>(kTiers.size()); ++tier) {
        const auto& t = kTiers[static_cast<std::size_t>(tier)];
        for (int pass = t.casing_pt > 0 ? 0 : 1; pass < 2; ++pass) {
            cairo_new_path(cr);
            for (const auto* l : visible)
                if (l->kind == geo::BackgroundLine::Kind::road && tier_of(l->road_class) == tier)
                    polyline(cr, view, l->points, corridor ? (tier <= 2 ? 1.0 : 0.5) : 0.1);
            if (pass == 0) {
                cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
                cairo_set_line_width(cr, t.casing_pt);
            } else {
                set_colour(cr, t.fill);
                cairo_set_line_width(cr, t.width_pt);
            }
            cairo_stroke(cr);
        }
    }

    // Road and river names go under the routes, so no name ever hides the way to go.
    std::vector<Rect> name_boxes;
    draw_names(cr, view, content.lines, frame, name_boxes, 8);

    // Routes: the alternate dashed under the route; the route thick with a dark casing.
    if (content.draw_routes) {
        for (std::size_t i = 0; i < content.extra_routes.size(); ++i) {
            const auto& r = content.extra_routes[i];
            if (r.points.size() < 2) continue;
            cairo_new_path(cr);
            polyline(cr, view, r.points);
            if (i == 0) {
                cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
                cairo_set_line_width(cr, r.width_pt + 2);
                cairo_stroke_preserve(cr);
            }
            set_colour(cr, r.colour);
            cairo_set_line_width(cr, r.width_pt);
            if (content.straight_line)
                cairo_set_dash(cr, std::array<double, 2>{10, 4}.data(), 2, 0);
            cairo_stroke(cr);
            cairo_set_dash(cr, nullptr, 0, 0);
        }
        if (content.alternate.size() >= 2) {
            cairo_new_path(cr);
            polyline(cr, view, content.alternate);
            cairo_set_source_rgb(cr, 1, 1, 1);
            cairo_set_line_width(cr, 5.5);
            cairo_stroke_preserve(cr);
            set_colour(cr, kAlternateColour);
            cairo_set_line_width(cr, 3.0);
            cairo_set_dash(cr, std::array<double, 2>{7, 4}.data(), 2, 0);
            cairo_stroke(cr);
            cairo_set_dash(cr, nullptr, 0, 0);
        }
        if (content.route.size() >= 2) {
            cairo_new_path(cr);
            polyline(cr, view, content.route);
            cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
            cairo_set_line_width(cr, 7.0);
            cairo_stroke_preserve(cr);
            set_colour(cr, kRouteColour);
            cairo_set_line_width(cr, 4.6);
            if (content.straight_line)
                cairo_set_dash(cr, std::array<double, 2>{10, 4}.data(), 2, 0);
            cairo_stroke(cr);
            cairo_set_dash(cr, nullptr, 0, 0);
            draw_arrows(cr, view, content.route);
        }
    }

    // Markers: other shelters first (smallest), the home and the destination on top.
    struct Marker {
        geo::LonLat at;
        std::string label;
        Colour colour;
        int shape;
        double size;
    };
    std::vector<Marker> markers;
    for (const auto& s : content.other_shelters)
        markers.push_back({s.at, s.label, kShelterColour, 3, 5});
    if (content.next_candidate)
        markers.push_back(
            {content.next_candidate->at, content.next_candidate->label, kCandidateColour, 2, 5.5});
    if (content.destination)
        markers.push_back(
            {content.destination->at, content.destination->label, kDestinationColour, 1, 8});
    markers.push_back({content.home, "自宅", kHomeColour, 0, 7.5});
    std::vector<Rect> boxes;
    // A marker outside the frame (the destination on the first-kilometre map) is left out.
    std::erase_if(markers, [&](const Marker& m) {
        const auto [x, y] = view(m.at);
        return x < frame.x || x > frame.x + frame.w || y < frame.y || y > frame.y + frame.h;
    });
    for (const auto& m : markers) {
        const auto [x, y] = view(m.at);
        marker_path(cr, x, y, m.size, m.shape);
        set_colour(cr, m.colour);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_set_line_width(cr, 1.3);
        cairo_stroke(cr);
        const double s = m.size * 1.3;
        boxes.push_back({x - s, y - s, 2 * s, 2 * s});
    }

    // Hazard labels (name, depth, onset) inside their areas, then names along roads and
    // rivers, then the markers' labels placed apart from every marker.
    std::vector<Rect> taken = boxes;
    const Rect inner{frame.x + 4, frame.y + 22, frame.w - 8, frame.h - 44};
    for (const auto& h : content.hazards) {
        if (h.label.empty()) continue;
        const auto at = label_point(view, h, inner);
        if (!at) continue;
        const TextStyle style{.size_pt = 7, .bold = true, .colour = hazard_edge(h.kind)};
        const auto [tw, th] = measure_text(cr, h.label, style);
        Rect box{std::clamp(at->first - tw / 2 - 2, inner.x, inner.x + inner.w - tw - 4),
                 std::clamp(at->second - th / 2 - 1, inner.y, inner.y + inner.h - th - 2), tw + 4,
                 th + 2};
        if (std::any_of(taken.begin(), taken.end(),
                        [&](const Rect& r) { return box_overlaps(r, box); }))
            continue;
        taken.push_back(box);
        cairo_set_source_rgba(cr, 1, 1, 1, 0.88);
        cairo_rectangle(cr, box.x, box.y, box.w, box.h);
        cairo_fill_preserve(cr);
        set_colour(cr, hazard_edge(h.kind));
        cairo_set_line_width(cr, 0.6);
        cairo_stroke(cr);
        draw_text(cr, box.x + 2, box.y + 1, h.label, style);
    }
    {
        const TextStyle label_style{.size_pt = 8, .bold = true, .colour = {0.1, 0.1, 0.1}};
        std::vector<std::pair<double, double>> sizes;
        for (const auto& m : markers) {
            if (m.label.empty()) {
                sizes.emplace_back(0.0, 0.0);
                continue;
            }
            const auto [tw, th] = measure_text(cr, m.label, label_style);
            sizes.emplace_back(tw + 3, th + 2);
        }
        const auto placed = place_labels(boxes, sizes, inner);
        for (std::size_t k = 0; k < markers.size(); ++k) {
            if (markers[k].label.empty()) continue;
            const auto& b = placed[k].box;
            if (placed[k].leader) {
                const auto [x, y] = view(markers[k].at);
                cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
                cairo_set_line_width(cr, 0.6);
                cairo_move_to(cr, x, y);
                cairo_line_to(cr, b.x > x ? b.x : b.x + b.w, b.y + b.h / 2);
                cairo_stroke(cr);
            }
            cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
            cairo_rectangle(cr, b.x, b.y, b.w, b.h);
            cairo_fill(cr);
            draw_text(cr, b.x + 1.5, b.y + 1, markers[k].label, label_style);
        }
    }

    // Title (upper left), scale bar (lower left), north arrow (upper right).
    if (!content.title.empty()) {
        const TextStyle ts{.size_pt = 9, .bold = true};
        const auto [tw, th] = measure_text(cr, content.title, ts);
        cairo_set_source_rgba(cr, 1, 1, 1, 0.92);
        cairo_rectangle(cr, frame.x, frame.y, tw + 10, th + 6);
        cairo_fill(cr);
        draw_text(cr, frame.x + 5, frame.y + 3, content.title, ts);
    }
    draw_scale_and_north(cr, frame, view.scale);
    cairo_restore(cr);

    cairo_save(cr);
    cairo_rectangle(cr, frame.x, frame.y, frame.w, frame.h);
    cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
    cairo_set_line_width(cr, 0.9);
    cairo_stroke(cr);
    cairo_restore(cr);
}

namespace {

struct LegendItem {
    enum class Kind : std::uint8_t { line, dashed_line, road, water, marker, hazard } kind;
    std::string text;
    int tier = 0;
    int shape = 0;
    Colour colour;
    geo::HazardKind hazard = geo::HazardKind::flood;
    int severity = 0;
};

std::vector<LegendItem> legend_items(const RouteMapContent& c) {
    std::vector<LegendItem> items;
    using K = LegendItem::Kind;
    if (c.route.size() >= 2) {
        items.push_back(
            {.kind = c.straight_line ? K::dashed_line : K::line,
             .text = c.straight_line ? "避難経路（直線の目安）" : "避難経路（矢印は進む向き）",
             .colour = kRouteColour});
    }
    if (c.alternate.size() >= 2)
        items.push_back({.kind = K::dashed_line, .text = "別の経路", .colour = kAlternateColour});
    for (const auto& r : c.extra_routes)
        if (r.points.size() >= 2)
            items.push_back({.kind = c.straight_line ? K::dashed_line : K::line,
                             .text = r.legend,
                             .colour = r.colour});
    std::array<bool, kTiers.size()> tiers{};
    bool water = false;
    for (const auto& l : c.lines) {
        if (l.kind == geo::BackgroundLine::Kind::water)
            water = true;
        else
            tiers[static_cast<std::size_t>(tier_of(l.road_class))] = true;
    }
    if (tiers[4]) items.push_back({.kind = K::road, .text = "国道・高速道路など", .tier = 4});
    if (tiers[3]) items.push_back({.kind = K::road, .text = "主要な道路（県道など）", .tier = 3});
    if (tiers[2]) items.push_back({.kind = K::road, .text = "生活道路の幹線", .tier = 2});
    if (tiers[1]) items.push_back({.kind = K::road, .text = "そのほかの道路", .tier = 1});
    if (water) items.push_back({.kind = K::water, .text = "川・水路"});
    items.push_back({.kind = K::marker, .text = "自宅", .shape = 0, .colour = kHomeColour});
    if (c.destination)
        items.push_back(
            {.kind = K::marker, .text = "避難先", .shape = 1, .colour = kDestinationColour});
    if (c.next_candidate)
        items.push_back(
            {.kind = K::marker, .text = "次の候補", .shape = 2, .colour = kCandidateColour});
    if (!c.other_shelters.empty())
        items.push_back(
            {.kind = K::marker, .text = "ほかの避難先", .shape = 3, .colour = kShelterColour});
    std::map<std::pair<int, int>, bool> seen;
    for (const auto& h : c.hazards) {
        const int sev =
            h.kind == geo::HazardKind::landslide ? (h.severity >= 2 ? 2 : 0) : h.severity;
        if (seen[{static_cast<int>(h.kind), sev}]) continue;
        seen[{static_cast<int>(h.kind), sev}] = true;
        std::string text;
        switch (h.kind) {
        case geo::HazardKind::flood: text = "洪水の浸水想定区域"; break;
        case geo::HazardKind::storm_surge: text = "高潮の浸水想定区域"; break;
        case geo::HazardKind::tsunami: text = "津波の浸水想定区域"; break;
        case geo::HazardKind::landslide:
            text = sev >= 2 ? "土砂災害特別警戒区域" : "土砂災害警戒区域";
            break;
        }
        if (h.kind != geo::HazardKind::landslide)
            text += sev >= 2 ? "（深さ3m以上）" : (sev == 1 ? "（0.5〜3m）" : "（0.5m未満）");
        items.push_back({.kind = K::hazard, .text = text, .hazard = h.kind, .severity = sev});
    }
    std::stable_sort(items.begin(), items.end(), [](const LegendItem& a, const LegendItem& b) {
        return a.kind == LegendItem::Kind::hazard && b.kind == LegendItem::Kind::hazard &&
               std::pair{static_cast<int>(a.hazard), a.severity} <
                   std::pair{static_cast<int>(b.hazard), b.severity};
    });
    return items;
}

constexpr double kLegendRow = 13.0;
constexpr int kLegendColumns = 3;

} // namespace

double route_legend_height(const RouteMapContent& content, double) {
    const auto n = legend_items(content).size();
    return kLegendRow * std::ceil(static_cast<double>(n) / kLegendColumns) + 6;
}

void draw_route_legend(cairo_t* cr, const Rect& area, const RouteMapContent& content) {
    const auto items = legend_items(content);
    const double col_w = area.w / kLegendColumns;
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto& it = items[i];
        const double x = area.x + col_w * static_cast<double>(i % kLegendColumns);
        const double y =
            area.y + 3 + kLegendRow * std::floor(static_cast<double>(i) / kLegendColumns);
        const double cy = y + kLegendRow / 2 - 1;
        cairo_save(cr);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT);
        switch (it.kind) {
        case LegendItem::Kind::line:
        case LegendItem::Kind::dashed_line:
            cairo_move_to(cr, x + 2, cy);
            cairo_line_to(cr, x + 24, cy);
            if (it.colour.r == kRouteColour.r) {
                cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
                cairo_set_line_width(cr, 6.0);
            } else {
                cairo_set_source_rgb(cr, 1, 1, 1);
                cairo_set_line_width(cr, 4.5);
            }
            cairo_stroke_preserve(cr);
            set_colour(cr, it.colour);
            cairo_set_line_width(cr, it.colour.r == kRouteColour.r ? 4.0 : 2.6);
            if (it.kind == LegendItem::Kind::dashed_line)
                cairo_set_dash(cr, std::array<double, 2>{5, 3}.data(), 2, 0);
            cairo_stroke(cr);
            break;
        case LegendItem::Kind::road: {
            const auto& t = kTiers[static_cast<std::size_t>(it.tier)];
            cairo_move_to(cr, x + 2, cy);
            cairo_line_to(cr, x + 24, cy);
            if (t.casing_pt > 0) {
                cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
                cairo_set_line_width(cr, t.casing_pt);
                cairo_stroke_preserve(cr);
            }
            set_colour(cr, t.fill);
            cairo_set_line_width(cr, t.width_pt);
            cairo_stroke(cr);
            break;
        }
        case LegendItem::Kind::water:
            cairo_move_to(cr, x + 2, cy);
            cairo_line_to(cr, x + 24, cy);
            cairo_set_source_rgb(cr, 0.35, 0.6, 0.9);
            cairo_set_line_width(cr, 1.6);
            cairo_stroke(cr);
            break;
        case LegendItem::Kind::marker:
            marker_path(cr, x + 13, cy, 4.5, it.shape);
            set_colour(cr, it.colour);
            cairo_fill(cr);
            break;
        case LegendItem::Kind::hazard: {
            const Rect sw{x + 2, cy - 4.5, 22, 9};
            cairo_rectangle(cr, sw.x, sw.y, sw.w, sw.h);
            set_colour(cr, hazard_fill(it.hazard, it.severity));
            cairo_fill_preserve(cr);
            cairo_save(cr);
            cairo_clip_preserve(cr);
            cairo_new_path(cr);
            hatch_kind(cr, sw, it.hazard, it.severity);
            cairo_restore(cr);
            set_colour(cr, hazard_edge(it.hazard));
            cairo_set_line_width(cr, 0.7);
            cairo_stroke(cr);
            break;
        }
        }
        cairo_restore(cr);
        draw_text(cr, x + 28, y, it.text, {.size_pt = 7.5}, col_w - 30);
    }
}

} // namespace sonae::report::detail
