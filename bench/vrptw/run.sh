#!/usr/bin/env bash
# Solomon VRPTW benchmark for `sonae bench-vrptw`: all 28 instances of
# ../shared/data/solomon-vrptw at two time limits, CSV per limit plus the solution files.
# Usage: bench/vrptw/run.sh [SONAE_BINARY] [OUT_DIR]
# The time limit counts the solver thread's CPU time (one core), so the figures hold on a
# busy shared machine; pass --wall-clock to sonae to count wall-clock time instead.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
sonae="${1:-$repo/build/app/sonae}"
out="${2:-$here/results}"
data="${SONAE_SHARED_DATA:-$repo/../shared/data}/solomon-vrptw"
seed="${SEED:-1}"
mkdir -p "$out"
for limit in 1 5; do
    "$sonae" bench-vrptw "$data"/*.txt --time-limit-s "$limit" --seed "$seed" \
        --solutions "$out/solutions_${limit}s" --overwrite > "$out/vrptw_${limit}s.csv"
    echo "time limit ${limit}s: $(tail -1 "$out/vrptw_${limit}s.csv")"
done
# Per-class means (C1, C2, R1, R2, RC1, RC2) of the gap column.
for limit in 1 5; do
    awk -F, -v limit="$limit" 'NR > 1 && $1 ~ /^[A-Z]/ && $5 != "" {
            cls = $1; sub(/[0-9][0-9]$/, "", cls); sum[cls] += $5; n[cls]++ }
        END { for (c in sum) printf "%ss %s mean_gap_pct=%.2f (%d instances)\n", limit, c, sum[c] / n[c], n[c] }' \
        "$out/vrptw_${limit}s.csv" | sort
done
