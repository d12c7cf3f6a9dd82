#pragma once
/// Drills (issue 21): one file format for a drill's timeline (before the drill) and its
/// recorded results (after it), and the after-action review that compares the plan, the
/// simulation (p50/p95 over the Monte Carlo runs) and what was recorded, step by step.
///
/// A drill file (CSV in UTF-8 or CP932, or a sheet of an .xlsx workbook) is:
///  1. optional key/value rows above the table (first cell the key, second the value):
///     訓練名 / drill_name, 訓練日 / drill_date (2026-03-15, 2026/3/15, 2026年3月15日,
///     令和8年3月15日), 開始時刻 / t0_clock (the clock time of t0, e.g. 10:00), 参加児童 /
///     participants (child ids separated by ';', '、' or spaces), シナリオ / scenario;
///  2. a header row and one row per step:
///     child_id (児童ID; empty = a drill-wide step of a role, e.g. 福祉避難所の開設),
///     step (段階; for a child one of the eight DrillStep names or Japanese labels; for a
///     drill-wide step any name, which the timeline defines), planned (計画), who (担当),
///     what (内容), record (記録項目), recorded (記録時刻; the old `minutes` column too),
///     battery_pct (電池残量), forgotten (忘れ物), helpers (支援者数), barriers (障壁),
///     contacts (連絡), notes (備考). Only `step` is required.
/// A time is a clock time (`10:12`, `10:12:30`, `10時12分`, `午後1時5分`, full-width digits too),
/// converted with the file's 開始時刻, or minutes after t0 (`12`, `12.5`, `12分`).
/// Errors throw InputError naming file, line, field and value; warnings are kept in the file
/// and listed in the review.

