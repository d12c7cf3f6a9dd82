#pragma once
/// Yamaguchi municipalities, the two prefectural support centres (医療的ケア児支援センター)
/// and each municipality's coordinator offices, for the guidebook's contact page and the
/// council report's grouping: the report's view (string views, a Region with "unknown") of
/// the one table in planner/municipality.hpp (data/yamaguchi_municipalities.toml, compiled
/// in; sources there: DOMAIN.md section 0 and the seeds). Codes: 6-digit JIS with check digit.

#include "geo/road_network.hpp"

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sonae::report {

/// The support-centre region a municipality belongs to.
enum class Region : unsigned char { east, west, unknown };

/// "東部", "西部", "不明".
std::string_view region_label_ja(Region region);

/// One of the two prefectural support centres.
struct SupportCentre {
    std::string_view name;   ///< 山口県東部医療的ケア児支援センター
    std::string_view runner; ///< the social-welfare corporation that runs it
    std::string_view address;
    std::string_view tel;
    std::string_view fax;
    std::string_view email;
    std::string_view hours; ///< opening hours in Japanese
};

/// The centre for a region (unknown: an empty record).
const SupportCentre& support_centre(Region region);

/// One municipality.
struct Municipality {
    std::string_view code;    ///< "352021"
    std::string_view name_ja; ///< "宇部市"
    Region region = Region::unknown;
    std::vector<std::string_view> coordinator_offices; ///< 医療的ケア児等コーディネーター配置先
};

/// All 19 municipalities in JIS code order.
std::span<const Municipality> municipalities();

/// The municipality for a 6-digit code (a 5-digit code without check digit is accepted too),
/// or nullptr if it is not a Yamaguchi municipality.
const Municipality* find_municipality(std::string_view code);

/// Name for display: the Japanese name, or "市町コード <code>" if unknown.
std::string municipality_name(std::string_view code);

/// The region of a municipality code (unknown if the code is not in the table).
Region region_of(std::string_view code);

/// A point inside the municipality for maps of municipal aggregates (council.gpkg): the
/// point-on-surface of its 国土数値情報 N03 行政区域 polygon (2021-01-01, the 1 % outline in
/// ../shared/data/jp-boundaries-n03-simplified; ogrinfo -dialect sqlite ST_PointOnSurface,
/// rounded to 1e-4 degrees). Not the municipal office. nullopt if the code is unknown.
std::optional<geo::LonLat> representative_point(std::string_view code);

} // namespace sonae::report
