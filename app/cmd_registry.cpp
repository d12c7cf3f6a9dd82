// sonae validate FILE... : check registries, facilities, vehicles, GSI and P20 files.
// sonae synth --municipality CODE --network FILE --children N --seed S -o FILE : a synthetic
// registry (CSV, UTF-8 with BOM, mode 0600, written atomically).
#include "app/commands.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "geo/load_network.hpp"
#include "planner/csv.hpp"
#include "planner/device_catalogue.hpp"
#include "planner/geocoder.hpp"
#include "planner/municipality.hpp"
#include "planner/registry.hpp"
#include "planner/synth.hpp"
#include "planner/validate.hpp"

#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sonae::app {

namespace {

struct ValidateArgs {
    std::vector<std::string> files;
    std::string kind;
    std::string encoding = "auto";
    std::string network;
    std::string devices;
};

planner::TextEncoding encoding_from(const std::string& text) {
    const auto e = planner::parse_text_encoding(text);
    if (!e) {
        throw InputError("unknown encoding (auto, utf-8, utf-8-bom, cp932/shift_jis)",
                         Where{.field = "--encoding", .value = text});
    }
    return *e;
}

void run_validate(const ValidateArgs& args) {
    planner::ValidateOptions options;
    options.encoding = encoding_from(args.encoding);
    if (!args.kind.empty()) {
        options.kind = planner::parse_input_kind(args.kind);
        if (!options.kind) {
            throw InputError(
                "unknown kind (registry, facilities, vehicles, gsi, p20, standard_list)",
                Where{.field = "--kind", .value = args.kind});
        }
    }
    std::optional<planner::DeviceCatalogue> catalogue;
    if (!args.devices.empty()) {
        catalogue = planner::default_device_catalogue().with_overrides_file(args.devices);
        options.catalogue = &*catalogue;
    }
    std::optional<geo::RoadNetwork> network;
    if (!args.network.empty()) {
        network = geo::load_road_network(args.network);
        options.network = &*network;
    }
    std::vector<planner::ValidationReport> reports;
    std::size_t errors = 0;
    for (const auto& file : args.files) {
        reports.push_back(planner::validate_file(file, options));
        errors += reports.back().errors();
    }
    std::cout << planner::format_validation_report(reports) << std::flush;
    if (errors > 0) {
        throw InputError(std::to_string(errors) + " error(s) found; see the report above");
    }
}

struct SynthArgs {
    std::string municipality;
    std::string network;
    std::size_t children = 10;
    std::uint64_t seed = 1;
    std::string output;
    std::string id_prefix;
    bool names = false;
    bool overwrite = false;
};

void run_synth(const SynthArgs& args) {
    ensure_not_an_input(args.output, {args.network});
    refuse_to_replace({args.output}, args.overwrite);
    const planner::Municipality* m = planner::yamaguchi_municipalities().find(args.municipality);
    if (m == nullptr) {
        throw InputError("not one of the 19 Yamaguchi municipalities (give the JIS code, e.g. "
                         "352021, or the name)",
                         Where{.field = "--municipality", .value = args.municipality});
    }
    if (args.children == 0 || args.children > 100000) {
        throw InputError("--children must be from 1 to 100000",
                         Where{.field = "--children", .value = std::to_string(args.children)});
    }
    const geo::RoadNetwork network = geo::load_road_network(args.network);
    planner::SynthOptions options;
    options.municipality_code = m->code;
    options.children = args.children;
    options.seed = args.seed;
    options.id_prefix = args.id_prefix;
    options.with_names = args.names;
    const planner::Registry registry = planner::synthesize_registry(network, options);
    const auto rows = planner::registry_to_rows(registry, args.names);
    write_file_atomically(args.output, planner::format_csv(rows), FileMode::personal);
    std::cerr << "sonae synth: " << registry.size() << " synthetic children for " << m->name_ja
              << " (" << m->code << ") written to " << args.output << '\n';
}

struct GeocodeArgs {
    std::string input;
    std::string output;
    std::string encoding = "auto";
    std::string sheet;
    bool overwrite = false;
};

void run_geocode(const GeocodeArgs& args) {
    ensure_not_an_input(args.output, {args.input});
    refuse_to_replace({args.output}, args.overwrite);
    const planner::Table table = planner::read_table(
        args.input, planner::registry_columns(),
        planner::TableReadOptions{.encoding = encoding_from(args.encoding), .sheet = args.sheet});
    const planner::GeocodedTable result = planner::geocode_registry_table(table);
    std::size_t errors = 0;
    for (const auto& d : result.diagnostics) {
        if (d.severity == Diagnostic::Severity::info) continue;
        std::cerr << d.str() << '\n';
        if (d.severity == Diagnostic::Severity::error) ++errors;
    }
    if (errors > 0) {
        // Nothing half-written: every row is placed, or nothing is.
        throw InputError(std::to_string(errors) + " row(s) cannot be placed; nothing was written");
    }
    write_file_atomically(args.output, planner::format_csv(result.rows), FileMode::personal);
    std::cerr << "sonae geocode: " << result.geocoded << " home(s) placed from the address ("
              << result.oaza_only << " only at the 大字 point: " << planner::kCheckHomeOnMap
              << "), " << result.kept << " kept with their coordinates; written to " << args.output
              << '\n'
              << planner::kTownPointsAttribution << '\n';
}

} // namespace

