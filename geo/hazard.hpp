#pragma once
/// The hazard model: polygon areas of tsunami inundation, river flood / storm surge depth and
/// landslide warning zones, each with a depth (or depth rank, or zone) and an onset time on a
/// common hazard timeline (milliseconds after the hazard's t0: the quake, the levee breach,
/// the landslide alert).
///
/// Flow: load_hazards(specs) reads polygon layers through GDAL (GeoJSON, GPKG, SHP, PLATEAU
/// CityGML; any CRS, converted to lon/lat), repairs dirty polygons (reported as Diagnostics)
/// and builds an immutable `Hazards` value with a spatial index. Then:
///   - hazard_at(point): when a hazard reaches a home, whether a facility lies in a hazard area;
///   - edge_closures(network, hazards, closure_rules("walk")): per edge the time from which it
///     is closed (`closed_from_ms`, never_ms = INT64_MAX) and from which it is slowed, the
///     input of the earliest-arrival routing in geo/routing.hpp.
///
/// The model is static per area: an area is hazardous from its onset on, at its (maximum)
/// depth. A spreading flood is expressed through onsets per feature (an onset field, or
/// earlier onsets for deeper ranks). Geometry tests are planar in lon/lat degrees, which is
/// how GeoJSON (RFC 7946) and the converted layers define their straight edges.

#include "core/error.hpp"
#include "geo/road_network.hpp"

#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sonae::geo {

/// The time value meaning "never" on the hazard timeline (edge never closes).
inline constexpr std::int64_t never_ms = std::numeric_limits<std::int64_t>::max();

/// What kind of hazard an area describes.
enum class HazardKind : std::uint8_t {
    tsunami,     ///< 津波浸水想定: inundation depth and arrival time
    flood,       ///< 洪水浸水想定: river flood depth
    storm_surge, ///< 高潮浸水想定: treated like a flood (depth thresholds)
    landslide,   ///< 土砂災害警戒区域: yellow / red zones
};
/// "tsunami", "flood", "storm_surge", "landslide".
std::string_view to_string(HazardKind kind);
/// Parses the names of to_string (also "surge", "storm-surge"); throws InputError otherwise.
HazardKind hazard_kind_from_string(std::string_view name);

/// Landslide warning zone class (土砂災害防止法).
enum class LandslideZone : std::uint8_t {
    none = 0,
    yellow = 1, ///< 土砂災害警戒区域 (A33/PLATEAU 区域区分 = 1)
    red = 2,    ///< 土砂災害特別警戒区域 (区域区分 = 2)
};
/// "none", "yellow", "red".
std::string_view to_string(LandslideZone zone);

/// How to read one polygon layer of hazard areas. Field names may be Japanese (UTF-8).
/// Unset field names of PLATEAU / 国土数値情報 layers are detected automatically
/// (`浸水ランク` or `rank` as depth rank, `区域区分` or `A33_004` as landslide zone,
/// `gml_id` as feature id); each detection is noted as an info Diagnostic.
struct HazardLayerSpec {
    std::filesystem::path path;
    std::string layer; ///< layer name; empty = the file's only layer
    HazardKind kind = HazardKind::flood;
    std::string id_field;         ///< feature id for messages and output; empty = gml_id or FID
    std::string depth_field;      ///< water depth in metres (numeric or numeric text)
    std::string depth_rank_field; ///< ordinal depth class 1..N (PLATEAU 浸水ランク)
    /// Depth in metres assumed for rank 1..N; empty = default_rank_depths_m(kind).
    std::vector<double> rank_depth_m;
    std::string onset_field; ///< per-feature onset / arrival time in minutes after t0
    double onset_min = 0.0;  ///< onset of features without a per-feature onset
    /// Spreading flood: a feature of rank r gets onset_min + (max_rank - r) * rank_spread_min,
    /// so the deepest (lowest) land floods first. 0 = the whole layer at onset_min.
    double rank_spread_min = 0.0;
    std::string zone_field; ///< landslide zone: 1/2, yellow/red, 警戒区域/特別警戒区域
    /// Zone of landslide features without a zone field value.
    LandslideZone default_zone = LandslideZone::yellow;
};

/// Depth assumed for each depth rank 1..N, in metres: the upper bound of each class, so a
/// plan is made for the worst depth the class allows. Flood / storm surge: the MLIT standard
/// classes of 洪水浸水想定区域図 (0.5, 3, 5, 10, 20 m; rank 6 = 20 m and more, taken as 30 m).
/// Tsunami: assumed classes 0.3, 1, 2, 5, 10, 20 m (rank 7 taken as 30 m); the depth only
/// informs reports, as any tsunami inundation closes an edge (ClosureRules).
/// The PLATEAU codelists were not shipped with the Numazu data (its PROVENANCE.md), so these
/// are assumptions; pass HazardLayerSpec::rank_depth_m to override. Landslide: empty.
std::vector<double> default_rank_depths_m(HazardKind kind);

