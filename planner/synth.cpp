#include "planner/synth.hpp"

#include "planner/detail/registry_text.hpp"
#include "planner/municipality.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace sonae::planner {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kEarthM = 6371008.8;

/// Deterministic random numbers: std::mt19937_64's sequence is fixed by the standard; the
/// conversions below are ours, so results do not depend on the library's distributions.
class Random {
public:
    explicit Random(std::uint64_t seed) : m_engine(seed) {}
    double uniform() { return static_cast<double>(m_engine() >> 11) * 0x1.0p-53; } // [0, 1)
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    bool chance(double p) { return uniform() < p; }
    int integer(int lo, int hi) { // inclusive
        return lo + static_cast<int>(uniform() * static_cast<double>(hi - lo + 1));
    }
    /// Index drawn with the given weights.
    std::size_t weighted(std::initializer_list<double> weights) {
        double total = 0.0;
        for (double w : weights) total += w;
        double r = uniform() * total;
        std::size_t i = 0;
        for (double w : weights) {
            if (r < w) return i;
            r -= w;
            ++i;
        }
        return weights.size() - 1;
    }

private:
    std::mt19937_64 m_engine;
};

double round_to(double value, double step) {
    return std::round(value / step) * step;
}

// Care profiles of children on medical care (医療的ケア児). The weights are estimates shaped
// after published national shares: among 医療的ケア児, suction and tube feeding are the most
// common care items (each in roughly half or more of the children), tracheostomy in about a
// third, ventilators in about a fifth, oxygen in about a third (厚生労働省 令和元年度障害者総合
// 福祉推進事業「医療的ケア児者とその家族の生活実態調査」, 2020, and the MHLW score table in
// DOMAIN.md section 1). They are for plausible demos and tests, not statistics: verify
// before drawing any conclusion from synthetic data.
enum class Profile : std::uint8_t {
    ventilator_tracheostomy, // TPPV: ventilator + tracheostomy + suction (+ tube feeding, oxygen)
    nppv,                    // mask ventilation (at night) + suction
    tracheostomy,            // tracheostomy without a ventilator + suction (+ oxygen)
    oxygen,                  // home oxygen (e.g. chronic lung disease after NICU)
    feeding_suction,         // severe motor and intellectual disability: tube feeding + suction
    other,                   // diabetes, catheterisation, stoma, CVC, dialysis
};

