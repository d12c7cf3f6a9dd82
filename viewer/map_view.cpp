#include "viewer/map_view.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace sonae::viewer {

namespace {
constexpr double earth_radius_m = 6371008.8;
constexpr double sidebar_width_px = 280.0;
constexpr double timeline_height_px = 64.0;
} // namespace

MapProjection::MapProjection(geo::LonLat centre) : m_centre(centre) {
    const double per_deg = earth_radius_m * std::numbers::pi / 180.0;
    m_y_per_deg = per_deg;
    m_x_per_deg = per_deg * std::cos(centre.lat * std::numbers::pi / 180.0);
}

geo::XY MapProjection::forward(geo::LonLat p) const {
    return {(p.lon - m_centre.lon) * m_x_per_deg, (p.lat - m_centre.lat) * m_y_per_deg};
}

geo::LonLat MapProjection::inverse(geo::XY p) const {
    return {m_centre.lon + p.x / m_x_per_deg, m_centre.lat + p.y / m_y_per_deg};
}

Layout Layout::for_size(std::uint32_t width, std::uint32_t height) {
    Layout l;
    l.width = width;
    l.height = height;
    const double w = width;
    const double h = height;
    // Narrow pictures get a narrower sidebar, never more than 40 % of the width.
    const double side = std::min(sidebar_width_px, std::floor(w * 0.4));
    const double bar = std::min(timeline_height_px, std::floor(h * 0.2));
    l.map = {0.0, 0.0, w - side, h - bar};
    l.sidebar = {w - side, 0.0, side, h - bar};
    l.timeline = {0.0, h - bar, w, bar};
    return l;
}

Layout Layout::for_still(std::uint32_t width, std::uint32_t height) {
    Layout l = for_size(width, height);
    const double h = height;
    l.map.height = h;
    l.sidebar.height = h;
    l.timeline = {0.0, h, static_cast<double>(width), 0.0};
    return l;
}

Viewport::Viewport(MapProjection projection, ScreenRect area, geo::XY centre_m,
                   double metres_per_pixel)
    : m_projection(projection), m_area(area), m_centre(centre_m),
      m_metres_per_pixel(metres_per_pixel) {}

Viewport Viewport::fit(geo::LonLat min, geo::LonLat max, ScreenRect area, double margin) {
    const MapProjection projection({(min.lon + max.lon) / 2.0, (min.lat + max.lat) / 2.0});
    const geo::XY a = projection.forward(min);
    const geo::XY b = projection.forward(max);
    const double width_m = std::max(b.x - a.x, 1.0);
    const double height_m = std::max(b.y - a.y, 1.0);
    const double usable_w = std::max(area.width * (1.0 - 2.0 * margin), 1.0);
    const double usable_h = std::max(area.height * (1.0 - 2.0 * margin), 1.0);
    const double mpp = std::max(width_m / usable_w, height_m / usable_h);
    return Viewport(projection, area, {(a.x + b.x) / 2.0, (a.y + b.y) / 2.0}, mpp);
}

ScreenPoint Viewport::to_screen(geo::XY p) const {
    return {m_area.left + m_area.width / 2.0 + (p.x - m_centre.x) / m_metres_per_pixel,
            m_area.top + m_area.height / 2.0 - (p.y - m_centre.y) / m_metres_per_pixel};
}

geo::XY Viewport::to_map(ScreenPoint p) const {
    return {m_centre.x + (p.x - m_area.left - m_area.width / 2.0) * m_metres_per_pixel,
            m_centre.y - (p.y - m_area.top - m_area.height / 2.0) * m_metres_per_pixel};
}

void Viewport::pan(double dx_px, double dy_px) {
    m_centre.x -= dx_px * m_metres_per_pixel;
    m_centre.y += dy_px * m_metres_per_pixel;
}

void Viewport::zoom(double factor, ScreenPoint anchor) {
    if (!(factor > 0.0)) return;
    const geo::XY before = to_map(anchor);
    m_metres_per_pixel = std::clamp(m_metres_per_pixel / factor, 0.05, 5000.0);
    const geo::XY after = to_map(anchor);
    m_centre.x += before.x - after.x;
    m_centre.y += before.y - after.y;
}

bool Viewport::operator==(const Viewport& o) const {
    return m_area.left == o.m_area.left && m_area.top == o.m_area.top &&
           m_area.width == o.m_area.width && m_area.height == o.m_area.height &&
           m_centre == o.m_centre && m_metres_per_pixel == o.m_metres_per_pixel &&
           m_projection.centre() == o.m_projection.centre();
}

double nice_scale_length_m(double max_length_m) {
    if (!(max_length_m > 0.0)) return 0.0;
    const double p = std::pow(10.0, std::floor(std::log10(max_length_m)));
    for (const double k : {5.0, 2.0, 1.0})
        if (k * p <= max_length_m) return k * p;
    return p;
}

} // namespace sonae::viewer
