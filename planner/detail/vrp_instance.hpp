#pragma once
// Solver-side view of a vrp::Problem: flat node table, raw matrices, compatibility,
// neighbour lists and the jobs that cannot be served at all (with their reasons).

#include "planner/vrp.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace sonae::planner::vrp::detail {

/// A stop kind the solver routes: node 2*j is job j's delivery, 2*j+1 its pickup (PD only).
struct Node {
    std::int32_t location = 0;
    std::int64_t ready = 0;
    std::int64_t due = 0;
    std::int64_t service = 0;
    /// Load change at this node (pickup: +demand; PD delivery: -demand). Single deliveries
    /// load at the start depot, so their delta is -demand too.
    Amount delta{};
    std::int32_t job = 0;
    bool pickup = false;
};

struct VehicleInfo {
    std::int32_t start = 0;
    std::int32_t end = 0;
    Amount capacity{};
    std::int64_t earliest = 0;
    std::int64_t latest = 0;
    std::int64_t fixed_cost = 0;
    std::int32_t vehicle_class = 0; ///< vehicles with identical attributes share a class
};

struct Instance {
    const Problem* problem = nullptr;
    std::int32_t job_count = 0;
    std::int32_t vehicle_count = 0;
    std::int32_t matrix_size = 0;
    const std::int32_t* duration = nullptr;
    const std::int32_t* cost = nullptr;
    std::vector<Node> nodes; // 2 * job_count
    std::vector<VehicleInfo> vehicles;
    std::vector<std::uint8_t> compatible; // [vehicle * job_count + job]
    std::vector<bool> is_pd;
    std::vector<bool> has_ride_limit;
    std::vector<std::int64_t> max_ride;
    bool any_ride_limit = false;
    /// Jobs sorted by closeness to each job (the job itself first), for string removal.
    std::vector<std::vector<std::int32_t>> neighbours;
    /// Smallest cost from any vehicle start to the job's first visit (recreate ordering).
    std::vector<std::int64_t> depot_distance;
    /// Reason why a job cannot be served by any vehicle even alone; nullopt if it can.
    std::vector<std::optional<UnservedReason>> impossible;

    std::int64_t dur(std::int32_t a, std::int32_t b) const {
        return duration[static_cast<std::size_t>(a) * static_cast<std::size_t>(matrix_size) +
                        static_cast<std::size_t>(b)];
    }
    std::int64_t cst(std::int32_t a, std::int32_t b) const {
        return cost[static_cast<std::size_t>(a) * static_cast<std::size_t>(matrix_size) +
                    static_cast<std::size_t>(b)];
    }
    bool can_serve(std::int32_t vehicle, std::int32_t job) const {
        return compatible[static_cast<std::size_t>(vehicle) * static_cast<std::size_t>(job_count) +
                          static_cast<std::size_t>(job)] != 0;
    }
    const Node& delivery(std::int32_t job) const {
        return nodes[2 * static_cast<std::size_t>(job)];
    }
    const Node& pickup(std::int32_t job) const {
        return nodes[2 * static_cast<std::size_t>(job) + 1];
    }
};

/// Builds the solver view. The problem must outlive the instance and be valid.
Instance build_instance(const Problem& problem);

/// Evaluates a whole tour given as node ids for a vehicle with the earliest-start schedule.
/// Returns the travel cost if every constraint holds, nullopt otherwise. O(length).
std::optional<std::int64_t> evaluate_sequence(const Instance& instance, std::int32_t vehicle,
                                              const std::int32_t* nodes, std::size_t count);

} // namespace sonae::planner::vrp::detail
