#!/usr/bin/env python3
"""Fixtures for the PyTorch port of Prophet's DiT (scripts/prophet_dit_torch.py).

    python3 scripts/prophet_dit_fixture.py
        writes Fixtures/prophet-dit/torch-forward.safetensors: a tiny configuration's random weights (every path
        non-zero), a batch of 2 inputs and the torch velocity, checked against the Swift ProphetDenoiser by
        Tests/ProphetDiTTests/TorchPortTests.swift.
    python3 scripts/prophet_dit_fixture.py --weights /tmp/dit/w.safetensors --out /tmp/dit/real-forward.safetensors
        the same from a real run's exported weights (check with PROPHET_DIT_TORCH_FIXTURES=/tmp/dit/real-forward.safetensors
        swift test --filter TorchPortTests).
    python3 scripts/prophet_dit_fixture.py --synthetic-data /tmp/dit-data.safetensors [--real-config]
        writes a synthetic training-data file in the format of the Swift DiTTrainingSet (to test the data path).
    python3 scripts/prophet_dit_fixture.py --check-data dit-data.safetensors[.xz] | --check-loss
        checks the trainer's batch gather / its motion-weighted loss against naive readings (exit 1 on a mismatch).

Weights and inputs are rounded to float16 and stored as F16 (exact in both languages, half the size); the forward
runs in float64 and the velocity is stored as F32. Seeded and deterministic.
"""
import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from prophet_dit_torch import (CONDITIONING_TIMESTEP, ProphetDenoiser, config_from_metadata, full_config,  # noqa: E402
                               latent_frames, read_safetensors, rectified_flow_loss, write_safetensors)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# 64×64 frames → 8×8 latents; heads 3 gives head size 16 and unequal RoPE groups (4, 2, 2 pairs for t, y, x).
FIXTURE_CONFIG = dict(width=64, height=64, chunkFrames=4, actionDimension=7, latentChannels=16, encoderWidths=[32, 64, 64],
                      modelWidth=48, depth=2, heads=3, adaLNRank=8, historyLatents=15, actionConditioning=True,
                      actionFrames=True, historyMemory=True, memoryRoPE=True, timestepScale=1000.0, framesPerSecond=10.0)

# The bottle run's configuration (prophrl runs show /tmp/s4/bottle/prophet-sharp.sqlite), without the camera.
REAL_CONFIG = dict(FIXTURE_CONFIG, modelWidth=96, depth=4, heads=2, adaLNRank=32)


def f16(x):
    """Rounds to the nearest float16 value (kept in the tensor's dtype)."""
    return x.half().to(x.dtype)


