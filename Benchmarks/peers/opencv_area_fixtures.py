#!/usr/bin/env python3
"""Generates Fixtures/area/: a seeded 20×14 RGB image and OpenCV's INTER_AREA reductions of it.

Files: source.bin (uint8 RGB, 14 rows × 20 columns), <w>x<h>.bin (cv2.resize(source, (w, h), INTER_AREA)).
Usage: python3 Benchmarks/peers/opencv_area_fixtures.py
"""
import os

import cv2
import numpy as np

SIZES = [(10, 7), (8, 6), (7, 5), (5, 7), (4, 2), (13, 9), (20, 7), (5, 14)]


def main():
    out = os.path.join(os.path.dirname(__file__), "..", "..", "Fixtures", "area")
    os.makedirs(out, exist_ok=True)
    img = np.random.default_rng(5).integers(0, 256, (14, 20, 3), dtype=np.uint8)
    with open(os.path.join(out, "source.bin"), "wb") as fh:
        fh.write(img.tobytes())
    for w, h in SIZES:
        with open(os.path.join(out, f"{w}x{h}.bin"), "wb") as fh:
            fh.write(cv2.resize(img, (w, h), interpolation=cv2.INTER_AREA).tobytes())
    print(f"wrote {len(SIZES) + 1} files to {out} (OpenCV {cv2.__version__})")


if __name__ == "__main__":
    main()
