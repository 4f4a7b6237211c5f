#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server: started here (Debian's postgresql, through
# pg_virtualenv from postgresql-common, in a temporary folder, on a free port), named to the
# command in MEILENSTEIN_TEST_POSTGRES (a URL as a superuser: the tests make a database each),
# and removed when the command ends, whatever its outcome.
#
#   scripts/with-postgres.sh cargo test -p app --lib store::
set -euo pipefail
if ! command -v pg_virtualenv >/dev/null 2>&1; then
  echo "pg_virtualenv is missing: run scripts/setup.sh (it installs Debian's postgresql)" >&2
  exit 1
fi
# -t: a temporary cluster folder even as root; fsync off (a throwaway server: a crash of the
# machine need not be survived; a killed server process still loses nothing committed), unless
# PG_FSYNC=on (the benchmarks: commits as durable as SQLite's synchronous=FULL).
fsync=${PG_FSYNC:-off}
exec pg_virtualenv -t -o fsync="$fsync" -o max_connections=200 -o log_min_messages=fatal \
  -o log_min_error_statement=panic sh -c '
  export MEILENSTEIN_TEST_POSTGRES="postgres://$PGUSER:$PGPASSWORD@$PGHOST:$PGPORT/postgres"
  exec "$@"' with-postgres "$@"
