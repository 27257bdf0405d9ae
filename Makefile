# ProphRL — the two commands of the README:
#   make demo   runs the main job on the embedded default (installs what it needs first)
#   make test   runs the default test suite (installs what it needs first)
# Long runs sit behind explicit targets (make test-long, make bench).

SHELL := /bin/bash
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
# Debian packages the build and the tests need (system libraries of the adapters, tools of interop tests).
APT_PACKAGES := pkg-config libsqlite3-dev libpng-dev libopenblas-dev libbullet-dev libhdf5-dev
# Python peers for interop tests (installed with pip into the user's Python).
PIP_PACKAGES := safetensors numpy ur-rtde==1.6.5 h5py

.PHONY: deps build release demo test test-long check-architecture bench clean

deps:
	@scripts/install-deps.sh "$(APT_PACKAGES)" "$(PIP_PACKAGES)"

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

demo: release
	.build/release/prophrl --help
	.build/release/prophrl selfcheck
	.build/release/prophrl schedule

check-architecture:
	@scripts/check-architecture.sh

# No --parallel: it drops XCTest's closing summary (docs/architecture.md, testing notes).
# Tests that run against real sockets and a 500 Hz controller simulator need the cooperative thread pool to
# themselves: they run after the rest, one at a time.
REALTIME_TESTS := RobotRTDETests\.

test: deps check-architecture
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip '$(REALTIME_TESTS)'
	$(SWIFT) test --skip-build --filter '$(REALTIME_TESTS)' --no-parallel

test-long: deps
	$(SWIFT) build --build-tests
	PROPHRL_LONG_TESTS=1 $(SWIFT) test --skip-build --skip '$(REALTIME_TESTS)'
	PROPHRL_LONG_TESTS=1 $(SWIFT) test --skip-build --filter '$(REALTIME_TESTS)' --no-parallel

# Release benchmarks; results and method in docs/performance.md.
bench: deps
	$(SWIFT) run -c release CheckpointBench

clean:
	rm -rf .build
