#!/usr/bin/env bash
# Speed, size and memory figures for docs/PERFORMANCE.md (issue 5), on this machine, release
# build. Each page is loaded by wrk (2 threads, 50 connections) and compared with the physical
# limit: a bare axum server sending the very same bytes from memory (server/examples/
# reference.rs), alternating app / limit twice in one run. Figures, not pass/fail: the machine
# is shared and noisy, so read the ratios.
#   bench/run.sh [MILESTONES]      (default 2500; e.g. 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-2500}"
secs="${SECS:-8}"
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
make --no-print-directory build >/dev/null
cargo build --release -q -p server --example reference
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
bin=target/release/meilenstein
echo "== scale data: $n milestones"
"$bin" demo --scale "$n" --db "$work/scale.db"
app_addr=127.0.0.1:3181
ref_addr=127.0.0.1:3182
RUST_LOG=warn "$bin" serve --addr "$app_addr" --db "$work/scale.db" &
app_pid=$!
for _ in $(seq 100); do curl -sf "http://$app_addr/" >/dev/null && break; sleep 0.1; done

# wrk's requests/s and p99 (ms) for a URL, with optional extra header.
load() {
  local url=$1 header=${2:-X-Bench: 1}
  wrk -t2 -c50 -d"${secs}s" --latency -H "$header" "$url" 2>/dev/null | awk '
    /Requests\/sec/ {rps=$2}
    /^ +99%/ {v=$2; if (v ~ /us$/) {sub("us","",v); v=v/1000} else if (v ~ /ms$/) {sub("ms","",v)} else if (v ~ /s$/) {sub("s","",v); v=v*1000}; p99=v}
    /Non-2xx/ {bad=$NF}
    END {printf "%.0f %.2f %s\n", rps, p99, (bad=="" ? 0 : bad)}'
}

# Compares a path of the app with the reference sending the same bytes.
compare() {
  local name=$1 path=$2 content_type=$3 header=${4:-X-Bench: 1}
  curl -s -H "$header" "http://$app_addr$path" -o "$work/body"
  local bytes; bytes=$(stat -c %s "$work/body")
  target/release/examples/reference "$work/body" "$content_type" "$ref_addr" &
  local ref_pid=$!
  sleep 0.3
  local a1 r1 a2 r2
  a1=$(load "http://$app_addr$path" "$header"); r1=$(load "http://$ref_addr/" "$header")
  a2=$(load "http://$app_addr$path" "$header"); r2=$(load "http://$ref_addr/" "$header")
  kill $ref_pid; wait $ref_pid 2>/dev/null || true
  python3 - "$name" "$bytes" "$a1" "$r1" "$a2" "$r2" <<'PY'
import sys
name, size = sys.argv[1], int(sys.argv[2])
a1, r1, a2, r2 = (list(map(float, s.split())) for s in sys.argv[3:])
app_rps, ref_rps = (a1[0] + a2[0]) / 2, (r1[0] + r2[0]) / 2
app_p99, ref_p99 = max(a1[1], a2[1]), max(r1[1], r2[1])
print(f"{name:<28} {size/1024:7.1f} kB  app {app_rps:8.0f} req/s p99 {app_p99:7.2f} ms | "
      f"limit {ref_rps:8.0f} req/s p99 {ref_p99:6.2f} ms | ratio {app_rps/ref_rps:5.3f}, "
      f"p99 x{app_p99/max(ref_p99,0.01):4.1f}, non-2xx {int(a1[2]+a2[2])}")
PY
}

echo "== pages and assets (wrk -t2 -c50 -d${secs}s, app / limit / app / limit)"
compare "dashboard /strategies/1" /strategies/1 "text/html; charset=utf-8"
compare "need /needs/1" /needs/1 "text/html; charset=utf-8"
wasm=$(cd target/site/pkg && ls meilenstein*.wasm | head -1)
compare "wasm (br) /pkg/$wasm" "/pkg/$wasm" application/wasm "Accept-Encoding: br"
css=$(cd target/site/pkg && ls meilenstein*.css | head -1)
compare "css (br) /pkg/$css" "/pkg/$css" "text/css" "Accept-Encoding: br"

echo "== memory"
echo "server RSS after the load: $(( $(ps -o rss= -p $app_pid) / 1024 )) MB"

echo "== sizes"
python3 - <<'PY'
import glob, os
for f in sorted(glob.glob("target/site/pkg/*")):
    if f.endswith((".br", ".gz")): continue
    br = f + ".br"
    print(f"{os.path.basename(f):<32} {os.path.getsize(f)/1024:8.1f} kB raw"
          + (f" {os.path.getsize(br)/1024:7.1f} kB brotli" if os.path.exists(br) else ""))
PY

echo "== recording a milestone (committed, synchronous=FULL), 4 connections"
cookie=$(curl -s -i -H 'Accept: application/json' -d 'login=cdo&password=gutenberg-druckt-2026' \
  "http://$app_addr/api/auth/login" | awk -F'[:;] *' 'tolower($1)=="set-cookie" {print $2; exit}')
cat > "$work/record.lua" <<LUA
wrk.method = "POST"
wrk.body = "subgoal_id=1&title=Lastprobe&due=2030-01-31&status=planned&weight=1&note="
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.headers["Origin"] = "http://$app_addr"
wrk.headers["Cookie"] = "$cookie"
LUA
wrk -t2 -c4 -d"${secs}s" --latency -s "$work/record.lua" "http://$app_addr/api/milestones/record" \
  | awk '/Requests\/sec/ {print "saves/s " $2} /^ +(50|99)%/ {print "p" $1 " " $2} /Non-2xx/ {print}'

echo "== load with writes: ${LOAD_CLIENTS:-200} clients, ${LOAD_SECS:-60} s, 90 % page reads, 10 % milestone saves"
ADDR="$app_addr" COOKIE="$cookie" wrk -t2 -c"${LOAD_CLIENTS:-200}" -d"${LOAD_SECS:-60}s" --latency \
  -s bench/mixed.lua "http://$app_addr" \
  | awk '/Requests\/sec/ {print "requests/s " $2} /^ +(50|99)%/ {print "p" $1 " " $2} /requests .* status errors/ {print}'
echo "server RSS after the load with writes: $(( $(ps -o rss= -p $app_pid) / 1024 )) MB"
echo "server RSS at its peak (VmHWM, the whole run): $(awk '/VmHWM/ {print int($2 / 1024)}' /proc/$app_pid/status) MB"
