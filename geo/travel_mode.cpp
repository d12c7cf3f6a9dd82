#include "geo/travel_mode.hpp"

#include "core/error.hpp"
#include "geo/input_file.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#ifndef SONAE_DATA_DIR
#error "SONAE_DATA_DIR must be defined by geo/CMakeLists.txt"
#endif

namespace sonae::geo {

namespace {

Where where_key(const std::filesystem::path& file, std::string_view mode, std::string key,
                std::string value = {}) {
    return Where{.file = file.string(),
                 .layer = std::string(mode),
                 .field = std::move(key),
                 .value = std::move(value)};
}

std::string node_text(const toml::node& node) {
    std::ostringstream text;
    node.visit([&text](const auto& value) { text << value; });
    return text.str();
}

std::optional<double> number(const toml::node& node) {
    if (const auto* f = node.as_floating_point()) return f->get();
    if (const auto* i = node.as_integer()) return static_cast<double>(i->get());
    return std::nullopt;
}

bool read_bool(const toml::table& table, const std::filesystem::path& file, std::string_view mode,
               const char* key, bool fallback) {
    const auto* node = table.get(key);
    if (node == nullptr) return fallback;
    if (const auto* b = node->as_boolean()) return b->get();
    throw InputError("expected true or false", where_key(file, mode, key));
}

double read_number(const toml::table& table, const std::filesystem::path& file,
                   std::string_view mode, const char* key, double fallback) {
    const auto* node = table.get(key);
    if (node == nullptr) return fallback;
    const auto v = number(*node);
    if (!v || !std::isfinite(*v) || *v < 0.0) {
        throw InputError("expected a number >= 0", where_key(file, mode, key, node_text(*node)));
    }
    return *v;
}

} // namespace

std::filesystem::path bundled_data_dir() {
    return std::filesystem::path(SONAE_DATA_DIR);
}

TravelProfile load_travel_profile(std::string_view mode, const std::filesystem::path& file_or_dir) {
    std::error_code ec;
    const auto file = std::filesystem::is_directory(file_or_dir, ec)
                          ? file_or_dir / "travel_profiles.toml"
                          : file_or_dir;
    // Missing, a folder, a FIFO or a device: said as such (each was "travel profile file not
    // found"), and no larger than a table's bound.
    if (!std::filesystem::exists(file, ec))
        throw InputError("travel profile file not found", Where{.file = file.string()});
    toml::table root;
    try {
        root = toml::parse(read_input_file(file, "travel profile"), file.string());
    } catch (const toml::parse_error& e) {
        throw InputError(
            "TOML syntax error: " + std::string(e.description()),
            Where{.file = file.string(), .line = static_cast<std::int64_t>(e.source().begin.line)});
    }
    const auto* table = root[mode].as_table();
    if (table == nullptr) {
        std::string names;
        for (const auto& [key, value] : root) {
            if (value.is_table()) names += (names.empty() ? "" : ", ") + std::string(key.str());
        }
        throw InputError("unknown travel mode (the file defines: " + names + ")",
                         Where{.file = file.string(), .value = std::string(mode)});
    }
    TravelProfile p;
    p.name = std::string(mode);
    p.respect_oneway = read_bool(*table, file, mode, "respect_oneway", false);
    p.motor_vehicle = read_bool(*table, file, mode, "motor_vehicle", false);
    p.on_foot = read_bool(*table, file, mode, "on_foot", false);
    p.use_maxspeed = read_bool(*table, file, mode, "use_maxspeed", false);
    p.maxspeed_factor = read_number(*table, file, mode, "maxspeed_factor", 1.0);
    p.max_speed_kmh = read_number(*table, file, mode, "max_speed_kmh", 0.0);
    const double width = read_number(*table, file, mode, "min_width_dm", 0.0);
    p.min_width_dm = static_cast<std::uint16_t>(std::min(width, 65535.0));

    const auto* speeds = (*table)["speed_kmh"].as_table();
    if (speeds == nullptr || speeds->empty()) {
        throw InputError("the profile lists no road class (table speed_kmh)",
                         where_key(file, mode, "speed_kmh"));
    }
    for (const auto& [key, value] : *speeds) {
        const std::string name(key.str());
        const auto road_class = road_class_from_osm(name);
        if (road_class == RoadClass::other && name != "other") {
            throw InputError("unknown road class",
                             where_key(file, mode, "speed_kmh." + name, name));
        }
        const auto v = number(value);
        if (!v || !std::isfinite(*v) || *v <= 0.0 || *v > 300.0) {
            throw InputError("speed must be a number of km/h above 0",
                             where_key(file, mode, "speed_kmh." + name, node_text(value)));
        }
        p.class_speed_kmh[static_cast<std::size_t>(road_class)] = *v;
    }
    return p;
}

TravelProfile load_travel_profile(std::string_view mode,
                                  const std::optional<std::filesystem::path>& data_dir) {
    return load_travel_profile(mode,
                               data_dir.value_or(bundled_data_dir()) / "travel_profiles.toml");
}

double edge_speed_kmh(const RoadNetwork& net, EdgeId e, const TravelProfile& profile) {
    const auto road_class = net.road_class(e);
    double speed = profile.class_speed(road_class);
    if (speed <= 0.0) return 0.0;
    const auto flags = net.flags(e);
    if (profile.respect_oneway && (flags & edge_against_oneway)) return 0.0;
    if (profile.motor_vehicle && (flags & edge_no_motor)) return 0.0;
    if (profile.on_foot && (flags & edge_no_foot)) return 0.0;
    if (profile.min_width_dm > 0 && net.width_dm(e) > 0 && net.width_dm(e) < profile.min_width_dm) {
        return 0.0;
    }
    if (profile.use_maxspeed && net.maxspeed_kmh(e) > 0) {
        speed = net.maxspeed_kmh(e) * profile.maxspeed_factor;
    }
    if (profile.max_speed_kmh > 0.0) speed = std::min(speed, profile.max_speed_kmh);
    return speed;
}

std::vector<Weight> travel_time_weights_ms(const RoadNetwork& net, const TravelProfile& profile) {
    std::vector<Weight> weights(net.edge_count(), no_edge);
    for (std::uint32_t i = 0; i < net.edge_count(); ++i) {
        const EdgeId e(i);
        const double speed_kmh = edge_speed_kmh(net, e, profile);
        if (speed_kmh <= 0.0) continue;
        const double ms = net.length_m(e) / (speed_kmh / 3.6) * 1000.0;
        weights[i] =
            static_cast<Weight>(std::min(std::round(ms), static_cast<double>(no_edge - 1)));
    }
    return weights;
}

std::uint32_t usable_edge_count(std::span<const Weight> weights) {
    return static_cast<std::uint32_t>(
        std::count_if(weights.begin(), weights.end(), [](Weight w) { return w != no_edge; }));
}

} // namespace sonae::geo
