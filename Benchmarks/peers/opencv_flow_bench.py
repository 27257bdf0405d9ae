#!/usr/bin/env python3
"""Times cv2.calcOpticalFlowFarneback per pair on one thread at the given sizes (the FlowBench peer).

Times are the calling thread's CPU time (time.thread_time), as FlowBench measures its own side, so that
other jobs sharing the cores do not inflate either.

Uses the spec's test image (flow-eval.md §3.5) shifted by (1.5, -0.75) and the project defaults
(0.5, 3, 15, 3, 5, 1.2, 0); prints one line `opencv <n> <median ms>` per size.
Usage: python3 Benchmarks/peers/opencv_flow_bench.py 64 256
"""
import sys
import time

import cv2
import numpy as np


def image(n, dx, dy):
    y, x = np.mgrid[0:n, 0:n].astype(np.float64)
    u, v = x - dx, y - dy
    val = 127.3 + 60 * np.sin(2 * np.pi * u / 23) * np.cos(2 * np.pi * v / 31) + 40 * np.sin(2 * np.pi * (u + 2 * v) / 41)
    return np.clip(np.floor(val + 0.5), 0, 255).astype(np.uint8)


def main():
    cv2.setNumThreads(1)
    for n in [int(a) for a in sys.argv[1:]] or [64, 256]:
        prev, nxt = image(n, 0, 0), image(n, 1.5, -0.75)
        reps = 400 if n <= 64 else 60
        cv2.calcOpticalFlowFarneback(prev, nxt, None, 0.5, 3, 15, 3, 5, 1.2, 0)
        times = []
        for _ in range(reps):
            t = time.thread_time()
            cv2.calcOpticalFlowFarneback(prev, nxt, None, 0.5, 3, 15, 3, 5, 1.2, 0)
            times.append(time.thread_time() - t)
        times.sort()
        print(f"opencv {n} {times[len(times) // 2] * 1e3:.4f}  (OpenCV {cv2.__version__}, 1 thread)")


if __name__ == "__main__":
    main()
