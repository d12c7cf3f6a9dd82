#pragma once
/// The council report's simulation charts: which bar a child falls in (report/council_report.cpp
/// counts them, with small-count suppression).

#include "planner/plan.hpp"
#include "sim/simulation_json.hpp"

#include <array>
#include <string_view>

namespace sonae::report::detail {

/// Bar labels of the three charts; the last bar of each is for children without the value.
inline constexpr std::array<std::string_view, 5> kMissBands = {"1%未満", "1〜5%", "5〜20%",
                                                               "20%以上", "在宅避難（期限なし）"};
inline constexpr std::array<std::string_view, 5> kBatteryBands = {
    "不足（0時間未満）", "0〜2時間", "2〜6時間", "6時間以上", "避難しない・できない"};
inline constexpr std::array<std::string_view, 5> kArrivalBands = {
    "60分未満", "60〜120分", "120〜240分", "240分以上", "避難しない・できない"};

/// A child's bar (index into the labels above) in each chart.
struct SimulationBands {
    std::size_t miss = 0;    ///< share of runs missing a deadline
    std::size_t battery = 0; ///< battery left on arrival, p5
    std::size_t arrival = 0; ///< arrival, p95
};

/// The bars of one child. A child the plan keeps at home (在宅避難) has no deadline to miss and,
/// like a child it cannot serve, no arrival: the last bar (the simulator records a child that
/// does not leave as missing the deadline in every run, arriving at 0, with its home's
/// endurance as battery). A child who cannot be served misses the deadline in every run.
SimulationBands simulation_bands(planner::Outcome outcome, const sim::ChildSimulation& child);

} // namespace sonae::report::detail
