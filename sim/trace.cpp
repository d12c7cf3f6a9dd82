#include "sim/trace.hpp"

#include "core/calendar.hpp"
#include "core/csv_text.hpp"
#include "core/error.hpp"
#include "core/time_text.hpp"
#include "geo/input_file.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>
#include <zlib.h>

namespace sonae::sim {

static_assert(std::endian::native == std::endian::little,
              "the trace format is little-endian; add byte swapping for this platform");

namespace {

constexpr std::uint32_t no_entity = 0xFFFFFFFFu;
constexpr std::size_t file_header_size = 32;
constexpr std::size_t section_entry_size = 24;
constexpr std::size_t max_sections = 64;
// Per record in a block: t (8), lon (4), lat (4), battery margin (4), load (4), occupancy (4),
// state (1).
constexpr std::size_t block_record_size = 29;
constexpr double e7 = 1e7;

constexpr std::array<std::string_view, 7> section_tags = {"META", "ROAD", "HAZD", "ENTS",
                                                          "EVNT", "INDX", "BLKS"};
enum SectionIndex { s_meta, s_road, s_hazd, s_ents, s_evnt, s_indx, s_blks };
// Optional: the children of a drill replay (TRACE_FORMAT.md "DRIL").
constexpr std::string_view drill_section_tag = "DRIL";

std::int32_t to_e7(double degrees) {
    return static_cast<std::int32_t>(std::llround(degrees * e7));
}
double from_e7(std::int32_t value) {
    return static_cast<double>(value) / e7;
}

std::uint32_t crc_of(const char* data, std::size_t size) {
    uLong crc = crc32(0L, Z_NULL, 0);
    // zlib takes uInt lengths; feed large buffers in pieces.
    while (size > 0) {
        const auto piece = static_cast<uInt>(std::min<std::size_t>(size, 1u << 30));
        crc = crc32(crc, reinterpret_cast<const Bytef*>(data), piece);
        data += piece;
        size -= piece;
    }
    return static_cast<std::uint32_t>(crc);
}

// ---------------------------------------------------------------- writing

class ByteWriter {
public:
    template <typename T>
    void put(T value) {
        static_assert(std::is_trivially_copyable_v<T>);
        char buf[sizeof(T)];
        std::memcpy(buf, &value, sizeof(T));
        m_out.append(buf, sizeof(T));
    }
    void put_string(std::string_view text) {
        put<std::uint32_t>(static_cast<std::uint32_t>(text.size()));
        m_out.append(text.data(), text.size());
    }
    void put_point(geo::LonLat p) {
        put<std::int32_t>(to_e7(p.lon));
        put<std::int32_t>(to_e7(p.lat));
    }
    void put_points(const std::vector<geo::LonLat>& points) {
        put<std::uint32_t>(static_cast<std::uint32_t>(points.size()));
        for (const auto& p : points) put_point(p);
    }
    std::string& str() { return m_out; }

private:
    std::string m_out;
};

void check_point(geo::LonLat p, const char* what) {
    if (!std::isfinite(p.lon) || !std::isfinite(p.lat) || p.lon < -180.0 || p.lon > 180.0 ||
        p.lat < -90.0 || p.lat > 90.0) {
        throw InternalError(std::string("trace: ") + what + " has a position outside lon/lat range",
                            {.value = std::to_string(p.lon) + " " + std::to_string(p.lat)});
    }
}

struct Extent {
    double min_lon = std::numeric_limits<double>::infinity();
    double min_lat = std::numeric_limits<double>::infinity();
    double max_lon = -std::numeric_limits<double>::infinity();
    double max_lat = -std::numeric_limits<double>::infinity();
    void add(geo::LonLat p) {
        min_lon = std::min(min_lon, p.lon);
        min_lat = std::min(min_lat, p.lat);
        max_lon = std::max(max_lon, p.lon);
        max_lat = std::max(max_lat, p.lat);
    }
    bool empty() const { return min_lon > max_lon; }
};

struct TimeRange {
    std::int64_t min = std::numeric_limits<std::int64_t>::max();
    std::int64_t max = std::numeric_limits<std::int64_t>::min();
    void add(std::int64_t t) {
        min = std::min(min, t);
        max = std::max(max, t);
    }
    bool empty() const { return min > max; }
};

std::string compress_block(const std::string& raw) {
    uLongf bound = compressBound(static_cast<uLong>(raw.size()));
    std::string out(bound, '\0');
    const int rc =
        compress2(reinterpret_cast<Bytef*>(out.data()), &bound,
                  reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()), 6);
    if (rc != Z_OK) throw InternalError("trace: zlib compression failed");
    out.resize(bound);
    return out;
}

// ---------------------------------------------------------------- reading

class ByteReader {
public:
    ByteReader(std::string_view data, const std::string& file, std::string section)
        : m_data(data), m_file(file), m_section(std::move(section)) {}

    [[noreturn]] void fail(const std::string& what) const {
        throw InputError("corrupt trace: " + what + " (section " + m_section + ", byte " +
                             std::to_string(m_pos) + ")",
                         {.file = m_file});
    }
    void need(std::size_t bytes) const {
        if (bytes > m_data.size() - m_pos) fail("data ends early");
    }
    template <typename T>
    T get() {
        need(sizeof(T));
        T value;
        std::memcpy(&value, m_data.data() + m_pos, sizeof(T));
        m_pos += sizeof(T);
        return value;
    }
    std::string get_string() {
        const auto n = get<std::uint32_t>();
        need(n);
        std::string s(m_data.substr(m_pos, n));
        m_pos += n;
        return s;
    }
    geo::LonLat get_point() {
        const auto lon = get<std::int32_t>();
        const auto lat = get<std::int32_t>();
        geo::LonLat p{from_e7(lon), from_e7(lat)};
        if (p.lon < -180.0 || p.lon > 180.0 || p.lat < -90.0 || p.lat > 90.0)
            fail("a coordinate is outside lon/lat range");
        return p;
    }
    /// A count of items each at least `min_item_bytes` long: refuses counts the remaining
    /// bytes cannot hold, so a corrupt count never causes a huge allocation.
    std::uint32_t get_count(std::size_t min_item_bytes) {
        const auto n = get<std::uint32_t>();
        if (min_item_bytes > 0 && n > (m_data.size() - m_pos) / min_item_bytes)
            fail("a count (" + std::to_string(n) + ") is larger than the data");
        return n;
    }
    std::vector<geo::LonLat> get_points() {
        const auto n = get_count(8);
        std::vector<geo::LonLat> points;
        points.reserve(n);
        for (std::uint32_t i = 0; i < n; ++i) points.push_back(get_point());
        return points;
    }
    bool at_end() const { return m_pos == m_data.size(); }

private:
    std::string_view m_data;
    std::size_t m_pos = 0;
    const std::string& m_file;
    std::string m_section;
};

template <typename E>
E get_enum(ByteReader& in, const char* what) {
    const auto raw = in.get<std::uint8_t>();
    if (raw >= static_cast<std::uint8_t>(E::count_))
        in.fail(std::string("unknown ") + what + " code " + std::to_string(raw));
    return static_cast<E>(raw);
}

} // namespace

