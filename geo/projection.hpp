#pragma once
/// Lon/lat <-> metric x/y through GDAL/PROJ, and the choice of a metric CRS from the data's
/// location: a JGD2011 plane rectangular zone (EPSG 6669..6687) in Japan, WGS84 UTM
/// (EPSG 326xx north / 327xx south) elsewhere. Axis order is always lon,lat / x(east),y(north)
/// (OAMS_TRADITIONAL_GIS_ORDER on both sides), whatever the EPSG definition says.

#include "geo/road_network.hpp"

#include <memory>
#include <span>
#include <string>
#include <vector>

namespace sonae::geo {

/// True if the point lies in Japan's territory box, as far as CRS choice goes (a coarse
/// test: a box from 122.5 to 154.5 E, 20 to 45.8 N, less the Korean peninsula, the Russian
/// coast and the Kurils beyond Nemuro).
bool in_japan(LonLat p);

/// JGD2011 plane rectangular zone EPSG code (6669 = zone I ... 6687 = zone XIX) for a point
/// in Japan. The zone of a prefecture is set by MLIT notice 告示第9号 (2002). The point is
/// matched to the nearest of ~60 reference places (prefectural offices, plus places that
/// mark zone borders inside Hokkaido, Okinawa, Tokyo's and Kagoshima's islands) whose
/// zone is known: Yamaguchi gives 6671 (III), Kochi 6672 (IV), Shizuoka 6676 (VIII). Near
/// a prefecture border the neighbouring zone may be chosen; the extra scale error stays
/// below ~0.03 %, which is immaterial for routing lengths.
int jgd2011_zone_epsg(LonLat p);

/// UTM zone on WGS84 for a point: 32601..32660 north, 32701..32760 south.
int utm_epsg(LonLat p);

/// The metric CRS for data centred on `p`: jgd2011_zone_epsg in Japan, utm_epsg elsewhere.
int choose_metric_epsg(LonLat p);

/// Transforms between lon/lat (the geographic CRS the metric CRS is based on: JGD2011 for
/// the Japanese zones, WGS84 for UTM) and a metric CRS. Build once, transform many.
/// Not thread-safe (one PROJ context per object); make one per thread.
class Projector {
public:
    /// Throws InputError if `epsg` is unknown to PROJ or not a projected CRS.
    explicit Projector(int epsg);
    ~Projector();
    Projector(Projector&&) noexcept;
    Projector& operator=(Projector&&) noexcept;
    Projector(const Projector&) = delete;
    Projector& operator=(const Projector&) = delete;

    int epsg() const noexcept { return m_epsg; }
    /// lon/lat degrees -> metres. Throws InputError if the point cannot be transformed.
    XY to_xy(LonLat p) const;
    /// metres -> lon/lat degrees.
    LonLat to_lonlat(XY p) const;
    /// Batch forms (faster than one call per point).
    std::vector<XY> to_xy(std::span<const LonLat> points) const;
    std::vector<LonLat> to_lonlat(std::span<const XY> points) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    int m_epsg = 0;
};

/// The name PROJ gives an EPSG code ("JGD2011 / Japan Plane Rectangular CS III"), or
/// "EPSG:<code>" if it is unknown.
std::string crs_name(int epsg);

/// The centre used to choose a network's CRS: the middle of its lon/lat extent.
/// Precondition: network.has_coordinates().
LonLat network_centre(const RoadNetwork& network);

} // namespace sonae::geo
