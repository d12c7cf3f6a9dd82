#include "planner/facility.hpp"

#include "geo/point_layer.hpp"
#include "geo/snap.hpp"
#include "planner/detail/registry_text.hpp"
#include "planner/detail/table_load.hpp"
#include "planner/municipality.hpp"
#include "planner/power_sources.hpp"
#include "planner/registry.hpp"
#include "planner/shelter_load.hpp"
#include "planner/standard_list.hpp"
#include "planner/vehicle.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <map>
#include <numeric>
#include <set>

namespace sonae::planner {

using detail::format_number;
using detail::RowReader;

namespace {

struct HazardName {
    Hazard hazard;
    std::string_view en;
    std::string_view ja; // the GSI column name
};
constexpr HazardName kHazards[kHazardCount] = {
    {Hazard::flood, "flood", "洪水"},
    {Hazard::landslide, "landslide", "崖崩れ、土石流及び地滑り"},
    {Hazard::storm_surge, "storm_surge", "高潮"},
    {Hazard::earthquake, "earthquake", "地震"},
    {Hazard::tsunami, "tsunami", "津波"},
    {Hazard::large_fire, "large_fire", "大規模な火事"},
    {Hazard::inland_flood, "inland_flood", "内水氾濫"},
    {Hazard::volcano, "volcano", "火山現象"},
};

constexpr std::string_view kKindNames[kFacilityKindCount] = {
    "emergency_site", "shelter", "p20_shelter", "welfare_shelter", "hospital", "support_centre"};

} // namespace

std::string_view to_string(Hazard hazard) {
    return kHazards[static_cast<std::size_t>(hazard)].en;
}
std::string_view label_ja(Hazard hazard) {
    return kHazards[static_cast<std::size_t>(hazard)].ja;
}

std::optional<Hazard> parse_hazard(std::string_view text) {
    const std::string key = normalize_key(text);
    for (const auto& h : kHazards) {
        if (key == normalize_key(h.en) || key == normalize_key(h.ja)) return h.hazard;
    }
    static const std::vector<std::pair<std::string_view, Hazard>> extra{
        {"土砂災害", Hazard::landslide}, {"土砂", Hazard::landslide},
        {"がけ崩れ", Hazard::landslide}, {"水害", Hazard::flood},
        {"浸水", Hazard::flood},         {"火事", Hazard::large_fire},
        {"火災", Hazard::large_fire},    {"surge", Hazard::storm_surge},
        {"fire", Hazard::large_fire},    {"volcanic", Hazard::volcano},
        {"火山", Hazard::volcano},       {"内水", Hazard::inland_flood},
    };
    for (const auto& [t, h] : extra) {
        if (key == normalize_key(t)) return h;
    }
    return std::nullopt;
}

std::string_view to_string(FacilityKind kind) {
    return kKindNames[static_cast<std::size_t>(kind)];
}

std::optional<FacilityKind> parse_facility_kind(std::string_view text) {
    const std::string key = normalize_key(text);
    for (std::size_t i = 0; i < kFacilityKindCount; ++i) {
        if (key == normalize_key(kKindNames[i])) return static_cast<FacilityKind>(i);
    }
    static const std::vector<std::pair<std::string_view, FacilityKind>> extra{
        {"福祉避難所", FacilityKind::welfare_shelter},
        {"指定福祉避難所", FacilityKind::welfare_shelter},
        {"協定福祉避難所", FacilityKind::welfare_shelter},
        {"welfare", FacilityKind::welfare_shelter},
        {"病院", FacilityKind::hospital},
        {"医療機関", FacilityKind::hospital},
        {"支援センター", FacilityKind::support_centre},
        {"医療的ケア児支援センター", FacilityKind::support_centre},
        {"support_center", FacilityKind::support_centre},
        {"指定避難所", FacilityKind::shelter},
        {"避難所", FacilityKind::shelter},
        {"指定緊急避難場所", FacilityKind::emergency_site},
        {"避難場所", FacilityKind::emergency_site},
    };
    for (const auto& [t, k] : extra) {
        if (key == normalize_key(t)) return k;
    }
    return std::nullopt;
}

std::string normalize_name(std::string_view name) {
    std::string folded = detail::lower_ascii(detail::fold_width(name));
    std::string out;
    for (char c : folded) {
        if (c != ' ' && c != '\t') out.push_back(c);
    }
    return out;
}

namespace {

std::string normalize_address(std::string_view address) {
    std::string s = normalize_name(address);
    // "中村2-6-15" and "中村二丁目6番15号" differ in kanji numerals; only the separators are
    // unified here, so such pairs rely on the distance rule instead.
    auto replace_all = [&s](std::string_view from, std::string_view to) {
        for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos;
             pos += to.size()) {
            s.replace(pos, from.size(), to);
        }
    };
    replace_all("丁目", "-");
    replace_all("番地", "-");
    replace_all("番", "-");
    replace_all("号", "");
    replace_all("の", "-");
    while (!s.empty() && s.back() == '-') s.pop_back();
    return s;
}

/// Splits UTF-8 into code points (as strings) for bigram similarity.
std::vector<std::string> code_points(std::string_view s) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        const std::size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : 4;
        out.emplace_back(s.substr(i, n));
        i += n;
    }
    return out;
}

