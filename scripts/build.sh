#!/usr/bin/env bash
# Release build of the app into dist/ (wasm-opt -Oz with binaryen from tools/, see index.html).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk build --release --dist "${DIST:-dist}"
