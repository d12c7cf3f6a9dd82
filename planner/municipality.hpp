#pragma once
/// The 19 municipalities of Yamaguchi Prefecture with their JIS codes, the prefectural
/// support centre (East or West) that serves them, their council (協議の場) and their
/// coordinator offices (医療的ケア児等コーディネーター配置先), for contacts in outputs.
/// Data: data/yamaguchi_municipalities.toml (compiled in), from the seeds cited in
/// DOMAIN.md section 0 [S0a][S0b].

#include "core/error.hpp"
#include "geo/road_network.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sonae::planner {

/// The two prefectural 医療的ケア児支援センター (both opened 1 April 2022).
enum class SupportRegion : std::uint8_t { east, west };
std::string_view to_string(SupportRegion region);

/// A support centre's public contact data [S0b].
struct SupportCentre {
    SupportRegion region = SupportRegion::east;
    std::string name_ja;
    std::string operator_ja; ///< the social-welfare corporation that runs it
    std::string address_ja;
    std::string phone;
    std::string fax;
    std::string email;
    std::string hours; ///< e.g. "9:00-16:00 weekdays"
};

/// One municipality.
struct Municipality {
    std::string code;      ///< 6-digit JIS code with check digit, e.g. "352021"
    std::string code5;     ///< 5-digit code, e.g. "35202"
    std::string name_ja;   ///< e.g. "宇部市"
    std::string name_en;   ///< e.g. "Ube"
    std::string id_prefix; ///< prefix of synthetic child ids, e.g. "UBE"
    SupportRegion centre = SupportRegion::west;
    std::string council_ja;         ///< name of the council (協議の場)
    bool council_statutory = false; ///< a statutory council with a secrecy duty (DOMAIN 6)
    std::vector<std::string> coordinator_offices;
    std::string notes; ///< drills, guidebooks and the like from the seeds
};

/// The table of municipalities and centres.
class MunicipalityTable {
public:
    MunicipalityTable() = default;
    MunicipalityTable(std::vector<Municipality> municipalities, std::vector<SupportCentre> centres);
    std::span<const Municipality> all() const noexcept { return m_municipalities; }
    /// By 6-digit or 5-digit code, Japanese or English name; nullptr if unknown.
    const Municipality* find(std::string_view code_or_name) const;
    const SupportCentre* centre(SupportRegion region) const;
    /// The centre serving a municipality; nullptr if the municipality is unknown.
    const SupportCentre* centre_for(std::string_view code_or_name) const;

private:
    std::vector<Municipality> m_municipalities; // sorted by code
    std::vector<SupportCentre> m_centres;
};

/// Parses the TOML format of data/yamaguchi_municipalities.toml. Throws InputError.
MunicipalityTable parse_municipalities(std::string_view toml_text, const std::string& origin);
/// Reads such a file. Throws IoError / InputError.
MunicipalityTable load_municipalities(const std::filesystem::path& path);
/// The built-in table (data/yamaguchi_municipalities.toml compiled in). Parsed once.
const MunicipalityTable& yamaguchi_municipalities();

/// How far a point lies outside its municipality's outline, in metres (0 inside); nullopt when
/// there is no outline for the code (outside Yamaguchi and Kochi). The outlines are 国土数値情報
/// N03 行政区域 (2021-01-01) simplified to 1 % (data/yamaguchi_n03_s0010.geojson and, for the
/// bundled kochi-tsunami scenario, data/kochi_n03_s0010.geojson, compiled in; their
/// PROVENANCE.md files): vertices 100 m-1 km apart and small islands dropped, so
/// only distances over about a kilometre mean anything (a home in the sea, a wrong code).
std::optional<double> metres_outside_municipality(std::string_view code, geo::LonLat point);

/// The municipality's name for messages: from Yamaguchi's table, else from the bundled N03
/// outline (Kochi's 34: 「高知市」, where messages said "outside 392014"), else the code itself.
std::string municipality_name_ja(std::string_view code);

/// How far a point lies off the land of the bundled outlines (the union of Yamaguchi's 19 and
/// Kochi's 34 municipalities), in metres: 0 on land; nullopt farther than 20 km from every
/// outline (not near either prefecture: the outlines say nothing there).
std::optional<double> metres_off_land(geo::LonLat point);
/// The 1 % outline cuts capes and bridges harbours: the 2,468 GSI designated sites of the
/// prefecture (tests/data/jp-shelters-gsi-yamaguchi) lie at most 214 m outside it (市道浦線,
/// 長門市), the 824 sites of 高知市 none, so a point farther off is in the sea or in another
/// prefecture.
inline constexpr double kOffLandToleranceM = 300.0;
/// Within that band, a point outside the outline and farther than this from every road of the
/// scenario's network is taken as off the coast too (the sea south of Ube at 131.24, 33.92:
/// 193 m outside the outline, 1.1 km from the nearest road).
inline constexpr double kOffLandRoadM = 200.0;
/// Why `point` looks off the land, as a sentence naming the distances; nullopt when the
/// outlines and the roads find it on land. `road_m`: the distance to the nearest road of the
/// scenario's network, given only for a point near the network's extent (NetworkExtent::near;
/// nullopt without a network or away from it: a town the network does not cover is not the sea).
std::optional<std::string> off_land_reason(geo::LonLat point, std::optional<double> road_m);
/// The extent of one network, asked for many points: found (a scan of every node) at the
/// first question and kept.
class NetworkExtent {
public:
    explicit NetworkExtent(const geo::RoadNetwork& network) : m_network(&network) {}
    /// True when the network has coordinates and `point` lies within `margin_m` of its
    /// extent: a coastal town's network ends at its last road by the shore, so the sea in
    /// front is just outside the box (2 km: as far as a home may lie outside it,
    /// planner/scenario.cpp).
    bool near(geo::LonLat point, double margin_m = 2000.0) const;

private:
    const geo::RoadNetwork* m_network;
    mutable std::optional<std::pair<geo::LonLat, geo::LonLat>> m_extent;
};

} // namespace sonae::planner
