#pragma once
/// A small generic GIS writer, so that planner/ and report/ can write GeoPackage and GeoJSON
/// layers without touching GDAL. Build `Layer` values (name, geometry type, typed fields,
/// features with lon/lat geometry), then write them. Every file goes through AtomicPath: it
/// appears complete or not at all, with mode 0600 when it holds personal data (homes).
/// Field names and string values are UTF-8 (Japanese welcome); files open in QGIS.

#include "core/atomic_file.hpp"
#include "geo/hazard.hpp"
#include "geo/road_network.hpp"

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace sonae::geo {

/// Geometry type of a layer. Lines and polygons are written as multi-geometries when any
/// feature of the layer has more than one part. `none`: an attribute table (no geometry
/// column; QGIS opens it as a table).
enum class GeometryType : std::uint8_t { point, line, polygon, none };

/// Type of an attribute field.
enum class FieldType : std::uint8_t {
    int64,
    real,     ///< double
    string,   ///< UTF-8
    datetime, ///< ISO 8601 text, e.g. "2026-07-01T09:30:00+09:00" (stored as a GIS datetime)
};

struct Field {
    std::string name;
    FieldType type = FieldType::string;
    /// The name people read (Japanese): the field's alternative name, which GDAL writes to the
    /// GeoPackage's gpkg_data_columns (title) and QGIS shows as the alias. Empty = none.
    std::string alias;
};

/// One attribute value; monostate = null. An int64 field takes std::int64_t, a real field
/// double (or std::int64_t), string and datetime fields std::string.
using FieldValue = std::variant<std::monostate, std::int64_t, double, std::string>;

/// One or more linestrings, in lon/lat.
using LineGeometry = std::vector<std::vector<LonLat>>;
/// One or more polygons (each: outer ring, then holes), in lon/lat.
using PolygonGeometry = std::vector<LonLatPolygon>;
/// monostate = no geometry; the alternative must match the layer's GeometryType.
using Geometry = std::variant<std::monostate, LonLat, LineGeometry, PolygonGeometry>;

struct Feature {
    Geometry geometry;
    std::vector<FieldValue> values; ///< one per layer field, in field order
};

/// A layer to write: name (UTF-8), geometry type, fields and features.
struct Layer {
    std::string name;
    GeometryType geometry_type = GeometryType::point;
    std::vector<Field> fields;
    std::vector<Feature> features;
    /// What the layer is, in Japanese: gpkg_contents.description (QGIS shows it as the
    /// layer's abstract). Empty = none.
    std::string description;
    /// The layer's default QGIS style (QML, geo/qgis_style.hpp): a GeoPackage stores it in its
    /// `layer_styles` table, which QGIS reads when the layer is added. Empty = none.
    std::string style_qml;

    /// Adds a field (with the name people read as `alias`); returns its index.
    std::size_t add_field(std::string field_name, FieldType type, std::string alias = {});
    /// Appends a feature; `values` must have one value per field.
    void add_feature(Geometry geometry, std::vector<FieldValue> values);
};

/// Writes all layers into one GeoPackage at `path`, atomically (the whole file or nothing),
/// replacing an existing file. Coordinates are converted from lon/lat to `epsg` (4326 =
/// keep lon/lat; e.g. 6671 for JGD2011 zone III metres). Layer names must be unique and
/// non-empty. Throws InternalError when a feature does not match its layer (a caller bug),
/// InputError for a bad datetime text or EPSG code, IoError when the file cannot be written.
/// gpkg_contents.last_change is not the write time but geo::gpkg_timestamp(issued_on):
/// midnight Japan time of `issued_on` ("YYYY-MM-DD"; empty = today, or SOURCE_DATE_EPOCH's date
/// when set), so the same inputs give a byte-identical file. Layer descriptions go to
/// gpkg_contents.description, field aliases to gpkg_data_columns, and the layers' styles to a
/// `layer_styles` table as QGIS writes it (one default style per styled layer, update_time
/// the same timestamp).
void write_geopackage(const std::filesystem::path& path, std::span<const Layer> layers,
                      FileMode mode, int epsg = 4326, const std::string& issued_on = {});

/// Writes one layer as RFC 7946 GeoJSON (lon/lat, WGS84) at `path`, atomically.
void write_geojson(const std::filesystem::path& path, const Layer& layer, FileMode mode);

/// Writes GeoPackage or GeoJSON by the extension of `path` (.gpkg, .geojson or .json); a
/// GeoJSON file holds one layer, so several layers go to `<stem>_<layer>.geojson` beside it
/// (returned). Throws InputError for another extension.
std::vector<std::filesystem::path> write_layers(const std::filesystem::path& path,
                                                std::span<const Layer> layers, FileMode mode);

// ---------------------------------------------------------------------------------------
// Ready-made layers

/// Optional per-edge arrays for network_edges_layer (empty spans are left out).
struct EdgeLayerData {
    std::span<const std::uint32_t> weights_ms; ///< travel time per edge, UINT32_MAX = not allowed
    std::span<const std::int64_t> closed_from_ms; ///< hazard closure per edge, never_ms = never
    std::string mode; ///< travel mode of weights_ms, for the field value
};

/// One line feature per directed edge: edge, original_id, tail/head original node ids, class,
/// length_m, oneway flag (against_oneway), and with data: mode, allowed, speed_kmh,
/// travel_time_s, closed_from_min (null = never). Precondition: the network has coordinates.
Layer network_edges_layer(const RoadNetwork& network, const EdgeLayerData& data = {},
                          std::string name = "edges");

/// A route to draw: its edges in travel order and times on the hazard timeline.
struct RouteRecord {
    std::string label; ///< e.g. "home 12 -> shelter 3"
    std::vector<EdgeId> edges;
    std::string mode;
    std::int64_t departure_ms = 0; ///< relative to hazard t0 (or 0 without hazards)
    std::int64_t arrival_ms = 0;
};

/// One line feature per route: label, mode, length_m, travel_time_s, departure_min,
/// arrival_min, edge_count.
Layer route_layer(const RoadNetwork& network, std::span<const RouteRecord> routes,
                  std::string name = "route");

/// The edges of a route one by one, in travel order: seq, edge, original_id, class, length_m,
/// enter_min and leave_min on the hazard timeline, closed_from_min (null = never). `enter_ms`
/// has one entry per route edge plus the arrival time (as from earliest-arrival routing).
Layer route_edges_layer(const RoadNetwork& network, std::span<const EdgeId> edges,
                        std::span<const std::int64_t> enter_ms,
                        std::span<const std::int64_t> closed_from_ms,
                        std::string name = "route_edges");

/// Edges that close (closed_from_ms < never_ms), one feature per road: a two-way street's
/// twin direction with the same closure is left out. Fields: edge, original_id, class,
/// length_m, closed_from_min, mode.
Layer closed_edges_layer(const RoadNetwork& network, std::span<const std::int64_t> closed_from_ms,
                         const std::string& mode, std::string name = "closed_edges");

/// The hazard areas as polygons: area, kind, depth_m, depth_rank, zone, onset_min, source
/// file, source layer, feature_id.
Layer hazard_areas_layer(const Hazards& hazards, std::string name = "hazard_areas");

} // namespace sonae::geo
