#include "geo/dimacs.hpp"

#include "core/error.hpp"
#include "geo/input_file.hpp"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace sonae::geo {

namespace {

std::vector<std::string_view> split_fields(std::string_view line) {
    std::vector<std::string_view> fields;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
        const std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
        if (i > start) fields.push_back(line.substr(start, i - start));
    }
    return fields;
}

class Parser {
public:
    explicit Parser(const std::filesystem::path& file) : m_file(file.string()) {}

    [[noreturn]] void fail(const std::string& message, std::int64_t line, std::string field = {},
                           std::string_view value = {}) const {
        throw InputError(message,
                         Where{m_file, {}, line, {}, std::move(field), std::string(value)});
    }

    // A decimal integer in [min, max]; `what` names the field in the message.
    std::uint64_t integer(std::string_view token, std::int64_t line, const char* field,
                          std::uint64_t min, std::uint64_t max, const char* what) const {
        if (!token.empty() && token[0] == '-') {
            fail(std::string("DIMACS ") + what + " is negative", line, field, token);
        }
        std::uint64_t value = 0;
        const auto* end = token.data() + token.size();
        const auto [ptr, ec] = std::from_chars(token.data(), end, value);
        if (ec == std::errc::result_out_of_range) {
            fail(std::string("DIMACS ") + what + " is too large", line, field, token);
        }
        if (ec != std::errc() || ptr != end) {
            fail(std::string("DIMACS ") + what + " is not a non-negative integer", line, field,
                 token);
        }
        if (value < min || value > max) {
            fail(std::string("DIMACS ") + what + " is out of range " + std::to_string(min) + ".." +
                     std::to_string(max),
                 line, field, token);
        }
        return value;
    }

    const std::string& file() const { return m_file; }

private:
    std::string m_file;
};

} // namespace

