#include "planner/planner.hpp"

#include "planner/hazard_destinations.hpp"
#include "planner/stages/access.hpp"
#include "planner/stages/assignment.hpp"
#include "planner/stages/candidates.hpp"
#include "planner/stages/child_plans.hpp"
#include "planner/stages/compatibility.hpp"
#include "planner/stages/context.hpp"
#include "planner/stages/fallback.hpp"
#include "planner/stages/feasibility.hpp"
#include "planner/stages/needs.hpp"
#include "planner/stages/plan_assembly.hpp"
#include "planner/stages/routes.hpp"
#include "planner/stages/shelter_needs.hpp"
#include "planner/stages/transport.hpp"
#include "planner/stages/vehicle_tours.hpp"

#include <future>

namespace sonae::planner {

namespace {

using HazardDestinations = std::vector<std::vector<HazardDestination>>;

/// Starts the standing-plan destinations per hazard type for the guidebook
/// (planner/hazard_destinations.hpp) on their own thread: they depend on each child's needs
/// and travel mode only, not on the assignment, so their searches run while the assignment's
/// flow solves (one core each) leave a core idle.
std::future<HazardDestinations>
start_destinations(const stages::PlanContext& ctx, const stages::NetworkAccess& access,
                   const std::vector<stages::ChildNeed>& needs,
                   const std::vector<stages::TransportChoice>& transport) {
    std::vector<ChildTravelInput> inputs;
    inputs.reserve(ctx.children.size());
    for (std::size_t i = 0; i < ctx.children.size(); ++i) {
        inputs.push_back(travel_input(ctx.children[i], needs[i].needs, transport[i].mode));
    }
    return std::async(std::launch::async, [&ctx, &access, inputs = std::move(inputs)] {
        return destinations_by_hazard(access.network() ? &access.travel() : nullptr, ctx.facilities,
                                      inputs, ctx.options, ctx.threads);
    });
}

} // namespace

Plan make_plan(const LoadedScenario& scenario, const Progress& progress) {
    using namespace stages;
    const PlanContext ctx = make_context(scenario, progress);
    check_municipalities(ctx);

    const auto needs = assess_needs(ctx);
    const NetworkAccess access(ctx);
    const Compatibility compatibility(ctx);
    const auto transport = choose_transport(ctx, access, needs, compatibility);
    auto candidates = find_candidates(ctx, access, needs, transport, compatibility);
    auto destinations = start_destinations(ctx, access, needs, transport);
    const auto assignment =
        assign_destinations(ctx, access, needs, transport, compatibility,
                            std::move(candidates.of_child), candidates.potential);
    const auto fallback = find_fallbacks(ctx, access, needs, transport, assignment);

    auto children = child_plans(ctx, access, needs, transport, compatibility, assignment, fallback);
    ctx.report("destinations by hazard", 0.65);
    auto by_hazard = destinations.get();
    for (std::size_t i = 0; i < children.size(); ++i)
        children[i].destinations_by_hazard = std::move(by_hazard[i]);
    auto tours = schedule_vehicles(ctx, access, needs, transport, assignment, std::move(children));
    children = plan_routes(ctx, access, transport, assignment, candidates.potential,
                           std::move(tours.children));
    children =
        judge_feasibility(ctx, access, needs, transport, candidates.potential, std::move(children));
    auto facilities = shelter_needs(ctx, needs, compatibility, children);

    auto warnings = assignment.warnings;
    warnings.insert(warnings.end(), tours.warnings.begin(), tours.warnings.end());
    return assemble_plan(ctx, std::move(children), std::move(facilities), std::move(tours.tours),
                         std::move(warnings));
}

} // namespace sonae::planner
