#!/usr/bin/env bash
# The endpoint under load (docs/performance.md): 200 simulated devices for 60 s against one
# endpoint process on SQLite, on PostgreSQL, and two processes on one PostgreSQL; then the same
# with the first process killed (SIGKILL) and restarted halfway. Each run checks that every
# answered change is stored once and pulled exactly once by every device. Prints figures; not a
# test (server/tests/load.rs runs a short version in CI). LOAD_SECONDS, LOAD_DEVICES to change.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
scripts/ensure-tools.sh
cargo build --quiet --release -p dangan-server --bins
PG=$(PGPORT=55434 PGDIR=/tmp/dangan-pg-load scripts/pg.sh start)
trap 'PGPORT=55434 PGDIR=/tmp/dangan-pg-load scripts/pg.sh stop' EXIT
S=${LOAD_SECONDS:-60}
D=${LOAD_DEVICES:-200}
run() { echo; echo "\$ dangan-load $*"; target/release/dangan-load --devices "$D" --seconds "$S" "$@"; }
run
run --db "$PG"
run --db "$PG" --processes 2
run --kill-at $((S / 2))
run --db "$PG" --processes 2 --kill-at $((S / 2))
