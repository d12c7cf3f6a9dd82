#include "planner/planner.hpp"

#include "geo/components.hpp"
#include "geo/load_network.hpp"
#include "geo/routing.hpp"
#include "geo/snap.hpp"
#include "geo/space_order.hpp"
#include "geo/travel_mode.hpp"
#include "planner/assignment.hpp"
#include "planner/hazard_destinations.hpp"
#include "planner/power_model.hpp"
#include "planner/travel_context.hpp"
#include "planner/vrp.hpp"

#include <boost/dynamic_bitset.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <exception>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <numeric>
#include <set>
#include <sstream>
#include <thread>

namespace sonae::planner {

namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kLatenessPenaltyPerS = 10;     // a late minute costs ten on-time minutes
constexpr std::int64_t kUnservedCost = 1'000'000'000; // far above any travel cost
constexpr std::int64_t kUnknownCapacity = 30;         // places assumed when a shelter gives none (est.)
constexpr std::int64_t kChildrenPerStaff = 3;         // medical children one nurse/carer can watch (est.)
constexpr std::size_t kFullImprovementArcs = 5000;     // above this, fewer assignment improvement rounds
constexpr std::int32_t kNoLegS = 100'000'000;          // vehicle matrix: no leg (far beyond any window)
constexpr std::int64_t kVrpMaxIterations = 20'000;     // vehicle tours: SISR iterations for small fleets
constexpr std::int64_t kVrpMinIterations = 500;        // ... and at least this many for large ones
constexpr std::int64_t kVrpWork = 100'000;             // iterations x jobs budget between the two
constexpr double kFuelLitresPerKwh = 0.6;             // small inverter generators, ~1.7 kWh per litre (est.)

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : sep) + p;
    return out;
}

std::string minutes_text(std::int64_t s) {
    std::ostringstream out;
    out << (s < 0 ? "-" : "") << std::llabs(s) / 3600 << "時間" << (std::llabs(s) % 3600) / 60 << "分";
    return out.str();
}

void fail_with_all(const Diagnostics& diagnostics, const std::string& what) {
    std::vector<std::string> errors;
    for (const auto& d : diagnostics) {
        if (d.severity == Diagnostic::Severity::error) errors.push_back(d.str());
    }
    if (errors.empty()) return;
    std::string text = what + " (" + std::to_string(errors.size()) + " problem" +
                       (errors.size() == 1 ? "" : "s") + "; fix them and run again):";
    for (const auto& e : errors) text += "\n  " + e;
    throw InputError(text);
}

std::optional<Hazard> scenario_hazard(const std::string& kind) {
    if (kind == "drill") return std::nullopt;
    return parse_hazard(kind);
}

} // namespace

std::int64_t packing_s(Mobility mobility) {
    // DOMAIN.md section 4: luggage is the main barrier (Hirosaki); carrying a child out and
    // loading devices took about 20 minutes in Katori; two people were needed to lift a buggy
    // over steps (hinanping). The exact values are estimates to be replaced by drill records.
    switch (mobility) {
    case Mobility::walks: return 15 * 60;
    case Mobility::carried: return 20 * 60;
    case Mobility::wheelchair: return 30 * 60;
    case Mobility::stretcher: return 40 * 60;
    }
    return 30 * 60;
}

LoadedScenario load_scenario(const fs::path& manifest_or_dir, const Progress& progress) {
    auto report = [&](std::string_view stage, double f) {
        if (progress) progress(stage, f);
    };
    LoadedScenario s;
    s.manifest = read_manifest(manifest_or_dir);
    const auto& m = s.manifest;

    report("device catalogue", 0.0);
    s.catalogue = m.devices ? load_device_catalogue(*m.devices) : default_device_catalogue();

    if (m.network) {
        report("road network", 0.1);
        geo::LoadOptions options;
        options.layer = m.network_layer;
        auto imported = geo::import_road_network(*m.network, options);
        s.network = std::move(imported.network);
        s.diagnostics.insert(s.diagnostics.end(), imported.diagnostics.begin(), imported.diagnostics.end());
    }

    report("hazards", 0.4);
    std::vector<geo::HazardLayerSpec> specs;
    for (const auto& h : m.hazards) {
        geo::HazardLayerSpec spec;
        spec.path = h.path;
        spec.layer = h.layer;
        spec.kind = geo::hazard_kind_from_string(h.kind);
        spec.onset_min = h.onset_min;
        spec.onset_field = h.onset_field;
        spec.id_field = h.id_field;
        spec.depth_field = h.depth_field;
        spec.depth_rank_field = h.rank_field;
        spec.zone_field = h.zone_field;
        specs.push_back(std::move(spec));
    }
    if (!specs.empty()) {
        s.hazards = geo::load_hazards(specs);
        s.diagnostics.insert(s.diagnostics.end(), s.hazards.diagnostics().begin(), s.hazards.diagnostics().end());
    }

    report("registry", 0.6);
    RegistryLoadOptions ro;
    ro.encoding = parse_text_encoding(m.registry_encoding == "auto" ? "auto" : m.registry_encoding)
                      .value_or(TextEncoding::automatic);
    ro.catalogue = &s.catalogue;
    ro.network = s.network ? &*s.network : nullptr;
    ro.far_from_road_m = m.options.max_snap_m;
    auto registry = load_registry(m.registry, ro);
    fail_with_all(registry.diagnostics, "the registry has errors");
    s.registry = std::move(registry.registry);
    s.diagnostics.insert(s.diagnostics.end(), registry.diagnostics.begin(), registry.diagnostics.end());

    report("facilities", 0.7);
    std::vector<Facility> records;
    for (const auto& source : m.facilities) {
        FacilityLoadResult r;
        if (source.kind == "facilities") {
            r = load_facilities(source.path, TextEncoding::automatic, source.layer);
        } else if (source.kind == "p20") {
            r = load_p20(source.path);
        } else {
            r = load_gsi_shelters(source.path);
        }
        fail_with_all(r.diagnostics, "the facilities file has errors");
        s.diagnostics.insert(s.diagnostics.end(), r.diagnostics.begin(), r.diagnostics.end());
        records.insert(records.end(), r.facilities.begin(), r.facilities.end());
    }
    auto merged = merge_facilities(records);
    s.facilities = std::move(merged.facilities);

    if (m.vehicles) {
        report("vehicles", 0.8);
        auto v = load_vehicles(*m.vehicles);
        fail_with_all(v.diagnostics, "the vehicles file has errors");
        s.vehicles = std::move(v.vehicles);
        s.diagnostics.insert(s.diagnostics.end(), v.diagnostics.begin(), v.diagnostics.end());
    }
    report("loaded", 1.0);
    return s;
}

namespace {

/// A compatible facility reached by a child's search.
struct Candidate {
    std::uint32_t facility = 0; ///< index into the sorted facilities
    std::int64_t travel_s = 0;  ///< from the earliest departure to arrival
    auto operator<=>(const Candidate&) const = default;
};

/// Per child, what the planner works with.
struct ChildWork {
    const Child* child = nullptr;
    ChildNeeds needs;
    TransportKind transport = TransportKind::none;
    std::string mode;                       ///< car, walk, wheelchair
    std::int64_t earliest_departure_s = 0;
    std::int64_t deadline_s = 0;
    std::int64_t hazard_at_home_s = -1;
    std::string hazard_at_home_kind;       ///< flood, tsunami, ... of the area covering the home
    std::vector<Candidate> candidates;      ///< compatible facilities reached, by facility index
    bool searched_all = true;               ///< false: the search stopped at candidate_facilities
    bool home_on_network = true;
    bool extended = false;                  ///< searched on to facilities with room (see make_plan)
    std::vector<std::uint32_t> extension;   ///< the facilities that search looked for
    std::vector<std::string> reasons;
    std::vector<std::string> transport_notes;

