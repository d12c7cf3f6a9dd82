// Drills (issue 21): the drill file format (timeline and recorded results), its checks
// against the plan, and the after-action review.

#include "core/error.hpp"
#include "planner/csv.hpp"
#include "planner/planner.hpp"
#include "sim/drill.hpp"
#include "sim/simulate.hpp"
#include "tests/support/ascii_network.hpp"
#include "tests/support/paths.hpp"
#include "tests/support/plan_fixtures.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>

using namespace sonae;
using namespace sonae::planner;

namespace {

// Expects an InputError whose message and location mention these.
template <typename F>
void expect_error(F&& f, const std::string& file, std::int64_t line, const std::string& field,
                  const std::string& value, const std::string& words) {
    try {
        f();
        FAIL() << "no error (expected: " << words << ")";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where().file, file) << e.what();
        EXPECT_EQ(e.where().line, line) << e.what();
        EXPECT_EQ(e.where().field, field) << e.what();
        EXPECT_EQ(e.where().value, value) << e.what();
        EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
    }
}

void expect_parse_error(const std::string& csv, std::int64_t line, const std::string& field,
                        const std::string& value, const std::string& words) {
    expect_error([&] { (void)sim::parse_drill_file(csv, "drill.csv"); }, "drill.csv", line, field,
                 value, words);
}

/// A plan with one child, written by hand: the hazard reaches the home at 150 min, mains
/// power is lost at 90 min and the devices last 2 h on batteries (arrive_by written as 210 min),
/// planned departure 100 min, arrival 149 min.
Plan hand_plan() {
    Plan plan;
    plan.scenario_name = "hand";
    plan.hazard_kind = "landslide";
    plan.horizon_h = 72;
    plan.t0_label = "警戒レベル3";
    ChildPlan c;
    c.child_id = "K4";
    c.hazard_at_home_s = 150 * 60;
    c.mains_lost_s = 90 * 60;
    c.power.endurance_h = 2.0;
    c.power.load_avg_w = 60;
    c.earliest_departure_s = 40 * 60;
    c.planned_departure_s = 100 * 60;
    c.arrival_s = 149 * 60;
    c.leave_by_s = 150 * 60;
    c.arrive_by_s = 210 * 60;
    c.status = Feasibility::at_risk;
    plan.children.push_back(c);
    ChildPlan d = c;
    d.child_id = "K1";
    d.hazard_at_home_s = -1;
    d.arrival_s = 60 * 60;
    d.planned_departure_s = 40 * 60;
    d.leave_by_s = -1;
    d.arrive_by_s = 200 * 60;
    d.status = Feasibility::on_time;
    plan.children.push_back(d);
    std::sort(plan.children.begin(), plan.children.end(),
              [](const ChildPlan& a, const ChildPlan& b) { return a.child_id < b.child_id; });
    return plan;
}

const std::string kHeader = "児童ID,段階,計画,記録時刻,電池残量,忘れ物,支援者数,障壁,連絡,備考\n";

// The review of a recorded drill (its file's text), checked against the plan first; the
// decision 10 min after the alert.
sim::DrillReview review_of(const Plan& plan, const std::string& recorded) {
    auto d = sim::parse_drill_file(recorded, "rec.csv");
    sim::check_drill(d, plan, nullptr);
    return sim::drill_review(plan, 10.0, nullptr, d);
}

} // namespace

TEST(DrillTime, ClockTimesJapaneseClockTimesAndMinutes) {
    auto clock = [](const char* s) { return sim::parse_drill_time(s).value().clock_min.value(); };
    auto minutes = [](const char* s) { return sim::parse_drill_time(s).value().minutes.value(); };
    EXPECT_DOUBLE_EQ(clock("10:12"), 612);     // 10 x 60 + 12
    EXPECT_DOUBLE_EQ(clock("9:05:30"), 545.5); // 9 x 60 + 5 + 30/60
    EXPECT_DOUBLE_EQ(clock("10時12分"), 612);
    EXPECT_DOUBLE_EQ(clock("１０：１２"), 612); // full-width digits and colon
    EXPECT_DOUBLE_EQ(clock("午後1時5分"), 785); // 13 x 60 + 5
    EXPECT_DOUBLE_EQ(clock("10時半"), 630);
    EXPECT_DOUBLE_EQ(clock("10時"), 600);
    EXPECT_DOUBLE_EQ(minutes("12"), 12);
    EXPECT_DOUBLE_EQ(minutes("12.5分"), 12.5);
    EXPECT_DOUBLE_EQ(minutes("４５分"), 45);
    for (const char* bad : {"", "abc", "25:00", "10:5", "10時70分", "午後13時", "十分"}) {
        EXPECT_FALSE(sim::parse_drill_time(bad).has_value()) << bad;
    }
    EXPECT_EQ(sim::format_clock(612), "10:12");
    EXPECT_EQ(sim::format_clock(1440 + 5), "0:05");
}

TEST(DrillTime, Dates) {
    EXPECT_EQ(sim::parse_drill_date("2026-03-14").value(), "2026-03-14");
    EXPECT_EQ(sim::parse_drill_date("2026/3/14").value(), "2026-03-14");
    EXPECT_EQ(sim::parse_drill_date("2026年3月14日").value(), "2026-03-14");
    EXPECT_EQ(sim::parse_drill_date("令和8年3月14日").value(), "2026-03-14"); // 令和1 = 2019
    EXPECT_EQ(sim::parse_drill_date("2026/03/14 00:00:00").value(), "2026-03-14");
    EXPECT_FALSE(sim::parse_drill_date("3月14日").has_value());
    EXPECT_FALSE(sim::parse_drill_date("2026-13-01").has_value());
    // Days the month does not have: February 30, April 31, February 29 of 2026 (not a leap
    // year; 2028 is).
    EXPECT_FALSE(sim::parse_drill_date("2026-02-30").has_value());
    EXPECT_FALSE(sim::parse_drill_date("2026年4月31日").has_value());
    EXPECT_FALSE(sim::parse_drill_date("2026/2/29").has_value());
    EXPECT_EQ(sim::parse_drill_date("2028/2/29").value(), "2028-02-29");
}

