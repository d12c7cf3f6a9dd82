#include "planner/solomon.hpp"

#include "core/error.hpp"
#include "geo/input_file.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>

namespace sonae::planner::solomon {
namespace {

std::vector<std::string> split_ws(const std::string& line) {
    std::vector<std::string> out;
    std::istringstream in(line);
    std::string token;
    while (in >> token) out.push_back(token);
    return out;
}

// Every character istream >> treats as white space, so split_ws never returns no fields for a
// line that is not blank.
bool blank(const std::string& line) {
    return line.find_first_not_of(" \t\r\n\v\f") == std::string::npos;
}

std::vector<std::string> read_lines(const std::filesystem::path& path) {
    check_input_file(path, "Solomon instance");
    std::ifstream in(path);
    if (!in) {
        Where w;
        w.file = path.string();
        throw IoError("cannot open file for reading", w);
    }
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(line);
    }
    if (in.bad()) {
        Where w;
        w.file = path.string();
        throw IoError("read error", w);
    }
    return lines;
}

[[noreturn]] void bad(const std::filesystem::path& path, std::size_t line_index,
                      const std::string& field, const std::string& value,
                      const std::string& message) {
    Where w;
    w.file = path.string();
    w.line = static_cast<std::int64_t>(line_index) + 1;
    w.field = field;
    w.value = value;
    throw InputError(message, w);
}

double parse_number(const std::filesystem::path& path, std::size_t line_index,
                    const std::string& field, const std::string& text) {
    double value = 0.0;
    const char* first = text.data();
    const char* last = text.data() + text.size();
    auto [ptr, ec] = std::from_chars(first, last, value);
    if (ec != std::errc{} || ptr != last || !std::isfinite(value)) {
        bad(path, line_index, field, text, "not a number");
    }
    return value;
}

std::int32_t parse_int(const std::filesystem::path& path, std::size_t line_index,
                       const std::string& field, const std::string& text) {
    std::int32_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size()) {
        bad(path, line_index, field, text, "not an integer");
    }
    return value;
}

std::int64_t tenths(double value) {
    return std::llround(value * 10.0);
}

} // namespace

Instance read_instance(const std::filesystem::path& path) {
    const std::vector<std::string> lines = read_lines(path);
    Instance instance;
    std::size_t i = 0;
    while (i < lines.size() && blank(lines[i])) ++i;
    if (i == lines.size()) bad(path, 0, "name", "", "empty file: expected a Solomon instance");
    instance.name = split_ws(lines[i]).front();
    ++i;
    // VEHICLE / NUMBER CAPACITY / <n> <q>
    while (i < lines.size() && blank(lines[i])) ++i;
    if (i == lines.size() || split_ws(lines[i]) != std::vector<std::string>{"VEHICLE"}) {
        bad(path, std::min(i, lines.size() - 1), "VEHICLE", i < lines.size() ? lines[i] : "",
            "expected the 'VEHICLE' section");
    }
    ++i;
    while (i < lines.size() && blank(lines[i])) ++i;
    if (i == lines.size() || split_ws(lines[i]) != std::vector<std::string>{"NUMBER", "CAPACITY"}) {
        bad(path, std::min(i, lines.size() - 1), "NUMBER CAPACITY",
            i < lines.size() ? lines[i] : "", "expected the 'NUMBER CAPACITY' header");
    }
    ++i;
    while (i < lines.size() && blank(lines[i])) ++i;
    if (i == lines.size())
        bad(path, lines.size() - 1, "NUMBER", "", "file ends before the vehicle number");
    {
        const auto fields = split_ws(lines[i]);
        if (fields.size() != 2)
            bad(path, i, "NUMBER CAPACITY", lines[i],
                "expected two values: vehicle number and capacity");
        instance.vehicle_count = parse_int(path, i, "NUMBER", fields[0]);
        instance.capacity = parse_int(path, i, "CAPACITY", fields[1]);
        if (instance.vehicle_count <= 0)
            bad(path, i, "NUMBER", fields[0], "vehicle number must be positive");
        if (instance.capacity < 0)
            bad(path, i, "CAPACITY", fields[1], "capacity must not be negative");
    }
    ++i;
    while (i < lines.size() && blank(lines[i])) ++i;
    if (i == lines.size() || split_ws(lines[i]) != std::vector<std::string>{"CUSTOMER"}) {
        bad(path, std::min(i, lines.size() - 1), "CUSTOMER", i < lines.size() ? lines[i] : "",
            "expected the 'CUSTOMER' section");
    }
    ++i;
    while (i < lines.size() && blank(lines[i])) ++i;
    if (i == lines.size() || lines[i].find("CUST") == std::string::npos) {
        bad(path, std::min(i, lines.size() - 1), "header", i < lines.size() ? lines[i] : "",
            "expected the customer table header 'CUST NO. XCOORD. ...'");
    }
    ++i;
    static const char* const names[7] = {"CUST NO.",   "XCOORD.",  "YCOORD.",     "DEMAND",
                                         "READY TIME", "DUE DATE", "SERVICE TIME"};
    std::set<std::int32_t> numbers;
    for (; i < lines.size(); ++i) {
        if (blank(lines[i])) continue;
        const auto fields = split_ws(lines[i]);
        if (fields.size() < 7) {
            bad(path, i, names[fields.size()], "",
                fmt::format("truncated customer row: {} of 7 fields", fields.size()));
        }
        if (fields.size() > 7)
            bad(path, i, "row", lines[i], "too many fields in customer row (expected 7)");
        Customer c;
        c.number = parse_int(path, i, names[0], fields[0]);
        c.x = parse_number(path, i, names[1], fields[1]);
        c.y = parse_number(path, i, names[2], fields[2]);
        c.demand = parse_int(path, i, names[3], fields[3]);
        c.ready = parse_number(path, i, names[4], fields[4]);
        c.due = parse_number(path, i, names[5], fields[5]);
        c.service = parse_number(path, i, names[6], fields[6]);
        if (c.number < 0) bad(path, i, names[0], fields[0], "customer number must not be negative");
        if (c.demand < 0) bad(path, i, names[3], fields[3], "demand must not be negative");
        if (c.ready < 0) bad(path, i, names[4], fields[4], "ready time must not be negative");
        if (c.due < c.ready) bad(path, i, names[5], fields[5], "due date before ready time");
        if (c.service < 0) bad(path, i, names[6], fields[6], "service time must not be negative");
        if (std::abs(c.x) > 1e6 || std::abs(c.y) > 1e6 || c.due > 1e8 || c.service > 1e8) {
            bad(path, i, "row", lines[i], "value out of range");
        }
        if (!numbers.insert(c.number).second)
            bad(path, i, names[0], fields[0], "duplicate customer number");
        if (instance.customers.empty() && c.number != 0) {
            bad(path, i, names[0], fields[0], "the first row must be the depot, customer 0");
        }
        instance.customers.push_back(c);
    }
    if (instance.customers.empty())
        bad(path, lines.size() - 1, "CUST NO.", "", "no depot and no customers: file truncated");
    return instance;
}