    /// Travel time to facility j in seconds, -1 if j is not among the candidates.
    std::int64_t travel_to(std::size_t j) const {
        const auto it = std::lower_bound(candidates.begin(), candidates.end(), Candidate{static_cast<std::uint32_t>(j), 0});
        return it != candidates.end() && it->facility == j ? it->travel_s : -1;
    }
};

/// Why a facility cannot take a child, in the order the reasons are checked.
enum class Why : std::uint8_t {
    ok, no_direct, open_space, not_designated, in_hazard, no_ventilator, no_oxygen, no_power, no_nurse,
    no_carer, unreachable, farther, capacity
};

std::string_view why_text(Why why) {
    switch (why) {
    case Why::ok: return "可";
    case Why::no_direct: return "直接避難を受け付けない";
    case Why::open_space: return "屋外の避難場所のみ";
    case Why::not_designated: return "この災害の指定なし";
    case Why::in_hazard: return "浸水・危険区域内";
    case Why::no_ventilator: return "人工呼吸器の受入なし";
    case Why::no_oxygen: return "酸素の受入なし";
    case Why::no_power: return "電源（発電機）不足";
    case Why::no_nurse: return "看護師がいない";
    case Why::no_carer: return "看護師・認定介護職がいない";
    case Why::unreachable: return "道路で到達できない";
    case Why::farther: return "より近い候補の外";
    case Why::capacity: return "受入枠・電源・人員が他の子で埋まった";
    }
    return "?";
}

/// A worker's search state: its own Router and a copy of one mode's weights it may change.
struct SearchScratch {
    std::optional<geo::Router> router;
    std::string weights_mode;
    std::vector<geo::Weight> weights;

    std::vector<geo::Weight>& weights_of(const std::string& mode, const std::vector<geo::Weight>& original) {
        if (weights_mode != mode) {
            weights = original;
            weights_mode = mode;
        }
        return weights;
    }
};

/// Runs fn(scratch, item) for every item on `threads` workers (the calling thread is one of
/// them and the only one that calls `progress`). Each item must write only its own results,
/// so the outcome does not depend on the number of threads. The first exception is rethrown.
void parallel_for(const std::vector<std::size_t>& items, unsigned threads, const geo::RoutingGraph* graph,
                  const std::function<void(SearchScratch&, std::size_t)>& fn,
                  const std::function<void(std::size_t)>& progress) {
    if (items.empty()) return;
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> done{0};
    std::mutex error_mutex;
    std::exception_ptr error;
    auto worker = [&](bool reports) {
        try {
            SearchScratch scratch;
            if (graph != nullptr) scratch.router.emplace(*graph);
            for (;;) {
                const auto k = next.fetch_add(1);
                if (k >= items.size()) break;
                fn(scratch, items[k]);
                const auto d = done.fetch_add(1) + 1;
                if (reports && (d % 32 == 0 || d == items.size())) progress(d);
            }
        } catch (...) {
            const std::lock_guard lock(error_mutex);
            if (!error) error = std::current_exception();
            next = items.size();
        }
    };
    const auto count = static_cast<unsigned>(std::min<std::size_t>(std::max(threads, 1u), items.size()));
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < count; ++t) pool.emplace_back(worker, false);
    worker(true);
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
}

std::string hazard_label(const std::string& kind) {
    if (kind == "flood") return "洪水";
    if (kind == "tsunami") return "津波";
    if (kind == "landslide") return "土砂災害";
    if (kind == "storm_surge") return "高潮";
    return kind;
}

double quantile(std::vector<double> values, double q) {
    if (values.empty()) return 0.0;
    std::sort(values.begin(), values.end());
    const double pos = q * static_cast<double>(values.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const auto hi = std::min(values.size() - 1, lo + 1);
    return values[lo] + (values[hi] - values[lo]) * (pos - static_cast<double>(lo));
}

} // namespace

