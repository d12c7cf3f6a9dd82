#!/usr/bin/env bash
# Installs the Debian 12 packages sonae needs to build, test and run.
# Safe to run again: apt skips what is already there.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
PKGS=(
  build-essential cmake ninja-build pkg-config
  mold                               # linker: links the test programs faster than GNU ld
  libgdal-dev gdal-bin               # GIS input/output (GeoPackage, Shapefile, GeoJSON) and PROJ
  libosmium2-dev libprotozero-dev    # OpenStreetMap .osm/.osm.pbf/.osm.gz reading
  zlib1g-dev libbz2-dev libexpat1-dev liblz4-dev
  libboost-dev libboost-graph-dev    # graph algorithms, spatial index (Boost.Geometry)
  libeigen3-dev                      # travel-time matrices
  libgtest-dev libgmock-dev          # tests
  libcli11-dev nlohmann-json3-dev libtomlplusplus-dev libfmt-dev
  libcairo2-dev libpango1.0-dev fonts-noto-cjk   # PDF guidebooks and reports, Japanese text
  libsfml-dev xvfb xauth             # viewer, and headless rendering tests
  libgl1-mesa-dri libfontconfig-dev  # viewer: Mesa llvmpipe under Xvfb; finding the CJK font
  poppler-utils                      # pdftotext/pdftoppm in report tests
  glpk-utils                         # glpsol: independent optimum check of the assignment
  libglpk-dev                        # GLPK C API: the council report's disclosure audit
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -o DPkg::Lock::Timeout=600
  $SUDO apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600 "${missing[@]}"
fi
