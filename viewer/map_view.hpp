#pragma once
/// Where things go on the screen: a local map projection (lon/lat -> metres), the screen
/// layout (map, legend sidebar, timeline) and the viewport (pan and zoom) between them.
/// No drawing here, so it is testable without a window.

#include "geo/road_network.hpp"

#include <cstdint>

namespace sonae::viewer {

/// Screen point in pixels, origin top-left, y down.
struct ScreenPoint {
    double x = 0.0;
    double y = 0.0;
};

/// Axis-aligned screen rectangle in pixels.
struct ScreenRect {
    double left = 0.0;
    double top = 0.0;
    double width = 0.0;
    double height = 0.0;
    bool contains(ScreenPoint p) const {
        return p.x >= left && p.x < left + width && p.y >= top && p.y < top + height;
    }
};

/// Equirectangular projection around a centre: x = R cos(lat0) dlon, y = R dlat (metres).
/// Distortion is below 0.1 % across a city (tens of km), which is all the viewer needs;
/// no PROJ in the viewer.
class MapProjection {
public:
    MapProjection() = default;
    explicit MapProjection(geo::LonLat centre);
    geo::XY forward(geo::LonLat p) const;
    geo::LonLat inverse(geo::XY p) const;
    geo::LonLat centre() const { return m_centre; }

private:
    geo::LonLat m_centre;
    double m_x_per_deg = 111195.0;
    double m_y_per_deg = 111195.0;
};

/// Fixed screen areas for a window or picture of the given size.
struct Layout {
    std::uint32_t width = 0;
    std::uint32_t height = 0;
    ScreenRect map;      ///< the map, left part above the timeline
    ScreenRect sidebar;  ///< legend and details, right
    ScreenRect timeline; ///< play button, track, time labels, bottom
    static Layout for_size(std::uint32_t width, std::uint32_t height);
    /// An exported picture: no timeline (no interactive chrome); map and sidebar run to the
    /// bottom, and timeline is the empty strip below the picture.
    static Layout for_still(std::uint32_t width, std::uint32_t height);
};

/// The part of the map shown in Layout::map: a centre in metres and a scale.
class Viewport {
public:
    Viewport() = default;
    Viewport(MapProjection projection, ScreenRect area, geo::XY centre_m, double metres_per_pixel);
    /// The whole box [min, max] fits the area with a margin of `margin` (fraction) each side.
    static Viewport fit(geo::LonLat min, geo::LonLat max, ScreenRect area, double margin = 0.05);

    ScreenPoint to_screen(geo::LonLat p) const { return to_screen(m_projection.forward(p)); }
    ScreenPoint to_screen(geo::XY p) const;
    geo::XY to_map(ScreenPoint p) const;
    geo::LonLat to_lonlat(ScreenPoint p) const { return m_projection.inverse(to_map(p)); }

    /// Moves the map by a screen offset (drag).
    void pan(double dx_px, double dy_px);
    /// Zooms by `factor` (> 1 zooms in) keeping the map point under `anchor` fixed.
    /// The scale stays within 0.05 .. 5000 metres per pixel.
    void zoom(double factor, ScreenPoint anchor);

    double metres_per_pixel() const { return m_metres_per_pixel; }
    const ScreenRect& area() const { return m_area; }
    const MapProjection& projection() const { return m_projection; }
    geo::XY centre() const { return m_centre; }
    bool operator==(const Viewport& other) const;

private:
    MapProjection m_projection;
    ScreenRect m_area;
    geo::XY m_centre;
    double m_metres_per_pixel = 1.0;
};

/// Margin (fraction of the map area, each side) of the first view of a trace.
inline constexpr double initial_margin = 0.06;

/// A "nice" scale-bar length (1, 2 or 5 x 10^n metres) no longer than max_length_m.
double nice_scale_length_m(double max_length_m);

} // namespace sonae::viewer
