#!/usr/bin/env bash
# The main job on the bundled default scenario: installs what is missing, builds, and runs
# `sonae run` (plan, simulate, guidebooks, council report, replay pictures) into out/<scenario>/,
# replacing the outputs of an earlier run there (--overwrite).
# Usage: bash scripts/main.sh [SCENARIO_DIR] [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
scenario="${1:-scenarios/ube-flood}"
out="${2:-out/$(basename "$scenario")}"
bash scripts/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
cmake --build build -j "$(nproc)" --target sonae $(grep -q sonae-view build/build.ninja 2>/dev/null && echo sonae-view)
export PATH="$PWD/build/app:$PWD/build/viewer:$PATH"
# The viewer's picture export needs a display; use a virtual one when there is none.
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run > /dev/null; then
  exec xvfb-run -a build/app/sonae run "$scenario" -o "$out" --overwrite
fi
exec build/app/sonae run "$scenario" -o "$out" --overwrite
