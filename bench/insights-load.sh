#!/usr/bin/env bash
# `make insights-bench`: server time of the insights page and API on a
# registry of N seeded incidents (FIREBREAK_INSIGHTS_BENCH_SIZE, default
# 100000) with milestones, factors and action items. One connection, so
# each figure is one request's time (curl, loopback). Writes bench/insights-report.md.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${FIREBREAK_INSIGHTS_BENCH_SIZE:-100000}
port=${FIREBREAK_INSIGHTS_BENCH_PORT:-3401}
data=$(mktemp -d)
bin=target/release/firebreak
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT

printf '%s\n' 'insights bench password' | $bin user add --email bench@localhost --role responder --password-stdin --data-dir "$data" >/dev/null
python3 bench/seed_registry.py "$data/firebreak.db" "$size" --short
token=$($bin token create --email bench@localhost --name insights-bench --data-dir "$data" | tail -1)
# Build the search index before serving, so no rebuild competes for the CPU.
$bin reindex --data-dir "$data" >/dev/null 2>&1
$bin serve --data-dir "$data" --addr 127.0.0.1:$port --site-root target/site >"$data/server.log" 2>&1 &
server=$!
until curl -sf -o /dev/null "http://127.0.0.1:$port/login"; do sleep 1; done
sleep 3  # the server counts every incident once at start
first=$(curl -s -o /dev/null -w '%{time_total}' -H "authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/insights")

cold() {  # name, paths…: the first request for each of several new selections, computed from the database
  name=$1; shift
  for path in "$@"; do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "authorization: Bearer $token" "http://127.0.0.1:$port$path"
  done > "$data/cold.txt"
  python3 - "$name" "$data/cold.txt" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[2])]
ms = sorted(float(t) * 1000 for _, t in rows)
ok = sum(1 for code, _ in rows if code == "200")
print("| %s: first request of %d new selections (computed in SQL) | %.1f | max %.1f | %d/%d |" % (sys.argv[1], len(ms), statistics.median(ms), ms[-1], ok, len(rows)))
PY
}
row() {  # name, path: p50 and p99 of 40 sequential requests (curl's total time)
  for _ in $(seq 40); do
    curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "authorization: Bearer $token" "http://127.0.0.1:$port$2"
  done > "$data/times.txt"
  python3 - "$1" "$data/times.txt" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[2])]
ms = sorted(float(t) * 1000 for _, t in rows)
ok = sum(1 for code, _ in rows if code == "200")
p99 = ms[min(len(ms) - 1, int(0.99 * len(ms)))]
print("| %s | %.1f | %.1f | %d/%d |" % (sys.argv[1], statistics.median(ms), p99, ok, len(rows)))
PY
}
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)
{
  echo "# Insights benchmark"
  echo
  echo "Machine: $(nproc) cores, $cpu. $size seeded incidents with milestones, 1–3 factors each and action items on 30%; release build; curl, one request at a time, 40 each. Budget: ≤ 100 ms server time at 100k."
  echo
  echo "| request | p50 ms | p99 ms (or max) | answered 200 |"
  echo "|---|---|---|---|"
  python3 -c "print('| all incidents, first request (counted at start) | %.1f | — | 1/1 |' % ($first * 1000))"
  cold "all incidents again" "/api/v1/insights?from=1900-01-01" "/api/v1/insights?from=1800-01-01" "/api/v1/insights?to=2100-01-01"
  cold "one severity" "/api/v1/insights?severity=SEV1" "/api/v1/insights?severity=SEV2" "/api/v1/insights?severity=SEV3" "/api/v1/insights?severity=SEV4"
  cold "one service" $(for i in 1 3 5 7 9 11 13 15 17; do echo "/api/v1/insights?service=svc-$i"; done)
  cold "one year" $(for y in 2021 2022 2023 2024 2025; do echo "/api/v1/insights?from=$y-01-01&to=$((y + 1))-01-01"; done)
  cold "a range cutting two months" $(for y in 2021 2022 2023 2024 2025; do echo "/api/v1/insights?from=$y-03-15&to=$y-11-20T12:00:00Z"; done)
  cold "one severity in a range cutting two months" $(for s in 1 2 3 4; do echo "/api/v1/insights?severity=SEV$s&from=2023-02-10&to=2024-11-05"; done)
  row "all incidents, JSON (reused while unchanged)" "/api/v1/insights"
  row "one severity (reused)" "/api/v1/insights?severity=SEV1"
  row "the page, all incidents (HTML with SVG)" "/insights"
  row "action board (JSON, open items)" "/api/v1/actions"
  # A write moves the registry's state: the kept figures are shown, marked
  # with their time, while one background pass counts them again.
  curl -s -o /dev/null -X POST -H "authorization: Bearer $token" -H 'content-type: application/json' \
    -d '{"title":"Bench write","severity":"SEV3","services":["svc-1"]}' "http://127.0.0.1:$port/api/v1/incidents"
  row "all incidents, the 40 requests right after a write (kept figures while recounting)" "/api/v1/insights"
  catching_up() {
    curl -s -H "authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/insights" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["catching_up"])'
  }
  now=$(catching_up); sleep 3; later=$(catching_up)
  echo
  echo "Right after those 40 requests the answer's catching_up was $now; 3 s later it was $later (False: the recount had finished and was shown)."
} > bench/insights-report.md
cat bench/insights-report.md
