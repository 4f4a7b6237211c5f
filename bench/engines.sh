#!/usr/bin/env bash
# SQLite and PostgreSQL side by side in one run (issue 17): the same scale data on each, the
# dashboard and a need page against the bare-server limit, saves (p50, p99) and the load with
# writes, with the release build; PostgreSQL is a throwaway server with fsync on (started and
# removed by scripts/with-postgres.sh), on this machine beside the app.
#   bench/engines.sh [MILESTONES]    (default 2500; SECS, LOAD_SECS, LOAD_CLIENTS as bench/run.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-2500}"
echo "########## SQLite"
ONLY=pages bench/run.sh "$n"
echo "########## PostgreSQL"
PG_FSYNC=on ENGINE=postgres ONLY=pages scripts/with-postgres.sh bench/run.sh "$n"
