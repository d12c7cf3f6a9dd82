// Solomon reader, CVRPLIB .sol reader/writer and the checker on the real benchmark data
// (tests/data/solomon-vrptw), plus short solver runs.
#include "core/error.hpp"
#include "planner/solomon.hpp"
#include "planner/vrp.hpp"
#include "planner/vrp_check.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <string>
#include <vector>

namespace solomon = sonae::planner::solomon;
namespace vrp = sonae::planner::vrp;
using sonae::test::test_data;

namespace {

const std::vector<std::string> all_instances = {
    "C101", "C102",  "C103",  "C104",  "C105",  "C201",  "C202",  "C203", "C204", "R101",
    "R102", "R103",  "R104",  "R105",  "R106",  "R201",  "R202",  "R203", "R204", "R205",
    "R206", "RC101", "RC102", "RC103", "RC104", "RC201", "RC202", "RC203"};

std::string folder(const std::string& file) {
    return "solomon-vrptw/" + file;
}

bool mentions(const vrp::CheckReport& report, const std::string& text) {
    for (const auto& v : report.violations) {
        if (v.find(text) != std::string::npos) return true;
    }
    return false;
}

vrp::CheckOptions strict() {
    vrp::CheckOptions o;
    o.require_all_served = true;
    return o;
}

TEST(Solomon, ReadsC101) {
    const solomon::Instance in = solomon::read_instance(test_data(folder("C101.txt")));
    EXPECT_EQ(in.name, "C101");
    EXPECT_EQ(in.vehicle_count, 25);
    EXPECT_EQ(in.capacity, 200);
    ASSERT_EQ(in.customers.size(), 101u);
    EXPECT_EQ(in.customers[0].due, 1236);
    EXPECT_EQ(in.customers[1].x, 45);
    EXPECT_EQ(in.customers[1].ready, 912);
    EXPECT_EQ(in.customers[1].service, 90);
    const vrp::Problem p = solomon::to_problem(in);
    EXPECT_EQ(p.jobs.size(), 100u);
    EXPECT_EQ(p.vehicles.size(), 25u);
    EXPECT_EQ(p.jobs[0].delivery.window.latest, 9670);
    // depot (40,50) to customer 1 (45,68): sqrt(25+324) = 18.68 -> 18.6 -> 186 tenths
    EXPECT_EQ(p.durations.at(0, 1), 186);
    // exact integers stay exact: (0,0)-(3,4) = 5.0
    EXPECT_EQ(solomon::truncated_distance_tenths({0, 0, 0}, {0, 3, 4}), 50);
}

TEST(Solomon, CheckerAcceptsEveryReferenceSolutionAtItsPublishedCost) {
    const auto references = solomon::read_reference_costs(test_data(folder("reference_costs.csv")));
    ASSERT_EQ(references.size(), 28u);
    for (const std::string& name : all_instances) {
        const solomon::Instance in = solomon::read_instance(test_data(folder(name + ".txt")));
        const vrp::Problem p = solomon::to_problem(in);
        const solomon::SolutionFile file = solomon::read_solution(test_data(folder(name + ".sol")));
        ASSERT_TRUE(file.cost.has_value()) << name;
        const vrp::Solution s = solomon::to_solution(in, p, file, name + ".sol");
        const vrp::CheckReport report = vrp::check(p, s, strict());
        EXPECT_TRUE(report.feasible()) << name << ": " << report.violations.front();
        EXPECT_EQ(report.travel_cost, std::llround(*file.cost * 10.0)) << name;
        EXPECT_EQ(report.travel_cost, std::llround(references.at(name) * 10.0)) << name;
        EXPECT_EQ(report.routes_used, static_cast<int>(file.routes.size()));
    }
}

class CorruptedReference : public ::testing::Test {
protected:
    void SetUp() override {
        instance = solomon::read_instance(test_data(folder("R101.txt")));
        problem = solomon::to_problem(instance);
        file = solomon::read_solution(test_data(folder("R101.sol")));
    }
    vrp::CheckReport check_file(const vrp::Problem& p) const {
        return vrp::check(p, solomon::to_solution(instance, p, file, "R101.sol"), strict());
    }
    solomon::Instance instance;
    vrp::Problem problem;
    solomon::SolutionFile file;
};

TEST_F(CorruptedReference, MissingCustomerIsRejected) {
    file.routes[3].erase(file.routes[3].begin() + 1);
    const vrp::CheckReport report = check_file(problem);
    EXPECT_FALSE(report.feasible());
    EXPECT_TRUE(mentions(report, "is not served"));
}

TEST_F(CorruptedReference, DuplicatedCustomerIsRejected) {
    file.routes[0].push_back(file.routes[5].front());
    const vrp::CheckReport report = check_file(problem);
    EXPECT_TRUE(mentions(report, "visited 2 times"));
}

TEST_F(CorruptedReference, LateArrivalIsRejected) {
    std::reverse(file.routes[2].begin(), file.routes[2].end());
    const vrp::CheckReport report = check_file(problem);
    EXPECT_TRUE(mentions(report, "after its deadline"));
}

TEST_F(CorruptedReference, OverloadIsRejected) {
    vrp::Problem smaller = problem;
    for (auto& v : smaller.vehicles) v.capacity[0] = 60;
    const vrp::CheckReport report = check_file(smaller);
    EXPECT_TRUE(mentions(report, "overloaded"));
    // The same routes pass at the real capacity.
    EXPECT_TRUE(check_file(problem).feasible());
}

TEST(Solomon, WrittenSolutionReadsBackWithTheSameCost) {
    const solomon::Instance in = solomon::read_instance(test_data(folder("C101.txt")));
    const vrp::Problem p = solomon::to_problem(in);
    vrp::Options o;
    o.time_limit_s = 0.0;
    o.iteration_limit = 3000;
    const vrp::Solution s = vrp::solve(p, o);
    ASSERT_TRUE(vrp::check(p, s, strict()).feasible());
    sonae::test::TempDir dir;
    {
        std::ofstream out(dir / "C101.sol");
        out << solomon::format_solution(in, s);
    }
    const solomon::SolutionFile back = solomon::read_solution(dir / "C101.sol");
    ASSERT_TRUE(back.cost.has_value());
    EXPECT_EQ(std::llround(*back.cost * 10.0), s.travel_cost);
    const vrp::Solution again = solomon::to_solution(in, p, back, "C101.sol");
    EXPECT_EQ(again.travel_cost, s.travel_cost);
    EXPECT_TRUE(vrp::check(p, again, strict()).feasible());
    // C101's optimum is 827.3; a short run stays within a few percent of it.
    EXPECT_LT(s.travel_cost, 8273 * 105 / 100);
}

TEST(Solomon, BadFilesNameFileLineAndField) {
    sonae::test::TempDir dir;
    std::ifstream src(test_data(folder("C101.txt")));
    std::vector<std::string> lines;
    for (std::string l; std::getline(src, l);) lines.push_back(l);
    // The cases below cut and edit lines 9 to 15: without the file there is nothing to edit.
    ASSERT_EQ(lines.size(), 110u) << "could not read " << test_data(folder("C101.txt"));
    auto write = [&](const std::string& name, const std::vector<std::string>& content) {
        std::ofstream out(dir / name);
        for (const auto& l : content) out << l << '\n';
        return dir / name;
    };
    // truncated in the middle of customer row 5 (file line 15)
    std::vector<std::string> truncated(lines.begin(), lines.begin() + 15);
    truncated.back() = "    5      42         65         10";
    try {
        solomon::read_instance(write("trunc.txt", truncated));
        FAIL() << "expected InputError";
    } catch (const sonae::InputError& e) {
        EXPECT_EQ(e.where().line, 15);
        EXPECT_EQ(e.where().field, "READY TIME");
        EXPECT_NE(std::string(e.what()).find("trunc.txt"), std::string::npos);
    }
    std::vector<std::string> non_numeric = lines;
    non_numeric[11].replace(non_numeric[11].find("45"), 2, "4x"); // customer 2, file line 12
    try {
        solomon::read_instance(write("nan.txt", non_numeric));
        FAIL() << "expected InputError";
    } catch (const sonae::InputError& e) {
        EXPECT_EQ(e.where().line, 12);
        EXPECT_EQ(e.where().field, "XCOORD.");
        EXPECT_EQ(e.where().value, "4x");
    }
    std::vector<std::string> header_only(lines.begin(), lines.begin() + 9);
    EXPECT_THROW(solomon::read_instance(write("empty.txt", header_only)), sonae::InputError);
    EXPECT_THROW(solomon::read_solution(write("bad.sol", {"Route #1: 1 2 x"})), sonae::InputError);
    EXPECT_THROW(solomon::read_instance(dir / "absent.txt"), sonae::IoError);
}

} // namespace
