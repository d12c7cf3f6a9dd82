#pragma once
/// The plan's codes for how a child moves, how a route is travelled and what a vehicle does
/// at a stop: enums in the program, the same strings as always in plan.json (to_string and
/// *_from_code, one pair each). People read them in Japanese through planner/labels.hpp.

#include <cstdint>
#include <optional>
#include <string_view>

namespace sonae::planner {

/// How the child moves (DOMAIN.md section 3.1, municipal forms: walking ability).
enum class Mobility : std::uint8_t { walks, carried, wheelchair, stretcher };
/// "walks", "carried", "wheelchair", "stretcher".
std::string_view to_string(Mobility mobility);
/// The code as to_string writes it; nullopt for anything else (the registry's Japanese and
/// English variants are parse_mobility's, planner/registry.hpp).
std::optional<Mobility> mobility_from_code(std::string_view code);

/// The travel mode of a route: which of the planner's road profiles it was timed with
/// (PlanOptions::car_mode, walk_mode, wheelchair_mode).
enum class TravelMode : std::uint8_t { car, walk, wheelchair };
/// "car", "walk", "wheelchair".
std::string_view to_string(TravelMode mode);
std::optional<TravelMode> travel_mode_from_code(std::string_view code);

/// What a vehicle does at a stop of its tour.
enum class StopKind : std::uint8_t {
    depot,    ///< its base: the tour's start and end
    pickup,   ///< a child's home: the child boards
    delivery, ///< a facility: the child gets off
};
/// "depot", "pickup", "delivery".
std::string_view to_string(StopKind kind);
std::optional<StopKind> stop_kind_from_code(std::string_view code);

} // namespace sonae::planner
