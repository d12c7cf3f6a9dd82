#pragma once
/// The plan: the planner's result, read by the simulator, the reports and `sonae compare`.
/// A value with no behaviour; written and read as plan.json (format version kPlanFormatVersion,
/// documented in planner/PLAN_FORMAT.md). Times are seconds after t0, the scenario's alert
/// (for example: alert level 3 issued), unless a name says otherwise.
///
/// Every child of the registry appears in `children`, whatever happened to them.

#include "geo/road_network.hpp"
#include "planner/codes.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sonae::planner {

/// Version 2 (issue 17): two deadlines (leave_by_s, arrive_by_s) instead of one merged
/// deadline_s, latest_safe_departure_s instead of latest_departure_s, the outcome, the
/// deadline that binds, the planned moment on power and the preparation steps.
inline constexpr int kPlanFormatVersion = 2;

/// How a child travels to the destination.
enum class TransportKind : std::uint8_t {
    family_car, ///< the household drives (its own car, PHEV/HEV)
    vehicle,    ///< a scheduled wheelchair van or ambulance
    walk,       ///< on foot, carried or pushed (buggy, wheelchair)
    none,       ///< not planned (cannot be served)
};

/// What the plan does for one child (issue 17).
enum class Outcome : std::uint8_t {
    evacuate,         ///< leaves home for a facility
    shelter_in_place, ///< 在宅避難: home outside every hazard area, home power lasts the horizon
    cannot_serve,     ///< must leave but no facility, transport or route in time
};

/// Which deadline gives a child's margin (planner/timing.hpp).
enum class Binding : std::uint8_t {
    none,      ///< no deadline within the horizon
    leave_by,  ///< the hazard reaching the home
    arrive_by, ///< power or oxygen running out before the child is on power
    route,     ///< the last road out closes before leave_by or arrive_by would bind
};

/// The outcome for one child.
enum class Feasibility : std::uint8_t {
    on_time,      ///< arrives with a margin at least the at-risk threshold
    at_risk,      ///< arrives, but with a margin under the threshold
    cannot_serve, ///< no compatible facility, no transport or no route in time
};

std::string_view to_string(TransportKind kind);
std::string_view to_string(Feasibility feasibility);
std::string_view to_string(Outcome outcome);
std::string_view to_string(Binding binding);
/// 避難 / 在宅避難 / 対応できない.
std::string_view label_ja(Outcome outcome);
/// What sets the margin, in Japanese (自宅に危険が及ぶ時刻, ...).
std::string_view label_ja(Binding binding);
/// Japanese label for outputs (予定どおり / 要注意 / 対応不可 ...).
std::string_view label_ja(Feasibility feasibility);
std::string_view label_ja(TransportKind kind);

/// A route on the road network, as used by outputs and the simulator.
struct PlannedRoute {
    TravelMode mode = TravelMode::car;
    double length_m = 0.0;
    std::int64_t travel_s = 0;         ///< at free-flow speed for the mode
    std::int64_t depart_s = 0;         ///< departure time this route was computed for
    std::vector<geo::EdgeId> edges;    ///< edges of the scenario's road network
    std::vector<geo::LonLat> geometry; ///< the path in lon/lat
    bool uses_hazard_closures = false; ///< computed with hazard closures active
    double overlap_with_primary = 0.0; ///< alternates: share of length shared with the primary
};

/// The standing-plan destination for one hazard type (planner/hazard_destinations.hpp): the
/// nearest suitable facility on an ordinary day, without this scenario's closures and without
/// sharing out places (a guide, 目安). Facility name and location are copied here because
/// plan.facilities lists only the facilities the plan assigns.
struct HazardDestination {
    std::string hazard; ///< flood, landslide, storm_surge, tsunami, earthquake
    std::string facility_id;
    std::string facility_name; ///< public name
    std::string facility_kind; ///< welfare_shelter, shelter, ... (as FacilityPlan::kind)
    geo::LonLat facility_location;
    TravelMode mode = TravelMode::car;
    std::int64_t travel_s = 0; ///< door to door at free-flow speed
    double length_m = 0.0;
    std::vector<geo::LonLat> geometry; ///< home -> facility in lon/lat (personal: starts at home)
    bool designation_unknown = false;  ///< no GSI hazard flags: 「指定の確認が必要」
    bool approximate = false;          ///< straight-line estimate (no road network)
};

