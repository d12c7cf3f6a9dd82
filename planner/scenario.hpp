#pragma once
/// The scenario manifest: one human-editable TOML file that names the layers, the hazard and
/// its timeline, the planning horizon, the seed and the options (issue 4 item 1). Paths in
/// the manifest are relative to the manifest's folder. See scenarios/README.md for the schema.

#include "core/error.hpp"
#include "geo/hazard.hpp"
#include "geo/road_network.hpp"
#include "planner/clock.hpp"
#include "planner/device_catalogue.hpp"
#include "planner/facility.hpp"
#include "planner/registry.hpp"
#include "planner/vehicle.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonae::planner {

/// One hazard layer: polygons with the time they flood/inundate/slide.
struct HazardLayerSpec {
    std::filesystem::path path;
    std::string layer;       ///< GIS layer name, empty = the first polygon layer
    std::string kind;        ///< flood, tsunami, landslide, storm_surge
    double onset_min = 0.0;  ///< minutes after t0 when the layer starts (constant)
    std::string onset_field; ///< per-feature onset in minutes after t0 (optional)
    std::string id_field;    ///< per-feature name shown in outputs (optional)
    std::string depth_field; ///< per-feature depth in metres (optional)
    std::string rank_field;  ///< per-feature depth rank (optional, e.g. 浸水ランク)
    std::string zone_field;  ///< landslide zone yellow/red (optional)
    double depth_m = 1.0;    ///< depth when no field gives it
};

/// A facility source.
struct FacilitySourceSpec {
    std::filesystem::path path;
    std::string
        kind; ///< facilities (CSV/xlsx/GPKG), gsi_evacuation, gsi_emergency, p20, standard_list
    std::string layer; ///< GIS layer or workbook sheet (`layer` or `sheet`); empty = choose
};

/// The timeline, in minutes after t0 (t0 = the alert that starts the plan).
struct TimelineSpec {
    std::string t0_label; ///< e.g. "2026-07-01 06:00 警戒レベル3 高齢者等避難"
    /// t0 on the clock (`t0_clock = "2026-03-14T02:00+09:00"`); nullopt = unknown, and the
    /// planner then assumes daytime (no night factors, data/timing.toml).
    std::optional<ClockTime> t0_clock;
    double mains_lost_min = 0.0;   ///< power cut assumed from this time
    double level4_min = -1.0;      ///< 避難指示, -1 if not in the scenario
    double hazard_onset_min = 0.0; ///< the earliest onset of any hazard layer (informative)
};

/// The planner's options with documented defaults (DOMAIN.md sections 2 and 4).
struct PlanOptions {
    double at_risk_threshold_min = 30.0; ///< margin under this -> at risk
    double safety_margin_min = 30.0;     ///< kept back from battery/oxygen endurance
    double decision_min = 10.0;          ///< alert -> decision to leave
    double max_snap_m = 500.0;           ///< a home farther than this from a road is reported
    double straight_line_circuity = 1.3; ///< straight-line mode: distance x this factor
    double straight_line_speed_kmh = 30.0;
    std::string walk_mode = "walk"; ///< travel profile for children on foot
    std::string wheelchair_mode = "wheelchair";
    std::string car_mode = "car";
    double walk_max_m = 800.0; ///< farther than this on foot needs a vehicle
    /// Each child's search stops after this many compatible facilities (nearest by arrival
    /// time); a child left without a place is searched again over the whole network.
    std::int64_t candidate_facilities = 16;
    /// Worker threads for the per-child searches (0 = one per core). The plan is the same
    /// whatever the number.
    unsigned threads = 0;
    /// Above this many places (vehicle bases + two per child carried) the vehicles are not
    /// scheduled as one fleet but each with the children nearest to its base that it can
    /// carry (one travel-time matrix row is a search over the whole network).
    std::size_t vrp_max_locations = 600;
    /// In a vehicle's own schedule (above), each place gets exact times to this many nearest
    /// places (and a home to its child's facility); other legs are timed via the base.
    std::size_t district_neighbours = 24;

    /// The road profile of a travel mode: car_mode, walk_mode or wheelchair_mode.
    const std::string& profile(TravelMode mode) const;
    /// The travel mode whose profile is `profile` (one of the three above; anything else is a
    /// programming error: std::logic_error).
    TravelMode travel_mode(const std::string& profile) const;
};

/// The whole manifest with every path resolved against the manifest's folder.
struct ScenarioManifest {
    std::filesystem::path manifest_path;
    std::string name;
    std::string title;
    std::string hazard_kind; ///< flood, tsunami, landslide, storm_surge, earthquake, drill
    std::uint64_t seed = 1;
    std::int64_t horizon_h = 72;
    std::optional<std::filesystem::path> network; ///< empty = straight-line mode
    std::string network_layer;
    std::filesystem::path registry;
    std::string registry_encoding = "auto";
    /// Workbook sheet (or GIS layer) of the registry and of the vehicles table (`sheet = "..."`);
    /// empty = the first sheet with the required columns.
    std::string registry_sheet;
    std::string vehicles_sheet;
    std::vector<FacilitySourceSpec> facilities;
    std::optional<std::filesystem::path> vehicles;
    std::optional<std::filesystem::path> devices; ///< device catalogue override
    std::optional<std::filesystem::path>
        drill_timeline; ///< the drill's timeline (sim/drill.hpp format)
    std::vector<std::filesystem::path>
        drill_recorded; ///< recorded drill files (one per drill or per child)
    std::vector<HazardLayerSpec> hazards;
    TimelineSpec timeline;
    PlanOptions options;
    /// All input files named by the manifest (to refuse overwriting them).
    std::vector<std::filesystem::path> input_files() const;
};

/// The manifest's [[hazards]] tables as geo::load_hazards reads them (the planner and the
/// guidebook's maps load the same areas).
std::vector<geo::HazardLayerSpec> hazard_layer_specs(const ScenarioManifest& manifest);

/// Reads and checks a manifest. Throws InputError naming the file, the key and the value on a
/// missing key, a wrong type, an unknown kind, or a named file that does not exist.
ScenarioManifest read_manifest(const std::filesystem::path& path);

/// Accepts either a manifest path or a folder holding scenario.toml.
std::filesystem::path resolve_manifest_path(const std::filesystem::path& path_or_dir);

/// Everything a scenario names, loaded and checked.
struct LoadedScenario {
    ScenarioManifest manifest;
    std::optional<geo::RoadNetwork> network; ///< nullopt: straight-line mode (approximate)
    geo::Hazards hazards;
    DeviceCatalogue catalogue;
    Registry registry;
    std::vector<Facility> facilities; ///< merged, sorted by id
    std::vector<Vehicle> vehicles;    ///< sorted by id
    Diagnostics diagnostics;          ///< warnings from all loaders
};

/// Progress callback: a stage name and the fraction done (0..1).
using Progress = std::function<void(std::string_view stage, double fraction)>;

/// Loads a scenario manifest and all its files. Throws InputError listing every error found
/// (registry rows with errors, facilities, vehicles), with file, line, field and value;
/// warnings are returned in `diagnostics`.
LoadedScenario load_scenario(const std::filesystem::path& manifest_or_dir,
                             const Progress& progress = {});

/// The loaders' warnings as plan.json keeps them (Diagnostic::str()), a file inside the
/// scenario's folder named relative to it ("data/facilities.csv"), so the plan does not
/// depend on how the scenario was named on the command line (issue 23 item 2).
std::vector<std::string> plan_load_warnings(const LoadedScenario& loaded);

} // namespace sonae::planner
