#include "report/drill_review.hpp"

#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "geo/workbook.hpp"
#include "planner/csv.hpp"
#include "report/detail/blocks.hpp"
#include "report/detail/labels.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>

namespace sonae::report {

namespace {

namespace fs = std::filesystem;
using sim::DrillStep;

std::string fixed1(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f", v == 0.0 ? 0.0 : v);
    return buf;
}

std::string signed1(double v) {
    if (std::abs(v) < 0.05) return "±0.0";
    return (v > 0 ? "+" : "") + fixed1(v);
}

std::string opt_min(const std::optional<double>& v) {
    return v ? fixed1(*v) : std::string("—");
}

/// "10:12（12.0分）" with a start time, else "12.0分"; "—" if none.
std::string when(const std::optional<double>& m, const std::optional<double>& t0_clock) {
    if (!m) return "—";
    if (t0_clock) return sim::format_clock(*t0_clock + *m) + "\n(" + fixed1(*m) + ")";
    return fixed1(*m);
}

std::string create_date(const std::string& drill_date) {
    const auto d = detail::parse_date(drill_date);
    return (d ? detail::format_date_iso(*d) : std::string("2000-01-01")) + "T00:00:00+09:00";
}

void write_pdf(const fs::path& path, FileMode mode, const detail::Blocks& blocks,
               detail::DocumentInfo info) {
    AtomicPath out(path, mode);
    {
        detail::PdfDocument doc(out.temp(), mode, std::move(info));
        detail::render_pdf(blocks.blocks(), doc);
        doc.finish();
    }
    out.commit();
}

std::string drill_heading(const sim::DrillReview& r) {
    std::string s;
    if (!r.date.empty()) {
        const auto d = detail::parse_date(r.date);
        s += "訓練日: " + (d ? detail::format_date_ja(*d) : r.date);
    }
    if (r.t0_clock_min)
        s += std::string(s.empty() ? "" : "　") +
             "開始（t0）: " + sim::format_clock(*r.t0_clock_min);
    return s;
}

detail::Blocks review_blocks(const sim::DrillReview& r, const planner::Plan& plan) {
    detail::Blocks b;
    const auto t0c = r.t0_clock_min;
    b.title(
        "訓練の振り返り（" + (r.title.empty() ? plan.scenario_name : r.title) + "）",
        drill_heading(r) + "\nシナリオ: " + plan.scenario_name +
            "　参加児童: " + std::to_string(r.participants.size()) +
            "人\n取扱注意: 個人情報（要配慮個人情報）を含みます。関係者以外に渡さないでください。");
    if (plan.approximate)
        b.note("計画は直線距離による概算です（道路網なし）: " + plan.approximation_note);

    const auto dangers = std::count_if(r.flags.begin(), r.flags.end(), [](const sim::DrillFlag& f) {
        return f.severity == sim::DrillFlag::Severity::danger;
    });
    b.heading("要点");
    std::vector<std::pair<std::string, std::string>> kv;
    kv.emplace_back("危険（赤）", std::to_string(dangers) + "件");
    kv.emplace_back("注意",
                    std::to_string(r.flags.size() - static_cast<std::size_t>(dangers)) + "件");
    kv.emplace_back("ボトルネック",
                    r.bottlenecks.empty()
                        ? std::string("なし（計画より長くかかった段階はありません）")
                        : std::string(sim::japanese_label(r.bottlenecks.front().step)) +
                              "（中央値 " + signed1(r.bottlenecks.front().overrun_median_min) +
                              "分）");
    kv.emplace_back("計画の見直し案", std::to_string(r.changes.size()) + "件");
    kv.emplace_back("記録ファイル", [&] {
        std::string s;
        for (const auto& f : r.files)
            s += (s.empty() ? "" : "\n") + fs::path(f).filename().string();
        return s.empty() ? std::string("—") : s;
    }());
    b.key_values(kv);

    b.heading("安全上の指摘（出発・到着と期限の照合）");
    b.note("記録された出発・到着を、計画の「自宅に災害が及ぶ時刻」（この時刻より後の移動は危険）と"
           "「停電後に電池・酸素が"
           "尽きる時刻」と照らし合わせました。赤は実際の災害なら命に関わる遅れです。");
    if (r.flags.empty()) {
        b.paragraph("指摘はありません。");
    } else {
        detail::Table t;
        t.columns = {{"区分", 0.7}, {"児童ID", 0.9}, {"内容", 5.0}};
        for (const auto& f : r.flags) {
            detail::TableRow row;
            row.cells = {f.severity == sim::DrillFlag::Severity::danger ? "危険" : "注意",
                         f.child_id, f.text};
            row.alert = f.severity == sim::DrillFlag::Severity::danger;
            t.rows.push_back(std::move(row));
        }
        b.table(std::move(t));
    }

    b.heading("児童ごとの段階（計画・シミュレーション・実績）");
    b.note(
        "時刻は t0（" + plan.t0_label +
        "）からの分。実績は時計の時刻と（分）。所要は記録のある前の段階からの分（計画のある段階は、"
        "計画と実績の両方がある前の段階から。計画と同じ区間を比べるため）。"
        "シミュレーションはモンテカルロ試行の中央値（p50）と95%点（p95）。");
    for (const auto& id : r.participants) {
        b.subheading(id);
        detail::Table t;
        t.font_pt = 8.0;
        t.columns = {{"段階", 1.1},
                     {"計画", 0.7, detail::Align::right},
                     {"シミュレーション\np50 / p95", 1.2, detail::Align::right},
                     {"実績", 0.9, detail::Align::right},
                     {"実績−計画", 0.8, detail::Align::right},
                     {"所要 計画", 0.7, detail::Align::right},
                     {"所要 実績", 0.7, detail::Align::right},
                     {"記録", 1.9}};
        for (const auto& row : r.rows) {
            if (row.child_id != id) continue;
            std::string sim_text = "—";
            if (row.simulated_p50_min)
                sim_text = fixed1(*row.simulated_p50_min) + " / " + fixed1(*row.simulated_p95_min);
            std::string diff = "—";
            if (row.actual_min && row.planned_min)
                diff = signed1(*row.actual_min - *row.planned_min);
            std::string rec;
            const auto& o = row.observed;
            if (o.battery_pct) rec += "電池 " + fixed1(*o.battery_pct) + "%";
            if (o.helpers)
                rec += std::string(rec.empty() ? "" : "、") + "支援者 " +
                       std::to_string(*o.helpers) + "人";
            if (!o.forgotten.empty())
                rec += std::string(rec.empty() ? "" : "、") + "忘れ物: " + o.forgotten;
            if (!o.barriers.empty())
                rec += std::string(rec.empty() ? "" : "、") + "障壁: " + o.barriers;
            if (!o.contacts.empty())
                rec += std::string(rec.empty() ? "" : "、") + "連絡: " + o.contacts;
            if (!o.notes.empty()) rec += std::string(rec.empty() ? "" : "、") + o.notes;
            detail::TableRow tr;
            tr.cells = {std::string(sim::japanese_label(row.step)),
                        opt_min(row.planned_min),
                        sim_text,
                        when(row.actual_min, t0c),
                        diff,
                        opt_min(row.planned_duration_min),
                        opt_min(row.actual_duration_min),
                        rec};
            for (const auto& f : r.flags) {
                if (f.child_id == id && f.severity == sim::DrillFlag::Severity::danger &&
                    row.actual_min && f.recorded_min == *row.actual_min &&
                    (row.step == DrillStep::arrived || row.step == DrillStep::departed ||
                     row.step == DrillStep::power_connected)) {
                    tr.alert = true;
                }
            }
            t.rows.push_back(std::move(tr));
        }
        b.table(std::move(t));
    }

    b.heading("ボトルネック（計画より長くかかった段階）");
    if (r.bottlenecks.empty()) {
        b.paragraph(
            "計画より長くかかった段階はありません（計画と実績の両方がある段階のみ比べています）。");
    } else {
        detail::Table t;
        t.columns = {{"段階", 1.2},
                     {"児童数", 0.6, detail::Align::right},
                     {"所要 計画(中央値)", 1.0, detail::Align::right},
                     {"所要 実績(中央値)", 1.0, detail::Align::right},
                     {"超過(中央値)", 0.9, detail::Align::right},
                     {"最大の超過", 1.2}};
        for (const auto& x : r.bottlenecks) {
            t.rows.push_back({{std::string(sim::japanese_label(x.step)), std::to_string(x.children),
                               fixed1(x.planned_median_min), fixed1(x.recorded_median_min),
                               signed1(x.overrun_median_min),
                               signed1(x.overrun_max_min) + "分（" + x.worst_child + "）"}});
        }
        b.table(std::move(t));
    }

    if (!r.events.empty()) {
        b.heading("訓練全体の段階（役割ごと）");
        detail::Table t;
        t.font_pt = 8.0;
        t.columns = {{"段階", 1.6},
                     {"担当", 1.1},
                     {"計画", 0.8, detail::Align::right},
                     {"実績", 0.8, detail::Align::right},
                     {"差", 0.6, detail::Align::right},
                     {"記録", 2.0}};
        for (const auto& e : r.events) {
            std::string diff = "—";
            if (e.actual_min && e.planned_min) diff = signed1(*e.actual_min - *e.planned_min);
            std::string rec =
                e.observed.barriers.empty() ? e.observed.notes : "障壁: " + e.observed.barriers;
            t.rows.push_back({{e.step_name, e.who, when(e.planned_min, t0c),
                               when(e.actual_min, t0c), diff, rec}});
        }
        b.table(std::move(t));
    }

    b.heading("記録された観察（時刻以外）");
    if (r.observations.empty()) {
        b.paragraph("記録はありません。電池残量・忘れ物・支援者・障壁・連絡を記録用紙に書くと、ここ"
                    "に集まります。");
    } else {
        std::string text;
        for (const auto& o : r.observations) text += "・" + o + "\n";
        b.paragraph(text);
    }

    b.heading("計画の見直し案");
    if (r.changes.empty()) {
        b.paragraph("計画の見込みより明らかに長くかかった段階はありません。");
    } else {
        std::string text;
        for (const auto& c : r.changes) text += "・" + c.text + "\n";
        b.paragraph(text);
        b.note("drill_changes.csv の「採用」列に「はい」と書いた行を、sonae drill apply "
               "drill_changes.csv --registry "
               "（名簿） -o （新しい名簿） で名簿に反映できます（元の名簿は上書きしません）。");
    }
    if (!r.plan_notes.empty()) {
        b.subheading("計画で移動しない参加児童");
        std::string text;
        for (const auto& n : r.plan_notes) text += "・" + n + "\n";
        b.paragraph(text);
    }
    const bool any_danger = dangers > 0;
    if (any_danger) {
        b.paragraph("危険の指摘があった児童は、出発を早める（警戒レベル3より前、明るいうちや前日）"
                    "、車両の待機場所を近くに"
                    "置く協定、避難先を近くにする、のいずれかを計画で検討してください。",
                    true);
    }

    if (!r.warnings.empty()) {
        b.heading("記録の注意（確認してください）");
        std::string text;
        for (const auto& w : r.warnings) text += "・" + w + "\n";
        b.paragraph(text);
    }
    return b;
}

std::string csv(const std::vector<std::vector<std::string>>& rows) {
    return planner::format_csv(rows);
}

std::vector<std::vector<std::string>> flag_rows(const sim::DrillReview& r) {
    std::vector<std::vector<std::string>> rows{
        {"児童ID", "区分", "指摘", "実績(分)", "期限(分)", "内容"}};
    for (const auto& f : r.flags) {
        // No recorded time for a missing arrival; a low battery's limit is 30 %, not minutes.
        const bool timed = f.what != "not_arrived";
        const bool deadline = timed && f.what != "battery_low";
        rows.push_back({f.child_id,
                        f.severity == sim::DrillFlag::Severity::danger ? "危険" : "注意",
                        std::string(sim::japanese_label(f)), timed ? fixed1(f.recorded_min) : "",
                        deadline ? fixed1(f.limit_min) : "", f.text});
    }
    return rows;
}

/// The council version: counts suppressed, medians only over enough children.
struct CouncilDrill {
    detail::Blocks blocks;
    std::vector<std::vector<std::string>> csv;
};

CouncilDrill council_blocks(const sim::DrillReview& r, const planner::Plan& plan,
                            const SuppressionRule& rule) {
    CouncilDrill out;
    auto& b = out.blocks;
    b.title("訓練の振り返り（協議の場への報告）",
            drill_heading(r) + "\nシナリオ: " + plan.scenario_name +
                "\n集計値のみ（個人を特定できる情報を含みません）");
    if (plan.approximate)
        b.note("計画は直線距離による概算です（道路網なし）: " + plan.approximation_note);
    // Children by their worst finding.
    std::map<std::string, int> worst; // 0 danger, 1 caution, 2 none
    for (const auto& id : r.participants) worst[id] = 2;
    for (const auto& f : r.flags) {
        auto& w = worst[f.child_id];
        w = std::min(w, f.severity == sim::DrillFlag::Severity::danger ? 0 : 1);
    }
    std::int64_t n[3] = {0, 0, 0};
    for (const auto& [_, w] : worst) ++n[w];
    SuppressedTable table;
    const auto total = table.add(static_cast<std::int64_t>(r.participants.size()), 2);
    const auto c_danger = table.add(n[0]);
    const auto c_caution = table.add(n[1]);
    const auto c_none = table.add(n[2]);
    table.relate(total, {c_danger, c_caution, c_none});
    for (const auto c : {c_danger, c_caution, c_none}) // a 0 beside a hidden total is hidden
        if (table.value(c) == 0) table.hide_with(c, total);
    // Per step: children slower than planned / not slower.
    struct StepCells {
        DrillStep step;
        std::size_t total, slower, not_slower;
        std::vector<double> overruns;
    };
    std::vector<StepCells> steps;
    for (std::size_t k = 1; k < sim::kDrillSteps; ++k) {
        std::vector<double> over;
        std::int64_t slower = 0;
        for (const auto& row : r.rows) {
            if (static_cast<std::size_t>(row.step) != k || !row.planned_duration_min ||
                !row.actual_duration_min)
                continue;
            const double o = *row.actual_duration_min - *row.planned_duration_min;
            over.push_back(o);
            slower += o > 0 ? 1 : 0;
        }
        if (over.empty()) continue;
        StepCells s{static_cast<DrillStep>(k), 0, 0, 0, over};
        s.total = table.add(static_cast<std::int64_t>(over.size()), 1);
        s.slower = table.add(slower);
        s.not_slower = table.add(static_cast<std::int64_t>(over.size()) - slower);
        table.relate(s.total, {s.slower, s.not_slower});
        // As in the council report: in a row whose count is hidden, a 0 is hidden too, so the
        // row does not tell that its one or two children were all slower (or all on time).
        if (slower == 0) table.hide_with(s.slower, s.total);
        if (static_cast<std::int64_t>(over.size()) == slower)
            table.hide_with(s.not_slower, s.total);
        steps.push_back(std::move(s));
    }
    table.apply(rule);

    b.heading("参加児童と安全上の指摘");
    detail::Table t;
    t.columns = {{"区分", 3.0}, {"児童数", 1.0, detail::Align::right}};
    t.rows.push_back({{"参加児童", table.text(total)}, true});
    t.rows.push_back(
        {{"危険の指摘あり（災害到達後・電池の期限後の出発/到着）", table.text(c_danger)}});
    t.rows.push_back({{"注意の指摘あり", table.text(c_caution)}});
    t.rows.push_back({{"指摘なし", table.text(c_none)}});
    b.table(t);
    out.csv.push_back({"区分", "段階", "児童数", "所要の超過 中央値(分)"});
    out.csv.push_back({"参加児童", "", table.text(total), ""});
    out.csv.push_back({"危険の指摘あり", "", table.text(c_danger), ""});
    out.csv.push_back({"注意の指摘あり", "", table.text(c_caution), ""});
    out.csv.push_back({"指摘なし", "", table.text(c_none), ""});

    b.heading("段階ごとの所要時間（計画との差）");
    b.note("所要時間の中央値は " + std::to_string(rule.threshold) +
           " 人以上の段階だけ示します。1〜" + std::to_string(rule.threshold - 1) +
           " 人の数と、ほかの数から計算できてしまう数は「x」で秘匿しています（比べた児童数が「x」の"
           "段階では 0 も「x」）。");
    detail::Table st;
    st.columns = {{"段階", 1.5},
                  {"比べた児童数", 1.0, detail::Align::right},
                  {"計画より遅れた", 1.0, detail::Align::right},
                  {"計画以内", 1.0, detail::Align::right},
                  {"超過の中央値(分)", 1.2, detail::Align::right}};
    for (const auto& s : steps) {
        const bool enough =
            static_cast<std::int64_t>(s.overruns.size()) >= rule.threshold && table.shown(s.total);
        std::vector<double> v = s.overruns;
        std::sort(v.begin(), v.end());
        const double med =
            v.size() % 2 == 1 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2.0;
        const std::string med_text = enough ? signed1(med) : "—";
        // The CSV keeps the column numeric: a plain number, or nothing where it is not shown.
        const std::string med_cell = enough ? fixed1(med) : "";
        const std::string label(sim::japanese_label(s.step));
        st.rows.push_back({{label, table.text(s.total), table.text(s.slower),
                            table.text(s.not_slower), med_text}});
        out.csv.push_back({"比べた児童数", label, table.text(s.total), med_cell});
        out.csv.push_back({"計画より遅れた", label, table.text(s.slower), ""});
        out.csv.push_back({"計画以内", label, table.text(s.not_slower), ""});
    }
    b.table(st);

    if (!r.events.empty()) {
        b.heading("訓練全体の段階（役割ごと）");
        detail::Table et;
        et.columns = {{"段階", 2.0},
                      {"担当", 1.2},
                      {"計画(分)", 0.8, detail::Align::right},
                      {"実績(分)", 0.8, detail::Align::right}};
        for (const auto& e : r.events)
            et.rows.push_back(
                {{e.step_name, e.who, opt_min(e.planned_min), opt_min(e.actual_min)}});
        b.table(et);
    }
    b.note("秘匿の規則（協議の場への報告と同じ）: 1〜" + std::to_string(rule.threshold - 1) +
           " の数、それを守るために隠した数、児童数が隠れた段階の 0 は、どれも「x」。"
           "児童ID・時刻・自由記述の観察は載せていません（個人の振り返りは担当者用の "
           "drill_review.pdf）。");
    return out;
}

/// Labelled empty boxes to write in (a table without header).
detail::Table boxes(const std::vector<std::pair<std::string, std::string>>& rows,
                    double label_weight) {
    detail::Table t;
    t.header = false;
    t.font_pt = 9.5;
    t.columns = {{"", label_weight}, {"", 1.0 - label_weight}};
    for (const auto& [k, v] : rows) t.rows.push_back({{k, v}, false, true});
    return t;
}

} // namespace

DrillReviewOutputs write_drill_review_report(const sim::DrillReview& review,
                                             const planner::Plan& plan, const fs::path& dir,
                                             const std::vector<fs::path>& inputs,
                                             const SuppressionRule& rule) {
    create_output_dir(dir);
    DrillReviewOutputs out;
    out.pdf = dir / "drill_review.pdf";
    out.html = dir / "drill_review.html";
    out.csv = {dir / "drill_review.csv", dir / "drill_changes.csv", dir / "drill_flags.csv"};
    out.council_pdf = dir / "drill_council.pdf";
    out.council_html = dir / "drill_council.html";
    out.council_csv = dir / "drill_council.csv";
    for (const auto& p : {out.pdf, out.html, out.csv[0], out.csv[1], out.csv[2], out.council_pdf,
                          out.council_html, out.council_csv}) {
        ensure_not_an_input(p, inputs);
    }
    const auto blocks = review_blocks(review, plan);
    const std::string footer =
        "取扱注意（個人情報）　sonae " + plan.scenario_name + " 訓練の振り返り";
    detail::DocumentInfo info;
    info.title = "訓練の振り返り " + plan.scenario_name;
    info.subject = "訓練の振り返り（個人情報）";
    info.running_head = "訓練の振り返り（" + plan.scenario_name + "）　取扱注意";
    info.footer = footer;
    info.create_date = create_date(review.date);
    write_pdf(out.pdf, FileMode::personal, blocks, info);
    write_file_atomically(out.html, detail::render_html(blocks.blocks(), info.title, footer),
                          FileMode::personal);
    write_file_atomically(out.csv[0], csv(sim::drill_review_rows(review)), FileMode::personal);
    write_file_atomically(out.csv[1], csv(sim::drill_change_rows(review)), FileMode::personal);
    write_file_atomically(out.csv[2], csv(flag_rows(review)), FileMode::personal);

    // A council release that cannot be protected is not written (report/suppression.hpp).
    std::optional<CouncilDrill> council_built;
    try {
        council_built = council_blocks(review, plan, rule);
    } catch (const DisclosureError&) {
        out.council_pdf.clear();
        out.council_html.clear();
        out.council_csv.clear();
        return out;
    }
    const auto& council = *council_built;
    const std::string cfooter =
        "集計値のみ（個人情報を含みません）　小さな数は「x」で秘匿　sonae " + plan.scenario_name;
    detail::DocumentInfo cinfo = info;
    cinfo.title = "訓練の振り返り 協議の場への報告 " + plan.scenario_name;
    cinfo.subject = "集計報告";
    cinfo.running_head = "訓練の振り返り　協議の場への報告（" + plan.scenario_name + "）";
    cinfo.footer = cfooter;
    write_pdf(out.council_pdf, FileMode::shared, council.blocks, cinfo);
    write_file_atomically(out.council_html,
                          detail::render_html(council.blocks.blocks(), cinfo.title, cfooter),
                          FileMode::shared);
    write_file_atomically(out.council_csv, csv(council.csv), FileMode::shared);
    return out;
}

// ---------------------------------------------------------------------------------------
// Two drills side by side

namespace {

std::string drill_label(const std::string& title, const std::string& date,
                        const std::optional<double>& t0) {
    std::string s = title.empty() ? std::string("（訓練名なし）") : title;
    if (!date.empty()) {
        const auto d = detail::parse_date(date);
        s += "　" + (d ? detail::format_date_ja(*d) : date);
    }
    if (t0) s += "　開始 " + sim::format_clock(*t0);
    return s;
}

detail::Blocks compare_blocks(const sim::DrillComparison& c) {
    detail::Blocks b;
    b.title(
        "訓練の比較（前回と今回）",
        "シナリオ: " + c.scenario +
            "\n取扱注意: 個人情報（要配慮個人情報）を含みます。関係者以外に渡さないでください。");
    auto files = [](const std::vector<std::string>& v) {
        std::string s;
        for (const auto& f : v) s += (s.empty() ? "" : "\n") + fs::path(f).filename().string();
        return s.empty() ? std::string("—") : s;
    };
    b.key_values({{"前回の訓練", drill_label(c.before_title, c.before_date, c.before_t0_clock_min)},
                  {"今回の訓練", drill_label(c.after_title, c.after_date, c.after_t0_clock_min)},
                  {"前回の記録", files(c.before_files)},
                  {"今回の記録", files(c.after_files)},
                  {"比べた児童", std::to_string(c.children.size()) + "人"}});
    b.note("時刻はそれぞれの訓練の t0 "
           "からの分。所要は、両方の訓練で記録された一つ前の段階からの分です（片方だけで記録された"
           "段階は"
           "次の段階の所要に含めます）。差は 今回−前回: "
           "マイナスは速くなった、プラスは遅くなった。1分未満の差は「変わらない」。");

    b.heading("段階ごとの傾向（両方に参加した児童）");
    if (c.steps.empty()) {
        b.paragraph("比べられる段階がありません。");
    } else {
        detail::Table t;
        t.columns = {{"段階", 1.3},
                     {"比べた児童", 0.9, detail::Align::right},
                     {"速くなった", 0.9, detail::Align::right},
                     {"遅くなった", 0.9, detail::Align::right},
                     {"変わらない", 0.9, detail::Align::right},
                     {"差の中央値(分)", 1.1, detail::Align::right}};
        for (const auto& st : c.steps) {
            detail::TableRow row;
            row.cells = {std::string(sim::japanese_label(st.step)),
                         std::to_string(st.compared),
                         std::to_string(st.faster),
                         std::to_string(st.slower),
                         std::to_string(st.same),
                         st.median_change_min ? signed1(*st.median_change_min) : std::string("—")};
            row.alert = st.median_change_min && *st.median_change_min >= 1.0;
            t.rows.push_back(std::move(row));
        }
        b.table(std::move(t));
    }

    b.heading("児童ごとの段階");
    for (const auto& id : c.children) {
        b.subheading(id);
        detail::Table t;
        t.font_pt = 8.5;
        t.columns = {{"段階", 1.1},
                     {"前回", 0.8, detail::Align::right},
                     {"今回", 0.8, detail::Align::right},
                     {"所要 前回", 0.8, detail::Align::right},
                     {"所要 今回", 0.8, detail::Align::right},
                     {"差", 0.7, detail::Align::right},
                     {"判定", 0.9}};
        for (const auto& r : c.rows) {
            if (r.child_id != id) continue;
            detail::TableRow row;
            row.cells = {r.step_name,
                         when(r.before_min, c.before_t0_clock_min),
                         when(r.after_min, c.after_t0_clock_min),
                         opt_min(r.before_duration_min),
                         opt_min(r.after_duration_min),
                         r.change_min ? signed1(*r.change_min) : std::string("—"),
                         std::string(sim::japanese_label(r.verdict))};
            row.alert = r.verdict == sim::DrillCompareRow::Verdict::slower;
            t.rows.push_back(std::move(row));
        }
        b.table(std::move(t));
    }

    bool any_event = false;
    for (const auto& r : c.rows) any_event = any_event || r.child_id.empty();
    if (any_event) {
        b.heading("訓練全体の段階（役割ごと）");
        b.note("t0 からの分で比べています（差は時刻の差）。");
        detail::Table t;
        t.columns = {{"段階", 2.2},
                     {"前回", 0.8, detail::Align::right},
                     {"今回", 0.8, detail::Align::right},
                     {"差", 0.7, detail::Align::right},
                     {"判定", 0.9}};
        for (const auto& r : c.rows) {
            if (!r.child_id.empty()) continue;
            detail::TableRow row;
            row.cells = {r.step_name, when(r.before_min, c.before_t0_clock_min),
                         when(r.after_min, c.after_t0_clock_min),
                         r.change_min ? signed1(*r.change_min) : std::string("—"),
                         std::string(sim::japanese_label(r.verdict))};
            row.alert = r.verdict == sim::DrillCompareRow::Verdict::slower;
            t.rows.push_back(std::move(row));
        }
        b.table(std::move(t));
    }
    if (!c.only_before.empty() || !c.only_after.empty()) {
        b.heading("片方の訓練だけに参加した児童");
        auto join = [](const std::vector<std::string>& v) {
            std::string s;
            for (const auto& x : v) s += (s.empty() ? "" : "、") + x;
            return s.empty() ? std::string("なし") : s;
        };
        b.key_values({{"前回だけ", join(c.only_before)}, {"今回だけ", join(c.only_after)}});
    }
    if (!c.warnings.empty()) {
        b.heading("注意");
        for (const auto& w : c.warnings) b.paragraph(w);
    }
    return b;
}

} // namespace

DrillCompareOutputs write_drill_compare_report(const sim::DrillComparison& comparison,
                                               const fs::path& dir,
                                               const std::vector<fs::path>& inputs) {
    DrillCompareOutputs out{dir / "drill_compare.pdf", dir / "drill_compare.html",
                            dir / "drill_compare.csv"};
    for (const auto& p : {out.pdf, out.html, out.csv}) ensure_not_an_input(p, inputs);
    create_output_dir(dir);
    const auto blocks = compare_blocks(comparison);
    const std::string footer = "取扱注意（個人情報）　sonae " + comparison.scenario + " 訓練の比較";
    detail::DocumentInfo info;
    info.title = "訓練の比較 " + comparison.scenario;
    info.subject = "訓練の比較（個人情報）";
    info.running_head = "訓練の比較（" + comparison.scenario + "）　取扱注意";
    info.footer = footer;
    info.create_date = create_date(comparison.after_date);
    write_pdf(out.pdf, FileMode::personal, blocks, info);
    write_file_atomically(out.html, detail::render_html(blocks.blocks(), info.title, footer),
                          FileMode::personal);
    write_file_atomically(out.csv, csv(sim::drill_compare_rows(comparison)), FileMode::personal);
    return out;
}

// ---------------------------------------------------------------------------------------
// The drill kit

std::vector<std::vector<std::string>> drill_template_rows(const sim::DrillFile& planned) {
    std::vector<std::vector<std::string>> rows;
    rows.push_back({"訓練名", planned.title});
    rows.push_back({"訓練日", planned.date});
    rows.push_back({"開始時刻", planned.t0_clock_min ? sim::format_clock(*planned.t0_clock_min)
                                                     : std::string()});
    std::string ids;
    for (const auto& id : planned.participants) ids += (ids.empty() ? "" : ";") + id;
    rows.push_back({"参加児童", ids});
    rows.push_back({"シナリオ", planned.scenario});
    rows.push_back({"児童ID", "段階", "計画", "担当", "内容", "記録項目", "記録時刻", "電池残量",
                    "忘れ物", "支援者数", "障壁", "連絡", "備考"});
    auto time = [&](const std::optional<double>& m) -> std::string {
        if (!m) return "";
        if (planned.t0_clock_min) return sim::format_clock(*planned.t0_clock_min + *m);
        return fixed1(*m);
    };
    for (const auto& e : planned.entries) {
        rows.push_back({e.child_id, e.step_name, time(e.planned_min), e.who, e.what, e.record, "",
                        "", "", "", "", "", ""});
    }
    return rows;
}

DrillKitOutputs write_drill_kit(const sim::DrillFile& planned, const planner::Plan& plan,
                                const fs::path& dir, const std::vector<fs::path>& inputs) {
    create_output_dir(dir);
    DrillKitOutputs out;
    out.roles_pdf = dir / "drill_roles.pdf";
    out.template_csv = dir / "drill_record_template.csv";
    out.template_xlsx = dir / "drill_record_template.xlsx";
    ensure_not_an_input(out.roles_pdf, inputs);
    ensure_not_an_input(out.template_csv, inputs);
    ensure_not_an_input(out.template_xlsx, inputs);
    const auto t0c = planned.t0_clock_min;
    auto planned_text = [&](const std::optional<double>& m) -> std::string {
        if (!m) return "—";
        if (t0c) return sim::format_clock(*t0c + *m) + "（" + fixed1(*m) + "分）";
        return fixed1(*m) + "分";
    };
    std::string head;
    if (!planned.date.empty()) {
        const auto d = detail::parse_date(planned.date);
        head += "訓練日: " + (d ? detail::format_date_ja(*d) : planned.date) + "　";
    }
    head += "開始（t0）: " + (t0c ? sim::format_clock(*t0c) : std::string("____:____")) + "（" +
            plan.t0_label + "）";
    const std::string title = planned.title.empty() ? plan.scenario_title : planned.title;
    const std::string cdate = create_date(planned.date);

    for (const auto& id : planned.participants) {
        const auto cp = std::find_if(plan.children.begin(), plan.children.end(),
                                     [&](const planner::ChildPlan& c) { return c.child_id == id; });
        if (cp == plan.children.end()) continue;
        detail::Blocks b;
        b.title("訓練 記録用紙　" + id, title + "\n" + head + "\n取扱注意: 個人情報を含みます");
        if (plan.approximate)
            b.note("計画の時刻は直線距離による概算です（道路網なし）: " + plan.approximation_note);
        std::vector<std::pair<std::string, std::string>> kv;
        // A facility's name from the plan (its facilities, or the child's destinations per
        // hazard, which also name a fallback the plan does not use), else its id.
        auto facility_text = [&](const std::string& fid) {
            for (const auto& f : plan.facilities)
                if (f.facility_id == fid) return f.name + "（" + fid + "）";
            for (const auto& d : cp->destinations_by_hazard)
                if (d.facility_id == fid && !d.facility_name.empty())
                    return d.facility_name + "（" + fid + "）";
            // plan.json lists the facilities the plan uses; an unused fallback is named in the
            // child's reasons (planner/stages/child_plans.cpp, as the guidebook prints it).
            if (fid == cp->fallback_facility_id) {
                for (const auto& r : cp->reasons) {
                    for (const std::string key : {"(if the family must leave): ", "(fallback): "}) {
                        if (const auto at = r.find(key); at != std::string::npos) {
                            const auto name = r.substr(at + key.size());
                            if (!name.empty() && name.find(';') == std::string::npos)
                                return name + "（" + fid + "）";
                        }
                    }
                }
            }
            return fid;
        };
        std::string destination;
        std::string transport = std::string(planner::label_ja(cp->transport)) +
                                (cp->vehicle_id.empty() ? "" : "（" + cp->vehicle_id + "）");
        if (cp->outcome == planner::Outcome::shelter_in_place) {
            // 在宅避難 is a plan, not a failure: the sheet says so and names where to go if the
            // family must leave (the drill may rehearse that move).
            destination = "在宅避難（自宅にとどまる）";
            if (!cp->fallback_facility_id.empty())
                destination +=
                    "\nやむを得ず移動するとき: " + facility_text(cp->fallback_facility_id);
            transport = "計画では移動しない（訓練で移動するときはその手段を記録）";
        } else if (cp->facility_id.empty() || cp->outcome == planner::Outcome::cannot_serve) {
            destination = "未定（計画で対応できない: 受け入れ先または搬送手段がない）";
            if (!cp->fallback_facility_id.empty())
                destination += "\n代替先: " + facility_text(cp->fallback_facility_id);
            if (cp->outcome == planner::Outcome::cannot_serve)
                transport = "未定（訓練で使った車両・支援者を記録）";
        } else {
            destination = facility_text(cp->facility_id);
        }
        kv.emplace_back("避難先", destination);
        kv.emplace_back("移動", transport);
        if (const auto lb = sim::leave_by_min(*cp))
            kv.emplace_back("自宅を出る期限（災害が及ぶ時刻）", planned_text(*lb));
        if (const auto ab = sim::arrive_by_min(*cp))
            kv.emplace_back("電源につなぐ期限（電池・酸素が尽きる時刻）", planned_text(*ab));
        b.key_values(kv);
        b.heading("段階ごとの時刻");
        b.note("それぞれの段階が終わった時計の時刻を書いてください（例 "
               "10:12）。電池残量は機器の表示の%。");
        detail::Table t;
        t.columns = {{"段階", 1.0},         {"内容", 2.0},       {"計画", 1.2},
                     {"時刻（記入）", 1.1}, {"電池残量 %", 0.8}, {"メモ", 1.6}};
        for (const auto& e : planned.entries) {
            if (e.child_id != id) continue;
            t.rows.push_back(
                {{e.step_name + "\n\n", e.what, planned_text(e.planned_min), "　　：", "", ""}});
        }
        b.table(std::move(t));
        b.heading("訓練で記録すること");
        b.table(boxes({{"忘れ物（取りに戻った物も）", "\n\n"},
                       {"支援者（人数・誰が来たか）", "\n\n"},
                       {"障壁（段差・エレベーター・駐車・天候など）", "\n\n\n"},
                       {"連絡（医療機器メーカー・主治医・訪問看護）", "\n\n"},
                       {"気づいたこと", "\n\n\n"}},
                      0.38));
        const auto path = dir / ("drill_sheet_" + id + ".pdf");
        ensure_not_an_input(path, inputs);
        detail::DocumentInfo info;
        info.title = "訓練 記録用紙 " + id;
        info.subject = "訓練 記録用紙（個人情報）";
        info.running_head = "訓練 記録用紙　" + id + "　取扱注意";
        info.footer = "sonae drill kit　" + plan.scenario_name;
        info.create_date = cdate;
        write_pdf(path, FileMode::personal, b, info);
        out.child_sheets.push_back(path);
    }

    // One sheet per role from the timeline's who/what/record.
    detail::Blocks roles;
    roles.title("訓練 役割ごとの用紙", title + "\n" + head);
    if (plan.approximate)
        roles.note("計画の時刻は直線距離による概算です（道路網なし）: " + plan.approximation_note);
    std::vector<std::string> order;
    std::map<std::string, std::vector<const sim::DrillEntry*>> by_role;
    for (const auto& e : planned.entries) {
        if (!e.child_id.empty()) continue;
        const std::string who = e.who.empty() ? "担当未定" : e.who;
        if (!by_role.count(who)) order.push_back(who);
        by_role[who].push_back(&e);
    }
    if (order.empty())
        roles.paragraph(
            "このシナリオの訓練計画には役割ごとの段階がありません（drill timeline を確認）。");
    bool first = true;
    for (const auto& who : order) {
        if (!first) roles.page_break();
        first = false;
        roles.heading("役割: " + who);
        detail::Table t;
        t.columns = {{"段階", 1.3},         {"計画", 1.1},         {"すること", 2.4},
                     {"記録すること", 1.6}, {"時刻（記入）", 0.9}, {"記録", 1.4}};
        for (const auto* e : by_role[who]) {
            t.rows.push_back({{e->step_name, planned_text(e->planned_min), e->what, e->record,
                               "　　：", "\n\n"}});
        }
        roles.table(std::move(t));
        roles.table(boxes({{"気づいたこと・障壁", "\n\n\n"}}, 0.3));
    }
    // The drivers' sheets: each scheduled vehicle's tour in the plan (whom to pick up where and
    // when, where to take them), with a box for the clock time of each stop.
    for (const auto& tour : plan.tours) {
        if (tour.stops.empty()) continue;
        if (!first) roles.page_break();
        first = false;
        const std::string type = tour.vehicle_type == "ambulance"    ? "救急車（民間救急）"
                                 : tour.vehicle_type == "family_car" ? "乗用車"
                                                                     : "福祉車両";
        roles.heading("役割: 車両 " + tour.vehicle_id + "（" + type + "）の運転者・同乗者");
        roles.note("計画の迎えと送り（plan.json の tours）。参加児童でない子の停車は、訓練では"
                   "時刻だけ確かめてください。");
        detail::Table t;
        t.columns = {{"計画（着）", 1.1},
                     {"計画（発）", 1.1},
                     {"すること", 3.0},
                     {"時刻（記入）", 0.9},
                     {"記録", 1.4}};
        const std::set<std::string> taking_part(planned.participants.begin(),
                                                planned.participants.end());
        for (std::size_t i = 0; i < tour.stops.size(); ++i) {
            const auto& st = tour.stops[i];
            std::string what;
            switch (st.kind) {
            case planner::StopKind::depot: what = i == 0 ? "拠点を出る" : "拠点に戻る"; break;
            case planner::StopKind::pickup:
                what = st.child_id + " を自宅で迎える（乗車・機器を車両の電源に）";
                break;
            case planner::StopKind::delivery: {
                std::string where = st.facility_id;
                for (const auto& f : plan.facilities)
                    if (f.facility_id == st.facility_id)
                        where = f.name + "（" + f.facility_id + "）";
                what = st.child_id + " を " + where + " へ送る";
                break;
            }
            }
            if (!st.child_id.empty() && !taking_part.count(st.child_id))
                what += "（訓練の参加児童ではない）";
            auto at = [&](std::int64_t s) {
                return planned_text(std::optional<double>(static_cast<double>(s) / 60.0));
            };
            t.rows.push_back({{at(st.arrival_s), at(st.departure_s), what, "　　：", "\n"}});
        }
        roles.table(std::move(t));
        roles.table(boxes({{"気づいたこと・障壁（道路・駐車・乗せ降ろし）", "\n\n\n"}}, 0.3));
    }
    detail::DocumentInfo info;
    info.title = "訓練 役割ごとの用紙 " + plan.scenario_name;
    info.subject = "訓練 役割ごとの用紙";
    info.running_head = "訓練 役割ごとの用紙（" + plan.scenario_name + "）";
    info.footer = "sonae drill kit　" + plan.scenario_name;
    info.create_date = cdate;
    write_pdf(out.roles_pdf, FileMode::personal, roles, info);
    const auto template_rows = drill_template_rows(planned);
    write_file_atomically(out.template_csv, planner::format_csv(template_rows), FileMode::personal);
    // The same template as an Excel workbook (one sheet, the rows as in the CSV).
    AtomicPath xlsx(out.template_xlsx, FileMode::personal);
    geo::write_sheet_rows(xlsx.temp(), "訓練記録", template_rows);
    xlsx.commit();
    return out;
}

} // namespace sonae::report
