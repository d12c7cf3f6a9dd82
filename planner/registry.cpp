#include "planner/registry.hpp"

#include "geo/snap.hpp"
#include "planner/detail/registry_text.hpp"
#include "planner/detail/table_load.hpp"
#include "planner/municipality.hpp"
#include "planner/power_sources.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace sonae::planner {

using detail::format_number;
using detail::RowReader;

std::optional<Mobility> parse_mobility(std::string_view raw) {
    const std::string key = normalize_key(raw);
    static const std::vector<std::pair<std::string_view, Mobility>> table{
        {"walks", Mobility::walks},
        {"walk", Mobility::walks},
        {"walking", Mobility::walks},
        {"歩行", Mobility::walks},
        {"歩行可", Mobility::walks},
        {"自立歩行", Mobility::walks},
        {"独歩", Mobility::walks},
        {"carried", Mobility::carried},
        {"carry", Mobility::carried},
        {"抱っこ", Mobility::carried},
        {"だっこ", Mobility::carried},
        {"おんぶ", Mobility::carried},
        {"抱きかかえ", Mobility::carried},
        {"wheelchair", Mobility::wheelchair},
        {"buggy", Mobility::wheelchair},
        {"車椅子", Mobility::wheelchair},
        {"車いす", Mobility::wheelchair},
        {"バギー", Mobility::wheelchair},
        {"車イス", Mobility::wheelchair},
        {"stretcher", Mobility::stretcher},
        {"ストレッチャー", Mobility::stretcher},
        {"寝台", Mobility::stretcher},
        {"担架", Mobility::stretcher},
        {"臥位", Mobility::stretcher},
    };
    for (const auto& [text, value] : table) {
        if (key == normalize_key(text)) return value;
    }
    return std::nullopt;
}

std::string_view to_string(HouseholdVehicle vehicle) {
    switch (vehicle) {
    case HouseholdVehicle::none: return "none";
    case HouseholdVehicle::car: return "car";
    case HouseholdVehicle::hybrid_outlet: return "phev";
    }
    return "none";
}

std::optional<HouseholdVehicle> parse_household_vehicle(std::string_view raw) {
    const std::string key = normalize_key(raw);
    static const std::vector<std::pair<std::string_view, HouseholdVehicle>> table{
        {"none", HouseholdVehicle::none},
        {"no", HouseholdVehicle::none},
        {"なし", HouseholdVehicle::none},
        {"無", HouseholdVehicle::none},
        {"無し", HouseholdVehicle::none},
        {"0", HouseholdVehicle::none},
        {"car", HouseholdVehicle::car},
        {"yes", HouseholdVehicle::car},
        {"自家用車", HouseholdVehicle::car},
        {"車", HouseholdVehicle::car},
        {"あり", HouseholdVehicle::car},
        {"有", HouseholdVehicle::car},
        {"ガソリン車", HouseholdVehicle::car},
        {"普通車", HouseholdVehicle::car},
        {"軽自動車", HouseholdVehicle::car},
        {"phev", HouseholdVehicle::hybrid_outlet},
        {"hev", HouseholdVehicle::hybrid_outlet},
        {"hybrid", HouseholdVehicle::hybrid_outlet},
        {"hybrid_outlet", HouseholdVehicle::hybrid_outlet},
        {"phev/hev", HouseholdVehicle::hybrid_outlet},
        {"ev", HouseholdVehicle::hybrid_outlet},
        {"ハイブリッド", HouseholdVehicle::hybrid_outlet},
        {"給電車", HouseholdVehicle::hybrid_outlet},
        {"プラグインハイブリッド", HouseholdVehicle::hybrid_outlet},
        {"電気自動車", HouseholdVehicle::hybrid_outlet},
    };
    for (const auto& [text, value] : table) {
        if (key == normalize_key(text)) return value;
    }
    return std::nullopt;
}

