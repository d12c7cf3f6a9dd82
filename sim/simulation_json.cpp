#include "sim/simulation_json.hpp"

#include "core/error.hpp"
#include "geo/input_file.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

namespace sonae::sim {

namespace {

constexpr const char* kFormat = "sonae-simulation";
constexpr int kFormatVersion = 1;

std::string label_for(std::uint64_t seed) {
    return "モンテカルロ（seed " + std::to_string(seed) + "）";
}

nlohmann::ordered_json quantiles_json(const Quantiles& q) {
    return {{"p5", q.p5}, {"p50", q.p50}, {"p95", q.p95}};
}

/// Reads fields of one document, naming the JSON path of the field in every error.
class Reader {
public:
    explicit Reader(std::string file) : m_file(std::move(file)) {}

    const nlohmann::json& at(const nlohmann::json& parent, const std::string& parent_path,
                             const std::string& key) const {
        if (!parent.is_object() || !parent.contains(key))
            fail(parent_path + "/" + key, "is missing", "");
        return parent[key];
    }
    double number(const nlohmann::json& parent, const std::string& parent_path,
                  const std::string& key) const {
        const auto& v = at(parent, parent_path, key);
        if (!v.is_number() || !std::isfinite(v.get<double>()))
            fail(parent_path + "/" + key, "must be a number", v.dump());
        return v.get<double>();
    }
    std::int64_t count(const nlohmann::json& parent, const std::string& parent_path,
                       const std::string& key) const {
        const auto& v = at(parent, parent_path, key);
        if (!v.is_number_integer() || v.get<std::int64_t>() < 0)
            fail(parent_path + "/" + key, "must be a whole number, 0 or more", v.dump());
        return v.get<std::int64_t>();
    }
    double share(const nlohmann::json& parent, const std::string& parent_path,
                 const std::string& key) const {
        const double v = number(parent, parent_path, key);
        if (v < 0.0 || v > 1.0)
            fail(parent_path + "/" + key, "must be a share between 0 and 1",
                 at(parent, parent_path, key).dump());
        return v;
    }
    std::string text(const nlohmann::json& parent, const std::string& parent_path,
                     const std::string& key) const {
        const auto& v = at(parent, parent_path, key);
        if (!v.is_string()) fail(parent_path + "/" + key, "must be a string", v.dump());
        return v.get<std::string>();
    }
    const nlohmann::json& array(const nlohmann::json& parent, const std::string& parent_path,
                                const std::string& key) const {
        const auto& v = at(parent, parent_path, key);
        if (!v.is_array())
            fail(parent_path + "/" + key, "must be an array", v.dump().substr(0, 40));
        return v;
    }
    Quantiles quantiles(const nlohmann::json& parent, const std::string& parent_path,
                        const std::string& key) const {
        const auto& q = at(parent, parent_path, key);
        const std::string path = parent_path + "/" + key;
        return {number(q, path, "p5"), number(q, path, "p50"), number(q, path, "p95")};
    }
    [[noreturn]] void fail(const std::string& field, const std::string& what,
                           const std::string& value) const {
        throw InputError("simulation.json: field " + field + " " + what,
                         {.file = m_file, .field = field, .value = value});
    }

private:
    std::string m_file;
};

} // namespace

SimulationSummary summarize(const MonteCarloResult& mc) {
    SimulationSummary s;
    s.label = label_for(mc.seed);
    s.runs = mc.runs;
    for (const auto& c : mc.children) {
        s.children.push_back({.child_id = c.child_id,
                              .arrival_s = c.arrival_s,
                              .battery_margin_h = c.battery_margin_h,
                              .p_miss_deadline = c.p_miss_deadline});
    }
    s.completion_s = mc.completion_s;
    s.runs_incomplete = mc.runs_incomplete;
    return s;
}

std::string simulation_json_text(const MonteCarloResult& mc, const std::string& scenario_name) {
    nlohmann::ordered_json j;
    j["format"] = kFormat;
    j["format_version"] = kFormatVersion;
    j["scenario_name"] = scenario_name;
    j["runs"] = mc.runs;
    j["seed"] = mc.seed;
    j["runs_incomplete"] = mc.runs_incomplete;
    j["vehicle_seconds"] = mc.vehicle_seconds;
    // No wall-clock time here: the same inputs and seed give a byte-identical file. The
    // seconds the replications took are printed in the summary line (the log) instead.
    j["completion_s"] = quantiles_json(mc.completion);
    j["completion_s_per_run"] = mc.completion_s;
    auto children = nlohmann::ordered_json::array();
    for (const auto& c : mc.children) {
        // Share of runs per cause (issue 17), the causes that happened only.
        auto causes = nlohmann::ordered_json::object();
        for (std::size_t k = 1; k < kCauseCount; ++k) {
            if (c.cause_share[k] > 0)
                causes[std::string(to_string(static_cast<Cause>(k)))] = c.cause_share[k];
        }
        children.push_back({{"child_id", c.child_id},
                            {"arrival_s", quantiles_json(c.arrival_s)},
                            {"battery_margin_h", quantiles_json(c.battery_margin_h)},
                            {"p_miss_deadline", c.p_miss_deadline},
                            {"p_battery_depleted", c.p_battery_depleted},
                            {"p_by_cause", std::move(causes)}});
    }
    j["children"] = std::move(children);
    auto facilities = nlohmann::ordered_json::array();
    for (const auto& f : mc.facilities) {
        facilities.push_back({{"facility_id", f.facility_id},
                              {"peak_load_w", quantiles_json(f.peak_load_w)},
                              {"generator_w", f.generator_w},
                              {"p_overload", f.p_overload}});
    }
    j["facilities"] = std::move(facilities);
    return j.dump(2) + "\n";
}

void write_simulation_json(const std::filesystem::path& path, const MonteCarloResult& mc,
                           const std::string& scenario_name, FileMode mode) {
    write_file_atomically(path, simulation_json_text(mc, scenario_name), mode);
}

SimulationSummary read_simulation_summary(const std::filesystem::path& path) {
    const std::string text = read_input_file(path, "simulation summary");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw InputError(std::string("the simulation summary is not valid JSON: ") + e.what(),
                         {.file = path.string()});
    }
    const Reader r(path.string());
    if (!j.is_object()) r.fail("/", "must be a JSON object", j.dump().substr(0, 40));
    if (r.text(j, "", "format") != kFormat)
        r.fail("/format", "is not \"sonae-simulation\": not a sonae simulation summary",
               j["format"].dump());
    if (r.count(j, "", "format_version") != kFormatVersion) {
        r.fail("/format_version", "is not a version this program reads (1)",
               j["format_version"].dump());
    }
    SimulationSummary s;
    s.runs = r.count(j, "", "runs");
    const auto& seed = r.at(j, "", "seed");
    if (!seed.is_number_unsigned())
        r.fail("/seed", "must be a whole number, 0 or more", seed.dump());
    s.label = label_for(seed.get<std::uint64_t>());
    s.runs_incomplete = r.count(j, "", "runs_incomplete");
    const auto& completion = r.array(j, "", "completion_s_per_run");
    for (std::size_t i = 0; i < completion.size(); ++i) {
        if (!completion[i].is_number())
            r.fail("/completion_s_per_run/" + std::to_string(i), "must be a number",
                   completion[i].dump());
        s.completion_s.push_back(completion[i].get<double>());
    }
    const auto& children = r.array(j, "", "children");
    for (std::size_t i = 0; i < children.size(); ++i) {
        const std::string at = "/children/" + std::to_string(i);
        const auto& c = children[i];
        s.children.push_back({.child_id = r.text(c, at, "child_id"),
                              .arrival_s = r.quantiles(c, at, "arrival_s"),
                              .battery_margin_h = r.quantiles(c, at, "battery_margin_h"),
                              .p_miss_deadline = r.share(c, at, "p_miss_deadline")});
    }
    return s;
}

} // namespace sonae::sim
