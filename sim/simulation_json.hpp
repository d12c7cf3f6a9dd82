#pragma once
/// simulation.json (format "sonae-simulation", version 1): the one owner of the file that
/// `sonae simulate` and `sonae run` write and `sonae report --simulation` reads, and of the
/// summary the council report draws from it. Times are seconds after t0, like planner::Plan.
/// Field by field: see the writer below (and README "Outputs").

#include "core/atomic_file.hpp"
#include "sim/simulate.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sonae::sim {

/// One child's simulated outcome over all runs. Never printed per child in council outputs:
/// the report only shows counts by band (with small-count suppression).
struct ChildSimulation {
    std::string child_id;
    Quantiles arrival_s;          ///< arrival time at the destination, seconds after t0
    Quantiles battery_margin_h;   ///< battery hours left on arrival (negative = ran out)
    double p_miss_deadline = 0.0; ///< share of runs that missed a deadline, 0..1
};

/// What the council report needs from a simulation, as a plain value: the same whether it
/// comes from this process's Monte Carlo (`run`) or from simulation.json (`report`).
struct SimulationSummary {
    std::string label; ///< 「モンテカルロ（seed 42）」
    std::int64_t runs = 0;
    std::vector<ChildSimulation> children;
    /// Time when the last child arrived, one value per run (seconds after t0), in run order.
    /// Runs where somebody never arrived are left out and counted in runs_incomplete.
    std::vector<double> completion_s;
    std::int64_t runs_incomplete = 0;
};

/// The summary of a Monte Carlo result (what read_simulation_summary gives back for the
/// simulation.json written from it).
SimulationSummary summarize(const MonteCarloResult& mc);

/// The text of simulation.json for this result (no wall-clock time in it: the same inputs and
/// seed give the same bytes).
std::string simulation_json_text(const MonteCarloResult& mc, const std::string& scenario_name);

/// Writes simulation.json atomically (children's outcomes: personal data, 0600 by default).
void write_simulation_json(const std::filesystem::path& path, const MonteCarloResult& mc,
                           const std::string& scenario_name, FileMode mode = FileMode::personal);

/// Reads a simulation.json. Throws InputError naming the file, the field (its JSON path, e.g.
/// /children/3/arrival_s/p50) and the value on a bad document, IoError if it is unreadable.
SimulationSummary read_simulation_summary(const std::filesystem::path& path);

} // namespace sonae::sim
