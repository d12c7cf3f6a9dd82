#include "planner/municipality.hpp"

#include "geo/input_file.hpp"
#include "planner/csv.hpp"
#include "planner/detail/registry_text.hpp"

// GCC 12 at -O2 warns that Boost.Geometry's envelope state "may be used uninitialized" inside
// boost/geometry/algorithms/detail/expand/indexed.hpp (a known false positive of the library's
// code, not ours); silenced for these headers only so that -Werror builds (CI) stay possible.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <boost/geometry.hpp>
#include <boost/geometry/geometries/multi_polygon.hpp>
#include <boost/geometry/geometries/point_xy.hpp>
#include <boost/geometry/geometries/polygon.hpp>
#pragma GCC diagnostic pop
#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>

namespace sonae::planner {

namespace detail {
extern const std::string_view kN03GeoJson;
extern const std::string_view kN03KochiGeoJson;
extern const std::string_view kMunicipalitiesToml;
} // namespace detail

std::string_view to_string(SupportRegion region) {
    return region == SupportRegion::east ? "east" : "west";
}

MunicipalityTable::MunicipalityTable(std::vector<Municipality> municipalities,
                                     std::vector<SupportCentre> centres)
    : m_municipalities(std::move(municipalities)), m_centres(std::move(centres)) {
    std::sort(m_municipalities.begin(), m_municipalities.end(),
              [](const Municipality& a, const Municipality& b) { return a.code < b.code; });
}

const Municipality* MunicipalityTable::find(std::string_view code_or_name) const {
    const std::string text = detail::trim(detail::fold_width(code_or_name));
    if (auto code = detail::canonical_municipality_code(text)) {
        for (const auto& m : m_municipalities) {
            if (m.code == *code) return &m;
        }
        return nullptr;
    }
    const std::string key = normalize_key(text);
    for (const auto& m : m_municipalities) {
        if (key == normalize_key(m.name_ja) || key == normalize_key(m.name_en) ||
            key == normalize_key("山口県" + m.name_ja)) {
            return &m;
        }
    }
    return nullptr;
}

const SupportCentre* MunicipalityTable::centre(SupportRegion region) const {
    for (const auto& c : m_centres) {
        if (c.region == region) return &c;
    }
    return nullptr;
}

const SupportCentre* MunicipalityTable::centre_for(std::string_view code_or_name) const {
    const Municipality* m = find(code_or_name);
    return m ? centre(m->centre) : nullptr;
}

namespace {

std::string get_string(const toml::table& t, const char* key, const std::string& origin,
                       const std::string& where, bool required) {
    const toml::node* node = t.get(key);
    if (node == nullptr) {
        if (required)
            throw InputError("missing key", Where{.file = origin, .layer = where, .field = key});
        return {};
    }
    auto value = node->value<std::string>();
    if (!value) {
        throw InputError(
            "must be a string",
            Where{.file = origin, .layer = where, .line = node->source().begin.line, .field = key});
    }
    return *value;
}

SupportRegion parse_region(const std::string& text, const std::string& origin,
                           const std::string& where) {
    if (text == "east") return SupportRegion::east;
    if (text == "west") return SupportRegion::west;
    throw InputError("centre must be east or west",
                     Where{.file = origin, .layer = where, .field = "centre", .value = text});
}

} // namespace

MunicipalityTable parse_municipalities(std::string_view toml_text, const std::string& origin) {
    toml::table root;
    try {
        root = toml::parse(toml_text, origin);
    } catch (const toml::parse_error& e) {
        throw InputError("not valid TOML: " + std::string(e.description()),
                         Where{.file = origin, .line = e.source().begin.line});
    }
    std::vector<SupportCentre> centres;
    if (const toml::table* cs = root["centres"].as_table()) {
        for (const auto& [key, node] : *cs) {
            const std::string where = "centres." + std::string(key.str());
            const toml::table* t = node.as_table();
            if (t == nullptr)
                throw InputError("must be a table", Where{.file = origin, .layer = where});
            SupportCentre c;
            c.region = parse_region(std::string(key.str()), origin, where);
            c.name_ja = get_string(*t, "name_ja", origin, where, true);
            c.operator_ja = get_string(*t, "operator_ja", origin, where, false);
            c.address_ja = get_string(*t, "address_ja", origin, where, false);
            c.phone = get_string(*t, "phone", origin, where, false);
            c.fax = get_string(*t, "fax", origin, where, false);
            c.email = get_string(*t, "email", origin, where, false);
            c.hours = get_string(*t, "hours", origin, where, false);
            centres.push_back(std::move(c));
        }
    }
    std::vector<Municipality> list;
    const toml::array* array = root["municipalities"].as_array();
    if (array == nullptr) throw InputError("no [[municipalities]] entries", Where{.file = origin});
    std::size_t index = 0;
    for (const auto& node : *array) {
        const std::string where = "municipalities[" + std::to_string(index++) + "]";
        const toml::table* t = node.as_table();
        if (t == nullptr)
            throw InputError("must be a table", Where{.file = origin, .layer = where});
        Municipality m;
        const std::string code = get_string(*t, "code", origin, where, true);
        const auto canonical = detail::canonical_municipality_code(code);
        if (!canonical || canonical->size() != 6 || *canonical != code) {
            throw InputError("code must be a 6-digit JIS code with a valid check digit",
                             Where{.file = origin, .layer = where, .field = "code", .value = code});
        }
        m.code = code;
        m.code5 = code.substr(0, 5);
        m.name_ja = get_string(*t, "name_ja", origin, where, true);
        m.name_en = get_string(*t, "name_en", origin, where, true);
        m.id_prefix = get_string(*t, "id_prefix", origin, where, false);
        if (m.id_prefix.empty()) m.id_prefix = detail::lower_ascii(m.name_en).substr(0, 3);
        m.centre = parse_region(get_string(*t, "centre", origin, where, true), origin, where);
        m.council_ja = get_string(*t, "council_ja", origin, where, false);
        if (const toml::node* s = t->get("council_statutory"))
            m.council_statutory = s->value<bool>().value_or(false);
        if (const toml::array* offices = (*t)["coordinator_offices"].as_array()) {
            for (const auto& o : *offices) {
                if (auto v = o.value<std::string>()) m.coordinator_offices.push_back(*v);
            }
        }
        m.notes = get_string(*t, "notes", origin, where, false);
        if (std::any_of(list.begin(), list.end(),
                        [&](const Municipality& x) { return x.code == m.code; })) {
            throw InputError("duplicate municipality code",
                             Where{.file = origin, .layer = where, .field = "code", .value = code});
        }
        list.push_back(std::move(m));
    }
    return MunicipalityTable(std::move(list), std::move(centres));
}

MunicipalityTable load_municipalities(const std::filesystem::path& path) {
    return parse_municipalities(read_input_file(path, "municipality table"), path.string());
}

const MunicipalityTable& yamaguchi_municipalities() {
    static const MunicipalityTable table = parse_municipalities(
        detail::kMunicipalitiesToml, "built-in data/yamaguchi_municipalities.toml");
    return table;
}

namespace {

namespace bg = boost::geometry;
// Kilometres east and north of (0, 0) at Yamaguchi's latitude (34°N): near enough for
// distances of a few km, where the 1 % outline is itself 100 m-1 km off.
using KmPoint = bg::model::d2::point_xy<double>;
using KmPolygon = bg::model::polygon<KmPoint>;
using KmMultiPolygon = bg::model::multi_polygon<KmPolygon>;
constexpr double kKmPerDegLon = 111.32 * 0.8290375725550417; // cos(34°)
constexpr double kKmPerDegLat = 110.9;

KmPoint km(double lon, double lat) {
    return {lon * kKmPerDegLon, lat * kKmPerDegLat};
}

struct Outline {
    KmMultiPolygon shape;
    bg::model::box<KmPoint> box;
    std::string name_ja; ///< N03_004 (高知市)
};

const std::map<std::string, Outline>& outlines() {
    static const std::map<std::string, Outline> table = [] {
        std::map<std::string, Outline> out;
        for (const std::string_view text : {detail::kN03GeoJson, detail::kN03KochiGeoJson}) {
            const auto doc = nlohmann::json::parse(text);
            for (const auto& f : doc.at("features")) {
                const std::string code5 = f.at("properties").at("N03_007").get<std::string>();
                const auto& g = f.at("geometry");
                const std::string type = g.at("type").get<std::string>();
                std::vector<nlohmann::json> polygons;
                if (type == "Polygon")
                    polygons.push_back(g.at("coordinates"));
                else
                    for (const auto& p : g.at("coordinates")) polygons.push_back(p);
                Outline& o = out[code5 + detail::jis_check_digit(code5)];
                if (const auto& name = f.at("properties").value("N03_004", nlohmann::json());
                    name.is_string())
                    o.name_ja = name.get<std::string>();
                for (const auto& rings : polygons) {
                    KmPolygon polygon;
                    for (std::size_t r = 0; r < rings.size(); ++r) {
                        if (r > 0) polygon.inners().emplace_back();
                        auto& ring = r == 0 ? polygon.outer() : polygon.inners().back();
                        for (const auto& p : rings[r])
                            ring.push_back(km(p.at(0).get<double>(), p.at(1).get<double>()));
                    }
                    bg::correct(polygon);
                    o.shape.push_back(std::move(polygon));
                }
                o.box = bg::return_envelope<bg::model::box<KmPoint>>(o.shape);
            }
        }
        return out;
    }();
    return table;
}

} // namespace

std::optional<double> metres_off_land(geo::LonLat point) {
    const KmPoint p = km(point.lon, point.lat);
    double nearest_box_km = std::numeric_limits<double>::infinity();
    for (const auto& [code, outline] : outlines()) {
        if (bg::covered_by(p, outline.box) && bg::covered_by(p, outline.shape)) return 0.0;
        nearest_box_km = std::min(nearest_box_km, bg::distance(p, outline.box));
    }
    if (nearest_box_km > 20.0) return std::nullopt;
    double km_off = std::numeric_limits<double>::infinity();
    for (const auto& [code, outline] : outlines()) {
        if (bg::distance(p, outline.box) < km_off)
            km_off = std::min(km_off, bg::distance(p, outline.shape));
    }
    return km_off * 1000.0;
}

bool NetworkExtent::near(geo::LonLat point, double margin_m) const {
    if (!m_network->has_coordinates() || m_network->node_count() == 0) return false;
    if (!m_extent) m_extent = m_network->extent();
    const auto [lo, hi] = *m_extent;
    const double dlat = margin_m / 1000.0 / kKmPerDegLat;
    const double dlon = margin_m / 1000.0 / (111.32 * std::cos(point.lat * M_PI / 180.0));
    return point.lon >= lo.lon - dlon && point.lon <= hi.lon + dlon && point.lat >= lo.lat - dlat &&
           point.lat <= hi.lat + dlat;
}

std::optional<std::string> off_land_reason(geo::LonLat point, std::optional<double> road_m) {
    const auto off = metres_off_land(point);
    if (!off || *off <= 0.0) return std::nullopt;
    const auto metres = [](double m) {
        if (m < 1000.0) return std::to_string(static_cast<long long>(std::llround(m))) + " m";
        char km[32];
        std::snprintf(km, sizeof km, "%.1f km", m / 1000.0);
        return std::string(km);
    };
    const std::string outline =
        " off the land of the bundled outlines of 山口県 and 高知県 (国土数値情報 N03, simplified; "
        "real sites lie within " +
        metres(kOffLandToleranceM) + " of them)";
    if (*off > kOffLandToleranceM)
        return "lies " + metres(*off) + outline + ": in the sea, or in another prefecture?";
    if (road_m && *road_m > kOffLandRoadM) {
        return "lies " + metres(*off) + outline + " and " + metres(*road_m) +
               " from the nearest road of the network: in the sea off the coast?";
    }
    return std::nullopt;
}

std::string municipality_name_ja(std::string_view code) {
    if (const auto* m = yamaguchi_municipalities().find(code)) return m->name_ja;
    const auto& table = outlines();
    if (const auto it = table.find(std::string(code));
        it != table.end() && !it->second.name_ja.empty())
        return it->second.name_ja;
    return std::string(code);
}

std::optional<double> metres_outside_municipality(std::string_view code, geo::LonLat point) {
    const auto& table = outlines();
    const auto it = table.find(std::string(code));
    if (it == table.end()) return std::nullopt;
    const KmPoint p = km(point.lon, point.lat);
    if (bg::covered_by(p, it->second.box) && bg::covered_by(p, it->second.shape)) return 0.0;
    return bg::distance(p, it->second.shape) * 1000.0;
}

} // namespace sonae::planner
