// sonae route --network FILE --from LON,LAT --to LON,LAT [--mode car|walk|wheelchair]
//              [--hazard FILE --at HH:MM ...] [-o OUT.gpkg|OUT.geojson]
//
// One route between two points. Both points are snapped onto the nearest road the mode may
// use (the snap distances are printed; a point farther than --max-snap-m is an input error)
// and join the network as they do in the planner (geo/point_access.hpp): off the road and
// along it to a node at the mode's access speed, then node to node.
// With --hazard, the hazard layer closes and slows edges per mode (geo/hazard.hpp), and the
// route is the earliest arrival leaving at --at, a time after the hazard's t0 (the quake, the
// levee breach, the alert: the zero of the layer's onset / arrival minutes). The route never
// uses an edge at a moment when it is closed; slowed edges count slowed from the start.
#include "app/commands.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "core/time_text.hpp"
#include "geo/gis_writer.hpp"
#include "geo/hazard.hpp"
#include "geo/load_network.hpp"
#include "geo/point_access.hpp"
#include "geo/routing.hpp"
#include "geo/snap.hpp"
#include "geo/travel_mode.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace sonae::app {

namespace {

namespace fs = std::filesystem;

struct RouteOptions {
    std::string network;
    std::string layer;
    std::string from;
    std::string to;
    std::string mode = "car";
    std::string profiles;
    double max_snap_m = 500.0;
    std::string output;
    bool overwrite = false;
    // Hazard
    std::string hazard;
    std::string hazard_layer;
    std::string hazard_kind = "flood";
    std::string depth_field;
    std::string rank_field;
    std::string onset_field;
    std::string zone_field;
    double onset_min = 0.0;
    double rank_spread_min = 0.0;
    std::string at = "00:00";
    double lead_min = 0.0;
};

geo::LonLat parse_lonlat(const std::string& text, const char* option) {
    const auto comma = text.find(',');
    auto number = [&](std::string_view part) -> std::optional<double> {
        while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
        while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
        double value = 0.0;
        const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
        if (part.empty() || ec != std::errc() || end != part.data() + part.size() ||
            !std::isfinite(value)) {
            return std::nullopt;
        }
        return value;
    };
    const Where where{.field = option, .value = text};
    if (comma == std::string::npos)
        throw InputError("expected LON,LAT (e.g. 131.2466,33.9517)", where);
    const auto lon = number(std::string_view(text).substr(0, comma));
    const auto lat = number(std::string_view(text).substr(comma + 1));
    if (!lon || !lat) throw InputError("expected LON,LAT (e.g. 131.2466,33.9517)", where);
    if (*lon < -180.0 || *lon > 180.0 || *lat < -90.0 || *lat > 90.0) {
        throw InputError("coordinates out of range (longitude first, then latitude)", where);
    }
    return {*lon, *lat};
}

// "HH:MM" or "HH:MM:SS" after the hazard's t0, to milliseconds.
std::int64_t parse_clock_ms(const std::string& text) {
    int parts[3] = {0, 0, 0};
    int count = 0;
    std::size_t start = 0;
    const Where where{.field = "--at", .value = text};
    while (count < 3) {
        const auto colon = text.find(':', start);
        const std::string part =
            text.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
        int value = 0;
        const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
        if (part.empty() || ec != std::errc() || end != part.data() + part.size() || value < 0) {
            throw InputError("expected HH:MM or HH:MM:SS after the hazard's t0", where);
        }
        parts[count++] = value;
        if (colon == std::string::npos) break;
        start = colon + 1;
    }
    if (count < 2 || parts[1] >= 60 || parts[2] >= 60) {
        throw InputError("expected HH:MM or HH:MM:SS after the hazard's t0", where);
    }
    return ((static_cast<std::int64_t>(parts[0]) * 60 + parts[1]) * 60 + parts[2]) * 1000;
}

std::string clock(std::int64_t t_ms) {
    const std::int64_t s = t_ms >= 0 ? (t_ms + 500) / 1000 : -((-t_ms + 500) / 1000);
    return core::elapsed_text(s, {.seconds = true, .hour_digits = 2});
}

std::string duration(std::int64_t ms) {
    const std::int64_t s = (ms + 500) / 1000;
    if (s >= 3600) return fmt::format("{} h {:02} min {:02} s", s / 3600, (s / 60) % 60, s % 60);
    return fmt::format("{} min {:02} s", s / 60, s % 60);
}

// The chosen route (geo/point_access.hpp, the planner's model): from --from off the road and
// along the snapped road to a node at the mode's access speed, node to node over the network,
// and from a node along the road and off it to --to. Each piece with the time it is entered.
struct Leg {
    geo::EdgeId edge;
    double from_fraction = 0.0; ///< along `edge`, the piece's start .. end (from < to when
    double to_fraction = 1.0;   ///< travelled along the edge; the access pieces may run against it)
    std::int64_t enter_ms = 0;
    std::int64_t leave_ms = 0;
    std::vector<geo::LonLat> line;
    double length_m = 0.0;
};

struct Found {
    std::vector<Leg> legs; ///< the way on, the network's edges, the way off
    std::int64_t departure_ms = 0;
    std::int64_t arrival_ms = geo::unreachable;
    double off_road_m = 0.0; ///< from the points to their snapped points
};

Found best_route(const geo::RoadNetwork& net, geo::Router& router, geo::LonLat from_point,
                 const geo::Snap& from, geo::LonLat to_point, const geo::Snap& to,
                 double access_kmh, std::int64_t departure_ms, std::span<const geo::Weight> weights,
                 std::span<const std::int64_t> closed_from) {
    Found found;
    found.departure_ms = departure_ms;
    const auto on = geo::point_access(from, access_kmh);
    const auto off = geo::point_access(to, access_kmh);
    const std::int64_t at_network = departure_ms + on.leave_ms;
    const std::optional<geo::Route> middle =
        closed_from.empty() ? router.route(on.depart_node, off.arrive_node, weights)
                            : router.earliest_arrival(on.depart_node, off.arrive_node, at_network,
                                                      weights, closed_from);
    if (!middle) return found;
    const std::int64_t at_end_node =
        closed_from.empty() ? at_network + middle->cost : middle->arrival();
    found.arrival_ms = at_end_node + off.join_ms;
    found.off_road_m = on.distance_m + off.distance_m;
    // The access pieces: the snapped road between the snapped point and the node.
    const bool leaves_at_head = on.depart_node == from.head;
    found.legs.push_back({from.edge, leaves_at_head ? from.fraction : 0.0,
                          leaves_at_head ? 1.0 : from.fraction, departure_ms, at_network,
                          geo::leave_geometry(net, from_point, from, on), on.leave_along_m});
    std::int64_t clock_ms = at_network;
    for (const auto e : middle->edges) {
        const std::int64_t leave = clock_ms + weights[e.value()];
        found.legs.push_back({e, 0.0, 1.0, clock_ms, leave,
                              geo::edge_part_geometry(net, e, 0.0, 1.0), net.length_m(e)});
        clock_ms = leave;
    }
    const bool joins_from_tail = off.arrive_node == to.tail;
    found.legs.push_back({to.edge, joins_from_tail ? 0.0 : to.fraction,
                          joins_from_tail ? to.fraction : 1.0, at_end_node, found.arrival_ms,
                          geo::join_geometry(net, to_point, to, off), off.join_along_m});
    return found;
}

geo::Layer route_output_layer(const Found& found, const RouteOptions& options,
                              const geo::Snap& from, const geo::Snap& to, double length_m) {
    geo::Layer layer{.name = "route", .geometry_type = geo::GeometryType::line};
    for (const auto* name : {"mode", "length_m", "travel_time_s", "departure", "arrival",
                             "from_snap_m", "to_snap_m", "edge_count"}) {
        const std::string n = name;
        layer.add_field(n, n == "mode" || n == "departure" || n == "arrival"
                               ? geo::FieldType::string
                           : n == "edge_count" ? geo::FieldType::int64
                                               : geo::FieldType::real);
    }
    std::vector<geo::LonLat> line;
    for (const auto& leg : found.legs) {
        line.insert(line.end(), leg.line.begin() + (line.empty() ? 0 : 1), leg.line.end());
    }
    if (line.size() == 1) line.push_back(line.front());
    layer.add_feature(geo::LineGeometry{line},
                      {options.mode, length_m,
                       static_cast<double>(found.arrival_ms - found.departure_ms) / 1000.0,
                       clock(found.departure_ms), clock(found.arrival_ms), from.distance_m,
                       to.distance_m, static_cast<std::int64_t>(found.legs.size())});
    return layer;
}

geo::Layer legs_layer(const geo::RoadNetwork& net, const Found& found,
                      std::span<const std::int64_t> closed_from) {
    geo::Layer layer{.name = "route_edges", .geometry_type = geo::GeometryType::line};
    layer.add_field("seq", geo::FieldType::int64);
    layer.add_field("edge", geo::FieldType::int64);
    layer.add_field("original_id", geo::FieldType::int64);
    layer.add_field("class", geo::FieldType::string);
    layer.add_field("length_m", geo::FieldType::real);
    layer.add_field("enter_min", geo::FieldType::real);
    layer.add_field("leave_min", geo::FieldType::real);
    layer.add_field("closed_from_min", geo::FieldType::real);
    for (std::size_t i = 0; i < found.legs.size(); ++i) {
        const auto& leg = found.legs[i];
        if (leg.line.size() < 2) continue;
        const auto closes = closed_from.empty() ? geo::never_ms : closed_from[leg.edge.value()];
        layer.add_feature(
            geo::LineGeometry{leg.line},
            {static_cast<std::int64_t>(i), std::int64_t{leg.edge.value()},
             net.original_edge_id(leg.edge), std::string(geo::to_string(net.road_class(leg.edge))),
             leg.length_m, static_cast<double>(leg.enter_ms) / 60'000.0,
             static_cast<double>(leg.leave_ms) / 60'000.0,
             closes == geo::never_ms ? geo::FieldValue{}
                                     : geo::FieldValue{static_cast<double>(closes) / 60'000.0}});
    }
    return layer;
}

void run_route(const RouteOptions& options) {
    // Check every argument before any heavy work, and never write over an input.
    const geo::LonLat from_point = parse_lonlat(options.from, "--from");
    const geo::LonLat to_point = parse_lonlat(options.to, "--to");
    const bool with_hazard = !options.hazard.empty();
    const std::int64_t departure_ms = parse_clock_ms(options.at);
    if (!(options.max_snap_m > 0.0)) {
        throw InputError("must be a positive distance in metres",
                         {.field = "--max-snap-m", .value = std::to_string(options.max_snap_m)});
    }
    if (!options.output.empty()) {
        std::string ext = fs::path(options.output).extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (ext != ".gpkg" && ext != ".geojson" && ext != ".json") {
            throw InputError("unknown output format (use .gpkg, .geojson or .json)",
                             {.file = options.output});
        }
        std::vector<fs::path> inputs{options.network};
        if (with_hazard) inputs.emplace_back(options.hazard);
        ensure_not_an_input(options.output, inputs);
        refuse_to_replace({options.output}, options.overwrite);
    }
    const auto profile = options.profiles.empty()
                             ? geo::load_travel_profile(options.mode)
                             : geo::load_travel_profile(options.mode, fs::path(options.profiles));

    // Hazards first: a bad hazard file should not cost a network import.
    geo::Hazards hazards;
    if (with_hazard) {
        hazards = geo::load_hazards({.path = options.hazard,
                                     .layer = options.hazard_layer,
                                     .kind = geo::hazard_kind_from_string(options.hazard_kind),
                                     .depth_field = options.depth_field,
                                     .depth_rank_field = options.rank_field,
                                     .onset_field = options.onset_field,
                                     .onset_min = options.onset_min,
                                     .rank_spread_min = options.rank_spread_min,
                                     .zone_field = options.zone_field});
    }

    geo::LoadOptions load;
    load.layer = options.layer;
    const auto imported = geo::import_road_network(options.network, load);
    const auto& net = imported.network;
    if (!net.has_coordinates()) {
        throw InputError("the network has no coordinates (e.g. a DIMACS graph); use sonae sssp",
                         {.file = options.network});
    }
    auto weights = geo::travel_time_weights_ms(net, profile);

    geo::EdgeClosures closures;
    if (with_hazard) {
        auto rules = geo::closure_rules(options.mode);
        rules.lead_ms = static_cast<std::int64_t>(std::llround(options.lead_min * 60'000.0));
        closures = geo::edge_closures(net, hazards, rules);
        weights = geo::apply_slowdowns(weights, closures);
    }
    const std::span<const std::int64_t> closed_from =
        with_hazard ? std::span<const std::int64_t>(closures.closed_from_ms)
                    : std::span<const std::int64_t>{};

    const geo::Snapper snapper(net, weights, {.max_distance_m = options.max_snap_m});
    const auto snap_point = [&](geo::LonLat p, const char* which) {
        const auto snap = snapper.snap(p);
        if (!snap)
            throw InputError(fmt::format("mode {} may use no road of this network", options.mode),
                             {.file = options.network});
        if (snap->too_far) {
            throw InputError(
                fmt::format("the {} point is {:.0f} m from the nearest road usable by {} "
                            "(limit {:.0f} m, --max-snap-m)",
                            which, snap->distance_m, options.mode, options.max_snap_m),
                {.field = std::string("--") + which,
                 .value = fmt::format("{:.7f},{:.7f}", p.lon, p.lat)});
        }
        return *snap;
    };
    const geo::Snap from = snap_point(from_point, "from");
    const geo::Snap to = snap_point(to_point, "to");

    const geo::RoutingGraph graph(net);
    geo::Router router(graph);
    const Found found =
        best_route(net, router, from_point, from, to_point, to, geo::access_speed_kmh(profile),
                   departure_ms, weights, closed_from);

    std::string out;
    out += fmt::format("network     {} ({} nodes, {} edges), mode {}\n", options.network,
                       net.node_count(), net.edge_count(), options.mode);
    const auto describe_snap = [&](const char* label, geo::LonLat p, const geo::Snap& s) {
        return fmt::format("{}        {:.7f},{:.7f} -> road {} ({}), snapped {:.1f} m\n", label,
                           p.lon, p.lat, net.original_edge_id(s.edge),
                           geo::to_string(net.road_class(s.edge)), s.distance_m);
    };
    out += describe_snap("from", from_point, from);
    out += describe_snap("to  ", to_point, to);
    if (with_hazard) {
        out += fmt::format("hazard      {} ({}, {} area(s)): {} edges close for {}, {} slowed; "
                           "departure {} after t0\n",
                           options.hazard, options.hazard_kind, hazards.areas().size(),
                           closures.closed_count, options.mode, closures.slowed_count,
                           clock(departure_ms));
        for (const auto& d : hazards.diagnostics()) {
            // The column says "warning" already (Diagnostic::str would say it twice).
            if (d.severity != Diagnostic::Severity::info) out += "warning     " + d.text() + "\n";
        }
    }
    if (found.arrival_ms == geo::unreachable) {
        std::cout << out << std::flush;
        throw InputError(
            with_hazard ? fmt::format("no route for {} from --from to --to that is open all the "
                                      "way when leaving at {} after t0",
                                      options.mode, clock(departure_ms))
                        : fmt::format("no route for {} from --from to --to (the points lie on "
                                      "parts of the network that do not connect)",
                                      options.mode));
    }
    double length_m = found.off_road_m;
    std::map<std::string, double> by_class;
    for (const auto& leg : found.legs) {
        length_m += leg.length_m;
        by_class[std::string(geo::to_string(net.road_class(leg.edge)))] += leg.length_m;
    }
    std::vector<std::pair<double, std::string>> classes;
    for (const auto& [name, metres] : by_class) classes.emplace_back(metres, name);
    std::sort(classes.rbegin(), classes.rend());
    std::string via;
    for (const auto& [metres, name] : classes) {
        via += fmt::format("{}{} {:.2f} km", via.empty() ? "" : ", ", name, metres / 1000.0);
    }
    out += fmt::format(
        "distance    {:.3f} km ({:.0f} m of it off the road, to and from the snapped points)\n",
        length_m / 1000.0, found.off_road_m);
    out +=
        fmt::format("time        {} ({:.1f} s)\n", duration(found.arrival_ms - found.departure_ms),
                    static_cast<double>(found.arrival_ms - found.departure_ms) / 1000.0);
    if (with_hazard) {
        out += fmt::format("arrival     {} after t0 (left at {})\n", clock(found.arrival_ms),
                           clock(departure_ms));
    }
    out += fmt::format("route       {} road pieces via {}\n", found.legs.size(), via);

    if (!options.output.empty()) {
        std::vector<geo::Layer> layers{route_output_layer(found, options, from, to, length_m),
                                       legs_layer(net, found, closed_from)};
        if (with_hazard) {
            layers.push_back(geo::closed_edges_layer(net, closures.closed_from_ms, options.mode));
            layers.push_back(geo::hazard_areas_layer(hazards));
        }
        // A route may start at a child's home: personal data, mode 0600.
        const fs::path path(options.output);
        std::string ext = path.extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        std::string names;
        for (const auto& layer : layers) names += (names.empty() ? "" : ", ") + layer.name;
        if (ext == ".gpkg") {
            geo::write_geopackage(path, layers, FileMode::personal);
            out += fmt::format("output      {} (layers {})\n", options.output, names);
        } else {
            // GeoJSON holds one layer: the route in the named file, the others beside it.
            geo::write_geojson(path, layers.front(), FileMode::personal);
            out += fmt::format("output      {} (route)\n", options.output);
            for (std::size_t i = 1; i < layers.size(); ++i) {
                const fs::path other =
                    path.parent_path() / (path.stem().string() + "_" + layers[i].name + ext);
                geo::write_geojson(other, layers[i], FileMode::personal);
                out += fmt::format("            {} ({})\n", other.string(), layers[i].name);
            }
        }
    }
    std::cout << out << std::flush;
}

} // namespace

void add_route_command(CLI::App& app) {
    auto options = std::make_shared<RouteOptions>();
    auto* route = app.add_subcommand(
        "route",
        "Route between two points on a road network, optionally under a hazard (earliest arrival "
        "that never uses a road once it is closed); prints distance, time and the route, writes "
        "GeoPackage or GeoJSON");
    route
        ->add_option("--network", options->network,
                     "Road network: .osm.pbf, .osm, .osm.gz, .gpkg, .shp, .geojson")
        ->required();
    route->add_option("--layer", options->layer,
                      "Network layer name (default: the first line layer)");
    route->add_option("--from", options->from, "Start point LON,LAT (degrees, longitude first)")
        ->required();
    route->add_option("--to", options->to, "Destination LON,LAT")->required();
    route->add_option("--mode", options->mode, "Travel mode")
        ->check(CLI::IsMember({"car", "walk", "wheelchair"}))
        ->capture_default_str();
    route->add_option("--profiles", options->profiles,
                      "travel_profiles.toml, or a folder holding it (default: the bundled data)");
    route
        ->add_option("--max-snap-m", options->max_snap_m,
                     "A point farther than this from a usable road is an error")
        ->capture_default_str();
    route->add_option("-o,--output", options->output, "Write the route to OUT.gpkg or OUT.geojson");
    add_overwrite_flag(*route, options->overwrite);

    auto* hazard = route->add_option("--hazard", options->hazard,
                                     "Hazard polygon layer (GeoJSON, GPKG, SHP, CityGML; any CRS)");
    route->add_option("--hazard-layer", options->hazard_layer, "Layer in the hazard file")
        ->needs(hazard);
    route
        ->add_option("--hazard-kind", options->hazard_kind,
                     "tsunami, flood, storm_surge or landslide")
        ->check(CLI::IsMember({"tsunami", "flood", "storm_surge", "landslide"}))
        ->capture_default_str()
        ->needs(hazard);
    route->add_option("--depth-field", options->depth_field, "Field with the water depth in metres")
        ->needs(hazard);
    route
        ->add_option("--rank-field", options->rank_field,
                     "Field with a depth rank 1..N (default: 浸水ランク or rank when present)")
        ->needs(hazard);
    route
        ->add_option("--onset-field", options->onset_field,
                     "Field with each area's onset / arrival time in minutes after t0")
        ->needs(hazard);
    route
        ->add_option("--zone-field", options->zone_field,
                     "Landslide zone field, 1/yellow or 2/red (default: 区域区分 or A33_004)")
        ->needs(hazard);
    route
        ->add_option("--onset-min", options->onset_min,
                     "Onset in minutes after t0 for areas without their own")
        ->capture_default_str()
        ->needs(hazard);
    route
        ->add_option("--rank-spread-min", options->rank_spread_min,
                     "Spreading flood: each rank shallower than the deepest floods this much later")
        ->capture_default_str()
        ->needs(hazard);
    route
        ->add_option(
            "--lead-min", options->lead_min,
            "Safety margin: treat roads as closed this many minutes before the hazard arrives")
        ->capture_default_str()
        ->needs(hazard);
    route
        ->add_option(
            "--at", options->at,
            "Departure time HH:MM (or HH:MM:SS) after the hazard's t0, the zero of its onset times")
        ->capture_default_str()
        ->needs(hazard);
    route->callback([options] { run_route(*options); });
}

} // namespace sonae::app