/// One hazard area: a feature of an input layer (its polygons are kept in Hazards).
struct HazardArea {
    HazardKind kind = HazardKind::flood;
    std::optional<double> depth_m; ///< maximum water depth; nullopt = unknown
    int depth_rank = 0;            ///< ordinal class, 0 = none
    LandslideZone zone = LandslideZone::none;
    std::int64_t onset_ms = 0; ///< from this time after t0 the area is hazardous
    std::uint32_t layer = 0;   ///< index into Hazards::layers()
    std::string feature_id;    ///< as named in the source (gml_id, id field or FID)
};

/// What was read from one input layer.
struct HazardLayerInfo {
    std::string file;
    std::string layer;
    HazardKind kind = HazardKind::flood;
    std::string source_crs; ///< name of the layer's CRS
    std::uint32_t features_read = 0;
    std::uint32_t areas_kept = 0;
    std::uint32_t polygons_repaired = 0;
    std::uint32_t features_dropped = 0;
};

/// What is known at one point: the combination of all areas that cover it.
struct HazardAtPoint {
    std::int64_t onset_ms = never_ms;  ///< earliest onset of the covering areas
    std::optional<double> max_depth_m; ///< deepest known depth (nullopt: none known)
    int max_depth_rank = 0;
    HazardKind kind = HazardKind::flood;      ///< kind of the earliest area (ties: the deepest)
    LandslideZone zone = LandslideZone::none; ///< worst landslide zone
    bool depth_unknown = false;               ///< some covering water area has no depth
    std::vector<std::uint32_t> areas;         ///< indices of the covering areas, ascending
};

/// A polygon in lon/lat: rings, the outer one first, then holes; each ring closed.
using LonLatPolygon = std::vector<std::vector<LonLat>>;

namespace detail {
struct HazardIndex;
}

/// Immutable set of hazard areas with a spatial index. Cheap to copy (shared internals).
class Hazards {
public:
    Hazards();

    std::span<const HazardArea> areas() const noexcept;
    std::span<const HazardLayerInfo> layers() const noexcept;
    /// Repairs, dropped features and field detections, with file, layer and feature id.
    const Diagnostics& diagnostics() const noexcept;
    bool empty() const noexcept { return areas().empty(); }

    /// The polygons of area `area` in lon/lat (after repair). Precondition: area < size.
    std::vector<LonLatPolygon> polygons(std::uint32_t area) const;
    /// Bounding box of all areas {min, max}; precondition: !empty().
    std::pair<LonLat, LonLat> extent() const;

    /// Indices of the areas that cover `point` (boundary included), ascending.
    std::vector<std::uint32_t> areas_at(LonLat point) const;
    /// The hazard at a point, or nullopt if no area covers it. O(log n + hits).
    std::optional<HazardAtPoint> hazard_at(LonLat point) const;
    /// Indices of the areas that a polyline crosses or touches, ascending.
    std::vector<std::uint32_t> areas_crossed(std::span<const LonLat> line) const;

private:
    friend class HazardsBuilder;
    friend class EdgeHazardOverlay;
    std::shared_ptr<const detail::HazardIndex> m_index;
};

/// Builds Hazards from areas given in code (tests, synthetic scenarios) or by load_hazards.
/// Polygons go through the same checks and repairs as file input.
class HazardsBuilder {
public:
    HazardsBuilder();
    ~HazardsBuilder();
    HazardsBuilder(HazardsBuilder&&) noexcept;
    HazardsBuilder& operator=(HazardsBuilder&&) noexcept;

    /// Registers a source layer; returns its index for HazardArea::layer.
    std::uint32_t add_layer(HazardLayerInfo info);
    /// The registered layer `layer` (to update its counts).
    HazardLayerInfo& layer_info(std::uint32_t layer);
    /// Adds one area with its polygons (closed lon/lat rings; self-intersections are
    /// repaired and noted in the diagnostics). Throws InputError (file, layer, feature, field
    /// "geometry", the ring and its points) for a ring that is not closed, has fewer than 4
    /// points or has no area: a guessed hazard extent is not safe to plan with. Returns
    /// false and notes a warning if nothing with an area is left after repair.
    bool add_area(HazardArea area, std::span<const LonLatPolygon> polygons);
    /// Appends a diagnostic to the result.
    void add_diagnostic(Diagnostic diagnostic);
    Hazards build() &&;

private:
    struct State;
    std::unique_ptr<State> m_state;
};