void add_profile(Child& c, Profile profile, Random& rng) {
    std::vector<CareItem> care;
    auto device = [&](const char* type, int count = 1) {
        c.devices.push_back(DeviceUse{.type = type, .count = count});
    };
    auto oxygen = [&](double lo, double hi, int cyl_lo, int cyl_hi) {
        care.push_back(CareItem::oxygen);
        c.oxygen.flow_lpm = round_to(rng.uniform(lo, hi), 0.25);
        if (c.oxygen.flow_lpm <= 0.0) c.oxygen.flow_lpm = 0.25;
        c.oxygen.cylinders = rng.integer(cyl_lo, cyl_hi);
        c.oxygen.cylinder_nominal_l = rng.chance(0.6) ? 500.0 : 300.0;
        device("o2conc");
    };
    switch (profile) {
    case Profile::ventilator_tracheostomy: {
        care.insert(care.end(), {CareItem::ventilator, CareItem::tracheostomy, CareItem::suction});
        DeviceUse vent{.type = "vent"};
        // Internal 3-8 h and external 0-16 h by model [S3][S5][S6]; one external battery is
        // lent by health insurance [S59], so most have one.
        vent.internal_battery_h = rng.chance(0.5) ? 8.0 : 3.0;
        vent.external_battery_h = rng.chance(0.8) ? (rng.chance(0.5) ? 8.0 : 3.0) : 0.0;
        vent.power_w = round_to(rng.uniform(35.0, 80.0), 5.0);
        c.devices.push_back(vent);
        device("humid");
        device("suction", rng.chance(0.3) ? 2 : 1);
        device("spo2");
        if (rng.chance(0.7)) {
            care.push_back(CareItem::tube_feeding);
            if (rng.chance(0.5)) device("feed");
        }
        if (rng.chance(0.35)) oxygen(0.25, 2.0, 1, 4);
        if (rng.chance(0.2)) device("cough");
        if (rng.chance(0.25)) care.push_back(CareItem::seizure);
        break;
    }
    case Profile::nppv:
        care.insert(care.end(), {CareItem::ventilator, CareItem::suction});
        device("cpap");
        device("suction");
        device("spo2");
        if (rng.chance(0.4)) care.push_back(CareItem::tube_feeding);
        if (rng.chance(0.3)) oxygen(0.25, 1.0, 1, 3);
        break;
    case Profile::tracheostomy:
        care.insert(care.end(), {CareItem::tracheostomy, CareItem::suction});
        device("suction");
        device("spo2");
        if (rng.chance(0.4)) device("humid");
        if (rng.chance(0.5)) oxygen(0.25, 1.5, 1, 4);
        if (rng.chance(0.5)) care.push_back(CareItem::tube_feeding);
        if (rng.chance(0.3)) {
            care.push_back(CareItem::nebuliser);
            device("neb");
        }
        break;
    case Profile::oxygen:
        oxygen(0.25, 2.0, 2, 6);
        if (rng.chance(0.6)) device("spo2");
        if (rng.chance(0.3)) care.push_back(CareItem::tube_feeding);
        break;
    case Profile::feeding_suction:
        care.insert(care.end(), {CareItem::tube_feeding, CareItem::suction});
        device("suction");
        if (rng.chance(0.6)) device("feed");
        if (rng.chance(0.3)) {
            care.push_back(CareItem::nebuliser);
            device(rng.chance(0.5) ? "neb" : "neb_mesh");
        }
        if (rng.chance(0.35)) care.push_back(CareItem::seizure);
        if (rng.chance(0.3)) device("mattress");
        break;
    case Profile::other:
        switch (rng.weighted({4, 3, 2, 2, 1})) {
        case 0:
            care.insert(care.end(), {CareItem::blood_glucose, CareItem::injection});
            device("fridge");
            break;
        case 1: care.push_back(CareItem::catheterisation); break;
        case 2: care.push_back(CareItem::bowel); break;
        case 3:
            care.push_back(CareItem::central_venous_catheter);
            device("ivpump");
            break;
        default: care.push_back(CareItem::dialysis); break;
        }
        break;
    }
    std::sort(care.begin(), care.end());
    care.erase(std::unique(care.begin(), care.end()), care.end());
    c.care_items = care;
    std::sort(c.devices.begin(), c.devices.end(),
              [](const DeviceUse& a, const DeviceUse& b) { return a.type < b.type; });
    // Mobility: ventilated and severely disabled children mostly travel lying or in a buggy.
    switch (profile) {
    case Profile::ventilator_tracheostomy:
        c.mobility = std::array{Mobility::stretcher, Mobility::wheelchair,
                                Mobility::carried}[rng.weighted({4, 5, 1})];
        break;
    case Profile::feeding_suction:
    case Profile::tracheostomy:
    case Profile::nppv:
        c.mobility = std::array{Mobility::wheelchair, Mobility::carried,
                                Mobility::stretcher}[rng.weighted({5, 4, 1})];
        break;
    case Profile::oxygen:
    case Profile::other:
        c.mobility = std::array{Mobility::carried, Mobility::walks,
                                Mobility::wheelchair}[rng.weighted({5, 4, 1})];
        break;
    }
}

struct Road {
    std::uint32_t edge;
    double cumulative_m; // cumulative length up to and including this edge
};

geo::LonLat place_beside(const std::vector<geo::LonLat>& shape, double fraction, double offset_m,
                         double side) {
    std::vector<double> cum{0.0};
    for (std::size_t k = 0; k + 1 < shape.size(); ++k)
        cum.push_back(cum.back() + geo::haversine_m(shape[k], shape[k + 1]));
    const double target = fraction * cum.back();
    std::size_t k = 0;
    while (k + 2 < cum.size() && cum[k + 1] < target) ++k;
    const double seg = cum[k + 1] - cum[k];
    const double t = seg > 0.0 ? (target - cum[k]) / seg : 0.0;
    const geo::LonLat a = shape[k], b = shape[k + 1];
    const geo::LonLat p{a.lon + t * (b.lon - a.lon), a.lat + t * (b.lat - a.lat)};
    const double kx = std::cos(p.lat * kPi / 180.0) * kPi / 180.0 * kEarthM;
    const double ky = kPi / 180.0 * kEarthM;
    double dx = (b.lon - a.lon) * kx, dy = (b.lat - a.lat) * ky;
    const double len = std::hypot(dx, dy);
    if (len <= 0.0) {
        dx = 1.0;
        dy = 0.0;
    } else {
        dx /= len;
        dy /= len;
    }
    // Normal to the road, on the chosen side.
    const double nx = -dy * side, ny = dx * side;
    return {p.lon + nx * offset_m / kx, p.lat + ny * offset_m / ky};
}

} // namespace

