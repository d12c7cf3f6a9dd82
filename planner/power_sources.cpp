#include "planner/power_sources.hpp"

#include "core/error.hpp"
#include "planner/detail/registry_text.hpp"

#include <toml++/toml.h>

#include <algorithm>

namespace sonae::planner {

namespace detail {
extern const std::string_view kPowerSourcesToml;
} // namespace detail

double GeneratorClass::fuel_per_h(double rated_w, double load_w) const {
    if (rated_w <= 0.0) return 0.0;
    const double fraction = std::clamp(load_w / rated_w, 0.0, 1.0);
    return rated_w / 1000.0 * (idle_per_kwh + (full_per_kwh - idle_per_kwh) * fraction);
}

double GeneratorClass::fuel_for_rated_hours(double rated_w, double hours_at_rated) const {
    return std::max(0.0, hours_at_rated) * rated_w / 1000.0 * full_per_kwh;
}

const GeneratorClass* PowerSourceDefaults::home_class(double rated_w) const {
    if (rated_w > home_max_generator_w) return nullptr;
    for (const auto& g : generators) {
        if (g.home && (g.max_rated_w <= 0.0 || rated_w <= g.max_rated_w)) return &g;
    }
    return nullptr;
}

const GeneratorClass* PowerSourceDefaults::facility_class() const {
    for (const auto& g : generators) {
        if (!g.home) return &g;
    }
    return nullptr;
}

double PowerSourceDefaults::surge_factor(std::string_view device) const {
    const auto it = surge.find(std::string(device));
    return it == surge.end() ? 1.0 : it->second;
}

namespace {

struct Reader {
    const std::string& origin;

    double number(const toml::table& t, const std::string& table, const char* key, double fallback,
                  double min = 0.0) const {
        const toml::node* node = t.get(key);
        if (node == nullptr) return fallback;
        const auto v = node->value<double>();
        if (!v) {
            throw InputError("must be a number", Where{.file = origin,
                                                       .layer = table,
                                                       .line = node->source().begin.line,
                                                       .field = key});
        }
        if (*v < min) {
            throw InputError("must be at least " + detail::format_number(min),
                             Where{.file = origin,
                                   .layer = table,
                                   .line = node->source().begin.line,
                                   .field = key,
                                   .value = detail::format_number(*v)});
        }
        return *v;
    }
    std::string text(const toml::table& t, const std::string& table, const char* key) const {
        const toml::node* node = t.get(key);
        if (node == nullptr) return {};
        if (auto v = node->value<std::string>()) return *v;
        throw InputError(
            "must be a string",
            Where{.file = origin, .layer = table, .line = node->source().begin.line, .field = key});
    }
    const toml::table* table(const toml::table& root, const char* key) const {
        const toml::node* node = root.get(key);
        if (node == nullptr) return nullptr;
        if (const auto* t = node->as_table()) return t;
        throw InputError("must be a table",
                         Where{.file = origin, .line = node->source().begin.line, .field = key});
    }
};

} // namespace

PowerSourceDefaults parse_power_source_defaults(std::string_view toml_text,
                                                const std::string& origin) {
    toml::table root;
    try {
        root = toml::parse(toml_text, origin);
    } catch (const toml::parse_error& e) {
        throw InputError("not valid TOML: " + std::string(e.description()),
                         Where{.file = origin, .line = e.source().begin.line});
    }
    const Reader r{origin};
    PowerSourceDefaults d;
    if (const auto* gens = r.table(root, "generators")) {
        for (const auto& [key, node] : *gens) {
            const std::string name = "generators." + std::string(key.str());
            const auto* t = node.as_table();
            if (t == nullptr)
                throw InputError("must be a table", Where{.file = origin, .layer = name});
            GeneratorClass g;
            g.id = std::string(key.str());
            g.name_ja = r.text(*t, name, "name_ja");
            g.fuel_ja = r.text(*t, name, "fuel_ja");
            g.unit_ja = r.text(*t, name, "unit_ja");
            g.source = r.text(*t, name, "source");
            if (const auto* h = t->get("home")) g.home = h->value<bool>().value_or(false);
            g.max_rated_w = r.number(*t, name, "max_rated_w", 0.0);
            g.full_per_kwh = r.number(*t, name, "full_per_kwh", 0.0);
            g.idle_per_kwh = r.number(*t, name, "idle_per_kwh", 0.0);
            if (g.full_per_kwh <= 0.0 || g.idle_per_kwh > g.full_per_kwh) {
                throw InputError("full_per_kwh must be above 0 and at least idle_per_kwh",
                                 Where{.file = origin,
                                       .layer = name,
                                       .field = "full_per_kwh",
                                       .value = detail::format_number(g.full_per_kwh)});
            }
            d.generators.push_back(std::move(g));
        }
    }
    if (const auto* home = r.table(root, "home")) {
        d.home_max_generator_w = r.number(*home, "home", "max_generator_w", d.home_max_generator_w);
    }
    if (const auto* o = r.table(root, "oxygen")) {
        d.oxygen.bridge_h = r.number(*o, "oxygen", "bridge_h", d.oxygen.bridge_h);
        d.oxygen.reserve_cylinders = static_cast<int>(
            r.number(*o, "oxygen", "reserve_cylinders", d.oxygen.reserve_cylinders));
        d.oxygen.supplier_lead_h =
            r.number(*o, "oxygen", "supplier_lead_h", d.oxygen.supplier_lead_h);
    }
    if (const auto* s = r.table(root, "surge")) {
        for (const auto& [key, node] : *s) {
            (void)node;
            d.surge[std::string(key.str())] =
                r.number(*s, "surge", std::string(key.str()).c_str(), 1.0, 1.0);
        }
    }
    if (const auto* s = r.table(root, "shelter")) {
        auto& sh = d.shelter;
        sh.base_load_w = r.number(*s, "shelter", "base_load_w", sh.base_load_w);
        sh.base_peak_w = r.number(*s, "shelter", "base_peak_w", sh.base_peak_w);
        sh.battery_charge_w = r.number(*s, "shelter", "battery_charge_w", sh.battery_charge_w);
        sh.battery_charge_h = r.number(*s, "shelter", "battery_charge_h", sh.battery_charge_h);
        sh.shift_h = r.number(*s, "shelter", "shift_h", sh.shift_h, 1.0);
        sh.children_per_staff = static_cast<int>(
            r.number(*s, "shelter", "children_per_staff", sh.children_per_staff, 1.0));
        sh.companions_default =
            static_cast<int>(r.number(*s, "shelter", "companions_default", sh.companions_default));
        sh.hospital_evacuee_share =
            r.number(*s, "shelter", "hospital_evacuee_share", sh.hospital_evacuee_share);
        if (sh.hospital_evacuee_share > 1.0) {
            throw InputError("a share from 0 to 1",
                             Where{.file = origin,
                                   .layer = "shelter",
                                   .field = "hospital_evacuee_share",
                                   .value = detail::format_number(sh.hospital_evacuee_share)});
        }
    }
    return d;
}

const PowerSourceDefaults& default_power_sources() {
    static const PowerSourceDefaults defaults =
        parse_power_source_defaults(detail::kPowerSourcesToml, "built-in data/power_sources.toml");
    return defaults;
}

} // namespace sonae::planner
