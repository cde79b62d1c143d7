#!/usr/bin/env bash
# Load benchmark of the web server on loopback: requests per second and p99 latency of the
# cockpit page and of /api/evaluation, each as a ratio to a trivial route (/healthz) of the
# same server in the same run. Bounded: ROUNDS rounds, in each of which every route gets
# DURATION seconds from CONNECTIONS connections; the routes alternate so that a busy moment of
# a shared machine does not fall on one route only, and the table shows medians. Needs wrk
# (Debian package) and a release build.
#   scripts/bench-web.sh [path/to/plan361]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/release/plan361}
DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-3}
CONNECTIONS=${CONNECTIONS:-16}
PORT=18362
WORK=$(mktemp -d)
"$BIN" --db "$WORK/demo.db" demo --port $PORT >"$WORK/demo.log" 2>&1 & DEMO=$!
trap 'kill $DEMO 2>/dev/null || true; rm -rf "$WORK"' EXIT
BASE=http://127.0.0.1:$PORT
for _ in $(seq 1 200); do curl -sf "$BASE/healthz" >/dev/null && break; sleep 0.2; done

COOKIE=$(curl -s -o /dev/null -D - -d 'username=leader&password=plan361demo' "$BASE/login" | sed -n 's/^[Ss]et-[Cc]ookie: \(plan361_session=[0-9a-f]*\).*/\1/p')
TOKEN=$(curl -s -H 'Content-Type: application/json' -d '{"username":"leader","password":"plan361demo"}' "$BASE/api/login" | sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p')
[ -n "$COOKIE" ] && [ -n "$TOKEN" ] || { echo "cannot sign in" >&2; exit 1; }

# Prints "requests/s p99-ms" for one route.
measure() {
  local path=$1 header=$2
  curl -sf -H "$header" "$BASE$path" >/dev/null   # warm the caches
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "$header" "$BASE$path" | awk '
    /Requests\/sec/ { rps = $2 }
    /^ +99%/ { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 } p99 = v }
    END { printf "%.0f %.2f\n", rps, p99 }'
}

# The median of the numbers on standard input.
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
: >"$WORK/runs"
for round in $(seq 1 "$ROUNDS"); do
  echo "static $(measure /healthz "X-Bench: static")" >>"$WORK/runs"
  echo "cockpit $(measure / "Cookie: $COOKIE")" >>"$WORK/runs"
  echo "api $(measure /api/evaluation "Authorization: Bearer $TOKEN")" >>"$WORK/runs"
done
median_of() { awk -v r="$1" -v c="$2" '$1 == r { print $c }' "$WORK/runs" | median; }
STATIC_RPS=$(median_of static 2) STATIC_P99=$(median_of static 3)
COCKPIT_RPS=$(median_of cockpit 2) COCKPIT_P99=$(median_of cockpit 3)
API_RPS=$(median_of api 2) API_P99=$(median_of api 3)

echo "wrk: 1 thread, $CONNECTIONS connections, ${DURATION}s per route and round, $ROUNDS rounds, medians, loopback"
echo
echo "| route | requests/s | p99 latency | throughput vs static | p99 vs static |"
echo "|---|---|---|---|---|"
row() { awk -v n="$1" -v r="$2" -v p="$3" -v sr="$STATIC_RPS" -v sp="$STATIC_P99" \
  'BEGIN { printf "| %s | %d | %.2f ms | %.0f%% | %.1f× |\n", n, r, p, 100 * r / sr, p / sp }'; }
row "static (/healthz)" "$STATIC_RPS" "$STATIC_P99"
row "cockpit (/)" "$COCKPIT_RPS" "$COCKPIT_P99"
row "/api/evaluation" "$API_RPS" "$API_P99"
