#include "geo/hazard.hpp"

#include "geo/detail/gdal_util.hpp"

#include <boost/geometry.hpp>
#include <boost/geometry/geometries/box.hpp>
#include <boost/geometry/geometries/linestring.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#include <boost/geometry/index/rtree.hpp>
#include <cpl_conv.h>
#include <cpl_error.h>
#include <fmt/format.h>
#include <gdal.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <mutex>
#include <optional>
#include <string>

namespace sonae::geo {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

namespace {

using BgPoint = bg::model::d2::point_xy<double>;
using BgPolygon = bg::model::polygon<BgPoint>; // clockwise, closed
using BgBox = bg::model::box<BgPoint>;
using BgLine = bg::model::linestring<BgPoint>;
using RtreeValue = std::pair<BgBox, std::uint32_t>; // polygon index
using Rtree = bgi::rtree<RtreeValue, bgi::rstar<16>>;

} // namespace

namespace detail {

struct HazardIndex {
    std::vector<HazardArea> areas;
    std::vector<HazardLayerInfo> layers;
    Diagnostics diagnostics;
    std::vector<BgPolygon> polygons;         // all parts of all areas
    std::vector<std::uint32_t> polygon_area; // owning area of each polygon
    std::vector<std::uint32_t> area_first;   // polygons of area i: [area_first[i], [i+1])
    Rtree rtree;
};

} // namespace detail

namespace {

using detail::ensure_gdal_registered;
using detail::gdal_detail;
using GdalErrors = detail::GdalErrorCapture;

std::string trim(std::string_view text) {
    std::size_t a = 0;
    std::size_t b = text.size();
    while (a < b && std::isspace(static_cast<unsigned char>(text[a]))) ++a;
    while (b > a && std::isspace(static_cast<unsigned char>(text[b - 1]))) --b;
    return std::string(text.substr(a, b - a));
}

std::optional<double> parse_double(std::string_view text) {
    const std::string t = trim(text);
    if (t.empty()) return std::nullopt;
    double value = 0.0;
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), value);
    if (ec != std::errc() || end != t.data() + t.size() || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

std::int64_t minutes_to_ms(double minutes) {
    return static_cast<std::int64_t>(std::llround(minutes * 60'000.0));
}

// Bounding box of points (the outer ring bounds a polygon). Written out because Boost's
// envelope strategy trips GCC 12's -Wmaybe-uninitialized.
template <typename Points>
BgBox envelope_of_points(const Points& points) {
    double min_x = std::numeric_limits<double>::infinity();
    double min_y = min_x;
    double max_x = -min_x;
    double max_y = -min_x;
    for (const auto& p : points) {
        min_x = std::min(min_x, bg::get<0>(p));
        min_y = std::min(min_y, bg::get<1>(p));
        max_x = std::max(max_x, bg::get<0>(p));
        max_y = std::max(max_y, bg::get<1>(p));
    }
    return BgBox(BgPoint(min_x, min_y), BgPoint(max_x, max_y));
}

BgBox envelope_of(const BgPolygon& polygon) {
    return envelope_of_points(polygon.outer());
}

std::vector<LonLat> to_lonlat_ring(const OGRLinearRing& ring) {
    std::vector<LonLat> out;
    out.reserve(static_cast<std::size_t>(ring.getNumPoints()));
    for (int i = 0; i < ring.getNumPoints(); ++i) out.push_back({ring.getX(i), ring.getY(i)});
    return out;
}

LonLatPolygon to_lonlat_polygon(const OGRPolygon& polygon) {
    LonLatPolygon out;
    if (const auto* exterior = polygon.getExteriorRing()) out.push_back(to_lonlat_ring(*exterior));
    for (int i = 0; i < polygon.getNumInteriorRings(); ++i) {
        out.push_back(to_lonlat_ring(*polygon.getInteriorRing(i)));
    }
    return out;
}

// Appends every polygon found in `geometry` (a polygon, a multi-polygon or a collection
// holding them); lines and points that MakeValid may leave are ignored.
void collect_polygons(const OGRGeometry& geometry, std::vector<LonLatPolygon>& out) {
    const auto type = wkbFlatten(geometry.getGeometryType());
    if (type == wkbPolygon) {
        out.push_back(to_lonlat_polygon(*geometry.toPolygon()));
    } else if (type == wkbMultiPolygon || type == wkbGeometryCollection) {
        for (const auto* part : *geometry.toGeometryCollection()) {
            if (part != nullptr) collect_polygons(*part, out);
        }
    }
}

bool same_point(LonLat a, LonLat b) {
    return a.lon == b.lon && a.lat == b.lat;
}

std::string point_text(LonLat p) {
    return fmt::format("({:.7f}, {:.7f})", p.lon, p.lat);
}

// Why a ring cannot be a hazard boundary as given: the end of the message ("is not
// closed") and the value that shows it.
struct RingProblem {
    std::string message;
    std::string value;
};

// Ends of a ring this close (degrees, about 1 cm) are one point written twice by a program
// that rounds differently (a gap of 5e-10 degrees was refused while both ends printed alike):
// the ring is closed, with a warning. A wider gap is a ring whose closing edge would be a
// guess at the hazard's extent, and is refused.
constexpr double kRingCloseToleranceDeg = 1e-7;

// Both coordinates with every digit that tells them apart (shortest round-trip form).
std::string exact_point_text(LonLat p) {
    return fmt::format("({}, {})", p.lon, p.lat);
}

std::optional<RingProblem> unclosed_ring(const std::vector<LonLat>& ring) {
    if (ring.empty() || same_point(ring.front(), ring.back())) return std::nullopt;
    const double gap_m = std::hypot((ring.back().lon - ring.front().lon) * 111320.0 *
                                        std::cos(ring.front().lat * M_PI / 180.0),
                                    (ring.back().lat - ring.front().lat) * 110574.0);
    return RingProblem{"is not closed (its last point is not its first)",
                       "first " + exact_point_text(ring.front()) + ", last " +
                           exact_point_text(ring.back()) + fmt::format(", {:.3g} m apart", gap_m)};
}

bool nearly_closed(const std::vector<LonLat>& ring) {
    return ring.size() > 1 &&
           std::fabs(ring.back().lon - ring.front().lon) <= kRingCloseToleranceDeg &&
           std::fabs(ring.back().lat - ring.front().lat) <= kRingCloseToleranceDeg;
}

// Precondition: the ring is closed (or empty).
std::optional<RingProblem> degenerate_ring(const std::vector<LonLat>& ring) {
    if (ring.size() < 4) {
        return RingProblem{"has fewer than 4 points (a closed ring needs 3 corners and the "
                           "first point again)",
                           std::to_string(ring.size()) + " point(s)"};
    }
    // Zero area: every point exactly on the line through the first point and the point
    // farthest from it (or all one point). Exactly: a thin ring that GEOS finds valid (the
    // dissolved Numazu layer has some) keeps its sliver of area, as before.
    const LonLat origin = ring.front();
    LonLat far = origin;
    double far_d2 = 0.0;
    for (const auto& p : ring) {
        const double d2 = (p.lon - origin.lon) * (p.lon - origin.lon) +
                          (p.lat - origin.lat) * (p.lat - origin.lat);
        if (d2 > far_d2) {
            far_d2 = d2;
            far = p;
        }
    }
    bool on_line = true;
    for (const auto& p : ring) {
        const double cross = (far.lon - origin.lon) * (p.lat - origin.lat) -
                             (far.lat - origin.lat) * (p.lon - origin.lon);
        if (cross != 0.0) on_line = false;
    }
    if (on_line) {
        return RingProblem{"has no area (all its points lie on one line or are one point)",
                           std::to_string(ring.size()) + " points from " + point_text(origin) +
                               " to " + point_text(far)};
    }
    return std::nullopt;
}

} // namespace

// ---------------------------------------------------------------------------------------
// Names and defaults

std::string_view to_string(HazardKind kind) {
    switch (kind) {
    case HazardKind::tsunami: return "tsunami";
    case HazardKind::flood: return "flood";
    case HazardKind::storm_surge: return "storm_surge";
    case HazardKind::landslide: return "landslide";
    }
    return "flood";
}

HazardKind hazard_kind_from_string(std::string_view name) {
    if (name == "tsunami") return HazardKind::tsunami;
    if (name == "flood") return HazardKind::flood;
    if (name == "storm_surge" || name == "storm-surge" || name == "surge") {
        return HazardKind::storm_surge;
    }
    if (name == "landslide") return HazardKind::landslide;
    throw InputError("unknown hazard kind (expected tsunami, flood, storm_surge or landslide)",
                     {.field = "hazard kind", .value = std::string(name)});
}

std::string_view to_string(LandslideZone zone) {
    switch (zone) {
    case LandslideZone::none: return "none";
    case LandslideZone::yellow: return "yellow";
    case LandslideZone::red: return "red";
    }
    return "none";
}

std::vector<double> default_rank_depths_m(HazardKind kind) {
    switch (kind) {
    case HazardKind::flood:
    case HazardKind::storm_surge: return {0.5, 3.0, 5.0, 10.0, 20.0, 30.0};
    case HazardKind::tsunami: return {0.3, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0};
    case HazardKind::landslide: return {};
    }
    return {};
}

ClosureRules closure_rules(std::string_view mode) {
    ClosureRules rules;
    rules.mode = std::string(mode);
    if (mode == "car") {
        rules.water_close_depth_m = 0.3;
        rules.water_slow_factor = 2.0;
    } else if (mode == "walk" || mode == "foot") {
        rules.water_close_depth_m = 0.5;
        rules.water_slow_factor = 1.5;
    } else if (mode == "wheelchair" || mode == "stroller") {
        rules.water_close_depth_m = 0.1;
        rules.water_slow_factor = 2.0;
    } else {
        throw InputError("unknown travel mode for hazard rules (expected car, walk or wheelchair)",
                         {.field = "mode", .value = std::string(mode)});
    }
    return rules;
}

// ---------------------------------------------------------------------------------------
// Hazards

Hazards::Hazards() : m_index(std::make_shared<detail::HazardIndex>()) {}

std::span<const HazardArea> Hazards::areas() const noexcept {
    return m_index->areas;
}
std::span<const HazardLayerInfo> Hazards::layers() const noexcept {
    return m_index->layers;
}
const Diagnostics& Hazards::diagnostics() const noexcept {
    return m_index->diagnostics;
}

std::vector<LonLatPolygon> Hazards::polygons(std::uint32_t area) const {
    std::vector<LonLatPolygon> out;
    const auto& index = *m_index;
    for (auto p = index.area_first.at(area); p < index.area_first.at(area + 1); ++p) {
        const BgPolygon& polygon = index.polygons[p];
        LonLatPolygon rings;
        auto add_ring = [&rings](const auto& ring) {
            std::vector<LonLat> points;
            points.reserve(ring.size());
            for (const auto& pt : ring) points.push_back({pt.x(), pt.y()});
            rings.push_back(std::move(points));
        };
        add_ring(polygon.outer());
        for (const auto& inner : polygon.inners()) add_ring(inner);
        out.push_back(std::move(rings));
    }
    return out;
}

std::pair<LonLat, LonLat> Hazards::extent() const {
    const auto box = m_index->rtree.bounds();
    return {{bg::get<0>(box.min_corner()), bg::get<1>(box.min_corner())},
            {bg::get<0>(box.max_corner()), bg::get<1>(box.max_corner())}};
}

std::vector<std::uint32_t> Hazards::areas_at(LonLat point) const {
    const auto& index = *m_index;
    const BgPoint p(point.lon, point.lat);
    std::vector<std::uint32_t> out;
    for (auto it = index.rtree.qbegin(bgi::intersects(p)); it != index.rtree.qend(); ++it) {
        const std::uint32_t polygon = it->second;
        if (bg::covered_by(p, index.polygons[polygon])) out.push_back(index.polygon_area[polygon]);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::optional<HazardAtPoint> Hazards::hazard_at(LonLat point) const {
    auto hits = areas_at(point);
    if (hits.empty()) return std::nullopt;
    HazardAtPoint result;
    std::optional<double> kind_depth;
    for (const auto a : hits) {
        const HazardArea& area = m_index->areas[a];
        const double depth_for_tie = area.depth_m.value_or(0.0);
        if (area.onset_ms < result.onset_ms ||
            (area.onset_ms == result.onset_ms && depth_for_tie > kind_depth.value_or(-1.0))) {
            result.onset_ms = area.onset_ms;
            result.kind = area.kind;
            kind_depth = depth_for_tie;
        }
        if (area.depth_m && (!result.max_depth_m || *area.depth_m > *result.max_depth_m)) {
            result.max_depth_m = area.depth_m;
        }
        if (!area.depth_m && area.kind != HazardKind::landslide) result.depth_unknown = true;
        result.max_depth_rank = std::max(result.max_depth_rank, area.depth_rank);
        result.zone = std::max(result.zone, area.zone);
    }
    result.areas = std::move(hits);
    return result;
}

namespace {

// Appends the areas that `line` (2 points or more) crosses or touches to `out`, ascending;
// `scratch` is reused between calls to save an allocation per line.
void append_areas_crossed(const detail::HazardIndex& index, std::span<const LonLat> line,
                          BgLine& scratch, std::vector<std::uint32_t>& out) {
    const auto first = static_cast<std::ptrdiff_t>(out.size());
    scratch.clear();
    for (const auto& p : line) scratch.emplace_back(p.lon, p.lat);
    const auto box = envelope_of_points(scratch);
    for (auto it = index.rtree.qbegin(bgi::intersects(box)); it != index.rtree.qend(); ++it) {
        const std::uint32_t polygon = it->second;
        const std::uint32_t area = index.polygon_area[polygon];
        if (std::find(out.begin() + first, out.end(), area) != out.end()) continue;
        if (bg::intersects(scratch, index.polygons[polygon])) out.push_back(area);
    }
    std::sort(out.begin() + first, out.end());
}

} // namespace

std::vector<std::uint32_t> Hazards::areas_crossed(std::span<const LonLat> line) const {
    std::vector<std::uint32_t> out;
    if (line.empty()) return out;
    if (line.size() == 1) return areas_at(line.front());
    BgLine scratch;
    append_areas_crossed(*m_index, line, scratch, out);
    return out;
}

// ---------------------------------------------------------------------------------------
// HazardsBuilder

struct HazardsBuilder::State {
    detail::HazardIndex index;
    std::vector<RtreeValue> boxes;
};

HazardsBuilder::HazardsBuilder() : m_state(std::make_unique<State>()) {
    m_state->index.area_first.push_back(0);
}
HazardsBuilder::~HazardsBuilder() = default;
HazardsBuilder::HazardsBuilder(HazardsBuilder&&) noexcept = default;
HazardsBuilder& HazardsBuilder::operator=(HazardsBuilder&&) noexcept = default;

std::uint32_t HazardsBuilder::add_layer(HazardLayerInfo info) {
    m_state->index.layers.push_back(std::move(info));
    return static_cast<std::uint32_t>(m_state->index.layers.size() - 1);
}

HazardLayerInfo& HazardsBuilder::layer_info(std::uint32_t layer) {
    return m_state->index.layers.at(layer);
}

void HazardsBuilder::add_diagnostic(Diagnostic diagnostic) {
    m_state->index.diagnostics.push_back(std::move(diagnostic));
}

bool HazardsBuilder::add_area(HazardArea area, std::span<const LonLatPolygon> polygons) {
    ensure_gdal_registered();
    auto& index = m_state->index;
    if (area.layer >= index.layers.size()) {
        // Areas given in code without a layer get an anonymous one.
        area.layer = add_layer({.file = "", .layer = "(in code)", .kind = area.kind});
    }
    HazardLayerInfo& layer = index.layers[area.layer];
    const Where where{.file = layer.file, .layer = layer.layer, .feature = area.feature_id};
    auto warn = [&](std::string message) {
        index.diagnostics.push_back({.severity = Diagnostic::Severity::warning,
                                     .message = std::move(message),
                                     .where = where});
    };

    // Rings whose ends differ by a rounding are closed (warned); every ring open wider is
    // named in one error, not only the first.
    std::vector<LonLatPolygon> closed_copy;
    {
        std::vector<std::string> open;
        bool any_nearly = false;
        for (std::size_t i = 0; i < polygons.size(); ++i) {
            for (std::size_t r = 0; r < polygons[i].size(); ++r) {
                const auto& ring = polygons[i][r];
                if (ring.empty() || same_point(ring.front(), ring.back())) continue;
                if (nearly_closed(ring)) {
                    any_nearly = true;
                    warn("polygon " + std::to_string(i) + " ring " + std::to_string(r) + " ends " +
                         exact_point_text(ring.back()) + ", not at its first point " +
                         exact_point_text(ring.front()) + " (within " +
                         fmt::format("{}", kRingCloseToleranceDeg) +
                         " degrees): closed at its first point");
                } else {
                    open.push_back("polygon " + std::to_string(i) + " ring " + std::to_string(r) +
                                   ": " + unclosed_ring(ring)->value);
                }
            }
        }
        if (!open.empty()) {
            std::string value;
            for (const auto& o : open) value += (value.empty() ? "" : "; ") + o;
            Where at = where;
            at.field = "geometry";
            at.value = value;
            throw InputError(std::to_string(open.size()) +
                                 " hazard polygon ring(s) of the feature are not closed (the last "
                                 "point is not the first); close them (a guessed hazard extent is "
                                 "not safe to plan with)",
                             std::move(at));
        }
        if (any_nearly) {
            closed_copy.assign(polygons.begin(), polygons.end());
            for (auto& rings : closed_copy) {
                for (auto& ring : rings) {
                    if (!ring.empty()) ring.back() = ring.front();
                }
            }
            polygons = closed_copy;
        }
    }

    const GdalErrors gdal_errors;
    std::vector<LonLatPolygon> clean;
    bool repaired = false;
    auto ring_where = [&](std::size_t polygon_index, std::size_t r, const std::string& value) {
        Where at = where;
        at.field = "geometry";
        at.value = "polygon " + std::to_string(polygon_index) + " ring " + std::to_string(r) +
                   ": " + value;
        return at;
    };
    std::optional<RingProblem> first_degenerate;
    bool any_outer_kept = false;
    for (const auto& rings : polygons) {
        const auto polygon_index = static_cast<std::size_t>(&rings - polygons.data());
        OGRPolygon polygon;
        bool outer_dropped = false;
        for (std::size_t r = 0; r < rings.size(); ++r) {
            const std::vector<LonLat>& ring = rings[r];
            for (const auto& p : ring) {
                if (!std::isfinite(p.lon) || !std::isfinite(p.lat) || p.lon < -180.0 ||
                    p.lon > 180.0 || p.lat < -90.0 || p.lat > 90.0) {
                    throw InputError("polygon coordinate out of lon/lat range: (" +
                                         std::to_string(p.lon) + ", " + std::to_string(p.lat) + ")",
                                     where);
                }
            }
            // An unclosed ring is refused, not closed: the closing edge would be a guess at
            // the hazard's extent, and a plan must not rest on a guessed extent.
            // Self-intersections (below) stay repaired: real layers have them and the repair
            // keeps every area a ring encloses.
            if (auto problem = unclosed_ring(ring)) {
                throw InputError("hazard polygon ring " + problem->message +
                                     "; close it (a guessed hazard extent is not safe to plan "
                                     "with)",
                                 ring_where(polygon_index, r, problem->value));
            }
            // A ring without area adds or removes nothing, so dropping it guesses nothing
            // (TIN-derived layers such as PLATEAU's can hold degenerate triangles beside real
            // parts). A feature made only of such rings is refused below.
            if (auto problem = degenerate_ring(ring)) {
                warn("polygon " + std::to_string(polygon_index) + " ring " + std::to_string(r) +
                     " " + problem->message + "; dropped");
                repaired = true;
                if (!first_degenerate) {
                    first_degenerate = std::move(*problem);
                    first_degenerate->value = "polygon " + std::to_string(polygon_index) +
                                              " ring " + std::to_string(r) + ": " +
                                              first_degenerate->value;
                }
                if (r == 0) {
                    outer_dropped = true;
                    break;
                }
                continue;
            }
            OGRLinearRing ogr_ring;
            ogr_ring.setNumPoints(static_cast<int>(ring.size()), FALSE);
            for (std::size_t i = 0; i < ring.size(); ++i) {
                ogr_ring.setPoint(static_cast<int>(i), ring[i].lon, ring[i].lat);
            }
            polygon.addRing(&ogr_ring);
        }
        if (outer_dropped || polygon.IsEmpty()) continue;
        any_outer_kept = true;
        if (polygon.IsValid()) {
            clean.push_back(to_lonlat_polygon(polygon));
            continue;
        }
        // Self-intersections, bow-ties, holes outside the shell. GEOS's "structure" method
        // keeps every area a ring encloses (a bow-tie becomes two triangles, a ring that
        // loops twice keeps both loops), the safe side for hazards; the default "linework"
        // method drops doubly-covered areas (even-odd), which is how the dissolved Numazu
        // tsunami layer lost about 30 % of its area. Fall back to linework on old GEOS.
        const char* structure[] = {"METHOD=STRUCTURE", nullptr};
        std::unique_ptr<OGRGeometry> valid(polygon.MakeValid(structure));
        if (!valid) valid.reset(polygon.MakeValid());
        repaired = true;
        if (!valid) {
            warn("invalid polygon could not be repaired; dropped" + gdal_detail());
            continue;
        }
        const std::size_t before = clean.size();
        collect_polygons(*valid, clean);
        warn("invalid polygon (self-intersection or bad ring) repaired into " +
             std::to_string(clean.size() - before) + " polygon(s)");
    }
    if (!any_outer_kept && first_degenerate) {
        // Every outer ring of the feature had no area (a "polygon" that is a point or a line):
        // the hazard's extent is unknown, not empty.
        Where at = where;
        at.field = "geometry";
        at.value = first_degenerate->value;
        throw InputError("hazard feature has no area: every polygon ring " +
                             first_degenerate->message +
                             "; fix the geometry (a guessed hazard extent is not safe to plan "
                             "with)",
                         std::move(at));
    }
    if (repaired) ++layer.polygons_repaired;

    // Keep only parts with an area; degenerate slivers would never cover a point anyway.
    std::vector<BgPolygon> parts;
    for (const auto& rings : clean) {
        BgPolygon polygon;
        for (std::size_t r = 0; r < rings.size(); ++r) {
            if (r > 0) polygon.inners().emplace_back();
            auto& target = r == 0 ? polygon.outer() : polygon.inners().back();
            for (const auto& p : rings[r]) target.emplace_back(p.lon, p.lat);
        }
        bg::correct(polygon);
        if (bg::area(polygon) > 0.0) parts.push_back(std::move(polygon));
    }
    if (parts.empty()) {
        warn("feature has no polygon area left; dropped");
        ++layer.features_dropped;
        return false;
    }
    const auto area_index = static_cast<std::uint32_t>(index.areas.size());
    for (auto& polygon : parts) {
        const auto polygon_index = static_cast<std::uint32_t>(index.polygons.size());
        m_state->boxes.emplace_back(envelope_of(polygon), polygon_index);
        index.polygons.push_back(std::move(polygon));
        index.polygon_area.push_back(area_index);
    }
    index.area_first.push_back(static_cast<std::uint32_t>(index.polygons.size()));
    index.areas.push_back(std::move(area));
    ++layer.areas_kept;
    return true;
}

Hazards HazardsBuilder::build() && {
    auto index = std::make_shared<detail::HazardIndex>(std::move(m_state->index));
    // Bulk loading (packing) gives a better tree than inserting one by one.
    index->rtree = Rtree(m_state->boxes.begin(), m_state->boxes.end());
    m_state = std::make_unique<State>();
    m_state->index.area_first.push_back(0);
    Hazards hazards;
    hazards.m_index = std::move(index);
    return hazards;
}

// ---------------------------------------------------------------------------------------
// Loading layers through GDAL

namespace {

struct FieldRef {
    int index = -1;
    std::string name;
    explicit operator bool() const { return index >= 0; }
};

std::string field_list(OGRFeatureDefn& definition) {
    std::string out;
    for (int i = 0; i < definition.GetFieldCount(); ++i) {
        if (!out.empty()) out += ", ";
        out += definition.GetFieldDefn(i)->GetNameRef();
    }
    return out.empty() ? "(none)" : out;
}

class LayerReader {
public:
    LayerReader(const HazardLayerSpec& spec, HazardsBuilder& builder)
        : m_spec(spec), m_builder(builder) {}

    void read();

private:
    struct Record {
        HazardArea area;
        std::vector<LonLatPolygon> polygons;
        bool has_own_onset = false;
    };

    FieldRef resolve(const std::string& name, const char* role);
    FieldRef detect(std::initializer_list<const char*> names, const char* role);
    std::optional<double> number(OGRFeature& feature, const FieldRef& field,
                                 const std::string& feature_id);
    LandslideZone zone(OGRFeature& feature, const std::string& feature_id);
    std::vector<LonLatPolygon> geometry(OGRFeature& feature, const std::string& feature_id);
    Where where(const std::string& feature_id = {}, const std::string& field = {},
                const std::string& value = {}) const {
        return {.file = m_spec.path.string(),
                .layer = m_layer_name,
                .feature = feature_id,
                .field = field,
                .value = value};
    }
    void info(std::string message) {
        m_builder.add_diagnostic({.severity = Diagnostic::Severity::info,
                                  .message = std::move(message),
                                  .where = where()});
    }

    const HazardLayerSpec& m_spec;
    HazardsBuilder& m_builder;
    std::string m_layer_name;
    OGRLayer* m_layer = nullptr;
    std::unique_ptr<OGRCoordinateTransformation> m_to_lonlat;
    FieldRef m_id, m_depth, m_rank, m_onset, m_zone;
};

FieldRef LayerReader::resolve(const std::string& name, const char* role) {
    if (name.empty()) return {};
    auto& definition = *m_layer->GetLayerDefn();
    const int index = definition.GetFieldIndex(name.c_str());
    if (index < 0) {
        throw InputError(std::string("no such field for the ") + role +
                             "; the layer has: " + field_list(definition),
                         where({}, name));
    }
    return {index, name};
}

FieldRef LayerReader::detect(std::initializer_list<const char*> names, const char* role) {
    auto& definition = *m_layer->GetLayerDefn();
    for (const char* name : names) {
        const int index = definition.GetFieldIndex(name);
        if (index >= 0) {
            info(std::string("using field '") + name + "' as the " + role);
            return {index, name};
        }
    }
    return {};
}

std::optional<double> LayerReader::number(OGRFeature& feature, const FieldRef& field,
                                          const std::string& feature_id) {
    if (!field || !feature.IsFieldSetAndNotNull(field.index)) return std::nullopt;
    const auto type = feature.GetFieldDefnRef(field.index)->GetType();
    if (type == OFTInteger || type == OFTInteger64) {
        return static_cast<double>(feature.GetFieldAsInteger64(field.index));
    }
    if (type == OFTReal) {
        const double value = feature.GetFieldAsDouble(field.index);
        if (!std::isfinite(value)) {
            throw InputError("not a finite number", where(feature_id, field.name, "nan/inf"));
        }
        return value;
    }
    const std::string text = feature.GetFieldAsString(field.index);
    if (trim(text).empty()) return std::nullopt;
    const auto value = parse_double(text);
    if (!value) throw InputError("not a number", where(feature_id, field.name, text));
    return value;
}

LandslideZone LayerReader::zone(OGRFeature& feature, const std::string& feature_id) {
    if (!m_zone || !feature.IsFieldSetAndNotNull(m_zone.index)) return m_spec.default_zone;
    const std::string text = trim(feature.GetFieldAsString(m_zone.index));
    // 区域区分 in 国土数値情報 A33 and PLATEAU: 1 = 警戒区域, 2 = 特別警戒区域.
    if (text == "1" || text == "yellow" || text == "警戒区域" || text == "土砂災害警戒区域") {
        return LandslideZone::yellow;
    }
    if (text == "2" || text == "red" || text == "特別警戒区域" || text == "土砂災害特別警戒区域") {
        return LandslideZone::red;
    }
    throw InputError(
        "unknown landslide zone (expected 1 = yellow/警戒区域 or 2 = red/特別警戒区域)",
        where(feature_id, m_zone.name, text));
}

std::vector<LonLatPolygon> LayerReader::geometry(OGRFeature& feature,
                                                 const std::string& feature_id) {
    const OGRGeometry* source = feature.GetGeometryRef();
    if (source == nullptr || source->IsEmpty()) return {};
    std::unique_ptr<OGRGeometry> g(source->clone());
    auto type = wkbFlatten(g->getGeometryType());
    if (type == wkbCurvePolygon || type == wkbMultiSurface) {
        g.reset(g->getLinearGeometry());
    } else if (type == wkbPolyhedralSurface || type == wkbTIN || type == wkbTriangle) {
        g.reset(OGRGeometryFactory::forceToMultiPolygon(g.release()));
    } else if (type == wkbGeometryCollection) {
        // Unions and MakeValid (e.g. ST_Union(ST_MakeValid(...)) in the dissolved PLATEAU
        // layer) leave stray lines and points beside the polygons: keep the polygons, report
        // the rest. A collection without any polygon is not a polygon layer.
        std::size_t polygons = 0;
        std::size_t others = 0;
        for (const auto* part : *g->toGeometryCollection()) {
            const auto part_type = wkbFlatten(part->getGeometryType());
            if (part_type == wkbPolygon || part_type == wkbMultiPolygon) {
                ++polygons;
            } else {
                ++others;
            }
        }
        if (polygons == 0) {
            throw InputError("geometry collection holds no polygon; hazard layers must be polygons",
                             where(feature_id));
        }
        if (others > 0) {
            m_builder.add_diagnostic({.severity = Diagnostic::Severity::info,
                                      .message = "geometry collection: kept " +
                                                 std::to_string(polygons) +
                                                 " polygon part(s), ignored " +
                                                 std::to_string(others) + " line/point part(s)",
                                      .where = where(feature_id)});
        }
    } else if (type != wkbPolygon && type != wkbMultiPolygon) {
        throw InputError(std::string("geometry is a ") +
                             OGRGeometryTypeToName(source->getGeometryType()) +
                             ", not a polygon; hazard layers must be polygons",
                         where(feature_id));
    }
    if (!g) throw InputError("geometry cannot be converted to polygons", where(feature_id));
    g->flattenTo2D();
    const GdalErrors gdal_errors;
    if (g->transform(m_to_lonlat.get()) != OGRERR_NONE) {
        throw InputError("coordinates cannot be converted to lon/lat" + gdal_detail(),
                         where(feature_id));
    }
    std::vector<LonLatPolygon> out;
    collect_polygons(*g, out);
    return out;
}

void LayerReader::read() {
    ensure_gdal_registered();
    const std::string file = m_spec.path.string();
    std::error_code ec;
    if (!std::filesystem::exists(m_spec.path, ec)) {
        throw InputError("hazard file does not exist", {.file = file});
    }
    const GdalErrors gdal_errors;
    // GDAL's GML reader would otherwise write a .gfs sidecar next to the input.
    const char* gml_options[] = {"WRITE_GFS=NO", nullptr};
    auto ext = m_spec.path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const bool gml = ext == ".gml" || ext == ".xml";
    const auto dataset = detail::open_vector(m_spec.path, nullptr, gml ? gml_options : nullptr);
    if (!dataset) {
        throw InputError("cannot open as a vector GIS file (GeoJSON, GPKG, SHP, GML)" +
                             gdal_detail(),
                         {.file = file});
    }
    if (!m_spec.layer.empty()) {
        m_layer = dataset->GetLayerByName(m_spec.layer.c_str());
        if (m_layer == nullptr) {
            std::string names;
            for (auto* layer : dataset->GetLayers()) {
                names += (names.empty() ? "" : ", ") + std::string(layer->GetName());
            }
            throw InputError("no such layer; the file has: " + names,
                             {.file = file, .layer = m_spec.layer});
        }
    } else if (dataset->GetLayerCount() == 1) {
        m_layer = dataset->GetLayer(0);
    } else {
        std::string names;
        for (auto* layer : dataset->GetLayers()) {
            names += (names.empty() ? "" : ", ") + std::string(layer->GetName());
        }
        throw InputError("the file has " + std::to_string(dataset->GetLayerCount()) +
                             " layers; name one (" + (names.empty() ? "none" : names) + ")",
                         {.file = file});
    }
    m_layer_name = m_layer->GetName();

    const OGRSpatialReference* source_crs = m_layer->GetSpatialRef();
    {
        // A declared CRS that PROJ does not know is reported by GDAL as an error while the
        // layer silently falls back to WGS84 (GeoJSON); never read metres as degrees.
        for (const auto& message : gdal_errors.errors()) {
            if (message.find("crs") != std::string::npos ||
                message.find("CRS") != std::string::npos ||
                message.find("proj_create") != std::string::npos) {
                throw InputError("the layer's CRS is unknown (" + message + ")", where());
            }
        }
    }
    if (source_crs == nullptr) {
        throw InputError("layer has no coordinate reference system (CRS); add one, e.g. a .prj "
                         "file or ogr2ogr -a_srs EPSG:6671",
                         where());
    }
    OGRSpatialReference lonlat;
    lonlat.importFromEPSG(4326);
    // x = longitude, y = latitude, whatever the authority's axis order says.
    lonlat.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    m_to_lonlat.reset(OGRCreateCoordinateTransformation(source_crs, &lonlat));
    const char* crs_name = source_crs->GetName();
    if (!m_to_lonlat) {
        throw InputError("the layer's CRS cannot be converted to lon/lat" + gdal_detail(),
                         where({}, "CRS", crs_name != nullptr ? crs_name : "?"));
    }

    HazardLayerInfo layer_info{.file = file,
                               .layer = m_layer_name,
                               .kind = m_spec.kind,
                               .source_crs = crs_name != nullptr ? crs_name : ""};
    const std::uint32_t layer_index = m_builder.add_layer(layer_info);

    m_id = m_spec.id_field.empty() ? detect({"gml_id"}, "feature id")
                                   : resolve(m_spec.id_field, "feature id");
    const bool water = m_spec.kind != HazardKind::landslide;
    m_depth = resolve(m_spec.depth_field, "depth (m)");
    if (water && !m_depth) {
        m_rank = m_spec.depth_rank_field.empty() ? detect({"浸水ランク", "rank"}, "depth rank")
                                                 : resolve(m_spec.depth_rank_field, "depth rank");
    }
    m_onset = resolve(m_spec.onset_field, "onset (minutes)");
    if (!water) {
        m_zone = m_spec.zone_field.empty() ? detect({"区域区分", "A33_004"}, "landslide zone")
                                           : resolve(m_spec.zone_field, "landslide zone");
    }
    const std::vector<double> rank_depths =
        m_spec.rank_depth_m.empty() ? default_rank_depths_m(m_spec.kind) : m_spec.rank_depth_m;
    if (!std::isfinite(m_spec.onset_min) || !std::isfinite(m_spec.rank_spread_min)) {
        throw InputError("onset minutes must be finite numbers", where());
    }

    std::vector<Record> records;
    int max_rank = 0;
    std::uint32_t features_read = 0;
    m_layer->ResetReading();
    for (auto& feature : *m_layer) {
        ++features_read;
        const std::string id = m_id ? std::string(feature->GetFieldAsString(m_id.index))
                                    : "FID " + std::to_string(feature->GetFID());
        Record record;
        record.area.kind = m_spec.kind;
        record.area.layer = layer_index;
        record.area.feature_id = id;
        if (water) {
            if (const auto depth = number(*feature, m_depth, id)) {
                if (*depth < 0.0) {
                    throw InputError("negative water depth",
                                     where(id, m_depth.name, std::to_string(*depth)));
                }
                record.area.depth_m = depth;
            }
            if (const auto rank = number(*feature, m_rank, id)) {
                if (*rank < 0.0 || *rank != std::floor(*rank)) {
                    throw InputError("depth rank must be a whole number 1, 2, ...",
                                     where(id, m_rank.name, std::to_string(*rank)));
                }
                record.area.depth_rank = static_cast<int>(*rank);
                max_rank = std::max(max_rank, record.area.depth_rank);
                const auto r = static_cast<std::size_t>(record.area.depth_rank);
                if (!record.area.depth_m && r >= 1 && r <= rank_depths.size()) {
                    record.area.depth_m = rank_depths[r - 1];
                } else if (!record.area.depth_m) {
                    m_builder.add_diagnostic(
                        {.severity = Diagnostic::Severity::warning,
                         .message = "depth rank outside the rank table (1.." +
                                    std::to_string(rank_depths.size()) +
                                    "); depth unknown, the area closes every mode",
                         .where = where(id, m_rank.name, std::to_string(r))});
                }
            }
        } else {
            record.area.zone = zone(*feature, id);
        }
        if (const auto onset = number(*feature, m_onset, id)) {
            record.area.onset_ms = minutes_to_ms(*onset);
            record.has_own_onset = true;
        }
        record.polygons = geometry(*feature, id);
        if (record.polygons.empty()) {
            m_builder.add_diagnostic({.severity = Diagnostic::Severity::warning,
                                      .message = "feature without geometry; skipped",
                                      .where = where(id)});
            continue;
        }
        records.push_back(std::move(record));
    }

    // Every feature's geometry problem is listed, not only the first (issue 24 item 5).
    std::vector<InputError> problems;
    for (auto& record : records) {
        if (!record.has_own_onset) {
            double onset = m_spec.onset_min;
            if (m_spec.rank_spread_min != 0.0 && record.area.depth_rank > 0) {
                onset += (max_rank - record.area.depth_rank) * m_spec.rank_spread_min;
            }
            record.area.onset_ms = minutes_to_ms(onset);
        }
        try {
            m_builder.add_area(std::move(record.area), record.polygons);
        } catch (const InputError& e) {
            problems.push_back(e);
        }
    }
    if (problems.size() == 1) throw problems.front();
    if (!problems.empty()) {
        std::string message =
            std::to_string(problems.size()) + " features cannot be used as hazard areas:";
        for (const auto& e : problems) {
            const Where& w = e.where();
            message += "\n  feature " + w.feature + ", field '" + w.field + "', value '" + w.value +
                       "': " + e.message();
        }
        Where at = problems.front().where();
        at.feature.clear();
        at.field.clear();
        at.value.clear();
        throw InputError(message, std::move(at));
    }
    m_builder.layer_info(layer_index).features_read = features_read;
}

} // namespace

Hazards load_hazards(const HazardLayerSpec& spec) {
    return load_hazards(std::span<const HazardLayerSpec>(&spec, 1));
}

Hazards load_hazards(std::span<const HazardLayerSpec> specs) {
    HazardsBuilder builder;
    for (const auto& spec : specs) LayerReader(spec, builder).read();
    return std::move(builder).build();
}

// ---------------------------------------------------------------------------------------
// Edges

EdgeHazardOverlay::EdgeHazardOverlay(const RoadNetwork& network, const Hazards& hazards)
    : m_hazards(hazards) {
    if (!network.has_coordinates() && network.edge_count() > 0) {
        throw InputError("the road network has no coordinates (e.g. a DIMACS graph); hazards "
                         "need positions");
    }
    m_first.reserve(network.edge_count() + 1);
    m_first.push_back(0);
    if (hazards.empty()) {
        m_first.resize(network.edge_count() + 1, 0);
        return;
    }
    const auto [lo, hi] = hazards.extent();
    const auto& index = *hazards.m_index;
    std::vector<LonLat> geometry;
    BgLine scratch;
    for (std::uint32_t e = 0; e < network.edge_count(); ++e) {
        const EdgeId edge(e);
        // The reverse twin of a two-way street has the same geometry: reuse its answer.
        const NodeId tail = network.tail(edge);
        const NodeId head = network.head(edge);
        if (head < tail) {
            if (auto twin = network.find_edge(head, tail);
                twin && network.original_edge_id(*twin) == network.original_edge_id(edge) &&
                network.length_m(*twin) == network.length_m(edge) && twin->value() < e) {
                const auto areas = this->areas(*twin);
                m_areas.insert(m_areas.end(), areas.begin(), areas.end());
                m_first.push_back(static_cast<std::uint32_t>(m_areas.size()));
                continue;
            }
        }
        geometry.clear();
        geometry.push_back(network.lonlat(tail));
        const auto inner = network.edge_inner_points(edge);
        geometry.insert(geometry.end(), inner.begin(), inner.end());
        geometry.push_back(network.lonlat(head));
        double min_lon = geometry.front().lon;
        double max_lon = min_lon;
        double min_lat = geometry.front().lat;
        double max_lat = min_lat;
        for (const auto& p : geometry) {
            min_lon = std::min(min_lon, p.lon);
            max_lon = std::max(max_lon, p.lon);
            min_lat = std::min(min_lat, p.lat);
            max_lat = std::max(max_lat, p.lat);
        }
        // Only edges whose box meets the hazards' box can cross an area.
        if (min_lon <= hi.lon && max_lon >= lo.lon && min_lat <= hi.lat && max_lat >= lo.lat) {
            append_areas_crossed(index, geometry, scratch, m_areas);
        }
        m_first.push_back(static_cast<std::uint32_t>(m_areas.size()));
    }
}

EdgeClosures edge_closures(const EdgeHazardOverlay& overlay, const ClosureRules& rules) {
    const auto n = overlay.edge_count();
    EdgeClosures out;
    out.closed_from_ms.assign(n, never_ms);
    out.slowed_from_ms.assign(n, never_ms);
    out.slow_factor.assign(n, 1.0);
    const auto areas = overlay.hazards().areas();
    const std::int64_t lead = std::max<std::int64_t>(rules.lead_ms, 0);
    for (std::uint32_t e = 0; e < n; ++e) {
        for (const auto a : overlay.areas(EdgeId(e))) {
            const HazardArea& area = areas[a];
            bool closes = false;
            double factor = 1.0;
            switch (area.kind) {
            case HazardKind::tsunami:
                closes = !area.depth_m || *area.depth_m > rules.tsunami_close_depth_m ||
                         rules.tsunami_close_depth_m <= 0.0;
                break;
            case HazardKind::flood:
            case HazardKind::storm_surge:
                closes = !area.depth_m || *area.depth_m >= rules.water_close_depth_m;
                if (!closes && *area.depth_m > 0.0) factor = rules.water_slow_factor;
                break;
            case HazardKind::landslide:
                if (area.zone == LandslideZone::red) {
                    closes = rules.landslide_red_closes;
                    if (!closes) factor = rules.landslide_yellow_factor;
                } else if (area.zone == LandslideZone::yellow) {
                    factor = rules.landslide_yellow_factor;
                }
                break;
            }
            const std::int64_t from =
                area.onset_ms < std::numeric_limits<std::int64_t>::min() / 2 + lead
                    ? std::numeric_limits<std::int64_t>::min() / 2
                    : area.onset_ms - lead;
            if (closes) {
                out.closed_from_ms[e] = std::min(out.closed_from_ms[e], from);
            } else if (factor > 1.0) {
                out.slowed_from_ms[e] = std::min(out.slowed_from_ms[e], from);
                out.slow_factor[e] = std::max(out.slow_factor[e], factor);
            }
        }
        if (out.closed_from_ms[e] != never_ms) ++out.closed_count;
        if (out.slowed_from_ms[e] != never_ms) ++out.slowed_count;
    }
    return out;
}

EdgeClosures edge_closures(const RoadNetwork& network, const Hazards& hazards,
                           const ClosureRules& rules) {
    return edge_closures(EdgeHazardOverlay(network, hazards), rules);
}

std::vector<std::uint32_t> apply_slowdowns(std::span<const std::uint32_t> weights,
                                           const EdgeClosures& closures) {
    constexpr auto no_edge = std::numeric_limits<std::uint32_t>::max();
    if (weights.size() != closures.slow_factor.size()) {
        throw InternalError("apply_slowdowns: weights and closures are for different networks");
    }
    std::vector<std::uint32_t> out(weights.begin(), weights.end());
    for (std::size_t e = 0; e < out.size(); ++e) {
        if (out[e] == no_edge || closures.slow_factor[e] <= 1.0) continue;
        const double slowed = std::ceil(static_cast<double>(out[e]) * closures.slow_factor[e]);
        out[e] = slowed >= static_cast<double>(no_edge - 1) ? no_edge - 1
                                                            : static_cast<std::uint32_t>(slowed);
    }
    return out;
}

} // namespace sonae::geo
