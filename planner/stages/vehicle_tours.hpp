#pragma once
/// Stage 7, vehicle tours: the children who need a vehicle (transport stage) and got a
/// facility are picked up and delivered by the scenario's vehicles (planner/vrp.hpp: capacity
/// in seats, wheelchair and stretcher slots, nurse/carer skills, time windows from the earliest
/// departure to the deadline, maximum ride time for life-critical power). Legs are timed on
/// the car network without the edges that close before the group's earliest deadline. When
/// the places exceed options.vrp_max_locations, each child goes to the nearest vehicle that
/// can carry it and each vehicle is scheduled alone, as districts are.

#include "planner/plan.hpp"
#include "planner/stages/access.hpp"
#include "planner/stages/assignment.hpp"
#include "planner/stages/context.hpp"
#include "planner/stages/needs.hpp"
#include "planner/stages/transport.hpp"

#include <string>
#include <vector>

namespace sonae::planner::stages {

/// The stage's result.
struct VehicleTours {
    std::vector<ChildPlan> children;   ///< the child plans given, with vehicle, pickup and arrival
    std::vector<VehicleTour> tours;    ///< in the order scheduled (the plan sorts them by vehicle)
    std::vector<std::string> warnings; ///< for the plan (vehicles scheduled by district)
};

/// Schedules the vehicles and writes the result into `plans` (ctx.children order): a child
/// carried gets its vehicle, pickup time as planned departure and delivery as arrival; one no
/// vehicle can take gets arrival -1 and a reason.
VehicleTours schedule_vehicles(const PlanContext& ctx, const NetworkAccess& access,
                               const std::vector<ChildNeed>& needs,
                               const std::vector<TransportChoice>& transport,
                               const Assignment& assignment, std::vector<ChildPlan> plans);

} // namespace sonae::planner::stages
