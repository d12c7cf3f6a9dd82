#include "geo/components.hpp"

#include "core/error.hpp"

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/strong_components.hpp>

#include <algorithm>
#include <numeric>
#include <string>
#include <utility>

namespace sonae::geo {

Components strong_components(const RoadNetwork& net, std::span<const Weight> weights) {
    const auto n = net.node_count();
    const auto m = net.edge_count();
    if (weights.size() != m) {
        throw InternalError("strong_components: " + std::to_string(weights.size()) +
                            " weights for " + std::to_string(m) + " edges");
    }
    Components out;
    if (n == 0) return out;

    using Graph =
        boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                           boost::no_property, std::uint32_t, std::uint32_t>;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> arcs;
    arcs.reserve(m);
    const auto tails = net.tails();
    const auto heads = net.heads();
    for (std::uint32_t e = 0; e < m; ++e) {
        if (weights[e] != no_edge) arcs.emplace_back(tails[e], heads[e]);
    }
    // Edges stay in CSR order (sorted by tail) after filtering.
    const Graph g(boost::edges_are_sorted, arcs.begin(), arcs.end(), n);
    arcs = {};

    std::vector<std::uint32_t> raw(n);
    const auto count = static_cast<std::uint32_t>(boost::strong_components(
        g, boost::make_iterator_property_map(raw.data(), boost::get(boost::vertex_index, g))));

    // Renumber: largest first, ties by smallest node (the first node seen in node order).
    std::vector<std::uint32_t> raw_size(count, 0);
    std::vector<std::uint32_t> first_node(count, n);
    for (std::uint32_t u = 0; u < n; ++u) {
        ++raw_size[raw[u]];
        first_node[raw[u]] = std::min(first_node[raw[u]], u);
    }
    std::vector<std::uint32_t> order(count);
    std::iota(order.begin(), order.end(), 0u);
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        if (raw_size[a] != raw_size[b]) return raw_size[a] > raw_size[b];
        return first_node[a] < first_node[b];
    });
    std::vector<std::uint32_t> new_id(count);
    out.sizes.resize(count);
    for (std::uint32_t k = 0; k < count; ++k) {
        new_id[order[k]] = k;
        out.sizes[k] = raw_size[order[k]];
    }
    out.component_of.resize(n);
    for (std::uint32_t u = 0; u < n; ++u) out.component_of[u] = new_id[raw[u]];
    return out;
}

} // namespace sonae::geo