double bigram_dice(const std::string& a, const std::string& b) {
    auto bigrams = [](const std::string& s) {
        const auto cps = code_points(s);
        std::multiset<std::string> out;
        for (std::size_t i = 0; i + 1 < cps.size(); ++i) out.insert(cps[i] + cps[i + 1]);
        return out;
    };
    const auto ba = bigrams(a);
    const auto bb = bigrams(b);
    if (ba.empty() || bb.empty()) return a == b ? 1.0 : 0.0;
    std::vector<std::string> common;
    std::set_intersection(ba.begin(), ba.end(), bb.begin(), bb.end(), std::back_inserter(common));
    return 2.0 * static_cast<double>(common.size()) / static_cast<double>(ba.size() + bb.size());
}

bool similar_names(const std::string& a, const std::string& b, double threshold) {
    if (a.empty() || b.empty()) return false;
    if (a.find(b) != std::string::npos || b.find(a) != std::string::npos) return true;
    return bigram_dice(a, b) >= threshold;
}

std::string municipality_from_common_id(const std::string& common_id) {
    if (common_id.size() < 6) return {};
    return detail::canonical_municipality_code(common_id.substr(1, 5)).value_or(std::string());
}

/// The standard shelter list a record came from ("standard:<list>:<id>" source), or empty.
std::string standard_list_of(const Facility& f) {
    if (f.sources.empty() || !f.sources.front().starts_with("standard:")) return {};
    const std::string& s = f.sources.front();
    return s.substr(0, s.find(':', std::string_view("standard:").size()));
}

/// Source priority for combining attributes: facility table, standard list (the
/// municipality's own publication), GSI shelter, GSI site, P20.
int source_rank(const Facility& f) {
    if (f.is(FacilityKind::welfare_shelter) || f.is(FacilityKind::hospital) ||
        f.is(FacilityKind::support_centre))
        return 0;
    if (!standard_list_of(f).empty()) return 1;
    if (f.is(FacilityKind::shelter)) return 2;
    if (f.is(FacilityKind::emergency_site)) return 3;
    return 4;
}

} // namespace

FacilityLoadResult load_gsi_shelters(const std::filesystem::path& path) {
    const geo::PointLayer layer = geo::read_point_layer(path);
    FacilityLoadResult result;
    result.diagnostics = layer.diagnostics;
    const auto field = [&](const char* name) { return layer.field_index(name); };
    const auto f_id = field("共通ID");
    const auto f_name = field("施設・場所名");
    const auto f_address = field("住所");
    const auto f_target = field("受入対象者");
    const auto f_notes = field("備考");
    const auto f_no = field("NO");
    const bool emergency = field("洪水").has_value();
    if (!f_id || !f_name) {
        result.diagnostics.push_back(
            Diagnostic{Diagnostic::Severity::error,
                       "not a GSI shelter file: the fields 共通ID and 施設・場所名 are missing",
                       Where{.file = layer.file, .layer = layer.layer}});
        result.rows_read = layer.features.size();
        result.rows_rejected = layer.features.size();
        return result;
    }
    std::array<std::optional<std::size_t>, kHazardCount> hazard_fields{};
    for (std::size_t h = 0; h < kHazardCount; ++h)
        hazard_fields[h] = layer.field_index(std::string(kHazards[h].ja));
    const std::string code_from_name =
        detail::canonical_municipality_code(path.stem().string()).value_or("");

    for (const auto& feature : layer.features) {
        ++result.rows_read;
        Where where{
            .file = layer.file, .layer = layer.layer, .feature = std::to_string(feature.fid)};
        if (!feature.position) {
            ++result.rows_rejected; // the reader already listed the geometry problem
            continue;
        }
        Facility f;
        f.id = detail::trim(feature.values[*f_id]);
        f.name = detail::trim(feature.values[*f_name]);
        if (f.id.empty() || f.name.empty()) {
            where.field = f.id.empty() ? "共通ID" : "施設・場所名";
            result.diagnostics.push_back(
                Diagnostic{Diagnostic::Severity::error, "empty value; feature not loaded", where});
            ++result.rows_rejected;
            continue;
        }
        f.address = f_address ? detail::trim(feature.values[*f_address]) : "";
        f.municipality_code = municipality_from_common_id(f.id);
        if (f.municipality_code.empty()) f.municipality_code = code_from_name;
        f.position = *feature.position;
        f.add_kind(emergency ? FacilityKind::emergency_site : FacilityKind::shelter);
        if (emergency) {
            f.hazards_known = true;
            for (std::size_t h = 0; h < kHazardCount; ++h) {
                if (!hazard_fields[h]) continue;
                const std::string v = detail::trim(feature.values[*hazard_fields[h]]);
                if (v == "1") {
                    f.safe_for.add(static_cast<Hazard>(h));
                } else if (!v.empty() && v != "0") {
                    Where w = where;
                    w.field = std::string(kHazards[h].ja);
                    w.value = v;
                    result.diagnostics.push_back(Diagnostic{
                        Diagnostic::Severity::warning,
                        "hazard flag is neither \"1\" nor empty; read as not designated", w});
                }
            }
        }
        f.target_evacuees = f_target ? detail::trim(feature.values[*f_target]) : "";
        f.notes = f_notes ? detail::trim(feature.values[*f_notes]) : "";
        f.sources.push_back(std::string(emergency ? "gsi-emergency:" : "gsi-shelter:") + f.id +
                            (f_no ? "#" + feature.values[*f_no] : std::string()));
        result.facilities.push_back(std::move(f));
    }
    return result;
}

