// Destination assignment (planner/assignment.hpp): hand-made instances with known optima,
// capacities in every dimension, unassigned children, determinism, and an exhaustive check
// against brute force on small random instances.

#include "core/error.hpp"
#include "planner/assignment.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <limits>
#include <random>
#include <sstream>

namespace sonae::planner {
namespace {

AssignmentArc arc(std::uint32_t d, std::uint32_t s, std::int64_t cost) {
    return {DemandIndex(d), SupplyIndex(s), cost};
}

AssignmentDemand child(std::int64_t unserved_cost, AssignmentResources usage = {1, 0, 0, 0, 0}) {
    return {usage, unserved_cost};
}

AssignmentSupply facility(std::int64_t places, std::int64_t power_w = 1'000'000,
                          std::int64_t outlets = 1'000, std::int64_t nurse_places = 1'000,
                          std::int64_t care_places = 1'000) {
    return {{places, power_w, outlets, nurse_places, care_places}};
}

std::optional<SupplyIndex> at(std::uint32_t s) {
    return SupplyIndex(s);
}

void expect_valid(const AssignmentProblem& p, const AssignmentResult& r) {
    const auto problems = check_assignment(p, r);
    for (const auto& msg : problems) ADD_FAILURE() << msg;
}

TEST(Assignment, BeatsGreedyNearestFirst) {
    // Both children are nearest to A (one place). Greedy (by child or by cheapest arc) sends
    // child 0 to A and child 1 to B at 100 s: 101 s. The optimum swaps them: 2 + 1 = 3 s.
    AssignmentProblem p;
    p.demands = {child(10'000), child(10'000)};
    p.supplies = {facility(1), facility(1)};
    p.arcs = {arc(0, 0, 1), arc(0, 1, 2), arc(1, 0, 1), arc(1, 1, 100)};
    const auto r = solve_assignment(p);
    expect_valid(p, r);
    EXPECT_EQ(r.total_cost, 3);
    EXPECT_EQ(r.supply_of[0], at(1));
    EXPECT_EQ(r.supply_of[1], at(0));
    EXPECT_TRUE(r.proven_optimal);
    EXPECT_EQ(r.lower_bound_cost, 3);
    EXPECT_EQ(r.flow_rounds, 1u);
    EXPECT_EQ(r.unassigned_count, 0u);
}

TEST(Assignment, RespectsPlacesAndKeepsTheChildrenWhoLoseMost) {
    // Five children near A (2 places); B (10 places) is further by a different amount for
    // each. The two with the longest detour to B go to A.
    AssignmentProblem p;
    const std::int64_t detour[5] = {30, 500, 10, 400, 70};
    for (std::uint32_t d = 0; d < 5; ++d) {
        p.demands.push_back(child(100'000));
        p.arcs.push_back(arc(d, 0, 100));
        p.arcs.push_back(arc(d, 1, 100 + detour[d]));
    }
    p.supplies = {facility(2), facility(10)};
    const auto r = solve_assignment(p);
    expect_valid(p, r);
    EXPECT_EQ(r.load[0].places, 2);
    EXPECT_EQ(r.load[1].places, 3);
    EXPECT_EQ(r.supply_of[1], at(0));
    EXPECT_EQ(r.supply_of[3], at(0));
    EXPECT_EQ(r.total_cost, 5 * 100 + 30 + 10 + 70);
    EXPECT_TRUE(r.proven_optimal);
}

TEST(Assignment, ChildWithoutArcIsUnassignedAtItsUnservedCost) {
    AssignmentProblem p;
    p.demands = {child(5'000), child(7'000)};
    p.supplies = {facility(3)};
    p.arcs = {arc(0, 0, 60)};
    const auto r = solve_assignment(p);
    expect_valid(p, r);
    ASSERT_EQ(r.supply_of.size(), 2u);
    EXPECT_EQ(r.supply_of[0], at(0));
    EXPECT_FALSE(r.supply_of[1].has_value());
    EXPECT_EQ(r.cost_of[1], 7'000);
    EXPECT_EQ(r.total_cost, 7'060);
    EXPECT_EQ(r.unassigned_count, 1u);
    EXPECT_TRUE(r.proven_optimal);
}

TEST(Assignment, FullFacilityLeavesTheLowerPriorityChildUnassigned) {
    // One place, two children; the one whose unserved cost is higher (e.g. a ventilator user)
    // gets it even though the other is nearer.
    AssignmentProblem p;
    p.demands = {child(1'000), child(50'000)};
    p.supplies = {facility(1)};
    p.arcs = {arc(0, 0, 10), arc(1, 0, 900)};
    const auto r = solve_assignment(p);
    expect_valid(p, r);
    EXPECT_FALSE(r.supply_of[0].has_value());
    EXPECT_EQ(r.supply_of[1], at(0));
    EXPECT_EQ(r.total_cost, 1'900);
}

TEST(Assignment, UnservedIsChosenWhenCheaperThanEveryArc) {
    AssignmentProblem p;
    p.demands = {child(100)};
    p.supplies = {facility(5)};
    p.arcs = {arc(0, 0, 101)};
    const auto r = solve_assignment(p);
    expect_valid(p, r);
    EXPECT_FALSE(r.supply_of[0].has_value());
    EXPECT_EQ(r.total_cost, 100);
}

TEST(Assignment, EmptyProblemAndFacilitiesWithoutArcs) {
    AssignmentProblem empty;
    const auto r0 = solve_assignment(empty);
    EXPECT_EQ(r0.total_cost, 0);
    EXPECT_TRUE(r0.proven_optimal);

    AssignmentProblem p;
    p.demands = {child(500)};
    p.supplies = {facility(0), facility(4), facility(2)};
    p.arcs = {arc(0, 0, 1), arc(0, 2, 40)};
    const auto r = solve_assignment(p);
    expect_valid(p, r);
    EXPECT_EQ(r.supply_of[0], at(2));
    EXPECT_EQ(r.load.size(), 3u);
    EXPECT_EQ(r.load[1].places, 0);
}

TEST(Assignment, DuplicatePairKeepsTheCheapestCost) {
    AssignmentProblem p;
    p.demands = {child(1'000)};
    p.supplies = {facility(1)};
    p.arcs = {arc(0, 0, 80), arc(0, 0, 30), arc(0, 0, 50)};
    const auto r = solve_assignment(p);
    expect_valid(p, r);
    EXPECT_EQ(r.total_cost, 30);
}

TEST(Assignment, TwoPlaceChildCountsTwice) {
    // A has 3 places. Child 0 takes 2 (bed); children 1 and 2 take 1 each. All prefer A.
    AssignmentProblem p;
    p.demands = {child(100'000, {2, 0, 0, 0}), child(100'000), child(100'000)};
    p.supplies = {facility(3), facility(10)};
    p.arcs = {arc(0, 0, 10),  arc(0, 1, 1000), arc(1, 0, 10),
              arc(1, 1, 600), arc(2, 0, 10),   arc(2, 1, 700)};
    const auto r = solve_assignment(p);
    expect_valid(p, r);
    EXPECT_LE(r.load[0].places, 3);
    // Optimum: child 0 (detour 990) and child 2 (detour 690) at A; child 1 at B.
    EXPECT_EQ(r.total_cost, 10 + 600 + 10);
    EXPECT_EQ(r.supply_of[1], at(1));
}

TEST(Assignment, PowerHeadroomIsRespectedAndRepairFindsTheOptimum) {
    // A: 2 places, 100 W headroom. Children draw 10, 95 and 80 W. The flow relaxation (2
    // places, at most 2 children fit by power) would put children 1 and 2 at A (175 W): the
    // repair evicts child 2 (least regret) and the second round finds the optimum, 46 s.
    AssignmentProblem p;
    p.demands = {child(100'000, {1, 10, 1, 0}), child(100'000, {1, 95, 1, 0}),
                 child(100'000, {1, 80, 1, 0})};
    p.supplies = {facility(2, 100), facility(10, 10'000)};
    p.arcs = {arc(0, 0, 1), arc(1, 0, 1), arc(2, 0, 1), arc(0, 1, 5), arc(1, 1, 50), arc(2, 1, 40)};
    const auto r = solve_assignment(p);
    expect_valid(p, r);
    EXPECT_LE(r.load[0].power_w, 100);
    EXPECT_EQ(r.total_cost, 46);
    EXPECT_EQ(r.supply_of[1], at(0));
    // The first flow (7 s) is a lower bound; Lagrangian rounds may raise it, never past 46.
    EXPECT_GE(r.lower_bound_cost, 7);
    EXPECT_LE(r.lower_bound_cost, 46);
    EXPECT_EQ(r.proven_optimal, r.lower_bound_cost == 46);
    EXPECT_GE(r.flow_rounds, 2u);

    // With no repair rounds allowed, the overflow goes to unassigned and the improvement pass
    // then places it where there is room: still feasible.
    const auto r0 =
        solve_assignment(p, AssignmentOptions{.max_repair_rounds = 0, .lagrangian_rounds = 0});
    expect_valid(p, r0);
    EXPECT_EQ(r0.flow_rounds, 1u);
    EXPECT_GE(r0.total_cost, 46);
}

TEST(Assignment, NursePlacesAndCarePlacesAreSeparateLimits) {
    // A has one nurse on duty (3 nurse places, 3 care places: a nurse also does a certified
    // carer's work), B is far. Two children need a nurse (N0, N1: a nurse place and a care
    // place each), two a certified carer (C2, C3: a care place each). A can take 3 of the 4:
    // the cheapest to send to B is C3 (50 more than at A).
    //   all at A except C3: 10 + 10 + 10 + 50 = 80; any other child at B costs more.
    AssignmentProblem p;
    p.demands = {child(100'000, {1, 0, 0, 1, 1}), child(100'000, {1, 0, 0, 1, 1}),
                 child(100'000, {1, 0, 0, 0, 1}), child(100'000, {1, 0, 0, 0, 1})};
    p.supplies = {facility(10, 1000, 10, 3, 3), facility(10, 1000, 10, 3, 3)};
    p.arcs = {arc(0, 0, 10),  arc(1, 0, 10),  arc(2, 0, 10),  arc(3, 0, 10),
              arc(0, 1, 300), arc(1, 1, 250), arc(2, 1, 200), arc(3, 1, 50)};
    auto r = solve_assignment(p);
    expect_valid(p, r);
    EXPECT_EQ(r.load[0].care_places, 3);
    EXPECT_EQ(r.supply_of[3], at(1));
    EXPECT_EQ(r.total_cost, 80);
    // A with 1 nurse place but 6 care places (a nurse on duty for 1 child, carers for the
    // rest; children_per_staff aside): one nurse child goes to B, the cheaper one (N1, 250):
    //   10 + 250 + 10 + 10 = 280.
    p.supplies[0] = facility(10, 1000, 10, 1, 6);
    r = solve_assignment(p);
    expect_valid(p, r);
    EXPECT_EQ(r.load[0].nurse_places, 1);
    EXPECT_EQ(r.supply_of[1], at(1));
    EXPECT_EQ(r.total_cost, 280);
}

TEST(Assignment, NurseAndOutletLimits) {
    // One nurse place at A: only one of the two children who need a nurse can go there.
    AssignmentProblem p;
    p.demands = {child(100'000, {1, 0, 2, 1}), child(100'000, {1, 0, 2, 1}),
                 child(100'000, {1, 0, 1, 0})};
    p.supplies = {facility(5, 1000, 3, 1), facility(5, 1000, 10, 5)};
    p.arcs = {arc(0, 0, 10),  arc(1, 0, 10),  arc(2, 0, 10),
              arc(0, 1, 300), arc(1, 1, 200), arc(2, 1, 20)};
    const auto r = solve_assignment(p);
    expect_valid(p, r);
    EXPECT_EQ(r.load[0].nurse_places, 1);
    EXPECT_LE(r.load[0].outlets, 3);
    // Child 0 (detour 290) keeps A's nurse; A's last outlet goes to child 2.
    EXPECT_EQ(r.supply_of[0], at(0));
    EXPECT_EQ(r.supply_of[1], at(1));
    EXPECT_EQ(r.supply_of[2], at(0));
    EXPECT_EQ(r.total_cost, 10 + 200 + 10);
}

TEST(Assignment, ChildTooLargeForAFacilityDropsThatArc) {
    AssignmentProblem p;
    p.demands = {child(9'000, {1, 500, 1, 0})};
    p.supplies = {facility(10, 300), facility(10, 2'000)};
    p.arcs = {arc(0, 0, 1), arc(0, 1, 900)};
    const auto r = solve_assignment(p);
    expect_valid(p, r);
    EXPECT_EQ(r.arcs_dropped_too_large, 1u);
    EXPECT_EQ(r.supply_of[0], at(1));
    EXPECT_TRUE(r.proven_optimal);
}

TEST(Assignment, RejectsMalformedProblems) {
    AssignmentProblem p;
    p.demands = {child(100)};
    p.supplies = {facility(1)};
    p.arcs = {arc(0, 1, 5)};
    EXPECT_THROW(solve_assignment(p), InputError);
    p.arcs = {arc(0, 0, -5)};
    EXPECT_THROW(solve_assignment(p), InputError);
    p.arcs = {arc(0, 0, 5)};
    p.demands[0].usage.places = 0;
    EXPECT_THROW(solve_assignment(p), InputError);
    p.demands[0].usage.places = 1;
    p.supplies[0].capacity.power_w = -1;
    EXPECT_THROW(solve_assignment(p), InputError);
    try {
        p.supplies[0].capacity.power_w = 0;
        p.arcs = {arc(0, 0, 5), arc(3, 0, 1)};
        solve_assignment(p);
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("arc 1"), std::string::npos) << e.what();
    }
}

/// Random instance: n children, m facilities, each child with `degree` arcs.
AssignmentProblem random_problem(std::uint32_t n, std::uint32_t m, std::uint32_t degree,
                                 bool multi_dimensional, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    auto uniform = [&rng](std::int64_t lo, std::int64_t hi) {
        return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng);
    };
    AssignmentProblem p;
    for (std::uint32_t d = 0; d < n; ++d) {
        AssignmentResources usage{1, 0, 0, 0, 0};
        if (multi_dimensional) {
            usage = {uniform(1, 2), uniform(0, 300), uniform(0, 3), uniform(0, 1)};
            // A nurse child takes a care place too; some others need a carer (drawn from the
            // same numbers, so the random sequence is the one of the four-dimension tests).
            usage.care_places = usage.nurse_places > 0 || usage.power_w > 150 ? 1 : 0;
        }
        p.demands.push_back({usage, uniform(500, 3'000)});
    }
    for (std::uint32_t s = 0; s < m; ++s) {
        if (multi_dimensional)
            p.supplies.push_back(
                facility(uniform(0, 4), uniform(0, 600), uniform(0, 6), uniform(0, 2)));
        if (multi_dimensional) {
            auto& cap = p.supplies.back().capacity;
            cap.care_places = cap.nurse_places + cap.outlets / 3; // carers besides the nurses
        } else
            p.supplies.push_back(facility(uniform(0, 3)));
    }
    std::vector<std::uint32_t> all(m);
    for (std::uint32_t s = 0; s < m; ++s) all[s] = s;
    for (std::uint32_t d = 0; d < n; ++d) {
        std::shuffle(all.begin(), all.end(), rng);
        for (std::uint32_t i = 0; i < std::min(degree, m); ++i)
            p.arcs.push_back(arc(d, all[i], uniform(0, 2'000)));
    }
    return p;
}

/// Exhaustive optimum (feasible in every dimension) for tiny instances.
std::int64_t brute_force(const AssignmentProblem& p) {
    const std::size_t n = p.demands.size();
    std::vector<std::vector<std::pair<std::uint32_t, std::int64_t>>> options(n);
    for (const auto& a : p.arcs) options[a.demand.value()].push_back({a.supply.value(), a.cost});
    std::vector<AssignmentResources> load(p.supplies.size());
    std::int64_t best = std::numeric_limits<std::int64_t>::max();
    std::function<void(std::size_t, std::int64_t)> go = [&](std::size_t d, std::int64_t cost) {
        if (cost >= best) return;
        if (d == n) {
            best = cost;
            return;
        }
        go(d + 1, cost + p.demands[d].unserved_cost);
        const auto& u = p.demands[d].usage;
        for (const auto& [s, c] : options[d]) {
            auto& l = load[s];
            const auto& cap = p.supplies[s].capacity;
            if (l.places + u.places > cap.places || l.power_w + u.power_w > cap.power_w ||
                l.outlets + u.outlets > cap.outlets ||
                l.nurse_places + u.nurse_places > cap.nurse_places ||
                l.care_places + u.care_places > cap.care_places)
                continue;
            l.places += u.places, l.power_w += u.power_w, l.outlets += u.outlets,
                l.nurse_places += u.nurse_places, l.care_places += u.care_places;
            go(d + 1, cost + c);
            l.places -= u.places, l.power_w -= u.power_w, l.outlets -= u.outlets,
                l.nurse_places -= u.nurse_places, l.care_places -= u.care_places;
        }
    };
    go(0, 0);
    return best;
}

TEST(Assignment, MatchesBruteForceOnSmallSingleDimensionInstances) {
    for (std::uint64_t seed = 1; seed <= 150; ++seed) {
        const auto p = random_problem(7, 4, 1 + seed % 4, false, seed);
        const auto r = solve_assignment(p);
        expect_valid(p, r);
        EXPECT_EQ(r.total_cost, brute_force(p)) << "seed " << seed;
        EXPECT_TRUE(r.proven_optimal) << "seed " << seed;
    }
}

TEST(Assignment, MultiDimensionalIsFeasibleBoundedAndExactWhenProven) {
    std::int64_t gap_sum = 0;
    int proven = 0;
    for (std::uint64_t seed = 1; seed <= 150; ++seed) {
        const auto p = random_problem(7, 3, 1 + seed % 3, true, seed);
        const auto r = solve_assignment(p);
        expect_valid(p, r);
        const std::int64_t optimum = brute_force(p);
        EXPECT_LE(r.lower_bound_cost, optimum) << "seed " << seed;
        EXPECT_GE(r.total_cost, optimum) << "seed " << seed;
        if (r.proven_optimal) {
            EXPECT_EQ(r.total_cost, optimum) << "seed " << seed;
            ++proven;
        }
        gap_sum += r.total_cost - optimum;
    }
    // The heuristic part must stay close: summed over the 150 instances the gap was 448 s
    // when written (2026-11), against unserved costs of 500 to 3,000 s per child.
    EXPECT_LE(gap_sum, 1'500) << "heuristic gap grew";
    EXPECT_GT(proven, 0);
}

TEST(Assignment, WarmStartedPrimalDualAgreesWithBoostSuccessiveShortestPaths) {
    for (std::uint64_t seed = 1; seed <= 40; ++seed) {
        const auto p = random_problem(80 + seed, 6 + seed % 10, 1 + seed % 6, false, seed);
        const auto fast = solve_assignment(p);
        const auto reference = solve_assignment(p, AssignmentOptions{.boost_ssp = true});
        expect_valid(p, fast);
        expect_valid(p, reference);
        EXPECT_EQ(fast.total_cost, reference.total_cost) << "seed " << seed;
        EXPECT_TRUE(fast.proven_optimal);
    }
    // Multi-dimensional: the first flow (the lower bound) is the same optimum either way.
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        const auto p = random_problem(30, 6, 3, true, seed);
        const auto fast = solve_assignment(p, AssignmentOptions{.lagrangian_rounds = 0});
        const auto reference =
            solve_assignment(p, AssignmentOptions{.lagrangian_rounds = 0, .boost_ssp = true});
        expect_valid(p, fast);
        if (fast.flow_rounds == 1 && reference.flow_rounds == 1)
            EXPECT_EQ(fast.total_cost, reference.total_cost) << "seed " << seed;
        else
            EXPECT_EQ(fast.lower_bound_cost, reference.lower_bound_cost) << "seed " << seed;
    }
}

TEST(Assignment, SameResultWhateverTheArcOrder) {
    for (bool multi : {false, true}) {
        const auto p = random_problem(60, 12, 5, multi, 42);
        const auto reference = solve_assignment(p);
        std::mt19937_64 rng(7);
        for (int i = 0; i < 8; ++i) {
            auto q = p;
            std::shuffle(q.arcs.begin(), q.arcs.end(), rng);
            const auto r = solve_assignment(q);
            EXPECT_EQ(r.supply_of, reference.supply_of) << "shuffle " << i;
            EXPECT_EQ(r.total_cost, reference.total_cost);
            EXPECT_EQ(r.load, reference.load);
        }
    }
}

TEST(Assignment, ExplainsWhyEachUnassignedChildIsUnassigned) {
    AssignmentProblem p;
    p.supplies = {facility(1), facility(1, 100), facility(5)}; // A, B, C
    p.demands = {
        child(1'000),               // 0: A or B; ends at B
        child(5'000),               // 1: only A; takes it
        child(900),                 // 2: A or B, both taken
        child(900),                 // 3: no arc at all
        child(900, {1, 500, 0, 0}), // 4: B only, but draws 500 W of B's 100
        child(100),                 // 5: C has room but costs more than leaving it
    };
    p.arcs = {arc(0, 0, 10), arc(0, 1, 20), arc(1, 0, 10),   arc(2, 0, 10),
              arc(2, 1, 15), arc(4, 1, 5),  arc(5, 2, 9'000)};
    const auto r = solve_assignment(p);
    expect_valid(p, r);
    ASSERT_EQ(r.supply_of[0], at(1));
    ASSERT_EQ(r.supply_of[1], at(0));

    std::vector<std::vector<SupplyIndex>> alternatives(6);
    alternatives[2] = {SupplyIndex(1), SupplyIndex(0), SupplyIndex(2)};
    const auto reasons = explain_unassigned(p, r, alternatives);
    ASSERT_EQ(reasons.size(), 4u);

    EXPECT_EQ(reasons[0].demand, DemandIndex(2));
    EXPECT_EQ(reasons[0].cause, UnassignedReason::Cause::capacity_taken);
    ASSERT_EQ(reasons[0].alternatives.size(), 3u);
    EXPECT_EQ(reasons[0].alternatives[0].supply, SupplyIndex(1));
    EXPECT_EQ(reasons[0].alternatives[0].status, AlternativeStatus::full);
    EXPECT_EQ(reasons[0].alternatives[0].cost, 15);
    EXPECT_EQ(reasons[0].alternatives[0].shortfall, (AssignmentResources{1, 0, 0, 0}));
    EXPECT_EQ(reasons[0].alternatives[0].held_by, std::vector<DemandIndex>{DemandIndex(0)});
    EXPECT_EQ(reasons[0].alternatives[1].status, AlternativeStatus::full);
    EXPECT_EQ(reasons[0].alternatives[1].held_by, std::vector<DemandIndex>{DemandIndex(1)});
    EXPECT_EQ(reasons[0].alternatives[2].status, AlternativeStatus::not_compatible);
    EXPECT_EQ(reasons[0].alternatives[2].cost, -1);

    EXPECT_EQ(reasons[1].demand, DemandIndex(3));
    EXPECT_EQ(reasons[1].cause, UnassignedReason::Cause::no_compatible_facility);
    EXPECT_TRUE(reasons[1].alternatives.empty());

    EXPECT_EQ(reasons[2].demand, DemandIndex(4));
    EXPECT_EQ(reasons[2].cause, UnassignedReason::Cause::no_compatible_facility);
    ASSERT_EQ(reasons[2].alternatives.size(), 1u);
    EXPECT_EQ(reasons[2].alternatives[0].status, AlternativeStatus::too_large);
    EXPECT_EQ(reasons[2].alternatives[0].shortfall.power_w, 400);

    EXPECT_EQ(reasons[3].demand, DemandIndex(5));
    EXPECT_EQ(reasons[3].cause, UnassignedReason::Cause::not_worth_it);
    EXPECT_EQ(reasons[3].alternatives[0].status, AlternativeStatus::not_worth_it);
    EXPECT_STREQ(to_string(reasons[0].cause), "capacity taken by others");

    alternatives[2] = {SupplyIndex(7)};
    EXPECT_THROW(explain_unassigned(p, r, alternatives), InputError);
}

TEST(Assignment, WritesAnLpFileWithEveryRow) {
    AssignmentProblem p;
    p.demands = {child(700, {1, 60, 1, 1}), child(900)};
    p.supplies = {facility(1, 100, 2, 1)};
    p.arcs = {arc(1, 0, 30), arc(0, 0, 20)};
    test::TempDir dir;
    write_lp(p, dir / "a.lp");
    std::ifstream in(dir / "a.lp");
    std::stringstream text;
    text << in.rdbuf();
    const std::string lp = text.str();
    EXPECT_NE(lp.find("obj: + 20 x_0_0 + 30 x_1_0 + 700 u_0 + 900 u_1"), std::string::npos) << lp;
    EXPECT_NE(lp.find("one_0: u_0 + x_0_0 = 1"), std::string::npos) << lp;
    EXPECT_NE(lp.find("cap_places_0: + 1 x_0_0 + 1 x_1_0 <= 1"), std::string::npos) << lp;
    EXPECT_NE(lp.find("cap_power_w_0: + 60 x_0_0 <= 100"), std::string::npos) << lp;
    EXPECT_NE(lp.find("Binary"), std::string::npos);
    EXPECT_NE(lp.find("End"), std::string::npos);
}

} // namespace
} // namespace sonae::planner
