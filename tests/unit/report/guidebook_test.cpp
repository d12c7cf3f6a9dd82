#include "core/error.hpp"
#include "report/guidebook.hpp"
#include "tests/support/paths.hpp"
#include "tests/unit/report/pdf_tools.hpp"
#include "tests/unit/report/synthetic_plan.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>
#include <vector>

using namespace sonae;
using namespace sonae::report;

namespace {
GuidebookOptions fixed_date() {
    GuidebookOptions o;
    o.issued_on = "2026-04-01";
    return o;
}

// Writes the booklet of `child_id` to `pdf` and gives its text back as the tests read it
// (test::squeeze of pdftotext).
std::string booklet_text(const planner::Plan& plan, const std::string& child_id,
                         const std::filesystem::path& pdf, const GuidebookOptions& options) {
    write_guidebook(plan, child_id, pdf, options);
    return test::squeeze(test::pdf_text(pdf));
}
} // namespace

TEST(Guidebook, HoldsOnlyItsOwnChildAndTheEssentials) {
    test::TempDir dir;
    const auto plan = test::synthetic_plan();
    const auto files = write_guidebooks(plan, dir.path(), fixed_date());
    ASSERT_EQ(files.size(), plan.children.size());
    for (std::size_t i = 0; i < files.size(); ++i) {
        const auto& child = plan.children[i];
        test::keep_for_inspection(files[i]);
        EXPECT_EQ(files[i].filename(), guidebook_file_name(child.child_id));
        EXPECT_EQ(test::file_mode(files[i]), 0600u) << files[i];
        const auto text = test::squeeze(test::pdf_text(files[i]));
        EXPECT_NE(text.find(child.child_id), std::string::npos);
        for (const auto& other : plan.children) {
            if (other.child_id == child.child_id) continue;
            EXPECT_EQ(text.find(other.child_id), std::string::npos)
                << files[i] << " mentions " << other.child_id;
        }
        EXPECT_NE(text.find("災害の備えガイドブック"), std::string::npos);
        EXPECT_NE(text.find("警戒レベル3「高齢者等避難」が出たら、すぐに出発します"),
                  std::string::npos);
        EXPECT_NE(text.find("停電したときの電源計画"), std::string::npos);
        EXPECT_NE(text.find("3日分"), std::string::npos);
        EXPECT_NE(text.find("14日分"), std::string::npos);
        EXPECT_NE(text.find("2027年4月1日"), std::string::npos) << "review date one year on";
    }
}

// Issue 24 item 3: one file per child. Every character other than a letter, a digit, '-' or
// '_' became '_', so 「宇部1」 and 「下関1」 were both guidebook_______1.pdf and UBE.4 and UBE_4
// both guidebook_UBE_4.pdf: a plan of 30 children gave 28 guidebooks, two families' lost.
TEST(Guidebook, NoTwoIdsShareAFileName) {
    EXPECT_EQ(guidebook_file_name("SYN-UBE-01"), "guidebook_SYN-UBE-01.pdf");
    EXPECT_EQ(guidebook_file_name("宇部1"), "guidebook_宇部1.pdf");
    EXPECT_EQ(guidebook_file_name("UBE.4"), "guidebook_UBE.4.pdf");
    // A space, '%' and what Windows refuses in a name are written %XX (':' is 0x3A, '%' 0x25).
    EXPECT_EQ(guidebook_file_name("A B"), "guidebook_A%20B.pdf");
    EXPECT_EQ(guidebook_file_name("A%20B"), "guidebook_A%2520B.pdf");
    EXPECT_EQ(guidebook_file_name("A:B"), "guidebook_A%3AB.pdf");
    const std::vector<std::string> ids = {"宇部1", "下関1", "UBE.4", "UBE_4", "UBE-4", "A B",
                                          "A_B",   "A%20B", "A:B",   "A?B",   "A*B"};
    std::set<std::string> names;
    for (const auto& id : ids) names.insert(guidebook_file_name(id));
    EXPECT_EQ(names.size(), ids.size());
}