TEST(DrillFile, MetadataAndClockTimesBecomeMinutesAfterT0) {
    const auto d = sim::parse_drill_file(
        "\xEF\xBB\xBF訓練名,下松の訓練\n訓練日,令和8年3月14日\n開始時刻,9:30\n参加児童,K4;K1\n" +
            kHeader +
            "K4,到着,,12:10,40%,吸引カテーテル,3人,玄関の段差,メーカーに電話,\n"
            "K4,出発,,11:05,,,,,,\n"
            ",福祉避難所の開設,90,11:10,,,,,,職員2名\n",
        "rec.csv");
    EXPECT_EQ(d.title, "下松の訓練");
    EXPECT_EQ(d.date, "2026-03-14");
    ASSERT_TRUE(d.t0_clock_min.has_value());
    EXPECT_DOUBLE_EQ(*d.t0_clock_min, 570);
    EXPECT_EQ(d.participants, (std::vector<std::string>{"K1", "K4"}));
    EXPECT_EQ(d.participants_line, 4);
    ASSERT_EQ(d.entries.size(), 3u);
    // Drill-wide rows first, then the child's rows by step.
    EXPECT_EQ(d.entries[0].step_name, "福祉避難所の開設");
    EXPECT_DOUBLE_EQ(*d.entries[0].planned_min, 90);
    EXPECT_DOUBLE_EQ(*d.entries[0].recorded_min, 100); // 11:10 - 9:30
    const auto* arrived = d.find("K4", sim::DrillStep::arrived);
    ASSERT_NE(arrived, nullptr);
    EXPECT_DOUBLE_EQ(*arrived->recorded_min, 160); // 12:10 - 9:30
    EXPECT_EQ(arrived->line, 6);
    EXPECT_DOUBLE_EQ(*arrived->observed.battery_pct, 40);
    EXPECT_EQ(*arrived->observed.helpers, 3);
    EXPECT_EQ(arrived->observed.forgotten, "吸引カテーテル");
    EXPECT_EQ(arrived->observed.barriers, "玄関の段差");
    EXPECT_EQ(arrived->observed.contacts, "メーカーに電話");
    EXPECT_DOUBLE_EQ(*d.find("K4", sim::DrillStep::departed)->recorded_min, 95);
}

TEST(DrillFile, TheOlderMinutesFormatStillReads) {
    const auto en = sim::parse_drill_file(
        "child_id,step,minutes\nP,decision,12\nP,alert,0\nQ,arrived,40.5\n", "a.csv");
    ASSERT_EQ(en.entries.size(), 3u);
    EXPECT_EQ(en.entries[0].child_id, "P");
    EXPECT_EQ(en.entries[0].step, sim::DrillStep::alert); // sorted by child, then step
    EXPECT_DOUBLE_EQ(*en.entries[1].recorded_min, 12.0);
    EXPECT_EQ(en.entries[1].line, 2);
    const auto ja = sim::parse_drill_file(
        "\xEF\xBB\xBF児童ID,段階,経過時間(分)\nP,準備完了,30\nP,電源接続,95\n", "b.csv");
    ASSERT_EQ(ja.entries.size(), 2u);
    EXPECT_EQ(ja.entries[1].step, sim::DrillStep::power_connected);
    const auto ube =
        sim::read_drill_file(test::source_path("scenarios/ube-flood/data/drill_times.csv"));
    EXPECT_EQ(ube.entries.size(), 15u);
}

TEST(DrillFile, Cp932AndUtf8GiveTheSameDrill) {
    const std::string utf8 =
        "訓練日,2026年3月14日\n開始時刻,９時３０分\n" + kHeader +
        "K4,準備完了,,10時25分,80,酸素ボンベのレギュレーター,2,,,\nK4,到着,,12:10,,,,,,\n";
    const auto sjis = planner::encode_from_utf8(utf8, planner::TextEncoding::cp932);
    ASSERT_NE(sjis, utf8);
    const auto a = sim::parse_drill_file(utf8, "x.csv");
    const auto b = sim::parse_drill_file(sjis, "x.csv");
    ASSERT_EQ(a.entries.size(), 2u);
    ASSERT_EQ(b.entries.size(), 2u);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(a.entries[i].step, b.entries[i].step);
        EXPECT_EQ(a.entries[i].recorded_min, b.entries[i].recorded_min);
        EXPECT_EQ(a.entries[i].observed.forgotten, b.entries[i].observed.forgotten);
    }
    EXPECT_DOUBLE_EQ(*b.entries[0].recorded_min, 55); // 10:25 - 9:30
    EXPECT_EQ(b.date, "2026-03-14");
}