/// One step of a child's order of use after the power cut (planner/power_model.hpp).
struct PowerStep {
    std::string source;   ///< power_station, car_socket, hybrid_outlet, generator,
                          ///< internal_battery, external_battery, oxygen_cylinder
    std::string device;   ///< device id for batteries and cylinders; empty for a shared source
    double start_h = 0.0; ///< hours after the power cut
    double end_h = 0.0;
};

/// One household backup source on its own, running the essential devices.
struct BackupSourcePlan {
    std::string source;      ///< power_station, car_socket, hybrid_outlet, generator
    double hours = 0.0;      ///< alone, from the power cut (concentrator included)
    bool carries_all = true; ///< false: its output runs only the most critical devices
    double fuel_held = 0.0;  ///< generators: fuel units held (cans or litres), else 0
    double fuel_per_h = 0.0; ///< generators: fuel units per hour at the planned load
    std::string fuel_unit;   ///< generators: 本 or L, else empty
    /// Devices (ids) its output cannot run with the more critical ones (carries_all false):
    /// a car socket's 100 W beside a ventilator leaves the concentrator out.
    std::vector<std::string> left_out;
};

/// The power picture of one child (from the care model, DOMAIN.md section 2).
struct ChildPower {
    double load_avg_w = 0.0;        ///< mean electrical load over a day
    double load_peak_w = 0.0;       ///< all devices running at once
    double essential_avg_w = 0.0;   ///< devices run on backup power (humidifier on HME), day mean
    double essential_peak_w = 0.0;  ///< the same, all at once
    double energy_horizon_wh = 0.0; ///< energy over the planning horizon
    double endurance_h = 0.0;       ///< total: batteries, backups and cylinders, from mains loss
                                    ///< (= total_endurance_h in plan.json)
    double device_battery_h =
        -1.0; ///< ventilation/infusion on the devices' own batteries alone, -1 none
    double cylinder_only_h = -1.0; ///< oxygen cylinders alone at the prescribed flow, -1 no oxygen
    double oxygen_h = -1.0;        ///< oxygen in all: cylinders first, then the concentrator on
                                   ///< backup power; -1 if no oxygen
    std::int64_t oxygen_cylinders_recommended = 0; ///< bridge (no concentrator: horizon) + reserve
    double oxygen_call_supplier_h =
        -1.0; ///< call the supplier by this many hours after the cut, -1 no oxygen
    std::vector<BackupSourcePlan> backup_sources; ///< in order of use
    std::vector<PowerStep> sequence;              ///< order of use up to endurance_h, by start
    std::int64_t outlets = 0;                     ///< sockets needed at the destination
    bool needs_nurse = false;
    bool needs_carer = false; ///< nurse or certified carer (喀痰吸引等)
    bool ventilator = false;
    bool oxygen = false;
    std::vector<std::string> devices; ///< catalogue ids, for example "vent", "suction"
};

/// The steps before and after the drive (planner/timing.hpp, data/timing.toml), seconds.
struct PreparationSteps {
    std::int64_t decision_s = 0;   ///< alert to the decision to leave
    std::int64_t packing_s = 0;    ///< packing and carrying out (helpers, night included)
    std::int64_t stairs_s = 0;     ///< floors to the ground (0 if unknown or recorded)
    std::int64_t loading_s = 0;    ///< into a scheduled vehicle (0 for the family car, on foot)
    std::int64_t transfer_s = 0;   ///< entrance to the care space with power
    std::int64_t connection_s = 0; ///< plugging in and checking the devices
    bool recorded = false;         ///< packing_s is the registry's drill-recorded packing_min
    bool night = false;            ///< packing starts at night (manifest t0_clock)
};

/// Everything the plan says about one child.
struct ChildPlan {
    std::string child_id;          ///< pseudonymous id from the registry
    std::string municipality_code; ///< 6-digit JIS code with check digit, e.g. 352021
    geo::LonLat home;              ///< personal: never in council outputs
    /// How the home was placed when the registry gave an address and no coordinates: "chome"
    /// (町丁目 point, about 100-300 m), "koaza" (小字, about 1 km), "oaza" (大字, 1-5 km: the
    /// coordinator must check the home on a map); empty = coordinates given (pinned).
    std::string home_precision;
    Mobility mobility = Mobility::carried;
    std::vector<std::string> care_items; ///< codes of DOMAIN.md section 1
    ChildPower power;

