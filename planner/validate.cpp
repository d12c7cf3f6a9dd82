#include "planner/validate.hpp"

#include "geo/point_layer.hpp"
#include "planner/facility.hpp"
#include "planner/municipality.hpp"
#include "planner/registry.hpp"
#include "planner/standard_list.hpp"
#include "planner/vehicle.hpp"

#include <algorithm>
#include <sstream>

namespace sonae::planner {

std::string_view to_string(InputKind kind) {
    switch (kind) {
    case InputKind::registry: return "registry";
    case InputKind::facilities: return "facilities";
    case InputKind::vehicles: return "vehicles";
    case InputKind::gsi: return "gsi";
    case InputKind::p20: return "p20";
    case InputKind::standard_list: return "standard_list";
    }
    return "registry";
}

std::optional<InputKind> parse_input_kind(std::string_view text) {
    for (InputKind k : {InputKind::registry, InputKind::facilities, InputKind::vehicles,
                        InputKind::gsi, InputKind::p20, InputKind::standard_list}) {
        if (normalize_key(text) == normalize_key(to_string(k))) return k;
    }
    return std::nullopt;
}

std::size_t ValidationReport::errors() const {
    return static_cast<std::size_t>(
        std::count_if(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) {
            return d.severity == Diagnostic::Severity::error;
        }));
}

std::size_t ValidationReport::warnings() const {
    return static_cast<std::size_t>(
        std::count_if(diagnostics.begin(), diagnostics.end(), [](const Diagnostic& d) {
            return d.severity == Diagnostic::Severity::warning;
        }));
}

namespace {

/// Score of a header against a schema: matched columns, with required ones counting double,
/// minus a penalty when a required column is absent.
int schema_score(std::span<const std::string> header, std::span<const ColumnSpec> specs) {
    const ColumnMatch m = match_columns(header, specs);
    int score = 0;
    for (std::size_t s = 0; s < specs.size(); ++s) {
        if (m.index[s])
            score += specs[s].required ? 2 : 1;
        else if (specs[s].required)
            score -= 1;
    }
    return score;
}

/// What a standard list holds, as validate prints it: sites per hazard flag (in the list's
/// column order), designated shelters, sites with a capacity, sites without any flag.
std::vector<std::string> standard_list_counts(std::span<const Facility> sites) {
    std::string flags = "hazard flags (sites loaded):";
    for (std::size_t h = 0; h < kHazardCount; ++h) {
        const auto hazard = static_cast<Hazard>(h);
        const auto n = std::count_if(sites.begin(), sites.end(),
                                     [&](const Facility& f) { return f.safe_for.has(hazard); });
        flags += std::string(h == 0 ? " " : ", ") + std::string(label_ja(hazard)) + " " +
                 std::to_string(n);
    }
    const auto count = [&](auto predicate) {
        return std::to_string(std::count_if(sites.begin(), sites.end(), predicate));
    };
    std::int64_t persons = 0;
    for (const auto& f : sites) persons += f.capacity_persons.value_or(0);
    return {flags, "指定避難所 (also a designated shelter) " + count([](const Facility& f) {
                       return f.is(FacilityKind::shelter);
                   }) + ", with a capacity " +
                       count([](const Facility& f) { return f.capacity_persons.has_value(); }) +
                       " (" + std::to_string(persons) + " persons), without any hazard flag " +
                       count([](const Facility& f) { return !f.hazards_known; }) +
                       ", with access notes " +
                       count([](const Facility& f) { return !f.accessibility.empty(); })};
}

InputKind guess_from_header(std::span<const std::string> header) {
    auto has = [&](std::string_view name) {
        return std::find(header.begin(), header.end(), name) != header.end();
    };
    if (is_standard_list_header(header)) return InputKind::standard_list;
    if (has("共通ID") && has("施設・場所名")) return InputKind::gsi;
    if (has("P20_002") || has("P20_005")) return InputKind::p20;
    const int r = schema_score(header, registry_columns());
    const int f = schema_score(header, facility_columns());
    const int v = schema_score(header, vehicle_columns());
    if (v > r && v > f) return InputKind::vehicles;
    if (f > r) return InputKind::facilities;
    return InputKind::registry;
}

} // namespace

InputKind guess_input_kind(const std::filesystem::path& path, TextEncoding encoding) {
    if (is_gis_path(path)) {
        const geo::PointLayer layer = geo::read_point_layer(path);
        return guess_from_header(layer.fields);
    }
    // A CSV file is one document; a workbook (whatever its name) one per sheet.
    std::vector<CsvDocument> documents;
    if (is_workbook_file(path))
        documents = read_workbook_documents(path);
    else
        documents.push_back(read_csv_file(path, CsvReadOptions{.encoding = encoding}));
    // The header is among the first rows; take the guess from the best-scoring one.
    InputKind best = InputKind::registry;
    int best_score = -1000;
    for (const CsvDocument& doc : documents) {
        for (std::size_t i = 0; i < std::min<std::size_t>(10, doc.records.size()); ++i) {
            const auto& header = doc.records[i].fields;
            const InputKind k = guess_from_header(header);
            const std::span<const ColumnSpec> specs =
                k == InputKind::vehicles        ? vehicle_columns()
                : k == InputKind::facilities    ? facility_columns()
                : k == InputKind::standard_list ? standard_list_columns()
                                                : registry_columns();
            const int score = schema_score(header, specs);
            if (score > best_score) {
                best_score = score;
                best = k;
            }
        }
    }
    return best;
}

