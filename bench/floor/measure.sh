#!/usr/bin/env bash
# The floor of this stack on this machine: a bare poem + sea-orm + SQLite server (src/main.rs:
# JWT check, no middleware, no logging) measured with wrk -t2 -c64 on five endpoints. Run it in
# the same sitting as fixdesk's own load benchmark and compare ratios, never absolute numbers:
# these machines differ by 2× from one to the next.
#
#   bench/floor/measure.sh [N_TICKETS]        (default 1000; 1000000 works too)
# Env: DUR (wrk seconds, default 10), PORT (default 3900), CARGO_TARGET_DIR (default a temp dir,
#      outside the project's own target). Needs wrk and sqlite3 (apt-get install wrk sqlite3).
# Prints one markdown row per endpoint: req/s, p50, p99, peak RSS of the server.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
N=${1:-1000}; DUR=${DUR:-10}; PORT=${PORT:-3900}; URL=http://127.0.0.1:$PORT
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-${TMPDIR:-/tmp}/fixdesk-baseline-target}
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin=$CARGO_TARGET_DIR/release/baseline
work=$(mktemp -d); trap 'kill $spid 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin" seed "$work/snap.db" "$N" >/dev/null
token=$("$bin" token)
echo "| baseline, $N tickets | req/s | p50 | p99 | peak RSS |"
echo "|---|---:|---:|---:|---:|"
for ep in hello stats ticket tickets post; do
  cp "$work/snap.db" "$work/db.db"; rm -f "$work/db.db-wal" "$work/db.db-shm"
  case $ep in
    hello)   args=("$URL/hello") ;;
    stats)   args=("$URL/stats") ;;
    ticket)  args=(-s "$here/wrk/get_random.lua" "$URL" -- "$token" "$N") ;;
    tickets) args=(-s "$here/wrk/auth_get.lua" "$URL" -- "$token" "/tickets?limit=100") ;;
    post)    args=(-s "$here/wrk/post_ticket.lua" "$URL" -- "$token") ;;
  esac
  "$bin" serve "$work/db.db" "127.0.0.1:$PORT" >"$work/server.log" 2>&1 &
  spid=$!
  for _ in $(seq 1 100); do curl -sf -o /dev/null "$URL/hello" && break; sleep 0.05; done
  wrk -t2 -c64 -d2s "${args[@]}" >/dev/null 2>&1 || true
  wrk -t2 -c64 -d"${DUR}s" --latency "${args[@]}" >"$work/$ep.wrk" 2>&1 || true
  hwm=$(awk '/VmHWM/ {print int($2/1024)}' /proc/$spid/status)
  kill -INT $spid; wait $spid 2>/dev/null || true
  rps=$(awk '/^Requests\/sec/ {print $2}' "$work/$ep.wrk")
  p50=$(awk '$1=="50%" {print $2}' "$work/$ep.wrk"); p99=$(awk '$1=="99%" {print $2}' "$work/$ep.wrk")
  echo "| $ep | $rps | $p50 | $p99 | ${hwm} MiB |"
done