FacilityLoadResult load_gsi_folder(const std::filesystem::path& folder,
                                   const std::string& municipality_code) {
    FacilityLoadResult all;
    for (const char* sub : {"emergency", "evacuation"}) {
        const std::filesystem::path dir = folder / sub;
        std::vector<std::filesystem::path> files;
        if (!municipality_code.empty()) {
            const auto file = dir / (municipality_code + ".json");
            if (std::filesystem::exists(file)) files.push_back(file);
        } else if (std::filesystem::is_directory(dir)) {
            for (const auto& entry : std::filesystem::directory_iterator(dir)) {
                if (entry.path().extension() == ".json") files.push_back(entry.path());
            }
            std::sort(files.begin(), files.end());
        }
        for (const auto& file : files) {
            FacilityLoadResult one = load_gsi_shelters(file);
            all.rows_read += one.rows_read;
            all.rows_rejected += one.rows_rejected;
            all.facilities.insert(all.facilities.end(), one.facilities.begin(),
                                  one.facilities.end());
            all.diagnostics.insert(all.diagnostics.end(), one.diagnostics.begin(),
                                   one.diagnostics.end());
        }
    }
    if (all.rows_read == 0) {
        all.diagnostics.push_back(Diagnostic{
            Diagnostic::Severity::error,
            "no GSI files found (expected emergency/<code>.json and evacuation/<code>.json)",
            Where{.file = folder.string(), .value = municipality_code}});
    }
    return all;
}

FacilityLoadResult load_p20(const std::filesystem::path& path) {
    const geo::PointLayer layer = geo::read_point_layer(path);
    FacilityLoadResult result;
    result.diagnostics = layer.diagnostics;
    const auto f_code = layer.field_index("P20_001");
    const auto f_name = layer.field_index("P20_002");
    const auto f_address = layer.field_index("P20_003");
    const auto f_type = layer.field_index("P20_004");
    const auto f_capacity = layer.field_index("P20_005");
    const auto f_no = layer.field_index("NO");
    if (!f_name || !f_capacity) {
        result.diagnostics.push_back(
            Diagnostic{Diagnostic::Severity::error,
                       "not a 国土数値情報 P20 file: fields P20_002 and P20_005 are missing",
                       Where{.file = layer.file, .layer = layer.layer}});
        result.rows_read = result.rows_rejected = layer.features.size();
        return result;
    }
    // P20 product specification: 006 facility size, 007 earthquake, 008 tsunami, 009 flood
    // (水害), 010 volcano, 011 other, 012 none designated; 1 = yes, 0 = no, -1 unknown.
    const std::array<std::pair<const char*, Hazard>, 4> hazard_fields{
        {{"P20_007", Hazard::earthquake},
         {"P20_008", Hazard::tsunami},
         {"P20_009", Hazard::flood},
         {"P20_010", Hazard::volcano}}};
    for (const auto& feature : layer.features) {
        ++result.rows_read;
        Where where{
            .file = layer.file, .layer = layer.layer, .feature = std::to_string(feature.fid)};
        if (!feature.position) {
            ++result.rows_rejected;
            continue;
        }
        Facility f;
        const std::string no = f_no ? detail::trim(feature.values[*f_no]) : std::string();
        f.id = "p20-" + (no.empty() ? std::to_string(feature.fid) : no);
        f.name = detail::trim(feature.values[*f_name]);
        f.address = f_address ? detail::trim(feature.values[*f_address]) : "";
        f.municipality_code =
            f_code ? detail::canonical_municipality_code(feature.values[*f_code]).value_or("") : "";
        f.position = *feature.position;
        f.add_kind(FacilityKind::p20_shelter);
        const std::string capacity_text = feature.values[*f_capacity];
        if (auto capacity = detail::parse_integer(capacity_text)) {
            if (*capacity >= 0) f.capacity_persons = *capacity;
        } else if (!capacity_text.empty()) {
            where.field = "P20_005";
            where.value = capacity_text;
            result.diagnostics.push_back(Diagnostic{
                Diagnostic::Severity::warning, "capacity is not a number; read as unknown", where});
        }
        for (const auto& [name, hazard] : hazard_fields) {
            if (auto idx = layer.field_index(name)) {
                if (detail::parse_integer(feature.values[*idx]).value_or(0) == 1) {
                    f.safe_for.add(hazard);
                    f.hazards_known = true;
                }
            }
        }
        if (f_type) f.notes = detail::trim(feature.values[*f_type]);
        f.sources.push_back("p20:" + (no.empty() ? std::to_string(feature.fid) : no));
        if (f.name.empty()) {
            where.field = "P20_002";
            result.diagnostics.push_back(Diagnostic{Diagnostic::Severity::error,
                                                    "the facility has no name; not loaded", where});
            ++result.rows_rejected;
            continue;
        }
        result.facilities.push_back(std::move(f));
    }
    return result;
}

