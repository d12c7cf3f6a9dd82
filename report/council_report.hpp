#pragma once
/// The council report (協議の場・地域自立支援協議会 向け報告): PDF and HTML, plus aggregate CSV.
///
/// Aggregate only: no names, addresses, child ids or exact home locations. Every published
/// count (status and care/device tables, margin chart bins, the timing tables, quantiles, facility
/// rows and the loads that reveal them, map cells, the CSV and GeoPackage, plan B's counts in a
/// comparison) is a cell of one release (report/suppression.hpp) with every linear relation a
/// reader can know between them; small counts and their complementary cells print "x", and the
/// release is audited with GLPK before anything is written (DisclosureError, exit 3, nothing
/// written, if it cannot be protected even with municipalities merged into their regions).
/// Municipalities with fewer than `rule.threshold` children have no row: they are counted in
/// their support-centre region's merged row. Maps: home counts per grid cell and
/// municipality only where shown; road pieces used by at least `rule.threshold` children of
/// the municipality, never within `route_clip_m` of any home, none in straight-line mode;
/// markers only for facilities located in the municipality. Files are aggregate: mode 0644.
///
/// Charts show the plan's margins; the simulation charts show "not simulated" unless a
/// SimulationSummary is given. With a second plan (`compare`), a section compares
/// scenario A and B (differences only where both sides are shown).

#include "planner/plan.hpp"
#include "report/suppression.hpp"
#include "sim/simulation_json.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace sonae::report {

/// Quantiles of the margins are printed only when at least this many children arrive ...
inline constexpr std::int64_t kCouncilQuantileMinGroup = 20;
/// ... and rounded to this many minutes (p10, p50, p90: never the extreme child's margin).
inline constexpr double kCouncilQuantileRoundMin = 10.0;

/// Options of the council report.
struct CouncilOptions {
    SuppressionRule rule;                               ///< small-count rule (default: <3)
    const sim::SimulationSummary* simulation = nullptr; ///< optional simulator results for plan A
    std::string issued_on;  ///< "YYYY-MM-DD"; empty = today (Japan time)
    double grid_m = 1000.0; ///< home aggregation cell size
    double route_clip_m =
        1000.0; ///< no route piece is drawn this close to any home (safe distance)
    std::function<void(int page)> on_page_done; ///< progress; an exception aborts the PDF
};

/// The files one run writes.
struct CouncilOutputs {
    std::filesystem::path pdf;              ///< council_report.pdf
    std::filesystem::path html;             ///< council_report.html
    std::vector<std::filesystem::path> csv; ///< council_by_area.csv, council_facilities.csv
    std::filesystem::path gpkg; ///< council.gpkg (QGIS): facilities, municipal_aggregates, notes
    std::size_t published_cells = 0; ///< counts of the release (A and B), each audited
    std::size_t hidden_cells = 0;    ///< printed "x"
    bool regions_only = false;       ///< municipal rows could not be protected
};

/// Writes council_report.pdf, council_report.html, the aggregate CSV files and council.gpkg
/// into `dir` (created if needed), each atomically with mode 0644; refuses to overwrite
/// `inputs`. council.gpkg (EPSG:4326) holds the same suppressed cells as the CSV files:
/// layer `facilities` (public facilities as points: id, name, kind, assigned children as
/// text "x"/n plus assigned_n only when shown, power headroom, fuel, shortages: the figures
/// that follow from the children null when the count is hidden),
/// `municipal_aggregates` (children, on time, at risk, cannot be served, care items and
/// devices per municipality at a point inside it; merged small municipalities, region and
/// prefecture rows without geometry) and `notes` (rule, sources, and why routes are left out:
/// they start at homes). `compare` (scenario B) adds the A/B comparison. The release is
/// audited first: DisclosureError (nothing written, not even `dir`) if it cannot be
/// protected. Throws IoError / InputError.
CouncilOutputs write_council_report(const planner::Plan& plan, const std::filesystem::path& dir,
                                    const CouncilOptions& options = {},
                                    const planner::Plan* compare = nullptr,
                                    const std::vector<std::filesystem::path>& inputs = {});

/// What the audit of one release found (for tests and the command's summary).
struct CouncilAudit {
    std::size_t cells = 0;               ///< published cells (A and B)
    std::size_t relations = 0;           ///< linear relations declared
    std::size_t hidden = 0;              ///< cells printed "x"
    bool regions_only = false;           ///< municipal rows could not be protected
    std::vector<CellInterval> intervals; ///< every hidden cell's feasible interval
};

/// Builds, suppresses and audits the release of a council report without writing anything.
/// Throws DisclosureError if it cannot be protected.
CouncilAudit audit_council_report(const planner::Plan& plan, const CouncilOptions& options = {},
                                  const planner::Plan* compare = nullptr);

/// The route pieces the council map of `municipality` draws (lon/lat polylines): road pieces
/// that at least `options.rule.threshold` of its children's primary routes share, cut where
/// they come within `options.route_clip_m` of any home of the plan; none in straight-line mode.
std::vector<std::vector<geo::LonLat>> council_route_lines(const planner::Plan& plan,
                                                          const std::string& municipality,
                                                          const CouncilOptions& options = {});

} // namespace sonae::report
