#include "sim/drill.hpp"

#include "geo/atomic_file.hpp"
#include "geo/error.hpp"
#include "planner/csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace sonae::sim {

namespace {

struct StepName {
    DrillStep step;
    std::string_view name;
    std::string_view label;
    std::vector<std::string_view> aliases;
};

const std::vector<StepName>& step_names() {
    static const std::vector<StepName> names = {
        {DrillStep::alert, "alert", "警報", {"警報発令", "発令", "避難情報"}},
        {DrillStep::decision, "decision", "避難決定", {"決定", "避難判断"}},
        {DrillStep::packing_done, "packing_done", "準備完了", {"packing", "荷造り完了", "準備"}},
        {DrillStep::carried_out, "carried_out", "搬出", {"搬出完了", "carry_out"}},
        {DrillStep::loaded, "loaded", "乗車", {"積込", "積み込み", "乗車完了", "loading"}},
        {DrillStep::departed, "departed", "出発", {"departure", "移動開始"}},
        {DrillStep::arrived, "arrived", "到着", {"arrival", "避難先到着"}},
        {DrillStep::power_connected, "power_connected", "電源接続", {"power", "電源接続完了"}},
    };
    return names;
}

std::string fixed1(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

std::string opt(const std::optional<double>& v) { return v ? fixed1(*v) : std::string(); }

} // namespace

std::string_view to_string(DrillStep step) { return step_names()[static_cast<std::size_t>(step)].name; }
std::string_view japanese_label(DrillStep step) { return step_names()[static_cast<std::size_t>(step)].label; }

std::optional<DrillStep> parse_drill_step(std::string_view text) {
    const auto key = planner::normalize_key(text);
    for (const auto& s : step_names()) {
        if (key == planner::normalize_key(s.name) || key == planner::normalize_key(s.label)) return s.step;
        for (const auto a : s.aliases) {
            if (key == planner::normalize_key(a)) return s.step;
        }
    }
    return std::nullopt;
}

namespace {
DrillTimes from_document(const planner::CsvDocument& doc) {
    const std::string& file = doc.file;
    static const std::vector<planner::ColumnSpec> specs = {
        {"child_id", {"児童ID", "児童id", "ID", "対象者ID"}, true},
        {"step", {"段階", "工程", "ステップ"}, true},
        {"minutes", {"経過時間", "経過分", "分", "時刻(分)", "minutes_after_t0"}, true},
    };
    for (const auto& d : doc.diagnostics) {
        if (d.severity == Diagnostic::Severity::error) throw InputError(d.message, d.where);
    }
    auto table = planner::table_from_csv(doc, specs);
    for (const auto& d : table.diagnostics) {
        if (d.severity == Diagnostic::Severity::error) throw InputError("drill times: " + d.message, d.where);
    }
    const auto match = planner::match_columns(table.columns, specs);
    for (std::size_t k = 0; k < specs.size(); ++k) {
        if (!match.index[k]) {
            throw InputError("drill times: the column '" + std::string(specs[k].name) +
                                 "' is missing (expected child_id/児童ID, step/段階, minutes/経過時間)",
                             {.file = file, .line = table.header_line, .field = std::string(specs[k].name)});
        }
    }
    const auto ci = *match.index[0], si = *match.index[1], mi = *match.index[2];
    DrillTimes out;
    out.file = file;
    std::set<std::pair<std::string, DrillStep>> seen;
    for (const auto& row : table.rows) {
        auto where = [&](std::size_t col) { return table.where(row, col); };
        DrillRecord r;
        r.line = row.line;
        r.child_id = row.values[ci];
        if (r.child_id.empty()) throw InputError("drill times: the child id is empty", where(ci));
        const auto step = parse_drill_step(row.values[si]);
        if (!step) {
            throw InputError("drill times: unknown step (expected alert, decision, packing_done, carried_out, loaded, "
                             "departed, arrived, power_connected or 警報, 避難決定, 準備完了, 搬出, 乗車, 出発, 到着, 電源接続)",
                             where(si));
        }
        r.step = *step;
        const auto& v = row.values[mi];
        double m = 0.0;
        const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), m);
        if (v.empty() || ec != std::errc() || ptr != v.data() + v.size() || !std::isfinite(m)) {
            throw InputError("drill times: the minutes after t0 are not a number", where(mi));
        }
        if (m < 0.0) throw InputError("drill times: the minutes after t0 are negative", where(mi));
        r.minutes = m;
        if (!seen.insert({r.child_id, r.step}).second) {
            throw InputError("drill times: this child and step are recorded twice", where(si));
        }
        out.records.push_back(std::move(r));
    }
    std::sort(out.records.begin(), out.records.end(), [](const DrillRecord& a, const DrillRecord& b) {
        return std::tie(a.child_id, a.step) < std::tie(b.child_id, b.step);
    });
    return out;
}
} // namespace

DrillTimes parse_drill_times(std::string_view bytes, const std::string& file) {
    return from_document(planner::parse_csv(bytes, file));
}