// ---------------------------------------------------------------- names

std::string_view to_string(EntityKind kind) {
    switch (kind) {
    case EntityKind::home: return "home";
    case EntityKind::facility: return "facility";
    case EntityKind::vehicle: return "vehicle";
    case EntityKind::family_car: return "family_car";
    }
    return "unknown";
}

std::string_view to_string(StateCode code) {
    static constexpr std::array<std::string_view, static_cast<std::size_t>(StateCode::count_)>
        names = {"unknown", "idle",       "waiting", "packing", "carrying_out",
                 "loading", "travelling", "arrived", "powered", "failed"};
    const auto i = static_cast<std::size_t>(code);
    return i < names.size() ? names[i] : "unknown";
}

std::string_view to_string(HazardKind kind) {
    static constexpr std::array<std::string_view, static_cast<std::size_t>(HazardKind::count_)>
        names = {"flood", "tsunami", "landslide", "storm_surge", "other"};
    const auto i = static_cast<std::size_t>(kind);
    return i < names.size() ? names[i] : "other";
}

std::string_view to_string(EventKind kind) {
    static constexpr std::array<std::string_view, static_cast<std::size_t>(EventKind::count_)>
        names = {"note",           "alert",           "decision",      "packing_started",
                 "carrying_out",   "loading",         "departed",      "picked_up",
                 "arrived",        "power_connected", "battery_low",   "battery_depleted",
                 "road_closed",    "rerouted",        "facility_full", "power_overload",
                 "deadline_missed"};
    const auto i = static_cast<std::size_t>(kind);
    return i < names.size() ? names[i] : "note";
}

std::string_view japanese_label(StateCode code) {
    static constexpr std::array<std::string_view, static_cast<std::size_t>(StateCode::count_)>
        names = {"不明",     "待機",   "判断待ち", "荷造り中", "搬出中",
                 "積込み中", "移動中", "到着",     "電源接続", "失敗"};
    const auto i = static_cast<std::size_t>(code);
    return i < names.size() ? names[i] : "不明";
}

std::string_view japanese_label(EntityKind kind) {
    switch (kind) {
    case EntityKind::home: return "自宅 (医療的ケア児)";
    case EntityKind::facility: return "避難所・施設";
    case EntityKind::vehicle: return "支援車両";
    case EntityKind::family_car: return "家族の車";
    }
    return "不明";
}

std::string_view japanese_label(EventKind kind) {
    static constexpr std::array<std::string_view, static_cast<std::size_t>(EventKind::count_)>
        names = {"記録",     "警報・発令", "避難の判断", "荷造り開始",   "搬出",       "乗車",
                 "出発",     "迎え",       "到着",       "電源に接続",   "電池残り少", "電池切れ",
                 "通行止め", "経路変更",   "施設が満員", "電源の過負荷", "期限に遅れ"};
    const auto i = static_cast<std::size_t>(kind);
    return i < names.size() ? names[i] : "記録";
}

std::string_view japanese_label(HazardKind kind) {
    static constexpr std::array<std::string_view, static_cast<std::size_t>(HazardKind::count_)>
        names = {"浸水", "津波", "土砂災害", "高潮", "その他の危険"};
    const auto i = static_cast<std::size_t>(kind);
    return i < names.size() ? names[i] : "その他の危険";
}

const HazardStage* HazardArea::stage_at(std::int64_t t_s) const {
    const HazardStage* found = nullptr;
    for (const auto& stage : stages) {
        if (stage.onset_t_s <= t_s)
            found = &stage;
        else
            break;
    }
    return found;
}

// ---------------------------------------------------------------- writer

TraceWriter::TraceWriter(TraceMetadata metadata) : m_metadata(std::move(metadata)) {}

void TraceWriter::add_road(geo::RoadClass road_class, std::vector<geo::LonLat> points) {
    if (points.size() < 2) throw InternalError("trace: a road needs at least two points");
    if (road_class >= geo::RoadClass::count_) throw InternalError("trace: bad road class");
    for (const auto& p : points) check_point(p, "a road");
    m_roads.push_back({road_class, std::move(points)});
}

void TraceWriter::add_roads(const geo::RoadNetwork& network) {
    if (!network.has_coordinates())
        throw InternalError("trace: the road network has no coordinates to draw");
    for (std::uint32_t e = 0; e < network.edge_count(); ++e) {
        const geo::EdgeId edge(e);
        const auto u = network.tail(edge);
        const auto v = network.head(edge);
        // Draw each street once: of a pair of opposite edges keep the one from the lower node.
        if (v < u && network.find_edge(v, u)) continue;
        add_road(network.road_class(edge), network.edge_geometry(edge));
    }
}

void TraceWriter::add_hazard(HazardArea hazard) {
    if (hazard.stages.empty()) throw InternalError("trace: a hazard area needs a stage");
    if (hazard.kind >= HazardKind::count_) throw InternalError("trace: bad hazard kind");
    for (const auto& stage : hazard.stages) {
        if (stage.rings.empty() || stage.rings.front().size() < 3)
            throw InternalError("trace: a hazard stage needs an outer ring of 3 or more points",
                                {.feature = hazard.label});
        for (const auto& ring : stage.rings)
            for (const auto& p : ring) check_point(p, "a hazard area");
    }
    std::stable_sort(
        hazard.stages.begin(), hazard.stages.end(),
        [](const HazardStage& a, const HazardStage& b) { return a.onset_t_s < b.onset_t_s; });
    m_hazards.push_back(std::move(hazard));
}

EntityId TraceWriter::add_entity(TraceEntity entity) {
    if (entity.kind > EntityKind::family_car) throw InternalError("trace: bad entity kind");
    check_point(entity.position, "an entity");
    if (!std::isfinite(entity.power_capacity_w))
        throw InternalError("trace: power capacity is not a number", {.feature = entity.label});
    if (m_entities.size() >= no_entity - 1) throw InternalError("trace: too many entities");
    m_entities.push_back(std::move(entity));
    return EntityId(static_cast<std::uint32_t>(m_entities.size() - 1));
}

