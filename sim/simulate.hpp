#pragma once
/// The simulator (issue 6): replays a plan over time, many times with different seeds.
///
/// Model (event-driven, times in milliseconds after t0 inside, seconds in results):
///  - Each household decides after the alert and packs (lognormal around the planner's
///    decision and packing times, DOMAIN.md section 4), then leaves by family car or on foot,
///    or is picked up by its scheduled vehicle (which may have to wait for it; delays carry
///    along the tour).
///  - Vehicles move edge by edge. Travel time on an edge = free-flow time (hazard-slowed) x a
///    per-trip speed factor x a congestion factor from a link queue model: speed falls linearly
///    with density (Greenshields) and a full edge (lanes x length / 7.5 m) makes the next car
///    wait at its entrance (queues spill back). Pedestrians are not congested.
///  - Hazards close edges over time: an edge whose traversal would end after its closing time
///    is not entered; the agent re-routes from where it is (earliest arrival with closures).
///  - Batteries: each child's devices run out at mains loss + endurance (the care model's
///    timeline), unless connected to power first; a vehicle outlet that covers the child's
///    essential load stops the drain while on board and counts as power from boarding. At the
///    shelter devices are connected a few minutes after arrival, or after the shelter opens
///    if the child arrives before (its opening delay); if the generator cannot take the load
///    the shelter is overloaded.
///  - Two deadlines (planner/timing.hpp, issue 17): a child still at home when the hazard
///    reaches it (leave_by), also waiting for a vehicle that comes too late, fails; a child on
///    power after arrive_by (mains lost + endurance - margin) is late. Every failure carries
///    its cause (Cause), and the statistics give the share of runs per cause.
///  - Night (manifest t0_clock, data/timing.toml): trips that start at night go at the night
///    speed factor.
/// Deterministic for a seed: run k uses seed mix(seed, k), whatever the number of threads.

#include "planner/plan.hpp"
#include "planner/planner.hpp"
#include "sim/movements.hpp"
#include "sim/trace.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace sonae::sim {

/// Parameters of the stochastic model (est. unless a DOMAIN.md section is named).
struct SimOptions {
    std::int64_t runs = 100;
    std::uint64_t seed = 1;
    int threads = 2;
    double decision_sigma = 0.5; ///< lognormal sigma of the decision delay
    double packing_sigma = 0.35; ///< lognormal sigma of packing and carrying out
    double speed_sigma = 0.10;   ///< lognormal sigma of a trip's speed factor
    /// Minutes from arrival (or opening) to the devices on shelter power, drawn uniformly; a
    /// child with a drill-recorded connect_min (registry) takes that time x draw / midpoint.
    double connect_min_low = 5.0;
    double connect_min_high = 15.0;
    double vehicle_spacing_m = 7.5;  ///< jam spacing per lane
    double min_speed_fraction = 0.1; ///< congestion never slows below this share of free flow
};

/// What went wrong for a child in a run, by its real cause (issue 17).
enum class Cause : std::uint8_t {
    none,                     ///< on power in time
    not_planned,              ///< the plan could not serve the child
    no_vehicle,               ///< the plan's vehicle transport has no tour
    hazard_before_departure,  ///< the hazard reached the home before the child left it
    cut_off,                  ///< no route left, or the route was cut while travelling
    power_out_before_arrival, ///< batteries or oxygen ran out before the child was on power
    shelter_overloaded,       ///< the shelter's generator could not take the child's load
    late_to_power,            ///< on power after arrive_by (into the safety margin)
    not_reached,              ///< not on power within the horizon
};
inline constexpr std::size_t kCauseCount = 9;
std::string_view to_string(Cause cause);
/// Japanese label with the English in brackets, as in the simulator's outputs.
std::string_view label_ja(Cause cause);