#include "planner/csv.hpp"
#include "planner/plan.hpp"
#include "planner/registry.hpp"
#include "sim/simulate.hpp"

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonae::sim {

enum class DrillStep : std::uint8_t {
    alert,
    decision,
    packing_done,
    carried_out,
    loaded,
    departed,
    arrived,
    power_connected
};
inline constexpr std::size_t kDrillSteps = 8;

/// English name ("packing_done") and Japanese label ("準備完了").
std::string_view to_string(DrillStep step);
std::string_view japanese_label(DrillStep step);
/// What the step means for the recording sheet (Japanese).
std::string_view japanese_description(DrillStep step);
/// Accepts the English name or a Japanese label (and a few variants); nullopt if unknown.
std::optional<DrillStep> parse_drill_step(std::string_view text);

/// A time as written in a drill file.
struct DrillTime {
    std::optional<double> minutes;   ///< minutes after t0 (written so)
    std::optional<double> clock_min; ///< minutes after midnight (a clock time)
};
/// Parses `10:12`, `10時12分`, `午後1時`, `12`, `12.5分` (full-width digits accepted);
/// nullopt if it is none of them.
std::optional<DrillTime> parse_drill_time(std::string_view text);
/// Parses a date (2026-03-15, 2026/3/15, 2026年3月15日, 令和8年3月15日) to "YYYY-MM-DD".
std::optional<std::string> parse_drill_date(std::string_view text);
/// "10:05" for 605 minutes after midnight (wraps at 24 h).
std::string format_clock(double minutes_after_midnight);

/// What a drill records besides times (DOMAIN.md section 4).
struct DrillObservations {
    std::optional<double> battery_pct;   ///< battery left, percent
    std::optional<std::int64_t> helpers; ///< helpers present
    std::string forgotten;               ///< forgotten items
    std::string barriers;                ///< barriers met (steps, no lift, parking ...)
    std::string contacts;                ///< contacts made (device vendor, physician)
    std::string notes;
    bool empty() const;
};

/// One row of a drill file.
struct DrillEntry {
    std::string file;
    std::int64_t line = -1;
    std::string child_id;               ///< empty: a drill-wide step (a role's task)
    std::string step_name;              ///< as written
    std::optional<DrillStep> step;      ///< set for child rows
    std::optional<double> planned_min;  ///< minutes after t0
    std::optional<double> recorded_min; ///< minutes after t0
    std::string recorded_text;          ///< as written (messages)
    std::string who, what, record;
    DrillObservations observed;
    /// Headers of this row's columns as written in its file (for messages).
    std::string child_column = "child_id", step_column = "step", planned_column = "planned",
                recorded_column = "recorded";
};

/// A drill file, or several merged (one per child).
struct DrillFile {
    std::vector<std::string> files;
    std::string title;
    std::string date;                   ///< YYYY-MM-DD, empty if not given
    std::optional<double> t0_clock_min; ///< clock time of t0, minutes after midnight
    std::string scenario;
    std::vector<std::string> participants; ///< as listed (sorted, unique)
    std::int64_t participants_line = -1;   ///< line of the 参加児童 row
    std::int64_t scenario_line = -1;       ///< line of the シナリオ row
    std::string scenario_file;             ///< the file of that row
    std::vector<DrillEntry>
        entries; ///< drill-wide rows in file order, then child rows by child and step
    std::vector<std::string> warnings; ///< Japanese sentences

    /// The child row for this child and step, or nullptr.
    const DrillEntry* find(const std::string& child_id, DrillStep step) const;
    /// Children with at least one row, sorted.
    std::vector<std::string> children() const;
};

/// Parses a drill file from its rows (CSV records or spreadsheet rows; each with its line or
/// sheet row number). `file` (and `sheet`, for a workbook) name it in messages. Throws InputError.
DrillFile parse_drill_rows(const std::vector<planner::CsvRecord>& records, const std::string& file,
                           const std::string& sheet = {});
/// Parses CSV bytes (UTF-8 or CP932, detected). Throws InputError.
DrillFile parse_drill_file(std::string_view bytes, const std::string& file);
/// Reads a drill file through the shared table reader (planner/csv.hpp read_table_document):
/// CSV (UTF-8 or CP932) or an .xlsx workbook (the first sheet with a step column; time cells
/// as clock times). Throws IoError / InputError.
DrillFile read_drill_file(const std::filesystem::path& path);
/// Merges files of one drill (one per child), in the order given: the same step of a child in
/// two files is an error (two values for one step), and so are two files naming different
/// scenarios (their シナリオ rows); different dates or start times are warnings.
DrillFile merge_drill_files(std::vector<DrillFile> files);

/// Checks a recorded drill against the plan and the scenario's timeline: a child not in the
/// plan, a time before t0 or after the horizon, a drill-wide step the timeline does not have
/// are errors (InputError with file, line, field, value); participants without rows and the
/// like are added to `drill.warnings`.
void check_drill(DrillFile& drill, const planner::Plan& plan, const DrillFile* timeline);

/// The plan's rows of a drill: the timeline's drill-wide steps and, for each participant
/// (default: every child the plan serves), the eight steps with their planned minutes.
DrillFile planned_drill(const planner::Plan& plan, double decision_min, const DrillFile* timeline);

/// Planned minutes of a child's step from the plan (nullopt if the plan has no figure).
std::optional<double> planned_minutes(const planner::ChildPlan& child, DrillStep step,
                                      double decision_min);

/// The plan's leave_by (the hazard reaches the home), in minutes after t0.
std::optional<double> leave_by_min(const planner::ChildPlan& child);
/// The plan's arrive_by (on power by then: mains lost + endurance - safety margin), minutes after
/// t0.
std::optional<double> arrive_by_min(const planner::ChildPlan& child);

/// One child and step in the review; minutes after t0, nullopt = no figure.
struct DrillReviewRow {
    std::string child_id;
    DrillStep step = DrillStep::alert;
    std::optional<double> planned_min;
    std::optional<double> simulated_p50_min;
    std::optional<double> simulated_p95_min;
    std::optional<double> actual_min;
    /// Durations since the previous recorded step; for a step with a planned figure, since the
    /// previous step with both a recorded and a planned time (so the planned, simulated and
    /// recorded durations cover the same stretch).
    std::optional<double> planned_duration_min;
    std::optional<double> simulated_duration_min; ///< difference of the p50s
    std::optional<double> actual_duration_min;
    DrillObservations observed;
};

/// A safety finding on a recorded time.
struct DrillFlag {
    enum class Severity : std::uint8_t { danger, caution };
    std::string child_id;
    Severity severity = Severity::danger;
    std::string what; ///< code: left_after_hazard, arrived_after_hazard, arrived_after_power,
                      ///< battery_low, not_arrived
    double recorded_min = 0.0;
    double limit_min = 0.0;
    std::string text; ///< Japanese sentence
};

/// A step that took longer than planned across the drill.
struct DrillBottleneck {
    DrillStep step = DrillStep::alert;
    std::int64_t children = 0; ///< with both a planned and a recorded duration
    double planned_median_min = 0.0;
    double recorded_median_min = 0.0;
    double overrun_median_min = 0.0;
    double overrun_max_min = 0.0;
    std::string worst_child;
};

/// A change to the plan suggested by the drill; `drill apply` writes accepted ones into the
/// registry column `field`.
struct DrillChange {
    std::string child_id;
    std::string field;                 ///< decision_min, packing_min, loading_min, connect_min
    std::optional<double> planned_min; ///< what the plan assumed
    double recorded_min = 0.0;         ///< what the drill took
    std::string text;                  ///< Japanese sentence
};

/// A drill-wide step (a role's task) with its planned and recorded time.
struct DrillEventRow {
    std::string step_name, who, what, record;
    std::optional<double> planned_min, actual_min;
    DrillObservations observed;
};

struct DrillReview {
    std::string scenario_name;
    std::string title;
    std::string date;
    std::optional<double> t0_clock_min;
    std::vector<std::string> files;
    std::vector<std::string> participants;
    std::vector<DrillReviewRow> rows;         ///< participants in plan order, all 8 steps each
    std::vector<DrillEventRow> events;        ///< drill-wide steps
    std::vector<DrillFlag> flags;             ///< danger first, then by child
    std::vector<DrillBottleneck> bottlenecks; ///< largest median overrun first (overrun > 0 only)
    std::vector<DrillChange> changes;
    std::vector<std::string> observations; ///< non-time observations, "child: step: text"
    /// Participants the plan does not move (在宅避難, or no shelter or vehicle found): why their
    /// rows have no planned departure or arrival, and what the drill showed (Japanese).
    std::vector<std::string> plan_notes;
    std::vector<std::string> warnings;
};

/// Builds the review (`drill` already checked). Planned: alert 0, decision = `decision_min`,
/// packing_done = the plan's earliest departure, loaded and departed = the planned
/// departure, arrived = the planned arrival, power_connected = on the shelter's power (the
/// plan's on_power, or arrival + transfer + connection for a child powered by the vehicle on
/// the way); carried_out has no planned figure. Simulated: p50/p95 over the runs where the
/// step happened (`mc` may be null).
DrillReview drill_review(const planner::Plan& plan, double decision_min, const MonteCarloResult* mc,
                         const DrillFile& drill, const DrillFile* timeline = nullptr);

/// The per-step table as CSV rows (Japanese header and values, the step by its Japanese name;
/// minutes with one decimal, clock times when the drill has a start time).
std::vector<std::vector<std::string>> drill_review_rows(const DrillReview& review);
/// The suggested changes as CSV rows with an empty 採用 (accept) column for the coordinator;
/// 項目 is the field's Japanese name (change_field_label).
std::vector<std::vector<std::string>> drill_change_rows(const DrillReview& review);

/// A drill change's field in Japanese, as the registry's Japanese column is named
/// (REGISTRY_SCHEMA.md): packing_min 準備時間, loading_min 乗車時間, connect_min 電源接続時間;
/// decision_min (a scenario option) 避難決定までの時間. Another code is returned as it is.
std::string_view change_field_label(std::string_view field);
/// The code of a change's field given by its code or its Japanese name (drill_changes.csv's
/// 項目, as written or as typed); empty when it is neither.
std::string change_field_code(std::string_view code_or_label);
/// A safety flag's kind in Japanese (drill_flags.csv's 指摘 column): 災害到達後に出発, ...
std::string_view japanese_label(const DrillFlag& flag);

/// What `sonae drill apply` did.
struct DrillApplyResult {
    std::string registry_csv;         ///< the new registry (UTF-8 with BOM, CRLF)
    std::vector<std::string> applied; ///< "KDM-0003 packing_min 30 -> 43"
    std::vector<std::string>
        warnings; ///< accepted rows that no registry column can hold (decision_min)
};

/// Writes the accepted rows of a drill_changes.csv (採用 = はい / yes / 1 / ○) into a registry
/// CSV: every other cell, row and column stays as it was read. The registry columns a drill
/// fills are packing_min, loading_min and connect_min (REGISTRY_SCHEMA.md); one the registry
/// lacks is added at the end (in that order) when an accepted row needs it. A value is the
/// recorded minutes rounded up. An accepted decision_min (a scenario option, not a registry
/// column) becomes a warning. Errors (an accept value that is neither yes nor no, another
/// field name, minutes outside 0-600, two accepted rows for one child and field, a child not
/// in the registry, a registry that is not CSV) throw InputError naming file, line, field and
/// value.
DrillApplyResult apply_drill_changes(const std::filesystem::path& changes_csv,
                                     const std::filesystem::path& registry_csv);

/// Two drills of one scenario side by side (`sonae drill compare`, year over year): one row
/// per child and step recorded in either drill, and one per drill-wide step.
struct DrillCompareRow {
    std::string child_id;                        ///< empty: a drill-wide step
    std::string step_name;                       ///< Japanese label, or the drill-wide step's name
    std::optional<DrillStep> step;               ///< set for child rows
    std::optional<double> before_min, after_min; ///< recorded, minutes after each drill's t0
    /// Minutes since the child's previous step recorded in *both* drills, so both durations
    /// cover the same stretch (a step recorded in only one drill is folded into the next).
    std::optional<double> before_duration_min, after_duration_min;
    /// after - before: of the durations for a child's step, of the times for a drill-wide
    /// step; negative = faster. nullopt when either figure is missing.
    std::optional<double> change_min;
    enum class Verdict : std::uint8_t {
        faster,
        slower,
        same,
        not_compared
    } verdict = Verdict::not_compared;
};

/// One step over the children recorded in both drills.
struct DrillStepTrend {
    DrillStep step = DrillStep::alert;
    std::int64_t compared = 0, faster = 0, slower = 0, same = 0;
    std::optional<double> median_change_min; ///< of change_min over the compared children
};

struct DrillComparison {
    std::string scenario;
    std::string before_title, after_title, before_date, after_date;
    std::optional<double> before_t0_clock_min, after_t0_clock_min;
    std::vector<std::string> before_files, after_files;
    std::vector<std::string> children; ///< in both drills, sorted
    std::vector<std::string> only_before, only_after;
    std::vector<DrillCompareRow> rows; ///< drill-wide steps (before's order, then after's new
                                       ///< ones), then children by id and step
    std::vector<DrillStepTrend> steps; ///< the eight steps, in order, with compared > 0 only
    std::vector<std::string> warnings; ///< Japanese sentences
};

/// Compares two drills (`before`, `after`; each a read and merged drill file) of the same
/// scenario. A change within `same_within_min` minutes counts as the same. Throws InputError
/// (file, line, field シナリオ, value) when either file does not name its scenario or the two
/// name different scenarios; a later drill given first, or no child in both, is a warning.
DrillComparison compare_drills(const DrillFile& before, const DrillFile& after,
                               double same_within_min = 1.0);

/// The comparison as CSV rows (Japanese header; minutes with one decimal).
std::vector<std::vector<std::string>> drill_compare_rows(const DrillComparison& comparison);

/// Japanese word for a verdict (速くなった, 遅くなった, 変わらない, 比べられない).
std::string_view japanese_label(DrillCompareRow::Verdict verdict);

/// Writes drill_review.csv (UTF-8 BOM, CRLF) atomically with mode 0600.
void write_drill_review(const std::filesystem::path& path, const DrillReview& review);

} // namespace sonae::sim
