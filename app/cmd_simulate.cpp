// sonae simulate.
#include "app/commands.hpp"
#include "app/pipeline.hpp"
#include "app/progress.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "geo/output_set.hpp"
#include "planner/csv.hpp"
#include "planner/plan_check.hpp"
#include "planner/plan_io.hpp"
#include "sim/simulation_json.hpp"

#include <cstdio>
#include <iostream>
#include <memory>

namespace sonae::app {

namespace fs = std::filesystem;

namespace {

std::string fixed(double v, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

/// What the plan does for the simulation's i-th child (the simulator keeps the plan's order).
planner::Outcome plan_outcome(const planner::Plan& plan, std::size_t i, const std::string& id) {
    if (i >= plan.children.size() || plan.children[i].child_id != id)
        throw InternalError("simulation child " + id + " is not the plan's child at its place");
    return plan.children[i].outcome;
}

} // namespace

sim::MonteCarloResult simulate_and_write(const planner::LoadedScenario& loaded,
                                         const planner::Plan& plan, const sim::SimOptions& options,
                                         const fs::path& out, std::vector<fs::path>& written) {
    create_output_dir(out);
    for (const auto& input : loaded.manifest.input_files()) {
        for (const char* name : {"simulation.json", "sim_children.csv", "sim_runs.csv",
                                 "trace.sonae", "events.csv", "simulation.gpkg"}) {
            ensure_not_an_input(out / name, {input});
        }
    }
    const sim::Simulator simulator(loaded, plan, options);
    ProgressBar bar("simulate");
    auto mc = simulator.monte_carlo([&bar](std::string_view st, double f) { bar(st, f * 0.9); });
    bar("trace", 0.95);
    sim::Movements movements;
    const auto trace = simulator.trace_run(&movements);
    trace.write(out / "trace.sonae", FileMode::personal);
    written.push_back(out / "trace.sonae");
    // The same run's movements for QGIS: one line per agent and leg (children's homes and
    // movements: personal, 0600).
    sim::write_movements_geopackage(out / "simulation.gpkg", movements);
    written.push_back(out / "simulation.gpkg");
    const sim::TraceReader reader(out / "trace.sonae");
    reader.write_events_csv(out / "events.csv", FileMode::personal);
    written.push_back(out / "events.csv");
    bar("done", 1.0);
    bar.finish();

    sim::write_simulation_json(out / "simulation.json", mc, plan.scenario_name);
    written.push_back(out / "simulation.json");

    std::vector<std::vector<std::string>> rows;
    rows.push_back({"児童ID", "計画", "到着 p5(分)", "到着 p50(分)", "到着 p95(分)",
                    "電源接続時の電池残 p5(時間)", "電池残 p50(時間)", "電池残 p95(時間)",
                    "期限に遅れる確率", "電池切れの確率", "出発前に自宅が被災した確率",
                    "道路が寸断された確率", "電源の確保が期限に遅れた確率",
                    "避難先の電源が足りなかった確率"});
    auto share = [](const sim::ChildStats& c, sim::Cause cause) {
        return fixed(c.cause_share[static_cast<std::size_t>(cause)], 3);
    };
    for (std::size_t i = 0; i < mc.children.size(); ++i) {
        const auto& c = mc.children[i];
        const auto outcome = plan_outcome(plan, i, c.child_id);
        // No value, no number (issue 23 item 3): a child who never arrived in any run has no
        // arrival time and no battery at connection (they were printed as 0 and as the home's
        // endurance), and a child the plan keeps at home has no deadline to miss (it was
        // printed as 1.000, the share of runs in which the child "failed" by not leaving).
        const bool arrived = c.runs_arrived > 0;
        const bool powered = c.runs_powered > 0;
        const bool stays = outcome == planner::Outcome::shelter_in_place;
        const auto when = [&](double v, int digits, bool has) {
            return has ? fixed(v, digits) : std::string();
        };
        rows.push_back(
            {c.child_id, std::string(planner::label_ja(outcome)),
             when(c.arrival_s.p5 / 60, 0, arrived), when(c.arrival_s.p50 / 60, 0, arrived),
             when(c.arrival_s.p95 / 60, 0, arrived), when(c.battery_margin_h.p5, 1, powered),
             when(c.battery_margin_h.p50, 1, powered), when(c.battery_margin_h.p95, 1, powered),
             when(c.p_miss_deadline, 3, !stays), fixed(c.p_battery_depleted, 3),
             share(c, sim::Cause::hazard_before_departure), share(c, sim::Cause::cut_off),
             share(c, sim::Cause::late_to_power), share(c, sim::Cause::shelter_overloaded)});
    }
    write_file_atomically(out / "sim_children.csv", planner::format_csv(rows), FileMode::personal);
    written.push_back(out / "sim_children.csv");
    std::vector<std::vector<std::string>> runs;
    runs.push_back({"試行", "全員が電源に接続した時刻(分)"});
    std::size_t k = 0;
    for (const auto c : mc.completion_s) runs.push_back({std::to_string(++k), fixed(c / 60, 1)});
    write_file_atomically(out / "sim_runs.csv", planner::format_csv(runs), FileMode::shared);
    written.push_back(out / "sim_runs.csv");
    return mc;
}

void print_simulation_summary(const sim::MonteCarloResult& mc, const planner::Plan& plan) {
    std::cout << "シミュレーション (simulation): " << mc.runs << " 回, seed " << mc.seed << ", "
              << fixed(mc.wall_seconds, 2) << " 秒\n";
    if (!mc.completion_s.empty()) {
        std::cout << "  全員が電源に接続 (all on power, min): p5 "
                  << fixed(mc.completion.p5 / 60, 0) << ", p50 " << fixed(mc.completion.p50 / 60, 0)
                  << ", p95 " << fixed(mc.completion.p95 / 60, 0) << "\n";
    }
    std::cout << "  全員がそろわなかった試行 (runs where someone never reached power): "
              << mc.runs_incomplete << "\n";
    // Children the plan keeps at home have no deadline to miss: they are counted apart (before,
    // they were among those missing it, under 計画で対応できない).
    int risky = 0, staying = 0;
    for (std::size_t i = 0; i < mc.children.size(); ++i) {
        if (plan_outcome(plan, i, mc.children[i].child_id) == planner::Outcome::shelter_in_place) {
            ++staying;
            continue;
        }
        risky += mc.children[i].p_miss_deadline >= 0.05 ? 1 : 0;
    }
    std::cout
        << "  5%以上の確率で期限に遅れる児童 (children missing the deadline in >=5% of runs): "
        << risky << " / " << plan.children.size() - static_cast<std::size_t>(staying)
        << (staying > 0 ? "（在宅避難の " + std::to_string(staying) + " 人を除く）" : "") << "\n";
    // By real cause (issue 17): children for whom the cause happened in at least 5 % of runs.
    for (std::size_t k = 1; k < sim::kCauseCount; ++k) {
        int count = 0;
        for (std::size_t i = 0; i < mc.children.size(); ++i) {
            const auto& c = mc.children[i];
            const bool stays =
                plan_outcome(plan, i, c.child_id) == planner::Outcome::shelter_in_place;
            count += !stays && c.cause_share[k] >= 0.05 ? 1 : 0;
        }
        if (count > 0)
            std::cout << "    " << sim::label_ja(static_cast<sim::Cause>(k)) << ": " << count
                      << "\n";
    }
}

void add_simulate_command(CLI::App& app) {
    auto* cmd =
        app.add_subcommand("simulate", "Replay a scenario's plan many times with different seeds");
    auto scenario = std::make_shared<std::string>();
    auto plan_path = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    auto drill = std::make_shared<std::vector<std::string>>();
    auto options = std::make_shared<sim::SimOptions>();
    options->runs = 200;
    cmd->add_option("SCENARIO", *scenario, "scenario.toml or its folder")->required();
    cmd->add_option("--plan", *plan_path,
                    "plan.json made by `sonae plan` for this scenario (default: plan it now)");
    cmd->add_option("--runs", options->runs, "number of replications")
        ->check(CLI::Range(1, 1000000));
    cmd->add_option("--seed", options->seed, "base seed (default: the scenario's seed)")
        ->default_str("");
    cmd->add_option("--threads", options->threads, "threads")->check(CLI::Range(1, 64));
    cmd->add_option(
        "--drill", *drill,
        "recorded drill file(s) (sim/drill.hpp format: clock times or minutes after t0; one per "
        "drill "
        "or per child); writes the drill review (drill_review.pdf/.html/.csv, drill_council.*) "
        "(default: the manifest's [drill] recorded)");
    cmd->add_option("-o,--output", *out, "output folder")->required();
    auto overwrite = std::make_shared<bool>(false);
    add_overwrite_flag(*cmd, *overwrite);
    cmd->callback([=] {
        std::vector<fs::path> outputs;
        for (const char* name : {"simulation.json", "sim_children.csv", "sim_runs.csv",
                                 "trace.sonae", "events.csv", "simulation.gpkg"}) {
            outputs.push_back(fs::path(*out) / name);
        }
        if (!drill->empty()) outputs.push_back(fs::path(*out) / "drill_review.csv");
        if (plan_path->empty()) {
            for (const auto& p : plan_output_files(*out)) outputs.push_back(p);
        }
        const auto loaded = load_with_progress(*scenario);
        if (!loaded.manifest.drill_recorded.empty())
            outputs.push_back(fs::path(*out) / "drill_review.csv");
        // After loading (which writes nothing): an output that is an input is bad input
        // (exit 2), one that is merely there needs --overwrite (exit 1).
        for (const auto& o : outputs) ensure_not_an_input(o, loaded.manifest.input_files());
        refuse_to_replace(outputs, *overwrite);
        if (cmd->count("--seed") == 0) options->seed = loaded.manifest.seed;
        std::vector<fs::path> written;
        // Plan, simulation and drill review as one set: a bad drill file, a failure or a kill
        // leaves the previous set (or nothing), never a new plan beside an old simulation.
        OutputSet set(*out, loaded.manifest.input_files());
        planner::Plan plan;
        if (!plan_path->empty()) {
            plan = planner::read_plan_json(*plan_path);
            planner::check_plan_matches_scenario(plan, loaded, *plan_path);
        } else {
            plan = plan_and_write(loaded, set.dir(), written);
        }
        std::vector<fs::path> drill_paths(drill->begin(), drill->end());
        const auto prepared = prepare_drill(loaded, plan, drill_paths);
        const auto mc = simulate_and_write(loaded, plan, *options, set.dir(), written);
        if (prepared) write_drill_review(loaded, plan, &mc, *prepared, set.dir(), written);
        set.commit();
        print_simulation_summary(mc, plan);
        for (const auto& p : set.final_paths(written)) std::cout << "  -> " << p.string() << "\n";
    });
}

} // namespace sonae::app
