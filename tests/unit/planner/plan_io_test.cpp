#include "core/error.hpp"
#include "planner/plan_io.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

using namespace sonae::planner;

namespace {
Plan sample_plan() {
    Plan plan;
    plan.scenario_name = "tiny";
    plan.scenario_title = "テスト用の小さな想定";
    plan.hazard_kind = "flood";
    plan.seed = 42;
    ChildPlan c;
    c.child_id = "UBE-0001";
    c.municipality_code = "352021";
    c.home = {131.25, 33.95};
    c.mobility = Mobility::wheelchair;
    c.care_items = {"ventilator", "suction"};
    c.power.load_peak_w = 230;
    c.power.devices = {"vent", "suction"};
    c.transport = TransportKind::vehicle;
    c.vehicle_id = "VAN-1";
    c.facility_id = "F-1";
    c.arrival_s = 3600;
    c.leave_by_s = 5400;
    c.arrive_by_s = 7200;
    c.latest_safe_departure_s = 5000;
    c.on_power_s = 4500;
    c.margin_s = 2700;
    c.binding = Binding::arrive_by;
    c.steps.packing_s = 1800;
    c.steps.night = true;
    c.outcome = Outcome::evacuate;
    c.status = Feasibility::on_time;
    PlannedRoute r;
    r.mode = TravelMode::car;
    r.length_m = 1234.5;
    r.travel_s = 180;
    r.edges = {sonae::geo::EdgeId(1), sonae::geo::EdgeId(2), sonae::geo::EdgeId(3)};
    r.geometry = {{131.25, 33.95}, {131.26, 33.96}};
    c.primary = r;
    plan.children.push_back(c);
    FacilityPlan f;
    f.facility_id = "F-1";
    f.name = "宇部市福祉避難所";
    f.consumables_72h = {{"HME", 6}};
    f.shortages = {{"power_kw", 3.2, 1.5}};
    plan.facilities.push_back(f);
    VehicleTour t;
    t.vehicle_id = "VAN-1";
    t.stops.push_back({StopKind::pickup, "UBE-0001", "", {131.25, 33.95}, 600, 900});
    plan.tours.push_back(t);
    return plan;
}
} // namespace

TEST(PlanIo, RoundTripIsByteIdentical) {
    const auto plan = sample_plan();
    const auto text = plan_to_json(plan);
    const auto back = plan_from_json(text, "mem");
    EXPECT_EQ(plan_to_json(back), text);
    ASSERT_EQ(back.children.size(), 1u);
    EXPECT_EQ(back.children[0].transport, TransportKind::vehicle);
    ASSERT_TRUE(back.children[0].primary.has_value());
    EXPECT_EQ(back.children[0].primary->edges.size(), 3u);
    EXPECT_FALSE(back.children[0].alternate.has_value());
    EXPECT_EQ(back.facilities[0].name, "宇部市福祉避難所");
    // Version 2: the two deadlines, the latest safe departure, the outcome and the steps.
    EXPECT_EQ(back.children[0].leave_by_s, 5400);
    EXPECT_EQ(back.children[0].arrive_by_s, 7200);
    EXPECT_EQ(back.children[0].latest_safe_departure_s, 5000);
    EXPECT_EQ(back.children[0].on_power_s, 4500);
    EXPECT_EQ(back.children[0].binding, Binding::arrive_by);
    EXPECT_EQ(back.children[0].outcome, Outcome::evacuate);
    EXPECT_EQ(back.children[0].steps.packing_s, 1800);
    EXPECT_TRUE(back.children[0].steps.night);
    // The codes of planner/codes.hpp, as strings in the file and enums back.
    EXPECT_NE(text.find("\"mobility\": \"wheelchair\""), std::string::npos);
    EXPECT_NE(text.find("\"mode\": \"car\""), std::string::npos);
    EXPECT_NE(text.find("\"kind\": \"pickup\""), std::string::npos);
    EXPECT_EQ(back.children[0].mobility, Mobility::wheelchair);
    EXPECT_EQ(back.children[0].primary->mode, TravelMode::car);
    EXPECT_EQ(back.tours[0].stops[0].kind, StopKind::pickup);
}

/// `text` with `written` replaced by `edited`, read back: the InputError it must raise (an
/// empty one, after a test failure, if it is read).
sonae::InputError refusal_of(const std::string& text, const std::string& written,
                             const std::string& edited) {
    auto changed = text;
    const auto at = changed.find(written);
    EXPECT_NE(at, std::string::npos) << written;
    if (at == std::string::npos) return sonae::InputError("");
    changed.replace(at, written.size(), edited);
    try {
        plan_from_json(changed, "edited.json");
        ADD_FAILURE() << "accepted " << edited;
    } catch (const sonae::InputError& e) {
        EXPECT_EQ(e.where().file, "edited.json") << edited;
        return e;
    }
    return sonae::InputError("");
}

TEST(PlanIo, UnknownCodesAreRefusedNamingFileFieldAndValue) {
    // A plan.json edited by hand: a mobility, a travel mode or a stop kind that is no code is
    // bad input naming the file, the field and the value (it used to be read as any string).
    const auto text = plan_to_json(sample_plan());
    const struct {
        std::string written, edited, field;
    } cases[] = {{"\"mobility\": \"wheelchair\"", "\"mobility\": \"車いす\"", "mobility"},
                 {"\"mode\": \"car\"", "\"mode\": \"drive\"", "mode"},
                 {"\"kind\": \"pickup\"", "\"kind\": \"pick_up\"", "kind"}};
    for (const auto& c : cases) {
        const auto e = refusal_of(text, c.written, c.edited);
        EXPECT_EQ(e.where().field, c.field) << c.edited;
        const auto value = c.edited.substr(c.edited.find(": \"") + 3);
        EXPECT_EQ(e.where().value, value.substr(0, value.size() - 1)) << c.edited;
    }
}

