#include "planner/stages/shelter_needs.hpp"

#include <map>
#include <string>

namespace sonae::planner::stages {

namespace {

constexpr double kFuelLitresPerKwh = 0.6; // small inverter generators, ~1.7 kWh per litre (est.)

} // namespace

std::vector<FacilityPlan> shelter_needs(const PlanContext& ctx, const std::vector<ChildNeed>& needs,
                                        const Assignment& assignment) {
    ctx.report("shelter needs", 0.9);
    const auto& facilities = ctx.facilities;
    const auto& children = ctx.children;
    const auto& catalogue = ctx.scenario.catalogue;
    const std::size_t n = children.size();
    const std::size_t f_count = facilities.size();
    std::vector<FacilityPlan> out;
    std::vector<std::vector<std::size_t>> at(f_count);
    for (std::size_t i = 0; i < n; ++i) {
        if (const auto j = assignment.facility_of(i)) at[*j].push_back(i);
    }
    for (std::size_t j = 0; j < f_count; ++j) {
        if (at[j].empty()) continue;
        const auto& f = facilities[j];
        FacilityPlan fp;
        fp.facility_id = f.id;
        fp.name = f.name;
        for (std::size_t k = 0; k < kFacilityKindCount; ++k) {
            if (f.is(static_cast<FacilityKind>(k))) {
                fp.kind += (fp.kind.empty() ? "" : "+") + std::string(to_string(static_cast<FacilityKind>(k)));
            }
        }
        fp.municipality_code = f.municipality_code;
        fp.location = f.position;
        if (f.position_precision) fp.location_precision = std::string(to_string(*f.position_precision));
        fp.capacity = f.capacity_persons.value_or(-1);
        fp.capacity_basis = f.capacity_basis;
        fp.accessibility = f.accessibility;
        fp.designation_notes = f.designation_notes;
        fp.assigned = static_cast<std::int64_t>(at[j].size());
        fp.generator_kw = f.generator_kw;
        fp.fuel_l = f.generator_fuel_h * f.generator_kw * kFuelLitresPerKwh;
        std::map<std::string, double> consumables;
        std::int64_t nurse_children = 0, carer_children = 0;
        for (const auto i : at[j]) {
            const auto& child_needs = needs[i].needs;
            fp.peak_kw += child_needs.load_peak_w / 1000.0;
            fp.energy_kwh += child_needs.energy_horizon_wh / 1000.0;
            fp.outlets_needed += child_needs.outlets;
            for (const auto& d : children[i].devices) {
                const auto* spec = catalogue.find(d.type);
                if (d.external_battery_h.value_or(0) > 0 || (spec && spec->external_battery_h > 0)) {
                    fp.batteries_to_precharge += d.count;
                }
            }
            if (child_needs.staff == StaffLevel::nurse) ++nurse_children;
            if (child_needs.staff == StaffLevel::carer) ++carer_children;
            for (const auto& c : child_needs.consumables) consumables[c.name + " (" + c.unit + ")"] += c.day3;
        }
        fp.fuel_needed_l = fp.energy_kwh * kFuelLitresPerKwh;
        fp.nurses_needed = (nurse_children + kChildrenPerStaff - 1) / kChildrenPerStaff;
        fp.carers_needed = (carer_children + kChildrenPerStaff - 1) / kChildrenPerStaff;
        for (const auto& [k, v] : consumables) fp.consumables_72h.emplace_back(k, v);
        if (fp.capacity >= 0 && fp.assigned > fp.capacity) fp.shortages.push_back({"places", double(fp.assigned), double(fp.capacity)});
        if (fp.peak_kw > f.generator_kw) fp.shortages.push_back({"power_kw", fp.peak_kw, f.generator_kw});
        if (fp.fuel_needed_l > fp.fuel_l + 1e-9 && fp.energy_kwh > 0) fp.shortages.push_back({"fuel_l", fp.fuel_needed_l, fp.fuel_l});
        if (fp.outlets_needed > f.outlets) fp.shortages.push_back({"outlets", double(fp.outlets_needed), double(f.outlets)});
        if (fp.nurses_needed > f.nurses) fp.shortages.push_back({"nurses", double(fp.nurses_needed), double(f.nurses)});
        if (fp.nurses_needed + fp.carers_needed > f.nurses + f.carers)
            fp.shortages.push_back({"nurses_and_carers", double(fp.nurses_needed + fp.carers_needed), double(f.nurses + f.carers)});
        out.push_back(std::move(fp));
    }
    return out;
}

} // namespace sonae::planner::stages
