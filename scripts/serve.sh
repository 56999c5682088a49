#!/usr/bin/env bash
# Installs what is missing, builds the release app and the sync endpoint, and serves both from one
# process on http://127.0.0.1:8080 (sync data in data/dangan-sync.db).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
scripts/ensure-tools.sh
scripts/build.sh
cargo build --release -p dangan-server
mkdir -p data
echo "Dangan is running at http://127.0.0.1:${PORT:-8080}/ with its sync endpoint (Ctrl+C stops it)."
echo "Create a sync token with: target/release/dangan-server token create --archive <name> --db data/dangan-sync.db"
exec target/release/dangan-server serve --dist dist --db data/dangan-sync.db --listen "127.0.0.1:${PORT:-8080}"
