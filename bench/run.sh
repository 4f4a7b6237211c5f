#!/usr/bin/env bash
# Speed, size and memory figures for docs/PERFORMANCE.md (issue 5), on this machine, release
# build. Each page is loaded by wrk (2 threads, 50 connections) and compared with the physical
# limit: a bare axum server sending the very same bytes from memory (bench/reference, a crate
# of its own), alternating app / limit twice in one run. Figures, not pass/fail: the machine
# is shared and noisy, so read the ratios.
#   bench/run.sh [MILESTONES]      (default 2500; e.g. 100000)
#   ONLY=reports bench/run.sh N    (only the reports section: making one, its files, a slide)
#   ONLY=reporting bench/run.sh N  (only the reporting section: the owner's page, the board, a
#                                   bulk update of up to 10,000 rows previewed and applied)
#   ONLY=pages bench/run.sh N      (only the dashboard and need page against the limit, saves,
#                                   and the load with writes, with its floor: the same load
#                                   against the bare server)
#   SCALE_DB=file.db ...          (a copy of that database instead of a new one; made with
#                                   `meilenstein demo --scale N --db file.db`)
#   SERVER_LOG=warn,meilenstein=debug (the server's log filter, RUST_LOG; warn unless given)
#   CLIENT_NICE=10 ...             (the load with writes' clients at that nice: on this machine
#                                   they share the server's two cores)
#   ENGINE=postgres ...            (the same on PostgreSQL: run under scripts/with-postgres.sh,
#                                   which names the server; bench/engines.sh runs both engines
#                                   side by side)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-2500}"
secs="${SECS:-8}"
export PATH="$PWD/end2end/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 1; }
# NO_BUILD=1 takes the release build as it is (a tree being edited meanwhile is not built).
[ -n "${NO_BUILD:-}" ] || make --no-print-directory build >/dev/null
cargo build --release -q -p reference
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
bin=target/release/meilenstein
db="$work/scale.db"
if [ "${ENGINE:-sqlite}" = postgres ]; then
  server="${MEILENSTEIN_TEST_POSTGRES:?ENGINE=postgres runs under scripts/with-postgres.sh}"
  name="bench_$$"
  psql -q "$server" -c "CREATE DATABASE $name"
  db="${server%/*}/$name"
  # The reports' and reporting sections copy a SQLite file; on PostgreSQL the pages only.
  ONLY=${ONLY:-pages}
fi
echo "== scale data: $n milestones (${ENGINE:-sqlite})"
if [ -n "${SCALE_DB:-}" ]; then
  # A database made before by `demo --scale N` (SQLite), copied: at 1,000,000 milestones the
  # demo takes 8-10 minutes.
  "$bin" backup --db "$SCALE_DB" --to "$db" >/dev/null
else
  "$bin" demo --scale "$n" --db "$db"
fi
app_addr=127.0.0.1:3181
ref_addr=127.0.0.1:3182
RUST_LOG="${SERVER_LOG:-warn}" "$bin" serve --addr "$app_addr" --db "$db" &
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
  target/release/reference "$work/body" "$content_type" "$ref_addr" &
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

# Wall time (best of 3, ms) and output size of a command run on its own (a fresh process).
timed() {
  python3 - "$@" <<'PY'
import subprocess, sys, time
label, args = sys.argv[1], sys.argv[2:]
best, size = None, 0
for _ in range(3):
    start = time.perf_counter()
    out = subprocess.run(args, check=True, capture_output=True).stdout
    took = (time.perf_counter() - start) * 1000
    best, size = min(best or took, took), len(out)
print(f"{label:<44} {best:8.0f} ms {size/1024:9.1f} kB")
PY
}

if [ -z "${ONLY:-}" ] || [ "${ONLY:-}" = reports ]; then
echo "== reports (issue 14): made, and written as files by the command line (a fresh process each)"
demo_db="$work/demo.db"
RUST_LOG=warn "$bin" serve --addr 127.0.0.1:3183 --db "$demo_db" &
demo_pid=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:3183/" >/dev/null && break; sleep 0.1; done
kill $demo_pid; wait $demo_pid 2>/dev/null || true
for each in "$demo_db" "$db"; do
  label=$([ "$each" = "$demo_db" ] && echo "Mainz demo" || echo "$n milestones")
  python3 - "$label" "$bin" "$each" <<'PY'
import subprocess, sys, time
label, bin, db = sys.argv[1:]
start = time.perf_counter()
subprocess.run([bin, "report", "create", "--strategy", "1", "--name", "Bench", "--db", db],
               check=True, capture_output=True)
