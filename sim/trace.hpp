#pragma once
/// The simulation trace: what happened, where and when, in a compact versioned binary file
/// that the viewer (sonae-view) replays. The byte layout is specified in sim/TRACE_FORMAT.md.
///
/// Producer side: a simulator fills a TraceWriter (static geometry and entities first, then
/// time-stamped samples and events in any order) and writes it atomically.
/// Consumer side: TraceReader validates and loads a file; a TraceCursor (one per thread)
/// reconstructs the state of every entity at any time by interpolating between samples,
/// decoding one compressed block per seek.
///
/// Positions are lon/lat degrees (WGS84/JGD2011), times are integer seconds since the
/// scenario's time origin (usually the alert), which may be negative.

#include "core/atomic_file.hpp"
#include "core/strong_id.hpp"
#include "geo/road_network.hpp"

#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sonae::sim {

/// Version written by this build; the reader accepts exactly this version.
inline constexpr std::uint32_t trace_format_version = 1;
/// The 8 bytes every trace file starts with.
inline constexpr std::string_view trace_magic{"SONAETRC", 8};

struct EntityTag {};
/// Index of a home, facility or vehicle in the trace (dense, in order of addition).
using EntityId = StrongId<EntityTag>;

/// What an entity is. Homes stand for one child and household each.
enum class EntityKind : std::uint8_t { home = 0, facility = 1, vehicle = 2, family_car = 3 };

/// State of an entity at a time. For homes these are the drill steps of DOMAIN.md section 4;
/// vehicles use idle/travelling/loading/arrived; facilities use idle (closed), powered (open
/// with power) and failed (load above power capacity or fuel out).
enum class StateCode : std::uint8_t {
    unknown = 0,
    idle = 1,         ///< nothing happening yet (before the alert; a parked vehicle)
    waiting = 2,      ///< alerted, waiting for the decision or for a vehicle
    packing = 3,      ///< packing devices and supplies
    carrying_out = 4, ///< carrying the child out of the home
    loading = 5,      ///< loading the child and devices into a vehicle
    travelling = 6,   ///< on the road
    arrived = 7,      ///< at the destination, not yet on shelter power
    powered = 8,      ///< devices connected to shelter (or vehicle) power
    failed = 9,       ///< a battery ran out, a deadline was missed, or a facility overloaded
    count_            ///< number of codes; keep last
};

/// Hazard type, for colour and legend.
enum class HazardKind : std::uint8_t {
    flood = 0,
    tsunami = 1,
    landslide = 2,
    storm_surge = 3,
    other = 4,
    count_
};

/// What an event records.
enum class EventKind : std::uint8_t {
    note = 0,
    alert = 1,
    decision = 2,
    packing_started = 3,
    carrying_out = 4,
    loading = 5,
    departed = 6,
    picked_up = 7,
    arrived = 8,
    power_connected = 9,
    battery_low = 10,
    battery_depleted = 11,
    road_closed = 12,
    rerouted = 13,
    facility_full = 14,
    power_overload = 15,
    deadline_missed = 16,
    count_
};

std::string_view to_string(EntityKind kind);
std::string_view to_string(StateCode code);
std::string_view to_string(HazardKind kind);
std::string_view to_string(EventKind kind);
/// Japanese labels for the viewer's legend and details ("移動中").
std::string_view japanese_label(StateCode code);
std::string_view japanese_label(EntityKind kind);
std::string_view japanese_label(HazardKind kind);
/// Japanese for events.csv (「到着」, 「電池切れ」).
std::string_view japanese_label(EventKind kind);

/// Beginnings of the t = 0 note on the home of a child the plan does not move
/// (TRACE_FORMAT.md, EVNT): the plan cannot serve it, or keeps it at home.
inline constexpr std::string_view cannot_serve_note = "対応できない";
inline constexpr std::string_view stays_home_note = "在宅避難";

/// A road drawn by class; geometry in lon/lat, at least two points.
struct TraceRoad {
    geo::RoadClass road_class = geo::RoadClass::other;
    std::vector<geo::LonLat> points;
};