EntityId TraceWriter::add_home(std::string label, geo::LonLat position) {
    return add_entity({EntityKind::home, std::move(label), position, 0, 0.0});
}

EntityId TraceWriter::add_facility(std::string label, geo::LonLat position,
                                   std::uint32_t capacity_people, double power_capacity_w) {
    return add_entity(
        {EntityKind::facility, std::move(label), position, capacity_people, power_capacity_w});
}

EntityId TraceWriter::add_vehicle(std::string label, EntityKind kind, geo::LonLat start,
                                  std::uint32_t seats) {
    if (kind != EntityKind::vehicle && kind != EntityKind::family_car)
        throw InternalError("trace: add_vehicle needs kind vehicle or family_car");
    return add_entity({kind, std::move(label), start, seats, 0.0});
}

void TraceWriter::sample(std::int64_t t_s, EntityId entity, const EntitySample& state) {
    if (!entity.valid() || entity.value() >= m_entities.size())
        throw InternalError("trace: sample for an unknown entity",
                            {.value = std::to_string(entity.value())});
    check_point(state.position, "a sample");
    if (state.state >= StateCode::count_) throw InternalError("trace: bad state code");
    if (!std::isfinite(state.load_w)) throw InternalError("trace: load is not a number");
    m_samples.push_back({entity.value(), t_s, m_samples.size(), state});
}

void TraceWriter::event(std::int64_t t_s, EntityId entity, EventKind kind, std::string text) {
    if (entity.valid() && entity.value() >= m_entities.size())
        throw InternalError("trace: event for an unknown entity",
                            {.value = std::to_string(entity.value())});
    if (kind >= EventKind::count_) throw InternalError("trace: bad event kind");
    m_events.push_back({t_s, entity, kind, std::move(text)});
}

void TraceWriter::add_drill_child(DrillReplayChild child) {
    for (const auto id : {child.home, child.recorded, child.planned}) {
        if (!id.valid() || id.value() >= m_entities.size())
            throw InternalError("trace: drill child " + child.label + " names an unknown entity");
    }
    m_drill.push_back(std::move(child));
}

std::optional<std::int64_t> DrillReplayChild::delay_at(std::int64_t t_s) const {
    std::optional<std::int64_t> delay;
    std::size_t next = 0;
    for (std::size_t k = 0; k < steps.size(); ++k) {
        const auto& step = steps[k];
        if (!step.recorded_t_s) continue;
        if (*step.recorded_t_s > t_s) break;
        if (step.planned_t_s) delay = *step.recorded_t_s - *step.planned_t_s;
        next = k + 1;
    }
    for (std::size_t k = next; k < steps.size(); ++k) {
        const auto& step = steps[k];
        if (!step.recorded_t_s) continue; // a step the drill did not record says nothing
        if (step.planned_t_s && *step.planned_t_s < t_s) {
            const std::int64_t behind = t_s - *step.planned_t_s;
            delay = delay ? std::max(*delay, behind) : behind;
        }
        break;
    }
    return delay;
}