std::vector<DeviceUse> parse_device_list(std::string_view text, const DeviceCatalogue& catalogue,
                                         std::vector<std::string>& problems) {
    std::vector<DeviceUse> out;
    const std::string folded = detail::fold_width(text);
    for (const std::string& entry : detail::split_any(folded, {";", "、", "\n", "|"})) {
        const std::vector<std::string> tokens = detail::split_any(entry, {":"});
        if (tokens.empty()) continue;
        const DeviceSpec* spec = catalogue.find(tokens[0]);
        if (spec == nullptr) {
            std::string known;
            for (const auto& d : catalogue.devices()) {
                if (!known.empty()) known += ", ";
                known += d.id;
            }
            problems.push_back("unknown device '" + tokens[0] + "' (known: " + known + ")");
            continue;
        }
        DeviceUse use;
        use.type = spec->id;
        bool ok = true;
        for (std::size_t k = 1; k < tokens.size(); ++k) {
            const std::string token = detail::lower_ascii(tokens[k]);
            if (auto count = detail::parse_integer(token)) {
                if (*count < 1 || *count > 10) {
                    problems.push_back("device '" + entry + "': count " + token +
                                       " is not from 1 to 10");
                    ok = false;
                }
                use.count = static_cast<int>(*count);
            } else if (token.size() > 1 && token.back() == 'w' &&
                       detail::parse_number(token.substr(0, token.size() - 1))) {
                const double w = *detail::parse_number(token.substr(0, token.size() - 1));
                if (w < 0 || w > 3000) {
                    problems.push_back("device '" + entry + "': " + token +
                                       " is not a power from 0 to 3000 W");
                    ok = false;
                }
                use.power_w = w;
            } else if (token.size() > 4 && token.starts_with("ext") && token.back() == 'h' &&
                       detail::parse_number(token.substr(3, token.size() - 4))) {
                const double h = *detail::parse_number(token.substr(3, token.size() - 4));
                if (h < 0 || h > 200) {
                    problems.push_back("device '" + entry + "': external battery " + token +
                                       " is not from 0 to 200 h");
                    ok = false;
                }
                use.external_battery_h = h;
            } else if (token.size() > 1 && token.back() == 'h' &&
                       detail::parse_number(token.substr(0, token.size() - 1))) {
                const double h = *detail::parse_number(token.substr(0, token.size() - 1));
                if (h < 0 || h > 200) {
                    problems.push_back("device '" + entry + "': battery " + token +
                                       " is not from 0 to 200 h");
                    ok = false;
                }
                use.internal_battery_h = h;
            } else {
                problems.push_back("device '" + entry + "': cannot read '" + tokens[k] +
                                   "' (expected a count like 2, watts like 60W, battery hours like "
                                   "8h or ext8h)");
                ok = false;
            }
        }
        if (!ok) continue;
        if (std::any_of(out.begin(), out.end(),
                        [&](const DeviceUse& d) { return d.type == use.type; })) {
            problems.push_back("device '" + use.type + "' is listed twice; give a count instead (" +
                               use.type + ":2)");
            continue;
        }
        out.push_back(std::move(use));
    }
    std::sort(out.begin(), out.end(),
              [](const DeviceUse& a, const DeviceUse& b) { return a.type < b.type; });
    return out;
}

std::string format_device_list(std::span<const DeviceUse> devices) {
    std::string out;
    for (const auto& d : devices) {
        if (!out.empty()) out += ";";
        out += d.type + ":" + std::to_string(d.count);
        if (d.power_w) out += ":" + format_number(*d.power_w) + "W";
        if (d.internal_battery_h) out += ":" + format_number(*d.internal_battery_h) + "h";
        if (d.external_battery_h) out += ":ext" + format_number(*d.external_battery_h) + "h";
    }
    return out;
}

bool Child::has_care(CareItem item) const {
    return std::find(care_items.begin(), care_items.end(), item) != care_items.end();
}

bool Child::has_device(std::string_view type) const {
    return std::any_of(devices.begin(), devices.end(),
                       [&](const DeviceUse& d) { return d.type == type; });
}

Registry::Registry(std::vector<Child> children) : m_children(std::move(children)) {
    std::sort(m_children.begin(), m_children.end(),
              [](const Child& a, const Child& b) { return a.id < b.id; });
}

std::optional<ChildId> Registry::find(std::string_view id) const {
    auto it = std::lower_bound(m_children.begin(), m_children.end(), id,
                               [](const Child& c, std::string_view key) { return c.id < key; });
    if (it == m_children.end() || it->id != id) return std::nullopt;
    return ChildId(static_cast<std::uint32_t>(it - m_children.begin()));
}

bool inside_japan(geo::LonLat p) {
    return p.lon >= 122.0 && p.lon <= 154.0 && p.lat >= 20.0 && p.lat <= 46.0;
}

