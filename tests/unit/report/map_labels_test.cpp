#include "report/detail/map_labels.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using sonae::report::detail::place_labels;
using sonae::report::detail::Rect;

namespace {

double overlap(const Rect& a, const Rect& b) {
    const double w = std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x);
    const double h = std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y);
    return w > 0 && h > 0 ? w * h : 0.0;
}

bool inside(const Rect& r, const Rect& area) {
    return r.x >= area.x && r.y >= area.y && r.x + r.w <= area.x + area.w &&
           r.y + r.h <= area.y + area.h;
}

Rect marker_at(double x, double y) {
    return {x - 9, y - 9, 18, 18};
}

} // namespace

const Rect kArea{40, 100, 515, 300}; // a guidebook map on A4

TEST(MapLabels, ALoneLabelSitsRightOfItsMarker) {
    const auto placed = place_labels({marker_at(200, 250)}, {{80, 14}}, kArea);
    ASSERT_EQ(placed.size(), 1u);
    EXPECT_DOUBLE_EQ(placed[0].box.x, 200 + 9 + 3);
    EXPECT_DOUBLE_EQ(placed[0].box.y, 250 - 7);
    EXPECT_FALSE(placed[0].leader);
}

TEST(MapLabels, CloseMarkersGetLabelsThatCoverNoLabelAndNoMarker) {
    // Home, two shelters a few metres apart and a hospital: on the map, markers 2-10 pt apart.
    const std::vector<Rect> markers = {marker_at(300, 250), marker_at(305, 252),
                                       marker_at(310, 248), marker_at(302, 258)};
    const std::vector<std::pair<double, double>> sizes = {
        {60, 14}, {150, 14}, {150, 14}, {120, 14}};
    const auto placed = place_labels(markers, sizes, kArea);
    ASSERT_EQ(placed.size(), markers.size());
    for (std::size_t a = 0; a < placed.size(); ++a) {
        EXPECT_TRUE(inside(placed[a].box, kArea)) << a;
        EXPECT_DOUBLE_EQ(placed[a].box.w, sizes[a].first);
        for (std::size_t b = 0; b < placed.size(); ++b) {
            if (a != b) {
                EXPECT_EQ(overlap(placed[a].box, placed[b].box), 0.0) << a << " and " << b;
            }
            EXPECT_EQ(overlap(placed[a].box, markers[b]), 0.0) << "label " << a << ", marker " << b;
        }
    }
}

TEST(MapLabels, ALabelAtTheMapsRightEdgeGoesLeftInsideTheMap) {
    const auto placed = place_labels({marker_at(kArea.x + kArea.w - 12, 250)}, {{120, 14}}, kArea);
    EXPECT_TRUE(inside(placed[0].box, kArea));
    EXPECT_LT(placed[0].box.x + placed[0].box.w, kArea.x + kArea.w - 12 - 9 + 0.001);
}

TEST(MapLabels, MarkersWithoutLabelsStillKeepLabelsOffThem) {
    // An unlabelled marker right where the first choice would go pushes the label elsewhere.
    const std::vector<Rect> markers = {marker_at(200, 250), marker_at(230, 250)};
    const auto placed = place_labels(markers, {{80, 14}, {0, 0}}, kArea);
    EXPECT_EQ(placed[1].box.w, 0.0);
    EXPECT_EQ(overlap(placed[0].box, markers[1]), 0.0);
    EXPECT_EQ(overlap(placed[0].box, markers[0]), 0.0);
}

TEST(MapLabels, WhenNoPlaceIsFreeTheLeastCoveredOneIsTaken) {
    // Twenty labels on one spot of a small map cannot all be free; each still gets a box
    // inside the map, and the placement is the same every time.
    const Rect small{0, 0, 200, 60};
    std::vector<Rect> markers(20, marker_at(100, 30));
    std::vector<std::pair<double, double>> sizes(20, {90, 14});
    const auto a = place_labels(markers, sizes, small);
    const auto b = place_labels(markers, sizes, small);
    for (std::size_t k = 0; k < a.size(); ++k) {
        EXPECT_TRUE(inside(a[k].box, small)) << k;
        EXPECT_EQ(a[k].box.x, b[k].box.x);
        EXPECT_EQ(a[k].box.y, b[k].box.y);
    }
}