TEST(DrillFile, BadInputNamesFileLineFieldAndValue) {
    expect_parse_error(kHeader + "K4,lunch,,5,,,,,,\n", 2, "段階", "lunch", "unknown step");
    expect_parse_error(kHeader + "K4,出発,,5,,,,,,\nK4,departed,,6,,,,,,\n", 3, "段階", "departed",
                       "two values for one step");
    expect_parse_error(kHeader + "K4,出発,,abc,,,,,,\n", 2, "記録時刻", "abc",
                       "neither a clock time");
    expect_parse_error(kHeader + "K4,出発,,10:12,,,,,,\n", 2, "記録時刻", "10:12", "start time");
    expect_parse_error("開始時刻,9:30\n" + kHeader + "K4,出発,,9:10,,,,,,\n", 3, "記録時刻", "9:10",
                       "before t0");
    expect_parse_error(kHeader + "K4,出発,,-3,,,,,,\n", 2, "記録時刻", "-3", "before t0");
    expect_parse_error(kHeader + "K4,出発,,5,120%,,,,,\n", 2, "電池残量", "120%", "percentage");
    expect_parse_error("訓練日,3月14日\n" + kHeader, 1, "訓練日", "3月14日", "not a date");
    expect_parse_error(kHeader + ",停電,90,,,,,,,\n,停電,91,,,,,,,\n", 3, "段階", "停電", "twice");
    expect_parse_error("a,b\n1,2\n", 1, "", "", "no header row");
}

TEST(DrillFile, OneFilePerChildMergesAndTwoValuesForOneStepIsAnError) {
    auto a =
        sim::parse_drill_file("開始時刻,9:30\n" + kHeader + "K4,出発,,11:05,,,,,,\n", "k4.csv");
    auto b =
        sim::parse_drill_file("開始時刻,10:00\n" + kHeader + "K1,出発,,10:40,,,,,,\n", "k1.csv");
    const auto merged = sim::merge_drill_files({a, b});
    EXPECT_EQ(merged.children(), (std::vector<std::string>{"K1", "K4"}));
    // Each file's clock times count from its own start time.
    EXPECT_DOUBLE_EQ(*merged.find("K1", sim::DrillStep::departed)->recorded_min, 40);
    EXPECT_DOUBLE_EQ(*merged.find("K4", sim::DrillStep::departed)->recorded_min, 95);
    ASSERT_FALSE(merged.warnings.empty()); // the two start times differ
    auto c = sim::parse_drill_file(kHeader + "\nK4,departed,,96,,,,,,\n", "again.csv");
    expect_error(
        [&] {
            (void)sim::merge_drill_files({a, c});
        },
        "again.csv", 3, "段階", "departed", "two values for one step");
}

TEST(DrillCheck, ChildNotInPlanTimeAfterHorizonAndUnknownDrillWideStep) {
    const auto plan = hand_plan();
    const auto timeline =
        sim::parse_drill_file("児童ID,段階,計画,担当\n,停電の想定,90,市\n", "timeline.csv");
    auto check = [&](const std::string& csv) {
        auto d = sim::parse_drill_file(csv, "rec.csv");
        sim::check_drill(d, plan, &timeline);
        return d;
    };
    expect_error([&] { (void)check(kHeader + "K9,出発,,5,,,,,,\n"); }, "rec.csv", 2, "児童ID", "K9",
                 "not in the plan");
    // 72 h horizon = 4320 min; 4321 is after it.
    expect_error([&] { (void)check(kHeader + "K4,出発,,4321,,,,,,\n"); }, "rec.csv", 2, "記録時刻",
                 "4321", "horizon");
    expect_error([&] { (void)check(kHeader + ",昼食,,60,,,,,,\n"); }, "rec.csv", 2, "段階", "昼食",
                 "not in the scenario's timeline");
    expect_error([&] { (void)check("参加児童,K4;K77\n" + kHeader); }, "rec.csv", 1, "participants",
                 "K77", "participant");
    // Warnings: a participant without rows, steps out of order.
    const auto d = check("参加児童,K1;K4\n" + kHeader + "K4,出発,,120,,,,,,\nK4,到着,,110,,,,,,\n");
    ASSERT_EQ(d.warnings.size(), 2u);
    EXPECT_NE(d.warnings[0].find("K1"), std::string::npos);
    EXPECT_NE(d.warnings[1].find("到着"), std::string::npos);
}