std::int32_t truncated_distance_tenths(const Customer& a, const Customer& b) {
    const double dx = a.x - b.x;
    const double dy = a.y - b.y;
    const double squared = 100.0 * (dx * dx + dy * dy);
    auto r = static_cast<std::int64_t>(std::floor(std::sqrt(squared)));
    // Correct floating error so that r = floor(sqrt(squared)) exactly (integer coordinates).
    while (static_cast<double>(r + 1) * static_cast<double>(r + 1) <= squared) ++r;
    while (r > 0 && static_cast<double>(r) * static_cast<double>(r) > squared) --r;
    return static_cast<std::int32_t>(r);
}

vrp::Problem to_problem(const Instance& instance) {
    vrp::Problem problem;
    const auto n = static_cast<std::int32_t>(instance.customers.size());
    problem.durations = vrp::Matrix(n);
    for (std::int32_t a = 0; a < n; ++a) {
        for (std::int32_t b = 0; b < n; ++b) {
            problem.durations.set(a, b,
                                  a == b ? 0
                                         : truncated_distance_tenths(
                                               instance.customers[static_cast<std::size_t>(a)],
                                               instance.customers[static_cast<std::size_t>(b)]));
        }
    }
    for (std::int32_t i = 1; i < n; ++i) {
        const Customer& c = instance.customers[static_cast<std::size_t>(i)];
        vrp::Job job;
        job.id = std::to_string(c.number);
        job.kind = vrp::JobKind::delivery;
        job.delivery.location = vrp::LocationIndex(i);
        job.delivery.window = {tenths(c.ready), tenths(c.due)};
        job.delivery.service = tenths(c.service);
        job.demand[static_cast<std::size_t>(vrp::Dimension::seats)] = c.demand;
        problem.jobs.push_back(std::move(job));
    }
    const Customer& depot = instance.customers.front();
    for (std::int32_t v = 0; v < instance.vehicle_count; ++v) {
        vrp::Vehicle vehicle;
        vehicle.id = std::to_string(v + 1);
        vehicle.start = vrp::LocationIndex(0);
        vehicle.end = vrp::LocationIndex(0);
        vehicle.capacity[static_cast<std::size_t>(vrp::Dimension::seats)] = instance.capacity;
        vehicle.availability = {tenths(depot.ready), tenths(depot.due)};
        problem.vehicles.push_back(std::move(vehicle));
    }
    return problem;
}

