#pragma once
/// Synthetic children and shelters for planner and simulator tests on hand-drawn networks.

#include "planner/facility.hpp"
#include "planner/registry.hpp"
#include "planner/vehicle.hpp"

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

/// An ambulance "AMB" based at `base`: a nurse and two seats; a stretcher and an outlet
/// (watts, 0 = none) where a test needs them.
struct AmbulanceSpec {
    int stretcher_slots = 0;
    double outlet_w = 0.0;
};
inline planner::Vehicle ambulance(geo::LonLat base, AmbulanceSpec spec = {}) {
    planner::Vehicle amb;
    amb.id = "AMB";
    amb.type = planner::VehicleType::ambulance;
    amb.seats = 2;
    amb.stretcher_slots = spec.stretcher_slots;
    amb.nurse = true;
    amb.outlet_w = spec.outlet_w;
    amb.base = base;
    return amb;
}

/// A welfare shelter with room (100 places), a generator, outlets (not a limit: not "given")
/// and nurses for 15 medical children: 15 nurses in 8-hour shifts fill 5 posts of 3 children.
inline planner::Facility powered_shelter(const std::string& id, geo::LonLat at,
                                         double generator_kw = 5) {
    planner::Facility f;
    f.id = id;
    f.name = id;
    f.municipality_code = "352021";
    f.position = at;
    f.add_kind(planner::FacilityKind::welfare_shelter);
    f.capacity_persons = 100;
    f.generator_kw = generator_kw;
    f.outlets = 20;
    f.nurses = 15;
    f.accepts_ventilator = true;
    f.accepts_oxygen = true;
    return f;
}

} // namespace sonae::test

#include "geo/hazard.hpp"

#include <span>
#include <vector>

namespace sonae::test {

/// One square flood zone for hand-drawn scenarios: about 60 m across (±0.0003°) around
/// `center`, 1 m deep (roads through it close), hazardous from `onset_ms`.
struct SquareZone {
    geo::LonLat center;
    std::int64_t onset_ms = 0;
    std::string id = "zone";
};

/// A hazard layer of square flood zones.
inline geo::Hazards square_floods(const std::vector<SquareZone>& zones) {
    geo::HazardsBuilder hb;
    const auto layer = hb.add_layer({.file = "test", .kind = geo::HazardKind::flood});
    for (const auto& z : zones) {
        geo::HazardArea area;
        area.kind = geo::HazardKind::flood;
        area.depth_m = 1.0;
        area.onset_ms = z.onset_ms;
        area.layer = layer;
        area.feature_id = z.id;
        const auto p = z.center;
        const geo::LonLatPolygon poly = {{{p.lon - 0.0003, p.lat - 0.0003},
                                          {p.lon + 0.0003, p.lat - 0.0003},
                                          {p.lon + 0.0003, p.lat + 0.0003},
                                          {p.lon - 0.0003, p.lat + 0.0003},
                                          {p.lon - 0.0003, p.lat - 0.0003}}};
        if (!hb.add_area(area, std::span<const geo::LonLatPolygon>(&poly, 1))) {
            throw std::invalid_argument("square zone " + z.id + " was not accepted");
        }
    }
    return std::move(hb).build();
}

} // namespace sonae::test
