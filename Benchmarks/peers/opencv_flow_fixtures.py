#!/usr/bin/env python3
"""Generates the Farneback test fixtures in Fixtures/flow/ with OpenCV (opencv-python-headless, numpy).

Each case is a pair of 8-bit grey images with a known motion (sub-pixel translation, rotation, scaling, or a
rendered scene with a static textured table, a camera pan and an object moving on top) and OpenCV's flow for
it with the project's defaults (0.5, 3, 15, 3, 5, 1.2, 0).

Files: Fixtures/flow/<name>.bin = prev (uint8, H*W) | next (uint8, H*W) | flow (float32 little-endian, H*W*2,
interleaved dx, dy); Fixtures/flow/manifest.json lists the cases with their motion parameters (from which the
Swift tests rebuild the true flow) and OpenCV's EPE against that truth.

Usage: python3 Benchmarks/peers/opencv_flow_fixtures.py [--out Fixtures/flow]
"""
import argparse
import json
import os

import cv2
import numpy as np

PARAMS = (0.5, 3, 15, 3, 5, 1.2, 0)


def texture(rng, count=6):
    """A smooth random texture: a sum of seeded sinusoids with wavelengths 9–40 px, as a function of (x, y)."""
    comps = []
    for _ in range(count):
        angle = rng.uniform(0, np.pi)
        wavelength = rng.uniform(9, 40)
        comps.append((np.cos(angle) / wavelength, np.sin(angle) / wavelength, rng.uniform(0, 2 * np.pi),
                      rng.uniform(12, 30)))

    def f(x, y):
        v = np.full(np.broadcast(x, y).shape, 127.5)
        for kx, ky, phase, amp in comps:
            v = v + amp * np.sin(2 * np.pi * (kx * x + ky * y) + phase)
        return v
    return f


def quantize(v):
    return np.clip(np.floor(v + 0.5), 0, 255).astype(np.uint8)


def grid(n):
    """Pixel coordinates of an image of size n (an int for n×n, or a (width, height) pair)."""
    w, h = (n, n) if isinstance(n, int) else n
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    return x, y


def make_case(kind, n, rng):
    x, y = grid(n)
    f = texture(rng)
    w, h = (n, n) if isinstance(n, int) else n
    c = (w - 1) / 2.0
    cy = (h - 1) / 2.0
    if kind == "translate":
        dx, dy = {64: (1.3, -0.7), 128: (2.6, 1.45), 256: (4.2, -3.3)}.get(n, (2.2, -1.6))
        prev, nxt = f(x, y), f(x - dx, y - dy)
        params = {"dx": dx, "dy": dy}
    elif kind == "rotate":
        theta = np.deg2rad(3.0)
        # Content rotates by +theta about the centre: next(p) = prev(R(-theta)(p - c) + c).
        ct, st = np.cos(theta), np.sin(theta)
        sx = ct * (x - c) + st * (y - cy) + c
        sy = -st * (x - c) + ct * (y - cy) + cy
        prev, nxt = f(x, y), f(sx, sy)
        params = {"angle_rad": theta, "cx": c, "cy": cy}
    elif kind == "scale":
        s = 1.04
        prev, nxt = f(x, y), f((x - c) / s + c, (y - cy) / s + cy)
        params = {"scale": s, "cx": c, "cy": cy}
    elif kind == "scene":
        # A textured table (static in the world) seen by a panning camera, with a soft-edged textured
        # object sliding on it: content moves by `pan` everywhere and by pan + obj inside the object.
        pan = (0.6 * w / 64, 0.3 * w / 64)
        obj = (2.0 * w / 64, -1.2 * w / 64)
        ox, oy, radius = 0.45 * w, 0.55 * h, 0.18 * min(w, h)
        g = texture(rng, count=4)

        def render(px, py, ox_, oy_):
            table = f(px, py) * 0.6 + 40 + 0.3 * py * 64 / h
            d = np.hypot(px - ox_, py - oy_)
            alpha = np.clip(radius - d + 0.5, 0, 1)   # one-pixel soft edge
            obj_tex = 200 + 0.4 * (g(px - ox_, py - oy_) - 127.5)
            return alpha * obj_tex + (1 - alpha) * table
        prev = render(x, y, ox, oy)
        nxt = render(x - pan[0], y - pan[1], ox + obj[0], oy + obj[1])
        params = {"pan_dx": pan[0], "pan_dy": pan[1], "object_dx": obj[0] + pan[0], "object_dy": obj[1] + pan[1],
                  "object_cx": ox, "object_cy": oy, "object_radius": radius}
    else:
        raise ValueError(kind)
    return quantize(prev), quantize(nxt), params


def true_flow(kind, n, p):
    x, y = grid(n)
    if kind == "translate":
        return np.full(x.shape, p["dx"]), np.full(x.shape, p["dy"])
    if kind == "rotate":
        ct, st = np.cos(p["angle_rad"]), np.sin(p["angle_rad"])
        rx, ry = x - p["cx"], y - p["cy"]
        return ct * rx - st * ry - rx, st * rx + ct * ry - ry
    if kind == "scale":
        return (p["scale"] - 1) * (x - p["cx"]), (p["scale"] - 1) * (y - p["cy"])
    inside = np.hypot(x - p["object_cx"], y - p["object_cy"]) < p["object_radius"]
    return (np.where(inside, p["object_dx"], p["pan_dx"]), np.where(inside, p["object_dy"], p["pan_dy"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "..", "Fixtures", "flow"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    plan = [(k, n) for n in (64, 128) for k in ("translate", "rotate", "scale", "scene")]
    plan += [("translate", 256), ("scene", 256)]
    # Odd sizes: level sizes that are not exact halves (cvRound half-to-even, bilinear resize of image and flow).
    plan += [("scene", (150, 97)), ("rotate", (200, 141))]
    cases = []
    for i, (kind, n) in enumerate(plan):
        rng = np.random.default_rng(1000 + i)
        prev, nxt, params = make_case(kind, n, rng)
        flow = cv2.calcOpticalFlowFarneback(prev, nxt, None, *PARAMS).astype("<f4")
        tx, ty = true_flow(kind, n, params)
        epe = float(np.mean(np.hypot(flow[..., 0] - tx, flow[..., 1] - ty)))
        w, h = (n, n) if isinstance(n, int) else n
        name = f"{kind}-{n}" if isinstance(n, int) else f"{kind}-{w}x{h}"
        with open(os.path.join(args.out, name + ".bin"), "wb") as fh:
            fh.write(prev.tobytes()); fh.write(nxt.tobytes()); fh.write(flow.tobytes())
        cases.append({"name": name, "kind": kind, "width": w, "height": h, "motion": params,
                      "opencv_epe_vs_truth": epe})
        print(f"{name:14s} OpenCV EPE vs truth {epe:.4f} px")
    manifest = {"generator": "Benchmarks/peers/opencv_flow_fixtures.py", "opencv": cv2.__version__,
                "numpy": np.__version__, "farneback": list(PARAMS), "cases": cases}
    with open(os.path.join(args.out, "manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=1)


if __name__ == "__main__":
    main()