TEST(DrillReview, ArrivalAfterTheSlideIsFlaggedInRedAndLongPackingBecomesAChange) {
    const auto plan = hand_plan();
    // K4: alert 0, decision 10, packed 55 (45 min of packing; the plan allowed 40 - 10 = 30),
    // left at 130, arrived at 160: the slope behind the home slides at 150, so the arrival is
    // 10 min after it (danger); arrival 160 is before the batteries run out at 90 + 120 = 210.
    // K1: on time (arrived 58, planned 60; its home is never reached by the hazard).
    const auto review = review_of(
        plan, kHeader +
                  "K4,警報,,0,,,,,,\nK4,避難決定,,10,,,,,,\nK4,準備完了,,55,,吸引器の充電器,,,,\n"
                  "K4,出発,,130,,,,,,\nK4,到着,,160,35,,4,エレベーター停止,主治医,\n"
                  "K1,出発,,38,,,,,,\nK1,到着,,58,,,,,,\n");
    EXPECT_EQ(review.participants, (std::vector<std::string>{"K1", "K4"}));
    ASSERT_EQ(review.rows.size(), 2 * sim::kDrillSteps);
    ASSERT_FALSE(review.flags.empty());
    const auto& f = review.flags.front();
    EXPECT_EQ(f.child_id, "K4");
    EXPECT_EQ(f.severity, sim::DrillFlag::Severity::danger);
    EXPECT_EQ(f.what, "arrived_after_hazard");
    EXPECT_DOUBLE_EQ(f.recorded_min, 160);
    EXPECT_DOUBLE_EQ(f.limit_min, 150);
    for (const auto& g : review.flags) {
        EXPECT_NE(g.child_id, "K1") << g.text;
        EXPECT_NE(g.what, "arrived_after_power") << g.text; // 160 < 210
    }
    // The review CSV marks the arrival row.
    const auto rows = sim::drill_review_rows(review);
    bool marked = false;
    for (const auto& r : rows) {
        if (r[0] == "K4" && r[1] == "到着") marked = r.back().find("危険") != std::string::npos;
    }
    EXPECT_TRUE(marked);
    // Packing: 55 - 10 = 45 recorded against 40 - 10 = 30 planned: more than 30 + max(5, 6).
    const auto change =
        std::find_if(review.changes.begin(), review.changes.end(), [](const sim::DrillChange& c) {
            return c.child_id == "K4" && c.field == "packing_min";
        });
    ASSERT_NE(change, review.changes.end());
    EXPECT_DOUBLE_EQ(change->recorded_min, 45);
    EXPECT_DOUBLE_EQ(*change->planned_min, 30);
    // Durations: departure 130 after packing 55 = 75 recorded; planned 100 - 40 = 60.
    for (const auto& r : review.rows) {
        if (r.child_id == "K4" && r.step == sim::DrillStep::departed) {
            EXPECT_DOUBLE_EQ(*r.actual_duration_min, 75);
            EXPECT_DOUBLE_EQ(*r.planned_duration_min, 60);
        }
    }
    // Observations are gathered.
    std::string all;
    for (const auto& o : review.observations) all += o + "\n";
    EXPECT_NE(all.find("吸引器の充電器"), std::string::npos);
    EXPECT_NE(all.find("エレベーター停止"), std::string::npos);
    EXPECT_NE(all.find("主治医"), std::string::npos);
    // Bottlenecks (durations from the previous recorded step, t0 = 0 when the alert is not
    // recorded):
    //   packing:   K4 (55-10) - (40-10) = +15                       -> median +15
    //   departure: K4 (130-55) - (100-40) = +15, K1 (38-0) - (40-0) = -2 -> median +6.5, max +15
    //   arrival:   K4 (160-130) - (149-100) = -19, K1 (58-38) - (60-40) = 0 -> never over: not
    //   listed
    ASSERT_EQ(review.bottlenecks.size(), 2u);
    EXPECT_EQ(review.bottlenecks[0].step, sim::DrillStep::packing_done);
    EXPECT_DOUBLE_EQ(review.bottlenecks[0].overrun_median_min, 15);
    EXPECT_EQ(review.bottlenecks[1].step, sim::DrillStep::departed);
    EXPECT_DOUBLE_EQ(review.bottlenecks[1].overrun_median_min, 6.5);
    EXPECT_EQ(review.bottlenecks[1].worst_child, "K4");
}

// A wait for the vehicle recorded as 搬出 (carried out: no planned figure) must not hide the
// wait from the bottlenecks. K4 (hand_plan: packing done 40, departure 100, arrival 149):
//   recorded: decision 10, packed 50, carried out 60, loaded 128, departed 130, arrived 160.
//   乗車 (loaded): the plan's figure is the departure, 100. Its duration runs from the previous
//   step with both a planned and a recorded time, 準備完了: planned 100 - 40 = 60, recorded
//   128 - 50 = 78 -> +18 (from 搬出 it would be 68 recorded against no planned figure, and the
//   step would drop out of the bottlenecks).
//   出発: 130 - 128 = 2 recorded, 100 - 100 = 0 planned -> +2.
//   到着: 160 - 130 = 30 recorded, 149 - 100 = 49 planned -> -19 (faster, not a bottleneck).
//   搬出 has no planned figure: recorded 60 - 50 = 10, no planned duration.
// K1 (planned departure 40, arrival 60; packing done 40): recorded packed 35, loaded 45 ->
//   乗車 45 - 35 = 10 recorded against 40 - 40 = 0 planned -> +10.
// 乗車 over both: overruns +18 (K4), +10 (K1): median +14, max +18 (K4): the first bottleneck.
TEST(DrillReview, AWaitRecordedAsCarriedOutStillCountsAgainstThePlannedWait) {
    const auto plan = hand_plan();
    const auto review = review_of(
        plan, kHeader + "K4,避難決定,,10,,,,,,\nK4,準備完了,,50,,,,,,\nK4,搬出,,60,,,,,,\n"
                        "K4,乗車,,128,,,,,,\nK4,出発,,130,,,,,,\nK4,到着,,160,,,,,,\n"
                        "K1,準備完了,,35,,,,,,\nK1,乗車,,45,,,,,,\n");
    auto row = [&](const std::string& id, sim::DrillStep st) {
        for (const auto& r : review.rows)
            if (r.child_id == id && r.step == st) return r;
        ADD_FAILURE() << id;
        return sim::DrillReviewRow{};
    };
    const auto carried = row("K4", sim::DrillStep::carried_out);
    EXPECT_DOUBLE_EQ(*carried.actual_duration_min, 10);
    EXPECT_FALSE(carried.planned_duration_min.has_value());
    const auto loaded = row("K4", sim::DrillStep::loaded);
    EXPECT_DOUBLE_EQ(*loaded.planned_duration_min, 60);
    EXPECT_DOUBLE_EQ(*loaded.actual_duration_min, 78);
    const auto departed = row("K4", sim::DrillStep::departed);
    EXPECT_DOUBLE_EQ(*departed.planned_duration_min, 0);
    EXPECT_DOUBLE_EQ(*departed.actual_duration_min, 2);
    EXPECT_DOUBLE_EQ(*row("K1", sim::DrillStep::loaded).actual_duration_min, 10);
    ASSERT_FALSE(review.bottlenecks.empty());
    const auto& b = review.bottlenecks.front();
    EXPECT_EQ(b.step, sim::DrillStep::loaded);
    EXPECT_EQ(b.children, 2);
    EXPECT_DOUBLE_EQ(b.overrun_median_min, 14);
    EXPECT_DOUBLE_EQ(b.overrun_max_min, 18);
    EXPECT_EQ(b.worst_child, "K4");
    for (const auto& x : review.bottlenecks) EXPECT_NE(x.step, sim::DrillStep::arrived);
}

