#pragma once
// Small text helpers shared by the registry, facility and vehicle loaders (private).

#include "core/error.hpp"
#include "planner/csv.hpp"
#include "planner/geocoder.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonae::planner::detail {

/// Full-width ASCII (U+FF01..FF5E) to ASCII and U+3000 to a space; other text unchanged.
std::string fold_width(std::string_view text);
/// Trims ASCII spaces, tabs and U+3000 at both ends.
std::string trim(std::string_view text);
std::string lower_ascii(std::string_view text);
/// Splits on any of the separators (each a UTF-8 string), trimming parts, dropping empties.
std::vector<std::string> split_any(std::string_view text,
                                   const std::vector<std::string_view>& separators);

/// Parses a decimal number after folding width; accepts a thousands separator ',' when the
/// groups are well formed ("1,500"). nullopt if not a finite number.
std::optional<double> parse_number(std::string_view text);
/// Parses an integer (also "3.0"). nullopt if not an integer.
std::optional<std::int64_t> parse_integer(std::string_view text);
/// yes/no: 1/0, true/false, yes/no, y/n, はい/いいえ, 有/無, あり/なし, 可/不可, ○/×, 同意/不同意.
std::optional<bool> parse_bool(std::string_view text);

/// Why `id` cannot be a record id, or nullopt if it can (issue 24 item 3). An id names output
/// files (guidebook_<id>.pdf) and is a cell in every CSV, so: at most 64 bytes; no character
/// that a spreadsheet reads as the start of a formula (= + - @) at its start; no comma,
/// semicolon, quote, slash, backslash, tab or line break anywhere.
std::optional<std::string> id_problem(std::string_view id);

/// Reads columns of a table row by spec index, and collects diagnostics with full context.
class RowReader {
public:
    RowReader(const Table& table, const TableRow& row, const ColumnMatch& match,
              std::span<const ColumnSpec> specs, Diagnostics& diagnostics);

    /// The raw (trimmed) value of a spec's column, empty if the column is absent.
    std::string text(std::size_t spec) const;
    bool present(std::size_t spec) const;
    /// The row's Where, with the column and value of `spec` if given.
    Where where(std::optional<std::size_t> spec = std::nullopt) const;

    void error(std::size_t spec, const std::string& message);
    void error_row(const std::string& message);
    void warning(std::size_t spec, const std::string& message);
    bool failed() const noexcept { return m_failed; }

    /// Number in [min, max]; empty -> fallback (error if `required` and empty).
    std::optional<double> number(std::size_t spec, double min, double max, bool required,
                                 std::optional<double> fallback = std::nullopt);
    std::optional<std::int64_t> integer(std::size_t spec, std::int64_t min, std::int64_t max,
                                        bool required,
                                        std::optional<std::int64_t> fallback = std::nullopt);
    std::optional<bool> boolean(std::size_t spec, bool required,
                                std::optional<bool> fallback = std::nullopt);

private:
    const Table& m_table;
    const TableRow& m_row;
    const ColumnMatch& m_match;
    std::span<const ColumnSpec> m_specs;
    Diagnostics& m_diagnostics;
    bool m_failed = false;
};

/// The town point of a facility row's address (planner/geocoder.hpp), for a row with no
/// coordinates; nullopt with an error on `spec` (line, field, value) if the address is in no
/// known town or matches two equally. A point coarser than a 町丁目 is warned: a facility 1-5
/// km off moves every route to it.
std::optional<TownPoint> place_facility_address(RowReader& r, std::size_t spec,
                                                std::string_view address,
                                                std::string_view municipality_code);

/// Canonicalises a Yamaguchi (or any) municipality code: 6 digits with a valid check digit,
/// or 5 digits (the check digit is computed). nullopt if malformed or the check digit is wrong.
std::optional<std::string> canonical_municipality_code(std::string_view text);
/// JIS X 0402 check digit of a 5-digit code.
char jis_check_digit(std::string_view five_digits);

/// Shortest decimal text of a double that reads back exactly ("60", "0.5").
std::string format_number(double value);

} // namespace sonae::planner::detail
