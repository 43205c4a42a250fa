#!/usr/bin/env bash
# Dossier's whole test suite, on a fresh machine: installs what it needs,
# starts a throwaway PostgreSQL server on loopback, checks formatting, lints
# and architecture boundaries, then runs every test on SQLite and PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "toolchain"
if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo not found: install Rust with rustup (https://rustup.rs) and run this again" >&2
  exit 1
fi
if command -v rustup >/dev/null 2>&1; then
  rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
fi
cargo --version

step "shared test data"
if [ ! -d ../shared/data/dev/reports ]; then
  echo "../shared/data/dev is missing: the tests read the shared data beside the project" >&2
  exit 1
fi

tmp=$(mktemp -d)
chmod 0755 "$tmp"
cleanup() { scripts/postgres.sh stop "$tmp/pg" || true; rm -rf "$tmp"; }
trap cleanup EXIT

step "PostgreSQL (throwaway server on loopback)"
eval "$(scripts/postgres.sh start "$tmp/pg")"
echo "DOSSIER_TEST_POSTGRES_URL=$DOSSIER_TEST_POSTGRES_URL"

step "Chromium (Debian's package, for the browser tests)"
if ! command -v chromium >/dev/null 2>&1; then
  echo "Chromium is not installed: installing Debian's chromium package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
fi
chromium --version 2>/dev/null || true

step "playwright-core (npm registry, pinned in tests/ui/package-lock.json) drives that Chromium"
if ! command -v npm >/dev/null 2>&1; then
  echo "Node.js is not installed: installing Debian's nodejs and npm packages"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq nodejs npm >/dev/null
fi
(cd tests/ui && npm ci --no-audit --no-fund --silent)

step "formatting"
cargo fmt --all -- --check

step "lints"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "boundaries: the pure crates do no I/O through async runtimes or SQL"
for crate in dossier-model dossier-ledger dossier-extract dossier-resolve dossier-verify; do
  if cargo tree --locked -p "$crate" -e normal --prefix none | grep -Eq '^(tokio|sqlx|sqlx-core) '; then
    echo "$crate depends on tokio or sqlx: it must stay pure" >&2
    exit 1
  fi
done
echo "ok"

step "supply chain: licences, bans and sources of every dependency (cargo-deny)"
if ! command -v cargo-deny >/dev/null 2>&1; then
  echo "cargo-deny is not installed: installing it from crates.io"
  cargo install --locked --quiet cargo-deny@0.20.2
fi
# The advisories check needs the RustSec database, which this machine cannot fetch.
cargo deny check licenses bans sources

step "tests (SQLite and PostgreSQL)"
cargo test --workspace --locked

step "the OpenAPI document validates (openapi-spec-validator from PyPI)"
if [ ! -x target/oav/bin/openapi-spec-validator ]; then
  python3 -m venv target/oav || { apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null && python3 -m venv target/oav; }
  target/oav/bin/pip install --quiet openapi-spec-validator==0.9.0
fi
cargo run --quiet --locked --bin dossier -- openapi >"$tmp/openapi.json"
target/oav/bin/openapi-spec-validator "$tmp/openapi.json"

echo
echo "all checks passed"