TEST(PlanIo, NumbersBeyondWhatAnIntegerHoldsAreRefusedBeforeTheyAreConverted) {
    // Issue 24 item 3: the times, counts and the seed are integers in the plan; a float beyond
    // int64's ±9.2e18 (1e308, 1e19) was converted anyway (undefined behaviour: the margin
    // became INT64_MIN, a seed of 1e19 some number and the plan was read). Every number beyond
    // ±1e15 is refused first, naming the path and the value as written.
    const auto text = plan_to_json(sample_plan());
    const struct {
        std::string written, edited, field, value;
    } cases[] = {
        {"\"margin_s\": 2700", "\"margin_s\": 1e308", "children[0].margin_s", "1e+308"},
        {"\"margin_s\": 2700", "\"margin_s\": -1e19", "children[0].margin_s", "-1e+19"},
        {"\"seed\": 42", "\"seed\": 1e19", "seed", "1e+19"},
        {"\"departure_s\": 900", "\"departure_s\": 2e15", "tours[0].stops[0].departure_s", "2e+15"},
        {"\"length_m\": 1234.5", "\"length_m\": 1e300", "children[0].primary.length_m", "1e+300"},
    };
    for (const auto& c : cases) {
        const auto e = refusal_of(text, c.written, c.edited);
        EXPECT_EQ(e.where().field, c.field) << c.edited;
        EXPECT_EQ(e.where().value, c.value) << c.edited;
        EXPECT_NE(std::string(e.what()).find("out of range"), std::string::npos) << e.what();
    }
    // 1e15 itself is no integer overflow: it reaches the plan's own range checks.
    const auto e = refusal_of(text, "\"margin_s\": 2700", "\"margin_s\": 1e15");
    EXPECT_NE(std::string(e.what()).find("ten horizons"), std::string::npos) << e.what();
}

TEST(PlanIo, ChildIdsFollowTheRegistrysRules) {
    // A child id names the guidebook's file: a 65-byte id, a slash, a formula start are refused
    // as the registry refuses them (planner/detail/registry_text.hpp id_problem).
    const auto text = plan_to_json(sample_plan());
    const std::string written = "\"child_id\": \"UBE-0001\"";
    for (const std::string& id :
         {std::string(65, 'K'), std::string("UBE/0001"), std::string("=1+2")}) {
        const auto e = refusal_of(text, written, "\"child_id\": \"" + id + "\"");
        EXPECT_EQ(e.where().field, "children[0].child_id") << id;
        EXPECT_EQ(e.where().value, id);
    }
    // 64 bytes is within the rule (the tour's stop still names UBE-0001: that is what fails).
    const auto e = refusal_of(text, written, "\"child_id\": \"" + std::string(64, 'K') + "\"");
    EXPECT_NE(std::string(e.what()).find("stop's child is not among"), std::string::npos)
        << e.what();
}

TEST(PlanIo, ChildrenPrintedApartGiveTheSameTextAsOneDocument) {
    // plan_to_json prints the children on several threads and splices them in: the text must
    // be exactly nlohmann's pretty print of the whole document, for any number of children.
    for (const std::size_t count : {0u, 1u, 2u, 7u, 40u}) {
        auto plan = sample_plan();
        const auto first = plan.children.front();
        plan.children.clear();
        plan.tours.clear(); // its stop is for UBE-0001, not among these children
        for (std::size_t i = 0; i < count; ++i) {
            auto c = first;
            c.child_id = "UBE-" + std::to_string(1000 + i);
            c.reasons = {"理由 \"quoted\"\nand a new line"};
            if (i % 3 == 0) c.primary.reset();
            plan.children.push_back(c);
        }
        const auto text = plan_to_json(plan);
        EXPECT_EQ(nlohmann::ordered_json::parse(text).dump(2) + "\n", text) << count << " children";
        EXPECT_EQ(plan_from_json(text, "mem").children.size(), count);
    }
}

TEST(PlanIo, WrittenWithPersonalModeAndReadBack) {
    sonae::test::TempDir dir;
    write_plan_json(dir / "plan.json", sample_plan());
    struct stat st {};
    ASSERT_EQ(::stat((dir / "plan.json").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(read_plan_json(dir / "plan.json").children[0].child_id, "UBE-0001");
}

TEST(PlanIo, RejectsWrongVersionAndBrokenDocuments) {
    auto text = plan_to_json(sample_plan());
    const auto pos = text.find("\"format_version\": 2");
    ASSERT_NE(pos, std::string::npos);
    auto wrong = text;
    // A version 1 plan (one merged deadline, issue 17) is refused with a hint to re-plan.
    wrong.replace(pos, 19, "\"format_version\": 1");
    try {
        plan_from_json(wrong, "old.json");
        FAIL() << "accepted a wrong version";
    } catch (const sonae::InputError& e) {
        EXPECT_EQ(e.where().file, "old.json");
        EXPECT_EQ(e.where().field, "format_version");
        EXPECT_EQ(e.where().value, "1");
        EXPECT_NE(std::string(e.what()).find("re-run"), std::string::npos);
    }
    EXPECT_THROW(plan_from_json(text.substr(0, text.size() / 2), "cut.json"), sonae::InputError);
    EXPECT_THROW(plan_from_json("{\"format\": \"other\"}", "x.json"), sonae::InputError);
    EXPECT_THROW(read_plan_json("/nonexistent/plan.json"),
                 sonae::IoError); // exit 2, as every missing input
}