/// One growth stage of a hazard area: from onset_t_s on, the area is this polygon (until
/// the next stage's onset). rings[0] is the outer ring, further rings are holes; filled by
/// the even-odd rule. Rings need not be closed (the first point is not repeated).
struct HazardStage {
    std::int64_t onset_t_s = 0;
    std::vector<std::vector<geo::LonLat>> rings;
};

/// A hazard area that appears at its first stage's onset and may grow in later stages.
struct HazardArea {
    std::string label; ///< e.g. "浸水想定区域 (L2)"
    HazardKind kind = HazardKind::flood;
    std::vector<HazardStage> stages; ///< sorted by onset (the writer sorts them)
    /// The stage in force at t_s, or nullptr before the first onset.
    const HazardStage* stage_at(std::int64_t t_s) const;
};

/// Static description of a home, facility or vehicle.
struct TraceEntity {
    EntityKind kind = EntityKind::home;
    /// Pseudonymous label only ("A-07"); never a name or address (DOMAIN.md section 6).
    std::string label;
    geo::LonLat position;          ///< home, facility site, or the vehicle's start
    std::uint32_t capacity = 0;    ///< facility: people; vehicle: seats for children
    double power_capacity_w = 0.0; ///< facility: generator/supply capacity; else 0
};

/// What the simulator records about one entity at one time. Fields that do not apply to
/// the entity's kind keep their defaults.
struct EntitySample {
    geo::LonLat position;
    StateCode state = StateCode::unknown;
    /// Homes: minutes the child's devices can still run on battery; NaN = not applicable
    /// (on mains or no battery-powered device). Stored as 32-bit float.
    double battery_margin_min = std::numeric_limits<double>::quiet_NaN();
    std::uint32_t occupancy = 0; ///< facility: people present; vehicle: children aboard
    double load_w = 0.0;         ///< facility: electrical load in watts (32-bit float)
};

/// State of one entity reconstructed at a time t.
struct EntityState {
    /// False before the entity's first sample (the viewer then shows only static things).
    bool present = false;
    EntitySample sample;
};

/// Something that happened. entity may be invalid for scenario-wide events (the alert).
struct TraceEvent {
    std::int64_t t_s = 0;
    EntityId entity;
    EventKind kind = EventKind::note;
    std::string text; ///< UTF-8, one line, may be Japanese
};

/// One step of a replayed drill: its planned and its recorded time (either may be unknown).
struct DrillReplayStep {
    std::string name;                         ///< Japanese step name, e.g. "出発"
    std::optional<std::int64_t> planned_t_s;  ///< the plan's time of the step
    std::optional<std::int64_t> recorded_t_s; ///< the time recorded in the drill
};

/// A child of a replayed drill (issue 21): the entities that show the drill as recorded and
/// the plan's ghost, with the step times the viewer compares on one clock.
struct DrillReplayChild {
    std::string label;                  ///< the child's pseudonymous id
    EntityId home;                      ///< the home (state follows the recorded steps)
    EntityId recorded;                  ///< the move as recorded
    EntityId planned;                   ///< the plan's ghost
    std::vector<DrillReplayStep> steps; ///< in the timeline's order (alert first)

    /// How far the recorded drill is behind the plan at t_s, in seconds (negative: ahead):
    /// the larger of (a) the gap at the last step the record has reached by t_s (recorded
    /// minus planned) and (b) for the next recorded step not yet reached, how long ago the
    /// plan reached it (t_s minus planned, when the plan is already past it). nullopt when no
    /// step up to t_s has both times and the plan is not past the next one.
    std::optional<std::int64_t> delay_at(std::int64_t t_s) const;
};

/// Header information: what the trace covers.
struct TraceMetadata {
    std::string title;             ///< scenario name, shown by the viewer
    std::string crs = "EPSG:6668"; ///< CRS of all coordinates (JGD2011 geographic)
    int metric_epsg = 0;           ///< metric CRS the simulation used, 0 if none
    /// Wall-clock time of t_s = 0 as Unix seconds, 0 if unknown (the viewer then shows
    /// elapsed time only).
    std::int64_t epoch_unix_s = 0;
    /// UTC offset for showing wall-clock times (Japan: +9 h).
    std::int32_t utc_offset_s = 9 * 3600;
    geo::LonLat extent_min; ///< network extent, lon/lat
    geo::LonLat extent_max;
    std::int64_t start_t_s = 0; ///< time range covered
    std::int64_t end_t_s = 0;
};