DrillTimes read_drill_times(const std::filesystem::path& path) {
    return from_document(planner::read_csv_file(path)); // IoError if unreadable
}

DrillReview drill_review(const planner::Plan& plan, double decision_min, const MonteCarloResult& mc,
                         const DrillTimes& drill) {
    DrillReview review;
    std::map<std::string, std::array<std::optional<double>, kDrillSteps>> actual;
    for (const auto& r : drill.records) actual[r.child_id][static_cast<std::size_t>(r.step)] = r.minutes;

    std::map<std::string, std::size_t> plan_index, mc_index;
    for (std::size_t i = 0; i < plan.children.size(); ++i) plan_index[plan.children[i].child_id] = i;
    for (std::size_t i = 0; i < mc.children.size(); ++i) mc_index[mc.children[i].child_id] = i;

    std::vector<std::string> order;
    for (const auto& c : plan.children) {
        if (actual.count(c.child_id)) order.push_back(c.child_id);
    }
    for (const auto& [id, steps] : actual) {
        if (!plan_index.count(id)) {
            order.push_back(id);
            review.warnings.push_back("drill child '" + id + "' is not in the plan (計画にない児童): only actual times");
        }
        std::optional<double> last;
        for (std::size_t k = 0; k < kDrillSteps; ++k) {
            if (!steps[k]) continue;
            if (last && *steps[k] < *last) {
                review.warnings.push_back("drill child '" + id + "': step '" +
                                          std::string(to_string(static_cast<DrillStep>(k))) +
                                          "' was recorded before an earlier step (順序が逆)");
            }
            last = steps[k];
        }
    }
    auto min_of = [](std::int64_t s) { return s >= 0 ? std::optional<double>(static_cast<double>(s) / 60.0) : std::nullopt; };
    for (const auto& id : order) {
        const planner::ChildPlan* cp = nullptr;
        if (const auto it = plan_index.find(id); it != plan_index.end()) cp = &plan.children[it->second];
        const ChildStats* cs = nullptr;
        if (const auto it = mc_index.find(id); it != mc_index.end()) cs = &mc.children[it->second];
        for (std::size_t k = 0; k < kDrillSteps; ++k) {
            DrillReviewRow row;
            row.child_id = id;
            row.step = static_cast<DrillStep>(k);
            row.actual_min = actual[id][k];
            auto sim = [&](const Quantiles& q, std::int64_t n) {
                if (n > 0) {
                    row.simulated_p50_min = q.p50 / 60.0;
                    row.simulated_p95_min = q.p95 / 60.0;
                }
            };
            switch (row.step) {
            case DrillStep::alert:
                if (cp) row.planned_min = 0.0;
                if (cs) row.simulated_p50_min = row.simulated_p95_min = 0.0;
                break;
            case DrillStep::decision:
                if (cp) row.planned_min = decision_min;
                if (cs) sim(cs->decision_s, cs->runs_decided);
                break;
            case DrillStep::packing_done:
                if (cp) row.planned_min = min_of(cp->earliest_departure_s);
                if (cs) sim(cs->ready_s, cs->runs_ready);
                break;
            case DrillStep::carried_out: break;
            case DrillStep::loaded:
            case DrillStep::departed:
                if (cp && cp->arrival_s >= 0) row.planned_min = min_of(cp->planned_departure_s);
                if (cs) sim(cs->departure_s, cs->runs_departed);
                break;
            case DrillStep::arrived:
                if (cp) row.planned_min = min_of(cp->arrival_s);
                if (cs) sim(cs->arrival_s, cs->runs_arrived);
                break;
            case DrillStep::power_connected:
                if (cs) sim(cs->powered_s, cs->runs_powered);
                break;
            }
            review.rows.push_back(std::move(row));
        }
    }
    return review;
}

std::vector<std::vector<std::string>> drill_review_rows(const DrillReview& review) {
    std::vector<std::vector<std::string>> rows;
    rows.push_back({"児童ID", "段階", "step", "計画(分)", "シミュレーション p50(分)", "シミュレーション p95(分)",
                    "実績(分)", "実績−計画(分)", "実績−シミュレーションp50(分)"});
    for (const auto& r : review.rows) {
        std::optional<double> d_plan, d_sim;
        if (r.actual_min && r.planned_min) d_plan = *r.actual_min - *r.planned_min;
        if (r.actual_min && r.simulated_p50_min) d_sim = *r.actual_min - *r.simulated_p50_min;
        rows.push_back({r.child_id, std::string(japanese_label(r.step)), std::string(to_string(r.step)), opt(r.planned_min),
                        opt(r.simulated_p50_min), opt(r.simulated_p95_min), opt(r.actual_min), opt(d_plan), opt(d_sim)});
    }
    return rows;
}

void write_drill_review(const std::filesystem::path& path, const DrillReview& review) {
    write_file_atomically(path, planner::format_csv(drill_review_rows(review)), FileMode::personal);
}

} // namespace sonae::sim