namespace {

enum Col : std::size_t {
    c_id,
    c_municipality,
    c_lon,
    c_lat,
    c_care,
    c_devices,
    c_o2_flow,
    c_o2_cylinders,
    c_o2_size,
    c_o2_pressure,
    c_o2_demand,
    c_mobility,
    c_vehicle,
    c_helpers,
    c_companions,
    c_ps_wh,
    c_ps_w,
    c_gen_w,
    c_gen_h,
    c_vehicle_kwh,
    c_trained_helpers,
    c_floor,
    c_elevator,
    c_packing_min,
    c_loading_min,
    c_connect_min,
    c_consent_registry,
    c_consent_plan,
    c_name,
    c_phone,
    c_contacts,
    c_notes,
    c_address,
    c_home_precision,
    c_position_source,
    c_care_first, // then one column per care item
};

std::vector<ColumnSpec> make_registry_columns() {
    std::vector<ColumnSpec> specs{
        {"id",
         {"child_id", "pseudonymous_id", "pseudonym", "仮名ID", "ID", "識別番号", "整理番号",
          "児童ID"},
         true},
        {"municipality_code",
         {"municipality", "jis_code", "city_code", "市町村コード", "市町コード", "自治体コード",
          "団体コード", "市町村"},
         true},
        {"home_lon", {"lon", "longitude", "lng", "経度", "自宅経度"}, true, "address"},
        {"home_lat", {"lat", "latitude", "緯度", "自宅緯度"}, true, "address"},
        {"care_items",
         {"care", "care_item_codes", "医療的ケア", "医療的ケア項目", "ケア項目",
          "医療的ケアの内容"},
         false},
        {"devices", {"device", "機器", "医療機器", "使用機器", "使用医療機器"}, false},
        {"oxygen_flow_lpm", {"oxygen_flow", "o2_flow", "o2_flow_lpm", "酸素流量"}, false},
        {"oxygen_cylinders", {"cylinders", "o2_cylinders", "酸素ボンベ本数", "ボンベ本数"}, false},
        {"oxygen_cylinder_size_l",
         {"cylinder_size", "cylinder_size_l", "ボンベ容量", "ボンベサイズ"},
         false},
        {"oxygen_cylinder_pressure_mpa", {"cylinder_pressure", "ボンベ充填圧"}, false},
        {"oxygen_demand_valve_factor",
         {"demand_valve_factor", "demand_valve", "呼吸同調器"},
         false},
        {"mobility", {"移動", "移動方法", "移動手段", "歩行", "移動形態"}, true},
        {"household_vehicle",
         {"vehicle", "car", "自家用車", "車両", "家庭の車", "自家用車の有無"},
         false},
        {"helpers", {"helpers_available", "支援者数", "避難支援者数", "介助者数"}, false},
        {"companions", {"family_companions", "同行家族数", "同行者数", "付き添い人数"}, false},
        {"power_station_wh",
         {"portable_power_wh", "ポータブル電源", "ポータブル電源容量", "蓄電池"},
         false},
        {"power_station_output_w",
         {"portable_power_output_w", "ポータブル電源出力", "蓄電池出力"},
         false},
        {"generator_w", {"generator", "発電機", "発電機出力"}, false},
        {"generator_fuel_h", {"generator_fuel", "発電機燃料", "発電機燃料時間"}, false},
        {"vehicle_energy_kwh", {"vehicle_kwh", "車両給電量", "給電量"}, false},
        {"trained_helpers",
         {"trained_carers", "研修済み支援者数", "ケア研修済み支援者", "医療的ケア研修済み支援者数"},
         false},
        {"floor", {"home_floor", "storey", "階", "階数", "居住階", "自宅の階"}, false},
        {"elevator", {"lift", "エレベーター", "エレベータ", "エレベーターの有無"}, false},
        {"packing_min",
         {"packing", "packing_minutes", "準備時間", "避難準備時間", "訓練での準備時間"},
         false},
        {"loading_min", {"loading", "loading_minutes", "乗車時間", "訓練での乗車時間"}, false},
        {"connect_min",
         {"connect", "connect_minutes", "connection_min", "電源接続時間", "訓練での電源接続時間"},
         false},
        {"consent_registry_sharing",
         {"consent_registry", "名簿情報提供同意", "名簿提供同意", "同意名簿", "名簿同意"},
         false},
        {"consent_plan_sharing",
         {"consent_plan", "計画情報提供同意", "個別避難計画同意", "同意計画", "計画同意"},
         false},
        {"name", {"氏名", "名前", "child_name"}, false},
        {"phone", {"tel", "電話", "電話番号", "連絡先電話"}, false},
        {"emergency_contacts", {"emergency_contact", "緊急連絡先"}, false},
        {"notes", {"remarks", "note", "備考", "メモ"}, false},
        {"address", {"home_address", "住所", "自宅住所", "現住所", "所在地"}, false},
        {"home_precision", {"geocode_precision", "位置精度"}, false},
        {"position_source", {"位置の出典"}, false}, // written by sonae geocode; read, not used
    };
    static const std::array<std::string, kCareItemCount> care_names = [] {
        std::array<std::string, kCareItemCount> names;
        for (std::size_t i = 0; i < kCareItemCount; ++i)
            names[i] = "care_" + std::string(care_items()[i].code);
        return names;
    }();
    for (std::size_t i = 0; i < kCareItemCount; ++i) {
        specs.push_back({care_names[i], {care_items()[i].name_ja}, false});
    }
    return specs;
}

} // namespace

