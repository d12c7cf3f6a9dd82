#include "report/regions.hpp"

#include "planner/municipality.hpp"

#include <algorithm>
#include <array>

namespace sonae::report {

namespace {

// Both centres publish the same hours [S0b] (DOMAIN.md section 0: 9:00-16:00 weekdays); the
// table carries them in English, the guidebook prints Japanese.
constexpr std::string_view kHoursJa = "9時〜16時（土日祝・年末年始を除く）";

Region region_from(planner::SupportRegion r) {
    return r == planner::SupportRegion::east ? Region::east : Region::west;
}

SupportCentre centre_view(const planner::SupportCentre* c) {
    if (c == nullptr) return {};
    return {c->name_ja, c->operator_ja, c->address_ja, c->phone, c->fax, c->email, kHoursJa};
}

/// Views into the planner's table (planner/municipality.hpp, data/yamaguchi_municipalities.toml),
/// which is parsed once and lives for the whole program.
struct Views {
    std::vector<Municipality> municipalities;
    SupportCentre east, west, none;
};

const Views& views() {
    static const Views v = [] {
        const auto& table = planner::yamaguchi_municipalities();
        Views out;
        for (const auto& m : table.all()) {
            Municipality row{m.code, m.name_ja, region_from(m.centre), {}};
            for (const auto& office : m.coordinator_offices)
                row.coordinator_offices.emplace_back(office);
            out.municipalities.push_back(std::move(row));
        }
        std::sort(out.municipalities.begin(), out.municipalities.end(),
                  [](const Municipality& a, const Municipality& b) { return a.code < b.code; });
        out.east = centre_view(table.centre(planner::SupportRegion::east));
        out.west = centre_view(table.centre(planner::SupportRegion::west));
        return out;
    }();
    return v;
}

const std::vector<Municipality>& table() {
    return views().municipalities;
}

} // namespace

std::string_view region_label_ja(Region region) {
    switch (region) {
    case Region::east: return "東部";
    case Region::west: return "西部";
    case Region::unknown: return "不明";
    }
    return "不明";
}

const SupportCentre& support_centre(Region region) {
    switch (region) {
    case Region::east: return views().east;
    case Region::west: return views().west;
    case Region::unknown: return views().none;
    }
    return views().none;
}

std::span<const Municipality> municipalities() {
    return table();
}

const Municipality* find_municipality(std::string_view code) {
    for (const auto& m : table()) {
        if (m.code == code) return &m;
        if (code.size() == 5 && m.code.substr(0, 5) == code) return &m;
    }
    return nullptr;
}

std::string municipality_name(std::string_view code) {
    if (const auto* m = find_municipality(code)) return std::string(m->name_ja);
    return "市町コード " + std::string(code);
}

std::optional<geo::LonLat> representative_point(std::string_view code) {
    // 5-digit N03_007 code -> point on surface (see the header for how it was computed).
    static constexpr std::array<std::pair<std::string_view, geo::LonLat>, 19> kPoints{{
        {"35201", {130.9933, 34.1510}}, {"35202", {131.2566, 34.0413}},
        {"35203", {131.6219, 34.2441}}, {"35204", {131.5237, 34.4439}},
        {"35206", {131.5589, 34.0799}}, {"35207", {131.8979, 34.0457}},
        {"35208", {132.0710, 34.2252}}, {"35210", {131.9573, 33.9675}},
        {"35211", {131.1742, 34.3490}}, {"35212", {132.2260, 33.7938}},
        {"35213", {131.2598, 34.2095}}, {"35215", {131.8407, 34.1625}},
        {"35216", {131.1648, 34.0247}}, {"35305", {132.2494, 33.9132}},
        {"35321", {132.2041, 34.1955}}, {"35341", {132.1345, 33.8450}},
        {"35343", {132.0222, 33.9442}}, {"35344", {132.0795, 33.9089}},
        {"35502", {131.5611, 34.5430}},
    }};
    const auto* m = find_municipality(code);
    if (m == nullptr) return std::nullopt;
    for (const auto& [c, p] : kPoints) {
        if (m->code.substr(0, 5) == c) return p;
    }
    return std::nullopt;
}

Region region_of(std::string_view code) {
    if (const auto* m = find_municipality(code)) return m->region;
    return Region::unknown;
}

} // namespace sonae::report
