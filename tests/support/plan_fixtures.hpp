#pragma once
/// Synthetic children and shelters for planner and simulator tests on hand-drawn networks.

#include "planner/facility.hpp"
#include "planner/registry.hpp"

#include <string>

namespace sonae::test {

/// A child the family can look after, carried out and driven in the family car by two helpers.
inline planner::Child family_child(const std::string& id, geo::LonLat home) {
    planner::Child c;
    c.id = id;
    c.municipality_code = "352021";
    c.home = home;
    c.mobility = planner::Mobility::carried;
    c.vehicle = planner::HouseholdVehicle::car;
    c.helpers = 2;
    c.care_items = {planner::CareItem::bowel}; // family-managed, no power
    return c;
}

/// A welfare shelter with room (100 places), a generator, outlets and nurses for everyone.
inline planner::Facility powered_shelter(const std::string& id, geo::LonLat at, double generator_kw = 5) {
    planner::Facility f;
    f.id = id;
    f.name = id;
    f.municipality_code = "352021";
    f.position = at;
    f.add_kind(planner::FacilityKind::welfare_shelter);
    f.capacity_persons = 100;
    f.generator_kw = generator_kw;
    f.outlets = 20;
    f.nurses = 5;
    f.accepts_ventilator = true;
    f.accepts_oxygen = true;
    return f;
}

} // namespace sonae::test
