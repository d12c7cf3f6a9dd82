#pragma once
/// Private to the report module: rectangles on a page and the placement of map labels
/// (pure geometry, no drawing: report/detail/drawing.hpp draws with it).

#include <utility>
#include <vector>

namespace sonae::report::detail {

/// A rectangle in PDF points, (x, y) its top-left corner.
struct Rect {
    double x = 0, y = 0, w = 0, h = 0;
};

/// Where the labels of map markers go, so that none covers another label or a marker.
/// `markers[k]` is marker k's box and `sizes[k]` the size of its label ({0, 0}: no label).
/// Each label in turn (marker order) tries the right of its marker, the left, above, below,
/// then right and left stepped down and up by a label's height (a leader line is then drawn),
/// each kept inside `area`; it takes the first place that overlaps no marker and no label
/// placed before it, or, if none is free, the place that overlaps least (the earlier one on a
/// tie). Returns each label's box (w = h = 0 for no label) and whether it is stepped away from
/// its marker. Deterministic; pure geometry (tested without drawing).
struct PlacedLabel {
    Rect box;
    bool leader = false; ///< stepped away: draw a line from the marker to the label
};
std::vector<PlacedLabel> place_labels(const std::vector<Rect>& markers,
                                      const std::vector<std::pair<double, double>>& sizes,
                                      const Rect& area);

} // namespace sonae::report::detail