/// One compressed block of samples in the index (see TRACE_FORMAT.md "Blocks").
struct TraceBlockInfo {
    std::int64_t t_begin_s = 0; ///< first time this block answers for (inclusive)
    std::int64_t t_end_s = 0;   ///< next block's t_begin_s (exclusive); last: end of trace
    std::uint64_t offset = 0;   ///< byte offset of the compressed payload in the file
    std::uint32_t compressed_size = 0;
    std::uint32_t raw_size = 0;
    std::uint32_t record_count = 0;
    std::uint32_t crc32 = 0;
};

/// Builder the simulator fills. Not thread-safe; one per replication.
class TraceWriter {
public:
    /// extent and time range in `metadata` are widened to cover everything added; leave them
    /// at their defaults to have them computed.
    explicit TraceWriter(TraceMetadata metadata = {});

    /// Adds one road polyline (>= 2 points). Throws InternalError on fewer points.
    void add_road(geo::RoadClass road_class, std::vector<geo::LonLat> points);
    /// Adds every road of a network with coordinates, each two-way street once. O(E).
    void add_roads(const geo::RoadNetwork& network);
    /// Adds a hazard area (>= 1 stage, each with an outer ring of >= 3 points).
    void add_hazard(HazardArea hazard);
    /// Adds a home, facility or vehicle and returns its id.
    EntityId add_entity(TraceEntity entity);
    EntityId add_home(std::string label, geo::LonLat position);
    EntityId add_facility(std::string label, geo::LonLat position, std::uint32_t capacity_people,
                          double power_capacity_w);
    EntityId add_vehicle(std::string label, EntityKind kind, geo::LonLat start,
                         std::uint32_t seats);

    /// Records the state of `entity` at t_s. Calls may come in any order; a second sample for
    /// the same entity and time replaces the first. Between two samples the reader
    /// interpolates position, battery margin and load linearly, so record a sample at every
    /// turn of a route (each road node passed) and at every change of state.
    /// Throws InternalError for an unknown entity or non-finite coordinates.
    void sample(std::int64_t t_s, EntityId entity, const EntitySample& state);
    /// Records an event (entity may be EntityId::invalid() for scenario-wide ones).
    void event(std::int64_t t_s, EntityId entity, EventKind kind, std::string text);
    /// Marks the trace as a drill replay and adds one child (optional DRIL section; traces
    /// without drill children stay byte-identical to before). Throws InternalError for an
    /// unknown entity.
    void add_drill_child(DrillReplayChild child);

    /// Samples per block are at least this many (default: max(4096, 2 x entities)); a block
    /// also stores one carried-in and one look-ahead sample per entity, so larger blocks
    /// mean smaller files and slower seeks.
    void set_min_block_samples(std::size_t samples) { m_min_block_samples = samples; }

    std::size_t entity_count() const noexcept { return m_entities.size(); }
    std::size_t sample_count() const noexcept { return m_samples.size(); }

    /// The complete file content. Deterministic: the same calls in any order give the same
    /// bytes (events with equal time are ordered by entity, kind, text).
    std::string encode() const;
    /// Writes the file atomically (temp file + rename). Traces hold home positions, so the
    /// default mode is personal (0600). Throws IoError.
    void write(const std::filesystem::path& file, FileMode mode = FileMode::personal) const;

private:
    struct PendingSample {
        std::uint32_t entity;
        std::int64_t t_s;
        std::uint64_t sequence;
        EntitySample state;
    };
    TraceMetadata m_metadata;
    std::vector<TraceRoad> m_roads;
    std::vector<HazardArea> m_hazards;
    std::vector<TraceEntity> m_entities;
    std::vector<PendingSample> m_samples;
    std::vector<TraceEvent> m_events;
    std::vector<DrillReplayChild> m_drill;
    std::size_t m_min_block_samples = 0;
};

