#pragma once
/// Reads a point layer of any GDAL vector format (GeoJSON, GeoPackage, Shapefile, ...) into
/// plain rows: feature id, lon/lat, and every attribute as a UTF-8 string by field name.
/// Any CRS is transformed to WGS84 lon/lat (traditional GIS axis order: lon first).
/// Used for the GSI shelter GeoJSON, 国土数値情報 P20, and facility/registry GeoPackages.

#include "core/error.hpp"
#include "geo/road_network.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sonae::geo {

/// One feature. Attribute values are strings in the order of PointLayer::fields; a null or
/// unset field is the empty string (and listed in `null_fields`).
struct PointFeature {
    std::int64_t fid = -1;
    std::optional<LonLat> position; ///< nullopt when the geometry is empty or not a point
    std::vector<std::string> values;
    std::vector<std::size_t> null_fields; ///< indices of fields that were null/unset
};

/// A whole point layer.
struct PointLayer {
    std::string file;
    std::string layer;
    std::vector<std::string> fields;    ///< attribute field names as in the source
    std::vector<PointFeature> features; ///< in source order
    Diagnostics diagnostics;            ///< per-feature problems (not a point, no geometry,
                                        ///< no CRS assumed lon/lat), naming file/layer/feature

    /// Index of a field by exact name, nullopt if absent.
    std::optional<std::size_t> field_index(const std::string& name) const;
};

/// Reads `layer` (empty = the first layer) of `path`. Multipoints with one point are read as
/// points; other geometries are kept with position nullopt and an error diagnostic.
/// Throws IoError if the file cannot be opened, InputError if the layer does not exist.
PointLayer read_point_layer(const std::filesystem::path& path, const std::string& layer = {});

/// Layer names of a vector dataset. Throws IoError if it cannot be opened.
std::vector<std::string> list_layers(const std::filesystem::path& path);

} // namespace sonae::geo