/// What happened to one child in one run. Times in seconds after t0, -1 = never.
struct ChildRun {
    std::int64_t decision_s = -1; ///< decided to leave
    std::int64_t ready_s = -1;    ///< packed and ready to leave
    std::int64_t departure_s = -1;
    std::int64_t arrival_s = -1;
    std::int64_t powered_s = -1;   ///< devices connected at the destination
    std::int64_t on_power_s = -1;  ///< on power: a vehicle outlet covering the essential load
                                   ///< (from boarding) or the destination, whichever first
    std::int64_t depleted_s = -1;  ///< battery ran out (within the horizon)
    double battery_margin_h = 0.0; ///< hours left when connected (negative: ran out before)
    bool rerouted = false;
    bool missed_deadline = false; ///< left after leave_by, on power after arrive_by, or failed
    Cause cause = Cause::none;    ///< the first thing that went wrong
    std::string failure;          ///< label_ja(cause) of a failure; empty if fine (also when
                                  ///< only late_to_power)
};

/// One run.
struct RunResult {
    std::uint64_t seed = 0;
    std::vector<ChildRun> children; ///< in plan order
    std::int64_t completion_s = -1; ///< last child the plan serves on power; -1 if one never was
    std::vector<double> facility_peak_w; ///< in plan.facilities order
    double vehicle_seconds = 0.0;        ///< seconds spent moving, summed over agents
    std::int64_t events = 0;
};

struct Quantiles {
    double p5 = 0.0;
    double p50 = 0.0;
    double p95 = 0.0;
};

struct ChildStats {
    std::string child_id;
    Quantiles arrival_s;
    Quantiles battery_margin_h;
    double p_miss_deadline = 0.0; ///< share of runs leaving after leave_by, on power after
                                  ///< arrive_by, or failing
    double p_battery_depleted = 0.0;
    std::array<double, kCauseCount> cause_share{}; ///< share of runs per Cause (index = value)
    /// Per-step times over the runs where the step happened (drill review); empty sample = 0.
    Quantiles decision_s;
    Quantiles ready_s;
    Quantiles departure_s;
    Quantiles powered_s;
    std::int64_t runs_decided = 0, runs_ready = 0, runs_departed = 0, runs_arrived = 0,
                 runs_powered = 0;
};

struct FacilityStats {
    std::string facility_id;
    Quantiles peak_load_w;
    double generator_w = 0.0;
    double p_overload = 0.0; ///< share of runs whose peak exceeded the generator
};

struct MonteCarloResult {
    std::int64_t runs = 0;
    std::uint64_t seed = 0;
    std::vector<ChildStats> children;
    std::vector<FacilityStats> facilities;
    std::vector<double> completion_s; ///< one per complete run, in run order
    std::int64_t runs_incomplete = 0;
    Quantiles completion;
    double vehicle_seconds = 0.0; ///< total over all runs
    double wall_seconds = 0.0;
};

using Progress = std::function<void(std::string_view stage, double fraction)>;

/// Quantiles (linear interpolation) of a sample.
Quantiles quantiles(std::vector<double> values);

/// A plan prepared for simulation. Build once; run() may be called from several threads.
class Simulator {
public:
    Simulator(const planner::LoadedScenario& scenario, const planner::Plan& plan,
              SimOptions options = {});
    ~Simulator();
    Simulator(const Simulator&) = delete;
    Simulator& operator=(const Simulator&) = delete;

    /// One run with this seed; if `trace` is given, records entities, states and events into
    /// it; if `movements` is given, the agents' legs (sim/movements.hpp).
    RunResult run(std::uint64_t seed, TraceWriter* trace = nullptr,
                  MovementRecorder* movements = nullptr) const;

    /// Runs options.runs replications on options.threads threads.
    MonteCarloResult monte_carlo(const Progress& progress = {}) const;

    /// A trace of the run with options.seed (static map, hazards, entities, states, events);
    /// with `movements`, the same run's legs for simulation.gpkg too.
    TraceWriter trace_run(Movements* movements = nullptr) const;

    const SimOptions& options() const noexcept { return m_options; }

private:
    struct Impl;
    class RunState; ///< one run: its state and one method per event kind (simulate.cpp)
    std::unique_ptr<Impl> m_impl;
    SimOptions m_options;
};

/// Seed of run k: a SplitMix64 mix of the base seed and k.
std::uint64_t run_seed(std::uint64_t seed, std::uint64_t k);

} // namespace sonae::sim
