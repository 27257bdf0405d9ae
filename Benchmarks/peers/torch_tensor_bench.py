#!/usr/bin/env python3
"""PyTorch CPU peer of Benchmarks/TensorBench: the same workloads, shapes, thread count and float32.

    flow-head-grpo  MLP head (512 obs + 56 noisy chunk + 128 time embedding -> 3 x 512 SiLU -> 56), batch 256:
                    (i) K = 10 Flow-SDE sampling steps with per-step log-probs (no grad);
                    (ii) batched log-prob recomputation of the stored chain + FA-GRPO loss + backward + AdamW.
    dit-step        DiT depth 4, width 256, 4 heads, MLP ratio 4 (GELU-tanh), adaLN-zero from a 256-d condition,
                    256 tokens (4 frames x 8x8 patches of a 16x16x4 latent, patch 2) + 64 memory tokens whose
                    K/V come from each block's K/V projection, batch 4, velocity MSE: forward (no grad) and
                    forward + backward + AdamW.
    gemm-1024       torch.matmul 1024^3 (for reference).

Install the peer (CPU build; the default PyPI wheel is the CUDA build, which fails to import without CUDA):
    python3 -m pip install 'torch==2.13.0+cpu'
Run:  python3 Benchmarks/peers/torch_tensor_bench.py --threads 1 [--json] [--repeats 7]
"""
import argparse
import json
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def median_ms(fn, repeats, warmup=2):
    """(median, best, best process-CPU) milliseconds of fn over `repeats` runs after `warmup` runs."""
    for _ in range(warmup):
        fn()
    samples, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        samples.append((time.perf_counter() - start) * 1e3)
        cpu.append((time.process_time() - start_cpu) * 1e3)
    return statistics.median(samples), min(samples), min(cpu)


# ---------------------------------------------------------------- flow-head-grpo
B, OBS, ACT, TEMB, HID, K = 256, 512, 56, 128, 512, 10
ETA = 0.5


def flow_sde_coefficients(steps, eta):
    """Per-step (a, b, std) of the Flow-SDE transition x' ~ N(a x + b v, std^2) on the uniform grid,
    exactly as ProphRLCore's StepCoefficients (rl-math.md §3-4; the first step uses tau_1 for tau~)."""
    taus = [1 - k / steps for k in range(steps)] + [0.0]
    coeffs = []
    for k in range(steps):
        t, nxt = taus[k], taus[k + 1]
        delta = t - nxt
        tt = taus[1] if t == 1 else t
        a = 1 - eta ** 2 * delta / (2 * (1 - tt))
        bcoef = -delta * (1 + eta ** 2 * (1 - t) / (2 * (1 - tt)))
        std = math.sqrt(eta ** 2 * t * delta / (1 - tt))
        coeffs.append((a, bcoef, std))
    return taus, coeffs


def time_features(tau, rows):
    half = TEMB // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float64) / half)
    angles = 1000 * tau * freqs
    row = torch.cat([torch.sin(angles), torch.cos(angles)]).float()
    return row.expand(rows, TEMB).contiguous()


def log_prob(sample, mean, std):
    return -(sample - mean) ** 2 / (2 * std ** 2) - torch.log(std) - 0.5 * math.log(2 * math.pi)


def flow_head_bench(repeats):
    torch.manual_seed(11)
    head = nn.Sequential(nn.Linear(OBS + ACT + TEMB, HID), nn.SiLU(), nn.Linear(HID, HID), nn.SiLU(),
                         nn.Linear(HID, HID), nn.SiLU(), nn.Linear(HID, ACT))
    obs = torch.randn(B, OBS)
    taus, coeffs = flow_sde_coefficients(K, ETA)
    opt = torch.optim.AdamW(head.parameters(), lr=1e-5, weight_decay=0)

    def sample():
        with torch.no_grad():
            x = torch.randn(B, ACT)
            states, logps = [x], []
            for k in range(K):
                a, bcoef, std = coeffs[k]
                v = head(torch.cat([obs, x, time_features(taus[k], B)], dim=1))
                mean = a * x + bcoef * v
                nxt = mean + torch.randn(B, ACT) * std
                logps.append(log_prob(nxt, mean, torch.tensor(std)))
                states.append(nxt)
                x = nxt
            return states, torch.stack(logps)

    states, old = sample()
    adv = torch.randn(B, 1)
    a_t = torch.tensor([c[0] for c in coeffs]).view(K, 1, 1)
    b_t = torch.tensor([c[1] for c in coeffs]).view(K, 1, 1)
    s_t = torch.tensor([c[2] for c in coeffs]).view(K, 1, 1)

    def update(eps=0.2):
        inputs = torch.cat(states[:K], 0)
        targets = torch.cat(states[1:], 0)
        time_in = torch.cat([time_features(taus[k], B) for k in range(K)], 0)
        feats = torch.cat([obs.repeat(K, 1), inputs, time_in], 1)
        v = head(feats).view(K, B, ACT)
        mean = inputs.view(K, B, ACT) * a_t + v * b_t
        new = log_prob(targets.view(K, B, ACT), mean, s_t)
        log_ratio = (new - old).sum(0).clamp(-20, 20)
        ratio = log_ratio.exp()
        loss = -torch.minimum(ratio * adv, ratio.clamp(1 - eps, 1 + eps) * adv).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    return [("flow-head-grpo", "sample-K10", median_ms(sample, repeats)),
            ("flow-head-grpo", "logprob-loss-backward-adamw", median_ms(update, repeats))]