/// A validated trace file held in memory. Construction reads the whole file and checks the
/// magic, version, every size against the file size, and every checksum (header, sections
/// and sample blocks), so a file that opens is safe to replay. A missing, truncated, corrupt
/// or wrong-version file throws sonae::InputError naming the file and what is wrong;
/// an unreadable one throws IoError.
class TraceReader {
public:
    explicit TraceReader(const std::filesystem::path& file);
    /// Reads from bytes already in memory; `name` is used in error messages.
    TraceReader(std::string bytes, std::string name);

    const std::string& name() const noexcept { return m_name; }
    const TraceMetadata& metadata() const noexcept { return m_metadata; }
    std::span<const TraceRoad> roads() const noexcept { return m_roads; }
    std::span<const HazardArea> hazards() const noexcept { return m_hazards; }
    std::span<const TraceEntity> entities() const noexcept { return m_entities; }
    const TraceEntity& entity(EntityId id) const { return m_entities.at(id.value()); }
    /// All events, sorted by time.
    std::span<const TraceEvent> events() const noexcept { return m_events; }
    /// Events with from_t_s <= t_s < to_t_s. O(log n + k).
    std::span<const TraceEvent> events_between(std::int64_t from_t_s, std::int64_t to_t_s) const;
    std::span<const TraceBlockInfo> blocks() const noexcept { return m_blocks; }
    /// The children of a drill replay (empty for a simulation trace).
    std::span<const DrillReplayChild> drill_children() const noexcept { return m_drill; }
    std::uint64_t sample_count() const noexcept { return m_sample_count; }

    /// Index of the block that answers for t_s (the last with t_begin_s <= t_s, or 0).
    /// Precondition: !blocks().empty().
    std::size_t block_for(std::int64_t t_s) const;

    /// Writes the events as CSV through core::csv_text (the formula guard), UTF-8 with BOM,
    /// atomically, with Japanese headers: 経過秒 (t_s), 発令から (h:mm:ss since t=0),
    /// 日時 (local date and time when the trace knows t0's clock: manifest t0_clock), 対象
    /// (entity label), 対象の種類, 出来事 (event kind), 内容 (the event's text).
    /// Mode personal. Throws IoError.
    void write_events_csv(const std::filesystem::path& file,
                          FileMode mode = FileMode::personal) const;
    /// The CSV content written by write_events_csv.
    std::string events_csv() const;

private:
    friend class TraceCursor;
    void parse();
    std::string m_bytes;
    std::string m_name;
    TraceMetadata m_metadata;
    std::vector<TraceRoad> m_roads;
    std::vector<HazardArea> m_hazards;
    std::vector<TraceEntity> m_entities;
    std::vector<TraceEvent> m_events;
    std::vector<TraceBlockInfo> m_blocks;
    std::vector<DrillReplayChild> m_drill;
    std::uint64_t m_sample_count = 0;
};

/// Reconstructs states at any time from a reader (which must outlive it). Keeps the last
/// decoded block, so playing forward decodes each block once. One cursor per thread.
class TraceCursor {
public:
    explicit TraceCursor(const TraceReader& reader);

    /// The state of every entity at t_s, indexed by EntityId (size = entity count).
    /// Before an entity's first sample: present = false; after its last: its last sample.
    /// Between samples a and b: position, battery margin and load are interpolated
    /// linearly; state and occupancy are those of a. Seeking decodes at most one block.
    const std::vector<EntityState>& states_at(std::int64_t t_s);
    /// One entity's state at t_s (decodes the block if needed).
    EntityState state_at(std::int64_t t_s, EntityId entity);
    /// Every sample of one entity over the whole trace, in time order (decodes all blocks;
    /// for the details panel and tests).
    std::vector<std::pair<std::int64_t, EntitySample>> samples_of(EntityId entity);

private:
    struct Decoded {
        std::vector<std::uint32_t> first; // entity_count + 1 offsets
        std::vector<std::int64_t> t_s;
        std::vector<EntitySample> samples;
    };
    const Decoded& block(std::size_t index);
    EntityState interpolate(const Decoded& block, std::uint32_t entity, std::int64_t t_s) const;

    const TraceReader* m_reader;
    std::size_t m_block_index = static_cast<std::size_t>(-1);
    Decoded m_block;
    std::vector<EntityState> m_states;
};

} // namespace sonae::sim
