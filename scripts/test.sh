#!/usr/bin/env bash
# Runs every test layer: lints, native tests, wasm tests in headless Chromium, and end-to-end
# tests against the release build. Installs whatever is missing first.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "tools"
scripts/ensure-tools.sh

step "format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --all-targets -- -D warnings
# The desk's own build: the parts it loads on first use compile to split points (src/lazy.rs).
cargo clippy --target wasm32-unknown-unknown --features split,catalogue --lib --bin dangan -- -D warnings

step "PostgreSQL for the sync endpoint's tests"
DANGAN_TEST_PG=$(scripts/pg.sh start)
export DANGAN_TEST_PG
trap 'scripts/pg.sh stop' EXIT

step "layer 1: native tests (domain, validation, search, snapshot, sync merge; the sync endpoint over HTTP)"
# --include-ignored: the endpoint's PostgreSQL tests, ignored by a plain `cargo test`.
cargo test --workspace -- --include-ignored

step "layer 2: wasm-bindgen tests in headless Chromium (IndexedDB storage)"
CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown

step "layer 3: end-to-end in headless Chromium against the release build"
scripts/build.sh
cargo build -p dangan-server
# import_samples writes the large sheets the import tests use; overview_seed the manager's views'
# hand-computed archive (overview.test.mjs).
cargo build --release --example import_samples --example overview_seed
(cd tests/e2e && node --test --test-concurrency=1 ./*.test.mjs)
