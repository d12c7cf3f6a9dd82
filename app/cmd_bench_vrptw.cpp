// sonae bench-vrptw: solve Solomon VRPTW instances, check each solution independently,
// compare with the published optimum (../shared/data/solomon-vrptw/PROVENANCE.md).
#include "app/commands.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "planner/solomon.hpp"
#include "planner/vrp.hpp"
#include "planner/vrp_check.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sonae::app {
namespace {

struct BenchArgs {
    std::vector<std::string> files;
    double time_limit_s = 1.0;
    std::uint64_t seed = 1;
    std::int64_t iterations = 0;
    std::string solutions_dir;
    bool wall_clock = false;
    bool overwrite = false;
};

void run_bench(const BenchArgs& args) {
    namespace fs = std::filesystem;
    using namespace sonae::planner;
    if (!args.solutions_dir.empty()) {
        create_output_dir(args.solutions_dir);
    }
    // Read every instance first so that a bad file stops the run before any solving.
    std::vector<solomon::Instance> instances;
    for (const std::string& file : args.files) instances.push_back(solomon::read_instance(file));
    if (!args.solutions_dir.empty()) {
        std::vector<fs::path> outputs;
        for (const auto& instance : instances)
            outputs.push_back(fs::path(args.solutions_dir) / (instance.name + ".sol"));
        refuse_to_replace(outputs, args.overwrite);
    }

    std::map<fs::path, std::map<std::string, double>> references;
    std::cout << "instance,routes,cost,reference_cost,gap_pct,seconds,feasible\n";
    double gap_sum = 0.0;
    double gap_max = 0.0;
    int gap_count = 0;
    int infeasible = 0;
    for (std::size_t i = 0; i < instances.size(); ++i) {
        const solomon::Instance& instance = instances[i];
        const fs::path folder = fs::path(args.files[i]).parent_path();
        if (!references.count(folder)) {
            const fs::path csv = folder / "reference_costs.csv";
            references[folder] = fs::exists(csv) ? solomon::read_reference_costs(csv)
                                                 : std::map<std::string, double>{};
        }
        const vrp::Problem problem = solomon::to_problem(instance);
        vrp::Options options;
        options.seed = args.seed;
        options.time_limit_s = args.time_limit_s;
        options.iteration_limit = args.iterations;
        options.cpu_time = !args.wall_clock;
        const vrp::Solution solution = vrp::solve(problem, options);
        vrp::CheckOptions check_options;
        check_options.require_all_served = true;
        const vrp::CheckReport report = vrp::check(problem, solution, check_options);
        const bool feasible = report.feasible();
        if (!feasible) ++infeasible;

        const double cost = static_cast<double>(report.travel_cost) / 10.0;
        std::string reference_text;
        std::string gap_text;
        const auto& refs = references[folder];
        if (auto it = refs.find(instance.name); it != refs.end()) {
            const double gap = 100.0 * (cost - it->second) / it->second;
            reference_text = fmt::format("{:.1f}", it->second);
            gap_text = fmt::format("{:.2f}", gap);
            gap_sum += gap;
            gap_max = gap_count == 0 ? gap : std::max(gap_max, gap);
            ++gap_count;
        }
        std::cout << fmt::format("{},{},{},{},{},{:.2f},{}\n", instance.name,
                                 solution.routes.size(), solomon::format_tenths(report.travel_cost),
                                 reference_text, gap_text,
                                 args.wall_clock ? solution.seconds : solution.cpu_seconds,
                                 feasible ? "true" : "false")
                  << std::flush;
        if (!feasible) {
            for (const std::string& v : report.violations) {
                std::cerr << "sonae: " << instance.name << ": infeasible: " << v << '\n';
            }
        }
        if (!args.solutions_dir.empty()) {
            const fs::path target = fs::path(args.solutions_dir) / (instance.name + ".sol");
            std::vector<fs::path> inputs(args.files.begin(), args.files.end());
            ensure_not_an_input(target, inputs);
            write_file_atomically(target, solomon::format_solution(instance, solution),
                                  FileMode::shared);
        }
    }
    const double mean = gap_count == 0 ? 0.0 : gap_sum / gap_count;
    std::cout << fmt::format("mean_gap_pct={:.2f} max_gap_pct={:.2f} infeasible={}\n", mean,
                             gap_max, infeasible);
}

} // namespace

void add_bench_vrptw_command(CLI::App& app) {
    auto args = std::make_shared<BenchArgs>();
    CLI::App* cmd = app.add_subcommand(
        "bench-vrptw",
        "Solve Solomon VRPTW instances and compare with the published optima (CSV on stdout)");
    cmd->add_option("FILE", args->files, "Solomon instance files (.txt)")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("--time-limit-s", args->time_limit_s,
                    "time limit per instance in CPU seconds of the solver thread (0: none)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--seed", args->seed, "random seed");
    cmd->add_option("--iterations", args->iterations, "iteration limit per instance (0: none)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_flag("--wall-clock", args->wall_clock,
                  "count the time limit (and the seconds column) in wall-clock time instead of the "
                  "solver thread's CPU time");
    cmd->add_option("--solutions", args->solutions_dir,
                    "write each solution as DIR/<name>.sol (CVRPLIB format)");
    add_overwrite_flag(*cmd, args->overwrite);
    cmd->callback([args] {
        if (args->time_limit_s <= 0.0 && args->iterations <= 0) {
            throw CLI::ValidationError("--time-limit-s", "set a time limit or --iterations");
        }
        run_bench(*args);
    });
}

} // namespace sonae::app
