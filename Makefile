# Global Resiliency CCP extension. `make` builds both browser packages; `make test` runs every test suite.
# Both set the machine up first (build/setup.sh), so they work on a fresh clone.
SHELL := /bin/bash
PY := .venv/bin/python
BUILD := $(PY) -m grccp_build
STAMPS := .stamps
TEST_TMP := $(CURDIR)/tmp
PYTEST := GRCCP_TEST_TMP=$(TEST_TMP) $(PY) -m pytest
# TEST_WORKERS=N runs `make test` in N pytest-xdist workers, each its own pytest process with its own emulator (its
# own loopback ports and certificates) and a fresh browser per test, so tests share nothing. One process by default:
# on a two-core machine the suite is CPU-bound (two workers: 48 min against 51, every browser test ~2.5 times slower,
# and a real-Streams conformance wait timed out), so parallel workers pay only on more cores.
TEST_WORKERS ?= 0
BUILD_INPUTS := $(shell find py_src extension manifest build -type f -not -path '*/__pycache__/*' 2>/dev/null)

.PHONY: all setup build dist test test-unit test-build test-emulator test-e2e lint emulator clean \
	demo bench bench-smoke bench-compare run-chrome run-firefox reliability soak
all: build

setup: $(STAMPS)/setup
$(STAMPS)/setup: requirements.txt package-lock.json build/setup.sh
	build/setup.sh
	@mkdir -p $(STAMPS) && touch $@

build: dist/.built
dist/.built: $(STAMPS)/setup $(BUILD_INPUTS)
	$(BUILD)
	@touch $@

dist: build

$(TEST_TMP):
	@mkdir -p $@

test: build | $(TEST_TMP)
	$(PYTEST) tests -q -m "not reliability_only" --durations=40 -n $(TEST_WORKERS) --dist worksteal
	$(MAKE) --no-print-directory lint

test-unit: setup | $(TEST_TMP)
	$(PYTEST) tests/unit -q

test-build: setup | $(TEST_TMP)
	$(PYTEST) tests/build -q

test-emulator: setup | $(TEST_TMP)
	$(PYTEST) tests/emulator tests/conformance -q

test-e2e: build | $(TEST_TMP)
	$(PYTEST) tests/e2e -q

# web-ext lint: no errors allowed; the warnings that remain are listed with their reasons in README.md
lint: build
	$(PY) -m grccp_build.lint dist/firefox

emulator: setup
	$(PY) tests/emulator

clean:
	rm -rf dist $(TEST_TMP)

# Faults and hostile input, every variant, then every variant of the other files' stress scenarios and every test
# or variant `make test` leaves out (tests/e2e/conftest.py says which)
reliability: build | $(TEST_TMP)
	$(PYTEST) tests/e2e/test_faults.py tests/e2e/test_engine_robustness.py tests/e2e/test_log_flood.py tests/unit/test_core_fuzz.py -q
	$(PYTEST) tests/e2e -q -m "stress or reliability_only" --ignore=tests/e2e/test_faults.py \
		--ignore=tests/e2e/test_engine_robustness.py --ignore=tests/e2e/test_log_flood.py

# The long shift: 2,000 contacts, 50 failovers, 200,000 log lines (a short one runs in `make test`)
soak: build | $(TEST_TMP)
	TMPDIR=$(TEST_TMP) $(PY) tests/soak/long_shift.py

# The narrated demo on the emulator (Chromium; a visible window when a display is available): dist/demo/
demo: build | $(TEST_TMP)
	$(PY) tests/demo

# The extension side by side with connect-streams-dr.js (slow, noisy: not part of `make test`): dist/bench/.
# BENCH_MODES: quiet (Chromium), loaded (Chromium beside the bench's fixed CPU load), firefox (Firefox ESR),
# firefox-loaded; e.g. `make bench BENCH_MODES=loaded`. BENCH_PAIRS: legacy (the extension in legacy DR mode
# against connect-streams-dr.js), heavy (the same with the emulator's heavy CCP: init and switch only), acgr (in
# ACGR mode against connect-streams.js with enableGlobalResiliency: init and switch only; the CCPs on a site of their own, as in a real deployment: tests/bench/topology.py), acgr-same-site
# (the same with the CCPs on the page's site), page-api and acgr-page-api (an opted-in page using the page API, in each protocol, against the
# same references: init and switch), page-api-off (a page not opted in: the page API on elsewhere / off: init and
# what the page is injected); e.g. `make bench BENCH_PAIRS=acgr`. BENCH_ARGS: any other option of
# tests/bench/run.py (and of compare.py for bench-compare), e.g. BENCH_ARGS="--runs 3 --load-duty 0.5"
BENCH_MODES ?= quiet,loaded,firefox
BENCH_PAIRS ?= legacy,heavy,acgr,acgr-same-site,page-api,acgr-page-api,page-api-off
BENCH_ARGS ?=
bench: build | $(TEST_TMP)
	$(PY) tests/bench/run.py --modes $(BENCH_MODES) --pairs $(BENCH_PAIRS) $(BENCH_ARGS)

# One run of each side of the legacy and ACGR pairs in each mode with few samples, so the benchmark cannot rot (CI);
# results in tmp/bench-smoke/; the page API's pairs once, in Chromium (~70 s), in tmp/bench-smoke-page-api/; the
# heavy-CCP pair in Chromium and Firefox (each hides the stand-by CCP its own way), in tmp/bench-smoke-heavy/ (and one
# short comparison run under the load, for the same reason)
bench-smoke: build | $(TEST_TMP)
	$(PY) tests/bench/run.py --smoke --modes quiet,loaded,firefox --pairs legacy,acgr --out $(TEST_TMP)/bench-smoke
	$(PY) tests/bench/run.py --smoke --modes quiet --pairs page-api,acgr-page-api,page-api-off \
		--out $(TEST_TMP)/bench-smoke-page-api
	$(PY) tests/bench/run.py --smoke --modes quiet,firefox --pairs heavy --out $(TEST_TMP)/bench-smoke-heavy
	$(PY) tests/bench/compare.py current=dist --runs 1 --switches 2 --modes loaded

# switch_ms of builds alternated with the reference, e.g. BUILDS="before=tmp/dist-before after=dist", in one
# mode (COMPARE_MODE=quiet, loaded, firefox or firefox-loaded)
BUILDS ?= current=dist
COMPARE_MODE ?= quiet
bench-compare: build | $(TEST_TMP)
	$(PY) tests/bench/compare.py $(BUILDS) --modes $(COMPARE_MODE) $(BENCH_ARGS)

# The emulator and a browser with the extension (web-ext run), configured, for a person to click through
run-chrome: build | $(TEST_TMP)
	$(PY) tests/demo/run_browser.py chromium

run-firefox: build | $(TEST_TMP)
	$(PY) tests/demo/run_browser.py firefox

# Pictures of the popup (normal, pending, not answering, ...) and the options page (valid, with errors), made by
# driving the built extension in headless Chromium against the CCP emulator: dist/screenshots/*.png
.PHONY: screenshots
screenshots: build | $(TEST_TMP)
	$(PY) tests/screenshots/make_screenshots.py
