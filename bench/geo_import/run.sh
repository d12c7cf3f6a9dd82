#!/usr/bin/env bash
# Import benchmark: sonae's importers vs osmium-tool and osm2pgrouting on the same files.
#
#   bench/geo_import/run.sh [BUILD_DIR] [RUNS]   (default <repo>/build-bench, 11 runs)
#
# sonae: bench_geo_import (median of RUNS imports after a warm-up; "import" = read + build the
# CSR network, "load" = the same plus projection). Peers, each timed RUNS times with the
# median taken the same way:
#   - osmium-tool `osmium fileinfo -e FILE`: reads and decodes every object (a lower bound
#     for any reader built on libosmium, as sonae's is).
#   - osmium-tool `osmium tags-filter FILE w/highway`: reads the same file and keeps the road
#     ways and their nodes (the first step of any OSM router; builds no graph), written to
#     /dev/null-like temp output in PBF.
#   - osm2pgrouting (car mapconfig) into a throw-away PostgreSQL/PostGIS on 127.0.0.1:55433:
#     the usual way to get OSM roads into pgRouting. Reads XML only; timed on the Kochi .osm.
# Installs osmium-tool, osm2pgrouting and postgresql-15-pgrouting if missing.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$REPO/build-bench}
RUNS=${2:-11}
DATA=${SONAE_SHARED_DATA:-$REPO/../shared/data}
PORT=55433
WORK=$(mktemp -d /tmp/sonae-bench-import.XXXXXX)
chmod 755 "$WORK"

need=()
dpkg -s osmium-tool >/dev/null 2>&1 || need+=(osmium-tool)
dpkg -s osm2pgrouting >/dev/null 2>&1 || need+=(osm2pgrouting)
dpkg -s postgresql-15-pgrouting >/dev/null 2>&1 || need+=(postgresql-15-pgrouting)
if ((${#need[@]})); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -o DPkg::Lock::Timeout=600
  apt-get install -y -o DPkg::Lock::Timeout=600 "${need[@]}"
fi

if [[ ! -f "$BUILD/CMakeCache.txt" ]]; then
  cmake -S "$REPO" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DSONAE_BUILD_VIEWER=OFF \
    -DSONAE_BUILD_TESTS=OFF
fi
ninja -C "$BUILD" -j2 bench_geo_import
BENCH="$BUILD/bench/bench_geo_import"

KOCHI_PBF="$DATA/kochi-osm-drive-network/kochi_roads_20210802.osm.pbf"
KOCHI_XML="$DATA/kochi-osm-drive-network/kochi_roads_20210802.osm"
MONACO_PBF="$DATA/osm-graphhopper-monaco/monaco.osm.pbf"
UBE_GPKG="$DATA/yamaguchi-ube-osm-walk-network/ube_roads_edges.gpkg"

# median_ms RUNS command...: runs the command RUNS times (after one warm-up), prints the median
median_ms() {
  local runs=$1; shift
  "$@" >/dev/null 2>&1
  local times=()
  for ((i = 0; i < runs; i++)); do
    local t0 t1
    t0=$(date +%s%N); "$@" >/dev/null 2>&1; t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.1f\n", m / 1000}'
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "osmium-tool: $(osmium --version | head -1); osm2pgrouting: $(osm2pgrouting --version 2>&1 | grep -m1 -i version || true)"
echo
echo "== sonae =="
"$BENCH" --runs "$RUNS" "$KOCHI_PBF" "$KOCHI_XML" "$MONACO_PBF" "$UBE_GPKG"

echo
echo "== osmium fileinfo -e (read and decode every object, no output) =="
for f in "$KOCHI_PBF" "$KOCHI_XML" "$MONACO_PBF"; do
  ms=$(median_ms "$RUNS" osmium fileinfo -e "$f")
  echo "osmium  $f  median $ms ms"
done

echo
echo "== osmium tags-filter w/highway (read + filter + write PBF) =="
for f in "$KOCHI_PBF" "$KOCHI_XML" "$MONACO_PBF"; do
  ms=$(median_ms "$RUNS" osmium tags-filter "$f" w/highway -o "$WORK/roads.osm.pbf" --overwrite)
  echo "osmium  $f  median $ms ms"
done

echo
echo "== osm2pgrouting (Kochi XML, car mapconfig) =="
PGBIN=/usr/lib/postgresql/15/bin
PGDIR="$WORK/pg"
mkdir -p "$PGDIR" && chown postgres "$PGDIR" "$WORK"
su postgres -c "$PGBIN/initdb -D $PGDIR/data -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null
su postgres -c "$PGBIN/pg_ctl -D $PGDIR/data -l $PGDIR/log -w start \
  -o '-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$PGDIR'" >/dev/null
stop_pg() { su postgres -c "$PGBIN/pg_ctl -D $PGDIR/data -w stop -m fast" >/dev/null || true; rm -rf "$WORK"; }
trap stop_pg EXIT
psql -h 127.0.0.1 -p $PORT -U postgres -X -q -c "CREATE DATABASE bench"
psql -h 127.0.0.1 -p $PORT -U postgres -d bench -X -q -c "CREATE EXTENSION pgrouting CASCADE; CREATE EXTENSION hstore;"
O2P_RUNS=$(( RUNS < 5 ? RUNS : 5 ))
ms=$(median_ms "$O2P_RUNS" osm2pgrouting -f "$KOCHI_XML" -c /usr/share/osm2pgrouting/mapconfig_for_cars.xml \
  -d bench -U postgres -h 127.0.0.1 -p $PORT --clean)
echo "osm2pgrouting  $KOCHI_XML  median $ms ms ($O2P_RUNS runs)"
psql -h 127.0.0.1 -p $PORT -U postgres -d bench -X -q -t -c "SELECT 'ways', count(*) FROM ways UNION ALL SELECT 'vertices', count(*) FROM ways_vertices_pgr"
