#pragma once
/// Colours and sizes of the viewer, one place for the map, the legend and the tests.
/// Chosen for a projector in a council room: few, saturated, distinguishable colours on a
/// light background; states from cool (waiting) to green (safe) and red (failed).

#include "geo/road_network.hpp"
#include "sim/trace.hpp"

#include <SFML/Graphics/Color.hpp>

#include <string_view>

namespace sonae::viewer::style {

inline const sf::Color background{238, 240, 243};
inline const sf::Color panel{255, 255, 255};
inline const sf::Color panel_border{150, 156, 165};
inline const sf::Color text{33, 33, 33};
inline const sf::Color muted_text{96, 100, 108};
inline const sf::Color timeline_background{45, 52, 64};
inline const sf::Color timeline_track{110, 118, 132};
inline const sf::Color timeline_done{255, 193, 7};
inline const sf::Color timeline_text{245, 245, 245};
inline const sf::Color selection{0, 0, 0};

/// Alpha of hazard fills (outlines are opaque).
inline constexpr std::uint8_t hazard_fill_alpha = 110;

/// Road colour and width in pixels by class; minor classes thinner and greyer.
sf::Color road_colour(geo::RoadClass road_class);
float road_width_px(geo::RoadClass road_class);
/// Whether the class is a major road (legend groups: 主要道路 / 一般道路 / 歩行者道).
int road_group(geo::RoadClass road_class); // 0 major, 1 ordinary, 2 minor/paths

/// Opaque hazard colour (outline); the fill is the same with hazard_fill_alpha.
sf::Color hazard_colour(sim::HazardKind kind);
/// Fill colour composited over `under`, as the map shows it where nothing else is drawn.
sf::Color hazard_fill_over(sim::HazardKind kind, sf::Color under);

/// Colour of a home by the child's state.
sf::Color state_colour(sim::StateCode code);
/// Ring colour by battery margin: >= 180 min green, >= 60 min amber, below red; NaN grey.
sf::Color battery_colour(double battery_margin_min);
inline constexpr double battery_ok_min = 180.0;
inline constexpr double battery_low_min = 60.0;

/// Vehicles and facilities.
inline const sf::Color vehicle{13, 71, 161};    ///< support vehicle: deep blue
inline const sf::Color family_car{0, 131, 143}; ///< family car: teal
inline const sf::Color facility{55, 71, 79};    ///< shelter / facility symbol: blue grey
/// Drill replays: the plan's ghost of a child's move (pale indigo, apart from the vehicle
/// blue, the family-car teal and every state colour).
inline const sf::Color ghost{121, 134, 203};
/// A home the plan does not move, while the child is at home: it stays home by plan
/// (在宅避難, light blue grey) or the plan cannot serve it (対応できない, dark red).
inline const sf::Color stays_home{144, 164, 174};
inline const sf::Color cannot_serve{110, 0, 20};
/// Colour of the gap between a child's recorded move and its ghost by delay: red from 15
/// minutes late, amber from 5, grey otherwise (on time or ahead).
sf::Color delay_colour(std::int64_t delay_s);
inline constexpr std::int64_t delay_late_s = 15 * 60;
inline constexpr std::int64_t delay_some_s = 5 * 60;
/// Gauge colour for a fill ratio (occupancy or load / capacity): green, amber at 80 %, red
/// at 100 %.
sf::Color gauge_colour(double ratio);

/// Marker sizes in pixels (diameter / side).
inline constexpr float home_size_px = 13.0f;
inline constexpr float home_ring_px = 19.0f;
inline constexpr float vehicle_size_px = 15.0f;
inline constexpr float facility_size_px = 18.0f;

} // namespace sonae::viewer::style
