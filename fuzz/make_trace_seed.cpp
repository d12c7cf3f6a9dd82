// Writes the seed trace for fuzz_trace (a tiny real-shaped run: two roads, a flood with two
// stages, a home, a shelter, a van, samples and events). Usage: make_trace_seed OUT
#include "sim/trace.hpp"

#include <cmath>
#include <fstream>

using namespace sonae::sim;

static EntitySample at(sonae::geo::LonLat p, StateCode state, double margin = std::nan(""),
                       std::uint32_t occupancy = 0, double load_w = 0.0) {
    EntitySample s;
    s.position = p;
    s.state = state;
    s.battery_margin_min = margin;
    s.occupancy = occupancy;
    s.load_w = load_w;
    return s;
}

int main(int argc, char** argv) {
    if (argc != 2) return 2;
    TraceMetadata meta;
    meta.title = "fuzz seed";
    meta.epoch_unix_s = 1751241600;
    TraceWriter w(meta);
    w.add_road(sonae::geo::RoadClass::primary, {{131.20, 33.95}, {131.22, 33.95}});
    w.add_road(sonae::geo::RoadClass::residential, {{131.22, 33.95}, {131.22, 33.96}});
    HazardArea flood;
    flood.label = "浸水想定区域";
    flood.kind = HazardKind::flood;
    flood.stages.push_back(
        {600, {{{131.205, 33.945}, {131.215, 33.945}, {131.215, 33.955}, {131.205, 33.955}}}});
    w.add_hazard(flood);
    const auto home = w.add_home("A-01", {131.20, 33.95});
    const auto shelter = w.add_facility("S-01", {131.23, 33.96}, 20, 3000.0);
    const auto van = w.add_vehicle("V-01", EntityKind::vehicle, {131.20, 33.95}, 2);
    w.sample(0, van, at({131.20, 33.95}, StateCode::idle));
    w.sample(600, van, at({131.21, 33.95}, StateCode::travelling, std::nan(""), 1));
    w.sample(0, home, at({131.20, 33.95}, StateCode::waiting, 240.0));
    w.sample(600, home, at({131.20, 33.95}, StateCode::loading, 200.0));
    w.sample(0, shelter, at({131.23, 33.96}, StateCode::powered, std::nan(""), 0, 500.0));
    w.event(0, EntityId::invalid(), EventKind::alert, "レベル3");
    w.event(600, van, EventKind::departed, "出発");
    std::ofstream(argv[1], std::ios::binary) << w.encode();
    return 0;
}
