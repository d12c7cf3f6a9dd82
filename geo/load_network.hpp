#pragma once
/// One entry point for every road-network format: picks the importer by file extension,
/// then projects the result into a metric CRS (geo/projection.hpp).
///
///   .osm.pbf .pbf .osm .osm.gz .osm.bz2   OpenStreetMap (geo/osm_import.hpp)
///   .gr                                   DIMACS graph, no coordinates (geo/dimacs.hpp)
///   .gpkg .shp .geojson .json             GIS line layer (geo/gdal_import.hpp)

#include "geo/osm_import.hpp"
#include "geo/road_network.hpp"

#include <filesystem>
#include <string>

namespace sonae::geo {

/// Options for load_road_network.
struct LoadOptions {
    /// Metric CRS for xy: 0 chooses from the data's location (JGD2011 zone in Japan, UTM
    /// elsewhere). Ignored for graphs without coordinates.
    int metric_epsg = 0;
    /// Whether to project at all (false keeps lon/lat only).
    bool project = true;
    /// GIS layer name; empty = the first line layer.
    std::string layer;
};

/// The format load_road_network would use for `path`, e.g. "OpenStreetMap PBF", or an
/// empty string if the extension is not one it knows.
std::string network_format_name(const std::filesystem::path& path);

/// Loads and (unless options.project is false) projects a road network, with the data
/// warnings the importer met. Throws InputError naming the file for an unknown extension
/// and for everything the importers reject.
ImportResult import_road_network(const std::filesystem::path& path,
                                 const LoadOptions& options = {});

/// As import_road_network, without the diagnostics.
RoadNetwork load_road_network(const std::filesystem::path& path, const LoadOptions& options = {});

} // namespace sonae::geo
