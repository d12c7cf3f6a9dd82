#pragma once
/// Reader for DIMACS shortest-path graphs (`.gr`, 9th DIMACS Implementation Challenge).
///
/// Format: `c ...` comment lines, one `p sp N M` line, then M lines `a u v w` (directed arc
/// from u to v with non-negative integer weight w; nodes numbered 1..N). Blank lines are
/// ignored.

#include "geo/road_network.hpp"

#include <filesystem>

namespace sonae::geo {

/// Reads a DIMACS `.gr` file into a RoadNetwork without coordinates.
/// Node original ids are the 1-based DIMACS ids (all N nodes are kept, even without arcs, so
/// NodeId(k) is DIMACS node k + 1); each arc becomes one edge with length_m = w and
/// original_edge_id = its 1-based position among the `a` lines; parallel arcs are kept.
/// Throws InputError (file, line, field, value) for: a missing or unreadable file, no or a
/// second `p` line, an arc before `p`, an unknown line type, missing or extra fields, a node
/// out of 1..N, a negative, non-integer or too large (>= 2^32 - 1) weight, N = 0 or M = 0
/// (empty graph), M more than the lines the bytes after the `p` line can hold (a truncated
/// file), N > 2 M (more nodes than the arcs can name), or an arc count that differs from M.
/// The last two checks bound the allocation by the file size.
/// O(file size + M log M).
RoadNetwork read_dimacs(const std::filesystem::path& file);

} // namespace sonae::geo
