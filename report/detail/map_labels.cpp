#include "report/detail/map_labels.hpp"

#include <algorithm>
#include <optional>

namespace sonae::report::detail {

std::vector<PlacedLabel> place_labels(const std::vector<Rect>& markers,
                                      const std::vector<std::pair<double, double>>& sizes,
                                      const Rect& area) {
    auto overlap = [](const Rect& a, const Rect& b) {
        const double w = std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x);
        const double h = std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y);
        return w > 0 && h > 0 ? w * h : 0.0;
    };
    constexpr double gap = 3.0;
    std::vector<PlacedLabel> out(markers.size());
    std::vector<Rect> taken(markers.begin(), markers.end());
    for (std::size_t k = 0; k < markers.size() && k < sizes.size(); ++k) {
        const auto [w, h] = sizes[k];
        if (w <= 0 || h <= 0) continue;
        const Rect& m = markers[k];
        const double cx = m.x + m.w / 2, cy = m.y + m.h / 2;
        const double right = m.x + m.w + gap, left = m.x - gap - w, middle = cy - h / 2;
        std::vector<PlacedLabel> tries = {{{right, middle, w, h}, false},
                                          {{left, middle, w, h}, false},
                                          {{cx - w / 2, m.y - gap - h, w, h}, false},
                                          {{cx - w / 2, m.y + m.h + gap, w, h}, false}};
        for (int step = 1; step <= 4; ++step) {
            for (const double dir : {1.0, -1.0}) {
                const double y = middle + dir * step * (h + 2);
                tries.push_back({{right, y, w, h}, true});
                tries.push_back({{left, y, w, h}, true});
            }
        }
        std::optional<PlacedLabel> best;
        double best_overlap = 0.0;
        for (auto t : tries) {
            // Inside the map (a label wider than the map starts at its left edge).
            t.box.x = std::max(area.x + 2, std::min(t.box.x, area.x + area.w - w - 2));
            t.box.y = std::max(area.y + 2, std::min(t.box.y, area.y + area.h - h - 2));
            double covered = 0.0;
            for (const auto& r : taken) covered += overlap(t.box, r);
            if (!best || covered < best_overlap) {
                best = t;
                best_overlap = covered;
            }
            if (covered == 0.0) break;
        }
        out[k] = *best;
        taken.push_back(best->box);
    }
    return out;
}

} // namespace sonae::report::detail