TEST(Guidebook, InterruptedRenderingKeepsThePreviousFile) {
    test::TempDir dir;
    const auto plan = test::synthetic_plan();
    const auto path = dir / guidebook_file_name("SYN-UBE-01");
    write_guidebook(plan, "SYN-UBE-01", path, fixed_date());
    const auto before = std::filesystem::file_size(path);
    ASSERT_GT(before, 1000u);

    auto failing = fixed_date();
    failing.issued_on = "2027-04-01";
    failing.on_page_done = [](int page) {
        if (page == 2) throw sonae::IoError("disk full (injected)");
    };
    EXPECT_THROW(write_guidebook(plan, "SYN-UBE-01", path, failing), sonae::IoError);
    // The good file is untouched and no temporary file is left behind.
    EXPECT_EQ(std::filesystem::file_size(path), before);
    EXPECT_NE(test::squeeze(test::pdf_text(path)).find("2026年4月1日"), std::string::npos);
    std::size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
        (void)e;
        ++files;
    }
    EXPECT_EQ(files, 1u);
    EXPECT_EQ(test::file_mode(path), 0600u);
}

TEST(Guidebook, NamesOnlyWithConsentAndFlag) {
    test::TempDir dir;
    const auto plan = test::synthetic_plan();
    std::vector<planner::Child> records(2);
    records[0].id = "SYN-UBE-01";
    records[0].municipality_code = "352021";
    records[0].personal.name = "合成 一郎";
    records[0].consent.plan_sharing = true;
    records[1].id = "SYN-UBE-02";
    records[1].municipality_code = "352021";
    records[1].personal.name = "合成 二郎";
    records[1].consent.plan_sharing = false; // registry-only consent is not enough
    records[1].consent.registry_sharing = true;
    const planner::Registry registry(records);

    auto options = fixed_date();
    options.registry = &registry;
    EXPECT_EQ(printable_name("SYN-UBE-01", options), "") << "no name without --with-names";
    options.with_names = true;
    EXPECT_EQ(printable_name("SYN-UBE-01", options), "合成 一郎");
    EXPECT_EQ(printable_name("SYN-UBE-02", options), "") << "no plan-sharing consent";

    const auto one = dir / "one.pdf";
    const auto two = dir / "two.pdf";
    write_guidebook(plan, "SYN-UBE-01", one, options);
    write_guidebook(plan, "SYN-UBE-02", two, options);
    EXPECT_NE(test::squeeze(test::pdf_text(one)).find("合成一郎"), std::string::npos);
    const auto text_two = test::squeeze(test::pdf_text(two));
    EXPECT_EQ(text_two.find("合成二郎"), std::string::npos);
    EXPECT_EQ(text_two.find("合成一郎"), std::string::npos);
}

TEST(Guidebook, UnknownChildIsAnInputError) {
    test::TempDir dir;
    EXPECT_THROW(write_guidebook(test::synthetic_plan(), "NOPE", dir / "x.pdf", fixed_date()),
                 sonae::InputError);
    EXPECT_FALSE(std::filesystem::exists(dir / "x.pdf"));
}

TEST(Guidebook, PowerPlanUsesTheDomainRuntimeFormula) {
    // SYN-UBE-01 averages 161 W: a 1,000 Wh station via AC gives 1000 x 0.8 x 0.85 / (1.25 x 161)
    // = 3.4 h.
    test::TempDir dir;
    const auto path = dir / "g.pdf";
    const auto text = booklet_text(test::synthetic_plan(), "SYN-UBE-01", path, fixed_date());
    EXPECT_NE(text.find("1,000Wh:AC出力で約3.4時間、DC出力で約3.6時間"), std::string::npos);
    EXPECT_NE(text.find("宇部市"), std::string::npos);
    EXPECT_NE(text.find("山口県西部医療的ケア児支援センター"), std::string::npos);
    EXPECT_NE(text.find("083-252-6041"), std::string::npos);
    EXPECT_NE(text.find("遅くともこの時刻までに出発"), std::string::npos);
    EXPECT_NE(text.find("吸引カテーテル"), std::string::npos);
    // Pages render and the CJK font is embedded.
    EXPECT_GE(test::pdf_pages(path), 3);
    EXPECT_NE(test::pdf_fonts(path).find("NotoSansCJK"), std::string::npos);
    test::run_command("pdftoppm -r 30 -png " + test::quote(path) + " " + test::quote(dir / "p"));
    EXPECT_TRUE(std::filesystem::exists(dir / "p-1.png") ||
                std::filesystem::exists(dir / "p-01.png")); // 10+ pages: p-01
}

