# Firebreak: `make run` serves the app, `make test` runs every check.
# Both install what is missing first; each setup step skips itself when done.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CARGO_LEPTOS_VERSION := 0.3.10
WASM_BINDGEN_VERSION := 0.2.130
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# wasm-opt (npm's binaryen 132) and Playwright come from end2end/node_modules;
# Debian's binaryen breaks hydration.
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# Read by leptos at compile time; the same value as cargo-leptos uses.
export LEPTOS_OUTPUT_NAME := firebreak

ADDR ?= 127.0.0.1:3000
DATA_DIR ?= ./data
WASM_TARGET_ARGS := -p app --no-default-features --features hydrate --target wasm32-unknown-unknown

BUNDLE_BUDGET_BROTLI := 256000

.PHONY: faults bench bundle-size search-bench http-bench insights-bench help setup setup-system setup-rust setup-node build run demo test fmt-check clippy clippy-ssr clippy-wasm wasm-guard test-unit test-integration test-postgres e2e screenshots clean

help:
	@echo "make run    - set up, build (release) and serve http://$(ADDR) with data in $(DATA_DIR)"
	@echo "make demo   - the same, with about 30 demo incidents in an empty registry"
	@echo "make test   - set up, then fmt, clippy (ssr + wasm), unit, integration (SQLite, then PostgreSQL when it answers) and browser tests"
	@echo "make http-bench - GET /api/v1/search and the incident page over HTTP on a seeded registry (oha): top rate, p50/p99 at half of it, RSS"
	@echo "make insights-bench - server time of /insights and /api/v1/insights on 100k seeded incidents (curl)"
	@echo "make faults - the fault harness (kill -9 loop, SIGTERM under load, 50 writers, disk full) against target/release/firebreak; writes bench/faults-report.md"
	@echo "make bench  - measured figures (bundle size; search engine against SQLite FTS5, and PostgreSQL when FIREBREAK_TEST_POSTGRES_URL is set), next to their budgets"

# ---- Setup --------------------------------------------------------------
setup: setup-system setup-rust setup-node

setup-system:
	@need=""; \
	for p in pkg-config libssl-dev chromium; do dpkg -s $$p >/dev/null 2>&1 || need="$$need $$p"; done; \
	if [ -n "$$need" ]; then echo "installing:$$need"; $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q $$need; fi

setup-rust:
	@rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@cargo leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)" || \
		CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
		cargo install cargo-leptos --locked --version $(CARGO_LEPTOS_VERSION) --features no_downloads
	@# Without --locked: wasm-bindgen-cli's lockfile pins a crate that is not in the registry.
	@wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)" || cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)

setup-node: end2end/node_modules/.installed

end2end/node_modules/.installed: end2end/package.json end2end/package-lock.json
	npm ci --prefix end2end --no-audit --no-fund
	@touch $@

# ---- Build and run ------------------------------------------------------
build: setup-rust setup-node
	cargo leptos build --release

run: setup-system build
	target/release/firebreak serve --addr $(ADDR) --data-dir $(DATA_DIR) --site-root target/site

demo: setup-system build
	target/release/firebreak serve --demo --addr $(ADDR) --data-dir $(DATA_DIR) --site-root target/site

# ---- Checks ---------------------------------------------------------------
test: setup fmt-check clippy test-unit test-integration test-postgres e2e
	@echo "make test: all checks passed"

fmt-check:
	cargo fmt --all -- --check

clippy: clippy-ssr clippy-wasm wasm-guard

clippy-ssr:
	cargo clippy --workspace --all-targets -- -D warnings

clippy-wasm:
	cargo clippy $(WASM_TARGET_ARGS) -- -D warnings

# The browser bundle must never pull in the server's runtime or storage.
wasm-guard:
	@if cargo tree $(WASM_TARGET_ARGS) -e normal | grep -Eq '^[^a-z]*(tokio|mio|sqlx|tantivy) '; then \
		echo "the wasm build depends on tokio, mio, sqlx or tantivy"; exit 1; fi
	@if cargo tree -p app -e normal --features ssr | grep -Eq '^[^a-z]*(sqlx|tantivy) '; then \
		echo "app depends on sqlx or tantivy"; exit 1; fi
	@echo "wasm-guard: app stays free of tokio, mio, sqlx and tantivy"

