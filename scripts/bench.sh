#!/usr/bin/env bash
# The benchmark: builds the app and the benchmark page (release), then runs tests/e2e/bench.mjs
# in headless Chromium. BENCH_N=10000,100000 by default. Prints figures; not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh
scripts/build.sh
node tests/e2e/bench.mjs
