#pragma once
/// Private to the report module: the guidebook's route map. A family reads it in the dark in
/// a car, often printed in black and white, so every layer is told apart by width, dash or
/// hatching as well as colour, and hazard areas carry printed labels (name, depth, onset).
///
/// Layers, bottom to top: hazard areas (hatched per kind, denser for deeper water or the red
/// landslide zone), waterways, roads (minor thin grey; tertiary, secondary/primary and
/// trunk/motorway wider and cased), road and river names, the alternate route (dashed), the
/// route (dark casing, thick), markers (home, destination, next candidate, other shelters),
/// labels placed apart, then the scale bar, north arrow and legend.

#include "geo/hazard.hpp"
#include "geo/map_layers.hpp"
#include "report/detail/drawing.hpp"

#include <cairo.h>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace sonae::report::detail {

/// An equal-scale local projection of a lon/lat box onto a rectangle of the page.
struct MapView {
    double lon0 = 0, lat0 = 0; ///< centre of the view
    double kx = 1, ky = 1;     ///< metres per degree of longitude / latitude at lat0
    double scale = 1;          ///< points per metre
    double ox = 0, oy = 0;     ///< the centre on the page
    Rect area;
    /// Page position of a point.
    std::pair<double, double> operator()(const geo::LonLat& p) const {
        return {ox + (p.lon - lon0) * kx * scale, oy - (p.lat - lat0) * ky * scale};
    }
    /// The lon/lat box the rectangle shows.
    geo::LonLatBox shown() const;
};

/// The view that shows `box` inside `area` with `margin_pt` on every side; boxes smaller than
/// `min_extent_m` are widened to it (a short route still shows its streets).
MapView fit_view(const geo::LonLatBox& box, const Rect& area, double margin_pt = 30,
                 double min_extent_m = 400);

/// One hazard area to draw.
struct MapHazard {
    std::vector<geo::LonLatPolygon> polygons;
    geo::HazardKind kind = geo::HazardKind::flood;
    /// 0 shallow (< 0.5 m) or yellow landslide zone, 1 medium (0.5-3 m), 2 deep (>= 3 m) or the
    /// red landslide zone: the hatch gets denser with it.
    int severity = 0;
    std::string label; ///< printed inside the area where it shows, e.g. "厚東川 浸水2.0m 8:00〜"
};

/// A place on the map.
struct MapPlace {
    geo::LonLat at;
    std::string label;
};

/// A further route in its own colour (the guidebook's routes per hazard type), drawn under
/// the main route, widest first as given.
struct MapRoute {
    std::vector<geo::LonLat> points;
    Colour colour;
    double width_pt = 3.0;
    std::string legend; ///< legend text
};

/// Everything one route map shows.
struct RouteMapContent {
    std::span<const geo::BackgroundLine> lines; ///< roads and waterways (empty: straight-line mode)
    std::vector<MapHazard> hazards;
    std::vector<geo::LonLat> route;     ///< may be empty
    std::vector<geo::LonLat> alternate; ///< may be empty
    std::vector<MapRoute> extra_routes; ///< under the route, each with its legend entry
    bool straight_line = false;         ///< route is a straight-line estimate (no roads)
    geo::LonLat home;
    std::optional<MapPlace> destination;
    std::optional<MapPlace> next_candidate;
    std::vector<MapPlace> other_shelters;
    std::string title; ///< printed at the top left ("全体図", ...)
    /// Draw the routes (false only in tests that check what lies under them).
    bool draw_routes = true;
};

/// Colours the tests look for in rendered pages (road fill of minor roads, route, hazard fill).
inline constexpr Colour kMinorRoadColour{0.62, 0.62, 0.62};
inline constexpr Colour kRouteColour{0.84, 0.12, 0.08};
Colour hazard_fill(geo::HazardKind kind, int severity);

/// Draws the map of `content` in `view` (view.area is the frame). Returns nothing; pure
/// drawing, deterministic.
void draw_route_map(cairo_t* cr, const MapView& view, const RouteMapContent& content);

/// Height in points of the legend of `content` laid out in `width`.
double route_legend_height(const RouteMapContent& content, double width);
/// Draws the legend of `content` (only what the map holds) in `area`: route, alternate, road
/// classes, water, markers, and a hatched swatch per hazard kind and severity.
void draw_route_legend(cairo_t* cr, const Rect& area, const RouteMapContent& content);

} // namespace sonae::report::detail
