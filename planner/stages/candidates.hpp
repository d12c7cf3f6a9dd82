#pragma once
/// Stage 4, candidates: per child, the compatible facilities (planner/stages/compatibility.hpp)
/// nearest by arrival time. Each child's search on the network starts from home at the
/// earliest departure and is time-dependent: an edge is closed from the moment the hazard
/// reaches it and slowed in shallow water (geo/routing.hpp). It stops after
/// options.candidate_facilities facilities: the nearest ones are where an optimal assignment
/// sends a child unless they are full, and the assignment's extension rounds search on for a
/// child left without a place. Straight-line mode offers every compatible facility at
/// distance x circuity at the mode's speed.

#include "geo/routing.hpp"
#include "planner/stages/access.hpp"
#include "planner/stages/compatibility.hpp"
#include "planner/stages/context.hpp"
#include "planner/stages/needs.hpp"
#include "planner/stages/transport.hpp"
#include "planner/stages/workers.hpp"

#include <algorithm>
#include <cstdint>
#include <set>
#include <span>
#include <vector>

namespace sonae::planner::stages {

/// A compatible facility reached by a child's search.
struct Candidate {
    std::uint32_t facility = 0; ///< index into ctx.facilities
    std::int64_t travel_s = 0;  ///< from the earliest departure to arrival
    auto operator<=>(const Candidate&) const = default;
};

/// One child's candidates and how far its searches went.
struct CandidateSet {
    std::vector<Candidate> candidates; ///< sorted by facility index
    bool searched_all = true;          ///< false: the search stopped at candidate_facilities
    bool home_on_network = true; ///< false: the home is farther than max_snap_m from a usable road
    bool extended = false;       ///< searched on to facilities with room (the assignment's rounds)
    std::vector<std::uint32_t> extension; ///< the facilities that search looked for

    /// Travel time to facility j in seconds, -1 if j is not among the candidates.
    std::int64_t travel_to(std::size_t j) const {
        const auto it = std::lower_bound(candidates.begin(), candidates.end(),
                                         Candidate{static_cast<std::uint32_t>(j), 0});
        return it != candidates.end() && it->facility == j ? it->travel_s : -1;
    }
};

/// The stage's result.
struct Candidates {
    std::vector<CandidateSet> of_child; ///< ctx.children order
    /// The searches' A* potential: per travel mode in use, every node's closure-free time to
    /// the nearest facility some child could use (a lower bound to each child's targets).
    Potentials potential;
};

/// The candidates of every child.
Candidates find_candidates(const PlanContext& ctx, const NetworkAccess& access,
                           const std::vector<ChildNeed>& needs,
                           const std::vector<TransportChoice>& transport,
                           const Compatibility& compatibility);

/// Searches from `home` at the earliest departure in travel mode `mode` through `list`
/// (facility indices) in order of arrival, adding each to `set` as a candidate, and stops after
/// options.candidate_facilities of them (then set.searched_all = false). Network mode only.
/// `max_length_m` > 0 (a child on foot: options.walk_max_m) drops the facilities farther than
/// that by road.
void search_on(const PlanContext& ctx, const NetworkAccess& access, SearchScratch& scratch,
               geo::LonLat home, const std::string& mode, std::int64_t earliest_departure_s,
               const std::vector<std::uint32_t>& list, std::span<const geo::Distance> potential,
               CandidateSet& set, double max_length_m = 0.0);

/// The travel modes of the given children (indices into `transport`).
std::set<std::string> modes_of(const std::vector<TransportChoice>& transport,
                               const std::vector<std::size_t>& who);

} // namespace sonae::planner::stages
