#include "geo/map_layers.hpp"

#include "core/error.hpp"
#include "geo/detail/gdal_util.hpp"
#include "geo/gdal_import.hpp"

#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>
#include <tuple>

namespace sonae::geo {

namespace {

bool is_line_layer(OGRLayer* layer) {
    auto type = wkbFlatten(layer->GetGeomType());
    if (type == wkbUnknown) {
        layer->ResetReading();
        std::unique_ptr<OGRFeature> first(layer->GetNextFeature());
        if (first && first->GetGeometryRef() != nullptr)
            type = wkbFlatten(first->GetGeometryRef()->getGeometryType());
        layer->ResetReading();
    }
    return type == wkbLineString || type == wkbMultiLineString;
}

bool is_drawn_waterway(const std::string& value) {
    return value == "river" || value == "stream" || value == "canal" || value == "riverbank";
}

/// A key that is the same for a line and its reverse copy (OSMnx: one row per direction).
using LineKey = std::tuple<long long, long long, long long, long long, std::size_t, std::string>;

LineKey line_key(const std::vector<LonLat>& points, const std::string& name) {
    auto q = [](double v) { return std::llround(v * 1e7); };
    auto a = std::pair{q(points.front().lon), q(points.front().lat)};
    auto b = std::pair{q(points.back().lon), q(points.back().lat)};
    if (b < a) std::swap(a, b);
    return {a.first, a.second, b.first, b.second, points.size(), name};
}

} // namespace

std::vector<BackgroundLine> load_background_lines(const std::filesystem::path& path,
                                                  const std::string& layer_name,
                                                  const std::optional<LonLatBox>& box) {
    const std::string file_name = path.string();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw InputError("file not found", Where{.file = file_name});
    const detail::GdalErrorCapture gdal_errors;
    const auto dataset = detail::open_vector(path);
    if (!dataset) {
        throw InputError("not a vector GIS file that GDAL can read (" +
                             detail::last_gdal_error("unknown format") + ")",
                         Where{.file = file_name});
    }
    const bool osm = dataset->GetDriver() != nullptr &&
                     std::string(dataset->GetDriver()->GetDescription()) == "OSM";
    OGRLayer* layer = nullptr;
    const std::string wanted = !layer_name.empty() ? layer_name : (osm ? "lines" : "");
    if (!wanted.empty()) {
        layer = dataset->GetLayerByName(wanted.c_str());
        if (layer == nullptr)
            throw InputError("no such layer", Where{.file = file_name, .layer = wanted});
    } else {
        for (auto* candidate : dataset->GetLayers()) {
            if (is_line_layer(candidate)) {
                layer = candidate;
                break;
            }
        }
        if (layer == nullptr)
            throw InputError("no layer of lines in the file", Where{.file = file_name});
    }
    const std::string lname = layer->GetName();
    const OGRSpatialReference* source_srs = layer->GetSpatialRef();
    if (source_srs == nullptr) {
        throw InputError("the layer has no coordinate reference system",
                         Where{.file = file_name, .layer = lname});
    }
    OGRSpatialReference src(*source_srs);
    src.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> to_lonlat(
        OGRCreateCoordinateTransformation(&src, &wgs84));
    if (!to_lonlat) {
        throw InputError("cannot transform the layer's CRS to lon/lat: " +
                             detail::last_gdal_error(),
                         Where{.file = file_name, .layer = lname});
    }
    const OGRFeatureDefn* defn = layer->GetLayerDefn();
    const int highway_field = defn->GetFieldIndex("highway");
    const int waterway_field = defn->GetFieldIndex("waterway");
    const int name_field = defn->GetFieldIndex("name");
    auto text = [](const OGRFeature& f, int index) -> std::string {
        if (index < 0 || !f.IsFieldSetAndNotNull(index)) return {};
        return f.GetFieldAsString(index);
    };

    std::vector<BackgroundLine> out;
    std::set<LineKey> seen;
    auto take = [&](OGRFeature& feature) {
        const OGRGeometry* geometry = feature.GetGeometryRef();
        if (geometry == nullptr) return;
        const std::string highway = text(feature, highway_field);
        const std::string waterway = text(feature, waterway_field);
        BackgroundLine line;
        if (!highway.empty()) {
            line.kind = BackgroundLine::Kind::road;
            line.road_class = road_class_from_highway_list(highway);
        } else if (is_drawn_waterway(waterway)) {
            line.kind = BackgroundLine::Kind::water;
        } else if (highway_field >= 0 || waterway_field >= 0) {
            return; // a barrier, a power line, ...: not a road or river
        } else {
            line.kind = BackgroundLine::Kind::road; // a plain line layer: every line is a road
            line.road_class = RoadClass::road;
        }
        line.name = text(feature, name_field);
        std::vector<const OGRLineString*> parts;
        const auto type = wkbFlatten(geometry->getGeometryType());
        if (type == wkbLineString) {
            parts.push_back(geometry->toLineString());
        } else if (type == wkbMultiLineString) {
            for (const auto* part : *geometry->toMultiLineString()) parts.push_back(part);
        } else {
            return;
        }
        for (const auto* part : parts) {
            BackgroundLine piece = line;
            LonLatBox extent{{1e9, 1e9}, {-1e9, -1e9}};
            for (int i = 0; i < part->getNumPoints(); ++i) {
                double x = part->getX(i), y = part->getY(i);
                if (!to_lonlat->Transform(1, &x, &y)) continue;
                piece.points.push_back({x, y});
                extent.min = {std::min(extent.min.lon, x), std::min(extent.min.lat, y)};
                extent.max = {std::max(extent.max.lon, x), std::max(extent.max.lat, y)};
            }
            if (piece.points.size() < 2) continue;
            if (box && !box->intersects(extent)) continue;
            if (!seen.insert(line_key(piece.points, piece.name)).second) continue;
            out.push_back(std::move(piece));
        }
    };
    if (osm) {
        // The OSM driver reads the file once for all layers: walk the dataset, keep one layer.
        dataset->ResetReading();
        OGRLayer* from = nullptr;
        while (auto* raw = dataset->GetNextFeature(&from, nullptr, nullptr, nullptr)) {
            std::unique_ptr<OGRFeature> feature(raw);
            if (from == layer) take(*feature);
        }
    } else {
        layer->ResetReading();
        while (auto* raw = layer->GetNextFeature()) {
            std::unique_ptr<OGRFeature> feature(raw);
            take(*feature);
        }
    }
    return out;
}

} // namespace sonae::geo