SolutionFile read_solution(const std::filesystem::path& path) {
    const std::vector<std::string> lines = read_lines(path);
    SolutionFile file;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (blank(lines[i])) continue;
        const auto fields = split_ws(lines[i]);
        if (fields[0] == "Route") {
            if (fields.size() < 2 || fields[1].size() < 3 || fields[1][0] != '#' ||
                fields[1].back() != ':') {
                bad(path, i, "Route", lines[i], "expected 'Route #k: c1 c2 ...'");
            }
            std::vector<std::int32_t> route;
            for (std::size_t k = 2; k < fields.size(); ++k) {
                route.push_back(parse_int(path, i, "customer", fields[k]));
            }
            file.routes.push_back(std::move(route));
        } else if (fields[0] == "Cost") {
            if (fields.size() != 2) bad(path, i, "Cost", lines[i], "expected 'Cost X'");
            file.cost = parse_number(path, i, "Cost", fields[1]);
        } else {
            bad(path, i, "line", lines[i], "expected 'Route #k: ...' or 'Cost X'");
        }
    }
    return file;
}

vrp::Solution to_solution(const Instance& instance, const vrp::Problem& problem,
                          const SolutionFile& file, const std::string& source) {
    std::unordered_map<std::int32_t, std::int32_t> job_of;
    for (std::size_t i = 1; i < instance.customers.size(); ++i) {
        job_of[instance.customers[i].number] = static_cast<std::int32_t>(i - 1);
    }
    if (file.routes.size() > problem.vehicles.size()) {
        Where w;
        w.file = source;
        w.field = "Route";
        w.value = std::to_string(file.routes.size());
        throw InputError(fmt::format("more routes than the {} vehicles", problem.vehicles.size()),
                         w);
    }
    std::vector<vrp::Route> routes;
    for (std::size_t r = 0; r < file.routes.size(); ++r) {
        vrp::Route route;
        route.vehicle = vrp::VehicleIndex(static_cast<std::int32_t>(r));
        for (std::int32_t number : file.routes[r]) {
            auto it = job_of.find(number);
            if (it == job_of.end()) {
                Where w;
                w.file = source;
                w.feature = fmt::format("Route #{}", r + 1);
                w.field = "customer";
                w.value = std::to_string(number);
                throw InputError("unknown customer number", w);
            }
            vrp::Stop stop;
            stop.job = vrp::JobIndex(it->second);
            route.stops.push_back(stop);
        }
        routes.push_back(std::move(route));
    }
    return vrp::make_solution(problem, std::move(routes));
}

std::string format_tenths(std::int64_t tenths_value) {
    const bool negative = tenths_value < 0;
    const std::int64_t a = negative ? -tenths_value : tenths_value;
    return fmt::format("{}{}.{}", negative ? "-" : "", a / 10, a % 10);
}

std::string format_solution(const Instance& instance, const vrp::Solution& solution) {
    std::string text;
    int k = 1;
    for (const vrp::Route& route : solution.routes) {
        if (route.stops.empty()) continue;
        text += fmt::format("Route #{}:", k++);
        for (const vrp::Stop& stop : route.stops) {
            text += fmt::format(
                " {}", instance.customers[static_cast<std::size_t>(stop.job.value()) + 1].number);
        }
        text += '\n';
    }
    text += fmt::format("Cost {}\n", format_tenths(solution.travel_cost));
    return text;
}

std::map<std::string, double> read_reference_costs(const std::filesystem::path& path) {
    const std::vector<std::string> lines = read_lines(path);
    std::map<std::string, double> costs;
    if (lines.empty()) bad(path, 0, "header", "", "empty file");
    auto split_csv = [](const std::string& line) {
        std::vector<std::string> cells;
        std::string cell;
        std::istringstream in(line);
        while (std::getline(in, cell, ',')) cells.push_back(cell);
        return cells;
    };
    const auto header = split_csv(lines[0]);
    std::size_t name_col = header.size();
    std::size_t cost_col = header.size();
    for (std::size_t c = 0; c < header.size(); ++c) {
        if (header[c] == "instance") name_col = c;
        if (header[c] == "published_cost_trunc1") cost_col = c;
    }
    if (name_col == header.size()) bad(path, 0, "instance", lines[0], "missing column 'instance'");
    if (cost_col == header.size())
        bad(path, 0, "published_cost_trunc1", lines[0], "missing column 'published_cost_trunc1'");
    for (std::size_t i = 1; i < lines.size(); ++i) {
        if (blank(lines[i])) continue;
        const auto cells = split_csv(lines[i]);
        if (cells.size() <= std::max(name_col, cost_col))
            bad(path, i, "row", lines[i], "too few columns");
        costs[cells[name_col]] = parse_number(path, i, "published_cost_trunc1", cells[cost_col]);
    }
    return costs;
}

} // namespace sonae::planner::solomon
