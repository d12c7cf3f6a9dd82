#include "planner/timing.hpp"

#include "core/error.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace sonae::planner {

namespace detail {
extern const std::string_view kTimingToml;
} // namespace detail

namespace {

constexpr std::array<const char*, 4> kMobilityKeys{"walks", "carried", "wheelchair", "stretcher"};

class TimingReader {
public:
    TimingReader(const toml::table& root, const std::string& source)
        : m_root(root), m_source(source) {}

    [[noreturn]] void fail(const std::string& key, const std::string& value,
                           const std::string& message) const {
        throw InputError(message, {.file = m_source, .field = key, .value = value});
    }

    /// A non-negative number of minutes (or a factor) at `path`, or `fallback` if absent.
    double minutes(const std::string& path, double fallback, double max = 24 * 60) const {
        const auto node = m_root.at_path(path);
        if (!node) return fallback;
        const auto v = node.value<double>();
        std::ostringstream text;
        text << node;
        if (!v) fail(path, text.str(), "expected a number");
        if (!(*v >= 0.0) || *v > max) {
            fail(path, text.str(),
                 "out of range: expected 0 to " + std::to_string(static_cast<int>(max)));
        }
        return *v;
    }
    /// "HH:MM" at `path` as a minute of the day.
    int clock(const std::string& path, int fallback) const {
        const auto node = m_root.at_path(path);
        if (!node) return fallback;
        const auto v = node.value<std::string>();
        if (!v || v->size() != 5 || (*v)[2] != ':' ||
            !std::isdigit(static_cast<unsigned char>((*v)[0])) ||
            !std::isdigit(static_cast<unsigned char>((*v)[1])) ||
            !std::isdigit(static_cast<unsigned char>((*v)[3])) ||
            !std::isdigit(static_cast<unsigned char>((*v)[4]))) {
            std::ostringstream text;
            text << node;
            fail(path, text.str(), "expected a clock time \"HH:MM\"");
        }
        const int h = ((*v)[0] - '0') * 10 + ((*v)[1] - '0');
        const int m = ((*v)[3] - '0') * 10 + ((*v)[4] - '0');
        if (h > 23 || m > 59) fail(path, *v, "expected a clock time from 00:00 to 23:59");
        return h * 60 + m;
    }

private:
    const toml::table& m_root;
    std::string m_source;
};

} // namespace

TimingDefaults parse_timing_defaults(std::string_view toml_text, const std::string& source) {
    toml::table root;
    try {
        root = toml::parse(toml_text, source);
    } catch (const toml::parse_error& e) {
        throw InputError(
            std::string("not a valid TOML file: ") + std::string(e.description()),
            {.file = source, .line = static_cast<std::int64_t>(e.source().begin.line)});
    }
    const TimingReader r(root, source);
    TimingDefaults d;
    for (std::size_t m = 0; m < kMobilityKeys.size(); ++m) {
        d.packing_min[m] = r.minutes(std::string("packing.") + kMobilityKeys[m], d.packing_min[m]);
        d.stairs_per_floor_min[m] =
            r.minutes(std::string("packing.stairs.") + kMobilityKeys[m], d.stairs_per_floor_min[m]);
    }
    d.per_further_device_min =
        r.minutes("packing.devices.per_further_device", d.per_further_device_min);
    d.per_further_cylinder_min =
        r.minutes("packing.devices.per_further_cylinder", d.per_further_cylinder_min);
    d.alone_factor = r.minutes("packing.helpers.alone_factor", d.alone_factor, 10);
    d.with_elevator_min = r.minutes("packing.stairs.with_elevator", d.with_elevator_min);
    d.vehicle_loading_min = r.minutes("steps.vehicle_loading", d.vehicle_loading_min);
    d.delivery_min = r.minutes("steps.delivery", d.delivery_min);
    d.transfer_to_power_min = r.minutes("steps.transfer_to_power", d.transfer_to_power_min);
    d.connection_min = r.minutes("steps.connection", d.connection_min);
    d.night_starts_min = r.clock("night.starts", d.night_starts_min);
    d.night_ends_min = r.clock("night.ends", d.night_ends_min);
    d.night_packing_factor = r.minutes("night.packing_factor", d.night_packing_factor, 10);
    d.night_car_speed_factor = r.minutes("night.car_speed_factor", d.night_car_speed_factor, 1);
    if (d.alone_factor < 1.0)
        r.fail("packing.helpers.alone_factor", std::to_string(d.alone_factor),
               "a factor of at least 1");
    if (d.night_packing_factor < 1.0) {
        r.fail("night.packing_factor", std::to_string(d.night_packing_factor),
               "a factor of at least 1");
    }
    if (d.night_car_speed_factor <= 0.0) {
        r.fail("night.car_speed_factor", std::to_string(d.night_car_speed_factor),
               "a factor above 0 and at most 1");
    }
    return d;
}

const TimingDefaults& default_timing() {
    static const TimingDefaults defaults =
        parse_timing_defaults(detail::kTimingToml, "built-in data/timing.toml");
    return defaults;
}

bool is_night(const std::optional<ClockTime>& t0_clock, std::int64_t t_s, const TimingDefaults& d) {
    if (!t0_clock) return false;
    const int minute = local_minute_of_day(*t0_clock, t_s);
    if (d.night_starts_min == d.night_ends_min) return false;
    if (d.night_starts_min > d.night_ends_min)
        return minute >= d.night_starts_min || minute < d.night_ends_min;
    return minute >= d.night_starts_min && minute < d.night_ends_min;
}