// The kit's template comes back with a row for every participant and step; a participant
// whose rows were left blank is listed as a warning in the review (not a silent row of "—").
TEST(DrillCheck, AParticipantWithRowsButNoRecordedTimeIsAWarning) {
    const auto plan = hand_plan();
    auto d = sim::parse_drill_file("参加児童,K1;K4\n" + kHeader +
                                       "K1,警報,0,,,,,,,\nK1,到着,60,,,,,,,\n"
                                       "K4,警報,0,0,,,,,,\nK4,到着,149,160,,,,,,\n",
                                   "filled.csv");
    sim::check_drill(d, plan, nullptr);
    ASSERT_EQ(d.warnings.size(), 1u);
    EXPECT_EQ(d.warnings[0], "K1: 行はありますが記録時刻がひとつもありません");
    const auto review = sim::drill_review(plan, 10.0, nullptr, d);
    EXPECT_EQ(review.warnings, d.warnings);
}

// The other two red flags (hand_plan): K1's devices must be on shelter power by arrive_by =
// 200 min (mains lost at 90 + the batteries, less the safety margin, as written in the plan);
// recorded arrival 195 and power connected 215: on power 15 min after the deadline (the
// connection, not the arrival, is what counts when it is recorded). K4 leaves home at 155,
// 5 min after the slide reaches it (leave_by 150), and arrives at 170: both in red.
TEST(DrillReview, OnPowerAfterTheBatteriesAndLeavingAfterTheSlideAreRed) {
    const auto plan = hand_plan();
    auto d = sim::parse_drill_file(kHeader + "K1,出発,,180,,,,,,\nK1,到着,,195,,,,,,\n"
                                             "K1,電源接続,,215,,,,,,\n"
                                             "K4,出発,,155,,,,,,\nK4,到着,,170,,,,,,\n",
                                   "rec.csv");
    sim::check_drill(d, plan, nullptr);
    const auto review = sim::drill_review(plan, 10.0, nullptr, d);
    auto flag = [&](const std::string& id, const std::string& what) -> const sim::DrillFlag* {
        for (const auto& f : review.flags)
            if (f.child_id == id && f.what == what) return &f;
        return nullptr;
    };
    const auto* power = flag("K1", "arrived_after_power");
    ASSERT_NE(power, nullptr);
    EXPECT_EQ(power->severity, sim::DrillFlag::Severity::danger);
    EXPECT_DOUBLE_EQ(power->recorded_min, 215);
    EXPECT_DOUBLE_EQ(power->limit_min, 200);
    EXPECT_NE(power->text.find("電源接続"), std::string::npos) << power->text;
    EXPECT_EQ(flag("K1", "arrived_after_hazard"), nullptr); // K1's home is never reached
    const auto* left = flag("K4", "left_after_hazard");
    ASSERT_NE(left, nullptr);
    EXPECT_DOUBLE_EQ(left->recorded_min, 155);
    EXPECT_DOUBLE_EQ(left->limit_min, 150);
    ASSERT_NE(flag("K4", "arrived_after_hazard"), nullptr);
    EXPECT_EQ(flag("K4", "arrived_after_power"), nullptr); // 170 < 210
    for (const auto& f : review.flags) EXPECT_EQ(f.severity, sim::DrillFlag::Severity::danger);

    // K1 rode with the vehicle's outlet (plan on_power = departure, 40 min): its planned
    // connection at the shelter is the arrival 60 + transfer 5 + connection 10 = 75 min, and the
    // recorded 215 - 195 = 20 min from arrival overruns the planned 75 - 60 = 15 by 5.
    auto powered = plan;
    auto& k1 = powered.children[0];
    ASSERT_EQ(k1.child_id, "K1");
    k1.on_power_s = 40 * 60;
    k1.steps.transfer_s = 5 * 60;
    k1.steps.connection_s = 10 * 60;
    EXPECT_EQ(sim::planned_minutes(k1, sim::DrillStep::power_connected, 10.0),
              std::optional<double>(75.0));
    const auto r2 = sim::drill_review(powered, 10.0, nullptr, d);
    for (const auto& r : r2.rows) {
        if (r.child_id == "K1" && r.step == sim::DrillStep::power_connected) {
            EXPECT_DOUBLE_EQ(*r.planned_duration_min, 15);
            EXPECT_DOUBLE_EQ(*r.actual_duration_min, 20);
        }
    }
}