test-unit:
	cargo test --workspace --lib --bins

test-integration:
	cargo test --workspace --test '*'

# The same integration tests on PostgreSQL: each test gets a database of its
# own on FIREBREAK_TEST_POSTGRES_URL's server. Skipped, loudly, when nothing
# answers there.
PG_TEST_URL ?= $(or $(FIREBREAK_TEST_POSTGRES_URL),postgres://postgres@127.0.0.1:5432/test)
test-postgres:
	@hostport=$$(echo '$(PG_TEST_URL)' | sed -E 's#^[a-z]+://([^@/]*@)?([^/:?]+)(:([0-9]+))?.*#\2 \4#'); \
	set -- $$hostport; host=$$1; port=$${2:-5432}; \
	if timeout 3 bash -c "exec 3<>/dev/tcp/$$host/$$port" 2>/dev/null; then \
		echo "PostgreSQL leg: integration tests on $$host:$$port"; \
		FIREBREAK_TEST_BACKEND=postgres FIREBREAK_TEST_POSTGRES_URL='$(PG_TEST_URL)' cargo test --workspace --test '*'; \
	else \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
		echo "!!! PostgreSQL leg SKIPPED: nothing answers at $$host:$$port"; \
		echo "!!! (set FIREBREAK_TEST_POSTGRES_URL to run the store contract on PostgreSQL)"; \
		echo "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!"; \
	fi

e2e: setup-system setup-node build
	cd end2end && npx playwright test

# ---- Fault harness (separate from `make test`: about a minute, needs root for the tmpfs) ----
# Real `firebreak serve` processes through kill -9 during writes, SIGTERM under
# load, 50 concurrent writers and a full disk; exits non-zero if a check fails.
# Uses the release binary, else the debug one; builds only when there is neither.
faults:
	@bin=target/release/firebreak; \
	if [ ! -x $$bin ] && [ -x target/debug/firebreak ]; then \
		bin=target/debug/firebreak; echo "note: no release build; running against $$bin (slower; figures are not release figures)"; \
	fi; \
	if [ ! -x $$bin ]; then cargo build --release -p server --bin firebreak; fi; \
	python3 bench/faults/faults.py --binary $$bin

# ---- Benchmarks (figures, never pass/fail on time) ---------------------------
bench: bundle-size search-bench

# tantivy against SQLite FTS5 (and PostgreSQL tsvector+GIN when
# FIREBREAK_TEST_POSTGRES_URL is set) on a seeded corpus; writes bench/report.md.
# FIREBREAK_BENCH_SIZES=10000 for a quick run (default 10000,100000).
search-bench:
	cargo bench -p server --bench search

# GET /api/v1/search and the incident page over HTTP (oha) on a seeded registry of
# FIREBREAK_HTTP_BENCH_SIZE incidents (default 100000); writes bench/http-report.md.
http-bench: build
	@command -v oha >/dev/null || cargo install oha --locked
	bench/http-load.sh

# Insights and the action board on a seeded registry; writes bench/insights-report.md.
insights-bench: build
	bench/insights-load.sh

# The hydrate bundle (wasm + js) raw, gzip -9 and brotli, against the budget.
bundle-size: build
	@command -v brotli >/dev/null || $(SUDO) apt-get install -y -q brotli
	@total_raw=0; total_gz=0; total_br=0; \
	for f in target/site/pkg/firebreak.wasm target/site/pkg/firebreak.js; do \
		raw=$$(stat -c %s $$f); gz=$$(gzip -9 -c $$f | wc -c); br=$$(brotli -c -q 11 $$f | wc -c); \
		printf "%-32s raw %8d  gzip %8d  brotli %8d\n" $$f $$raw $$gz $$br; \
		total_raw=$$((total_raw+raw)); total_gz=$$((total_gz+gz)); total_br=$$((total_br+br)); \
	done; \
	printf "%-32s raw %8d  gzip %8d  brotli %8d  (budget: brotli <= %d)\n" "hydrate bundle" $$total_raw $$total_gz $$total_br $(BUNDLE_BUDGET_BROTLI)

screenshots:
	cd end2end && mkdir -p screenshots && node screenshots.mjs

clean:
	cargo clean
	rm -rf end2end/node_modules end2end/test-results end2end/.data
