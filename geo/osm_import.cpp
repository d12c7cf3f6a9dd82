#include "geo/osm_import.hpp"

#include "geo/input_file.hpp"

#include <osmium/io/any_input.hpp>
#include <osmium/osm/node.hpp>
#include <osmium/osm/way.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <exception>
#include <limits>
#include <string>
#include <vector>

namespace sonae::geo {

namespace {

std::string_view tag(const osmium::TagList& tags, const char* key) {
    const char* value = tags.get_value_by_key(key);
    return value == nullptr ? std::string_view{} : std::string_view{value};
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string_view first_of_list(std::string_view s) {
    const auto semicolon = s.find(';');
    return trim(semicolon == std::string_view::npos ? s : s.substr(0, semicolon));
}

// Leading decimal number ("3.5 m" -> 3.5, "3,5" -> 3.5); nullopt when there is none.
std::optional<double> leading_number(std::string_view s, std::string_view& rest) {
    std::string text(s);
    std::replace(text.begin(), text.end(), ',', '.');
    double value = 0.0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr == text.data()) return std::nullopt;
    rest = trim(s.substr(static_cast<std::size_t>(ptr - text.data())));
    return value;
}

bool is_one_of(std::string_view v, std::initializer_list<std::string_view> values) {
    return std::find(values.begin(), values.end(), v) != values.end();
}

// Zone values "CC:zone" in km/h. Japan has no urban/rural split: the legal default on
// general roads is 60 km/h (Road Traffic Act Enforcement Order art. 11) and 100 km/h on
// expressways (art. 27). Elsewhere the common European values are used.
std::optional<std::uint8_t> zone_speed_kmh(std::string_view country, std::string_view zone) {
    if (country == "JP") {
        if (zone == "motorway" || zone == "expressway") return 100;
        if (zone == "living_street" || zone == "zone30") return 30;
        return 60;
    }
    if (zone == "urban") return 50;
    if (zone == "rural") return 90;
    if (zone == "motorway") return 120;
    if (zone == "trunk") return 100;
    if (zone == "living_street") return 20;
    if (zone == "walk") return 7;
    if (zone.starts_with("zone")) {
        std::string_view rest;
        if (auto n = leading_number(zone.substr(4), rest)) return static_cast<std::uint8_t>(*n);
    }
    return std::nullopt;
}

struct PendingWay {
    std::int64_t id = 0;
    EdgeAttributes attributes; // length_m filled per segment
    OnewayKind oneway = OnewayKind::both;
    std::uint32_t first_ref = 0;
    std::uint32_t ref_count = 0;
};

std::uint8_t access_flags(const osmium::TagList& tags, RoadClass road_class) {
    const auto access = tag(tags, "access");
    const auto motor_vehicle = tag(tags, "motor_vehicle");
    const auto motorcar = tag(tags, "motorcar");
    const auto vehicle = tag(tags, "vehicle");
    const auto foot = tag(tags, "foot");
    auto yes = [](std::string_view v) {
        return is_one_of(v, {"yes", "designated", "permissive", "destination", "private",
                             "customers", "delivery"});
    };
    // Only an explicit "no" closes a way: access=private/destination stays usable because
    // the home being evacuated may well be on a private or destination-only road.
    std::uint8_t flags = 0;
    bool no_motor = access == "no";
    if (vehicle == "no") no_motor = true;
    if (vehicle.size() && yes(vehicle)) no_motor = false;
    if (motor_vehicle == "no") no_motor = true;
    if (motor_vehicle.size() && yes(motor_vehicle)) no_motor = false;
    if (motorcar == "no") no_motor = true;
    if (motorcar.size() && yes(motorcar)) no_motor = false;
    if (no_motor) flags |= edge_no_motor;

    // Pedestrians may not use expressways or motor roads (自動車専用道路).
    bool no_foot = access == "no" || road_class == RoadClass::motorway ||
                   road_class == RoadClass::motorway_link || tag(tags, "motorroad") == "yes";
    if (foot == "no") no_foot = true;
    if (foot.size() && yes(foot)) no_foot = false;
    if (no_foot) flags |= edge_no_foot;
    return flags;
}

// Index of `id` in the sorted `ids` (or where it would go), searched outward from `hint`:
// node ids in a file and along a way mostly come in increasing order, a few apart, so
// this costs a few steps where a binary search over all ids would cost twenty.
std::size_t find_near(const std::vector<osmium::object_id_type>& ids, osmium::object_id_type id,
                      std::size_t hint) {
    const std::size_t n = ids.size();
    hint = std::min(hint, n);
    std::size_t lo = 0;
    std::size_t hi = n;
    if (hint < n && ids[hint] < id) {
        // Gallop up: ids[lo] < id throughout.
        std::size_t step = 1;
        lo = hint;
        while (lo + step < n && ids[lo + step] < id) {
            lo += step;
            step *= 2;
        }
        hi = std::min(n, lo + step);
        lo += 1;
    } else if (hint > 0 && ids[hint - 1] >= id) {
        // Gallop down: ids[hi] >= id throughout (hi < n).
        std::size_t step = 1;
        hi = hint - 1;
        while (hi >= step && ids[hi - step] >= id) {
            hi -= step;
            step *= 2;
        }
        lo = hi >= step ? hi - step + 1 : 0;
    } else {
        return hint; // ids[hint - 1] < id <= ids[hint]
    }
    const auto begin = ids.begin();
    return static_cast<std::size_t>(std::lower_bound(begin + static_cast<std::ptrdiff_t>(lo),
                                                     begin + static_cast<std::ptrdiff_t>(hi), id) -
                                    begin);
}

InputError read_error(const std::filesystem::path& path, const std::string& what) {
    return InputError("cannot read OpenStreetMap data (" + what +
                          "); the file may be truncated or corrupt",
                      Where{.file = path.string()});
}

} // namespace

bool is_routable_highway(std::string_view highway) {
    if (highway == "corridor" || highway == "elevator") return true;
    return road_class_from_osm(highway) != RoadClass::other;
}

std::optional<std::uint8_t> parse_maxspeed_kmh(std::string_view value) {
    const auto v = first_of_list(value);
    if (v.empty()) return std::nullopt;
    if (v == "walk") return 7;
    if (v == "none" || v == "signals" || v == "variable") return std::nullopt;
    const auto colon = v.find(':');
    if (colon != std::string_view::npos)
        return zone_speed_kmh(v.substr(0, colon), v.substr(colon + 1));
    std::string_view unit;
    const auto number = leading_number(v, unit);
    if (!number || *number <= 0.0) return std::nullopt;
    double kmh = *number;
    if (unit == "mph") {
        kmh *= 1.609344;
    } else if (unit == "knots") {
        kmh *= 1.852;
    } else if (!unit.empty() && unit != "km/h" && unit != "kmh" && unit != "kph") {
        return std::nullopt;
    }
    return static_cast<std::uint8_t>(std::min(255.0, std::round(kmh)));
}

std::optional<std::uint16_t> parse_width_dm(std::string_view value) {
    const auto v = first_of_list(value);
    std::string_view unit;
    const auto number = leading_number(v, unit);
    if (!number || *number <= 0.0) return std::nullopt;
    double metres = *number;
    if (unit == "'" || unit == "ft") {
        metres *= 0.3048;
    } else if (!unit.empty() && unit != "m") {
        return std::nullopt;
    }
    return static_cast<std::uint16_t>(std::min(65535.0, std::round(metres * 10.0)));
}

std::optional<std::uint8_t> parse_lanes(std::string_view value) {
    const auto v = first_of_list(value);
    unsigned lanes = 0;
    const auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), lanes);
    if (ec != std::errc{} || ptr != v.data() + v.size() || lanes == 0 || lanes > 255) {
        return std::nullopt;
    }
    return static_cast<std::uint8_t>(lanes);
}