// Arrival to power (registry connect_min) leaves out a wait for the shelter to open that the
// plan itself has. K1 (hand_plan) arrives at 60; its shelter opens at 80, so the plan has it on
// power at 80 + transfer 5 + connection 10 = 95 (a planned wait of 95 - 60 - 15 = 20 min).
// Recorded: arrived 60, powered 97: 37 min, of which 20 were the planned wait: 17 against the
// planned 15, within 15 + max(5, 3): no change. Powered at 110 instead: 50 - 20 = 30 > 20:
// suggested as 30 (not 50).
TEST(DrillReview, ConnectionTimeLeavesOutThePlannedWaitForTheShelterToOpen) {
    auto plan = hand_plan();
    auto& k1 = plan.children[0];
    ASSERT_EQ(k1.child_id, "K1");
    k1.steps.transfer_s = 5 * 60;
    k1.steps.connection_s = 10 * 60;
    k1.on_power_s = 95 * 60;
    auto review_with = [&](const std::string& powered) {
        return review_of(plan, kHeader + "K1,到着,,60,,,,,,\nK1,電源接続,," + powered + ",,,,,,\n");
    };
    auto connect_change = [](const sim::DrillReview& r) -> const sim::DrillChange* {
        for (const auto& c : r.changes)
            if (c.child_id == "K1" && c.field == "connect_min") return &c;
        return nullptr;
    };
    const auto on_time = review_with("97");
    EXPECT_EQ(connect_change(on_time), nullptr);
    const auto slow = review_with("110");
    const auto* c = connect_change(slow);
    ASSERT_NE(c, nullptr);
    EXPECT_DOUBLE_EQ(c->recorded_min, 30);
    EXPECT_DOUBLE_EQ(*c->planned_min, 15);
    EXPECT_NE(c->text.find("開設待ち 20.0分"), std::string::npos) << c->text;
}

TEST(DrillReview, PlannedSimulatedAndActualOnAHandDrawnRoad) {
    const auto t = test::ascii_network("A-----B", {.grid_m = 200});
    LoadedScenario s;
    s.manifest.name = "drill";
    s.manifest.hazard_kind = "drill";
    s.manifest.options.decision_min = 0;
    s.network = t.net;
    s.catalogue = default_device_catalogue();
    s.registry = Registry({test::family_child("P", t.net.lonlat(t.node('A')))});
    s.facilities = {test::powered_shelter("X", t.net.lonlat(t.node('B')))};
    const auto plan = make_plan(s);
    ASSERT_EQ(plan.children.size(), 1u);
    ASSERT_GE(plan.children[0].arrival_s, 0);

    sim::SimOptions o;
    o.decision_sigma = o.packing_sigma = o.speed_sigma = 0;
    o.connect_min_low = o.connect_min_high = 10;
    o.runs = 4;
    o.threads = 1;
    const sim::Simulator simulator(s, plan, o);
    const auto mc = simulator.monte_carlo();
    const auto one = simulator.run(1);

    auto drill = sim::parse_drill_file(
        "child_id,step,minutes\nP,decision,3\nP,packing_done,25\nP,departed,30\nP,arrived,34\n",
        "d.csv");
    sim::check_drill(drill, plan, nullptr);
    const auto review = sim::drill_review(plan, 0.0, &mc, drill);
    ASSERT_EQ(review.rows.size(), sim::kDrillSteps);

    auto row = [&](sim::DrillStep st) {
        for (const auto& r : review.rows) {
            if (r.step == st) return r;
        }
        ADD_FAILURE();
        return sim::DrillReviewRow{};
    };
    const auto& cp = plan.children[0];
    EXPECT_DOUBLE_EQ(*row(sim::DrillStep::alert).planned_min, 0.0);
    EXPECT_DOUBLE_EQ(*row(sim::DrillStep::packing_done).planned_min,
                     cp.earliest_departure_s / 60.0);
    EXPECT_DOUBLE_EQ(*row(sim::DrillStep::departed).planned_min, cp.planned_departure_s / 60.0);
    EXPECT_DOUBLE_EQ(*row(sim::DrillStep::arrived).planned_min, cp.arrival_s / 60.0);
    EXPECT_FALSE(row(sim::DrillStep::carried_out).planned_min.has_value());
    // On the shelter's power: the plan's on_power, after the arrival (transfer + connection).
    ASSERT_GE(cp.on_power_s, cp.arrival_s);
    EXPECT_DOUBLE_EQ(*row(sim::DrillStep::power_connected).planned_min, cp.on_power_s / 60.0);
    // Simulated p50s equal the single deterministic run (no spread).
    EXPECT_DOUBLE_EQ(*row(sim::DrillStep::decision).simulated_p50_min,
                     one.children[0].decision_s / 60.0);
    EXPECT_DOUBLE_EQ(*row(sim::DrillStep::packing_done).simulated_p50_min,
                     one.children[0].ready_s / 60.0);
    EXPECT_DOUBLE_EQ(*row(sim::DrillStep::arrived).simulated_p50_min,
                     one.children[0].arrival_s / 60.0);
    EXPECT_DOUBLE_EQ(*row(sim::DrillStep::power_connected).simulated_p50_min,
                     one.children[0].powered_s / 60.0);
    EXPECT_DOUBLE_EQ(*row(sim::DrillStep::arrived).actual_min, 34.0);
    EXPECT_FALSE(row(sim::DrillStep::loaded).actual_min.has_value());
    EXPECT_TRUE(review.flags.empty());

    // CSV: differences, BOM and mode 0600.
    const auto rows = sim::drill_review_rows(review);
    ASSERT_EQ(rows.size(), 1 + sim::kDrillSteps);
    const auto& arrived = rows[1 + static_cast<std::size_t>(sim::DrillStep::arrived)];
    EXPECT_EQ(arrived[1], "到着");
    EXPECT_EQ(arrived[5], "34.0");
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", 34.0 - cp.arrival_s / 60.0);
    EXPECT_EQ(arrived[7], buf);
    test::TempDir dir;
    const auto path = dir.path() / "drill_review.csv";
    sim::write_drill_review(path, review);
    std::ifstream in(path, std::ios::binary);
    std::string head(3, '\0');
    in.read(head.data(), 3);
    EXPECT_EQ(head, "\xEF\xBB\xBF");
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600);
}