def write_forward_fixture(path, seed=0, weights=None):
    """The fixture; with `weights` (a `prophrl runs export` file) that run's configuration and weights (F32) instead."""
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed + 1)
    normal = lambda *shape, std=1.0: torch.randn(*shape, generator=generator, dtype=torch.float64) * std
    if weights:
        arrays, metadata = read_safetensors(weights)
        config = full_config({k: v for k, v in config_from_metadata(metadata).items() if k != "actionFrameRendering"})
        model = ProphetDenoiser(config)
        model.load_swift_state(arrays)
        model = model.double()
    else:
        config = full_config(FIXTURE_CONFIG)
        model = ProphetDenoiser(config).double()
        with torch.no_grad():
            # N(0, 0.1²) on every parameter, so the zero-initialised modulation-up and final layers are exercised too.
            for parameter in model.parameters():
                parameter.add_(normal(*parameter.shape, std=0.1))
                parameter.copy_(f16(parameter))
            a = config["actionDimension"]
            model.actionMean.copy_(f16(normal(a, std=0.05)))
            model.actionScale.copy_(f16(0.5 + 2.5 * torch.rand(a, generator=generator, dtype=torch.float64)))
    a = config["actionDimension"]
    b, f = 2, latent_frames(config)
    h, w, c = config["height"] // 8, config["width"] // 8, config["latentChannels"]
    latent = f16(normal(b, f, h, w, c))
    action_frame_latent = f16(normal(b, f, h, w, c))
    timesteps = torch.tensor([[CONDITIONING_TIMESTEP, 0.3711], [CONDITIONING_TIMESTEP, 0.8125]], dtype=torch.float32).double()
    raw_actions = normal(b, config["chunkFrames"] * a, std=0.05).float().double()
    actions = model.prepared_actions(raw_actions).float().double()  # stored as F32: feed the stored values
    history = f16(normal(b, config["historyLatents"], h, w, c))
    history[0, :10] = 0  # the first rows are zero near an episode start
    history[1, :2] = 0
    with torch.no_grad():
        velocity = model(latent, action_frame_latent, timesteps, actions, history)
    weight_dtype = np.float32 if weights else np.float16
    tensors = {k: v.numpy().astype(weight_dtype) for k, v in model.swift_state("denoiser.").items()}
    tensors.update({
        "input.latent": latent.numpy().astype(np.float16),
        "input.action_frame_latent": action_frame_latent.numpy().astype(np.float16),
        "input.timesteps": timesteps.numpy().astype(np.float32),
        "input.raw_actions": raw_actions.numpy().astype(np.float32),
        "input.actions": actions.numpy().astype(np.float32),
        "input.history": history.numpy().astype(np.float16),
        "output.velocity": velocity.numpy().astype(np.float32),
    })
    os.makedirs(os.path.dirname(path), exist_ok=True)
    write_safetensors(path, tensors, {"prophet": json.dumps(config, sort_keys=True),
                                      "source": "scripts/prophet_dit_fixture.py", "seed": str(seed)})
    print(f"wrote {path} ({os.path.getsize(path) / 1024:.0f} KiB); velocity |max| {velocity.abs().max():.3f} "
          f"rms {velocity.pow(2).mean().sqrt():.3f}")


