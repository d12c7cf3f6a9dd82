#!/usr/bin/env bash
# Planner benchmarks (issue 4) and the load test (issue 10 item 5).
# Usage: bench/planner/run.sh [BUILD_DIR] [kochi|grid|load|scale|all]   (default: build, kochi)
#   kochi  1,000 synthetic children, 300 facilities, real Kochi drive network + tsunami zones
#   grid   10,000 synthetic children, 1,000 facilities, synthetic 1,000,000-node grid city
#   load   15,000 children (about 100x Yamaguchi's registry) on the same 1,000,000-node grid,
#          then a 20-run simulation of that plan
#   scale  straight-line mode (no road network) on Ube's area (scenarios/ube-flood without its
#          [network]): 2,000, 20,000 and 100,000 children from sonae synth (issue 24 item 6)
# Scenarios come from bench/planner/make_scenarios.py (synthetic people only). Each run is
# timed whole (`/usr/bin/time -v`: wall, CPU, peak memory) and `sonae plan` is run twice to
# show that the outputs are byte-identical.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
which=${2:-kochi}
sonae="$PWD/$build/app/sonae"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

timed() { # label, command...
    local label=$1; shift
    /usr/bin/time -v "$@" > "$work/out.txt" 2> "$work/time.txt" || { cat "$work/out.txt" "$work/time.txt"; exit 1; }
    grep -E "児童|施設" "$work/out.txt" || true
    awk -v l="$label" -F': ' '/Elapsed \(wall/ {w=$2} /User time/ {u=$2} /System time/ {s=$2}
        /Maximum resident/ {m=$2} END {printf "%s: wall %s, user %s s, sys %s s, peak RSS %.0f MB\n", l, w, u, s, m/1024}' \
        "$work/time.txt"
}

plan_twice() { # scenario dir
    timed "plan" "$sonae" plan "$1" -o "$work/plan-a"
    timed "plan, second run" "$sonae" plan "$1" -o "$work/plan-b"
    for f in plan.json plan.csv facilities.csv; do
        cmp -s "$work/plan-a/$f" "$work/plan-b/$f" || { echo "NOT deterministic: $f differs"; exit 1; }
    done
    echo "second run: plan.json, plan.csv, facilities.csv byte-identical"
}

if [[ $which == kochi || $which == all ]]; then
    echo "== kochi: 1,000 children, 300 facilities, Kochi OSM (uptime: $(uptime | sed 's/.*load/load/'))"
    python3 bench/planner/make_scenarios.py kochi "$sonae" "$work/kochi" > /dev/null
    plan_twice "$work/kochi"
fi
if [[ $which == grid || $which == all ]]; then
    echo "== grid: 10,000 children, 1,000 facilities, 1,000,000-node grid (uptime: $(uptime | sed 's/.*load/load/'))"
    python3 bench/planner/make_scenarios.py grid "$sonae" "$work/grid" > /dev/null
    timed "network info" "$sonae" network info "$work/grid/data/grid.osm.pbf"
    plan_twice "$work/grid"
fi
if [[ $which == load || $which == all ]]; then
    echo "== load: 15,000 children, 1,000 facilities, 1,000,000-node grid (uptime: $(uptime | sed 's/.*load/load/'))"
    python3 bench/planner/make_scenarios.py grid "$sonae" "$work/load" --children 15000 > /dev/null
    timed "plan" "$sonae" plan "$work/load" -o "$work/load-plan"
    timed "simulate 20 runs" "$sonae" simulate "$work/load" --plan "$work/load-plan/plan.json" --runs 20 \
        -o "$work/load-sim"
fi
if [[ $which == scale || $which == all ]]; then
    for n in 2000 20000 100000; do
        echo "== scale: $n children, straight-line mode, Ube (uptime: $(uptime | sed 's/.*load/load/'))"
        mkdir -p "$work/scale-$n"
        cp -r scenarios/ube-flood/data "$work/scale-$n/"
        python3 - "$work/scale-$n" scenarios/ube-flood/scenario.toml <<'PY'
import re, sys
text = open(sys.argv[2], encoding="utf-8").read()
text = re.sub(r"\[network\][^\[]*", "", text, count=1)  # no road network: straight-line mode
text = text.replace('path = "data/registry.csv"', 'path = "registry.csv"')
open(sys.argv[1] + "/scenario.toml", "w", encoding="utf-8").write(text)
PY
        "$sonae" synth --municipality 352021 --network scenarios/ube-flood/data/ube_roads.gpkg \
            --children "$n" -o "$work/scale-$n/registry.csv" > /dev/null
        timed "plan $n" "$sonae" plan "$work/scale-$n" -o "$work/scale-$n/plan"
        rm -rf "$work/scale-$n"
    done
fi
