#include "planner/stages/assignment.hpp"

#include "geo/routing.hpp"

#include <algorithm>
#include <cmath>
#include <future>
#include <map>

namespace sonae::planner::stages {

namespace {

constexpr std::int64_t kLatenessPenaltyPerS = 10;     // a late minute costs ten on-time minutes
constexpr std::int64_t kUnservedCost = 1'000'000'000; // far above any travel cost
constexpr std::size_t kFullImprovementArcs =
    5000; // above this, fewer assignment improvement rounds

} // namespace

Assignment assign_destinations(const PlanContext& ctx, const NetworkAccess& access,
                               const std::vector<ChildNeed>& needs,
                               const std::vector<TransportChoice>& transport,
                               const Compatibility& compatibility,
                               std::vector<CandidateSet> candidates, const Potentials& potential) {
    ctx.report("assignment", 0.5);
    const auto& facilities = ctx.facilities;
    const auto& children = ctx.children;
    const auto* net = access.network();
    const std::size_t n = children.size();
    const std::size_t f_count = facilities.size();
    Assignment out;
    auto& capacity = out.capacity;
    auto& usage = out.usage;
    capacity.resize(f_count);
    // What a facility offers and a child takes: planner/shelter_load.hpp (places with the
    // companions, power for evacuees minus the shelter's own peak, outlets on backup, nurse
    // and care posts filled at every hour in shifts), the compatibility's offers.
    for (std::size_t j = 0; j < f_count; ++j) {
        const auto& o = compatibility.offer(j);
        capacity[j] =
            AssignmentResources{o.places, o.power_w, o.outlets, o.nurse_places, o.care_places};
    }
    usage.resize(n);
    const auto& shelter = default_power_sources().shelter;
    for (std::size_t i = 0; i < n; ++i) {
        const auto u = shelter_use(needs[i].needs, children[i].companions, shelter);
        usage[i] =
            AssignmentResources{u.places, u.power_w, u.outlets, u.nurse_places, u.care_places};
    }
    // A child who needs a scheduled vehicle that no vehicle of the fleet can carry (no
    // wheelchair or stretcher slot, no nurse on board) cannot arrive as planned: it still gets
    // a place when there is room, but yields it to a child who can get there (its unserved
    // cost is half, still far above any travel cost).
    std::vector<std::int64_t> unserved_cost(n, kUnservedCost);
    for (std::size_t i = 0; i < n; ++i) {
        if (transport[i].kind != TransportKind::vehicle) continue;
        const auto& fleet = ctx.scenario.vehicles;
        if (std::none_of(fleet.begin(), fleet.end(), [&](const Vehicle& v) {
                return vehicle_can_carry(v, children[i], needs[i]);
            })) {
            unserved_cost[i] = kUnservedCost / 2;
        }
    }
    auto solve = [&] {
        AssignmentProblem problem;
        problem.demands.resize(n);
        problem.supplies.resize(f_count);
        for (std::size_t j = 0; j < f_count; ++j) problem.supplies[j].capacity = capacity[j];
        for (std::size_t i = 0; i < n; ++i) {
            const auto& w = needs[i];
            auto& d = problem.demands[i];
            d.usage = usage[i];
            d.unserved_cost = unserved_cost[i];
            for (const auto& cand : candidates[i].candidates) {
                const auto arrival =
                    open_by(facilities[cand.facility], w.earliest_departure_s + cand.travel_s);
                const auto late = std::max<std::int64_t>(0, arrival - w.deadline_s);
                problem.arcs.push_back({DemandIndex(static_cast<std::uint32_t>(i)),
                                        SupplyIndex(cand.facility),
                                        arrival + kLatenessPenaltyPerS * late});
            }
        }
        // The improvement rounds after the first repaired flow (see planner/assignment.hpp)
        // cost one flow each; on large plans they are capped, and the plan's warning gives
        // the gap to the lower bound that remains.
        AssignmentOptions ao;
        if (problem.arcs.size() > kFullImprovementArcs) {
            ao.max_repair_rounds = 3;
            ao.lagrangian_rounds = 0;
        }
        auto r = solve_assignment(problem, ao);
        return r;
    };
    auto& assignment = out.flow;
    assignment = solve();
    auto has_room = [&](std::size_t i, std::size_t j) {
        const auto& load = assignment.load[j];
        const auto& cap = capacity[j];
        const auto& u = usage[i];
        return load.places + u.places <= cap.places && load.power_w + u.power_w <= cap.power_w &&
               load.outlets + u.outlets <= cap.outlets &&
               load.nurse_places + u.nurse_places <= cap.nurse_places &&
               load.care_places + u.care_places <= cap.care_places;
    };
    // A child whose search stopped early and who got no place, or got the farthest candidate
    // found, may do better farther away: search on to the nearest compatible facilities that
    // still have room for the child (up to candidate_facilities more), and solve again; up to
    // three rounds. Facilities without room cannot take the child without moving another
    // child, and the nearer ones were all offered already; with no room anywhere there is
    // nothing to search for.
    for (int round = 0; round < 3; ++round) {
        std::vector<std::size_t> wanting;
        for (std::size_t i = 0; i < n; ++i) {
            auto& w = candidates[i];
            if (w.searched_all) continue;
            const auto& s = assignment.supply_of[i];
            if (s) {
                std::int64_t farthest = 0;
                for (const auto& cand : w.candidates) farthest = std::max(farthest, cand.travel_s);
                if (w.travel_to(s->value()) < farthest) continue;
            }
            w.extension.clear();
            for (std::size_t j = 0; j < f_count; ++j) {
                if (compatibility.why_not(needs[i].needs, j) == Why::ok && w.travel_to(j) < 0 &&
                    has_room(i, j)) {
                    w.extension.push_back(static_cast<std::uint32_t>(j));
                }
            }
            w.searched_all = true; // search_on says otherwise if it stops at the limit
            w.extended = true;
            if (!w.extension.empty()) wanting.push_back(i);
        }
        // Per travel mode of these children, over the facilities that still have a place:
        // the latest moment from which one can be reached (closures included). A child who
        // leaves after that latest moment can reach none of them, and its search would sweep
        // all it can reach to find nothing: it is not searched. Only the times at these
        // children's homes are needed, and only from the earliest of their departures on: the
        // backward sweep stops there (Router::latest_departures_from), not at the network's
        // end. One task per mode, on every core.
        // The searches' A* potential is the first searches' (the closure-free time to the
        // nearest facility some child could use): every facility searched for here is among
        // those, so it is 0 at each target and the targets come out in the same order, at the
        // same times, as with a potential toward the facilities with room alone. Such a
        // potential, one whole-network sweep per mode and round, cost more than the few nodes
        // its closer bound saved (grid: about 3 s CPU of 40; the plans byte-identical).
        auto has_a_place = [&](std::size_t j) {
            return compatibility.facility_why(j) == Why::ok &&
                   assignment.load[j].places < capacity[j].places;
        };
        struct ModeHomes {
            std::vector<geo::NodeId> nodes;    // the home's node of each child below
            std::vector<std::size_t> children; // indices into `wanting`
            std::vector<geo::Distance> latest; // per child: Router::latest_departures_from
            geo::Distance not_before = geo::never_closes;
        };
        std::map<std::string, ModeHomes> homes;
        std::vector<geo::Distance> leave_ms(wanting.size(), geo::unreachable);
        if (net) {
            for (std::size_t k = 0; k < wanting.size(); ++k) {
                const auto i = wanting[k];
                auto& h = homes[transport[i].mode];
                const auto home = access.access(transport[i].mode, children[i].home);
                if (!home.ok) continue;
                leave_ms[k] = needs[i].earliest_departure_s * 1000 + home.leave_ms;
                h.nodes.push_back(home.depart_node);
                h.children.push_back(k);
                h.not_before = std::min(h.not_before, leave_ms[k]);
            }
            std::vector<std::future<void>> tasks;
            for (auto& entry : homes) {
                auto& h = entry.second;
                h.latest.assign(h.nodes.size(), geo::never_reached);
                if (h.nodes.empty()) continue;
                auto roots = access.facility_nodes(entry.first, has_a_place);
                if (roots.empty()) continue;
                tasks.push_back(
                    std::async(std::launch::async, [&access, &entry, roots = std::move(roots)] {
                        auto& [name, h] = entry;
                        const auto& mode = access.mode(name);
                        geo::Router router(access.travel().graph());
                        h.latest = *router.latest_departures_from(h.nodes, roots, mode.weights_ms,
                                                                  mode.closures.closed_from_ms,
                                                                  h.not_before);
                    }));
            }
            for (auto& t : tasks) t.get();
        }
        std::vector<char> reaches(wanting.size(), net ? 0 : 1);
        for (const auto& [name, h] : homes) {
            for (std::size_t c = 0; c < h.children.size(); ++c) {
                const auto k = h.children[c];
                reaches[k] = leave_ms[k] <= h.latest[c];
            }
        }
        std::vector<std::size_t> again;
        for (std::size_t k = 0; k < wanting.size(); ++k) {
            if (reaches[k]) again.push_back(wanting[k]);
        }
        if (again.empty()) break;
        std::size_t before = 0, after = 0;
        for (const auto i : again) before += candidates[i].candidates.size();
        for_each_child(
            ctx, access.graph(), again, "assignment", 0.5, 0.55,
            [&](SearchScratch& s, std::size_t i) {
                search_on(ctx, access, s, children[i].home, transport[i].mode,
                          needs[i].earliest_departure_s, candidates[i].extension,
                          potential_in(potential, transport[i].mode), candidates[i],
                          transport[i].kind == TransportKind::walk ? ctx.options.walk_max_m : 0.0);
            });
        for (const auto i : again) after += candidates[i].candidates.size();
        if (after == before) break; // nothing new within reach: the same problem again
        assignment = solve();
    }
    if (!assignment.proven_optimal) {
        out.warnings.push_back(
            "assignment: the multi-resource capacities needed a repair step; the result is "
            "feasible but not proven optimal: at most " +
            std::to_string(assignment.total_cost - assignment.lower_bound_cost) +
            " cost units (seconds of arrival, or one unserved child per 10^9) above the optimum");
    }
    out.candidates = std::move(candidates);
    return out;
}

} // namespace sonae::planner::stages
