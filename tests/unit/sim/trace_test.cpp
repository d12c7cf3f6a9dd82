// Trace file: round trip, interpolation, seeking across blocks, and refusal of bad files.
#include "core/error.hpp"
#include "sim/trace.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <sys/stat.h>
#include <zlib.h>

namespace sonae::sim {
namespace {

using geo::LonLat;

EntitySample at(LonLat p, StateCode state, double margin = std::nan(""), std::uint32_t occ = 0,
                double load = 0.0) {
    EntitySample s;
    s.position = p;
    s.state = state;
    s.battery_margin_min = margin;
    s.occupancy = occ;
    s.load_w = load;
    return s;
}

struct Small {
    TraceWriter writer;
    EntityId home, shelter, van;
};

// A home at Ube, a shelter 2 km east, one van driving from the home to the shelter via a corner.
Small small_trace() {
    TraceMetadata meta;
    meta.title = "小さな試験";
    meta.epoch_unix_s = 1751241600; // 2025-06-30 00:00:00 UTC
    Small s{TraceWriter(meta), {}, {}, {}};
    auto& w = s.writer;
    w.add_road(geo::RoadClass::primary, {{131.20, 33.95}, {131.22, 33.95}});
    w.add_road(geo::RoadClass::residential, {{131.22, 33.95}, {131.22, 33.96}, {131.23, 33.96}});
    HazardArea flood;
    flood.label = "浸水想定区域";
    flood.kind = HazardKind::flood;
    flood.stages.push_back(
        {600, {{{131.205, 33.945}, {131.215, 33.945}, {131.215, 33.955}, {131.205, 33.955}}}});
    flood.stages.push_back(
        {1800, {{{131.200, 33.940}, {131.218, 33.940}, {131.218, 33.958}, {131.200, 33.958}}}});
    w.add_hazard(flood);
    s.home = w.add_home("A-01", {131.20, 33.95});
    s.shelter = w.add_facility("S-01", {131.23, 33.96}, 20, 3000.0);
    s.van = w.add_vehicle("V-01", EntityKind::vehicle, {131.20, 33.95}, 2);
    // Samples deliberately out of order.
    w.sample(1200, s.van, at({131.22, 33.95}, StateCode::travelling, std::nan(""), 1));
    w.sample(0, s.van, at({131.20, 33.95}, StateCode::idle));
    w.sample(600, s.van, at({131.20, 33.95}, StateCode::travelling, std::nan(""), 1));
    w.sample(1800, s.van, at({131.22, 33.96}, StateCode::travelling, std::nan(""), 1));
    w.sample(2400, s.van, at({131.23, 33.96}, StateCode::arrived, std::nan(""), 1));
    w.sample(0, s.home, at({131.20, 33.95}, StateCode::waiting, 240.0));
    w.sample(300, s.home, at({131.20, 33.95}, StateCode::packing, 230.0));
    w.sample(600, s.home, at({131.20, 33.95}, StateCode::loading, 200.0));
    w.sample(2400, s.home, at({131.23, 33.96}, StateCode::arrived, 80.0));
    w.sample(2700, s.home, at({131.23, 33.96}, StateCode::powered, 80.0));
    w.sample(0, s.shelter, at({131.23, 33.96}, StateCode::powered, std::nan(""), 0, 500.0));
    w.sample(2700, s.shelter, at({131.23, 33.96}, StateCode::powered, std::nan(""), 1, 700.0));
    w.event(0, EntityId::invalid(), EventKind::alert, "レベル3 高齢者等避難");
    w.event(2400, s.van, EventKind::arrived, "避難所に到着, \"S-01\"");
    w.event(600, s.van, EventKind::departed, "=出発");
    return s;
}

TEST(Trace, RoundTripKeepsEverything) {
    auto s = small_trace();
    const TraceReader r(s.writer.encode(), "memory");
    EXPECT_EQ(r.metadata().title, "小さな試験");
    EXPECT_EQ(r.metadata().crs, "EPSG:6668");
    EXPECT_EQ(r.metadata().start_t_s, 0);
    EXPECT_EQ(r.metadata().end_t_s, 2700);
    EXPECT_NEAR(r.metadata().extent_min.lon, 131.20, 1e-9);
    EXPECT_NEAR(r.metadata().extent_max.lat, 33.96, 1e-9);
    ASSERT_EQ(r.roads().size(), 2u);
    EXPECT_EQ(r.roads()[1].road_class, geo::RoadClass::residential);
    ASSERT_EQ(r.roads()[1].points.size(), 3u);
    EXPECT_NEAR(r.roads()[1].points[2].lon, 131.23, 1e-7);
    ASSERT_EQ(r.hazards().size(), 1u);
    EXPECT_EQ(r.hazards()[0].label, "浸水想定区域");
    ASSERT_EQ(r.hazards()[0].stages.size(), 2u);
    EXPECT_EQ(r.hazards()[0].stage_at(599), nullptr);
    EXPECT_EQ(r.hazards()[0].stage_at(600), &r.hazards()[0].stages[0]);
    EXPECT_EQ(r.hazards()[0].stage_at(5000), &r.hazards()[0].stages[1]);
    ASSERT_EQ(r.entities().size(), 3u);
    EXPECT_EQ(r.entity(s.shelter).kind, EntityKind::facility);
    EXPECT_EQ(r.entity(s.shelter).capacity, 20u);
    EXPECT_DOUBLE_EQ(r.entity(s.shelter).power_capacity_w, 3000.0);
    EXPECT_EQ(r.entity(s.home).label, "A-01");
    EXPECT_EQ(r.sample_count(), 12u);
    ASSERT_EQ(r.events().size(), 3u);
    EXPECT_EQ(r.events()[1].kind, EventKind::departed); // sorted by time
    EXPECT_EQ(r.events_between(600, 2400).size(), 1u);

    TraceCursor cursor(r);
    const auto van = cursor.samples_of(s.van);
    ASSERT_EQ(van.size(), 5u);
    EXPECT_EQ(van[3].first, 1800);
    EXPECT_NEAR(van[3].second.position.lat, 33.96, 1e-7);
}

TEST(Trace, EncodingIsDeterministicAndIndependentOfCallOrder) {
    auto a = small_trace();
    auto b = small_trace();
    EXPECT_EQ(a.writer.encode(), b.writer.encode());
    // Same content, samples added in the reverse order.
    TraceWriter w1, w2;
    const auto e1 = w1.add_home("H", {131.0, 34.0});
    const auto e2 = w2.add_home("H", {131.0, 34.0});
    for (int t = 0; t < 10; ++t)
        w1.sample(t * 60, e1, at({131.0 + t * 1e-3, 34.0}, StateCode::travelling));
    for (int t = 9; t >= 0; --t)
        w2.sample(t * 60, e2, at({131.0 + t * 1e-3, 34.0}, StateCode::travelling));
    EXPECT_EQ(w1.encode(), w2.encode());
}

// A drill replay: the small trace's van is the recorded move, a second vehicle the ghost.
// Steps (seconds): alert 0/0, departed planned 300 recorded 600, arrived planned 1500 recorded
// 2400, power connected recorded 2700 (no planned figure).
Small drill_trace_small() {
    auto s = small_trace();
    const auto ghost = s.writer.add_vehicle("A-01 計画", EntityKind::vehicle, {131.20, 33.95}, 1);
    s.writer.sample(300, ghost, at({131.20, 33.95}, StateCode::travelling));
    s.writer.sample(1500, ghost, at({131.23, 33.96}, StateCode::arrived));
    DrillReplayChild c{
        .label = "A-01", .home = s.home, .recorded = s.van, .planned = ghost, .steps = {}};
    c.steps.push_back({"警報", 0, 0});
    c.steps.push_back({"出発", 300, 600});
    c.steps.push_back({"到着", 1500, 2400});
    c.steps.push_back({"電源接続", std::nullopt, 2700});
    c.steps.push_back({"未記録", 2000, std::nullopt});
    s.writer.add_drill_child(std::move(c));
    return s;
}

TEST(Trace, DrillSectionRoundTripsAndOtherTracesDoNotHaveIt) {
    // A simulation trace keeps its seven sections (and its bytes): no DRIL.
    const auto plain = small_trace().writer.encode();
    std::uint32_t sections = 0;
    std::memcpy(&sections, plain.data() + 12, 4);
    EXPECT_EQ(sections, 7u);
    EXPECT_EQ(plain.find("DRIL"), std::string::npos);
    EXPECT_TRUE(TraceReader(plain, "plain").drill_children().empty());

    auto s = drill_trace_small();
    const auto bytes = s.writer.encode();
    std::memcpy(&sections, bytes.data() + 12, 4);
    EXPECT_EQ(sections, 8u);
    EXPECT_EQ(bytes, drill_trace_small().writer.encode()); // deterministic
    const TraceReader r(bytes, "memory");
    ASSERT_EQ(r.drill_children().size(), 1u);
    const auto& c = r.drill_children()[0];
    EXPECT_EQ(c.label, "A-01");
    EXPECT_EQ(c.home, s.home);
    EXPECT_EQ(c.recorded, s.van);
    EXPECT_EQ(r.entity(c.planned).label, "A-01 計画");
    ASSERT_EQ(c.steps.size(), 5u);
    EXPECT_EQ(c.steps[2].name, "到着");
    EXPECT_EQ(c.steps[2].planned_t_s, 1500);
    EXPECT_EQ(c.steps[2].recorded_t_s, 2400);
    EXPECT_FALSE(c.steps[3].planned_t_s.has_value());
    EXPECT_FALSE(c.steps[4].recorded_t_s.has_value());
    // The rest of the trace is as without the section.
    EXPECT_EQ(r.entities().size(), 4u);
    EXPECT_EQ(r.events().size(), 3u);
}

TEST(Trace, DrillDelayComparesTheLastReachedAndTheNextStep) {
    const auto s = drill_trace_small();
    const TraceReader r(s.writer.encode(), "memory");
    const auto& c = r.drill_children()[0];
    // t = 0: 警報 reached on time (0 - 0); 出発 planned at 300 is not past: 0.
    EXPECT_EQ(c.delay_at(0), 0);
    // t = 450: the plan left at 300, the record has not: 450 - 300 = 150 s behind.
    EXPECT_EQ(c.delay_at(450), 150);
    // t = 600: 出発 reached, 600 - 300 = 300 late; 到着 planned 1500 not past: 300.
    EXPECT_EQ(c.delay_at(600), 300);
    // t = 2000: still 300 at 出発, but the plan arrived 2000 - 1500 = 500 s ago: 500.
    EXPECT_EQ(c.delay_at(2000), 500);
    // t = 2400 and after: arrived 2400 - 1500 = 900 late. 電源接続 has no planned time and
    // 未記録 no recorded one, so neither changes it.
    EXPECT_EQ(c.delay_at(2400), 900);
    EXPECT_EQ(c.delay_at(9000), 900);
    // Before the alert nothing is reached and nothing is planned yet.
    EXPECT_FALSE(c.delay_at(-60).has_value());
    // Ahead of the plan is negative.
    DrillReplayChild early{
        .label = "B", .home = {}, .recorded = {}, .planned = {}, .steps = {{"出発", 600, 420}}};
    EXPECT_EQ(early.delay_at(500), -180);
}

TEST(Trace, InterpolatesBetweenSamples) {
    auto s = small_trace();
    const TraceReader r(s.writer.encode(), "memory");
    TraceCursor c(r);
    // Van half way between 1200 (131.22, 33.95) and 1800 (131.22, 33.96).
    const auto van = c.state_at(1500, s.van);
    ASSERT_TRUE(van.present);
    EXPECT_NEAR(van.sample.position.lon, 131.22, 1e-7);
    EXPECT_NEAR(van.sample.position.lat, 33.955, 1e-7);
    EXPECT_EQ(van.sample.state, StateCode::travelling);
    EXPECT_EQ(van.sample.occupancy, 1u);
    // Battery margin linear between 600 (200) and 2400 (80); state held from 600.
    const auto home = c.state_at(1500, s.home);
    EXPECT_NEAR(home.sample.battery_margin_min, 140.0, 1e-3);
    EXPECT_EQ(home.sample.state, StateCode::loading);
    // Load linear, occupancy stepwise.
    const auto shelter = c.state_at(1350, s.shelter);
    EXPECT_NEAR(shelter.sample.load_w, 600.0, 1e-3);
    EXPECT_EQ(shelter.sample.occupancy, 0u);
    // Exactly at a sample time: that sample.
    EXPECT_EQ(c.state_at(2700, s.home).sample.state, StateCode::powered);
    // After the last sample: held.
    const auto late = c.state_at(99999, s.van);
    EXPECT_TRUE(late.present);
    EXPECT_EQ(late.sample.state, StateCode::arrived);
    // Before the first: absent.
    EXPECT_FALSE(c.state_at(-1, s.van).present);
    // NaN margin stays NaN (vehicle has no battery margin).
    EXPECT_TRUE(std::isnan(c.state_at(1500, s.van).sample.battery_margin_min));
}

// Many entities and small blocks: every time answered from one block must equal a brute force
// interpolation over the full sample list, whatever order the seeks come in.
TEST(Trace, SeekingAnywhereMatchesBruteForce) {
    TraceWriter w;
    w.set_min_block_samples(50);
    constexpr int entities = 40;
    std::vector<EntityId> ids;
    for (int i = 0; i < entities; ++i)
        ids.push_back(
            w.add_vehicle("V" + std::to_string(i), EntityKind::family_car, {131.0, 34.0}, 1));
    // Entity i is sampled every (7 + i) s from t = 3 i to t = 3000 - 5 i, moving east.
    auto lon_at = [](int i, std::int64_t t) {
        return 131.0 + 1e-5 * static_cast<double>(t) + 1e-3 * i;
    };
    for (int i = 0; i < entities; ++i)
        for (std::int64_t t = 3 * i; t <= 3000 - 5 * i; t += 7 + i)
            w.sample(t, ids[static_cast<std::size_t>(i)],
                     at({lon_at(i, t), 34.0 + 1e-4 * i}, StateCode::travelling, 100.0 - t / 60.0));
    const TraceReader r(w.encode(), "memory");
    ASSERT_GT(r.blocks().size(), 20u);
    TraceCursor c(r);
    std::uint64_t lcg = 12345;
    for (int k = 0; k < 400; ++k) {
        lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
        const std::int64_t t = static_cast<std::int64_t>(lcg >> 33) % 3200 - 100;
        const auto& states = c.states_at(t);
        for (int i = 0; i < entities; ++i) {
            const std::int64_t first = 3 * i;
            std::int64_t last = first;
            while (last + 7 + i <= 3000 - 5 * i) last += 7 + i;
            const auto& st = states[static_cast<std::size_t>(i)];
            if (t < first) {
                EXPECT_FALSE(st.present) << "t=" << t << " i=" << i;
                continue;
            }
            ASSERT_TRUE(st.present) << "t=" << t << " i=" << i;
            const std::int64_t clamped = std::min(t, last);
            EXPECT_NEAR(st.sample.position.lon, lon_at(i, clamped), 2e-7)
                << "t=" << t << " i=" << i;
            EXPECT_NEAR(st.sample.battery_margin_min, 100.0 - clamped / 60.0, 1e-3);
        }
    }
}

TEST(Trace, AddRoadsDrawsEachStreetOnceWithItsShape) {
    geo::RoadNetworkBuilder b;
    const auto a = b.add_node(10, LonLat{131.0, 34.0});
    const auto c = b.add_node(20, LonLat{131.01, 34.0});
    const auto d = b.add_node(30, LonLat{131.01, 34.01});
    geo::EdgeAttributes two_way;
    two_way.road_class = geo::RoadClass::secondary;
    two_way.length_m = 1000;
    const std::vector<LonLat> bend = {{131.005, 34.001}};
    const std::vector<LonLat> bend_back = {{131.005, 34.001}};
    b.add_edge(a, c, two_way, bend);
    b.add_edge(c, a, two_way, bend_back);
    geo::EdgeAttributes one_way;
    one_way.road_class = geo::RoadClass::residential;
    one_way.length_m = 1100;
    b.add_edge(c, d, one_way);
    const geo::RoadNetwork network = std::move(b).build();
    TraceWriter w;
    w.add_roads(network);
    const TraceReader r(w.encode(), "memory");
    ASSERT_EQ(r.roads().size(), 2u);
    int secondary = 0;
    for (const auto& road : r.roads()) {
        if (road.road_class == geo::RoadClass::secondary) {
            ++secondary;
            ASSERT_EQ(road.points.size(), 3u); // the shape point is kept
            EXPECT_NEAR(road.points[1].lat, 34.001, 1e-7);
        }
    }
    EXPECT_EQ(secondary, 1);
}

TEST(Trace, EmptyTraceHasNoStates) {
    TraceWriter w;
    const auto h = w.add_home("H", {131.0, 34.0});
    const TraceReader r(w.encode(), "memory");
    EXPECT_TRUE(r.blocks().empty());
    TraceCursor c(r);
    EXPECT_FALSE(c.state_at(0, h).present);
}

TEST(Trace, WriterRefusesProgrammingErrors) {
    TraceWriter w;
    EXPECT_THROW(w.sample(0, EntityId(3), {}), InternalError);
    EXPECT_THROW(w.add_road(geo::RoadClass::primary, {{131.0, 34.0}}), InternalError);
    EXPECT_THROW(w.add_home("H", {200.0, 34.0}), InternalError);
    HazardArea empty;
    EXPECT_THROW(w.add_hazard(empty), InternalError);
}

TEST(Trace, WritesAtomicallyWithPersonalMode) {
    test::TempDir dir;
    auto s = small_trace();
    s.writer.write(dir / "run.sonaetrace");
    struct stat st {};
    ASSERT_EQ(::stat((dir / "run.sonaetrace").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    const TraceReader r(dir / "run.sonaetrace");
    EXPECT_EQ(r.entities().size(), 3u);
}

TEST(Trace, EventsCsvHasBomQuotingAndClock) {
    auto s = small_trace();
    const TraceReader r(s.writer.encode(), "memory");
    const std::string csv = r.events_csv();
    ASSERT_GE(csv.size(), 3u);
    EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
    // Japanese headers and values (issue 23); the cell "=出発" is guarded as text.
    EXPECT_NE(csv.find("経過秒,発令から（時:分:秒）,日時,対象,対象の種類,出来事,内容\r\n"),
              std::string::npos)
        << csv;
    // 2025-06-30 00:00 UTC + 9 h + 600 s.
    EXPECT_NE(csv.find("600,0:10:00,2025-06-30 09:10:00,V-01,支援車両,出発,'=出発\r\n"),
              std::string::npos)
        << csv;
    EXPECT_NE(csv.find(",到着,\"避難所に到着, \"\"S-01\"\"\"\r\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("0,0:00:00,2025-06-30 09:00:00,,,警報・発令,レベル3 高齢者等避難"),
              std::string::npos)
        << csv;
}

// ---------------------------------------------------------------- bad files

void expect_input_error(const std::string& bytes, const std::string& needle) {
    try {
        TraceReader r(bytes, "bad.sonaetrace");
        FAIL() << "accepted a bad trace; expected: " << needle;
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("bad.sonaetrace"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
}

TEST(TraceBadInput, MissingFile) {
    test::TempDir dir;
    try {
        TraceReader r(dir / "none.sonaetrace");
        FAIL();
    } catch (const IoError& e) { // exit 2, as every unreadable input
        EXPECT_NE(std::string(e.what()).find("none.sonaetrace"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("does not exist"), std::string::npos);
    }
}

TEST(TraceBadInput, EmptyAndForeignFiles) {
    expect_input_error("", "empty");
    expect_input_error("PK\x03\x04 this is a zip file", "does not start with SONAETRC");
}

TEST(TraceBadInput, WrongVersion) {
    auto bytes = small_trace().writer.encode();
    bytes[8] = 2;
    expect_input_error(bytes, "unsupported trace format version 2");
}

TEST(TraceBadInput, EveryTruncationIsRefused) {
    const auto bytes = small_trace().writer.encode();
    for (std::size_t n = 0; n < bytes.size(); n += (n < 200 ? 1 : 7)) {
        EXPECT_THROW(TraceReader(bytes.substr(0, n), "bad.sonaetrace"), InputError) << n;
    }
    expect_input_error(bytes.substr(0, bytes.size() - 1), "truncated");
    expect_input_error(bytes + "x", "unexpected bytes");
}

TEST(TraceBadInput, EveryFlippedByteIsRefused) {
    const auto bytes = small_trace().writer.encode();
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        auto bad = bytes;
        bad[i] = static_cast<char>(bad[i] ^ 0x5A);
        EXPECT_THROW(TraceReader(bad, "bad.sonaetrace"), InputError) << "byte " << i;
    }
}

TEST(TraceBadInput, EveryFlippedByteOfADrillTraceIsRefused) {
    const auto bytes = drill_trace_small().writer.encode();
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        auto bad = bytes;
        bad[i] = static_cast<char>(bad[i] ^ 0x5A);
        EXPECT_THROW(TraceReader(bad, "bad.sonaetrace"), InputError) << "byte " << i;
    }
}

TEST(TraceBadInput, DrillChildNamingAMissingEntity) {
    // Rewrite the DRIL section's home id to 99 (there are 4 entities) with valid checksums:
    // the reader must still refuse it.
    auto bytes = drill_trace_small().writer.encode();
    const std::size_t table = 32;
    std::uint32_t sections = 0;
    std::memcpy(&sections, bytes.data() + 12, 4);
    for (std::uint32_t s = 0; s < sections; ++s) {
        char* entry = bytes.data() + table + s * 24;
        if (std::string_view(entry, 4) != "DRIL") continue;
        std::uint64_t offset = 0, size = 0;
        std::memcpy(&offset, entry + 8, 8);
        std::memcpy(&size, entry + 16, 8);
        // Payload: u32 count, string label ("A-01": 4 + 4 bytes), then u32 home.
        const std::uint32_t bad_home = 99;
        std::memcpy(bytes.data() + offset + 4 + 8, &bad_home, 4);
        const auto crc = static_cast<std::uint32_t>(
            crc32(crc32(0L, Z_NULL, 0), reinterpret_cast<const Bytef*>(bytes.data() + offset),
                  static_cast<uInt>(size)));
        std::memcpy(entry + 4, &crc, 4);
    }
    uLong header = crc32(0L, Z_NULL, 0);
    header = crc32(header, reinterpret_cast<const Bytef*>(bytes.data()), 24);
    header = crc32(header, reinterpret_cast<const Bytef*>(bytes.data() + table), sections * 24);
    const auto header_crc = static_cast<std::uint32_t>(header);
    std::memcpy(bytes.data() + 24, &header_crc, 4);
    expect_input_error(bytes, "a drill child's home is entity 99, which does not exist");
}

TEST(TraceBadInput, HugeCountsDoNotAllocate) {
    // A header that claims an enormous file size is refused before any allocation.
    auto bytes = small_trace().writer.encode();
    bytes[16 + 7] = 0x7F;
    expect_input_error(bytes, "truncated");
}

TEST(TraceBadInput, CorruptFileOnDisk) {
    test::TempDir dir;
    auto bytes = small_trace().writer.encode();
    bytes[bytes.size() - 5] ^= 0x11; // inside the last sample block
    {
        std::ofstream out(dir / "bad.sonaetrace", std::ios::binary);
        out << bytes;
    }
    try {
        TraceReader r(dir / "bad.sonaetrace");
        FAIL();
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("checksum"), std::string::npos) << e.what();
    }
}

} // namespace
} // namespace sonae::sim
