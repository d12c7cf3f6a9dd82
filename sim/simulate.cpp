#include "sim/simulate.hpp"

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/stats.hpp"
#include "geo/routing.hpp"
#include "planner/labels.hpp"
#include "planner/power_model.hpp"
#include "planner/timing.hpp"
#include "planner/travel_context.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <map>
#include <optional>
#include <queue>
#include <unordered_map>

namespace sonae::sim {

using planner::TransportKind;

std::uint64_t run_seed(std::uint64_t seed, std::uint64_t k) {
    std::uint64_t z = seed + 0x9E3779B97F4A7C15ull * (k + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

std::string_view to_string(Cause cause) {
    switch (cause) {
    case Cause::none: return "none";
    case Cause::not_planned: return "not_planned";
    case Cause::no_vehicle: return "no_vehicle";
    case Cause::hazard_before_departure: return "hazard_before_departure";
    case Cause::cut_off: return "cut_off";
    case Cause::power_out_before_arrival: return "power_out_before_arrival";
    case Cause::shelter_overloaded: return "shelter_overloaded";
    case Cause::late_to_power: return "late_to_power";
    case Cause::not_reached: return "not_reached";
    }
    return "none";
}

std::string_view label_ja(Cause cause) {
    switch (cause) {
    case Cause::none: return "";
    case Cause::not_planned: return "計画で対応できない (not served in the plan)";
    case Cause::no_vehicle: return "搬送車両なし (no vehicle)";
    case Cause::hazard_before_departure:
        return "出発前に自宅が被災 (hazard reached the home before departure)";
    case Cause::cut_off: return "道路が寸断され到達できない (route cut by the hazard)";
    case Cause::power_out_before_arrival:
        return "電源に届く前にバッテリーが切れた (battery ran out before reaching power)";
    case Cause::shelter_overloaded: return "避難先の電源が足りない (shelter power overloaded)";
    case Cause::late_to_power:
        return "電源の確保が期限（安全余裕込み）に遅れた (on power after arrive_by)";
    case Cause::not_reached: return "期間内に電源に届かなかった (not on power within the horizon)";
    }
    return "";
}

Quantiles quantiles(std::vector<double> v) {
    Quantiles q;
    if (v.empty()) return q;
    std::sort(v.begin(), v.end());
    q.p5 = core::quantile_sorted(v, 0.05);
    q.p50 = core::quantile_sorted(v, 0.5);
    q.p95 = core::quantile_sorted(v, 0.95);
    return q;
}

namespace {

/// A small, platform-independent random source (the std distributions are not specified
/// bit for bit across standard libraries).
class Random {
public:
    explicit Random(std::uint64_t seed) : m_state(seed) {}
    std::uint64_t next() {
        std::uint64_t z = (m_state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    double normal() {
        const double u1 = std::max(uniform(), 1e-300);
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
    }
    /// Lognormal with the given median.
    double lognormal(double median, double sigma) { return median * std::exp(sigma * normal()); }

private:
    std::uint64_t m_state;
};

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max() / 4;
/// Re-routes of one agent at one moment before it is declared cut off (a guard: the raised
/// pace already ends the sequence; see EvType::enter).
constexpr int kMaxReroutesAtOnce = 16;

HazardKind trace_kind(geo::HazardKind k) {
    switch (k) {
    case geo::HazardKind::flood: return HazardKind::flood;
    case geo::HazardKind::tsunami: return HazardKind::tsunami;
    case geo::HazardKind::landslide: return HazardKind::landslide;
    case geo::HazardKind::storm_surge: return HazardKind::storm_surge;
    }
    return HazardKind::other;
}

} // namespace

/// Static data prepared once.
struct Simulator::Impl {
    const planner::LoadedScenario* scenario = nullptr;
    const planner::Plan* plan = nullptr;
    std::optional<planner::TravelContext> travel;
    std::int64_t mains_lost_ms = 0;
    std::int64_t horizon_ms = 0;
    std::optional<planner::ClockTime> t0_clock;
    const planner::TimingDefaults* timing = nullptr;

    struct ChildInfo {
        const planner::ChildPlan* plan = nullptr;
        int facility = -1; ///< index into plan->facilities
        std::string mode;
        planner::Access home;         ///< in the child's own mode
        planner::Access home_car;     ///< for pickups
        planner::Access dest;         ///< facility, in the child's mode
        std::int64_t decision_ms = 0; ///< median
        std::int64_t packing_ms = 0;  ///< median
        std::int64_t loading_ms =
            0; ///< into a scheduled vehicle (steps.vehicle_loading or loading_min)
        std::int64_t connect_ms =
            -1; ///< the registry's connect_min (median), -1 = the simulator's draw
        std::int64_t endurance_ms = kNever; ///< from mains loss
        std::int64_t leave_by_ms = kNever;  ///< the hazard reaches the home
        std::int64_t arrive_by_ms = kNever; ///< on power by then (planner/timing.hpp)
        double load_w = 0.0;
        double essential_w = 0.0; ///< what a vehicle outlet must cover
        bool needs_power = false;
        int tour = -1; ///< index into plan->tours when picked up
    };
    std::vector<ChildInfo> children;
    std::unordered_map<std::string, std::size_t> child_index;

    struct FacilityInfo {
        double generator_w = 0.0;
        std::int64_t opens_ms = 0; ///< opening delay after t0
        planner::Access car;
    };
    std::vector<FacilityInfo> facilities;

    struct TourInfo {
        const planner::VehicleTour* tour = nullptr;
        double outlet_w = 0.0;
        std::vector<planner::Access> stop_access; ///< car mode, per stop
    };
    std::vector<TourInfo> tours;
};

Simulator::Simulator(const planner::LoadedScenario& scenario, const planner::Plan& plan,
                     SimOptions options)
    : m_impl(std::make_unique<Impl>()), m_options(options) {
    auto& d = *m_impl;
    d.scenario = &scenario;
    d.plan = &plan;
    const auto& opt = scenario.manifest.options;
    d.mains_lost_ms = static_cast<std::int64_t>(
        std::llround(scenario.manifest.timeline.mains_lost_min * 60000.0));
    d.horizon_ms = plan.horizon_h * 3600 * 1000;
    d.t0_clock = scenario.manifest.timeline.t0_clock;
    d.timing = &planner::default_timing();
    if (scenario.network) {
        d.travel.emplace(*scenario.network, scenario.hazards,
                         std::vector<std::string>{opt.car_mode, opt.walk_mode, opt.wheelchair_mode},
                         opt.max_snap_m);
    }
    std::map<std::string, int> facility_index;
    std::map<std::string, std::int64_t> opening_s;
    for (const auto& f : scenario.facilities) opening_s[f.id] = f.opening_delay_s;
    for (std::size_t j = 0; j < plan.facilities.size(); ++j) {
        const auto& f = plan.facilities[j];
        facility_index[f.facility_id] = static_cast<int>(j);
        Impl::FacilityInfo info;
        info.generator_w = f.generator_kw * 1000.0;
        if (const auto it = opening_s.find(f.facility_id); it != opening_s.end())
            info.opens_ms = it->second * 1000;
        if (d.travel) info.car = d.travel->access(opt.car_mode, f.location);
        d.facilities.push_back(info);
    }
    for (std::size_t t = 0; t < plan.tours.size(); ++t) {
        const auto& tour = plan.tours[t];
        Impl::TourInfo info;
        info.tour = &tour;
        for (const auto& v : scenario.vehicles) {
            if (v.id == tour.vehicle_id) info.outlet_w = v.outlet_w;
        }
        for (const auto& s : tour.stops) {
            info.stop_access.push_back(d.travel ? d.travel->access(opt.car_mode, s.location)
                                                : planner::Access{});
        }
        d.tours.push_back(std::move(info));
    }
    std::map<std::string, const planner::Child*> registry;
    for (const auto& c : scenario.registry.children()) registry[c.id] = &c;
    planner::PowerOptions power_options;
    power_options.horizon_h = static_cast<double>(plan.horizon_h);
    for (std::size_t i = 0; i < plan.children.size(); ++i) {
        const auto& cp = plan.children[i];
        Impl::ChildInfo info;
        info.plan = &cp;
        d.child_index[cp.child_id] = i;
        if (const auto it = facility_index.find(cp.facility_id); it != facility_index.end())
            info.facility = it->second;
        const auto rc = registry.find(cp.child_id);
        const auto mobility =
            rc != registry.end() ? rc->second->mobility : planner::Mobility::carried;
        info.mode = cp.primary ? opt.profile(cp.primary->mode) : opt.car_mode;
        info.decision_ms = static_cast<std::int64_t>(opt.decision_min * 60000.0);
        info.packing_ms = planner::packing_s(mobility) * 1000;
        info.loading_ms =
            static_cast<std::int64_t>(std::llround(d.timing->vehicle_loading_min * 60000.0));
        info.load_w = cp.power.load_peak_w;
        info.needs_power = cp.power.load_peak_w > 0.0;
        if (cp.power.endurance_h > 0 && cp.power.endurance_h < 336.0) {
            info.endurance_ms = static_cast<std::int64_t>(cp.power.endurance_h * 3600.0 * 1000.0);
        }
        // The planner's timing model (planner/timing.hpp): the same preparation (median), and
        // the plan's two deadlines.
        if (rc != registry.end()) {
            const auto needs =
                planner::assess_child(*rc->second, scenario.catalogue, power_options);
            info.essential_w = needs.essential_peak_w;
            const auto prep = planner::preparation(*rc->second, needs.outlets, opt.decision_min,
                                                   scenario.manifest.timeline.t0_clock, *d.timing);
            info.decision_ms = prep.decision_s * 1000;
            info.packing_ms = (prep.packing_s + prep.stairs_s) * 1000;
            // The child's own drill times (issue 21 item 5), as the planner uses them.
            info.loading_ms = planner::vehicle_loading_s(prep, *d.timing) * 1000;
            if (prep.recorded_connect_s) info.connect_ms = *prep.recorded_connect_s * 1000;
        } else {
            info.essential_w = cp.power.load_peak_w;
        }
        if (cp.leave_by_s >= 0) info.leave_by_ms = cp.leave_by_s * 1000;
        if (cp.arrive_by_s >= 0) info.arrive_by_ms = cp.arrive_by_s * 1000;
        if (d.travel) {
            info.home = d.travel->access(info.mode, cp.home);
            info.home_car = d.travel->access(opt.car_mode, cp.home);
            if (info.facility >= 0)
                info.dest = d.travel->access(
                    info.mode, plan.facilities[static_cast<std::size_t>(info.facility)].location);
        }
        d.children.push_back(std::move(info));
    }
    for (std::size_t t = 0; t < plan.tours.size(); ++t) {
        for (const auto& s : plan.tours[t].stops) {
            if (s.kind == planner::StopKind::pickup) {
                if (auto it = d.child_index.find(s.child_id); it != d.child_index.end())
                    d.children[it->second].tour = static_cast<int>(t);
            }
        }
    }
}

Simulator::~Simulator() = default;

namespace {

enum class EvType : std::uint8_t { ready, leg_start, enter, exit, arrive, pickup_done, connect };

struct Event {
    std::int64_t t_ms;
    std::uint64_t seq;
    EvType type;
    std::uint32_t agent;
    std::uint32_t child; // for ready/connect
    bool operator>(const Event& o) const { return t_ms != o.t_ms ? t_ms > o.t_ms : seq > o.seq; }
};

struct Agent {
    bool vehicle = false;    ///< a scheduled vehicle (else a family car or walkers)
    bool congestible = true; ///< pedestrians are not
    const planner::ModeNetwork* mode = nullptr;
    int tour = -1;
    std::size_t stop = 0; ///< next stop index (vehicle)
    std::vector<std::uint32_t> on_board;
    std::uint32_t child = 0; ///< the family's child (non-vehicle)
    geo::NodeId node;
    std::vector<geo::EdgeId> route;
    std::size_t next = 0;
    geo::NodeId target;
    std::int64_t join_ms = 0;
    double speed_factor = 1.0;
    /// Time per unit of edge weight the current leg's routes are planned with: the agent's
    /// speed factor, raised when a queue made it slower than planned (see EvType::enter).
    double pace = 1.0;
    double tour_speed = 1.0; ///< vehicles: the tour's drawn pace, before each leg's night factor
    int reroutes_now = 0;    ///< re-routes at the current event time (loop guard)
    std::int64_t reroute_t = -1;
    std::int64_t moving_since = -1;
    double moving_ms = 0.0;
    bool stuck = false;
    EntityId entity;
    std::size_t mover = 0; ///< index in the MovementRecorder (when recording)
    std::int64_t edge_enter_ms = 0;
};

} // namespace

/// One run of the simulation as a state machine (the model in sim/simulate.hpp): the state of
/// every household, vehicle, road and shelter, the event queue, and one method per event kind.
/// Built per run; run() drains the queue and then settles batteries and deadlines.
class Simulator::RunState {
public:
    RunState(const Impl& d, const SimOptions& options, std::uint64_t seed, TraceWriter* trace,
             MovementRecorder* movements);

    /// Processes the events in time order up to the horizon, then finish().
    RunResult run();

private:
    // Where an agent goes next: (node, join time, point).
    struct Leg {
        geo::NodeId from;
        geo::NodeId to;
        std::int64_t leave_ms = 0;
        std::int64_t join_ms = 0;
        geo::LonLat point;
        bool ok = false;
    };

    // Setup, in this order (the random draws and the event sequence depend on it).
    void add_trace_entities();
    void draw();
    void add_agents();

    // One method per event kind (EvType).
    void on_ready(const Event& ev, std::int64_t t);
    void on_leg_start(const Event& ev, std::int64_t t);
    void on_enter(const Event& ev, std::int64_t t);
    void on_exit(const Event& ev, std::int64_t t);
    void on_arrive(const Event& ev, std::int64_t t);
    void on_pickup_done(const Event& ev, std::int64_t t);
    void on_connect(const Event& ev, std::int64_t t);

    // Batteries, deadlines, completion, after the last event.
    RunResult finish();

    void push(std::int64_t t, EvType type, std::uint32_t agent, std::uint32_t child = 0) {
        queue.push({t, seq++, type, agent, child});
    }
    double margin_min(std::size_t i, std::int64_t t_ms) const {
        const auto& c = d.children[i];
        if (c.endurance_ms >= kNever) return std::numeric_limits<double>::quiet_NaN();
        return static_cast<double>(d.mains_lost_ms + c.endurance_ms - t_ms) / 60000.0;
    }
    void home_state(std::size_t i, std::int64_t t_ms, StateCode code, geo::LonLat where) {
        if (trace)
            trace->sample(t_ms / 1000, home_entity[i], {where, code, margin_min(i, t_ms), 0, 0.0});
    }
    void trace_event(std::int64_t t_ms, EntityId e, EventKind k, std::string text) {
        if (trace) trace->event(t_ms / 1000, e, k, std::move(text));
    }
    void fail(std::size_t i, std::int64_t t_ms, Cause cause) {
        auto& r = result.children[i];
        if (!r.failure.empty()) return;
        r.cause = cause;
        r.failure = std::string(label_ja(cause));
        home_state(i, t_ms, StateCode::failed, d.children[i].plan->home);
        if (moves) moves->end(child_mover[i], t_ms, "失敗: " + planner::without_english(r.failure));
        // The trace holds what people read (viewer, events.csv): the cause without its English
        // gloss.
        trace_event(t_ms, home_entity[i], EventKind::note, planner::without_english(r.failure));
    }
    // Everyone the agent carries (a family's child, a vehicle's passengers) is cut off.
    void cut_off(const Agent& a, std::int64_t t) {
        if (a.vehicle) {
            for (const auto i : a.on_board) fail(i, t, Cause::cut_off);
        } else {
            fail(a.child, t, Cause::cut_off);
        }
    }
    // Trips that start at night go slower (data/timing.toml night.car_speed_factor).
    double night_slowdown(std::int64_t t_ms) const {
        return planner::is_night(d.t0_clock, t_ms / 1000, *d.timing)
                   ? 1.0 / d.timing->night_car_speed_factor
                   : 1.0;
    }
    geo::LonLat agent_position(const Agent& a) const {
        return net ? net->lonlat(a.node) : geo::LonLat{};
    }
    void sample_agent(const Agent& a, std::int64_t t_ms, StateCode code, geo::LonLat where) {
        if (trace)
            trace->sample(t_ms / 1000, a.entity,
                          {where, code, std::numeric_limits<double>::quiet_NaN(),
                           static_cast<std::uint32_t>(a.vehicle ? a.on_board.size() : 1), 0.0});
    }
    // The movements layer (sim/movements.hpp): the agent, and whoever it carries, passes `where`.
    void move_to(const Agent& a, std::int64_t t_ms, geo::LonLat where) {
        if (!moves) return;
        moves->pass(a.mover, t_ms, where);
        if (a.vehicle) {
            for (const auto i : a.on_board) moves->pass(child_mover[i], t_ms, where);
        } else {
            moves->pass(child_mover[a.child], t_ms, where);
        }
    }
    // The agent stops for good (no route, cut off, tour done).
    void agent_ends(const Agent& a, std::int64_t t_ms, std::string status) {
        if (moves) moves->end(a.mover, t_ms, std::move(status));
    }
    // Children aboard a vehicle, for the movements layer.
    std::string aboard(const Agent& a) const {
        std::string out;
        for (const auto i : a.on_board)
            out += (out.empty() ? "" : "、") + d.children[i].plan->child_id;
        return out;
    }
    // Whether the plan moves child i (a destination, an arrival, and a tour if a vehicle takes it).
    bool planned_to_move(std::size_t i) const {
        const auto& c = d.children[i];
        if (c.facility < 0 || c.plan->arrival_s < 0) return false;
        return c.plan->transport != TransportKind::vehicle || c.tour >= 0;
    }
    Leg next_leg(const Agent& a) const;
    bool plan_route(Agent& a, std::int64_t t_ms, geo::NodeId from, geo::NodeId to);
    void arrive_child(std::size_t i, std::int64_t t_ms, geo::LonLat where);

    const Impl& d;
    const planner::Plan& plan;
    const SimOptions& opt;
    const geo::RoadNetwork* net;
    TraceWriter* trace;
    MovementRecorder* moves;              ///< the legs, when recording
    std::vector<std::size_t> child_mover; ///< per child, its index in moves
    Random rng;
    RunResult result;
    std::size_t n;
    std::vector<double> facility_load;
    std::vector<std::uint32_t> facility_occupancy;

    std::priority_queue<Event, std::vector<Event>, std::greater<>> queue;
    std::uint64_t seq = 0;
    std::int64_t events = 0;

    std::optional<geo::Router> router;
    std::vector<std::uint16_t> occupancy; ///< agents on each edge
    std::unordered_map<std::uint32_t, std::deque<std::uint32_t>>
        waiting; ///< per full edge, agents at its entrance

    std::vector<EntityId> home_entity;
    std::vector<EntityId> facility_entity;

    // Draws, in a fixed order.
    std::vector<std::int64_t> ready_ms;
    std::vector<std::int64_t> connect_ms;
    std::vector<double> child_speed;
    std::vector<double> tour_speed;

    std::vector<Agent> agents;
    std::vector<std::int64_t> extension_ms; ///< battery time gained on a powered vehicle
    std::vector<std::int64_t> boarded_ms;
    std::vector<bool> ready;
    std::vector<bool> vehicle_at_home; ///< a vehicle stands at the home, waiting for the family
    std::vector<std::int64_t>
        outlet_power_ms; ///< boarded a vehicle whose outlet covers the essential load
    std::vector<std::uint32_t> tour_agent;
};

Simulator::RunState::RunState(const Impl& impl, const SimOptions& options, std::uint64_t seed,
                              TraceWriter* trace_writer, MovementRecorder* movements)
    : d(impl), plan(*impl.plan), opt(options),
      net(impl.scenario->network ? &*impl.scenario->network : nullptr), trace(trace_writer),
      moves(movements), rng(seed), n(impl.children.size()) {
    result.seed = seed;
    result.children.resize(n);
    result.facility_peak_w.assign(plan.facilities.size(), 0.0);
    facility_load.assign(plan.facilities.size(), 0.0);
    facility_occupancy.assign(plan.facilities.size(), 0);
    if (d.travel) router.emplace(d.travel->graph());
    occupancy.assign(net ? net->edge_count() : 0, 0);
    add_trace_entities();
    draw();
    add_agents();
}

void Simulator::RunState::add_trace_entities() {
    home_entity.resize(n);
    facility_entity.resize(plan.facilities.size());
    if (trace) {
        for (std::size_t i = 0; i < n; ++i)
            home_entity[i] =
                trace->add_home(d.children[i].plan->child_id, d.children[i].plan->home);
        for (std::size_t j = 0; j < plan.facilities.size(); ++j) {
            const auto& f = plan.facilities[j];
            facility_entity[j] = trace->add_facility(
                f.name, f.location,
                static_cast<std::uint32_t>(std::max<std::int64_t>(f.capacity, 0)),
                f.generator_kw * 1000.0);
            trace->sample(
                0, facility_entity[j],
                {f.location, StateCode::idle, std::numeric_limits<double>::quiet_NaN(), 0, 0.0});
        }
    }
}

void Simulator::RunState::draw() {
    ready_ms.resize(n);
    connect_ms.resize(n);
    child_mover.assign(n, 0);
    child_speed.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto& c = d.children[i];
        const auto decision = static_cast<std::int64_t>(rng.lognormal(
            static_cast<double>(std::max<std::int64_t>(c.decision_ms, 60000)), opt.decision_sigma));
        const auto packing = static_cast<std::int64_t>(
            rng.lognormal(static_cast<double>(c.packing_ms), opt.packing_sigma));
        ready_ms[i] = decision + packing;
        result.children[i].decision_s = decision / 1000;
        const double connect_min = rng.uniform(opt.connect_min_low, opt.connect_min_high);
        if (c.connect_ms >= 0) {
            // A drill-recorded connect_min: the same spread around the child's own time (one
            // draw either way, so the other children's draws do not change).
            const double mid = (opt.connect_min_low + opt.connect_min_high) / 2.0;
            const double factor = mid > 0 ? connect_min / mid : 1.0;
            connect_ms[i] = static_cast<std::int64_t>(static_cast<double>(c.connect_ms) * factor);
        } else {
            connect_ms[i] = static_cast<std::int64_t>(connect_min * 60000.0);
        }
        child_speed[i] = rng.lognormal(1.0, opt.speed_sigma);
        if (trace) {
            home_state(i, 0, StateCode::waiting, c.plan->home);
            home_state(i, decision, StateCode::packing, c.plan->home);
            trace_event(decision, home_entity[i], EventKind::decision, "避難を決定");
        }
        if (moves) {
            child_mover[i] = moves->add_agent(c.plan->child_id, AgentKind::child);
            if (planned_to_move(i)) {
                moves->begin(child_mover[i], 0, LegKind::awaiting_decision, c.plan->home);
                moves->begin(child_mover[i], decision, LegKind::packing, c.plan->home);
            } else {
                // The plan keeps the child at home or cannot serve it: one leg over the period.
                const bool no_tour = c.facility >= 0 && c.plan->arrival_s >= 0;
                moves->begin(child_mover[i], 0, LegKind::stays_home, c.plan->home);
                moves->end(child_mover[i], d.horizon_ms,
                           c.plan->outcome == planner::Outcome::shelter_in_place
                               ? std::string(stays_home_note) + "（計画どおり）"
                           : no_tour ? std::string(cannot_serve_note) + "（搬送車両なし）"
                                     : std::string(cannot_serve_note) + "（計画で運べない）");
            }
        }
    }
    tour_speed.resize(d.tours.size());
    for (auto& s : tour_speed) s = rng.lognormal(1.0, opt.speed_sigma);
}

void Simulator::RunState::add_agents() {
    extension_ms.assign(n, 0);
    boarded_ms.assign(n, -1);
    ready.assign(n, false);
    vehicle_at_home.assign(n, false);
    outlet_power_ms.assign(n, -1);
    // Agents: one per family (car or on foot) and one per vehicle tour.
    for (std::size_t i = 0; i < n; ++i) {
        const auto& c = d.children[i];
        auto& r = result.children[i];
        if (c.facility < 0 || c.plan->arrival_s < 0) {
            r.cause = Cause::not_planned;
            r.failure = std::string(label_ja(Cause::not_planned));
            // Marked on the trace, so a picture counts the child apart from those not yet gone.
            trace_event(0, home_entity[i], EventKind::note,
                        c.plan->outcome == planner::Outcome::shelter_in_place
                            ? std::string(stays_home_note) + " (計画どおり自宅にとどまる)"
                            : std::string(cannot_serve_note) + ": " +
                                  planner::without_english(r.failure));
            continue;
        }
        if (c.plan->transport == TransportKind::vehicle) continue;
        Agent a;
        a.child = static_cast<std::uint32_t>(i);
        a.congestible = c.plan->transport != TransportKind::walk;
        if (d.travel) a.mode = &d.travel->mode(c.mode);
        a.speed_factor = child_speed[i];
        if (trace) {
            a.entity = trace->add_vehicle(
                (c.plan->transport == TransportKind::walk ? "徒歩 " : "家族の車 ") +
                    c.plan->child_id,
                EntityKind::family_car, c.plan->home, 1);
            trace->sample(
                0, a.entity,
                {c.plan->home, StateCode::idle, std::numeric_limits<double>::quiet_NaN(), 0, 0.0});
        }
        if (moves) {
            a.mover = moves->add_agent(c.plan->child_id, a.congestible ? AgentKind::family_car
                                                                       : AgentKind::family_on_foot);
            moves->begin(a.mover, 0, LegKind::parked, c.plan->home, {}, c.plan->child_id);
        }
        agents.push_back(std::move(a));
        push(ready_ms[i], EvType::ready, static_cast<std::uint32_t>(agents.size() - 1),
             static_cast<std::uint32_t>(i));
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (d.children[i].plan->transport == TransportKind::vehicle && d.children[i].tour >= 0) {
            push(ready_ms[i], EvType::ready, std::numeric_limits<std::uint32_t>::max(),
                 static_cast<std::uint32_t>(i));
        } else if (d.children[i].plan->transport == TransportKind::vehicle &&
                   result.children[i].failure.empty()) {
            result.children[i].cause = Cause::no_vehicle;
            result.children[i].failure = std::string(label_ja(Cause::no_vehicle));
            trace_event(0, home_entity[i], EventKind::note,
                        std::string(cannot_serve_note) + ": " +
                            planner::without_english(result.children[i].failure));
        }
    }
    tour_agent.resize(d.tours.size());
    for (std::size_t t = 0; t < d.tours.size(); ++t) {
        const auto& tour = *d.tours[t].tour;
        Agent a;
        a.vehicle = true;
        a.tour = static_cast<int>(t);
        a.stop = 1;
        if (d.travel) {
            a.mode = &d.travel->mode(d.scenario->manifest.options.car_mode);
            a.node = d.tours[t].stop_access[0].depart_node;
        }
        // The tour's own pace; night slows each leg by its start (on_leg_start), as planned.
        a.tour_speed = tour_speed[t];
        a.speed_factor = a.tour_speed;
        if (trace) {
            a.entity = trace->add_vehicle(tour.vehicle_id, EntityKind::vehicle,
                                          tour.stops.front().location, 3);
            trace->sample(0, a.entity,
                          {tour.stops.front().location, StateCode::idle,
                           std::numeric_limits<double>::quiet_NaN(), 0, 0.0});
        }
        if (moves) {
            a.mover = moves->add_agent(tour.vehicle_id, AgentKind::vehicle);
            moves->begin(a.mover, 0, LegKind::parked, tour.stops.front().location, tour.vehicle_id);
        }
        agents.push_back(std::move(a));
        tour_agent[t] = static_cast<std::uint32_t>(agents.size() - 1);
        push(tour.stops.front().departure_s * 1000, EvType::leg_start, tour_agent[t]);
    }
}

Simulator::RunState::Leg Simulator::RunState::next_leg(const Agent& a) const {
    Leg leg;
    if (a.vehicle) {
        const auto& ti = d.tours[static_cast<std::size_t>(a.tour)];
        if (a.stop >= ti.tour->stops.size()) return leg;
        const auto& acc = ti.stop_access[a.stop];
        const auto& prev = ti.stop_access[a.stop - 1];
        leg = {prev.depart_node,
               acc.arrive_node,
               prev.leave_ms,
               acc.join_ms,
               ti.tour->stops[a.stop].location,
               acc.ok && prev.ok};
    } else {
        const auto& c = d.children[a.child];
        leg = {c.home.depart_node,
               c.dest.arrive_node,
               c.home.leave_ms,
               c.dest.join_ms,
               d.plan->facilities[static_cast<std::size_t>(c.facility)].location,
               c.home.ok && c.dest.ok};
    }
    return leg;
}

bool Simulator::RunState::plan_route(Agent& a, std::int64_t t_ms, geo::NodeId from,
                                     geo::NodeId to) {
    a.route.clear();
    a.next = 0;
    if (from == to) return true;
    const auto r = router->earliest_arrival(from, to, t_ms, a.mode->weights_ms,
                                            a.mode->closures.closed_from_ms, {}, a.pace);
    if (!r) return false;
    a.route = r->edges;
    return true;
}

void Simulator::RunState::arrive_child(std::size_t i, std::int64_t t_ms, geo::LonLat where) {
    auto& r = result.children[i];
    const auto& c = d.children[i];
    r.arrival_s = t_ms / 1000;
    home_state(i, t_ms, StateCode::arrived, where);
    trace_event(t_ms, home_entity[i], EventKind::arrived, "到着");
    if (moves) moves->begin(child_mover[i], t_ms, LegKind::waiting_power, where);
    // A shelter that has not opened yet: the family waits at its door.
    const auto opens_ms = d.facilities[static_cast<std::size_t>(c.facility)].opens_ms;
    if (opens_ms > t_ms) trace_event(t_ms, home_entity[i], EventKind::note, "施設の開設を待つ");
    push(std::max(t_ms, opens_ms) + (c.needs_power ? connect_ms[i] : 0), EvType::connect, 0,
         static_cast<std::uint32_t>(i));
}

RunResult Simulator::RunState::run() {
    while (!queue.empty()) {
        const Event ev = queue.top();
        queue.pop();
        ++events;
        const std::int64_t t = ev.t_ms;
        if (t > d.horizon_ms) break;
        switch (ev.type) {
        case EvType::ready: on_ready(ev, t); break;
        case EvType::leg_start: on_leg_start(ev, t); break;
        case EvType::enter: on_enter(ev, t); break;
        case EvType::exit: on_exit(ev, t); break;
        case EvType::arrive: on_arrive(ev, t); break;
        case EvType::pickup_done: on_pickup_done(ev, t); break;
        case EvType::connect: on_connect(ev, t); break;
        }
    }
    return finish();
}

void Simulator::RunState::on_ready(const Event& ev, std::int64_t t) {
    const auto i = ev.child;
    ready[i] = true;
    result.children[i].ready_s = t / 1000;
    const auto& c = d.children[i];
    if (t > c.leave_by_ms) {
        fail(i, c.leave_by_ms, Cause::hazard_before_departure);
        if (ev.agent != std::numeric_limits<std::uint32_t>::max())
            agent_ends(agents[ev.agent], c.leave_by_ms, "出発できず");
        return;
    }
    // Ready: a family that drives or walks sets off now (the child is on the road with it); a
    // child a vehicle collects is loaded if the vehicle is already there, else waits for it.
    const bool own_way = ev.agent != std::numeric_limits<std::uint32_t>::max();
    home_state(i, t,
               own_way              ? StateCode::travelling
               : vehicle_at_home[i] ? StateCode::loading
                                    : StateCode::waiting,
               c.plan->home);
    if (moves) {
        const auto kind = c.plan->transport == TransportKind::vehicle ? LegKind::waiting_vehicle
                          : c.plan->transport == TransportKind::walk  ? LegKind::walk
                                                                      : LegKind::family_car;
        moves->begin(child_mover[i], t, kind, c.plan->home);
    }
    if (own_way) {
        agents[ev.agent].speed_factor *= agents[ev.agent].congestible ? night_slowdown(t) : 1.0;
        result.children[i].departure_s = t / 1000;
        trace_event(t, home_entity[i], EventKind::departed, "出発");
        push(t, EvType::leg_start, ev.agent);
    }
}

void Simulator::RunState::on_leg_start(const Event& ev, std::int64_t t) {
    auto& a = agents[ev.agent];
    // A vehicle's leg that starts at night goes slower (data/timing.toml [night]), leg by leg
    // as the planner times a tour; a family's own trip was slowed at its departure (on_ready).
    if (a.vehicle) a.speed_factor = a.tour_speed * night_slowdown(t);
    a.pace = a.speed_factor;
    const auto leg = next_leg(a);
    const geo::LonLat from =
        a.vehicle ? d.tours[static_cast<std::size_t>(a.tour)].tour->stops[a.stop - 1].location
                  : d.children[a.child].plan->home;
    if (moves) {
        if (a.vehicle) {
            moves->begin(a.mover, t, LegKind::drive, from,
                         d.tours[static_cast<std::size_t>(a.tour)].tour->vehicle_id, aboard(a));
        } else {
            moves->begin(a.mover, t, a.congestible ? LegKind::family_car : LegKind::walk, from, {},
                         d.children[a.child].plan->child_id);
        }
    }
    if (!net) {
        // Straight-line mode: one timed hop per leg.
        double metres = 0;
        metres =
            geo::haversine_m(from, leg.point) * d.scenario->manifest.options.straight_line_circuity;
        const double kmh =
            a.congestible ? d.scenario->manifest.options.straight_line_speed_kmh : 3.0;
        const auto dt = static_cast<std::int64_t>(metres / (kmh / 3.6) * 1000.0 * a.speed_factor);
        a.moving_ms += static_cast<double>(dt);
        push(t + dt, EvType::arrive, ev.agent);
        return;
    }
    if (!leg.ok) {
        a.stuck = true;
        agent_ends(a, t, "道路につながらず出発できない");
        return;
    }
    a.node = leg.from;
    a.target = leg.to;
    a.join_ms = leg.join_ms;
    // The child's planned route, by pointer (a conditional between a temporary optional and
    // the plan's member copied the whole route, geometry included, at every leg start).
    const planner::PlannedRoute* primary = a.vehicle || !d.children[a.child].plan->primary
                                               ? nullptr
                                               : &*d.children[a.child].plan->primary;
    if (primary && !primary->edges.empty() && net->tail(primary->edges.front()) == leg.from) {
        // A family follows its planned route and re-routes only when it meets a closure.
        a.route = primary->edges;
        a.next = 0;
    } else if (!plan_route(a, t + leg.leave_ms, leg.from, leg.to)) {
        a.stuck = true;
        cut_off(a, t);
        agent_ends(a, t, "通れる経路がない");
        return;
    }
    sample_agent(a, t, StateCode::travelling, agent_position(a));
    move_to(a, t, agent_position(a));
    push(t + leg.leave_ms, EvType::enter, ev.agent);
}

void Simulator::RunState::on_enter(const Event& ev, std::int64_t t) {
    auto& a = agents[ev.agent];
    if (a.next >= a.route.size()) {
        push(t + a.join_ms, EvType::arrive, ev.agent);
        return;
    }
    const auto e = a.route[a.next];
    const auto w = a.mode->weights_ms[e.value()];
    double trav = static_cast<double>(w) * a.speed_factor;
    const auto closes = a.mode->closures.closed_from_ms[e.value()];
    if (t + static_cast<std::int64_t>(trav) > closes) {
        // The road ahead is (or will be) closed before this agent could leave it:
        // re-route from here. Routes are planned at the agent's pace; a queue ahead can
        // make it slower still, so the pace is raised to what this edge would have
        // taken and the new route cannot start with it again. The pace only grows, so
        // re-routing at one moment ends; the guard stops it regardless.
        result.children[a.vehicle ? (a.on_board.empty() ? 0 : a.on_board.front()) : a.child]
            .rerouted = true;
        trace_event(t, a.entity, EventKind::rerouted, "通行止めのため経路変更");
        if (w > 0) {
            a.pace = std::max(a.pace, std::nextafter(trav / static_cast<double>(w), 1e300));
        }
        a.reroutes_now = a.reroute_t == t ? a.reroutes_now + 1 : 1;
        a.reroute_t = t;
        if (a.reroutes_now > kMaxReroutesAtOnce || !plan_route(a, t, a.node, a.target)) {
            a.stuck = true;
            cut_off(a, t);
            agent_ends(a, t, "通行止めで進めない");
            return;
        }
        push(t, EvType::enter, ev.agent);
        return;
    }
    if (a.congestible) {
        const double lanes = std::max<double>(1.0, net->lanes(e));
        const double capacity = std::max(1.0, lanes * net->length_m(e) / opt.vehicle_spacing_m);
        auto& occ = occupancy[e.value()];
        if (occ >= capacity) {
            waiting[e.value()].push_back(ev.agent); // queue spills back: wait at the entrance
            return;
        }
        // Density seen by this vehicle: the others already on the edge (a lone car
        // drives at free flow).
        const double density = static_cast<double>(occ) / capacity;
        ++occ;
        trav /= std::max(opt.min_speed_fraction, 1.0 - density);
    }
    a.edge_enter_ms = t;
    a.moving_ms += trav;
    push(t + static_cast<std::int64_t>(std::llround(trav)), EvType::exit, ev.agent);
}

void Simulator::RunState::on_exit(const Event& ev, std::int64_t t) {
    auto& a = agents[ev.agent];
    const auto e = a.route[a.next];
    if (a.congestible) {
        --occupancy[e.value()];
        if (auto it = waiting.find(e.value()); it != waiting.end() && !it->second.empty()) {
            push(t, EvType::enter, it->second.front());
            it->second.pop_front();
        }
    }
    a.node = net->head(e);
    ++a.next;
    move_to(a, t, agent_position(a));
    if (trace && (a.next % 4 == 0 || a.next == a.route.size()))
        sample_agent(a, t, StateCode::travelling, agent_position(a));
    push(t, EvType::enter, ev.agent);
}

void Simulator::RunState::on_arrive(const Event& ev, std::int64_t t) {
    auto& a = agents[ev.agent];
    if (!a.vehicle) {
        const auto& c = d.children[a.child];
        const auto where = d.plan->facilities[static_cast<std::size_t>(c.facility)].location;
        sample_agent(a, t, StateCode::arrived, where);
        move_to(a, t, where);
        agent_ends(a, t, "到着");
        arrive_child(a.child, t, where);
        return;
    }
    const auto& ti = d.tours[static_cast<std::size_t>(a.tour)];
    const auto& stop = ti.tour->stops[a.stop];
    sample_agent(a, t, StateCode::arrived, stop.location);
    move_to(a, t, stop.location);
    if (stop.kind == planner::StopKind::pickup) {
        const auto i = d.child_index.at(stop.child_id);
        // The child is loaded now if the family is ready, else once it is (on_ready).
        if (result.children[i].failure.empty()) {
            if (ready[i])
                home_state(i, t, StateCode::loading, d.children[i].plan->home);
            else
                vehicle_at_home[i] = true;
        }
        if (moves)
            moves->begin(a.mover, t, LegKind::pickup_stop, stop.location, ti.tour->vehicle_id,
                         aboard(a));
        if (!result.children[i].failure.empty()) {
            push(t, EvType::pickup_done, ev.agent,
                 static_cast<std::uint32_t>(i)); // nobody to pick up
            return;
        }
        // Wait for the family to be ready, then load (data/timing.toml, as planned). A
        // vehicle that comes after the hazard reached the home comes too late.
        const std::int64_t start = std::max(t, ready_ms[i]);
        const auto loading_ms = d.children[i].loading_ms;
        if (start + loading_ms > d.children[i].leave_by_ms) {
            fail(i, d.children[i].leave_by_ms, Cause::hazard_before_departure);
            push(t, EvType::pickup_done, ev.agent, static_cast<std::uint32_t>(i));
            return;
        }
        push(start + loading_ms, EvType::pickup_done, ev.agent, static_cast<std::uint32_t>(i));
        return;
    }
    if (stop.kind == planner::StopKind::delivery) {
        const auto i = d.child_index.at(stop.child_id);
        a.on_board.erase(
            std::remove(a.on_board.begin(), a.on_board.end(), static_cast<std::uint32_t>(i)),
            a.on_board.end());
        if (result.children[i].failure.empty()) {
            if (ti.outlet_w >= d.children[i].essential_w && boarded_ms[i] >= 0)
                extension_ms[i] += t - boarded_ms[i];
            arrive_child(i, t, stop.location);
        }
    }
    ++a.stop;
    if (a.stop < ti.tour->stops.size()) {
        if (moves) {
            moves->begin(a.mover, t,
                         stop.kind == planner::StopKind::delivery ? LegKind::dropoff_stop
                                                                  : LegKind::parked,
                         stop.location, ti.tour->vehicle_id, aboard(a));
        }
        push(t + 5 * 60000, EvType::leg_start, ev.agent);
    } else {
        agent_ends(a, t,
                   stop.kind == planner::StopKind::depot ? "車庫に帰着（巡回の終わり）"
                                                         : "巡回の終わり");
    }
}

void Simulator::RunState::on_pickup_done(const Event& ev, std::int64_t t) {
    auto& a = agents[ev.agent];
    const auto i = ev.child;
    if (result.children[i].failure.empty()) {
        a.on_board.push_back(i);
        boarded_ms[i] = t;
        const auto& ti = d.tours[static_cast<std::size_t>(a.tour)];
        if (d.children[i].needs_power && ti.outlet_w >= d.children[i].essential_w)
            outlet_power_ms[i] = t;
        result.children[i].departure_s = t / 1000;
        home_state(i, t, StateCode::travelling, d.children[i].plan->home);
        trace_event(t, a.entity, EventKind::picked_up, "乗車 " + d.children[i].plan->child_id);
        if (moves)
            moves->begin(child_mover[i], t, LegKind::ride, d.children[i].plan->home,
                         ti.tour->vehicle_id);
    }
    ++a.stop;
    push(t, EvType::leg_start, ev.agent);
}

void Simulator::RunState::on_connect(const Event& ev, std::int64_t t) {
    const auto i = ev.child;
    auto& r = result.children[i];
    const auto& c = d.children[i];
    const auto j = static_cast<std::size_t>(c.facility);
    facility_occupancy[j]++;
    if (c.needs_power) {
        if (facility_load[j] + c.load_w > d.facilities[j].generator_w) {
            trace_event(t, facility_entity[j], EventKind::power_overload, "発電機の容量超過");
            fail(i, t, Cause::shelter_overloaded);
        } else {
            facility_load[j] += c.load_w;
            r.powered_s = t / 1000;
            home_state(i, t, StateCode::powered, d.plan->facilities[j].location);
            trace_event(t, home_entity[i], EventKind::power_connected, "電源に接続");
            if (moves) moves->end(child_mover[i], t, "電源に接続");
        }
    } else {
        r.powered_s = t / 1000;
        home_state(i, t, StateCode::powered, d.plan->facilities[j].location);
        if (moves) moves->end(child_mover[i], t, "受け入れ（電源は不要）");
    }
    result.facility_peak_w[j] = std::max(result.facility_peak_w[j], facility_load[j]);
    if (trace) {
        trace->sample(t / 1000, facility_entity[j],
                      {d.plan->facilities[j].location, StateCode::powered,
                       std::numeric_limits<double>::quiet_NaN(), facility_occupancy[j],
                       facility_load[j]});
    }
}

RunResult Simulator::RunState::finish() {
    // Batteries, deadlines, completion.
    std::int64_t completion = 0;
    bool complete = true;
    std::size_t planned_count = 0;
    for (std::size_t i = 0; i < n; ++i) {
        auto& r = result.children[i];
        const auto& c = d.children[i];
        const bool planned = c.facility >= 0 && c.plan->arrival_s >= 0;
        if (c.endurance_ms < kNever) {
            const std::int64_t depletion_ms = d.mains_lost_ms + c.endurance_ms + extension_ms[i];
            const std::int64_t powered_ms = r.powered_s >= 0 ? r.powered_s * 1000 : kNever;
            r.battery_margin_h =
                static_cast<double>(depletion_ms - std::min(powered_ms, d.horizon_ms)) / 3.6e6;
            if (depletion_ms < powered_ms && depletion_ms <= d.horizon_ms) {
                r.depleted_s = depletion_ms / 1000;
                trace_event(depletion_ms, home_entity[i], EventKind::battery_depleted,
                            "バッテリー切れ");
                fail(i, depletion_ms, Cause::power_out_before_arrival);
            }
        } else {
            r.battery_margin_h = 336.0;
        }
        // On power: the vehicle's outlet from boarding, or the destination once connected.
        if (outlet_power_ms[i] >= 0)
            r.on_power_s = outlet_power_ms[i] / 1000;
        else
            r.on_power_s = r.powered_s;
        if (r.cause == Cause::none && planned) {
            if (r.on_power_s < 0) {
                fail(i, d.horizon_ms, Cause::not_reached);
            } else if (r.on_power_s * 1000 > c.arrive_by_ms) {
                r.cause = Cause::late_to_power; // a delay into the safety margin, not a failure
                if (moves) moves->add_to_end_status(child_mover[i], "（電源の確保が期限に遅れた）");
                trace_event(r.on_power_s * 1000, home_entity[i], EventKind::deadline_missed,
                            "電源の確保が期限に遅れた");
            }
        }
        r.missed_deadline = r.cause != Cause::none;
        // Completion counts the children the plan serves (the others are already reported by
        // the plan); a run with a planned child who never reached power is incomplete.
        if (planned) {
            ++planned_count;
            if (r.powered_s < 0) complete = false;
            completion = std::max(completion, r.powered_s);
        }
    }
    result.completion_s = complete && planned_count > 0 ? completion : -1;
    for (const auto& a : agents) result.vehicle_seconds += a.moving_ms / 1000.0;
    result.events = events;
    return result;
}

RunResult Simulator::run(std::uint64_t seed, TraceWriter* trace,
                         MovementRecorder* movements) const {
    return RunState(*m_impl, m_options, seed, trace, movements).run();
}

MonteCarloResult Simulator::monte_carlo(const Progress& progress) const {
    const auto start = std::chrono::steady_clock::now();
    const auto& plan = *m_impl->plan;
    const auto runs = std::max<std::int64_t>(1, m_options.runs);
    // Run k's seed depends on k alone, and its result goes to slot k: the same result set
    // whatever the number of threads.
    const auto results = core::parallel_map(
        static_cast<std::size_t>(runs), static_cast<unsigned>(std::max(1, m_options.threads)),
        [&](std::size_t k) { return run(run_seed(m_options.seed, k)); },
        {.report =
             [&](std::size_t finished) {
                 if (progress)
                     progress("simulating",
                              static_cast<double>(finished) / static_cast<double>(runs));
             },
         .every = 10});

    MonteCarloResult mc;
    mc.runs = runs;
    mc.seed = m_options.seed;
    const std::size_t n = plan.children.size();
    for (std::size_t i = 0; i < n; ++i) {
        ChildStats s;
        s.child_id = plan.children[i].child_id;
        std::vector<double> arrivals, margins, decisions, readies, departures, powereds;
        std::int64_t miss = 0, depleted = 0;
        std::array<std::int64_t, kCauseCount> causes{};
        for (const auto& r : results) {
            const auto& c = r.children[i];
            if (c.arrival_s >= 0) arrivals.push_back(static_cast<double>(c.arrival_s));
            if (c.decision_s >= 0) decisions.push_back(static_cast<double>(c.decision_s));
            if (c.ready_s >= 0) readies.push_back(static_cast<double>(c.ready_s));
            if (c.departure_s >= 0) departures.push_back(static_cast<double>(c.departure_s));
            if (c.powered_s >= 0) powereds.push_back(static_cast<double>(c.powered_s));
            margins.push_back(c.battery_margin_h);
            miss += c.missed_deadline ? 1 : 0;
            ++causes[static_cast<std::size_t>(c.cause)];
            depleted += c.depleted_s >= 0 ? 1 : 0;
        }
        s.arrival_s = quantiles(arrivals);
        s.runs_decided = static_cast<std::int64_t>(decisions.size());
        s.runs_ready = static_cast<std::int64_t>(readies.size());
        s.runs_departed = static_cast<std::int64_t>(departures.size());
        s.runs_arrived = static_cast<std::int64_t>(arrivals.size());
        s.runs_powered = static_cast<std::int64_t>(powereds.size());
        s.decision_s = quantiles(std::move(decisions));
        s.ready_s = quantiles(std::move(readies));
        s.departure_s = quantiles(std::move(departures));
        s.powered_s = quantiles(std::move(powereds));
        s.battery_margin_h = quantiles(margins);
        s.p_miss_deadline = static_cast<double>(miss) / static_cast<double>(runs);
        s.p_battery_depleted = static_cast<double>(depleted) / static_cast<double>(runs);
        for (std::size_t k = 0; k < kCauseCount; ++k)
            s.cause_share[k] = static_cast<double>(causes[k]) / static_cast<double>(runs);
        mc.children.push_back(std::move(s));
    }
    for (std::size_t j = 0; j < plan.facilities.size(); ++j) {
        FacilityStats f;
        f.facility_id = plan.facilities[j].facility_id;
        f.generator_w = plan.facilities[j].generator_kw * 1000.0;
        std::vector<double> peaks;
        std::int64_t over = 0;
        for (const auto& r : results) {
            peaks.push_back(r.facility_peak_w[j]);
            over += r.facility_peak_w[j] > f.generator_w ? 1 : 0;
        }
        f.peak_load_w = quantiles(peaks);
        f.p_overload = static_cast<double>(over) / static_cast<double>(runs);
        mc.facilities.push_back(std::move(f));
    }
    for (const auto& r : results) {
        if (r.completion_s >= 0)
            mc.completion_s.push_back(static_cast<double>(r.completion_s));
        else
            mc.runs_incomplete++;
        mc.vehicle_seconds += r.vehicle_seconds;
    }
    mc.completion = quantiles(mc.completion_s);
    mc.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return mc;
}

TraceWriter Simulator::trace_run(Movements* movements) const {
    const auto& d = *m_impl;
    TraceMetadata meta;
    meta.title = d.plan->scenario_title;
    meta.start_t_s = 0;
    meta.end_t_s = std::min<std::int64_t>(d.plan->horizon_h * 3600, 12 * 3600);
    // The clock time of t0 (manifest t0_clock): events.csv's 日時 and the viewer's clock.
    if (d.t0_clock) {
        meta.epoch_unix_s = d.t0_clock->unix_s;
        meta.utc_offset_s = d.t0_clock->offset_min * 60;
    }
    if (d.scenario->network) {
        const auto [lo, hi] = d.scenario->network->extent();
        meta.extent_min = lo;
        meta.extent_max = hi;
        meta.metric_epsg = d.scenario->network->metric_epsg();
    } else if (!d.plan->children.empty()) {
        meta.extent_min = meta.extent_max = d.plan->children.front().home;
        for (const auto& c : d.plan->children) {
            meta.extent_min = {std::min(meta.extent_min.lon, c.home.lon),
                               std::min(meta.extent_min.lat, c.home.lat)};
            meta.extent_max = {std::max(meta.extent_max.lon, c.home.lon),
                               std::max(meta.extent_max.lat, c.home.lat)};
        }
    }
    TraceWriter trace(meta);
    if (d.scenario->network) trace.add_roads(*d.scenario->network);
    const auto& hz = d.scenario->hazards;
    for (std::uint32_t a = 0; a < hz.areas().size(); ++a) {
        const auto& area = hz.areas()[a];
        HazardArea h;
        h.kind = trace_kind(area.kind);
        h.label = area.feature_id;
        HazardStage stage;
        stage.onset_t_s = area.onset_ms / 1000;
        for (const auto& poly : hz.polygons(a)) {
            for (const auto& ring : poly) stage.rings.push_back(ring);
        }
        h.stages.push_back(std::move(stage));
        trace.add_hazard(std::move(h));
    }
    MovementRecorder recorder;
    run(m_options.seed, &trace, movements != nullptr ? &recorder : nullptr);
    if (movements != nullptr) {
        movements->seed = m_options.seed;
        movements->t0_clock = d.t0_clock;
        movements->legs = recorder.legs(d.horizon_ms);
    }
    return trace;
}

} // namespace sonae::sim
