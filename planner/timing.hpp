#pragma once
/// The timing model of one child (issue 17, DOMAIN.md section 7): how long preparation takes,
/// and the two deadlines that must never be merged.
///
///  - leave_by  = when the hazard reaches the home (flood onset, landslide, tsunami arrival).
///    Leaving after it is unsafe; the route itself is checked road by road when each road is
///    used.
///  - arrive_by = mains lost + what the child carries lasts (batteries, cylinders, the car),
///    minus the safety margin (planner/power_model.hpp computes endurance and margin). Power
///    counts from the moment it is connected: a shelter's generator once the shelter is open
///    and the devices are plugged in, or a vehicle outlet covering the essential load from
///    boarding.
///  - margin = min(leave_by - departure, arrive_by - time on power), over the deadlines that
///    exist; with neither, no deadline binds within the horizon.
///
/// Preparation = decision + packing (by mobility, devices, cylinders, helpers, stairs; a
/// drill-recorded packing_min wins) x night factor; the steps and their defaults are in
/// data/timing.toml with sources. The steps after packing are the defaults too, unless the
/// registry holds the child's own drill times: loading_min (into a scheduled vehicle at the
/// home, instead of steps.vehicle_loading) and connect_min (from arrival, or the shelter's
/// opening, to the devices on shelter power, instead of steps.transfer_to_power +
/// steps.connection); issue 21 item 5 (`sonae drill apply`).

#include "planner/clock.hpp"
#include "planner/registry.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonae::planner {

/// data/timing.toml, in minutes (see that file for each value's source).
struct TimingDefaults {
    std::array<double, 4> packing_min{15, 20, 30,
                                      40}; ///< by Mobility (walks, carried, wheelchair, stretcher)
    double per_further_device_min = 3;
    double per_further_cylinder_min = 2;
    double alone_factor = 1.5;                              ///< fewer than two helpers
    std::array<double, 4> stairs_per_floor_min{1, 2, 5, 8}; ///< by Mobility, without a lift
    double with_elevator_min = 2;
    double vehicle_loading_min = 10;
    double delivery_min = 5;
    double transfer_to_power_min = 5;
    double connection_min = 10;
    int night_starts_min = 19 * 60; ///< local minute of the day
    int night_ends_min = 6 * 60;
    double night_packing_factor = 1.5;
    double night_car_speed_factor = 0.8;
};

/// Parses a timing table (the format of data/timing.toml). Throws InputError naming `source`,
/// the key and the value on a bad entry; missing keys keep the defaults above.
TimingDefaults parse_timing_defaults(std::string_view toml_text, const std::string& source);
/// The built-in data/timing.toml.
const TimingDefaults& default_timing();

/// True if the local clock time at `t_s` seconds after t0 is at night; false without a clock.
bool is_night(const std::optional<ClockTime>& t0_clock, std::int64_t t_s,
              const TimingDefaults& defaults);
/// True if some moment of [from_s, to_s] (seconds after t0) is at night; false without a clock.
bool night_within(const std::optional<ClockTime>& t0_clock, std::int64_t from_s, std::int64_t to_s,
                  const TimingDefaults& defaults);
/// What a car's travel time is multiplied by on a trip that starts at `t_s`: 1 /
/// night.car_speed_factor at night (the simulator's rule, sim/simulate.cpp), else 1.
double car_time_factor(const std::optional<ClockTime>& t0_clock, std::int64_t t_s,
                       const TimingDefaults& defaults);

/// One child's preparation, in seconds, step by step.
struct Preparation {
    std::int64_t decision_s = 0;
    std::int64_t packing_s = 0;     ///< packing and carrying out (incl. helpers and night factors)
    std::int64_t stairs_s = 0;      ///< floors to the ground (incl. the night factor)
    bool recorded = false;          ///< packing_s is the registry's drill-recorded packing_min
    bool night = false;             ///< packing started at night
    std::vector<std::string> notes; ///< how it was computed, Japanese
    /// Not part of the preparation, the child's own drill times of the steps after it (no
    /// night factor); nullopt = the default (vehicle_loading_s and connect_s below): the
    /// registry's loading_min (into a scheduled vehicle, the pickup's service time) and
    /// connect_min (from arrival to the devices on shelter power).
    std::optional<std::int64_t> recorded_loading_s;
    std::optional<std::int64_t> recorded_connect_s;
    std::int64_t total_s() const { return decision_s + packing_s + stairs_s; }
};

/// The preparation of `child` carrying `powered_devices` devices that need power (units) and
/// its oxygen cylinders, deciding after `decision_min` minutes; night factors apply when the
/// decision falls at night by `t0_clock`.
Preparation preparation(const Child& child, int powered_devices, double decision_min,
                        const std::optional<ClockTime>& t0_clock,
                        const TimingDefaults& defaults = default_timing());

/// Into a scheduled vehicle at the home: the drill's loading_min, else steps.vehicle_loading.
std::int64_t vehicle_loading_s(const Preparation& preparation,
                               const TimingDefaults& defaults = default_timing());
/// From arrival (or opening) to the devices on shelter power: the drill's connect_min, else
/// steps.transfer_to_power + steps.connection.
std::int64_t connect_s(const Preparation& preparation,
                       const TimingDefaults& defaults = default_timing());

/// The two deadlines of a child, seconds after t0; -1 = none within the horizon.
struct Deadlines {
    std::int64_t leave_by_s = -1;  ///< hazard reaches the home
    std::int64_t arrive_by_s = -1; ///< on power by then (mains lost + endurance - margin)
};

/// `hazard_at_home_s`: -1 if the home is outside every hazard area; `power_deadline_s`: the
/// power model's deadline counted from mains loss (endurance - margin), nullopt if the child
/// does not depend on a supply. Deadlines after the horizon do not bind: -1.
Deadlines deadlines(std::int64_t hazard_at_home_s, std::int64_t mains_lost_s,
                    std::optional<std::int64_t> power_deadline_s, std::int64_t horizon_s);

/// When a child arriving at `arrival_s` is on power at a facility that opens at `opens_s`:
/// max(arrival, opening) + transfer + connection (data/timing.toml). A child without powered
/// devices is "on power" on arrival at an open facility (no connection step).
std::int64_t on_power_s(std::int64_t arrival_s, std::int64_t opens_s, bool needs_power,
                        const TimingDefaults& defaults = default_timing());
/// The same with the child's own arrival-to-power time (Preparation::connect_s).
std::int64_t on_power_s(std::int64_t arrival_s, std::int64_t opens_s, bool needs_power,
                        std::int64_t connect_s);

/// margin = min(leave_by - departure, arrive_by - on_power) over the deadlines that exist;
/// nullopt when neither exists (no deadline binds within the horizon).
std::optional<std::int64_t> safety_margin(const Deadlines& deadlines, std::int64_t departure_s,
                                          std::int64_t on_power_s);

/// Which deadline gives the margin: the one whose slack is smaller.
enum class BindingDeadline : std::uint8_t { none, leave_by, arrive_by };
BindingDeadline binding_deadline(const Deadlines& deadlines, std::int64_t departure_s,
                                 std::int64_t on_power_s);

} // namespace sonae::planner