namespace {

enum FCol : std::size_t {
    f_id,
    f_name,
    f_kind,
    f_municipality,
    f_lon,
    f_lat,
    f_address,
    f_capacity,
    f_gen_kw,
    f_fuel_h,
    f_gen_evacuees,
    f_outlets,
    f_nurses,
    f_carers,
    f_vent,
    f_oxygen,
    f_safe_for,
    f_delay,
    f_direct,
    f_target,
    f_notes,
};

std::vector<ColumnSpec> make_facility_columns() {
    return {
        {"id", {"facility_id", "施設ID", "施設番号", "ID", "共通ID"}, true},
        {"name", {"facility_name", "施設名", "名称", "施設・場所名"}, true},
        {"kind", {"type", "種別", "施設種別", "区分"}, true},
        {"municipality_code",
         {"municipality", "市町村コード", "市町コード", "自治体コード"},
         false},
        {"lon", {"longitude", "lng", "経度"}, true, "address"},
        {"lat", {"latitude", "緯度"}, true, "address"},
        {"address", {"住所", "所在地"}, false},
        {"capacity", {"capacity_persons", "収容人数", "受入可能人数", "定員"}, false},
        {"generator_kw", {"generator", "発電機", "発電機出力", "非常用発電機"}, false},
        {"generator_fuel_h",
         {"fuel_h", "燃料", "燃料時間", "発電機燃料時間", "連続運転時間"},
         false},
        {"generator_kw_for_evacuees",
         {"evacuee_generator_kw", "避難者用発電機出力", "避難者用電力", "受入者用発電機出力"},
         false},
        {"outlets", {"コンセント", "コンセント数", "医療機器用コンセント"}, false},
        {"nurses", {"看護師", "看護師数"}, false},
        {"carers", {"介護職員", "介護職員数", "認定特定行為業務従事者", "喀痰吸引等従事者"}, false},
        {"accepts_ventilator",
         {"ventilator", "人工呼吸器受入", "人工呼吸器", "人工呼吸器受入可"},
         false},
        {"accepts_oxygen", {"oxygen", "酸素受入", "在宅酸素受入", "酸素受入可"}, false},
        {"safe_for", {"hazards", "対応災害", "対象災害", "災害種別"}, false},
        {"opening_delay",
         {"opening_delay_min", "開設までの時間", "開設所要時間", "開設遅延"},
         false},
        {"direct_evacuation", {"direct", "直接避難", "直接避難可"}, false},
        {"target_evacuees", {"受入対象者", "対象者"}, false},
        {"notes", {"remarks", "備考", "メモ"}, false},
    };
}

} // namespace

std::span<const ColumnSpec> facility_columns() {
    static const std::vector<ColumnSpec> specs = make_facility_columns();
    return specs;
}

