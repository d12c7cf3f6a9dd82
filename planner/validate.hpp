#pragma once
/// Checks input files (registry, facilities, vehicles, GSI shelters, P20) and reports every
/// problem at once, with file, line or feature, column and value. Used by `sonae validate`.

#include "core/error.hpp"
#include "geo/road_network.hpp"
#include "planner/csv.hpp"
#include "planner/device_catalogue.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sonae::planner {

/// What a file holds.
enum class InputKind : std::uint8_t { registry, facilities, vehicles, gsi, p20, standard_list };
std::string_view to_string(InputKind kind);
/// "registry", "facilities", "vehicles", "gsi", "p20", "standard_list"; nullopt if unknown.
std::optional<InputKind> parse_input_kind(std::string_view text);

/// Guesses the kind from the columns (fields 共通ID + 施設・場所名 = GSI, P20_0xx = P20;
/// otherwise the schema whose columns match best). Throws IoError if unreadable.
InputKind guess_input_kind(const std::filesystem::path& path,
                           TextEncoding encoding = TextEncoding::automatic);

/// Options for validation.
struct ValidateOptions {
    std::optional<InputKind> kind; ///< nullopt: guess
    TextEncoding encoding = TextEncoding::automatic;
    const DeviceCatalogue* catalogue = nullptr; ///< nullptr: the default
    const geo::RoadNetwork* network = nullptr;  ///< enables the home-far-from-road warning
    double far_from_road_m = 300.0;
};

/// The outcome for one file.
struct ValidationReport {
    std::string file;
    InputKind kind = InputKind::registry;
    bool kind_guessed = true;
    std::string source; ///< format and encoding or sheet ("CSV, Shift_JIS (CP932)")
    std::vector<std::string>
        counts; ///< for a standard list: sites per hazard flag, shelters, capacities
    std::size_t rows_read = 0;
    std::size_t rows_loaded = 0;
    std::size_t rows_rejected = 0;
    Diagnostics diagnostics; ///< info diagnostics (merges) are not kept
    std::size_t errors() const;
    std::size_t warnings() const;
};

/// Validates one file. Never throws for data problems; an unreadable file becomes one error.
ValidationReport validate_file(const std::filesystem::path& path,
                               const ValidateOptions& options = {});

/// Plain-text report: one line per problem ("error: file 'x', line 3, field 'lat', value
/// '340': ..."), then per file a line saying how it was read ("x.csv: read as CSV, Shift_JIS
/// (CP932)") and a summary line, and a total.
std::string format_validation_report(const std::vector<ValidationReport>& reports);

} // namespace sonae::planner