std::string TraceWriter::encode() const {
    const auto entity_count = static_cast<std::uint32_t>(m_entities.size());

    // Samples by (entity, time); of equal (entity, time) the last call wins.
    std::vector<PendingSample> samples = m_samples;
    std::sort(samples.begin(), samples.end(), [](const PendingSample& a, const PendingSample& b) {
        if (a.entity != b.entity) return a.entity < b.entity;
        if (a.t_s != b.t_s) return a.t_s < b.t_s;
        return a.sequence < b.sequence;
    });
    {
        std::vector<PendingSample> unique;
        unique.reserve(samples.size());
        for (auto& s : samples) {
            if (!unique.empty() && unique.back().entity == s.entity && unique.back().t_s == s.t_s)
                unique.back() = s;
            else
                unique.push_back(s);
        }
        samples.swap(unique);
    }
    std::vector<std::size_t> first(entity_count + 1, 0);
    for (const auto& s : samples) ++first[s.entity + 1];
    std::partial_sum(first.begin(), first.end(), first.begin());

    std::vector<TraceEvent> events = m_events;
    std::sort(events.begin(), events.end(), [](const TraceEvent& a, const TraceEvent& b) {
        if (a.t_s != b.t_s) return a.t_s < b.t_s;
        if (a.entity != b.entity) return a.entity < b.entity;
        if (a.kind != b.kind) return a.kind < b.kind;
        return a.text < b.text;
    });

    // Header: extent and time range cover everything in the trace.
    TraceMetadata meta = m_metadata;
    Extent extent;
    if (!(meta.extent_min == geo::LonLat{} && meta.extent_max == geo::LonLat{})) {
        extent.add(meta.extent_min);
        extent.add(meta.extent_max);
    }
    for (const auto& r : m_roads)
        for (const auto& p : r.points) extent.add(p);
    for (const auto& h : m_hazards)
        for (const auto& st : h.stages)
            for (const auto& ring : st.rings)
                for (const auto& p : ring) extent.add(p);
    for (const auto& e : m_entities) extent.add(e.position);
    for (const auto& s : samples) extent.add(s.state.position);
    if (!extent.empty()) {
        meta.extent_min = {extent.min_lon, extent.min_lat};
        meta.extent_max = {extent.max_lon, extent.max_lat};
    }
    TimeRange range;
    if (meta.start_t_s != 0 || meta.end_t_s != 0) {
        range.add(meta.start_t_s);
        range.add(meta.end_t_s);
    }
    for (const auto& s : samples) range.add(s.t_s);
    for (const auto& e : events) range.add(e.t_s);
    for (const auto& h : m_hazards)
        for (const auto& st : h.stages) range.add(st.onset_t_s);
    if (!range.empty()) {
        meta.start_t_s = range.min;
        meta.end_t_s = range.max;
    }

    // Blocks: cut the timeline so each block holds at least `target` samples, never splitting
    // one time stamp across two blocks.
    const std::size_t target = m_min_block_samples > 0
                                   ? m_min_block_samples
                                   : std::max<std::size_t>(4096, 2 * std::size_t{entity_count});
    std::map<std::int64_t, std::size_t> per_time;
    for (const auto& s : samples) ++per_time[s.t_s];
    std::vector<std::int64_t> block_begin;
    std::size_t accumulated = target; // forces a block at the first time
    for (const auto& [t, n] : per_time) {
        if (accumulated >= target) {
            block_begin.push_back(t);
            accumulated = 0;
        }
        accumulated += n;
    }

    std::string blocks_payload;
    std::vector<TraceBlockInfo> index;
    std::vector<std::size_t> cursor(entity_count);
    for (std::uint32_t e = 0; e < entity_count; ++e) cursor[e] = first[e];
    for (std::size_t k = 0; k < block_begin.size(); ++k) {
        const std::int64_t t_begin = block_begin[k];
        const bool last = k + 1 == block_begin.size();
        const std::int64_t t_next =
            last ? std::numeric_limits<std::int64_t>::max() : block_begin[k + 1];
        std::vector<std::uint32_t> counts(entity_count, 0);
        std::vector<const PendingSample*> records;
        for (std::uint32_t e = 0; e < entity_count; ++e) {
            std::size_t i = cursor[e];
            while (i < first[e + 1] && samples[i].t_s < t_begin) ++i;
            cursor[e] = i;
            // Carried in: the last sample before the block, so the block stands alone.
            std::size_t from = i > first[e] ? i - 1 : i;
            std::size_t to = i;
            while (to < first[e + 1] && samples[to].t_s < t_next) ++to;
            // Look-ahead: the first sample after the block, to interpolate up to its end.
            if (to < first[e + 1]) ++to;
            counts[e] = static_cast<std::uint32_t>(to - from);
            for (std::size_t j = from; j < to; ++j) records.push_back(&samples[j]);
        }
        ByteWriter raw;
        for (auto c : counts) raw.put<std::uint32_t>(c);
        // Columns, with time and position delta-coded within each entity's run.
        std::size_t pos = 0;
        auto each_run = [&](auto&& fn) {
            pos = 0;
            for (std::uint32_t e = 0; e < entity_count; ++e) {
                for (std::uint32_t j = 0; j < counts[e]; ++j)
                    fn(*records[pos + j], j == 0 ? nullptr : records[pos + j - 1]);
                pos += counts[e];
            }
        };
        each_run([&](const PendingSample& s, const PendingSample* prev) {
            raw.put<std::int64_t>(prev ? s.t_s - prev->t_s : s.t_s);
        });
        each_run([&](const PendingSample& s, const PendingSample* prev) {
            const auto v = static_cast<std::uint32_t>(to_e7(s.state.position.lon));
            raw.put<std::uint32_t>(
                prev ? v - static_cast<std::uint32_t>(to_e7(prev->state.position.lon)) : v);
        });
        each_run([&](const PendingSample& s, const PendingSample* prev) {
            const auto v = static_cast<std::uint32_t>(to_e7(s.state.position.lat));
            raw.put<std::uint32_t>(
                prev ? v - static_cast<std::uint32_t>(to_e7(prev->state.position.lat)) : v);
        });
        for (const auto* s : records)
            raw.put<float>(static_cast<float>(s->state.battery_margin_min));
        for (const auto* s : records) raw.put<float>(static_cast<float>(s->state.load_w));
        for (const auto* s : records) raw.put<std::uint32_t>(s->state.occupancy);
        for (const auto* s : records)
            raw.put<std::uint8_t>(static_cast<std::uint8_t>(s->state.state));

        const std::string packed = compress_block(raw.str());
        if (raw.str().size() > 0xFFFFFFFFu || packed.size() > 0xFFFFFFFFu)
            throw InternalError("trace: a sample block exceeds 4 GiB; lower the block size");
        TraceBlockInfo info;
        info.t_begin_s = t_begin;
        info.offset = blocks_payload.size(); // made absolute below
        info.compressed_size = static_cast<std::uint32_t>(packed.size());
        info.raw_size = static_cast<std::uint32_t>(raw.str().size());
        info.record_count = static_cast<std::uint32_t>(records.size());
        info.crc32 = crc_of(packed.data(), packed.size());
        index.push_back(info);
        blocks_payload += packed;
    }

    // Sections.
    std::array<std::string, section_tags.size()> payload;
    {
        ByteWriter w;
        w.put_string(meta.title);
        w.put_string(meta.crs);
        w.put<std::int32_t>(meta.metric_epsg);
        w.put<std::int64_t>(meta.epoch_unix_s);
        w.put<std::int32_t>(meta.utc_offset_s);
        w.put<double>(meta.extent_min.lon);
        w.put<double>(meta.extent_min.lat);
        w.put<double>(meta.extent_max.lon);
        w.put<double>(meta.extent_max.lat);
        w.put<std::int64_t>(meta.start_t_s);
        w.put<std::int64_t>(meta.end_t_s);
        w.put<std::uint32_t>(entity_count);
        w.put<std::uint64_t>(samples.size());
        payload[s_meta] = std::move(w.str());
    }
    {
        ByteWriter w;
        w.put<std::uint32_t>(static_cast<std::uint32_t>(m_roads.size()));
        for (const auto& r : m_roads) {
            w.put<std::uint8_t>(static_cast<std::uint8_t>(r.road_class));
            w.put_points(r.points);
        }
        payload[s_road] = std::move(w.str());
    }
    {
        ByteWriter w;
        w.put<std::uint32_t>(static_cast<std::uint32_t>(m_hazards.size()));
        for (const auto& h : m_hazards) {
            w.put_string(h.label);
            w.put<std::uint8_t>(static_cast<std::uint8_t>(h.kind));
            w.put<std::uint32_t>(static_cast<std::uint32_t>(h.stages.size()));
            for (const auto& st : h.stages) {
                w.put<std::int64_t>(st.onset_t_s);
                w.put<std::uint32_t>(static_cast<std::uint32_t>(st.rings.size()));
                for (const auto& ring : st.rings) w.put_points(ring);
            }
        }
        payload[s_hazd] = std::move(w.str());
    }
    {
        ByteWriter w;
        w.put<std::uint32_t>(entity_count);
        for (const auto& e : m_entities) {
            w.put<std::uint8_t>(static_cast<std::uint8_t>(e.kind));
            w.put_string(e.label);
            w.put_point(e.position);
            w.put<std::uint32_t>(e.capacity);
            w.put<double>(e.power_capacity_w);
        }
        payload[s_ents] = std::move(w.str());
    }
    {
        ByteWriter w;
        w.put<std::uint32_t>(static_cast<std::uint32_t>(events.size()));
        for (const auto& e : events) {
            w.put<std::int64_t>(e.t_s);
            w.put<std::uint32_t>(e.entity.valid() ? e.entity.value() : no_entity);
            w.put<std::uint8_t>(static_cast<std::uint8_t>(e.kind));
            w.put_string(e.text);
        }
        payload[s_evnt] = std::move(w.str());
    }

    // The optional drill section (only drill replays have it, so other traces keep their
    // bytes): children by label for a deterministic order.
    std::string drill_payload;
    if (!m_drill.empty()) {
        std::vector<const DrillReplayChild*> children;
        for (const auto& c : m_drill) children.push_back(&c);
        std::stable_sort(children.begin(), children.end(),
                         [](const DrillReplayChild* a, const DrillReplayChild* b) {
                             return a->label < b->label;
                         });
        ByteWriter w;
        w.put<std::uint32_t>(static_cast<std::uint32_t>(children.size()));
        for (const auto* c : children) {
            w.put_string(c->label);
            w.put<std::uint32_t>(c->home.value());
            w.put<std::uint32_t>(c->recorded.value());
            w.put<std::uint32_t>(c->planned.value());
            w.put<std::uint32_t>(static_cast<std::uint32_t>(c->steps.size()));
            for (const auto& st : c->steps) {
                w.put_string(st.name);
                w.put<std::uint8_t>(static_cast<std::uint8_t>((st.planned_t_s ? 1 : 0) |
                                                              (st.recorded_t_s ? 2 : 0)));
                w.put<std::int64_t>(st.planned_t_s.value_or(0));
                w.put<std::int64_t>(st.recorded_t_s.value_or(0));
            }
        }
        drill_payload = std::move(w.str());
    }
    const std::size_t section_count = section_tags.size() + (m_drill.empty() ? 0 : 1);

    // Offsets: header, section table, then sections in tag order (DRIL, if any, before INDX);
    // BLKS last.
    std::uint64_t offset = file_header_size + section_count * section_entry_size;
    std::array<std::uint64_t, section_tags.size()> section_offset{};
    for (std::size_t s = 0; s < s_indx; ++s) {
        section_offset[s] = offset;
        offset += payload[s].size();
    }
    const std::uint64_t drill_offset = offset;
    offset += drill_payload.size();
    const std::size_t index_size = 4 + index.size() * 32;
    section_offset[s_indx] = offset;
    offset += index_size;
    section_offset[s_blks] = offset;
    {
        ByteWriter w;
        w.put<std::uint32_t>(static_cast<std::uint32_t>(index.size()));
        for (const auto& b : index) {
            w.put<std::int64_t>(b.t_begin_s);
            w.put<std::uint64_t>(b.offset + section_offset[s_blks]);
            w.put<std::uint32_t>(b.compressed_size);
            w.put<std::uint32_t>(b.raw_size);
            w.put<std::uint32_t>(b.record_count);
            w.put<std::uint32_t>(b.crc32);
        }
        payload[s_indx] = std::move(w.str());
    }
    payload[s_blks] = std::move(blocks_payload);
    const std::uint64_t file_size = offset + payload[s_blks].size();

    ByteWriter head;
    head.str().append(trace_magic.data(), trace_magic.size());
    head.put<std::uint32_t>(trace_format_version);
    head.put<std::uint32_t>(static_cast<std::uint32_t>(section_count));
    head.put<std::uint64_t>(file_size);
    ByteWriter table;
    for (std::size_t s = 0; s < section_tags.size(); ++s) {
        if (s == s_indx && !m_drill.empty()) {
            table.str().append(drill_section_tag.data(), 4);
            table.put<std::uint32_t>(crc_of(drill_payload.data(), drill_payload.size()));
            table.put<std::uint64_t>(drill_offset);
            table.put<std::uint64_t>(drill_payload.size());
        }
        table.str().append(section_tags[s].data(), 4);
        table.put<std::uint32_t>(crc_of(payload[s].data(), payload[s].size()));
        table.put<std::uint64_t>(section_offset[s]);
        table.put<std::uint64_t>(payload[s].size());
    }
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(head.str().data()), 24);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(table.str().data()),
                static_cast<uInt>(table.str().size()));
    head.put<std::uint32_t>(static_cast<std::uint32_t>(crc));
    head.put<std::uint32_t>(0);

    std::string out;
    out.reserve(file_size);
    out += head.str();
    out += table.str();
    for (std::size_t s = 0; s < payload.size(); ++s) {
        if (s == s_indx) out += drill_payload;
        out += payload[s];
    }
    if (out.size() != file_size) throw InternalError("trace: size bookkeeping is wrong");
    return out;
}