// Two drills of one scenario side by side (sonae drill compare). The first drill starts at 9:30,
// the second at 10:00; times count from each drill's t0. K4 (minutes after t0):
//   step      2026  2027   duration 2026 / 2027 (since the previous step recorded in both)
//   警報         0     0   —  (the first step in both)
//   避難決定    10    10   10 / 10   -> ±0: 変わらない
//   準備完了    60    48   50 / 38   -> -12: 速くなった
//   搬出        95     —   only 2026: not compared, folded into 出発
//   出発       105    60   105-60 = 45 / 60-48 = 12 -> -33: 速くなった
//   到着       160   120   55 / 60   -> +5: 遅くなった
// The drill-wide step 福祉避難所の開設: 38 (10:08) and 30 (10:30) -> -8.
// K1 took part only in 2026, K2 only in 2027.
TEST(DrillCompare, StepsFasterSlowerAndTheSamePerChildWithHandComputedDurations) {
    const auto a = sim::parse_drill_file(
        "シナリオ,hand\n訓練日,2026-03-14\n開始時刻,9:30\n" + kHeader +
            ",福祉避難所の開設,,10:08,,,,,,\nK4,警報,,9:30,,,,,,\nK4,避難決定,,9:40,,,,,,\n"
            "K4,準備完了,,10:30,,,,,,\nK4,搬出,,11:05,,,,,,\nK4,出発,,11:15,,,,,,\n"
            "K4,到着,,12:10,,,,,,\nK1,出発,,10:10,,,,,,\n",
        "2026.csv");
    const auto b = sim::parse_drill_file(
        "シナリオ,hand\n訓練日,2027-03-13\n開始時刻,10:00\n" + kHeader +
            ",福祉避難所の開設,,10:30,,,,,,\nK4,警報,,10:00,,,,,,\nK4,避難決定,,10:10,,,,,,\n"
            "K4,準備完了,,10:48,,,,,,\nK4,出発,,11:00,,,,,,\nK4,到着,,12:00,,,,,,\n"
            "K2,出発,,10:30,,,,,,\n",
        "2027.csv");
    const auto c = sim::compare_drills(a, b);
    EXPECT_EQ(c.scenario, "hand");
    EXPECT_EQ(c.children, (std::vector<std::string>{"K4"}));
    EXPECT_EQ(c.only_before, (std::vector<std::string>{"K1"}));
    EXPECT_EQ(c.only_after, (std::vector<std::string>{"K2"}));
    EXPECT_TRUE(c.warnings.empty());
    using V = sim::DrillCompareRow::Verdict;
    auto row = [&](const std::string& child,
                   const std::string& step) -> const sim::DrillCompareRow& {
        for (const auto& r : c.rows)
            if (r.child_id == child && r.step_name == step) return r;
        ADD_FAILURE() << "no row " << child << " " << step;
        return c.rows.front();
    };
    EXPECT_EQ(row("", "福祉避難所の開設").change_min, -8.0);
    EXPECT_EQ(row("", "福祉避難所の開設").verdict, V::faster);
    EXPECT_EQ(row("K4", "警報").verdict, V::not_compared);
    EXPECT_EQ(row("K4", "避難決定").change_min, 0.0);
    EXPECT_EQ(row("K4", "避難決定").verdict, V::same);
    EXPECT_EQ(row("K4", "準備完了").before_duration_min, 50.0);
    EXPECT_EQ(row("K4", "準備完了").after_duration_min, 38.0);
    EXPECT_EQ(row("K4", "準備完了").verdict, V::faster);
    EXPECT_FALSE(row("K4", "搬出").after_min.has_value());
    EXPECT_EQ(row("K4", "搬出").verdict, V::not_compared);
    EXPECT_EQ(row("K4", "出発").before_duration_min, 45.0);
    EXPECT_EQ(row("K4", "出発").after_duration_min, 12.0);
    EXPECT_EQ(row("K4", "出発").change_min, -33.0);
    EXPECT_EQ(row("K4", "到着").change_min, 5.0);
    EXPECT_EQ(row("K4", "到着").verdict, V::slower);
    // Per step: one child each; 到着 one slower with median +5.
    ASSERT_EQ(c.steps.size(), 4u);
    EXPECT_EQ(c.steps.back().step, sim::DrillStep::arrived);
    EXPECT_EQ(c.steps.back().slower, 1);
    EXPECT_EQ(c.steps.back().median_change_min, 5.0);
    // The CSV: header and a row per compared step, negative numbers as numbers.
    const auto rows = sim::drill_compare_rows(c);
    EXPECT_EQ(rows.front().back(), "判定");
    bool found = false;
    for (const auto& r : rows)
        found =
            found || (r[0] == "K4" && r[1] == "出発" && r[6] == "-33.0" && r[7] == "速くなった");
    EXPECT_TRUE(found);
    // Given the other way round (the later drill first), the order is warned about.
    const auto back = sim::compare_drills(b, a);
    ASSERT_FALSE(back.warnings.empty());
    EXPECT_NE(back.warnings.front().find("後の日付"), std::string::npos);
    for (const auto& r : back.rows) {
        if (r.child_id == "K4" && r.step_name == "出発") {
            EXPECT_EQ(r.change_min, 33.0); // 45 - 12
        }
    }
}

