#pragma once
/// Each file app/cmd_*.cpp adds its subcommands to the `sonae` command here.
/// A command's callback may throw sonae::InputError / IoError / InternalError; main() maps
/// them to exit codes 2, 2 and 3. A usage error is exit code 1 (CLI11 parse error).

#include <CLI/CLI.hpp>

#include <filesystem>
#include <stdexcept>
#include <vector>

namespace sonae::app {

/// An output is already there and --overwrite was not given: main() prints the message and
/// exits 1 (usage), as ogr2ogr and osmium refuse to replace files without -overwrite.
struct OutputExists : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// Throws OutputExists naming the first of `outputs` that exists, unless `overwrite`.
/// A folder in `outputs` counts when it holds any file.
void refuse_to_replace(const std::vector<std::filesystem::path>& outputs, bool overwrite);

/// Adds the --overwrite flag every command that writes files has.
CLI::Option* add_overwrite_flag(CLI::App& cmd, bool& overwrite);

void add_network_commands(CLI::App& app); // sonae network info, sonae route, sonae sssp

void add_sssp_command(CLI::App& app); // sonae sssp (DIMACS distances from one node)

void add_route_command(CLI::App& app); // sonae route (one route, optionally under a hazard)

void add_bench_vrptw_command(CLI::App& app); // sonae bench-vrptw (Solomon VRPTW benchmark)

void add_plan_commands(CLI::App& app); // sonae plan, sonae compare

void add_simulate_command(CLI::App& app); // sonae simulate

void add_run_command(CLI::App& app); // sonae run (the main job)

void add_drill_commands(CLI::App& app); // sonae drill review, sonae drill kit

void add_registry_commands(CLI::App& app); // sonae validate, sonae synth

void add_report_commands(CLI::App& app); // sonae guidebook, sonae report

} // namespace sonae::app
