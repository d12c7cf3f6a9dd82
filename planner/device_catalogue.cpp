#include "planner/device_catalogue.hpp"

#include "geo/input_file.hpp"
#include "planner/csv.hpp"
#include "planner/detail/registry_text.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <sstream>

namespace sonae::planner {

namespace detail {
extern const std::string_view kDevicesToml;
} // namespace detail

std::string_view to_string(StaffLevel level) {
    switch (level) {
    case StaffLevel::family: return "family";
    case StaffLevel::carer: return "carer";
    case StaffLevel::nurse: return "nurse";
    }
    return "family";
}

std::string_view to_string(Criticality criticality) {
    switch (criticality) {
    case Criticality::comfort: return "comfort";
    case Criticality::needed: return "needed";
    case Criticality::life: return "life";
    }
    return "needed";
}

namespace {

// DOMAIN.md section 1. Staff: "nurse / certified carer" -> carer (either may do it);
// "trained" (seizure care) -> carer.
constexpr std::array<CareItemInfo, kCareItemCount> kCareItems{{
    {CareItem::ventilator, "ventilator", "人工呼吸器の管理",
     "Ventilator (incl. NPPV, high-flow, cough assist)", 10, StaffLevel::nurse},
    {CareItem::tracheostomy, "tracheostomy", "気管切開", "Tracheostomy", 8, StaffLevel::carer},
    {CareItem::nasopharyngeal_airway, "nasopharyngeal_airway", "鼻咽頭エアウェイ",
     "Nasopharyngeal airway", 5, StaffLevel::nurse},
    {CareItem::oxygen, "oxygen", "酸素療法", "Oxygen therapy", 8, StaffLevel::family},
    {CareItem::suction, "suction", "吸引", "Suction (oral, nasal, tracheal)", 8, StaffLevel::carer},
    {CareItem::nebuliser, "nebuliser", "ネブライザー・薬液吸入", "Nebuliser / inhaled drugs", 3,
     StaffLevel::family},
    {CareItem::tube_feeding, "tube_feeding", "経管栄養", "Tube feeding", 8, StaffLevel::carer},
    {CareItem::central_venous_catheter, "central_venous_catheter", "中心静脈カテーテル",
     "Central venous catheter", 8, StaffLevel::nurse},
    {CareItem::injection, "injection", "その他の注射管理",
     "Other injections (SC insulin, opioid, pump)", 5, StaffLevel::nurse},
    {CareItem::blood_glucose, "blood_glucose", "血糖測定", "Blood glucose (incl. CGM)", 3,
     StaffLevel::family},
    {CareItem::dialysis, "dialysis", "継続的な透析", "Continuous dialysis (HD/PD)", 8,
     StaffLevel::nurse},
    {CareItem::catheterisation, "catheterisation", "導尿", "Catheterisation", 5,
     StaffLevel::family},
    {CareItem::bowel, "bowel", "排便管理", "Bowel care (stoma, irrigation, enema)", 5,
     StaffLevel::family},
    {CareItem::seizure, "seizure", "痙攣時の処置", "Seizure care", 3, StaffLevel::carer},
}};

// Short forms staff write in Excel sheets, mapped to item numbers.
struct CareAlias {
    std::string_view text;
    CareItem item;
};
constexpr CareAlias kCareAliases[] = {
    {"人工呼吸器", CareItem::ventilator},
    {"呼吸器", CareItem::ventilator},
    {"vent", CareItem::ventilator},
    {"nppv", CareItem::ventilator},
    {"気管切開の管理", CareItem::tracheostomy},
    {"気切", CareItem::tracheostomy},
    {"trach", CareItem::tracheostomy},
    {"鼻咽頭エアウェイの管理", CareItem::nasopharyngeal_airway},
    {"エアウェイ", CareItem::nasopharyngeal_airway},
    {"airway", CareItem::nasopharyngeal_airway},
    {"酸素", CareItem::oxygen},
    {"在宅酸素", CareItem::oxygen},
    {"hot", CareItem::oxygen},
    {"o2", CareItem::oxygen},
    {"喀痰吸引", CareItem::suction},
    {"たん吸引", CareItem::suction},
    {"ネブライザー", CareItem::nebuliser},
    {"吸入", CareItem::nebuliser},
    {"nebulizer", CareItem::nebuliser},
    {"neb", CareItem::nebuliser},
    {"胃ろう", CareItem::tube_feeding},
    {"経鼻経管", CareItem::tube_feeding},
    {"feeding", CareItem::tube_feeding},
    {"tube", CareItem::tube_feeding},
    {"中心静脈栄養", CareItem::central_venous_catheter},
    {"cvc", CareItem::central_venous_catheter},
    {"ivh", CareItem::central_venous_catheter},
    {"tpn", CareItem::central_venous_catheter},
    {"注射", CareItem::injection},
    {"インスリン", CareItem::injection},
    {"血糖", CareItem::blood_glucose},
    {"glucose", CareItem::blood_glucose},
    {"透析", CareItem::dialysis},
    {"腹膜透析", CareItem::dialysis},
    {"catheterization", CareItem::catheterisation},
    {"排便", CareItem::bowel},
    {"ストーマ", CareItem::bowel},
    {"stoma", CareItem::bowel},
    {"痙攣", CareItem::seizure},
    {"けいれん", CareItem::seizure},
    {"てんかん発作時の処置", CareItem::seizure},
};

Criticality parse_criticality(const std::string& text, const std::string& origin,
                              const std::string& id) {
    if (text == "life") return Criticality::life;
    if (text == "needed") return Criticality::needed;
    if (text == "comfort") return Criticality::comfort;
    throw InputError(
        "criticality must be life, needed or comfort",
        Where{.file = origin, .layer = "devices." + id, .field = "criticality", .value = text});
}

StaffLevel parse_staff(const std::string& text, const std::string& origin, const std::string& id) {
    if (text == "nurse") return StaffLevel::nurse;
    if (text == "carer") return StaffLevel::carer;
    if (text == "family") return StaffLevel::family;
    throw InputError(
        "staff must be nurse, carer or family",
        Where{.file = origin, .layer = "devices." + id, .field = "staff", .value = text});
}

/// The largest value a key may take (issue 24 item 5: an override of nan, inf or 1e308 W was
/// read as it stood: nan planned a ventilator child on time with no load at all, 1e308 ended in
/// an integer overflow blamed on "demand 1"). Power: 3 kW, as for a registry's watts; hours: a
/// battery or a duty over 30 days (the longest horizon, 720 h) is no device's; consumables: a
/// count per day.
double largest_value(const std::string& key) {
    if (key.starts_with("power")) return 3000.0;
    if (key.ends_with("_h") || key.ends_with("_h_per_day")) return 720.0;
    return 1e6;
}

double number_of(const toml::node& node, const std::string& origin, const std::string& id,
                 const std::string& key) {
    if (auto v = node.value<double>()) {
        const Where where{.file = origin,
                          .layer = "devices." + id,
                          .line = node.source().begin.line,
                          .field = key,
                          .value = detail::format_number(*v)};
        if (std::isnan(*v)) throw InputError("must be a number (nan is not one)", where);
        if (*v < 0) throw InputError("must not be negative", where);
        if (*v > largest_value(key)) {
            throw InputError("out of range: at most " + detail::format_number(largest_value(key)),
                             where);
        }
        return *v;
    }
    throw InputError("must be a number", Where{.file = origin,
                                               .layer = "devices." + id,
                                               .line = node.source().begin.line,
                                               .field = key});
}

std::string string_of(const toml::node& node, const std::string& origin, const std::string& id,
                      const std::string& key) {
    if (auto v = node.value<std::string>()) return *v;
    throw InputError("must be a string", Where{.file = origin,
                                               .layer = "devices." + id,
                                               .line = node.source().begin.line,
                                               .field = key});
}

/// Applies the keys of one [devices.<id>] table to `spec`.
void apply_table(DeviceSpec& spec, const toml::table& table, const std::string& origin) {
    const std::string& id = spec.id;
    for (const auto& [key_node, node] : table) {
        const std::string key(key_node.str());
        if (key == "name_ja")
            spec.name_ja = string_of(node, origin, id, key);
        else if (key == "name_en")
            spec.name_en = string_of(node, origin, id, key);
        else if (key == "fallback")
            spec.fallback = string_of(node, origin, id, key);
        else if (key == "source")
            spec.source = string_of(node, origin, id, key);
        else if (key == "power_w")
            spec.power_w = number_of(node, origin, id, key);
        else if (key == "power_min_w")
            spec.power_min_w = number_of(node, origin, id, key);
        else if (key == "power_max_w")
            spec.power_max_w = number_of(node, origin, id, key);
        else if (key == "duty_h_per_day")
            spec.duty_h_per_day = number_of(node, origin, id, key);
        else if (key == "duty_start_h") {
            spec.duty_start_h = number_of(node, origin, id, key);
            if (spec.duty_start_h >= 24.0) {
                throw InputError("duty_start_h is a clock hour from 0 to 24",
                                 Where{.file = origin,
                                       .layer = "devices." + id,
                                       .line = node.source().begin.line,
                                       .field = key,
                                       .value = detail::format_number(spec.duty_start_h)});
            }
        } else if (key == "internal_battery_h")
            spec.internal_battery_h = number_of(node, origin, id, key);
        else if (key == "external_battery_h")
            spec.external_battery_h = number_of(node, origin, id, key);
        else if (key == "criticality")
            spec.criticality = parse_criticality(string_of(node, origin, id, key), origin, id);
        else if (key == "staff")
            spec.staff = parse_staff(string_of(node, origin, id, key), origin, id);
        else if (key == "mains_powered") {
            auto v = node.value<bool>();
            if (!v)
                throw InputError("must be true or false",
                                 Where{.file = origin, .layer = "devices." + id, .field = key});
            spec.mains_powered = *v;
        } else if (key == "aliases") {
            const toml::array* array = node.as_array();
            if (!array)
                throw InputError("must be an array of strings",
                                 Where{.file = origin, .layer = "devices." + id, .field = key});
            spec.aliases.clear();
            for (const auto& item : *array)
                spec.aliases.push_back(string_of(item, origin, id, key));
        } else if (key == "consumables") {
            const toml::array* array = node.as_array();
            if (!array)
                throw InputError("must be an array of tables",
                                 Where{.file = origin, .layer = "devices." + id, .field = key});
            spec.consumables.clear();
            for (const auto& item : *array) {
                const toml::table* t = item.as_table();
                if (!t)
                    throw InputError("each consumable must be { name, per_day, unit }",
                                     Where{.file = origin, .layer = "devices." + id, .field = key});
                Consumable c;
                if (const auto* n = t->get("name"))
                    c.name = string_of(*n, origin, id, "consumables.name");
                if (const auto* n = t->get("per_day"))
                    c.per_day = number_of(*n, origin, id, "consumables.per_day");
                if (const auto* n = t->get("unit"))
                    c.unit = string_of(*n, origin, id, "consumables.unit");
                if (c.name.empty())
                    throw InputError("a consumable has no name",
                                     Where{.file = origin, .layer = "devices." + id, .field = key});
                spec.consumables.push_back(std::move(c));
            }
        } else {
            throw InputError("unknown key (see data/devices.toml for the keys)",
                             Where{.file = origin,
                                   .layer = "devices." + id,
                                   .line = node.source().begin.line,
                                   .field = key});
        }
    }
    if (spec.power_min_w > spec.power_max_w) {
        throw InputError("power_min_w is above power_max_w",
                         Where{.file = origin,
                               .layer = "devices." + id,
                               .field = "power_min_w",
                               .value = detail::format_number(spec.power_min_w)});
    }
    // The typical draw within the plausible range the registry's values are held to (a
    // ventilator overridden to 0 W would be planned as needing no power); a new device without
    // a range (power_max_w 0) is not checked, and o2cyl's 0 W lies in its 0-0 W.
    if (spec.power_max_w > 0.0 &&
        (spec.power_w < spec.power_min_w || spec.power_w > spec.power_max_w)) {
        const toml::node* node = table.get("power_w");
        throw InputError(
            "power_w is outside the device's plausible range " +
                detail::format_number(spec.power_min_w) + "-" +
                detail::format_number(spec.power_max_w) +
                " W (power_min_w, power_max_w); if the device really draws this, set those too",
            Where{.file = origin,
                  .layer = "devices." + id,
                  .line = node ? static_cast<std::int64_t>(node->source().begin.line) : -1,
                  .field = "power_w",
                  .value = detail::format_number(spec.power_w)});
    }
    if (spec.duty_h_per_day > 24.0) {
        throw InputError("duty_h_per_day is above 24",
                         Where{.file = origin,
                               .layer = "devices." + id,
                               .field = "duty_h_per_day",
                               .value = detail::format_number(spec.duty_h_per_day)});
    }
}

toml::table parse_toml(std::string_view text, const std::string& origin) {
    try {
        return toml::parse(text, origin);
    } catch (const toml::parse_error& e) {
        throw InputError("not valid TOML: " + std::string(e.description()),
                         Where{.file = origin, .line = e.source().begin.line});
    }
}

const toml::table* devices_table(const toml::table& root, const std::string& origin) {
    const toml::node* node = root.get("devices");
    if (node == nullptr) return nullptr;
    const toml::table* table = node->as_table();
    if (table == nullptr)
        throw InputError("'devices' must be a table", Where{.file = origin, .field = "devices"});
    return table;
}

std::string read_text_file(const std::filesystem::path& path) {
    return read_input_file(path, "device catalogue");
}

} // namespace

std::span<const CareItemInfo> care_items() {
    return kCareItems;
}

const CareItemInfo& info(CareItem item) {
    return kCareItems[static_cast<std::size_t>(item) - 1];
}

std::optional<CareItem> parse_care_item(std::string_view raw) {
    const std::string text = detail::trim(detail::fold_width(raw));
    if (text.empty()) return std::nullopt;
    if (auto number = detail::parse_integer(text)) {
        if (*number >= 1 && *number <= static_cast<std::int64_t>(kCareItemCount)) {
            return static_cast<CareItem>(*number);
        }
        return std::nullopt;
    }
    const std::string key = normalize_key(text);
    for (const auto& c : kCareItems) {
        if (key == normalize_key(c.code) || key == normalize_key(c.name_ja)) return c.item;
    }
    for (const auto& a : kCareAliases) {
        if (key == normalize_key(a.text)) return a.item;
    }
    return std::nullopt;
}

DeviceCatalogue::DeviceCatalogue(std::vector<DeviceSpec> devices) : m_devices(std::move(devices)) {
    std::sort(m_devices.begin(), m_devices.end(),
              [](const DeviceSpec& a, const DeviceSpec& b) { return a.id < b.id; });
}

const DeviceSpec* DeviceCatalogue::find(std::string_view id_or_alias) const {
    const std::string key = normalize_key(id_or_alias);
    if (key.empty()) return nullptr;
    for (const auto& d : m_devices) {
        if (normalize_key(d.id) == key) return &d;
    }
    for (const auto& d : m_devices) {
        for (const auto& alias : d.aliases) {
            if (normalize_key(alias) == key) return &d;
        }
        if (normalize_key(d.name_ja) == key || normalize_key(d.name_en) == key) return &d;
    }
    return nullptr;
}

DeviceCatalogue parse_device_catalogue(std::string_view toml_text, const std::string& origin) {
    const toml::table root = parse_toml(toml_text, origin);
    const toml::table* devices = devices_table(root, origin);
    if (devices == nullptr || devices->empty()) {
        throw InputError("the catalogue has no [devices.<id>] tables", Where{.file = origin});
    }
    std::vector<DeviceSpec> specs;
    for (const auto& [key, node] : *devices) {
        const toml::table* t = node.as_table();
        DeviceSpec spec;
        spec.id = std::string(key.str());
        if (t == nullptr)
            throw InputError("must be a table",
                             Where{.file = origin, .layer = "devices." + spec.id});
        apply_table(spec, *t, origin);
        if (spec.name_en.empty()) {
            throw InputError("name_en is missing",
                             Where{.file = origin, .layer = "devices." + spec.id});
        }
        if (t->get("power_w") == nullptr) {
            throw InputError("power_w is missing",
                             Where{.file = origin, .layer = "devices." + spec.id});
        }
        specs.push_back(std::move(spec));
    }
    DeviceCatalogue catalogue(std::move(specs));
    catalogue.m_origin = origin;
    return catalogue;
}

DeviceCatalogue DeviceCatalogue::with_overrides(std::string_view toml_text,
                                                const std::string& origin) const {
    const toml::table root = parse_toml(toml_text, origin);
    const toml::table* devices = devices_table(root, origin);
    DeviceCatalogue out = *this;
    if (devices == nullptr) return out;
    for (const auto& [key, node] : *devices) {
        const std::string id(key.str());
        const toml::table* t = node.as_table();
        if (t == nullptr)
            throw InputError("must be a table", Where{.file = origin, .layer = "devices." + id});
        auto it = std::find_if(out.m_devices.begin(), out.m_devices.end(),
                               [&](const DeviceSpec& d) { return d.id == id; });
        if (it != out.m_devices.end()) {
            apply_table(*it, *t, origin);
        } else {
            DeviceSpec spec;
            spec.id = id;
            apply_table(spec, *t, origin);
            if (spec.name_en.empty() || t->get("power_w") == nullptr) {
                throw InputError("a new device needs at least name_en and power_w",
                                 Where{.file = origin, .layer = "devices." + id});
            }
            out.m_devices.push_back(std::move(spec));
        }
    }
    std::sort(out.m_devices.begin(), out.m_devices.end(),
              [](const DeviceSpec& a, const DeviceSpec& b) { return a.id < b.id; });
    out.m_origin = m_origin + " + " + origin;
    return out;
}

DeviceCatalogue DeviceCatalogue::with_overrides_file(const std::filesystem::path& path) const {
    return with_overrides(read_text_file(path), path.string());
}

DeviceCatalogue load_device_catalogue(const std::filesystem::path& path) {
    return parse_device_catalogue(read_text_file(path), path.string());
}

const DeviceCatalogue& default_device_catalogue() {
    static const DeviceCatalogue catalogue =
        parse_device_catalogue(detail::kDevicesToml, "built-in data/devices.toml");
    return catalogue;
}

} // namespace sonae::planner
