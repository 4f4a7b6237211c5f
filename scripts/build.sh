#!/usr/bin/env bash
# The release build: the server binary (target/release/meilenstein) and the site files it serves
# (target/site: the islands' wasm bundle with its JS glue, the stylesheet, public/). Plain cargo
# steps, wasm-bindgen and wasm-opt; the server names the bundle's files by their hash and
# compresses them when it starts, so no build tool of its own is needed.
#
#   scripts/build.sh         the server binary and the site files
#   scripts/build.sh site    the site files only (the browser tests run them with the debug
#                            server binary that the unit tests have built already)
set -euo pipefail
what=${1:-all}
cd "$(dirname "$0")/.."
# wasm-opt comes from npm (binaryen 132): Debian's binaryen 108 breaks hydration.
export PATH="$PWD/end2end/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

wasm=target/wasm32-unknown-unknown/wasm-release/app.wasm
site=target/site
next=target/site.next

# The two builds use different profiles (and so different build folders): run side by side,
# they keep both cores busy through each other's single-threaded stretches (linking, LTO).
server=""
if [ "$what" = all ]; then
  cargo build --release --locked -p server --bin meilenstein &
  server=$!
fi
cargo build --locked -p app --lib --target wasm32-unknown-unknown --profile wasm-release \
  --no-default-features --features hydrate
[ -z "$server" ] || wait "$server"

rm -rf "$next"
mkdir -p "$next/pkg"
wasm-bindgen --target web --no-typescript --out-dir "$next/pkg" --out-name meilenstein "$wasm"
wasm-opt -Oz "$next/pkg/meilenstein_bg.wasm" -o "$next/pkg/meilenstein.wasm"
rm "$next/pkg/meilenstein_bg.wasm"
cp style/main.css "$next/pkg/meilenstein.css"
cp -R public/. "$next/"
rm -rf "$site"
mv "$next" "$site"
