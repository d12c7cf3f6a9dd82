// Quality bar of issue 5 on the real Solomon data: all 28 instances at 1 CPU second each,
// every solution feasible (independent checker) and a mean gap of at most 2 % to the
// published optima. About 30 s of CPU: labelled slow.
#include "planner/solomon.hpp"
#include "planner/vrp.hpp"
#include "planner/vrp_check.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

namespace solomon = sonae::planner::solomon;
namespace vrp = sonae::planner::vrp;

TEST(SolomonQuality, AllInstancesFeasibleAndMeanGapWithinTwoPercentAtOneSecond) {
    const auto folder = sonae::test::test_data("solomon-vrptw");
    const auto references = solomon::read_reference_costs(folder / "reference_costs.csv");
    double gap_sum = 0.0;
    int count = 0;
    for (const auto& [name, reference] : references) {
        const solomon::Instance instance = solomon::read_instance(folder / (name + ".txt"));
        const vrp::Problem problem = solomon::to_problem(instance);
        vrp::Options options;
        options.seed = 1;
        options.time_limit_s = 1.0;
        options.cpu_time = true;
        const vrp::Solution solution = vrp::solve(problem, options);
        vrp::CheckOptions check_options;
        check_options.require_all_served = true;
        const vrp::CheckReport report = vrp::check(problem, solution, check_options);
        EXPECT_TRUE(report.feasible()) << name << ": " << report.violations.front();
        EXPECT_LE(solution.routes.size(), 25u) << name;
        const double gap =
            100.0 * (static_cast<double>(report.travel_cost) / 10.0 - reference) / reference;
        EXPECT_GE(gap, -1e-9) << name << " beats the published optimum: checker or reader bug";
        EXPECT_LT(gap, 5.0) << name;
        gap_sum += gap;
        ++count;
    }
    ASSERT_EQ(count, 28);
    EXPECT_LE(gap_sum / count, 2.0);
}
