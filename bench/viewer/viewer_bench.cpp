// Viewer benchmark: frame time with many moving entities, and seek time, on a synthetic trace.
// Usage: sonae_viewer_bench [ENTITIES=10000] [DURATION_S=7200] [SAMPLE_EVERY_S=30] [WxH=1600x900]
// Run under a real or virtual X display (bench/viewer/run.sh uses xvfb-run -a, i.e. Mesa
// llvmpipe software rendering).
#include "sim/trace.hpp"
#include "viewer/font.hpp"
#include "viewer/scene.hpp"

#include <SFML/Graphics/RenderTexture.hpp>
#include <SFML/OpenGL.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <random>
#include <vector>

using namespace sonae;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// CPU time of the whole process (all threads, llvmpipe's rasterizer threads included), to
// separate the work from waiting when the machine is shared.
double process_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(std::min<double>(v.size() - 1, std::floor(p * v.size())))];
}

} // namespace

int main(int argc, char** argv) {
    const int entities = argc > 1 ? std::atoi(argv[1]) : 10000;
    const int duration_s = argc > 2 ? std::atoi(argv[2]) : 7200;
    const int every_s = argc > 3 ? std::atoi(argv[3]) : 30;
    unsigned width = 1600, height = 900;
    if (argc > 4 && std::sscanf(argv[4], "%ux%u", &width, &height) != 2) return 2;

    // A 15 km x 15 km grid town near Ube: 61 x 61 streets, every 5th a primary road.
    const double lon0 = 131.20, lat0 = 33.90, step = 0.0025;
    sim::TraceMetadata meta;
    meta.title = "ベンチマーク";
    sim::TraceWriter writer(meta);
    for (int i = 0; i <= 60; ++i) {
        const auto cls = i % 5 == 0 ? geo::RoadClass::primary : geo::RoadClass::residential;
        writer.add_road(cls, {{lon0, lat0 + i * step}, {lon0 + 60 * step, lat0 + i * step}});
        writer.add_road(cls, {{lon0 + i * step, lat0}, {lon0 + i * step, lat0 + 60 * step}});
    }
    sim::HazardArea flood;
    flood.label = "浸水";
    for (int s = 0; s < 4; ++s) {
        const double r = 0.02 + 0.01 * s;
        std::vector<geo::LonLat> ring;
        for (int k = 0; k < 64; ++k)
            ring.push_back({lon0 + 0.05 + r * std::cos(k * 0.0982),
                            lat0 + 0.05 + r * 0.8 * std::sin(k * 0.0982)});
        flood.stages.push_back({s * 1800, {ring}});
    }
    writer.add_hazard(flood);
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    std::vector<sim::EntityId> ids;
    for (int i = 0; i < entities; ++i) {
        const geo::LonLat start{lon0 + u(rng) * 60 * step, lat0 + u(rng) * 60 * step};
        ids.push_back(writer.add_vehicle(
            "V" + std::to_string(i),
            i % 3 == 0 ? sim::EntityKind::vehicle : sim::EntityKind::family_car, start, 2));
    }
    // Each entity drives a random walk at 20-50 km/h, sampled every `every_s` seconds.
    for (int i = 0; i < entities; ++i) {
        geo::LonLat p{lon0 + u(rng) * 60 * step, lat0 + u(rng) * 60 * step};
        double heading = u(rng) * 6.283;
        const double speed_deg_s = (20.0 + 30.0 * u(rng)) / 3.6 / 111000.0;
        for (int t = 0; t <= duration_s; t += every_s) {
            sim::EntitySample s;
            s.position = p;
            s.state = sim::StateCode::travelling;
            s.occupancy = 1;
            writer.sample(t, ids[static_cast<std::size_t>(i)], s);
            heading += (u(rng) - 0.5) * 0.6;
            p.lon = std::clamp(p.lon + std::cos(heading) * speed_deg_s * every_s, lon0,
                               lon0 + 60 * step);
            p.lat = std::clamp(p.lat + std::sin(heading) * speed_deg_s * every_s, lat0,
                               lat0 + 60 * step);
        }
    }
    const auto path = std::filesystem::temp_directory_path() / "sonae_viewer_bench.sonaetrace";
    auto t0 = Clock::now();
    writer.write(path);
    const double write_ms = ms_since(t0);
    const auto file_bytes = std::filesystem::file_size(path);

    t0 = Clock::now();
    const sim::TraceReader trace(path);
    const double open_ms = ms_since(t0);
    const sf::Font font = viewer::load_japanese_font(std::nullopt);
    viewer::SceneRenderer renderer(trace, font);

    sf::RenderTexture target;
    if (!target.create(width, height)) {
        std::fprintf(stderr, "cannot create a render texture (no display?)\n");
        return 2;
    }
    const auto layout = viewer::Layout::for_size(width, height);
    const auto viewport = renderer.initial_viewport(layout);
    viewer::FrameState frame;
    frame.playing = true;
    // Warm-up: builds the cached road and hazard geometry.
    renderer.draw(target, layout, viewport, frame);
    target.display();
    glFinish();

    // Playback at 60x and 60 fps: one simulated second per frame.
    std::vector<double> frame_ms;
    const double cpu0 = process_cpu_ms();
    for (int k = 0; k < 300; ++k) {
        frame.t_s = 1000 + k;
        t0 = Clock::now();
        renderer.draw(target, layout, viewport, frame);
        target.display();
        glFinish();
        frame_ms.push_back(ms_since(t0));
    }
    const double frame_cpu_ms = (process_cpu_ms() - cpu0) / 300.0;
    // Seeks to random times: state reconstruction alone, and seek plus the first frame.
    std::vector<double> seek_ms, seek_frame_ms;
    std::uniform_int_distribution<int> any_time(0, duration_s);
    for (int k = 0; k < 100; ++k) {
        const int t = any_time(rng);
        t0 = Clock::now();
        const auto& states = renderer.states_at(t);
        seek_ms.push_back(ms_since(t0));
        if (states.size() != static_cast<std::size_t>(entities)) return 3;
        frame.t_s = any_time(rng);
        t0 = Clock::now();
        renderer.draw(target, layout, viewport, frame);
        target.display();
        glFinish();
        seek_frame_ms.push_back(ms_since(t0));
    }
    const char* gl_renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
    std::printf("renderer: %s\n", gl_renderer ? gl_renderer : "?");
    std::printf("entities %d, duration %d s, sample every %d s: %llu samples, %zu blocks\n",
                entities, duration_s, every_s,
                static_cast<unsigned long long>(trace.sample_count()), trace.blocks().size());
    std::printf("trace write %.0f ms, file %.1f MB (%.1f bytes/sample), open+verify %.0f ms\n",
                write_ms, file_bytes / 1e6,
                static_cast<double>(file_bytes) / static_cast<double>(trace.sample_count()),
                open_ms);
    std::printf(
        "frame %ux%u (%d moving entities): mean %.1f ms, p50 %.1f, p95 %.1f, max %.1f (target <= "
        "16 ms)\n",
        width, height, entities,
        [&] {
            double s = 0;
            for (double v : frame_ms) s += v;
            return s / frame_ms.size();
        }(),
        percentile(frame_ms, 0.5), percentile(frame_ms, 0.95), percentile(frame_ms, 1.0));
    std::printf("frame CPU time (all threads): %.1f ms per frame\n", frame_cpu_ms);
    std::printf("seek (states of all entities at a random time): p50 %.1f ms, max %.1f ms\n",
                percentile(seek_ms, 0.5), percentile(seek_ms, 1.0));
    std::printf("seek + first frame: p50 %.1f ms, max %.1f ms (target <= 200 ms)\n",
                percentile(seek_frame_ms, 0.5), percentile(seek_frame_ms, 1.0));
    std::filesystem::remove(path);
    return 0;
}
