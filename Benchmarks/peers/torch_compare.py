#!/usr/bin/env python3
"""Prints TensorBench (Swift) and torch_tensor_bench.py (PyTorch CPU) results side by side.

    python3 Benchmarks/peers/torch_compare.py swift-1.json torch-1.json [swift-2.json torch-2.json ...]

Each pair is one thread count. The ratio is Swift/PyTorch of the best (minimum) wall-clock run of each
side, the figure least disturbed by other jobs on a shared machine; medians are shown too. At one thread
the ratio of the best process-CPU times is printed as well (cpu): it excludes time other jobs held the
core. Target: <= 0.80.
"""
import json
import sys

TARGET = 0.80


def load(path):
    with open(path) as f:
        return json.load(f)


def main(paths):
    if len(paths) < 2 or len(paths) % 2:
        sys.exit(__doc__)
    print(f"{'workload':16} {'phase':30} {'thr':>3} {'swift best/med ms':>18} {'torch best/med ms':>18} {'ratio':>6}"
          f"  {'cpu ms swift/torch (ratio)':>28}")
    for swift_path, torch_path in zip(paths[::2], paths[1::2]):
        swift, torch = load(swift_path), load(torch_path)
        peers = {(r["workload"], r["phase"]): r for r in torch["results"]}
        for r in swift["results"]:
            key = (r["workload"], r["phase"])
            if r["workload"].startswith("gemm"):
                extra = f"  {r.get('gflops', 0):.0f} GFLOP/s" + (f", {r['fraction_of_raw']:.2f} of raw" if "fraction_of_raw" in r else "")
                print(f"{r['workload']:16} {r['phase']:30} {swift['threads']:>3} {r['best_ms']:8.2f}/{r['ms']:<9.2f} {'':>18}{extra}")
                continue
            peer = peers.get(key)
            if peer is None:
                continue
            ratio = r["best_ms"] / peer["best_ms"]
            flag = "ok" if ratio <= TARGET else "MISS"
            cpu = ""
            if swift["threads"] == 1 and r.get("cpu_ms") and peer.get("cpu_ms"):
                cpu = f"  {r['cpu_ms']:8.2f}/{peer['cpu_ms']:<8.2f} ({r['cpu_ms'] / peer['cpu_ms']:.2f})"
            print(f"{r['workload']:16} {r['phase']:30} {swift['threads']:>3} {r['best_ms']:8.2f}/{r['ms']:<9.2f} "
                  f"{peer['best_ms']:8.2f}/{peer['ms']:<9.2f} {ratio:6.2f} {flag}{cpu}")
        gemm = peers.get(("gemm-1024", "torch-matmul"))
        if gemm:
            print(f"{'gemm-1024':16} {'torch-matmul':30} {torch['threads']:>3} {'':>18} {gemm['best_ms']:8.2f}/{gemm['ms']:<9.2f}  {gemm.get('gflops', 0):.0f} GFLOP/s")
    print(f"kernel: {swift.get('kernel', '?')}; peer: {torch.get('engine', '?')}")


if __name__ == "__main__":
    main(sys.argv[1:])
