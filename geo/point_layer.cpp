#include "geo/point_layer.hpp"

#include "geo/detail/gdal_util.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <cstdio>
#include <memory>

namespace sonae::geo {

namespace {

GDALDatasetUniquePtr open_vector(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        throw IoError("the file does not exist", Where{.file = path.string()});
    }
    const detail::GdalErrorCapture gdal_errors;
    auto dataset = detail::open_vector(path);
    if (!dataset) {
        const std::string gdal_message = detail::last_gdal_error("");
        throw IoError("cannot open as a vector dataset" +
                          (gdal_message.empty() ? std::string() : " (GDAL: " + gdal_message + ")"),
                      Where{.file = path.string()});
    }
    return dataset;
}

std::string field_as_string(OGRFeature& feature, int index) {
    const OGRFieldDefn* defn = feature.GetFieldDefnRef(index);
    switch (defn->GetType()) {
    case OFTInteger: return std::to_string(feature.GetFieldAsInteger(index));
    case OFTInteger64: return std::to_string(feature.GetFieldAsInteger64(index));
    case OFTReal: {
        // Shortest text that reads back as the same double, so "100" stays "100".
        const double value = feature.GetFieldAsDouble(index);
        char buffer[64];
        for (int precision = 6; precision <= 17; ++precision) {
            std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
            if (std::strtod(buffer, nullptr) == value) break;
        }
        return buffer;
    }
    default: return feature.GetFieldAsString(index);
    }
}

} // namespace

std::optional<std::size_t> PointLayer::field_index(const std::string& name) const {
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (fields[i] == name) return i;
    }
    return std::nullopt;
}

std::vector<std::string> list_layers(const std::filesystem::path& path) {
    const auto dataset = open_vector(path);
    std::vector<std::string> names;
    for (int i = 0; i < dataset->GetLayerCount(); ++i) {
        names.emplace_back(dataset->GetLayer(i)->GetName());
    }
    return names;
}

PointLayer read_point_layer(const std::filesystem::path& path, const std::string& layer_name) {
    const auto dataset = open_vector(path);
    PointLayer out;
    out.file = path.string();

    OGRLayer* layer = nullptr;
    if (layer_name.empty()) {
        if (dataset->GetLayerCount() == 0) {
            throw InputError("the dataset has no vector layer", Where{.file = out.file});
        }
        layer = dataset->GetLayer(0);
    } else {
        layer = dataset->GetLayerByName(layer_name.c_str());
        if (layer == nullptr) {
            std::string available;
            for (int i = 0; i < dataset->GetLayerCount(); ++i) {
                if (!available.empty()) available += ", ";
                available += dataset->GetLayer(i)->GetName();
            }
            throw InputError("no such layer (layers: " + available + ")",
                             Where{.file = out.file, .layer = layer_name});
        }
    }
    out.layer = layer->GetName();

    OGRFeatureDefn* defn = layer->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        out.fields.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
    }

    // Transform whatever the layer's CRS is into WGS84 lon/lat, longitude first.
    std::unique_ptr<OGRCoordinateTransformation> transform;
    const OGRSpatialReference* source_srs = layer->GetSpatialRef();
    if (source_srs == nullptr) {
        out.diagnostics.push_back(Diagnostic{
            Diagnostic::Severity::warning,
            "the layer has no coordinate reference system; coordinates are read as lon/lat "
            "degrees",
            Where{.file = out.file, .layer = out.layer}});
    } else {
        OGRSpatialReference source(*source_srs);
        source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        OGRSpatialReference wgs84;
        wgs84.importFromEPSG(4326);
        wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        if (!source.IsSame(&wgs84)) {
            transform.reset(OGRCreateCoordinateTransformation(&source, &wgs84));
            if (!transform) {
                throw InputError("cannot transform the layer's coordinate system to lon/lat",
                                 Where{.file = out.file, .layer = out.layer});
            }
        }
    }

    layer->ResetReading();
    std::unique_ptr<OGRFeature> feature;
    while (feature.reset(layer->GetNextFeature()), feature) {
        PointFeature row;
        row.fid = feature->GetFID();
        row.values.resize(out.fields.size());
        for (int i = 0; i < static_cast<int>(out.fields.size()); ++i) {
            if (!feature->IsFieldSetAndNotNull(i)) {
                row.null_fields.push_back(static_cast<std::size_t>(i));
                continue;
            }
            row.values[static_cast<std::size_t>(i)] = field_as_string(*feature, i);
        }
        const Where where{.file = out.file, .layer = out.layer, .feature = std::to_string(row.fid)};
        const OGRGeometry* geometry = feature->GetGeometryRef();
        const OGRPoint* point = nullptr;
        if (geometry == nullptr || geometry->IsEmpty()) {
            out.diagnostics.push_back(
                Diagnostic{Diagnostic::Severity::error, "the feature has no geometry", where});
        } else if (wkbFlatten(geometry->getGeometryType()) == wkbPoint) {
            point = geometry->toPoint();
        } else if (wkbFlatten(geometry->getGeometryType()) == wkbMultiPoint &&
                   geometry->toMultiPoint()->getNumGeometries() == 1) {
            point = geometry->toMultiPoint()->getGeometryRef(0);
        } else {
            out.diagnostics.push_back(
                Diagnostic{Diagnostic::Severity::error,
                           std::string("the geometry is a ") +
                               OGRGeometryTypeToName(geometry->getGeometryType()) + ", not a point",
                           where});
        }
        if (point != nullptr) {
            double x = point->getX();
            double y = point->getY();
            if (transform && !transform->Transform(1, &x, &y)) {
                out.diagnostics.push_back(Diagnostic{Diagnostic::Severity::error,
                                                     "the point cannot be transformed to lon/lat",
                                                     where});
            } else if (!std::isfinite(x) || !std::isfinite(y)) {
                out.diagnostics.push_back(Diagnostic{
                    Diagnostic::Severity::error, "the point has non-finite coordinates", where});
            } else {
                row.position = LonLat{x, y};
            }
        }
        out.features.push_back(std::move(row));
    }
    return out;
}

} // namespace sonae::geo