void TraceWriter::write(const std::filesystem::path& file, FileMode mode) const {
    write_file_atomically(file, encode(), mode);
}

// ---------------------------------------------------------------- reader

TraceReader::TraceReader(const std::filesystem::path& file) : m_name(file.string()) {
    m_bytes = read_input_file(file, "trace", kMaxPlanBytes);
    parse();
}

TraceReader::TraceReader(std::string bytes, std::string name)
    : m_bytes(std::move(bytes)), m_name(std::move(name)) {
    parse();
}

void TraceReader::parse() {
    const Where where{.file = m_name};
    const std::string_view all(m_bytes);
    if (all.size() < 12 || all.substr(0, 8) != trace_magic) {
        if (all.empty()) throw InputError("not a sonae trace: the file is empty", where);
        throw InputError("not a sonae trace: the file does not start with SONAETRC", where);
    }
    std::uint32_t version;
    std::memcpy(&version, all.data() + 8, 4);
    if (version != trace_format_version)
        throw InputError("unsupported trace format version " + std::to_string(version) +
                             " (this build reads version " + std::to_string(trace_format_version) +
                             ")",
                         where);
    if (all.size() < file_header_size)
        throw InputError("truncated trace: the header is incomplete", where);
    std::uint32_t section_count;
    std::uint64_t file_size;
    std::uint32_t header_crc;
    std::memcpy(&section_count, all.data() + 12, 4);
    std::memcpy(&file_size, all.data() + 16, 8);
    std::memcpy(&header_crc, all.data() + 24, 4);
    std::uint32_t reserved;
    std::memcpy(&reserved, all.data() + 28, 4);
    if (file_size > all.size())
        throw InputError("truncated trace: " + std::to_string(all.size()) + " bytes of " +
                             std::to_string(file_size),
                         where);
    if (file_size < all.size())
        throw InputError("corrupt trace: " + std::to_string(all.size() - file_size) +
                             " unexpected bytes after the end",
                         where);
    if (section_count == 0 || section_count > max_sections ||
        file_header_size + section_count * section_entry_size > all.size())
        throw InputError("corrupt trace: bad section count " + std::to_string(section_count),
                         where);
    const std::string_view table = all.substr(file_header_size, section_count * section_entry_size);
    uLong crc = crc32(0L, Z_NULL, 0);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(all.data()), 24);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(table.data()), static_cast<uInt>(table.size()));
    if (static_cast<std::uint32_t>(crc) != header_crc)
        throw InputError("corrupt trace: header checksum mismatch", where);
    if (reserved != 0) throw InputError("corrupt trace: reserved header bytes are not zero", where);

    std::array<std::string_view, section_tags.size()> section{};
    std::array<bool, section_tags.size()> seen{};
    std::string_view drill_section;
    bool drill_seen = false;
    for (std::uint32_t s = 0; s < section_count; ++s) {
        const char* entry = table.data() + s * section_entry_size;
        const std::string_view tag(entry, 4);
        std::uint32_t crc32_value;
        std::uint64_t offset, size;
        std::memcpy(&crc32_value, entry + 4, 4);
        std::memcpy(&offset, entry + 8, 8);
        std::memcpy(&size, entry + 16, 8);
        if (offset > all.size() || size > all.size() - offset)
            throw InputError(
                "corrupt trace: section " + std::string(tag) + " lies outside the file", where);
        const std::string_view data = all.substr(offset, size);
        if (crc_of(data.data(), data.size()) != crc32_value)
            throw InputError("corrupt trace: checksum mismatch in section " + std::string(tag),
                             where);
        if (tag == drill_section_tag) {
            if (drill_seen) throw InputError("corrupt trace: section DRIL appears twice", where);
            drill_seen = true;
            drill_section = data;
            continue;
        }
        const auto it = std::find(section_tags.begin(), section_tags.end(), tag);
        if (it == section_tags.end()) continue; // unknown sections are skipped
        const auto i = static_cast<std::size_t>(it - section_tags.begin());
        if (seen[i])
            throw InputError("corrupt trace: section " + std::string(tag) + " appears twice",
                             where);
        seen[i] = true;
        section[i] = data;
    }
    for (std::size_t i = 0; i < section_tags.size(); ++i)
        if (!seen[i])
            throw InputError(
                "corrupt trace: section " + std::string(section_tags[i]) + " is missing", where);

    std::uint32_t entity_count = 0;
    {
        ByteReader in(section[s_meta], m_name, "META");
        m_metadata.title = in.get_string();
        m_metadata.crs = in.get_string();
        m_metadata.metric_epsg = in.get<std::int32_t>();
        m_metadata.epoch_unix_s = in.get<std::int64_t>();
        m_metadata.utc_offset_s = in.get<std::int32_t>();
        m_metadata.extent_min.lon = in.get<double>();
        m_metadata.extent_min.lat = in.get<double>();
        m_metadata.extent_max.lon = in.get<double>();
        m_metadata.extent_max.lat = in.get<double>();
        m_metadata.start_t_s = in.get<std::int64_t>();
        m_metadata.end_t_s = in.get<std::int64_t>();
        entity_count = in.get<std::uint32_t>();
        m_sample_count = in.get<std::uint64_t>();
        const auto& a = m_metadata.extent_min;
        const auto& b = m_metadata.extent_max;
        if (!(std::isfinite(a.lon) && std::isfinite(a.lat) && std::isfinite(b.lon) &&
              std::isfinite(b.lat)) ||
            a.lon > b.lon || a.lat > b.lat)
            in.fail("the extent is not a valid box");
        if (m_metadata.start_t_s > m_metadata.end_t_s) in.fail("the time range is reversed");
    }
    {
        ByteReader in(section[s_road], m_name, "ROAD");
        const auto n = in.get_count(5);
        m_roads.reserve(n);
        for (std::uint32_t i = 0; i < n; ++i) {
            TraceRoad r;
            r.road_class = get_enum<geo::RoadClass>(in, "road class");
            r.points = in.get_points();
            if (r.points.size() < 2) in.fail("a road has fewer than two points");
            m_roads.push_back(std::move(r));
        }
        if (!in.at_end()) in.fail("extra bytes at the end");
    }
    {
        ByteReader in(section[s_hazd], m_name, "HAZD");
        const auto n = in.get_count(9);
        m_hazards.reserve(n);
        for (std::uint32_t i = 0; i < n; ++i) {
            HazardArea h;
            h.label = in.get_string();
            h.kind = get_enum<HazardKind>(in, "hazard kind");
            const auto stages = in.get_count(12);
            std::int64_t previous = std::numeric_limits<std::int64_t>::min();
            for (std::uint32_t s = 0; s < stages; ++s) {
                HazardStage st;
                st.onset_t_s = in.get<std::int64_t>();
                if (st.onset_t_s < previous) in.fail("hazard stages are not in time order");
                previous = st.onset_t_s;
                const auto rings = in.get_count(4);
                for (std::uint32_t r = 0; r < rings; ++r) st.rings.push_back(in.get_points());
                if (st.rings.empty() || st.rings.front().size() < 3)
                    in.fail("a hazard stage has no outer ring");
                h.stages.push_back(std::move(st));
            }
            if (h.stages.empty()) in.fail("a hazard area has no stage");
            m_hazards.push_back(std::move(h));
        }
        if (!in.at_end()) in.fail("extra bytes at the end");
    }
    {
        ByteReader in(section[s_ents], m_name, "ENTS");
        const auto n = in.get_count(25);
        if (n != entity_count) in.fail("the entity count disagrees with the header");
        m_entities.reserve(n);
        for (std::uint32_t i = 0; i < n; ++i) {
            TraceEntity e;
            const auto kind = in.get<std::uint8_t>();
            if (kind > static_cast<std::uint8_t>(EntityKind::family_car))
                in.fail("unknown entity kind " + std::to_string(kind));
            e.kind = static_cast<EntityKind>(kind);
            e.label = in.get_string();
            e.position = in.get_point();
            e.capacity = in.get<std::uint32_t>();
            e.power_capacity_w = in.get<double>();
            if (!std::isfinite(e.power_capacity_w)) in.fail("a power capacity is not a number");
            m_entities.push_back(std::move(e));
        }
        if (!in.at_end()) in.fail("extra bytes at the end");
    }
    {
        ByteReader in(section[s_evnt], m_name, "EVNT");
        const auto n = in.get_count(17);
        m_events.reserve(n);
        for (std::uint32_t i = 0; i < n; ++i) {
            TraceEvent e;
            e.t_s = in.get<std::int64_t>();
            const auto entity = in.get<std::uint32_t>();
            if (entity != no_entity && entity >= entity_count)
                in.fail("an event names entity " + std::to_string(entity) +
                        " which does not exist");
            if (entity != no_entity) e.entity = EntityId(entity);
            e.kind = get_enum<EventKind>(in, "event kind");
            e.text = in.get_string();
            if (!m_events.empty() && e.t_s < m_events.back().t_s)
                in.fail("events are not in time order");
            m_events.push_back(std::move(e));
        }
        if (!in.at_end()) in.fail("extra bytes at the end");
    }
    {
        ByteReader in(section[s_indx], m_name, "INDX");
        const auto n = in.get_count(32);
        const std::uint64_t blks_begin =
            static_cast<std::uint64_t>(section[s_blks].data() - all.data());
        const std::uint64_t blks_end = blks_begin + section[s_blks].size();
        m_blocks.reserve(n);
        for (std::uint32_t i = 0; i < n; ++i) {
            TraceBlockInfo b;
            b.t_begin_s = in.get<std::int64_t>();
            b.offset = in.get<std::uint64_t>();
            b.compressed_size = in.get<std::uint32_t>();
            b.raw_size = in.get<std::uint32_t>();
            b.record_count = in.get<std::uint32_t>();
            b.crc32 = in.get<std::uint32_t>();
            if (!m_blocks.empty() && b.t_begin_s <= m_blocks.back().t_begin_s)
                in.fail("block times are not increasing");
            if (b.offset < blks_begin || b.offset > blks_end ||
                b.compressed_size > blks_end - b.offset)
                in.fail("a block lies outside the BLKS section");
            const std::uint64_t expected =
                std::uint64_t{entity_count} * 4 + std::uint64_t{b.record_count} * block_record_size;
            if (b.raw_size != expected) in.fail("a block's size disagrees with its record count");
            // zlib cannot expand data more than about 1032:1; a larger claim is corruption and
            // must not drive an allocation.
            if (b.raw_size > std::uint64_t{b.compressed_size} * 1040 + 1024)
                in.fail("a block claims an impossible size");
            if (crc_of(all.data() + b.offset, b.compressed_size) != b.crc32)
                in.fail("checksum mismatch in sample block " + std::to_string(i));
            m_blocks.push_back(b);
        }
        for (std::size_t i = 0; i < m_blocks.size(); ++i)
            m_blocks[i].t_end_s = i + 1 < m_blocks.size()
                                      ? m_blocks[i + 1].t_begin_s
                                      : std::max(m_metadata.end_t_s, m_blocks[i].t_begin_s) + 1;
        if (!in.at_end()) in.fail("extra bytes at the end");
        if (m_sample_count > 0 && m_blocks.empty()) in.fail("samples but no blocks");
    }
    if (drill_seen) {
        ByteReader in(drill_section, m_name, "DRIL");
        const auto n = in.get_count(20);
        m_drill.reserve(n);
        auto entity = [&](const char* what) {
            const auto id = in.get<std::uint32_t>();
            if (id >= entity_count)
                in.fail(std::string("a drill child's ") + what + " is entity " +
                        std::to_string(id) + ", which does not exist");
            return EntityId(id);
        };
        for (std::uint32_t i = 0; i < n; ++i) {
            DrillReplayChild c;
            c.label = in.get_string();
            c.home = entity("home");
            c.recorded = entity("recorded move");
            c.planned = entity("planned move");
            const auto steps = in.get_count(21);
            c.steps.reserve(steps);
            for (std::uint32_t k = 0; k < steps; ++k) {
                DrillReplayStep st;
                st.name = in.get_string();
                const auto flags = in.get<std::uint8_t>();
                if (flags > 3) in.fail("unknown drill step flags " + std::to_string(flags));
                const auto planned = in.get<std::int64_t>();
                const auto recorded = in.get<std::int64_t>();
                if (flags & 1) st.planned_t_s = planned;
                if (flags & 2) st.recorded_t_s = recorded;
                c.steps.push_back(std::move(st));
            }
            m_drill.push_back(std::move(c));
        }
        if (!in.at_end()) in.fail("extra bytes at the end");
    }
}

