#pragma once
/// Draw a road network as an ASCII map for unit tests (after Valhalla's "gurka").
///
///     const auto t = sonae::test::ascii_network(R"(
///         A---B---C
///         |       v
///         D--<E---F
///     )", {.grid_m = 10});
///     t.node('A');            // NodeId of A
///     t.edge('A', 'B');       // EdgeId of the directed edge A -> B
///
/// - Nodes are the characters A-Z and 0-9 (at most one per name). A character cell is
///   `grid_m` metres wide and tall: A---B above is 4 cells, so 40 m with grid_m = 10.
/// - `-` joins nodes on a row, `|` on a column; a road must end at a node.
/// - A one-way marker inside a road makes it one-way: `>` east, `<` west, `v` south, `^` north.
///   As the importers do, a one-way road gives its forward edge plus the reverse edge flagged
///   edge_against_oneway (walking may use it, driving not).
/// - Anything else (diagonals, parallel edges, other lengths or classes) goes into `extra`.
/// - Positions: the top-left cell is `origin` (default lon 131.25, lat 33.95, in Ube), x east
///   and y south in metres, converted with a local equirectangular approximation (well under
///   0.1 % error over a few km), so other modules can project and snap on the result.
/// - length_m of a map road is its grid length (exact multiple of grid_m); original node id
///   is the character code ('A' = 65); original edge id numbers the roads 1, 2, ... (both
///   directions of a road share it, like an OSM way).
/// Malformed maps throw std::invalid_argument saying where.

#include "geo/road_network.hpp"

#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sonae::test {

/// A directed (or two-way) edge not drawn on the map.
struct AsciiEdge {
    char from = 0;
    char to = 0;
    double length_m = 0.0; ///< 0 = straight-line grid distance
    bool two_way = false;  ///< also add to -> from (a normal two-way street)
    geo::RoadClass road_class = geo::RoadClass::residential;
    std::uint8_t maxspeed_kmh = 0;
};

struct AsciiNetworkOptions {
    double grid_m = 100.0;                                   ///< metres per character cell
    geo::LonLat origin{131.25, 33.95};                       ///< position of the top-left cell
    geo::RoadClass road_class = geo::RoadClass::residential; ///< class of drawn roads
    std::uint8_t maxspeed_kmh = 0; ///< maxspeed of drawn roads (0 unknown)
    std::vector<AsciiEdge> extra;  ///< edges not drawn on the map
};

struct AsciiNetwork {
    geo::RoadNetwork net;
    std::map<char, geo::NodeId> nodes;

    geo::NodeId node(char name) const {
        const auto it = nodes.find(name);
        if (it == nodes.end()) throw std::invalid_argument(std::string("no node '") + name + "'");
        return it->second;
    }
    /// The shortest directed edge from -> to; throws if there is none.
    geo::EdgeId edge(char from, char to) const {
        const auto e = net.find_edge(node(from), node(to));
        if (!e) throw std::invalid_argument(std::string("no edge ") + from + " -> " + to);
        return *e;
    }
};

namespace detail {

inline bool is_node_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

struct Cell {
    int row = 0;
    int col = 0;
};

} // namespace detail

