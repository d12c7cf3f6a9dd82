// Runs the built `sonae validate` and `sonae synth`: exit codes, report, output file.
#include "tests/support/paths.hpp"
#include "tests/support/run_cli.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>

namespace {

using sonae::test::scenario_data;
using sonae::test::source_path;
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

std::string bad(const std::string& name) {
    return quote(source_path("tests/bad_inputs/registry/" + name).string());
}

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
    EXPECT_EQ(run("validate " + bad("48_mixed_good_and_bad.csv") + " " +
                      bad("13_duplicate_id.csv") + " " + bad("09_utf8_bom_ok.csv"),
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
    const std::string gsi =
        quote(test_data("jp-shelters-gsi-yamaguchi/emergency/352071.json").string());
    const std::string p20 = quote(scenario_data("ube-flood", "ube_shelters_p20.geojson").string());
    EXPECT_EQ(run("validate " + gsi + " " + p20, dir), 0) << slurp(dir / "stdout.txt");
    const std::string out = slurp(dir / "stdout.txt");
    EXPECT_NE(out.find("gsi (guessed from the columns), 44 rows read, 44 loaded"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("p20 (guessed from the columns), 42 rows read, 42 loaded"),
              std::string::npos)
        << out;
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
    ASSERT_EQ(run("synth --municipality 352021 --network " + net + " --children 25 --seed 3 -o " +
                      quote(a.string()),
                  dir),
              0)
        << slurp(dir / "stderr.txt");
    ASSERT_EQ(run("synth --municipality 宇部市 --network " + net + " --children 25 --seed 3 -o " +
                      quote(b.string()),
                  dir),
              0);
    ASSERT_EQ(run("synth --municipality 352021 --network " + net + " --children 25 --seed 4 -o " +
                      quote(c.string()),
                  dir),
              0);
    const std::string text = slurp(a);
    EXPECT_TRUE(text.starts_with("\xEF\xBB\xBF"
                                 "id,"))
        << text.substr(0, 20);
    EXPECT_NE(text.find("\r\nUBE-0025,352021,"), std::string::npos);
    EXPECT_EQ(text, slurp(b));
    EXPECT_NE(text, slurp(c));
    struct stat st {};
    ASSERT_EQ(::stat(a.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    // What synth writes, validate accepts, and homes are near roads of the same network.
    EXPECT_EQ(run("validate --network " + net + " " + quote(a.string()), dir), 0)
        << slurp(dir / "stdout.txt");
    EXPECT_NE(slurp(dir / "stdout.txt").find("25 loaded, 0 rejected; 0 errors, 0 warnings"),
              std::string::npos)
        << slurp(dir / "stdout.txt");
}

TEST(RegistryCli, SynthRejectsUnknownMunicipality) {
    TempDir dir;
    const std::string net = quote(scenario_data("ube-flood", "ube_roads.gpkg").string());
    EXPECT_EQ(run("synth --municipality 131016 --network " + net + " -o " +
                      quote((dir / "x.csv").string()),
                  dir),
              2);
    EXPECT_FALSE(std::filesystem::exists(dir / "x.csv"));
}

// sonae geocode FILE -o OUT (issue 22 item 3): the registry with coordinates, a precision
// column and the source of the points, 0600; the input is never overwritten, an existing output
// only with --overwrite; an address in no known town is exit 2 naming line and value, and
// nothing is written. Offline by construction: the town points are compiled in.
TEST(RegistryCli, GeocodeWritesCoordinatesAndPrecision) {
    const TempDir dir;
    const auto input = dir / "名簿.csv";
    std::ofstream(input) << "仮名ID,市町村コード,住所,経度,緯度,移動方法\n"
                            "K-1,352071,山口県下松市旗岡３－２,,,車椅子\n"
                            "K-2,352071,下松市大字東豊井千百三十四番地,,,抱っこ\n"
                            "K-3,352071,下松市東豊井1134,131.8801,33.9961,抱っこ\n";
    const std::string before = slurp(input);
    const auto out = dir / "geocoded.csv";
    ASSERT_EQ(run("geocode " + quote(input.string()) + " -o " + quote(out.string()), dir), 0)
        << slurp(dir / "stderr.txt");
    struct stat st {};
    ASSERT_EQ(::stat(out.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777u, 0600u);
    const std::string text = slurp(out);
    EXPECT_NE(text.find("home_precision"), std::string::npos) << text;
    EXPECT_NE(text.find("K-1,352071,山口県下松市旗岡３－２,131.877907,34.012033,車椅子,町丁目,"),
              std::string::npos)
        << text;
    EXPECT_NE(
        text.find("K-2,352071,下松市大字東豊井千百三十四番地,131.88306,33.995495,抱っこ,大字,"),
        std::string::npos)
        << text;
    EXPECT_NE(text.find("K-3,352071,下松市東豊井1134,131.8801,33.9961,抱っこ,,"), std::string::npos)
        << text;
    EXPECT_NE(text.find("Geolonia"), std::string::npos) << "the CC BY source is named in the file";
    EXPECT_NE(slurp(dir / "stderr.txt").find("地図上の自宅の位置を確認してください"),
              std::string::npos);
    EXPECT_EQ(slurp(input), before);
    // The written file validates as a registry, and plans from it keep the precision.
    EXPECT_EQ(run("validate " + quote(out.string()), dir), 0)
        << slurp(dir / "stdout.txt") << slurp(dir / "stderr.txt");

    // Never its input; an existing output needs --overwrite (exit 1, unchanged).
    EXPECT_EQ(run("geocode " + quote(input.string()) + " -o " + quote(input.string()), dir), 2);
    EXPECT_EQ(slurp(input), before);
    EXPECT_EQ(run("geocode " + quote(input.string()) + " -o " + quote(out.string()), dir), 1);
    EXPECT_EQ(
        run("geocode " + quote(input.string()) + " -o " + quote(out.string()) + " --overwrite",
            dir),
        0);

    // An address in no known town: exit 2 naming the line and the value, nothing written.
    const auto unknown = dir / "unknown.csv";
    std::ofstream(unknown)
        << "id,municipality_code,address,mobility\nK-1,352071,下松市旗岡三丁目2,wheelchair\n"
           "K-2,352071,下松市存在しない町1-1,wheelchair\n";
    const auto none = dir / "none.csv";
    EXPECT_EQ(run("geocode " + quote(unknown.string()) + " -o " + quote(none.string()), dir), 2);
    const std::string err = slurp(dir / "stderr.txt");
    EXPECT_NE(err.find("line 3"), std::string::npos) << err;
    EXPECT_NE(err.find("下松市存在しない町1-1"), std::string::npos) << err;
    EXPECT_FALSE(std::filesystem::exists(none));
    // Two towns equally (中央町 of four cities, no municipality code): exit 2 too.
    std::ofstream(unknown)
        << "id,municipality_code,address,mobility\nK-1,,中央町5番地,wheelchair\n";
    EXPECT_EQ(
        run("geocode " + quote(unknown.string()) + " -o " + quote(none.string()) + " --overwrite",
            dir),
        2);
    EXPECT_NE(slurp(dir / "stderr.txt").find("中央町5番地"), std::string::npos)
        << slurp(dir / "stderr.txt");
    EXPECT_FALSE(std::filesystem::exists(none));
}

} // namespace
