#pragma once
/// Travel modes (car, walk, wheelchair/stroller): which edges each may use and how fast.
///
/// Profiles live in a TOML data file (data/travel_profiles.toml in the source tree), not in
/// code. Per road class a profile lists a speed in km/h; a class it does not list is closed
/// to that mode. Edge flags then close more edges: against_oneway and no_motor for modes
/// that respect them (car), no_foot for modes on foot, and a minimum width when known.
/// The car speed is the posted maxspeed times a factor when the edge has one, else the
/// class speed (Japanese legal default 60 km/h on general roads; lower in towns).

#include "geo/road_network.hpp"
#include "geo/routing.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonae::geo {

/// A named travel mode with its per-class speeds and rules. Plain value.
struct TravelProfile {
    std::string name;
    /// km/h per RoadClass; 0 = the class is closed to this mode.
    std::array<double, static_cast<std::size_t>(RoadClass::count_)> class_speed_kmh{};
    bool respect_oneway = false;    ///< edges flagged against_oneway are closed
    bool motor_vehicle = false;     ///< edges flagged no_motor are closed
    bool on_foot = false;           ///< edges flagged no_foot are closed
    bool use_maxspeed = false;      ///< use the posted maxspeed when the edge has one
    double maxspeed_factor = 1.0;   ///< speed = maxspeed * factor (traffic, junctions)
    double max_speed_kmh = 0.0;     ///< cap on any speed, 0 = none
    std::uint16_t min_width_dm = 0; ///< edges known to be narrower are closed, 0 = no rule

    bool allows(RoadClass c) const { return class_speed_kmh[static_cast<std::size_t>(c)] > 0.0; }
    double class_speed(RoadClass c) const { return class_speed_kmh[static_cast<std::size_t>(c)]; }
};

/// The names a profile file must define at least: car, walk, wheelchair.
inline constexpr std::array<std::string_view, 3> builtin_mode_names{"car", "walk", "wheelchair"};

/// Loads profile `mode` from `file` (a TOML file in the format of
/// data/travel_profiles.toml; a directory means its travel_profiles.toml). Throws InputError naming
/// the file, the profile and the key for a missing file, a TOML syntax error, an unknown mode, an
/// unknown road class or a speed that is not a positive number.
TravelProfile load_travel_profile(std::string_view mode, const std::filesystem::path& file);

/// As above with the bundled profiles: `data_dir / "travel_profiles.toml"`, where data_dir
/// defaults to `<source tree>/data` (the app passes its own data directory).
TravelProfile
load_travel_profile(std::string_view mode,
                    const std::optional<std::filesystem::path>& data_dir = std::nullopt);

/// The data folder bundled with the source tree (`<repo>/data`).
std::filesystem::path bundled_data_dir();

/// Speed in km/h of an edge in a profile, or 0 if the mode may not use it.
double edge_speed_kmh(const RoadNetwork& net, EdgeId e, const TravelProfile& profile);

/// Travel time in milliseconds per edge (EdgeId order), rounded to the nearest ms;
/// no_edge (UINT32_MAX) for edges the mode may not use. O(m).
std::vector<Weight> travel_time_weights_ms(const RoadNetwork& net, const TravelProfile& profile);

/// Number of edges a profile may use (weights != no_edge).
std::uint32_t usable_edge_count(std::span<const Weight> weights);

} // namespace sonae::geo
