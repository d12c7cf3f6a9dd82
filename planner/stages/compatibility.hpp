#pragma once
/// The rules for which facility may take which child, used by the candidates (a child's
/// searches look only for compatible facilities), the assignment's extension rounds and the
/// explanation given to a child without a place. A facility is compatible when it takes
/// evacuees directly, is a building (not an open-space emergency site only), is designated for
/// this hazard (when its designations are known), is not inside a hazard area, and accepts the
/// child's ventilator, oxygen, power (generator) and nursing needs.

#include "planner/power_model.hpp"
#include "planner/stages/context.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace sonae::planner::stages {

/// Why a facility cannot take a child, in the order the reasons are checked (ok: it can).
/// `unreachable`, `farther` and `capacity` are found later, by the searches and the assignment.
enum class Why : std::uint8_t {
    ok, no_direct, open_space, not_designated, in_hazard, no_ventilator, no_oxygen, no_power, no_nurse,
    no_carer, unreachable, farther, capacity
};

/// The reason in Japanese, as the plan prints it.
std::string_view why_text(Why why);

/// Which facilities can take which children.
class Compatibility {
public:
    /// Checks what depends on the facility alone (the same for every child) once.
    explicit Compatibility(const PlanContext& ctx);

    /// The reason that depends on facility j alone (ok if none).
    Why facility_why(std::size_t j) const { return m_facility_why[j]; }

    /// The first reason facility j cannot take a child with `needs` (ok if it can).
    Why why_not(const ChildNeeds& needs, std::size_t j) const {
        if (m_facility_why[j] != Why::ok) return m_facility_why[j];
        const auto& f = (*m_facilities)[j];
        if (needs.needs_ventilator && !f.accepts_ventilator) return Why::no_ventilator;
        if (needs.needs_oxygen && !f.accepts_oxygen) return Why::no_oxygen;
        if (needs.essential_peak_w > 0 && f.generator_kw * 1000.0 < needs.essential_peak_w) return Why::no_power;
        if (needs.staff == StaffLevel::nurse && f.nurses == 0) return Why::no_nurse;
        if (needs.staff == StaffLevel::carer && f.nurses + f.carers == 0) return Why::no_carer;
        return Why::ok;
    }

private:
    const std::vector<Facility>* m_facilities;
    std::vector<Why> m_facility_why;
};

} // namespace sonae::planner::stages