ValidationReport validate_file(const std::filesystem::path& path, const ValidateOptions& options) {
    ValidationReport report;
    report.file = path.string();
    try {
        report.kind_guessed = !options.kind.has_value();
        report.kind = options.kind ? *options.kind : guess_input_kind(path, options.encoding);
        auto take = [&report](Diagnostics diagnostics, std::size_t read, std::size_t rejected,
                              std::size_t loaded) {
            for (auto& d : diagnostics) {
                if (d.severity != Diagnostic::Severity::info)
                    report.diagnostics.push_back(std::move(d));
            }
            report.rows_read = read;
            report.rows_rejected = rejected;
            report.rows_loaded = loaded;
        };
        const TableReadOptions read{.encoding = options.encoding};
        // Facilities on land and in their municipality (issue 24 item 3), as load_scenario checks
        // them.
        const auto with_places = [&](FacilityLoadResult& r) {
            const auto places = check_facility_places(r.facilities, report.file, options.network);
            r.diagnostics.insert(r.diagnostics.end(), places.begin(), places.end());
        };
        switch (report.kind) {
        case InputKind::registry: {
            RegistryLoadOptions o;
            o.encoding = options.encoding;
            o.catalogue = options.catalogue;
            o.network = options.network;
            o.far_from_road_m = options.far_from_road_m;
            const Table table = read_table(path, registry_columns(), read);
            report.source = table.source_description();
            RegistryLoadResult r = load_registry_table(table, o);
            // Municipality codes outside the Yamaguchi table are worth a look.
            for (const Child& c : r.registry.children()) {
                if (yamaguchi_municipalities().find(c.municipality_code) == nullptr &&
                    c.municipality_code.starts_with("35")) {
                    r.diagnostics.push_back(Diagnostic{Diagnostic::Severity::warning,
                                                       "not one of the 19 Yamaguchi municipalities",
                                                       Where{.file = report.file,
                                                             .line = c.source_line,
                                                             .feature = c.source_feature,
                                                             .field = "municipality_code",
                                                             .value = c.municipality_code}});
                }
            }
            take(std::move(r.diagnostics), r.rows_read, r.rows_rejected, r.registry.size());
            break;
        }
        case InputKind::facilities: {
            const Table table = read_table(path, facility_columns(), read);
            report.source = table.source_description();
            FacilityLoadResult r = load_facility_table(table);
            with_places(r);
            take(std::move(r.diagnostics), r.rows_read, r.rows_rejected, r.facilities.size());
            break;
        }
        case InputKind::vehicles: {
            const Table table = read_table(path, vehicle_columns(), read);
            report.source = table.source_description();
            VehicleLoadResult r = load_vehicle_table(table);
            take(std::move(r.diagnostics), r.rows_read, r.rows_rejected, r.vehicles.size());
            break;
        }
        case InputKind::gsi: {
            report.source = "GIS layer";
            FacilityLoadResult r = load_gsi_shelters(path);
            with_places(r);
            take(std::move(r.diagnostics), r.rows_read, r.rows_rejected, r.facilities.size());
            break;
        }
        case InputKind::standard_list: {
            const Table table = read_table(path, standard_list_columns(), read);
            report.source = table.source_description();
            FacilityLoadResult r = load_standard_list_table(table, path.stem().string());
            with_places(r);
            report.counts = standard_list_counts(r.facilities);
            take(std::move(r.diagnostics), r.rows_read, r.rows_rejected, r.facilities.size());
            break;
        }
        case InputKind::p20: {
            report.source = "GIS layer";
            FacilityLoadResult r = load_p20(path);
            with_places(r);
            take(std::move(r.diagnostics), r.rows_read, r.rows_rejected, r.facilities.size());
            break;
        }
        }
    } catch (const Error& e) {
        Where w = e.where();
        if (w.file.empty()) w.file = report.file;
        report.diagnostics.push_back(Diagnostic{Diagnostic::Severity::error, e.message(), w});
    }
    // Sort by line/feature within the file so the report reads top to bottom; stable keeps
    // the order of problems found on one row.
    std::stable_sort(
        report.diagnostics.begin(), report.diagnostics.end(),
        [](const Diagnostic& a, const Diagnostic& b) { return a.where.line < b.where.line; });
    return report;
}

std::string format_validation_report(const std::vector<ValidationReport>& reports) {
    std::ostringstream out;
    std::size_t errors = 0, warnings = 0;
    for (const auto& r : reports) {
        for (const auto& d : r.diagnostics) out << d.str() << '\n';
        if (!r.source.empty()) out << r.file << ": read as " << r.source << '\n';
        for (const auto& line : r.counts) out << r.file << ": " << line << '\n';
        out << r.file << ": " << to_string(r.kind)
            << (r.kind_guessed ? " (guessed from the columns)" : "") << ", " << r.rows_read
            << " rows read, " << r.rows_loaded << " loaded, " << r.rows_rejected << " rejected; "
            << r.errors() << " errors, " << r.warnings() << " warnings\n";
        errors += r.errors();
        warnings += r.warnings();
    }
    out << "total: " << reports.size() << " file(s), " << errors << " errors, " << warnings
        << " warnings\n";
    return out.str();
}

} // namespace sonae::planner
