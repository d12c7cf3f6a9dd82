#include "geo/error.hpp"
#include "planner/scenario.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <fstream>

using namespace sonae::planner;

namespace {

void write(const std::filesystem::path& p, const std::string& text) {
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
}

struct Fixture {
    sonae::test::TempDir dir;
    Fixture() {
        write(dir / "data/registry.csv", "id\n");
        write(dir / "data/facilities.csv", "id\n");
        write(dir / "data/roads.gpkg", "");
        write(dir / "data/flood.geojson", "{}");
    }
    std::filesystem::path manifest(const std::string& text) {
        write(dir / "scenario.toml", text);
        return dir / "scenario.toml";
    }
};

const char* good = R"(
[scenario]
name = "tiny"
title = "小さな想定"
hazard = "flood"
seed = 7
horizon_h = 72

[network]
path = "data/roads.gpkg"
layer = "edges"

[registry]
path = "data/registry.csv"

[[facilities]]
path = "data/facilities.csv"
kind = "facilities"

[[hazards]]
path = "data/flood.geojson"
kind = "flood"
onset_min = 90
depth_field = "depth_m"

[timeline]
t0 = "2026-07-01 06:00 警戒レベル3"
mains_lost_min = 60

[options]
at_risk_threshold_min = 20
)";

} // namespace

TEST(Scenario, ReadsAManifestWithPathsRelativeToIt) {
    Fixture f;
    const auto m = read_manifest(f.manifest(good));
    EXPECT_EQ(m.name, "tiny");
    EXPECT_EQ(m.title, "小さな想定");
    EXPECT_EQ(m.seed, 7u);
    ASSERT_TRUE(m.network.has_value());
    EXPECT_EQ(*m.network, (f.dir / "data/roads.gpkg").lexically_normal());
    EXPECT_EQ(m.network_layer, "edges");
    ASSERT_EQ(m.hazards.size(), 1u);
    EXPECT_DOUBLE_EQ(m.hazards[0].onset_min, 90.0);
    EXPECT_DOUBLE_EQ(m.timeline.mains_lost_min, 60.0);
    EXPECT_DOUBLE_EQ(m.options.at_risk_threshold_min, 20.0);
    EXPECT_DOUBLE_EQ(m.options.safety_margin_min, 30.0); // default kept
    EXPECT_EQ(m.input_files().size(), 5u);
    // A folder works as well as the file.
    EXPECT_EQ(read_manifest(f.dir.path()).name, "tiny");
}

TEST(Scenario, BadManifestsNameTheKeyAndValue) {
    struct Case {
        std::string from, to, field;
    };
    const std::vector<Case> cases = {
        {"path = \"data/registry.csv\"", "path = \"data/missing.csv\"", "registry.path"},
        {"seed = 7", "seed = \"seven\"", "scenario.seed"},
        {"hazard = \"flood\"", "hazard = \"volcano\"", "scenario.hazard"},
        {"kind = \"facilities\"", "kind = \"hotel\"", "facilities[0].kind"},
        {"horizon_h = 72", "horizon_h = 0", "scenario.horizon_h"},
        {"[options]", "[optoins]", "optoins"},
        {"horizon_h = 72", "horizon_hours = 72", "scenario.horizon_hours"},
        {"onset_min = 90", "onset_minutes = 90", "hazards[0].onset_minutes"},
        {"at_risk_threshold_min = 20", "at_risk_threshold_min = \"x\"", "options.at_risk_threshold_min"},
    };
    for (const auto& c : cases) {
        Fixture f;
        std::string text = good;
        const auto pos = text.find(c.from);
        ASSERT_NE(pos, std::string::npos) << c.from;
        text.replace(pos, c.from.size(), c.to);
        try {
            read_manifest(f.manifest(text));
            ADD_FAILURE() << "accepted: " << c.to;
        } catch (const sonae::InputError& e) {
            EXPECT_EQ(e.where().field, c.field) << e.what();
            EXPECT_NE(e.where().file.find("scenario.toml"), std::string::npos);
        }
    }
}

TEST(Scenario, SyntaxErrorGivesTheLine) {
    Fixture f;
    try {
        read_manifest(f.manifest("[scenario]\nname = \"x\"\nseed = = 3\n"));
        FAIL();
    } catch (const sonae::InputError& e) {
        EXPECT_EQ(e.where().line, 3);
    }
}
