// Runs the built `sonae` on every broken file of tests/bad_inputs/ with the subcommand that
// reads it, and checks what a user must see: exit status 2, a message naming the file, no
// output left in the output folder, and the input file unchanged (bytes before == after).
// Every case runs: a broken file that sonae accepts is a failure here, not a skip.
#include "tests/support/paths.hpp"
#include "tests/support/run_cli.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

enum class Command {
    validate_registry,
    validate_facilities,
    validate_vehicles,
    network_info,
    sssp,
    bench_vrptw,
    route_hazard,
    plan
};

struct Case {
    const char* file; ///< relative to tests/bad_inputs
    Command command;
    const char* named =
        nullptr; ///< the file the message must name, if not `file` (a manifest's input)
};

// The subcommand per file. Registry files that are valid or carry only warnings (names
// ending in _ok, and 02, 16, 22, 29, 33, 35, 36, 42: see registry/README.md) are not here.
const Case kCases[] = {
    {"registry/01_empty.csv", Command::validate_registry},
    {"registry/03_missing_id_column.csv", Command::validate_registry},
    {"registry/04_missing_lat_column.csv", Command::validate_registry},
    {"registry/07_utf16_from_excel.csv", Command::validate_registry},
    {"registry/08_xlsx_renamed.csv", Command::validate_registry},
    {"registry/10_bad_number.csv", Command::validate_registry},
    {"registry/11_decimal_comma.csv", Command::validate_registry},
    {"registry/13_duplicate_id.csv", Command::validate_registry},
    {"registry/14_unknown_device.csv", Command::validate_registry},
    {"registry/15_device_bad_watts.csv", Command::validate_registry},
    {"registry/17_unknown_care_item.csv", Command::validate_registry},
    {"registry/18_outside_japan.csv", Command::validate_registry},
    {"registry/19_lat_lon_swapped.csv", Command::validate_registry},
    {"registry/20_lon_out_of_range.csv", Command::validate_registry},
    {"registry/21_bad_check_digit.csv", Command::validate_registry},
    {"registry/23_unknown_mobility.csv", Command::validate_registry},
    {"registry/24_empty_mobility.csv", Command::validate_registry},
    {"registry/25_unknown_vehicle.csv", Command::validate_registry},
    {"registry/26_bad_consent.csv", Command::validate_registry},
    {"registry/27_negative_helpers.csv", Command::validate_registry},
    {"registry/28_oxygen_flow_too_high.csv", Command::validate_registry},
    {"registry/31_unclosed_quote.csv", Command::validate_registry},
    {"registry/32_text_after_quote.csv", Command::validate_registry},
    {"registry/34_unquoted_comma_extra_field.csv", Command::validate_registry},
    {"registry/37_duplicate_column.csv", Command::validate_registry},
    {"registry/39_empty_id.csv", Command::validate_registry},
    {"registry/40_semicolon_delimited.csv", Command::validate_registry},
    {"registry/41_tab_delimited.csv", Command::validate_registry},
    {"registry/43_degree_sign.csv", Command::validate_registry},
    {"registry/44_id_with_comma.csv", Command::validate_registry},
    {"registry/46_device_count_zero.csv", Command::validate_registry},
    {"registry/47_short_row.csv", Command::validate_registry},
    {"registry/48_mixed_good_and_bad.csv", Command::validate_registry},
    {"registry/49_negative_packing_time.csv", Command::validate_registry},
    {"registry/50_floor_without_number.csv", Command::validate_registry},
    {"registry/51_floor_zero.csv", Command::validate_registry},
    {"registry/52_bad_elevator_and_trained.csv", Command::validate_registry},
    {"registry/60_formula_id.csv", Command::validate_registry},
    {"registry/61_id_too_long.csv", Command::validate_registry},
    {"facilities/01_duplicate_id.csv", Command::validate_facilities},
    {"facilities/02_lat_lon_swapped.csv", Command::validate_facilities},
    {"facilities/04_excel_merged_header_bad_capacity.csv", Command::validate_facilities},
    {"facilities/05_missing_coordinates.csv", Command::validate_facilities},
    {"facilities/06_shift_jis_stray_byte.csv", Command::validate_facilities},
    {"facilities/07_negative_capacity.csv", Command::validate_facilities},
    {"vehicles/01_duplicate_id.csv", Command::validate_vehicles},
    {"vehicles/02_lat_lon_swapped.csv", Command::validate_vehicles},
    {"vehicles/03_negative_seats.csv", Command::validate_vehicles},
    {"vehicles/04_unknown_type.csv", Command::validate_vehicles},
    {"network/01_truncated_mid_block.osm.pbf", Command::network_info},
    {"network/02_truncated_in_header.osm.pbf", Command::network_info},
    {"network/03_empty.osm.pbf", Command::network_info},
    {"network/04_html_error_page.osm", Command::network_info},
    {"network/05_osm_xml_truncated.osm", Command::network_info},
    {"network/06_no_roads.geojson", Command::network_info},
    {"network/07_points_not_lines.geojson", Command::network_info},
    {"dimacs/01_truncated.gr", Command::sssp},
    {"dimacs/02_arc_to_missing_node.gr", Command::sssp},
    {"dimacs/03_negative_weight.gr", Command::sssp},
    {"dimacs/04_no_p_line.gr", Command::sssp},
    {"dimacs/05_weight_not_number.gr", Command::sssp},
    {"dimacs/06_node_zero.gr", Command::sssp},
    {"dimacs/07_extra_field.gr", Command::sssp},
    {"dimacs/08_second_p_line.gr", Command::sssp},
    // libFuzzer finding (fuzz_dimacs timeout under ASan): a 38-byte file that declares
    // 6,686,826 nodes and is cut on line 4; must still end in a clean error.
    {"dimacs/09_fuzz_timeout_huge_node_count_truncated.gr", Command::sssp},
    {"solomon/01_truncated_C101.txt", Command::bench_vrptw},
    {"solomon/02_negative_demand_C101.txt", Command::bench_vrptw},
    {"solomon/03_non_numeric_C101.txt", Command::bench_vrptw},
    {"solomon/04_no_vehicle_section_C101.txt", Command::bench_vrptw},
    {"solomon/05_duplicate_customer_C101.txt", Command::bench_vrptw},
    {"solomon/06_short_row_C101.txt", Command::bench_vrptw},
    // Refused since issue 10: a guessed hazard extent (closed or dropped ring) is not safe.
    {"hazards/01_unclosed_polygon.geojson", Command::route_hazard},
    {"hazards/02_polygon_is_a_point.geojson", Command::route_hazard},
    {"hazards/03_truncated.geojson", Command::route_hazard},
    {"hazards/04_empty.geojson", Command::route_hazard},
    {"hazards/05_lines_not_polygons.geojson", Command::route_hazard},
    {"hazards/06_other_crs_no_prj.shp", Command::route_hazard},
    {"hazards/07_lat_lon_swapped.geojson", Command::route_hazard},
    {"manifests/01_missing_registry_file.toml", Command::plan},
    {"manifests/02_misspelt_section.toml", Command::plan},
    {"manifests/03_misspelt_key.toml", Command::plan},
    {"manifests/04_wrong_type.toml", Command::plan},
    {"manifests/05_not_toml.toml", Command::plan},
    {"manifests/06_unknown_hazard_kind.toml", Command::plan},
    {"manifests/07_hazard_unclosed_polygon.toml", Command::plan, "01_unclosed_polygon.geojson"},
    {"manifests/08_hazard_other_crs_no_prj.toml", Command::plan, "06_other_crs_no_prj.shp"},
    {"manifests/09_shelter_in_the_sea.toml", Command::plan},
    {"manifests/10_truncated_network.toml", Command::plan, "01_truncated_mid_block.osm.pbf"},
    {"manifests/11_registry_lat_lon_swapped.toml", Command::plan, "19_lat_lon_swapped.csv"},
    {"manifests/12_hazard_polygon_is_a_point.toml", Command::plan, "02_polygon_is_a_point.geojson"},
    {"manifests/13_vehicles_duplicate_id.toml", Command::plan, "01_duplicate_id.csv"},
    // Issue 24 item 3: layers that miss the scenario's area, a home far outside the network.
    {"manifests/14_hazard_layer_700km_away.toml", Command::plan,
     "14_tokyo_landslide_zones.geojson"},
    {"manifests/15_facilities_200km_away.toml", Command::plan, "15_facilities_of_kochi.csv"},
    {"manifests/16_home_in_the_sea.toml", Command::plan, "16_home_in_the_sea_registry.csv"},
    {"manifests/17_t0_clock_not_iso8601.toml", Command::plan},
    // An earthquake has no areas of its own: a layer of an earthquake scenario names its kind.
    {"manifests/18_earthquake_layer_without_kind.toml", Command::plan},
};

