// `sonae network info`: output on real data, exit codes on bad input.
#include "tests/support/paths.hpp"
#include "tests/support/run_cli.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <string>
#include <sys/wait.h>

namespace {

struct Run {
    int exit_code = -1;
    std::string output; // stdout and stderr
};

Run run_sonae(const std::string& args) {
    const sonae::test::TempDir scratch;
    auto r = sonae::test::run_sonae(args, scratch.path());
    return {r.exit_code, r.out + r.err};
}

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST(NetworkInfoCli, KochiPbfPrintsCountsCrsComponentsAndTime) {
    const auto pbf = sonae::test::scenario_data("kochi-tsunami", "kochi_roads_20210802.osm.pbf");
    const auto run = run_sonae("network info '" + pbf.string() + "' --mode car");
    EXPECT_EQ(run.exit_code, 0) << run.output;
    EXPECT_TRUE(has(run.output, "nodes       30986")) << run.output;
    EXPECT_TRUE(has(run.output, "edges       68338 directed")) << run.output;
    EXPECT_TRUE(has(run.output, "EPSG:6672 (JGD2011 / Japan Plane Rectangular CS IV)"))
        << run.output;
    EXPECT_TRUE(has(run.output, "in mode car")) << run.output;
    EXPECT_TRUE(has(run.output, "components  ")) << run.output;
    EXPECT_TRUE(has(run.output, "extent      lon 133.5023209 .. 133.6395201")) << run.output;
    EXPECT_TRUE(has(run.output, "import      ")) << run.output;
}

TEST(NetworkInfoCli, BadInputIsExitTwoAndBadUsageExitOne) {
    const auto missing = run_sonae("network info /nonexistent/roads.osm.pbf");
    EXPECT_EQ(missing.exit_code, 2);
    EXPECT_TRUE(has(missing.output, "/nonexistent/roads.osm.pbf")) << missing.output;
    const sonae::test::TempDir dir;
    const auto unknown = run_sonae("network info '" + (dir / "roads.xyz").string() + "'");
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_TRUE(has(unknown.output, "unknown road network format")) << unknown.output;
    const auto bad_mode = run_sonae("network info x.osm --mode boat");
    EXPECT_EQ(bad_mode.exit_code, 1) << bad_mode.output;
}

} // namespace
