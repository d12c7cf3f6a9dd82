// core/: one quantile rule and civil date-times from std::chrono (issue 16 item 4).
#include "core/calendar.hpp"
#include "core/stats.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace sonae::core {
namespace {

TEST(CoreQuantile, LinearBetweenOrderStatistics) {
    const std::vector<double> s{10, 20, 30, 40};
    // position q·(n − 1): 0.5 · 3 = 1.5 → 20 + 0.5 · (30 − 20) = 25
    EXPECT_DOUBLE_EQ(quantile_sorted(s, 0.5), 25.0);
    // 0.05 · 3 = 0.15 → 10 + 0.15 · 10 = 11.5;  0.95 · 3 = 2.85 → 30 + 0.85 · 10 = 38.5
    EXPECT_DOUBLE_EQ(quantile_sorted(s, 0.05), 11.5);
    EXPECT_DOUBLE_EQ(quantile_sorted(s, 0.95), 38.5);
    EXPECT_DOUBLE_EQ(quantile_sorted(s, 0.0), 10.0);
    EXPECT_DOUBLE_EQ(quantile_sorted(s, 1.0), 40.0);
    EXPECT_DOUBLE_EQ(quantile_sorted(s, 1.7), 40.0);         // clamped, never past the end
    EXPECT_DOUBLE_EQ(quantile({40, 10, 30, 20}, 0.5), 25.0); // any order
    EXPECT_DOUBLE_EQ(quantile({}, 0.5), 0.0);
    EXPECT_DOUBLE_EQ(quantile({7}, 0.95), 7.0);
    // Where a nearest-rank chart once drew p95 of 21 values at index floor(0.95 · 20) = 19, the
    // tables print 0.95 · 20 = 19 exactly: the two now agree by construction.
    std::vector<double> v;
    for (int i = 0; i <= 20; ++i) v.push_back(i * 10.0);
    EXPECT_DOUBLE_EQ(quantile_sorted(v, 0.95), 190.0);
    EXPECT_DOUBLE_EQ(quantile_sorted(v, 0.05), 10.0);
}

TEST(CoreCalendar, CivilTimesFromSeconds) {
    EXPECT_EQ(civil_time_text(0), "1970-01-01 00:00:00");
    // 2026-03-14 02:00 Japan time = 2026-03-13 17:00 UTC = 1773421200 Unix seconds.
    EXPECT_EQ(civil_time_text(1773421200 + 9 * 3600), "2026-03-14 02:00:00");
    EXPECT_EQ(civil_time_text(1773421200 + 9 * 3600 + 59, false), "2026-03-14 02:00");
    // 2024-02-29 is a leap day: 19782 days after 1970-01-01.
    EXPECT_EQ(civil_time_text(19782LL * 86400 + 3661), "2024-02-29 01:01:01");
    EXPECT_EQ(civil_time_text(-1), "1969-12-31 23:59:59");
}

} // namespace
} // namespace sonae::core