std::string quote(const fs::path& path) {
    return "'" + path.string() + "'";
}

std::string arguments(const Case& c, const fs::path& input, const fs::path& out_dir) {
    const std::string in = quote(input);
    switch (c.command) {
    case Command::validate_registry: return "validate --kind registry " + in;
    case Command::validate_facilities: return "validate --kind facilities " + in;
    case Command::validate_vehicles: return "validate --kind vehicles " + in;
    case Command::network_info: return "network info " + in;
    case Command::sssp: return "sssp " + in + " --source 1 -o " + quote(out_dir / "distances.csv");
    case Command::bench_vrptw:
        return "bench-vrptw " + in + " --iterations 10 --solutions " + quote(out_dir);
    case Command::route_hazard:
        return "route --network " +
               quote(sonae::test::source_path("scenarios/ube-flood/data/ube_roads.gpkg")) +
               " --from 131.245,33.955 --to 131.27,33.98 --hazard " + in + " -o " +
               quote(out_dir / "route.gpkg");
    case Command::plan: return "plan " + in + " -o " + quote(out_dir);
    }
    return {};
}

std::string read_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class BadInput : public ::testing::TestWithParam<Case> {};

TEST_P(BadInput, ExitsTwoNamesTheFileWritesNothingChangesNothing) {
    const Case& c = GetParam();
    const fs::path input = sonae::test::source_path("tests/bad_inputs") / c.file;
    ASSERT_TRUE(fs::exists(input)) << input;
    const std::string before = read_bytes(input);

    const sonae::test::TempDir dir;
    const fs::path out_dir = dir / "out";
    fs::create_directory(out_dir);
    // Run from the input's folder so relative names in messages are short and stable.
    sonae::test::CliOptions options;
    options.cwd = input.parent_path();
    const auto r = sonae::test::run_sonae(arguments(c, input, out_dir), dir.path(), options);
    const std::string output = r.all();

    ASSERT_NE(r.exit_code, -1) << c.file << ": killed by a signal or timed out\n" << output;
    EXPECT_EQ(r.exit_code, 2) << c.file << "\n" << output;
    const std::string named = c.named != nullptr ? c.named : input.filename().string();
    EXPECT_NE(output.find(named), std::string::npos)
        << c.file << ": the message does not name the file\n"
        << output;
    std::vector<std::string> left;
    for (const auto& entry : fs::directory_iterator(out_dir))
        left.push_back(entry.path().filename().string());
    EXPECT_TRUE(left.empty()) << c.file << ": left " << left.size()
                              << " file(s) in the output folder, first "
                              << (left.empty() ? "" : left.front());
    EXPECT_EQ(read_bytes(input), before) << c.file << ": the input changed";
}

