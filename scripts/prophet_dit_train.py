#!/usr/bin/env python3
"""Trains Prophet's DiT denoiser (scripts/prophet_dit_torch.py) on a GPU or CPU from the training set the Swift CLI
exports, with the Swift ProphetTrainer's sampling, loss and optimiser, and writes `denoiser.*` weights that
`prophrl world import-dit` loads (docs/world-model.md, "Training the DiT on another machine").

    prophrl world export-dit-data --model prophet.sqlite --data a.hdf5 b.hdf5 --out dit-data.safetensors
    python3 scripts/dit_data_pack.py dit-data.safetensors dit-data.safetensors.xz      # optional, for the transfer
    python3 scripts/prophet_dit_train.py --data dit-data.safetensors.xz --init init.safetensors --out dit.safetensors \
        --keep-best dit-best.safetensors --batch 512 --lr 1e-4 --warmup 200 --schedule cosine --schedule-by-time \
        --time-limit 260 --min-lr 1e-5 --tf32 --compile --compile-mode reduce-overhead --seed 1
    prophrl world import-dit --model prophet.sqlite --weights dit-best.safetensors --out prophet-gpu.sqlite

Layout: the data, validation, the schedule, training, main.
"""
import argparse
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from prophet_dit_torch import (ProphetDenoiser, config_from_metadata, full_config, latent_frames,  # noqa: E402
                               read_safetensors, rectified_flow_loss, write_safetensors)

# ----------------------------------------------------------------------------------------------------------------
# The data (`dit-data.safetensors`, written by the Swift DiTTrainingSet): everything on the device, batches by
# vectorised index gathers with ProphetTrainer's sampling distribution.