inline AsciiNetwork ascii_network(std::string_view map, const AsciiNetworkOptions& options = {}) {
    using namespace geo;
    // Split into rows, dropping leading blank lines and the common indentation.
    std::vector<std::string> rows;
    {
        std::size_t pos = 0;
        while (pos <= map.size()) {
            auto eol = map.find('\n', pos);
            if (eol == std::string_view::npos) eol = map.size();
            rows.emplace_back(map.substr(pos, eol - pos));
            pos = eol + 1;
        }
        while (!rows.empty() && rows.front().find_first_not_of(" \t\r") == std::string::npos)
            rows.erase(rows.begin());
        while (!rows.empty() && rows.back().find_first_not_of(" \t\r") == std::string::npos)
            rows.pop_back();
        std::size_t indent = std::string::npos;
        for (const auto& r : rows) {
            const auto first = r.find_first_not_of(" \t\r");
            if (first != std::string::npos) indent = std::min(indent, first);
        }
        for (auto& r : rows) r = r.size() > indent ? r.substr(indent) : std::string();
    }
    auto at = [&](int r, int c) -> char {
        if (r < 0 || c < 0 || r >= static_cast<int>(rows.size())) return ' ';
        const auto& row = rows[static_cast<std::size_t>(r)];
        return c < static_cast<int>(row.size()) ? row[static_cast<std::size_t>(c)] : ' ';
    };
    auto where = [](int r, int c) {
        return " at row " + std::to_string(r + 1) + ", column " + std::to_string(c + 1);
    };

    std::map<char, detail::Cell> cells;
    for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
        for (int c = 0; c < static_cast<int>(rows[static_cast<std::size_t>(r)].size()); ++c) {
            const char ch = at(r, c);
            if (!detail::is_node_char(ch)) continue;
            if (!cells.emplace(ch, detail::Cell{r, c}).second) {
                throw std::invalid_argument(std::string("node '") + ch + "' drawn twice" +
                                            where(r, c));
            }
        }
    }

    const double deg = M_PI / 180.0;
    const double m_per_deg_lat = 6371008.8 * deg;
    const double m_per_deg_lon = m_per_deg_lat * std::cos(options.origin.lat * deg);
    auto position = [&](const detail::Cell& cell) {
        const double x = cell.col * options.grid_m;
        const double y = cell.row * options.grid_m;
        return LonLat{options.origin.lon + x / m_per_deg_lon,
                      options.origin.lat - y / m_per_deg_lat};
    };

    RoadNetworkBuilder builder;
    AsciiNetwork out;
    std::map<char, NodeId> builder_ids;
    for (const auto& [name, cell] : cells) {
        builder_ids[name] = builder.add_node(static_cast<std::int64_t>(name), position(cell));
    }

    std::int64_t road_id = 0;
    auto add_road = [&](char a, char b, double length_m, int direction, RoadClass road_class,
                        std::uint8_t maxspeed) {
        // direction: 0 two-way, +1 one-way a -> b, -1 one-way b -> a.
        ++road_id;
        EdgeAttributes attributes;
        attributes.length_m = length_m;
        attributes.road_class = road_class;
        attributes.maxspeed_kmh = maxspeed;
        attributes.original_id = road_id;
        EdgeAttributes forward = attributes;
        EdgeAttributes backward = attributes;
        if (direction > 0) backward.flags |= edge_against_oneway;
        if (direction < 0) forward.flags |= edge_against_oneway;
        builder.add_edge(builder_ids.at(a), builder_ids.at(b), forward);
        builder.add_edge(builder_ids.at(b), builder_ids.at(a), backward);
    };

    for (const auto& [name, cell] : cells) {
        // Horizontal road to the right.
        for (int step = 0; step < 2; ++step) {
            const bool horizontal = step == 0;
            const int dr = horizontal ? 0 : 1;
            const int dc = horizontal ? 1 : 0;
            const std::string_view road = horizontal ? "-><" : "|v^";
            int r = cell.row + dr;
            int c = cell.col + dc;
            if (road.find(at(r, c)) == std::string_view::npos) continue;
            int direction = 0;
            while (road.find(at(r, c)) != std::string_view::npos) {
                const char ch = at(r, c);
                const int d = (ch == '>' || ch == 'v') ? 1 : (ch == '<' || ch == '^') ? -1 : 0;
                if (d != 0 && direction != 0 && d != direction) {
                    throw std::invalid_argument("road with one-way markers both ways" +
                                                where(r, c));
                }
                if (d != 0) direction = d;
                r += dr;
                c += dc;
            }
            const char end = at(r, c);
            if (!detail::is_node_char(end)) {
                throw std::invalid_argument(std::string("road from '") + name +
                                            "' does not end at a node" + where(r, c));
            }
            const double cells_long = horizontal ? c - cell.col : r - cell.row;
            add_road(name, end, cells_long * options.grid_m, direction, options.road_class,
                     options.maxspeed_kmh);
        }
    }

    for (const auto& extra : options.extra) {
        if (!cells.count(extra.from) || !cells.count(extra.to)) {
            throw std::invalid_argument(std::string("extra edge ") + extra.from + " -> " +
                                        extra.to + " names a node not on the map");
        }
        const auto& a = cells.at(extra.from);
        const auto& b = cells.at(extra.to);
        const double straight = std::hypot(a.row - b.row, a.col - b.col) * options.grid_m;
        const double length_m = extra.length_m > 0 ? extra.length_m : straight;
        if (extra.two_way) {
            add_road(extra.from, extra.to, length_m, 0, extra.road_class, extra.maxspeed_kmh);
        } else {
            ++road_id;
            EdgeAttributes attributes;
            attributes.length_m = length_m;
            attributes.road_class = extra.road_class;
            attributes.maxspeed_kmh = extra.maxspeed_kmh;
            attributes.original_id = road_id;
            builder.add_edge(builder_ids.at(extra.from), builder_ids.at(extra.to), attributes);
        }
    }

    out.net = std::move(builder).build();
    for (const auto& [name, cell] : cells) {
        out.nodes[name] = *out.net.node_by_original_id(static_cast<std::int64_t>(name));
    }
    return out;
}

} // namespace sonae::test
