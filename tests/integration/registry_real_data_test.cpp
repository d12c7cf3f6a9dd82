// Loaders on real data: GSI shelters (Yamaguchi, tests/data/jp-shelters-gsi-yamaguchi) and
// 国土数値情報 P20 (Ube, scenarios/ube-flood/data). Reference answers from
// tests/data/*/PROVENANCE.md.
#include "geo/point_layer.hpp"
#include "planner/facility.hpp"
#include "planner/registry.hpp"
#include "tests/support/paths.hpp"

#include <gtest/gtest.h>

#include <set>

namespace sonae::planner {
namespace {

const std::filesystem::path kGsi = test::test_data("jp-shelters-gsi-yamaguchi");
const std::filesystem::path kP20 = test::scenario_data("ube-flood", "ube_shelters_p20.geojson");

std::size_t count_kind(const std::vector<Facility>& fs, FacilityKind kind) {
    std::size_t n = 0;
    for (const auto& f : fs) n += f.is(kind);
    return n;
}

TEST(RegistryRealData, GsiCountsKudamatsuAndShimonoseki) {
    for (const auto& [code, emergency, shelters, tsunami] :
         std::vector<std::tuple<std::string, std::size_t, std::size_t, std::size_t>>{
             {"352071", 44, 29, 31}, {"352012", 245, 186, 234}}) {
        const FacilityLoadResult r = load_gsi_folder(kGsi, code);
        EXPECT_FALSE(has_errors(r.diagnostics)) << code;
        EXPECT_EQ(r.rows_read, emergency + shelters) << code;
        EXPECT_EQ(count_kind(r.facilities, FacilityKind::emergency_site), emergency) << code;
        EXPECT_EQ(count_kind(r.facilities, FacilityKind::shelter), shelters) << code;
        std::size_t tsunami_sites = 0;
        for (const auto& f : r.facilities) {
            tsunami_sites += f.is(FacilityKind::emergency_site) && f.safe_for.has(Hazard::tsunami);
            EXPECT_EQ(f.municipality_code, code);
        }
        EXPECT_EQ(tsunami_sites, tsunami) << code;
    }
}

TEST(RegistryRealData, GsiAllFilesTotals) {
    const FacilityLoadResult r = load_gsi_folder(kGsi);
    EXPECT_EQ(count_kind(r.facilities, FacilityKind::emergency_site), 1446u);
    EXPECT_EQ(count_kind(r.facilities, FacilityKind::shelter), 1022u);
}

TEST(RegistryRealData, GsiMergeKeepsDistinctSitesAndFoldsShelterIntoSite) {
    const FacilityLoadResult r = load_gsi_folder(kGsi, "352071");
    const FacilityMergeResult m = merge_facilities(r.facilities);
    // Every emergency site survives as its own facility (publishers list distinct sites).
    EXPECT_EQ(count_kind(m.facilities, FacilityKind::emergency_site), 44u);
    EXPECT_EQ(count_kind(m.facilities, FacilityKind::shelter), 29u);
    EXPECT_LT(m.facilities.size(), 44u + 29u);
    std::set<std::string> ids;
    for (const auto& f : m.facilities) EXPECT_TRUE(ids.insert(f.id).second) << f.id;
    // 豊井公民館: emergency E3520700003201 and shelter E3520700003111 are one facility.
    bool found = false;
    for (const auto& f : m.facilities) {
        if (f.name != "豊井公民館") continue;
        found = true;
        EXPECT_TRUE(f.is(FacilityKind::shelter));
        EXPECT_TRUE(f.is(FacilityKind::emergency_site));
        EXPECT_EQ(f.id, "E3520700003111");
        EXPECT_TRUE(f.safe_for.has(Hazard::landslide));
    }
    EXPECT_TRUE(found);
    // 中村小学校 and 中村小学校運動場 share a 共通ID core but stay separate.
    std::size_t nakamura = 0;
    for (const auto& f : m.facilities) nakamura += f.name.starts_with("中村小学校");
    EXPECT_EQ(nakamura, 2u);
    // Merging the merged list again changes nothing (idempotent).
    const FacilityMergeResult again = merge_facilities(m.facilities);
    EXPECT_EQ(again.facilities.size(), m.facilities.size());
}

TEST(RegistryRealData, P20CapacitiesForUbe) {
    const FacilityLoadResult r = load_p20(kP20);
    EXPECT_FALSE(has_errors(r.diagnostics));
    ASSERT_EQ(r.facilities.size(), 42u);
    std::int64_t total = 0;
    std::size_t sites = 0;
    for (const auto& f : r.facilities) {
        EXPECT_EQ(f.municipality_code, "352021");
        if (f.notes == "避難場所") {
            ++sites;
            total += f.capacity_persons.value_or(0);
        }
    }
    EXPECT_EQ(sites, 37u);
    EXPECT_EQ(total, 22750);
}

TEST(RegistryRealData, P20MergesWithGsiUbeWithoutDuplicates) {
    FacilityLoadResult gsi = load_gsi_folder(kGsi, "352021");
    const FacilityLoadResult p20 = load_p20(kP20);
    std::vector<Facility> all = gsi.facilities;
    all.insert(all.end(), p20.facilities.begin(), p20.facilities.end());
    const FacilityMergeResult m = merge_facilities(all);
    std::set<std::string> ids;
    for (const auto& f : m.facilities) EXPECT_TRUE(ids.insert(f.id).second) << f.id;
    // 隣保館上宇部会館 is in P20 (capacity 100) and in GSI with a longer name: one facility.
    std::size_t hits = 0;
    for (const auto& f : m.facilities) {
        if (f.name.find("隣保館上宇部会館") == std::string::npos) continue;
        ++hits;
        EXPECT_EQ(f.capacity_persons, 100);
        EXPECT_TRUE(f.is(FacilityKind::p20_shelter));
        EXPECT_TRUE(f.is(FacilityKind::emergency_site));
    }
    EXPECT_EQ(hits, 1u);
    // Each P20 record is either merged or kept: none lost.
    std::size_t p20_sources = 0;
    for (const auto& f : m.facilities) {
        for (const auto& s : f.sources) p20_sources += s.starts_with("p20:");
    }
    EXPECT_EQ(p20_sources, 42u);
}

TEST(RegistryRealData, PointLayerReadsGeoJsonAndNamesErrors) {
    const geo::PointLayer layer = geo::read_point_layer(kP20);
    EXPECT_EQ(layer.features.size(), 42u);
    ASSERT_TRUE(layer.features[0].position);
    EXPECT_NEAR(layer.features[0].position->lon, 131.238058, 1e-9);
    EXPECT_NEAR(layer.features[0].position->lat, 33.962094, 1e-9);
    EXPECT_THROW(geo::read_point_layer(kP20, "no_such_layer"), InputError);
    EXPECT_THROW(geo::read_point_layer(test::test_data("does-not-exist.gpkg")), IoError);
}

TEST(RegistryRealData, RegistryFromGeoPackageInAPlaneRectangularCrs) {
    // tests/data/registry/registry_epsg6671.gpkg: three synthetic children stored in
    // JGD2011 zone III (EPSG:6671) metres; the third has an unknown care item (99).
    const RegistryLoadResult r =
        load_registry(test::source_path("tests/data/registry/registry_epsg6671.gpkg"));
    ASSERT_EQ(r.registry.size(), 2u);
    EXPECT_EQ(r.rows_read, 3u);
    EXPECT_EQ(r.rows_rejected, 1u);
    const Child& a = r.registry.children()[0];
    EXPECT_EQ(a.id, "UBE-0001");
    EXPECT_NEAR(a.home.lon, 131.25, 1e-7);
    EXPECT_NEAR(a.home.lat, 33.95, 1e-7);
    EXPECT_TRUE(a.has_device("vent"));
    bool named = false;
    for (const auto& d : r.diagnostics) {
        if (d.severity != Diagnostic::Severity::error) continue;
        named = d.where.layer == "children" && !d.where.feature.empty() &&
                d.where.field == "care_items" && d.where.value == "99";
    }
    EXPECT_TRUE(named);
}

} // namespace
} // namespace sonae::planner