Registry synthesize_registry(const geo::RoadNetwork& network, const SynthOptions& options,
                             const DeviceCatalogue& catalogue) {
    const auto code = detail::canonical_municipality_code(options.municipality_code);
    if (!code) {
        throw InputError("not a JIS municipality code (5 digits, or 6 with a valid check digit)",
                         Where{.field = "--municipality", .value = options.municipality_code});
    }
    if (!network.has_coordinates()) {
        throw InputError("the road network has no coordinates: homes cannot be placed");
    }
    const Municipality* municipality = yamaguchi_municipalities().find(*code);
    std::string prefix = options.id_prefix;
    if (prefix.empty()) prefix = municipality ? municipality->id_prefix : "SYN";

    std::vector<Road> roads;
    for (const geo::RoadClass wanted_group :
         {geo::RoadClass::residential, geo::RoadClass::unclassified}) {
        double total = 0.0;
        for (std::uint32_t e = 0; e < network.edge_count(); ++e) {
            const auto rc = network.road_class(geo::EdgeId(e));
            const bool residential =
                rc == geo::RoadClass::residential || rc == geo::RoadClass::living_street;
            const bool wanted = wanted_group == geo::RoadClass::residential
                                    ? residential
                                    : rc == geo::RoadClass::unclassified;
            if (!wanted || network.length_m(geo::EdgeId(e)) <= 0.0) continue;
            total += network.length_m(geo::EdgeId(e));
            roads.push_back(Road{e, total});
        }
        if (!roads.empty()) break;
    }
    if (roads.empty()) {
        throw InputError(
            "the road network has no residential or unclassified roads to place homes on");
    }

    Random rng(options.seed);
    std::vector<Child> children;
    children.reserve(options.children);
    static constexpr const char* kGiven[] = {"一郎", "花子", "太郎", "さくら",
                                             "健太", "ゆい", "翔",   "陽菜"};
    for (std::size_t i = 0; i < options.children; ++i) {
        Child c;
        char id[32];
        std::snprintf(id, sizeof id, "%s-%04zu", prefix.c_str(), i + 1);
        c.id = id;
        c.municipality_code = *code;

        const double pick = rng.uniform() * roads.back().cumulative_m;
        const auto it =
            std::upper_bound(roads.begin(), roads.end(), pick,
                             [](double v, const Road& r) { return v < r.cumulative_m; });
        const Road& road = it == roads.end() ? roads.back() : *it;
        const auto shape = network.edge_geometry(geo::EdgeId(road.edge));
        const double fraction = rng.uniform(0.1, 0.9);
        const double offset = rng.uniform(8.0, 30.0);
        const double side = rng.chance(0.5) ? 1.0 : -1.0;
        const geo::LonLat home = place_beside(shape, fraction, offset, side);
        // Six decimals (~0.1 m): what a geocoder or a GIS export would give.
        c.home = {std::round(home.lon * 1e6) / 1e6, std::round(home.lat * 1e6) / 1e6};

        const auto profile = static_cast<Profile>(rng.weighted({18, 7, 12, 20, 30, 13}));
        add_profile(c, profile, rng);
        for (auto& d : c.devices) {
            if (catalogue.find(d.type) == nullptr)
                d.type = "vent"; // never happens with the default catalogue
        }

        // Household: car ownership is high outside city centres; a minority has a PHEV/HEV
        // with an AC outlet (est.). Backups are likelier in ventilator households [S2][S59].
        c.vehicle = std::array{HouseholdVehicle::none, HouseholdVehicle::car,
                               HouseholdVehicle::hybrid_outlet}[rng.weighted({15, 70, 15})];
        const bool ventilated = c.has_care(CareItem::ventilator);
        if (rng.chance(ventilated ? 0.5 : 0.15)) {
            c.backup.power_station_wh =
                std::array{500.0, 700.0, 1000.0, 1500.0, 2000.0}[rng.weighted({2, 2, 3, 2, 1})];
        }
        if (rng.chance(ventilated ? 0.2 : 0.05)) {
            c.backup.generator_w = 900.0;                        // cassette-gas inverter [S21b]
            c.backup.generator_fuel_h = rng.integer(2, 8) * 1.5; // ~1-2 h per pair of cans
        }
        c.helpers = rng.integer(1, 3);
        c.consent.registry_sharing = rng.chance(0.85);
        c.consent.plan_sharing = c.consent.registry_sharing && rng.chance(0.7);
        if (options.with_names) {
            char name[64];
            std::snprintf(name, sizeof name, "架空 %s%03zu", kGiven[i % std::size(kGiven)], i + 1);
            c.personal.name = name;
            char phone[32];
            std::snprintf(phone, sizeof phone, "000-0000-%04zu", (i + 1) % 10000);
            c.personal.phone = phone;
            c.personal.emergency_contacts = {std::string("架空 保護者") + std::to_string(i + 1) +
                                             " 000-0000-0000"};
        }
        c.notes = "synthetic (sonae synth, seed " + std::to_string(options.seed) + ")";
        children.push_back(std::move(c));
    }
    return Registry(std::move(children));
}

} // namespace sonae::planner
