#!/usr/bin/env bash
# Builds sonae and runs the whole test suite. SONAE_SANITIZE=1 builds with ASan+UBSan in build-asan/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
if [ "${SONAE_SANITIZE:-0}" = "1" ]; then
  # -O1 -g1 (line tables only), as the ASan documentation advises: it compiles faster than
  # -O2 -g (this second build is most of CI's time) and reports still give file and line.
  # No -DNDEBUG: this is the build where the asserts run (the normal build is -O2 -DNDEBUG).
  dir=build-asan; extra=(-DSONAE_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSONAE_BUILD_BENCH=OFF
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1" "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g1")
  # Quality tests with CPU-time limits (label slow) measure the solver, not memory safety:
  # under the sanitizers they would only run slower, so this pass leaves them out.
  select=(-LE slow)
  # Leaks inside system libraries' caches (fontconfig, cairo) are suppressed with reasons in
  # tests/lsan.supp; everything else fails the test that hit it.
  # intercept_tls_get_addr=0: GCC 12's sanitizer runtime (Debian 12; fixed upstream in April
  # 2023, LLVM 17: "Fix tls_get_addr handling for glibc >=2.25") takes a dynamic TLS block that
  # happens to start 16 bytes past a page boundary for a glibc-2.19 header and reads the two
  # words before it as its bounds; LeakSanitizer's tracer then dies at exit ("Tracer caught
  # signal 11", exit 134) with no leak found. Dynamic TLS is Mesa's (sonae-view, the viewer
  # tests), so it struck there at random: CI of 2026-12-07 failed
  # RunOutputs.TwoRunsOfTheSameScenarioAndSeedAreByteIdentical that way. Without the interceptor
  # leaks are still found; only pointers held in dlopen()ed libraries' TLS go unseen.
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:intercept_tls_get_addr=0
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
else
  dir=build; extra=(-DCMAKE_BUILD_TYPE=RelWithDebInfo -DSONAE_BUILD_BENCH=OFF); select=()
fi
# SONAE_WERROR=1 (CI sets it) turns every compiler warning into an error.
extra+=("-DSONAE_WERROR=$([ "${SONAE_WERROR:-0}" = "1" ] && echo ON || echo OFF)")
cmake -S . -B "$dir" -G Ninja "${extra[@]}"
cmake --build "$dir" -j "$(nproc)"
# Rendering tests need a display: run everything under a virtual X server.
xvfb-run -a ctest --test-dir "$dir" --output-on-failure -j "$(nproc)" "${select[@]}"
