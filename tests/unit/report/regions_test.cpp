// report/regions.hpp is a view of planner/municipality.hpp's table, not a copy.
#include "planner/municipality.hpp"
#include "report/regions.hpp"

#include <gtest/gtest.h>

using namespace sonae;

TEST(Regions, AreTheViewOfThePlannerTable) {
    const auto& table = planner::yamaguchi_municipalities();
    ASSERT_EQ(report::municipalities().size(), table.all().size());
    ASSERT_EQ(report::municipalities().size(), 19u);
    for (const auto& m : table.all()) {
        const auto* r = report::find_municipality(m.code);
        ASSERT_NE(r, nullptr) << m.code;
        EXPECT_EQ(r->name_ja, m.name_ja);
        EXPECT_EQ(r->region, m.centre == planner::SupportRegion::east ? report::Region::east
                                                                      : report::Region::west);
        EXPECT_EQ(r->coordinator_offices.size(), m.coordinator_offices.size());
        EXPECT_EQ(report::find_municipality(m.code5), r) << "5-digit code";
    }
    EXPECT_EQ(report::region_of("352021"), report::Region::west); // 宇部市
    EXPECT_EQ(report::region_of("352152"), report::Region::east); // 周南市
    EXPECT_EQ(report::region_of("131016"), report::Region::unknown);
    EXPECT_EQ(report::municipality_name("352110"), "長門市");
    EXPECT_EQ(report::municipality_name("999999"), "市町コード 999999");
    const auto& west = report::support_centre(report::Region::west);
    EXPECT_EQ(west.name, table.centre(planner::SupportRegion::west)->name_ja);
    EXPECT_EQ(west.tel, "083-252-6041");
    EXPECT_FALSE(west.hours.empty());
    EXPECT_TRUE(report::support_centre(report::Region::unknown).name.empty());
}