FacilityLoadResult load_facility_table(const Table& table) {
    FacilityLoadResult result;
    if (!detail::start_load(result, table)) return result;
    const auto specs = facility_columns();
    detail::HeaderRules rules{.point_columns = {f_lon, f_lat}, .address_column = f_address};
    // A national standard list given as a facility table: say how to give it.
    if (is_standard_list_header(table.columns)) {
        rules.missing_message = [](const ColumnSpec& spec) {
            return "required column '" + std::string(spec.name) +
                   "' is missing; no row can be loaded (this is a national standard shelter "
                   "list, 指定緊急避難場所一覧: give it as kind = \"standard_list\" in the "
                   "scenario)";
        };
    }
    const auto header = detail::check_header(table, specs, rules, result.diagnostics);
    if (!header.loadable) {
        result.rows_rejected = result.rows_read;
        return result;
    }
    detail::RecordIds ids(f_id);
    for (const TableRow& row : table.rows) {
        RowReader r(table, row, header.match, specs, result.diagnostics);
        Facility f;
        f.source_line = row.line;
        f.id = detail::fold_width(r.text(f_id));
        ids.check(r, f.id, row.line);
        f.name = r.text(f_name);
        if (f.name.empty()) r.error(f_name, "the name is empty");
        if (auto kind = parse_facility_kind(r.text(f_kind))) {
            if (*kind == FacilityKind::emergency_site || *kind == FacilityKind::shelter ||
                *kind == FacilityKind::p20_shelter) {
                r.warning(f_kind,
                          "designated shelters usually come from the GSI file; kept as given");
            }
            f.add_kind(*kind);
        } else {
            r.error(f_kind, "unknown kind (welfare_shelter, hospital, support_centre; 福祉避難所, "
                            "病院, 支援センター)");
        }
        if (const std::string code = r.text(f_municipality); !code.empty()) {
            if (auto c = detail::canonical_municipality_code(code))
                f.municipality_code = *c;
            else
                r.error(f_municipality, "not a JIS municipality code (e.g. 352021)");
        }
        f.address = r.text(f_address);
        const bool no_coordinates = r.text(f_lon).empty() && r.text(f_lat).empty();
        if (no_coordinates && !row.geometry && !f.address.empty()) {
            // No coordinates: the town point of the address (offline, data/ town points).
            if (const auto point =
                    detail::place_facility_address(r, f_address, f.address, f.municipality_code)) {
                f.position = point->position;
                f.position_precision = point->precision;
            }
        } else if (const auto position =
                       detail::read_position(r, row, f_lon, f_lat, "position",
                                             "no position: give lon and lat (or 住所)")) {
            f.position = *position;
        }
        if (auto capacity = r.integer(f_capacity, -1, 100000, false)) {
            if (*capacity >= 0) f.capacity_persons = *capacity;
        }
        f.generator_kw = r.number(f_gen_kw, 0, 10000, false, 0.0).value_or(0.0);
        f.generator_fuel_h = r.number(f_fuel_h, 0, 10000, false, 0.0).value_or(0.0);
        if (f.generator_kw > 0 && f.generator_fuel_h <= 0) {
            r.warning(f_fuel_h, "a generator without fuel hours: its energy cannot be planned");
        }
        if (r.present(f_gen_evacuees)) {
            if (auto kw = r.number(f_gen_evacuees, 0, 10000, false, 0.0)) {
                f.generator_kw_for_evacuees = *kw;
                if (*kw > f.generator_kw) {
                    r.warning(f_gen_evacuees,
                              "more than the generator's output (generator_kw): capped at it");
                }
            }
        }
        f.outlets = static_cast<int>(r.integer(f_outlets, 0, 10000, false, 0).value_or(0));
        f.outlets_known = r.present(f_outlets) && !r.text(f_outlets).empty();
        f.nurses = static_cast<int>(r.integer(f_nurses, 0, 1000, false, 0).value_or(0));
        f.carers = static_cast<int>(r.integer(f_carers, 0, 1000, false, 0).value_or(0));
        f.accepts_ventilator = r.boolean(f_vent, false, false).value_or(false);
        f.accepts_oxygen = r.boolean(f_oxygen, false, false).value_or(false);
        if (f.accepts_ventilator && f.outlets_known && f.outlets == 0) {
            r.warning(
                f_outlets,
                "accepts ventilator users but has no outlet for medical devices: no child with a "
                "powered device can be assigned here (give the number of outlets on backup power)");
        }
        // Outlets not given are unknown: the plan does not limit them (planner/shelter_load.hpp),
        // which is said here rather than assumed in silence, where devices would be plugged in.
        if (!f.outlets_known && (f.generator_kw > 0 || f.accepts_ventilator || f.accepts_oxygen)) {
            r.warning(
                f_outlets,
                "outlets on backup power for medical devices not given: unknown, the plan does not "
                "limit the devices plugged in here (give the number of outlets)");
        }
        // A ventilator child needs a nurse at every hour: one post over a day takes
        // ceil(24 h / shift_h) nurses (3 in 8-hour shifts, planner/shelter_load.hpp). With fewer
        // the facility's acceptance of ventilator users is one the plan cannot use.
        const auto& shelter = default_power_sources().shelter;
        // Staff not given are counted as none (no child who needs them is planned here): said,
        // not assumed in silence, wherever medical children may be sent.
        const bool takes_medical_children = f.is(FacilityKind::welfare_shelter) ||
                                            f.is(FacilityKind::hospital) || f.accepts_ventilator ||
                                            f.accepts_oxygen;
        const bool nurses_given = r.present(f_nurses) && !r.text(f_nurses).empty();
        if (takes_medical_children && !nurses_given) {
            r.warning(f_nurses, "nurses on the roster not given: counted as 0, so no child who "
                                "needs a nurse is planned here (give the number, 0 if none)");
        }
        if (takes_medical_children && !(r.present(f_carers) && !r.text(f_carers).empty())) {
            r.warning(
                f_carers,
                "certified carers (介護職員・喀痰吸引等従事者) on the roster not given: counted "
                "as 0, so only nurses give care here (give the number, 0 if none)");
        }
        if (const int day_nurses = shifts_per_post(24.0, shelter);
            nurses_given && f.accepts_ventilator && f.nurses < day_nurses) {
            const double covered_h = f.nurses * shelter.shift_h;
            r.warning(
                f_nurses,
                "accepts ventilator users but has " + std::to_string(f.nurses) +
                    " nurses on the roster: a nurse at every hour of a day takes " +
                    std::to_string(day_nurses) + " in " + detail::format_number(shelter.shift_h) +
                    "-hour shifts (data/power_sources.toml), so no child who needs a nurse is "
                    "planned here" +
                    (f.nurses > 0 ? " for a horizon over " + detail::format_number(covered_h) + " h"
                                  : std::string()));
        }
        if (f.is(FacilityKind::hospital) && f.generator_kw > 0 && !f.generator_kw_for_evacuees) {
            r.warning(f_gen_evacuees,
                      "a hospital's generator runs the hospital: give generator_kw_for_evacuees; "
                      "assumed " +
                          detail::format_number(
                              100.0 * default_power_sources().shelter.hospital_evacuee_share) +
                          " % of generator_kw (data/power_sources.toml)");
        }
        if (const std::string text = r.text(f_safe_for); !text.empty()) {
            f.hazards_known = true;
            const std::string lowered = detail::lower_ascii(detail::trim(text));
            if (lowered == "all" || text == "全て" || text == "すべて") {
                f.safe_for.bits = (1u << kHazardCount) - 1;
            } else {
                // The GSI name of the landslide hazard itself contains '、'; protect it before
                // splitting.
                std::string folded = detail::fold_width(text);
                for (const std::string_view gsi :
                     {"崖崩れ、土石流及び地滑り", "崖崩れ,土石流及び地滑り"}) {
                    for (auto pos = folded.find(gsi); pos != std::string::npos;
                         pos = folded.find(gsi)) {
                        folded.replace(pos, gsi.size(), "landslide");
                    }
                }
                for (const auto& part :
                     detail::split_any(folded, {";", "、", ",", "/", "|", "・"})) {
                    if (auto h = parse_hazard(part))
                        f.safe_for.add(*h);
                    else
                        r.error(f_safe_for, "unknown hazard '" + part +
                                                "' (flood, landslide, storm_surge, earthquake, "
                                                "tsunami, large_fire, inland_flood, volcano)");
                }
            }
        }
        if (const std::string delay = r.text(f_delay); !delay.empty()) {
            if (auto s = parse_duration_s(delay); s && *s >= 0)
                f.opening_delay_s = *s;
            else
                r.error(f_delay, "not a duration (minutes like 90, or h:mm like 1:30, or 2h)");
        } else if (f.is(FacilityKind::welfare_shelter)) {
            r.warning(f_delay, "welfare shelter without an opening delay: assumed open at t0 "
                               "(DOMAIN 3.2: they open later)");
        }
        f.direct_evacuation = r.boolean(f_direct, false, true).value_or(true);
        f.target_evacuees = r.text(f_target);
        f.notes = r.text(f_notes);
        f.sources.push_back("table:" + f.id);
        if (r.failed()) {
            ++result.rows_rejected;
            continue;
        }
        result.facilities.push_back(std::move(f));
    }
    std::sort(result.facilities.begin(), result.facilities.end(),
              [](const Facility& a, const Facility& b) { return a.id < b.id; });
    return result;
}

