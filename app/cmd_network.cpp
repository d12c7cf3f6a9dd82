// sonae network info FILE [--mode car|walk|wheelchair] [--layer NAME] [--epsg CODE]
#include "app/commands.hpp"
#include "core/error.hpp"
#include "geo/components.hpp"
#include "geo/load_network.hpp"
#include "geo/projection.hpp"
#include "geo/routing.hpp"
#include "geo/travel_mode.hpp"

#include <fmt/format.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <string>

namespace sonae::app {

namespace {

struct NetworkInfoOptions {
    std::string file;
    std::string mode = "car";
    std::string layer;
    int epsg = 0;
    std::string profiles; // travel_profiles.toml, or a folder holding it
};

std::string percent(std::uint64_t part, std::uint64_t whole) {
    return whole == 0 ? "-"
                      : fmt::format("{:.1f} %",
                                    100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

void run_network_info(const NetworkInfoOptions& options) {
    geo::LoadOptions load;
    load.layer = options.layer;
    load.metric_epsg = options.epsg;
    // Load the profile first: a bad mode should not cost an import.
    const auto profile =
        options.profiles.empty()
            ? geo::load_travel_profile(options.mode)
            : geo::load_travel_profile(options.mode, std::filesystem::path(options.profiles));

    const auto start = std::chrono::steady_clock::now();
    const auto imported = geo::import_road_network(options.file, load);
    const auto import_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto& net = imported.network;

    double total_m = 0.0;
    for (const double l : net.lengths_m()) total_m += l;

    std::string out;
    out +=
        fmt::format("file        {} ({})\n", options.file, geo::network_format_name(options.file));
    out += fmt::format("nodes       {}\n", net.node_count());
    if (net.has_coordinates()) {
        out += fmt::format("edges       {} directed, {:.1f} km in total\n", net.edge_count(),
                           total_m / 1000.0);
    } else {
        out += fmt::format("edges       {} directed arcs, total weight {:.0f}\n", net.edge_count(),
                           total_m);
    }
    if (net.has_coordinates()) {
        const auto [lo, hi] = net.extent();
        out += fmt::format("extent      lon {:.7f} .. {:.7f}, lat {:.7f} .. {:.7f}\n", lo.lon,
                           hi.lon, lo.lat, hi.lat);
        out += fmt::format("crs         EPSG:{} ({})\n", net.metric_epsg(),
                           geo::crs_name(net.metric_epsg()));
    } else {
        out += "extent      none (graph without coordinates)\n";
        out += "crs         none\n";
    }

    // A DIMACS graph has no road classes: connectivity is over its arcs as they are.
    const bool by_mode = net.has_coordinates();
    const auto weights =
        by_mode ? geo::travel_time_weights_ms(net, profile) : geo::length_weights(net);
    const auto usable = geo::usable_edge_count(weights);
    const auto components = geo::strong_components(net, weights);
    const std::string label = by_mode ? "mode " + options.mode : "arcs";
    out += fmt::format("usable      {} of {} edges ({}) in {}\n", usable, net.edge_count(),
                       percent(usable, net.edge_count()), label);
    if (components.count() > 0) {
        std::uint32_t singletons = 0;
        for (const auto size : components.sizes) singletons += size == 1;
        out += fmt::format(
            "components  {} strongly connected in {}; largest {} nodes ({}); {} single nodes\n",
            components.count(), label, components.sizes[0],
            percent(components.sizes[0], net.node_count()), singletons);
    }
    out += fmt::format("import      {:.3f} s (read, build{})\n", import_s,
                       net.projected() ? ", project" : "");
    for (const auto& d : imported.diagnostics) out += "data        " + d.str() + "\n";
    std::cout << out << std::flush;
}

} // namespace

void add_network_commands(CLI::App& app) {
    auto* network = app.add_subcommand("network", "Road network tools");
    network->require_subcommand(1);

    auto options = std::make_shared<NetworkInfoOptions>();
    auto* info = network->add_subcommand(
        "info",
        "Import a road network and print nodes, edges, components, extent, CRS and import time");
    info->add_option("FILE", options->file,
                     "Road network: .osm.pbf, .osm, .osm.gz, .osm.bz2, .gr, .gpkg, .shp, .geojson")
        ->required();
    info->add_option("--mode", options->mode, "Travel mode for usable edges and components")
        ->check(CLI::IsMember({"car", "walk", "wheelchair"}))
        ->capture_default_str();
    info->add_option("--layer", options->layer, "GIS layer name (default: the first line layer)");
    info->add_option("--epsg", options->epsg,
                     "Metric CRS (default: chosen from the data's location)")
        ->default_str("");
    info->add_option("--profiles", options->profiles,
                     "travel_profiles.toml, or a folder holding it (default: the bundled data)");
    info->callback([options] { run_network_info(*options); });
}

} // namespace sonae::app