TEST(Guidebook, DestinationPerHazardTypeWithRouteMap) {
    test::TempDir dir;
    const auto plan = test::synthetic_plan();
    const auto path = dir / "g.pdf";
    write_guidebook(plan, "SYN-UBE-02", path, fixed_date());
    test::keep_for_inspection(path);
    const auto text = test::squeeze(test::pdf_text(path));
    EXPECT_NE(text.find("災害の種類ごとの避難先"), std::string::npos);
    for (const char* label : {"洪水", "土砂災害", "高潮", "津波", "地震"}) {
        EXPECT_NE(text.find(label), std::string::npos) << label;
    }
    // The plan's own hazard (flood) shows the assigned facility, marked.
    EXPECT_NE(text.find("【計画の避難先】"), std::string::npos);
    EXPECT_NE(text.find("宇部市福祉会館（合成）"), std::string::npos);
    EXPECT_NE(text.find("琴芝小学校（合成）"), std::string::npos);
    EXPECT_NE(text.find("高台公民館（合成）"), std::string::npos);
    EXPECT_NE(text.find("指定避難所・指定緊急避難場所"), std::string::npos);
    EXPECT_NE(text.find("指定の確認が必要"),
              std::string::npos); // earthquake: unflagged welfare shelter
    EXPECT_NE(text.find("条件に合う避難先が見つかりません"),
              std::string::npos); // no storm-surge row
    EXPECT_NE(text.find("目安"), std::string::npos);
    // The map's legend names every type that has a route.
    EXPECT_NE(text.find("洪水（計画の避難先）"), std::string::npos);

    // Every glyph comes from the CJK font (a missing glyph would pull in a fallback font), and
    // the pages render.
    const auto fonts = test::pdf_fonts(path);
    std::size_t lines = 0, cjk = 0;
    for (std::size_t at = 0, end; (end = fonts.find('\n', at)) != std::string::npos; at = end + 1) {
        const auto line = fonts.substr(at, end - at);
        if (++lines <= 2 || line.empty()) continue; // header
        ++cjk;
        EXPECT_NE(line.find("NotoSansCJK"), std::string::npos) << line;
    }
    EXPECT_GT(cjk, 0u);
    test::run_command("pdftoppm -r 40 -png " + test::quote(path) + " " + test::quote(dir / "p"));
    EXPECT_TRUE(std::filesystem::exists(dir / "p-1.png") ||
                std::filesystem::exists(dir / "p-01.png")); // 10+ pages: p-01
}

TEST(Guidebook, OlderPlanWithoutDestinationsPerHazardSaysSo) {
    test::TempDir dir;
    const auto path = dir / "g.pdf";
    const auto text = booklet_text(test::synthetic_plan(), "SYN-HAGI-01", path, fixed_date());
    EXPECT_NE(text.find("災害の種類ごとの避難先"), std::string::npos);
    EXPECT_NE(text.find("含まれていません"), std::string::npos);
}

