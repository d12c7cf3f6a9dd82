// Regression (found by fuzz/solomon): a solution file of vertical tabs and spaces made
// read_solution index an empty field list; it must be refused (or read as empty) cleanly.

#include "core/error.hpp"
#include "planner/solomon.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <fstream>

TEST(SolomonFuzzRegression, VerticalTabsAreWhiteSpaceNotAnEmptyLine) {
    const auto crash = sonae::test::source_path(
        "fuzz/regressions/solomon-crash-0be11ee58c55717d40c73d4a37b9a3d02ee330ae");
    ASSERT_TRUE(std::filesystem::exists(crash));
    sonae::test::TempDir dir;
    const auto path = dir / "crash.sol";
    std::filesystem::copy_file(crash, path);
    try {
        const auto file = sonae::planner::solomon::read_solution(path);
        EXPECT_TRUE(file.routes.empty());
    } catch (const sonae::InputError&) {
        SUCCEED(); // a clear refusal is fine too
    }
}