    TransportKind transport = TransportKind::none;
    std::string vehicle_id;                ///< for TransportKind::vehicle
    std::string facility_id;               ///< empty if none
    std::string fallback_facility_id;      ///< best fallback when the child cannot be served
    std::int64_t hazard_at_home_s = -1;    ///< when the hazard reaches the home, -1 = never
    std::int64_t mains_lost_s = 0;         ///< when mains power is assumed lost
    std::int64_t earliest_departure_s = 0; ///< decision + preparation (steps below)
    /// Leave home by then: the hazard reaches the home. -1 = not within the horizon.
    std::int64_t leave_by_s = -1;
    /// Be on power by then: mains lost + endurance of what the child carries - the safety
    /// margin. -1 = not within the horizon (or no supply-dependent function).
    std::int64_t arrive_by_s = -1;
    /// The latest departure from home with a route that never uses a closed road and arrives
    /// by arrive_by (and not after leave_by), in the child's mode, or by car for a vehicle.
    /// -1 = no deadline binds within the horizon, or the child does not travel.
    std::int64_t latest_safe_departure_s = -1;
    std::int64_t planned_departure_s = 0; ///< leaving home (a vehicle: after loading)
    std::int64_t arrival_s = -1;          ///< planned arrival, -1 if none
    /// On power: from boarding a vehicle whose outlet covers the essential load, else once the
    /// facility is open and the devices are connected; -1 if none.
    std::int64_t on_power_s = -1;
    /// min(leave_by - departure, latest safe departure - departure, arrive_by - on_power)
    /// over those that exist (negative = late); with none, horizon - on_power.
    std::int64_t margin_s = 0;
    Binding binding = Binding::none; ///< which deadline gives the margin
    /// When to set off (DOMAIN.md section 7): "level3" = at 高齢者等避難 (t0), waiting for the
    /// scenario's 避難指示 would leave a margin under the threshold; "level4" = could wait for
    /// 避難指示; "immediate" = tsunami or earthquake: at once when the shaking stops (no level 3);
    /// "" = the scenario has no level-4 time, or the child does not evacuate.
    std::string alert;
    PreparationSteps steps;
    std::optional<PlannedRoute> primary;
    std::optional<PlannedRoute> alternate;
    Outcome outcome = Outcome::cannot_serve;
    Feasibility status = Feasibility::cannot_serve;
    std::vector<std::string> reasons; ///< plain Japanese/English sentences, always non-empty
                                      ///< unless on time
    /// Standing plan per hazard type, in standing_plan_hazards() order; empty in plans made
    /// before it existed (plan.json without the field).
    std::vector<HazardDestination> destinations_by_hazard;
};

/// A shortage at a facility: what is missing and how much.
struct Shortage {
    std::string item; ///< power_kw, energy_kwh, fuel_l, outlets, nurses, ...
    double needed = 0.0;
    double available = 0.0;
};