TEST(Guidebook, TriggerFollowsTheHazardKind) {
    // A tsunami plan tells the family to leave when the shaking stops; it never says to wait
    // for 警戒レベル3 or to leave "in daylight" (the flood's advice).
    test::TempDir dir;
    auto plan = test::synthetic_plan();
    plan.hazard_kind = "tsunami";
    const auto tsunami = dir / "t.pdf";
    const auto t = booklet_text(plan, "SYN-UBE-01", tsunami, fixed_date());
    EXPECT_NE(t.find("揺れがおさまりしだい、警報を待たずにすぐ"), std::string::npos);
    EXPECT_NE(t.find("大津波警報・津波警報が出たら、すぐに避難します"), std::string::npos);
    EXPECT_EQ(t.find("警戒レベル3「高齢者等避難」が出たら"), std::string::npos);
    EXPECT_EQ(t.find("明るいうちの早めの避難"), std::string::npos);

    plan.hazard_kind = "landslide";
    const auto landslide = dir / "l.pdf";
    const auto l = booklet_text(plan, "SYN-UBE-01", landslide, fixed_date());
    EXPECT_NE(l.find("土砂災害警戒情報（警戒レベル4相当"), std::string::npos);
    EXPECT_NE(l.find("前ぶれ"), std::string::npos);
    // The other kinds' triggers are listed too, the tsunami's among them.
    EXPECT_NE(l.find("強い揺れ・長い揺れがおさまったらすぐ"), std::string::npos);
}

TEST(Guidebook, FamilyPagesCardsSettingsAndCalls) {
    // SYN-UBE-01 uses a ventilator (synthetic_plan): the power-cut page names the ventilator's
    // battery and the bag-valve mask; the settings table has the ventilator's rows with empty
    // cells; the 119 script, 171, the power company of Yamaguchi, the daily-care profile, the
    // consent rows and the two cut-out cards are there.
    test::TempDir dir;
    const auto plan = test::synthetic_plan();
    const auto path = dir / "g.pdf";
    const auto text = booklet_text(plan, "SYN-UBE-01", path, fixed_date());
    for (const char* s :
         {"11.医療機器の設定", "呼吸回数（回/分）", "12.停電したとき・地震のとき", "蘇生バッグ",
          "中国電力ネットワーク", "電力会社に伝えること", "13.119番に電話するとき", "「救急です」",
          "171→1→自宅の電話番号", "web171", "14.避難先のスタッフへ", "気持ちの伝え方",
          "15.同意と、この計画を受け取る人", "この冊子の作成時に確かめていません", "救急情報カード",
          "ヘルプカード", "切り取り線"}) {
        EXPECT_NE(text.find(s), std::string::npos) << s;
    }
    EXPECT_EQ(text.find("（記入）"), std::string::npos);

    // With the registry: consent as recorded; the registry's phone and contacts only when the
    // name may be printed (flag and plan-sharing consent).
    std::vector<planner::Child> records(1);
    records[0].id = "SYN-UBE-01";
    records[0].municipality_code = "352021";
    records[0].personal.name = "合成 一郎";
    records[0].personal.phone = "0836-00-0000";
    records[0].personal.emergency_contacts = {"母 090-0000-0000"};
    records[0].consent.plan_sharing = true;
    const planner::Registry registry(records);
    auto options = fixed_date();
    options.registry = &registry;
    const auto unnamed = dir / "u.pdf";
    const auto u = booklet_text(plan, "SYN-UBE-01", unnamed, options);
    EXPECT_NE(u.find("個別避難計画の提供同意あり"), std::string::npos);
    EXPECT_NE(u.find("名簿情報の提供（避難行動要支援者名簿）同意なし（記録のうえで）"),
              std::string::npos);
    EXPECT_EQ(u.find("0836-00-0000"), std::string::npos) << "no contacts without --with-names";
    options.with_names = true;
    const auto named = dir / "n.pdf";
    const auto n = booklet_text(plan, "SYN-UBE-01", named, options);
    EXPECT_NE(n.find("0836-00-0000"), std::string::npos);
    EXPECT_NE(n.find("母090-0000-0000"), std::string::npos);
}

