#pragma once
/// Stage 3, transport: how each child travels (issue 17, item 5).
///  - A child who stays home (needs stage) travels nowhere: none.
///  - A stretcher means a scheduled vehicle.
///  - A household car with enough adults: one who drives, and for a ventilator or CPAP child
///    a second who watches the child and the device (a driver and a carer); then the family
///    drives.
///  - On foot (carried, pushed or walking with helpers: two for a carried or pushed child, one
///    for a child who walks) when the nearest compatible facility is within walk_max_m by
///    road in the child's mode (walk, wheelchair), at the earliest departure with the hazard's
///    closures; straight-line mode: straight distance x circuity.
///  - Otherwise a scheduled vehicle.

#include "planner/plan.hpp"
#include "planner/stages/access.hpp"
#include "planner/stages/compatibility.hpp"
#include "planner/stages/context.hpp"
#include "planner/stages/needs.hpp"

#include <string>
#include <vector>

namespace sonae::planner::stages {

/// One child's way of travelling.
struct TransportChoice {
    TransportKind kind = TransportKind::none;
    std::string mode; ///< travel profile: options.car_mode, walk_mode or wheelchair_mode
    std::vector<std::string>
        notes; ///< why a vehicle carries the child (Japanese, for the plan's reasons)
};

/// Ventilator or CPAP: a family car needs a driver and a carer, and a trained helper may ride
/// with the child instead of a nurse.
bool airway_device_child(const Child& child, const ChildNeeds& needs);

/// A trained parent or helper (registry trained_helpers) rides with a child who needs a nurse
/// or certified carer on board, instead of one (issue 17, item 5).
bool rides_with_trained_helper(const Child& c, const ChildNeed& w);

/// True when vehicle `v` can carry child `c` at all: a stretcher or wheelchair slot if the
/// child needs one, a nurse on board for a child who needs a nurse (unless a trained helper
/// rides along).
bool vehicle_can_carry(const Vehicle& v, const Child& c, const ChildNeed& w);

/// The transport of every child of ctx.children, in the same order.
std::vector<TransportChoice> choose_transport(const PlanContext& ctx, const NetworkAccess& access,
                                              const std::vector<ChildNeed>& needs,
                                              const Compatibility& compatibility);

} // namespace sonae::planner::stages
