#include "planner/scenario.hpp"

#include "core/error.hpp"
#include "geo/input_file.hpp"
#include "geo/load_network.hpp"
#include "planner/standard_list.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iomanip>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <sstream>
#include <stdexcept>

namespace sonae::planner {

namespace fs = std::filesystem;

namespace {

void fail_with_all(const Diagnostics& diagnostics, const std::string& what) {
    std::vector<std::string> errors;
    for (const auto& d : diagnostics) {
        if (d.severity == Diagnostic::Severity::error) errors.push_back(d.str());
    }
    if (errors.empty()) return;
    std::string text = what + " (" + std::to_string(errors.size()) + " problem" +
                       (errors.size() == 1 ? "" : "s") + "; fix them and run again):";
    for (const auto& e : errors) text += "\n  " + e;
    throw InputError(text);
}

/// A number as a person wrote it: 0, 2.5, 100000 (no trailing zeros, no exponent for
/// ordinary values).
std::string number_text(double v) {
    if (!std::isfinite(v)) return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf");
    std::ostringstream out;
    out << std::setprecision(12) << v;
    return out.str();
}

class ManifestReader {
public:
    ManifestReader(const fs::path& file, const toml::table& root)
        : m_file(file.string()), m_dir(file.parent_path()), m_root(root) {}

    [[noreturn]] void fail(const std::string& key, const std::string& value,
                           const std::string& message, std::int64_t line = -1) const {
        throw InputError(message, {.file = m_file, .line = line, .field = key, .value = value});
    }

    const toml::table* table(const std::string& key) const { return m_root[key].as_table(); }

    template <typename T, typename View>
    std::optional<T> get(const View& node, const std::string& key) const {
        if (!node) return std::nullopt;
        if constexpr (std::is_same_v<T, std::string>) {
            if (auto v = node.template value<std::string>()) return v;
            fail(key, node_text(node), "expected text in quotes");
        } else if constexpr (std::is_same_v<T, double>) {
            if (auto v = node.template value<double>()) return v;
            fail(key, node_text(node), "expected a number");
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
            if (node.is_integer()) return node.template value<std::int64_t>();
            fail(key, node_text(node), "expected a whole number");
        } else if constexpr (std::is_same_v<T, bool>) {
            if (auto v = node.template value<bool>()) return v;
            fail(key, node_text(node), "expected true or false");
        }
        return std::nullopt;
    }

    /// Fails naming `key` unless `value` is a finite number in [lo, hi].
    void check_range(const std::string& key, double value, double lo, double hi,
                     const std::string& unit) const {
        if (std::isfinite(value) && value >= lo && value <= hi) return;
        fail(key, number_text(value),
             "out of range: expected " + number_text(lo) + " to " + number_text(hi) + " (" + unit +
                 ")");
    }

    /// The path, relative to the manifest's folder, of an existing regular file (a folder
    /// only where `folder_ok`, e.g. a network of shapefiles); a FIFO or a device is refused
    /// here, before anything opens it (opening a FIFO blocks, a device reads forever).
    fs::path existing_file(const std::string& key, const std::string& relative,
                           bool folder_ok = false) const {
        if (relative.empty()) fail(key, relative, "the path is empty");
        const fs::path p = fs::path(relative).is_absolute() ? fs::path(relative) : m_dir / relative;
        std::error_code ec;
        const fs::file_status st = fs::status(p, ec);
        if (!fs::exists(st)) {
            fail(key, relative,
                 "the file does not exist (paths are relative to the manifest's folder: " +
                     m_dir.string() + ")");
        }
        if (fs::is_directory(st) && !folder_ok)
            fail(key, relative, "this is a folder, not a file (give the file inside it)");
        if (!fs::is_regular_file(st) && !fs::is_directory(st))
            fail(key, relative, "this is not a regular file (a pipe, a device or a socket)");
        return p.lexically_normal();
    }

