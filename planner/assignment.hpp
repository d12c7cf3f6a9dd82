#pragma once
/// Destination assignment: children (demands) to facilities (supplies) at least total cost,
/// as a min-cost flow with Boost.Graph (issue 4 item 3).
///
/// The API is generic: it knows nothing of the registry or the facility list. The caller
/// (planner) decides compatibility (hazard flags, accepted devices, opening time, ...) and
/// the cost of each compatible pair (travel seconds plus documented penalties), and passes a
/// sparse list of arcs. Every demand is in the result: a child with no compatible facility,
/// or whose compatible facilities are full, comes back unassigned at its `unserved_cost`.
///
/// ## Model
/// Minimise  sum over assigned (d, s) of cost(d, s) + sum over unassigned d of unserved_cost(d)
/// subject to: each demand is assigned to at most one supply through one of its arcs, and for
/// every supply s and every capacity dimension k (places, power_w, outlets, nurse_places,
/// care_places):
///     sum of usage_k(d) over demands d assigned to s  <=  capacity_k(s).
///
/// ## Optimality (read this before relying on "optimal")
/// A flow carries one commodity, one unit per child; it cannot carry five resource dimensions,
/// nor a child that takes two places without splitting it. solve_assignment therefore works in
/// rounds:
/// 1. Pre-filter: an arc whose demand alone exceeds the supply in any dimension is dropped.
/// 2. Relaxation: each supply s may take at most K(s) children, where K(s) is, for every
///    dimension, the largest number of its compatible children whose *smallest* usages still
///    fit, minimised over the dimensions. Any feasible assignment respects this, so the
///    min-cost flow with these counts is a relaxation and its cost is a true lower bound.
/// 3. If the flow's assignment fits every dimension at every supply, it is optimal for the
///    full problem (`proven_optimal`). This is always the case when every child takes one place
///    and the other dimensions do not bind (the transportation problem is totally unimodular),
///    the usual case for shelters whose power and staff exceed their places.
/// 4. Otherwise (a heuristic, stated as such) two phases, keeping the cheapest feasible answer:
///    a. Repair: at each over-full supply, children are evicted (their arc to it banned) in
///       order of least regret per share of the overflow they free (regret = cost of their
///       next-best option minus the current cost), and the flow is solved again; after
///       `max_repair_rounds` any remaining overflow is evicted to unassigned.
///    b. Lagrangian rounds: the capacity rows move into the arc costs with multipliers
///       (cost + floor(sum_k lambda_sk usage_k)), updated by subgradient steps; each flow
///       raises the lower bound (flow cost minus sum lambda_sk capacity_sk) and, repaired,
///       gives a candidate. Stops early when the best candidate meets the bound.
///    Every candidate then goes through a local search (move a child to a cheaper supply with
///    room, or there by moving one of its children elsewhere or to unassigned). The result is
///    always feasible; `lower_bound_cost` and `total_cost` bound the gap, and when they meet
///    the answer is proven optimal. This is the generalised assignment problem (NP-hard); the
///    integration test measures the gap against GLPK's MIP optimum.
///
/// Deterministic: arcs are sorted by (demand, supply) before the network is built, duplicates
/// of a pair keep the cheapest, and ties are broken by index; the result does not depend on
/// the order of the arcs. (The Lagrangian phase uses doubles: same binary, same result; a
/// different compiler could in principle pick another equal-quality candidate.)
///
/// Solver: network children -> facilities (capacity K(s)) -> sink, plus an "unserved" edge
/// from each child to the sink. It starts with every child at its cheapest option (a
/// least-cost pseudo-flow), then routes the over-full facilities' excess to the sink by
/// successive shortest paths on a graph of the facilities alone: a move facility -> child ->
/// facility is one edge whose cost is the smallest cost difference among the children there
/// (a heap per pair), so each search has m + 1 nodes whatever the number of children
/// (issue 24 item 6: 100,000 children in straight-line mode). Measured: bench/README.md,
/// sections "assignment" and "planner" (scale).
/// boost::successive_shortest_path_nonnegative_weights (one Dijkstra over the whole network per
/// child) is kept as AssignmentOptions::boost_ssp and cross-checked in the tests.

