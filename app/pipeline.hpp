#pragma once
// The steps the commands share: load a scenario, plan, simulate, write outputs.

#include "planner/plan.hpp"
#include "planner/planner.hpp"
#include "sim/simulate.hpp"

#include <filesystem>
#include <vector>

namespace sonae::app {

/// The files `sonae plan` writes into `out`.
std::vector<std::filesystem::path> plan_output_files(const std::filesystem::path& out);

/// Loads a scenario with a progress bar.
planner::LoadedScenario load_with_progress(const std::filesystem::path& scenario);

/// Plans and writes plan.json, plan.csv, facilities.csv, plan.gpkg into `out`.
planner::Plan plan_and_write(const planner::LoadedScenario& loaded, const std::filesystem::path& out,
                             std::vector<std::filesystem::path>& written);

/// Prints the plan's summary and the files written.
void print_plan_summary(const planner::Plan& plan, const std::vector<std::filesystem::path>& written);

/// Simulates `runs` replications and writes simulation.json, sim_children.csv (0600),
/// sim_runs.csv, trace.sonae (0600) and events.csv (0600) into `out`.
sim::MonteCarloResult simulate_and_write(const planner::LoadedScenario& loaded, const planner::Plan& plan,
                                         const sim::SimOptions& options, const std::filesystem::path& out,
                                         std::vector<std::filesystem::path>& written);

/// Prints the simulation's summary.
void print_simulation_summary(const sim::MonteCarloResult& mc, const planner::Plan& plan);

} // namespace sonae::app
