// Yamaguchi reference data and synthetic registries on a hand-drawn network.
#include "planner/municipality.hpp"
#include "planner/power_model.hpp"
#include "planner/synth.hpp"

#include <gtest/gtest.h>

#include <set>

namespace sonae::planner {
namespace {

TEST(Municipalities, NineteenWithCentresAndCodes) {
    const MunicipalityTable& t = yamaguchi_municipalities();
    ASSERT_EQ(t.all().size(), 19u);
    std::size_t east = 0, west = 0, adhoc = 0;
    for (const auto& m : t.all()) {
        (m.centre == SupportRegion::east ? east : west) += 1;
        adhoc += !m.council_statutory;
        EXPECT_EQ(m.code.substr(0, 5), m.code5);
        EXPECT_FALSE(m.coordinator_offices.empty()) << m.name_ja;
    }
    EXPECT_EQ(east, 10u); // DOMAIN section 0
    EXPECT_EQ(west, 9u);  // "8 cities + 1 town"
    EXPECT_EQ(adhoc, 5u); // Shimonoseki, Ube, Mine, Sanyo-Onoda, Abu
    const Municipality* ube = t.find("35202");
    ASSERT_NE(ube, nullptr);
    EXPECT_EQ(ube->code, "352021");
    EXPECT_EQ(ube->name_ja, "宇部市");
    EXPECT_EQ(t.find("宇部市"), ube);
    EXPECT_EQ(t.find("Ube"), ube);
    EXPECT_EQ(t.find("352071")->name_en, "Kudamatsu");
    EXPECT_EQ(t.centre_for("352071")->phone, "0834-34-6330");
    EXPECT_EQ(t.centre_for("352012")->phone, "083-252-6041");
    EXPECT_EQ(t.find("131016"), nullptr);
    std::set<std::string> prefixes;
    for (const auto& m : t.all()) EXPECT_TRUE(prefixes.insert(m.id_prefix).second) << m.id_prefix;
}

geo::RoadNetwork grid_network() {
    // A 5 x 5 grid of residential streets (about 100 m apart) near Ube, plus one trunk road.
    geo::RoadNetworkBuilder b;
    auto id = [](int x, int y) { return static_cast<std::int64_t>(y * 10 + x + 1); };
    for (int y = 0; y < 5; ++y) {
        for (int x = 0; x < 5; ++x)
            b.add_node(id(x, y), geo::LonLat{131.25 + x * 0.001, 33.95 + y * 0.0009});
    }
    auto street = [&](int x0, int y0, int x1, int y1, geo::RoadClass rc) {
        const auto u = b.add_node(id(x0, y0));
        const auto v = b.add_node(id(x1, y1));
        geo::EdgeAttributes a;
        a.length_m = 100.0;
        a.road_class = rc;
        b.add_edge(u, v, a);
        b.add_edge(v, u, a);
    };
    for (int y = 0; y < 5; ++y) {
        for (int x = 0; x < 4; ++x)
            street(x, y, x + 1, y, y == 0 ? geo::RoadClass::trunk : geo::RoadClass::residential);
    }
    for (int x = 0; x < 5; ++x) {
        for (int y = 0; y < 4; ++y) street(x, y, x, y + 1, geo::RoadClass::residential);
    }
    return std::move(b).build();
}

TEST(Synth, ReproducibleForASeedAndDifferentForAnother) {
    const geo::RoadNetwork net = grid_network();
    SynthOptions o{.municipality_code = "352021", .children = 40, .seed = 7};
    const Registry a = synthesize_registry(net, o);
    const Registry b = synthesize_registry(net, o);
    ASSERT_EQ(a.size(), 40u);
    for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a.children()[i], b.children()[i]);
    o.seed = 8;
    const Registry c = synthesize_registry(net, o);
    std::size_t same = 0;
    for (std::size_t i = 0; i < a.size(); ++i) same += a.children()[i].home == c.children()[i].home;
    EXPECT_LT(same, 3u);
}

TEST(Synth, PlausibleChildrenBesideResidentialRoads) {
    const geo::RoadNetwork net = grid_network();
    const Registry r = synthesize_registry(
        net, SynthOptions{.municipality_code = "352021", .children = 200, .seed = 1});
    ASSERT_EQ(r.size(), 200u);
    EXPECT_EQ(r.children()[0].id, "UBE-0001");
    EXPECT_EQ(r.children()[199].id, "UBE-0200");
    std::size_t ventilated = 0, oxygen = 0, suction = 0, with_deadline = 0;
    for (const Child& c : r.children()) {
        EXPECT_EQ(c.municipality_code, "352021");
        EXPECT_TRUE(c.personal.name.empty()); // no names unless asked
        EXPECT_FALSE(c.care_items.empty());
        // Within the grid's extent plus the 30 m offset, and never on the trunk row (y = 0)
        // unless it is a residential cross street.
        EXPECT_GT(c.home.lon, 131.25 - 0.0004);
        EXPECT_LT(c.home.lon, 131.254 + 0.0004);
        EXPECT_GT(c.home.lat, 33.95 - 0.0003);
        EXPECT_LT(c.home.lat, 33.9536 + 0.0003);
        ventilated += c.has_care(CareItem::ventilator);
        oxygen += c.has_care(CareItem::oxygen);
        suction += c.has_care(CareItem::suction);
        if (c.has_care(CareItem::oxygen)) {
            EXPECT_GT(c.oxygen.flow_lpm, 0.0);
        }
        with_deadline += assess_child(c, default_device_catalogue()).deadline_s.has_value();
    }
    // Shares in the ranges the synth's comment cites (wide bands: 200 draws).
    EXPECT_GT(ventilated, 20u);
    EXPECT_LT(ventilated, 90u);
    EXPECT_GT(oxygen, 40u);
    EXPECT_GT(suction, 80u);
    EXPECT_GT(with_deadline, 50u);
}

TEST(Synth, NamesOnlyWhenAskedAndClearlyFake) {
    const geo::RoadNetwork net = grid_network();
    const Registry r = synthesize_registry(
        net,
        SynthOptions{.municipality_code = "352021", .children = 3, .seed = 1, .with_names = true});
    for (const Child& c : r.children()) {
        EXPECT_TRUE(c.personal.name.starts_with("架空")) << c.personal.name;
        EXPECT_TRUE(c.personal.phone.starts_with("000-")) << c.personal.phone;
    }
}

TEST(Registry, HomeFarFromAnyRoadIsAWarningOnlyWithANetwork) {
    const geo::RoadNetwork net = grid_network();
    const std::string csv = "id,municipality_code,home_lon,home_lat,mobility\n"
                            "NEAR,352021,131.2515,33.9510,carried\n" // 10-20 m from a street
                            "FAR,352021,131.2700,33.9700,carried\n"; // about 2 km away
    const Table table = table_from_csv(parse_csv(csv, "r.csv"), registry_columns());
    auto far_warnings = [](const RegistryLoadResult& r) {
        std::vector<Diagnostic> out;
        for (const auto& d : r.diagnostics) {
            if (d.message.find("from the nearest road") != std::string::npos) out.push_back(d);
        }
        return out;
    };
    RegistryLoadOptions options;
    EXPECT_TRUE(far_warnings(load_registry_table(table, options)).empty());
    options.network = &net;
    const RegistryLoadResult r = load_registry_table(table, options);
    EXPECT_EQ(r.registry.size(), 2u);
    EXPECT_FALSE(has_errors(r.diagnostics));
    const auto far = far_warnings(r);
    ASSERT_EQ(far.size(), 1u);
    EXPECT_EQ(far[0].severity, Diagnostic::Severity::warning);
    EXPECT_EQ(far[0].where.line, 3);
}

TEST(Synth, RejectsBadInput) {
    const geo::RoadNetwork net = grid_network();
    EXPECT_THROW(synthesize_registry(net, SynthOptions{.municipality_code = "35202X"}), InputError);
    EXPECT_THROW(
        synthesize_registry(geo::RoadNetwork{}, SynthOptions{.municipality_code = "352021"}),
        InputError);
}

} // namespace
} // namespace sonae::planner
