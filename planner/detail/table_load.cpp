#include "planner/detail/table_load.hpp"

#include "planner/registry.hpp"

#include <algorithm>

namespace sonae::planner::detail {

CheckedHeader check_header(const Table& table, std::span<const ColumnSpec> specs,
                           const HeaderRules& rules, Diagnostics& diagnostics) {
    CheckedHeader out{match_columns(table.columns, specs)};
    const Where table_where = table.header_where();
    for (std::size_t c : out.match.unknown) {
        Where w = table_where;
        w.field = table.columns[c];
        if (rules.quiet_unnamed && w.field.empty()) continue;
        diagnostics.push_back(Diagnostic{Diagnostic::Severity::warning, rules.unknown_message, w});
    }
    for (std::size_t c : out.match.duplicates) {
        Where w = table_where;
        w.field = table.columns[c];
        diagnostics.push_back(Diagnostic{Diagnostic::Severity::error,
                                         "the column appears twice; the second one is ignored", w});
    }
    const auto& points = rules.point_columns;
    for (std::size_t s = 0; s < specs.size(); ++s) {
        if (!specs[s].required || out.match.index[s]) continue;
        if (std::find(points.begin(), points.end(), s) != points.end() &&
            (!table.layer.empty() ||
             (rules.address_column && out.match.index[*rules.address_column]))) {
            continue; // the point geometry, or the address, gives the position
        }
        Where w = table_where;
        w.field = std::string(specs[s].name);
        diagnostics.push_back(Diagnostic{Diagnostic::Severity::error,
                                         rules.missing_message
                                             ? rules.missing_message(specs[s])
                                             : "required column '" + std::string(specs[s].name) +
                                                   "' is missing; no row can be loaded",
                                         w});
        out.loadable = false;
    }
    return out;
}

void RecordIds::check(RowReader& r, const std::string& id, std::int64_t line) {
    if (id.empty()) {
        r.error(m_spec, "the id is empty");
    } else if (const auto problem = id_problem(id)) {
        r.error(m_spec, *problem);
    } else if (const auto [it, inserted] = m_first_line.emplace(id, line); !inserted) {
        r.error(m_spec, "duplicate id: already used on line " + std::to_string(it->second));
    }
}

std::optional<geo::LonLat> read_position(RowReader& r, const TableRow& row, std::size_t lon,
                                         std::size_t lat, std::string_view what,
                                         const std::string& none_message) {
    const bool no_coordinates = r.text(lon).empty() && r.text(lat).empty();
    if (r.present(lon) && r.present(lat) && !(no_coordinates && row.geometry)) {
        const auto x = r.number(lon, -180, 180, true);
        const auto y = r.number(lat, -90, 90, true);
        if (!x || !y) return std::nullopt;
        if (inside_japan({*x, *y})) return geo::LonLat{*x, *y};
        if (inside_japan({*y, *x}))
            r.error(lon, "longitude and latitude look swapped");
        else
            r.error(lon, "the " + std::string(what) + " is outside Japan");
        return std::nullopt;
    }
    if (row.geometry) {
        if (inside_japan(*row.geometry)) return *row.geometry;
        r.error_row("the point geometry is outside Japan");
        return std::nullopt;
    }
    r.error_row(none_message);
    return std::nullopt;
}

} // namespace sonae::planner::detail
