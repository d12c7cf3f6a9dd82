#include "report/plan_csv.hpp"
#include "tests/support/paths.hpp"
#include "tests/unit/report/pdf_tools.hpp"
#include "tests/unit/report/synthetic_plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
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

TEST(PlanCsv, LifeSupportHoursOnlyForAChildWhoseLifeDependsOnPower) {
    // Issue 18 item 1: each hour is what its header says. A ventilated child: 6 h on the
    // device's own batteries, 30 h with every source in order; a child with no device: the
    // model's 336 h cap is not a life-support time, the cell is empty.
    auto plan = test::synthetic_plan();
    plan.children.resize(2);
    plan.children[0].power.device_battery_h = 6.0;
    plan.children[0].power.endurance_h = 30.0;
    plan.children[0].power.oxygen = false;
    plan.children[1].power = planner::ChildPower{};
    plan.children[1].power.endurance_h = 336.0;
    const auto rows = report::plan_children_rows(plan);
    const auto& header = rows[0];
    const auto column = [&](std::string_view name) {
        const auto it = std::find(header.begin(), header.end(), name);
        EXPECT_NE(it, header.end()) << name;
        return static_cast<std::size_t>(it - header.begin());
    };
    const std::size_t battery = column("機器のバッテリーだけで呼吸器・輸液（時間）");
    const std::size_t total = column("全電源を順に使って生命維持（時間）");
    const std::size_t cylinders = column("酸素ボンベだけで（時間）");
    EXPECT_EQ(rows[1][battery], "6.0");
    EXPECT_EQ(rows[1][total], "30.0");
    EXPECT_EQ(rows[1][cylinders], "");
    EXPECT_EQ(rows[2][battery], "");
    EXPECT_EQ(rows[2][total], "");
    EXPECT_EQ(rows[2][cylinders], "");

    // Each source alone: a 700 Wh station 2.6 h; a car socket that cannot run the concentrator
    // beside the ventilator keeps no life support going (0.0, not its 24 h); no generator.
    plan.children[0].power.backup_sources = {{"power_station", 2.5618, true, 0, 0, "", {}},
                                             {"car_socket", 24.0, false, 0, 0, "", {"o2conc"}}};
    plan.children[1].power.backup_sources = {{"car_socket", 24.0, true, 0, 0, "", {}}};
    const auto with_sources = report::plan_children_rows(plan);
    const std::size_t station = column("ポータブル電源だけで生命維持（時間）");
    const std::size_t car = column("車だけで生命維持（時間）");
    const std::size_t generator = column("発電機だけで生命維持（時間）");
    EXPECT_EQ(with_sources[1][station], "2.6");
    EXPECT_EQ(with_sources[1][car], "0.0");
    EXPECT_EQ(with_sources[1][generator], "");
    EXPECT_EQ(with_sources[2][car], "") << "no life support to keep going";
    // A car socket that leaves out only the suction: its hours.
    plan.children[0].power.backup_sources[1].left_out = {"suction"};
    EXPECT_EQ(report::plan_children_rows(plan)[1][car], "24.0");
}
