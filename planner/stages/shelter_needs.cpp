#include "planner/stages/shelter_needs.hpp"

#include "planner/shelter_load.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <string>

namespace sonae::planner::stages {

namespace {
constexpr std::string_view kOxygenCylinder = "oxygen cylinder"; ///< planner/power_model.cpp's key
} // namespace

std::vector<FacilityPlan> shelter_needs(const PlanContext& ctx, const std::vector<ChildNeed>& needs,
                                        const Compatibility& compatibility,
                                        const std::vector<ChildPlan>& plans) {
    ctx.report("shelter needs", 0.9);
    const auto& facilities = ctx.facilities;
    const auto& children = ctx.children;
    const auto& defaults = default_power_sources();
    const auto& sh = defaults.shelter;
    const double load_safety_factor = PowerOptions{}.load_safety_factor;
    // The generator runs from the power cut to the end of the horizon.
    const double run_h =
        static_cast<double>(std::max<std::int64_t>(0, ctx.horizon_s - ctx.mains_lost_s)) / 3600.0;
    const std::size_t n = children.size();
    const std::size_t f_count = facilities.size();
    if (plans.size() != n) throw std::logic_error("shelter_needs: one plan per child expected");
    std::map<std::string, std::size_t> index;
    for (std::size_t j = 0; j < f_count; ++j) index.emplace(facilities[j].id, j);
    std::vector<FacilityPlan> out;
    std::vector<std::vector<std::size_t>> at(f_count);
    // Every facility a child names is in the plan (plan_check refuses a plan without it), also
    // one only a child who does not arrive names: a child the vehicle tours could not carry
    // keeps the facility the assignment gave it (its guidebook names it). Such a facility
    // needs nothing for the children: it is listed with its own facts alone.
    std::vector<char> named(f_count, 0);
    for (std::size_t i = 0; i < n; ++i) {
        const auto it = index.find(plans[i].facility_id);
        if (it == index.end()) continue;
        named[it->second] = 1;
        if (arrives_at_facility(plans[i])) at[it->second].push_back(i);
    }
    for (std::size_t j = 0; j < f_count; ++j) {
        if (!named[j]) continue;
        const auto& f = facilities[j];
        const auto& offer = compatibility.offer(j);
        FacilityPlan fp;
        fp.facility_id = f.id;
        fp.name = f.name;
        for (std::size_t k = 0; k < kFacilityKindCount; ++k) {
            if (f.is(static_cast<FacilityKind>(k))) {
                fp.kind += (fp.kind.empty() ? "" : "+") +
                           std::string(to_string(static_cast<FacilityKind>(k)));
            }
        }
        fp.municipality_code = f.municipality_code;
        fp.location = f.position;
        if (f.position_precision)
            fp.location_precision = std::string(to_string(*f.position_precision));
        fp.capacity = f.capacity_persons.value_or(-1);
        fp.capacity_basis = f.capacity_basis;
        fp.accessibility = f.accessibility;
        fp.designation_notes = f.designation_notes;
        fp.assigned = static_cast<std::int64_t>(at[j].size());
        fp.generator_kw = f.generator_kw;
        fp.evacuee_kw = offer.evacuee_kw;
        fp.staff_shifts = offer.staff.shifts;
        fp.outlets = f.outlets_known ? std::max(0, f.outlets) : -1;
        if (at[j].empty()) {
            fp.fuel_l = shelter_fuel(f, offer, 0.0, 0.0, load_safety_factor, defaults).held;
            out.push_back(std::move(fp));
            continue;
        }
        std::map<std::string, double> consumables;
        std::int64_t nurse_children = 0, care_children = 0;
        // The same load definition as the assignment (planner/shelter_load.hpp): the shelter's
        // own load, then each child's essential devices, start-up surge and batteries charging.
        const bool powered = offer.evacuee_kw > 0.0;
        double peak_w = powered ? sh.base_peak_w : 0.0;
        double average_w = powered ? sh.base_load_w : 0.0;
        for (const auto i : at[j]) {
            const auto& child_needs = needs[i].needs;
            const auto use = shelter_use(child_needs, children[i].companions, sh);
            fp.places_needed += use.places;
            peak_w += static_cast<double>(use.power_w);
            average_w += use.average_w;
            fp.outlets_needed += use.outlets;
            fp.batteries_to_precharge += use.batteries;
            nurse_children += use.nurse_places;
            care_children += use.care_places;
            for (const auto& c : child_needs.consumables) {
                // The child's cylinder stock is the family's bridge at home; the shelter's
                // cylinders are counted below from its own power.
                if (c.name == kOxygenCylinder) continue;
                consumables[c.name + " (" + c.unit + ")"] += c.day3;
            }
        }
        fp.base_load_kw = powered ? sh.base_load_w / 1000.0 : 0.0;
        fp.peak_kw = peak_w / 1000.0;
        // Oxygen cylinders (issue 18 item 5): none for a concentrator the generator runs (only
        // the reserve), cylinders over the stay when the generator cannot run it (none, or
        // short of power for all) or the child has no concentrator.
        const bool concentrators_powered = powered && fp.peak_kw <= offer.evacuee_kw + 1e-9;
        std::int64_t cylinders = 0;
        for (const auto i : at[j]) {
            const std::int64_t from_s = std::max<std::int64_t>(0, plans[i].arrival_s);
            const double stay_h =
                static_cast<double>(std::max<std::int64_t>(0, ctx.horizon_s - from_s)) / 3600.0;
            cylinders += shelter_oxygen_cylinders(needs[i].needs, concentrators_powered, stay_h,
                                                  defaults.oxygen);
        }
        if (cylinders > 0)
            consumables[std::string(kOxygenCylinder) + " (cylinders)"] +=
                static_cast<double>(cylinders);
        fp.energy_kwh = average_w * run_h / 1000.0;
        const auto fuel = shelter_fuel(f, offer, average_w, run_h, load_safety_factor, defaults);
        fp.fuel_l = fuel.held;
        fp.fuel_per_h = fuel.per_h;
        fp.fuel_needed_l = fuel.needed;
        fp.hours_to_refuel = fuel.hours_to_refuel;
        if (fuel.hours_to_refuel >= 0) {
            fp.refuel_by_s = ctx.mains_lost_s +
                             static_cast<std::int64_t>(std::floor(fuel.hours_to_refuel * 3600.0));
        }
        // Staff on the roster to fill the posts at every hour, in shifts: nurse posts for the
        // children who need a nurse, then posts a nurse or a certified carer fills.
        fp.nurses_needed = roster_for(nurse_children, offer.staff.shifts, sh.children_per_staff);
        const std::int64_t all_staff =
            roster_for(care_children, offer.staff.shifts, sh.children_per_staff);
        fp.carers_needed = std::max<std::int64_t>(0, all_staff - fp.nurses_needed);
        for (const auto& [k, v] : consumables) fp.consumables_72h.emplace_back(k, v);
        if (fp.capacity >= 0 && fp.places_needed > fp.capacity)
            fp.shortages.push_back({"places", double(fp.places_needed), double(fp.capacity)});
        if (fp.peak_kw > fp.evacuee_kw + 1e-9 && fp.peak_kw > 0)
            fp.shortages.push_back({"power_kw", fp.peak_kw, fp.evacuee_kw});
        if (fp.fuel_needed_l > fp.fuel_l + 1e-9)
            fp.shortages.push_back({"fuel_l", fp.fuel_needed_l, fp.fuel_l});
        if (f.outlets_known && fp.outlets_needed > f.outlets)
            fp.shortages.push_back({"outlets", double(fp.outlets_needed), double(f.outlets)});
        if (fp.nurses_needed > f.nurses)
            fp.shortages.push_back({"nurses", double(fp.nurses_needed), double(f.nurses)});
        if (all_staff > f.nurses + f.carers)
            fp.shortages.push_back(
                {"nurses_and_carers", double(all_staff), double(f.nurses + f.carers)});
        out.push_back(std::move(fp));
    }
    return out;
}

} // namespace sonae::planner::stages