#include "core/strong_id.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sonae::planner {

struct DemandTag {};
struct SupplyTag {};
/// Index of a demand (child) in AssignmentProblem::demands.
using DemandIndex = StrongId<DemandTag>;
/// Index of a supply (facility) in AssignmentProblem::supplies.
using SupplyIndex = StrongId<SupplyTag>;

/// Amounts in the five capacity dimensions. Used both for what a child takes and for what a
/// facility offers. All non-negative integers.
struct AssignmentResources {
    /// Places (spaces on the floor). A child takes 1 by default; a child on a bed or with a
    /// large wheelchair and its devices may take 2 (the caller's policy).
    std::int64_t places = 0;
    /// Electrical power in watts: the child's peak device load; the facility's headroom
    /// (generator or supply rating minus its own base load). See DOMAIN.md section 2.
    std::int64_t power_w = 0;
    /// Power outlets (sockets) the child's devices need; outlets the facility can spare.
    std::int64_t outlets = 0;
    /// Places under nurse supervision: 1 if the child's care needs a nurse (DOMAIN.md 2.1,
    /// column "nurse"), else 0; the number of such children the facility's nurses on duty
    /// can watch.
    std::int64_t nurse_places = 0;
    /// Places under a nurse's or a certified carer's (喀痰吸引等) supervision: 1 if the child
    /// needs either (a nurse child too: a nurse is one of them), else 0; the number of such
    /// children the facility's nurses and carers on duty can watch together.
    std::int64_t care_places = 0;

    friend bool operator==(const AssignmentResources&, const AssignmentResources&) = default;
};

/// One child to place.
struct AssignmentDemand {
    /// What the child takes at a facility. places must be >= 1.
    AssignmentResources usage{1, 0, 0, 0, 0};
    /// Cost of leaving the child unassigned. Must exceed every arc cost of this child for the
    /// solver to prefer any facility to none; a larger value gives the child priority for the
    /// last places (e.g. a ventilator user over a child on oxygen cylinders).
    std::int64_t unserved_cost = 0;
};

/// One facility.
struct AssignmentSupply {
    AssignmentResources capacity;
};

/// A compatible (demand, supply) pair and its cost (seconds of travel plus penalties, >= 0).
struct AssignmentArc {
    DemandIndex demand;
    SupplyIndex supply;
    std::int64_t cost = 0;
};

/// The instance. Arcs may come in any order; a pair given twice keeps its cheapest cost.
struct AssignmentProblem {
    std::vector<AssignmentDemand> demands;
    std::vector<AssignmentSupply> supplies;
    std::vector<AssignmentArc> arcs;
};

/// Solver settings.
struct AssignmentOptions {
    /// Flow re-solves allowed to repair multi-dimensional overflow (see the header comment).
    std::uint32_t max_repair_rounds = 20;
    /// Lagrangian flow solves (phase b) when capacities other than the count bind.
    std::uint32_t lagrangian_rounds = 30;
    /// Use boost::successive_shortest_path_nonnegative_weights (one Dijkstra per child)
    /// instead of the primal-dual solver (Boost Dijkstra + blocking flows, same optimum). For
    /// cross-checks; slower (see bench/README.md "assignment").
    bool boost_ssp = false;
};