def write_synthetic_data(path, config, clips_per_dataset=(30, 12), seed=0):
    """A dit-data.safetensors in the Swift DiTTrainingSet format with random (smooth-in-time) latents."""
    cfg = full_config(config)
    rng = np.random.default_rng(seed)
    T, A, F = cfg["chunkFrames"], cfg["actionDimension"], latent_frames(cfg)
    grid = (cfg["height"] // 8, cfg["width"] // 8, cfg["latentChannels"])
    groups, singles, frames_latents, actions = [], [], [], []
    offsets = {k: [] for k in ("clip_latent_offset", "clip_groups", "clip_start_offset", "clip_starts", "clip_action_offset",
                               "clip_frames", "clip_dataset")}
    rows = {"latent": 0, "start": 0, "action": 0}
    for dataset, count in enumerate(clips_per_dataset):
        for _ in range(count):
            frame_count = int(rng.integers(T + 1, 70))
            g = (frame_count - 1) // 4
            starts = (frame_count - 1 - T) // 4 + 1
            base = rng.standard_normal((g + 1,) + grid)
            drift = np.cumsum(rng.standard_normal((g + 1,) + grid) * 0.3, axis=0)
            groups.append(base * 0.5 + drift)
            singles.append(base * 0.5 + drift + 0.1 * rng.standard_normal((g + 1,) + grid))
            if cfg["actionFrames"]:
                frames_latents.append(rng.standard_normal((starts, F) + grid))
            actions.append(rng.standard_normal((frame_count - 1, A)) * np.array([0.02] * 6 + [1.0] * (A - 6))[:A])
            for key, value in (("clip_latent_offset", rows["latent"]), ("clip_groups", g), ("clip_start_offset", rows["start"]),
                               ("clip_starts", starts if cfg["actionFrames"] else 0), ("clip_action_offset", rows["action"]),
                               ("clip_frames", frame_count), ("clip_dataset", dataset)):
                offsets[key].append(value)
            rows["latent"] += g + 1
            rows["start"] += starts if cfg["actionFrames"] else 0
            rows["action"] += frame_count - 1
    tensors = {"group_latents": np.concatenate(groups).astype(np.float16),
               "single_latents": np.concatenate(singles).astype(np.float16),
               "actions": np.concatenate(actions).astype(np.float32)}
    if cfg["actionFrames"]:
        tensors["action_frame_latents"] = np.concatenate(frames_latents).astype(np.float16)
    tensors.update({k: np.asarray(v, dtype=np.int64) for k, v in offsets.items()})
    names = [f"synthetic{i}.hdf5" for i in range(len(clips_per_dataset))]
    write_safetensors(path, tensors, {"prophet": json.dumps(cfg, sort_keys=True), "datasets": json.dumps(names)})
    print(f"wrote {path} ({os.path.getsize(path) / 1024:.0f} KiB): {sum(clips_per_dataset)} clips in {len(names)} datasets")


def check_data(path, samples=200, seed=0):
    """The trainer's vectorised batch gather against a naive per-sample reading of the file in the order of the Swift
    ProphetDataset.sample: latents = single latent of frame 4m, then group latents m+1…m+T/4; history = group latents
    m−14…m with zeros for g < 1; actions = rows 4m…4m+T−1; action frames = window m. Exits non-zero on a mismatch."""
    from prophet_dit_train import DiTData
    data = DiTData(path, torch.device("cpu"), val_fraction=0.0)
    arrays, _ = read_safetensors(path)
    generator = torch.Generator().manual_seed(seed)
    clips, m = data.sample_indices(samples, generator, per_sample_dataset=True)
    latents, history, actions, frames = data.gather(clips, m)
    T, A = data.T, data.A
    worst = 0.0
    for i, (clip, mi) in enumerate(zip(clips.tolist(), m.tolist())):
        lo, ao, so = (int(arrays[n][clip]) for n in ("clip_latent_offset", "clip_action_offset", "clip_start_offset"))
        starts = (int(arrays["clip_frames"][clip]) - 1 - T) // 4 + 1
        assert 0 <= mi < starts, f"sample {i}: chunk start {mi} outside the clip's {starts}"
        expected = [arrays["single_latents"][lo + mi]] + [arrays["group_latents"][lo + g] for g in range(mi + 1, mi + T // 4 + 1)]
        past = [arrays["group_latents"][lo + g] if g >= 1 else np.zeros_like(arrays["group_latents"][0]) for g in range(mi - 14, mi + 1)]
        rows = arrays["actions"][ao + 4 * mi: ao + 4 * mi + T].reshape(T * A)
        pairs = [(latents[i], np.stack(expected)), (history[i], np.stack(past)), (actions[i], rows)]
        if frames is not None:
            pairs.append((frames[i], arrays["action_frame_latents"][so + mi]))
        for got, want in pairs:
            worst = max(worst, float(np.abs(got.numpy().astype(np.float64) - want.astype(np.float64)).max()))
    print(f"{path}: {samples} sampled chunks from {len(set(clips.tolist()))} clips; max |gather − naive| = {worst:g}")
    if worst > 0:
        sys.exit("the trainer's gather differs from the naive reading")


def check_motion_loss(seed=0, strength=4.0):
    """The motion-weighted loss against a naive per-element reading: for every sample, frame f ≥ 1 and position (y, x),
    m = mean_c |x_f − x_0|, w = 1 + s·m / mean(m over the sample), loss = Σ w·(v − target)² / (C·Σ w). Also checks
    that strength 0 gives the plain mean and that a clip whose every position moves equally gives the plain loss.
    Exits non-zero on a mismatch."""
    from prophet_dit_torch import motion_weights
    config = full_config(FIXTURE_CONFIG)
    torch.manual_seed(seed)
    model = ProphetDenoiser(config).double()
    with torch.no_grad():  # the zero-initialised output layer would make v ≡ 0
        for parameter in model.parameters():
            parameter.add_(0.1 * torch.randn_like(parameter))
    b, f, h, w, c = 2, latent_frames(config), 8, 8, config["latentChannels"]
    latents = torch.randn(b, f, h, w, c, dtype=torch.float64)
    frames = torch.randn(b, f, h, w, c, dtype=torch.float64) if config["actionFrames"] else None
    actions = model.prepared_actions(torch.randn(b, config["chunkFrames"] * config["actionDimension"], dtype=torch.float64))
    history = torch.randn(b, 15, h, w, c, dtype=torch.float64)
    noise = torch.randn(b, f, h, w, c, dtype=torch.float64)
    t = torch.tensor([0.3, 0.7], dtype=torch.float64)
    got = rectified_flow_loss(model, latents, frames, actions, history, t=t, noise=noise, motion_weight=strength).item()
    plain = rectified_flow_loss(model, latents, frames, actions, history, t=t, noise=noise).item()
    tb = t.view(b, 1, 1, 1, 1)
    u = torch.cat([latents[:, :1], (1 - tb) * latents[:, 1:] + tb * noise[:, 1:]], dim=1)
    timesteps = torch.cat([torch.full((b, 1), CONDITIONING_TIMESTEP, dtype=torch.float64), t[:, None].expand(b, f - 1)], 1)
    with torch.no_grad():
        v = model(u, frames, timesteps, actions, history).numpy()
    x, e = latents.numpy(), noise.numpy()
    numerator = denominator = 0.0
    for i in range(b):
        moved = [[[sum(abs(x[i, fi, y, xx, ch] - x[i, 0, y, xx, ch]) for ch in range(c)) / c for xx in range(w)]
                  for y in range(h)] for fi in range(1, f)]
        mean = sum(sum(sum(row) for row in frame) for frame in moved) / ((f - 1) * h * w)
        for fi in range(1, f):
            for y in range(h):
                for xx in range(w):
                    weight = 1 + strength * moved[fi - 1][y][xx] / mean
                    for ch in range(c):
                        numerator += weight * (v[i, fi, y, xx, ch] - (e[i, fi, y, xx, ch] - x[i, fi, y, xx, ch])) ** 2
                    denominator += weight * c
    naive = numerator / denominator  # float64; the loss itself is taken in float32
    uniform = latents.clone()
    uniform[:, 1:] = uniform[:, :1] + 0.5  # every position moves by the same amount
    flat = motion_weights(uniform, strength)
    zero = rectified_flow_loss(model, latents, frames, actions, history, t=t, noise=noise, motion_weight=0.0).item()
    print(f"motion-weighted loss {got:.12g}, naive {naive:.12g}, plain {plain:.12g}; uniform-motion weights "
          f"{flat.min().item():g}…{flat.max().item():g}")
    if abs(got - naive) > 1e-6 * abs(naive) or zero != plain or not torch.allclose(flat, torch.full_like(flat, 1 + strength)):
        sys.exit("the motion-weighted loss differs from the naive reading")
    if abs(got - plain) < 1e-6 * plain:
        sys.exit("the motion weights changed nothing")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=os.path.join(ROOT, "Fixtures", "prophet-dit", "torch-forward.safetensors"))
    parser.add_argument("--weights", help="a `prophrl runs export` file: its configuration and weights instead of random ones")
    parser.add_argument("--synthetic-data", help="write a synthetic dit-data.safetensors here instead")
    parser.add_argument("--real-config", action="store_true", help="synthetic data for the bottle run's configuration")
    parser.add_argument("--clips", type=int, nargs="+", default=[30, 12], help="clips per synthetic dataset")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--check-data", help="check the trainer's batch gather on this dit-data file against a naive reading")
    parser.add_argument("--check-loss", action="store_true", help="check the motion-weighted loss against a naive reading")
    args = parser.parse_args()
    torch.set_num_threads(1)
    if args.check_loss:
        check_motion_loss(args.seed)
    elif args.check_data:
        check_data(args.check_data, seed=args.seed)
    elif args.synthetic_data:
        write_synthetic_data(args.synthetic_data, REAL_CONFIG if args.real_config else FIXTURE_CONFIG, args.clips, args.seed)
    else:
        write_forward_fixture(args.out, args.seed, args.weights)


if __name__ == "__main__":
    main()
