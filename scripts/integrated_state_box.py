#!/usr/bin/env python3
"""How often the state a policy read leaves the simulator's workspace box (docs/results.md part 18).

    python3 scripts/integrated_state_box.py rollouts.hdf5 [more.hdf5 ...]

Reads each episode's `obs/ee_pos` from files written by `sim eval --integrated-state --rollouts-out` (the state the
policy saw, integrated from its own actions) and counts the episodes whose position leaves the box that
`ActionEnvelope.standard` (Adapters/BulletSimulator) clamps every commanded pose into, per side and by more than
10 cm. The arm cannot leave the box, so a state outside it no longer describes the arm. Needs h5py and numpy
(`make deps`).
"""
import sys

import h5py
import numpy as np

# ActionEnvelope.standard's workspace box (m, base frame); keep in step with Adapters/BulletSimulator/ActionEnvelope.swift.
LOWER = np.array([-1.0, -0.55, 0.015])
UPPER = np.array([-0.35, 0.45, 0.6])
SIDES = ["x below", "y below", "z below", "x above", "y above", "z above"]


def audit(path):
    """Prints the episodes of `path` whose integrated position leaves the box, in total, per side and by > 10 cm."""
    outside = far = 0
    per_side = np.zeros(6, dtype=int)
    with h5py.File(path, "r") as file:
        episodes = file["data"]
        count = len(episodes)
        for name in episodes:
            position = np.array(episodes[name]["obs/ee_pos"])
            excess = np.concatenate([np.maximum(LOWER - position, 0).max(axis=0),
                                     np.maximum(position - UPPER, 0).max(axis=0)])
            per_side += excess > 1e-6
            outside += excess.max() > 1e-6
            far += excess.max() > 0.1
    sides = ", ".join(f"{side} {n}" for side, n in zip(SIDES, per_side) if n)
    print(f"{path}: {count} episodes, state outside the box in {outside} ({sides or 'none'}), "
          f"by more than 10 cm in {far}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    for path in sys.argv[1:]:
        try:
            audit(path)
        except (OSError, KeyError) as error:  # a missing file, or one without data/*/obs/ee_pos
            sys.exit(f"integrated_state_box: {path}: not a rollouts file from 'sim eval --rollouts-out' ({error})")