TEST(Guidebook, CoordinatorSummaryShowsWhatChanged) {
    // Plan A against the last plan B: in B, SYN-UBE-01 went to the Shunan centre (so its
    // destination and everything that follows differ), SYN-UBE-02 is the same, and the first
    // child of A (SYN-HAGI-01, sorted first) did not exist.
    test::TempDir dir;
    const auto a = test::synthetic_plan("synthetic-a");
    auto b = test::synthetic_plan("synthetic-b");
    b.children.erase(b.children.begin());
    for (auto& c : b.children)
        if (c.child_id == "SYN-UBE-01") c.facility_id = "F-SHUNAN";
    const auto files = write_coordinator_summaries(a, b, dir.path(), fixed_date());
    ASSERT_EQ(files.size(), a.children.size());
    auto text_of = [&](const std::string& id) {
        return test::squeeze(test::pdf_text(dir / ("summary_" + id + ".pdf")));
    };
    const auto changed = text_of("SYN-UBE-01");
    EXPECT_NE(changed.find("前回の計画から"), std::string::npos);
    // Before, now: the destination row and the per-hazard flood row changed, nothing else.
    EXPECT_NE(changed.find("前回の計画から2項目が変わりました"), std::string::npos) << changed;
    EXPECT_NE(changed.find("避難先周南市総合福祉センター（合成）宇部市福祉会館（合成）"),
              std::string::npos)
        << changed;
    EXPECT_NE(changed.find("避難先_洪水周南市総合福祉センター（合成）宇部市福祉会館（合成）"),
              std::string::npos)
        << changed;
    EXPECT_NE(changed.find("変更変更"), std::string::npos) << "two rows marked";
    EXPECT_EQ(test::pdf_pages(dir / "summary_SYN-UBE-01.pdf"), 1);
    EXPECT_EQ(test::file_mode(dir / "summary_SYN-UBE-01.pdf"), 0600u);
    const auto same = text_of("SYN-UBE-02");
    EXPECT_NE(same.find("前回の計画から変わった項目はありません"), std::string::npos);
    EXPECT_EQ(same.find("変更"), std::string::npos);
    EXPECT_NE(text_of(a.children.front().child_id).find("前回の計画にはいなかった子どもです"),
              std::string::npos);
}

