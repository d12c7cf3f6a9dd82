#pragma once
/// The rules for which facility may take which child, used by the candidates (a child's
/// searches look only for compatible facilities), the assignment's extension rounds and the
/// explanation given to a child without a place. A facility is compatible when it takes
/// evacuees directly, is a building (not an open-space emergency site only), is designated for
/// this hazard (when its designations are known), is not inside a hazard area, and accepts the
/// child's ventilator and oxygen, and has for it alone the power for evacuees, the outlets and
/// the nurses or certified carers on duty at every hour (planner/shelter_load.hpp: the same
/// definitions as the assignment's capacities and the shelter needs).

#include "planner/power_model.hpp"
#include "planner/shelter_load.hpp"
#include "planner/stages/context.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace sonae::planner::stages {

/// Why a facility cannot take a child, in the order the reasons are checked (ok: it can).
/// `unreachable`, `farther` and `capacity` are found later, by the searches and the assignment.
enum class Why : std::uint8_t {
    ok,
    no_direct,
    open_space,
    not_designated,
    in_hazard,
    no_ventilator,
    no_oxygen,
    no_power,
    no_outlets,
    no_nurse,
    no_carer,
    unreachable,
    farther,
    capacity
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

    /// What facility j offers the plan's children (planner/shelter_load.hpp).
    const ShelterOffer& offer(std::size_t j) const { return m_offers[j]; }

    /// The first reason facility j cannot take a child with `needs` (ok if it can).
    Why why_not(const ChildNeeds& needs, std::size_t j) const {
        if (m_facility_why[j] != Why::ok) return m_facility_why[j];
        const auto use = shelter_use(needs, 0, default_power_sources().shelter);
        switch (shelter_mismatch((*m_facilities)[j], m_offers[j], needs, use)) {
        case ShelterMismatch::none: return Why::ok;
        case ShelterMismatch::no_ventilator: return Why::no_ventilator;
        case ShelterMismatch::no_oxygen: return Why::no_oxygen;
        case ShelterMismatch::no_power: return Why::no_power;
        case ShelterMismatch::no_outlets: return Why::no_outlets;
        case ShelterMismatch::no_nurse: return Why::no_nurse;
        case ShelterMismatch::no_carer: return Why::no_carer;
        }
        return Why::ok;
    }

private:
    const std::vector<Facility>* m_facilities;
    std::vector<Why> m_facility_why;
    std::vector<ShelterOffer> m_offers;
};

/// Places assumed at a facility whose capacity is not given (est.).
inline constexpr std::int64_t kUnknownCapacity = 30;

} // namespace sonae::planner::stages