class DiTData:
    def __init__(self, path, device, val_fraction=0.05, seed=0):
        arrays, metadata = read_safetensors(path)
        config = config_from_metadata(metadata)
        if config is None:
            raise ValueError(f"{path}: no 'prophet' configuration in the metadata")
        self.config = full_config(config)
        self.datasets = json.loads(metadata.get("datasets", "[]"))
        cfg, self.device = self.config, device
        self.T, self.A, self.F = cfg["chunkFrames"], cfg["actionDimension"], latent_frames(cfg)
        tensor = lambda name, dtype=None: torch.from_numpy(np.ascontiguousarray(arrays[name])).to(device, dtype)
        self.group_latents = tensor("group_latents")       # [NG, h, w, C] float16
        self.single_latents = tensor("single_latents")
        self.actions = tensor("actions", torch.float32)    # [NA, A] raw
        self.action_frame_latents = tensor("action_frame_latents") if "action_frame_latents" in arrays else None
        if cfg["actionFrames"] and self.action_frame_latents is None:
            raise ValueError(f"{path}: action frames are on but the file has no action_frame_latents")
        self.latent_offset = tensor("clip_latent_offset").long()
        self.groups = tensor("clip_groups").long()
        self.start_offset = tensor("clip_start_offset").long()
        self.action_offset = tensor("clip_action_offset").long()
        self.frames = tensor("clip_frames").long()
        self.dataset = tensor("clip_dataset").long()
        self.starts = (self.frames - 1 - self.T) // 4 + 1  # chunk starts 0, 4, …, ≤ frameCount − 1 − T
        clips = len(self.frames)
        if cfg["actionFrames"] and not torch.equal(tensor("clip_starts").long(), self.starts):
            raise ValueError(f"{path}: clip_starts disagrees with the chunk starts of clip_frames")
        # Held-out clips (seeded).
        order = np.random.default_rng(seed).permutation(clips)
        n_val = int(round(val_fraction * clips)) if clips > 1 else 0
        n_val = max(1, n_val) if val_fraction > 0 and clips > 1 else n_val
        self.val_clips = torch.from_numpy(np.sort(order[:n_val])).to(device)
        self.train_clips = torch.from_numpy(np.sort(order[n_val:])).to(device)
        # Training clips per dataset, padded to a matrix, and the per-dataset chunk counts (the batch weights).
        n_datasets = max(len(self.datasets), int(self.dataset.max().item()) + 1 if clips else 1)
        per = [self.train_clips[self.dataset[self.train_clips] == i] for i in range(n_datasets)]
        width = max(1, max(len(p) for p in per))
        self.dataset_clips = torch.zeros(n_datasets, width, dtype=torch.long, device=device)
        for i, p in enumerate(per):
            self.dataset_clips[i, :len(p)] = p
        self.dataset_clip_count = torch.tensor([len(p) for p in per], device=device)
        self.dataset_chunks = torch.stack([self.starts[p].sum() if len(p) else torch.zeros((), dtype=torch.long, device=device)
                                           for p in per]).double()
        if self.dataset_chunks.sum() <= 0:
            raise ValueError(f"{path}: no training chunks")

    def action_statistics(self):
        """Per-dimension mean and population std of every training clip's action rows (ProphetTrainer)."""
        rows = torch.cat([torch.arange(int(o), int(o) + int(n) - 1, device=self.device)
                          for o, n in zip(self.action_offset[self.train_clips].tolist(), self.frames[self.train_clips].tolist())])
        values = self.actions[rows].double()
        mean = values.mean(0)
        std = torch.clamp((values ** 2).mean(0) - mean ** 2, min=0).sqrt()
        return mean.float(), std.float()

    def gather(self, clips, m):
        """Latents [B, F, h, w, C] (single latent of frame 4m, then group latents m+1…m+T/4), history [B, 15, …]
        (group latents m−14…m, zeros where g < 1), raw actions [B, T·A], action-frame latents [B, F, …] or None."""
        lo = self.latent_offset[clips]
        k = torch.arange(1, self.T // 4 + 1, device=self.device)
        latents = torch.cat([self.single_latents[lo + m][:, None], self.group_latents[(lo + m)[:, None] + k]], dim=1).float()
        g = m[:, None] + torch.arange(-14, 1, device=self.device)
        history = self.group_latents[lo[:, None] + g.clamp(min=0)].float() * (g >= 1).float()[..., None, None, None]
        start = 4 * m
        rows = (self.action_offset[clips] + start)[:, None] + torch.arange(self.T, device=self.device)
        actions = self.actions[rows].reshape(len(clips), self.T * self.A)
        frames = None
        if self.config["actionFrames"]:
            frames = self.action_frame_latents[self.start_offset[clips] + m].float()
        return latents, history, actions, frames

    def sample_indices(self, batch, generator, per_sample_dataset=False):
        """(clips, m) of a batch, as ProphetTrainer.ditTrainingStep draws them: a dataset ∝ its chunk count (one per
        batch, as in Swift, or one per sample), a clip uniformly within it, a chunk start 4m uniformly within the clip."""
        dev = self.device
        ds = torch.multinomial(self.dataset_chunks, batch if per_sample_dataset else 1, replacement=True, generator=generator)
        ds = ds if per_sample_dataset else ds.expand(batch)
        pick = (torch.rand(batch, generator=generator, device=dev) * self.dataset_clip_count[ds]).long()
        clips = self.dataset_clips[ds, pick.clamp(max=self.dataset_clips.shape[1] - 1)]
        m = (torch.rand(batch, generator=generator, device=dev) * self.starts[clips]).long()
        return clips, torch.minimum(m, self.starts[clips] - 1)

    def sample_batch(self, batch, generator, per_sample_dataset=False, memory_dropout=0.1, history_noise=0.1):
        """A training batch (latents, action-frame latents, raw actions, history) from ``sample_indices``, with memory
        dropout (the whole history zero) and history noise σ ~ U(0, history_noise) per sample, as in Swift."""
        dev = self.device
        clips, m = self.sample_indices(batch, generator, per_sample_dataset)
        latents, history, actions, frames = self.gather(clips, m)
        dropped = torch.rand(batch, generator=generator, device=dev) < memory_dropout
        sigma = torch.rand(batch, generator=generator, device=dev) * history_noise
        noise = torch.randn(history.shape, generator=generator, device=dev)
        history = torch.where(dropped[:, None, None, None, None], torch.zeros_like(history),
                              history + sigma[:, None, None, None, None] * noise)
        return latents, frames, actions, history

    def validation_samples(self, limit, seed):
        """A fixed, seeded subset (≤ limit) of every (held-out clip, chunk start) pair: (clips, m)."""
        if len(self.val_clips) == 0:
            return None
        clips = torch.repeat_interleave(self.val_clips, self.starts[self.val_clips])
        m = torch.cat([torch.arange(int(n), device=self.device) for n in self.starts[self.val_clips].tolist()])
        if len(clips) > limit:
            pick = torch.from_numpy(np.sort(np.random.default_rng(seed).choice(len(clips), limit, replace=False))).to(self.device)
            clips, m = clips[pick], m[pick]
        return clips, m


# ----------------------------------------------------------------------------------------------------------------
# Training.

VAL_TIMESTEPS = (0.25, 0.5, 0.75)


@torch.no_grad()
def validation_loss(model, data, samples, batch, amp_dtype=None):
    """Mean velocity loss over the fixed validation samples at t ∈ VAL_TIMESTEPS with fixed noise (clean history,
    no dropout): (mean, {t: loss})."""
    clips, m = samples
    generator = torch.Generator(device=data.device).manual_seed(1234)
    totals = {t: 0.0 for t in VAL_TIMESTEPS}
    was_training = model.training
    model.eval()
    for i in range(0, len(clips), batch):
        latents, history, raw, frames = data.gather(clips[i:i + batch], m[i:i + batch])
        actions = model.prepared_actions(raw)
        history = history if model.config["historyMemory"] else None
        noise = torch.randn(latents.shape, generator=generator, device=data.device)
        for t in VAL_TIMESTEPS:
            with torch.autocast(data.device.type, dtype=amp_dtype, enabled=amp_dtype is not None):
                loss = rectified_flow_loss(model, latents, frames, actions, history, t=t, noise=noise)
            totals[t] += loss.item() * len(latents)
    model.train(was_training)
    per_t = {t: totals[t] / len(clips) for t in VAL_TIMESTEPS}
    return sum(per_t.values()) / len(per_t), per_t


def learning_rate(step, args, elapsed=0.0):
    """Linear warmup to --lr over --warmup steps (Swift: lr·min(1, (step+1)/warmup)), then constant or cosine.
    The cosine runs over --steps, or with --schedule-by-time over the --time-limit seconds (ends on time whatever the
    machine's speed)."""
    warmup = max(args.warmup, 1)
    lr = args.lr * min(1.0, (step + 1) / warmup)
    if args.schedule == "cosine" and step + 1 > warmup:
        if args.schedule_by_time and args.time_limit:
            progress = min(1.0, elapsed / args.time_limit)
        else:
            progress = min(1.0, (step + 1 - warmup) / max(1, args.steps - warmup))
        lr = args.min_lr + (args.lr - args.min_lr) * 0.5 * (1 + math.cos(math.pi * progress))
    return lr


def save(model, path, args, steps, train_loss, val_loss, prefix):
    metadata = {"prophet": json.dumps(model.config, sort_keys=True), "steps": str(steps),
                "final_train_loss": "" if train_loss is None else f"{train_loss:.6g}",
                "val_loss": "" if val_loss is None else f"{val_loss:.6g}",
                "format": "pt", "source": "scripts/prophet_dit_train.py"}
    write_safetensors(path, {k: v.numpy() for k, v in model.swift_state(prefix).items()}, metadata)


def seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)


