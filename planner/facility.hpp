#pragma once
/// Facilities a child can be taken to: GSI designated sites and shelters (as published),
/// 国土数値情報 P20 shelters with capacity, and a facilities table (CSV or GIS layer) for
/// welfare shelters (福祉避難所), hospitals and the support centres with their power,
/// staff and acceptances (DOMAIN.md section 3.2). Several sources merge into one list
/// without duplicates (merge_facilities; rules documented there and in REGISTRY_SCHEMA.md).

#include "core/error.hpp"
#include "core/strong_id.hpp"
#include "geo/road_network.hpp"
#include "planner/csv.hpp"
#include "planner/geocoder.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace sonae::planner {

struct FacilityTag {};
/// Index of a facility in a FacilityList.
using FacilityId = StrongId<FacilityTag>;

/// Hazards of the GSI designation flags (same order as the GSI columns).
enum class Hazard : std::uint8_t {
    flood,        ///< 洪水
    landslide,    ///< 崖崩れ、土石流及び地滑り
    storm_surge,  ///< 高潮
    earthquake,   ///< 地震
    tsunami,      ///< 津波
    large_fire,   ///< 大規模な火事
    inland_flood, ///< 内水氾濫
    volcano,      ///< 火山現象
};
inline constexpr std::size_t kHazardCount = 8;
std::string_view to_string(Hazard hazard);
std::string_view label_ja(Hazard hazard);
/// English name ("flood") or the GSI Japanese column name; nullopt if unknown.
std::optional<Hazard> parse_hazard(std::string_view text);

/// A set of hazards as bits (1 << Hazard).
struct HazardSet {
    std::uint16_t bits = 0;
    bool has(Hazard h) const { return (bits >> static_cast<unsigned>(h)) & 1u; }
    void add(Hazard h) {
        bits = static_cast<std::uint16_t>(bits | (1u << static_cast<unsigned>(h)));
    }
    HazardSet operator|(HazardSet o) const { return {static_cast<std::uint16_t>(bits | o.bits)}; }
    friend bool operator==(HazardSet, HazardSet) = default;
};

/// What a facility is. A merged facility may be several (bits).
enum class FacilityKind : std::uint8_t {
    emergency_site,  ///< 指定緊急避難場所 (GSI emergency/)
    shelter,         ///< 指定避難所 (GSI evacuation/)
    p20_shelter,     ///< 国土数値情報 P20 避難施設
    welfare_shelter, ///< 福祉避難所 (指定 or 協定)
    hospital,
    support_centre, ///< 医療的ケア児支援センター
};
inline constexpr std::size_t kFacilityKindCount = 6;
std::string_view to_string(FacilityKind kind);
std::optional<FacilityKind> parse_facility_kind(std::string_view text);

/// One facility. Unknown numbers are nullopt / 0 with the *_known flag false.
struct Facility {
    std::string id; ///< stable id: 共通ID core, "p20-<NO>" or the table id
    std::string name;
    std::string address;
    std::string municipality_code; ///< 6-digit JIS code, empty if unknown
    geo::LonLat position;
    /// Set when the position is the town point of the address (no coordinates in the source).
    std::optional<GeocodePrecision> position_precision;
    std::uint16_t kinds = 0;                      ///< bits of FacilityKind
    HazardSet safe_for;                           ///< designated safe for these hazards
    bool hazards_known = false;                   ///< false: no hazard flags in any source
    std::optional<std::int64_t> capacity_persons; ///< nullopt = unknown
    double generator_kw = 0.0;
    double generator_fuel_h = 0.0; ///< hours at rated output on the fuel held
    /// kW of the generator free for evacuees' devices (a hospital's runs the hospital);
    /// nullopt = not given: all of it for a shelter, a documented share for a hospital
    /// (evacuee_generator_kw()).
    std::optional<double> generator_kw_for_evacuees;
    int outlets = 0;            ///< sockets that can be given to medical devices
    bool outlets_known = false; ///< outlets was given (else not a constraint of the plan)
    int nurses = 0;
    int carers = 0; ///< certified carers (喀痰吸引等)
    bool accepts_ventilator = false;
    bool accepts_oxygen = false;
    std::int64_t opening_delay_s = 0; ///< after t0 (welfare shelters open later, DOMAIN 3.2)
    bool direct_evacuation = true;    ///< false: 協定 secondary shelter, no direct evacuees
    std::string target_evacuees;      ///< 受入対象者 as published
    std::string notes;
    std::string capacity_basis; ///< area basis of the capacity as published ("2㎡あたり1人")
    /// What a standard list's 備考 says about access (車椅子対応, オストメイト, 福祉避難所,
    /// 授乳室), sorted and unique, for the guidebook and the report.
    std::vector<std::string> accessibility;
    /// Qualified hazard flags as published, e.g. "洪水: ○（２階）" (safe on the 2nd floor only).
    std::vector<std::string> designation_notes;
    std::vector<std::string> sources; ///< "gsi-emergency:E3520700002201", "p20:373", ...
    std::int64_t source_line = -1;

