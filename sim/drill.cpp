#include "sim/drill.hpp"

#include "core/atomic_file.hpp"
#include "core/calendar.hpp"
#include "core/error.hpp"
#include "core/time_text.hpp"
#include "planner/csv.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <iterator>
#include <map>
#include <set>

namespace sonae::sim {

namespace {

struct StepName {
    DrillStep step;
    std::string_view name;
    std::string_view label;
    std::string_view description;
    std::vector<std::string_view> aliases;
};

const std::vector<StepName>& step_names() {
    static const std::vector<StepName> names = {
        {DrillStep::alert,
         "alert",
         "警報",
         "避難情報（警戒レベル3など）を受け取った",
         {"警報発令", "発令", "避難情報", "連絡"}},
        {DrillStep::decision,
         "decision",
         "避難決定",
         "家族が避難を決めた",
         {"決定", "避難判断", "判断"}},
        {DrillStep::packing_done,
         "packing_done",
         "準備完了",
         "機器・バッテリー・物品の準備が終わった",
         {"packing", "荷造り完了", "準備", "準備・積込み"}},
        {DrillStep::carried_out,
         "carried_out",
         "搬出",
         "本人を家の外へ運び出した",
         {"搬出完了", "carry_out"}},
        {DrillStep::loaded,
         "loaded",
         "乗車",
         "本人と機器が車に乗った",
         {"積込", "積み込み", "乗車完了", "loading"}},
        {DrillStep::departed, "departed", "出発", "自宅を出発した", {"departure", "移動開始"}},
        {DrillStep::arrived, "arrived", "到着", "避難先に到着した", {"arrival", "避難先到着"}},
        {DrillStep::power_connected,
         "power_connected",
         "電源接続",
         "機器を避難先の電源につないだ",
         {"power", "電源接続完了"}},
    };
    return names;
}

std::string fixed1(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f", v == 0.0 ? 0.0 : v); // no "-0.0"
    return buf;
}

std::string opt(const std::optional<double>& v) {
    return v ? fixed1(*v) : std::string();
}

std::string trim(std::string_view s) {
    auto is_space = [](std::string_view t, std::size_t i) -> std::size_t {
        if (i < t.size() && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n')) return 1;
        if (t.substr(i, 3) == "\xE3\x80\x80") return 3; // U+3000 ideographic space
        return 0;
    };
    std::size_t b = 0;
    while (b < s.size()) {
        const auto n = is_space(s, b);
        if (n == 0) break;
        b += n;
    }
    std::size_t e = s.size();
    while (e > b) {
        if (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r' || s[e - 1] == '\n') {
            --e;
        } else if (e - b >= 3 && s.substr(e - 3, 3) == "\xE3\x80\x80") {
            e -= 3;
        } else {
            break;
        }
    }
    return std::string(s.substr(b, e - b));
}

/// Full-width digits, colon, period, plus and minus to ASCII; other bytes kept.
std::string ascii_digits(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBC) {
            const auto d = static_cast<unsigned char>(s[i + 2]);
            if (d >= 0x90 && d <= 0x99) {
                out += static_cast<char>('0' + (d - 0x90));
                i += 3;
                continue;
            }
            if (d == 0x9A) {
                out += ':';
                i += 3;
                continue;
            }
            if (d == 0x8E) {
                out += '.';
                i += 3;
                continue;
            }
            if (d == 0x8B) {
                out += '+';
                i += 3;
                continue;
            }
            if (d == 0x8D) {
                out += '-';
                i += 3;
                continue;
            }
        }
        out += s[i];
        ++i;
    }
    return out;
}

bool strip_prefix(std::string& s, std::string_view p) {
    if (s.rfind(p, 0) == 0) {
        s.erase(0, p.size());
        return true;
    }
    return false;
}

bool strip_suffix(std::string& s, std::string_view p) {
    if (s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0) {
        s.erase(s.size() - p.size());
        return true;
    }
    return false;
}

std::optional<double> to_number(std::string_view s) {
    if (s.empty()) return std::nullopt;
    double v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

std::optional<std::int64_t> to_int(std::string_view s) {
    if (s.empty()) return std::nullopt;
    std::int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
    return v;
}

/// Splits "a;b、c d" into ids.
std::vector<std::string> split_ids(std::string_view text) {
    std::string s(text);
    for (const std::string_view sep : {"、", "，", "；", "\xE3\x80\x80"}) {
        for (auto at = s.find(sep); at != std::string::npos; at = s.find(sep))
            s.replace(at, sep.size(), " ");
    }
    for (auto& c : s) {
        if (c == ';' || c == ',' || c == '\t') c = ' ';
    }
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < s.size()) {
        while (i < s.size() && s[i] == ' ') ++i;
        std::size_t j = i;
        while (j < s.size() && s[j] != ' ') ++j;
        if (j > i) out.push_back(s.substr(i, j - i));
        i = j;
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

const std::vector<planner::ColumnSpec>& drill_specs() {
    static const std::vector<planner::ColumnSpec> specs = {
        {"child_id", {"児童ID", "児童id", "ID", "対象者ID", "対象児童"}, false},
        {"step", {"段階", "工程", "ステップ", "手順"}, true},
        {"planned", {"計画", "計画時刻", "予定", "予定時刻", "planned_min", "計画(分)"}, false},
        {"who", {"担当", "誰が", "担当者", "役割"}, false},
        {"what", {"内容", "何を", "行うこと"}, false},
        {"record", {"記録項目", "記録すること", "記録する項目"}, false},
        {"recorded",
         {"記録時刻", "実績", "実績時刻", "時刻", "recorded_min", "minutes", "経過時間", "経過分",
          "分", "時刻(分)", "minutes_after_t0"},
         false},
        {"battery_pct",
         {"電池残量", "バッテリー残量", "battery", "電池残量(%)", "バッテリー残量(%)"},
         false},
        {"forgotten", {"忘れ物", "forgotten_items"}, false},
        {"helpers", {"支援者数", "支援者", "helpers_present"}, false},
        {"barriers", {"障壁", "困ったこと", "バリア"}, false},
        {"contacts", {"連絡", "連絡先", "連絡したところ", "メーカー・主治医への連絡"}, false},
        {"notes", {"備考", "メモ", "気づき"}, false},
    };
    return specs;
}

enum Col : std::size_t {
    c_child,
    c_step,
    c_planned,
    c_who,
    c_what,
    c_record,
    c_recorded,
    c_battery,
    c_forgotten,
    c_helpers,
    c_barriers,
    c_contacts,
    c_notes,
    c_count
};

enum class MetaKey { title, date, t0_clock, participants, scenario };

std::optional<MetaKey> meta_key(std::string_view text) {
    static const std::vector<std::pair<MetaKey, std::vector<std::string_view>>> keys = {
        {MetaKey::title, {"drill_name", "訓練名", "訓練", "title"}},
        {MetaKey::date, {"drill_date", "訓練日", "実施日", "date", "日付"}},
        {MetaKey::t0_clock, {"t0_clock", "開始時刻", "t0", "訓練開始時刻", "t0時刻", "警報時刻"}},
        {MetaKey::participants, {"participants", "参加児童", "参加者", "参加児童ID"}},
        {MetaKey::scenario, {"scenario", "シナリオ"}},
    };
    const auto key = planner::normalize_key(text);
    for (const auto& [k, names] : keys) {
        for (const auto n : names) {
            if (key == planner::normalize_key(n)) return k;
        }
    }
    return std::nullopt;
}

/// Converts a time cell to minutes after t0, or throws naming the cell.
std::optional<double> time_cell(const std::string& text, const std::optional<double>& t0_clock,
                                const Where& where, const std::string& what) {
    if (text.empty()) return std::nullopt;
    const auto t = parse_drill_time(text);
    if (!t) {
        throw InputError("drill file: the " + what +
                             " time is neither a clock time (10:12, 10時12分) nor minutes "
                             "after t0 (12)",
                         where);
    }
    if (t->minutes) {
        if (*t->minutes < 0)
            throw InputError("drill file: the " + what + " time is before t0 (negative minutes)",
                             where);
        return *t->minutes;
    }
    if (!t0_clock) {
        throw InputError(
            "drill file: a clock time needs the drill's start time: add a row '開始時刻,10:00' "
            "(t0_clock) above the table",
            where);
    }
    const double m = *t->clock_min - *t0_clock;
    if (m < 0) {
        throw InputError("drill file: the " + what + " time " + text + " is before t0 (" +
                             format_clock(*t0_clock) + ")",
                         where);
    }
    return m;
}

} // namespace

std::string_view to_string(DrillStep step) {
    return step_names()[static_cast<std::size_t>(step)].name;
}
std::string_view japanese_label(DrillStep step) {
    return step_names()[static_cast<std::size_t>(step)].label;
}
std::string_view japanese_description(DrillStep step) {
    return step_names()[static_cast<std::size_t>(step)].description;
}

std::optional<DrillStep> parse_drill_step(std::string_view text) {
    const auto key = planner::normalize_key(text);
    for (const auto& s : step_names()) {
        if (key == planner::normalize_key(s.name) || key == planner::normalize_key(s.label))
            return s.step;
        for (const auto a : s.aliases) {
            if (key == planner::normalize_key(a)) return s.step;
        }
    }
    return std::nullopt;
}

std::optional<DrillTime> parse_drill_time(std::string_view text) {
    std::string s = ascii_digits(trim(text));
    if (s.empty()) return std::nullopt;
    double offset = 0;
    if (strip_prefix(s, "午前")) {
        offset = 0;
    } else if (strip_prefix(s, "午後")) {
        offset = 12 * 60;
    }
    s = trim(s);
    // Clock: H:MM[:SS] or H時[M分][S秒]
    auto clock = [&](double h, double m, double sec) -> std::optional<DrillTime> {
        if (h < 0 || h >= 24 || m < 0 || m >= 60 || sec < 0 || sec >= 60) return std::nullopt;
        if (offset > 0 && h >= 12) return std::nullopt;
        return DrillTime{.clock_min = offset + h * 60 + m + sec / 60};
    };
    if (const auto colon = s.find(':'); colon != std::string::npos) {
        const auto h = to_int(s.substr(0, colon));
        const auto rest = s.substr(colon + 1);
        const auto colon2 = rest.find(':');
        const auto m = to_int(rest.substr(0, colon2));
        std::optional<double> sec = 0.0;
        if (colon2 != std::string::npos) sec = to_number(rest.substr(colon2 + 1));
        if (!h || !m || !sec || rest.substr(0, colon2).size() != 2) return std::nullopt;
        return clock(static_cast<double>(*h), static_cast<double>(*m), *sec);
    }
    if (const auto ji = s.find("時"); ji != std::string::npos) {
        const auto h = to_int(s.substr(0, ji));
        std::string rest = s.substr(ji + std::string_view("時").size());
        double m = 0, sec = 0;
        if (!rest.empty()) {
            if (strip_suffix(rest, "秒")) {
                const auto fun = rest.find("分");
                if (fun == std::string::npos) return std::nullopt;
                const auto sv = to_number(rest.substr(fun + std::string_view("分").size()));
                if (!sv) return std::nullopt;
                sec = *sv;
                rest.erase(fun + std::string_view("分").size());
            }
            if (rest == "半") {
                m = 30;
            } else {
                if (!strip_suffix(rest, "分")) return std::nullopt;
                const auto mv = to_int(rest);
                if (!mv) return std::nullopt;
                m = static_cast<double>(*mv);
            }
        }
        if (!h) return std::nullopt;
        return clock(static_cast<double>(*h), m, sec);
    }
    if (offset > 0) return std::nullopt; // 午後 without a clock time
    strip_suffix(s, "分後");
    strip_suffix(s, "分");
    s = trim(s);
    const auto v = to_number(s);
    if (!v) return std::nullopt;
    return DrillTime{.minutes = *v};
}

std::optional<std::string> parse_drill_date(std::string_view text) {
    std::string s = ascii_digits(trim(text));
    if (s.empty()) return std::nullopt;
    int era_base = 0;
    if (strip_prefix(s, "令和"))
        era_base = 2018;
    else if (strip_prefix(s, "R"))
        era_base = 2018;
    if (era_base != 0 && strip_prefix(s, "元")) s = "1" + s;
    for (const std::string_view sep : {"年", "月"}) {
        for (auto at = s.find(sep); at != std::string::npos; at = s.find(sep))
            s.replace(at, sep.size(), "-");
    }
    strip_suffix(s, "日");
    for (auto& c : s) {
        if (c == '/' || c == '.') c = '-';
    }
    // GDAL gives spreadsheet dates as "2026/03/15 00:00:00" or "2026-03-15T00:00:00".
    if (const auto sp = s.find_first_of(" T"); sp != std::string::npos) s.erase(sp);
    const auto a = s.find('-');
    const auto b = a == std::string::npos ? std::string::npos : s.find('-', a + 1);
    if (b == std::string::npos) return std::nullopt;
    const auto y = to_int(s.substr(0, a));
    const auto m = to_int(s.substr(a + 1, b - a - 1));
    const auto d = to_int(s.substr(b + 1));
    if (!y || !m || !d) return std::nullopt;
    const std::int64_t year = era_base != 0 ? era_base + *y : *y;
    if (year < 1900 || year > 2200) return std::nullopt;
    // A day the month does not have (2026-02-30, 2026-04-31) is refused like month 13.
    if (!core::civil_seconds(static_cast<int>(year), static_cast<int>(*m), static_cast<int>(*d)))
        return std::nullopt;
    return core::date_text(static_cast<int>(year), static_cast<int>(*m), static_cast<int>(*d));
}

std::string format_clock(double minutes_after_midnight) {
    auto total = static_cast<std::int64_t>(std::llround(minutes_after_midnight));
    total = ((total % 1440) + 1440) % 1440;
    return core::elapsed_text(total * 60); // "7:05": the hour is not padded
}

bool DrillObservations::empty() const {
    return !battery_pct && !helpers && forgotten.empty() && barriers.empty() && contacts.empty() &&
           notes.empty();
}

const DrillEntry* DrillFile::find(const std::string& child_id, DrillStep step) const {
    for (const auto& e : entries) {
        if (!e.child_id.empty() && e.child_id == child_id && e.step == step) return &e;
    }
    return nullptr;
}

std::vector<std::string> DrillFile::children() const {
    std::set<std::string> ids;
    for (const auto& e : entries) {
        if (!e.child_id.empty()) ids.insert(e.child_id);
    }
    return {ids.begin(), ids.end()};
}

DrillFile parse_drill_rows(const std::vector<planner::CsvRecord>& records, const std::string& file,
                           const std::string& sheet) {
    DrillFile out;
    out.files.push_back(file);
    const auto& specs = drill_specs();
    // The header: among the first rows, the one naming the most known columns (step required).
    std::optional<std::size_t> header;
    std::size_t best = 0;
    for (std::size_t r = 0; r < std::min<std::size_t>(records.size(), 20); ++r) {
        const auto m = planner::match_columns(records[r].fields, specs);
        if (m.index[c_step] && m.matched >= 2 && m.matched > best) {
            best = m.matched;
            header = r;
        }
    }
    if (!header) {
        throw InputError(
            "drill file: no header row with a 'step' (段階) column and at least one other known "
            "column "
            "(child_id/児童ID, planned/計画, recorded/記録時刻, ...)",
            {.file = file, .layer = sheet, .line = records.empty() ? -1 : records.front().line});
    }
    // Key/value rows above the header.
    for (std::size_t r = 0; r < *header; ++r) {
        const auto& rec = records[r];
        std::vector<std::string> cells;
        for (const auto& f : rec.fields) cells.push_back(trim(f));
        while (!cells.empty() && cells.back().empty()) cells.pop_back();
        if (cells.empty()) continue;
        const auto key = meta_key(cells[0]);
        const std::string value = cells.size() > 1 ? cells[1] : std::string();
        const Where where{
            .file = file, .layer = sheet, .line = rec.line, .field = cells[0], .value = value};
        if (!key) {
            out.warnings.push_back(
                file + " " + std::to_string(rec.line) + "行目: 表の上の行「" + cells[0] +
                "」は読み取っていません（訓練名・訓練日・開始時刻・参加児童・シナリオのみ）");
            continue;
        }
        switch (*key) {
        case MetaKey::title: out.title = value; break;
        case MetaKey::scenario:
            out.scenario = value;
            out.scenario_line = rec.line;
            out.scenario_file = file;
            break;
        case MetaKey::date: {
            if (value.empty()) break;
            const auto d = parse_drill_date(value);
            if (!d)
                throw InputError(
                    "drill file: the drill date is not a date (2026-03-15, 2026年3月15日)", where);
            out.date = *d;
            break;
        }
        case MetaKey::t0_clock: {
            if (value.empty()) break;
            const auto t = parse_drill_time(value);
            if (!t || !t->clock_min)
                throw InputError(
                    "drill file: the start time (t0) is not a clock time (10:00, 10時)", where);
            out.t0_clock_min = *t->clock_min;
            break;
        }
        case MetaKey::participants:
            out.participants = split_ids(value);
            out.participants_line = rec.line;
            break;
        }
    }
    planner::CsvDocument doc;
    doc.file = file;
    doc.sheet = sheet;
    if (!sheet.empty()) doc.format = planner::TableFormat::xlsx;
    doc.records.assign(records.begin() + static_cast<std::ptrdiff_t>(*header), records.end());
    const auto table = planner::table_from_csv(doc, specs);
    for (const auto& d : table.diagnostics) {
        if (d.severity == Diagnostic::Severity::error)
            throw InputError("drill file: " + d.message, d.where);
        out.warnings.push_back(d.where.str() + ": " + d.message);
    }
    const auto match = planner::match_columns(table.columns, specs);
    for (const auto dup : match.duplicates) {
        throw InputError("drill file: two columns mean the same thing",
                         {.file = file, .line = table.header_line, .field = table.columns[dup]});
    }
    auto col = [&](Col c) { return match.index[c]; };
    std::set<std::pair<std::string, DrillStep>> seen;
    std::map<std::string, std::int64_t> seen_events;
    std::vector<DrillEntry> events, steps;
    for (const auto& row : table.rows) {
        auto value = [&](Col c) {
            return col(c) && *col(c) < row.values.size() ? row.values[*col(c)] : std::string();
        };
        auto where = [&](Col c) { return table.where(row, col(c)); };
        DrillEntry e;
        e.file = file;
        e.line = row.line;
        auto header = [&](Col c, std::string& name) {
            if (col(c) && *col(c) < table.columns.size()) name = table.columns[*col(c)];
        };
        header(c_child, e.child_column);
        header(c_step, e.step_column);
        header(c_planned, e.planned_column);
        header(c_recorded, e.recorded_column);
        e.child_id = value(c_child);
        e.step_name = value(c_step);
        if (e.step_name.empty())
            throw InputError("drill file: the step (段階) is empty", where(c_step));
        if (!e.child_id.empty()) {
            e.step = parse_drill_step(e.step_name);
            if (!e.step) {
                throw InputError(
                    "drill file: unknown step for a child (expected alert, decision, packing_done, "
                    "carried_out, loaded, departed, arrived, power_connected or 警報, 避難決定, "
                    "準備完了, "
                    "搬出, 乗車, 出発, 到着, 電源接続)",
                    where(c_step));
            }
        }
        e.planned_min = time_cell(value(c_planned), out.t0_clock_min, where(c_planned), "planned");
        e.recorded_text = value(c_recorded);
        e.recorded_min =
            time_cell(e.recorded_text, out.t0_clock_min, where(c_recorded), "recorded");
        e.who = value(c_who);
        e.what = value(c_what);
        e.record = value(c_record);
        if (const auto b = value(c_battery); !b.empty()) {
            std::string s = ascii_digits(b);
            strip_suffix(s, "%");
            strip_suffix(s, "％");
            const auto v = to_number(trim(s));
            if (!v || *v < 0 || *v > 100)
                throw InputError("drill file: the battery level is not a percentage 0-100",
                                 where(c_battery));
            e.observed.battery_pct = *v;
        }
        if (const auto h = value(c_helpers); !h.empty()) {
            std::string s = ascii_digits(h);
            strip_suffix(s, "人");
            strip_suffix(s, "名");
            const auto v = to_int(trim(s));
            if (!v || *v < 0)
                throw InputError("drill file: the number of helpers is not a whole number",
                                 where(c_helpers));
            e.observed.helpers = *v;
        }
        e.observed.forgotten = value(c_forgotten);
        e.observed.barriers = value(c_barriers);
        e.observed.contacts = value(c_contacts);
        e.observed.notes = value(c_notes);
        if (e.child_id.empty()) {
            if (!seen_events.emplace(e.step_name, e.line).second) {
                throw InputError("drill file: this drill-wide step appears twice (first at line " +
                                     std::to_string(seen_events[e.step_name]) + ")",
                                 where(c_step));
            }
            events.push_back(std::move(e));
        } else {
            if (!seen.insert({e.child_id, *e.step}).second) {
                throw InputError("drill file: two values for one step of this child",
                                 where(c_step));
            }
            steps.push_back(std::move(e));
        }
    }
    std::stable_sort(steps.begin(), steps.end(), [](const DrillEntry& a, const DrillEntry& b) {
        return std::tie(a.child_id, a.step) < std::tie(b.child_id, b.step);
    });
    out.entries = std::move(events);
    out.entries.insert(out.entries.end(), std::make_move_iterator(steps.begin()),
                       std::make_move_iterator(steps.end()));
    return out;
}

DrillFile parse_drill_file(std::string_view bytes, const std::string& file) {
    const auto doc = planner::parse_csv(bytes, file);
    for (const auto& d : doc.diagnostics) {
        if (d.severity == Diagnostic::Severity::error)
            throw InputError("drill file: " + d.message, d.where);
    }
    return parse_drill_rows(doc.records, file);
}

DrillFile read_drill_file(const std::filesystem::path& path) {
    // The shared table reader: CSV in UTF-8 or CP932, or the first sheet of an .xlsx workbook
    // that has a step column (GDAL's XLSX driver gives date and time cells as 2026/03/14 and
    // 09:30:00, which the time and date parsers read).
    const auto doc = planner::read_table_document(path, drill_specs());
    DrillFile out;
    std::vector<std::string> notes;
    for (const auto& d : doc.diagnostics) {
        if (d.severity == Diagnostic::Severity::error)
            throw InputError("drill file: " + d.message, d.where);
        notes.push_back(d.where.str() + ": " + d.message);
    }
    out = parse_drill_rows(doc.records, path.string(), doc.sheet);
    out.warnings.insert(out.warnings.begin(), notes.begin(), notes.end());
    return out;
}

DrillFile merge_drill_files(std::vector<DrillFile> files) {
    if (files.empty()) return {};
    if (files.size() == 1) return std::move(files.front());
    DrillFile out;
    std::set<std::string> participants;
    std::map<std::pair<std::string, DrillStep>, const DrillEntry*> steps;
    std::map<std::string, std::size_t> events;
    std::vector<DrillEntry> child_rows;
    for (auto& f : files) {
        out.files.insert(out.files.end(), f.files.begin(), f.files.end());
        out.warnings.insert(out.warnings.end(), f.warnings.begin(), f.warnings.end());
        if (out.title.empty()) out.title = f.title;
        if (out.scenario.empty()) {
            out.scenario = f.scenario;
            out.scenario_line = f.scenario_line;
            out.scenario_file = f.scenario_file;
        } else if (!f.scenario.empty() && f.scenario != out.scenario) {
            throw InputError("drill files: the files of one drill name different scenarios ('" +
                                 out.scenario + "' in " + out.scenario_file + " line " +
                                 std::to_string(out.scenario_line) + ")",
                             {.file = f.scenario_file,
                              .line = f.scenario_line,
                              .field = "シナリオ",
                              .value = f.scenario});
        }
        if (!f.date.empty()) {
            if (out.date.empty())
                out.date = f.date;
            else if (out.date != f.date) {
                out.warnings.push_back(f.files.front() + ": 訓練日 " + f.date +
                                       " が他のファイル（" + out.date + "）と違います");
            }
        }
        if (f.t0_clock_min) {
            if (!out.t0_clock_min)
                out.t0_clock_min = f.t0_clock_min;
            else if (*out.t0_clock_min != *f.t0_clock_min) {
                out.warnings.push_back(
                    f.files.front() + ": 開始時刻 " + format_clock(*f.t0_clock_min) +
                    " が他のファイル（" + format_clock(*out.t0_clock_min) +
                    "）と違います（時刻はそれぞれの開始時刻からの分で比べます）");
            }
        }
        participants.insert(f.participants.begin(), f.participants.end());
        if (out.participants_line < 0) out.participants_line = f.participants_line;
    }
    for (auto& f : files) {
        for (auto& e : f.entries) {
            if (e.child_id.empty()) {
                const auto it = events.find(e.step_name);
                if (it == events.end()) {
                    events[e.step_name] = out.entries.size();
                    out.entries.push_back(e);
                    continue;
                }
                auto& kept = out.entries[it->second];
                if (kept.recorded_min && e.recorded_min) {
                    throw InputError(
                        "drill files: two recorded values for one drill-wide step (first in " +
                            kept.file + " line " + std::to_string(kept.line) + ")",
                        {.file = e.file,
                         .line = e.line,
                         .field = e.step_column,
                         .value = e.step_name});
                }
                if (e.recorded_min) kept = e;
                continue;
            }
            const auto key = std::make_pair(e.child_id, *e.step);
            if (const auto it = steps.find(key); it != steps.end()) {
                throw InputError(
                    "drill files: two values for one step of this child (first in " +
                        it->second->file + " line " + std::to_string(it->second->line) + ")",
                    {.file = e.file, .line = e.line, .field = e.step_column, .value = e.step_name});
            }
            steps[key] = &e;
            child_rows.push_back(e);
        }
    }
    std::stable_sort(child_rows.begin(), child_rows.end(),
                     [](const DrillEntry& a, const DrillEntry& b) {
                         return std::tie(a.child_id, a.step) < std::tie(b.child_id, b.step);
                     });
    out.entries.insert(out.entries.end(), child_rows.begin(), child_rows.end());
    out.participants.assign(participants.begin(), participants.end());
    return out;
}

void check_drill(DrillFile& drill, const planner::Plan& plan, const DrillFile* timeline) {
    std::set<std::string> in_plan;
    for (const auto& c : plan.children) in_plan.insert(c.child_id);
    const double horizon_min = static_cast<double>(plan.horizon_h) * 60.0;
    const std::string participants_file = drill.files.empty() ? std::string() : drill.files.front();
    for (const auto& id : drill.participants) {
        if (!in_plan.count(id)) {
            throw InputError("drill file: a participant is not in the plan",
                             {.file = participants_file,
                              .line = drill.participants_line,
                              .field = "participants",
                              .value = id});
        }
    }
    std::set<std::string> timeline_events;
    if (timeline != nullptr) {
        for (const auto& e : timeline->entries) {
            if (e.child_id.empty()) timeline_events.insert(e.step_name);
        }
    }
    for (const auto& e : drill.entries) {
        auto where = [&](const std::string& field, const std::string& value) {
            return Where{.file = e.file, .line = e.line, .field = field, .value = value};
        };
        if (!e.child_id.empty() && !in_plan.count(e.child_id)) {
            throw InputError("drill file: this child is not in the plan",
                             where(e.child_column, e.child_id));
        }
        if (e.child_id.empty() && timeline != nullptr && !timeline_events.empty() &&
            !timeline_events.count(e.step_name)) {
            throw InputError("drill file: this drill-wide step is not in the scenario's timeline",
                             where(e.step_column, e.step_name));
        }
        if (e.recorded_min && *e.recorded_min > horizon_min) {
            throw InputError("drill file: the recorded time is after the scenario's horizon (" +
                                 std::to_string(plan.horizon_h) + " h after t0)",
                             where(e.recorded_column, e.recorded_text));
        }
        if (e.planned_min && *e.planned_min > horizon_min) {
            throw InputError("drill file: the planned time is after the scenario's horizon",
                             where(e.planned_column, fixed1(*e.planned_min)));
        }
    }
    const auto with_rows = drill.children();
    if (!drill.participants.empty()) {
        for (const auto& id : drill.participants) {
            if (!std::binary_search(with_rows.begin(), with_rows.end(), id)) {
                drill.warnings.push_back(id + ": 参加児童ですが記録がありません");
            }
        }
        for (const auto& id : with_rows) {
            if (!std::binary_search(drill.participants.begin(), drill.participants.end(), id)) {
                drill.warnings.push_back(id + ": 記録がありますが参加児童の一覧にありません");
            }
        }
    }
    // The kit's template has a row per participant and step: one left blank is not a drill.
    for (const auto& id : with_rows) {
        const bool timed =
            std::any_of(drill.entries.begin(), drill.entries.end(),
                        [&](const DrillEntry& e) { return e.child_id == id && e.recorded_min; });
        if (!timed) drill.warnings.push_back(id + ": 行はありますが記録時刻がひとつもありません");
    }
    for (const auto& id : with_rows) {
        std::optional<double> last;
        DrillStep last_step = DrillStep::alert;
        for (std::size_t k = 0; k < kDrillSteps; ++k) {
            const auto* e = drill.find(id, static_cast<DrillStep>(k));
            if (e == nullptr || !e->recorded_min) continue;
            if (last && *e->recorded_min < *last) {
                drill.warnings.push_back(id + ": 「" + std::string(japanese_label(*e->step)) +
                                         "」の記録（" + fixed1(*e->recorded_min) +
                                         "分）が前の段階「" +
                                         std::string(japanese_label(last_step)) + "」（" +
                                         fixed1(*last) + "分）より早くなっています（" + e->file +
                                         " " + std::to_string(e->line) + "行目）");
            }
            last = e->recorded_min;
            last_step = *e->step;
        }
    }
}

std::optional<double> planned_minutes(const planner::ChildPlan& cp, DrillStep step,
                                      double decision_min) {
    auto min_of = [](std::int64_t s) {
        return s >= 0 ? std::optional<double>(static_cast<double>(s) / 60.0) : std::nullopt;
    };
    switch (step) {
    case DrillStep::alert: return 0.0;
    case DrillStep::decision: return decision_min;
    case DrillStep::packing_done: return min_of(cp.earliest_departure_s);
    case DrillStep::carried_out: return std::nullopt;
    case DrillStep::loaded:
    case DrillStep::departed:
        return cp.arrival_s >= 0 ? min_of(cp.planned_departure_s) : std::nullopt;
    case DrillStep::arrived: return min_of(cp.arrival_s);
    case DrillStep::power_connected:
        // On the shelter's power: the plan's on_power when it comes after the arrival (it then
        // holds the transfer, the connection and any wait for the shelter to open); a child
        // whose devices ran on the vehicle's outlet (on_power = departure) is plugged in at the
        // shelter after the arrival's transfer and connection steps.
        if (cp.arrival_s < 0) return std::nullopt;
        if (cp.on_power_s >= cp.arrival_s) return min_of(cp.on_power_s);
        return min_of(cp.arrival_s + cp.steps.transfer_s + cp.steps.connection_s);
    }
    return std::nullopt;
}

std::optional<double> leave_by_min(const planner::ChildPlan& cp) {
    const auto s = cp.leave_by_s >= 0 ? cp.leave_by_s : cp.hazard_at_home_s;
    if (s < 0) return std::nullopt;
    return static_cast<double>(s) / 60.0;
}

std::optional<double> arrive_by_min(const planner::ChildPlan& cp) {
    // The plan's arrive_by: mains lost + endurance of what the child carries - the safety
    // margin (DOMAIN.md section 7); -1 when no supply-dependent function binds.
    if (cp.arrive_by_s < 0) return std::nullopt;
    return static_cast<double>(cp.arrive_by_s) / 60.0;
}

DrillFile planned_drill(const planner::Plan& plan, double decision_min, const DrillFile* timeline) {
    DrillFile out;
    if (timeline != nullptr) {
        out.title = timeline->title;
        out.date = timeline->date;
        out.t0_clock_min = timeline->t0_clock_min;
        out.scenario = timeline->scenario;
        out.participants = timeline->participants;
        out.files = timeline->files;
        for (const auto& e : timeline->entries) {
            if (e.child_id.empty()) out.entries.push_back(e);
        }
    }
    if (out.participants.empty()) {
        for (const auto& c : plan.children) {
            if (c.arrival_s >= 0) out.participants.push_back(c.child_id);
        }
        std::sort(out.participants.begin(), out.participants.end());
    }
    for (const auto& id : out.participants) {
        const auto it = std::find_if(plan.children.begin(), plan.children.end(),
                                     [&](const planner::ChildPlan& c) { return c.child_id == id; });
        if (it == plan.children.end()) continue;
        for (std::size_t k = 0; k < kDrillSteps; ++k) {
            const auto step = static_cast<DrillStep>(k);
            DrillEntry e;
            e.child_id = id;
            e.step = step;
            e.step_name = std::string(japanese_label(step));
            e.planned_min = planned_minutes(*it, step, decision_min);
            e.what = std::string(japanese_description(step));
            // Planned steps of a child found in the timeline (e.g. who helps) are copied.
            if (timeline != nullptr) {
                if (const auto* t = timeline->find(id, step)) {
                    e.who = t->who;
                    e.record = t->record;
                    if (!t->what.empty()) e.what = t->what;
                }
            }
            out.entries.push_back(std::move(e));
        }
    }
    return out;
}

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const auto n = v.size();
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

std::string minutes_text(double m) {
    return fixed1(m) + "分";
}

std::string time_text(double m, const std::optional<double>& t0_clock) {
    if (t0_clock) return format_clock(*t0_clock + m) + "（" + minutes_text(m) + "）";
    return minutes_text(m);
}

} // namespace

DrillReview drill_review(const planner::Plan& plan, double decision_min, const MonteCarloResult* mc,
                         const DrillFile& drill, const DrillFile* timeline) {
    DrillReview review;
    review.scenario_name = plan.scenario_name;
    review.title = !drill.title.empty()
                       ? drill.title
                       : (timeline != nullptr ? timeline->title : plan.scenario_title);
    review.date = drill.date;
    review.t0_clock_min = drill.t0_clock_min
                              ? drill.t0_clock_min
                              : (timeline != nullptr ? timeline->t0_clock_min : std::nullopt);
    review.files = drill.files;
    review.warnings = drill.warnings;

    std::map<std::string, std::size_t> mc_index;
    if (mc != nullptr) {
        for (std::size_t i = 0; i < mc->children.size(); ++i)
            mc_index[mc->children[i].child_id] = i;
    }
    const auto with_rows = drill.children();
    std::set<std::string> participants(drill.participants.begin(), drill.participants.end());
    participants.insert(with_rows.begin(), with_rows.end());
    for (const auto& c : plan.children) {
        if (participants.count(c.child_id)) review.participants.push_back(c.child_id);
    }

    // Drill-wide steps: the timeline's, with what was recorded for them.
    std::vector<const DrillEntry*> event_rows;
    if (timeline != nullptr) {
        for (const auto& e : timeline->entries) {
            if (e.child_id.empty()) event_rows.push_back(&e);
        }
    }
    for (const auto& e : drill.entries) {
        if (!e.child_id.empty()) continue;
        const bool known =
            std::any_of(event_rows.begin(), event_rows.end(),
                        [&](const DrillEntry* t) { return t->step_name == e.step_name; });
        if (!known) event_rows.push_back(&e);
    }
    for (const auto* t : event_rows) {
        DrillEventRow ev{.step_name = t->step_name,
                         .who = t->who,
                         .what = t->what,
                         .record = t->record,
                         .planned_min = t->planned_min,
                         .actual_min = std::nullopt,
                         .observed = {}};
        for (const auto& e : drill.entries) {
            if (e.child_id.empty() && e.step_name == t->step_name) {
                if (!e.planned_min && !ev.planned_min) ev.planned_min = e.planned_min;
                if (ev.who.empty()) ev.who = e.who;
                if (ev.what.empty()) ev.what = e.what;
                ev.actual_min = e.recorded_min;
                ev.observed = e.observed;
            }
        }
        if (!ev.observed.empty()) {
            if (!ev.observed.barriers.empty())
                review.observations.push_back(ev.step_name + "（" + ev.who +
                                              "）: 障壁: " + ev.observed.barriers);
            if (!ev.observed.notes.empty())
                review.observations.push_back(ev.step_name + "（" + ev.who +
                                              "）: " + ev.observed.notes);
            if (!ev.observed.contacts.empty())
                review.observations.push_back(ev.step_name + "（" + ev.who +
                                              "）: 連絡: " + ev.observed.contacts);
        }
        review.events.push_back(std::move(ev));
    }

    struct StepDurations {
        std::vector<std::pair<double, std::string>> overrun; // (recorded - planned, child)
        std::vector<double> planned, recorded;
    };
    std::array<StepDurations, kDrillSteps> durations;

    for (const auto& id : review.participants) {
        const auto cp_it =
            std::find_if(plan.children.begin(), plan.children.end(),
                         [&](const planner::ChildPlan& c) { return c.child_id == id; });
        const auto& cp = *cp_it;
        const ChildStats* cs = nullptr;
        if (const auto it = mc_index.find(id); it != mc_index.end()) cs = &mc->children[it->second];
        // Durations run from the previous step with a recorded time (t0 = the alert, 0 min, when
        // the alert was not recorded); for a step the plan has a figure for, from the previous
        // step with both a recorded and a planned time, so planned, simulated and recorded
        // durations span the same steps: a wait recorded as 搬出 (carried out, no planned
        // figure) before 乗車 still counts against the plan's wait for the vehicle.
        std::optional<std::size_t> prev, prev_planned;
        const std::size_t first_row = review.rows.size();
        for (std::size_t k = 0; k < kDrillSteps; ++k) {
            DrillReviewRow row;
            row.child_id = id;
            row.step = static_cast<DrillStep>(k);
            row.planned_min = planned_minutes(cp, row.step, decision_min);
            if (const auto* e = drill.find(id, row.step)) {
                row.actual_min = e->recorded_min;
                row.observed = e->observed;
            }
            auto sim = [&](const Quantiles& q, std::int64_t n) {
                if (n > 0) {
                    row.simulated_p50_min = q.p50 / 60.0;
                    row.simulated_p95_min = q.p95 / 60.0;
                }
            };
            if (cs != nullptr) {
                switch (row.step) {
                case DrillStep::alert: row.simulated_p50_min = row.simulated_p95_min = 0.0; break;
                case DrillStep::decision: sim(cs->decision_s, cs->runs_decided); break;
                case DrillStep::packing_done: sim(cs->ready_s, cs->runs_ready); break;
                case DrillStep::carried_out: break;
                case DrillStep::loaded:
                case DrillStep::departed: sim(cs->departure_s, cs->runs_departed); break;
                case DrillStep::arrived: sim(cs->arrival_s, cs->runs_arrived); break;
                case DrillStep::power_connected: sim(cs->powered_s, cs->runs_powered); break;
                }
            }
            if (k > 0) {
                const auto base = row.planned_min ? prev_planned : prev;
                const DrillReviewRow* p = base ? &review.rows[first_row + *base] : nullptr;
                const std::optional<double> plan_base = p ? p->planned_min : 0.0;
                const std::optional<double> sim_base = p ? p->simulated_p50_min : 0.0;
                const std::optional<double> actual_base = p ? p->actual_min : 0.0;
                if (row.planned_min && plan_base)
                    row.planned_duration_min = *row.planned_min - *plan_base;
                if (row.simulated_p50_min && sim_base && cs != nullptr)
                    row.simulated_duration_min = *row.simulated_p50_min - *sim_base;
                if (row.actual_min && actual_base)
                    row.actual_duration_min = *row.actual_min - *actual_base;
            }
            if (row.actual_min) prev = k;
            if (row.actual_min && row.planned_min) prev_planned = k;
            if (row.planned_duration_min && row.actual_duration_min && k > 0) {
                auto& d = durations[k];
                d.overrun.emplace_back(*row.actual_duration_min - *row.planned_duration_min, id);
                d.planned.push_back(*row.planned_duration_min);
                d.recorded.push_back(*row.actual_duration_min);
            }
            const auto& o = row.observed;
            const std::string who = id + "・" + std::string(japanese_label(row.step));
            if (o.battery_pct) {
                review.observations.push_back(who + ": 電池残量 " + fixed1(*o.battery_pct) + "%");
            }
            if (o.helpers)
                review.observations.push_back(who + ": 支援者 " + std::to_string(*o.helpers) +
                                              "人");
            if (!o.forgotten.empty())
                review.observations.push_back(who + ": 忘れ物: " + o.forgotten);
            if (!o.barriers.empty()) review.observations.push_back(who + ": 障壁: " + o.barriers);
            if (!o.contacts.empty()) review.observations.push_back(who + ": 連絡: " + o.contacts);
            if (!o.notes.empty()) review.observations.push_back(who + ": " + o.notes);
            review.rows.push_back(std::move(row));
        }

        // A participant the plan does not move: say why the planned times stop at packing, and
        // what the drill did instead (a move the plan could not find is something to plan).
        if (cp.outcome != planner::Outcome::evacuate) {
            const auto* arrived = drill.find(id, DrillStep::arrived);
            const bool moved = arrived != nullptr && arrived->recorded_min;
            std::optional<std::int64_t> helpers;
            for (std::size_t k = 0; k < kDrillSteps; ++k) {
                const auto* e = drill.find(id, static_cast<DrillStep>(k));
                if (e != nullptr && e->observed.helpers)
                    helpers = std::max(helpers.value_or(0), *e->observed.helpers);
            }
            std::string text = id + ": ";
            if (cp.outcome == planner::Outcome::shelter_in_place) {
                text += "計画では在宅避難（自宅にとどまる）のため、乗車・出発・到着の計画時刻はあり"
                        "ません。";
                if (moved)
                    text += "訓練では " + time_text(*arrived->recorded_min, review.t0_clock_min) +
                            " に避難先に着きました。在宅避難の条件と、やむを得ず移動するときの"
                            "行き先・手段・かかった時間を計画と照らしてください。";
            } else {
                text += "計画では対応できない（受け入れ先または搬送手段が見つからない。理由は "
                        "plan.csv）ため、乗車・出発・到着の計画時刻はありません。";
                if (moved) {
                    text += "訓練では " + time_text(*arrived->recorded_min, review.t0_clock_min) +
                            " に避難先に着きました";
                    if (helpers) text += "（支援者 " + std::to_string(*helpers) + "人）";
                    text += "。訓練で使えた車両・支援者（車両表、名簿の trained_helpers）と受け入れ"
                            "先を計画に加えて、計画し直すことを検討してください。";
                }
            }
            review.plan_notes.push_back(std::move(text));
        }

        // Safety checks of the recorded times against the child's deadlines.
        const auto* departed = drill.find(id, DrillStep::departed);
        const auto* arrived = drill.find(id, DrillStep::arrived);
        const auto* powered = drill.find(id, DrillStep::power_connected);
        const auto t0c = review.t0_clock_min;
        if (const auto leave_by = leave_by_min(cp)) {
            if (departed != nullptr && departed->recorded_min &&
                *departed->recorded_min > *leave_by) {
                review.flags.push_back({id, DrillFlag::Severity::danger, "left_after_hazard",
                                        *departed->recorded_min, *leave_by,
                                        id + ": 出発 " + time_text(*departed->recorded_min, t0c) +
                                            " は、自宅に災害が及ぶ時刻 " +
                                            time_text(*leave_by, t0c) +
                                            " より後です。実際の災害では自宅から出られません。"});
            }
            if (arrived != nullptr && arrived->recorded_min && *arrived->recorded_min > *leave_by) {
                review.flags.push_back(
                    {id, DrillFlag::Severity::danger, "arrived_after_hazard",
                     *arrived->recorded_min, *leave_by,
                     id + ": 到着 " + time_text(*arrived->recorded_min, t0c) + " は、自宅に災害（" +
                         std::string(plan.hazard_kind == "landslide" ? "土砂災害" : "浸水など") +
                         "）が及ぶ時刻 " + time_text(*leave_by, t0c) + " より " +
                         minutes_text(*arrived->recorded_min - *leave_by) +
                         " 後です。移動中に災害に巻き込まれるおそれがあります。"});
            }
        }
        if (const auto arrive_by = arrive_by_min(cp)) {
            const auto* on_power = powered != nullptr && powered->recorded_min ? powered : arrived;
            if (on_power != nullptr && on_power->recorded_min &&
                *on_power->recorded_min > *arrive_by) {
                review.flags.push_back({id, DrillFlag::Severity::danger, "arrived_after_power",
                                        *on_power->recorded_min, *arrive_by,
                                        id + ": " +
                                            std::string(on_power == powered ? "電源接続" : "到着") +
                                            " " + time_text(*on_power->recorded_min, t0c) +
                                            " は、電源につなぐ期限（停電後に機器の電池・酸素が尽き"
                                            "る時刻から安全余裕を引いた時刻） " +
                                            time_text(*arrive_by, t0c) + " より後です。"});
            }
        }
        if (arrived == nullptr || !arrived->recorded_min) {
            const bool drilled =
                std::any_of(drill.entries.begin(), drill.entries.end(), [&](const DrillEntry& e) {
                    return e.child_id == id && e.recorded_min;
                });
            if (drilled) {
                review.flags.push_back(
                    {id, DrillFlag::Severity::caution, "not_arrived", 0.0, 0.0,
                     id + ": 到着の記録がありません（訓練を途中でやめた、または記録漏れ）。"});
            }
        }
        for (std::size_t k = 0; k < kDrillSteps; ++k) {
            const auto* e = drill.find(id, static_cast<DrillStep>(k));
            if (e != nullptr && e->observed.battery_pct && *e->observed.battery_pct < 30.0) {
                review.flags.push_back({id, DrillFlag::Severity::caution, "battery_low",
                                        e->recorded_min.value_or(0.0), 30.0,
                                        id + ": 「" + std::string(japanese_label(*e->step)) +
                                            "」の時点で電池残量 " +
                                            fixed1(*e->observed.battery_pct) + "%（30%未満）。"});
            }
        }

        // What to change in the plan: durations longer than planned.
        auto actual = [&](DrillStep s) -> std::optional<double> {
            const auto* e = drill.find(id, s);
            return e != nullptr ? e->recorded_min : std::nullopt;
        };
        // `floor_min`: without a planned figure, only a step that took at least this long.
        auto suggest = [&](const std::string& field, const std::string& label,
                           std::optional<double> planned, std::optional<double> recorded,
                           double floor_min) {
            if (!recorded || *recorded < 0) return;
            const bool longer = planned ? *recorded > *planned + std::max(5.0, 0.2 * *planned)
                                        : *recorded >= floor_min;
            if (!longer) return;
            std::string text =
                id + ": " + label + "に " + minutes_text(*recorded) + " かかりました";
            text += planned ? "（計画 " + minutes_text(*planned) + "）。"
                            : "（計画に別の見込みなし）。";
            text += "計画の「" + std::string(change_field_label(field)) + "」を " +
                    fixed1(std::ceil(*recorded)) + " 分にすることを検討してください。";
            review.changes.push_back({id, field, planned, *recorded, std::move(text)});
        };
        const auto a_alert = actual(DrillStep::alert).value_or(0.0);
        const auto a_decision = actual(DrillStep::decision);
        const auto a_packed = actual(DrillStep::packing_done);
        const auto a_carried = actual(DrillStep::carried_out);
        const auto a_loaded = actual(DrillStep::loaded);
        const auto a_arrived = actual(DrillStep::arrived);
        const auto a_powered = actual(DrillStep::power_connected);
        if (a_decision)
            suggest("decision_min", "避難の決定まで", decision_min, *a_decision - a_alert, 0.0);
        // packing_min in the registry is packing and carrying out (REGISTRY_SCHEMA.md). The plan
        // of a family car leaves when packing is done, so for it packing_min runs to the child
        // seated in the car (carried out and loaded, when recorded in order); a child carried
        // out to a scheduled vehicle waited for it, and loading is that vehicle's own step.
        if (a_packed && a_decision) {
            const auto p = planned_minutes(cp, DrillStep::packing_done, decision_min);
            const bool family_car = cp.transport == planner::TransportKind::family_car;
            double end = *a_packed;
            std::string label = "準備（機器・物品の荷造り）";
            if (family_car && a_carried && *a_carried >= end) {
                end = *a_carried;
                label = "準備と搬出";
            }
            if (family_car && a_loaded && *a_loaded >= end) {
                end = *a_loaded;
                label = "準備・搬出・家族の車への乗車";
            }
            suggest("packing_min", label,
                    p ? std::optional<double>(*p - decision_min) : std::nullopt, end - *a_decision,
                    0.0);
        }
        // Loading into a scheduled vehicle: from carrying out to seated (without a carried-out
        // time the child's wait for the vehicle cannot be told apart, so it is left out). The
        // plan's figure is its pickup step (steps.vehicle_loading or the registry's loading_min).
        if (a_loaded && a_carried && cp.transport == planner::TransportKind::vehicle) {
            const std::optional<double> planned =
                cp.steps.loading_s > 0
                    ? std::optional<double>(static_cast<double>(cp.steps.loading_s) / 60.0)
                    : std::nullopt;
            suggest("loading_min", "搬出から送迎車両への乗車まで", planned, *a_loaded - *a_carried,
                    10.0);
        }
        // From arrival to the devices on power: the plan's transfer + connection (or the
        // registry's connect_min); without a plan figure, 15 min (the simulator's longest draw).
        // When the plan has the child wait for its shelter to open (on_power later than the
        // arrival + transfer + connection), that wait is not the child's connection time: the
        // recorded minutes less the planned wait are compared (and suggested).
        if (a_powered && a_arrived) {
            const auto steps_s = cp.steps.transfer_s + cp.steps.connection_s;
            const std::optional<double> planned =
                steps_s > 0 ? std::optional<double>(static_cast<double>(steps_s) / 60.0)
                            : std::nullopt;
            double wait_min = 0.0;
            if (cp.arrival_s >= 0 && cp.on_power_s >= cp.arrival_s)
                wait_min = std::max<double>(
                    0.0, static_cast<double>(cp.on_power_s - cp.arrival_s - steps_s) / 60.0);
            const double took = std::max(0.0, *a_powered - *a_arrived - wait_min);
            suggest("connect_min",
                    wait_min > 0 ? "到着から電源接続まで（計画にある避難先の開設待ち " +
                                       minutes_text(wait_min) + " を除く）"
                                 : std::string("到着から電源接続まで"),
                    planned, took, 15.0);
        }
    }

    for (std::size_t k = 1; k < kDrillSteps; ++k) {
        const auto& d = durations[k];
        if (d.overrun.empty()) continue;
        std::vector<double> over;
        for (const auto& [o, _] : d.overrun) over.push_back(o);
        DrillBottleneck b;
        b.step = static_cast<DrillStep>(k);
        b.children = static_cast<std::int64_t>(d.overrun.size());
        b.planned_median_min = median(d.planned);
        b.recorded_median_min = median(d.recorded);
        b.overrun_median_min = median(over);
        const auto worst =
            std::max_element(d.overrun.begin(), d.overrun.end(), [](const auto& a, const auto& b2) {
                return a.first < b2.first || (a.first == b2.first && a.second > b2.second);
            });
        b.overrun_max_min = worst->first;
        b.worst_child = worst->second;
        if (b.overrun_max_min > 0) review.bottlenecks.push_back(std::move(b));
    }
    std::stable_sort(review.bottlenecks.begin(), review.bottlenecks.end(),
                     [](const DrillBottleneck& a, const DrillBottleneck& b) {
                         return std::tie(b.overrun_median_min, b.overrun_max_min) <
                                std::tie(a.overrun_median_min, a.overrun_max_min);
                     });
    std::stable_sort(
        review.flags.begin(), review.flags.end(),
        [](const DrillFlag& a, const DrillFlag& b) { return a.severity < b.severity; });
    return review;
}

std::vector<std::vector<std::string>> drill_review_rows(const DrillReview& review) {
    std::vector<std::vector<std::string>> rows;
    rows.push_back({"児童ID", "段階", "計画(分)", "シミュレーション p50(分)",
                    "シミュレーション p95(分)", "実績(分)", "実績時刻", "実績−計画(分)",
                    "実績−シミュレーションp50(分)", "計画の所要(分)", "実績の所要(分)",
                    "電池残量(%)", "支援者数", "忘れ物", "障壁", "連絡", "備考", "注意"});
    for (const auto& r : review.rows) {
        std::optional<double> d_plan, d_sim;
        if (r.actual_min && r.planned_min) d_plan = *r.actual_min - *r.planned_min;
        if (r.actual_min && r.simulated_p50_min) d_sim = *r.actual_min - *r.simulated_p50_min;
        std::string clock;
        if (r.actual_min && review.t0_clock_min)
            clock = format_clock(*review.t0_clock_min + *r.actual_min);
        std::string flag;
        for (const auto& f : review.flags) {
            if (f.child_id != r.child_id) continue;
            const bool on_arrival =
                r.step == DrillStep::arrived &&
                (f.what == "arrived_after_hazard" ||
                 (f.what == "arrived_after_power" && f.recorded_min == r.actual_min.value_or(-1)));
            const bool on_departure =
                r.step == DrillStep::departed && f.what == "left_after_hazard";
            const bool on_power = r.step == DrillStep::power_connected &&
                                  f.what == "arrived_after_power" &&
                                  f.recorded_min == r.actual_min.value_or(-1);
            if (on_arrival || on_departure || on_power) {
                flag +=
                    (flag.empty() ? "" : "／") +
                    std::string(f.severity == DrillFlag::Severity::danger ? "危険: " : "注意: ") +
                    (f.what == "left_after_hazard"      ? "災害到達後に出発"
                     : f.what == "arrived_after_hazard" ? "災害到達後に到着"
                     : f.what == "arrived_after_power"  ? "電池・酸素の期限後"
                                                        : "安全な到着期限後");
            }
        }
        rows.push_back({r.child_id, std::string(japanese_label(r.step)), opt(r.planned_min),
                        opt(r.simulated_p50_min), opt(r.simulated_p95_min), opt(r.actual_min),
                        clock, opt(d_plan), opt(d_sim), opt(r.planned_duration_min),
                        opt(r.actual_duration_min), opt(r.observed.battery_pct),
                        r.observed.helpers ? std::to_string(*r.observed.helpers) : std::string(),
                        r.observed.forgotten, r.observed.barriers, r.observed.contacts,
                        r.observed.notes, flag});
    }
    return rows;
}

namespace {
// The fields a drill change names, with their Japanese names (the registry's first Japanese
// alias, REGISTRY_SCHEMA.md; decision_min is the scenario's option).
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kChangeFields = {{
    {"decision_min", "避難決定までの時間"},
    {"packing_min", "準備時間"},
    {"loading_min", "乗車時間"},
    {"connect_min", "電源接続時間"},
}};
} // namespace

std::string_view change_field_label(std::string_view field) {
    for (const auto& [code, label] : kChangeFields)
        if (code == field) return label;
    return field;
}

std::string change_field_code(std::string_view code_or_label) {
    for (const auto& [code, label] : kChangeFields)
        if (code == code_or_label || label == code_or_label) return std::string(code);
    return {};
}

std::string_view japanese_label(const DrillFlag& flag) {
    if (flag.what == "left_after_hazard") return "災害到達後に出発";
    if (flag.what == "arrived_after_hazard") return "災害到達後に到着";
    if (flag.what == "arrived_after_power") return "電池・酸素の期限後に電源・到着";
    if (flag.what == "battery_low") return "電池残量30%未満";
    if (flag.what == "not_arrived") return "到着の記録なし";
    return "その他";
}

std::vector<std::vector<std::string>> drill_change_rows(const DrillReview& review) {
    std::vector<std::vector<std::string>> rows;
    rows.push_back({"児童ID", "項目", "計画(分)", "訓練の実績(分)", "提案", "採用"});
    for (const auto& c : review.changes) {
        rows.push_back({c.child_id, std::string(change_field_label(c.field)), opt(c.planned_min),
                        fixed1(c.recorded_min), c.text, ""});
    }
    return rows;
}

DrillApplyResult apply_drill_changes(const std::filesystem::path& changes_csv,
                                     const std::filesystem::path& registry_csv) {
    static const std::vector<planner::ColumnSpec> specs = {
        {"child_id", {"児童ID", "id"}, true},
        {"field", {"項目"}, true},
        {"recorded", {"訓練の実績(分)", "訓練の実績", "実績"}, true},
        {"accept", {"採用"}, true},
    };
    const auto changes = planner::read_csv_table(changes_csv, specs);
    for (const auto& d : changes.diagnostics) {
        if (d.severity == Diagnostic::Severity::error)
            throw InputError("drill changes: " + d.message, d.where);
    }
    const auto cm = planner::match_columns(changes.columns, specs);
    for (std::size_t k = 0; k < specs.size(); ++k) {
        if (!cm.index[k]) {
            throw InputError("drill changes: the column '" + std::string(specs[k].name) +
                                 "' is missing (児童ID, 項目, 訓練の実績(分), 採用)",
                             {.file = changes.file,
                              .line = changes.header_line,
                              .field = std::string(specs[k].name)});
        }
    }
    // The registry columns a drill can fill (REGISTRY_SCHEMA.md), in the order a missing one is
    // added.
    static const std::array<std::string, 3> kFields = {"packing_min", "loading_min", "connect_min"};
    struct Accepted {
        std::string child_id;
        std::size_t field = 0; ///< index into kFields
        double value = 0;
        std::int64_t line = -1;
    };
    DrillApplyResult result;
    std::vector<Accepted> accepted;
    for (const auto& row : changes.rows) {
        auto value = [&](std::size_t k) { return row.values[*cm.index[k]]; };
        const auto yes = planner::normalize_key(value(3));
        static const std::set<std::string> yes_words = {"はい", "yes",  "y",    "1",   "○",
                                                        "〇",   "true", "採用", "する"};
        static const std::set<std::string> no_words = {"",  "いいえ", "no",     "n",     "0",
                                                       "×", "false",  "不採用", "しない"};
        if (no_words.count(yes)) continue;
        if (!yes_words.count(yes)) {
            throw InputError("drill changes: 採用 must be はい (yes) or empty / いいえ (no)",
                             changes.where(row, *cm.index[3]));
        }
        const std::string field = change_field_code(trim(value(1)));
        if (field == "decision_min") {
            result.warnings.push_back(
                changes.file + " " + std::to_string(row.line) + "行目: " + value(0) +
                " の decision_min は名簿の列ではなくシナリオの設定です（scenario.toml の "
                "[options] decision_min で見直してください）");
            continue;
        }
        const auto f = std::find(kFields.begin(), kFields.end(), field);
        if (f == kFields.end()) {
            throw InputError("drill changes: 項目 must be 準備時間 (packing_min), 乗車時間 "
                             "(loading_min) or 電源接続時間 (connect_min) (避難決定までの時間, "
                             "decision_min: a warning)",
                             changes.where(row, *cm.index[1]));
        }
        const auto minutes = to_number(value(2));
        if (!minutes || *minutes < 0 || *minutes > 600) {
            throw InputError(
                "drill changes: the recorded minutes are not a number of minutes 0-600",
                changes.where(row, *cm.index[2]));
        }
        const auto k = static_cast<std::size_t>(f - kFields.begin());
        for (const auto& a : accepted) {
            if (a.child_id == trim(value(0)) && a.field == k) {
                throw InputError("drill changes: a second accepted row for this child and field "
                                 "(the first is line " +
                                     std::to_string(a.line) + "): accept one",
                                 changes.where(row, *cm.index[1]));
            }
        }
        accepted.push_back({trim(value(0)), k, std::ceil(*minutes - 1e-9), row.line});
    }

    if (planner::is_gis_path(registry_csv)) {
        throw InputError("drill apply: the registry must be a CSV file (a GIS registry cannot be "
                         "rewritten cell by cell)",
                         {.file = registry_csv.string()});
    }
    const auto doc = planner::read_csv_file(registry_csv);
    for (const auto& d : doc.diagnostics) {
        if (d.severity == Diagnostic::Severity::error)
            throw InputError("registry: " + d.message, d.where);
    }
    const auto table = planner::table_from_csv(doc, planner::registry_columns());
    const auto rm = planner::match_columns(table.columns, planner::registry_columns());
    std::optional<std::size_t> id_col;
    std::array<std::optional<std::size_t>, kFields.size()> field_col;
    const auto specs_r = planner::registry_columns();
    for (std::size_t k = 0; k < specs_r.size(); ++k) {
        if (specs_r[k].name == "id") id_col = rm.index[k];
        for (std::size_t f = 0; f < kFields.size(); ++f) {
            if (specs_r[k].name == kFields[f]) field_col[f] = rm.index[k];
        }
    }
    if (!id_col)
        throw InputError("registry: no id column",
                         {.file = registry_csv.string(), .line = table.header_line, .field = "id"});
    std::vector<std::vector<std::string>> rows;
    std::size_t header_index = 0;
    for (std::size_t r = 0; r < doc.records.size(); ++r) {
        rows.push_back(doc.records[r].fields);
        if (doc.records[r].line == table.header_line) header_index = r;
    }
    // A column the registry lacks is added at the end, in kFields order, only if a row needs it.
    std::size_t width = table.columns.size();
    for (std::size_t f = 0; f < kFields.size(); ++f) {
        const bool needed = std::any_of(accepted.begin(), accepted.end(),
                                        [&](const Accepted& a) { return a.field == f; });
        if (field_col[f] || !needed) continue;
        auto& header = rows[header_index];
        header.resize(width, "");
        header.push_back(kFields[f]);
        field_col[f] = width++;
    }
    for (const auto& a : accepted) {
        bool found = false;
        const auto col = *field_col[a.field];
        for (std::size_t r = header_index + 1; r < rows.size(); ++r) {
            auto& fields = rows[r];
            if (*id_col >= fields.size() || trim(fields[*id_col]) != a.child_id) continue;
            found = true;
            if (fields.size() <= col) fields.resize(col + 1, "");
            const std::string before = trim(fields[col]);
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.0f", a.value);
            fields[col] = buf;
            result.applied.push_back(a.child_id + " " + kFields[a.field] + " " +
                                     (before.empty() ? std::string("（空）") : before) + " -> " +
                                     buf);
        }
        if (!found) {
            throw InputError(
                "drill changes: this child is not in the registry " + registry_csv.string(),
                {.file = changes.file, .line = a.line, .field = "児童ID", .value = a.child_id});
        }
    }
    result.registry_csv = planner::format_csv(rows);
    if (result.applied.empty())
        result.warnings.push_back(
            changes_csv.string() +
            ": 採用 に「はい」と書いた行がありません。新しい名簿は元の名簿と同じです");
    return result;
}

std::string_view japanese_label(DrillCompareRow::Verdict verdict) {
    switch (verdict) {
    case DrillCompareRow::Verdict::faster: return "速くなった";
    case DrillCompareRow::Verdict::slower: return "遅くなった";
    case DrillCompareRow::Verdict::same: return "変わらない";
    case DrillCompareRow::Verdict::not_compared: break;
    }
    return "比べられない";
}

DrillComparison compare_drills(const DrillFile& before, const DrillFile& after,
                               double same_within_min) {
    auto file_of = [](const DrillFile& d) {
        if (d.files.empty()) return std::string("(drill)");
        std::string s = d.files.front();
        if (d.files.size() > 1)
            s += " (and " + std::to_string(d.files.size() - 1) + " more files of the same drill)";
        return s;
    };
    for (const auto* d : {&before, &after}) {
        if (d->scenario.empty()) {
            throw InputError("drill compare: the drill file does not name its scenario (nor does "
                             "any other file of the "
                             "same drill), so it cannot be checked that both drills are of the "
                             "same scenario: add a row 'シナリオ,<scenario name>' above the table",
                             {.file = file_of(*d), .field = "シナリオ"});
        }
    }
    if (before.scenario != after.scenario) {
        throw InputError(
            "drill compare: the two drills are of different scenarios ('" + before.scenario +
                "' and '" + after.scenario + "'); only drills of one scenario can be compared",
            {.file = after.scenario_file.empty() ? file_of(after) : after.scenario_file,
             .line = after.scenario_line,
             .field = "シナリオ",
             .value = after.scenario});
    }
    DrillComparison out;
    out.scenario = before.scenario;
    out.before_title = before.title;
    out.after_title = after.title;
    out.before_date = before.date;
    out.after_date = after.date;
    out.before_t0_clock_min = before.t0_clock_min;
    out.after_t0_clock_min = after.t0_clock_min;
    out.before_files = before.files;
    out.after_files = after.files;
    if (!before.date.empty() && !after.date.empty() && before.date > after.date) {
        out.warnings.push_back(
            "前回として渡した訓練（" + before.date + "）が今回（" + after.date +
            "）より後の日付です。順序を確かめてください（差は 今回−前回 で示しています）");
    }
    if (!before.date.empty() && before.date == after.date) {
        out.warnings.push_back("二つの訓練の日付が同じです（" + before.date +
                               "）。同じ訓練の記録を二度渡していませんか");
    }

    auto verdict = [&](const std::optional<double>& change) {
        if (!change) return DrillCompareRow::Verdict::not_compared;
        if (std::abs(*change) < same_within_min) return DrillCompareRow::Verdict::same;
        return *change < 0 ? DrillCompareRow::Verdict::faster : DrillCompareRow::Verdict::slower;
    };

    // Drill-wide steps: before's order, then the ones only the later drill has.
    std::vector<std::string> event_names;
    for (const auto* d : {&before, &after}) {
        for (const auto& e : d->entries) {
            if (e.child_id.empty() && std::find(event_names.begin(), event_names.end(),
                                                e.step_name) == event_names.end()) {
                event_names.push_back(e.step_name);
            }
        }
    }
    auto event_time = [](const DrillFile& d, const std::string& name) -> std::optional<double> {
        for (const auto& e : d.entries) {
            if (e.child_id.empty() && e.step_name == name) return e.recorded_min;
        }
        return std::nullopt;
    };
    for (const auto& name : event_names) {
        DrillCompareRow row;
        row.step_name = name;
        row.before_min = event_time(before, name);
        row.after_min = event_time(after, name);
        if (row.before_min && row.after_min) row.change_min = *row.after_min - *row.before_min;
        row.verdict = verdict(row.change_min);
        // No scenario is loaded here, so a drill-wide step cannot be checked against a
        // timeline: one that only one drill has (renamed, misspelt) is said, not dropped.
        auto has = [&](const DrillFile& d) {
            return std::any_of(d.entries.begin(), d.entries.end(), [&](const DrillEntry& e) {
                return e.child_id.empty() && e.step_name == name;
            });
        };
        if (has(before) != has(after)) {
            out.warnings.push_back("訓練全体の段階「" + name + "」は" +
                                   (has(before) ? "前回" : "今回") +
                                   "の訓練にしかありません（名前が違うと比べられません）");
        }
        out.rows.push_back(std::move(row));
    }

    // Children: those with rows in both drills are compared; the others are listed.
    const auto in_before = before.children();
    const auto in_after = after.children();
    std::set_intersection(in_before.begin(), in_before.end(), in_after.begin(), in_after.end(),
                          std::back_inserter(out.children));
    std::set_difference(in_before.begin(), in_before.end(), in_after.begin(), in_after.end(),
                        std::back_inserter(out.only_before));
    std::set_difference(in_after.begin(), in_after.end(), in_before.begin(), in_before.end(),
                        std::back_inserter(out.only_after));
    if (out.children.empty())
        out.warnings.push_back("両方の訓練に記録のある児童がいません。児童ごとの比較はできません");

    std::array<std::vector<double>, kDrillSteps> changes;
    for (const auto& id : out.children) {
        std::optional<double> prev_before, prev_after; // the previous step recorded in both
        for (std::size_t k = 0; k < kDrillSteps; ++k) {
            const auto step = static_cast<DrillStep>(k);
            const auto* a = before.find(id, step);
            const auto* b = after.find(id, step);
            DrillCompareRow row;
            row.child_id = id;
            row.step = step;
            row.step_name = std::string(japanese_label(step));
            if (a) row.before_min = a->recorded_min;
            if (b) row.after_min = b->recorded_min;
            if (!row.before_min && !row.after_min) continue;
            if (row.before_min && row.after_min) {
                if (prev_before && prev_after) {
                    row.before_duration_min = *row.before_min - *prev_before;
                    row.after_duration_min = *row.after_min - *prev_after;
                    row.change_min = *row.after_duration_min - *row.before_duration_min;
                    changes[k].push_back(*row.change_min);
                }
                prev_before = row.before_min;
                prev_after = row.after_min;
            }
            row.verdict = verdict(row.change_min);
            out.rows.push_back(std::move(row));
        }
    }
    for (std::size_t k = 0; k < kDrillSteps; ++k) {
        auto& v = changes[k];
        if (v.empty()) continue;
        DrillStepTrend t;
        t.step = static_cast<DrillStep>(k);
        t.compared = static_cast<std::int64_t>(v.size());
        for (const double c : v) {
            switch (verdict(c)) {
            case DrillCompareRow::Verdict::faster: ++t.faster; break;
            case DrillCompareRow::Verdict::slower: ++t.slower; break;
            default: ++t.same; break;
            }
        }
        std::sort(v.begin(), v.end());
        t.median_change_min =
            v.size() % 2 == 1 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2.0;
        out.steps.push_back(t);
    }
    out.warnings.insert(out.warnings.end(), before.warnings.begin(), before.warnings.end());
    out.warnings.insert(out.warnings.end(), after.warnings.begin(), after.warnings.end());
    return out;
}

std::vector<std::vector<std::string>> drill_compare_rows(const DrillComparison& c) {
    std::vector<std::vector<std::string>> rows;
    rows.push_back({"児童ID", "段階", "前回(分)", "今回(分)", "前回の所要(分)", "今回の所要(分)",
                    "差 今回−前回(分)", "判定"});
    for (const auto& r : c.rows) {
        rows.push_back({r.child_id, r.step_name, opt(r.before_min), opt(r.after_min),
                        opt(r.before_duration_min), opt(r.after_duration_min), opt(r.change_min),
                        std::string(japanese_label(r.verdict))});
    }
    return rows;
}

void write_drill_review(const std::filesystem::path& path, const DrillReview& review) {
    write_file_atomically(path, planner::format_csv(drill_review_rows(review)), FileMode::personal);
}

} // namespace sonae::sim
