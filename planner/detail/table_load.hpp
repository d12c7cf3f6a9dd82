#pragma once
// The one prologue of the table loaders (private): the facility and vehicle tables, the
// registry and the standard shelter lists all start the same way. The table was opened by
// read_table (planner/csv.hpp: CSV in UTF-8 or Shift_JIS, an .xlsx sheet or a GIS layer,
// headers matched against the loader's English and Japanese aliases); then the load result
// takes the reader's diagnostics and counts, the header is checked (unknown, doubled and
// missing required columns), and every row is read through a RowReader whose messages carry
// file, line (or sheet row, or feature), field and value.

#include "core/error.hpp"
#include "geo/road_network.hpp"
#include "planner/csv.hpp"
#include "planner/detail/registry_text.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sonae::planner::detail {

/// The counts a load result starts from: the reader's diagnostics, the rows it read and those
/// it rejected. False if the table has no header (the reader has said why): nothing to load.
template <typename LoadResult>
bool start_load(LoadResult& result, const Table& table) {
    result.diagnostics = table.diagnostics;
    result.rows_read = table.rows.size() + table.rows_rejected;
    result.rows_rejected = table.rows_rejected;
    return !table.columns.empty();
}

/// What a loader accepts in a header beyond its column specs.
struct HeaderRules {
    /// The warning for a column no spec knows ("unknown column ignored").
    std::string unknown_message = "unknown column ignored";
    /// An unknown column without a name (an empty header cell) is not reported.
    bool quiet_unnamed = false;
    /// The position columns (lon, lat): a GIS layer's point geometry stands in for them.
    std::vector<std::size_t> point_columns;
    /// A column that, when present, stands in for the position columns too (an address placed
    /// at its town point).
    std::optional<std::size_t> address_column;
    /// The error for a missing required column; empty: "required column '<name>' is missing;
    /// no row can be loaded".
    std::function<std::string(const ColumnSpec&)> missing_message;
};

/// The header's columns matched to the specs, and whether rows can be loaded.
struct CheckedHeader {
    ColumnMatch match;
    bool loadable = true; ///< false: a required column is missing (each one an error)
};

/// Matches the header to `specs` and adds to `diagnostics`, at the header row: a warning per
/// unknown column, an error per column given twice, an error per missing required column.
CheckedHeader check_header(const Table& table, std::span<const ColumnSpec> specs,
                           const HeaderRules& rules, Diagnostics& diagnostics);

/// The ids of one table's records: each row's id is not empty, a valid id (id_problem) and
/// not used on an earlier line; otherwise an error on the id column of the row.
class RecordIds {
public:
    explicit RecordIds(std::size_t spec) : m_spec(spec) {}
    void check(RowReader& r, const std::string& id, std::int64_t line);

private:
    std::size_t m_spec;
    std::map<std::string, std::int64_t> m_first_line;
};

/// A row's position from its lon and lat columns, else from a GIS layer's point geometry;
/// nullopt with an error on the row: lon/lat swapped, "the <what> is outside Japan", the
/// geometry outside Japan, or `none_message` when the row gives neither.
std::optional<geo::LonLat> read_position(RowReader& r, const TableRow& row, std::size_t lon,
                                         std::size_t lat, std::string_view what,
                                         const std::string& none_message);

} // namespace sonae::planner::detail
