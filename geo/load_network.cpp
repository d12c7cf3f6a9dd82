#include "geo/load_network.hpp"

#include "core/error.hpp"
#include "geo/dimacs.hpp"
#include "geo/gdal_import.hpp"
#include "geo/input_file.hpp"

#include <algorithm>
#include <cctype>

namespace sonae::geo {

namespace {

enum class Format { unknown, osm, dimacs, gis };

std::string lower_name(const std::filesystem::path& path) {
    std::string name = path.filename().string();
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return name;
}

bool ends_with(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

Format format_of(const std::filesystem::path& path) {
    const auto name = lower_name(path);
    for (auto suffix : {".osm.pbf", ".pbf", ".osm", ".osm.gz", ".osm.bz2"}) {
        if (ends_with(name, suffix)) return Format::osm;
    }
    if (ends_with(name, ".gr")) return Format::dimacs;
    for (auto suffix : {".gpkg", ".shp", ".geojson", ".json"}) {
        if (ends_with(name, suffix)) return Format::gis;
    }
    return Format::unknown;
}

} // namespace

std::string network_format_name(const std::filesystem::path& path) {
    const auto name = lower_name(path);
    switch (format_of(path)) {
    case Format::osm:
        if (ends_with(name, ".pbf")) return "OpenStreetMap PBF";
        if (ends_with(name, ".gz")) return "OpenStreetMap XML (gzip)";
        if (ends_with(name, ".bz2")) return "OpenStreetMap XML (bzip2)";
        return "OpenStreetMap XML";
    case Format::dimacs: return "DIMACS graph";
    case Format::gis:
        if (ends_with(name, ".gpkg")) return "GeoPackage";
        if (ends_with(name, ".shp")) return "Shapefile";
        return "GeoJSON";
    case Format::unknown: break;
    }
    return {};
}

ImportResult import_road_network(const std::filesystem::path& path, const LoadOptions& options) {
    // A FIFO or a device blocks or never ends in every reader (issue 24 item 2).
    check_not_special_file(path, "road network");
    ImportResult result;
    switch (format_of(path)) {
    case Format::osm: result = import_osm(path); break;
    case Format::dimacs: result.network = read_dimacs(path); break;
    case Format::gis: result = import_gdal_lines(path, options.layer); break;
    case Format::unknown:
        throw InputError("unknown road network format (expected .osm.pbf, .osm, .osm.gz, "
                         ".osm.bz2, .gr, .gpkg, .shp, .geojson or .json)",
                         Where{.file = path.string()});
    }
    if (options.project && result.network.has_coordinates()) {
        result.network.project(options.metric_epsg);
    }
    return result;
}

RoadNetwork load_road_network(const std::filesystem::path& path, const LoadOptions& options) {
    return import_road_network(path, options).network;
}

} // namespace sonae::geo
