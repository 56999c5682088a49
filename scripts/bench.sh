#!/usr/bin/env bash
# The benchmarks. Prints figures; not a test.
#   1. the app in headless Chromium (tests/e2e/bench.mjs; BENCH_N=10000,100000 by default);
#   2. the sync endpoint: push and pull of 100,000 changes over loopback, SQLite and PostgreSQL
#      (server/examples/sync_bench.rs; SYNC_N to change the count);
#   3. a new device joining an archive of 100,000 profiles with 3 history items each (SYNC_HISTORY)
#      through a real endpoint, until the list is complete and searchable and all is pulled
#      (tests/e2e/sync-bench.mjs);
#   4. live sync: the delay between saving a guest on one device and seeing it on another, over
#      50 saves (tests/e2e/live-bench.mjs);
#   5. importing a 100,000-row CSV and XLSX through the import screen, beside plain-JS IndexedDB
#      put (tests/e2e/import-bench.mjs; IMPORT_N to change the count);
#   5b. the access-log screen with 100,000 events of three other desks (tests/e2e/log-bench.mjs);
#   5c. the manager's views on 100,000 profiles with 300,000 history items: reading, each screen's
#       computation, and the longest task while they open (tests/e2e/overview-bench.mjs);
#   5d. receivables on 100,000 customers with about 1,000,000 ledger entries: reading, the
#       archive-wide aging, one customer's account, recording an entry (tests/e2e/ledger-bench.mjs);
#   5e. documents and photos: a 5 MB photo until its thumbnail shows, a profile with 50
#       documents opening, a new device fetching 200 photos of 2 MB beside a plain fetch
#       (tests/e2e/documents-bench.mjs; DOCS_N to change the count);
#   6. a screen of the office module (settings, import) on first use from the service worker's
#      cache, on a 4× slower CPU (tests/e2e/screen-bench.mjs);
#   6b. the desk itself on a 4× slower CPU with 100,000 profiles: a search typed a key at a time,
#       a profile opened from the list, the new-profile form (tests/e2e/desk-bench.mjs);
#   7. the endpoint under load: 200 simulated devices, SQLite and PostgreSQL, one process killed
#      halfway (scripts/load.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
scripts/ensure-tools.sh
scripts/build.sh
node tests/e2e/bench.mjs
node tests/e2e/import-bench.mjs
node tests/e2e/log-bench.mjs
node tests/e2e/overview-bench.mjs
node tests/e2e/ledger-bench.mjs
DANGAN_BENCH_PG=$(PGPORT=55433 PGDIR=/tmp/dangan-pg-bench scripts/pg.sh start)
trap 'PGPORT=55433 PGDIR=/tmp/dangan-pg-bench scripts/pg.sh stop' EXIT
DANGAN_BENCH_PG=$DANGAN_BENCH_PG cargo run --quiet --release -p dangan-server --example sync_bench "${SYNC_N:-100000}"
cargo build --quiet --release -p dangan-server
node tests/e2e/sync-bench.mjs
node tests/e2e/live-bench.mjs
node tests/e2e/documents-bench.mjs
node tests/e2e/screen-bench.mjs
node tests/e2e/desk-bench.mjs
scripts/load.sh
