#pragma once
/// An offline geocoder for Japanese addresses in Yamaguchi, to the town level: a welfare
/// office's list holds addresses, not coordinates. Nothing leaves the machine.
///
/// Reference points: one per 町丁目 / 大字 (and 小字) from Geolonia 住所データ (CC BY 4.0;
/// data/yamaguchi_town_points.tsv, compiled in; kTownPointsAttribution must accompany any
/// output that uses them). An address is normalised (full/half width, dashes next to digits,
/// spaces, ヶ/ケ/が and ノ/之/の, a few old kanji forms, optional 山口県, 郡, 大字 and 字), its
/// municipality found by the longest name it starts with (or the registry's code), then the
/// town: the reference name it starts with, where a 丁目 may be written 三丁目, 3丁目 or a bare
/// 3 before a dash (旗岡３－２ = 旗岡三丁目 2). The longest match wins; two different towns
/// matching equally is an ambiguity, never a guess. Rules: NORMALISATION_NOTES.md of the
/// shared data, restated in planner/REGISTRY_SCHEMA.md.

#include "geo/road_network.hpp"
#include "planner/csv.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonae::planner {

/// How precise a town-level point is (distance to the real home, estimated from the spacing
/// of neighbouring points: NORMALISATION_NOTES/PROVENANCE of the Geolonia data).
enum class GeocodePrecision : std::uint8_t {
    chome, ///< 町丁目 (or an urban 町 / 通り without 丁目): about 100-300 m
    koaza, ///< 小字: one point per 小字, about 1 km
    oaza,  ///< 大字: 1-5 km; the coordinator must check the home on a map
};
/// "町丁目", "小字", "大字".
std::string_view label_ja(GeocodePrecision precision);
/// "chome", "koaza", "oaza": the code plan.json records (home_precision, location_precision).
std::string_view to_string(GeocodePrecision precision);
/// Parses a label_ja() text or a to_string() code; nullopt if unknown.
std::optional<GeocodePrecision> parse_geocode_precision(std::string_view text);
/// Typical distance to the real home in metres: 300, 1000, 5000.
double typical_error_m(GeocodePrecision precision);

/// The credit line required by CC BY 4.0 for the town points.
inline constexpr std::string_view kTownPointsAttribution =
    "住所代表点: Geolonia 住所データ (https://github.com/geolonia/japanese-addresses, commit "
    "c3999f7, "
    "CC BY 4.0)。元データ: 国土交通省「位置参照情報」、日本郵便 郵便番号データ。sonae にて加工。";

/// The message shown wherever a home placed only at a 大字 point appears.
inline constexpr std::string_view kCheckHomeOnMap = "地図上の自宅の位置を確認してください";

/// One reference point.
struct TownPoint {
    std::string municipality_code; ///< 6-digit JIS code
    std::string municipality;      ///< as in the data, with 郡 (熊毛郡上関町)
    std::string town;              ///< 大字東豊井, 旗岡三丁目
    std::string koaza;             ///< 小字, often empty
    geo::LonLat position;
    GeocodePrecision precision = GeocodePrecision::oaza;
};

/// The outcome of one address.
struct GeocodeResult {
    enum class Status : std::uint8_t { found, no_municipality, no_town, ambiguous };
    Status status = Status::no_town;
    const TownPoint* point = nullptr;         ///< when found
    std::vector<const TownPoint*> candidates; ///< when ambiguous: the towns that matched equally
    std::string message;                      ///< why not found, in plain words
};

/// Folds an address for matching: full-width ASCII to ASCII, spaces removed, dash-like marks
/// next to a digit to '-', ヶ/が to ケ, 之/の to ノ, old kanji forms to the common ones.
std::string fold_address(std::string_view address);

/// Reads a number at the start of `text`: ASCII digits or kanji numerals (一…九, 十, 百, 千,
/// 〇). Sets `length` to the bytes read; nullopt if none.
std::optional<std::int64_t> leading_number(std::string_view text, std::size_t& length);

/// The town index.
class Geocoder {
public:
    /// The bundled Yamaguchi points (2,611 towns of the 19 municipalities).
    static const Geocoder& yamaguchi();
    /// Parses the TSV of data/yamaguchi_town_points.tsv. Throws InternalError if malformed.
    static Geocoder from_tsv(std::string_view tsv);

    /// Finds the town of an address. `municipality_code` (6 digits, may be empty) is used
    /// when the address does not name its municipality.
    GeocodeResult geocode(std::string_view address, std::string_view municipality_code = {}) const;

    std::size_t size() const noexcept { return m_points.size(); }

private:
    struct Entry {
        std::size_t point = 0;
        std::string stem; ///< folded, 大字 removed; for a 丁目 town without "N丁目"
        std::optional<std::int64_t> chome; ///< N of N丁目
    };
    std::vector<TownPoint> m_points;
    std::vector<Entry> m_entries;
    std::vector<std::pair<std::string, std::string>> m_municipality_names; ///< folded name -> code
};

/// What `sonae geocode` writes: the registry table with home_lon/home_lat filled from the
/// address where both are empty (rows with coordinates are kept as they are: a pinned home
/// wins), a home_precision column (町丁目/小字/大字) and a 位置の出典 column naming the town
/// points. Every row is either written or has an error in `diagnostics`.
struct GeocodedTable {
    std::vector<std::vector<std::string>> rows; ///< header first, then one row per data row
    Diagnostics diagnostics;
    std::size_t geocoded = 0;  ///< rows placed from their address
    std::size_t kept = 0;      ///< rows that already had coordinates
    std::size_t oaza_only = 0; ///< rows placed only at a 大字 point (to check on a map)
};
/// Geocodes a registry table (read with read_table and registry_columns()).
GeocodedTable geocode_registry_table(const Table& table,
                                     const Geocoder& geocoder = Geocoder::yamaguchi());

} // namespace sonae::planner
