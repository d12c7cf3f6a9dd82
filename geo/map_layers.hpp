#pragma once
/// Background lines for printed maps: the roads (class and name) and the waterways of a road
/// network file, read through GDAL for drawing only. Routing reads the same file through
/// geo/load_network.hpp, which keeps no names; a map needs them (国道190号, 厚東川).
///
/// Formats: OpenStreetMap (.osm.pbf, .osm: GDAL's OSM driver, layer "lines"), and any GIS
/// line layer GDAL reads (GeoPackage, Shapefile, GeoJSON) in any CRS, converted to lon/lat.
/// Fields read when present: highway (a list such as "path,residential" is classed by
/// road_class_from_highway_list), waterway (river, stream, canal: drawn as water), name.
/// Lines with neither highway nor waterway are left out. OSMnx tables hold each two-way
/// street twice (one row per direction); the copy with the same end points and shape is
/// kept once.

#include "geo/road_network.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sonae::geo {

/// A box in lon/lat, `min` south-west, `max` north-east.
struct LonLatBox {
    LonLat min;
    LonLat max;
    /// Whether the boxes share any point.
    bool intersects(const LonLatBox& other) const {
        return min.lon <= other.max.lon && other.min.lon <= max.lon && min.lat <= other.max.lat &&
               other.min.lat <= max.lat;
    }
};

/// One line of a map's background.
struct BackgroundLine {
    enum class Kind : std::uint8_t { road, water };
    Kind kind = Kind::road;
    RoadClass road_class = RoadClass::other; ///< roads only
    std::string name;                        ///< empty if the data has none
    std::vector<LonLat> points;
};

/// Reads the roads and waterways of `path` (layer `layer`, empty = "lines" for OSM files,
/// else the first line layer) whose bounding box meets `box` (all lines if nullopt), in file
/// order. Throws InputError naming the file and layer for a missing file, a format GDAL
/// cannot open, a missing layer, or a layer without CRS.
std::vector<BackgroundLine>
load_background_lines(const std::filesystem::path& path, const std::string& layer = {},
                      const std::optional<LonLatBox>& box = std::nullopt);

} // namespace sonae::geo