# ---------------------------------------------------------------- dit-step
class DiTBlock(nn.Module):
    def __init__(self, width, heads, mlp_ratio):
        super().__init__()
        self.heads = heads
        self.modulation = nn.Linear(width, 6 * width)
        self.qkv = nn.Linear(width, 3 * width)
        self.proj = nn.Linear(width, width)
        self.fc1 = nn.Linear(width, mlp_ratio * width)
        self.fc2 = nn.Linear(mlp_ratio * width, width)
        nn.init.zeros_(self.modulation.weight)
        nn.init.zeros_(self.modulation.bias)

    def forward(self, x, memory, c):
        b, t, w = x.shape
        m, h = memory.shape[1], self.heads
        d = w // h
        shift1, scale1, gate1, shift2, scale2, gate2 = self.modulation(c).unsqueeze(1).chunk(6, dim=2)
        hx = F.layer_norm(x, (w,), eps=1e-6) * (1 + scale1) + shift1
        q, k, v = self.qkv(hx).view(b, t, 3, h, d).unbind(2)
        _, mk, mv = self.qkv(F.layer_norm(memory, (w,), eps=1e-6)).view(b, m, 3, h, d).unbind(2)
        k = torch.cat([mk, k], 1)
        v = torch.cat([mv, v], 1)
        att = F.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2))
        x = x + self.proj(att.transpose(1, 2).reshape(b, t, w)) * gate1
        h2 = F.layer_norm(x, (w,), eps=1e-6) * (1 + scale2) + shift2
        return x + self.fc2(F.gelu(self.fc1(h2), approximate="tanh")) * gate2


class DiT(nn.Module):
    def __init__(self, patch=2, channels=4, width=256, depth=4, heads=4, mlp_ratio=4):
        super().__init__()
        self.patch = patch
        self.patch_embed = nn.Linear(patch * patch * channels, width)
        self.blocks = nn.ModuleList([DiTBlock(width, heads, mlp_ratio) for _ in range(depth)])
        self.final_modulation = nn.Linear(width, 2 * width)
        self.head = nn.Linear(width, patch * patch * channels)

    def forward(self, latent, memory, cond):
        b, f, hh, ww, ch = latent.shape
        p = self.patch
        tokens = latent.view(b, f, hh // p, p, ww // p, p, ch).permute(0, 1, 2, 4, 3, 5, 6).reshape(b, -1, p * p * ch)
        x = self.patch_embed(tokens)
        c = F.silu(cond)
        for block in self.blocks:
            x = block(x, memory, c)
        shift, scale = self.final_modulation(c).unsqueeze(1).chunk(2, dim=2)
        return self.head(F.layer_norm(x, (x.shape[-1],), eps=1e-6) * (1 + scale) + shift)


def dit_bench(repeats):
    torch.manual_seed(21)
    model = DiT()
    latent = torch.randn(4, 4, 16, 16, 4)
    memory = torch.randn(4, 64, 256)
    cond = torch.randn(4, 256)
    target = torch.randn(4, 256, 16)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)

    def forward():
        with torch.no_grad():
            model(latent, memory, cond)

    def train():
        loss = F.mse_loss(model(latent, memory, cond), target)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()

    return [("dit-step", "forward", median_ms(forward, repeats)),
            ("dit-step", "forward-backward-adamw", median_ms(train, repeats))]


def gemm_bench(repeats, n=1024):
    a, b = torch.randn(n, n), torch.randn(n, n)
    ms = median_ms(lambda: torch.matmul(a, b), repeats)
    return [("gemm-1024", "torch-matmul", ms, {"gflops": 2 * n ** 3 / ms[1] / 1e6})]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--workload", default="all", choices=["all", "gemm", "flow-head-grpo", "dit-step"])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    results = []
    if args.workload in ("all", "gemm"):
        results += gemm_bench(args.repeats)
    if args.workload in ("all", "flow-head-grpo"):
        results += flow_head_bench(args.repeats)
    if args.workload in ("all", "dit-step"):
        results += dit_bench(args.repeats)
    rows = []
    for r in results:
        row = {"workload": r[0], "phase": r[1], "ms": round(r[2][0], 3), "best_ms": round(r[2][1], 3), "cpu_ms": round(r[2][2], 3)}
        if len(r) > 3:
            row.update({k: round(v, 3) for k, v in r[3].items()})
        rows.append(row)
    if args.json:
        print(json.dumps({"engine": f"pytorch-{torch.__version__}", "threads": torch.get_num_threads(), "results": rows}, indent=1))
    else:
        print(f"pytorch {torch.__version__} threads={torch.get_num_threads()}")
        for row in rows:
            print(f"{row['workload']:16} {row['phase']:30} {row['ms']:9.2f} ms (best {row['best_ms']:.2f})")


if __name__ == "__main__":
    main()