print(f"{'make a report, ' + label:<44} {(time.perf_counter() - start) * 1000:8.0f} ms")
PY
  id=$("$bin" report list --db "$each" | tail -1 | cut -f1)
  timed "report pdf, $label" "$bin" report pdf "$id" --db "$each"
  timed "report xlsx, $label" "$bin" report xlsx "$id" --db "$each"
  timed "report csv, $label" "$bin" report csv "$id" --db "$each"
done
report=$("$bin" report list --db "$db" | tail -1 | cut -f1)
compare "slide /reports/$report/present?slide=3" "/reports/$report/present?slide=3" "text/html; charset=utf-8"
compare "PDF, kept /reports/$report/report.pdf" "/reports/$report/report.pdf" "application/pdf"
[ "${ONLY:-}" = reports ] && exit 0
fi

if [ -z "${ONLY:-}" ] || [ "${ONLY:-}" = reporting ]; then
echo "== reporting (issue 15): the owner's page and the board against the limit; a bulk update"
cookie=$(curl -s -D - -o /dev/null -H 'Accept: application/json' \
  --data 'login=cdo&password=gutenberg-druckt-2026' "http://$app_addr/api/auth/login" |
  awk -F'[:;]' 'tolower($1) == "set-cookie" { sub(/^ /, "", $2); print $2; exit }')
