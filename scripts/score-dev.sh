#!/usr/bin/env bash
# Ingests each development set (../shared/data/dev and ../shared/data/dev2)
# into a fresh data directory, exports it, and scores the export with
# ../shared/tools/score-export.py: one SUMMARY line per set, last. Pass
# --verbose to see every miss; pass a set's directory (one with reports/ and
# gold.json, e.g. a half written by ../shared/tools/split-gold.py) to score
# only that set.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared
cargo build -q --release --bin dossier
sets=()
args=()
for a in "$@"; do
  if [ -d "$a" ]; then sets+=("$a"); else args+=("$a"); fi
done
[ ${#sets[@]} -gt 0 ] || sets=("$shared/data/dev" "$shared/data/dev2")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
summaries=()
for set in "${sets[@]}"; do
  name=$(basename "$set")
  echo "== $set"
  target/release/dossier --data "$tmp/$name" ingest "$set/reports" >/dev/null
  target/release/dossier --data "$tmp/$name" export --format json -o "$tmp/$name.json" 2>/dev/null
  out=$(python3 "$shared/tools/score-export.py" "$tmp/$name.json" "$set/gold.json" "$set/reports" "${args[@]+"${args[@]}"}")
  echo "$out" | grep -v '^SUMMARY'
  summaries+=("$(echo "$out" | grep '^SUMMARY') set=$name")
done
printf '%s\n' "${summaries[@]}"
