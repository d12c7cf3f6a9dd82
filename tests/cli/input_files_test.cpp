// Inputs that are not regular files, or far too large (issue 24 item 2): a folder, a FIFO, a
// device, a huge file given as the registry, the manifest, the plan or a file to validate.
// Each is exit 2 with a message naming the file and what it is, fast, with nothing written;
// before, a folder was exit 3 "internal error (please report)", a FIFO blocked forever and
// /dev/zero was read until memory ran out.
#include "tests/support/paths.hpp"
#include "tests/support/run_cli.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <sys/stat.h>

namespace fs = std::filesystem;
using sonae::test::quoted;
using sonae::test::run_sonae;
using sonae::test::source_path;
using sonae::test::TempDir;

namespace {

/// A copy of ube-flood whose manifest points the registry at `registry`.
fs::path scenario_with_registry(const TempDir& dir, const fs::path& registry) {
    const fs::path scenario = dir / "scenario";
    fs::copy(source_path("scenarios/ube-flood"), scenario, fs::copy_options::recursive);
    std::ifstream in(scenario / "scenario.toml");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string old = "path = \"data/registry.csv\"";
    const auto at = text.find(old);
    EXPECT_NE(at, std::string::npos);
    text.replace(at, old.size(), "path = \"" + registry.string() + "\"");
    std::ofstream(scenario / "scenario.toml") << text;
    return scenario;
}

void expect_refused(const sonae::test::CliResult& r, const std::string& file,
                    const std::string& what) {
    // `validate` lists problems on stdout, the other commands print the error on stderr.
    const std::string printed = r.out + r.err;
    EXPECT_EQ(r.exit_code, 2) << printed;
    EXPECT_NE(printed.find(file), std::string::npos) << printed;
    EXPECT_NE(printed.find(what), std::string::npos) << printed;
    EXPECT_EQ(printed.find("internal error"), std::string::npos) << printed;
}

TEST(InputFiles, FolderAsRegistryInTheManifestNamesTheKey) {
    TempDir dir;
    fs::create_directory(dir / "a_folder");
    const fs::path scenario = scenario_with_registry(dir, dir / "a_folder");
    const auto r = run_sonae("plan " + quoted(scenario) + " -o " + quoted(dir / "out"), dir.path());
    expect_refused(r, "registry.path", "folder");
    EXPECT_FALSE(fs::exists(dir / "out" / "plan.json"));
}

TEST(InputFiles, FifoAsRegistryIsRefusedWithoutBlocking) {
    TempDir dir;
    ASSERT_EQ(::mkfifo((dir / "pipe.csv").c_str(), 0600), 0);
    const fs::path scenario = scenario_with_registry(dir, dir / "pipe.csv");
    // Opening a FIFO for reading blocks until a writer comes: the timeout turns that into -1.
    const auto r =
        run_sonae("plan " + quoted(scenario) + " -o " + quoted(dir / "out"), dir.path(), 30);
    expect_refused(r, "pipe.csv", "not a regular file");
    const auto v = run_sonae("validate " + quoted(dir / "pipe.csv"), dir.path(), 30);
    expect_refused(v, "pipe.csv", "pipe (FIFO)");
}

TEST(InputFiles, DeviceAndFolderGivenToValidate) {
    TempDir dir;
    expect_refused(run_sonae("validate /dev/zero", dir.path(), 30), "/dev/zero", "device");
    expect_refused(run_sonae("validate " + quoted(dir.path()), dir.path(), 30), dir.path().string(),
                   "folder, not a file");
}

TEST(InputFiles, FolderOrFifoGivenAsThePlan) {
    TempDir dir;
    fs::create_directory(dir / "plan.json");
    expect_refused(run_sonae("report " + quoted(dir / "plan.json") + " -o " + quoted(dir / "r"),
                             dir.path(), 30),
                   "plan.json", "folder");
    EXPECT_FALSE(fs::exists(dir / "r"));
    ASSERT_EQ(::mkfifo((dir / "fifo.json").c_str(), 0600), 0);
    expect_refused(run_sonae("guidebook " + quoted(dir / "fifo.json") + " -o " + quoted(dir / "g"),
                             dir.path(), 30),
                   "fifo.json", "pipe");
}

// The road network and GIS layers given on the command line: GDAL and libosmium opened a FIFO
// named like a GeoPackage or a PBF and blocked forever (`network info pipe.gpkg`, `route
// --hazard pipe.geojson`), and a folder named like a PBF was "file not found".
TEST(InputFiles, FifoOrDeviceAsANetworkOrAHazardLayerIsRefusedWithoutBlocking) {
    TempDir dir;
    for (const char* name : {"pipe.gpkg", "pipe.osm.pbf", "pipe.geojson"})
        ASSERT_EQ(::mkfifo((dir / name).c_str(), 0600), 0) << name;
    fs::create_directory(dir / "folder.osm.pbf");
    fs::create_symlink("/dev/zero", dir / "zero.gpkg");
    for (const char* name : {"pipe.gpkg", "pipe.osm.pbf"}) {
        expect_refused(run_sonae("network info " + quoted(dir / name), dir.path(), 30), name,
                       "pipe (FIFO)");
    }
    expect_refused(run_sonae("network info " + quoted(dir / "zero.gpkg"), dir.path(), 30),
                   "zero.gpkg", "device");
    expect_refused(run_sonae("network info " + quoted(dir / "folder.osm.pbf"), dir.path(), 30),
                   "folder.osm.pbf", "folder, not a file");
    const fs::path ube = source_path("scenarios/ube-flood/data/ube_roads.gpkg");
    expect_refused(run_sonae("route --network " + quoted(ube) + " --hazard " +
                                 quoted(dir / "pipe.geojson") +
                                 " --from 131.25,33.95 --to 131.27,33.96",
                             dir.path(), 30),
                   "pipe.geojson", "pipe (FIFO)");
    // The travel profiles: a FIFO was "travel profile file not found".
    ASSERT_EQ(::mkfifo((dir / "pipe.toml").c_str(), 0600), 0);
    expect_refused(
        run_sonae("network info " + quoted(ube) + " --profiles " + quoted(dir / "pipe.toml"),
                  dir.path(), 30),
        "pipe.toml", "pipe (FIFO)");
}

TEST(InputFiles, AFileOverTheBoundIsRefusedBeforeItIsRead) {
    TempDir dir;
    // A sparse file of 600 MiB (no disk used): over the 512 MiB bound for tables.
    const fs::path huge = dir / "huge.csv";
    std::ofstream(huge) << "child_id\n";
    fs::resize_file(huge, 600ull << 20);
    const auto r = run_sonae("validate " + quoted(huge), dir.path(), 30);
    expect_refused(r, "huge.csv", "600 MiB, more than the 512 MiB");
}

TEST(InputFiles, AMissingRegistryFileIsNamed) {
    TempDir dir;
    const auto r = run_sonae("validate " + quoted(dir / "nothere.csv"), dir.path(), 30);
    expect_refused(r, "nothere.csv", "does not exist");
}

} // namespace