std::span<const TraceEvent> TraceReader::events_between(std::int64_t from_t_s,
                                                        std::int64_t to_t_s) const {
    auto lo = std::lower_bound(m_events.begin(), m_events.end(), from_t_s,
                               [](const TraceEvent& e, std::int64_t t) { return e.t_s < t; });
    auto hi = std::lower_bound(lo, m_events.end(), to_t_s,
                               [](const TraceEvent& e, std::int64_t t) { return e.t_s < t; });
    return {lo, hi};
}

std::size_t TraceReader::block_for(std::int64_t t_s) const {
    auto it =
        std::upper_bound(m_blocks.begin(), m_blocks.end(), t_s,
                         [](std::int64_t t, const TraceBlockInfo& b) { return t < b.t_begin_s; });
    return it == m_blocks.begin() ? 0 : static_cast<std::size_t>(it - m_blocks.begin() - 1);
}

std::string TraceReader::events_csv() const {
    // Through the one CSV writer (core/csv_text.hpp: quoting, the formula guard) with the BOM
    // Excel needs; every value a person reads in Japanese (the simulator writes Japanese texts).
    std::vector<std::vector<std::string>> rows;
    rows.push_back(
        {"経過秒", "発令から（時:分:秒）", "日時", "対象", "対象の種類", "出来事", "内容"});
    for (const auto& e : m_events) {
        std::vector<std::string> row{
            std::to_string(e.t_s), core::elapsed_text(e.t_s, {.seconds = true}),
            m_metadata.epoch_unix_s != 0
                ? core::civil_time_text(m_metadata.epoch_unix_s + m_metadata.utc_offset_s + e.t_s)
                : std::string()};
        if (e.entity.valid()) {
            const auto& entity = m_entities[e.entity.value()];
            row.push_back(entity.label);
            row.emplace_back(japanese_label(entity.kind));
        } else {
            row.insert(row.end(), {"", ""});
        }
        row.emplace_back(japanese_label(e.kind));
        row.push_back(e.text);
        rows.push_back(std::move(row));
    }
    return "\xEF\xBB\xBF" + core::csv_text(rows);
}

