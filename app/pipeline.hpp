#pragma once
// The steps the commands share: load a scenario, plan, simulate, write outputs.

#include "planner/plan.hpp"
#include "planner/planner.hpp"
#include "sim/drill.hpp"
#include "sim/simulate.hpp"

#include <filesystem>
#include <optional>
#include <vector>

namespace sonae::app {

/// The files `sonae plan` writes into `out`.
std::vector<std::filesystem::path> plan_output_files(const std::filesystem::path& out);

/// Loads a scenario with a progress bar.
planner::LoadedScenario load_with_progress(const std::filesystem::path& scenario);

/// Plans and writes plan.json, plan.csv, facilities.csv, plan.gpkg into `out`.
planner::Plan plan_and_write(const planner::LoadedScenario& loaded,
                             const std::filesystem::path& out,
                             std::vector<std::filesystem::path>& written);

/// Prints the plan's summary and the files written.
void print_plan_summary(const planner::Plan& plan,
                        const std::vector<std::filesystem::path>& written);

/// Simulates `runs` replications and writes simulation.json, sim_children.csv (0600),
/// sim_runs.csv, trace.sonae (0600), events.csv (0600) and simulation.gpkg (0600: the traced
/// run's movements, sim/movements.hpp) into `out`.
sim::MonteCarloResult simulate_and_write(const planner::LoadedScenario& loaded,
                                         const planner::Plan& plan, const sim::SimOptions& options,
                                         const std::filesystem::path& out,
                                         std::vector<std::filesystem::path>& written);

/// A recorded drill read and checked against the plan (before any long work, so that a bad
/// drill file stops the command before anything is written).
struct PreparedDrill {
    std::optional<sim::DrillFile> timeline; ///< the manifest's [drill] timeline
    sim::DrillFile drill;                   ///< the recorded files, merged
    std::vector<std::filesystem::path> recorded;
};

/// Reads and checks the recorded drill (`recorded`, else the manifest's [drill] recorded
/// files); nullopt if there is none. Throws InputError naming file, line, field and value.
std::optional<PreparedDrill> prepare_drill(const planner::LoadedScenario& loaded,
                                           const planner::Plan& plan,
                                           const std::vector<std::filesystem::path>& recorded);

/// Writes the review of a prepared drill against the plan and the simulation (`mc` may be
/// null) and its council version into `out` (report/drill_review.hpp), and prints its summary.
void write_drill_review(const planner::LoadedScenario& loaded, const planner::Plan& plan,
                        const sim::MonteCarloResult* mc, const PreparedDrill& prepared,
                        const std::filesystem::path& out,
                        std::vector<std::filesystem::path>& written);

/// Writes the drill kit (recording sheets, role sheets, template) for the manifest's [drill]
/// timeline into `out`. Returns false if the scenario has no drill timeline.
bool drill_kit_and_write(const planner::LoadedScenario& loaded, const planner::Plan& plan,
                         const std::filesystem::path& out,
                         std::vector<std::filesystem::path>& written);

/// Prints the simulation's summary.
void print_simulation_summary(const sim::MonteCarloResult& mc, const planner::Plan& plan);

} // namespace sonae::app