FacilityLoadResult load_facilities(const std::filesystem::path& path, TextEncoding encoding,
                                   const std::string& layer) {
    return load_facility_table(read_table(path, facility_columns(),
                                          TableReadOptions{.encoding = encoding, .sheet = layer}));
}

Diagnostics check_facility_places(std::span<const Facility> facilities, const std::string& file,
                                  const geo::RoadNetwork* network) {
    Diagnostics out;
    std::optional<geo::Snapper> roads;
    std::vector<geo::Weight> any_road;
    std::optional<NetworkExtent> extent;
    if (network != nullptr) extent.emplace(*network);
    for (const auto& f : facilities) {
        char value[64];
        std::snprintf(value, sizeof value, "%.6f, %.6f", f.position.lon, f.position.lat);
        const Where where{.file = file,
                          .line = f.source_line,
                          .feature = f.id,
                          .field = "lon/lat",
                          .value = value};
        const auto off = metres_off_land(f.position);
        std::optional<double> road_m;
        if (off && *off > 0.0 && *off <= kOffLandToleranceM && network != nullptr &&
            network->edge_count() > 0 && extent->near(f.position)) {
            if (!roads) {
                any_road.assign(network->edge_count(), 1);
                roads.emplace(*network, any_road);
            }
            const auto snap = roads->snap(f.position);
            road_m = snap ? snap->distance_m : std::numeric_limits<double>::infinity();
        }
        if (const auto reason = off_land_reason(f.position, road_m)) {
            out.push_back(Diagnostic{
                Diagnostic::Severity::warning,
                "the facility '" + f.name + "' " + *reason + " Check its coordinates", where});
            continue;
        }
        if (f.municipality_code.empty()) continue;
        if (const auto outside = metres_outside_municipality(f.municipality_code, f.position);
            outside && *outside > 1000.0) {
            char km[32];
            std::snprintf(km, sizeof km, "%.1f km", *outside / 1000.0);
            out.push_back(Diagnostic{Diagnostic::Severity::warning,
                                     "the facility '" + f.name + "' lies " + km + " outside " +
                                         municipality_name_ja(f.municipality_code) +
                                         " (国土数値情報 N03 outline, simplified): a wrong "
                                         "municipality code or coordinates?",
                                     where});
        }
    }
    return out;
}

