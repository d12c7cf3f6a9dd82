#include "planner/codes.hpp"

namespace sonae::planner {

namespace {

// The enum value whose code is `code`, over the `count` values from 0.
template <typename Enum>
std::optional<Enum> from_code(std::string_view code, int count) {
    for (int v = 0; v < count; ++v) {
        if (to_string(static_cast<Enum>(v)) == code) return static_cast<Enum>(v);
    }
    return std::nullopt;
}

} // namespace

std::string_view to_string(Mobility mobility) {
    switch (mobility) {
    case Mobility::walks: return "walks";
    case Mobility::carried: return "carried";
    case Mobility::wheelchair: return "wheelchair";
    case Mobility::stretcher: return "stretcher";
    }
    return "carried";
}

std::optional<Mobility> mobility_from_code(std::string_view code) {
    return from_code<Mobility>(code, 4);
}

std::string_view to_string(TravelMode mode) {
    switch (mode) {
    case TravelMode::car: return "car";
    case TravelMode::walk: return "walk";
    case TravelMode::wheelchair: return "wheelchair";
    }
    return "car";
}

std::optional<TravelMode> travel_mode_from_code(std::string_view code) {
    return from_code<TravelMode>(code, 3);
}

std::string_view to_string(StopKind kind) {
    switch (kind) {
    case StopKind::depot: return "depot";
    case StopKind::pickup: return "pickup";
    case StopKind::delivery: return "delivery";
    }
    return "depot";
}

std::optional<StopKind> stop_kind_from_code(std::string_view code) {
    return from_code<StopKind>(code, 3);
}

} // namespace sonae::planner
