// Import-time benchmark: sonae's OSM / GIS importers on real files, median of several runs.
//
//   bench_geo_import [--runs N] FILE...
//
// For each file: one warm-up import, then N timed runs of (a) import_road_network without
// projection (read + build the CSR network) and (b) with projection (the full
// load_road_network). Prints one line per file and phase: median, min and max in ms, plus
// nodes and edges, so the script can put them beside the peers' times.
#include "geo/load_network.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <vector>

namespace {

struct Stats {
    double median_ms;
    double min_ms;
    double max_ms;
};

Stats stats(std::vector<double> ms) {
    std::sort(ms.begin(), ms.end());
    const auto n = ms.size();
    const double median = n % 2 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2.0;
    return {median, ms.front(), ms.back()};
}

} // namespace

int main(int argc, char** argv) {
    int runs = 11;
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--runs" && i + 1 < argc) {
            runs = std::max(1, std::atoi(argv[++i]));
        } else {
            files.push_back(arg);
        }
    }
    if (files.empty()) {
        std::fprintf(stderr, "usage: bench_geo_import [--runs N] FILE...\n");
        return 1;
    }
    try {
        for (const auto& file : files) {
            for (const bool project : {false, true}) {
                sonae::geo::LoadOptions options;
                options.project = project;
                auto warm = sonae::geo::import_road_network(file, options);
                std::vector<double> ms;
                for (int r = 0; r < runs; ++r) {
                    const auto start = std::chrono::steady_clock::now();
                    const auto result = sonae::geo::import_road_network(file, options);
                    ms.push_back(std::chrono::duration<double, std::milli>(
                                     std::chrono::steady_clock::now() - start)
                                     .count());
                    if (result.network.edge_count() != warm.network.edge_count()) return 3;
                }
                const auto s = stats(ms);
                std::printf("sonae %-8s %-60s median %8.1f ms  min %8.1f  max %8.1f  (%d runs)  "
                            "nodes %u edges %u\n",
                            project ? "load" : "import", file.c_str(), s.median_ms, s.min_ms,
                            s.max_ms, runs, warm.network.node_count(), warm.network.edge_count());
            }
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_geo_import: %s\n", e.what());
        return 2;
    }
    return 0;
}
