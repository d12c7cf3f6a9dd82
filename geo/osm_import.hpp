#pragma once
/// OpenStreetMap importer (.osm.pbf, .osm, .osm.gz, .osm.bz2) through libosmium.
///
/// Graph model: every routable `highway` way is split at every one of its OSM nodes, so each
/// consecutive node pair becomes one directed edge (no inner shape points) and every node a
/// way refers to is a graph node carrying its OSM id. This keeps the original node ids for
/// snapping and output, and gives hazard closures the finest possible edges; the CSR graph
/// is small enough that the extra degree-2 nodes cost little (Kochi: 31k nodes).
///
/// Directions: a two-way way gives both directions. A one-way way (oneway=yes/1/true, or
/// oneway=-1/reverse for the opposite sense, junction=roundabout/circular, highway=motorway
/// without oneway=no) gives its legal direction plus the opposite one flagged
/// edge_against_oneway, which walking may use and driving may not.

#include "core/error.hpp"
#include "geo/road_network.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>

namespace sonae::geo {

/// What an importer produced: the network and the non-fatal data issues it met.
struct ImportResult {
    RoadNetwork network;
    Diagnostics diagnostics;
};

/// Reads an OSM file and builds the road network (lon/lat only; not projected).
/// The format is taken from the file name (.osm.pbf, .pbf, .osm, .osm.gz, .osm.bz2).
/// Throws InputError naming the file if it is missing, unreadable, truncated or corrupt,
/// or holds no routable road. Ways that refer to nodes missing from the file (a clipped
/// extract) keep their complete segments; the rest is reported in diagnostics.
ImportResult import_osm(const std::filesystem::path& path);

/// True if an OSM way with this `highway` value carries traffic that sonae routes
/// (roads, service ways, tracks, footways, paths, steps, cycleways, bridleways).
/// Not: proposed, construction, platform, bus_stop, raceway, rest_area, ...
bool is_routable_highway(std::string_view highway);

/// Parses an OSM maxspeed value to km/h: "50", "50 mph", "30 knots", "JP:urban",
/// "DE:rural", "walk", "50;40" (the first). Nullopt for "none", "signals", "variable" or
/// anything unreadable. Results above 255 km/h are capped at 255.
std::optional<std::uint8_t> parse_maxspeed_kmh(std::string_view value);

/// Parses a width in metres ("3.5", "3,5", "3.5 m", "12'" feet, "3 ft") to decimetres.
std::optional<std::uint16_t> parse_width_dm(std::string_view value);

/// Parses a lane count ("2", "2;3" gives the first); nullopt if not a positive integer.
std::optional<std::uint8_t> parse_lanes(std::string_view value);

/// Direction of travel allowed by the oneway-related tags of a way.
enum class OnewayKind : std::uint8_t { both, forward, backward };

/// oneway tag semantics: "yes"/"1"/"true" forward, "-1"/"reverse" backward, "no"/"0"/
/// "false" both; without a decisive tag, roundabouts and motorways are forward.
OnewayKind oneway_kind(std::string_view oneway, std::string_view junction,
                       std::string_view highway);

} // namespace sonae::geo
