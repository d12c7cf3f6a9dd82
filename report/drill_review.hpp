#pragma once
/// The drill's after-action review (訓練の振り返り, issue 21) as documents, and the drill kit
/// handed out before the drill.
///
/// Review (personal: mode 0600): drill_review.pdf and .html (safety findings in red, per child
/// and step the planned, simulated p50/p95 and recorded times and durations, bottleneck steps,
/// drill-wide steps of the roles, observations, what to change in the plan, warnings),
/// drill_review.csv (the per-step table), drill_changes.csv (suggested changes with an empty
/// 採用 column for `sonae drill apply`) and drill_flags.csv.
/// Council version (aggregate, mode 0644): drill_council.pdf/.html/.csv with counts suppressed
/// by report/suppression.hpp (a count of 1-2 is "<3", complementary cells "x"), step
/// durations only as medians over at least `rule.threshold` children, and no child ids,
/// times of a single child or free-text observations.
/// Kit (personal: mode 0600): one recording sheet per child (drill_sheet_<id>.pdf), one sheet
/// per role from the timeline's who/what/record (drill_roles.pdf), and the blank recording
/// template drill_record_template.csv (the drill file format of sim/drill.hpp, UTF-8 with BOM)
/// and the same as drill_record_template.xlsx (one sheet 訓練記録, every cell text).

#include "planner/plan.hpp"
#include "report/suppression.hpp"
#include "sim/drill.hpp"

#include <filesystem>
#include <vector>

namespace sonae::report {

struct DrillReviewOutputs {
    std::filesystem::path pdf, html;
    std::vector<std::filesystem::path>
        csv; ///< drill_review.csv, drill_changes.csv, drill_flags.csv
    std::filesystem::path council_pdf, council_html,
        council_csv; ///< empty if the release could not be protected
};

/// Writes the review and its council version into `dir` (created if needed), atomically;
/// refuses to overwrite `inputs`. Throws IoError / InputError.
DrillReviewOutputs write_drill_review_report(const sim::DrillReview& review,
                                             const planner::Plan& plan,
                                             const std::filesystem::path& dir,
                                             const std::vector<std::filesystem::path>& inputs = {},
                                             const SuppressionRule& rule = {});

struct DrillCompareOutputs {
    std::filesystem::path pdf, html, csv;
};

/// Writes two drills side by side (`sonae drill compare`, year over year) into `dir`:
/// drill_compare.pdf and .html (per step over the children: how many got faster or slower and
/// the median change; per child and step the two recorded times, the durations and the
/// change, slower ones in red; the drill-wide steps; children in one drill only; warnings)
/// and drill_compare.csv, all personal (mode 0600), atomically; refuses to overwrite
/// `inputs`. Throws IoError / InputError.
DrillCompareOutputs
write_drill_compare_report(const sim::DrillComparison& comparison, const std::filesystem::path& dir,
                           const std::vector<std::filesystem::path>& inputs = {});

struct DrillKitOutputs {
    std::vector<std::filesystem::path> child_sheets; ///< one PDF per participant
    std::filesystem::path roles_pdf;
    std::filesystem::path template_csv;
    std::filesystem::path template_xlsx; ///< the same rows as an Excel workbook (sheet 訓練記録)
};

/// Writes the drill kit for `planned` (sim::planned_drill) into `dir`. Throws IoError.
DrillKitOutputs write_drill_kit(const sim::DrillFile& planned, const planner::Plan& plan,
                                const std::filesystem::path& dir,
                                const std::vector<std::filesystem::path>& inputs = {});

/// The blank recording template as CSV rows: the key/value rows (訓練名, 訓練日, 開始時刻,
/// 参加児童), the header and one row per drill-wide step and per participant and step, with
/// the planned time (clock time when the drill has a start time) and empty recording columns.
std::vector<std::vector<std::string>> drill_template_rows(const sim::DrillFile& planned);

} // namespace sonae::report
