#!/usr/bin/env bash
# The reliability figures of BENCHMARKS.md, on loopback, bounded in time:
#  1. writes per second and p99 latency with 1, 16 and 64 concurrent writers (each updating its
#     own value with the revision it last got), against the same server's static route
#     (/healthz) with the same client and concurrency in the same run — on SQLite, and on
#     PostgreSQL when PLAN361_PG_URL names a server to create a database on;
#  2. the server's memory ceiling (peak RSS) while every file of the hostile corpus is uploaded,
#     one after another and then two at once;
#  3. /healthz latency (p99, max) while two 50,000-row files are imported at the same time.
#   scripts/bench-reliability.sh          (SECONDS_PER=5 seconds per measurement;
#                                          PARTS=writes,hostile,imports chooses what)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER=${SECONDS_PER:-5}
PARTS=${PARTS:-writes,hostile,imports}
part() { [[ ",$PARTS," == *",$1,"* ]]; }
cargo build --release --quiet
cargo build --release --quiet -p plan361-files --example hostile
BIN=$PWD/target/release/plan361
LOAD="python3 $PWD/scripts/bench_load.py"
WORK=$(mktemp -d)
SERVER=""
stop() { if [ -n "$SERVER" ]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""; fi; }
trap 'stop; rm -rf "$WORK"' EXIT
PASSWORD=bench-password-361

setup() {
  local db=$1
  "$BIN" init --db "$db" --admin-password "$PASSWORD" >/dev/null
  "$BIN" user add office --db "$db" --org-unit 市经信局 --role plan_office --password "$PASSWORD" >/dev/null
  "$BIN" user add office2 --db "$db" --org-unit 市经信局 --role plan_office --password "$PASSWORD" >/dev/null
  "$BIN" user add kejiju --db "$db" --org-unit 市科技局 --role reporter --password "$PASSWORD" >/dev/null
}

start() {
  local db=$1
  PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  RUST_LOG=warn "$BIN" serve --db "$db" --bind "127.0.0.1:$PORT" >>"$WORK/server.log" 2>&1 &
  SERVER=$!
  BASE=http://127.0.0.1:$PORT
  for _ in $(seq 1 100); do curl -sf "$BASE/healthz" >/dev/null && return; sleep 0.1; done
  echo "the server did not start" >&2; exit 1
}

token() {
  curl -sf "$BASE/api/login" -H 'Content-Type: application/json' -d "{\"username\":\"$1\",\"password\":\"$PASSWORD\"}" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}

rss() { awk -v k="$1:" '$1 == k { print int($2 / 1024) }' "/proc/$SERVER/status"; }
field() { python3 -c "import json,sys; d=json.loads(sys.argv[1]); print(round(d['$2'], 2) if isinstance(d['$2'], float) else d['$2'])" "$1"; }

# The values the writers update: one (target, unit, period) each.
last_month=$(python3 -c 'import datetime; t=datetime.date.today().replace(day=1)-datetime.timedelta(days=1); print(t.strftime("%Y-%m"))')
: >"$WORK/values.tsv"
for target in 0.1 0.2 0.3 0.4 1.2.1 2.3.2 4.2.1 4.2.2 5.3.1 6.1.1 7.1.1 7.4.1; do
  for unit in 宁波市 海曙区 江北区 镇海区 北仑区 鄞州区; do printf '%s\t%s\t%s\n' "$target" "$unit" "$last_month" >>"$WORK/values.tsv"; done
done

if part writes; then
echo "## Writes under concurrency (${SECONDS_PER}s per measurement, Python clients on keep-alive connections, loopback)"
echo
echo "| backend | writers | writes/s | p99 | static route req/s | static p99 | writes vs static | statuses |"
echo "|---|---|---|---|---|---|---|---|"
backends="sqlite"
[ -n "${PLAN361_PG_URL:-}" ] && backends="sqlite postgres"
for backend in $backends; do
  if [ "$backend" = sqlite ]; then
    db="$WORK/writes.db"
  else
    psql "$PLAN361_PG_URL" -q -c "DROP DATABASE IF EXISTS plan361_bench WITH (FORCE)" -c "CREATE DATABASE plan361_bench"
    db="${PLAN361_PG_URL%/*}/plan361_bench"
  fi
  setup "$db"
  start "$db"
  token=$(token office)
  for c in 1 16 64; do
    static=$($LOAD static "$BASE" "$c" "$SECONDS_PER")
    writes=$($LOAD writes "$BASE" "$token" "$c" "$SECONDS_PER" "$WORK/values.tsv")
    python3 - "$backend" "$c" "$writes" "$static" <<'PY'
