#pragma once
/// The movements of one simulated run as a GeoPackage layer for QGIS (issue 23 item 4):
/// one line per agent (child, support vehicle, family car or family on foot) and leg, with
/// its times as minutes after t0 and, when the manifest gives t0_clock, as datetimes for
/// QGIS's Temporal Controller. The simulator fills a MovementRecorder while it runs (the run
/// that trace.sonae holds, Simulator::trace_run); legs() turns what it recorded into legs.
///
/// A leg is what an agent does between two moments: waiting for the decision, packing,
/// waiting for the vehicle, travelling (on foot, by family car, in a support vehicle), a
/// vehicle's stop, waiting for the devices to be connected at the shelter. Travel legs follow
/// the road nodes the agent passed (every node, not only the trace's samples); a leg spent in
/// one place is a line of two equal points there. An agent's legs follow each other without
/// gaps: a leg starts when the one before it ends, and ends with a status (what ended it: 出発,
/// 到着, 電源に接続, a failure and its cause, or the end of the simulated period).

#include "geo/gis_writer.hpp"
#include "geo/road_network.hpp"
#include "planner/clock.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sonae::sim {

/// Who moves.
enum class AgentKind : std::uint8_t { child, vehicle, family_car, family_on_foot };

/// What an agent does during a leg.
enum class LegKind : std::uint8_t {
    stays_home,        ///< child the plan does not move (在宅避難 or cannot be served)
    awaiting_decision, ///< child at home, until the family decides to leave
    packing,           ///< child at home: packing devices and supplies, carrying out
    waiting_vehicle,   ///< child at home, ready, waiting for the support vehicle
    walk,              ///< child or family on foot
    family_car,        ///< child or family car on the road
    ride,              ///< child on board a support vehicle
    parked,            ///< vehicle at its base, family car at home, before leaving
    drive,             ///< support vehicle on the road
    pickup_stop,       ///< support vehicle at a home: waiting for the family, loading
    dropoff_stop,      ///< support vehicle at a shelter: unloading
    waiting_power,     ///< child at the shelter until the devices are connected
};

std::string_view label_ja(AgentKind kind);
std::string_view label_ja(LegKind kind);

/// One leg of one agent.
struct MovementLeg {
    std::string agent_id; ///< child id, or vehicle id (pseudonymous, as in plan.gpkg)
    AgentKind agent_kind = AgentKind::child;
    int leg_no = 0; ///< 1, 2, ... per agent, in time order
    LegKind kind = LegKind::awaiting_decision;
    std::string vehicle_id; ///< the support vehicle (its own legs, a child riding it)
    std::string children; ///< children on board at the leg's start (「、」), or the family's child
    std::int64_t start_ms = 0; ///< after t0
    std::int64_t end_ms = 0;
    std::vector<geo::LonLat> path; ///< >= 2 points (a leg in one place: two equal points)
    std::string end_status;        ///< Japanese: what ended the leg
};

/// What the simulator records for the movements layer. Calls may come out of time order (a
/// failure is dated when it happened); legs() sorts each agent's calls by time (equal times
/// in call order) and stops at the agent's first end().
class MovementRecorder {
public:
    /// Adds an agent; returns its index for the other calls.
    std::size_t add_agent(std::string id, AgentKind kind);
    /// The agent starts a leg of `kind` at `where` (closing its open leg there).
    void begin(std::size_t agent, std::int64_t t_ms, LegKind kind, geo::LonLat where,
               std::string vehicle_id = {}, std::string children = {});
    /// The agent passes `where` (a road node) during its open leg.
    void pass(std::size_t agent, std::int64_t t_ms, geo::LonLat where);
    /// The agent's open leg ends with `status`, and the agent has no further legs.
    void end(std::size_t agent, std::int64_t t_ms, std::string status);
    /// Appends `text` to the status of the agent's end (its earliest end()); nothing if none.
    void add_to_end_status(std::size_t agent, const std::string& text);

    /// The legs, agent by agent in the order they were added, each agent's in time order.
    /// What happens after `horizon_ms` is left out; a leg still open then ends at the horizon.
    /// A leg of no duration is left out (the one before it takes its end status when it was
    /// the last), unless it is the agent's only leg.
    std::vector<MovementLeg> legs(std::int64_t horizon_ms) const;

private:
    enum class MarkType : std::uint8_t { begin, pass, end };
    struct Mark {
        std::int64_t t_ms = 0;
        MarkType type = MarkType::pass;
        LegKind kind = LegKind::parked;
        geo::LonLat where;
        std::string text; ///< end: status
        std::string vehicle_id;
        std::string children;
    };
    struct AgentMarks {
        std::string id;
        AgentKind kind = AgentKind::child;
        std::vector<Mark> marks;
    };
    std::vector<AgentMarks> m_agents;
};

/// The movements of one run, ready to write.
struct Movements {
    std::uint64_t seed = 0; ///< the run's seed (trace.sonae's run)
    std::optional<planner::ClockTime> t0_clock;
    std::vector<MovementLeg> legs;
};

/// The layer `movements` (line geometry): agent_id, agent_kind, leg_no, leg, vehicle_id,
/// children, start_min, end_min, duration_min, start_at, end_at (datetimes, null without
/// t0_clock), end_status, length_m; Japanese aliases, a description and a default style
/// (coloured by leg kind; with t0_clock, start_at..end_at for the Temporal Controller).
geo::Layer movements_layer(const Movements& movements);

/// Writes simulation.gpkg (the layer above) at `path`, atomically, mode 0600 (children's
/// homes and movements: personal data). gpkg_contents.last_change as plan.gpkg's (the issue
/// date: SOURCE_DATE_EPOCH's date, or today in Japan).
void write_movements_geopackage(const std::filesystem::path& path, const Movements& movements);

} // namespace sonae::sim
