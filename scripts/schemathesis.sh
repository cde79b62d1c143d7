#!/usr/bin/env bash
# Runs schemathesis (PyPI) against the API's own OpenAPI document on a fresh server, and fails
# on any 5xx or any response the document does not describe (status, content type, headers,
# body schema).
#
#   scripts/schemathesis.sh [sqlite|postgres]     # postgres: a database made from PLAN361_PG_URL
#
# SCHEMATHESIS_EXAMPLES (default 25) bounds the examples per operation; the run is repeated
# for a plan-office token and a reporter's. The server is built in release mode.
set -euo pipefail
cd "$(dirname "$0")/.."

backend=${1:-sqlite}
examples=${SCHEMATHESIS_EXAMPLES:-25}
version=4.32.5
if ! command -v schemathesis >/dev/null || ! schemathesis --version | grep -q "$version"; then
  python3 -m pip install --quiet --disable-pip-version-check "schemathesis==$version"
fi

cargo build --release --quiet
bin=$PWD/target/release/plan361
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

case "$backend" in
  sqlite) db="$work/schemathesis.db" ;;
  postgres)
    : "${PLAN361_PG_URL:?PLAN361_PG_URL must name a PostgreSQL server (postgres://user@host:port/database)}"
    base=${PLAN361_PG_URL%/*}
    psql "$PLAN361_PG_URL" -q -c "DROP DATABASE IF EXISTS plan361_schemathesis WITH (FORCE)" -c "CREATE DATABASE plan361_schemathesis"
    db="$base/plan361_schemathesis"
    ;;
  *) echo "usage: $0 [sqlite|postgres]" >&2; exit 2 ;;
esac

password=schemathesis-361
"$bin" init --db "$db" --admin-password "$password" >/dev/null
"$bin" user add office --db "$db" --org-unit 市经信局 --role plan_office --password "$password" >/dev/null
"$bin" user add kejiju --db "$db" --org-unit 市科技局 --role reporter --password "$password" >/dev/null
"$bin" user add reviewer --db "$db" --org-unit 市经信局 --role reviewer --password "$password" >/dev/null
"$bin" decompose 2.3.2 --db "$db" --unit 北仑区 --goal 2030=660 >/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
RUST_LOG=warn "$bin" serve --db "$db" --bind "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  sleep 0.1
done

status=0
for user in office kejiju; do
  token=$(curl -sf "http://127.0.0.1:$port/api/login" -H 'Content-Type: application/json' \
    -d "{\"username\":\"$user\",\"password\":\"$password\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  echo "== schemathesis on $backend as $user ($examples examples per operation)"
  # Signing out would end the token the run uses; it is exercised by the integration tests.
  schemathesis run "http://127.0.0.1:$port/api/openapi.json" \
    --header "Authorization: Bearer $token" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
    --exclude-path /api/logout \
    --phases examples,coverage,fuzzing \
    --max-examples "$examples" --workers 1 --seed 361 \
    --request-timeout 30 --no-color || status=1
done
if grep -q "plan361::fault\|request failed" "$work/server.log"; then
  echo "the server logged faults:" >&2
  grep "plan361::fault\|request failed" "$work/server.log" | head -20 >&2
  status=1
fi
exit $status
