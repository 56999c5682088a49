#!/usr/bin/env bash
# Installs what is missing, builds the release app and serves it on http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh
scripts/build.sh
echo "Dangan is running at http://127.0.0.1:${PORT:-8080}/ (Ctrl+C stops it)"
exec node tests/e2e/serve.mjs dist "${PORT:-8080}"
