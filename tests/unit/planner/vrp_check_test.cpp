// The independent checker rejects each kind of violation on hand-built schedules.
#include "planner/vrp.hpp"
#include "planner/vrp_check.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vrp = sonae::planner::vrp;

namespace {

// Locations on a line, 10 apart: 0 depot, 1..4 homes/facilities.
vrp::Problem line_problem() {
    vrp::Problem p;
    p.durations = vrp::Matrix(5);
    for (int a = 0; a < 5; ++a) {
        for (int b = 0; b < 5; ++b) p.durations.set(a, b, 10 * std::abs(a - b));
    }
    vrp::Vehicle v;
    v.id = "van";
    v.start = vrp::LocationIndex(0);
    v.end = vrp::LocationIndex(0);
    v.capacity = {2, 1, 0};
    v.skills = vrp::skill(vrp::Skill::nurse);
    v.availability = {0, 200};
    p.vehicles = {v};
    vrp::Job child;
    child.id = "child";
    child.kind = vrp::JobKind::pickup_delivery;
    child.pickup = {vrp::LocationIndex(1), {0, 100}, 5};
    child.delivery = {vrp::LocationIndex(3), {0, 150}, 5};
    child.demand = {1, 1, 0};
    child.max_ride = 30;
    vrp::Job parcel;
    parcel.id = "parcel";
    parcel.delivery = {vrp::LocationIndex(2), {0, 100}, 0};
    parcel.demand = {1, 0, 0};
    p.jobs = {child, parcel};
    return p;
}

vrp::Stop stop(int job, bool pickup) {
    vrp::Stop s;
    s.job = vrp::JobIndex(job);
    s.is_pickup = pickup;
    return s;
}

vrp::Solution tour(const vrp::Problem& p, std::vector<vrp::Stop> stops) {
    vrp::Route r;
    r.vehicle = vrp::VehicleIndex(0);
    r.stops = std::move(stops);
    return vrp::make_solution(p, {r});
}

bool mentions(const vrp::CheckReport& report, const std::string& text) {
    for (const auto& v : report.violations) {
        if (v.find(text) != std::string::npos) return true;
    }
    return false;
}

TEST(VrpCheck, AcceptsAFeasibleTourAndRecomputesCost) {
    const vrp::Problem p = line_problem();
    const vrp::Solution s = tour(p, {stop(0, true), stop(1, false), stop(0, false)});
    const vrp::CheckReport report = vrp::check(p, s);
    EXPECT_TRUE(report.feasible()) << report.violations.front();
    EXPECT_EQ(report.travel_cost, 60);
    EXPECT_EQ(report.routes_used, 1);
    EXPECT_EQ(s.routes[0].stops[2].start, 10 + 5 + 10 + 10); // 0 -> 1, 5 service, -> 2 -> 3
}

TEST(VrpCheck, RejectsDeliveryBeforePickup) {
    const vrp::Problem p = line_problem();
    const vrp::CheckReport report =
        vrp::check(p, tour(p, {stop(1, false), stop(0, false), stop(0, true)}));
    EXPECT_TRUE(mentions(report, "before (or without) picking it up"));
    EXPECT_TRUE(mentions(report, "never delivered"));
}

TEST(VrpCheck, RejectsRideOverTheLimit) {
    vrp::Problem p = line_problem();
    p.jobs[0].max_ride = 10; // ride 1 -> 2 -> 3 is 20
    const vrp::CheckReport report =
        vrp::check(p, tour(p, {stop(0, true), stop(1, false), stop(0, false)}));
    EXPECT_TRUE(mentions(report, "over its limit"));
}

TEST(VrpCheck, RejectsMissingSkillOverloadLateAndUnlisted) {
    vrp::Problem p = line_problem();
    p.jobs[0].required = vrp::skill(vrp::Skill::certified_carer);
    p.vehicles[0].capacity = {1, 1, 0};
    p.jobs[1].delivery.window = {0, 15};
    const vrp::CheckReport report =
        vrp::check(p, tour(p, {stop(0, true), stop(1, false), stop(0, false)}));
    EXPECT_TRUE(mentions(report, "lacks a skill"));
    EXPECT_TRUE(mentions(report, "overloaded"));
    EXPECT_TRUE(mentions(report, "after its deadline"));

    vrp::Solution missing = tour(line_problem(), {stop(1, false)});
    missing.unserved.clear();
    EXPECT_TRUE(
        mentions(vrp::check(line_problem(), missing, {false, false}), "neither served nor listed"));
}

TEST(VrpCheck, RejectsDuplicatesAndWrongReportedFigures) {
    const vrp::Problem p = line_problem();
    vrp::Solution dup = tour(p, {stop(1, false), stop(1, false)});
    EXPECT_TRUE(mentions(vrp::check(p, dup), "visited 2 times"));

    vrp::Solution s = tour(p, {stop(0, true), stop(1, false), stop(0, false)});
    s.routes[0].stops[1].start += 1;
    s.travel_cost -= 1;
    const vrp::CheckReport report = vrp::check(p, s);
    EXPECT_TRUE(mentions(report, "reports times"));
    EXPECT_TRUE(mentions(report, "solution reports travel"));
    vrp::CheckOptions lenient;
    lenient.compare_reported = false;
    EXPECT_TRUE(vrp::check(p, s, lenient).feasible());
}

TEST(VrpCheck, RejectsLateReturnAndVehicleUsedTwice) {
    vrp::Problem p = line_problem();
    p.vehicles[0].availability.latest = 50;
    vrp::Solution s = tour(p, {stop(0, true), stop(1, false), stop(0, false)});
    EXPECT_TRUE(mentions(vrp::check(p, s), "after its availability end"));

    vrp::Route a;
    a.vehicle = vrp::VehicleIndex(0);
    a.stops = {stop(1, false)};
    vrp::Route b = a;
    b.stops = {stop(0, true), stop(0, false)};
    const vrp::Solution twice = vrp::make_solution(line_problem(), {a, b});
    EXPECT_TRUE(mentions(vrp::check(line_problem(), twice), "more than one tour"));
}

} // namespace
