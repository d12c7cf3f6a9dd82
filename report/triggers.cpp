#include "report/triggers.hpp"

#include "core/error.hpp"

#include <toml++/toml.h>

#include <array>

namespace sonae::report {

namespace detail {
extern const std::string_view kHazardTriggersToml;
}

namespace {
constexpr std::array<std::string_view, 5> kKinds{"flood", "landslide", "storm_surge", "tsunami",
                                                 "earthquake"};
}

std::vector<HazardTriggers> parse_hazard_triggers(std::string_view text,
                                                  const std::string& source_name) {
    toml::table root;
    try {
        root = toml::parse(text, source_name);
    } catch (const toml::parse_error& e) {
        throw InputError(
            std::string("not valid TOML: ") + std::string(e.description()),
            {.file = source_name, .line = static_cast<std::int64_t>(e.source().begin.line)});
    }
    auto need = [&](const toml::node_view<const toml::node>& v, const std::string& key) {
        const auto s = v.value<std::string>();
        if (!s || s->empty())
            throw InputError("missing or empty text", {.file = source_name, .field = key});
        return *s;
    };
    const toml::node_view<const toml::node> r{root};
    std::vector<HazardTriggers> out;
    for (const auto kind : kKinds) {
        const std::string key = "hazard." + std::string(kind);
        const auto h = r["hazard"][kind];
        if (!h.as_table())
            throw InputError("the table is missing", {.file = source_name, .field = key});
        HazardTriggers t;
        t.kind = std::string(kind);
        t.label = need(h["label"], key + ".label");
        t.headline = need(h["headline"], key + ".headline");
        t.leave_at = need(h["leave_at"], key + ".leave_at");
        const auto levels = h["alert_levels"].value<bool>();
        if (!levels)
            throw InputError("must be true or false",
                             {.file = source_name, .field = key + ".alert_levels"});
        t.alert_levels = *levels;
        const auto* steps = h["step"].as_array();
        if (steps == nullptr || steps->empty())
            throw InputError("needs at least one [[step]]",
                             {.file = source_name, .field = key + ".step"});
        for (std::size_t i = 0; i < steps->size(); ++i) {
            const auto s = toml::node_view<const toml::node>{(*steps)[i]};
            const std::string sk = key + ".step[" + std::to_string(i) + "]";
            t.steps.push_back({need(s["when"], sk + ".when"), need(s["action"], sk + ".action")});
        }
        const auto* sources = h["sources"].as_array();
        if (sources == nullptr || sources->empty())
            throw InputError("needs its sources", {.file = source_name, .field = key + ".sources"});
        for (const auto& node : *sources) {
            const auto name = node.value<std::string>().value_or("");
            const auto s = r["source"][name];
            if (name.empty() || !s.as_table()) {
                throw InputError("no such [source.*]",
                                 {.file = source_name, .field = key + ".sources", .value = name});
            }
            t.sources.push_back({name, need(s["title"], "source." + name + ".title"),
                                 need(s["url"], "source." + name + ".url")});
        }
        out.push_back(std::move(t));
    }
    return out;
}

const std::vector<HazardTriggers>& hazard_triggers() {
    static const std::vector<HazardTriggers> table = [] {
        try {
            return parse_hazard_triggers(detail::kHazardTriggersToml, "data/hazard_triggers.toml");
        } catch (const InputError& e) {
            throw InternalError("the compiled-in trigger table is malformed: " +
                                std::string(e.what()));
        }
    }();
    return table;
}

const HazardTriggers* triggers_for(std::string_view kind) {
    for (const auto& t : hazard_triggers())
        if (t.kind == kind) return &t;
    return nullptr;
}

} // namespace sonae::report
