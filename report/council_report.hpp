#pragma once
/// The council report (協議の場・地域自立支援協議会 向け報告): PDF and HTML, plus aggregate CSV.
///
/// Aggregate only: no names, addresses, child ids or exact home locations. Counts are grouped
/// per municipality and per support-centre region (East/West, DOMAIN.md section 0) and
/// suppressed by report/suppression.hpp: 1-2 printed "<3", complementary cells "x", over one
/// linked table that holds every count of the report (status, care items, devices, margin
/// bins, facility assignments, map grid cells, simulation bands), so that no printed total
/// lets a reader recompute a small count. Homes appear only as counts per grid cell (1 km by
/// default) and routes are drawn without their first `route_clip_m` metres (the part that
/// would point at a home). Files are aggregate and anonymised: mode 0644.
///
/// Charts show the plan's margins; the simulation charts show "not simulated" unless a
/// SimulationSummary is given. With a second plan (`compare`), a section compares
/// scenario A and B (differences only where both sides are shown).

#include "planner/plan.hpp"
#include "report/simulation_summary.hpp"
#include "report/suppression.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace sonae::report {

/// Options of the council report.
struct CouncilOptions {
    SuppressionRule rule;                       ///< small-count rule (default: <3)
    const SimulationSummary* simulation = nullptr; ///< optional simulator results for plan A
    std::string issued_on;                      ///< "YYYY-MM-DD"; empty = today (Japan time)
    double grid_m = 1000.0;                     ///< home aggregation cell size
    double route_clip_m = 1000.0;               ///< routes are not drawn this close to a home
    std::function<void(int page)> on_page_done; ///< progress; an exception aborts the PDF
};

/// The files one run writes.
struct CouncilOutputs {
    std::filesystem::path pdf;                  ///< council_report.pdf
    std::filesystem::path html;                 ///< council_report.html
    std::vector<std::filesystem::path> csv;     ///< council_by_area.csv, council_facilities.csv
    std::filesystem::path gpkg;                 ///< council.gpkg (QGIS): facilities, municipal_aggregates, notes
};

/// Writes council_report.pdf, council_report.html, the aggregate CSV files and council.gpkg
/// into `dir` (created if needed), each atomically with mode 0644; refuses to overwrite
/// `inputs`. council.gpkg (EPSG:4326) holds the same suppressed cells as the CSV files:
/// layer `facilities` (public facilities as points: id, name, kind, assigned children as
/// text "<3"/"x"/n plus assigned_n only when shown, power headroom, fuel, shortages),
/// `municipal_aggregates` (children, on time, at risk, cannot be served, care items and
/// devices per municipality at a point inside it; region and prefecture rows without
/// geometry) and `notes` (rule, sources, and why routes are left out: they start at homes).
/// `compare` (scenario B) adds the A/B comparison. Throws IoError / InputError.
CouncilOutputs write_council_report(const planner::Plan& plan, const std::filesystem::path& dir,
                                    const CouncilOptions& options = {},
                                    const planner::Plan* compare = nullptr,
                                    const std::vector<std::filesystem::path>& inputs = {});

} // namespace sonae::report
