// sonae plan / compare / run.
#include "app/commands.hpp"
#include "app/progress.hpp"

#include "geo/atomic_file.hpp"
#include "geo/error.hpp"
#include "planner/plan_export.hpp"
#include "planner/plan_io.hpp"
#include "planner/planner.hpp"

#include <iostream>
#include <memory>

namespace sonae::app {

namespace fs = std::filesystem;

namespace {

void print_summary(const planner::Plan& plan, const std::vector<fs::path>& written) {
    const auto& s = plan.summary;
    std::cout << "計画 (plan): " << plan.scenario_title << "\n"
              << "  児童 " << s.children << " 人: 間に合う " << s.on_time << "、要注意 " << s.at_risk
              << "、対応できない " << s.cannot_serve << "\n"
              << "  余裕 (margin, min): p5 " << static_cast<long long>(s.margin_min_p5) << ", p50 "
              << static_cast<long long>(s.margin_min_p50) << ", p95 " << static_cast<long long>(s.margin_min_p95) << "\n"
              << "  施設 " << s.facilities_used << " か所 (不足あり " << s.facilities_short << ")\n";
    if (plan.approximate) std::cout << "  注意: " << plan.approximation_note << "\n";
    for (const auto& p : written) std::cout << "  -> " << p.string() << "\n";
}

} // namespace

planner::Plan run_plan(const fs::path& scenario, const fs::path& out, std::vector<fs::path>& written) {
    ProgressBar bar("plan");
    auto progress = [&bar](std::string_view stage, double f) { bar(stage, f); };
    const auto loaded = planner::load_scenario(scenario, [&](std::string_view st, double f) { progress(st, f * 0.3); });
    for (const auto& input : loaded.manifest.input_files()) {
        ensure_not_an_input(out / "plan.json", {input});
        ensure_not_an_input(out / "plan.csv", {input});
    }
    auto plan = planner::make_plan(loaded, [&](std::string_view st, double f) { progress(st, 0.3 + f * 0.65); });
    progress("writing", 0.97);
    written = planner::write_plan_outputs(plan, out);
    progress("done", 1.0);
    bar.finish();
    return plan;
}

void add_plan_commands(CLI::App& app) {
    {
        auto* cmd = app.add_subcommand("plan", "Plan the evacuation of every child of a scenario");
        auto scenario = std::make_shared<std::string>();
        auto out = std::make_shared<std::string>();
        cmd->add_option("SCENARIO", *scenario, "scenario.toml or its folder")->required();
        cmd->add_option("-o,--output", *out, "output folder (plan.json, plan.csv, facilities.csv, plan.gpkg)")->required();
        cmd->callback([scenario, out] {
            std::vector<fs::path> written;
            const auto plan = run_plan(*scenario, *out, written);
            print_summary(plan, written);
        });
    }
    {
        auto* cmd = app.add_subcommand("compare", "What changed between two plans (children at risk, margins, headroom, routes)");
        auto a = std::make_shared<std::string>();
        auto b = std::make_shared<std::string>();
        cmd->add_option("PLAN_A", *a, "plan.json (or its folder)")->required();
        cmd->add_option("PLAN_B", *b, "plan.json (or its folder)")->required();
        cmd->callback([a, b] {
            auto path = [](const std::string& p) {
                return fs::is_directory(p) ? fs::path(p) / "plan.json" : fs::path(p);
            };
            std::cout << planner::compare_plans(planner::read_plan_json(path(*a)), planner::read_plan_json(path(*b)));
        });
    }
}

} // namespace sonae::app
