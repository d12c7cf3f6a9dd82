#!/usr/bin/env bash
# Routing benchmark: sonae (Dijkstra Router and contraction hierarchy) vs networkx and
# pgRouting on rome99 (DIMACS) and Kochi (OSM, car), plus the synthetic 1,000,000-node grid
# (build time, bytes per edge). The CH's preprocessing is timed and reported on its own; the
# benchmark stops if the CH's answers differ from the Router's, and compare.py stops if a peer's
# differ from them.
#
#   bench/geo_routing/run.sh [BUILD_DIR]      (default BUILD_DIR: <repo>/build-bench, Release)
#
# Installs its peers (python3-networkx, postgresql-15-pgrouting) if missing, runs its own
# PostgreSQL on 127.0.0.1:55432 in a temporary folder and stops it at the end.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${1:-$REPO/build-bench}
DATA=${SONAE_SHARED_DATA:-$REPO/../shared/data}
PORT=55432
WORK=$(mktemp -d /tmp/sonae-bench-routing.XXXXXX)
chmod 755 "$WORK"

need=()
dpkg -s python3-networkx >/dev/null 2>&1 || need+=(python3-networkx)
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
ninja -C "$BUILD" -j2 bench_geo_routing
BENCH="$BUILD/bench/bench_geo_routing"

# Our own PostgreSQL, loopback only, removed on exit.
PGBIN=/usr/lib/postgresql/15/bin
PGDIR="$WORK/pg"
mkdir -p "$PGDIR" && chown postgres "$PGDIR" "$WORK"
su postgres -c "$PGBIN/initdb -D $PGDIR/data -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null
su postgres -c "$PGBIN/pg_ctl -D $PGDIR/data -l $PGDIR/log -w start \
  -o '-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$PGDIR'" >/dev/null
stop_pg() { su postgres -c "$PGBIN/pg_ctl -D $PGDIR/data -w stop -m fast" >/dev/null || true; rm -rf "$WORK"; }
trap stop_pg EXIT
psql -h 127.0.0.1 -p $PORT -U postgres -X -q -c "CREATE DATABASE bench"
psql -h 127.0.0.1 -p $PORT -U postgres -d bench -X -q -c "CREATE EXTENSION pgrouting CASCADE"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
run() { # name network-file
  mkdir -p "$WORK/$1"
  "$BENCH" --network "$2" --trees 20 --pairs 200 --matrix 50 --export "$WORK/$1" > "$WORK/$1/sonae.json"
  chmod -R a+rX "$WORK/$1"
  /usr/bin/python3 "$REPO/bench/geo_routing/compare.py" "$WORK/$1" --pg-port $PORT
  cp "$WORK/$1/result.json" "${RESULTS:-/tmp}/geo_routing_$1.json" 2>/dev/null || true
}
run rome99 "$DATA/dimacs-rome99/rome99.gr"
run kochi "$DATA/kochi-osm-drive-network/kochi_roads_20210802.osm.pbf"

echo
echo "== synthetic grid, 1000 x 1000 nodes =="
"$BENCH" --synthetic-grid 1000
