#!/usr/bin/env bash
# Release build of the app into dist/ and of the benchmark page into dist-bench/ (served under
# /bench/ on the app's origin by the benchmark and the large-archive e2e test). wasm-opt -Oz comes
# from binaryen in tools/ (see index.html).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk build --release --dist "${DIST:-dist}"
trunk build --release --dist dist-bench --public-url /bench/ bench/index.html
