#!/usr/bin/env bash
# Viewer benchmark: frame time with 10,000 moving entities and seek time, rendered off-screen
# by Mesa llvmpipe (software OpenGL) under a virtual X server. Usage:
#   bench/viewer/run.sh [BUILD_DIR]   (default build-bench, RelWithDebInfo, viewer on)
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${1:-build-bench}"
cmake -S . -B "$build" -G Ninja -DSONAE_BUILD_VIEWER=ON -DSONAE_BUILD_BENCH=ON >/dev/null
ninja -C "$build" sonae_viewer_bench
bench="$build/bench/sonae_viewer_bench"
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load: $(cut -d' ' -f1-3 /proc/loadavg)"
for size in 1280x720 1600x900; do
  xvfb-run -a -s "-screen 0 1920x1080x24" "$bench" 10000 7200 30 "$size"
done
