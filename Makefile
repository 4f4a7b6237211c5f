# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
# wasm-opt comes from npm (binaryen 132); it must win over any other on PATH.
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)

ADDR ?= 127.0.0.1:3000
DB ?= data/meilenstein.db

# Everything the release build is made from; an unchanged tree is not built again.
SITE_SOURCES := Cargo.toml Cargo.lock .cargo/config.toml scripts/build.sh $(shell find app style public -type f -not -path '*/tests/*' 2>/dev/null)
SOURCES := $(SITE_SOURCES) $(shell find server migrations -type f -not -path '*/tests/*' 2>/dev/null)
BUILT := target/release/.meilenstein-built
DEV_BUILT := target/debug/.meilenstein-built
SITE := target/.site-built
# The server the browser tests run: the debug binary `cargo test` has built already (the same
# code and features; the release build would cost a fresh machine minutes more of compiling). `make e2e
# E2E_BIN=../target/release/meilenstein` runs them against the release build.
E2E_BIN ?= ../target/debug/meilenstein

.PHONY: run test setup build site unit lint e2e fmt

## Installs what is missing, builds, and serves the app with demo data on http://$(ADDR)
## (the debug server, quick to compile; `make build` makes the release binary to deploy)
run:
	@./scripts/setup.sh run
	@$(MAKE) --no-print-directory $(DEV_BUILT)
	@mkdir -p $(dir $(DB))
	./target/debug/meilenstein serve --addr $(ADDR) --db $(DB)

## Runs every test: formatting, lints, unit and integration tests, browser tests
test: setup lint unit site e2e

setup:
	@./scripts/setup.sh

## The release build: server binary and wasm bundle, with the site files in target/site
build: $(BUILT)

$(BUILT): $(SOURCES)
	./scripts/build.sh
	@touch $@ $(SITE)

$(DEV_BUILT): $(SOURCES)
	./scripts/build.sh dev
	@touch $@ $(SITE)

## The site files only (wasm bundle, stylesheet, public/)
site: $(SITE)

$(SITE): $(SITE_SOURCES)
	./scripts/build.sh site
	@touch $@

## The unit and integration tests, on SQLite, then once more on a throwaway PostgreSQL server
## (every test that opens a database opens one there: app::store::scratch)
unit:
	cargo test --workspace
	./scripts/with-postgres.sh cargo test --workspace

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p app --lib --no-default-features --features hydrate --target wasm32-unknown-unknown -- -D warnings

## Browser tests in Debian's Chromium (JavaScript on and off), the site files and $(E2E_BIN),
## on SQLite, then once more on a throwaway PostgreSQL server
e2e:
	cargo test --workspace --no-run -q
	cd end2end && E2E_BIN=$(E2E_BIN) npx playwright test
	./scripts/with-postgres.sh sh -c 'cd end2end && E2E_BIN=$(E2E_BIN) npx playwright test'

fmt:
	cargo fmt --all
