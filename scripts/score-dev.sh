#!/usr/bin/env bash
# Ingests ../shared/data/dev/reports into a fresh data directory, exports it,
# and scores the export with ../shared/tools/score-export.py. Pass --verbose
# to see every miss.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared
cargo build -q --release --bin dossier
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
target/release/dossier --data "$tmp/data" ingest "$shared/data/dev/reports" >/dev/null
target/release/dossier --data "$tmp/data" export --format json -o "$tmp/export.json" 2>/dev/null
python3 "$shared/tools/score-export.py" "$tmp/export.json" "$shared/data/dev/gold.json" "$shared/data/dev/reports" "$@"