// drill compare loads no scenario, so a drill-wide step cannot be checked against a timeline:
// one renamed in the second drill (福祉避難所の開設 -> 福祉避難所開設) would silently become two
// uncompared rows; it is a warning naming both spellings' drills.
TEST(DrillCompare, ADrillWideStepInOnlyOneDrillIsAWarning) {
    const auto a =
        sim::parse_drill_file("シナリオ,hand\n訓練日,2026-03-14\n開始時刻,9:30\n" + kHeader +
                                  ",福祉避難所の開設,,10:08,,,,,,\n"
                                  "K4,到着,,12:10,,,,,,\n",
                              "2026.csv");
    const auto b =
        sim::parse_drill_file("シナリオ,hand\n訓練日,2027-03-13\n開始時刻,10:00\n" + kHeader +
                                  ",福祉避難所開設,,10:30,,,,,,\n"
                                  "K4,到着,,12:00,,,,,,\n",
                              "2027.csv");
    const auto c = sim::compare_drills(a, b);
    ASSERT_EQ(c.warnings.size(), 2u);
    EXPECT_EQ(c.warnings[0],
              "訓練全体の段階「福祉避難所の開設」は前回の訓練にしかありません（名前が違うと比べ"
              "られません）");
    EXPECT_NE(c.warnings[1].find("「福祉避難所開設」は今回の訓練にしかありません"),
              std::string::npos);
}

TEST(DrillCompare, DifferentOrUnnamedScenariosAreInputErrors) {
    const auto a = sim::parse_drill_file(
        "シナリオ,kudamatsu-drill\n" + kHeader + "K4,出発,,5,,,,,,\n", "a.csv");
    const auto b = sim::parse_drill_file("訓練日,2027-03-13\nシナリオ,shimonoseki-drill\n" +
                                             kHeader + "K4,出発,,5,,,,,,\n",
                                         "b.csv");
    expect_error([&] { (void)sim::compare_drills(a, b); }, "b.csv", 2, "シナリオ",
                 "shimonoseki-drill", "different scenarios");
    const auto unnamed = sim::parse_drill_file(kHeader + "K4,出発,,5,,,,,,\n", "c.csv");
    expect_error([&] { (void)sim::compare_drills(a, unnamed); }, "c.csv", -1, "シナリオ", "",
                 "does not name its scenario");
}

// "One file per drill or one per child" (issue 21 item 2) for `drill compare`: the 2026 drill
// of the test above recorded as one file per child (and one for the drill-wide steps; only
// K4's file names the scenario, K1's has no date) merges into the same comparison as the
// single file. Files of one drill naming two scenarios are an error naming the second's
// シナリオ row.
TEST(DrillCompare, OneFilePerChildGivesTheSameComparisonAsOneFile) {
    const std::string k4 = "K4,警報,,9:30,,,,,,\nK4,避難決定,,9:40,,,,,,\nK4,準備完了,,10:30,,,,,,"
                           "\nK4,搬出,,11:05,,,,,,\n"
                           "K4,出発,,11:15,,,,,,\nK4,到着,,12:10,,,,,,\n";
    const std::string k1 = "K1,出発,,10:10,,,,,,\n";
    const std::string events = ",福祉避難所の開設,,10:08,,,,,,\n";
    const auto whole = sim::parse_drill_file("シナリオ,hand\n訓練日,2026-03-14\n開始時刻,9:30\n" +
                                                 kHeader + events + k4 + k1,
                                             "2026.csv");
    const auto per_child = sim::merge_drill_files(
        {sim::parse_drill_file("訓練日,2026-03-14\n開始時刻,9:30\n" + kHeader + events,
                               "2026_events.csv"),
         sim::parse_drill_file("開始時刻,9:30\n" + kHeader + k1, "2026_K1.csv"),
         sim::parse_drill_file("シナリオ,hand\n訓練日,2026-03-14\n開始時刻,9:30\n" + kHeader + k4,
                               "2026_K4.csv")});
    EXPECT_EQ(per_child.scenario, "hand");
    EXPECT_EQ(per_child.files,
              (std::vector<std::string>{"2026_events.csv", "2026_K1.csv", "2026_K4.csv"}));
    const auto later = sim::parse_drill_file(
        "シナリオ,hand\n訓練日,2027-03-13\n開始時刻,10:00\n" + kHeader +
            ",福祉避難所の開設,,10:30,,,,,,\nK4,警報,,10:00,,,,,,\nK4,避難決定,,10:10,,,,,,\n"
            "K4,準備完了,,10:48,,,,,,\nK4,出発,,11:00,,,,,,\nK4,到着,,12:00,,,,,,\n",
        "2027.csv");
    const auto a = sim::compare_drills(whole, later);
    const auto b = sim::compare_drills(per_child, later);
    EXPECT_EQ(sim::drill_compare_rows(a), sim::drill_compare_rows(b));
    EXPECT_EQ(b.only_before, (std::vector<std::string>{"K1"}));
    EXPECT_EQ(b.before_files.size(), 3u);
    EXPECT_EQ(a.warnings, b.warnings);
    // A file of the same drill naming another scenario.
    expect_error(
        [&] {
            (void)sim::merge_drill_files(
                {sim::parse_drill_file("シナリオ,hand\n開始時刻,9:30\n" + kHeader + k4, "k4.csv"),
                 sim::parse_drill_file("開始時刻,9:30\nシナリオ,other\n" + kHeader + k1,
                                       "k1.csv")});
        },
        "k1.csv", 2, "シナリオ", "other", "different scenarios");
    // The step of one child in two files of one drill: two values for one step.
    expect_error(
        [&] {
            (void)sim::merge_drill_files(
                {sim::parse_drill_file("開始時刻,9:30\n" + kHeader + k4, "k4.csv"),
                 sim::parse_drill_file("開始時刻,9:30\n" + kHeader + "K4,到着,,12:12,,,,,,\n",
                                       "k4_again.csv")});
        },
        "k4_again.csv", 3, "段階", "到着", "two values for one step");
}
