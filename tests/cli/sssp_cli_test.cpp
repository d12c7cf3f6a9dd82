// Runs the built `sonae sssp` on rome99 and on broken inputs.
#include "tests/support/paths.hpp"
#include "tests/support/run_cli.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace {

using sonae::test::TempDir;
using sonae::test::test_data;

std::string quote(const std::string& s) {
    return "'" + s + "'";
}

// `sonae ARGS` through the shared runner; stdout.txt and stderr.txt stay in `dir` for the
// assertions that read them.
int run(const std::string& args, const TempDir& dir) {
    return sonae::test::run_sonae(args, dir.path()).exit_code;
}

std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The reference rows for one source, with the header: exactly what sonae must print.
std::string expected_csv(int source) {
    std::ifstream in(test_data("dimacs-rome99/reference_sssp_rome99.csv"));
    std::string line;
    std::getline(in, line);
    std::string out = line + "\n";
    const std::string prefix = std::to_string(source) + ",";
    while (std::getline(in, line)) {
        if (line.rfind(prefix, 0) == 0) out += line + "\n";
    }
    return out;
}

const std::string rome = test_data("dimacs-rome99/rome99.gr").string();

} // namespace

TEST(SsspCli, WritesTheReferenceDistancesToAFile) {
    TempDir dir;
    const auto out = dir / "dist.csv";
    ASSERT_EQ(run("sssp " + quote(rome) + " --source 1000 -o " + quote(out.string()), dir), 0)
        << slurp(dir / "stderr.txt");
    const auto expected = expected_csv(1000);
    ASSERT_GT(expected.size(), 3353u * 8);
    EXPECT_EQ(slurp(out), expected);
    EXPECT_TRUE(slurp(dir / "stdout.txt").empty());
}

TEST(SsspCli, PrintsToStandardOutput) {
    TempDir dir;
    ASSERT_EQ(run("sssp " + quote(rome) + " --source 3353", dir), 0);
    EXPECT_EQ(slurp(dir / "stdout.txt"), expected_csv(3353));
}

TEST(SsspCli, OnlyReachableNodesAreListed) {
    TempDir dir;
    std::ofstream(dir / "g.gr") << "p sp 4 3\na 1 2 5\na 2 3 7\na 4 1 1\n";
    ASSERT_EQ(run("sssp " + quote((dir / "g.gr").string()) + " --source 2", dir), 0);
    EXPECT_EQ(slurp(dir / "stdout.txt"), "source,target,dist\n2,2,0\n2,3,7\n");
}

TEST(SsspCli, TruncatedFileIsBadInputAndWritesNothing) {
    TempDir dir;
    const auto text = slurp(rome);
    const auto truncated = dir / "truncated.gr";
    std::ofstream(truncated, std::ios::binary) << text.substr(0, text.size() / 2);
    const auto out = dir / "dist.csv";
    EXPECT_EQ(
        run("sssp " + quote(truncated.string()) + " --source 1 -o " + quote(out.string()), dir), 2);
    EXPECT_FALSE(std::filesystem::exists(out));
    const auto err = slurp(dir / "stderr.txt");
    EXPECT_NE(err.find("truncated.gr"), std::string::npos) << err;
    EXPECT_NE(err.find("line"), std::string::npos) << err;
    // Nothing but the output file's absence: no temporary left behind either.
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        EXPECT_EQ(entry.path().string().find("dist.csv"), std::string::npos) << entry.path();
    }
}

TEST(SsspCli, BadSourceMissingFileAndUsage) {
    TempDir dir;
    const auto out = dir / "dist.csv";
    EXPECT_EQ(run("sssp " + quote(rome) + " --source 3354 -o " + quote(out.string()), dir), 2);
    EXPECT_FALSE(std::filesystem::exists(out));
    EXPECT_NE(slurp(dir / "stderr.txt").find("3354"), std::string::npos);

    EXPECT_EQ(run("sssp " + quote((dir / "missing.gr").string()) + " --source 1 -o " +
                      quote(out.string()),
                  dir),
              2);
    EXPECT_FALSE(std::filesystem::exists(out));
    EXPECT_NE(slurp(dir / "stderr.txt").find("missing.gr"), std::string::npos);

    EXPECT_EQ(run("sssp " + quote(rome), dir), 1); // --source is required
    EXPECT_EQ(run("sssp " + quote(rome) + " --source x", dir), 1);
}

TEST(SsspCli, RefusesToOverwriteItsInput) {
    TempDir dir;
    const auto copy = dir / "g.gr";
    std::ofstream(copy) << "p sp 2 1\na 1 2 5\n";
    EXPECT_EQ(run("sssp " + quote(copy.string()) + " --source 1 -o " + quote(copy.string()), dir),
              2);
    EXPECT_EQ(slurp(copy), "p sp 2 1\na 1 2 5\n");
}