std::span<const ColumnSpec> registry_columns() {
    static const std::vector<ColumnSpec> specs = make_registry_columns();
    return specs;
}

RegistryLoadResult load_registry_table(const Table& table, const RegistryLoadOptions& options) {
    RegistryLoadResult result;
    const DeviceCatalogue& catalogue =
        options.catalogue ? *options.catalogue : default_device_catalogue();
    const auto specs = registry_columns();
    if (!detail::start_load(result, table)) return result; // the reader already said why
    // The point geometry or an address (geocoded to its town) can give the home instead.
    const auto header = detail::check_header(
        table, specs,
        {.unknown_message = "unknown column ignored (see planner/REGISTRY_SCHEMA.md)",
         .point_columns = {c_lon, c_lat},
         .address_column = c_address,
         .missing_message =
             [](const ColumnSpec& spec) {
                 std::string accepted;
                 for (auto a : spec.aliases)
                     accepted += (accepted.empty() ? "" : ", ") + std::string(a);
                 return "required column '" + std::string(spec.name) +
                        "' is missing (also accepted: " + accepted + "); no row can be loaded";
             }},
        result.diagnostics);
    const ColumnMatch& match = header.match;
    const Where table_where = table.header_where();
    const bool missing_required = !header.loadable;
    bool any_care_column = match.index[c_care].has_value();
    for (std::size_t i = 0; i < kCareItemCount; ++i)
        any_care_column |= match.index[c_care_first + i].has_value();
    if (!any_care_column) {
        Where w = table_where;
        w.field = "care_items";
        result.diagnostics.push_back(Diagnostic{
            Diagnostic::Severity::warning,
            "no care_items column nor per-item care columns: children are read without care items",
            w});
    }
    if (missing_required) {
        result.rows_rejected = result.rows_read;
        return result;
    }

    // By the id in lower case (its line, and the id as written): ids that differ only in
    // upper and lower case name guidebook files that are one file on Windows and macOS.
    std::map<std::string, std::pair<std::int64_t, std::string>> first_line_of_id;
    std::vector<Child> children;
    // Every road counts (any mode): this only warns about homes far from the network.
    std::optional<geo::Snapper> road_index;
    std::vector<geo::Weight> any_road;
    if (options.network != nullptr && options.network->has_coordinates() &&
        options.network->edge_count() > 0) {
        any_road.assign(options.network->edge_count(), 1);
        road_index.emplace(*options.network, any_road);
    }
    std::optional<NetworkExtent> extent;
    if (options.network != nullptr) extent.emplace(*options.network);
    for (const TableRow& row : table.rows) {
        RowReader r(table, row, match, specs, result.diagnostics);
        Child child;
        child.source_line = row.line;
        child.source_feature = row.feature;

        // Id: pseudonymous, unique.
        child.id = detail::fold_width(r.text(c_id));
        if (child.id.empty()) {
            r.error(c_id, "the id is empty");
        } else if (const auto problem = detail::id_problem(child.id)) {
            r.error(c_id, *problem);
        } else if (auto [it, inserted] = first_line_of_id.emplace(detail::lower_ascii(child.id),
                                                                  std::pair{row.line, child.id});
                   !inserted) {
            const auto& [line, first_id] = it->second;
            const std::string where =
                line >= 0 ? "on line " + std::to_string(line) : std::string("above");
            if (first_id == child.id) {
                r.error(c_id, "duplicate id: already used " + where + "; this row is not loaded");
            } else {
                r.error(c_id, "the id differs from '" + first_id + "' (" + where +
                                  ") only in upper and lower case: the two families' "
                                  "guidebook files would be one file on Windows and macOS; "
                                  "give one of them another id; this row is not loaded");
            }
        }

        // Municipality.
        const std::string code_text = r.text(c_municipality);
        if (code_text.empty()) {
            r.error(c_municipality, "the municipality code is empty");
        } else if (auto code = detail::canonical_municipality_code(code_text)) {
            child.municipality_code = *code;
            if (!code->starts_with("35")) {
                r.warning(c_municipality, "not a Yamaguchi Prefecture code (35xxxx)");
            }
        } else {
            r.error(c_municipality, "not a JIS municipality code (5 digits, or 6 with a valid "
                                    "check digit, e.g. 352021)");
        }

        // Home position: columns, or the point geometry of a GIS layer.
        child.address = r.text(c_address);
        const bool lonlat_columns = r.present(c_lon) && r.present(c_lat) &&
                                    !(r.text(c_lon).empty() && r.text(c_lat).empty() &&
                                      (row.geometry || !child.address.empty()));
        if (lonlat_columns) {
            // Read wide, then judge: a latitude of 131 is first of all a swapped pair.
            const auto lon = r.number(c_lon, -1000.0, 1000.0, true);
            const auto lat = r.number(c_lat, -1000.0, 1000.0, true);
            if (lon && lat) {
                const geo::LonLat p{*lon, *lat};
                if (!inside_japan(p) && !inside_japan(geo::LonLat{*lat, *lon}) &&
                    std::fabs(*lon) > 180.0) {
                    r.error(c_lon, "out of range: a longitude is from -180 to 180");
                } else if (!inside_japan(p) && !inside_japan(geo::LonLat{*lat, *lon}) &&
                           std::fabs(*lat) > 90.0) {
                    r.error(c_lat, "out of range: a latitude is from -90 to 90");
                } else if (!inside_japan(p)) {
                    if (inside_japan(geo::LonLat{*lat, *lon})) {
                        r.error(c_lon, "longitude and latitude look swapped (lat " +
                                           format_number(*lat) + " is a longitude in Japan)");
                    } else {
                        r.error(c_lon, "the home (" + format_number(*lon) + ", " +
                                           format_number(*lat) + ") is outside Japan");
                    }
                } else {
                    child.home = p;
                }
            }
        } else if (row.geometry) {
            if (!inside_japan(*row.geometry)) {
                r.error_row("the point geometry (" + format_number(row.geometry->lon) + ", " +
                            format_number(row.geometry->lat) + ") is outside Japan");
            } else {
                child.home = *row.geometry;
            }
        } else if (!child.address.empty()) {
            // No coordinates: the town-level point of the address (offline, data/ town points).
            const GeocodeResult g =
                Geocoder::yamaguchi().geocode(child.address, child.municipality_code);
            if (g.status == GeocodeResult::Status::found) {
                child.home = g.point->position;
                child.home_precision = g.point->precision;
            } else {
                r.error(c_address, g.message);
            }
        } else {
            r.error_row("no home position: give home_lon/home_lat (or 住所, or a point geometry)");
        }
        if (const std::string p = r.text(c_home_precision); !p.empty() && !child.home_precision) {
            if (auto precision = parse_geocode_precision(p))
                child.home_precision = *precision;
            else
                r.error(c_home_precision, "unknown position precision (町丁目, 小字, 大字)");
        }
        if (child.home_precision == GeocodePrecision::oaza) {
            r.warning(c_address,
                      "the home is placed at its 大字 point only (1-5 km from the house): " +
                          std::string(kCheckHomeOnMap));
        }
        // Care items: one list column and/or one yes/no column per item.
        std::set<CareItem> care;
        if (r.present(c_care)) {
            const std::string text = r.text(c_care);
            for (const std::string& part : detail::split_any(
                     detail::fold_width(text), {";", "、", ",", "/", "|", "\n", "・"})) {
                if (auto item = parse_care_item(part)) {
                    if (!care.insert(*item).second)
                        r.warning(c_care, "care item '" + part + "' listed twice");
                } else {
                    r.error(c_care, "unknown care item '" + part +
                                        "' (use 1-14 or a code such as ventilator, suction; see "
                                        "REGISTRY_SCHEMA.md)");
                }
            }
        }
        for (std::size_t i = 0; i < kCareItemCount; ++i) {
            if (!r.present(c_care_first + i)) continue;
            if (auto yes = r.boolean(c_care_first + i, false, false); yes && *yes) {
                care.insert(care_items()[i].item);
            }
        }
        child.care_items.assign(care.begin(), care.end());

        // Devices.
        if (r.present(c_devices) && !r.text(c_devices).empty()) {
            std::vector<std::string> problems;
            child.devices = parse_device_list(r.text(c_devices), catalogue, problems);
            for (const auto& p : problems) r.error(c_devices, p);
            for (const auto& d : child.devices) {
                const DeviceSpec* spec = catalogue.find(d.type);
                if (d.power_w && spec &&
                    (*d.power_w < spec->power_min_w || *d.power_w > spec->power_max_w)) {
                    r.warning(c_devices, "device '" + d.type + "' at " + format_number(*d.power_w) +
                                             " W is outside the plausible range " +
                                             format_number(spec->power_min_w) + "-" +
                                             format_number(spec->power_max_w) +
                                             " W; check the label");
                }
            }
        }
        if (child.has_care(CareItem::ventilator) && !child.has_device("vent") &&
            !child.has_device("cpap")) {
            r.warning(
                c_devices,
                "ventilator care but no ventilator device listed: a default 'vent' is assumed");
        }
        if ((child.has_device("vent") || child.has_device("cpap")) &&
            !child.has_care(CareItem::ventilator)) {
            r.warning(c_care, "a ventilator device is listed but care item 1 (ventilator) is not");
        }

        // Oxygen.
        child.oxygen.flow_lpm = r.number(c_o2_flow, 0.0, 15.0, false, 0.0).value_or(0.0);
        child.oxygen.cylinders =
            static_cast<int>(r.integer(c_o2_cylinders, 0, 50, false, 0).value_or(0));
        child.oxygen.cylinder_nominal_l =
            r.number(c_o2_size, 50.0, 7000.0, false, 500.0).value_or(500.0);
        child.oxygen.cylinder_pressure_mpa =
            r.number(c_o2_pressure, 1.0, 30.0, false, 14.0).value_or(14.0);
        child.oxygen.demand_valve_factor =
            r.number(c_o2_demand, 1.0, 4.0, false, 1.0).value_or(1.0);
        if (child.has_care(CareItem::oxygen) && child.oxygen.flow_lpm <= 0.0) {
            r.warning(c_o2_flow, "oxygen care but no flow given: oxygen hours cannot be computed");
        }
        if (child.oxygen.flow_lpm > 0.0 && !child.has_care(CareItem::oxygen)) {
            r.warning(c_care, "an oxygen flow is given but care item 4 (oxygen) is not");
        }
        if (r.present(c_o2_size) && child.oxygen.cylinder_nominal_l != 300.0 &&
            child.oxygen.cylinder_nominal_l != 500.0) {
            r.warning(
                c_o2_size,
                "not a known cylinder size (300 or 500 L, DOMAIN 2.2): usable litres estimated "
                "from nominal / 147 as the body volume; check the cylinder label");
        }
        if (child.oxygen.cylinders > 0 && child.oxygen.flow_lpm <= 0.0 &&
            !child.has_care(CareItem::oxygen)) {
            r.warning(c_o2_cylinders, "cylinders are listed but no oxygen flow");
        }

        // Mobility, vehicle, helpers.
        if (const std::string m = r.text(c_mobility); m.empty()) {
            r.error(c_mobility, "mobility is empty (walks, carried, wheelchair or stretcher)");
        } else if (auto mobility = parse_mobility(m)) {
            child.mobility = *mobility;
        } else {
            r.error(c_mobility, "unknown mobility (walks, carried, wheelchair, stretcher; 歩行, "
                                "抱っこ, 車椅子, ストレッチャー)");
        }
        if (const std::string v = r.text(c_vehicle); !v.empty()) {
            if (auto vehicle = parse_household_vehicle(v))
                child.vehicle = *vehicle;
            else
                r.error(
                    c_vehicle,
                    "unknown household vehicle (none, car, phev; なし, 自家用車, ハイブリッド)");
        }
        child.helpers = static_cast<int>(r.integer(c_helpers, 0, 20, false, 0).value_or(0));
        // Family who come along and take shelter places too (DOMAIN 3.2: typically one carer).
        child.companions =
            static_cast<int>(r.integer(c_companions, 0, 20, false,
                                       default_power_sources().shelter.companions_default)
                                 .value_or(default_power_sources().shelter.companions_default));
        child.trained_helpers =
            static_cast<int>(r.integer(c_trained_helpers, 0, 20, false, 0).value_or(0));
        if (child.trained_helpers > child.helpers) {
            r.warning(c_trained_helpers,
                      "more trained helpers than helpers (" + std::to_string(child.helpers) +
                          "): trained helpers are among the helpers; check both columns");
        }
        // Home access and a drill-recorded packing time (issue 17: preparation per child).
        if (const auto floor = r.integer(c_floor, -5, 99, false)) {
            if (*floor == 0)
                r.error(
                    c_floor,
                    "floor 0 does not exist: 1 is the ground floor (1階), -1 the first basement");
            else
                child.floor = static_cast<int>(*floor);
        }
        child.elevator = r.boolean(c_elevator, false);
        child.packing_min = r.number(c_packing_min, 0.0, 600.0, false);
        // Drill-recorded loading into a scheduled vehicle and arrival-to-power (issue 21 item 5).
        child.loading_min = r.number(c_loading_min, 0.0, 600.0, false);
        child.connect_min = r.number(c_connect_min, 0.0, 600.0, false);

        // Backup power at home.
        child.backup.power_station_wh = r.number(c_ps_wh, 0.0, 20000.0, false, 0.0).value_or(0.0);
        child.backup.power_station_output_w =
            r.number(c_ps_w, 0.0, 10000.0, false, 0.0).value_or(0.0);
        child.backup.generator_w = r.number(c_gen_w, 0.0, 10000.0, false, 0.0).value_or(0.0);
        child.backup.generator_fuel_h = r.number(c_gen_h, 0.0, 1000.0, false, 0.0).value_or(0.0);
        child.backup.vehicle_energy_kwh =
            r.number(c_vehicle_kwh, 0.0, 500.0, false, 0.0).value_or(0.0);
        if (child.backup.generator_w > default_power_sources().home_max_generator_w) {
            r.warning(c_gen_w, "larger than any household generator (up to " +
                                   format_number(default_power_sources().home_max_generator_w) +
                                   " W, data/power_sources.toml): left out of the power model; "
                                   "give the rating in W");
        }
        if (child.backup.generator_w > 0.0 && child.backup.generator_fuel_h <= 0.0) {
            r.warning(c_gen_h,
                      "a generator without fuel hours counts for nothing; give generator_fuel_h");
        }
        if (child.backup.vehicle_energy_kwh > 0.0 &&
            child.vehicle != HouseholdVehicle::hybrid_outlet) {
            r.warning(c_vehicle_kwh,
                      "vehicle energy is only used for a PHEV/HEV with an AC outlet");
        }

        // Consent (absent = not given) and personal fields.
        child.consent.registry_sharing =
            r.boolean(c_consent_registry, false, false).value_or(false);
        child.consent.plan_sharing = r.boolean(c_consent_plan, false, false).value_or(false);
        child.personal.name = r.text(c_name);
        child.personal.phone = r.text(c_phone);
        child.personal.emergency_contacts =
            detail::split_any(r.text(c_contacts), {";", "；", "\n"});
        child.notes = r.text(c_notes);

        if (r.failed()) {
            ++result.rows_rejected;
            if (!child.id.empty()) {
                // A rejected row must not block a later valid row with the same id from
                // being reported as a duplicate of a row that was never loaded.
                auto it = first_line_of_id.find(detail::lower_ascii(child.id));
                if (it != first_line_of_id.end() && it->second.first == row.line)
                    first_line_of_id.erase(it);
            }
            continue;
        }
        std::optional<double> road_m;
        if (road_index) {
            const auto snap = road_index->snap(child.home);
            const double d = snap ? snap->distance_m : std::numeric_limits<double>::infinity();
            // The road distance counts only for a home just off the outlines (off_land_reason);
            // asked only there, and the network's extent (a scan of all its nodes) once.
            if (const auto off = metres_off_land(child.home);
                off && *off > 0.0 && *off <= kOffLandToleranceM && extent->near(child.home)) {
                road_m = d;
            }
            if (d > options.far_from_road_m) {
                result.diagnostics.push_back(
                    Diagnostic{Diagnostic::Severity::warning,
                               "the home is " + format_number(std::round(d)) +
                                   " m from the nearest road of the network",
                               r.where(c_lon)});
            }
        }
        // On land (issue 24 item 3): off the prefecture's outlines beyond what their
        // simplification explains, or outside them and far from every road: in the sea. Else
        // inside the stated municipality: between two towns the 1 % outlines are 100 m-1 km
        // off, so only more than a kilometre outside is said (a wrong code or coordinates).
        if (const auto reason = off_land_reason(child.home, road_m)) {
            r.warning(child.home_precision ? c_address : c_lon,
                      "the home " + *reason + " " + std::string(kCheckHomeOnMap));
            child.home_off_land_m = metres_off_land(child.home);
        } else if (!child.municipality_code.empty()) {
            const auto off = metres_outside_municipality(child.municipality_code, child.home);
            if (off && *off > 1000.0) {
                char km[32];
                std::snprintf(km, sizeof km, "%.1f km", *off / 1000.0);
                r.warning(child.home_precision ? c_address : c_lon,
                          "the home lies " + std::string(km) + " outside " +
                              municipality_name_ja(child.municipality_code) +
                              " (国土数値情報 N03 outline, simplified): in the sea, or a wrong "
                              "municipality_code or "
                              "coordinates? " +
                              std::string(kCheckHomeOnMap));
            }
        }

        children.push_back(std::move(child));
    }
    if (table.rows.empty() && table.rows_rejected == 0) {
        result.diagnostics.push_back(Diagnostic{
            Diagnostic::Severity::warning, "the file has a header but no data rows", table_where});
    }
    result.registry = Registry(std::move(children));
    return result;
}