std::string case_name(const ::testing::TestParamInfo<Case>& info) {
    std::string name = info.param.file;
    for (char& ch : name)
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
    return name;
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadInput, ::testing::ValuesIn(kCases), case_name);

// Files of the corpus that are no CLI case of their own, and why.
const std::map<std::string, std::string> kNotACase = {
    {"facilities/03_shelter_in_the_sea.csv",
     "valid alone; an error with a network: manifests/09 plans with it"},
    {"hazards/06_other_crs_no_prj.dbf", "part of the shapefile hazards/06_other_crs_no_prj.shp"},
    {"hazards/06_other_crs_no_prj.shx", "part of the shapefile hazards/06_other_crs_no_prj.shp"},
    {"manifests/14_tokyo_landslide_zones.geojson",
     "valid alone; 700 km from Ube: manifests/14 plans with it"},
    {"manifests/15_facilities_of_kochi.csv",
     "valid alone; 200 km from Ube: manifests/15 plans with it"},
    {"manifests/16_home_in_the_sea_registry.csv",
     "valid alone; in the sea off Ube's network: manifests/16 plans with it"},
};

TEST(BadInputCorpus, EveryFileHasACase) {
    // A broken file added to the corpus without a case in kCases would never be run. The
    // registry's files (valid and warning-only ones too) are each in the table of
    // tests/unit/planner/registry_bad_inputs_test.cpp, which checks that folder the same way.
    std::set<std::string> cased;
    for (const auto& c : kCases) cased.insert(c.file);
    const fs::path root = sonae::test::source_path("tests/bad_inputs");
    std::size_t files = 0;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file() || entry.path().extension() == ".md") continue;
        ++files;
        const std::string rel = fs::relative(entry.path(), root).generic_string();
        if (rel.rfind("registry/", 0) == 0) continue;
        EXPECT_TRUE(cased.count(rel) || kNotACase.count(rel))
            << rel << ": a bad-input file without a case in kCases (or a reason in kNotACase)";
    }
    for (const auto& [rel, why] : kNotACase)
        EXPECT_TRUE(fs::exists(root / rel)) << rel << " (" << why << ")";
    for (const auto& rel : cased)
        EXPECT_TRUE(fs::exists(root / rel)) << rel << ": a case without its file";
    EXPECT_GE(files, 50u);
}

} // namespace
