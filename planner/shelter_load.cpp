#include "planner/shelter_load.hpp"

#include <algorithm>
#include <cmath>

namespace sonae::planner {

ShelterUse shelter_use(const ChildNeeds& needs, int companions, const ShelterDefaults& defaults) {
    ShelterUse u;
    u.places = 1 + std::max(0, companions);
    u.outlets = needs.outlets;
    u.nurse_places = needs.staff == StaffLevel::nurse ? 1 : 0;
    u.care_places = needs.staff == StaffLevel::family ? 0 : 1;
    // A child without mains devices on backup power takes no power (its battery devices run
    // on their own); else its devices, the largest surge and its batteries charging, each
    // battery battery_charge_h a day on the average.
    if (needs.essential_peak_w > 0.0) {
        u.batteries = needs.external_batteries;
        const double charging_w = static_cast<double>(u.batteries) * defaults.battery_charge_w;
        u.power_w = static_cast<std::int64_t>(
            std::ceil(needs.essential_peak_w + needs.surge_w + charging_w - 1e-9));
        u.average_w =
            needs.essential_avg_w + charging_w * std::min(24.0, defaults.battery_charge_h) / 24.0;
    }
    return u;
}

int shifts_per_post(double horizon_h, const ShelterDefaults& defaults) {
    // One shift a day each: within a day, ceil(hours to cover / shift); beyond a day the
    // same people come back the next day.
    const double cover_h = std::clamp(horizon_h, 0.0, 24.0);
    return std::max(1, static_cast<int>(std::ceil(cover_h / defaults.shift_h - 1e-9)));
}

StaffOnDuty staff_on_duty(int nurses, int carers, int shifts) {
    StaffOnDuty s;
    s.shifts = std::max(1, shifts);
    s.nurse_posts = std::max(0, nurses) / s.shifts;
    s.care_posts = (std::max(0, nurses) + std::max(0, carers)) / s.shifts;
    return s;
}

std::int64_t roster_for(std::int64_t children, int shifts, int per_staff) {
    if (children <= 0) return 0;
    const std::int64_t per = std::max(1, per_staff);
    return (children + per - 1) / per * std::max(1, shifts);
}

ShelterOffer shelter_offer(const Facility& f, double horizon_h, std::int64_t unknown_places,
                           const PowerSourceDefaults& defaults) {
    const auto& sh = defaults.shelter;
    ShelterOffer o;
    o.places = f.capacity_persons.value_or(unknown_places);
    if (o.places < 0) o.places = unknown_places;
    o.evacuee_kw = f.generator_kw > 0.0 ? f.evacuee_generator_kw(sh.hospital_evacuee_share) : 0.0;
    if (o.evacuee_kw > 0.0) {
        o.power_w = std::max<std::int64_t>(0, static_cast<std::int64_t>(std::floor(
                                                  o.evacuee_kw * 1000.0 - sh.base_peak_w + 1e-9)));
    }
    o.outlets = f.outlets_known ? std::max(0, f.outlets) : kOutletsNotGiven;
    o.staff = staff_on_duty(f.nurses, f.carers, shifts_per_post(horizon_h, sh));
    o.nurse_places = o.staff.nurse_posts * sh.children_per_staff;
    o.care_places = o.staff.care_posts * sh.children_per_staff;
    return o;
}

ShelterMismatch shelter_mismatch(const Facility& f, const ShelterOffer& offer,
                                 const ChildNeeds& needs, const ShelterUse& use) {
    if (needs.needs_ventilator && !f.accepts_ventilator) return ShelterMismatch::no_ventilator;
    if (needs.needs_oxygen && !f.accepts_oxygen) return ShelterMismatch::no_oxygen;
    if (use.power_w > offer.power_w) return ShelterMismatch::no_power;
    if (use.outlets > offer.outlets) return ShelterMismatch::no_outlets;
    if (use.nurse_places > offer.nurse_places) return ShelterMismatch::no_nurse;
    if (use.care_places > offer.care_places) return ShelterMismatch::no_carer;
    return ShelterMismatch::none;
}

std::int64_t shelter_oxygen_cylinders(const ChildNeeds& needs, bool concentrator_powered,
                                      double stay_h, const OxygenDefaults& oxygen) {
    if (!needs.needs_oxygen || needs.oxygen_hours_per_cylinder <= 0.0) return 0;
    const double unpowered_h =
        needs.oxygen_concentrator && concentrator_powered ? 0.0 : std::max(0.0, stay_h);
    return static_cast<std::int64_t>(
               std::ceil(unpowered_h / needs.oxygen_hours_per_cylinder - 1e-9)) +
           std::max(0, oxygen.reserve_cylinders);
}

ShelterFuel shelter_fuel(const Facility& f, const ShelterOffer& offer, double average_w,
                         double run_h, double load_safety_factor,
                         const PowerSourceDefaults& defaults) {
    ShelterFuel out;
    const auto* g = defaults.facility_class();
    if (g == nullptr || f.generator_kw <= 0.0) return out;
    const double rated_w = f.generator_kw * 1000.0;
    // A hospital's generator carries the hospital too: its share not given to evacuees is
    // counted as fully used (the hospital plans it; the evacuees must not count on it).
    const double own_w = std::max(0.0, (f.generator_kw - offer.evacuee_kw) * 1000.0);
    out.held = g->fuel_for_rated_hours(rated_w, f.generator_fuel_h);
    out.planned_load_w = own_w + load_safety_factor * average_w;
    out.per_h = g->fuel_per_h(rated_w, out.planned_load_w);
    out.hours_to_refuel = out.per_h > 0.0 ? out.held / out.per_h : -1.0;
    out.needed = out.per_h * std::max(0.0, run_h);
    return out;
}

} // namespace sonae::planner
