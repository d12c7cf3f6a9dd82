#include "core/error.hpp"
#include "planner/scenario.hpp"
#include "planner/validate.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <algorithm>
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
        {"at_risk_threshold_min = 20", "at_risk_threshold_min = \"x\"",
         "options.at_risk_threshold_min"},
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

// Every option is range-checked where it is read, named by its key and value (issue 24 item
// 5). Before, these surfaced elsewhere: speed 0 as a feature's duration '-2147483648', a
// decision time of 100,000 min as a vehicle job's pickup window, -5 as field 'options' with
// no key, a negative snap distance as a facility's problem.
TEST(Scenario, OptionsOutOfRangeNameTheirKeyAndValue) {
    struct Case {
        std::string from, to, field, value;
    };
    const std::vector<Case> cases = {
        {"[options]", "[options]\nstraight_line_speed_kmh = 0", "options.straight_line_speed_kmh",
         "0"},
        {"[options]", "[options]\ndecision_min = 100000", "options.decision_min", "100000"},
        {"at_risk_threshold_min = 20", "at_risk_threshold_min = -5",
         "options.at_risk_threshold_min", "-5"},
        {"[options]", "[options]\nmax_snap_m = -1", "options.max_snap_m", "-1"},
        {"[options]", "[options]\nsafety_margin_min = nan", "options.safety_margin_min", "nan"},
        {"[options]", "[options]\nstraight_line_circuity = 9.5", "options.straight_line_circuity",
         "9.5"},
        {"mains_lost_min = 60", "mains_lost_min = 99999", "timeline.mains_lost_min", "99999"},
        // -1 is how the model says "no 避難指示 in the scenario"; written in the file it is a
        // time before t0, and was taken silently for "not given".
        {"mains_lost_min = 60", "mains_lost_min = 60\nlevel4_min = -1", "timeline.level4_min",
         "-1"},
        {"mains_lost_min = 60", "mains_lost_min = 60\nlevel4_min = 5000", "timeline.level4_min",
         "5000"},
        {"onset_min = 90", "onset_min = -10", "hazards[0].onset_min", "-10"},
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
            EXPECT_EQ(e.where().value, c.value) << e.what();
            EXPECT_NE(std::string(e.what()).find("out of range"), std::string::npos) << e.what();
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

TEST(Scenario, T0ClockIsAnIso8601TimeWithItsOffset) {
    // Without t0_clock the clock is unknown.
    {
        Fixture f;
        EXPECT_FALSE(read_manifest(f.manifest(good)).timeline.t0_clock.has_value());
    }
    struct Ok {
        std::string value;
        std::int64_t unix_s;
        int offset_min;
    };
    // 2026-03-14T02:00+09:00 = 2026-03-13T17:00Z. Days from 1970-01-01 to 2026-03-13:
    // 56 years with 14 leap days (1972..2024) = 56 x 365 + 14 = 20,454; Jan 31 + Feb 28 + 12 = 71
    // -> day 20,525; x 86,400 = 1,773,360,000 s; + 17 h x 3,600 = 1,773,421,200 s.
    const std::vector<Ok> ok = {
        {"\"2026-03-14T02:00+09:00\"", 1'773'421'200, 540},
        {"\"2026-03-14T02:00:30+09:00\"", 1'773'421'230, 540},
        {"\"2026-03-13T17:00Z\"", 1'773'421'200, 0},
        {"2026-03-14T02:00:00+09:00", 1'773'421'200, 540}, // an unquoted TOML date-time
    };
    for (const auto& c : ok) {
        Fixture f;
        std::string text = good;
        text.replace(text.find("mains_lost_min = 60"), 19,
                     "mains_lost_min = 60\nt0_clock = " + c.value);
        const auto m = read_manifest(f.manifest(text));
        ASSERT_TRUE(m.timeline.t0_clock.has_value()) << c.value;
        EXPECT_EQ(m.timeline.t0_clock->unix_s, c.unix_s) << c.value;
        EXPECT_EQ(m.timeline.t0_clock->offset_min, c.offset_min) << c.value;
    }
    // Bad values: exit 2 in the CLI (InputError) naming the file, the key and the value.
    for (const std::string bad : {"\"14/03/2026 02:00\"", "\"2026-03-14T02:00\"",
                                  "\"2026-02-30T02:00+09:00\"", "\"2026-03-14T25:00+09:00\"",
                                  "\"2026-03-14T02:00+0900\"", "2026-03-14T02:00:00", "900"}) {
        Fixture f;
        std::string text = good;
        text.replace(text.find("mains_lost_min = 60"), 19,
                     "mains_lost_min = 60\nt0_clock = " + bad);
        try {
            read_manifest(f.manifest(text));
            ADD_FAILURE() << "accepted: " << bad;
        } catch (const sonae::InputError& e) {
            EXPECT_EQ(e.where().field, "timeline.t0_clock") << e.what();
            // The line of t0_clock in the manifest (1-based).
            const auto at = text.find("t0_clock");
            EXPECT_EQ(
                e.where().line,
                1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'))
                << e.what();
            EXPECT_NE(e.where().file.find("scenario.toml"), std::string::npos);
            EXPECT_FALSE(e.where().value.empty()) << bad << ": " << e.what();
        }
    }
}

// An earthquake scenario (issue 17 item 3): its layers are what the quake sets off and must
// say so; a tsunami layer belongs to a tsunami scenario, whose shelters are checked for
// tsunami. The error names the key, the value and the line of the [[hazards]] table.
TEST(Scenario, AnEarthquakeScenarioNamesTheKindOfEachLayer) {
    std::string quake = good;
    quake.replace(quake.find("hazard = \"flood\""), 16, "hazard = \"earthquake\"");
    {
        Fixture f;
        std::string text = quake;
        text.replace(text.find("kind = \"flood\""), 14, "kind = \"landslide\"");
        const auto m = read_manifest(f.manifest(text));
        EXPECT_EQ(m.hazard_kind, "earthquake");
        ASSERT_EQ(m.hazards.size(), 1u);
        EXPECT_EQ(m.hazards[0].kind, "landslide");
    }
    struct Case {
        std::string to, value;
    };
    for (const auto& c : {Case{"", ""}, Case{"kind = \"tsunami\"\n", "tsunami"},
                          Case{"kind = \"earthquake\"\n", "earthquake"}}) {
        Fixture f;
        std::string text = quake;
        text.replace(text.find("kind = \"flood\"\n"), 15, c.to);
        try {
            read_manifest(f.manifest(text));
            ADD_FAILURE() << "accepted: " << c.to;
        } catch (const sonae::InputError& e) {
            EXPECT_EQ(e.where().field, "hazards[0].kind") << e.what();
            EXPECT_EQ(e.where().value, c.value) << e.what();
            // [[hazards]] is on line 20 of the manifest, its kind on line 22.
            EXPECT_EQ(e.where().line, c.to.empty() ? 20 : 22) << e.what();
            EXPECT_NE(std::string(e.what()).find("earthquake scenario"), std::string::npos)
                << e.what();
        }
    }
}

// Issue 24 item 3: a hospital in the sea received a ventilator child by ambulance. Facilities
// are checked against the outlines as homes are: a hospital at 131.24, 33.925 (the sea off
// Ube's port, outside the simplified outline by more than the 300 m its simplification
// explains) is a warning naming the file, the line, the facility and the point; the welfare
// shelter on land (Ube's centre) is not.
TEST(Scenario, AFacilityInTheSeaIsWarned) {
    sonae::test::TempDir dir;
    write(dir / "data/registry.csv", "id,municipality_code,home_lon,home_lat,mobility\nS-1,352021,"
                                     "131.284682,33.937451,carried\n");
    write(dir / "data/facilities.csv",
          "id,name,kind,municipality_code,lon,lat,opening_delay\n"
          "HP-9,海の病院,hospital,352021,131.2400,33.9250,0\n"
          "WS-9,陸の福祉避難所,welfare_shelter,352021,131.2500,33.9500,60\n");
    write(dir / "scenario.toml", R"(
[scenario]
name = "sea"
hazard = "flood"
[registry]
path = "data/registry.csv"
[[facilities]]
path = "data/facilities.csv"
kind = "facilities"
)");
    const auto s = load_scenario(dir / "scenario.toml");
    std::vector<std::string> sea;
    for (const auto& d : s.diagnostics) {
        if (d.message.find("in the sea") == std::string::npos) continue;
        EXPECT_EQ(d.severity, sonae::Diagnostic::Severity::warning);
        EXPECT_EQ(d.where.file, (dir / "data/facilities.csv").string());
        EXPECT_EQ(d.where.value, "131.240000, 33.925000");
        sea.push_back(std::to_string(d.where.line) + " " + d.where.feature);
        EXPECT_NE(d.message.find("海の病院"), std::string::npos) << d.message;
    }
    EXPECT_EQ(sea, std::vector<std::string>{"2 HP-9"});
    // `sonae validate` on the facilities file says the same, before any plan.
    ValidateOptions options;
    options.kind = InputKind::facilities;
    const auto report =
        format_validation_report({validate_file(dir / "data/facilities.csv", options)});
    EXPECT_NE(report.find("line 2, feature HP-9, field 'lon/lat', value '131.240000, 33.925000'"),
              std::string::npos)
        << report;
    EXPECT_NE(report.find("in the sea"), std::string::npos) << report;
    EXPECT_EQ(report.find("WS-9"), std::string::npos) << report;
}
