#include "geo/space_order.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

using namespace sonae::geo;

TEST(SpaceOrder, VisitsFourNeighbouringCellsInAZ) {
    // Items 0..3 at NE, NW, SE, SW of a 0.01-degree square near Ube.
    const std::vector<LonLat> p = {
        {131.26, 33.96}, {131.25, 33.96}, {131.26, 33.95}, {131.25, 33.95}};
    const auto order = in_space_order({0, 1, 2, 3}, [&](std::size_t i) { return p[i]; });
    EXPECT_EQ(order, (std::vector<std::size_t>{3, 2, 1, 0})); // SW, SE, NW, NE
}

TEST(SpaceOrder, IsAPermutationWithTiesByItem) {
    const std::vector<LonLat> p = {
        {131.3, 34.0}, {131.2, 34.1}, {131.3, 34.0}, {131.2, 34.1}, {131.3, 34.0}};
    const auto order = in_space_order({4, 3, 2, 1, 0}, [&](std::size_t i) { return p[i]; });
    ASSERT_EQ(order.size(), 5u);
    // Items at the same place keep ascending item order, whatever order they came in.
    std::vector<std::size_t> at_a, at_b;
    for (const auto i : order) (p[i].lon == 131.3 ? at_a : at_b).push_back(i);
    EXPECT_EQ(at_a, (std::vector<std::size_t>{0, 2, 4}));
    EXPECT_EQ(at_b, (std::vector<std::size_t>{1, 3}));
}

TEST(SpaceOrder, ConsecutiveItemsAreNearEachOther) {
    // A 64 x 64 lattice of points (0.01 degree apart) in shuffled item order. Along the curve
    // most steps go to a neighbouring point: the whole walk is under twice the number of
    // points in lattice steps, against about 40 steps per point in the shuffled order.
    constexpr int side = 64;
    std::vector<LonLat> p;
    for (int y = 0; y < side; ++y) {
        for (int x = 0; x < side; ++x) p.push_back({131.0 + 0.01 * x, 34.0 + 0.01 * y});
    }
    std::vector<std::size_t> items(p.size());
    std::iota(items.begin(), items.end(), std::size_t{0});
    std::shuffle(items.begin(), items.end(), std::mt19937(7));
    auto walk = [&](const std::vector<std::size_t>& order) {
        double steps = 0.0;
        for (std::size_t k = 1; k < order.size(); ++k) {
            steps += std::hypot(p[order[k]].lon - p[order[k - 1]].lon,
                                p[order[k]].lat - p[order[k - 1]].lat) /
                     0.01;
        }
        return steps;
    };
    const auto order = in_space_order(items, [&](std::size_t i) { return p[i]; });
    auto sorted = order;
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t k = 0; k < sorted.size(); ++k) ASSERT_EQ(sorted[k], k);
    EXPECT_LT(walk(order), 2.0 * static_cast<double>(p.size()));
    EXPECT_GT(walk(items), 20.0 * static_cast<double>(p.size()));
}

TEST(SpaceOrder, KeysClampOutsideTheGlobe) {
    EXPECT_EQ(z_order_key({-200.0, -100.0}), z_order_key({-180.0, -90.0}));
    EXPECT_EQ(z_order_key({200.0, 100.0}), z_order_key({180.0, 90.0}));
    EXPECT_LT(z_order_key({-180.0, -90.0}), z_order_key({180.0, 90.0}));
}
