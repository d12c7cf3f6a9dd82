#include "report/plan_csv.hpp"
#include "tests/support/paths.hpp"
#include "tests/unit/report/pdf_tools.hpp"
#include "tests/unit/report/synthetic_plan.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

using namespace sonae;

TEST(PlanCsv, PersonalExcelFileWithBomCrlfAndOneRowPerChild) {
    test::TempDir dir;
    const auto plan = test::synthetic_plan();
    const auto path = dir / "plan_children.csv";
    report::write_plan_children_csv(plan, path);
    EXPECT_EQ(test::file_mode(path), 0600u);
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const auto text = ss.str();
    EXPECT_EQ(text.substr(0, 3), "\xEF\xBB\xBF");
    std::size_t crlf = 0;
    for (std::size_t at = text.find("\r\n"); at != std::string::npos;
         at = text.find("\r\n", at + 2))
        ++crlf;
    EXPECT_EQ(crlf, plan.children.size() + 1);
    EXPECT_NE(text.find("児童ID"), std::string::npos);
    EXPECT_NE(text.find("SYN-WAKI-01"), std::string::npos);
    EXPECT_NE(text.find("和木町"), std::string::npos);
    EXPECT_NE(text.find("対応できない"), std::string::npos);
    const auto rows = report::plan_children_rows(plan);
    ASSERT_EQ(rows.size(), plan.children.size() + 1);
    EXPECT_EQ(rows[1][1], "") << "no names without --with-names";
}