RoadNetwork read_dimacs(const std::filesystem::path& path) {
    const Parser parser(path);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        parser.fail("DIMACS file does not exist", -1);
    }
    if (std::filesystem::is_directory(path, ec)) {
        parser.fail("DIMACS file is a folder, not a file", -1);
    }
    check_input_file(path, "DIMACS file", kMaxPlanBytes); // a FIFO or a device, a huge file
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError("cannot open DIMACS file for reading", Where{path.string()});
    std::ostringstream buffer;
    buffer << in.rdbuf();
    if (in.bad()) throw IoError("cannot read DIMACS file", Where{path.string()});
    const std::string text = std::move(buffer).str();

    constexpr std::uint64_t max_nodes = std::numeric_limits<std::uint32_t>::max() - 1;
    constexpr std::uint64_t max_arcs = std::numeric_limits<std::uint32_t>::max() - 1;
    // no_edge (2^32 - 1) is reserved by routing, so the largest weight is one less.
    constexpr std::uint64_t max_weight = std::numeric_limits<std::uint32_t>::max() - 1;

    RoadNetworkBuilder builder;
    std::uint64_t node_count = 0;
    std::uint64_t arc_count = 0;
    std::int64_t p_line = -1;
    std::uint64_t arcs_read = 0;
    std::int64_t line_no = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t eol = text.find('\n', pos);
        if (eol == std::string::npos) eol = text.size();
        const std::string_view line(text.data() + pos, eol - pos);
        pos = eol + 1;
        ++line_no;

        const auto fields = split_fields(line);
        if (fields.empty()) continue;
        const std::string_view kind = fields[0];
        if (kind == "c") continue;
        if (kind == "p") {
            if (p_line >= 0) {
                parser.fail("second DIMACS problem line (the first is on line " +
                                std::to_string(p_line) + ")",
                            line_no, "p", line);
            }
            if (fields.size() != 4 || fields[1] != "sp") {
                parser.fail("DIMACS problem line must be 'p sp NODES ARCS'", line_no, "p", line);
            }
            node_count = parser.integer(fields[2], line_no, "nodes", 0, max_nodes, "node count");
            arc_count = parser.integer(fields[3], line_no, "arcs", 0, max_arcs, "arc count");
            if (node_count == 0)
                parser.fail("DIMACS graph has no nodes", line_no, "nodes", fields[2]);
            if (arc_count == 0) parser.fail("DIMACS graph has no arcs", line_no, "arcs", fields[3]);
            // The counts drive the allocation below, so check them against what the file can
            // hold before trusting them: a 38-byte file declaring millions of nodes must be
            // refused here, not after allocating them (a fuzz_dimacs timeout under ASan).
            // Every arc needs a line of its own, at least "a" and a newline (the last line may
            // lack it). A tighter bound (8 bytes for "a 1 1 0") would also catch short arc
            // lines here, with a vaguer message than the one their own line gets below.
            const std::uint64_t bytes_left = text.size() - std::min(pos, text.size());
            const std::uint64_t lines_possible = (bytes_left + 1) / 2;
            if (arc_count > lines_possible) {
                parser.fail("DIMACS arc count " + std::to_string(arc_count) +
                                " cannot fit in the file: the " + std::to_string(bytes_left) +
                                " bytes after the problem line hold at most " +
                                std::to_string(lines_possible) + " lines (file truncated?)",
                            line_no, "arcs", fields[3]);
            }
            // A node is named only in arc lines, two per arc: a node count above twice the arc
            // count declares nodes that no line of the file can hold (isolated by construction).
            if (node_count > 2 * arc_count) {
                parser.fail("DIMACS node count " + std::to_string(node_count) +
                                " is more than twice the arc count " + std::to_string(arc_count) +
                                ": the arcs can name at most " + std::to_string(2 * arc_count) +
                                " nodes (wrong count on the problem line?)",
                            line_no, "nodes", fields[2]);
            }
            p_line = line_no;
            for (std::uint64_t k = 1; k <= node_count; ++k) {
                builder.add_node(static_cast<std::int64_t>(k));
            }
            continue;
        }
        if (kind == "a") {
            if (p_line < 0) {
                parser.fail("DIMACS arc before the problem line 'p sp NODES ARCS'", line_no, "a",
                            line);
            }
            if (fields.size() < 4) {
                static constexpr const char* names[] = {"", "tail", "head", "weight"};
                parser.fail(std::string("DIMACS arc line has no ") + names[fields.size()] +
                                " (expected 'a TAIL HEAD WEIGHT'; file truncated?)",
                            line_no, names[fields.size()], line);
            }
            if (fields.size() > 4) {
                parser.fail("DIMACS arc line has extra fields (expected 'a TAIL HEAD WEIGHT')",
                            line_no, "a", line);
            }
            if (arcs_read == arc_count) {
                parser.fail("DIMACS file has more arcs than the " + std::to_string(arc_count) +
                                " declared on line " + std::to_string(p_line),
                            line_no, "a", line);
            }
            const auto u = parser.integer(fields[1], line_no, "tail", 1, node_count, "tail node");
            const auto v = parser.integer(fields[2], line_no, "head", 1, node_count, "head node");
            const auto w =
                parser.integer(fields[3], line_no, "weight", 0, max_weight, "arc weight");
            ++arcs_read;
            EdgeAttributes attributes;
            attributes.length_m = static_cast<double>(w);
            attributes.original_id = static_cast<std::int64_t>(arcs_read);
            builder.add_edge(NodeId(static_cast<std::uint32_t>(u - 1)),
                             NodeId(static_cast<std::uint32_t>(v - 1)), attributes);
            continue;
        }
        parser.fail("unknown DIMACS line type (expected 'c', 'p' or 'a')", line_no, "type", kind);
    }
    if (p_line < 0) parser.fail("DIMACS file has no problem line 'p sp NODES ARCS'", line_no);
    if (arcs_read != arc_count) {
        parser.fail("DIMACS file ends after " + std::to_string(arcs_read) + " of the " +
                        std::to_string(arc_count) + " arcs declared on line " +
                        std::to_string(p_line) + " (truncated?)",
                    line_no, "arcs", std::to_string(arc_count));
    }
    return std::move(builder).build();
}

} // namespace sonae::geo
