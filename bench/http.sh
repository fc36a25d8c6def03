#!/usr/bin/env bash
# HTTP throughput of a single check against the trivial /healthz, in one run
# on one server, with check records durable: over the embedded SQLite store,
# or with "postgres" as third argument over a fresh PostgreSQL database.
# Usage: bench/http.sh [seconds] [connections] [sqlite|postgres]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-50}
engine=${3:-sqlite}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }

work=$(mktemp -d)
db=""
cleanup() {
  kill $pid 2>/dev/null; wait $pid 2>/dev/null
  [ -n "$db" ] && psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
go build -o "$work/chengxin" ./cmd/chengxin
port=$((20000 + RANDOM % 20000))
url=http://127.0.0.1:$port
store=(--data "$work/data")
if [ "$engine" = postgres ]; then
  db=chengxin_bench_$RANDOM
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $db" >/dev/null
  store=(--db "postgres://postgres@127.0.0.1:5432/$db?sslmode=disable")
fi
CHENGXIN_ADMIN_TOKEN=bench-admin "$work/chengxin" serve --addr 127.0.0.1:$port "${store[@]}" --log-level warn &
pid=$!
for _ in $(seq 100); do curl -sf "$url/healthz" >/dev/null && break; sleep 0.1; done

token() { sed -E 's/.*"token":"([^"]+)".*/\1/'; }
court=$(curl -sf -X POST "$url/v1/orgs" -H 'Authorization: Bearer bench-admin' -H 'Content-Type: application/json' \
  -d '{"code":"gz-court","name":"贵州省高级人民法院","roles":["source"],"lists":["court.dishonest"]}' | token)
dept=$(curl -sf -X POST "$url/v1/orgs" -H 'Authorization: Bearer bench-admin' -H 'Content-Type: application/json' \
  -d '{"code":"gy-housing","name":"贵阳市不动产登记中心","roles":["department"],"items":["real_estate.transfer"]}' | token)
curl -sf -X POST "$url/v1/lists/court.dishonest/entries" -H "Authorization: Bearer $court" -H 'Content-Type: application/json' \
  -d '{"source_ref":"（2019）黔0112执1234号","subject":{"kind":"person","id_type":"resident_id","id":"11010519491231002X","name":"张三"},"reason":"拒不履行"}' >/dev/null

cat > "$work/check.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $dept"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"item":"real_estate.transfer","subject":{"id_type":"resident_id","id":"11010519491231002X","name":"张三"},"operator":"窗口03"}'
LUA

echo "== store: $engine"
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(go version | cut -d' ' -f3)"
echo "== GET /healthz"
wrk -t2 -c"$conns" -d"${secs}s" "$url/healthz" | grep -E 'Requests/sec|Latency'
echo "== POST /v1/checks (block, durable record)"
wrk -t2 -c"$conns" -d"${secs}s" -s "$work/check.lua" "$url/v1/checks" | grep -E 'Requests/sec|Latency|Non-2xx'