// Issue 18: each hour printed is the quantity its label names; a child with no powered
// device gets no four-step power plan; every supply has a Japanese label.
TEST(Guidebook, PowerHoursAreLabelledByWhatTheyCount) {
    test::TempDir dir;
    auto plan = test::synthetic_plan();
    planner::ChildPlan* vent = nullptr;
    planner::ChildPlan* none = nullptr;
    for (auto& c : plan.children) {
        if (c.child_id == "SYN-UBE-01") vent = &c;
        if (c.child_id == "SYN-UBE-02") none = &c;
    }
    ASSERT_TRUE(vent && none);
    // KOC-0009's picture: 6 h on the ventilator's own batteries, 24 h of car socket, 30 h in all.
    vent->power.device_battery_h = 6.0;
    vent->power.endurance_h = 30.0;
    vent->power.backup_sources = {{"car_socket", 24.0, false, 0.0, 0.0, "", {"suction"}}};
    vent->power.sequence = {{"car_socket", "", 0.0, 24.0},
                            {"internal_battery", "vent", 24.0, 27.0},
                            {"external_battery", "vent", 27.0, 30.0}};
    // A child with no device (UBE-0004: bowel care only).
    none->care_items = {"bowel"};
    none->power = planner::ChildPower{};

    // The registry gives the oxygen child of the same plan its supplies (planner's list).
    planner::Child record;
    record.id = "SYN-UBE-02";
    record.municipality_code = "352021";
    record.home = none->home;
    record.care_items = {planner::CareItem::bowel, planner::CareItem::oxygen,
                         planner::CareItem::tube_feeding};
    record.oxygen =
        planner::OxygenSupply{.flow_lpm = 1.5, .cylinders = 3, .cylinder_nominal_l = 300.0};
    const planner::Registry registry({record});
    auto options = fixed_date();
    options.registry = &registry;

    const auto vent_pdf = dir / "vent.pdf";
    const auto vt = booklet_text(plan, "SYN-UBE-01", vent_pdf, options);
    EXPECT_NE(vt.find("機器のバッテリーだけで呼吸器・輸液が続く時間約6.0時間"), std::string::npos);
    EXPECT_NE(vt.find("車のシガーソケットだけで約24.0時間（出力が足りず、吸引器は動かせません）"),
              std::string::npos);
    EXPECT_NE(vt.find("全部を順に使って生命維持が続く時間約30.0時間"), std::string::npos);
    EXPECT_NE(vt.find("内部＋外部バッテリーだけで呼吸器・輸液が続く時間:約6.0時間"),
              std::string::npos)
        << "step 1 prints the devices' own batteries, not the 30 h total";
    EXPECT_NE(vt.find("在宅人工呼吸器の内部バッテリー24.0〜27.0時間"), std::string::npos);

    const auto none_pdf = dir / "none.pdf";
    const auto nt = booklet_text(plan, "SYN-UBE-02", none_pdf, options);
    EXPECT_EQ(nt.find("4つの段階"), std::string::npos) << "no four-step power plan for 0 W";
    EXPECT_EQ(nt.find("0.0時間"), std::string::npos);
    EXPECT_NE(nt.find("電気を使う医療機器は登録されていません"), std::string::npos);
    // Supplies: formula and flush water for tube feeding, the oxygen stock once, in Japanese.
    EXPECT_NE(nt.find("栄養剤"), std::string::npos);
    EXPECT_NE(nt.find("注入後に流す白湯・水"), std::string::npos);
    EXPECT_NE(nt.find("酸素ボンベ"), std::string::npos);
    EXPECT_EQ(nt.find("oxygen cylinder"), std::string::npos);
    EXPECT_EQ(nt.find("flush water"), std::string::npos);
    // 12. at a power cut: no battery times to check and no power plan to follow for 0 W, and
    // no "医療機器（医療機器）" for the power company.
    EXPECT_EQ(nt.find("残りのバッテリー時間"), std::string::npos);
    EXPECT_EQ(nt.find("電源計画」の順に"), std::string::npos);
    EXPECT_EQ(nt.find("医療機器（医療機器）"), std::string::npos);
    EXPECT_NE(nt.find("電力会社に伝えること住所・名前、医療的ケアが必要な子どもがいること"),
              std::string::npos);
    EXPECT_NE(vt.find("残りのバッテリー時間"), std::string::npos);

    // The oxygen stock: with a concentrator the cylinders bridge the hours until it has power
    // again; on cylinders alone they are the only oxygen and cover the plan's horizon.
    vent->power.oxygen = true;
    vent->power.cylinder_only_h = 7.5;
    vent->power.oxygen_cylinders_recommended = 11;
    vent->power.oxygen_call_supplier_h = 1.5;
    vent->power.devices = {"o2conc", "vent"};
    // The car socket cannot run the concentrator beside the ventilator (UBE-0002): its 24 h
    // are not life support.
    vent->power.backup_sources = {{"car_socket", 24.0, false, 0.0, 0.0, "", {"o2conc"}}};
    const auto ot = booklet_text(plan, "SYN-UBE-01", vent_pdf, options);
    EXPECT_NE(ot.find("酸素ボンベの備え11本（濃縮器に電気が戻るまでの分＋予備"), std::string::npos);
    EXPECT_NE(ot.find("車のシガーソケットだけで生命維持には使えません（出力が足りず、酸素濃縮器を動"
                      "かせません。ほかの機器だけなら約24.0時間）"),
              std::string::npos);
    vent->power.oxygen_cylinders_recommended = 30;
    vent->power.devices = {"vent"};
    const auto cylinders_pdf = dir / "cylinders.pdf";
    const auto ct = booklet_text(plan, "SYN-UBE-01", cylinders_pdf, options);
    EXPECT_NE(ct.find("酸素ボンベの備え30本（酸素はボンベだけなので、72時間の分＋予備"),
              std::string::npos);
    EXPECT_EQ(ct.find("濃縮器に電気が戻る"), std::string::npos);
}

