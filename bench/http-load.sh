#!/usr/bin/env bash
# `make http-bench`: GET /api/v1/search and the incident page over HTTP against a release build,
# on a registry of N seeded incidents (FIREBREAK_HTTP_BENCH_SIZE, default
# 100000). First the highest rate oha reaches, then p50/p99 at half of it
# (performance.md). Writes bench/http-report.md. Figures, never pass/fail.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${FIREBREAK_HTTP_BENCH_SIZE:-100000}
port=${FIREBREAK_HTTP_BENCH_PORT:-3400}
data=$(mktemp -d)
bin=target/release/firebreak
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT

printf '%s\n' 'http bench password' | $bin user add --email bench@localhost --role viewer --password-stdin --data-dir "$data" >/dev/null
python3 bench/seed_registry.py "$data/firebreak.db" "$size"
token=$($bin token create --email bench@localhost --name http-bench --data-dir "$data" | tail -1)
rm -rf "$data/index"   # rebuilt from the database at start
$bin serve --data-dir "$data" --addr 127.0.0.1:$port --site-root target/site >"$data/server.log" 2>&1 &
server=$!
started=$(date +%s.%N)
until [ "$(curl -s -H "authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/search?q=&limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("total", 0))' 2>/dev/null || echo 0)" -ge "$size" ]; do sleep 1; done
indexed=$(python3 -c "print(round($(date +%s.%N) - $started, 1))")
rss=$(awk '/^Anonymous/ {print $2}' /proc/$server/smaps_rollup)
rss_all=$(awk '/^Rss/ {print $2}' /proc/$server/smaps_rollup)
# tantivy merges the rebuilt segments for a while after: wait until the
# server is idle (under 10% of a core over 2 s, at most 5 minutes), so the
# load below measures serving, not merging.
cpu_ticks() { awk '{print $14 + $15}' /proc/$server/stat; }
settle_started=$(date +%s)
while [ $(($(date +%s) - settle_started)) -lt 300 ]; do
  before=$(cpu_ticks); sleep 2; after=$(cpu_ticks)
  [ $((after - before)) -lt $(($(getconf CLK_TCK) / 5)) ] && break
done
settled=$(($(date +%s) - settle_started))
rss_settled=$(awk '/^Anonymous/ {print $2}' /proc/$server/smaps_rollup)
# Anonymous memory once a second while a load runs: "median max" in MB.
sample_rss() {
  for _ in $(seq "$1"); do awk '/^Anonymous/ {print int($2 / 1024)}' /proc/$server/smaps_rollup; sleep 1; done |
    sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)], a[NR]}' > "$2"
}

# Words from the seeded vocabulary's head, as people search: a term, two terms, a prefix, a filter.
# The host is "localhost": oha reads the URL as a regex, and dots in an address would match anything.
url="http://localhost:$port/api/v1/search\?q=(timeout|dns|latency|outage|deploy|rollback|database|replica|cache|certificate|kafka|queue)(\+(memory|disk|network|partition|leader)|\+severity:sev1|)&limit=10"
max=$(oha --no-tui --output-format json -z 20s -c 8 -H "authorization: Bearer $token" --rand-regex-url "$url" | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["summary"]["requestsPerSec"]))')
half=$((max / 2))
sample_rss 28 "$data/rss-search" & sampler=$!
oha --no-tui --output-format json -z 30s -c 8 -q "$half" --latency-correction -H "authorization: Bearer $token" --rand-regex-url "$url" > "$data/half.json"
wait $sampler
read -r p50 p99 ok < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); p=d["latencyPercentiles"]; c=d.get("statusCodeDistribution", {}); print(round(p["p50"]*1000,2), round(p["p99"]*1000,2), "%d/%d" % (c.get("200", 0), sum(c.values())))' "$data/half.json")
# The incident page, server-rendered (with its similar past incidents), for
# random incidents, compressed as a browser asks for it.
page="http://localhost:$port/incidents/[1-9][0-9]{0,4}"
browser="accept-encoding: gzip, deflate, br"
sample_rss 18 "$data/rss-page" & sampler=$!
oha --no-tui --output-format json -z 20s -c 8 -H "$browser" -H "authorization: Bearer $token" --rand-regex-url "$page" > "$data/page-max.json"
wait $sampler
read -r page_max page_max_p50 page_ok < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); c=d.get("statusCodeDistribution", {}); print(int(d["summary"]["requestsPerSec"]), round(d["latencyPercentiles"]["p50"]*1000,2), "%d/%d" % (c.get("200", 0), sum(c.values())))' "$data/page-max.json")
oha --no-tui --output-format json -z 20s -c 8 -q $((page_max / 2)) --latency-correction -H "$browser" -H "authorization: Bearer $token" --rand-regex-url "$page" > "$data/page-half.json"
read -r page_p50 page_p99 < <(python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["latencyPercentiles"]; print(round(p["p50"]*1000,2), round(p["p99"]*1000,2))' "$data/page-half.json")
rss_load=$(awk '/^Anonymous/ {print $2}' /proc/$server/smaps_rollup)
rss_load_all=$(awk '/^Rss/ {print $2}' /proc/$server/smaps_rollup)
read -r search_rss_median search_rss_max < "$data/rss-search"
read -r page_rss_median page_rss_max < "$data/rss-page"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)
cat > bench/http-report.md <<REPORT
# HTTP search benchmark

Machine: $(nproc) cores, $cpu. $size seeded incidents (300–3,000 words each), release build, loopback, oha with 8 connections, random queries (a term, two terms, or a term with severity:sev1).

| what | figure | budget |
|---|---|---|
| index rebuilt at start | ${indexed} s, then ${settled} s until the server was idle (merges) | — |
| highest rate | ${max} req/s | — |
| \`GET /api/v1/search\` at half that (${half} req/s) | p50 ${p50} ms, p99 ${p99} ms (${ok} answered 200) | p99 ≤ 5 ms |
| incident page \`GET /incidents/{id}\` (random of the $size, HTML with similar past incidents, gzip/br as a browser asks): highest rate | ${page_max} req/s, p50 ${page_max_p50} ms (${page_ok} answered 200) | ≥ 3,000 req/s on 2 cores |
| incident page at half that ($((page_max / 2)) req/s) | p50 ${page_p50} ms, p99 ${page_p99} ms | p50 ≤ 1 ms |
| RSS without page cache (anonymous): after the rebuild / once idle after it | $((rss / 1024)) MB / $((rss_settled / 1024)) MB | — |
| RSS (anonymous) during the search load at half rate, sampled each second: median / max | ${search_rss_median} / ${search_rss_max} MB | ≤ 150 MB |
| RSS (anonymous) during the incident-page load at the highest rate: median / max | ${page_rss_median} / ${page_rss_max} MB | ≤ 150 MB |
| RSS (anonymous) at the end, and with mapped index files | $((rss_load / 1024)) MB; $((rss_load_all / 1024)) MB | — |
REPORT
cat bench/http-report.md