/// The assignment.
struct AssignmentResult {
    /// Per demand: its supply, or nullopt if unassigned. Same length as problem.demands.
    std::vector<std::optional<SupplyIndex>> supply_of;
    /// Per demand: the cost paid (arc cost, or unserved_cost when unassigned).
    std::vector<std::int64_t> cost_of;
    /// Per supply: the sum of usage of the demands assigned to it (never above capacity).
    std::vector<AssignmentResources> load;
    /// Sum of cost_of.
    std::int64_t total_cost = 0;
    /// Optimum of the flow relaxation: no feasible assignment costs less.
    std::int64_t lower_bound_cost = 0;
    /// True when total_cost == lower_bound_cost, i.e. the assignment is optimal.
    bool proven_optimal = false;
    /// Number of unassigned demands.
    std::uint32_t unassigned_count = 0;
    /// Arcs dropped because the child alone exceeds the facility in some dimension.
    std::uint32_t arcs_dropped_too_large = 0;
    /// Flow solves done (1 when the first flow fitted every dimension).
    std::uint32_t flow_rounds = 0;
};

/// Solves the assignment. Throws InputError on a malformed problem (index out of range,
/// negative cost, usage or capacity, places < 1, costs above 10^12).
/// Never fails for lack of capacity: that is a result (unassigned demands).
AssignmentResult solve_assignment(const AssignmentProblem& problem,
                                  const AssignmentOptions& options = {});

/// Checks that `result` is a feasible assignment of `problem` (only given arcs, capacities
/// respected in every dimension, costs and loads add up). Returns the problems found, empty
/// if none. Used by tests and by the planner's plan validator.
std::vector<std::string> check_assignment(const AssignmentProblem& problem,
                                          const AssignmentResult& result);

/// Why one facility did not take an unassigned child.
enum class AlternativeStatus : std::uint8_t {
    not_compatible, ///< no arc: the caller ruled it out (hazard, device, staff, opening time)
    too_large,      ///< the child alone exceeds its capacity in some dimension (shortfall)
    full,           ///< compatible, but the children assigned there hold the room (shortfall)
    not_worth_it,   ///< room left, but its cost is not below the child's unserved cost
};

/// One of the child's alternatives, in the caller's order.
struct AlternativeReason {
    SupplyIndex supply;
    AlternativeStatus status = AlternativeStatus::not_compatible;
    /// Arc cost, or -1 when there is no arc.
    std::int64_t cost = -1;
    /// Per dimension, how much more room the child needs than is free (0 where it fits). For
    /// too_large: usage minus capacity; for full: usage minus (capacity minus load).
    AssignmentResources shortfall;
    /// For full: the children assigned there who use a short dimension, by index.
    std::vector<DemandIndex> held_by;
};

/// The reason a child is unassigned.
struct UnassignedReason {
    enum class Cause : std::uint8_t {
        no_compatible_facility, ///< every alternative is not_compatible or too_large
        capacity_taken,         ///< some compatible alternative is full
        not_worth_it, ///< compatible facilities had room but cost at least the unserved cost
    };
    DemandIndex demand;
    Cause cause = Cause::no_compatible_facility;
    /// The alternatives the caller listed for this child, same order, each with its status.
    std::vector<AlternativeReason> alternatives;
};

/// Explains every unassigned demand of `result`, in index order. `alternatives[d]` lists the
/// facilities the caller considers for demand d, in its own order (e.g. nearest first,
/// compatible or not); an empty or missing list means "every supply with an arc to d, by
/// cost". Throws InputError if an alternative is out of range.
std::vector<UnassignedReason>
explain_unassigned(const AssignmentProblem& problem, const AssignmentResult& result,
                   const std::vector<std::vector<SupplyIndex>>& alternatives = {});

/// Plain-English label of a cause or status ("capacity taken", "not compatible").
const char* to_string(UnassignedReason::Cause cause);
const char* to_string(AlternativeStatus status);

/// Writes the full problem (binary variables, all five capacity dimensions) in CPLEX LP
/// format for an independent solver: `glpsol --lp FILE` or `cbc FILE solve`. Variable x_d_s is
/// demand d at supply s (pair kept after de-duplication), u_d is demand d unassigned; the
/// objective has the same value as AssignmentResult::total_cost at the optimum.
/// Throws InputError on a malformed problem, IoError if the file cannot be written.
void write_lp(const AssignmentProblem& problem, const std::filesystem::path& path);

} // namespace sonae::planner
