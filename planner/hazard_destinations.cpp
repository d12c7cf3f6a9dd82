#include "planner/hazard_destinations.hpp"

#include "core/parallel.hpp"
#include "geo/routing.hpp"
#include "geo/space_order.hpp"
#include "geo/travel_mode.hpp"
#include "planner/shelter_load.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <tuple>

namespace sonae::planner {

namespace {

constexpr std::array<Hazard, 5> kStandingHazards{
    Hazard::flood, Hazard::landslide, Hazard::storm_surge, Hazard::tsunami, Hazard::earthquake};
constexpr std::size_t kH = kStandingHazards.size();

/// The hazard types (indices into kStandingHazards) a facility is suitable for, as bits.
unsigned hazard_bits(const Facility& f) {
    unsigned bits = 0;
    for (std::size_t h = 0; h < kH; ++h) {
        if (!f.hazards_known || f.safe_for.has(kStandingHazards[h])) bits |= 1u << h;
    }
    return bits;
}

std::string kind_text(const Facility& f) {
    std::string kind;
    for (std::size_t k = 0; k < kFacilityKindCount; ++k) {
        if (f.is(static_cast<FacilityKind>(k))) {
            kind +=
                (kind.empty() ? "" : "+") + std::string(to_string(static_cast<FacilityKind>(k)));
        }
    }
    return kind;
}

HazardDestination make_destination(std::size_t h, const Facility& f, TravelMode mode) {
    HazardDestination d;
    d.hazard = std::string(to_string(kStandingHazards[h]));
    d.facility_id = f.id;
    d.facility_name = f.name;
    d.facility_kind = kind_text(f);
    d.facility_location = f.position;
    d.mode = mode;
    d.designation_unknown = !f.hazards_known;
    return d;
}

/// Children with the same mode and needs see the same facilities: one target list each.
using NeedsKey = std::tuple<std::string, bool, bool, std::int64_t, std::int64_t, StaffLevel>;

struct Targets {
    std::vector<std::size_t> facility; ///< index into the facilities (sorted by id)
    std::vector<geo::NodeId> node;     ///< arrive node of each
    std::vector<std::int64_t> join_ms; ///< arrive node -> facility
    std::vector<double> join_m;
    std::vector<unsigned> bits; ///< hazard types each is suitable for
    unsigned covered = 0;       ///< union of bits
};

/// The network side, shared read-only by all threads.
struct NetworkSide {
    const TravelContext* travel = nullptr;
    const PlanOptions* options = nullptr;                    ///< the modes' road profiles
    std::map<std::string, std::vector<geo::Weight>> weights; ///< per mode, ordinary day
    std::map<NeedsKey, Targets> targets;
};

std::vector<HazardDestination> search_one(const NetworkSide& side, geo::Router& router,
                                          const std::vector<const Facility*>& facilities,
                                          const ChildTravelInput& child, const Targets& targets) {
    std::vector<HazardDestination> out;
    if (targets.covered == 0) return out;
    const auto& travel = *side.travel;
    const auto home = travel.access(child.mode, child.home);
    if (!home.ok) return out;
    const auto& weights = side.weights.at(child.mode);

    struct Best {
        std::int64_t total_ms = -1;
        std::size_t target = 0;
    };
    std::array<Best, kH> best{};
    std::size_t reported = 0;
    // A target reported at node distance d arrives at d + join; a later one at d' >= d may
    // still arrive earlier with a shorter join, so a type is settled only once the search has
    // passed its best arrival (or every target has been reported).
    auto settled = [&](geo::Distance d) {
        for (std::size_t h = 0; h < kH; ++h) {
            if (!((targets.covered >> h) & 1u)) continue;
            if (best[h].total_ms < 0 || best[h].total_ms > d) return false;
        }
        return true;
    };
    router.search_targets(home.depart_node, home.leave_ms, weights, {}, targets.node,
                          [&](std::size_t t, geo::Distance d) {
                              ++reported;
                              const std::int64_t total = d + targets.join_ms[t];
                              for (std::size_t h = 0; h < kH; ++h) {
                                  if (!((targets.bits[t] >> h) & 1u)) continue;
                                  auto& b = best[h];
                                  // Targets are in facility-id order, so the smaller index
                                  // wins a tie.
                                  if (b.total_ms < 0 || total < b.total_ms ||
                                      (total == b.total_ms && t < b.target)) {
                                      b = {total, t};
                                  }
                              }
                              return reported == targets.node.size() || settled(d);
                          });
    const auto& tree = router.last_tree();
    const auto& net = travel.network();
    for (std::size_t h = 0; h < kH; ++h) {
        if (best[h].total_ms < 0) continue;
        const auto t = best[h].target;
        const auto& f = *facilities[targets.facility[t]];
        auto d = make_destination(h, f, side.options->travel_mode(child.mode));
        d.travel_s = (best[h].total_ms + 999) / 1000;
        const auto path = tree.path(targets.node[t]);
        const std::vector<geo::EdgeId> edges = path ? *path : std::vector<geo::EdgeId>{};
        d.geometry = geo::path_geometry(net, edges);
        d.geometry.insert(d.geometry.begin(), child.home);
        d.geometry.push_back(f.position);
        d.length_m = geo::path_length_m(net, edges) + home.distance_m + targets.join_m[t];
        out.push_back(std::move(d));
    }
    return out;
}

std::vector<HazardDestination> straight_line_one(const std::vector<const Facility*>& facilities,
                                                 const ChildTravelInput& child,
                                                 const PlanOptions& options) {
    const double kmh = child.mode == options.car_mode ? options.straight_line_speed_kmh : 3.0;
    std::array<std::optional<std::pair<std::int64_t, std::size_t>>, kH> best{};
    std::array<double, kH> best_m{};
    for (std::size_t j = 0; j < facilities.size(); ++j) {
        const auto& f = *facilities[j];
        if (!can_take(f, child)) continue;
        const double m = geo::haversine_m(child.home, f.position) * options.straight_line_circuity;
        const auto s = static_cast<std::int64_t>(std::ceil(m / (kmh / 3.6)));
        const unsigned bits = hazard_bits(f);
        for (std::size_t h = 0; h < kH; ++h) {
            if (((bits >> h) & 1u) && (!best[h] || s < best[h]->first)) {
                best[h] = {s, j};
                best_m[h] = m;
            }
        }
    }
    std::vector<HazardDestination> out;
    for (std::size_t h = 0; h < kH; ++h) {
        if (!best[h]) continue;
        const auto& f = *facilities[best[h]->second];
        auto d = make_destination(h, f, options.travel_mode(child.mode));
        d.travel_s = best[h]->first;
        d.length_m = best_m[h];
        d.geometry = {child.home, f.position};
        d.approximate = true;
        out.push_back(std::move(d));
    }
    return out;
}

} // namespace

std::span<const Hazard> standing_plan_hazards() {
    return kStandingHazards;
}

std::string_view guide_label_ja(Hazard hazard) {
    switch (hazard) {
    case Hazard::flood: return "洪水";
    case Hazard::landslide: return "土砂災害";
    case Hazard::storm_surge: return "高潮";
    case Hazard::tsunami: return "津波";
    case Hazard::earthquake: return "地震";
    default: return label_ja(hazard);
    }
}

ChildTravelInput travel_input(const Child& child, const ChildNeeds& needs,
                              const std::string& mode) {
    ChildTravelInput in;
    in.home = child.home;
    in.mode = mode;
    in.needs_ventilator = needs.needs_ventilator;
    in.needs_oxygen = needs.needs_oxygen;
    const auto use = shelter_use(needs, child.companions, default_power_sources().shelter);
    in.power_w = use.power_w;
    in.outlets = use.outlets;
    in.staff = needs.staff;
    return in;
}

bool can_take(const Facility& f, const ChildTravelInput& child) {
    // The same rules, in the same order, as planner/stages/compatibility.hpp (minus the
    // scenario's hazard area, the designation for this scenario's hazard, and reachability),
    // with planner/shelter_load.hpp's offer; staff in shifts over a day.
    if (!f.direct_evacuation) return false;
    if (f.is(FacilityKind::emergency_site) && !f.is(FacilityKind::shelter) &&
        !f.is(FacilityKind::p20_shelter) && !f.is(FacilityKind::welfare_shelter) &&
        !f.is(FacilityKind::hospital)) {
        return false;
    }
    const auto& defaults = default_power_sources();
    const auto offer = shelter_offer(f, 24.0, 1, defaults);
    ChildNeeds needs;
    needs.needs_ventilator = child.needs_ventilator;
    needs.needs_oxygen = child.needs_oxygen;
    ShelterUse use;
    use.power_w = child.power_w;
    use.outlets = child.outlets;
    use.nurse_places = child.staff == StaffLevel::nurse ? 1 : 0;
    use.care_places = child.staff == StaffLevel::family ? 0 : 1;
    return shelter_mismatch(f, offer, needs, use) == ShelterMismatch::none;
}

std::vector<std::vector<HazardDestination>>
destinations_by_hazard(const TravelContext* travel, std::span<const Facility> facilities_in,
                       std::span<const ChildTravelInput> children, const PlanOptions& options,
                       unsigned threads) {
    std::vector<const Facility*> facilities;
    facilities.reserve(facilities_in.size());
    for (const auto& f : facilities_in) facilities.push_back(&f);
    std::sort(facilities.begin(), facilities.end(),
              [](const Facility* a, const Facility* b) { return a->id < b->id; });

    std::vector<std::vector<HazardDestination>> result(children.size());
    if (travel == nullptr) {
        for (std::size_t i = 0; i < children.size(); ++i)
            result[i] = straight_line_one(facilities, children[i], options);
        return result;
    }

    // Prepared once, before any thread starts: per-mode weights of an ordinary day (no
    // closures, no slowing; the TravelContext's weights carry this scenario's water), and the
    // target list of each distinct (mode, needs).
    NetworkSide side;
    side.travel = travel;
    side.options = &options;
    std::map<std::string, std::vector<Access>> facility_access;
    std::vector<const Targets*> child_targets(children.size());
    for (std::size_t i = 0; i < children.size(); ++i) {
        const auto& c = children[i];
        if (!side.weights.count(c.mode)) {
            side.weights[c.mode] =
                geo::travel_time_weights_ms(travel->network(), geo::load_travel_profile(c.mode));
            auto& acc = facility_access[c.mode];
            acc.reserve(facilities.size());
            for (const auto* f : facilities) acc.push_back(travel->access(c.mode, f->position));
        }
        const NeedsKey key{c.mode,    c.needs_ventilator, c.needs_oxygen,
                           c.power_w, c.outlets,          c.staff};
        auto [it, inserted] = side.targets.try_emplace(key);
        if (inserted) {
            auto& t = it->second;
            const auto& acc = facility_access.at(c.mode);
            for (std::size_t j = 0; j < facilities.size(); ++j) {
                if (!acc[j].ok || !can_take(*facilities[j], c)) continue;
                const unsigned bits = hazard_bits(*facilities[j]);
                if (bits == 0) continue;
                t.facility.push_back(j);
                t.node.push_back(acc[j].arrive_node);
                t.join_ms.push_back(acc[j].join_ms);
                t.join_m.push_back(acc[j].distance_m);
                t.bits.push_back(bits);
                t.covered |= bits;
            }
        }
        child_targets[i] = &it->second;
    }

    // Children in space order (geo/space_order.hpp), taken one at a time by each thread.
    std::vector<std::size_t> order(children.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    order = geo::in_space_order(std::move(order), [&](std::size_t i) { return children[i].home; });
    core::parallel_for_with(
        order.size(), threads, [&] { return geo::Router(travel->graph()); },
        [&](geo::Router& router, std::size_t k) {
            const auto i = order[k];
            result[i] = search_one(side, router, facilities, children[i], *child_targets[i]);
        });
    return result;
}

} // namespace sonae::planner
