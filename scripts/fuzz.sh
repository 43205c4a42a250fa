#!/usr/bin/env bash
# Runs the cargo-fuzz targets, each for SECONDS (default 600), with seed
# corpora from the bundled samples and a real bundle. Installs cargo-fuzz if
# missing; its nightly flags are enabled with RUSTC_BOOTSTRAP=1 on stable.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# Targets: intake_extract, front_matter, html_text, bundle_reader.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(intake_extract front_matter html_text bundle_reader)
command -v cargo-fuzz >/dev/null || cargo install -q cargo-fuzz
export RUSTC_BOOTSTRAP=1
for t in intake_extract front_matter html_text bundle_reader; do mkdir -p "fuzz/corpus/$t"; done
cp samples/reports/* fuzz/corpus/intake_extract/
# Protected persons, confidentiality and blame, so the fuzzer starts from them too.
printf 'TITLE: t\nCONFIDENTIAL: yes\n\nMr. Safar Zakery, has been abducted. Eyewitness Omar Khalil said Zakery, 34, was beaten.\nIraqi officials have disputed it, blaming rioting and snipers. The pledges have been dishonored.\n' \
  >fuzz/corpus/intake_extract/persons.txt
cp samples/reports/* fuzz/corpus/front_matter/
printf '<html><head><title>T</title><meta name="author" content="A"></head><body><nav>Skip</nav><p>Ten <b>killed</b></p><script>x()</script></body></html>' \
  >fuzz/corpus/html_text/page.html
if [ ! -s fuzz/corpus/bundle_reader/samples.bundle ]; then
  cargo build -q --release --bin dossier
  data=$(mktemp -d)
  target/release/dossier --data "$data" ingest samples/reports >/dev/null
  target/release/dossier --data "$data" export --format bundle -o fuzz/corpus/bundle_reader/samples.bundle
  rm -rf "$data"
fi
cd fuzz
for t in "${targets[@]}"; do
  echo "== $t for ${seconds}s"
  cargo fuzz run "$t" -- -max_total_time="$seconds" 2>&1 | grep -E "^Done|SUMMARY|panicked|ERROR" || true
done
