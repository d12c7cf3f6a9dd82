#pragma once
/// Drill mode (issue 6 item 2): the times recorded in a drill, and an after-action review
/// comparing planned, simulated (p50 over the Monte Carlo runs) and actual, step by step.
///
/// Drill CSV (UTF-8 with or without BOM, or CP932), one row per child and step:
///   child_id (児童ID), step (段階), minutes (経過時間, 分): minutes after t0 (the alert).
/// Steps, in order: alert (警報), decision (避難決定), packing_done (準備完了),
/// carried_out (搬出), loaded (乗車), departed (出発), arrived (到着),
/// power_connected (電源接続). A step not recorded is simply absent.
/// Errors (bad number, unknown step, duplicate child+step, negative time) throw InputError
/// with file, line, column and value.

#include "planner/plan.hpp"
#include "sim/simulate.hpp"

#include <array>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonae::sim {

enum class DrillStep : std::uint8_t { alert, decision, packing_done, carried_out, loaded, departed, arrived, power_connected };
inline constexpr std::size_t kDrillSteps = 8;

/// English name ("packing_done") and Japanese label ("準備完了").
std::string_view to_string(DrillStep step);
std::string_view japanese_label(DrillStep step);
/// Accepts the English name or a Japanese label (and a few variants); nullopt if unknown.
std::optional<DrillStep> parse_drill_step(std::string_view text);

struct DrillRecord {
    std::string child_id;
    DrillStep step = DrillStep::alert;
    double minutes = 0.0;             ///< after t0
    std::int64_t line = -1;           ///< CSV line, for messages
};

struct DrillTimes {
    std::string file;
    std::vector<DrillRecord> records; ///< sorted by child_id, then step
};

/// Parses drill CSV bytes; `file` only for messages. Throws InputError.
DrillTimes parse_drill_times(std::string_view bytes, const std::string& file);
/// Reads a drill CSV. Throws IoError / InputError.
DrillTimes read_drill_times(const std::filesystem::path& path);

/// One line of the review; times in minutes after t0, nullopt = no figure.
struct DrillReviewRow {
    std::string child_id;
    DrillStep step = DrillStep::alert;
    std::optional<double> planned_min;
    std::optional<double> simulated_p50_min;
    std::optional<double> simulated_p95_min;
    std::optional<double> actual_min;
};

struct DrillReview {
    std::vector<DrillReviewRow> rows; ///< drilled children in plan order (unknown ones last), all 8 steps each
    std::vector<std::string> warnings;///< children in the drill but not in the plan, steps out of order
};

/// Builds the review. Planned: alert 0, decision = `decision_min`, packing_done = the plan's
/// earliest departure, loaded and departed = the planned departure, arrived = the planned
/// arrival; carried_out and power_connected have no planned figure. Simulated: p50/p95 over
/// the runs where the step happened (carried_out is not modelled apart from loading: none).
DrillReview drill_review(const planner::Plan& plan, double decision_min, const MonteCarloResult& mc,
                         const DrillTimes& drill);

/// The review as CSV rows (Japanese header, minutes with one decimal, deltas actual-planned
/// and actual-simulated).
std::vector<std::vector<std::string>> drill_review_rows(const DrillReview& review);

/// Writes drill_review.csv (UTF-8 BOM, CRLF) atomically with mode 0600.
void write_drill_review(const std::filesystem::path& path, const DrillReview& review);

} // namespace sonae::sim
