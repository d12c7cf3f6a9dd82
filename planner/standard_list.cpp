#include "planner/standard_list.hpp"

#include "planner/detail/registry_text.hpp"
#include "planner/detail/table_load.hpp"
#include "planner/registry.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>

namespace sonae::planner {

using detail::format_number;
using detail::RowReader;

namespace {

enum SCol : std::size_t {
    s_lg_code,
    s_code,
    s_id,
    s_no,
    s_name,
    s_address,
    s_lat,
    s_lon,
    s_hazard_first, // kHazardCount columns in Hazard order
    s_overlap = s_hazard_first + kHazardCount,
    s_capacity,
    s_notes,
    s_known_unused, // the standard's other columns: read, not used
};

std::vector<ColumnSpec> make_standard_list_columns() {
    std::vector<ColumnSpec> specs{
        {"全国地方公共団体コード", {"lg_code"}, false},
        {"市区町村コード", {"市町村コード", "municipality_code"}, false},
        {"ID", {}, false},
        {"NO", {"番号", "通し番号"}, false},
        {"名称", {"施設・場所名", "施設名"}, true},
        {"所在地_連結表記", {"住所", "所在地"}, false},
        {"緯度", {"latitude", "lat"}, true},
        {"経度", {"longitude", "lon", "lng"}, true},
        {"災害種別_洪水", {}, false},
        {"災害種別_崖崩れ、土石流及び地滑り",
         {"災害種別_崖崩れ_土石流及び地滑り", "災害種別_崖崩れ,土石流及び地滑り",
          "災害種別_土砂災害"},
         false},
        {"災害種別_高潮", {}, false},
        {"災害種別_地震", {}, false},
        {"災害種別_津波", {}, false},
        {"災害種別_大規模な火事", {}, false},
        {"災害種別_内水氾濫", {}, false},
        {"災害種別_火山現象", {}, false},
        {"指定避難所との重複", {}, false},
        {"想定収容人数", {"想定収用人数", "収容人数"}, false},
        {"備考", {}, false},
    };
    for (std::string_view name : {"名称_カナ",
                                  "名称_英字",
                                  "所在地_全国地方公共団体コード",
                                  "町字ID",
                                  "所在地_都道府県",
                                  "所在地_市区町村",
                                  "所在地_町字",
                                  "所在地_番地以下",
                                  "建物名等",
                                  "方書",
                                  "標高",
                                  "電話番号",
                                  "管理先電話番号",
                                  "内線番号",
                                  "連絡先メールアドレス",
                                  "連絡先FormURL",
                                  "連絡先備考",
                                  "郵便番号",
                                  "都道府県名",
                                  "市区町村名",
                                  "地方公共団体名",
                                  "対象となる町会・自治会",
                                  "URL",
                                  "画像",
                                  "画像_ライセンス",
                                  "マッチングレベル",
                                  "世界_10進_X",
                                  "世界_10進_Y"}) {
        specs.push_back({name,
                         name == "名称_カナ" ? std::vector<std::string_view>{"名称カナ"}
                                             : std::vector<std::string_view>{},
                         false});
    }
    return specs;
}

/// 指定避難所との重複: 1/○ or 避難所 = also a designated shelter; 0/×, 避難場所 or empty = not.
std::optional<bool> parse_overlap(const std::string& raw) {
    const std::string text = detail::trim(detail::fold_width(raw));
    if (text.empty()) return false;
    if (auto b = detail::parse_bool(text)) return b;
    if (text == "避難所" || text == "指定避難所" || text == "重複") return true;
    if (text == "避難場所" || text == "指定緊急避難場所") return false;
    return std::nullopt;
}

bool is_unknown_marker(const std::string& text) {
    static const std::set<std::string> markers{"-",    "ー",     "―",    "‐", "不明",
                                               "未定", "未設定", "なし", "無"};
    return markers.count(text) > 0;
}

} // namespace

std::span<const ColumnSpec> standard_list_columns() {
    static const std::vector<ColumnSpec> specs = make_standard_list_columns();
    return specs;
}

bool is_standard_list_header(std::span<const std::string> header) {
    const ColumnMatch m = match_columns(header, standard_list_columns());
    std::size_t hazards = 0;
    for (std::size_t h = 0; h < kHazardCount; ++h)
        hazards += m.index[s_hazard_first + h].has_value() ? 1 : 0;
    return m.index[s_name] && m.index[s_lat] && m.index[s_lon] && hazards >= 3;
}

std::optional<CapacityText> parse_capacity_text(std::string_view raw) {
    const std::string text = detail::trim(detail::fold_width(raw));
    std::size_t end = 0;
    while (end < text.size() &&
           ((text[end] >= '0' && text[end] <= '9') || (text[end] == ',' && end > 0)))
        ++end;
    while (end > 0 && text[end - 1] == ',') --end;
    if (end == 0) return std::nullopt;
    const auto persons = detail::parse_integer(text.substr(0, end));
    if (!persons) return std::nullopt;
    CapacityText out;
    out.persons = *persons;
    // The rest is the basis, usually in brackets that do not always match: "(2㎡あたり1人）".
    std::string rest = detail::trim(text.substr(end));
    if (!rest.empty() && (rest.front() == '(' || rest.front() == '[')) rest.erase(0, 1);
    if (!rest.empty() && (rest.back() == ')' || rest.back() == ']')) rest.pop_back();
    if (rest.starts_with("人")) rest = detail::trim(rest.substr(std::string_view("人").size()));
    if (!rest.empty() && (rest.front() == '(' || rest.front() == '[')) rest.erase(0, 1);
    out.basis = detail::trim(rest);
    return out;
}

std::vector<std::string> accessibility_notes(std::string_view remarks) {
    const std::string text = detail::fold_width(remarks);
    std::set<std::string> found;
    const auto has = [&text](std::string_view word) {
        return text.find(word) != std::string::npos;
    };
    if (has("車椅子") || has("車いす") || has("車イス")) found.insert("車椅子対応");
    if (has("オストメイト")) found.insert("オストメイト");
    if (has("福祉避難所")) found.insert("福祉避難所");
    if (has("授乳")) found.insert("授乳室");
    return {found.begin(), found.end()};
}

FacilityLoadResult load_standard_list_table(const Table& table, const std::string& list_name) {
    FacilityLoadResult result;
    if (!detail::start_load(result, table)) return result;
    const auto specs = standard_list_columns();
    const auto header = detail::check_header(
        table, specs,
        {.quiet_unnamed = true,
         .point_columns = {s_lat, s_lon},
         .missing_message =
             [](const ColumnSpec& spec) {
                 return "required column '" + std::string(spec.name) +
                        "' of the standard shelter list is missing; no row can be loaded";
             }},
        result.diagnostics);
    const ColumnMatch& match = header.match;
    const Where table_where = table.header_where();
    if (!header.loadable) {
        result.rows_rejected = result.rows_read;
        return result;
    }
    std::size_t hazard_columns = 0;
    for (std::size_t h = 0; h < kHazardCount; ++h)
        hazard_columns += match.index[s_hazard_first + h] ? 1 : 0;
    if (hazard_columns < kHazardCount) {
        Where w = table_where;
        w.field = "災害種別";
        result.diagnostics.push_back(Diagnostic{
            Diagnostic::Severity::warning,
            std::to_string(kHazardCount - hazard_columns) +
                " of the 8 災害種別_ columns are missing; those hazards read as not designated",
            w});
    }

    std::map<std::string, std::int64_t> seen;
    std::size_t rows_with_flags = 0;
    for (const TableRow& row : table.rows) {
        RowReader r(table, row, match, specs, result.diagnostics);
        Facility f;
        f.source_line = row.line;
        f.name = r.text(s_name);
        const bool no_position = r.text(s_lat).empty() && r.text(s_lon).empty() && !row.geometry;
        if (f.name.empty() && no_position) {
            // Kudamatsu's list keeps a numbered row with only its code and ID (a withdrawn site).
            result.diagnostics.push_back(
                Diagnostic{Diagnostic::Severity::warning,
                           "the row has no name and no position (a withdrawn entry?); not loaded",
                           r.where(s_name)});
            ++result.rows_rejected;
            continue;
        }
        if (f.name.empty()) r.error(s_name, "the name is empty");

        std::string code_text = r.text(s_lg_code);
        std::size_t code_column = s_lg_code;
        if (code_text.empty()) {
            code_text = r.text(s_code);
            code_column = s_code;
        }
        if (!code_text.empty()) {
            if (auto code = detail::canonical_municipality_code(code_text))
                f.municipality_code = *code;
            else
                r.error(code_column, "not a JIS municipality code (5 digits, or 6 with a valid "
                                     "check digit, e.g. 352071)");
        }

        const std::string id_text = detail::fold_width(r.text(s_id));
        const std::string no_text = detail::fold_width(r.text(s_no));
        const std::string prefix =
            f.municipality_code.empty() ? std::string("std") : f.municipality_code;
        f.id = !id_text.empty()   ? id_text
               : !no_text.empty() ? prefix + "-" + no_text
                                  : prefix + "-" + f.name;
        if (!f.id.empty()) {
            auto [it, inserted] = seen.emplace(f.id, row.line);
            if (!inserted) {
                r.error(!id_text.empty() ? s_id : s_no,
                        "duplicate id: already used " +
                            (it->second >= 0 ? "on line " + std::to_string(it->second)
                                             : std::string("above")));
            }
        }

        // Position: 緯度/経度, or the point geometry of a GIS layer, or else the town point of
        // 所在地 (offline geocoder) with its precision.
        f.address = r.text(s_address);
        if (no_position && !f.address.empty()) {
            if (const auto point =
                    detail::place_facility_address(r, s_address, f.address, f.municipality_code)) {
                f.position = point->position;
                f.position_precision = point->precision;
            }
        } else if (r.present(s_lat) && r.present(s_lon) &&
                   !(r.text(s_lat).empty() && r.text(s_lon).empty() && row.geometry)) {
            const auto lat = r.number(s_lat, -1000.0, 1000.0, true);
            const auto lon = r.number(s_lon, -1000.0, 1000.0, true);
            if (lat && lon) {
                if (inside_japan({*lon, *lat})) {
                    f.position = {*lon, *lat};
                } else if (inside_japan({*lat, *lon})) {
                    r.error(s_lat, "緯度 and 経度 look swapped (緯度 " + format_number(*lat) +
                                       " is a longitude in Japan)");
                } else {
                    r.error(s_lat, "the position (緯度 " + format_number(*lat) + ", 経度 " +
                                       format_number(*lon) +
                                       ") is outside Japan (latitude 20-46, longitude 122-154)");
                }
            }
        } else if (row.geometry) {
            if (inside_japan(*row.geometry))
                f.position = *row.geometry;
            else
                r.error_row("the point geometry (" + format_number(row.geometry->lon) + ", " +
                            format_number(row.geometry->lat) + ") is outside Japan");
        } else {
            r.error(s_lat, "no position: 緯度 and 経度 are empty (and no 所在地 to place it by)");
        }

        f.add_kind(FacilityKind::emergency_site);
        if (const auto overlap = parse_overlap(r.text(s_overlap))) {
            if (*overlap) f.add_kind(FacilityKind::shelter);
        } else {
            r.error(s_overlap, "not a yes/no value (1 or 避難所 = also a designated shelter; "
                               "empty, 0 or 避難場所 = not)");
        }

        // Hazard flags: "1", "○", "○（２階）" (safe on the 2nd floor only: kept as a note), "×",
        // empty.
        bool any_flag = false;
        for (std::size_t h = 0; h < kHazardCount; ++h) {
            const std::string raw = r.text(s_hazard_first + h);
            const std::string text = detail::trim(detail::fold_width(raw));
            if (text.empty()) continue;
            any_flag = true;
            const std::size_t bracket = text.find('(');
            const std::string head = detail::trim(text.substr(0, bracket));
            const auto yes = detail::parse_bool(head);
            if (!yes) {
                r.error(s_hazard_first + h,
                        "not a hazard flag (1 or ○ = designated; 0, × or empty = not)");
                continue;
            }
            if (*yes) {
                f.safe_for.add(static_cast<Hazard>(h));
                if (bracket != std::string::npos)
                    f.designation_notes.push_back(std::string(label_ja(static_cast<Hazard>(h))) +
                                                  ": " + raw);
            }
        }
        f.hazards_known = any_flag;
        rows_with_flags += any_flag ? 1 : 0;

        if (const std::string capacity = r.text(s_capacity); !capacity.empty()) {
            if (const auto parsed = parse_capacity_text(capacity)) {
                f.capacity_persons = parsed->persons;
                f.capacity_basis = parsed->basis;
            } else if (!is_unknown_marker(detail::trim(detail::fold_width(capacity)))) {
                r.error(s_capacity,
                        "not a capacity (a number of persons, e.g. 291 or 291(2㎡あたり1人))");
            }
        }
        f.notes = r.text(s_notes);
        f.accessibility = accessibility_notes(f.notes);
        f.sources.push_back("standard:" + list_name + ":" + f.id);
        if (r.failed()) {
            ++result.rows_rejected;
            continue;
        }
        result.facilities.push_back(std::move(f));
    }
    if (rows_with_flags == 0 && !table.rows.empty()) {
        Where w = table_where;
        w.field = "災害種別";
        result.diagnostics.push_back(Diagnostic{
            Diagnostic::Severity::warning,
            "no row has a hazard flag: the sites' designations are unknown (指定の確認が必要)", w});
    }
    std::sort(result.facilities.begin(), result.facilities.end(),
              [](const Facility& a, const Facility& b) { return a.id < b.id; });
    return result;
}

FacilityLoadResult load_standard_list(const std::filesystem::path& path,
                                      const TableReadOptions& options) {
    return load_standard_list_table(read_table(path, standard_list_columns(), options),
                                    path.stem().string());
}

} // namespace sonae::planner