Plan make_plan(const LoadedScenario& sc, const Progress& progress) {
    auto report = [&](std::string_view stage, double f) {
        if (progress) progress(stage, f);
    };
    const auto& m = sc.manifest;
    const auto& opt = m.options;
    const auto children = sc.registry.children();
    // Facilities sorted by id: the plan must not depend on the order of input rows.
    std::vector<Facility> facilities(sc.facilities.begin(), sc.facilities.end());
    std::sort(facilities.begin(), facilities.end(), [](const Facility& a, const Facility& b) { return a.id < b.id; });
    const std::size_t n = children.size();
    const std::size_t f_count = facilities.size();
    const auto hazard = scenario_hazard(m.hazard_kind);
    const std::int64_t mains_lost_s = static_cast<std::int64_t>(std::llround(m.timeline.mains_lost_min * 60));
    const std::int64_t horizon_s = m.horizon_h * 3600;

    Plan plan;
    plan.scenario_name = m.name;
    plan.scenario_title = m.title;
    plan.hazard_kind = m.hazard_kind;
    plan.t0_label = m.timeline.t0_label;
    plan.seed = m.seed;
    plan.horizon_h = m.horizon_h;
    plan.at_risk_threshold_s = static_cast<std::int64_t>(std::llround(opt.at_risk_threshold_min * 60));
    plan.network_source = m.network ? m.network->filename().string() : "";
    plan.approximate = !sc.network.has_value();
    if (plan.approximate) {
        std::ostringstream note;
        note << "道路網なし: 直線距離×" << opt.straight_line_circuity << "、時速"
             << opt.straight_line_speed_kmh << "kmの概算 (straight-line mode: distance x circuity factor; approximate)";
        plan.approximation_note = note.str();
    }

    // Municipalities with children must have at least one facility (issue 4, bad input).
    {
        std::set<std::string> with_facility;
        for (const auto& f : facilities) with_facility.insert(f.municipality_code);
        std::vector<std::string> missing;
        for (const auto& c : children) {
            if (!c.municipality_code.empty() && !with_facility.count(c.municipality_code) &&
                std::find(missing.begin(), missing.end(), c.municipality_code) == missing.end()) {
                missing.push_back(c.municipality_code);
            }
        }
        if (!missing.empty() && !facilities.empty()) {
            bool any_coded = std::any_of(facilities.begin(), facilities.end(),
                                         [](const Facility& f) { return !f.municipality_code.empty(); });
            if (any_coded) {
                throw InputError("children live in municipalities with no facility in the scenario: " +
                                     join(missing, ", ") + "; add their shelters or remove them from the registry",
                                 {.file = m.manifest_path.string(), .field = "facilities"});
            }
        }
    }

    // 1. Needs.
    report("care and power needs", 0.05);
    PowerOptions power_options;
    power_options.horizon_h = static_cast<double>(m.horizon_h);
    std::vector<ChildWork> work(n);
    for (std::size_t i = 0; i < n; ++i) {
        auto& w = work[i];
        w.child = &children[i];
        w.needs = assess_child(children[i], sc.catalogue, power_options);
        w.earliest_departure_s = static_cast<std::int64_t>(std::llround(opt.decision_min * 60)) +
                                 packing_s(children[i].mobility);
        std::int64_t deadline = horizon_s;
        if (w.needs.deadline_s) {
            deadline = std::min(deadline, mains_lost_s + *w.needs.deadline_s);
        }
        if (!sc.hazards.empty()) {
            if (const auto h = sc.hazards.hazard_at(children[i].home); h && h->onset_ms != geo::never_ms) {
                w.hazard_at_home_s = h->onset_ms / 1000;
                w.hazard_at_home_kind = std::string(geo::to_string(h->kind));
                deadline = std::min(deadline, w.hazard_at_home_s);
            }
        }
        w.deadline_s = deadline;
    }

    // 2. Network modes.
    std::optional<TravelContext> travel;
    const geo::RoadNetwork* net = sc.network ? &*sc.network : nullptr;
    if (net) {
        report("road network modes", 0.1);
        travel.emplace(*net, sc.hazards, std::vector<std::string>{opt.car_mode, opt.walk_mode, opt.wheelchair_mode},
                       opt.max_snap_m);
    }
    auto access_for = [&travel](const ModeNetwork& mode, const geo::RoadNetwork&, geo::LonLat p) {
        return travel->access(mode.name, p);
    };
    auto modes_at = [&travel](const std::string& name) -> const ModeNetwork& { return travel->mode(name); };

    // Facilities on the network, per mode.
    std::map<std::string, std::vector<Access>> facility_access;
    if (net) {
        for (const auto& name : {opt.car_mode, opt.walk_mode, opt.wheelchair_mode}) {
            auto& acc = facility_access[name];
            if (!acc.empty()) continue;
            acc.reserve(f_count);
            for (const auto& f : facilities) acc.push_back(travel->access(name, f.position));
        }
        for (std::size_t j = 0; j < f_count; ++j) {
            const auto& f = facilities[j];
            const bool curated = f.is(FacilityKind::welfare_shelter) || f.is(FacilityKind::hospital) ||
                                 f.is(FacilityKind::support_centre);
            if (!facility_access[opt.car_mode][j].ok && curated) {
                throw InputError("the facility is outside the road network (farther than " +
                                     std::to_string(static_cast<int>(opt.max_snap_m)) +
                                     " m from any road a car can use); check its coordinates or the network's extent",
                                 {.file = m.manifest_path.string(), .feature = f.id, .field = "lon/lat",
                                  .value = std::to_string(f.position.lon) + "," + std::to_string(f.position.lat)});
            }
        }
    }

    // 3. Transport decision.
    report("transport", 0.15);
    auto nearest_straight_m = [&](const Child& c) {
        double best = 1e18;
        for (const auto& f : facilities) {
            if (f.is(FacilityKind::welfare_shelter) || f.is(FacilityKind::hospital)) {
                best = std::min(best, geo::haversine_m(c.home, f.position));
            }
        }
        return best;
    };
    for (auto& w : work) {
        const auto& c = *w.child;
        const bool has_car = c.vehicle != HouseholdVehicle::none && c.helpers >= 1;
        const bool walkable = c.mobility != Mobility::stretcher &&
                              nearest_straight_m(c) * opt.straight_line_circuity <= opt.walk_max_m &&
                              c.helpers >= (c.mobility == Mobility::walks ? 1 : 2);
        if (c.mobility == Mobility::stretcher) {
            w.transport = TransportKind::vehicle;
            w.transport_notes.push_back("ストレッチャーのため救急車など専用車両で搬送");
        } else if (has_car) {
            w.transport = TransportKind::family_car;
        } else if (walkable) {
            w.transport = TransportKind::walk;
        } else {
            w.transport = TransportKind::vehicle;
            w.transport_notes.push_back(c.vehicle == HouseholdVehicle::none ? "家族の車がないため福祉車両で搬送"
                                                                            : "運転・介助できる人がいないため福祉車両で搬送");
        }
        w.mode = w.transport == TransportKind::walk
                     ? (c.mobility == Mobility::wheelchair ? opt.wheelchair_mode : opt.walk_mode)
                     : opt.car_mode;
        if (w.transport == TransportKind::vehicle) {
            // A vehicle needs time to come; ready when packed, picked up by the schedule.
        }
    }

    // 4. Travel times to compatible facilities.
    report("travel times", 0.2);
    // Reasons that depend on the facility alone, the same for every child.
    std::vector<Why> facility_why(f_count, Why::ok);
    for (std::size_t j = 0; j < f_count; ++j) {
        const auto& f = facilities[j];
        if (!f.direct_evacuation) facility_why[j] = Why::no_direct;
        else if (f.is(FacilityKind::emergency_site) && !f.is(FacilityKind::shelter) &&
                 !f.is(FacilityKind::p20_shelter) && !f.is(FacilityKind::welfare_shelter) &&
                 !f.is(FacilityKind::hospital))
            facility_why[j] = Why::open_space;
        else if (hazard && f.hazards_known && !f.safe_for.has(*hazard)) facility_why[j] = Why::not_designated;
        else if (!sc.hazards.empty() && sc.hazards.hazard_at(f.position)) facility_why[j] = Why::in_hazard;
    }
    auto why_not = [&](const ChildWork& w, std::size_t j) {
        if (facility_why[j] != Why::ok) return facility_why[j];
        const auto& f = facilities[j];
        if (w.needs.needs_ventilator && !f.accepts_ventilator) return Why::no_ventilator;
        if (w.needs.needs_oxygen && !f.accepts_oxygen) return Why::no_oxygen;
        if (w.needs.essential_peak_w > 0 && f.generator_kw * 1000.0 < w.needs.essential_peak_w) return Why::no_power;
        if (w.needs.staff == StaffLevel::nurse && f.nurses == 0) return Why::no_nurse;
        if (w.needs.staff == StaffLevel::carer && f.nurses + f.carers == 0) return Why::no_carer;
        return Why::ok;
    };
    const unsigned threads = opt.threads != 0 ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
    // A* potentials (geo::Router::search_targets): per travel mode in use, every node's travel
    // time without closures to the nearest facility that some child could use. Each child's
    // targets are among those facilities, so their order and times are unchanged; the
    // searches settle far fewer nodes.
    // Per mode of the given children: one backward tree from the facilities `include` accepts.
    using Potentials = std::map<std::string, std::vector<geo::Distance>>;
    // Where the facilities `include` accepts are reached in travel mode `mode`.
    auto facility_nodes = [&](const std::string& mode, const std::function<bool(std::size_t)>& include) {
        std::vector<geo::NodeId> nodes;
        const auto& acc = facility_access.at(mode);
        for (std::size_t j = 0; j < f_count; ++j) {
            if (acc[j].ok && include(j)) nodes.push_back(acc[j].arrive_node);
        }
        return nodes;
    };
    auto nearest_facility_times = [&](const std::vector<std::size_t>& who, const std::function<bool(std::size_t)>& include) {
        Potentials out;
        if (!net || who.empty()) return out;
        std::set<std::string> modes_used;
        for (const auto i : who) modes_used.insert(work[i].mode);
        std::vector<std::future<void>> tasks; // one tree per mode, on every core
        for (const auto& name : modes_used) {
            auto roots = facility_nodes(name, include);
            if (roots.empty()) continue;
            tasks.push_back(std::async(std::launch::async, [&, name, roots = std::move(roots), &into = out[name]] {
                geo::Router router(travel->graph());
                const auto& tree = router.tree(roots, modes_at(name).weights_ms, geo::Direction::backward);
                into.assign(tree.distances().begin(), tree.distances().end());
            }));
        }
        for (auto& t : tasks) t.get();
        return out;
    };
    std::vector<std::size_t> everyone(n);
    std::iota(everyone.begin(), everyone.end(), std::size_t{0});
    const Potentials potential =
        nearest_facility_times(everyone, [&](std::size_t j) { return facility_why[j] == Why::ok; });
    // A mode's potential from `p` (empty: plain Dijkstra).
    auto potential_in = [](const Potentials& p, const std::string& mode) -> std::span<const geo::Distance> {
        const auto it = p.find(mode);
        return it == p.end() ? std::span<const geo::Distance>{} : std::span<const geo::Distance>(it->second);
    };
    auto for_each_item = [&](const std::vector<std::size_t>& which, std::string_view stage, double f0, double f1,
                             const std::function<void(SearchScratch&, std::size_t)>& fn) {
        parallel_for(which, threads, travel ? &travel->graph() : nullptr, fn,
                     [&](std::size_t done) {
                         report(stage, f0 + (f1 - f0) * static_cast<double>(done) /
                                                static_cast<double>(std::max<std::size_t>(which.size(), 1)));
                     });
    };
    // Runs fn for each of `which` (children) on every core, in space order (geo/space_order.hpp).
    auto for_each_child = [&](const std::vector<std::size_t>& which, std::string_view stage, double f0, double f1,
                              const std::function<void(SearchScratch&, std::size_t)>& fn) {
        for_each_item(geo::in_space_order(which, [&](std::size_t i) { return children[i].home; }), stage, f0, f1, fn);
    };
    // Searches from a child's home at the earliest departure through `list` (facility indices)
    // in order of arrival, adding each as a candidate, and stops after candidate_facilities of
    // them: the nearest ones are where an optimal assignment sends a child unless they are
    // full, and a child left without a place searches on (the extension rounds below).
    auto search_on = [&](SearchScratch& scratch, ChildWork& w, const std::vector<std::uint32_t>& list,
                         std::span<const geo::Distance> potential) {
        const auto& mode = modes_at(w.mode);
        const auto home = access_for(mode, *net, w.child->home);
        w.home_on_network = home.ok;
        if (!home.ok) return;
        const auto& acc = facility_access.at(w.mode);
        std::vector<geo::NodeId> nodes;
        std::vector<std::uint32_t> which;
        for (const auto j : list) {
            if (!acc[j].ok) continue;
            nodes.push_back(acc[j].arrive_node);
            which.push_back(j);
        }
        if (nodes.empty()) return;
        const auto dep_ms = w.earliest_departure_s * 1000;
        const std::size_t limit = std::min<std::size_t>(nodes.size(), static_cast<std::size_t>(opt.candidate_facilities));
        std::size_t found = 0;
        scratch.router->search_targets(home.depart_node, dep_ms + home.leave_ms, mode.weights_ms,
                                       mode.closures.closed_from_ms, nodes, [&](std::size_t k, geo::Distance arrival) {
                                           const auto j = which[k];
                                           w.candidates.push_back({j, (arrival + acc[j].join_ms - dep_ms + 999) / 1000});
                                           return ++found >= limit;
                                       }, potential);
        // Stopped at the limit: facilities may lie farther still (the next round).
        w.searched_all = found < limit || found == nodes.size();
        std::sort(w.candidates.begin(), w.candidates.end());
    };
    // A child's first search: every facility compatible with the child (straight-line mode
    // offers them all at once).
    auto search_child = [&](SearchScratch& scratch, ChildWork& w) {
        const auto& c = *w.child;
        w.candidates.clear();
        w.searched_all = true;
        std::vector<std::uint32_t> compatible;
        for (std::size_t j = 0; j < f_count; ++j) {
            if (why_not(w, j) == Why::ok) compatible.push_back(static_cast<std::uint32_t>(j));
        }
        if (net) {
            search_on(scratch, w, compatible, potential_in(potential, w.mode));
            return;
        }
        const double kmh = w.mode == opt.car_mode ? opt.straight_line_speed_kmh : 3.0;
        for (const auto j : compatible) {
            const double d = geo::haversine_m(c.home, facilities[j].position) * opt.straight_line_circuity;
            w.candidates.push_back({j, static_cast<std::int64_t>(std::ceil(d / (kmh / 3.6)))});
        }
    };
    for_each_child(everyone, "travel times", 0.2, 0.45,
                   [&](SearchScratch& s, std::size_t i) { search_child(s, work[i]); });
    for (auto& w : work) {
        if (net && !w.home_on_network) {
            w.reasons.push_back("自宅が通行できる道路から" + std::to_string(static_cast<int>(opt.max_snap_m)) +
                                "m以上離れている (home is farther than the snap limit from a usable road)");
        }
    }

    // 6b (started here). Standing-plan destinations per hazard type for the guidebook
    // (planner/hazard_destinations.hpp): they depend on each child's needs and travel mode
    // only, not on the assignment, so their searches run while the assignment's flow solves
    // (one core each) leave a core idle.
    std::future<std::vector<std::vector<HazardDestination>>> destinations;
    {
        std::vector<ChildTravelInput> inputs;
        inputs.reserve(n);
        for (const auto& w : work) inputs.push_back(travel_input(*w.child, w.needs, w.mode));
        destinations = std::async(std::launch::async, [&, inputs = std::move(inputs)] {
            return destinations_by_hazard(travel ? &*travel : nullptr, facilities, inputs, opt, threads);
        });
    }

    // 5. Assignment (min-cost flow) over each child's candidates.
    report("assignment", 0.5);
    auto open_by = [&](std::size_t j, std::int64_t arrival_s) {
        return std::max(arrival_s, facilities[j].opening_delay_s);
    };
    std::vector<AssignmentResources> capacity(f_count);
    for (std::size_t j = 0; j < f_count; ++j) {
        const auto& f = facilities[j];
        auto& cap = capacity[j];
        cap.places = f.capacity_persons.value_or(kUnknownCapacity);
        if (cap.places < 0) cap.places = kUnknownCapacity;
        cap.power_w = static_cast<std::int64_t>(std::floor(f.generator_kw * 1000.0));
        cap.outlets = 1'000'000; // outlets are reported as shortages, not a hard limit
        cap.nurse_places = static_cast<std::int64_t>(f.nurses + f.carers) * kChildrenPerStaff;
    }
    std::vector<AssignmentResources> usage(n);
    for (std::size_t i = 0; i < n; ++i) {
        usage[i].places = 1;
        usage[i].power_w = static_cast<std::int64_t>(std::ceil(work[i].needs.essential_peak_w));
        usage[i].outlets = 0;
        usage[i].nurse_places = work[i].needs.staff == StaffLevel::family ? 0 : 1;
    }
    auto solve = [&] {
        AssignmentProblem problem;
        problem.demands.resize(n);
        problem.supplies.resize(f_count);
        for (std::size_t j = 0; j < f_count; ++j) problem.supplies[j].capacity = capacity[j];
        for (std::size_t i = 0; i < n; ++i) {
            const auto& w = work[i];
            auto& d = problem.demands[i];
            d.usage = usage[i];
            d.unserved_cost = kUnservedCost;
            for (const auto& cand : w.candidates) {
                const auto arrival = open_by(cand.facility, w.earliest_departure_s + cand.travel_s);
                const auto late = std::max<std::int64_t>(0, arrival - w.deadline_s);
                problem.arcs.push_back({DemandIndex(static_cast<std::uint32_t>(i)), SupplyIndex(cand.facility),
                                        arrival + kLatenessPenaltyPerS * late});
            }
        }
        // The improvement rounds after the first repaired flow (see planner/assignment.hpp)
        // cost one flow each; on large plans they are capped, and the plan's warning gives
        // the gap to the lower bound that remains.
        AssignmentOptions ao;
        if (problem.arcs.size() > kFullImprovementArcs) {
            ao.max_repair_rounds = 3;
            ao.lagrangian_rounds = 0;
        }
        auto r = solve_assignment(problem, ao);
        return r;
    };
    auto assignment = solve();
    auto has_room = [&](std::size_t i, std::size_t j) {
        const auto& load = assignment.load[j];
        const auto& cap = capacity[j];
        const auto& u = usage[i];
        return load.places + u.places <= cap.places && load.power_w + u.power_w <= cap.power_w &&
               load.nurse_places + u.nurse_places <= cap.nurse_places;
    };
    // A child whose search stopped early and who got no place, or got the farthest candidate
    // found, may do better farther away: search on to the nearest compatible facilities that
    // still have room for the child (up to candidate_facilities more), and solve again; up to
    // three rounds. Facilities without room cannot take the child without moving another
    // child, and the nearer ones were all offered already; with no room anywhere there is
    // nothing to search for.
    for (int round = 0; round < 3; ++round) {
        std::vector<std::size_t> wanting;
        for (std::size_t i = 0; i < n; ++i) {
            auto& w = work[i];
            if (w.searched_all) continue;
            const auto& s = assignment.supply_of[i];
            if (s) {
                std::int64_t farthest = 0;
                for (const auto& cand : w.candidates) farthest = std::max(farthest, cand.travel_s);
                if (w.travel_to(s->value()) < farthest) continue;
            }
            w.extension.clear();
            for (std::size_t j = 0; j < f_count; ++j) {
                if (why_not(w, j) == Why::ok && w.travel_to(j) < 0 && has_room(i, j)) {
                    w.extension.push_back(static_cast<std::uint32_t>(j));
                }
            }
            w.searched_all = true; // search_on says otherwise if it stops at the limit
            w.extended = true;
            if (!w.extension.empty()) wanting.push_back(i);
        }
        // Per travel mode of these children, over the facilities that still have a place:
        // the latest moment from which one can be reached (closures included), and the
        // closure-free time to the nearest one (the searches' A* potential: these are the
        // only targets, and when most places are taken they lie far off). A child who leaves
        // after that latest moment can reach none of them, and its search would sweep all it
        // can reach to find nothing: it is not searched. One task per mode and kind, on every core.
        auto has_a_place = [&](std::size_t j) {
            return facility_why[j] == Why::ok && assignment.load[j].places < capacity[j].places;
        };
        std::map<std::string, std::vector<geo::Distance>> latest;
        Potentials toward_room;
        if (net) {
            std::vector<std::future<void>> tasks;
            for (const auto i : wanting) {
                const auto& name = work[i].mode;
                if (latest.count(name)) continue;
                auto& l = latest[name];
                auto roots = facility_nodes(name, has_a_place);
                if (roots.empty()) {
                    l.assign(net->node_count(), geo::never_reached);
                    continue;
                }
                tasks.push_back(std::async(std::launch::async, [&, name, roots = std::move(roots)] {
                    l = geo::latest_departure(travel->graph(), roots, modes_at(name).weights_ms,
                                              modes_at(name).closures.closed_from_ms);
                }));
            }
            toward_room = nearest_facility_times(wanting, has_a_place);
            for (auto& t : tasks) t.get();
        }
        std::vector<std::size_t> again;
        for (const auto i : wanting) {
            const auto& w = work[i];
            if (net) {
                const auto home = access_for(modes_at(w.mode), *net, w.child->home);
                if (!home.ok || w.earliest_departure_s * 1000 + home.leave_ms > latest.at(w.mode)[home.depart_node.value()]) {
                    continue;
                }
            }
            again.push_back(i);
        }
        if (again.empty()) break;
        std::size_t before = 0, after = 0;
        for (const auto i : again) before += work[i].candidates.size();
        for_each_child(again, "assignment", 0.5, 0.55, [&](SearchScratch& s, std::size_t i) {
            search_on(s, work[i], work[i].extension, potential_in(toward_room, work[i].mode));
        });
        for (const auto i : again) after += work[i].candidates.size();
        if (after == before) break; // nothing new within reach: the same problem again
        assignment = solve();
    }
    if (!assignment.proven_optimal) {
        plan.warnings.push_back("assignment: the multi-resource capacities needed a repair step; the result is "
                                "feasible but not proven optimal: at most " +
                                std::to_string(assignment.total_cost - assignment.lower_bound_cost) +
                                " cost units (seconds of arrival, or one unserved child per 10^9) above the optimum");
    }

    // Fallback for a child with no place: the nearest reachable hospital, else the nearest
    // reachable facility with power (a small search that stops at the first hospital).
    std::vector<std::optional<std::size_t>> fallback(n);
    {
        std::vector<std::size_t> unplaced;
        for (std::size_t i = 0; i < n; ++i) {
            if (!assignment.supply_of[i]) unplaced.push_back(i);
        }
        // Its own A* potential: the nearest hospital or powered facility, per mode in use.
        const Potentials fallback_potential = nearest_facility_times(unplaced, [&](std::size_t j) {
            return facilities[j].is(FacilityKind::hospital) || facilities[j].has_power();
        });
        for_each_child(unplaced, "assignment", 0.55, 0.6, [&](SearchScratch& s, std::size_t i) {
            const auto& w = work[i];
            const auto& c = *w.child;
            std::optional<std::size_t> hospital, powered;
            auto consider = [&](std::size_t j) {
                if (facilities[j].is(FacilityKind::hospital)) {
                    if (!hospital) hospital = j;
                } else if (facilities[j].has_power() && !powered) {
                    powered = j;
                }
                return hospital.has_value();
            };
            if (!net) {
                std::vector<std::pair<double, std::size_t>> by_distance;
                for (std::size_t j = 0; j < f_count; ++j) by_distance.emplace_back(geo::haversine_m(c.home, facilities[j].position), j);
                std::sort(by_distance.begin(), by_distance.end());
                for (const auto& [d, j] : by_distance) {
                    if (consider(j)) break;
                }
            } else {
                const auto& mode = modes_at(w.mode);
                const auto home = access_for(mode, *net, c.home);
                if (!home.ok) return;
                const auto& acc = facility_access.at(w.mode);
                std::vector<geo::NodeId> nodes;
                std::vector<std::size_t> which;
                for (std::size_t j = 0; j < f_count; ++j) {
                    if (!acc[j].ok) continue;
                    if (!facilities[j].is(FacilityKind::hospital) && !facilities[j].has_power()) continue;
                    nodes.push_back(acc[j].arrive_node);
                    which.push_back(j);
                }
                if (nodes.empty()) return;
                s.router->search_targets(home.depart_node, w.earliest_departure_s * 1000 + home.leave_ms,
                                         mode.weights_ms, mode.closures.closed_from_ms, nodes,
                                         [&](std::size_t k, geo::Distance) { return consider(which[k]); },
                                         potential_in(fallback_potential, w.mode));
            }
            fallback[i] = hospital ? hospital : powered;
        });
    }

    // 6. Child plans.
    report("routes", 0.6);
    plan.children.resize(n);
    std::vector<std::optional<std::size_t>> facility_of(n);
    for (std::size_t i = 0; i < n; ++i) {
        auto& w = work[i];
        const auto& c = *w.child;
        auto& cp = plan.children[i];
        cp.child_id = c.id;
        cp.municipality_code = c.municipality_code;
        cp.home = c.home;
        cp.mobility = std::string(to_string(c.mobility));
        for (const auto item : c.care_items) cp.care_items.emplace_back(info(item).code);
        cp.power = to_child_power(w.needs, c);
        cp.transport = w.transport;
        cp.hazard_at_home_s = w.hazard_at_home_s;
        cp.mains_lost_s = mains_lost_s;
        cp.earliest_departure_s = w.earliest_departure_s;
        cp.planned_departure_s = w.earliest_departure_s;
        cp.deadline_s = w.deadline_s;
        for (const auto& note : w.transport_notes) cp.reasons.push_back(note);
        for (const auto& note : w.reasons) cp.reasons.push_back(note);

        if (assignment.supply_of[i]) {
            const std::size_t j = assignment.supply_of[i]->value();
            facility_of[i] = j;
            cp.facility_id = facilities[j].id;
            const auto travel = w.travel_to(j);
            cp.latest_departure_s = w.deadline_s - travel;
            cp.arrival_s = open_by(j, w.earliest_departure_s + travel);
            if (cp.arrival_s > w.earliest_departure_s + travel) {
                cp.reasons.push_back("施設の開設（" + minutes_text(facilities[j].opening_delay_s) + "後）を待つ");
            }
        } else {
            // Explain: count what ruled each facility out (the first reason that applies).
            std::map<Why, int> why;
            for (std::size_t j = 0; j < f_count; ++j) {
                Why r = why_not(w, j);
                if (r == Why::ok) {
                    if (w.travel_to(j) >= 0) r = Why::capacity;
                    else if (w.extended) r = std::binary_search(w.extension.begin(), w.extension.end(), j) ? Why::unreachable : Why::capacity;
                    else r = w.searched_all ? Why::unreachable : Why::farther;
                }
                why[r]++;
            }
            std::vector<std::string> parts;
            for (const auto& [k, count] : why) parts.push_back(std::string(why_text(k)) + " " + std::to_string(count) + "か所");
            cp.reasons.push_back("受け入れ可能な施設がない (no compatible facility): " + join(parts, "、"));
            if (fallback[i]) {
                cp.fallback_facility_id = facilities[*fallback[i]].id;
                cp.reasons.push_back("代替先 (fallback): " + facilities[*fallback[i]].name);
            }
        }
    }

    // 6b. The standing-plan destinations (started before the assignment).
    {
        report("destinations by hazard", 0.65);
        auto by_hazard = destinations.get();
        for (std::size_t i = 0; i < n; ++i) plan.children[i].destinations_by_hazard = std::move(by_hazard[i]);
    }

    // 7. Vehicle tours.
    report("vehicle tours", 0.7);
    std::vector<std::size_t> vehicle_children;
    for (std::size_t i = 0; i < n; ++i) {
        if (work[i].transport == TransportKind::vehicle && facility_of[i]) vehicle_children.push_back(i);
    }
    if (!vehicle_children.empty()) {
        if (sc.vehicles.empty()) {
            for (auto i : vehicle_children) {
                plan.children[i].reasons.push_back("搬送車両がシナリオにない (no vehicle in the scenario)");
                plan.children[i].arrival_s = -1;
            }
        } else {
            // One scheduling problem per group of vehicles and the children they carry.
            // The tours of one fleet and the children it carries. `own` (a worker's search
            // state) computes the travel-time matrix on the calling thread; without it the
            // matrix rows run on every core.
            auto solve_tours = [&](const std::vector<Vehicle>& fleet, const std::vector<std::size_t>& group,
                                   SearchScratch* own) {
                const bool district = own != nullptr;
                // Locations: vehicle bases, then homes, then facilities (each once).
                std::vector<geo::LonLat> points;
                for (const auto& v : fleet) points.push_back(v.base);
                const std::size_t home0 = points.size();
                for (auto i : group) points.push_back(children[i].home);
                std::map<std::size_t, std::size_t> fac_loc;
                for (auto i : group) {
                    if (!fac_loc.count(*facility_of[i])) {
                        fac_loc[*facility_of[i]] = points.size();
                        points.push_back(facilities[*facility_of[i]].position);
                    }
                }
                const auto L = static_cast<std::int32_t>(points.size());
                vrp::Problem vp;
                vp.durations = vrp::Matrix(L);
                if (net) {
                    // Vehicles drive while the hazard spreads: edges that close before the earliest
                    // deadline among these children are left out (conservative, documented).
                    const auto& mode = modes_at(opt.car_mode);
                    std::int64_t t_ref = horizon_s;
                    for (auto i : group) t_ref = std::min(t_ref, work[i].deadline_s);
                    auto weights = mode.weights_ms;
                    for (std::size_t e = 0; e < weights.size(); ++e) {
                        if (mode.closures.closed_from_ms[e] <= t_ref * 1000) weights[e] = geo::no_edge;
                    }
                    std::vector<Access> acc;
                    for (const auto& p : points) acc.push_back(access_for(mode, *net, p));
                    // Which legs a tour can use. A tour leaves its base and comes back, so every
                    // node on it is reachable from the base and can reach it again, counting
                    // each stop as a link from the node where the vehicle joins the point to the
                    // node where it leaves. A leg between places outside that set for every
                    // base of the fleet is in no feasible tour: it is left unreachable without a
                    // search. Without this, a place cut off by the water made every row's search
                    // sweep the whole network (on a million nodes, the tours never finished).
                    std::vector<std::pair<geo::NodeId, geo::NodeId>> stops;
                    std::vector<geo::NodeId> place_nodes; // the sweeps stop once all are reached
                    for (const auto& a : acc) {
                        if (!a.ok) continue;
                        stops.emplace_back(a.arrive_node, a.depart_node);
                        place_nodes.push_back(a.arrive_node);
                        place_nodes.push_back(a.depart_node);
                    }
                    std::vector<boost::dynamic_bitset<>> leave_ok(static_cast<std::size_t>(L),
                                                                  boost::dynamic_bitset<>(fleet.size()));
                    auto join_ok = leave_ok;
                    for (std::size_t k = 0; k < fleet.size(); ++k) {
                        if (!acc[k].ok) continue;
                        const std::array<geo::NodeId, 1> from{acc[k].depart_node}, to{acc[k].arrive_node};
                        const auto out = geo::reachable_nodes(travel->graph(), from, weights, geo::Direction::forward,
                                                              stops, place_nodes);
                        const auto back = geo::reachable_nodes(travel->graph(), to, weights, geo::Direction::backward,
                                                               stops, place_nodes);
                        for (std::size_t p = 0; p < points.size(); ++p) {
                            if (!acc[p].ok) continue;
                            const auto d = acc[p].depart_node.value(), r = acc[p].arrive_node.value();
                            leave_ok[p][k] = out[d] && back[d];
                            join_ok[p][k] = out[r] && back[r];
                        }
                    }
                    auto seconds = [&](std::int32_t a, std::int32_t b, geo::Distance ms) {
                        if (ms == geo::unreachable) return kNoLegS;
                        return static_cast<std::int32_t>(
                            std::min<std::int64_t>((acc[a].leave_ms + ms + acc[b].join_ms + 999) / 1000, kNoLegS));
                    };
                    // A district's vehicle (one base, index 0) covers a large area with many
                    // places, and a row's search to every one of them covers most of it. There,
                    // each place gets exact times to its opt.district_neighbours nearest places (and a
                    // home to its child's facility); the others are via the base, from the base
                    // row and a backward search to the base: the time of a real drive, never
                    // optimistic. Consecutive stops of a good tour are near each other.
                    std::vector<std::int32_t> must(static_cast<std::size_t>(L), -1);
                    for (std::size_t k = 0; k < group.size(); ++k) {
                        must[home0 + k] = static_cast<std::int32_t>(fac_loc.at(*facility_of[group[k]]));
                    }
                    auto matrix_row = [&](SearchScratch& s, std::size_t row) {
                        const auto a = static_cast<std::int32_t>(row);
                        std::vector<std::int32_t> cols;
                        std::vector<geo::NodeId> targets;
                        for (std::int32_t b = 0; b < L; ++b) {
                            if (b != a && leave_ok[row].intersects(join_ok[static_cast<std::size_t>(b)])) {
                                cols.push_back(b);
                                targets.push_back(acc[b].arrive_node);
                            }
                        }
                        for (std::int32_t b = 0; b < L; ++b) vp.durations.set(a, b, a == b ? 0 : kNoLegS);
                        if (cols.empty()) return;
                        if (!district || a == 0) {
                            const auto to = s.router->one_to_many(acc[a].depart_node, targets, weights);
                            for (std::size_t k = 0; k < cols.size(); ++k) {
                                vp.durations.set(a, cols[k], seconds(a, cols[k], to(static_cast<Eigen::Index>(k))));
                            }
                            return;
                        }
                        std::size_t found = 0;
                        bool must_found = must[row] < 0;
                        s.router->search_targets(acc[a].depart_node, 0, weights, {}, targets, [&](std::size_t k, geo::Distance ms) {
                            vp.durations.set(a, cols[k], seconds(a, cols[k], ms));
                            must_found = must_found || cols[k] == must[row];
                            return ++found >= opt.district_neighbours && must_found;
                        });
                    };
                    std::vector<std::size_t> rows(static_cast<std::size_t>(L));
                    std::iota(rows.begin(), rows.end(), std::size_t{0});
                    rows = geo::in_space_order(std::move(rows), [&](std::size_t row) { return points[row]; });
                    if (own) {
                        for (const auto row : rows) matrix_row(*own, row);
                    } else {
                        for_each_item(rows, "vehicle tours", 0.7, 0.72, matrix_row);
                    }
                    if (district && acc[0].ok) {
                        // Only places that can reach the base are searched for (one cut off by the
                        // water would make the search sweep all the network it can reach).
                        std::vector<geo::NodeId> sources;
                        for (std::int32_t a = 0; a < L; ++a) {
                            const bool reaches_base = acc[a].ok && leave_ok[static_cast<std::size_t>(a)][0];
                            sources.push_back(reaches_base ? acc[a].depart_node : acc[0].arrive_node);
                        }
                        const auto to_base = own->router->many_to_one(sources, acc[0].arrive_node, weights);
                        for (std::int32_t a = 1; a < L; ++a) {
                            if (acc[a].ok && leave_ok[static_cast<std::size_t>(a)][0]) {
                                vp.durations.set(a, 0, seconds(a, 0, to_base(a)));
                            }
                        }
                        for (std::int32_t a = 1; a < L; ++a) {
                            for (std::int32_t b = 1; b < L; ++b) {
                                if (a == b || vp.durations.at(a, b) < kNoLegS) continue;
                                const std::int64_t via = std::int64_t{vp.durations.at(a, 0)} + vp.durations.at(0, b);
                                if (via < kNoLegS) vp.durations.set(a, b, static_cast<std::int32_t>(via));
                            }
                        }
                    }
                } else {
                    for (std::int32_t a = 0; a < L; ++a) {
                        for (std::int32_t b = 0; b < L; ++b) {
                            const double d = geo::haversine_m(points[a], points[b]) * opt.straight_line_circuity;
                            vp.durations.set(a, b, static_cast<std::int32_t>(std::ceil(d / (opt.straight_line_speed_kmh / 3.6))));
                        }
                    }
                }
                vp.costs = vp.durations;
                for (std::size_t k = 0; k < fleet.size(); ++k) {
                    const auto& v = fleet[k];
                    vrp::Vehicle vv;
                    vv.id = v.id;
                    vv.start = vrp::LocationIndex(static_cast<std::int32_t>(k));
                    vv.end = vv.start;
                    vv.capacity = {v.seats, v.wheelchair_slots, v.stretcher_slots};
                    if (v.nurse) vv.skills |= vrp::skill(vrp::Skill::nurse) | vrp::skill(vrp::Skill::certified_carer);
                    if (v.carer) vv.skills |= vrp::skill(vrp::Skill::certified_carer);
                    vv.availability = {v.available_from_s, v.available_until_s < 0 ? horizon_s * 2 : v.available_until_s};
                    vp.vehicles.push_back(vv);
                }
                for (std::size_t k = 0; k < group.size(); ++k) {
                    const auto i = group[k];
                    const auto& w = work[i];
                    const auto& c = *w.child;
                    vrp::Job job;
                    job.id = c.id;
                    job.kind = vrp::JobKind::pickup_delivery;
                    job.pickup.location = vrp::LocationIndex(static_cast<std::int32_t>(home0 + k));
                    job.pickup.window = {w.earliest_departure_s, horizon_s};
                    job.pickup.service = 10 * 60; // loading the child and devices (est., DOMAIN.md section 4)
                    job.delivery.location = vrp::LocationIndex(static_cast<std::int32_t>(fac_loc.at(*facility_of[i])));
                    // A facility that opens after the child's deadline still has a window (the child
                    // will be late, and the plan says so), never one that ends before it starts.
                    const auto opens_s = facilities[*facility_of[i]].opening_delay_s;
                    job.delivery.window = {opens_s, std::max({w.deadline_s, w.earliest_departure_s, opens_s})};
                    job.delivery.service = 5 * 60;
                    job.demand = {1, c.mobility == Mobility::wheelchair ? 1 : 0, c.mobility == Mobility::stretcher ? 1 : 0};
                    if (w.needs.staff == StaffLevel::nurse) job.required |= vrp::skill(vrp::Skill::nurse);
                    if (w.needs.staff == StaffLevel::carer) job.required |= vrp::skill(vrp::Skill::certified_carer);
                    if (w.needs.life_critical && w.needs.endurance_h > 0) {
                        job.max_ride = static_cast<std::int64_t>(w.needs.endurance_h * 3600);
                    }
                    vp.jobs.push_back(job);
                }
                vrp::Options vo;
                vo.seed = m.seed;
                vo.time_limit_s = 0;
                // Iterations, not seconds: the same plan on any machine. Each iteration costs about
                // the number of jobs, so large fleets get fewer (bench/README.md "planner" measures
                // what that costs in served children and ride time).
                vo.iteration_limit = std::clamp<std::int64_t>(kVrpWork / static_cast<std::int64_t>(vp.jobs.size()),
                                                              kVrpMinIterations, kVrpMaxIterations);
                return vrp::solve(vp, vo);
            };
            auto apply_tours = [&](const std::vector<Vehicle>& fleet, const std::vector<std::size_t>& group,
                                   const vrp::Solution& sol) {
                for (const auto& route : sol.routes) {
                    const auto& v = fleet[static_cast<std::size_t>(route.vehicle.value())];
                    VehicleTour tour;
                    tour.vehicle_id = v.id;
                    tour.vehicle_type = std::string(to_string(v.type));
                    tour.stops.push_back({"depot", "", "", v.base, route.departure, route.departure});
                    for (const auto& stop : route.stops) {
                        const auto k = static_cast<std::size_t>(stop.job.value());
                        const auto i = group[k];
                        auto& cp = plan.children[i];
                        if (stop.is_pickup) {
                            tour.stops.push_back({"pickup", cp.child_id, "", children[i].home, stop.arrival, stop.departure});
                            cp.vehicle_id = v.id;
                            cp.planned_departure_s = stop.departure;
                        } else {
                            tour.stops.push_back({"delivery", cp.child_id, cp.facility_id,
                                                  facilities[*facility_of[i]].position, stop.arrival, stop.departure});
                            cp.arrival_s = stop.arrival;
                        }
                    }
                    tour.stops.push_back({"depot", "", "", v.base, route.arrival, route.arrival});
                    plan.tours.push_back(std::move(tour));
                }
                for (const auto& u : sol.unserved) {
                    const auto i = group[static_cast<std::size_t>(u.job.value())];
                    plan.children[i].arrival_s = -1;
                    plan.children[i].reasons.push_back("搬送車両の割り当てができない (vehicle: " +
                                                       std::string(vrp::to_string(u.reason)) + ")");
                }
            };
            if (sc.vehicles.size() + 2 * vehicle_children.size() <= opt.vrp_max_locations) {
                apply_tours(sc.vehicles, vehicle_children, solve_tours(sc.vehicles, vehicle_children, nullptr));
            } else {
                plan.warnings.push_back(
                    "vehicle tours: " + std::to_string(vehicle_children.size()) +
                    " children need a vehicle, more than one schedule can hold (vrp_max_locations " +
                    std::to_string(opt.vrp_max_locations) +
                    "): each vehicle was scheduled with the children nearest its base; between places that are not " +
                    "among each other's " + std::to_string(opt.district_neighbours) +
                    " nearest, tours were timed via the base (real drives, never optimistic, sometimes longer)");
                std::vector<std::vector<std::size_t>> groups(sc.vehicles.size());
                // Too many places for one travel-time matrix (each row is a search over the
                // whole network): each child goes to the nearest vehicle that can carry it
                // (stretcher, wheelchair, nurse), and each vehicle is scheduled with its own
                // children, as municipalities assign vehicles by district.
                for (const auto i : vehicle_children) {
                    const auto& c = *work[i].child;
                    auto can_carry = [&](const Vehicle& v) {
                        if (c.mobility == Mobility::stretcher && v.stretcher_slots == 0) return false;
                        if (c.mobility == Mobility::wheelchair && v.wheelchair_slots == 0) return false;
                        if (work[i].needs.staff == StaffLevel::nurse && !v.nurse) return false;
                        return true;
                    };
                    std::optional<std::size_t> best;
                    double best_m = 0.0;
                    for (int pass = 0; pass < 2 && !best; ++pass) {
                        for (std::size_t k = 0; k < sc.vehicles.size(); ++k) {
                            if (pass == 0 && !can_carry(sc.vehicles[k])) continue;
                            const double d = geo::haversine_m(c.home, sc.vehicles[k].base);
                            if (!best || d < best_m) {
                                best = k;
                                best_m = d;
                            }
                        }
                    }
                    groups[*best].push_back(i);
                }
                // Districts are independent: one per worker, each with its own matrix, then
                // written in vehicle order (the plan does not depend on the thread count).
                std::vector<std::size_t> busy;
                for (std::size_t k = 0; k < sc.vehicles.size(); ++k) {
                    if (!groups[k].empty()) busy.push_back(k);
                }
                // Largest districts first, so that no large one is left to run alone at the end.
                std::stable_sort(busy.begin(), busy.end(),
                                 [&](std::size_t a, std::size_t b) { return groups[a].size() > groups[b].size(); });
                std::vector<vrp::Solution> solutions(sc.vehicles.size());
                for_each_item(busy, "vehicle tours", 0.7, 0.75, [&](SearchScratch& s, std::size_t k) {
                    solutions[k] = solve_tours({sc.vehicles[k]}, groups[k], &s);
                });
                for (const auto k : busy) apply_tours({sc.vehicles[k]}, groups[k], solutions[k]);
            }
        }
    }

    // Routes for each child who travels, at the planned departure.
    std::vector<std::size_t> travellers;
    for (std::size_t i = 0; i < n; ++i) {
        if (facility_of[i] && plan.children[i].arrival_s >= 0) travellers.push_back(i);
    }
    for_each_child(travellers, "routes", 0.75, 0.85, [&](SearchScratch& scratch, std::size_t i) {
        auto& cp = plan.children[i];
        const auto j = *facility_of[i];
        const auto& w = work[i];
        if (!net) {
            PlannedRoute r;
            r.mode = w.mode;
            r.depart_s = cp.planned_departure_s;
            r.geometry = {children[i].home, facilities[j].position};
            r.length_m = geo::haversine_m(children[i].home, facilities[j].position) * opt.straight_line_circuity;
            r.travel_s = w.travel_to(j);
            cp.primary = r;
            return;
        }
        const auto& mode = modes_at(w.mode);
        const auto home = access_for(mode, *net, children[i].home);
        const auto& fa = facility_access.at(w.mode)[j];
        const auto dep_ms = cp.planned_departure_s * 1000 + home.leave_ms;
        auto make = [&](std::span<const geo::Weight> weights) -> std::optional<PlannedRoute> {
            // The nearest-facility potential is a lower bound to this facility too (it is
            // among the potential's roots), and the alternate's dearer weights keep it one.
            const auto route = scratch.router->earliest_arrival(home.depart_node, fa.arrive_node, dep_ms, weights,
                                                                mode.closures.closed_from_ms, potential_in(potential, w.mode));
            if (!route) return std::nullopt;
            PlannedRoute r;
            r.mode = w.mode;
            r.depart_s = cp.planned_departure_s;
            for (const auto e : route->edges) r.edges.push_back(e.value());
            r.geometry = geo::path_geometry(*net, route->edges);
            r.geometry.insert(r.geometry.begin(), children[i].home);
            r.geometry.push_back(facilities[j].position);
            r.length_m = geo::path_length_m(*net, route->edges) + home.distance_m + fa.distance_m;
            std::int64_t t_ms = home.leave_ms + fa.join_ms;
            for (const auto e : route->edges) t_ms += mode.weights_ms[e.value()];
            r.travel_s = (t_ms + 999) / 1000;
            r.uses_hazard_closures = !sc.hazards.empty();
            return r;
        };
        cp.primary = make(mode.weights_ms);
        if (cp.primary && w.transport != TransportKind::vehicle) {
            cp.arrival_s = std::max(cp.planned_departure_s + cp.primary->travel_s, facilities[j].opening_delay_s);
        }
        if (cp.primary && !cp.primary->edges.empty()) {
            // Alternate: the primary's edges (both directions) cost five times as much. The
            // thread's copy of the weights is changed on those edges only and put back after.
            auto& weights = scratch.weights_of(mode.name, mode.weights_ms);
            std::set<std::uint32_t> used(cp.primary->edges.begin(), cp.primary->edges.end());
            for (const auto e : cp.primary->edges) {
                const geo::EdgeId id(e);
                if (auto rev = net->find_edge(net->head(id), net->tail(id))) used.insert(rev->value());
            }
            for (const auto e : used) {
                if (weights[e] != geo::no_edge) weights[e] = static_cast<geo::Weight>(std::min<std::uint64_t>(weights[e] * 5ull, geo::no_edge - 1));
            }
            auto alt = make(weights);
            for (const auto e : used) weights[e] = mode.weights_ms[e];
            if (alt) {
                double shared = 0.0;
                for (const auto e : alt->edges) {
                    if (used.count(e)) shared += net->length_m(geo::EdgeId(e));
                }
                alt->overlap_with_primary = cp.primary->length_m > 0 ? shared / cp.primary->length_m : 1.0;
                // Recompute its real travel time (without the penalty).
                std::int64_t t_ms = home.leave_ms + fa.join_ms;
                for (const auto e : alt->edges) t_ms += mode.weights_ms[e];
                alt->travel_s = (t_ms + 999) / 1000;
                if (alt->overlap_with_primary < 0.7) cp.alternate = std::move(alt);
            }
            if (!cp.alternate) {
                cp.reasons.push_back("はっきり異なる別ルートがない (no clearly different alternate route)");
            }
        }
    });

    // 8. Feasibility.
    report("feasibility", 0.85);
    for (std::size_t i = 0; i < n; ++i) {
        auto& cp = plan.children[i];
        if (cp.facility_id.empty() || cp.arrival_s < 0) {
            cp.status = Feasibility::cannot_serve;
            cp.transport = cp.facility_id.empty() ? TransportKind::none : cp.transport;
            cp.margin_s = 0;
            continue;
        }
        cp.margin_s = cp.deadline_s - cp.arrival_s;
        if (cp.primary) cp.latest_departure_s = cp.deadline_s - cp.primary->travel_s;
        if (cp.margin_s < 0) {
            cp.status = Feasibility::cannot_serve;
            cp.reasons.push_back("期限までに到着できない: " + minutes_text(-cp.margin_s) + "遅れ (arrives after the deadline)");
        } else if (cp.margin_s < plan.at_risk_threshold_s) {
            cp.status = Feasibility::at_risk;
            cp.reasons.push_back("余裕が" + minutes_text(cp.margin_s) + "しかない (margin under the threshold)");
        } else {
            cp.status = Feasibility::on_time;
        }
        if (work[i].hazard_at_home_s >= 0) {
            cp.reasons.push_back("自宅は" + hazard_label(work[i].hazard_at_home_kind) + "の想定区域内: " +
                                 minutes_text(work[i].hazard_at_home_s) + "後までに出発");
        }
    }

    // 9. Facility needs.
    report("shelter needs", 0.9);
    std::vector<std::vector<std::size_t>> at(f_count);
    for (std::size_t i = 0; i < n; ++i) {
        if (facility_of[i]) at[*facility_of[i]].push_back(i);
    }
    for (std::size_t j = 0; j < f_count; ++j) {
        if (at[j].empty()) continue;
        const auto& f = facilities[j];
        FacilityPlan fp;
        fp.facility_id = f.id;
        fp.name = f.name;
        for (std::size_t k = 0; k < kFacilityKindCount; ++k) {
            if (f.is(static_cast<FacilityKind>(k))) {
                fp.kind += (fp.kind.empty() ? "" : "+") + std::string(to_string(static_cast<FacilityKind>(k)));
            }
        }
        fp.municipality_code = f.municipality_code;
        fp.location = f.position;
        fp.capacity = f.capacity_persons.value_or(-1);
        fp.assigned = static_cast<std::int64_t>(at[j].size());
        fp.generator_kw = f.generator_kw;
        fp.fuel_l = f.generator_fuel_h * f.generator_kw * kFuelLitresPerKwh;
        std::map<std::string, double> consumables;
        std::int64_t nurse_children = 0, carer_children = 0;
        for (const auto i : at[j]) {
            const auto& needs = work[i].needs;
            fp.peak_kw += needs.load_peak_w / 1000.0;
            fp.energy_kwh += needs.energy_horizon_wh / 1000.0;
            fp.outlets_needed += needs.outlets;
            for (const auto& d : children[i].devices) {
                const auto* spec = sc.catalogue.find(d.type);
                if (d.external_battery_h.value_or(0) > 0 || (spec && spec->external_battery_h > 0)) {
                    fp.batteries_to_precharge += d.count;
                }
            }
            if (needs.staff == StaffLevel::nurse) ++nurse_children;
            if (needs.staff == StaffLevel::carer) ++carer_children;
            for (const auto& c : needs.consumables) consumables[c.name + " (" + c.unit + ")"] += c.day3;
        }
        fp.fuel_needed_l = fp.energy_kwh * kFuelLitresPerKwh;
        fp.nurses_needed = (nurse_children + kChildrenPerStaff - 1) / kChildrenPerStaff;
        fp.carers_needed = (carer_children + kChildrenPerStaff - 1) / kChildrenPerStaff;
        for (const auto& [k, v] : consumables) fp.consumables_72h.emplace_back(k, v);
        if (fp.capacity >= 0 && fp.assigned > fp.capacity) fp.shortages.push_back({"places", double(fp.assigned), double(fp.capacity)});
        if (fp.peak_kw > f.generator_kw) fp.shortages.push_back({"power_kw", fp.peak_kw, f.generator_kw});
        if (fp.fuel_needed_l > fp.fuel_l + 1e-9 && fp.energy_kwh > 0) fp.shortages.push_back({"fuel_l", fp.fuel_needed_l, fp.fuel_l});
        if (fp.outlets_needed > f.outlets) fp.shortages.push_back({"outlets", double(fp.outlets_needed), double(f.outlets)});
        if (fp.nurses_needed > f.nurses) fp.shortages.push_back({"nurses", double(fp.nurses_needed), double(f.nurses)});
        if (fp.nurses_needed + fp.carers_needed > f.nurses + f.carers)
            fp.shortages.push_back({"nurses_and_carers", double(fp.nurses_needed + fp.carers_needed), double(f.nurses + f.carers)});
        plan.facilities.push_back(std::move(fp));
    }

    // Summary.
    std::vector<double> margins;
    for (const auto& cp : plan.children) {
        plan.summary.children++;
        if (cp.status == Feasibility::on_time) plan.summary.on_time++;
        if (cp.status == Feasibility::at_risk) plan.summary.at_risk++;
        if (cp.status == Feasibility::cannot_serve) plan.summary.cannot_serve++;
        if (cp.arrival_s >= 0 && !cp.facility_id.empty()) margins.push_back(static_cast<double>(cp.margin_s) / 60.0);
        if (cp.reasons.empty() && cp.status != Feasibility::on_time) {
            throw InternalError("child " + cp.child_id + " is not on time but has no reason");
        }
    }
    plan.summary.margin_min_p5 = quantile(margins, 0.05);
    plan.summary.margin_min_p50 = quantile(margins, 0.5);
    plan.summary.margin_min_p95 = quantile(margins, 0.95);
    plan.summary.facilities_used = static_cast<std::int64_t>(plan.facilities.size());
    for (const auto& f : plan.facilities) plan.summary.facilities_short += f.shortages.empty() ? 0 : 1;
    for (const auto& d : sc.diagnostics) {
        if (d.severity == Diagnostic::Severity::warning) plan.warnings.push_back(d.str());
    }
    std::sort(plan.warnings.begin(), plan.warnings.end());
    std::sort(plan.tours.begin(), plan.tours.end(), [](const auto& a, const auto& b) { return a.vehicle_id < b.vehicle_id; });
    report("done", 1.0);
    return plan;
}

} // namespace sonae::planner
