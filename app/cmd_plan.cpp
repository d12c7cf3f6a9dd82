// sonae plan / compare / run.
#include "app/commands.hpp"
#include "app/pipeline.hpp"
#include "app/progress.hpp"
#include "app/warnings.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "geo/output_set.hpp"
#include "planner/plan_export.hpp"
#include "planner/plan_io.hpp"
#include "planner/planner.hpp"

#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#if __has_include(<malloc.h>)
#include <malloc.h> // malloc_trim (glibc)
#endif

namespace sonae::app {

namespace fs = std::filesystem;

void refuse_to_replace(const std::vector<fs::path>& outputs, bool overwrite) {
    if (overwrite) return;
    for (const auto& path : outputs) {
        std::error_code ec;
        const bool present =
            fs::is_directory(path, ec) ? !fs::is_empty(path, ec) : fs::exists(path, ec);
        if (present) {
            throw OutputExists(path.string() + " already exists; add --overwrite to replace " +
                               (fs::is_directory(path, ec) ? "what is in it" : "it"));
        }
    }
}

CLI::Option* add_overwrite_flag(CLI::App& cmd, bool& overwrite) {
    return cmd.add_flag("--overwrite", overwrite,
                        "replace outputs that are already there (without it: exit 1)");
}

std::vector<fs::path> plan_output_files(const fs::path& out) {
    return {out / "plan.json", out / "plan.csv", out / "facilities.csv", out / "plan.gpkg"};
}

void print_plan_summary(const planner::Plan& plan, const std::vector<fs::path>& written) {
    const auto& s = plan.summary;
    std::cout << "計画 (plan): " << plan.scenario_title << "\n"
              << "  児童 " << s.children << " 人: 間に合う " << s.on_time << "、要注意 "
              << s.at_risk << "、対応できない " << s.cannot_serve << "\n"
              << "  余裕 (margin, min): p5 " << static_cast<long long>(s.margin_min_p5) << ", p50 "
              << static_cast<long long>(s.margin_min_p50) << ", p95 "
              << static_cast<long long>(s.margin_min_p95) << "\n"
              << "  施設 " << s.facilities_used << " か所 (不足あり " << s.facilities_short
              << ")\n";
    if (plan.approximate) std::cout << "  注意: " << plan.approximation_note << "\n";
    for (const auto& p : written) std::cout << "  -> " << p.string() << "\n";
}

planner::LoadedScenario load_with_progress(const fs::path& scenario) {
    ProgressBar bar("load");
    auto loaded =
        planner::load_scenario(scenario, [&bar](std::string_view st, double f) { bar(st, f); });
    bar.finish();
    warning_log().add(loaded.diagnostics);
    warning_log().enforce(strict_mode(), std::cerr);
    return loaded;
}

planner::Plan plan_and_write(const planner::LoadedScenario& loaded, const fs::path& out,
                             std::vector<fs::path>& written) {
    for (const auto& input : loaded.manifest.input_files()) {
        for (const char* name : {"plan.json", "plan.csv", "facilities.csv", "plan.gpkg"})
            ensure_not_an_input(out / name, {input});
    }
    ProgressBar bar("plan");
    auto plan =
        planner::make_plan(loaded, [&bar](std::string_view st, double f) { bar(st, f * 0.95); });
    // The planner's working memory (searches, flows, per-thread scratch) is free now; hand it
    // back to the system before the outputs are printed, so that a plan of 100,000 children
    // stays under 1 GB (issue 24 item 6; glibc keeps freed blocks of every thread's arena).
#ifdef __GLIBC__
    malloc_trim(0);
#endif
    // plan.json holds the load warnings again, their files named relative to the scenario's
    // folder: printed once, as loaded (they were printed twice, "data/registry.csv" beside
    // "scenarios/ube-flood/data/registry.csv", and counted twice); the planner's own are added.
    const auto loaded_list = planner::plan_load_warnings(loaded);
    const std::set<std::string> loaded_warnings(loaded_list.begin(), loaded_list.end());
    std::vector<std::string> planned;
    for (const auto& w : plan.warnings)
        if (!loaded_warnings.count(w)) planned.push_back(w);
    warning_log().add(planned);
    if (strict_mode()) bar.finish(); // the list starts on a line of its own
    warning_log().enforce(strict_mode(), std::cerr);
    bar("writing", 0.97);
    written = planner::write_plan_outputs(plan, out, &loaded.hazards);
    bar("done", 1.0);
    bar.finish();
    return plan;
}

void add_plan_commands(CLI::App& app) {
    {
        auto* cmd = app.add_subcommand("plan", "Plan the evacuation of every child of a scenario");
        auto scenario = std::make_shared<std::string>();
        auto out = std::make_shared<std::string>();
        auto seed = std::make_shared<std::uint64_t>(0);
        auto overwrite = std::make_shared<bool>(false);
        cmd->add_option("SCENARIO", *scenario, "scenario.toml or its folder")->required();
        cmd->add_option("-o,--output", *out,
                        "output folder (plan.json, plan.csv, facilities.csv, plan.gpkg)")
            ->required();
        auto* seed_option =
            cmd->add_option("--seed", *seed,
                            "seed of the vehicle-routing search (default: the scenario's seed)")
                ->default_str("");
        add_overwrite_flag(*cmd, *overwrite);
        cmd->callback([scenario, out, seed, seed_option, overwrite] {
            std::vector<fs::path> written;
            auto loaded = load_with_progress(*scenario);
            // After loading (which writes nothing): an output that is an input is bad input
            // (exit 2), one that is merely there needs --overwrite (exit 1).
            for (const auto& o : plan_output_files(*out))
                ensure_not_an_input(o, loaded.manifest.input_files());
            refuse_to_replace(plan_output_files(*out), *overwrite);
            if (seed_option->count() > 0) loaded.manifest.seed = *seed;
            // The four files as one set: a run that stops half-way leaves the previous four.
            OutputSet set(*out, loaded.manifest.input_files());
            const auto plan = plan_and_write(loaded, set.dir(), written);
            set.commit();
            print_plan_summary(plan, set.final_paths(written));
        });
    }
    {
        auto* cmd = app.add_subcommand(
            "compare",
            "What changed between two plans (children at risk, margins, headroom, routes)");
        auto a = std::make_shared<std::string>();
        auto b = std::make_shared<std::string>();
        cmd->add_option("PLAN_A", *a, "plan.json (or its folder)")->required();
        cmd->add_option("PLAN_B", *b, "plan.json (or its folder)")->required();
        cmd->callback([a, b] {
            auto path = [](const std::string& p) {
                return fs::is_directory(p) ? fs::path(p) / "plan.json" : fs::path(p);
            };
            std::cout << planner::compare_plans(planner::read_plan_json(path(*a)),
                                                planner::read_plan_json(path(*b)));
        });
    }
}

} // namespace sonae::app
