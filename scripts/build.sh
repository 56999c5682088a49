#!/usr/bin/env bash
# Release build of the app into dist/ and of the benchmark page into dist-bench/ (served under
# /bench/ on the app's origin by the benchmark and the large-archive e2e test). wasm-opt -Oz comes
# from binaryen in tools/ (see index.html).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Panic locations (the file, line and column of every place that can panic: 43 KB of the desk's
# data) are left out of the release wasm; a panic still says what failed, at "<redacted>:0:0".
# The desk's first download 321,360 → 314,684 B brotli and Lighthouse's mobile LCP 3.0 → 2.86 s
# (docs/performance.md, 2026-12-06 seventh session). The flag is unstable: the machine's one
# toolchain is stable rustc, which accepts it with RUSTC_BOOTSTRAP for this build only (the tests'
# builds do without); a compiler that drops the flag fails this build loudly, and the fix is to
# delete these two lines. Added to .cargo/config.toml's flags, not instead of them.
export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-Zlocation-detail=none"
trunk build --release --dist "${DIST:-dist}"
trunk build --release --dist dist-bench --public-url /bench/ bench/index.html
