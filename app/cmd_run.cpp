// sonae run: the main job. Plans, simulates, writes the guidebooks and the council report,
// and exports replay pictures with sonae-view, in one go.
#include "app/commands.hpp"
#include "app/pipeline.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "geo/output_set.hpp"
#include "report/council_report.hpp"
#include "report/guidebook.hpp"
#include "sim/simulation_json.hpp"

#include <fcntl.h>
#include <iostream>
#include <memory>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace sonae::app {

namespace fs = std::filesystem;

namespace {

/// Where sonae-view is: beside this program (build tree: ../viewer/), else on PATH.
std::string viewer_program() {
    std::error_code ec;
    const auto self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        for (const auto& candidate : {self.parent_path() / "sonae-view",
                                      self.parent_path().parent_path() / "viewer" / "sonae-view"}) {
            if (fs::exists(candidate, ec)) return candidate.string();
        }
    }
    return "sonae-view";
}

/// Runs sonae-view; returns its exit code (128 + the signal if it was killed), or -1 if it
/// could not be started.
int run_viewer(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    std::vector<std::string> storage = args;
    for (auto& a : storage) argv.push_back(a.data());
    argv.push_back(nullptr);
    // The viewer's own lines name the staging folder, which is gone once the set is in place:
    // its standard output goes to /dev/null (run prints the final folder); its errors stay.
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    const int spawned = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0) return -1;
    int status = 0;
    if (waitpid(pid, &status, 0) < 0) return -1;
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

} // namespace