void TraceReader::write_events_csv(const std::filesystem::path& file, FileMode mode) const {
    write_file_atomically(file, events_csv(), mode);
}

// ---------------------------------------------------------------- cursor

TraceCursor::TraceCursor(const TraceReader& reader)
    : m_reader(&reader), m_states(reader.entities().size()) {}

const TraceCursor::Decoded& TraceCursor::block(std::size_t index) {
    if (index == m_block_index) return m_block;
    const auto& info = m_reader->m_blocks.at(index);
    const auto fail = [&](const std::string& what) -> void {
        m_block_index = static_cast<std::size_t>(-1);
        throw InputError("corrupt trace: sample block " + std::to_string(index) + ": " + what,
                         {.file = m_reader->m_name});
    };
    std::string raw(info.raw_size, '\0');
    uLongf raw_size = info.raw_size;
    const int rc =
        uncompress(reinterpret_cast<Bytef*>(raw.data()), &raw_size,
                   reinterpret_cast<const Bytef*>(m_reader->m_bytes.data() + info.offset),
                   info.compressed_size);
    if (rc != Z_OK || raw_size != info.raw_size) fail("it does not decompress");

    const std::size_t entity_count = m_reader->m_entities.size();
    const std::size_t n = info.record_count;
    Decoded& d = m_block;
    m_block_index = static_cast<std::size_t>(-1);
    d.first.assign(entity_count + 1, 0);
    const char* p = raw.data();
    std::uint64_t total = 0;
    for (std::size_t e = 0; e < entity_count; ++e) {
        std::uint32_t c;
        std::memcpy(&c, p + 4 * e, 4);
        total += c;
        d.first[e + 1] = static_cast<std::uint32_t>(std::min<std::uint64_t>(total, n));
    }
    if (total != n) fail("its per-entity counts do not add up");
    p += 4 * entity_count;
    const char* col_t = p;
    const char* col_lon = col_t + 8 * n;
    const char* col_lat = col_lon + 4 * n;
    const char* col_margin = col_lat + 4 * n;
    const char* col_load = col_margin + 4 * n;
    const char* col_occ = col_load + 4 * n;
    const char* col_state = col_occ + 4 * n;
    d.t_s.resize(n);
    d.samples.resize(n);
    for (std::size_t e = 0; e < entity_count; ++e) {
        std::int64_t t = 0;
        std::uint32_t lon = 0, lat = 0;
        for (std::size_t i = d.first[e]; i < d.first[e + 1]; ++i) {
            std::int64_t dt;
            std::uint32_t dlon, dlat;
            std::memcpy(&dt, col_t + 8 * i, 8);
            std::memcpy(&dlon, col_lon + 4 * i, 4);
            std::memcpy(&dlat, col_lat + 4 * i, 4);
            const bool run_start = i == d.first[e];
            if (!run_start && dt <= 0) fail("sample times do not increase");
            t = run_start ? dt : t + dt;
            lon = run_start ? dlon : lon + dlon;
            lat = run_start ? dlat : lat + dlat;
            auto& s = d.samples[i];
            s.position = {from_e7(static_cast<std::int32_t>(lon)),
                          from_e7(static_cast<std::int32_t>(lat))};
            if (std::abs(s.position.lon) > 180.0 || std::abs(s.position.lat) > 90.0)
                fail("a position is outside lon/lat range");
            float margin, load;
            std::memcpy(&margin, col_margin + 4 * i, 4);
            std::memcpy(&load, col_load + 4 * i, 4);
            std::memcpy(&s.occupancy, col_occ + 4 * i, 4);
            const auto code = static_cast<std::uint8_t>(col_state[i]);
            if (code >= static_cast<std::uint8_t>(StateCode::count_)) fail("unknown state code");
            s.state = static_cast<StateCode>(code);
            s.battery_margin_min = margin;
            s.load_w = load;
            d.t_s[i] = t;
        }
    }
    m_block_index = index;
    return d;
}

