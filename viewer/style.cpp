#include "viewer/style.hpp"

#include <cmath>

namespace sonae::viewer::style {

using geo::RoadClass;

int road_group(RoadClass c) {
    switch (c) {
    case RoadClass::motorway:
    case RoadClass::motorway_link:
    case RoadClass::trunk:
    case RoadClass::trunk_link:
    case RoadClass::primary:
    case RoadClass::primary_link: return 0;
    case RoadClass::secondary:
    case RoadClass::secondary_link:
    case RoadClass::tertiary:
    case RoadClass::tertiary_link:
    case RoadClass::unclassified:
    case RoadClass::residential:
    case RoadClass::living_street:
    case RoadClass::road: return 1;
    default: return 2;
    }
}

sf::Color road_colour(RoadClass c) {
    switch (c) {
    case RoadClass::motorway:
    case RoadClass::motorway_link: return {214, 96, 77};
    case RoadClass::trunk:
    case RoadClass::trunk_link: return {230, 134, 80};
    case RoadClass::primary:
    case RoadClass::primary_link: return {232, 168, 56};
    case RoadClass::secondary:
    case RoadClass::secondary_link: return {196, 176, 70};
    case RoadClass::tertiary:
    case RoadClass::tertiary_link: return {150, 150, 150};
    default: break;
    }
    return road_group(c) == 1 ? sf::Color{175, 178, 184} : sf::Color{200, 202, 206};
}

float road_width_px(RoadClass c) {
    switch (c) {
    case RoadClass::motorway:
    case RoadClass::trunk: return 4.5f;
    case RoadClass::primary: return 4.0f;
    case RoadClass::secondary: return 3.2f;
    case RoadClass::tertiary: return 2.6f;
    case RoadClass::motorway_link:
    case RoadClass::trunk_link:
    case RoadClass::primary_link:
    case RoadClass::secondary_link:
    case RoadClass::tertiary_link: return 2.2f;
    default: break;
    }
    return road_group(c) == 1 ? 1.6f : 1.0f;
}

sf::Color hazard_colour(sim::HazardKind kind) {
    switch (kind) {
    case sim::HazardKind::flood: return {30, 110, 235};
    case sim::HazardKind::tsunami: return {20, 60, 160};
    case sim::HazardKind::landslide: return {150, 80, 30};
    case sim::HazardKind::storm_surge: return {0, 150, 170};
    default: break;
    }
    return {120, 60, 160};
}

sf::Color hazard_fill_over(sim::HazardKind kind, sf::Color under) {
    const sf::Color c = hazard_colour(kind);
    const double a = hazard_fill_alpha / 255.0;
    auto mix = [a](std::uint8_t top, std::uint8_t bottom) {
        return static_cast<std::uint8_t>(std::lround(top * a + bottom * (1.0 - a)));
    };
    return {mix(c.r, under.r), mix(c.g, under.g), mix(c.b, under.b)};
}

sf::Color state_colour(sim::StateCode code) {
    using S = sim::StateCode;
    switch (code) {
    case S::idle: return {158, 158, 158};
    case S::waiting: return {253, 216, 53};
    case S::packing: return {255, 179, 0};
    case S::carrying_out: return {251, 140, 0};
    case S::loading: return {244, 81, 30};
    case S::travelling: return {142, 36, 170};
    case S::arrived: return {102, 187, 106};
    case S::powered: return {27, 94, 32};
    case S::failed: return {213, 0, 0};
    default: break;
    }
    return {189, 189, 189};
}

sf::Color battery_colour(double m) {
    if (std::isnan(m)) return {120, 124, 130};
    if (m >= battery_ok_min) return {46, 125, 50};
    if (m >= battery_low_min) return {255, 143, 0};
    return {198, 40, 40};
}

sf::Color gauge_colour(double ratio) {
    if (ratio >= 1.0) return {213, 0, 0};
    if (ratio >= 0.8) return {255, 143, 0};
    return {67, 160, 71};
}

sf::Color delay_colour(std::int64_t delay_s) {
    if (delay_s >= delay_late_s) return {213, 0, 0};
    if (delay_s >= delay_some_s) return {239, 108, 0};
    return {120, 126, 136};
}

} // namespace sonae::viewer::style
