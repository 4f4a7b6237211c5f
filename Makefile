# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
# wasm-opt comes from npm (binaryen 132); it must win over any other on PATH.
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)

ADDR ?= 127.0.0.1:3000
DB ?= data/meilenstein.db

.PHONY: run test setup build unit lint e2e fmt

## Installs what is missing, builds, and serves the app with demo data on http://$(ADDR)
run: setup build
	@mkdir -p $(dir $(DB))
	./target/release/meilenstein serve --addr $(ADDR) --db $(DB)

## Runs every test: formatting, lints, unit and integration tests, browser tests
test: setup lint unit build e2e

setup:
	@./scripts/setup.sh

## The release build: server binary and wasm bundle, with the site files in target/site
build:
	cargo leptos build --release

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
