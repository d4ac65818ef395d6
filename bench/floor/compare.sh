#!/usr/bin/env bash
# fixdesk against the floor of its own stack, in one sitting, interleaved: for each route the bare
# server and fixdesk take turns (A B A B …, ROUNDS rounds of DUR seconds, wrk -t2 -c64), and the
# ratio fixdesk/bare is taken per round; the median is the figure to quote. Both servers run the
# whole time, so a drift of the machine's speed hits both alike.
#
#   bench/floor/compare.sh [N_TICKETS]     run from the project root, after
#                                          cargo build --release --bin fixdesk --bin fixdesk-migrate
# Data: the legacy fixture (tests/fixtures/legacy-ticket-system.db) grown to N tickets with
# SQL in the old schema, imported with `fixdesk-migrate import-legacy`; the bare server seeds
# its own N. Accounts after import: admin/admin, bench_user1/benchpass123.
# Env: ROUNDS (3), DUR (5 s), FIXDESK_BIN_DIR (./target/release), CARGO_TARGET_DIR for the bare
#      server's build (default a temp dir). Needs wrk and sqlite3.
# Prints a markdown table, then fixdesk's peak memory (VmHWM) over the run — a login flood is
# part of it — and its resident memory ten seconds after the flood.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
N=${1:-1000}; ROUNDS=${ROUNDS:-3}; DUR=${DUR:-5}
fx=${FIXDESK_BIN_DIR:-$PWD/target/release}
[ -x "$fx/fixdesk" ] && [ -x "$fx/fixdesk-migrate" ] || { echo "build fixdesk first (cargo build --release --bin fixdesk --bin fixdesk-migrate)"; exit 1; }
# Without them every figure would read 0: say so instead.
for tool in wrk sqlite3; do
  command -v "$tool" >/dev/null || { echo "compare.sh needs $tool (Debian: apt-get install $tool)"; exit 1; }
done
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-${TMPDIR:-/tmp}/fixdesk-baseline-target}
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bare=$CARGO_TARGET_DIR/release/baseline
work=$(mktemp -d); pids=()
trap 'for p in "${pids[@]}"; do kill $p 2>/dev/null || true; done; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# the bare server
"$bare" seed "$work/bare.db" "$N" >/dev/null
bport=$(free_port); "$bare" serve "$work/bare.db" "127.0.0.1:$bport" >"$work/bare.log" 2>&1 & pids+=($!)
btok=$("$bare" token); B=http://127.0.0.1:$bport

# fixdesk on the imported fixture, grown to N tickets
cp "$here/../../tests/fixtures/legacy-ticket-system.db" "$work/legacy.db"
extra=$(( N > 1000 ? N - 1000 : 0 ))
if [ "$extra" -gt 0 ]; then
  sqlite3 "$work/legacy.db" "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < $extra)
    INSERT INTO tickets (title, description, status, priority, resolution, room_number, created_at, updated_at,
      is_hidden_for_creator, creator_id, assigned_to_id, category_id, equipment_id)
    SELECT 'Generated ' || i, t.description, t.status, t.priority, t.resolution, t.room_number,
      datetime('now', '-' || (i % 600) || ' days'), datetime('now', '-' || (i % 600) || ' days', '+1 hour'),
      0, t.creator_id, t.assigned_to_id, t.category_id, t.equipment_id
    FROM s JOIN tickets t ON t.id = 1 + (s.i % 1000);"
