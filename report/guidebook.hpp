#pragma once
/// 災害の備えガイドブック: one printable A4 PDF per child, in Japanese, like the guidebook
/// Nagato's 子ども支援部会 made for case meetings (../shared/DOMAIN.md sections 0, 2.3, 3.3).
///
/// Contents: profile as held (pseudonymous id; the name only when the registry's plan-sharing
/// consent is given AND names were asked for), devices with battery hours, the power plan in
/// the four steps of DOMAIN 2.3 with runtimes, destination and route map, the destination per
/// hazard type (洪水・土砂災害・高潮・津波・地震: ChildPlan::destinations_by_hazard, the plan's
/// own hazard marked 「計画の避難先」) with one route map in a colour per type, trigger and latest
/// departure, transport, helpers, supplies for 1/3/14 days, contacts, review date.
/// Each file holds one child only. Files are personal data: mode 0600, written atomically,
/// never over an input.

#include "planner/plan.hpp"
#include "planner/registry.hpp"
#include "report/map_background.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace sonae::report {

/// Options of the guidebook.
struct GuidebookOptions {
    /// Print names. Even then a name is printed only for a child whose registry record has
    /// plan-sharing consent (Consent::plan_sharing) and a non-empty name.
    bool with_names = false;
    /// The registry the plan was made from (optional): names and consent, household backup
    /// power, vehicle and helpers. Without it the guidebook uses the Plan and the default
    /// device catalogue only, and prints no name.
    const planner::Registry* registry = nullptr;
    /// The scenario's roads, waterways and hazard areas, drawn under the route maps
    /// (optional: without it the maps show the routes, the home and the shelters only).
    const MapBackground* map = nullptr;
    /// Issue date "YYYY-MM-DD" printed as 作成日; empty = today (Japan time).
    std::string issued_on;
    /// Months until the next review; clamped to 1..12 (at least yearly, DOMAIN 3.3 item 6).
    int review_months = 12;
    /// Called after each finished page (progress). An exception thrown here aborts the file
    /// and leaves any previous file in place.
    std::function<void(int page)> on_page_done;
};

/// The file name of a child's guidebook: "guidebook_<id>.pdf", the id as it is except a space,
/// control characters and % : * ? < > | / \ " written %XX: two ids never share a file.
std::string guidebook_file_name(const std::string& child_id);

/// Writes the guidebook of one child to `pdf_path` (atomic, 0600). Throws InputError if the
/// child is not in the plan, IoError if the file cannot be written.
void write_guidebook(const planner::Plan& plan, const std::string& child_id,
                     const std::filesystem::path& pdf_path, const GuidebookOptions& options = {});

/// Writes one guidebook per child (or only `only_child` if non-empty) into `dir`; refuses to
/// overwrite any of `inputs`. Returns the files written, in child id order.
std::vector<std::filesystem::path>
write_guidebooks(const planner::Plan& plan, const std::filesystem::path& dir,
                 const GuidebookOptions& options = {}, const std::string& only_child = {},
                 const std::vector<std::filesystem::path>& inputs = {});

/// One child's row of the guidebook's data (`sonae guidebook --data`, for a town's own form):
/// (field, value) pairs in a fixed order, each value exactly as the booklet prints it (the
/// field list with units: report/GUIDEBOOK_DATA.md). Names and the registry's contacts follow
/// the same consent rule as the PDF. Throws InputError if the child is not in the plan.
std::vector<std::pair<std::string, std::string>>
guidebook_data_row(const planner::Plan& plan, const std::string& child_id,
                   const GuidebookOptions& options = {});

/// Writes guidebook_data.csv (UTF-8 with BOM) and guidebook_data.xlsx (sheet ガイドブック) into
/// `dir`, one row per child in id order, both personal data (0600, atomic); refuses to
/// overwrite any of `inputs`. Returns the two paths.
std::vector<std::filesystem::path>
write_guidebook_data(const planner::Plan& plan, const std::filesystem::path& dir,
                     const GuidebookOptions& options = {},
                     const std::vector<std::filesystem::path>& inputs = {});

/// The coordinator's one-page summary per child for the case meeting (担当者会議): the key
/// values of this plan beside those of `previous` (the last plan), each changed value marked
/// 「変更」, a child new to or gone from the plan said so. Files "summary_<id>.pdf" in `dir`
/// (0600, atomic; never over `inputs`), for every child of either plan or only `only_child`.
/// Returns the files written, in child id order.
std::vector<std::filesystem::path>
write_coordinator_summaries(const planner::Plan& plan, const planner::Plan& previous,
                            const std::filesystem::path& dir, const GuidebookOptions& options = {},
                            const std::string& only_child = {},
                            const std::vector<std::filesystem::path>& inputs = {});

/// The name to print for a child, or empty: non-empty only if options.with_names, the
/// registry has the child with plan-sharing consent, and a name.
std::string printable_name(const std::string& child_id, const GuidebookOptions& options);

} // namespace sonae::report