TEST(Guidebook, PowerStationHoursFollowTheCpapByTheClock) {
    // Issue 18 items 2 and 3: step 2's power stations are computed with the planner's power
    // model, as section 2's: KDM-0007's household (CPAP 55 W used 22:00-08:00 without a
    // battery, oximeter 5 W, suction 70 W 0.25 h/day; a 500 Wh station). Loads with the 1.25
    // factor: CPAP on 1.25 x (55 + 5 + 70 x 0.25 / 24) = 75.911 W, off 1.25 x 5.7292 = 7.1615 W.
    // Usable AC: 500 x 0.8 x 0.85 = 340 Wh, 1,000 Wh: 680 Wh, 2,000 Wh: 1,360 Wh.
    test::TempDir dir;
    auto plan = test::synthetic_plan();
    planner::ChildPlan* cpap = nullptr;
    for (auto& c : plan.children)
        if (c.child_id == "SYN-UBE-01") cpap = &c;
    ASSERT_NE(cpap, nullptr);
    cpap->power.devices = {"cpap", "spo2", "suction"};
    cpap->power.backup_sources = {};
    cpap->power.sequence = {};
    planner::Child record;
    record.id = "SYN-UBE-01";
    record.municipality_code = "352021";
    record.home = cpap->home;
    record.care_items = {planner::CareItem::ventilator, planner::CareItem::suction};
    record.devices = {planner::DeviceUse{.type = "cpap"}, planner::DeviceUse{.type = "spo2"},
                      planner::DeviceUse{.type = "suction"}};
    record.backup.power_station_wh = 500.0;
    record.backup.power_station_output_w = 1000.0;
    const planner::Registry registry({record});
    auto options = fixed_date();
    options.registry = &registry;

    // The plan's clock: t0 06:00 + the cut 3 h later = 09:00. The CPAP is off until 22:00:
    // 13 h x 7.1615 W = 93.10 Wh, then 246.90 Wh / 75.911 W = 3.2525 h: 16.25 h in all.
    const auto day_pdf = dir / "day.pdf";
    const auto day = booklet_text(plan, "SYN-UBE-01", day_pdf, options);
    EXPECT_NE(day.find("お持ちの500Wh:AC出力で約16.3時間"), std::string::npos);
    EXPECT_NE(day.find("停電が9時（計画の想定）に起きたとき"), std::string::npos);

    // No clock in the plan: the worst time of day, a cut at 22:00 with the CPAP running.
    //   500 Wh: 340 / 75.911 = 4.479 h (not the 24-hour average's 340 / 35.807 = 9.5 h)
    //   1,000 Wh: 680 / 75.911 = 8.958 h, inside the CPAP's 10 h
    //   2,000 Wh: 10 h x 75.911 = 759.11 Wh, 14 h x 7.1615 = 100.26 Wh, then 500.63 / 75.911 =
    //   6.595 h: 30.595 h
    plan.t0_label = "警戒レベル3";
    const auto night_pdf = dir / "night.pdf";
    const auto night = booklet_text(plan, "SYN-UBE-01", night_pdf, options);
    EXPECT_NE(night.find("500Wh:AC出力で約4.5時間"), std::string::npos);
    EXPECT_NE(night.find("1,000Wh:AC出力で約9.0時間"), std::string::npos);
    EXPECT_NE(night.find("2,000Wh:AC出力で約30.6時間"), std::string::npos);
    EXPECT_NE(night.find("お持ちの500Wh:AC出力で約4.5時間"), std::string::npos);
    EXPECT_NE(night.find("停電が22時（いちばん厳しい時刻）に起きたとき"), std::string::npos);
    EXPECT_EQ(night.find("500Wh:AC出力で約9.5時間"), std::string::npos);
}