RegistryLoadResult load_registry(const std::filesystem::path& path,
                                 const RegistryLoadOptions& options) {
    return load_registry_table(
        read_table(path, registry_columns(),
                   TableReadOptions{.encoding = options.encoding, .sheet = options.layer}),
        options);
}

std::vector<std::vector<std::string>> registry_to_rows(const Registry& registry,
                                                       bool include_personal) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header{"id",
                                    "municipality_code",
                                    "home_lon",
                                    "home_lat",
                                    "care_items",
                                    "devices",
                                    "oxygen_flow_lpm",
                                    "oxygen_cylinders",
                                    "oxygen_cylinder_size_l",
                                    "oxygen_cylinder_pressure_mpa",
                                    "oxygen_demand_valve_factor",
                                    "mobility",
                                    "household_vehicle",
                                    "helpers",
                                    "companions",
                                    "power_station_wh",
                                    "power_station_output_w",
                                    "generator_w",
                                    "generator_fuel_h",
                                    "vehicle_energy_kwh",
                                    "trained_helpers",
                                    "floor",
                                    "elevator",
                                    "packing_min",
                                    "loading_min",
                                    "connect_min",
                                    "consent_registry_sharing",
                                    "consent_plan_sharing",
                                    "notes"};
    if (include_personal) {
        header.insert(header.end(), {"name", "phone", "emergency_contacts"});
    }
    rows.push_back(header);
    for (const Child& c : registry.children()) {
        std::string care;
        for (CareItem item : c.care_items) {
            if (!care.empty()) care += ";";
            care += info(item).code;
        }
        std::vector<std::string> row{c.id,
                                     c.municipality_code,
                                     format_number(c.home.lon),
                                     format_number(c.home.lat),
                                     care,
                                     format_device_list(c.devices),
                                     format_number(c.oxygen.flow_lpm),
                                     std::to_string(c.oxygen.cylinders),
                                     format_number(c.oxygen.cylinder_nominal_l),
                                     format_number(c.oxygen.cylinder_pressure_mpa),
                                     format_number(c.oxygen.demand_valve_factor),
                                     std::string(to_string(c.mobility)),
                                     std::string(to_string(c.vehicle)),
                                     std::to_string(c.helpers),
                                     std::to_string(c.companions),
                                     format_number(c.backup.power_station_wh),
                                     format_number(c.backup.power_station_output_w),
                                     format_number(c.backup.generator_w),
                                     format_number(c.backup.generator_fuel_h),
                                     format_number(c.backup.vehicle_energy_kwh),
                                     std::to_string(c.trained_helpers),
                                     c.floor ? std::to_string(*c.floor) : "",
                                     c.elevator ? (*c.elevator ? "1" : "0") : "",
                                     c.packing_min ? format_number(*c.packing_min) : "",
                                     c.loading_min ? format_number(*c.loading_min) : "",
                                     c.connect_min ? format_number(*c.connect_min) : "",
                                     c.consent.registry_sharing ? "1" : "0",
                                     c.consent.plan_sharing ? "1" : "0",
                                     c.notes};
        if (include_personal) {
            std::string contacts;
            for (const auto& e : c.personal.emergency_contacts)
                contacts += (contacts.empty() ? "" : ";") + e;
            row.insert(row.end(), {c.personal.name, c.personal.phone, contacts});
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

} // namespace sonae::planner
