#!/usr/bin/env bash
# Planner on 1,000 synthetic children on the real Kochi drive network (issue 4 benchmark).
# Usage: bench/planner/run.sh [BUILD_DIR]   (default build; needs the sonae target built)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
sonae="$PWD/$build/app/sonae"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r scenarios/kochi-tsunami "$work/kochi-1000"
sed -i 's/--children 16/--children 1000/' "$work/kochi-1000/data/make_registry.sh"
(cd "$work/kochi-1000" && sh data/make_registry.sh "$sonae" > /dev/null)
/usr/bin/time -v "$sonae" plan "$work/kochi-1000" -o "$work/out" 2>&1 |
  grep -E "児童|施設|Elapsed|User time|Maximum resident"