void add_run_command(CLI::App& app) {
    auto* cmd = app.add_subcommand(
        "run", "The main job: plan, simulate, guidebooks, council report and replay pictures");
    auto scenario = std::make_shared<std::string>();
    auto out = std::make_shared<std::string>();
    auto runs = std::make_shared<std::int64_t>(200);
    auto with_names = std::make_shared<bool>(false);
    auto seed = std::make_shared<std::uint64_t>(0);
    auto overwrite = std::make_shared<bool>(false);
    cmd->add_option("SCENARIO", *scenario, "scenario.toml or its folder")->required();
    cmd->add_option("-o,--output", *out, "output folder")->required();
    cmd->add_option("--runs", *runs, "simulation replications")->check(CLI::Range(1, 1000000));
    auto* seed_option =
        cmd->add_option(
               "--seed", *seed,
               "seed of the plan's search and the simulation (default: the scenario's seed)")
            ->default_str("");
    cmd->add_flag("--with-names", *with_names,
                  "print names in guidebooks where the record's consent allows");
    auto no_pictures = std::make_shared<bool>(false);
    cmd->add_flag("--no-pictures", *no_pictures,
                  "do not export replay pictures (they need sonae-view)");
    add_overwrite_flag(*cmd, *overwrite);
    cmd->callback([=] {
        const fs::path dir(*out);
        refuse_to_replace({dir / "plan", dir / "simulation", dir / "guidebooks", dir / "council",
                           dir / "pictures"},
                          *overwrite);
        auto loaded = load_with_progress(*scenario);
        if (seed_option->count() > 0) loaded.manifest.seed = *seed;
        // The whole run is one set (plan, simulation, guidebooks, council, drill, pictures),
        // written in a private staging folder and swapped in at the end: a run that fails or
        // is killed leaves the previous run's outputs or none, never a mix.
        const auto inputs = loaded.manifest.input_files();
        OutputSet set(dir, inputs);
        const fs::path& stage = set.dir();
        std::vector<fs::path> written;
        const auto plan = plan_and_write(loaded, stage / "plan", written);
        print_plan_summary(plan, set.final_paths(written));
        const auto drill = prepare_drill(loaded, plan, {}); // a bad drill file stops here

        sim::SimOptions options;
        options.runs = *runs;
        options.seed = loaded.manifest.seed;
        std::vector<fs::path> sim_written;
        const auto mc =
            simulate_and_write(loaded, plan, options, stage / "simulation", sim_written);
        print_simulation_summary(mc, plan);
        for (const auto& p : set.final_paths(sim_written))
            std::cout << "  -> " << p.string() << "\n";

        report::GuidebookOptions gopt;
        gopt.with_names = *with_names;
        gopt.registry = &loaded.registry;
        const auto map = report::load_map_background(loaded.manifest);
        gopt.map = &map;
        const auto books = report::write_guidebooks(plan, stage / "guidebooks", gopt, {}, inputs);
        std::cout << "ガイドブック (guidebooks): " << books.size() << " 冊 -> "
                  << (dir / "guidebooks").string() << "\n";

        const auto summary = sim::summarize(mc);
        report::CouncilOptions copt;
        copt.simulation = &summary;
        const auto council =
            report::write_council_report(plan, stage / "council", copt, nullptr, inputs);
        std::cout << "協議会資料 (council report):\n  -> " << set.final_path(council.pdf).string()
                  << "\n  -> " << set.final_path(council.html).string() << "\n";
        for (const auto& p : set.final_paths(council.csv))
            std::cout << "  -> " << p.string() << "\n";

        // A drill scenario: the kit for the next drill and the review of the recorded one.
        std::vector<fs::path> drill_written;
        if (drill_kit_and_write(loaded, plan, stage / "drill" / "kit", drill_written)) {
            std::cout << "訓練キット (drill kit) -> " << (dir / "drill" / "kit").string() << "\n";
        }
        if (drill) {
            write_drill_review(loaded, plan, &mc, *drill, stage / "drill", drill_written);
            for (const auto& p : set.final_paths(drill_written))
                std::cout << "  -> " << p.string() << "\n";
        }

        if (*no_pictures) {
            set.commit();
            std::cout << "再生画像 (replay pictures): 作りません (--no-pictures)\n";
            std::cout << "完了 (done): " << dir.string() << "\n";
            return;
        }
        const auto pictures = stage / "pictures";
        create_output_dir(pictures);
        const auto trace = (stage / "simulation" / "trace.sonae").string();
        const auto viewer = viewer_program();
        int rc = run_viewer(
            {viewer, trace, "--png", (pictures / "replay_1h.png").string(), "--at", "1:00"});
        if (rc == 0)
            rc = run_viewer(
                {viewer, trace, "--png", (pictures / "replay_3h.png").string(), "--at", "3:00"});
        if (rc == 0)
            rc = run_viewer({viewer, trace, "--frames", (pictures / "frames").string(), "--every",
                             "30m", "--size", "1280x720"});
        if (rc == 0 && drill) {
            // The recorded drill beside the plan: a still at 2:30 and frames every 15 minutes.
            const auto drill_trace = (stage / "drill" / "drill_trace.sonae").string();
            rc = run_viewer({viewer, drill_trace, "--png", (pictures / "drill_2h30.png").string(),
                             "--at", "2:30"});
            if (rc == 0) {
                rc = run_viewer({viewer, drill_trace, "--frames",
                                 (pictures / "drill_frames").string(), "--every", "15m", "--size",
                                 "1280x720"});
            }
        }
        if (rc != 0) {
            // The other outputs are complete and go in place, with the pictures made before the
            // failure (none of the previous run's stay beside them); the run still fails, so a
            // script notices.
            set.commit();
            throw IoError(std::string("the replay pictures could not be made: ") +
                              (rc < 0 ? "sonae-view was not found (build it, or put it on PATH)"
                                      : "sonae-view failed with exit code " + std::to_string(rc)) +
                              "; everything else is written (the trace is " +
                              set.final_path(trace).string() +
                              "); sonae-view starts its own Xvfb when there is no display (package "
                              "xvfb), or add --no-pictures",
                          {.file = set.final_path(pictures).string()});
        }
        set.commit();
        std::cout << "再生画像 (replay pictures) -> " << set.final_path(pictures).string() << "\n";
        std::cout << "完了 (done): " << dir.string() << "\n";
    });
}

} // namespace sonae::app
