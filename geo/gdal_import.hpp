#pragma once
/// Road networks from GIS line layers (GeoPackage, Shapefile, GeoJSON, or any vector format
/// GDAL reads) in any CRS; coordinates are transformed to lon/lat.
///
/// Topology:
///  - With `u` and `v` columns (OSMnx edge tables such as the Ube GeoPackage): each row is
///    one directed edge u -> v, as given (OSMnx already writes one row per direction, so
///    rows are not doubled). u/v may be stored as Real (cast to int64), Integer or text.
///    The first point of the geometry is u's position, the last v's.
///  - Without them: nodes are the line end points, merged when their lon/lat agree after
///    rounding to 1e-7 degree (~1 cm); the node id is derived from those rounded
///    coordinates, so it does not depend on row order. Each line gives both directions
///    unless `oneway` says otherwise (yes/true/1: forward only plus an against_oneway
///    reverse; -1/reverse: the opposite).
///
/// Attributes read when present: highway (without it, RoadClass::road), oneway, maxspeed,
/// lanes, width (or est_width), bridge, tunnel, access, osmid (first id of a list ->
/// original edge id, else the FID), length (metres; used when positive, else computed by
/// haversine along the geometry).
/// A merged OSMnx edge may carry a list such as "path,residential" or "['a', 'b']": the
/// most important class in RoadClass order (motorway first) is kept, except that an edge
/// containing steps is classed steps, because no wheel can pass it.
/// MultiLineString parts are joined in order into one polyline (u/v rows), or taken as
/// separate lines (shared-endpoint topology).

#include "geo/osm_import.hpp"

#include <filesystem>
#include <string>

namespace sonae::geo {

/// Reads a line layer into a road network (lon/lat; not projected). `layer` empty = the
/// first layer whose geometry type is (multi)linestring. Throws InputError naming the file,
/// layer, feature, field and value for: a missing file, a format GDAL cannot open, a
/// missing layer, a layer without lines or without CRS, coordinates out of range after
/// transformation, a u/v value that is not an integer, and an empty graph.
ImportResult import_gdal_lines(const std::filesystem::path& path, const std::string& layer = {});

/// The RoadClass of a highway value that may be a list ("path,residential", "['a', 'b']"),
/// by the rule above. Unknown values give RoadClass::other.
RoadClass road_class_from_highway_list(std::string_view value);

} // namespace sonae::geo
