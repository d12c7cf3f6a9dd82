// Runs the built `sonae validate` and `sonae synth`: exit codes, report, output file.
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace {

using sonae::test::scenario_data;
using sonae::test::test_data;
using sonae::test::source_path;
using sonae::test::TempDir;

const std::string sonae_binary = SONAE_BINARY_DIR "/app/sonae";

std::string quote(const std::string& s) { return "'" + s + "'"; }

int run(const std::string& args, const TempDir& dir) {
    const std::string command = quote(sonae_binary) + " " + args + " > " + quote((dir / "stdout.txt").string()) +
                                " 2> " + quote((dir / "stderr.txt").string());
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string slurp(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string bad(const std::string& name) { return quote(source_path("tests/bad_inputs/registry/" + name).string()); }

TEST(RegistryCli, ValidateGoodFileExitsZero) {
    TempDir dir;
    EXPECT_EQ(run("validate " + bad("09_utf8_bom_ok.csv"), dir), 0) << slurp(dir / "stderr.txt");
    EXPECT_NE(slurp(dir / "stdout.txt").find("0 errors, 0 warnings"), std::string::npos);
}

TEST(RegistryCli, ValidateWarningsOnlyExitsZero) {
    TempDir dir;
    EXPECT_EQ(run("validate " + bad("16_device_watts_implausible.csv"), dir), 0);
    EXPECT_NE(slurp(dir / "stdout.txt").find("warning:"), std::string::npos);
}

TEST(RegistryCli, ValidateListsAllProblemsOfAllFilesAndExitsTwo) {
    TempDir dir;
    EXPECT_EQ(run("validate " + bad("48_mixed_good_and_bad.csv") + " " + bad("13_duplicate_id.csv") + " " +
                      bad("09_utf8_bom_ok.csv"),
                  dir),
              2);
    const std::string out = slurp(dir / "stdout.txt");
    EXPECT_NE(out.find("line 3, field 'home_lat', value 'x'"), std::string::npos) << out;
    EXPECT_NE(out.find("line 5, field 'mobility', value '?'"), std::string::npos) << out;
    EXPECT_NE(out.find("duplicate id"), std::string::npos) << out;
    EXPECT_NE(out.find("total: 3 file(s), 3 errors"), std::string::npos) << out;
    EXPECT_NE(slurp(dir / "stderr.txt").find("3 error(s)"), std::string::npos);
}

TEST(RegistryCli, ValidateForcedEncodingAndKind) {
    TempDir dir;
    EXPECT_EQ(run("validate --encoding utf-8 " + bad("05_shift_jis_ok.csv"), dir), 2);
    EXPECT_EQ(run("validate --encoding cp932 " + bad("05_shift_jis_ok.csv"), dir), 0);
    EXPECT_EQ(run("validate --encoding latin9 " + bad("05_shift_jis_ok.csv"), dir), 2);
    EXPECT_EQ(run("validate --kind nonsense " + bad("05_shift_jis_ok.csv"), dir), 2);
}

TEST(RegistryCli, ValidateGuessesGsiAndP20) {
    TempDir dir;
    const std::string gsi = quote(test_data("jp-shelters-gsi-yamaguchi/emergency/352071.json").string());
    const std::string p20 = quote(scenario_data("ube-flood", "ube_shelters_p20.geojson").string());
    EXPECT_EQ(run("validate " + gsi + " " + p20, dir), 0) << slurp(dir / "stdout.txt");
    const std::string out = slurp(dir / "stdout.txt");
    EXPECT_NE(out.find("gsi (guessed from the columns), 44 rows read, 44 loaded"), std::string::npos) << out;
    EXPECT_NE(out.find("p20 (guessed from the columns), 42 rows read, 42 loaded"), std::string::npos) << out;
}

TEST(RegistryCli, ValidateMissingFileExitsTwo) {
    TempDir dir;
    EXPECT_EQ(run("validate " + quote((dir / "nope.csv").string()), dir), 2);
    EXPECT_NE(slurp(dir / "stdout.txt").find("does not exist"), std::string::npos);
}

TEST(RegistryCli, SynthWritesAPrivateReproducibleRegistryThatValidates) {
    TempDir dir;
    const std::string net = quote(scenario_data("ube-flood", "ube_roads.gpkg").string());
    const auto a = dir / "a.csv";
    const auto b = dir / "b.csv";
    const auto c = dir / "c.csv";
    ASSERT_EQ(run("synth --municipality 352021 --network " + net + " --children 25 --seed 3 -o " + quote(a.string()), dir), 0)
        << slurp(dir / "stderr.txt");
    ASSERT_EQ(run("synth --municipality 宇部市 --network " + net + " --children 25 --seed 3 -o " + quote(b.string()), dir), 0);
    ASSERT_EQ(run("synth --municipality 352021 --network " + net + " --children 25 --seed 4 -o " + quote(c.string()), dir), 0);
    const std::string text = slurp(a);
    EXPECT_TRUE(text.starts_with("\xEF\xBB\xBF" "id,")) << text.substr(0, 20);
    EXPECT_NE(text.find("\r\nUBE-0025,352021,"), std::string::npos);
    EXPECT_EQ(text, slurp(b));
    EXPECT_NE(text, slurp(c));
    struct stat st {};
    ASSERT_EQ(::stat(a.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    // What synth writes, validate accepts, and homes are near roads of the same network.
    EXPECT_EQ(run("validate --network " + net + " " + quote(a.string()), dir), 0) << slurp(dir / "stdout.txt");
    EXPECT_NE(slurp(dir / "stdout.txt").find("25 loaded, 0 rejected; 0 errors, 0 warnings"), std::string::npos)
        << slurp(dir / "stdout.txt");
}

TEST(RegistryCli, SynthRejectsUnknownMunicipality) {
    TempDir dir;
    const std::string net = quote(scenario_data("ube-flood", "ube_roads.gpkg").string());
    EXPECT_EQ(run("synth --municipality 131016 --network " + net + " -o " + quote((dir / "x.csv").string()), dir), 2);
    EXPECT_FALSE(std::filesystem::exists(dir / "x.csv"));
}

} // namespace
