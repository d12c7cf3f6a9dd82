#include "geo/gis_writer.hpp"

#include "core/error.hpp"
#include "geo/detail/gdal_util.hpp"
#include "geo/output_date.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_core.h>
#include <ogr_feature.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <sys/statvfs.h>

namespace sonae::geo {

namespace fs = std::filesystem;

std::size_t Layer::add_field(std::string field_name, FieldType type, std::string alias) {
    fields.push_back({std::move(field_name), type, std::move(alias)});
    return fields.size() - 1;
}

void Layer::add_feature(Geometry geometry, std::vector<FieldValue> values) {
    features.push_back({std::move(geometry), std::move(values)});
}

namespace {

struct FeatureDeleter {
    void operator()(OGRFeature* feature) const { OGRFeature::DestroyFeature(feature); }
};

using detail::gdal_detail;

/// What to append to a failed write's message: the cause first when the file system of
/// `target` has under 1 MiB left (SQLite says a full disk in many words: "database or disk is
/// full", or "no such table: gpkg_geometry_columns" when the table could not be made, which
/// told no one what to do), then GDAL's own words.
std::string write_detail(const fs::path& target) {
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    struct statvfs st {};
    std::string note;
    if (::statvfs(dir.c_str(), &st) == 0) {
        const auto free_bytes = static_cast<std::uint64_t>(st.f_bavail) * st.f_frsize;
        if (free_bytes < (std::uint64_t{1} << 20)) {
            note = ": the disk is full (" + std::to_string(free_bytes >> 10) +
                   " KiB free): free some space and run again";
        }
    }
    return note + gdal_detail();
}

// Removes the temporary GeoPackage's SQLite sidecars if a write fails half-way; the
// AtomicPath removes the temporary file itself.
class SidecarCleanup {
public:
    explicit SidecarCleanup(fs::path temp) : m_temp(std::move(temp)) {}
    ~SidecarCleanup() {
        if (m_done) return;
        for (const char* suffix : {"-journal", "-wal", "-shm"}) {
            std::error_code ec;
            fs::remove(m_temp.string() + suffix, ec);
        }
    }
    SidecarCleanup(const SidecarCleanup&) = delete;
    SidecarCleanup& operator=(const SidecarCleanup&) = delete;
    void done() { m_done = true; }

private:
    fs::path m_temp;
    bool m_done = false;
};

bool layer_is_multi(const Layer& layer) {
    for (const auto& feature : layer.features) {
        if (const auto* line = std::get_if<LineGeometry>(&feature.geometry);
            line && line->size() > 1) {
            return true;
        }
        if (const auto* poly = std::get_if<PolygonGeometry>(&feature.geometry);
            poly && poly->size() > 1) {
            return true;
        }
    }
    return false;
}

OGRwkbGeometryType ogr_type(const Layer& layer, bool multi) {
    switch (layer.geometry_type) {
    case GeometryType::point: return wkbPoint;
    case GeometryType::line: return multi ? wkbMultiLineString : wkbLineString;
    case GeometryType::polygon: return multi ? wkbMultiPolygon : wkbPolygon;
    case GeometryType::none: return wkbNone;
    }
    return wkbUnknown;
}

OGRFieldType ogr_field_type(FieldType type) {
    switch (type) {
    case FieldType::int64: return OFTInteger64;
    case FieldType::real: return OFTReal;
    case FieldType::string: return OFTString;
    case FieldType::datetime: return OFTDateTime;
    }
    return OFTString;
}

void check_point(LonLat p, const Layer& layer, std::size_t feature) {
    if (!std::isfinite(p.lon) || !std::isfinite(p.lat) || p.lon < -180.0 || p.lon > 180.0 ||
        p.lat < -90.0 || p.lat > 90.0) {
        throw InternalError("coordinate out of lon/lat range: (" + std::to_string(p.lon) + ", " +
                                std::to_string(p.lat) + ")",
                            {.layer = layer.name, .feature = std::to_string(feature)});
    }
}

std::unique_ptr<OGRLineString> make_line(const std::vector<LonLat>& points, const Layer& layer,
                                         std::size_t feature) {
    if (points.size() < 2) {
        throw InternalError("a line needs at least two points",
                            {.layer = layer.name, .feature = std::to_string(feature)});
    }
    auto line = std::make_unique<OGRLineString>();
    line->setNumPoints(static_cast<int>(points.size()), FALSE);
    for (std::size_t i = 0; i < points.size(); ++i) {
        check_point(points[i], layer, feature);
        line->setPoint(static_cast<int>(i), points[i].lon, points[i].lat);
    }
    return line;
}

std::unique_ptr<OGRPolygon> make_polygon(const LonLatPolygon& rings, const Layer& layer,
                                         std::size_t feature) {
    auto polygon = std::make_unique<OGRPolygon>();
    for (const auto& ring : rings) {
        if (ring.size() < 3) {
            throw InternalError("a polygon ring needs at least three points",
                                {.layer = layer.name, .feature = std::to_string(feature)});
        }
        OGRLinearRing ogr_ring;
        for (const auto& p : ring) {
            check_point(p, layer, feature);
            ogr_ring.addPoint(p.lon, p.lat);
        }
        ogr_ring.closeRings();
        polygon->addRing(&ogr_ring);
    }
    return polygon;
}

std::unique_ptr<OGRGeometry> make_geometry(const Layer& layer, std::size_t index, bool multi) {
    const Feature& feature = layer.features[index];
    const Where where{.layer = layer.name, .feature = std::to_string(index)};
    if (std::holds_alternative<std::monostate>(feature.geometry)) return nullptr;
    switch (layer.geometry_type) {
    case GeometryType::point: {
        const auto* p = std::get_if<LonLat>(&feature.geometry);
        if (p == nullptr) throw InternalError("feature geometry is not a point", where);
        check_point(*p, layer, index);
        return std::make_unique<OGRPoint>(p->lon, p->lat);
    }
    case GeometryType::line: {
        const auto* parts = std::get_if<LineGeometry>(&feature.geometry);
        if (parts == nullptr || parts->empty()) {
            throw InternalError("feature geometry is not a line", where);
        }
        if (!multi) return make_line(parts->front(), layer, index);
        auto out = std::make_unique<OGRMultiLineString>();
        for (const auto& part : *parts)
            out->addGeometryDirectly(make_line(part, layer, index).release());
        return out;
    }
    case GeometryType::polygon: {
        const auto* parts = std::get_if<PolygonGeometry>(&feature.geometry);
        if (parts == nullptr || parts->empty()) {
            throw InternalError("feature geometry is not a polygon", where);
        }
        if (!multi) return make_polygon(parts->front(), layer, index);
        auto out = std::make_unique<OGRMultiPolygon>();
        for (const auto& part : *parts) {
            out->addGeometryDirectly(make_polygon(part, layer, index).release());
        }
        return out;
    }
    case GeometryType::none:
        throw InternalError("a feature of an attribute table has a geometry", where);
    }
    return nullptr;
}

void set_value(OGRFeature& ogr, int field_index, const Field& field, const FieldValue& value,
               const Layer& layer, std::size_t feature) {
    const Where where{.layer = layer.name, .feature = std::to_string(feature), .field = field.name};
    if (std::holds_alternative<std::monostate>(value)) {
        ogr.SetFieldNull(field_index);
        return;
    }
    switch (field.type) {
    case FieldType::int64:
        if (const auto* v = std::get_if<std::int64_t>(&value)) {
            ogr.SetField(field_index, static_cast<GIntBig>(*v));
            return;
        }
        break;
    case FieldType::real:
        if (const auto* v = std::get_if<double>(&value)) {
            if (std::isfinite(*v)) {
                ogr.SetField(field_index, *v);
            } else {
                ogr.SetFieldNull(field_index); // NaN/inf are not storable; null says "unknown"
            }
            return;
        }
        if (const auto* v = std::get_if<std::int64_t>(&value)) {
            ogr.SetField(field_index, static_cast<double>(*v));
            return;
        }
        break;
    case FieldType::string:
        if (const auto* v = std::get_if<std::string>(&value)) {
            ogr.SetField(field_index, v->c_str());
            return;
        }
        break;
    case FieldType::datetime:
        if (const auto* v = std::get_if<std::string>(&value)) {
            OGRField parsed;
            if (OGRParseDate(v->c_str(), &parsed, 0) == FALSE) {
                throw InputError("not an ISO 8601 date/time", {.layer = layer.name,
                                                               .feature = std::to_string(feature),
                                                               .field = field.name,
                                                               .value = *v});
            }
            ogr.SetField(field_index, &parsed);
            return;
        }
        break;
    }
    throw InternalError("value type does not match the field type", where);
}

void check_layer(const Layer& layer) {
    if (layer.name.empty()) throw InternalError("a layer needs a name");
    std::set<std::string> names;
    for (const auto& field : layer.fields) {
        if (field.name.empty() || !names.insert(field.name).second) {
            throw InternalError("field names must be non-empty and unique",
                                {.layer = layer.name, .field = field.name});
        }
    }
    for (std::size_t i = 0; i < layer.features.size(); ++i) {
        if (layer.features[i].values.size() != layer.fields.size()) {
            throw InternalError("feature has " + std::to_string(layer.features[i].values.size()) +
                                    " values for " + std::to_string(layer.fields.size()) +
                                    " fields",
                                {.layer = layer.name, .feature = std::to_string(i)});
        }
    }
}

void write_layer(GDALDataset& dataset, const Layer& layer, OGRSpatialReference& srs,
                 OGRCoordinateTransformation* transform, CSLConstList options,
                 const fs::path& target) {
    const bool multi = layer_is_multi(layer);
    const bool table = layer.geometry_type == GeometryType::none;
    // Per-layer options: the driver's, and the description (GPKG's DESCRIPTION option; the
    // GeoJSON driver has the same option and writes it as the collection's "description").
    CPLStringList layer_options(CSLDuplicate(const_cast<char**>(options)));
    if (!layer.description.empty())
        layer_options.SetNameValue("DESCRIPTION", layer.description.c_str());
    OGRLayer* out = dataset.CreateLayer(layer.name.c_str(), table ? nullptr : &srs,
                                        ogr_type(layer, multi), layer_options.List());
    if (out == nullptr) {
        throw IoError("cannot create layer" + write_detail(target),
                      {.file = target.string(), .layer = layer.name});
    }
    for (const auto& field : layer.fields) {
        OGRFieldDefn definition(field.name.c_str(), ogr_field_type(field.type));
        if (!field.alias.empty()) definition.SetAlternativeName(field.alias.c_str());
        if (out->CreateField(&definition) != OGRERR_NONE) {
            throw IoError("cannot create field" + write_detail(target),
                          {.file = target.string(), .layer = layer.name, .field = field.name});
        }
    }
    // Driver field indices follow creation order, but look them up to be safe.
    std::vector<int> indices;
    for (const auto& field : layer.fields) {
        indices.push_back(out->GetLayerDefn()->GetFieldIndex(field.name.c_str()));
    }
    const bool transaction = out->StartTransaction() == OGRERR_NONE;
    for (std::size_t i = 0; i < layer.features.size(); ++i) {
        std::unique_ptr<OGRFeature, FeatureDeleter> feature(
            OGRFeature::CreateFeature(out->GetLayerDefn()));
        auto geometry = make_geometry(layer, i, multi);
        if (geometry && transform != nullptr && geometry->transform(transform) != OGRERR_NONE) {
            throw InputError(
                "cannot convert coordinates to the output CRS" + gdal_detail(),
                {.file = target.string(), .layer = layer.name, .feature = std::to_string(i)});
        }
        if (geometry) {
            geometry->assignSpatialReference(&srs);
            feature->SetGeometryDirectly(geometry.release());
        }
        for (std::size_t f = 0; f < layer.fields.size(); ++f) {
            set_value(*feature, indices[f], layer.fields[f], layer.features[i].values[f], layer, i);
        }
        if (out->CreateFeature(feature.get()) != OGRERR_NONE) {
            throw IoError(
                "cannot write feature" + write_detail(target),
                {.file = target.string(), .layer = layer.name, .feature = std::to_string(i)});
        }
    }
    if (transaction && out->CommitTransaction() != OGRERR_NONE) {
        throw IoError("cannot commit layer" + write_detail(target),
                      {.file = target.string(), .layer = layer.name});
    }
}

OGRSpatialReference spatial_reference(int epsg) {
    OGRSpatialReference srs;
    if (epsg <= 0 || srs.importFromEPSG(epsg) != OGRERR_NONE) {
        throw InputError("unknown EPSG code for output",
                         {.field = "epsg", .value = std::to_string(epsg)});
    }
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

std::string sql_text(const std::string& text) {
    std::string out = "'";
    for (const char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

void execute(GDALDataset& dataset, const std::string& sql, const fs::path& target) {
    CPLErrorReset();
    if (OGRLayer* result = dataset.ExecuteSQL(sql.c_str(), nullptr, nullptr))
        dataset.ReleaseResultSet(result);
    if (CPLGetLastErrorType() >= CE_Failure) {
        throw IoError("cannot write the field aliases" + write_detail(target),
                      {.file = target.string()});
    }
}

/// The fields' aliases in gpkg_data_columns (the GeoPackage schema extension), name and title:
/// GDAL 3.6 does not write a field's alternative name there itself (3.7 does).
void write_data_columns(GDALDataset& dataset, std::span<const Layer> layers,
                        const fs::path& target) {
    bool any = false;
    for (const auto& layer : layers)
        for (const auto& field : layer.fields) any = any || !field.alias.empty();
    if (!any) return;
    execute(dataset,
            "CREATE TABLE IF NOT EXISTS gpkg_data_columns (table_name TEXT NOT NULL, column_name "
            "TEXT NOT NULL, "
            "name TEXT, title TEXT, description TEXT, mime_type TEXT, constraint_name TEXT, "
            "CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name), CONSTRAINT gdc_tn UNIQUE "
            "(table_name, name))",
            target);
    execute(dataset,
            "CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT, "
            "extension_name TEXT NOT "
            "NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE "
            "(table_name, column_name, "
            "extension_name))",
            target);
    execute(dataset,
            "INSERT OR IGNORE INTO gpkg_extensions (table_name, column_name, extension_name, "
            "definition, scope) "
            "VALUES ('gpkg_data_columns', NULL, 'gpkg_schema', "
            "'http://www.geopackage.org/spec121/#extension_schema', "
            "'read-write')",
            target);
    for (const auto& layer : layers) {
        for (const auto& field : layer.fields) {
            if (field.alias.empty()) continue;
            execute(
                dataset,
                "INSERT INTO gpkg_data_columns (table_name, column_name, name, title) VALUES (" +
                    sql_text(layer.name) + ", " + sql_text(field.name) + ", " +
                    sql_text(field.alias) + ", " + sql_text(field.alias) + ")",
                target);
        }
    }
}

/// The `layer_styles` table as QGIS creates it (QgsOgrProviderUtils::saveStyle): one row per
/// styled layer, marked as its default, so that QGIS draws the layer with it on load.
void write_layer_styles(GDALDataset& dataset, std::span<const Layer> layers,
                        OGRSpatialReference& srs, const std::string& timestamp,
                        const fs::path& target) {
    Layer styles{.name = "layer_styles", .geometry_type = GeometryType::none};
    for (const auto* f : {"f_table_catalog", "f_table_schema", "f_table_name", "f_geometry_column",
                          "styleName", "styleQML", "styleSLD"}) {
        styles.add_field(f, FieldType::string);
    }
    styles.add_field("useAsDefault", FieldType::int64);
    for (const auto* f : {"description", "owner", "ui"}) styles.add_field(f, FieldType::string);
    styles.add_field("update_time", FieldType::datetime);
    const std::string when = timestamp.empty() ? gpkg_timestamp() : timestamp;
    for (const auto& layer : layers) {
        if (layer.style_qml.empty()) continue;
        styles.add_feature(std::monostate{},
                           {std::string(), std::string(), layer.name,
                            std::string(layer.geometry_type == GeometryType::none ? "" : "geom"),
                            layer.name, layer.style_qml, std::string(), std::int64_t{1},
                            std::string("sonae の既定のスタイル"), std::string(), std::string(),
                            when});
    }
    if (styles.features.empty()) return;
    const char* options[] = {"FID=id", nullptr};
    write_layer(dataset, styles, srs, nullptr, options, target);
}

void write_with_driver(const fs::path& path, std::span<const Layer> layers, FileMode mode, int epsg,
                       const char* driver_name, CSLConstList layer_options,
                       const std::string& timestamp = {}) {
    detail::ensure_gdal_registered();
    const detail::GdalErrorCapture gdal_errors;
    for (const auto& layer : layers) check_layer(layer);
    {
        std::set<std::string> names;
        for (const auto& layer : layers) {
            if (!names.insert(layer.name).second) {
                throw InternalError("layer names must be unique",
                                    {.file = path.string(), .layer = layer.name});
            }
        }
    }
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(driver_name);
    if (driver == nullptr) {
        throw InternalError(std::string("GDAL has no ") + driver_name + " driver");
    }
    OGRSpatialReference srs = spatial_reference(epsg);
    OGRSpatialReference lonlat = spatial_reference(4326);
    std::unique_ptr<OGRCoordinateTransformation> transform;
    if (epsg != 4326) {
        transform.reset(OGRCreateCoordinateTransformation(&lonlat, &srs));
        if (!transform) {
            throw InputError("cannot convert lon/lat to the output CRS" + gdal_detail(),
                             {.field = "epsg", .value = std::to_string(epsg)});
        }
    }

    // GDAL stamps gpkg_contents.last_change with OGR_CURRENT_DATE instead of the clock.
    std::optional<detail::ThreadConfigOption> stamp;
    if (!timestamp.empty()) stamp.emplace("OGR_CURRENT_DATE", timestamp);
    AtomicPath atomic(path, mode);
    SidecarCleanup sidecars(atomic.temp());
    {
        GDALDatasetUniquePtr dataset(
            driver->Create(atomic.temp().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!dataset) {
            throw IoError("cannot create file" + write_detail(path), {.file = path.string()});
        }
        for (const auto& layer : layers) {
            write_layer(*dataset, layer, srs, transform.get(), layer_options, path);
        }
        if (std::string(driver_name) == "GPKG") {
            write_layer_styles(*dataset, layers, srs, timestamp, path);
            write_data_columns(*dataset, layers, path);
        }
        CPLErrorReset();
        dataset.reset(); // closing writes the rest of the file
        if (CPLGetLastErrorType() >= CE_Failure) {
            throw IoError("cannot finish writing the file" + write_detail(path),
                          {.file = path.string()});
        }
    }
    atomic.commit();
    sidecars.done();
}

std::string lower_extension(const fs::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

FieldValue minutes_or_null(std::int64_t t_ms) {
    if (t_ms == never_ms) return std::monostate{};
    return static_cast<double>(t_ms) / 60'000.0;
}

} // namespace

void write_geopackage(const fs::path& path, std::span<const Layer> layers, FileMode mode, int epsg,
                      const std::string& issued_on) {
    const char* options[] = {"GEOMETRY_NAME=geom", "FID=fid", "SPATIAL_INDEX=YES", nullptr};
    write_with_driver(path, layers, mode, epsg, "GPKG", options, gpkg_timestamp(issued_on));
}

void write_geojson(const fs::path& path, const Layer& layer, FileMode mode) {
    const char* options[] = {"RFC7946=YES", "WRITE_NAME=YES", nullptr};
    write_with_driver(path, std::span<const Layer>(&layer, 1), mode, 4326, "GeoJSON", options);
}

std::vector<fs::path> write_layers(const fs::path& path, std::span<const Layer> layers,
                                   FileMode mode) {
    const std::string ext = lower_extension(path);
    if (ext == ".gpkg") {
        write_geopackage(path, layers, mode);
        return {path};
    }
    if (ext == ".geojson" || ext == ".json") {
        if (layers.size() == 1) {
            write_geojson(path, layers.front(), mode);
            return {path};
        }
        std::vector<fs::path> written;
        for (const auto& layer : layers) {
            fs::path one = path.parent_path() / (path.stem().string() + "_" + layer.name + ext);
            write_geojson(one, layer, mode);
            written.push_back(std::move(one));
        }
        return written;
    }
    throw InputError("unknown output format (use .gpkg, .geojson or .json)",
                     {.file = path.string()});
}

// ---------------------------------------------------------------------------------------
// Ready-made layers

Layer network_edges_layer(const RoadNetwork& network, const EdgeLayerData& data, std::string name) {
    if (!network.has_coordinates()) {
        throw InputError("the road network has no coordinates; it cannot be drawn");
    }
    const auto n = network.edge_count();
    if ((!data.weights_ms.empty() && data.weights_ms.size() != n) ||
        (!data.closed_from_ms.empty() && data.closed_from_ms.size() != n)) {
        throw InternalError("network_edges_layer: arrays do not match the network's edges");
    }
    Layer layer{.name = std::move(name), .geometry_type = GeometryType::line};
    layer.add_field("edge", FieldType::int64);
    layer.add_field("original_id", FieldType::int64);
    layer.add_field("from_node", FieldType::int64);
    layer.add_field("to_node", FieldType::int64);
    layer.add_field("class", FieldType::string);
    layer.add_field("length_m", FieldType::real);
    layer.add_field("against_oneway", FieldType::int64);
    const bool weights = !data.weights_ms.empty();
    const bool closures = !data.closed_from_ms.empty();
    if (weights) {
        layer.add_field("mode", FieldType::string);
        layer.add_field("allowed", FieldType::int64);
        layer.add_field("speed_kmh", FieldType::real);
        layer.add_field("travel_time_s", FieldType::real);
    }
    if (closures) layer.add_field("closed_from_min", FieldType::real);
    layer.features.reserve(n);
    constexpr auto not_allowed = std::numeric_limits<std::uint32_t>::max();
    for (std::uint32_t e = 0; e < n; ++e) {
        const EdgeId edge(e);
        std::vector<FieldValue> values{
            std::int64_t{e},
            network.original_edge_id(edge),
            network.original_node_id(network.tail(edge)),
            network.original_node_id(network.head(edge)),
            std::string(to_string(network.road_class(edge))),
            network.length_m(edge),
            std::int64_t{(network.flags(edge) & edge_against_oneway) != 0 ? 1 : 0}};
        if (weights) {
            const auto w = data.weights_ms[e];
            values.emplace_back(data.mode);
            values.emplace_back(std::int64_t{w != not_allowed ? 1 : 0});
            if (w != not_allowed && w > 0) {
                values.emplace_back(network.length_m(edge) / (w / 1000.0) * 3.6);
                values.emplace_back(w / 1000.0);
            } else {
                values.emplace_back(std::monostate{});
                values.emplace_back(w == 0 ? FieldValue{0.0} : FieldValue{});
            }
        }
        if (closures) values.push_back(minutes_or_null(data.closed_from_ms[e]));
        layer.add_feature(LineGeometry{network.edge_geometry(edge)}, std::move(values));
    }
    return layer;
}

Layer route_layer(const RoadNetwork& network, std::span<const RouteRecord> routes,
                  std::string name) {
    Layer layer{.name = std::move(name), .geometry_type = GeometryType::line};
    layer.add_field("label", FieldType::string);
    layer.add_field("mode", FieldType::string);
    layer.add_field("length_m", FieldType::real);
    layer.add_field("travel_time_s", FieldType::real);
    layer.add_field("departure_min", FieldType::real);
    layer.add_field("arrival_min", FieldType::real);
    layer.add_field("edge_count", FieldType::int64);
    for (const auto& route : routes) {
        std::vector<LonLat> points;
        double length_m = 0.0;
        for (const auto edge : route.edges) {
            auto geometry = network.edge_geometry(edge);
            length_m += network.length_m(edge);
            const std::size_t skip = points.empty() ? 0 : 1; // shared node
            points.insert(points.end(), geometry.begin() + static_cast<std::ptrdiff_t>(skip),
                          geometry.end());
        }
        Geometry geometry = points.size() >= 2 ? Geometry{LineGeometry{std::move(points)}}
                                               : Geometry{std::monostate{}};
        layer.add_feature(std::move(geometry),
                          {route.label, route.mode, length_m,
                           static_cast<double>(route.arrival_ms - route.departure_ms) / 1000.0,
                           static_cast<double>(route.departure_ms) / 60'000.0,
                           static_cast<double>(route.arrival_ms) / 60'000.0,
                           static_cast<std::int64_t>(route.edges.size())});
    }
    return layer;
}

Layer route_edges_layer(const RoadNetwork& network, std::span<const EdgeId> edges,
                        std::span<const std::int64_t> enter_ms,
                        std::span<const std::int64_t> closed_from_ms, std::string name) {
    if (enter_ms.size() != edges.size() + 1) {
        throw InternalError("route_edges_layer: enter_ms needs one time per edge plus the arrival");
    }
    if (!closed_from_ms.empty() && closed_from_ms.size() != network.edge_count()) {
        throw InternalError("route_edges_layer: closed_from_ms does not match the network");
    }
    Layer layer{.name = std::move(name), .geometry_type = GeometryType::line};
    layer.add_field("seq", FieldType::int64);
    layer.add_field("edge", FieldType::int64);
    layer.add_field("original_id", FieldType::int64);
    layer.add_field("class", FieldType::string);
    layer.add_field("length_m", FieldType::real);
    layer.add_field("enter_min", FieldType::real);
    layer.add_field("leave_min", FieldType::real);
    layer.add_field("closed_from_min", FieldType::real);
    for (std::size_t i = 0; i < edges.size(); ++i) {
        const EdgeId edge = edges[i];
        layer.add_feature(LineGeometry{network.edge_geometry(edge)},
                          {static_cast<std::int64_t>(i), std::int64_t{edge.value()},
                           network.original_edge_id(edge),
                           std::string(to_string(network.road_class(edge))), network.length_m(edge),
                           static_cast<double>(enter_ms[i]) / 60'000.0,
                           static_cast<double>(enter_ms[i + 1]) / 60'000.0,
                           closed_from_ms.empty() ? FieldValue{}
                                                  : minutes_or_null(closed_from_ms[edge.value()])});
    }
    return layer;
}

Layer closed_edges_layer(const RoadNetwork& network, std::span<const std::int64_t> closed_from_ms,
                         const std::string& mode, std::string name) {
    if (closed_from_ms.size() != network.edge_count()) {
        throw InternalError("closed_edges_layer: closed_from_ms does not match the network");
    }
    Layer layer{.name = std::move(name), .geometry_type = GeometryType::line};
    layer.add_field("edge", FieldType::int64);
    layer.add_field("original_id", FieldType::int64);
    layer.add_field("class", FieldType::string);
    layer.add_field("length_m", FieldType::real);
    layer.add_field("closed_from_min", FieldType::real);
    layer.add_field("mode", FieldType::string);
    for (std::uint32_t e = 0; e < network.edge_count(); ++e) {
        const EdgeId edge(e);
        if (closed_from_ms[e] == never_ms) continue;
        const NodeId tail = network.tail(edge);
        const NodeId head = network.head(edge);
        if (head < tail) {
            const auto twin = network.find_edge(head, tail);
            if (twin && network.original_edge_id(*twin) == network.original_edge_id(edge) &&
                closed_from_ms[twin->value()] == closed_from_ms[e]) {
                continue; // drawn once, by the twin
            }
        }
        layer.add_feature(LineGeometry{network.edge_geometry(edge)},
                          {std::int64_t{e}, network.original_edge_id(edge),
                           std::string(to_string(network.road_class(edge))), network.length_m(edge),
                           minutes_or_null(closed_from_ms[e]), mode});
    }
    return layer;
}

Layer hazard_areas_layer(const Hazards& hazards, std::string name) {
    Layer layer{.name = std::move(name), .geometry_type = GeometryType::polygon};
    layer.add_field("area", FieldType::int64);
    layer.add_field("kind", FieldType::string);
    layer.add_field("depth_m", FieldType::real);
    layer.add_field("depth_rank", FieldType::int64);
    layer.add_field("zone", FieldType::string);
    layer.add_field("onset_min", FieldType::real);
    layer.add_field("source_file", FieldType::string);
    layer.add_field("source_layer", FieldType::string);
    layer.add_field("feature_id", FieldType::string);
    const auto areas = hazards.areas();
    const auto layers = hazards.layers();
    for (std::uint32_t a = 0; a < areas.size(); ++a) {
        const HazardArea& area = areas[a];
        const HazardLayerInfo* source = area.layer < layers.size() ? &layers[area.layer] : nullptr;
        layer.add_feature(
            PolygonGeometry{hazards.polygons(a)},
            {std::int64_t{a}, std::string(to_string(area.kind)),
             area.depth_m ? FieldValue{*area.depth_m} : FieldValue{},
             area.depth_rank > 0 ? FieldValue{std::int64_t{area.depth_rank}} : FieldValue{},
             area.kind == HazardKind::landslide ? FieldValue{std::string(to_string(area.zone))}
                                                : FieldValue{},
             minutes_or_null(area.onset_ms),
             source != nullptr ? FieldValue{fs::path(source->file).filename().string()}
                               : FieldValue{},
             source != nullptr ? FieldValue{source->layer} : FieldValue{}, area.feature_id});
    }
    return layer;
}

} // namespace sonae::geo
