#!/bin/sh
# Rebuilds registry.csv: 16 synthetic children (never real people) on the real Kochi drive
# network, from the scenario folder: sh data/make_registry.sh [path/to/sonae]
#
# `sonae synth` places homes 8-30 m off residential roads of the network with plausible care
# mixes (planner/synth.hpp). Its command line only accepts the 19 Yamaguchi codes, so it is run
# with 352012 and the id prefix KOC, and the municipality column is then rewritten to 392014
# (高知市). The library's synthesize_registry() takes any valid JIS code and gives the same
# rows with 392014 (the code only fills that column), so nothing else changes.
set -eu
SONAE=${1:-sonae}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
"$SONAE" synth --municipality 352012 --network data/kochi_roads_20210802.osm.pbf \
    --children 16 --seed 20261121 --id-prefix KOC -o "$tmp"
python3 - "$tmp" data/registry.csv <<'PY'
import csv, sys
src, dst = sys.argv[1], sys.argv[2]
with open(src, encoding="utf-8-sig", newline="") as f:
    rows = list(csv.reader(f))
col = rows[0].index("municipality_code")
for r in rows[1:]:
    r[col] = "392014"
with open(dst, "w", encoding="utf-8-sig", newline="") as f:
    csv.writer(f, lineterminator="\r\n").writerows(rows)
PY
echo "wrote data/registry.csv"