    bool is(FacilityKind kind) const { return (kinds >> static_cast<unsigned>(kind)) & 1u; }
    void add_kind(FacilityKind kind) {
        kinds = static_cast<std::uint16_t>(kinds | (1u << static_cast<unsigned>(kind)));
    }
    /// True if the facility has its own power for devices (generator or outlets on backup).
    bool has_power() const { return generator_kw > 0.0; }
    /// kW of backup power available to evacuees: generator_kw_for_evacuees if given, else
    /// generator_kw for a shelter and `hospital_share` x generator_kw for a hospital.
    double evacuee_generator_kw(double hospital_share) const {
        if (generator_kw_for_evacuees) return std::min(*generator_kw_for_evacuees, generator_kw);
        return is(FacilityKind::hospital) ? hospital_share * generator_kw : generator_kw;
    }
};

/// Facilities plus the problems found reading them.
struct FacilityLoadResult {
    std::vector<Facility> facilities;
    Diagnostics diagnostics;
    std::size_t rows_read = 0;
    std::size_t rows_rejected = 0;
};

/// Reads one GSI file (emergency/ or evacuation/ GeoJSON, as published); the kind is
/// recognised from its fields (hazard columns = emergency sites). Throws IoError.
FacilityLoadResult load_gsi_shelters(const std::filesystem::path& path);
/// Reads every <code>.json of a GSI folder's emergency/ and evacuation/ for one municipality
/// (6-digit code) or all (empty code), not merged.
FacilityLoadResult load_gsi_folder(const std::filesystem::path& folder,
                                   const std::string& municipality_code = {});
/// Reads a 国土数値情報 P20 point file (P20_001..P20_012). Throws IoError.
FacilityLoadResult load_p20(const std::filesystem::path& path);

/// The columns of the facilities table (welfare shelters, hospitals, support centres).
std::span<const ColumnSpec> facility_columns();
/// Loads the facilities table from a Table (CSV or layer).
FacilityLoadResult load_facility_table(const Table& table);
/// Loads a facilities CSV, .xlsx workbook (layer = sheet) or GIS layer (read_table). Throws
/// IoError.
FacilityLoadResult load_facilities(const std::filesystem::path& path,
                                   TextEncoding encoding = TextEncoding::automatic,
                                   const std::string& layer = {});

/// Facilities on land and inside their stated municipality (issue 24 item 3: a hospital in the
/// sea received a ventilator child by ambulance), by the rules of the registry's homes
/// (planner/municipality.hpp off_land_reason): off the outlines beyond their simplification or,
/// within it, far from every road of `network` (nullptr: none); more than 1 km outside the
/// municipality. Warnings naming `file`, the line or feature and the point.
Diagnostics check_facility_places(std::span<const Facility> facilities, const std::string& file,
                                  const geo::RoadNetwork* network);

/// How merge_facilities decides two records are the same facility.
struct MergeOptions {
    double near_m = 50.0;         ///< "within a few metres" for the similar-name rule
    double name_similarity = 0.5; ///< bigram Dice coefficient threshold (or containment)
};

/// Result of a merge: facilities sorted by id, and one info diagnostic per merged pair.
struct FacilityMergeResult {
    std::vector<Facility> facilities;
    Diagnostics diagnostics;
    std::size_t merged = 0; ///< records folded into another
};

/// Merges records from several sources. Two records are the same facility if
///  1. same GSI 共通ID core (first 11 characters, e.g. E3520700006) and same normalised name
///     (GSI numbers several sites of one facility, e.g. 校舎 and 運動場, under one core), or
///  2. same normalised name and same normalised address, or
///  3. within near_m metres and names similar (one contains the other after normalising,
///     or bigram Dice >= name_similarity).
/// Attributes combine: kinds and hazards are united; numbers from a facilities table win over
/// P20, P20 capacity over none; the first non-empty name/address in source order is kept.
/// Deterministic and independent of input order (records are sorted before merging).
FacilityMergeResult merge_facilities(std::span<const Facility> records,
                                     const MergeOptions& options = {});

/// Name normalisation used for matching: full-width ASCII and digits to ASCII, spaces and
/// U+3000 removed, lower case.
std::string normalize_name(std::string_view name);

} // namespace sonae::planner