department=$(curl -s "http://$app_addr/reporting.csv?lang=en" | python3 -c '
import csv, sys
rows = list(csv.reader(sys.stdin.read().lstrip("\ufeff").splitlines()))
print(rows[1][0])')
query=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$department")
compare "board /reporting" /reporting "text/html; charset=utf-8"
compare "owner's page (a department)" "/my-subgoals?department=$query" "text/html; charset=utf-8" "Cookie: $cookie"
# A template of (at most) 10,000 rows, every row changed: its preview (read and checked, what
# the upload's preview page does) and applying it, each a fresh process on a copy.
"$bin" template --as cdo --format csv --lang de --db "$db" > "$work/template.csv"
python3 - "$work/template.csv" "$work/changed.csv" <<'PY'
import csv, sys
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    rows = list(csv.reader(f, delimiter=";"))
rows = rows[:10_001]
for row in rows[1:]:
    row[4] = (row[4] + " (geprüft)")[:300]
with open(sys.argv[2], "w", encoding="utf-8-sig", newline="") as f:
    csv.writer(f, delimiter=";").writerows(rows)
print(f"bulk file: {len(rows) - 1} rows changed")
PY
timed "bulk preview (update --dry-run)" "$bin" update "$work/changed.csv" --as cdo --dry-run --db "$db"
"$bin" backup --db "$db" --to "$work/bulk.db" >/dev/null
python3 - "$bin" "$work/changed.csv" "$work/bulk.db" <<'PY'
import subprocess, sys, time
bin, file, db = sys.argv[1:]
start = time.perf_counter()
subprocess.run([bin, "update", file, "--as", "cdo", "--db", db], check=True, capture_output=True)
print(f"{'bulk apply (update), one run':<44} {(time.perf_counter() - start) * 1000:8.0f} ms")
PY
[ "${ONLY:-}" = reporting ] && exit 0
fi

echo "== pages and assets (wrk -t2 -c50 -d${secs}s, app / limit / app / limit)"
compare "dashboard /strategies/1" /strategies/1 "text/html; charset=utf-8"
compare "need /needs/1" /needs/1 "text/html; charset=utf-8"
if [ "${ONLY:-}" != pages ]; then
wasm=$(curl -s "http://$app_addr/" | grep -o 'meilenstein\.[A-Za-z0-9_-]*\.wasm' | head -1)
compare "wasm (br) /pkg/$wasm" "/pkg/$wasm" application/wasm "Accept-Encoding: br"
css=$(curl -s "http://$app_addr/" | grep -o 'meilenstein\.[A-Za-z0-9_-]*\.css' | head -1)
compare "css (br) /pkg/$css" "/pkg/$css" "text/css" "Accept-Encoding: br"

echo "== memory"
echo "server RSS after the load: $(( $(ps -o rss= -p $app_pid) / 1024 )) MB"

echo "== sizes (as served: raw, and brotli as the server compressed it at start)"
for ext in js wasm css; do
  name=$(curl -s "http://$app_addr/" | grep -o "/pkg/meilenstein\.[A-Za-z0-9_-]*\.$ext" | head -1)
  [ -n "$name" ] || continue
  raw=$(curl -s -o /dev/null -w '%{size_download}' "http://$app_addr$name")
  br=$(curl -s -H 'Accept-Encoding: br' -o /dev/null -w '%{size_download}' "http://$app_addr$name")
  awk -v n="${name#/pkg/}" -v r="$raw" -v b="$br" 'BEGIN {printf "%-36s %8.1f kB raw %7.1f kB brotli\n", n, r/1024, b/1024}'
done

echo "== the need page alone, and under a flood of refused requests (anonymous saves, 4 connections)"
cat > "$work/refused.lua" <<LUA
wrk.method = "POST"
wrk.body = "subgoal_id=1&title=Flut&due=2030-01-31&status=planned&weight=1&note="
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.headers["Origin"] = "http://$app_addr"
LUA
entries() { "$bin" audit verify --db "$db" | grep -o '[0-9]* entries' | cut -d' ' -f1; }
alone=$(load "http://$app_addr/needs/1")
before=$(entries)
wrk -t1 -c4 -d"$((secs + 2))s" -s "$work/refused.lua" "http://$app_addr/api/milestones/record" > "$work/flood" 2>&1 &
flood=$!
sleep 1
flooded=$(load "http://$app_addr/needs/1")
wait $flood
after=$(entries)
refused=$(awk '/^ +[0-9]+ requests in/ {print $1}' "$work/flood")
python3 - "$alone" "$flooded" "$refused" "$before" "$after" <<'PY'
import sys
alone, flooded = (list(map(float, s.split())) for s in sys.argv[1:3])
refused, before, after = (int(x or 0) for x in sys.argv[3:])
print(f"need page alone          {alone[0]:8.0f} req/s p99 {alone[1]:7.2f} ms")
print(f"need page under a flood  {flooded[0]:8.0f} req/s p99 {flooded[1]:7.2f} ms"
      f" | ratio {flooded[0]/alone[0]:5.3f}")
print(f"refused requests sent {refused}, audit entries added meanwhile {after - before}"
      " (the counts go on record once a minute, one entry per caller)")
PY

fi

echo "== recording a milestone (committed: SQLite synchronous=FULL, PostgreSQL fsync on), 4 connections"
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
# The pages the load reads are each rendered once first, as a server that has been answering
# for a while has them: the load measures the steady state, not the first render of 31 pages
# under load (COLD=1 leaves them unrendered).
if [ -z "${COLD:-}" ]; then
  for page in /strategies/1 $(seq -f "/needs/%g" 1 30); do curl -s -o /dev/null "http://$app_addr$page"; done
fi
# The load with writes on a server at ADDR: wrk (one latency for all its requests), and
# besides it a probe that times saves and pages of its own meanwhile.
load_with_writes() {
  local addr=$1
  nice -n "${CLIENT_NICE:-0}" python3 bench/save_probe.py "$addr" "$cookie" "$(( ${LOAD_SECS:-60} - 2 ))" > "$work/probe" &
  local probe=$!
  ADDR="$addr" COOKIE="$cookie" nice -n "${CLIENT_NICE:-0}" wrk -t2 -c"${LOAD_CLIENTS:-200}" -d"${LOAD_SECS:-60}s" --latency \
    -s bench/mixed.lua "http://$addr" \
    | awk '/Requests\/sec/ {print "requests/s " $2} /^ +(50|99)%/ {print "p" $1 " " $2} /requests .* status errors/ || /^pages kept/ {print}'
  wait $probe
  cat "$work/probe"
}
load_with_writes "$app_addr"
echo "server RSS after the load with writes: $(( $(ps -o rss= -p $app_pid) / 1024 )) MB"
# Which threads the server runs at which priority (nice), by name: the database's connection
# threads inherit it from the thread that opened them.
echo "server threads by nice and name: $(ps -L -o ni=,comm= -p $app_pid | sed 's/[0-9]*$//' | sort | uniq -c | awk '{printf "%s×%s nice %s, ", $1, $3, $2}')"
echo "server RSS at its peak (VmHWM, the whole run): $(awk '/VmHWM/ {print int($2 / 1024)}' /proc/$app_pid/status) MB"

echo "== the same load against the limit: a bare server answering every page with a need page's bytes, every save with a short JSON answer (bench/reference)"
# What no server can beat on this machine with the clients beside it: the floor for the load's
# p99 and the probe's saves. The app stands idle meanwhile.
curl -s "http://$app_addr/needs/1" -o "$work/page"
target/release/reference "$work/page" "text/html; charset=utf-8" "$ref_addr" &
limit_pid=$!
sleep 0.3
load_with_writes "$ref_addr"
kill $limit_pid; wait $limit_pid 2>/dev/null || true
