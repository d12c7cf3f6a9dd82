#pragma once
/// Stage 5, assignment: each child's destination as a min-cost flow over the candidates
/// (planner/assignment.hpp), cost = arrival time (waiting for the facility to open) + ten times
/// the lateness past the child's deadline, with the capacities of planner/shelter_load.hpp:
/// places (a child and its companions), generator power for evacuees (running load, start-up
/// surge, battery charging; the shelter's own peak deducted), outlets on backup power, nurse
/// places and nurse-or-carer places of the staff on duty in shifts. A child that no vehicle of
/// the fleet can carry (transport by vehicle, no suitable slot or nurse) yields its place to
/// one who can get there when places are short. Then up to three extension rounds: a
/// child whose search stopped early and who got no place, or only its farthest candidate,
/// searches on to the nearest compatible facilities that still have room, and the flow is
/// solved again.

#include "planner/assignment.hpp"
#include "planner/stages/access.hpp"
#include "planner/stages/candidates.hpp"
#include "planner/stages/compatibility.hpp"
#include "planner/stages/context.hpp"
#include "planner/stages/needs.hpp"
#include "planner/stages/transport.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sonae::planner::stages {

/// The arrival at facility `f` of a child who would get there at `arrival_s`: not before it opens.
inline std::int64_t open_by(const Facility& f, std::int64_t arrival_s) {
    return std::max(arrival_s, f.opening_delay_s);
}

/// The stage's result.
struct Assignment {
    AssignmentResult flow; ///< supply_of (per child), load (per facility), costs
    std::vector<AssignmentResources> capacity; ///< per facility
    std::vector<AssignmentResources> usage;    ///< per child
    std::vector<CandidateSet> candidates;      ///< per child, as extended by the rounds
    std::vector<std::string> warnings;         ///< for the plan (a repaired, unproven flow)

    /// Child i's facility (index into ctx.facilities), if it got one.
    std::optional<std::size_t> facility_of(std::size_t i) const {
        const auto& s = flow.supply_of[i];
        return s ? std::optional<std::size_t>(s->value()) : std::nullopt;
    }
};

/// Assigns the children to facilities; `candidates` (the stage before's) are extended and
/// returned in the result. `potential`: the first searches' A* potential (Candidates::potential,
/// the time to the nearest facility some child could use), which the extension rounds' searches
/// use too.
Assignment assign_destinations(const PlanContext& ctx, const NetworkAccess& access,
                               const std::vector<ChildNeed>& needs,
                               const std::vector<TransportChoice>& transport,
                               const Compatibility& compatibility,
                               std::vector<CandidateSet> candidates, const Potentials& potential);

} // namespace sonae::planner::stages
