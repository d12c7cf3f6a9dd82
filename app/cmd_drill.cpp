// sonae drill review / kit / apply / compare: the drill loop of issue 21 (before the drill: the
// kit; after it: the after-action review, the accepted changes and, year over year, the
// comparison). `sonae simulate` and `sonae run` call drill_review_and_write too.
#include "app/commands.hpp"
#include "app/pipeline.hpp"
#include "app/progress.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "geo/output_set.hpp"
#include "planner/plan_check.hpp"
#include "planner/plan_io.hpp"
#include "report/drill_review.hpp"
#include "sim/drill.hpp"
#include "sim/drill_trace.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iostream>
#include <memory>

namespace sonae::app {

namespace fs = std::filesystem;

namespace {

std::optional<sim::DrillFile> read_timeline(const planner::LoadedScenario& loaded) {
    if (!loaded.manifest.drill_timeline) return std::nullopt;
    return sim::read_drill_file(*loaded.manifest.drill_timeline);
}

/// The recorded files of one drill: each argument a file, or a folder whose .csv and .xlsx
/// files (sorted by name; hidden files and Excel's ~$ lock files left out) are the drill's,
/// one per child or one per group. A folder without any is an error naming it and `option`.
std::vector<fs::path> drill_files(const std::vector<std::string>& args, const std::string& option) {
    std::vector<fs::path> out;
    for (const auto& arg : args) {
        const fs::path p(arg);
        std::error_code ec;
        if (!fs::is_directory(p, ec)) {
            out.push_back(p);
            continue;
        }
        std::vector<fs::path> found;
        for (const auto& entry : fs::directory_iterator(p)) {
            const auto name = entry.path().filename().string();
            auto ext = entry.path().extension().string();
            std::transform(ext.begin(), ext.end(), ext.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            if (!entry.is_regular_file() || name.rfind("~$", 0) == 0 || name.rfind('.', 0) == 0)
                continue;
            if (ext == ".csv" || ext == ".xlsx") found.push_back(entry.path());
        }
        if (found.empty()) {
            throw InputError("no recorded drill file (.csv, .xlsx) in this folder",
                             {.file = p.string(), .field = option});
        }
        std::sort(found.begin(), found.end());
        out.insert(out.end(), found.begin(), found.end());
    }
    return out;
}

/// Reads and merges the files of one drill (sim::merge_drill_files).
sim::DrillFile read_drill(const std::vector<fs::path>& files) {
    std::vector<sim::DrillFile> read;
    for (const auto& f : files) read.push_back(sim::read_drill_file(f));
    return sim::merge_drill_files(std::move(read));
}

planner::Plan plan_for(const planner::LoadedScenario& loaded, const std::string& plan_path) {
    if (plan_path.empty()) {
        ProgressBar bar("plan");
        auto plan =
            planner::make_plan(loaded, [&bar](std::string_view st, double f) { bar(st, f); });
        bar.finish();
        return plan;
    }
    const fs::path p =
        fs::is_directory(plan_path) ? fs::path(plan_path) / "plan.json" : fs::path(plan_path);
    auto plan = planner::read_plan_json(p);
    planner::check_plan_matches_scenario(plan, loaded, p.string());
    return plan;
}

/// What `drill review` writes into its folder (write_drill_review below).
std::vector<fs::path> review_output_files(const fs::path& out) {
    std::vector<fs::path> v;
    for (const char* name : {"drill_review.pdf", "drill_review.html", "drill_review.csv",
                             "drill_changes.csv", "drill_flags.csv", "drill_council.pdf",
                             "drill_council.html", "drill_council.csv", "drill_trace.sonae"})
        v.push_back(out / name);
    return v;
}

/// What `drill kit` writes: the role sheets, the templates and a sheet per child (any
/// drill_sheet_*.pdf already there counts, whoever it was for).
std::vector<fs::path> kit_output_files(const fs::path& out) {
    std::vector<fs::path> v{out / "drill_roles.pdf", out / "drill_record_template.csv",
                            out / "drill_record_template.xlsx"};
    std::error_code ec;
    if (fs::is_directory(out, ec)) {
        for (const auto& e : fs::directory_iterator(out, ec)) {
            const auto name = e.path().filename().string();
            if (name.rfind("drill_sheet_", 0) == 0 && e.path().extension() == ".pdf")
                v.push_back(e.path());
        }
    }
    std::sort(v.begin(), v.end());
    return v;
}

} // namespace

std::optional<PreparedDrill> prepare_drill(const planner::LoadedScenario& loaded,
                                           const planner::Plan& plan,
                                           const std::vector<fs::path>& recorded_override) {
    const auto& recorded_paths =
        recorded_override.empty() ? loaded.manifest.drill_recorded : recorded_override;
    if (recorded_paths.empty()) return std::nullopt;
    PreparedDrill prepared;
    prepared.timeline = read_timeline(loaded);
    prepared.recorded = recorded_paths;
    std::vector<sim::DrillFile> files;
    for (const auto& p : recorded_paths) files.push_back(sim::read_drill_file(p));
    prepared.drill = sim::merge_drill_files(std::move(files));
    sim::check_drill(prepared.drill, plan, prepared.timeline ? &*prepared.timeline : nullptr);
    return prepared;
}

void write_drill_review(const planner::LoadedScenario& loaded, const planner::Plan& plan,
                        const sim::MonteCarloResult* mc, const PreparedDrill& prepared,
                        const fs::path& out, std::vector<fs::path>& written) {
    const auto* timeline = prepared.timeline ? &*prepared.timeline : nullptr;
    const auto review =
        sim::drill_review(plan, loaded.manifest.options.decision_min, mc, prepared.drill, timeline);
    auto inputs = loaded.manifest.input_files();
    inputs.insert(inputs.end(), prepared.recorded.begin(), prepared.recorded.end());
    const auto outputs = report::write_drill_review_report(review, plan, out, inputs);
    for (const auto& p : {outputs.pdf, outputs.html}) written.push_back(p);
    written.insert(written.end(), outputs.csv.begin(), outputs.csv.end());
    for (const auto& p : {outputs.council_pdf, outputs.council_html, outputs.council_csv}) {
        if (!p.empty()) written.push_back(p);
    }
    if (outputs.council_pdf.empty()) {
        std::cerr << "warning: the council version of the drill review was not written: its small "
                     "counts cannot be "
                     "protected (report/suppression.hpp)\n";
    }
    // The drill as recorded with the plan as a ghost, for sonae-view.
    const auto trace_path = out / "drill_trace.sonae";
    ensure_not_an_input(trace_path, inputs);
    sim::drill_trace(loaded, plan, review).write(trace_path, FileMode::personal);
    written.push_back(trace_path);
    const auto delays = sim::arrival_delays(review);
    if (!delays.empty() && delays.front().second > 0) {
        std::cout << "  最大の遅れ (largest delay): " << delays.front().first << " 到着が計画より "
                  << static_cast<long long>(std::llround(delays.front().second))
                  << " 分遅い (sonae-view " << trace_path.string() << ")\n";
    }
    const auto dangers =
        std::count_if(review.flags.begin(), review.flags.end(), [](const sim::DrillFlag& f) {
            return f.severity == sim::DrillFlag::Severity::danger;
        });
    std::cout << "訓練の振り返り (drill review): 参加児童 " << review.participants.size()
              << " 人, 危険 " << dangers << " 件, 注意 "
              << review.flags.size() - static_cast<std::size_t>(dangers) << " 件, 見直し案 "
              << review.changes.size() << " 件\n";
    for (const auto& f : review.flags) {
        if (f.severity == sim::DrillFlag::Severity::danger)
            std::cout << "  危険: " << f.text << "\n";
    }
    for (const auto& w : review.warnings) std::cerr << "warning: " << w << "\n";
}

bool drill_kit_and_write(const planner::LoadedScenario& loaded, const planner::Plan& plan,
                         const fs::path& out, std::vector<fs::path>& written) {
    const auto timeline = read_timeline(loaded);
    if (!timeline) return false;
    auto planned = sim::planned_drill(plan, loaded.manifest.options.decision_min, &*timeline);
    sim::check_drill(planned, plan, &*timeline);
    const auto kit = report::write_drill_kit(planned, plan, out, loaded.manifest.input_files());
    written.insert(written.end(), kit.child_sheets.begin(), kit.child_sheets.end());
    written.push_back(kit.roles_pdf);
    written.push_back(kit.template_csv);
    written.push_back(kit.template_xlsx);
    return true;
}

void add_drill_commands(CLI::App& app) {
    auto* drill =
        app.add_subcommand("drill", "Drills: the kit before, the after-action review after");
    drill->require_subcommand(1);
    {
        auto* cmd = drill->add_subcommand(
            "review", "After-action review of a recorded drill (PDF, HTML, CSV; council version)");
        auto scenario = std::make_shared<std::string>();
        auto plan_path = std::make_shared<std::string>();
        auto recorded = std::make_shared<std::vector<std::string>>();
        auto out = std::make_shared<std::string>();
        auto runs = std::make_shared<std::int64_t>(100);
        cmd->add_option("SCENARIO", *scenario, "scenario.toml or its folder")->required();
        cmd->add_option("--recorded", *recorded,
                        "recorded drill file(s) or a folder of them: CSV (UTF-8 or Shift_JIS) or "
                        ".xlsx, one per drill or "
                        "one per child (default: the manifest's [drill] recorded)");
        cmd->add_option("--plan", *plan_path,
                        "plan.json made by `sonae plan` for this scenario (default: plan it now)");
        cmd->add_option("--runs", *runs,
                        "simulation replications for the p50/p95 (0 = no simulation)")
            ->check(CLI::Range(0, 1000000));
        cmd->add_option("-o,--output", *out, "output folder")->required();
        auto overwrite = std::make_shared<bool>(false);
        add_overwrite_flag(*cmd, *overwrite);
        cmd->callback([=] {
            const auto loaded = load_with_progress(*scenario);
            // After loading (which writes nothing): an output that is an input is bad input
            // (exit 2), one that is merely there needs --overwrite (exit 1).
            for (const auto& o : review_output_files(*out))
                ensure_not_an_input(o, loaded.manifest.input_files());
            refuse_to_replace(review_output_files(*out), *overwrite);
            const auto plan = plan_for(loaded, *plan_path);
            const auto prepared = prepare_drill(loaded, plan, drill_files(*recorded, "--recorded"));
            if (!prepared) {
                throw InputError(
                    "no recorded drill: give --recorded FILE or set [drill] recorded in the "
                    "manifest",
                    {.file = loaded.manifest.manifest_path.string(), .field = "drill.recorded"});
            }
            std::optional<sim::MonteCarloResult> mc;
            if (*runs > 0) {
                sim::SimOptions options;
                options.runs = *runs;
                options.seed = loaded.manifest.seed;
                const sim::Simulator simulator(loaded, plan, options);
                ProgressBar bar("simulate");
                mc = simulator.monte_carlo([&bar](std::string_view st, double f) { bar(st, f); });
                bar.finish();
            }
            std::vector<fs::path> written;
            OutputSet set(*out, loaded.manifest.input_files()); // the review's files as one set
            write_drill_review(loaded, plan, mc ? &*mc : nullptr, *prepared, set.dir(), written);
            set.commit();
            for (const auto& p : set.final_paths(written))
                std::cout << "  -> " << p.string() << "\n";
        });
    }
    {
        auto* cmd = drill->add_subcommand(
            "apply",
            "Write the accepted changes of a drill review into a new registry (never the input)");
        auto changes = std::make_shared<std::string>();
        auto registry = std::make_shared<std::string>();
        auto out = std::make_shared<std::string>();
        cmd->add_option("CHANGES", *changes,
                        "drill_changes.csv of `sonae drill review` with 採用 = はい on the "
                        "accepted rows (or its folder)")
            ->required();
        cmd->add_option("--registry", *registry, "the registry CSV the plan was made from")
            ->required();
        cmd->add_option("-o,--output", *out, "the new registry CSV")->required();
        auto overwrite = std::make_shared<bool>(false);
        add_overwrite_flag(*cmd, *overwrite);
        cmd->callback([=] {
            const fs::path changes_path = fs::is_directory(*changes)
                                              ? fs::path(*changes) / "drill_changes.csv"
                                              : fs::path(*changes);
            ensure_not_an_input(*out, {*registry, changes_path});
            refuse_to_replace({*out}, *overwrite);
            const auto result = sim::apply_drill_changes(changes_path, *registry);
            write_file_atomically(*out, result.registry_csv, FileMode::personal);
            std::cout << "訓練の結果を名簿に反映 (drill apply): " << result.applied.size()
                      << " 件\n";
            for (const auto& a : result.applied) std::cout << "  " << a << "\n";
            for (const auto& w : result.warnings) std::cerr << "warning: " << w << "\n";
            std::cout << "  -> " << *out << "\n";
        });
    }
    {
        auto* cmd =
            drill->add_subcommand("compare", "Two recorded drills of one scenario side by side "
                                             "(year over year): which steps got faster or slower, "
                                             "per step and child (PDF, HTML, CSV; personal, 0600)");
        auto before = std::make_shared<std::string>();
        auto after = std::make_shared<std::string>();
        auto before_more = std::make_shared<std::vector<std::string>>();
        auto after_more = std::make_shared<std::vector<std::string>>();
        auto out = std::make_shared<std::string>();
        cmd->add_option("BEFORE", *before,
                        "the earlier recorded drill: a file (the drill file format: CSV in UTF-8 "
                        "or Shift_JIS, or .xlsx) or a "
                        "folder of its files (one per child)");
        cmd->add_option("AFTER", *after,
                        "the later recorded drill of the same scenario (its シナリオ row must "
                        "match): a file or a folder");
        cmd->add_option(
            "--before", *before_more,
            "a further file or folder of the earlier drill (repeatable: one file per child)");
        cmd->add_option("--after", *after_more,
                        "a further file or folder of the later drill (repeatable)");
        cmd->add_option("-o,--output", *out, "output folder")->required();
        auto overwrite = std::make_shared<bool>(false);
        add_overwrite_flag(*cmd, *overwrite);
        cmd->callback([=] {
            std::vector<std::string> b, a;
            if (!before->empty()) b.push_back(*before);
            if (!after->empty()) a.push_back(*after);
            b.insert(b.end(), before_more->begin(), before_more->end());
            a.insert(a.end(), after_more->begin(), after_more->end());
            if (b.empty() || a.empty()) {
                throw InputError("drill compare needs the recorded files of both drills: BEFORE "
                                 "AFTER (files or folders), "
                                 "or --before FILE ... --after FILE ...",
                                 {.field = b.empty() ? "BEFORE" : "AFTER"});
            }
            const auto before_files = drill_files(b, "BEFORE");
            const auto after_files = drill_files(a, "AFTER");
            // One file cannot be both drills (a copy of it is caught as the same date, a warning).
            for (const auto& f : after_files) {
                for (const auto& g : before_files) {
                    std::error_code ec1, ec2;
                    if (fs::weakly_canonical(f, ec1) == fs::weakly_canonical(g, ec2)) {
                        throw InputError("drill compare: the same file is given for both drills",
                                         {.file = f.string(), .field = "AFTER"});
                    }
                }
            }
            // Everything is read and checked before anything is written.
            const auto comparison =
                sim::compare_drills(read_drill(before_files), read_drill(after_files));
            std::vector<fs::path> inputs = before_files;
            inputs.insert(inputs.end(), after_files.begin(), after_files.end());
            const std::vector<fs::path> outputs_there{fs::path(*out) / "drill_compare.pdf",
                                                      fs::path(*out) / "drill_compare.html",
                                                      fs::path(*out) / "drill_compare.csv"};
            for (const auto& o : outputs_there) ensure_not_an_input(o, inputs);
            refuse_to_replace(outputs_there, *overwrite);
            OutputSet set(*out, inputs); // PDF, HTML and CSV as one set
            auto outputs = report::write_drill_compare_report(comparison, set.dir(), inputs);
            set.commit();
            outputs.pdf = set.final_path(outputs.pdf);
            outputs.html = set.final_path(outputs.html);
            outputs.csv = set.final_path(outputs.csv);
            std::size_t faster = 0, slower = 0;
            for (const auto& r : comparison.rows) {
                if (r.child_id.empty()) continue;
                faster += r.verdict == sim::DrillCompareRow::Verdict::faster ? 1 : 0;
                slower += r.verdict == sim::DrillCompareRow::Verdict::slower ? 1 : 0;
            }
            std::cout << "訓練の比較 (drill compare): " << comparison.scenario << ", 比べた児童 "
                      << comparison.children.size() << " 人, 速くなった段階 " << faster
                      << ", 遅くなった段階 " << slower << "\n";
            for (const auto& w : comparison.warnings) std::cerr << "warning: " << w << "\n";
            for (const auto& p : {outputs.pdf, outputs.html, outputs.csv})
                std::cout << "  -> " << p.string() << "\n";
        });
    }
    {
        auto* cmd = drill->add_subcommand(
            "kit",
            "Printable recording sheets per child and per role, and a blank recording template");
        auto scenario = std::make_shared<std::string>();
        auto plan_path = std::make_shared<std::string>();
        auto out = std::make_shared<std::string>();
        cmd->add_option("SCENARIO", *scenario, "scenario.toml or its folder")->required();
        cmd->add_option("--plan", *plan_path,
                        "plan.json made by `sonae plan` for this scenario (default: plan it now)");
        cmd->add_option("-o,--output", *out, "output folder")->required();
        auto overwrite = std::make_shared<bool>(false);
        add_overwrite_flag(*cmd, *overwrite);
        cmd->callback([=] {
            const auto loaded = load_with_progress(*scenario);
            for (const auto& o : kit_output_files(*out))
                ensure_not_an_input(o, loaded.manifest.input_files());
            refuse_to_replace(kit_output_files(*out), *overwrite);
            const auto plan = plan_for(loaded, *plan_path);
            std::vector<fs::path> written;
            OutputSet set(*out, loaded.manifest.input_files()); // the kit's sheets as one set
            if (!drill_kit_and_write(loaded, plan, set.dir(), written)) {
                throw InputError(
                    "the scenario has no drill timeline: set [drill] timeline in the manifest",
                    {.file = loaded.manifest.manifest_path.string(), .field = "drill.timeline"});
            }
            set.commit();
            written = set.final_paths(written);
            std::cout << "訓練キット (drill kit): " << written.size() << " ファイル\n";
            for (const auto& p : written) std::cout << "  -> " << p.string() << "\n";
        });
    }
}

} // namespace sonae::app
