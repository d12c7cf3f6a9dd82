#pragma once
/// A shelter's load as the plan counts it (issue 18 item 6): ONE definition for the rules of
/// which facility may take which child (planner/stages/compatibility.hpp, the destinations by
/// hazard), the assignment's capacities (planner/stages/assignment.hpp), the shelter needs
/// and shortages (planner/stages/shelter_needs.hpp, facilities.csv) and the council report.
/// Defaults: data/power_sources.toml [shelter] and [surge], each with a source or est.
///
/// - Places: the child and its companions (registry `companions`, default 1).
/// - Power: what the generator gives evacuees (a hospital's: generator_kw_for_evacuees, else a
///   documented share) minus the shelter's own peak (lights, the medicine fridge starting,
///   phone charging: base_peak_w). A child takes its essential devices' running power, plus
///   the largest start-up surge of one of them (a concentrator or a suction pump starts at
///   several times its running power; after a generator restart or refuelling they all start
///   again, so each child's surge is counted), plus the charging of its external batteries
///   (battery_charge_w each: the batteries the plan says to pre-charge are recharged there).
/// - Outlets: the sockets its mains devices need, against the outlets on backup power the
///   facility gives; not a limit when the facility table does not give them.
/// - Staff on duty: a nurse or a certified carer (喀痰吸引等研修) works one shift of shift_h a
///   day, so keeping one post filled at every hour takes ceil(min(horizon, 24 h) / shift_h) of
///   them (3 in 8-hour shifts); each post watches children_per_staff children. A child whose
///   care needs a nurse takes a nurse post's place (and a care place: a nurse is one of the
///   care staff); a child whose care a certified carer may give takes a care place, which a
///   nurse or a carer fills.
/// - Fuel: the generator's class (diesel_standby) burns idle + proportional fuel at the planned
///   load: 1.25 x (base_load_w + the children's average draw and battery charging); a
///   hospital's generator also carries the hospital, counted at its full non-evacuee share.

#include "planner/facility.hpp"
#include "planner/power_model.hpp"
#include "planner/power_sources.hpp"

#include <cstdint>

namespace sonae::planner {

/// What one child takes at a shelter.
struct ShelterUse {
    std::int64_t places = 1;       ///< the child and its companions
    std::int64_t power_w = 0;      ///< peak: running essential W + largest surge + battery charging
    std::int64_t outlets = 0;      ///< sockets for its mains devices
    std::int64_t nurse_places = 0; ///< 1 if its care needs a nurse
    std::int64_t care_places = 0;  ///< 1 if its care needs a nurse or a certified carer
    double average_w =
        0.0; ///< essential devices at their duty + battery charging spread over a day
    std::int64_t batteries = 0; ///< external batteries charged there
};

/// The use of a child with `needs` and `companions` family members (negative counts as 0).
ShelterUse shelter_use(const ChildNeeds& needs, int companions, const ShelterDefaults& defaults);

/// Staff on duty at every hour of the horizon.
struct StaffOnDuty {
    int shifts = 1;               ///< staff per post: ceil(min(horizon, 24 h) / shift_h)
    std::int64_t nurse_posts = 0; ///< floor(nurses / shifts)
    std::int64_t care_posts = 0;  ///< floor((nurses + carers) / shifts): nurse posts included
};

/// Shifts needed to keep one post filled over `horizon_h` (at least 1).
int shifts_per_post(double horizon_h, const ShelterDefaults& defaults);
/// The posts `nurses` and `carers` fill at every hour in `shifts` shifts.
StaffOnDuty staff_on_duty(int nurses, int carers, int shifts);
/// Staff on the roster to watch `children` at every hour: ceil(children / per_staff) posts,
/// `shifts` people each.
std::int64_t roster_for(std::int64_t children, int shifts, int per_staff);

/// What a facility offers the plan's children.
struct ShelterOffer {
    std::int64_t places = 0;  ///< capacity_persons, or `unknown_places` when not given
    std::int64_t power_w = 0; ///< evacuee W minus the shelter's base peak (0 without a generator)
    std::int64_t outlets = 0; ///< outlets on backup power; a large number when not given
    std::int64_t nurse_places = 0; ///< nurse posts x children_per_staff
    std::int64_t care_places = 0;  ///< care posts x children_per_staff
    double evacuee_kw = 0.0;       ///< the generator's kW for evacuees
    StaffOnDuty staff;
};

/// Outlets offered by a facility whose table gives none: not a constraint of the plan.
inline constexpr std::int64_t kOutletsNotGiven = 1'000'000;

/// The offer of `f` over `horizon_h`.
ShelterOffer shelter_offer(const Facility& f, double horizon_h, std::int64_t unknown_places,
                           const PowerSourceDefaults& defaults);

/// Why a facility cannot take a child whatever the other children (none: it can).
enum class ShelterMismatch : std::uint8_t {
    none,
    no_ventilator,
    no_oxygen,
    no_power,
    no_outlets,
    no_nurse,
    no_carer
};

/// The first reason `f` (offering `offer`) cannot take a child with `needs` and `use`.
ShelterMismatch shelter_mismatch(const Facility& f, const ShelterOffer& offer,
                                 const ChildNeeds& needs, const ShelterUse& use);

/// Oxygen cylinders a shelter keeps for one child with `needs` (issue 18 item 5): cylinders
/// cover the time the child's concentrator has no power. A concentrator the shelter's
/// generator runs (`concentrator_powered`) needs no cylinder there beyond the reserve agreed
/// with the supplier (data/power_sources.toml [oxygen] reserve_cylinders: a generator stop or
/// a refuelling); a child on cylinders alone, or whose concentrator the shelter cannot run,
/// uses them over its stay: ceil(stay_h / hours per cylinder) + the reserve. 0 without oxygen
/// flow.
std::int64_t shelter_oxygen_cylinders(const ChildNeeds& needs, bool concentrator_powered,
                                      double stay_h, const OxygenDefaults& oxygen);

/// A generator's fuel over the time it runs.
struct ShelterFuel {
    double held = 0.0;           ///< fuel units held: hours at rated output x the class's full use
    double planned_load_w = 0.0; ///< load_safety_factor x average load (+ a hospital's own share)
    double per_h = 0.0;          ///< units an hour at the planned load (idle + proportional)
    double hours_to_refuel = -1.0; ///< held / per_h; -1 without a generator
    double needed = 0.0;           ///< per_h x run_h
};

/// Fuel of `f`'s generator running `run_h` hours at an evacuee average load of `average_w`
/// (base load included) with `offer`'s evacuee share; all zero (hours_to_refuel -1) without a
/// generator.
ShelterFuel shelter_fuel(const Facility& f, const ShelterOffer& offer, double average_w,
                         double run_h, double load_safety_factor,
                         const PowerSourceDefaults& defaults);

} // namespace sonae::planner
