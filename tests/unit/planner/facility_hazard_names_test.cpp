// Regression: the GSI name of the landslide hazard, 崖崩れ、土石流及び地滑り, contains the list
// separator '、'; a facilities table using it was rejected as "unknown hazard '崖崩れ'".

#include "planner/csv.hpp"
#include "planner/facility.hpp"

#include <gtest/gtest.h>

using namespace sonae::planner;

TEST(FacilityHazardNames, GsiLandslideNameWithIdeographicCommaIsOneHazard) {
    const std::string csv =
        "施設ID,施設名,種別,経度,緯度,対応災害\n"
        "WS-1,福祉避難所（想定）,welfare_shelter,131.27,33.98,洪水;崖崩れ、土石流及び地滑り;地震\n";
    const auto table = table_from_csv(parse_csv(csv, "facilities.csv"), facility_columns());
    const auto result = load_facility_table(table);
    for (const auto& d : result.diagnostics) {
        EXPECT_NE(d.severity, sonae::Diagnostic::Severity::error) << d.str();
    }
    ASSERT_EQ(result.facilities.size(), 1u);
    const auto& f = result.facilities[0];
    EXPECT_TRUE(f.safe_for.has(Hazard::flood));
    EXPECT_TRUE(f.safe_for.has(Hazard::landslide));
    EXPECT_TRUE(f.safe_for.has(Hazard::earthquake));
    EXPECT_FALSE(f.safe_for.has(Hazard::tsunami));
}
