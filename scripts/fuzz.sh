#!/usr/bin/env bash
# Fuzzes the strategy-document importer with cargo-fuzz (libFuzzer) for a bounded time:
#   scripts/fuzz.sh [SECONDS]        (default 300)
# Needs the nightly toolchain (installed beside stable here) and cargo-fuzz (installed from
# crates.io when missing). A crash stops the run and leaves its input in
# fuzz/artifacts/document/; copy it into fuzz/regressions/document/, where the test
# `fuzz_regressions_are_refused_or_round_trip` (part of `make test`) keeps it checked.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
if ! rustup toolchain list | grep -q '^nightly'; then
  echo "error: cargo-fuzz needs the nightly toolchain (rustup toolchain install nightly)" >&2
  exit 1
fi
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
mkdir -p fuzz/corpus/document
cp -n fuzz/regressions/document/* fuzz/corpus/document/ 2>/dev/null || true
cd fuzz
# Own target folder inside the one target dir: the fuzz build has its own flags.
cargo +nightly fuzz run document corpus/document --target-dir ../target/fuzz -- \
  -max_total_time="$seconds" -max_len=65536 -timeout=10