    template <typename View>
    static std::string node_text(const View& node) {
        std::ostringstream out;
        if (node) out << node;
        return out.str();
    }

private:
    std::string m_file;
    fs::path m_dir;
    const toml::table& m_root;
};

void check_one_of(const ManifestReader& r, const std::string& key, const std::string& value,
                  std::initializer_list<const char*> allowed) {
    for (const char* a : allowed) {
        if (value == a) return;
    }
    std::string list;
    for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
    r.fail(key, value, "unknown value; use one of: " + list);
}

} // namespace

fs::path resolve_manifest_path(const fs::path& path_or_dir) {
    std::error_code ec;
    if (fs::is_directory(path_or_dir, ec)) return path_or_dir / "scenario.toml";
    return path_or_dir;
}

ScenarioManifest read_manifest(const fs::path& path_in) {
    const fs::path path = resolve_manifest_path(path_in);
    check_input_file(path, "scenario manifest");
    toml::table root;
    try {
        root = toml::parse_file(path.string());
    } catch (const toml::parse_error& e) {
        throw InputError(
            std::string("not a valid TOML file: ") + std::string(e.description()),
            {.file = path.string(), .line = static_cast<std::int64_t>(e.source().begin.line)});
    }
    const ManifestReader r(path, root);
    ScenarioManifest m;
    m.manifest_path = path;

    const auto scenario = root["scenario"];
    if (!scenario.as_table()) r.fail("scenario", "", "the manifest needs a [scenario] table");
    m.name = r.get<std::string>(scenario["name"], "scenario.name").value_or("");
    if (m.name.empty()) r.fail("scenario.name", "", "the scenario needs a name");
    m.title = r.get<std::string>(scenario["title"], "scenario.title").value_or(m.name);
    m.hazard_kind = r.get<std::string>(scenario["hazard"], "scenario.hazard").value_or("flood");
    check_one_of(r, "scenario.hazard", m.hazard_kind,
                 {"flood", "tsunami", "landslide", "storm_surge", "earthquake", "drill"});
    if (auto seed = r.get<std::int64_t>(scenario["seed"], "scenario.seed")) {
        if (*seed < 0) r.fail("scenario.seed", std::to_string(*seed), "the seed must be 0 or more");
        m.seed = static_cast<std::uint64_t>(*seed);
    }
    m.horizon_h = r.get<std::int64_t>(scenario["horizon_h"], "scenario.horizon_h").value_or(72);
    if (m.horizon_h < 1 || m.horizon_h > 24 * 30) {
        r.fail("scenario.horizon_h", std::to_string(m.horizon_h),
               "the horizon must be 1 to 720 hours");
    }

    if (const auto net = root["network"]; net.as_table()) {
        if (auto p = r.get<std::string>(net["path"], "network.path")) {
            m.network = r.existing_file("network.path", *p, /*folder_ok=*/true);
        }
        m.network_layer = r.get<std::string>(net["layer"], "network.layer").value_or("");
    }

    // A workbook's sheet (or a GIS layer) by name: `sheet` or `layer`, not both.
    const auto sheet_of = [&r](const auto& table, const std::string& key) {
        const auto sheet = r.get<std::string>(table["sheet"], key + ".sheet");
        const auto layer = r.get<std::string>(table["layer"], key + ".layer");
        if (sheet && layer && *sheet != *layer) {
            r.fail(key + ".sheet", *sheet,
                   "give the sheet once: `sheet` and `layer` name the same thing (layer = '" +
                       *layer + "')");
        }
        if (sheet && sheet->empty())
            r.fail(key + ".sheet", "",
                   "the sheet name is empty (leave the key out to take the first sheet with the "
                   "required columns)");
        return sheet ? *sheet : layer.value_or("");
    };
    const auto reg = root["registry"];
    if (!reg.as_table())
        r.fail("registry", "", "the manifest needs a [registry] table with a path");
    m.registry = r.existing_file("registry.path",
                                 r.get<std::string>(reg["path"], "registry.path").value_or(""));
    m.registry_encoding = r.get<std::string>(reg["encoding"], "registry.encoding").value_or("auto");
    check_one_of(r, "registry.encoding", m.registry_encoding,
                 {"auto", "utf-8", "shift_jis", "cp932"});
    m.registry_sheet = sheet_of(reg, "registry");

    if (const auto* facilities = root["facilities"].as_array()) {
        std::size_t i = 0;
        for (const auto& node : *facilities) {
            const std::string key = "facilities[" + std::to_string(i++) + "]";
            const auto* t = node.as_table();
            if (!t) r.fail(key, "", "each [[facilities]] entry must be a table");
            const auto v = toml::node_view<const toml::node>{*t};
            FacilitySourceSpec f;
            f.path = r.existing_file(key + ".path",
                                     r.get<std::string>(v["path"], key + ".path").value_or(""));
            f.kind = r.get<std::string>(v["kind"], key + ".kind").value_or("facilities");
            check_one_of(r, key + ".kind", f.kind,
                         {"facilities", "gsi_evacuation", "gsi_emergency", "p20", "standard_list"});
            f.layer = sheet_of(v, key);
            m.facilities.push_back(std::move(f));
        }
    }
    if (m.facilities.empty())
        r.fail("facilities", "", "the manifest needs at least one [[facilities]] source");

    if (const auto veh = root["vehicles"]; veh.as_table()) {
        if (auto p = r.get<std::string>(veh["path"], "vehicles.path")) {
            m.vehicles = r.existing_file("vehicles.path", *p);
        }
        m.vehicles_sheet = sheet_of(veh, "vehicles");
    }
    if (const auto dev = root["devices"]; dev.as_table()) {
        if (auto p = r.get<std::string>(dev["path"], "devices.path")) {
            m.devices = r.existing_file("devices.path", *p);
        }
    }
    if (const auto drill = root["drill"]; drill.as_table()) {
        if (auto p = r.get<std::string>(drill["timeline"], "drill.timeline")) {
            m.drill_timeline = r.existing_file("drill.timeline", *p);
        }
        // `recorded` is one file or a list (one per child); `times` is its older name.
        for (const char* key : {"recorded", "times"}) {
            const std::string name = std::string("drill.") + key;
            if (const auto* list = drill[key].as_array()) {
                std::size_t i = 0;
                for (const auto& item : *list) {
                    const std::string item_key = name + "[" + std::to_string(i++) + "]";
                    if (auto p =
                            r.get<std::string>(toml::node_view<const toml::node>{item}, item_key)) {
                        m.drill_recorded.push_back(r.existing_file(item_key, *p));
                    }
                }
            } else if (auto p = r.get<std::string>(drill[key], name)) {
                m.drill_recorded.push_back(r.existing_file(name, *p));
            }
        }
    }

    if (const auto* hazards = root["hazards"].as_array()) {
        std::size_t i = 0;
        for (const auto& node : *hazards) {
            const std::string key = "hazards[" + std::to_string(i++) + "]";
            const auto* t = node.as_table();
            if (!t) r.fail(key, "", "each [[hazards]] entry must be a table");
            const auto v = toml::node_view<const toml::node>{*t};
            HazardLayerSpec h;
            h.path = r.existing_file(key + ".path",
                                     r.get<std::string>(v["path"], key + ".path").value_or(""));
            h.layer = r.get<std::string>(v["layer"], key + ".layer").value_or("");
            const auto kind = r.get<std::string>(v["kind"], key + ".kind");
            h.kind = kind.value_or(m.hazard_kind);
            if (m.hazard_kind == "earthquake") {
                // The shaking itself has no areas: a layer of an earthquake scenario is what the
                // quake sets off (landslides, a flood), and says so. A tsunami needs shelters
                // designated for tsunami, which only a tsunami scenario asks for.
                if (!kind) {
                    r.fail(key + ".kind", "",
                           "an earthquake scenario's hazard layer needs its kind: landslide, flood "
                           "or storm_surge "
                           "(the quake's own shaking has no areas; for a tsunami use "
                           "scenario.hazard = \"tsunami\")",
                           static_cast<std::int64_t>(t->source().begin.line));
                }
                if (h.kind == "tsunami" || h.kind == "earthquake") {
                    r.fail(key + ".kind", h.kind,
                           "not a layer of an earthquake scenario: use landslide, flood or "
                           "storm_surge "
                           "(for a tsunami after the quake use scenario.hazard = \"tsunami\", so "
                           "shelters are checked for tsunami)",
                           static_cast<std::int64_t>(v["kind"].node()->source().begin.line));
                }
            }
            check_one_of(r, key + ".kind", h.kind,
                         {"flood", "tsunami", "landslide", "storm_surge"});
            h.onset_min = r.get<double>(v["onset_min"], key + ".onset_min").value_or(0.0);
            h.onset_field = r.get<std::string>(v["onset_field"], key + ".onset_field").value_or("");
            h.id_field = r.get<std::string>(v["id_field"], key + ".id_field").value_or("");
            h.depth_field = r.get<std::string>(v["depth_field"], key + ".depth_field").value_or("");
            h.rank_field = r.get<std::string>(v["rank_field"], key + ".rank_field").value_or("");
            h.zone_field = r.get<std::string>(v["zone_field"], key + ".zone_field").value_or("");
            h.depth_m = r.get<double>(v["depth_m"], key + ".depth_m").value_or(1.0);
            m.hazards.push_back(std::move(h));
        }
    }

    bool level4_given = false; // -1 is the model's "not in the scenario", not a value to accept
    if (const auto tl = root["timeline"]; tl.as_table()) {
        m.timeline.t0_label = r.get<std::string>(tl["t0"], "timeline.t0").value_or("");
        if (const auto clock = tl["t0_clock"]; clock) {
            const auto line = static_cast<std::int64_t>(clock.node()->source().begin.line);
            if (const auto* dt = clock.as_date_time()) {
                // An unquoted TOML date-time: accepted when it carries its offset.
                std::ostringstream text;
                text << dt->get();
                if (!dt->get().offset) {
                    r.fail("timeline.t0_clock", text.str(),
                           "the clock time needs its UTC offset, e.g. \"2026-03-14T02:00+09:00\"",
                           line);
                }
                m.timeline.t0_clock = parse_clock_time(text.str());
                if (!m.timeline.t0_clock)
                    r.fail("timeline.t0_clock", text.str(), "not an ISO 8601 date and time", line);
            } else {
                if (!clock.is_string()) {
                    std::ostringstream value;
                    value << clock;
                    r.fail("timeline.t0_clock", value.str(),
                           "expected an ISO 8601 date and time in quotes", line);
                }
                const auto text = r.get<std::string>(clock, "timeline.t0_clock").value_or("");
                m.timeline.t0_clock = parse_clock_time(text);
                if (!m.timeline.t0_clock) {
                    r.fail("timeline.t0_clock", text,
                           "not an ISO 8601 date and time with its UTC offset (e.g. "
                           "\"2026-03-14T02:00+09:00\": "
                           "date, T, hours:minutes, then +09:00 or Z)",
                           line);
                }
            }
        }
        m.timeline.mains_lost_min =
            r.get<double>(tl["mains_lost_min"], "timeline.mains_lost_min").value_or(0.0);
        const auto level4 = r.get<double>(tl["level4_min"], "timeline.level4_min");
        level4_given = level4.has_value();
        m.timeline.level4_min = level4.value_or(-1.0);
    }
    m.timeline.hazard_onset_min = m.hazards.empty() ? 0.0 : m.hazards.front().onset_min;
    for (const auto& h : m.hazards)
        m.timeline.hazard_onset_min = std::min(m.timeline.hazard_onset_min, h.onset_min);

    if (const auto o = root["options"]; o.as_table()) {
        auto& op = m.options;
        op.at_risk_threshold_min =
            r.get<double>(o["at_risk_threshold_min"], "options.at_risk_threshold_min")
                .value_or(op.at_risk_threshold_min);
        op.safety_margin_min = r.get<double>(o["safety_margin_min"], "options.safety_margin_min")
                                   .value_or(op.safety_margin_min);
        op.decision_min =
            r.get<double>(o["decision_min"], "options.decision_min").value_or(op.decision_min);
        op.max_snap_m =
            r.get<double>(o["max_snap_m"], "options.max_snap_m").value_or(op.max_snap_m);
        op.straight_line_circuity =
            r.get<double>(o["straight_line_circuity"], "options.straight_line_circuity")
                .value_or(op.straight_line_circuity);
        op.straight_line_speed_kmh =
            r.get<double>(o["straight_line_speed_kmh"], "options.straight_line_speed_kmh")
                .value_or(op.straight_line_speed_kmh);
        op.walk_max_m =
            r.get<double>(o["walk_max_m"], "options.walk_max_m").value_or(op.walk_max_m);
        op.candidate_facilities =
            r.get<std::int64_t>(o["candidate_facilities"], "options.candidate_facilities")
                .value_or(op.candidate_facilities);
        if (op.candidate_facilities < 1 || op.candidate_facilities > 1000) {
            r.fail("options.candidate_facilities", std::to_string(op.candidate_facilities),
                   "from 1 to 1000 candidate facilities per child");
        }
        if (std::isfinite(op.straight_line_circuity) && op.straight_line_circuity < 1.0) {
            r.fail(
                "options.straight_line_circuity", number_text(op.straight_line_circuity),
                "a circuity factor is at least 1.0 (roads are never shorter than a straight line)");
        }
        // Every option in its plausible range, named by its key where it is read (issue 24
        // item 5: a zero speed used to surface as a feature's duration, a huge decision time
        // as a vehicle job's pickup window, a negative snap distance as a facility's problem).
        const double horizon_min = static_cast<double>(m.horizon_h) * 60.0;
        r.check_range("options.at_risk_threshold_min", op.at_risk_threshold_min, 0.0, horizon_min,
                      "minutes, at most the scenario's horizon");
        r.check_range("options.safety_margin_min", op.safety_margin_min, 0.0, horizon_min,
                      "minutes, at most the scenario's horizon");
        r.check_range("options.decision_min", op.decision_min, 0.0, horizon_min,
                      "minutes after t0, within the scenario's horizon");
        r.check_range("options.max_snap_m", op.max_snap_m, 1.0, 50'000.0, "metres");
        r.check_range("options.walk_max_m", op.walk_max_m, 0.0, 50'000.0, "metres");
        r.check_range("options.straight_line_circuity", op.straight_line_circuity, 1.0, 5.0,
                      "a factor on the straight-line distance");
        r.check_range("options.straight_line_speed_kmh", op.straight_line_speed_kmh, 1.0, 150.0,
                      "km/h; a trip at 0 km/h never arrives");
    }
    {
        const double horizon_min = static_cast<double>(m.horizon_h) * 60.0;
        r.check_range("timeline.mains_lost_min", m.timeline.mains_lost_min, 0.0, horizon_min,
                      "minutes after t0, within the scenario's horizon");
        if (level4_given)
            r.check_range("timeline.level4_min", m.timeline.level4_min, 0.0, horizon_min,
                          "minutes after t0, within the scenario's horizon");
        for (std::size_t i = 0; i < m.hazards.size(); ++i) {
            const std::string key = "hazards[" + std::to_string(i) + "]";
            r.check_range(key + ".onset_min", m.hazards[i].onset_min, 0.0, 1e6, "minutes after t0");
            r.check_range(key + ".depth_m", m.hazards[i].depth_m, 0.0, 100.0, "metres");
        }
    }

    // Every key must be known: a misspelt key silently ignored is a plan built on a wrong
    // assumption.
    static const std::map<std::string, std::set<std::string>> known = {
        {"scenario", {"name", "title", "hazard", "seed", "horizon_h"}},
        {"network", {"path", "layer"}},
        {"registry", {"path", "encoding", "sheet", "layer"}},
        {"facilities", {"path", "kind", "layer", "sheet"}},
        {"vehicles", {"path", "sheet", "layer"}},
        {"devices", {"path"}},
        {"drill", {"timeline", "recorded", "times"}},
        {"hazards",
         {"path", "layer", "kind", "onset_min", "onset_field", "id_field", "depth_field",
          "rank_field", "zone_field", "depth_m"}},
        {"timeline", {"t0", "t0_clock", "mains_lost_min", "level4_min"}},
        {"options",
         {"at_risk_threshold_min", "safety_margin_min", "decision_min", "max_snap_m",
          "straight_line_circuity", "straight_line_speed_kmh", "walk_max_m",
          "candidate_facilities"}},
    };
    auto check_keys = [&r](const std::string& where, const toml::table& table,
                           const std::set<std::string>& keys) {
        for (const auto& [key, _] : table) {
            if (!keys.count(std::string(key.str()))) {
                std::string list;
                for (const auto& k : keys) list += (list.empty() ? "" : ", ") + k;
                r.fail(where + "." + std::string(key.str()), "",
                       "unknown key (misspelt?); known keys here: " + list);
            }
        }
    };
    for (const auto& [key, node] : root) {
        const std::string name(key.str());
        const auto it = known.find(name);
        if (it == known.end()) r.fail(name, "", "unknown table in the manifest (misspelt?)");
        if (const auto* table = node.as_table()) {
            check_keys(name, *table, it->second);
        } else if (const auto* array = node.as_array()) {
            std::size_t i = 0;
            for (const auto& element : *array) {
                if (const auto* table = element.as_table())
                    check_keys(name + "[" + std::to_string(i) + "]", *table, it->second);
                ++i;
            }
        }
    }
    return m;
}

std::vector<fs::path> ScenarioManifest::input_files() const {
    std::vector<fs::path> files{manifest_path, registry};
    if (network) files.push_back(*network);
    for (const auto& f : facilities) files.push_back(f.path);
    for (const auto& h : hazards) files.push_back(h.path);
    if (vehicles) files.push_back(*vehicles);
    if (devices) files.push_back(*devices);
    if (drill_timeline) files.push_back(*drill_timeline);
    files.insert(files.end(), drill_recorded.begin(), drill_recorded.end());
    return files;
}

std::vector<geo::HazardLayerSpec> hazard_layer_specs(const ScenarioManifest& m) {
    std::vector<geo::HazardLayerSpec> specs;
    for (const auto& h : m.hazards) {
        geo::HazardLayerSpec spec;
        spec.path = h.path;
        spec.layer = h.layer;
        spec.kind = geo::hazard_kind_from_string(h.kind);
        spec.onset_min = h.onset_min;
        spec.onset_field = h.onset_field;
        spec.id_field = h.id_field;
        spec.depth_field = h.depth_field;
        spec.depth_rank_field = h.rank_field;
        spec.zone_field = h.zone_field;
        specs.push_back(std::move(spec));
    }
    return specs;
}

namespace {

/// A lon/lat box.
struct Box {
    double min_lon = 1e9, min_lat = 1e9, max_lon = -1e9, max_lat = -1e9;
    void add(geo::LonLat p) {
        min_lon = std::min(min_lon, p.lon);
        max_lon = std::max(max_lon, p.lon);
        min_lat = std::min(min_lat, p.lat);
        max_lat = std::max(max_lat, p.lat);
    }
    bool empty() const { return min_lon > max_lon; }
    std::string text() const {
        char buf[128];
        std::snprintf(buf, sizeof buf, "lon %.3f-%.3f, lat %.3f-%.3f", min_lon, max_lon, min_lat,
                      max_lat);
        return buf;
    }
};

/// The gap between two boxes in km (0 if they overlap): degrees to km at their latitude.
double gap_km(const Box& a, const Box& b) {
    const double dlon = std::max({0.0, a.min_lon - b.max_lon, b.min_lon - a.max_lon});
    const double dlat = std::max({0.0, a.min_lat - b.max_lat, b.min_lat - a.max_lat});
    const double lat = 0.5 * (a.min_lat + a.max_lat) * M_PI / 180.0;
    return std::hypot(dlon * 111.32 * std::cos(lat), dlat * 110.57);
}

std::string km_text(double km) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f km", km);
    return buf;
}

} // namespace

// Layers that miss the scenario's area (issue 24 item 3): a Tokyo landslide layer 700 km away
// loaded with no word, and the child who had a landslide at home no longer had one. The area
// is the box of the registry's homes.
constexpr double kFarHazardLayerKm = 20.0; ///< a hazard layer this far from every home covers none
constexpr double kFarFacilitySourceKm =
    50.0;                                 ///< no facility of a source within this: another place
constexpr double kHomeOffNetworkKm = 2.0; ///< a home this far outside the road network's extent

static void check_scenario_area(const LoadedScenario& s,
                                std::span<const std::pair<std::size_t, Box>> facility_boxes) {
    Box homes;
    for (const auto& c : s.registry.children()) homes.add(c.home);
    if (homes.empty()) return;
    const std::string area = "the registry's homes (" + homes.text() + ")";
    // Hazard layers.
    std::vector<Box> layer_boxes(s.hazards.layers().size());
    for (std::uint32_t a = 0; a < s.hazards.areas().size(); ++a) {
        const auto layer = s.hazards.areas()[a].layer;
        if (layer >= layer_boxes.size()) continue;
        for (const auto& polygon : s.hazards.polygons(a)) {
            for (const auto& p : polygon.front()) layer_boxes[layer].add(p);
        }
    }
    for (std::size_t l = 0; l < layer_boxes.size(); ++l) {
        if (layer_boxes[l].empty()) continue;
        const double km = gap_km(homes, layer_boxes[l]);
        if (km > kFarHazardLayerKm) {
            const auto& info = s.hazards.layers()[l];
            throw InputError("the hazard layer lies " + km_text(km) + " from " + area +
                                 ", its areas at " + layer_boxes[l].text() +
                                 ": a layer of another place? No home would be in it",
                             Where{.file = info.file, .layer = info.layer, .value = km_text(km)});
        }
    }
    // Facility sources.
    for (const auto& [source, box] : facility_boxes) {
        if (box.empty()) continue;
        const double km = gap_km(homes, box);
        if (km > kFarFacilitySourceKm) {
            throw InputError(
                "every facility of this source lies more than " + km_text(km) + " from " + area +
                    " (facilities at " + box.text() + "): a file of another place?",
                Where{.file = s.manifest.facilities[source].path.string(), .value = km_text(km)});
        }
    }
    // Homes far outside the road network (in the sea, or in another town).
    if (s.network && s.network->node_count() > 0 && s.network->has_coordinates()) {
        const auto [lo, hi] = s.network->extent();
        Box net;
        net.add(lo);
        net.add(hi);
        for (const auto& c : s.registry.children()) {
            Box home;
            home.add(c.home);
            const double km = gap_km(home, net);
            if (km > kHomeOffNetworkKm) {
                char value[64];
                std::snprintf(value, sizeof value, "%.6f, %.6f", c.home.lon, c.home.lat);
                throw InputError("the home lies " + km_text(km) +
                                     " outside the road network's extent (" + net.text() +
                                     "): in the sea or in another town? Check its coordinates",
                                 Where{.file = s.manifest.registry.string(),
                                       .line = c.source_line,
                                       .feature = c.id,
                                       .field = "home_lon/home_lat",
                                       .value = value});
            }
        }
    }
}

LoadedScenario load_scenario(const fs::path& manifest_or_dir, const Progress& progress) {
    auto report = [&](std::string_view stage, double f) {
        if (progress) progress(stage, f);
    };
    LoadedScenario s;
    s.manifest = read_manifest(manifest_or_dir);
    const auto& m = s.manifest;

    report("device catalogue", 0.0);
    // The manifest's [devices] file holds overrides merged onto the built-in entries (a
    // partial `[devices.vent] power_w = 70` is enough); a new id needs name_en and power_w.
    s.catalogue = m.devices ? default_device_catalogue().with_overrides_file(*m.devices)
                            : default_device_catalogue();

    if (m.network) {
        report("road network", 0.1);
        geo::LoadOptions options;
        options.layer = m.network_layer;
        auto imported = geo::import_road_network(*m.network, options);
        s.network = std::move(imported.network);
        s.diagnostics.insert(s.diagnostics.end(), imported.diagnostics.begin(),
                             imported.diagnostics.end());
    }

    report("hazards", 0.4);
    const auto specs = hazard_layer_specs(m);
    if (!specs.empty()) {
        s.hazards = geo::load_hazards(specs);
        s.diagnostics.insert(s.diagnostics.end(), s.hazards.diagnostics().begin(),
                             s.hazards.diagnostics().end());
    }

    report("registry", 0.6);
    RegistryLoadOptions ro;
    ro.encoding = parse_text_encoding(m.registry_encoding == "auto" ? "auto" : m.registry_encoding)
                      .value_or(TextEncoding::automatic);
    ro.layer = m.registry_sheet;
    ro.catalogue = &s.catalogue;
    ro.network = s.network ? &*s.network : nullptr;
    ro.far_from_road_m = m.options.max_snap_m;
    auto registry = load_registry(m.registry, ro);
    fail_with_all(registry.diagnostics, "the registry has errors");
    // A header-only registry (or one whose every row is blank) would give a plan for nobody
    // with exit 0: a wrong file, never a plan anyone wants (issue 24 item 4).
    if (registry.registry.size() == 0)
        throw InputError("the registry has no child rows: nothing to plan (is it the right file, "
                         "or only its header?)",
                         {.file = m.registry.string()});
    s.registry = std::move(registry.registry);
    s.diagnostics.insert(s.diagnostics.end(), registry.diagnostics.begin(),
                         registry.diagnostics.end());

    report("facilities", 0.7);
    std::vector<Facility> records;
    std::vector<std::pair<std::size_t, Box>> facility_boxes;
    for (const auto& source : m.facilities) {
        FacilityLoadResult r;
        if (source.kind == "facilities") {
            r = load_facilities(source.path, TextEncoding::automatic, source.layer);
        } else if (source.kind == "p20") {
            r = load_p20(source.path);
        } else if (source.kind == "standard_list") {
            r = load_standard_list(source.path, TableReadOptions{.sheet = source.layer});
        } else {
            r = load_gsi_shelters(source.path);
        }
        fail_with_all(r.diagnostics, "the facilities file has errors");
        s.diagnostics.insert(s.diagnostics.end(), r.diagnostics.begin(), r.diagnostics.end());
        const auto places = check_facility_places(r.facilities, source.path.string(),
                                                  s.network ? &*s.network : nullptr);
        s.diagnostics.insert(s.diagnostics.end(), places.begin(), places.end());
        Box box;
        for (const auto& f : r.facilities) box.add(f.position);
        facility_boxes.emplace_back(static_cast<std::size_t>(&source - m.facilities.data()), box);
        records.insert(records.end(), r.facilities.begin(), r.facilities.end());
    }
    auto merged = merge_facilities(records);
    s.facilities = std::move(merged.facilities);

    if (m.vehicles) {
        report("vehicles", 0.8);
        auto v = load_vehicles(*m.vehicles, TextEncoding::automatic, m.vehicles_sheet);
        fail_with_all(v.diagnostics, "the vehicles file has errors");
        s.vehicles = std::move(v.vehicles);
        s.diagnostics.insert(s.diagnostics.end(), v.diagnostics.begin(), v.diagnostics.end());
    }
    check_scenario_area(s, facility_boxes);
    report("loaded", 1.0);
    return s;
}

const std::string& PlanOptions::profile(TravelMode mode) const {
    switch (mode) {
    case TravelMode::car: return car_mode;
    case TravelMode::walk: return walk_mode;
    case TravelMode::wheelchair: return wheelchair_mode;
    }
    return car_mode;
}

TravelMode PlanOptions::travel_mode(const std::string& profile) const {
    if (profile == car_mode) return TravelMode::car;
    if (profile == wheelchair_mode) return TravelMode::wheelchair;
    if (profile == walk_mode) return TravelMode::walk;
    throw std::logic_error("no travel mode has the road profile '" + profile + "'");
}

namespace {

/// `file` relative to the scenario's folder when it lies inside it ("data/facilities.csv"),
/// else as given: plan.json must not depend on how the scenario was named on the command line
/// (`scenarios/x`, `/abs/scenarios/x`, `x/scenario.toml` give the same bytes; issue 23 item 2).
std::string scenario_relative(const std::string& file, const fs::path& manifest) {
    if (file.empty()) return file;
    std::error_code ec1, ec2;
    const auto folder = fs::weakly_canonical(fs::absolute(manifest.parent_path(), ec1), ec1);
    const auto path = fs::weakly_canonical(fs::absolute(fs::path(file), ec2), ec2);
    if (ec1 || ec2) return file;
    const auto relative = path.lexically_relative(folder);
    if (relative.empty() || *relative.begin() == "..") return file;
    return relative.generic_string();
}

} // namespace

std::vector<std::string> plan_load_warnings(const LoadedScenario& loaded) {
    std::vector<std::string> out;
    for (const auto& d : loaded.diagnostics) {
        if (d.severity != Diagnostic::Severity::warning) continue;
        Diagnostic named = d;
        named.where.file = scenario_relative(d.where.file, loaded.manifest.manifest_path);
        out.push_back(named.str());
    }
    return out;
}

} // namespace sonae::planner
