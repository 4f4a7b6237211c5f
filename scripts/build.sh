#!/usr/bin/env bash
# The builds: the server binary and the site files it serves (target/site: the islands' wasm
# bundle with its JS glue, the stylesheet, public/). Plain cargo steps, wasm-bindgen and
# wasm-opt; the server names the bundle's files by their hash and compresses them when it
# starts, so no build tool of its own is needed.
#
#   scripts/build.sh         the release server (target/release/meilenstein) and the site files
#   scripts/build.sh dev     the debug server (target/debug/meilenstein: quick to compile, what
#                            `make run` serves) and the site files
#   scripts/build.sh site    the site files only (the browser tests run them with the debug
#                            server binary that the unit tests have built already)
# The site files are always the release bundle (the size profile): the one that is shipped.
set -euo pipefail
what=${1:-all}
cd "$(dirname "$0")/.."
# wasm-opt comes from npm (binaryen 132): Debian's binaryen 108 breaks hydration.
export PATH="$PWD/end2end/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# wasm-bindgen-cli must be exactly the version of the wasm-bindgen crate in Cargo.lock. Where
# it is missing it is compiled beside the builds (it is needed only after them), not before.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
bindgen=""
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $bindgen_version"; then
  say "installing wasm-bindgen-cli $bindgen_version beside the build"
  cargo install wasm-bindgen-cli --version "$bindgen_version" &
  bindgen=$!
fi

wasm=target/wasm32-unknown-unknown/wasm-release/app.wasm
site=target/site
next=target/site.next

# The two builds use different profiles (and so different build folders): run side by side,
# they keep both cores busy through each other's single-threaded stretches (linking, LTO).
server=""
case "$what" in
  all) cargo build --release --locked -p server --bin meilenstein & server=$! ;;
  dev) cargo build --locked -p server --bin meilenstein & server=$! ;;
  site) ;;
  *) echo "usage: scripts/build.sh [dev|site]" >&2; exit 2 ;;
esac
cargo build --locked -p app --lib --target wasm32-unknown-unknown --profile wasm-release \
  --no-default-features --features hydrate
[ -z "$server" ] || wait "$server"
[ -z "$bindgen" ] || wait "$bindgen"

rm -rf "$next"
mkdir -p "$next/pkg"
wasm-bindgen --target web --no-typescript --out-dir "$next/pkg" --out-name meilenstein "$wasm"
wasm-opt -Oz "$next/pkg/meilenstein_bg.wasm" -o "$next/pkg/meilenstein.wasm"
rm "$next/pkg/meilenstein_bg.wasm"
cp style/main.css "$next/pkg/meilenstein.css"
cp -R public/. "$next/"
rm -rf "$site"
mv "$next" "$site"
