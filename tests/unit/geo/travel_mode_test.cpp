// Travel profiles: loading from TOML, rules per mode, and travel-time weights.
#include "core/error.hpp"
#include "geo/travel_mode.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace sonae::geo {
namespace {

// One 100 m edge per case, along a line of nodes 0..n (lon/lat irrelevant for weights).
struct Case {
    RoadClass road_class;
    std::uint8_t flags = 0;
    std::uint8_t maxspeed_kmh = 0;
    std::uint16_t width_dm = 0;
};

RoadNetwork line_network(const std::vector<Case>& cases) {
    RoadNetworkBuilder builder;
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const auto a = builder.add_node(static_cast<std::int64_t>(2 * i),
                                        LonLat{131.0 + 0.01 * static_cast<double>(i), 34.0});
        const auto b = builder.add_node(static_cast<std::int64_t>(2 * i + 1),
                                        LonLat{131.0 + 0.01 * static_cast<double>(i), 34.001});
        builder.add_edge(a, b,
                         EdgeAttributes{.length_m = 100.0,
                                        .road_class = cases[i].road_class,
                                        .maxspeed_kmh = cases[i].maxspeed_kmh,
                                        .width_dm = cases[i].width_dm,
                                        .flags = cases[i].flags,
                                        .original_id = static_cast<std::int64_t>(i)});
    }
    return std::move(builder).build();
}

// Edges are sorted by tail; node 2i is the tail of case i, so edge i is case i.
TEST(TravelMode, BundledProfilesGiveTheDocumentedWeights) {
    const auto net = line_network({
        {RoadClass::residential},                      // 0
        {RoadClass::primary, 0, 50},                   // 1: maxspeed 50
        {RoadClass::footway},                          // 2
        {RoadClass::residential, edge_against_oneway}, // 3
        {RoadClass::steps},                            // 4
        {RoadClass::residential, edge_no_motor},       // 5
        {RoadClass::motorway, edge_no_foot, 100},      // 6
        {RoadClass::footway, 0, 0, 8},                 // 7: 0.8 m wide
        {RoadClass::path},                             // 8
        {RoadClass::pedestrian},                       // 9
        {RoadClass::other},                            // 10
        {RoadClass::primary, 0, 200},                  // 11: absurd maxspeed
    });
    ASSERT_EQ(net.edge_count(), 12u);
    const auto car = travel_time_weights_ms(net, load_travel_profile("car"));
    const auto walk = travel_time_weights_ms(net, load_travel_profile("walk"));
    const auto chair = travel_time_weights_ms(net, load_travel_profile("wheelchair"));

    EXPECT_EQ(car[0], 18000u);   // residential 20 km/h: 100 m in 18 s
    EXPECT_EQ(car[1], 9000u);    // 50 km/h posted * 0.8 = 40 km/h
    EXPECT_EQ(car[2], no_edge);  // footway
    EXPECT_EQ(car[3], no_edge);  // against a one-way
    EXPECT_EQ(car[4], no_edge);  // steps
    EXPECT_EQ(car[5], no_edge);  // motor_vehicle=no
    EXPECT_EQ(car[6], 4500u);    // motorway 100 * 0.8 = 80 km/h
    EXPECT_EQ(car[8], no_edge);  // path
    EXPECT_EQ(car[9], no_edge);  // pedestrian
    EXPECT_EQ(car[10], no_edge); // unknown class
    EXPECT_EQ(car[11], 3600u);   // capped at 100 km/h

    EXPECT_EQ(walk[0], 100000u); // 3.6 km/h = 1 m/s
    EXPECT_EQ(walk[2], 100000u);
    EXPECT_EQ(walk[3], 100000u); // walking ignores oneway
    EXPECT_EQ(walk[4], 200000u); // steps 1.8 km/h
    EXPECT_EQ(walk[5], 100000u);
    EXPECT_EQ(walk[6], no_edge); // no pedestrians on expressways
    EXPECT_EQ(walk[7], 100000u);
    EXPECT_EQ(walk[10], no_edge);

    EXPECT_EQ(chair[0], 120000u); // 3.0 km/h
    EXPECT_EQ(chair[3], 120000u);
    EXPECT_EQ(chair[4], no_edge);          // no steps
    EXPECT_EQ(chair[7], no_edge);          // narrower than 0.9 m
    EXPECT_EQ(chair[8], 200000u);          // path: kept open but slow (1.8 km/h)
    EXPECT_EQ(usable_edge_count(car), 4u); // edges 0, 1, 6, 11
}

TEST(TravelMode, ProfilesComeFromTheDataFile) {
    test::TempDir dir;
    std::ofstream(dir / "travel_profiles.toml") << R"(
[car]
respect_oneway = true
motor_vehicle = true
[car.speed_kmh]
residential = 36
)";
    const auto car = load_travel_profile("car", dir.path());
    EXPECT_EQ(car.name, "car");
    EXPECT_TRUE(car.allows(RoadClass::residential));
    EXPECT_FALSE(car.allows(RoadClass::primary));
    const auto net = line_network({{RoadClass::residential}, {RoadClass::primary}});
    const auto w = travel_time_weights_ms(net, car);
    EXPECT_EQ(w[0], 10000u);
    EXPECT_EQ(w[1], no_edge);
}

TEST(TravelMode, BadProfilesAreInputErrorsNamingFileAndKey) {
    test::TempDir dir;
    auto write = [&](const std::string& text) {
        std::ofstream(dir / "travel_profiles.toml") << text;
        return dir / "travel_profiles.toml";
    };
    auto expect_error = [&](const std::string& text, std::string_view mode,
                            const std::string& field) {
        const auto file = write(text);
        try {
            (void)load_travel_profile(mode, file);
            ADD_FAILURE() << "accepted: " << text;
        } catch (const InputError& e) {
            EXPECT_EQ(e.where().file, file.string());
            EXPECT_EQ(e.where().field, field) << e.what();
        }
    };
    expect_error("[car.speed_kmh]\nresidential = 20\n", "boat", "");
    expect_error("[car.speed_kmh]\nhighway_to_hell = 20\n", "car", "speed_kmh.highway_to_hell");
    expect_error("[car.speed_kmh]\nresidential = -5\n", "car", "speed_kmh.residential");
    expect_error("[car.speed_kmh]\nresidential = \"fast\"\n", "car", "speed_kmh.residential");
    expect_error("[car]\nrespect_oneway = 3\n[car.speed_kmh]\nresidential = 20\n", "car",
                 "respect_oneway");
    expect_error("[car]\n", "car", "speed_kmh");
    const auto bad_syntax = write("[car\nresidential = 20\n");
    try {
        (void)load_travel_profile("car", bad_syntax);
        ADD_FAILURE() << "accepted bad TOML";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where().line, 1);
    }
    EXPECT_THROW((void)load_travel_profile("car", dir / "absent.toml"), InputError);
}

TEST(TravelMode, EveryBundledModeLoads) {
    for (const auto mode : builtin_mode_names) {
        const auto p = load_travel_profile(mode);
        EXPECT_EQ(p.name, mode);
        EXPECT_TRUE(p.allows(RoadClass::residential)) << mode;
        EXPECT_FALSE(p.allows(RoadClass::other)) << mode;
    }
    EXPECT_EQ(bundled_data_dir(), test::source_path("data"));
}

} // namespace
} // namespace sonae::geo
