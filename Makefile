# nongsan — the two commands of the quick start:
#   make demo   installs what is missing, builds, creates var/demo.gpkg, serves on :8080
#   make test   installs what is missing, builds, runs every test (ctest has the last word)
BUILD ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)
DEMO_DB ?= var/demo.gpkg
HOST ?= 127.0.0.1
PORT ?= 8080
FUZZ_SECONDS ?= 600
FUZZ ?= $(shell fuzz/run.sh list)

.PHONY: all deps ui configure build demo serve test test-fast fuzz fuzz-merge format bench clean

all: build

deps:
	@scripts/install-deps.sh

ui: deps
	cd web-ui && npm run build --silent

configure:
	cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

# The UI is built first: its files are embedded into the binary.
build: ui configure
	cmake --build $(BUILD) -j $(JOBS)
	@ln -sf $(BUILD)/nongsan nongsan

demo: build
	@mkdir -p var
	$(BUILD)/nongsan demo --db $(DEMO_DB)
	@echo
	@echo "  nongsan: open http://$(HOST):$(PORT)/ and log in with one of the demo logins above"
	@echo
	$(BUILD)/nongsan serve --db $(DEMO_DB) --host $(HOST) --port $(PORT)

serve: build
	$(BUILD)/nongsan serve --db $(DEMO_DB) --host $(HOST) --port $(PORT)

# Every test: unit, storage and API on SQLite and on a PostgreSQL server the run
# starts itself, CLI acceptance scripts, and the browser tests in headless Chromium.
test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) --timeout 600

# The fast loop: no PostgreSQL, no browser, no fuzzing.
test-fast: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS) -LE 'pg|browser|cli|fuzz'

# Long fuzz runs (fuzz/README.md): every harness, or those named in FUZZ, for
# FUZZ_SECONDS each; finds go to $(BUILD)/fuzz/found, crashes to $(BUILD)/fuzz/crashes.
#   make fuzz FUZZ=csv_table FUZZ_SECONDS=3600
fuzz: build
	fuzz/run.sh build $(BUILD)
	@for n in $(FUZZ); do fuzz/run.sh run $$n $(FUZZ_SECONDS) $(BUILD) || exit 1; done

# Adds what the long runs found to fuzz/corpus, minimised (libFuzzer -merge=1).
fuzz-merge:
	@for n in $(FUZZ); do fuzz/run.sh merge $$n $(BUILD); done

format:
	find src tests bench -name '*.cpp' -o -name '*.hpp' | xargs clang-format -i

bench: build
	bench/run.sh

clean:
	rm -rf $(BUILD) web-ui/dist nongsan
