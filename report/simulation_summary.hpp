#pragma once
/// What the council report needs from a simulation run (issue 6), as a plain value.
/// The simulator (or the app) fills it; the report draws "not simulated" when it is absent.
/// Times are seconds after t0 (the scenario's alert), like planner::Plan.

#include <cstdint>
#include <string>
#include <vector>

namespace sonae::report {

/// Three quantiles of one quantity over the Monte Carlo runs.
struct Quantiles {
    double p5 = 0.0;
    double p50 = 0.0;
    double p95 = 0.0;
};

/// One child's simulated outcome over all runs. Never printed per child in council outputs:
/// the report only shows counts by band (with small-count suppression).
struct ChildSimulation {
    std::string child_id;
    Quantiles arrival_s;              ///< arrival time at the destination, seconds after t0
    Quantiles battery_margin_h;       ///< battery hours left on arrival (negative = ran out)
    double p_miss_deadline = 0.0;     ///< share of runs that arrived after the deadline, 0..1
};

/// A simulation run summarised for reports.
struct SimulationSummary {
    std::string label;                ///< e.g. "Monte Carlo 1000 runs, seed 42"
    std::int64_t runs = 0;
    std::vector<ChildSimulation> children;
    /// Time when the last child arrived, one value per run (seconds after t0), any order.
    /// Runs where somebody never arrived are left out and counted in runs_incomplete.
    std::vector<double> completion_s;
    std::int64_t runs_incomplete = 0;
};

} // namespace sonae::report

#include <filesystem>

namespace sonae::report {

/// Reads the simulation.json that `sonae simulate` writes (format "sonae-simulation",
/// version 1): per-child quantiles, miss probability and per-run completion times.
/// Throws InputError naming the file and field on a bad document, IoError if unreadable.
SimulationSummary read_simulation_summary(const std::filesystem::path& path);

} // namespace sonae::report