/// What one facility must provide for the children the plan sends there and who arrive
/// (arrives_at_facility), with the load definition of planner/shelter_load.hpp.
struct FacilityPlan {
    std::string facility_id;
    std::string name; ///< public name of the facility
    std::string kind; ///< designated_shelter, welfare_shelter, hospital, ...
    std::string municipality_code;
    geo::LonLat location;
    /// "chome"/"koaza"/"oaza" when the location was found from the address (no coordinates in
    /// the source); empty = coordinates as published.
    std::string location_precision;
    std::int64_t capacity = 0;  ///< places (persons) as the facility gives them (-1 unknown)
    std::string capacity_basis; ///< area basis of the published capacity ("2㎡あたり1人")
    /// Access notes from a standard list's 備考 (車椅子対応, オストメイト, 福祉避難所, 授乳室).
    std::vector<std::string> accessibility;
    /// Qualified hazard flags as published, e.g. "洪水: ○（２階）" (safe from the 2nd floor up).
    std::vector<std::string> designation_notes;
    std::int64_t assigned = 0; ///< children who arrive there
    double generator_kw = 0.0;
    double fuel_l = 0.0;  ///< fuel held: its hours at rated output x the class's full-load use
    double peak_kw = 0.0; ///< needed: base peak + children's running load, surge, battery charging
    double energy_kwh = 0.0; ///< generator energy from the power cut to the horizon (average load)
    double fuel_needed_l =
        0.0; ///< fuel burnt from the power cut to the horizon at the planned load
    std::int64_t outlets_needed = 0;
    std::int64_t batteries_to_precharge = 0;
    std::int64_t nurses_needed =
        0; ///< nurses on the roster: nurse posts filled at every hour, in shifts
    std::int64_t carers_needed =
        0; ///< certified carers (or more nurses) on the roster for the other posts
    std::vector<std::pair<std::string, double>> consumables_72h; ///< item -> quantity
    std::vector<Shortage> shortages;
    // Added within version 2 (issue 18 item 6); older files read the defaults.
    std::int64_t places_needed = 0; ///< the children and their companions
    double evacuee_kw = 0.0;        ///< the generator's kW for evacuees (a hospital's: its share)
    double base_load_kw = 0.0;      ///< the shelter's own average load (lights, fridge, phones)
    double fuel_per_h = 0.0;        ///< litres an hour at the planned load (idle + proportional)
    double hours_to_refuel = -1.0;  ///< hours of running on the fuel held; -1 without a generator
    std::int64_t refuel_by_s =
        -1; ///< after t0: power cut + hours_to_refuel; -1 without a generator
    std::int64_t staff_shifts = 1; ///< people per post to cover every hour (ceil(24 h / shift))
    /// Outlets on backup power for medical devices as the facility gives them; -1 = not given
    /// (unknown: not a limit of the plan, and a warning of the facilities file).
    std::int64_t outlets = -1;
};

/// True when `c` is counted at its facility: the plan sends it there and it arrives (not
/// cannot_serve). The shelter needs and the council report's counts use this one rule.
inline bool arrives_at_facility(const ChildPlan& c) {
    return !c.facility_id.empty() && c.status != Feasibility::cannot_serve;
}

/// One stop of a vehicle tour.
struct TourStop {
    StopKind kind = StopKind::depot;
    std::string child_id;    ///< for pickup/delivery
    std::string facility_id; ///< for delivery
    geo::LonLat location;
    std::int64_t arrival_s = 0;
    std::int64_t departure_s = 0;
};

/// A wheelchair van's or ambulance's tour.
struct VehicleTour {
    std::string vehicle_id;
    std::string vehicle_type;
    std::vector<TourStop> stops;
    double length_m = 0.0;
};

/// Margins across the registry (minutes), for the summary.
struct PlanSummary {
    std::int64_t children = 0;
    std::int64_t on_time = 0;
    std::int64_t at_risk = 0;
    std::int64_t cannot_serve = 0;
    std::int64_t shelter_in_place = 0; ///< outcome shelter_in_place (counted in on_time too)
    double margin_min_p5 = 0.0;
    double margin_min_p50 = 0.0;
    double margin_min_p95 = 0.0;
    std::int64_t facilities_used = 0;
    std::int64_t facilities_short = 0;
};

/// The whole plan.
struct Plan {
    int format_version = kPlanFormatVersion;
    std::string scenario_name;
    std::string scenario_title; ///< human title, Japanese allowed
    std::string hazard_kind;    ///< flood, tsunami, landslide, storm_surge, earthquake, drill
    std::string t0_label;       ///< e.g. "2026-07-01T06:00+09:00 警戒レベル3"
    std::uint64_t seed = 0;
    std::int64_t horizon_h = 72;
    bool approximate = false; ///< straight-line mode: no real road network
    std::string approximation_note;
    std::string network_source; ///< path of the road network used
    std::int64_t at_risk_threshold_s = 1800;
    std::vector<ChildPlan> children;      ///< sorted by child_id
    std::vector<FacilityPlan> facilities; ///< sorted by facility_id
    std::vector<VehicleTour> tours;       ///< sorted by vehicle_id
    PlanSummary summary;
    std::vector<std::string> warnings; ///< non-fatal data issues, already sorted
};

} // namespace sonae::planner