def train(args):
    seed_everything(args.seed)
    device = torch.device(args.device)
    if args.tf32 and device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.set_float32_matmul_precision("high")
    data = DiTData(args.data, device, val_fraction=args.val_fraction, seed=args.seed)
    config = dict(data.config)
    init_tensors = None
    if args.init:
        init_tensors, init_metadata = read_safetensors(args.init)
        init_config = config_from_metadata(init_metadata)
        if init_config:  # the init's architecture wins over the data file's (a missing memoryRoPE means off, as in Swift)
            for key in ("modelWidth", "depth", "heads", "adaLNRank", "actionConditioning", "historyMemory", "timestepScale"):
                config[key] = init_config.get(key, config[key])
            if "memoryRoPE" in init_config:
                config["memoryRoPE"] = init_config["memoryRoPE"]
            else:
                config.pop("memoryRoPE", None)
    for key, value in (("modelWidth", args.model_width), ("depth", args.depth), ("heads", args.heads), ("adaLNRank", args.adalnrank)):
        if value is not None:
            config[key] = value
    model = ProphetDenoiser(config).to(device)
    if init_tensors is not None:
        model.load_swift_state(init_tensors)
        print(f"init: {args.init} (action normalisation kept)", flush=True)
    else:
        mean, std = data.action_statistics()
        model.set_action_statistics(mean, std)
        print(f"fresh init; action mean {[round(v, 4) for v in mean.tolist()]} scale {[round(v, 2) for v in model.actionScale.tolist()]}",
              flush=True)
    parameters = sum(p.numel() for p in model.parameters())
    print(f"model: D {config['modelWidth']} depth {config['depth']} heads {config['heads']} rank {config['adaLNRank']} "
          f"memoryRoPE {model.rotates_memory_keys}, "
          f"{parameters} parameters; data: {len(data.frames)} clips ({len(data.train_clips)} train, {len(data.val_clips)} val), "
          f"{int(data.dataset_chunks.sum().item())} train chunks, datasets {data.datasets}", flush=True)

    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.99), eps=1e-8, weight_decay=args.weight_decay,
                                  **({"fused": True} if device.type == "cuda" else {}))
    amp_dtype = torch.bfloat16 if args.bf16 else None
    forward = model
    if args.compile:
        try:
            forward = torch.compile(model, mode=args.compile_mode)
        except Exception as error:  # noqa: BLE001 - any failure falls back to eager
            print(f"torch.compile unavailable ({error}); running eagerly", flush=True)
            forward = model
    generator = torch.Generator(device=device).manual_seed(args.seed)
    val_samples = data.validation_samples(args.val_samples, args.seed) if args.val_every > 0 else None
    log = []
    start_time = time.time()
    last_time, last_step = start_time, 0
    window_sum, window_steps, train_loss, val_loss = 0.0, 0, None, None  # the loss summed on the device between logs

    def step_loss(fn):
        latents, frames, raw, history = data.sample_batch(args.batch, generator, args.per_sample_dataset,
                                                          args.memory_dropout, args.history_noise)
        actions = model.prepared_actions(raw)
        with torch.autocast(device.type, dtype=amp_dtype, enabled=amp_dtype is not None):
            return rectified_flow_loss(fn, latents, frames, actions, history if config["historyMemory"] else None,
                                       generator=generator, motion_weight=args.motion_weight)

    step, best_val = 0, None
    while step < args.steps:
        lr = learning_rate(step, args, time.time() - start_time)
        for group in optimizer.param_groups:
            group["lr"] = lr
        try:
            loss = step_loss(forward)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
        except Exception as error:  # noqa: BLE001 - a compiled model that fails falls back to eager
            if forward is model:
                raise
            print(f"compiled model failed ({type(error).__name__}: {error}); running eagerly", flush=True)
            forward = model
            continue
        grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        step += 1
        window_sum, window_steps = window_sum + loss.detach(), window_steps + 1
        timed_out = args.time_limit and time.time() - start_time > args.time_limit
        if step % args.log_every == 0 or step == args.steps or step == 1 or timed_out:
            value = float(window_sum) / window_steps  # mean over the steps since the last line
            window_sum, window_steps, train_loss = 0.0, 0, value
            now = time.time()
            rate = (step - last_step) / max(now - last_time, 1e-9)
            last_time, last_step = now, step
            eta = (args.steps - step) / max(rate, 1e-9)
            print(f"step {step}/{args.steps} loss {value:.4f} lr {lr:.3g} grad {grad_norm.item():.3f} "
                  f"{rate:.2f} steps/s ETA {eta / 60:.1f} min", flush=True)
            log.append({"step": step, "loss": value, "lr": lr, "grad_norm": grad_norm.item(),
                        "time": now - start_time})
        if val_samples is not None and (step % args.val_every == 0 or step == args.steps):
            val_loss, per_t = validation_loss(model, data, val_samples, args.val_batch, amp_dtype)
            print(f"step {step} val loss {val_loss:.4f} " + " ".join(f"t={t}:{v:.4f}" for t, v in per_t.items()), flush=True)
            log.append({"step": step, "val_loss": val_loss, "val_per_t": {str(t): v for t, v in per_t.items()}})
            if args.keep_best and (best_val is None or val_loss < best_val):
                best_val = val_loss
                save(model, args.keep_best, args, step, train_loss, val_loss, args.prefix)
                print(f"step {step}: best validation loss so far, saved {args.keep_best}", flush=True)
        if args.save_every and step % args.save_every == 0 and step < args.steps and not timed_out:
            save(model, args.out, args, step, train_loss, val_loss, args.prefix)
            write_log(args.log_json, log)
        if timed_out:
            print(f"time limit of {args.time_limit} s reached at step {step}", flush=True)
            break
    if val_samples is not None and (not log or log[-1].get("step") != step or "val_loss" not in log[-1]):
        val_loss, per_t = validation_loss(model, data, val_samples, args.val_batch, amp_dtype)
        print(f"step {step} val loss {val_loss:.4f}", flush=True)
        log.append({"step": step, "val_loss": val_loss, "val_per_t": {str(t): v for t, v in per_t.items()}})
    save(model, args.out, args, step, train_loss, val_loss, args.prefix)
    if args.keep_best and (best_val is None or val_loss < best_val):
        save(model, args.keep_best, args, step, train_loss, val_loss, args.prefix)
    write_log(args.log_json, log)
    elapsed = time.time() - start_time
    print(f"saved {args.out}: {step} steps in {elapsed:.0f} s ({step / max(elapsed, 1e-9):.2f} steps/s), "
          f"train loss {train_loss}, val loss {val_loss}", flush=True)


