# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
# wasm-opt comes from npm (binaryen 132); it must win over any other on PATH.
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(or $(CARGO_HOME),$(HOME)/.cargo)/bin:$(PATH)

ADDR ?= 127.0.0.1:3000
DB ?= data/meilenstein.db

# Everything the release build is made from; an unchanged tree is not built again.
SOURCES := Cargo.toml Cargo.lock .cargo/config.toml scripts/build.sh $(shell find app server migrations style public -type f -not -path '*/tests/*' 2>/dev/null)
BUILT := target/release/.meilenstein-built

.PHONY: run test setup build unit lint e2e fmt

## Installs what is missing, builds, and serves the app with demo data on http://$(ADDR)
run: setup $(BUILT)
	@mkdir -p $(dir $(DB))
	./target/release/meilenstein serve --addr $(ADDR) --db $(DB)

## Runs every test: formatting, lints, unit and integration tests, browser tests
test: setup lint unit $(BUILT) e2e

setup:
	@./scripts/setup.sh

## The release build: server binary and wasm bundle, with the site files in target/site
build: $(BUILT)

$(BUILT): $(SOURCES)
	./scripts/build.sh
	@touch $@

unit:
	cargo test --workspace

lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy -p app --lib --no-default-features --features hydrate --target wasm32-unknown-unknown -- -D warnings

## Browser tests in Debian's Chromium against the release build (JavaScript on and off)
e2e:
	cd end2end && npx playwright test

fmt:
	cargo fmt --all