FacilityMergeResult merge_facilities(std::span<const Facility> input, const MergeOptions& options) {
    std::vector<Facility> records(input.begin(), input.end());
    std::sort(records.begin(), records.end(), [](const Facility& a, const Facility& b) {
        if (a.id != b.id) return a.id < b.id;
        if (a.name != b.name) return a.name < b.name;
        return a.sources < b.sources;
    });
    const std::size_t n = records.size();
    std::vector<std::size_t> parent(n);
    std::iota(parent.begin(), parent.end(), 0);
    // What a group holds that no other record may share: its kinds, or for a standard-list
    // record its list (bits 8 and up), so two sites of one list are never merged while the
    // list's record still merges with GSI's and P20's for the same site.
    std::vector<std::string> lists;
    for (const auto& r : records) {
        if (auto list = standard_list_of(r); !list.empty()) lists.push_back(list);
    }
    std::sort(lists.begin(), lists.end());
    lists.erase(std::unique(lists.begin(), lists.end()), lists.end());
    std::vector<std::uint64_t> group_kinds(n);
    for (std::size_t i = 0; i < n; ++i) {
        const std::string list = standard_list_of(records[i]);
        const auto at = std::lower_bound(lists.begin(), lists.end(), list) - lists.begin();
        group_kinds[i] = list.empty() ? records[i].kinds : std::uint64_t{1} << (8 + at % 56);
    }
    std::function<std::size_t(std::size_t)> find = [&](std::size_t x) {
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    };
    FacilityMergeResult result;
    // Two records of the same kind are never merged: a publisher lists them as distinct
    // sites (GSI numbers a school's building and its ground separately under one 共通ID core).
    auto unite = [&](std::size_t a, std::size_t b, const char* rule) {
        std::size_t ra = find(a), rb = find(b);
        if (ra == rb || (group_kinds[ra] & group_kinds[rb]) != 0) return;
        if (rb < ra) std::swap(ra, rb);
        parent[rb] = ra;
        group_kinds[ra] |= group_kinds[rb];
        ++result.merged;
        result.diagnostics.push_back(Diagnostic{Diagnostic::Severity::info,
                                                std::string("merged '") + records[b].name + "' (" +
                                                    records[b].id + ") with '" + records[a].name +
                                                    "' (" + records[a].id + "): " + rule,
                                                Where{}});
    };
    std::vector<std::string> names(n), addresses(n);
    for (std::size_t i = 0; i < n; ++i) {
        names[i] = normalize_name(records[i].name);
        addresses[i] = normalize_address(records[i].address);
    }
    // Rule 1: GSI 共通ID core + same name.
    std::map<std::pair<std::string, std::string>, std::size_t> by_core;
    for (std::size_t i = 0; i < n; ++i) {
        const std::string& id = records[i].id;
        if (id.size() < 11 || id[0] != 'E') continue;
        auto [it, inserted] = by_core.emplace(std::make_pair(id.substr(0, 11), names[i]), i);
        if (!inserted) unite(it->second, i, "same 共通ID and name");
    }
    // Rule 2: same name and address.
    std::map<std::pair<std::string, std::string>, std::size_t> by_name_address;
    for (std::size_t i = 0; i < n; ++i) {
        if (names[i].empty() || addresses[i].empty()) continue;
        auto [it, inserted] = by_name_address.emplace(std::make_pair(names[i], addresses[i]), i);
        if (!inserted) unite(it->second, i, "same name and address");
    }
    // Rule 3: near each other with similar names. Sorted by longitude to prune pairs.
    std::vector<std::size_t> by_lon(n);
    std::iota(by_lon.begin(), by_lon.end(), 0);
    std::sort(by_lon.begin(), by_lon.end(), [&](std::size_t a, std::size_t b) {
        return records[a].position.lon < records[b].position.lon ||
               (records[a].position.lon == records[b].position.lon && a < b);
    });
    const double lon_window = options.near_m / 80000.0; // >= near_m at Japan's latitudes
    std::vector<std::pair<std::size_t, std::size_t>> near_pairs;
    for (std::size_t x = 0; x < n; ++x) {
        const std::size_t i = by_lon[x];
        for (std::size_t y = x + 1; y < n; ++y) {
            const std::size_t j = by_lon[y];
            if (records[j].position.lon - records[i].position.lon > lon_window) break;
            if (geo::haversine_m(records[i].position, records[j].position) > options.near_m)
                continue;
            if (!similar_names(names[i], names[j], options.name_similarity)) continue;
            near_pairs.emplace_back(std::min(i, j), std::max(i, j));
        }
    }
    std::sort(near_pairs.begin(), near_pairs.end());
    for (const auto& [i, j] : near_pairs) unite(i, j, "within a few metres with similar names");

    // Combine each group.
    std::map<std::size_t, std::vector<std::size_t>> groups;
    for (std::size_t i = 0; i < n; ++i) groups[find(i)].push_back(i);
    for (auto& [root, members] : groups) {
        std::sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
            const int ra = source_rank(records[a]), rb = source_rank(records[b]);
            return ra != rb ? ra < rb : a < b;
        });
        Facility merged = records[members.front()];
        merged.sources.clear();
        // The id: the facility table's, else the smallest GSI 共通ID, else the P20 id.
        if (source_rank(merged) != 0) {
            std::string best;
            for (std::size_t m : members) {
                const auto& id = records[m].id;
                if (id.starts_with("E") && (best.empty() || id < best)) best = id;
            }
            if (!best.empty()) merged.id = best;
        }
        for (std::size_t m : members) {
            const Facility& f = records[m];
            merged.kinds = static_cast<std::uint16_t>(merged.kinds | f.kinds);
            merged.safe_for = merged.safe_for | f.safe_for;
            merged.hazards_known = merged.hazards_known || f.hazards_known;
            if (merged.name.empty()) merged.name = f.name;
            if (merged.address.empty()) merged.address = f.address;
            if (merged.municipality_code.empty()) merged.municipality_code = f.municipality_code;
            // A published coordinate wins over a town point found from the address.
            if (merged.position_precision && !f.position_precision) {
                merged.position = f.position;
                merged.position_precision.reset();
            }
            if (!merged.capacity_persons && f.capacity_persons) {
                merged.capacity_persons = f.capacity_persons;
                merged.capacity_basis = f.capacity_basis;
            }
            if (merged.target_evacuees.empty()) merged.target_evacuees = f.target_evacuees;
            if (merged.notes.empty()) merged.notes = f.notes;
            merged.sources.insert(merged.sources.end(), f.sources.begin(), f.sources.end());
            if (m != members.front()) {
                merged.accessibility.insert(merged.accessibility.end(), f.accessibility.begin(),
                                            f.accessibility.end());
                merged.designation_notes.insert(merged.designation_notes.end(),
                                                f.designation_notes.begin(),
                                                f.designation_notes.end());
            }
        }
        std::sort(merged.sources.begin(), merged.sources.end());
        for (auto* list : {&merged.accessibility, &merged.designation_notes}) {
            std::sort(list->begin(), list->end());
            list->erase(std::unique(list->begin(), list->end()), list->end());
        }
        result.facilities.push_back(std::move(merged));
    }
    std::sort(result.facilities.begin(), result.facilities.end(),
              [](const Facility& a, const Facility& b) { return a.id < b.id; });
    // Ids must be unique in the list; two unmerged records can share one only if a source
    // repeats an id, which is reported.
    for (std::size_t i = 1; i < result.facilities.size(); ++i) {
        if (result.facilities[i].id == result.facilities[i - 1].id) {
            result.diagnostics.push_back(Diagnostic{
                Diagnostic::Severity::warning,
                "two different facilities share this id; the second is renamed with a suffix",
                Where{.feature = result.facilities[i].id, .value = result.facilities[i].name}});
            result.facilities[i].id += "-" + std::to_string(i);
        }
    }
    return result;
}

} // namespace sonae::planner