EntityState TraceCursor::interpolate(const Decoded& d, std::uint32_t entity,
                                     std::int64_t t_s) const {
    const auto begin = d.t_s.begin() + d.first[entity];
    const auto end = d.t_s.begin() + d.first[entity + 1];
    const auto it = std::upper_bound(begin, end, t_s);
    EntityState out;
    if (it == begin) return out; // before the first sample
    const auto a = static_cast<std::size_t>(it - d.t_s.begin() - 1);
    out.present = true;
    out.sample = d.samples[a];
    if (it == end) return out; // after the last sample: hold it
    const auto b = a + 1;
    const double f = static_cast<double>(t_s - d.t_s[a]) / static_cast<double>(d.t_s[b] - d.t_s[a]);
    const auto& sa = d.samples[a];
    const auto& sb = d.samples[b];
    out.sample.position.lon = sa.position.lon + f * (sb.position.lon - sa.position.lon);
    out.sample.position.lat = sa.position.lat + f * (sb.position.lat - sa.position.lat);
    if (std::isfinite(sa.battery_margin_min) && std::isfinite(sb.battery_margin_min))
        out.sample.battery_margin_min =
            sa.battery_margin_min + f * (sb.battery_margin_min - sa.battery_margin_min);
    out.sample.load_w = sa.load_w + f * (sb.load_w - sa.load_w);
    return out;
}

const std::vector<EntityState>& TraceCursor::states_at(std::int64_t t_s) {
    if (m_reader->m_blocks.empty()) {
        std::fill(m_states.begin(), m_states.end(), EntityState{});
        return m_states;
    }
    const auto& d = block(m_reader->block_for(t_s));
    for (std::uint32_t e = 0; e < m_states.size(); ++e) m_states[e] = interpolate(d, e, t_s);
    return m_states;
}

EntityState TraceCursor::state_at(std::int64_t t_s, EntityId entity) {
    if (!entity.valid() || entity.value() >= m_states.size())
        throw InternalError("trace: state of an unknown entity");
    if (m_reader->m_blocks.empty()) return {};
    return interpolate(block(m_reader->block_for(t_s)), entity.value(), t_s);
}

std::vector<std::pair<std::int64_t, EntitySample>> TraceCursor::samples_of(EntityId entity) {
    if (!entity.valid() || entity.value() >= m_states.size())
        throw InternalError("trace: samples of an unknown entity");
    std::vector<std::pair<std::int64_t, EntitySample>> out;
    for (std::size_t k = 0; k < m_reader->m_blocks.size(); ++k) {
        const auto& d = block(k);
        for (std::size_t i = d.first[entity.value()]; i < d.first[entity.value() + 1]; ++i) {
            // Carried-in and look-ahead copies repeat samples of neighbouring blocks.
            if (!out.empty() && d.t_s[i] <= out.back().first) continue;
            out.emplace_back(d.t_s[i], d.samples[i]);
        }
    }
    return out;
}

} // namespace sonae::sim