/// Reads one polygon layer. Throws InputError naming file, layer, feature and field for: a
/// missing or unreadable file, several layers and none named, a missing field, a geometry
/// that is not a polygon, a layer without CRS, a CRS that cannot be converted to lon/lat,
/// coordinates out of range, a depth or onset that is not a non-negative number, a polygon
/// ring that is not closed, has fewer than 4 points or no area (HazardsBuilder::add_area).
Hazards load_hazards(const HazardLayerSpec& spec);
/// Reads several layers into one set (e.g. tsunami plus landslide zones).
Hazards load_hazards(std::span<const HazardLayerSpec> specs);

/// How hazards affect one travel mode. Depths in metres, factors multiply travel time.
/// Sources for the defaults: ../shared/DOMAIN.md section 5 (hazards of Yamaguchi) and:
/// - cars: MLIT, 「水深が床面を超えたら、もう危険！」 (2019,
///   https://www.mlit.go.jp/report/press/jidosha08_hh_003565.html): at about 30 cm of water
///   the engine may stop, the car floats when the tyres are under water;
/// - walking: MLIT/Cabinet Office flood guidance: walking is dangerous from about 50 cm
///   (knee height of an adult; carers here also carry devices);
/// - wheelchair / stroller: small castors and devices near the ground; we close at 10 cm
///   (planning assumption, no published threshold);
/// - tsunami: any inundation closes for every mode (30 cm of tsunami flow knocks adults
///   down, Cabinet Office 津波防災); landslide: a red zone closes from onset, a yellow zone
///   slows (planning assumption: debris and detours).
/// Areas of unknown depth close the edge (the safe side).
struct ClosureRules {
    std::string mode;                   ///< "car", "walk", "wheelchair" (for messages)
    double water_close_depth_m = 0.3;   ///< flood / surge depth at and above which it closes
    double water_slow_factor = 2.0;     ///< shallower water: travel time multiplier (>= 1)
    double tsunami_close_depth_m = 0.0; ///< tsunami depth above which it closes (0: any)
    bool landslide_red_closes = true;
    double landslide_yellow_factor = 1.5; ///< travel time multiplier in a yellow zone
    /// Safety margin: an edge closes this long before the hazard reaches it.
    std::int64_t lead_ms = 0;
};

/// The default rules for "car", "walk" or "wheelchair" (also "stroller"); throws InputError
/// for another mode name.
ClosureRules closure_rules(std::string_view mode);

/// Which areas each edge of a network crosses. Computing it is the costly part (an rtree
/// query and exact tests per edge); it is shared by all modes. Precondition: the network has
/// coordinates (throws InputError otherwise).
class EdgeHazardOverlay {
public:
    EdgeHazardOverlay(const RoadNetwork& network, const Hazards& hazards);
    std::uint32_t edge_count() const noexcept {
        return static_cast<std::uint32_t>(m_first.empty() ? 0 : m_first.size() - 1);
    }
    /// Areas crossed by edge e, ascending.
    std::span<const std::uint32_t> areas(EdgeId e) const {
        return {m_areas.data() + m_first[e.value()], m_first[e.value() + 1] - m_first[e.value()]};
    }
    const Hazards& hazards() const noexcept { return m_hazards; }

private:
    Hazards m_hazards;
    std::vector<std::uint32_t> m_first;
    std::vector<std::uint32_t> m_areas;
};

/// Per edge, when it closes and when and how much it slows for one travel mode.
struct EdgeClosures {
    std::vector<std::int64_t> closed_from_ms; ///< per edge; never_ms = never closes
    std::vector<std::int64_t> slowed_from_ms; ///< per edge; never_ms = never slowed
    std::vector<double> slow_factor;          ///< per edge; 1 = not slowed
    std::uint32_t closed_count = 0;
    std::uint32_t slowed_count = 0;
};

/// Closures of every edge for one mode: the earliest onset (minus lead_ms, not below
/// INT64_MIN/2) of the crossed areas that close it under `rules`; slowdowns take the largest
/// factor and the earliest onset of the areas that slow it.
EdgeClosures edge_closures(const EdgeHazardOverlay& overlay, const ClosureRules& rules);
/// Convenience: overlay and closures in one call.
EdgeClosures edge_closures(const RoadNetwork& network, const Hazards& hazards,
                           const ClosureRules& rules);

/// Travel-time weights with every slowed edge multiplied by its factor, whatever the time
/// (the earliest-arrival routing takes static weights; slowing from t = 0 errs on the safe
/// side). Weights equal to UINT32_MAX (no edge for this mode) stay so; results saturate below
/// UINT32_MAX.
std::vector<std::uint32_t> apply_slowdowns(std::span<const std::uint32_t> weights,
                                           const EdgeClosures& closures);

} // namespace sonae::geo
