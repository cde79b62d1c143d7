#!/usr/bin/env bash
# Screenshots of the demo for docs/: the cockpit, a target page, the enterprise list, the
# entries behind a counted value and the cluster statistics, as a leader sees them on a 1366-pixel-wide laptop screen, a flagged value in the reviewer's queue,
# the plan office's differences between two plan versions, the cockpit on a 390-pixel phone with its menu open, and 北仑区's cockpit as its reporter lands on it.
# Needs chromium, chromium-driver, fonts-noto-cjk, curl, python3.
#   scripts/screenshots.sh [path/to/plan361]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/release/plan361}
WORK=$(mktemp -d)
PORT=18361
DRIVER_PORT=19515
cleanup() { kill "$DEMO" "$DRIVER" 2>/dev/null || true; rm -rf "$WORK"; }
"$BIN" --db "$WORK/demo.db" demo --port $PORT >"$WORK/demo.log" 2>&1 & DEMO=$!
chromedriver --port=$DRIVER_PORT >/dev/null 2>&1 & DRIVER=$!
trap cleanup EXIT
for _ in $(seq 1 1200); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && curl -sf "http://127.0.0.1:$DRIVER_PORT/status" >/dev/null && break; sleep 0.3; done

WD=http://127.0.0.1:$DRIVER_PORT
json() { python3 -c "import json,sys; v=json.load(sys.stdin)['value']; print($1)"; }
element() { curl -s -X POST "$WD/session/$SID/element" -d "{\"using\":\"css selector\",\"value\":\"$1\"}" | json "list(v.values())[0]"; }
shot() { # PATH HEIGHT FILE [WIDTH]
  curl -s -X POST "$WD/session/$SID/window/rect" -d "{\"width\":${4:-1366},\"height\":$2}" >/dev/null
  curl -s -X POST "$WD/session/$SID/url" -d "{\"url\":\"http://127.0.0.1:$PORT$1\"}" >/dev/null
  curl -s "$WD/session/$SID/screenshot" | python3 -c 'import json,sys,base64; open(sys.argv[1],"wb").write(base64.b64decode(json.load(sys.stdin)["value"]))' "$3"
  echo "wrote $3"
}
SID=$(curl -s -X POST "$WD/session" -d "{\"capabilities\":{\"alwaysMatch\":{\"goog:chromeOptions\":{\"binary\":\"/usr/bin/chromium\",\"args\":[\"--headless\",\"--no-sandbox\",\"--disable-gpu\",\"--hide-scrollbars\",\"--user-data-dir=$WORK/profile\"]}}}}" | json "v['sessionId']")
sign_in() {
  curl -s -X DELETE "$WD/session/$SID/cookie" >/dev/null
  curl -s -X POST "$WD/session/$SID/url" -d "{\"url\":\"http://127.0.0.1:$PORT/login\"}" >/dev/null
  curl -s -X POST "$WD/session/$SID/element/$(element 'input[name=username]')/value" -d "{\"text\":\"$1\"}" >/dev/null
  curl -s -X POST "$WD/session/$SID/element/$(element 'input[name=password]')/value" -d '{"text":"plan361demo\n"}' >/dev/null
  sleep 1
}
sign_in leader
shot / 1180 docs/cockpit.png
shot /targets/3.3.1 1240 docs/target.png
# National 单项冠军 enterprises (制造业单项冠军, 国家级), and those counted in 北仑区.
shot "/lists/enterprises?honour=%E5%88%B6%E9%80%A0%E4%B8%9A%E5%8D%95%E9%A1%B9%E5%86%A0%E5%86%9B&level=%E5%9B%BD%E5%AE%B6%E7%BA%A7" 1000 docs/lists.png
shot "/targets/3.3.1/entries?org_unit=%E5%8C%97%E4%BB%91%E5%8C%BA" 1000 docs/drilldown.png
# 集群监测: the clusters of the latest month, and the 新材料 cluster's page.
shot /stats 1300 docs/stats.png
shot /stats/clusters/new-materials 1300 docs/stats-cluster.png
# 填报进度: every reporting unit × month with its standing and 填报及时率.
shot /progress 1000 docs/progress.png
# A phone: the cockpit with the navigation opened from 菜单.
curl -s -X POST "$WD/session/$SID/window/rect" -d '{"width":390,"height":844}' >/dev/null
curl -s -X POST "$WD/session/$SID/url" -d "{\"url\":\"http://127.0.0.1:$PORT/\"}" >/dev/null
curl -s -X POST "$WD/session/$SID/element/$(element '#nav-menu')/click" -d '{}' >/dev/null
curl -s "$WD/session/$SID/screenshot" | python3 -c 'import json,sys,base64; open(sys.argv[1],"wb").write(base64.b64decode(json.load(sys.stdin)["value"]))' docs/phone.png
echo "wrote docs/phone.png"
# 北仑区's reporter lands on the district's cockpit.
sign_in beilun
shot / 1100 docs/district.png
# The review queue as the reviewer sees it: 北仑区's jump of 2.3.2, flagged by the data checks.
sign_in reviewer
shot /review 700 docs/review-flagged.png
# 动态调整: the plan office loads a changed plan file (3.3.1's goal raised, 7.3.3 renamed 7.3.4)
# from the page and lands on the differences from the version before.
sed -e 's/values = { 2030 = 160 }/values = { 2030 = 170 }/' -e 's/id = "7.3.3"/id = "7.3.4"/' \
  plans/ningbo-361-2025.toml >"$WORK/ningbo-361-2027.toml"
curl -s -X DELETE "$WD/session/$SID/cookie" >/dev/null
curl -s -X POST "$WD/session/$SID/url" -d "{\"url\":\"http://127.0.0.1:$PORT/login\"}" >/dev/null
curl -s -X POST "$WD/session/$SID/element/$(element 'input[name=username]')/value" -d '{"text":"office"}' >/dev/null
curl -s -X POST "$WD/session/$SID/element/$(element 'input[name=password]')/value" -d '{"text":"plan361demo\n"}' >/dev/null
sleep 1
curl -s -X POST "$WD/session/$SID/url" -d "{\"url\":\"http://127.0.0.1:$PORT/plan/versions\"}" >/dev/null
curl -s -X POST "$WD/session/$SID/element/$(element 'input[name=effective]')/value" -d '{"text":"2027-01"}' >/dev/null
curl -s -X POST "$WD/session/$SID/element/$(element 'input[name=reason]')/value" -d '{"text":"年中评估后调整"}' >/dev/null
curl -s -X POST "$WD/session/$SID/element/$(element 'input[name=file]')/value" -d "{\"text\":\"$WORK/ningbo-361-2027.toml\"}" >/dev/null
curl -s -X POST "$WD/session/$SID/element/$(element 'form.plan-load button')/click" -d '{}' >/dev/null
sleep 1
shot "/plan/versions/diff?from=1&to=2" 700 docs/plan-diff.png
curl -s -X DELETE "$WD/session/$SID" >/dev/null
