#!/bin/bash
# Simulator benchmark (issue 6): 1,000 replications of scenarios/ube-flood on two threads with
# `sonae simulate`, side by side with SUMO 1.15 mesoscopic on the same routes and trips.
# Reports vehicle-seconds simulated per wall second for both and the ratio. Not run by CI.
# Usage: bench/sim/run_bench.sh [BUILD_DIR]   (default build-simbench)
# Installs SUMO itself if missing (apt, Debian 12; about 300 MB). Needs root for that.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$ROOT/build-simbench}
SONAE=$BUILD/app/sonae
WORK=$(mktemp -d /tmp/sonae-simbench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
RUNS=${RUNS:-1000}
SUMO_REPS=${SUMO_REPS:-20}

if ! command -v sumo >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y -o DPkg::Lock::Timeout=600 sumo sumo-tools
fi
export SUMO_HOME=/usr/share/sumo

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "== sumo: $(sumo --version | head -1)"
echo "== sonae: $(git -C "$ROOT" rev-parse --short HEAD)"

# The plan both simulators replay.
"$SONAE" plan "$ROOT/scenarios/ube-flood" -o "$WORK/plan" >/dev/null

# sonae: RUNS replications on two threads (one warm-up run of 10 first).
"$SONAE" simulate "$ROOT/scenarios/ube-flood" --plan "$WORK/plan/plan.json" --runs 10 --threads 2 -o "$WORK/warm" >/dev/null
start=$(date +%s.%N)
"$SONAE" simulate "$ROOT/scenarios/ube-flood" --plan "$WORK/plan/plan.json" --runs "$RUNS" --threads 2 -o "$WORK/sim" >"$WORK/sim.log"
end=$(date +%s.%N)
SONAE_VS=$(/usr/bin/python3 -c "
import json; print(json.load(open('$WORK/sim/simulation.json'))['vehicle_seconds'])")
# The Monte Carlo seconds are in the summary line of the log ("シミュレーション ...: N 回, seed S, X 秒"),
# not in simulation.json (which stays byte-identical between runs).
SONAE_MC_WALL=$(sed -n 's/^シミュレーション.*, \([0-9.]*\) 秒$/\1/p' "$WORK/sim.log")
SONAE_WALL=$(echo "$end - $start" | bc -l)

# SUMO mesoscopic on the same routes and trips.
/usr/bin/python3 "$ROOT/bench/sim/plan_to_sumo.py" "$WORK/plan/plan.json" "$WORK/sumo"
cd "$WORK/sumo"
netconvert --node-files net.nod.xml --edge-files net.edg.xml -o net.net.xml --no-warnings >/dev/null
sumo -n net.net.xml -r routes.rou.xml --mesosim --no-step-log --no-warnings >/dev/null   # warm-up
start=$(date +%s.%N)
for k in $(seq 1 "$SUMO_REPS"); do
  sumo -n net.net.xml -r routes.rou.xml --mesosim --no-step-log --no-warnings --seed "$k" \
    --tripinfo-output "trips$k.xml" >/dev/null
done
end=$(date +%s.%N)
SUMO_WALL=$(echo "$end - $start" | bc -l)
SUMO_VS=$(/usr/bin/python3 -c "
import xml.etree.ElementTree as E
print(sum(float(t.get('duration')) for k in range(1, $SUMO_REPS + 1) for t in E.parse('trips%d.xml' % k).getroot()))")

/usr/bin/python3 - <<PY
sv, sw, smc = float("$SONAE_VS"), float("$SONAE_WALL"), float("$SONAE_MC_WALL")
uv, uw = float("$SUMO_VS"), float("$SUMO_WALL")
print(f"sonae simulate: $RUNS runs, 2 threads: {sw:.2f} s wall (process), {smc:.2f} s in Monte Carlo; "
      f"{sv:.0f} vehicle-s; {sv / sw:.3g} vehicle-s per wall s (target: under 30 s: {'met' if sw < 30 else 'NOT met'})")
print(f"sumo --mesosim: $SUMO_REPS runs: {uw:.2f} s wall; {uv:.0f} vehicle-s; {uv / uw:.3g} vehicle-s per wall s")
r = (sv / sw) / (uv / uw)
print(f"ratio sonae/sumo: {r:.1f}x (target 10x: {'met' if r >= 10 else 'NOT met'})")
PY