void add_registry_commands(CLI::App& app) {
    auto validate_args = std::make_shared<ValidateArgs>();
    CLI::App* validate = app.add_subcommand(
        "validate", "Check registry, facilities, vehicles, GSI, P20 or standard shelter list files "
                    "and list every problem (exit 2 on errors)");
    validate
        ->add_option("files", validate_args->files,
                     "Files to check (CSV, .xlsx, GeoPackage, GeoJSON, ...)")
        ->required();
    validate->add_option("--kind", validate_args->kind,
                         "registry, facilities, vehicles, gsi, p20 or standard_list (default: "
                         "guess from the columns)");
    validate
        ->add_option("--encoding", validate_args->encoding,
                     "CSV encoding: auto, utf-8, utf-8-bom, cp932 (printed per file)")
        ->capture_default_str();
    validate->add_option("--network", validate_args->network,
                         "Road network: warn when a home is far from any road");
    validate->add_option("--devices", validate_args->devices,
                         "TOML overrides of the device catalogue");
    validate->callback([validate_args] { run_validate(*validate_args); });

    auto geocode_args = std::make_shared<GeocodeArgs>();
    CLI::App* geocode =
        app.add_subcommand("geocode", "Place registry homes from their addresses (town level, "
                                      "offline) and write the registry with "
                                      "coordinates and a precision column (CSV, mode 0600)");
    geocode
        ->add_option("file", geocode_args->input, "Registry with an address column (CSV or .xlsx)")
        ->required();
    geocode
        ->add_option("-o,--output", geocode_args->output, "Output CSV (UTF-8 with BOM, mode 0600)")
        ->required();
    geocode
        ->add_option("--encoding", geocode_args->encoding,
                     "CSV encoding: auto, utf-8, utf-8-bom, cp932")
        ->capture_default_str();
    geocode->add_option("--sheet", geocode_args->sheet,
                        "Workbook sheet (default: the first with the registry's columns)");
    add_overwrite_flag(*geocode, geocode_args->overwrite);
    geocode->callback([geocode_args] { run_geocode(*geocode_args); });

    auto synth_args = std::make_shared<SynthArgs>();
    CLI::App* synth =
        app.add_subcommand("synth", "Write a synthetic registry (never real people) as CSV");
    synth->add_option("--municipality", synth_args->municipality, "JIS code (e.g. 352021) or name")
        ->required();
    synth->add_option("--network", synth_args->network, "Road network to place homes on")
        ->required();
    synth->add_option("--children", synth_args->children, "Number of children")
        ->capture_default_str();
    synth->add_option("--seed", synth_args->seed, "Random seed (same seed, same registry)")
        ->capture_default_str();
    synth->add_option("-o,--output", synth_args->output, "Output CSV (UTF-8 with BOM, mode 0600)")
        ->required();
    synth->add_option("--id-prefix", synth_args->id_prefix,
                      "Prefix of ids (default: the municipality's, e.g. UBE)");
    synth->add_flag("--names", synth_args->names, "Add clearly fake names and phone numbers");
    add_overwrite_flag(*synth, synth_args->overwrite);
    synth->callback([synth_args] { run_synth(*synth_args); });
}

} // namespace sonae::app
