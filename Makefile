# ProphRL — the two commands of the README:
#   make demo   runs the main job on the embedded default (installs what it needs first)
#   make test   runs the default test suite (installs what it needs first)
# Long runs sit behind explicit targets (make test-long, make bench).

SHELL := /bin/bash
SWIFT ?= $(shell command -v swift 2>/dev/null || echo /opt/swift/usr/bin/swift)
# Debian packages the build and the tests need (system libraries of the adapters, tools of interop tests).
APT_PACKAGES := pkg-config libsqlite3-dev libpng-dev libopenblas-dev libbullet-dev libhdf5-dev libavcodec-dev libavformat-dev libavutil-dev libswscale-dev libavdevice-dev
# Python peers for interop tests (installed with pip into the user's Python).
PIP_PACKAGES := safetensors numpy ur-rtde==1.6.5 h5py opencv-python-headless

.PHONY: deps build release demo test test-long check-architecture bench bench-checkpoints bench-sim bench-tensor bench-flow clean

deps:
	@scripts/install-deps.sh "$(APT_PACKAGES)" "$(PIP_PACKAGES)"

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

demo: release
	.build/release/prophrl selfcheck
	.build/release/prophrl demo

check-architecture:
	@scripts/check-architecture.sh

# No --parallel: it drops XCTest's closing summary (docs/architecture.md, testing notes).
# Tests that run after the rest, one at a time: those against real sockets and a 500 Hz controller simulator
# need the cooperative thread pool to themselves, and Prophet's bit-for-bit reproducibility tests need no other
# test changing OpenBLAS's process-wide thread count under them.
REALTIME_TESTS := RobotRTDETests\.|prophrlTests\.RobotCLITests|prophrlTests\.DeployCLITests|ProphetDiTTests\.|TensorEngineTests\.NativeKernelTests

test: deps check-architecture
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip '$(REALTIME_TESTS)'
	$(SWIFT) test --skip-build --filter '$(REALTIME_TESTS)' --no-parallel

test-long: deps
	$(SWIFT) build --build-tests
	PROPHRL_LONG_TESTS=1 $(SWIFT) test --skip-build --skip '$(REALTIME_TESTS)'
	PROPHRL_LONG_TESTS=1 $(SWIFT) test --skip-build --filter '$(REALTIME_TESTS)' --no-parallel

# Release benchmarks; results and method in docs/performance.md. `make bench` runs all of them.
bench: bench-checkpoints bench-sim bench-flow bench-tensor

bench-checkpoints: deps
	$(SWIFT) run -c release CheckpointBench

bench-sim: deps
	$(SWIFT) run -c release SimBench

# Tensor engine vs PyTorch CPU (docs/performance.md, "Tensor engine"): both at 1 and 2 threads, side by side.
# The peer needs `python3 -m pip install 'torch==2.13.0+cpu'`. BENCH_REPEATS sets the repetitions.
BENCH_REPEATS ?= 9
bench-tensor: deps
	$(SWIFT) build -c release --product TensorBench
	@mkdir -p .build/bench
	@for t in 1 2; do \
		.build/release/TensorBench --json --threads $$t --repeats $(BENCH_REPEATS) > .build/bench/swift-$$t.json && \
		python3 Benchmarks/peers/torch_tensor_bench.py --json --threads $$t --repeats $(BENCH_REPEATS) > .build/bench/torch-$$t.json || exit 1; \
	done
	@python3 Benchmarks/peers/torch_compare.py .build/bench/swift-1.json .build/bench/torch-1.json .build/bench/swift-2.json .build/bench/torch-2.json

# Farneback vs OpenCV per pair (1 thread), 2-thread speed-up over a video, FFmpeg decode/encode speed.
bench-flow: deps
	$(SWIFT) build -c release --product FlowBench
	.build/release/FlowBench

clean:
	rm -rf .build
