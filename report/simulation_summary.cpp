#include "report/simulation_summary.hpp"
#include "geo/input_file.hpp"

#include "geo/error.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace sonae::report {

SimulationSummary read_simulation_summary(const std::filesystem::path& path) {
    const std::string text = read_input_file(path, "simulation summary");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        throw InputError(std::string("the simulation summary is not valid JSON: ") + e.what(), {.file = path.string()});
    }
    std::string field;
    try {
        field = "format";
        if (j.at("format").get<std::string>() != "sonae-simulation") {
            throw InputError("not a sonae simulation summary", {.file = path.string(), .field = "format"});
        }
        field = "format_version";
        if (j.at("format_version").get<int>() != 1) {
            throw InputError("unsupported simulation summary version", {.file = path.string(), .field = field,
                                                                        .value = j.at("format_version").dump()});
        }
        SimulationSummary s;
        field = "runs";
        s.runs = j.at("runs").get<std::int64_t>();
        field = "seed";
        s.label = "モンテカルロ（seed " + j.at("seed").dump() + "）";
        field = "runs_incomplete";
        s.runs_incomplete = j.at("runs_incomplete").get<std::int64_t>();
        field = "completion_s_per_run";
        s.completion_s = j.at("completion_s_per_run").get<std::vector<double>>();
        field = "children";
        auto quantiles = [](const nlohmann::json& q) { return Quantiles{q.at("p5").get<double>(), q.at("p50").get<double>(), q.at("p95").get<double>()}; };
        for (const auto& c : j.at("children")) {
            ChildSimulation child;
            child.child_id = c.at("child_id").get<std::string>();
            child.arrival_s = quantiles(c.at("arrival_s"));
            child.battery_margin_h = quantiles(c.at("battery_margin_h"));
            child.p_miss_deadline = c.at("p_miss_deadline").get<double>();
            s.children.push_back(std::move(child));
        }
        return s;
    } catch (const nlohmann::json::exception& e) {
        throw InputError(std::string("the simulation summary is missing a field or has a wrong type: ") + e.what(),
                         {.file = path.string(), .field = field});
    }
}

} // namespace sonae::report
