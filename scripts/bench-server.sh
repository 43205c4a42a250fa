#!/usr/bin/env bash
# Server load benchmark: a store of 100,000 synthetic incidents from 300,000
# sources (dossier-bench fill; built once, kept in .bench/server-data), served
# by `dossier serve` on loopback, and oha sending a constant 200 requests/s
# for 30 s to the incident list page, an incident page and the list API.
# Prints p50/p99 latency per target against the goal (p99 < 50 ms).
#   INCIDENTS=… REPORTS=… DURATION=… RATE=… to change the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
incidents=${INCIDENTS:-100000}
reports=${REPORTS:-300000}
duration=${DURATION:-30s}
rate=${RATE:-200}
cargo build -q --release --bin dossier
cargo build -q --release -p dossier-bench
if ! command -v oha >/dev/null 2>&1; then
  echo "installing oha from crates.io" >&2
  cargo install --locked --quiet oha
fi
data=.bench/server-data-$incidents-$reports
if [ ! -f "$data/dossier.sqlite" ]; then
  mkdir -p .bench
  target/release/dossier-bench fill "$data" --incidents "$incidents" --reports "$reports"
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=http://127.0.0.1:$port
target/release/dossier --data "$data" serve --addr "127.0.0.1:$port" >/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs "$base/api/v1/incidents?limit=1" >/dev/null 2>&1 && break
  sleep 0.2
done
total=$(curl -fs "$base/api/v1/incidents?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
middle=$(curl -fs "$base/api/v1/incidents?limit=1&offset=$((total / 2))" \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
echo "store: $data ($total incidents); oha at $rate requests/s for $duration per target"
for path in "/incidents" "/incidents/$middle" "/api/v1/incidents?limit=100&offset=$((total / 3))" "/incidents?sort=killed&offset=5000" "/incidents?q=kel&grade=single_source"; do
  oha -z "$duration" -q "$rate" -c 16 --latency-correction --no-tui --output-format json "$base$path" >.bench/oha.json
  python3 - "$path" <<'PY'
import json, sys
r = json.load(open(".bench/oha.json"))
p = r["latencyPercentiles"]
codes = r.get("statusCodeDistribution", {})
ok = sum(v for k, v in codes.items() if k.startswith("2"))
n = sum(codes.values())
p99 = p["p99"] * 1000
print(f"{sys.argv[1]:<55} requests {n:>6} (2xx {ok}), rps {r['summary']['requestsPerSec']:.0f}, "
      f"p50 {p['p50'] * 1000:.1f} ms, p99 {p99:.1f} ms  [{'ok' if p99 < 50 and ok == n else 'MISSED'}: p99 < 50 ms]")
PY
done
