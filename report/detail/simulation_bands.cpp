#include "report/detail/simulation_bands.hpp"

namespace sonae::report::detail {

SimulationBands simulation_bands(planner::Outcome outcome, const sim::ChildSimulation& child) {
    SimulationBands b;
    const double p = child.p_miss_deadline;
    b.miss = outcome == planner::Outcome::shelter_in_place ? 4
             : p < 0.01                                    ? 0
             : p < 0.05                                    ? 1
             : p < 0.2                                     ? 2
                                                           : 3;
    if (outcome != planner::Outcome::evacuate) {
        b.battery = b.arrival = 4;
        return b;
    }
    const double h = child.battery_margin_h.p5;
    b.battery = h < 0 ? 0 : h < 2 ? 1 : h < 6 ? 2 : 3;
    const double min = child.arrival_s.p95 / 60.0;
    b.arrival = min < 60 ? 0 : min < 120 ? 1 : min < 240 ? 2 : 3;
    return b;
}

} // namespace sonae::report::detail