def write_log(path, log):
    if not path:
        return
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w") as f:
        json.dump(log, f)
    os.replace(tmp, path)


# ----------------------------------------------------------------------------------------------------------------
# main

def main(argv=None):
    parser = argparse.ArgumentParser(description="Train Prophet's DiT denoiser (PyTorch port of the Swift model).")
    parser.add_argument("--data", required=True, help="dit-data.safetensors written by the Swift CLI")
    parser.add_argument("--out", required=True, help="output safetensors (denoiser.* weights, F32; written atomically)")
    parser.add_argument("--init", help="safetensors with denoiser.* (or model.denoiser.*) weights to start from")
    parser.add_argument("--prefix", default="denoiser.", help="name prefix of the saved weights (default denoiser.)")
    parser.add_argument("--model-width", type=int)
    parser.add_argument("--depth", type=int)
    parser.add_argument("--heads", type=int)
    parser.add_argument("--adalnrank", type=int)
    parser.add_argument("--steps", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--lr", type=float, default=2e-4)
    parser.add_argument("--min-lr", type=float, default=0.0, help="end of the cosine schedule")
    parser.add_argument("--warmup", type=int, default=500)
    parser.add_argument("--schedule", choices=["constant", "cosine"], default="constant")
    parser.add_argument("--schedule-by-time", action="store_true", help="cosine over --time-limit seconds instead of --steps")
    parser.add_argument("--keep-best", help="also write the weights of the lowest validation loss here (chosen on held-out clips)")
    parser.add_argument("--weight-decay", type=float, default=0.01)
    parser.add_argument("--memory-dropout", type=float, default=0.1)
    parser.add_argument("--history-noise", type=float, default=0.1)
    parser.add_argument("--motion-weight", type=float, default=0.0,
                        help="weight the training loss by 1 + w·(motion since the clip's first frame)/mean; "
                             "validation stays unweighted (0 = the Swift trainer's plain loss)")
    parser.add_argument("--per-sample-dataset", action="store_true",
                        help="draw the dataset per sample instead of once per batch (Swift: once per batch)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-limit", type=float, default=0, help="seconds; stop cleanly and save")
    parser.add_argument("--save-every", type=int, default=0)
    parser.add_argument("--log-every", type=int, default=50)
    parser.add_argument("--log-json", help="write the loss curve here (JSON list)")
    parser.add_argument("--val-fraction", type=float, default=0.05)
    parser.add_argument("--val-every", type=int, default=500)
    parser.add_argument("--val-samples", type=int, default=512)
    parser.add_argument("--val-batch", type=int, default=256)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--tf32", action="store_true", help="allow TF32 matmuls on CUDA")
    parser.add_argument("--bf16", action="store_true", help="bfloat16 autocast (weights and optimizer stay float32)")
    parser.add_argument("--compile", action="store_true", help="torch.compile the model (falls back to eager on failure)")
    parser.add_argument("--compile-mode", default="default", help="torch.compile mode, e.g. max-autotune-no-cudagraphs")
    train(parser.parse_args(argv))


if __name__ == "__main__":
    main()
