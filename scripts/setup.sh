#!/usr/bin/env bash
# Installs what building and testing Meilenstein needs, once per machine; every step is skipped
# when its tool is already there at the right version, so a second run takes seconds.
# Everything comes from the package registries (crates.io, npm, Debian); nothing else is reachable.
#
#   scripts/setup.sh         what `make test` needs
#   scripts/setup.sh run     what `make run` needs (no Chromium, no poppler-utils, no PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")/.."
for_what=${1:-test}

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli is installed by scripts/build.sh, beside the build that needs it.

# Debian's Chromium runs the browser tests (Playwright never downloads a browser here); the
# DejaVu fonts are what the server writes chart PNGs and report PDFs with; poppler-utils
# (pdftotext, pdfinfo) reads the PDFs back in the tests; python3-aiosmtpd is the mail server of
# the reminder tests.
debian=()
[ -d /usr/share/fonts/truetype/dejavu ] || debian+=(fonts-dejavu-core)
if [ "$for_what" = test ]; then
  command -v chromium >/dev/null 2>&1 || debian+=(chromium)
  command -v pdftotext >/dev/null 2>&1 || debian+=(poppler-utils)
  # The SMTP server the reminder tests start (Debian's own python3, not another on PATH).
  /usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1 || debian+=(python3-aiosmtpd)
  # PostgreSQL, the second back end: the tests start their own throwaway server with
  # pg_virtualenv (postgresql-common) from the server binaries (initdb, postgres) and use
  # pg_dump/pg_restore (postgresql-client) for `backup`.
  if ! command -v pg_virtualenv >/dev/null 2>&1 \
     || ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null \
     || ! command -v pg_dump >/dev/null 2>&1; then
    debian+=(postgresql)
  fi
fi
if [ ${#debian[@]} -gt 0 ]; then
  say "installing Debian's ${debian[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update
  $sudo_cmd apt-get install -y "${debian[@]}"
fi

# Playwright, axe-core and wasm-opt (binaryen from npm: Debian's binaryen 108 breaks hydration).
if [ ! -f end2end/node_modules/.package-lock.json ] \
   || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "installing the npm packages of end2end/"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi
