// sonae guidebook / sonae report: the family guidebooks and the council report.
#include "app/commands.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "geo/output_set.hpp"
#include "planner/plan_io.hpp"
#include "planner/registry.hpp"
#include "planner/scenario.hpp"
#include "report/council_report.hpp"
#include "report/guidebook.hpp"
#include "report/plan_csv.hpp"
#include "sim/simulation_json.hpp"

#include <iostream>
#include <memory>
#include <optional>

namespace sonae::app {

namespace fs = std::filesystem;

namespace {

struct GuidebookArgs {
    std::string plan;
    std::string out;
    std::string registry;
    std::string scenario;
    std::string child;
    std::string issued;
    bool with_names = false;
    bool data = false;
    std::string compare;
    bool overwrite = false;
};

struct ReportArgs {
    std::string plan;
    std::string compare;
    std::string simulation;
    std::string out;
    std::string issued;
    bool overwrite = false;
};

void run_guidebook(const GuidebookArgs& args) {
    const auto plan = planner::read_plan_json(args.plan);
    {
        // The guidebooks this run writes and the per-child table, or with --data the booklet's
        // data.
        std::vector<fs::path> outputs;
        if (args.data) {
            outputs = {fs::path(args.out) / "guidebook_data.csv",
                       fs::path(args.out) / "guidebook_data.xlsx"};
        } else {
            for (const auto& c : plan.children) {
                if (args.child.empty() || c.child_id == args.child) {
                    outputs.push_back(fs::path(args.out) / report::guidebook_file_name(c.child_id));
                }
            }
            if (args.child.empty()) outputs.push_back(fs::path(args.out) / "plan_children.csv");
        }
        if (!args.compare.empty()) {
            // The one-page summaries against the last plan (summary_<id>.pdf), beside the booklets.
            for (const auto& c : plan.children) {
                if (args.child.empty() || c.child_id == args.child) {
                    const std::string book = report::guidebook_file_name(c.child_id);
                    outputs.push_back(fs::path(args.out) /
                                      ("summary_" + book.substr(std::string("guidebook_").size())));
                }
            }
        }
        std::vector<fs::path> given{args.plan};
        if (!args.registry.empty()) given.emplace_back(args.registry);
        if (!args.compare.empty()) given.emplace_back(args.compare);
        for (const auto& o : outputs) ensure_not_an_input(o, given);
        refuse_to_replace(outputs, args.overwrite);
    }
    std::vector<fs::path> inputs{args.plan};
    std::optional<planner::RegistryLoadResult> registry;
    report::GuidebookOptions options;
    options.issued_on = args.issued;
    if (!args.registry.empty()) {
        inputs.push_back(args.registry);
        registry = planner::load_registry(args.registry);
        options.registry = &registry->registry;
    }
    std::optional<report::MapBackground> map;
    if (!args.scenario.empty()) {
        const auto manifest = planner::read_manifest(planner::resolve_manifest_path(args.scenario));
        if (manifest.name != plan.scenario_name) {
            throw InputError("the plan was made from scenario '" + plan.scenario_name +
                                 "', not from this one ('" + manifest.name +
                                 "'): the maps would show another place",
                             {.file = manifest.manifest_path.string(),
                              .field = "scenario.name",
                              .value = manifest.name});
        }
        for (const auto& f : manifest.input_files()) inputs.push_back(f);
        map = report::load_map_background(manifest);
        options.map = &*map;
    }
    if (args.with_names) {
        if (!registry) {
            throw InputError("--with-names needs the registry (--registry FILE): names come from "
                             "it, and only for "
                             "children whose plan-sharing consent is recorded",
                             {.field = "--with-names"});
        }
        options.with_names = true;
    }
    std::optional<planner::Plan> previous;
    if (!args.compare.empty()) {
        previous = planner::read_plan_json(args.compare);
        inputs.push_back(args.compare);
    }
    // The booklets (and summaries, the table) as one set, swapped in at the end.
    OutputSet set(args.out, inputs);
    if (previous) {
        // The coordinator's one-page summaries against the last plan, beside the booklets.
        const auto files = report::write_coordinator_summaries(plan, *previous, set.dir(), options,
                                                               args.child, inputs);
        std::cout << "担当者会議用の要約: " << files.size()
                  << " 人分（前回の計画との比較、0600）\n";
        for (const auto& p : set.final_paths(files)) std::cout << "  -> " << p.string() << "\n";
    }
    if (args.data) {
        // The booklet's data for a town's own form: one row per child, no PDFs.
        const auto files = report::write_guidebook_data(plan, set.dir(), options, inputs);
        set.commit();
        std::cout << "ガイドブックのデータ: " << plan.children.size()
                  << " 人分（個人情報: ファイルは本人用 0600）\n";
        for (const auto& p : set.final_paths(files)) std::cout << "  -> " << p.string() << "\n";
        return;
    }
    const auto written =
        set.final_paths(report::write_guidebooks(plan, set.dir(), options, args.child, inputs));
    const auto csv = fs::path(args.out) / "plan_children.csv";
    ensure_not_an_input(csv, inputs);
    if (args.child.empty())
        report::write_plan_children_csv(plan, set.dir() / "plan_children.csv", options);
    set.commit();

    std::size_t named = 0;
    for (const auto& c : plan.children)
        named += !report::printable_name(c.child_id, options).empty();
    std::cout << "災害の備えガイドブック: " << written.size()
              << " 冊（個人情報: ファイルは本人用 0600）\n";
    if (options.with_names)
        std::cout << "  氏名を印刷: " << named << " 人（計画共有の同意がある人だけ）\n";
    for (const auto& p : written) std::cout << "  -> " << p.string() << "\n";
    if (args.child.empty()) std::cout << "  -> " << csv.string() << "\n";
}

void run_report(const ReportArgs& args) {
    const fs::path dir(args.out);
    {
        // An output that is an input is bad input (exit 2); one that is merely there needs
        // --overwrite.
        std::vector<fs::path> given{args.plan};
        for (const auto* p : {&args.compare, &args.simulation}) {
            if (!p->empty()) given.emplace_back(*p);
        }
        const std::vector<fs::path> outputs{dir / "council_report.pdf", dir / "council_report.html",
                                            dir / "council_by_area.csv",
                                            dir / "council_facilities.csv", dir / "council.gpkg"};
        for (const auto& o : outputs) ensure_not_an_input(o, given);
        refuse_to_replace(outputs, args.overwrite);
    }
    const auto plan = planner::read_plan_json(args.plan);
    std::vector<fs::path> inputs{args.plan};
    std::optional<planner::Plan> compare;
    if (!args.compare.empty()) {
        compare = planner::read_plan_json(args.compare);
        inputs.push_back(args.compare);
    }
    std::optional<sim::SimulationSummary> simulation;
    report::CouncilOptions options;
    options.issued_on = args.issued;
    if (!args.simulation.empty()) {
        simulation = sim::read_simulation_summary(args.simulation);
        inputs.push_back(args.simulation);
        options.simulation = &*simulation;
    }
    OutputSet set(args.out, inputs);
    auto out = report::write_council_report(plan, set.dir(), options, compare ? &*compare : nullptr,
                                            inputs);
    set.commit();
    out.pdf = set.final_path(out.pdf);
    out.html = set.final_path(out.html);
    out.gpkg = set.final_path(out.gpkg);
    out.csv = set.final_paths(out.csv);
    std::cout << "協議の場への報告（集計のみ、小さな数は秘匿）\n";
    std::cout << "  秘匿の監査: 公表する数 " << out.published_cells << " 欄のうち "
              << out.hidden_cells << " 欄を「x」、どの「x」も3通り以上の値をとりうることを確認"
              << (out.regions_only ? "（市町の行では守れないため支援センター地域ごとに集計）" : "")
              << "\n";
    for (const auto& p : {out.pdf, out.html}) std::cout << "  -> " << p.string() << "\n";
    for (const auto& p : out.csv) std::cout << "  -> " << p.string() << "\n";
    std::cout << "  -> " << out.gpkg.string() << "\n";
}

} // namespace

void add_report_commands(CLI::App& app) {
    {
        auto args = std::make_shared<GuidebookArgs>();
        auto* cmd = app.add_subcommand(
            "guidebook",
            "Write the 災害の備えガイドブック PDF of each child (personal data, 0600)");
        cmd->add_option("PLAN", args->plan, "plan.json made by `sonae plan`")->required();
        cmd->add_option("-o,--output", args->out, "output folder")->required();
        cmd->add_option("--registry", args->registry,
                        "the registry the plan was made from (names, consent, backup power)");
        cmd->add_option("--scenario", args->scenario,
                        "the scenario the plan was made from (folder or scenario.toml): its roads "
                        "and hazard areas are "
                        "drawn under the route maps");
        cmd->add_flag("--with-names", args->with_names,
                      "print names, only for children whose plan-sharing consent is recorded in "
                      "the registry");
        cmd->add_option("--child", args->child, "only this child id");
        cmd->add_option(
            "--compare", args->compare,
            "the last plan.json: also write each child's one-page summary for the case meeting "
            "(summary_<id>.pdf) with what changed");
        cmd->add_flag(
            "--data", args->data,
            "write the booklet's data instead of PDFs: guidebook_data.csv (UTF-8 with BOM) and "
            "guidebook_data.xlsx, one row per child (fields: report/GUIDEBOOK_DATA.md)");
        cmd->add_option("--issued", args->issued,
                        "issue date YYYY-MM-DD (default today); review within 12 months");
        add_overwrite_flag(*cmd, args->overwrite);
        cmd->callback([args] { run_guidebook(*args); });
    }
    {
        auto args = std::make_shared<ReportArgs>();
        auto* cmd = app.add_subcommand(
            "report",
            "Write the council report (PDF, HTML, CSV, GeoPackage; aggregate only, 0644)");
        cmd->add_option("PLAN", args->plan, "plan.json made by `sonae plan` (scenario A)")
            ->required();
        cmd->add_option("--compare", args->compare,
                        "a second plan.json (scenario B) to compare with");
        cmd->add_option("--simulation", args->simulation,
                        "simulation.json made by `sonae simulate` for plan A");
        cmd->add_option("-o,--output", args->out, "output folder")->required();
        cmd->add_option("--issued", args->issued, "issue date YYYY-MM-DD (default today)");
        add_overwrite_flag(*cmd, args->overwrite);
        cmd->callback([args] { run_report(*args); });
    }
}

} // namespace sonae::app