fi
export DATABASE_URL=$work/fixdesk.db SECRET_KEY=baseline-compare-secret-0123456789abcdef
"$fx/fixdesk-migrate" up >"$work/up.log" 2>&1
"$fx/fixdesk-migrate" import-legacy --from "$work/legacy.db" >"$work/import.log" 2>&1
fport=$(free_port)
(cd "$work" && FIXDESK_BIND=127.0.0.1:$fport FIXDESK_RATE_LIMIT_PER_MINUTE=1000000000 exec "$fx/fixdesk" >"$work/fixdesk.log" 2>&1) & fpid=$!; pids+=($fpid)
F=http://127.0.0.1:$fport
for _ in $(seq 1 150); do curl -fsS "$F/health" >/dev/null 2>&1 && curl -fsS "$B/hello" >/dev/null 2>&1 && break; sleep 0.2; done
token() { curl -fsS -X POST -d "username=$1&password=$2" "$F/api/v1/auth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])'; }
atok=$(token admin admin); utok=$(token bench_user1 benchpass123)
maxid=$(sqlite3 "$work/fixdesk.db" "select max(id) from tickets")

rps() { awk '/^Requests\/sec/ {print $2}' "$1"; }
p99() { awk '$1=="99%" {print $2}' "$1"; }
load() {  # OUT ARGS...
  local out=$1; shift
  wrk -t2 -c64 -d1s "$@" >/dev/null 2>&1 || true
  wrk -t2 -c64 -d"${DUR}s" --latency "$@" >"$out" 2>&1 || true
}
routes="health stats get list create"
for r in $(seq 1 "$ROUNDS"); do
  for route in $routes; do
    case $route in
      health) ba=("$B/hello"); fa=("$F/health") ;;
      stats)  ba=("$B/stats"); fa=(-s "$here/wrk/auth_get.lua" "$F" -- "$atok" /api/v1/statistics/tickets-summary) ;;
      get)    ba=(-s "$here/wrk/get_random.lua" "$B" -- "$btok" "$N"); fa=(-s "$here/wrk/fixdesk_get.lua" "$F" -- "$atok" "$maxid") ;;
      list)   ba=(-s "$here/wrk/auth_get.lua" "$B" -- "$btok" "/tickets?limit=100"); fa=(-s "$here/wrk/auth_get.lua" "$F" -- "$atok" /api/v1/tickets/) ;;
      create) ba=(-s "$here/wrk/post_ticket.lua" "$B" -- "$btok"); fa=(-s "$here/wrk/fixdesk_post.lua" "$F" -- "$utok") ;;
    esac
    load "$work/$route-$r-bare.wrk" "${ba[@]}"
    load "$work/$route-$r-fixdesk.wrk" "${fa[@]}"
  done
done
# a login flood (after one sign-in that turns the imported bcrypt hash into argon2id), then ten
# quiet seconds
token bench_user2 benchpass123 >/dev/null
wrk -t2 -c64 -d"${DUR}s" -s "$here/wrk/login.lua" "$F" -- bench_user2 benchpass123 >"$work/login.wrk" 2>&1 || true
sleep 10
hwm=$(awk '/VmHWM/ {print int($2/1024)}' /proc/$fpid/status); rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$fpid/status)

echo "| route ($N tickets) | bare req/s | fixdesk req/s | fixdesk p99 | fixdesk/bare median (min–max of $ROUNDS) |"
echo "|---|---:|---:|---:|---:|"
for route in $routes; do
  python3 - "$work" "$route" "$ROUNDS" <<'PY'
import re, statistics, sys
work, route, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
def rps(p):
    m = re.search(r"Requests/sec:\s+([\d.]+)", open(p).read()); return float(m.group(1)) if m else 0.0
def p99(p):
    m = re.search(r"99%\s+(\S+)", open(p).read()); return m.group(1) if m else "-"
b = [rps(f"{work}/{route}-{r}-bare.wrk") for r in range(1, rounds + 1)]
f = [rps(f"{work}/{route}-{r}-fixdesk.wrk") for r in range(1, rounds + 1)]
ratios = [x / y if y else 0 for x, y in zip(f, b)]
print(f"| {route} | {statistics.median(b):.0f} | {statistics.median(f):.0f} | {p99(f'{work}/{route}-{rounds}-fixdesk.wrk')} | "
      f"{statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f}) |")
PY
done
echo "| login flood | | $(awk '/^Requests\/sec/ {print $2}' "$work/login.wrk") | $(awk '$1=="99%" {print $2}' "$work/login.wrk") | |"
echo "fixdesk memory: peak ${hwm} MiB over the run, ${rss} MiB ten seconds after the login flood"
