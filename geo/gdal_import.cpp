#include "geo/gdal_import.hpp"

#include "core/error.hpp"
#include "geo/detail/gdal_util.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace sonae::geo {

namespace {

std::vector<std::string> split_list(std::string_view value) {
    std::vector<std::string> items;
    std::string current;
    auto flush = [&] {
        const auto first = current.find_first_not_of(" \t'\"");
        const auto last = current.find_last_not_of(" \t'\"");
        if (first != std::string::npos) items.push_back(current.substr(first, last - first + 1));
        current.clear();
    };
    for (char c : value) {
        if (c == '[' || c == ']') continue;
        if (c == ',') {
            flush();
        } else {
            current.push_back(c);
        }
    }
    flush();
    return items;
}

std::string first_item(std::string_view value) {
    auto items = split_list(value);
    return items.empty() ? std::string{} : items.front();
}

bool truthy(std::string_view v) {
    return v == "yes" || v == "1" || v == "true" || v == "True" || v == "TRUE";
}

struct Fields {
    int u = -1, v = -1, osmid = -1, highway = -1, oneway = -1, maxspeed = -1, lanes = -1,
        width = -1, est_width = -1, bridge = -1, tunnel = -1, access = -1, length = -1;
};

struct LinePart {
    std::vector<LonLat> points;
};

std::string describe_point(double x, double y) {
    return std::to_string(x) + "," + std::to_string(y);
}

// Node id for shared-endpoint topology: the coordinates rounded to 1e-7 degree, packed into
// 63 bits (lon needs 32 bits, lat 31), so equal ends get equal ids in any row order.
std::int64_t endpoint_id(LonLat p) {
    const auto lon = static_cast<std::int64_t>(std::llround(p.lon * 1e7)) + 1800000000LL;
    const auto lat = static_cast<std::int64_t>(std::llround(p.lat * 1e7)) + 900000000LL;
    return (lon << 31) | lat;
}

LonLat rounded(LonLat p) {
    return LonLat{static_cast<double>(std::llround(p.lon * 1e7)) / 1e7,
                  static_cast<double>(std::llround(p.lat * 1e7)) / 1e7};
}

} // namespace

RoadClass road_class_from_highway_list(std::string_view value) {
    const auto items = split_list(value);
    if (items.empty()) return RoadClass::other;
    auto best = RoadClass::other;
    for (const auto& item : items) {
        const auto c = road_class_from_osm(item);
        if (c == RoadClass::steps) return RoadClass::steps;
        if (static_cast<int>(c) < static_cast<int>(best)) best = c;
    }
    return best;
}