import json, sys
backend, c, w, s = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
statuses = ", ".join(f"{k}: {v}" for k, v in sorted(w["statuses"].items()))
print(f"| {backend} | {c} | {w['per_second']:.0f} | {w['p99_ms']:.1f} ms | {s['per_second']:.0f} | {s['p99_ms']:.2f} ms | "
      f"{100 * w['per_second'] / s['per_second']:.1f}% | {statuses} |")
PY
  done
  stop
done
echo
fi

if part hostile; then
echo "## Memory while the hostile corpus is uploaded (SQLite, /api/import as a reporter)"
echo
"$PWD/target/release/examples/hostile" "$WORK/hostile" >"$WORK/corpus.tsv"
setup "$WORK/hostile.db"
start "$WORK/hostile.db"
token=$(token kejiju)
baseline=$(rss VmRSS)
echo "| file | size | status | time | server RSS after |"
echo "|---|---|---|---|---|"
while IFS=$'\t' read -r path size name; do
  result=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' -H "Authorization: Bearer $token" -F "file=@$path" "$BASE/api/import")
  printf '| %s | %s B | %s | %.2f s | %s MB |\n' "$name" "$size" "${result% *}" "${result#* }" "$(rss VmRSS)"
done <"$WORK/corpus.tsv"
dense="$WORK/hostile/dense.xlsx" strings="$WORK/hostile/strings.xlsx"
curl -s -o /dev/null -H "Authorization: Bearer $token" -F "file=@$dense" "$BASE/api/import" & u1=$!
curl -s -o /dev/null -H "Authorization: Bearer $token" -F "file=@$strings" "$BASE/api/import" & u2=$!
$LOAD probe "$BASE" 600 20 "$WORK/uploads.done" >"$WORK/probe.json" &
probe_pid=$!
wait "$u1" "$u2"
touch "$WORK/uploads.done"
wait "$probe_pid"
probe=$(cat "$WORK/probe.json")
echo
echo "Server RSS before: $baseline MB; peak over the whole corpus and two hostile uploads at once (VmHWM): $(rss VmHWM) MB."
echo "/healthz during the two uploads at once: p99 $(field "$probe" p99_ms) ms, max $(field "$probe" max_ms) ms."
stop
echo
fi

if part imports; then
echo "## /healthz during two concurrent 50,000-row imports (SQLite, /api/import as the plan office)"
echo
python3 - "$WORK" <<'PY'
import sys
work = sys.argv[1]
targets = "0.1 0.2 0.3 0.4 1.2.1 1.2.2 1.4.1 1.4.2 2.1.1 2.3.2 4.2.1 4.2.2 4.3.3 5.3.1 6.1.1 6.1.2 6.2.2 7.1.1 7.2.1 7.3.1 7.3.2 7.4.1 7.4.2 7.4.3".split()
units = "宁波市 海曙区 江北区 镇海区 北仑区 鄞州区 奉化区 余姚市 慈溪市 宁海县 象山县".split()
months = [(2026 - (m + 2) // 12, 12 - (m + 2) % 12) for m in range(420)]
for name, part in (("a", months[:210]), ("b", months[210:])):
    rows = ["target_id,org_unit,period,value,comment"]
    for year, month in part:
        for unit in units:
            for i, target in enumerate(targets):
                rows.append(f"{target},{unit},{year}-{month:02},{(len(rows) % 997) + i},")
                if len(rows) > 50_000:
                    break
            if len(rows) > 50_000:
                break
        if len(rows) > 50_000:
            break
    open(f"{work}/import-{name}.csv", "w", encoding="utf-8").write("\n".join(rows) + "\n")
PY
setup "$WORK/imports.db"
start "$WORK/imports.db"
t1=$(token office) t2=$(token office2)
before=$(rss VmRSS)
started=$(date +%s.%N)
curl -s -o "$WORK/a.json" -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $t1" -F "file=@$WORK/import-a.csv" "$BASE/api/import" >"$WORK/a.status" & i1=$!
curl -s -o "$WORK/b.json" -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $t2" -F "file=@$WORK/import-b.csv" "$BASE/api/import" >"$WORK/b.status" & i2=$!
$LOAD probe "$BASE" 600 20 "$WORK/imports.done" >"$WORK/probe.json" &
probe_pid=$!
wait "$i1" "$i2"
touch "$WORK/imports.done"
wait "$probe_pid"
probe=$(cat "$WORK/probe.json")
echo "| import | rows | status | time | report |"
echo "|---|---|---|---|---|"
for name in a b; do
  read -r code took <"$WORK/$name.status"
  printf '| %s | 50,000 | %s | %.1f s | %s |\n' "$name" "$code" "$took" "$(head -c 120 "$WORK/$name.json")"
done
echo
echo "/healthz (one request every 20 ms while the imports ran): p99 $(field "$probe" p99_ms) ms, max $(field "$probe" max_ms) ms."
echo "Server RSS before $before MB, peak (VmHWM) $(rss VmHWM) MB."
fi
