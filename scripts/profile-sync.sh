#!/usr/bin/env bash
# Where a new device's pull spends its time: builds the app keeping function names (no wasm-opt)
# into target/dist-profile, then runs tests/e2e/sync-profile.mjs (SYNC_N profiles, default 20,000,
# with their history) and prints the functions with the most self time. Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
scripts/ensure-tools.sh
sed 's/data-bin="dangan" data-wasm-opt="z"/data-bin="dangan" data-keep-debug data-wasm-opt="0"/' index.html > index-profile.html
trap 'rm -f index-profile.html' EXIT
trunk build --release --dist target/dist-profile index-profile.html
cargo build --quiet --release -p dangan-server
node tests/e2e/sync-profile.mjs
