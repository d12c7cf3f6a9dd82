#!/bin/sh
# Installs what the fuzz targets need (Debian 12): clang 14 and its runtime libraries
# (libFuzzer, ASan, UBSan). Kept out of scripts/install-deps.sh so CI's normal build stays light.
set -eu
apt-get update
apt-get install -y --no-install-recommends clang-14 libclang-rt-14-dev
