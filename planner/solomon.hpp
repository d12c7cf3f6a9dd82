#pragma once
/// Solomon VRPTW instances (M. M. Solomon, Operations Research 35(2), 1987) and CVRPLIB
/// `.sol` solution files, for the benchmark (`sonae bench-vrptw`). Convention of the
/// CVRPLIB optimal solutions (../shared/data/solomon-vrptw/PROVENANCE.md): arc length =
/// Euclidean distance truncated to one decimal, travel time = distance, total distance
/// minimised, at most the file's vehicle number. In the vrp::Problem built here every time
/// and distance is an integer number of tenths, so the truncation is exact.

#include "planner/vrp.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace sonae::planner::solomon {

/// One row of the customer table (row 0 is the depot). Values as in the file.
struct Customer {
    std::int32_t number = 0;
    double x = 0.0;
    double y = 0.0;
    std::int32_t demand = 0;
    double ready = 0.0;
    double due = 0.0;
    double service = 0.0;
};

struct Instance {
    std::string name;
    std::int32_t vehicle_count = 0;
    std::int32_t capacity = 0;
    std::vector<Customer> customers; ///< [0] is the depot
};

/// Reads a Solomon .txt file. Throws InputError naming file, line, field and value on a
/// missing section, a truncated row, a non-numeric or negative field, a duplicate number.
Instance read_instance(const std::filesystem::path& path);

/// Arc length in tenths: floor(10 * Euclidean distance), computed exactly for integer
/// coordinates.
std::int32_t truncated_distance_tenths(const Customer& a, const Customer& b);

/// The benchmark as a vrp::Problem: location i = customer row i (0 = depot), job i-1 =
/// customer row i (id = its number, kind delivery, seats demand), `vehicle_count`
/// identical vehicles at the depot with the depot's window as availability. All in tenths.
vrp::Problem to_problem(const Instance& instance);

/// A CVRPLIB solution: customer numbers per route (depot implicit) and the stated cost.
struct SolutionFile {
    std::vector<std::vector<std::int32_t>> routes;
    std::optional<double> cost;
};

/// Reads a CVRPLIB .sol file (`Route #k: c1 c2 ...`, `Cost X`). Throws InputError.
SolutionFile read_solution(const std::filesystem::path& path);

/// Turns a solution file into a vrp::Solution for `instance` (route k on vehicle k,
/// schedule recomputed by vrp::make_solution). Throws InputError (naming `source`) on an
/// unknown customer number or more routes than vehicles. Feasibility is not checked here.
vrp::Solution to_solution(const Instance& instance, const vrp::Problem& problem,
                          const SolutionFile& file, const std::string& source);

/// Formats a cost given in tenths with one decimal ("827.3").
std::string format_tenths(std::int64_t tenths);

/// The CVRPLIB text of a solution: one `Route #k:` line per tour (customer numbers) and
/// `Cost X` (travel cost with one decimal).
std::string format_solution(const Instance& instance, const vrp::Solution& solution);

/// Reads reference_costs.csv: instance name -> published_cost_trunc1. Throws InputError.
std::map<std::string, double> read_reference_costs(const std::filesystem::path& path);

} // namespace sonae::planner::solomon
