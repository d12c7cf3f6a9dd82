#include "geo/projection.hpp"

#include "core/error.hpp"
#include "geo/detail/gdal_util.hpp"

#include <ogr_spatialref.h>

#include <array>
#include <cmath>
#include <limits>
#include <string>

namespace sonae::geo {

namespace {

struct Box {
    double lon_min, lon_max, lat_min, lat_max;
    bool contains(LonLat p) const {
        return p.lon >= lon_min && p.lon <= lon_max && p.lat >= lat_min && p.lat <= lat_max;
    }
};

struct ZonePlace {
    double lon;
    double lat;
    int zone; // 1..19
};

// Reference places (prefectural offices, and places marking zone borders within Hokkaido
// and the island groups), with their JGD2011 zone under MLIT notice 告示第9号 (2002).
constexpr ZonePlace zone_places[] = {
    // Kyushu, Okinawa, Kagoshima islands
    {129.87, 32.74, 1},  // Nagasaki
    {129.29, 34.20, 1},  // Tsushima (Nagasaki)
    {128.84, 32.70, 1},  // Goto (Nagasaki)
    {129.49, 28.38, 1},  // Amami (Kagoshima islands west of 130 E)
    {130.42, 33.61, 2},  // Fukuoka
    {130.30, 33.25, 2},  // Saga
    {130.74, 32.79, 2},  // Kumamoto
    {131.61, 33.24, 2},  // Oita
    {131.42, 31.91, 2},  // Miyazaki
    {130.56, 31.56, 2},  // Kagoshima
    {130.52, 30.36, 2},  // Yakushima (Kagoshima)
    {127.68, 26.21, 15}, // Naha (Okinawa main island)
    {125.28, 24.80, 16}, // Miyako
    {124.16, 24.34, 16}, // Ishigaki
    {131.24, 25.83, 17}, // Minamidaito
    {136.08, 20.42, 18}, // Okinotorishima
    {153.98, 24.28, 19}, // Minamitorishima
    {142.19, 27.09, 14}, // Chichijima (Ogasawara)
    // Chugoku, Shikoku
    {131.47, 34.19, 3}, // Yamaguchi
    {130.94, 33.96, 3}, // Shimonoseki (Yamaguchi), facing Kitakyushu across the strait
    {130.83, 33.86, 2}, // Kitakyushu (Fukuoka)
    {132.22, 33.93, 3}, // Suo-Oshima (Yamaguchi), facing Ehime
    {132.10, 33.96, 3}, // Yanai (Yamaguchi)
    {133.05, 35.47, 3}, // Matsue (Shimane)
    {132.46, 34.40, 3}, // Hiroshima
    {134.56, 34.07, 4}, // Tokushima
    {134.04, 34.34, 4}, // Takamatsu (Kagawa)
    {132.77, 33.84, 4}, // Matsuyama (Ehime)
    {133.53, 33.56, 4}, // Kochi
    {132.93, 32.99, 4}, // Shimanto (Kochi), facing Oita across the Bungo channel
    {135.18, 34.69, 5}, // Kobe (Hyogo)
    {134.24, 35.50, 5}, // Tottori
    {133.93, 34.66, 5}, // Okayama
    // Kinki, Chubu
    {135.76, 35.02, 6}, // Kyoto
    {135.52, 34.69, 6}, // Osaka
    {136.22, 36.07, 6}, // Fukui
    {135.87, 35.00, 6}, // Otsu (Shiga)
    {136.51, 34.73, 6}, // Tsu (Mie)
    {135.83, 34.69, 6}, // Nara
    {135.17, 34.23, 6}, // Wakayama
    {136.63, 36.59, 7}, // Kanazawa (Ishikawa)
    {137.21, 36.70, 7}, // Toyama
    {136.72, 35.39, 7}, // Gifu
    {136.91, 35.18, 7}, // Nagoya (Aichi)
    {139.02, 37.90, 8}, // Niigata
    {138.18, 36.65, 8}, // Nagano
    {138.57, 35.66, 8}, // Kofu (Yamanashi)
    {138.38, 34.98, 8}, // Shizuoka
    {137.73, 34.71, 8}, // Hamamatsu (Shizuoka), next to Aichi
    {138.86, 35.10, 8}, // Numazu (Shizuoka), next to Kanagawa
    // Kanto, Tohoku
    {139.69, 35.69, 9},  // Tokyo
    {140.47, 37.75, 9},  // Fukushima
    {139.88, 36.57, 9},  // Utsunomiya (Tochigi)
    {140.45, 36.34, 9},  // Mito (Ibaraki)
    {139.65, 35.86, 9},  // Saitama
    {140.12, 35.61, 9},  // Chiba
    {139.06, 36.39, 9},  // Maebashi (Gunma)
    {139.64, 35.45, 9},  // Yokohama (Kanagawa)
    {140.74, 40.82, 10}, // Aomori
    {140.10, 39.72, 10}, // Akita
    {140.36, 38.24, 10}, // Yamagata
    {141.15, 39.70, 10}, // Morioka (Iwate)
    {140.87, 38.27, 10}, // Sendai (Miyagi)
    // Hokkaido: zone XI west (Otaru, Hakodate, Shiribeshi, Oshima, Hiyama), XIII east
    // (Okhotsk, Tokachi, Kushiro, Nemuro), XII the rest.
    {140.73, 41.77, 11}, // Hakodate
    {141.00, 43.19, 11}, // Otaru
    {141.35, 43.06, 12}, // Sapporo
    {142.36, 43.77, 12}, // Asahikawa
    {143.20, 42.92, 13}, // Obihiro
    {144.38, 42.98, 13}, // Kushiro
};

// Not Japan inside the coarse box: Korean peninsula and Jeju, the Russian coast, the Kurils.
constexpr std::array<Box, 4> not_japan{{
    {124.0, 129.6, 34.75, 46.0},
    {124.0, 128.4, 33.0, 34.75},
    {124.0, 136.0, 36.5, 46.0},
    {145.6, 154.5, 43.55, 46.0},
}};

} // namespace

bool in_japan(LonLat p) {
    if (!Box{122.5, 154.5, 20.0, 45.8}.contains(p)) return false;
    for (const auto& box : not_japan) {
        if (box.contains(p)) return false;
    }
    return true;
}

int jgd2011_zone_epsg(LonLat p) {
    const double k = std::cos(p.lat * M_PI / 180.0);
    double best = std::numeric_limits<double>::max();
    int zone = 9;
    for (const auto& place : zone_places) {
        const double dx = (place.lon - p.lon) * k;
        const double dy = place.lat - p.lat;
        const double d2 = dx * dx + dy * dy;
        if (d2 < best) {
            best = d2;
            zone = place.zone;
        }
    }
    return 6668 + zone;
}

int utm_epsg(LonLat p) {
    int zone = static_cast<int>(std::floor((p.lon + 180.0) / 6.0)) + 1;
    zone = std::clamp(zone, 1, 60);
    // Norway and Svalbard exceptions of the UTM grid.
    if (p.lat >= 56.0 && p.lat < 64.0 && p.lon >= 3.0 && p.lon < 12.0) zone = 32;
    if (p.lat >= 72.0 && p.lat < 84.0) {
        if (p.lon >= 0.0 && p.lon < 9.0)
            zone = 31;
        else if (p.lon >= 9.0 && p.lon < 21.0)
            zone = 33;
        else if (p.lon >= 21.0 && p.lon < 33.0)
            zone = 35;
        else if (p.lon >= 33.0 && p.lon < 42.0)
            zone = 37;
    }
    return (p.lat >= 0.0 ? 32600 : 32700) + zone;
}

int choose_metric_epsg(LonLat p) {
    return in_japan(p) ? jgd2011_zone_epsg(p) : utm_epsg(p);
}

struct Projector::Impl {
    OGRSpatialReference metric;
    OGRSpatialReference geographic;
    std::unique_ptr<OGRCoordinateTransformation> forward;
    std::unique_ptr<OGRCoordinateTransformation> inverse;
};

Projector::Projector(int epsg) : m_impl(std::make_unique<Impl>()), m_epsg(epsg) {
    const detail::GdalErrorCapture gdal_errors;
    auto& m = *m_impl;
    if (m.metric.importFromEPSG(epsg) != OGRERR_NONE) {
        throw InputError("unknown coordinate reference system: " + detail::last_gdal_error(),
                         Where{.field = "EPSG", .value = std::to_string(epsg)});
    }
    if (!m.metric.IsProjected()) {
        throw InputError("not a projected (metric) coordinate reference system",
                         Where{.field = "EPSG", .value = std::to_string(epsg)});
    }
    m.metric.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    // Its own geographic base (JGD2011 for the Japanese zones): no datum shift involved.
    if (m.geographic.CopyGeogCSFrom(&m.metric) != OGRERR_NONE) {
        throw InternalError("cannot derive the geographic CRS of EPSG:" + std::to_string(epsg));
    }
    m.geographic.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    m.forward.reset(OGRCreateCoordinateTransformation(&m.geographic, &m.metric));
    m.inverse.reset(OGRCreateCoordinateTransformation(&m.metric, &m.geographic));
    if (!m.forward || !m.inverse) {
        throw InternalError("cannot create a transformation to EPSG:" + std::to_string(epsg) +
                            ": " + detail::last_gdal_error());
    }
}

Projector::~Projector() = default;
Projector::Projector(Projector&&) noexcept = default;
Projector& Projector::operator=(Projector&&) noexcept = default;

XY Projector::to_xy(LonLat p) const {
    const std::array<LonLat, 1> one{p};
    return to_xy(std::span<const LonLat>(one)).front();
}

LonLat Projector::to_lonlat(XY p) const {
    const std::array<XY, 1> one{p};
    return to_lonlat(std::span<const XY>(one)).front();
}

std::vector<XY> Projector::to_xy(std::span<const LonLat> points) const {
    std::vector<double> x(points.size());
    std::vector<double> y(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        x[i] = points[i].lon;
        y[i] = points[i].lat;
    }
    std::vector<int> ok(points.size(), 0);
    {
        const detail::GdalErrorCapture gdal_errors;
        if (!points.empty())
            m_impl->forward->Transform(points.size(), x.data(), y.data(), nullptr, ok.data());
    }
    std::vector<XY> out(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (!ok[i] || !std::isfinite(x[i]) || !std::isfinite(y[i])) {
            throw InputError("cannot project a point into EPSG:" + std::to_string(m_epsg),
                             Where{.field = "lon,lat",
                                   .value = std::to_string(points[i].lon) + "," +
                                            std::to_string(points[i].lat)});
        }
        out[i] = XY{x[i], y[i]};
    }
    return out;
}

std::vector<LonLat> Projector::to_lonlat(std::span<const XY> points) const {
    std::vector<double> x(points.size());
    std::vector<double> y(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        x[i] = points[i].x;
        y[i] = points[i].y;
    }
    std::vector<int> ok(points.size(), 0);
    {
        const detail::GdalErrorCapture gdal_errors;
        if (!points.empty())
            m_impl->inverse->Transform(points.size(), x.data(), y.data(), nullptr, ok.data());
    }
    std::vector<LonLat> out(points.size());
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (!ok[i] || !std::isfinite(x[i]) || !std::isfinite(y[i])) {
            throw InputError(
                "cannot convert a point from EPSG:" + std::to_string(m_epsg) + " to lon/lat",
                Where{.field = "x,y",
                      .value = std::to_string(points[i].x) + "," + std::to_string(points[i].y)});
        }
        out[i] = LonLat{x[i], y[i]};
    }
    return out;
}

std::string crs_name(int epsg) {
    const detail::GdalErrorCapture gdal_errors;
    OGRSpatialReference srs;
    if (srs.importFromEPSG(epsg) != OGRERR_NONE || srs.GetName() == nullptr) {
        return "EPSG:" + std::to_string(epsg);
    }
    return srs.GetName();
}

LonLat network_centre(const RoadNetwork& network) {
    const auto [lo, hi] = network.extent();
    return LonLat{(lo.lon + hi.lon) / 2.0, (lo.lat + hi.lat) / 2.0};
}

void RoadNetwork::project(int epsg) {
    if (!has_coordinates()) {
        throw InputError(
            "the network has no coordinates (a DIMACS graph?), so it cannot be projected");
    }
    if (epsg == 0) epsg = choose_metric_epsg(network_centre(*this));
    const Projector projector(epsg);
    m_xy = projector.to_xy(std::span<const LonLat>(m_lonlat));
    m_metric_epsg = epsg;
}

} // namespace sonae::geo
