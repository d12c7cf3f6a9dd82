// `sonae bench-vrptw` end to end: CSV on two real instances, solution files, exit codes.
#include "tests/support/paths.hpp"
#include "tests/support/run_cli.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <vector>

namespace {

using CommandResult = sonae::test::CliResult;

CommandResult run(const std::string& args, const sonae::test::TempDir& dir) {
    return sonae::test::run_sonae(args, dir.path());
}

std::vector<std::string> split(const std::string& text, char sep) {
    std::vector<std::string> parts;
    std::stringstream ss(text);
    for (std::string p; std::getline(ss, p, sep);) parts.push_back(p);
    return parts;
}

TEST(BenchVrptwCli, TwoInstancesGiveFeasibleCsvAndSolutionFiles) {
    sonae::test::TempDir dir;
    const auto data = sonae::test::test_data("solomon-vrptw");
    const CommandResult r =
        run("bench-vrptw " + (data / "C101.txt").string() + " " + (data / "R201.txt").string() +
                " --time-limit-s 0.3 --seed 3 --solutions " + (dir / "sols").string(),
            dir);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto lines = split(r.out, '\n');
    ASSERT_EQ(lines.size(), 4u) << r.out;
    EXPECT_EQ(lines[0], "instance,routes,cost,reference_cost,gap_pct,seconds,feasible");
    const std::vector<std::string> names{"C101", "R201"};
    const std::vector<double> references{827.3, 1143.2};
    for (int i = 0; i < 2; ++i) {
        const auto cells = split(lines[static_cast<std::size_t>(i) + 1], ',');
        ASSERT_EQ(cells.size(), 7u) << lines[static_cast<std::size_t>(i) + 1];
        EXPECT_EQ(cells[0], names[static_cast<std::size_t>(i)]);
        EXPECT_GT(std::stoi(cells[1]), 0);
        const double cost = std::stod(cells[2]);
        EXPECT_DOUBLE_EQ(std::stod(cells[3]), references[static_cast<std::size_t>(i)]);
        EXPECT_NEAR(std::stod(cells[4]),
                    100.0 * (cost - references[static_cast<std::size_t>(i)]) /
                        references[static_cast<std::size_t>(i)],
                    0.01);
        EXPECT_GE(cost, references[static_cast<std::size_t>(i)] - 1e-9); // cannot beat the optimum
        EXPECT_EQ(cells[6], "true");
        EXPECT_TRUE(
            std::ifstream(dir / ("sols/" + names[static_cast<std::size_t>(i)] + ".sol")).good());
    }
    EXPECT_EQ(lines[3].rfind("mean_gap_pct=", 0), 0u) << lines[3];
    EXPECT_NE(lines[3].find("infeasible=0"), std::string::npos);
}

TEST(BenchVrptwCli, BadInputExitsTwoNamingFileLineField) {
    sonae::test::TempDir dir;
    {
        std::ofstream out(dir / "bad.txt");
        out << "BAD\n\nVEHICLE\nNUMBER     CAPACITY\n  25         200\n\nCUSTOMER\n"
               "CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\n\n"
               "    0      40         50          0          0       1236          0\n"
               "    1      45         abc         10        912        967         90\n";
    }
    CommandResult r = run("bench-vrptw " + (dir / "bad.txt").string() + " --time-limit-s 0.1", dir);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("bad.txt"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("line 11"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("YCOORD."), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;

    {
        std::ofstream out(dir / "trunc.txt");
        out << "TRUNC\n\nVEHICLE\nNUMBER     CAPACITY\n  25         200\n\nCUSTOMER\n"
               "CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME\n\n"
               "    0      40         50          0          0       1236          0\n"
               "    1      45         68         10        912\n";
    }
    r = run("bench-vrptw " + (dir / "trunc.txt").string() + " --time-limit-s 0.1", dir);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("line 11"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("DUE DATE"), std::string::npos) << r.err;
}

} // namespace