OnewayKind oneway_kind(std::string_view oneway, std::string_view junction,
                       std::string_view highway) {
    if (is_one_of(oneway, {"yes", "1", "true"})) return OnewayKind::forward;
    if (is_one_of(oneway, {"-1", "reverse"})) return OnewayKind::backward;
    if (is_one_of(oneway, {"no", "0", "false"})) return OnewayKind::both;
    if (junction == "roundabout" || junction == "circular") return OnewayKind::forward;
    if (highway == "motorway") return OnewayKind::forward;
    return OnewayKind::both;
}

ImportResult import_osm(const std::filesystem::path& path) {
    const std::string file_name = path.string();
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        throw InputError("file not found", Where{.file = file_name});
    // A folder, a FIFO or a device: said as such (a folder was "file not found").
    check_input_file(path, "", std::numeric_limits<std::uint64_t>::max());
    if (std::filesystem::file_size(path, ec) == 0) {
        throw InputError("the file is empty", Where{.file = file_name});
    }

    std::vector<PendingWay> ways;
    std::vector<osmium::object_id_type> refs;
    ImportResult result;

    // Pass 1: ways. Two passes make the import independent of element order in the file.
    try {
        osmium::io::Reader reader{osmium::io::File{file_name}, osmium::osm_entity_bits::way};
        while (osmium::memory::Buffer buffer = reader.read()) {
            for (const auto& way : buffer.select<osmium::Way>()) {
                const auto& tags = way.tags();
                const auto highway = tag(tags, "highway");
                if (highway.empty() || !is_routable_highway(highway)) continue;
                if (tag(tags, "area") == "yes") continue; // pedestrian squares drawn as areas
                if (way.nodes().size() < 2) continue;
                PendingWay w;
                w.id = way.id();
                auto& a = w.attributes;
                a.road_class = road_class_from_osm(highway);
                a.original_id = way.id();
                if (auto s = parse_maxspeed_kmh(tag(tags, "maxspeed"))) a.maxspeed_kmh = *s;
                if (auto l = parse_lanes(tag(tags, "lanes"))) a.lanes = *l;
                if (auto d = parse_width_dm(tag(tags, "width"))) a.width_dm = *d;
                const auto bridge = tag(tags, "bridge");
                if (!bridge.empty() && bridge != "no") a.flags |= edge_bridge;
                const auto tunnel = tag(tags, "tunnel");
                if (!tunnel.empty() && tunnel != "no") a.flags |= edge_tunnel;
                a.flags |= access_flags(tags, a.road_class);
                w.oneway = oneway_kind(tag(tags, "oneway"), tag(tags, "junction"), highway);
                w.first_ref = static_cast<std::uint32_t>(refs.size());
                for (const auto& node_ref : way.nodes()) refs.push_back(node_ref.ref());
                w.ref_count = static_cast<std::uint32_t>(refs.size()) - w.first_ref;
                ways.push_back(w);
            }
        }
        reader.close();
    } catch (const std::exception& e) {
        throw read_error(path, e.what());
    }
    if (ways.empty()) {
        throw InputError("no routable roads (no way with a routable highway tag)",
                         Where{.file = file_name});
    }

    // Pass 2: locations of the nodes the roads use.
    std::vector<osmium::object_id_type> needed(refs);
    std::sort(needed.begin(), needed.end());
    needed.erase(std::unique(needed.begin(), needed.end()), needed.end());
    std::vector<std::optional<LonLat>> location(needed.size());
    try {
        osmium::io::Reader reader{osmium::io::File{file_name}, osmium::osm_entity_bits::node};
        std::size_t slot = 0;
        while (osmium::memory::Buffer buffer = reader.read()) {
            for (const auto& node : buffer.select<osmium::Node>()) {
                slot = find_near(needed, node.id(), slot);
                const auto it = needed.begin() + static_cast<std::ptrdiff_t>(slot);
                if (it == needed.end() || *it != node.id()) continue;
                const auto loc = node.location();
                if (!loc.valid()) {
                    throw InputError(
                        "node coordinates are missing or out of range",
                        Where{.file = file_name,
                              .feature = "node " + std::to_string(node.id()),
                              .field = "lon/lat",
                              .value = std::to_string(loc.x()) + "," + std::to_string(loc.y())});
                }
                location[static_cast<std::size_t>(it - needed.begin())] =
                    LonLat{loc.lon(), loc.lat()};
            }
        }
        reader.close();
    } catch (const InputError&) {
        throw;
    } catch (const std::exception& e) {
        throw read_error(path, e.what());
    }

    RoadNetworkBuilder builder;
    std::size_t missing_segments = 0;
    std::int64_t example_missing_node = 0;
    // Each ref is looked up once (not once per segment end), and a node goes to the builder
    // on its first use only; the builder numbers nodes by original id, so the order of first
    // uses does not matter.
    constexpr auto not_added = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::uint32_t> builder_node(needed.size(), not_added);
    std::size_t last_slot = 0;
    auto slot_of = [&](osmium::object_id_type id) {
        return last_slot = find_near(needed, id, last_slot);
    };
    auto node_of = [&](std::size_t slot) {
        if (builder_node[slot] == not_added) {
            builder_node[slot] = builder.add_node(needed[slot], location[slot]).value();
        }
        return NodeId(builder_node[slot]);
    };
    for (const auto& w : ways) {
        std::size_t b_slot = slot_of(refs[w.first_ref]);
        for (std::uint32_t k = 0; k + 1 < w.ref_count; ++k) {
            const auto a_id = refs[w.first_ref + k];
            const auto b_id = refs[w.first_ref + k + 1];
            if (a_id == b_id) continue; // repeated node: no segment
            const std::size_t a_slot = b_slot;
            b_slot = slot_of(b_id);
            const auto& a_pos = location[a_slot];
            const auto& b_pos = location[b_slot];
            if (!a_pos || !b_pos) {
                ++missing_segments;
                if (example_missing_node == 0) example_missing_node = !a_pos ? a_id : b_id;
                continue;
            }
            const auto a = node_of(a_slot);
            const auto b = node_of(b_slot);
            auto attributes = w.attributes;
            attributes.length_m = haversine_m(*a_pos, *b_pos);
            auto against = attributes;
            against.flags |= edge_against_oneway;
            switch (w.oneway) {
            case OnewayKind::both:
                builder.add_edge(a, b, attributes);
                builder.add_edge(b, a, attributes);
                break;
            case OnewayKind::forward:
                builder.add_edge(a, b, attributes);
                builder.add_edge(b, a, against);
                break;
            case OnewayKind::backward:
                builder.add_edge(b, a, attributes);
                builder.add_edge(a, b, against);
                break;
            }
        }
    }
    if (missing_segments > 0) {
        result.diagnostics.push_back(Diagnostic{
            Diagnostic::Severity::warning,
            std::to_string(missing_segments) + " road segment(s) dropped because a node is missing "
                                               "from the file (clipped extract?)",
            Where{.file = file_name, .feature = "node " + std::to_string(example_missing_node)}});
    }
    if (builder.edge_count() == 0) {
        throw InputError("no routable roads (the road ways refer to no node in the file)",
                         Where{.file = file_name});
    }
    result.network = std::move(builder).build();
    return result;
}

} // namespace sonae::geo
