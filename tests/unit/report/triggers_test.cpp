// The trigger table (data/hazard_triggers.toml): every hazard kind, with sources; a tsunami
// and an earthquake never wait for 警戒レベル3; landslides name 土砂災害警戒情報.
#include "core/error.hpp"
#include "report/triggers.hpp"

#include <gtest/gtest.h>

using namespace sonae;
using namespace sonae::report;

TEST(Triggers, EveryHazardKindHasStepsAndCitedSources) {
    const auto& table = hazard_triggers();
    ASSERT_EQ(table.size(), 5u);
    const std::vector<std::string> kinds{"flood", "landslide", "storm_surge", "tsunami",
                                         "earthquake"};
    for (std::size_t i = 0; i < table.size(); ++i) {
        const auto& t = table[i];
        EXPECT_EQ(t.kind, kinds[i]);
        EXPECT_GE(t.steps.size(), 3u) << t.kind;
        ASSERT_FALSE(t.sources.empty()) << t.kind;
        for (const auto& s : t.sources)
            EXPECT_EQ(s.url.rfind("http", 0), 0u) << t.kind << " " << s.key;
        EXPECT_EQ(triggers_for(t.kind), &t);
    }
    EXPECT_EQ(triggers_for("drill"), nullptr);
}

TEST(Triggers, TsunamiLeavesAtOnceAndNeverWaitsForLevelThree) {
    const auto* t = triggers_for("tsunami");
    ASSERT_NE(t, nullptr);
    EXPECT_FALSE(t->alert_levels);
    EXPECT_NE(t->headline.find("揺れがおさまりしだい"), std::string::npos);
    EXPECT_NE(t->headline.find("大津波警報"), std::string::npos);
    EXPECT_EQ(t->leave_at.find("高齢者等避難"), std::string::npos);
    for (const auto& s : t->steps)
        EXPECT_EQ(s.when.find("警戒レベル3"), std::string::npos) << s.when;
    EXPECT_FALSE(triggers_for("earthquake")->alert_levels);
}

TEST(Triggers, RainHazardsUseTheAlertLevelsAndLandslidesTheWarningInformation) {
    for (const char* kind : {"flood", "landslide", "storm_surge"}) {
        const auto* t = triggers_for(kind);
        EXPECT_TRUE(t->alert_levels) << kind;
        EXPECT_NE(t->leave_at.find("警戒レベル3"), std::string::npos) << kind;
    }
    const auto* l = triggers_for("landslide");
    EXPECT_NE(l->headline.find("土砂災害警戒情報"), std::string::npos);
    bool step = false;
    for (const auto& s : l->steps)
        step = step || s.when.find("土砂災害警戒情報") != std::string::npos;
    EXPECT_TRUE(step);
}

TEST(Triggers, MalformedTableNamesTheKey) {
    const std::string text = R"(
[source.a]
title = "出典"
url = "https://example.org/"
[hazard.flood]
label = "洪水"
leave_at = "警戒レベル3"
alert_levels = true
sources = ["a"]
[[hazard.flood.step]]
when = "x"
action = "y"
)";
    try {
        parse_hazard_triggers(text, "t.toml");
        FAIL() << "a table without a headline was accepted";
    } catch (const InputError& e) {
        EXPECT_EQ(e.where().field, "hazard.flood.headline");
        EXPECT_EQ(e.where().file, "t.toml");
    }
}
