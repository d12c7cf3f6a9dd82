// sonae sssp FILE.gr --source N [-o OUT.csv]: exact distances from one node of a DIMACS graph.
#include "app/commands.hpp"
#include "core/atomic_file.hpp"
#include "core/error.hpp"
#include "geo/dimacs.hpp"
#include "geo/routing.hpp"

#include <charconv>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>

namespace sonae::app {

namespace {

struct SsspOptions {
    std::string file;
    std::int64_t source = 0;
    std::string output;
    bool overwrite = false;
};

void append_number(std::string& out, std::int64_t value) {
    char buffer[24];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, end);
}

void run_sssp(const SsspOptions& options) {
    if (!options.output.empty()) {
        ensure_not_an_input(options.output, {options.file});
        refuse_to_replace({options.output}, options.overwrite);
    }
    const auto net = geo::read_dimacs(options.file);
    const auto source = net.node_by_original_id(options.source);
    if (!source) {
        throw InputError(
            "source node is not in the graph (nodes are 1.." + std::to_string(net.node_count()) +
                ")",
            Where{options.file, {}, -1, {}, "--source", std::to_string(options.source)});
    }
    const geo::RoutingGraph graph(net);
    geo::Router router(graph);
    const auto weights = geo::length_weights(net);
    const auto& tree = router.tree(*source, weights);

    // Nodes are numbered by DIMACS id, so node order is target order.
    std::string csv = "source,target,dist\n";
    csv.reserve(csv.size() + static_cast<std::size_t>(net.node_count()) * 24);
    for (std::uint32_t v = 0; v < net.node_count(); ++v) {
        const geo::NodeId node(v);
        if (!tree.reached(node)) continue;
        append_number(csv, options.source);
        csv += ',';
        append_number(csv, net.original_node_id(node));
        csv += ',';
        append_number(csv, tree.distance(node));
        csv += '\n';
    }
    if (options.output.empty()) {
        std::cout << csv << std::flush;
        if (!std::cout) throw IoError("cannot write the distances to standard output");
    } else {
        write_file_atomically(options.output, csv, FileMode::shared);
    }
}

} // namespace

void add_sssp_command(CLI::App& app) {
    auto options = std::make_shared<SsspOptions>();
    auto* cmd = app.add_subcommand(
        "sssp", "Exact shortest-path distances from one node of a DIMACS .gr graph, as CSV "
                "'source,target,dist' with one row per reachable node, sorted by target");
    cmd->add_option("FILE", options->file, "DIMACS shortest-path graph (.gr)")->required();
    cmd->add_option("--source", options->source, "source node (DIMACS id, 1-based)")
        ->required()
        ->default_str("");
    cmd->add_option("-o,--output", options->output,
                    "output CSV file, written atomically (default: standard output)");
    add_overwrite_flag(*cmd, options->overwrite);
    cmd->callback([options] { run_sssp(*options); });
}

} // namespace sonae::app