ImportResult import_gdal_lines(const std::filesystem::path& path, const std::string& layer_name) {
    const std::string file_name = path.string();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        throw InputError("file not found", Where{.file = file_name});
    }
    const detail::GdalErrorCapture gdal_errors;
    const auto dataset = detail::open_vector(path);
    if (!dataset) {
        throw InputError("not a vector GIS file that GDAL can read (" +
                             detail::last_gdal_error("unknown format") + ")",
                         Where{.file = file_name});
    }

    OGRLayer* layer = nullptr;
    if (!layer_name.empty()) {
        layer = dataset->GetLayerByName(layer_name.c_str());
        if (layer == nullptr) {
            std::string names;
            for (auto* l : dataset->GetLayers())
                names += (names.empty() ? "" : ", ") + std::string(l->GetName());
            throw InputError("no such layer (the file has: " + names + ")",
                             Where{.file = file_name, .layer = layer_name});
        }
    } else {
        for (auto* candidate : dataset->GetLayers()) {
            auto type = wkbFlatten(candidate->GetGeomType());
            if (type == wkbUnknown) {
                // GeoJSON and some others report no type: look at the first feature.
                candidate->ResetReading();
                std::unique_ptr<OGRFeature> first(candidate->GetNextFeature());
                if (first && first->GetGeometryRef() != nullptr) {
                    type = wkbFlatten(first->GetGeometryRef()->getGeometryType());
                }
                candidate->ResetReading();
            }
            if (type == wkbLineString || type == wkbMultiLineString) {
                layer = candidate;
                break;
            }
        }
        if (layer == nullptr) {
            throw InputError("no layer of lines (LineString/MultiLineString) in the file",
                             Where{.file = file_name});
        }
    }
    const std::string lname = layer->GetName();
    auto where = [&](std::string feature = {}, std::string field = {}, std::string value = {}) {
        return Where{.file = file_name,
                     .layer = lname,
                     .feature = std::move(feature),
                     .field = std::move(field),
                     .value = std::move(value)};
    };

    const OGRSpatialReference* source_srs = layer->GetSpatialRef();
    if (source_srs == nullptr) {
        throw InputError("the layer has no coordinate reference system (a Shapefile without "
                         ".prj?); cannot place it on the map",
                         where());
    }
    OGRSpatialReference src(*source_srs);
    src.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> to_lonlat(
        OGRCreateCoordinateTransformation(&src, &wgs84));
    if (!to_lonlat) {
        throw InputError(
            "cannot transform the layer's CRS to lon/lat: " + detail::last_gdal_error(), where());
    }

    const OGRFeatureDefn* defn = layer->GetLayerDefn();
    Fields f;
    f.u = defn->GetFieldIndex("u");
    f.v = defn->GetFieldIndex("v");
    f.osmid = defn->GetFieldIndex("osmid");
    f.highway = defn->GetFieldIndex("highway");
    f.oneway = defn->GetFieldIndex("oneway");
    f.maxspeed = defn->GetFieldIndex("maxspeed");
    f.lanes = defn->GetFieldIndex("lanes");
    f.width = defn->GetFieldIndex("width");
    f.est_width = defn->GetFieldIndex("est_width");
    f.bridge = defn->GetFieldIndex("bridge");
    f.tunnel = defn->GetFieldIndex("tunnel");
    f.access = defn->GetFieldIndex("access");
    f.length = defn->GetFieldIndex("length");
    const bool uv_topology = f.u >= 0 && f.v >= 0;

    struct Row {
        std::int64_t fid;
        std::int64_t u = 0, v = 0;
        EdgeAttributes attributes;
        OnewayKind oneway = OnewayKind::both;
        bool has_length = false;
        std::vector<LinePart> parts;
    };
    std::vector<Row> rows;
    ImportResult result;
    std::size_t skipped_empty = 0;
    std::int64_t example_empty = -1;

    auto string_field = [](const OGRFeature& feature, int index) -> std::string {
        if (index < 0 || !feature.IsFieldSetAndNotNull(index)) return {};
        return feature.GetFieldAsString(index);
    };
    auto node_field = [&](const OGRFeature& feature, int index, const char* name) {
        const std::string fid = "FID " + std::to_string(feature.GetFID());
        if (!feature.IsFieldSetAndNotNull(index)) {
            throw InputError("missing node id", where(fid, name, ""));
        }
        const auto type = defn->GetFieldDefn(index)->GetType();
        if (type == OFTInteger || type == OFTInteger64)
            return static_cast<std::int64_t>(feature.GetFieldAsInteger64(index));
        if (type == OFTReal) {
            const double d = feature.GetFieldAsDouble(index);
            if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9.0e15) {
                throw InputError("node id is not an integer",
                                 where(fid, name, feature.GetFieldAsString(index)));
            }
            return static_cast<std::int64_t>(d);
        }
        const std::string text = feature.GetFieldAsString(index);
        std::int64_t id = 0;
        const auto [ptr, err] = std::from_chars(text.data(), text.data() + text.size(), id);
        if (err != std::errc{} || ptr != text.data() + text.size()) {
            throw InputError("node id is not an integer", where(fid, name, text));
        }
        return id;
    };

    layer->ResetReading();
    for (auto& feature_ptr : *layer) {
        const OGRFeature& feature = *feature_ptr;
        Row row;
        row.fid = feature.GetFID();
        const std::string fid = "FID " + std::to_string(row.fid);
        const OGRGeometry* geometry = feature.GetGeometryRef();
        std::vector<const OGRLineString*> lines;
        if (geometry != nullptr) {
            const auto type = wkbFlatten(geometry->getGeometryType());
            if (type == wkbLineString) {
                lines.push_back(geometry->toLineString());
            } else if (type == wkbMultiLineString) {
                for (const auto* part : *geometry->toMultiLineString()) lines.push_back(part);
            } else {
                throw InputError(std::string("not a line geometry (") +
                                     geometry->getGeometryName() + ")",
                                 where(fid, "geometry", geometry->getGeometryName()));
            }
        }
        for (const auto* line : lines) {
            const int n = line->getNumPoints();
            if (n < 2) continue;
            std::vector<double> x(static_cast<std::size_t>(n));
            std::vector<double> y(static_cast<std::size_t>(n));
            for (int i = 0; i < n; ++i) {
                x[static_cast<std::size_t>(i)] = line->getX(i);
                y[static_cast<std::size_t>(i)] = line->getY(i);
            }
            std::vector<int> ok(static_cast<std::size_t>(n), 0);
            to_lonlat->Transform(static_cast<std::size_t>(n), x.data(), y.data(), nullptr,
                                 ok.data());
            LinePart part;
            part.points.reserve(static_cast<std::size_t>(n));
            for (int i = 0; i < n; ++i) {
                const auto k = static_cast<std::size_t>(i);
                if (!ok[k] || !std::isfinite(x[k]) || !std::isfinite(y[k]) || x[k] < -180.0 ||
                    x[k] > 180.0 || y[k] < -90.0 || y[k] > 90.0) {
                    throw InputError(
                        "coordinates out of range (or not transformable to lon/lat)",
                        where(fid, "geometry", describe_point(line->getX(i), line->getY(i))));
                }
                part.points.push_back(LonLat{x[k], y[k]});
            }
            row.parts.push_back(std::move(part));
        }
        if (row.parts.empty()) {
            ++skipped_empty;
            if (example_empty < 0) example_empty = row.fid;
            continue;
        }
        if (uv_topology) {
            row.u = node_field(feature, f.u, "u");
            row.v = node_field(feature, f.v, "v");
        }
        auto& a = row.attributes;
        const auto highway = string_field(feature, f.highway);
        a.road_class = highway.empty() ? RoadClass::road : road_class_from_highway_list(highway);
        a.original_id = row.fid;
        if (const auto osmid = first_item(string_field(feature, f.osmid)); !osmid.empty()) {
            std::int64_t id = 0;
            const auto [ptr, err] = std::from_chars(osmid.data(), osmid.data() + osmid.size(), id);
            if (err == std::errc{} && ptr == osmid.data() + osmid.size()) a.original_id = id;
        }
        if (auto s = parse_maxspeed_kmh(first_item(string_field(feature, f.maxspeed))))
            a.maxspeed_kmh = *s;
        if (auto l = parse_lanes(first_item(string_field(feature, f.lanes)))) a.lanes = *l;
        auto width = parse_width_dm(first_item(string_field(feature, f.width)));
        if (!width) width = parse_width_dm(first_item(string_field(feature, f.est_width)));
        if (width) a.width_dm = *width;
        const auto bridge = first_item(string_field(feature, f.bridge));
        if (!bridge.empty() && bridge != "no" && bridge != "False" && bridge != "0")
            a.flags |= edge_bridge;
        const auto tunnel = first_item(string_field(feature, f.tunnel));
        if (!tunnel.empty() && tunnel != "no" && tunnel != "False" && tunnel != "0")
            a.flags |= edge_tunnel;
        // OSMnx tables carry no foot tag (walk networks already dropped foot=no ways), so
        // access=no closes the edge to cars only.
        if (first_item(string_field(feature, f.access)) == "no") a.flags |= edge_no_motor;
        if (a.road_class == RoadClass::motorway || a.road_class == RoadClass::motorway_link) {
            a.flags |= edge_no_foot;
        }
        if (f.length >= 0 && feature.IsFieldSetAndNotNull(f.length)) {
            const double length = feature.GetFieldAsDouble(f.length);
            if (std::isfinite(length) && length > 0.0) {
                a.length_m = length;
                row.has_length = true;
            }
        }
        const auto oneway = first_item(string_field(feature, f.oneway));
        if (truthy(oneway)) {
            row.oneway = OnewayKind::forward;
        } else if (oneway == "-1" || oneway == "reverse") {
            row.oneway = OnewayKind::backward;
        }
        rows.push_back(std::move(row));
    }

    if (skipped_empty > 0) {
        result.diagnostics.push_back(Diagnostic{
            Diagnostic::Severity::warning,
            std::to_string(skipped_empty) + " feature(s) without a usable line geometry skipped",
            where("FID " + std::to_string(example_empty), "geometry")});
    }
    if (rows.empty()) {
        throw InputError("no road: the layer has no line with two or more points", where());
    }

    auto polyline_length = [](const std::vector<LonLat>& pts) {
        double sum = 0.0;
        for (std::size_t i = 1; i < pts.size(); ++i) sum += haversine_m(pts[i - 1], pts[i]);
        return sum;
    };

    RoadNetworkBuilder builder;
    if (uv_topology) {
        // A node's position: the end point its rows agree on most often (ties: the
        // smallest), so the result does not depend on row order.
        std::vector<std::tuple<std::int64_t, double, double>> candidates;
        candidates.reserve(rows.size() * 2);
        for (const auto& row : rows) {
            candidates.emplace_back(row.u, row.parts.front().points.front().lon,
                                    row.parts.front().points.front().lat);
            candidates.emplace_back(row.v, row.parts.back().points.back().lon,
                                    row.parts.back().points.back().lat);
        }
        std::sort(candidates.begin(), candidates.end());
        std::size_t disagreeing = 0;
        for (std::size_t i = 0; i < candidates.size();) {
            const auto id = std::get<0>(candidates[i]);
            std::size_t best_count = 0;
            std::size_t best_at = i;
            std::size_t j = i;
            bool several = false;
            while (j < candidates.size() && std::get<0>(candidates[j]) == id) {
                std::size_t k = j;
                while (k < candidates.size() && candidates[k] == candidates[j]) ++k;
                if (j != i) several = true;
                if (k - j > best_count) {
                    best_count = k - j;
                    best_at = j;
                }
                j = k;
            }
            if (several) ++disagreeing;
            builder.add_node(
                id, LonLat{std::get<1>(candidates[best_at]), std::get<2>(candidates[best_at])});
            i = j;
        }
        if (disagreeing > 0) {
            result.diagnostics.push_back(Diagnostic{
                Diagnostic::Severity::info,
                std::to_string(disagreeing) + " node(s) whose rows place them at slightly "
                                              "different points; the most common point was used",
                where()});
        }
        for (const auto& row : rows) {
            std::vector<LonLat> pts;
            for (const auto& part : row.parts)
                pts.insert(pts.end(), part.points.begin(), part.points.end());
            auto attributes = row.attributes;
            if (!row.has_length) attributes.length_m = polyline_length(pts);
            const auto u = builder.add_node(row.u);
            const auto v = builder.add_node(row.v);
            const std::span<const LonLat> inner(pts.data() + 1, pts.size() - 2);
            builder.add_edge(u, v, attributes, inner);
        }
    } else {
        for (const auto& row : rows) {
            for (const auto& part : row.parts) {
                std::vector<LonLat> pts = part.points;
                pts.front() = rounded(pts.front());
                pts.back() = rounded(pts.back());
                auto attributes = row.attributes;
                // A layer length belongs to the whole feature: use it only for a single part.
                if (!row.has_length || row.parts.size() > 1)
                    attributes.length_m = polyline_length(pts);
                const auto a = builder.add_node(endpoint_id(pts.front()), pts.front());
                const auto b = builder.add_node(endpoint_id(pts.back()), pts.back());
                std::vector<LonLat> reversed_pts(pts.rbegin(), pts.rend());
                const std::span<const LonLat> inner(pts.data() + 1, pts.size() - 2);
                const std::span<const LonLat> inner_back(reversed_pts.data() + 1,
                                                         reversed_pts.size() - 2);
                auto against = attributes;
                against.flags |= edge_against_oneway;
                switch (row.oneway) {
                case OnewayKind::both:
                    builder.add_edge(a, b, attributes, inner);
                    builder.add_edge(b, a, attributes, inner_back);
                    break;
                case OnewayKind::forward:
                    builder.add_edge(a, b, attributes, inner);
                    builder.add_edge(b, a, against, inner_back);
                    break;
                case OnewayKind::backward:
                    builder.add_edge(b, a, attributes, inner_back);
                    builder.add_edge(a, b, against, inner);
                    break;
                }
            }
        }
    }
    if (builder.edge_count() == 0) throw InputError("no road edge in the layer", where());
    result.network = std::move(builder).build();
    return result;
}

} // namespace sonae::geo