bool night_within(const std::optional<ClockTime>& t0_clock, std::int64_t from_s, std::int64_t to_s,
                  const TimingDefaults& d) {
    if (!t0_clock || to_s < from_s || d.night_starts_min == d.night_ends_min) return false;
    if (is_night(t0_clock, from_s, d)) return true;
    // Day at from_s: the next night starts at night_starts_min on the local clock.
    const int minute = local_minute_of_day(*t0_clock, from_s);
    const std::int64_t second = ((t0_clock->unix_s + from_s) % 60 + 60) % 60;
    const std::int64_t until_s =
        static_cast<std::int64_t>((d.night_starts_min - minute + 1440) % 1440) * 60 - second;
    return from_s + until_s <= to_s;
}

double car_time_factor(const std::optional<ClockTime>& t0_clock, std::int64_t t_s,
                       const TimingDefaults& d) {
    return is_night(t0_clock, t_s, d) ? 1.0 / d.night_car_speed_factor : 1.0;
}

Preparation preparation(const Child& child, int powered_devices, double decision_min,
                        const std::optional<ClockTime>& t0_clock, const TimingDefaults& d) {
    Preparation p;
    p.decision_s = static_cast<std::int64_t>(std::llround(decision_min * 60.0));
    p.night = is_night(t0_clock, p.decision_s, d);
    const auto m = static_cast<std::size_t>(child.mobility);
    const double night = p.night ? d.night_packing_factor : 1.0;
    double packing_min = 0.0;
    if (child.packing_min) {
        packing_min = *child.packing_min;
        p.recorded = true;
        p.notes.push_back("準備時間は訓練の記録 " +
                          std::to_string(static_cast<int>(std::lround(packing_min))) + "分");
    } else {
        packing_min = d.packing_min[m];
        const int further_devices = std::max(0, powered_devices - 1);
        const int further_cylinders = std::max(0, child.oxygen.cylinders - 1);
        packing_min += further_devices * d.per_further_device_min +
                       further_cylinders * d.per_further_cylinder_min;
        if (child.helpers < 2) packing_min *= d.alone_factor;
    }
    double stairs_min = 0.0;
    if (!p.recorded && child.floor && *child.floor != 1) {
        const int floors =
            std::abs(*child.floor - 1) - (*child.floor < 0 ? 1 : 0); // -1 is one floor down
        if (child.elevator.value_or(false)) {
            stairs_min = d.with_elevator_min;
        } else {
            stairs_min = floors * d.stairs_per_floor_min[m];
            if (child.helpers < 2) stairs_min *= d.alone_factor;
        }
    }
    p.packing_s = static_cast<std::int64_t>(std::llround(packing_min * night * 60.0));
    p.stairs_s = static_cast<std::int64_t>(std::llround(stairs_min * night * 60.0));
    if (p.night) p.notes.push_back("夜間のため準備に時間がかかる想定 (night)");
    // The steps after packing: the child's own drill times win over data/timing.toml.
    if (child.loading_min)
        p.recorded_loading_s = static_cast<std::int64_t>(std::llround(*child.loading_min * 60.0));
    if (child.connect_min)
        p.recorded_connect_s = static_cast<std::int64_t>(std::llround(*child.connect_min * 60.0));
    return p;
}

std::int64_t vehicle_loading_s(const Preparation& p, const TimingDefaults& d) {
    return p.recorded_loading_s.value_or(
        static_cast<std::int64_t>(std::llround(d.vehicle_loading_min * 60.0)));
}

std::int64_t connect_s(const Preparation& p, const TimingDefaults& d) {
    return p.recorded_connect_s.value_or(static_cast<std::int64_t>(
        std::llround((d.transfer_to_power_min + d.connection_min) * 60.0)));
}

Deadlines deadlines(std::int64_t hazard_at_home_s, std::int64_t mains_lost_s,
                    std::optional<std::int64_t> power_deadline_s, std::int64_t horizon_s) {
    Deadlines d;
    if (hazard_at_home_s >= 0 && hazard_at_home_s <= horizon_s) d.leave_by_s = hazard_at_home_s;
    if (power_deadline_s) {
        const auto by = mains_lost_s + *power_deadline_s;
        if (by <= horizon_s) d.arrive_by_s = by;
    }
    return d;
}

std::int64_t on_power_s(std::int64_t arrival_s, std::int64_t opens_s, bool needs_power,
                        const TimingDefaults& d) {
    const auto at = std::max(arrival_s, opens_s);
    if (!needs_power) return at;
    return at + static_cast<std::int64_t>(
                    std::llround((d.transfer_to_power_min + d.connection_min) * 60.0));
}

std::int64_t on_power_s(std::int64_t arrival_s, std::int64_t opens_s, bool needs_power,
                        std::int64_t connect_s) {
    const auto at = std::max(arrival_s, opens_s);
    return needs_power ? at + connect_s : at;
}

std::optional<std::int64_t> safety_margin(const Deadlines& d, std::int64_t departure_s,
                                          std::int64_t on_power) {
    std::optional<std::int64_t> margin;
    if (d.leave_by_s >= 0) margin = d.leave_by_s - departure_s;
    if (d.arrive_by_s >= 0)
        margin = std::min(margin.value_or(d.arrive_by_s - on_power), d.arrive_by_s - on_power);
    return margin;
}

BindingDeadline binding_deadline(const Deadlines& d, std::int64_t departure_s,
                                 std::int64_t on_power) {
    if (d.leave_by_s < 0 && d.arrive_by_s < 0) return BindingDeadline::none;
    if (d.leave_by_s < 0) return BindingDeadline::arrive_by;
    if (d.arrive_by_s < 0) return BindingDeadline::leave_by;
    return d.leave_by_s - departure_s <= d.arrive_by_s - on_power ? BindingDeadline::leave_by
                                                                  : BindingDeadline::arrive_by;
}

} // namespace sonae::planner
