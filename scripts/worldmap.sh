#!/usr/bin/env bash
# Regenerates crates/dossier-server/assets/world.svg from the npm package
# world-atlas 2.0.2 (Natural Earth shapes). The output is committed; run this
# only to refresh it.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack -q world-atlas@2.0.2 >/dev/null && tar -xzf world-atlas-2.0.2.tgz)
echo "sha512 of the package: $(sha512sum "$work"/world-atlas-2.0.2.tgz | cut -c1-32)…"
python3 scripts/worldmap.py "$work/package/countries-110m.json" crates/dossier-server/assets/world.svg
