#pragma once
/// Quantiles of a sample: one rule for the whole program (the planner's margin summary, the
/// simulator's p5/p50/p95, the council report's quantiles and the charts' marks), so a number
/// printed in a table and the line drawn on a chart never disagree.

#include <span>
#include <vector>

namespace sonae::core {

/// The q-quantile (q in [0, 1], clamped) of a sample sorted in ascending order, by linear
/// interpolation between order statistics: position q·(n − 1), counted from 0 (Hyndman & Fan
/// type 7; R's and NumPy's default). Example: {10, 20, 30, 40} at 0.5 → position 1.5 → 25.
/// An empty sample gives 0.
double quantile_sorted(std::span<const double> sorted, double q);

/// The same for a sample in any order (sorts a copy).
double quantile(std::vector<double> values, double q);

} // namespace sonae::core
