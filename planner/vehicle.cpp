#include "planner/vehicle.hpp"

#include "planner/detail/registry_text.hpp"
#include "planner/detail/table_load.hpp"
#include "planner/registry.hpp"

#include <algorithm>

namespace sonae::planner {

using detail::RowReader;

std::string_view to_string(VehicleType type) {
    switch (type) {
    case VehicleType::wheelchair_van: return "wheelchair_van";
    case VehicleType::ambulance: return "ambulance";
    case VehicleType::family_car: return "family_car";
    }
    return "wheelchair_van";
}

std::optional<VehicleType> parse_vehicle_type(std::string_view text) {
    const std::string key = normalize_key(text);
    static const std::vector<std::pair<std::string_view, VehicleType>> table{
        {"wheelchair_van", VehicleType::wheelchair_van},
        {"van", VehicleType::wheelchair_van},
        {"福祉車両", VehicleType::wheelchair_van},
        {"車椅子車", VehicleType::wheelchair_van},
        {"車いす対応車", VehicleType::wheelchair_van},
        {"福祉タクシー", VehicleType::wheelchair_van},
        {"リフト車", VehicleType::wheelchair_van},
        {"ambulance", VehicleType::ambulance},
        {"救急車", VehicleType::ambulance},
        {"民間救急", VehicleType::ambulance},
        {"患者搬送車", VehicleType::ambulance},
        {"family_car", VehicleType::family_car},
        {"car", VehicleType::family_car},
        {"乗用車", VehicleType::family_car},
        {"自家用車", VehicleType::family_car},
        {"ボランティア車両", VehicleType::family_car},
    };
    for (const auto& [t, v] : table) {
        if (key == normalize_key(t)) return v;
    }
    return std::nullopt;
}

std::optional<std::int64_t> parse_duration_s(std::string_view raw) {
    std::string text = detail::lower_ascii(detail::trim(detail::fold_width(raw)));
    if (text.empty()) return std::nullopt;
    if (const auto colon = text.find(':'); colon != std::string::npos) {
        const auto h = detail::parse_integer(text.substr(0, colon));
        const auto m = detail::parse_integer(text.substr(colon + 1));
        if (!h || !m || *h < 0 || *m < 0 || *m >= 60 || text.size() - colon - 1 != 2)
            return std::nullopt;
        return *h * 3600 + *m * 60;
    }
    struct Suffix {
        std::string_view text;
        double seconds;
    };
    static constexpr Suffix suffixes[] = {{"min", 60}, {"分", 60}, {"時間", 3600}, {"h", 3600},
                                          {"秒", 1},   {"s", 1},   {"m", 60}};
    for (const auto& s : suffixes) {
        if (text.size() > s.text.size() && text.ends_with(s.text)) {
            const auto v = detail::parse_number(text.substr(0, text.size() - s.text.size()));
            if (!v || *v < 0) return std::nullopt;
            return static_cast<std::int64_t>(*v * s.seconds + 0.5);
        }
    }
    const auto minutes = detail::parse_number(text);
    if (!minutes || *minutes < 0) return std::nullopt;
    return static_cast<std::int64_t>(*minutes * 60.0 + 0.5);
}

namespace {

enum VCol : std::size_t {
    v_id,
    v_type,
    v_seats,
    v_wheelchair,
    v_stretcher,
    v_outlet,
    v_nurse,
    v_carer,
    v_lon,
    v_lat,
    v_from,
    v_until,
    v_municipality,
    v_operator,
};

std::vector<ColumnSpec> make_vehicle_columns() {
    return {
        {"id", {"vehicle_id", "車両ID", "車両番号", "ID"}, true},
        {"type", {"vehicle_type", "種別", "車種", "車両種別"}, true},
        {"seats", {"座席数", "乗車定員", "座席"}, false},
        {"wheelchair_slots", {"wheelchairs", "車椅子", "車椅子数", "車いす固定数"}, false},
        {"stretcher_slots", {"stretchers", "ストレッチャー", "ストレッチャー数"}, false},
        {"outlet_w", {"outlet", "コンセント", "車載コンセント", "給電"}, false},
        {"nurse", {"看護師", "看護師同乗"}, false},
        {"carer", {"介護職員", "認定特定行為業務従事者", "介護職員同乗"}, false},
        {"base_lon", {"lon", "longitude", "経度", "拠点経度"}, true},
        {"base_lat", {"lat", "latitude", "緯度", "拠点緯度"}, true},
        {"available_from",
         {"available_after", "available_after_min", "出動可能時刻", "出動可能", "利用開始"},
         false},
        {"available_until", {"利用終了", "出動終了"}, false},
        {"municipality_code", {"municipality", "市町村コード", "市町コード"}, false},
        {"operator", {"運行者", "事業者", "所属"}, false},
    };
}

} // namespace

std::span<const ColumnSpec> vehicle_columns() {
    static const std::vector<ColumnSpec> specs = make_vehicle_columns();
    return specs;
}

VehicleLoadResult load_vehicle_table(const Table& table) {
    VehicleLoadResult result;
    if (!detail::start_load(result, table)) return result;
    const auto specs = vehicle_columns();
    const auto header =
        detail::check_header(table, specs, {.point_columns = {v_lon, v_lat}}, result.diagnostics);
    if (!header.loadable) {
        result.rows_rejected = result.rows_read;
        return result;
    }
    detail::RecordIds ids(v_id);
    for (const TableRow& row : table.rows) {
        RowReader r(table, row, header.match, specs, result.diagnostics);
        Vehicle v;
        v.source_line = row.line;
        v.id = detail::fold_width(r.text(v_id));
        ids.check(r, v.id, row.line);
        if (auto type = parse_vehicle_type(r.text(v_type)))
            v.type = *type;
        else
            r.error(v_type, "unknown vehicle type (wheelchair_van, ambulance, family_car; "
                            "福祉車両, 救急車, 乗用車)");
        v.seats = static_cast<int>(r.integer(v_seats, 0, 60, false, 0).value_or(0));
        v.wheelchair_slots = static_cast<int>(r.integer(v_wheelchair, 0, 10, false, 0).value_or(0));
        v.stretcher_slots = static_cast<int>(r.integer(v_stretcher, 0, 4, false, 0).value_or(0));
        v.outlet_w = r.number(v_outlet, 0, 10000, false, 0.0).value_or(0.0);
        v.nurse = r.boolean(v_nurse, false, false).value_or(false);
        v.carer = r.boolean(v_carer, false, false).value_or(false);
        if (v.seats + v.wheelchair_slots + v.stretcher_slots == 0 && !r.failed()) {
            r.error(v_seats, "the vehicle has no seat, wheelchair slot or stretcher slot");
        }
        if (const auto base = detail::read_position(r, row, v_lon, v_lat, "base",
                                                    "no base position: give base_lon and base_lat"))
            v.base = *base;
        if (const std::string t = r.text(v_from); !t.empty()) {
            if (auto s = parse_duration_s(t))
                v.available_from_s = *s;
            else
                r.error(v_from, "not a time after t0 (minutes like 30, h:mm like 0:30, or 1.5h)");
        }
        if (const std::string t = r.text(v_until); !t.empty()) {
            if (auto s = parse_duration_s(t))
                v.available_until_s = *s;
            else
                r.error(v_until, "not a time after t0 (minutes like 30, h:mm like 0:30, or 1.5h)");
        }
        if (v.available_until_s >= 0 && v.available_until_s <= v.available_from_s) {
            r.error(v_until, "available_until is not after available_from");
        }
        if (const std::string code = r.text(v_municipality); !code.empty()) {
            if (auto c = detail::canonical_municipality_code(code))
                v.municipality_code = *c;
            else
                r.error(v_municipality, "not a JIS municipality code (e.g. 352021)");
        }
        v.operator_name = r.text(v_operator);
        if (v.type == VehicleType::ambulance && v.stretcher_slots == 0) {
            r.warning(v_stretcher, "an ambulance without a stretcher slot");
        }
        if (r.failed()) {
            ++result.rows_rejected;
            continue;
        }
        result.vehicles.push_back(std::move(v));
    }
    std::sort(result.vehicles.begin(), result.vehicles.end(),
              [](const Vehicle& a, const Vehicle& b) { return a.id < b.id; });
    return result;
}

VehicleLoadResult load_vehicles(const std::filesystem::path& path, TextEncoding encoding,
                                const std::string& layer) {
    return load_vehicle_table(read_table(path, vehicle_columns(),
                                         TableReadOptions{.encoding = encoding, .sheet = layer}));
}

} // namespace sonae::planner
