#!/usr/bin/env python3
"""Prophet's DiT denoiser in PyTorch, a faithful port of the Swift model (training: prophet_dit_train.py).

The Swift reference lives in Adapters/ProphetDiT (ProphetDenoiser, DiTBlock, HistoryMemory, RectifiedFlow,
ProphetTrainer, ProphetDataset) and Adapters/TensorEngine (patchify, RoPE, attention, norms, AdamW). Parameter
names and shapes are the Swift module paths, so weights move both ways through safetensors files:

    denoiser.blocks.0.query.base.weight   [D, D]     (Linear weights are [out, in], as in PyTorch)
    denoiser.memory.segmentEmbedding      [3, D]
    denoiser.actionMean / actionScale     [A]        (frozen: saved, never trained)

Layout of the file: small parts (safetensors, config), the model, the loss. Only torch, numpy and the standard
library. Checked against the Swift forward pass by Tests/ProphetDiTTests/TorchPortTests.swift (Fixtures/prophet-dit).
"""
import json
import lzma
import math
import os
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# ----------------------------------------------------------------------------------------------------------------
# safetensors: 8-byte little-endian header length, JSON header {name: {dtype, shape, data_offsets}} with an optional
# "__metadata__" string map, then the raw little-endian data.

DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "F64": np.float64, "I32": np.int32}


def read_safetensors(path):
    """Returns ({name: numpy array}, {metadata key: string}); a path ending in .xz is decompressed first."""
    with (lzma.open(path, "rb") if path.endswith(".xz") else open(path, "rb")) as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {}) or {}
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        if info["dtype"] not in DTYPES:
            raise ValueError(f"{path}: tensor {name} has unsupported dtype {info['dtype']}")
        start, end = info["data_offsets"]
        dtype = np.dtype(DTYPES[info["dtype"]]).newbyteorder("<")
        array = np.frombuffer(data, dtype=dtype, count=(end - start) // dtype.itemsize, offset=base + start)
        tensors[name] = array.reshape(info["shape"]).astype(dtype.newbyteorder("="))
    return tensors, metadata


def write_safetensors(path, tensors, metadata=None):
    """Writes {name: numpy array or torch tensor} (F32/F16/I64) atomically: a temporary file, then a rename."""
    names = {np.dtype(v): k for k, v in DTYPES.items()}
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        value = tensors[name]
        if isinstance(value, torch.Tensor):
            value = value.detach().cpu().numpy()
        value = np.ascontiguousarray(value)
        blob = value.astype(value.dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": names[value.dtype], "shape": list(value.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * ((8 - len(encoded) % 8) % 8)
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for blob in blobs:
            f.write(blob)
    os.replace(tmp, path)


# ----------------------------------------------------------------------------------------------------------------
# Configuration: the Swift ProphetConfiguration field names, with its defaults.

CONFIG_DEFAULTS = dict(width=64, height=64, chunkFrames=20, actionDimension=7, latentChannels=16, encoderWidths=[32, 64, 64],
                       modelWidth=192, depth=6, heads=3, adaLNRank=64, historyLatents=15, actionConditioning=True,
                       actionFrames=False, historyMemory=True, timestepScale=1000.0, framesPerSecond=10.0)


def full_config(config):
    """The configuration with the non-optional fields' defaults filled in. The optional memoryRoPE stays absent when
    absent (Swift reads that as off, and a saved configuration must stay equal to its run's for `world import-dit`)."""
    cfg = dict(CONFIG_DEFAULTS)
    cfg.update({k: v for k, v in config.items() if v is not None})
    if cfg["modelWidth"] % cfg["heads"] or (cfg["modelWidth"] // cfg["heads"]) % 2 or cfg["modelWidth"] // cfg["heads"] < 6:
        raise ValueError(f"modelWidth {cfg['modelWidth']} must be a multiple of heads {cfg['heads']} with an even head size >= 6")
    if cfg["historyLatents"] != 15:
        raise ValueError("historyLatents must be 15 (12 | 2 | 1 segments)")
    return cfg


def latent_frames(cfg):
    return 1 + cfg["chunkFrames"] // 4


def config_from_metadata(metadata):
    """The Prophet configuration in a file's metadata: "prophet" (a configuration, or {"prophet": ...}) or the
    "prophrl.config" of a `prophrl runs export` file."""
    for key in ("prophet", "prophrl.config"):
        if key in metadata:
            value = json.loads(metadata[key])
            return value.get("prophet", value) if isinstance(value, dict) else value
    return None


# ----------------------------------------------------------------------------------------------------------------
# Small parts.

def patchify(x, p=2):
    """[B, F, H, W, C] -> [B, F·(H/p)·(W/p), p·p·C], tokens (frame, row, column), patch vector (py, px, c)."""
    b, f, h, w, c = x.shape
    return x.reshape(b, f, h // p, p, w // p, p, c).permute(0, 1, 2, 4, 3, 5, 6).reshape(b, f * (h // p) * (w // p), p * p * c)


def unpatchify(x, p, frames, height, width, channels):
    b = x.shape[0]
    return (x.reshape(b, frames, height // p, width // p, p, p, channels).permute(0, 1, 2, 4, 3, 5, 6)
            .reshape(b, frames, height, width, channels))


def layer_norm(x, eps=1e-6):
    """LayerNorm over the last axis without affine (biased variance, eps inside the square root)."""
    return F.layer_norm(x, x.shape[-1:], eps=eps)


class RMSNorm(nn.Module):
    def __init__(self, dims, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(dims))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def swift_linear(inputs, outputs, bias=True):
    """Swift's Linear init: weight and bias U(−1/√in, 1/√in) (PyTorch's default bounds)."""
    layer = nn.Linear(inputs, outputs, bias=bias)
    bound = 1 / math.sqrt(inputs)
    nn.init.uniform_(layer.weight, -bound, bound)
    if bias:
        nn.init.uniform_(layer.bias, -bound, bound)
    return layer


class MLP(nn.Module):
    """Linear layers (with bias) and GELU-tanh between them, none after the last: `layers.i.weight/bias`."""

    def __init__(self, widths):
        super().__init__()
        self.layers = nn.ModuleList([swift_linear(widths[i], widths[i + 1]) for i in range(len(widths) - 1)])

    def forward(self, x):
        for i, layer in enumerate(self.layers):
            x = layer(x)
            if i < len(self.layers) - 1:
                x = F.gelu(x, approximate="tanh")
        return x


class AdaptableLinear(nn.Module):
    """Bias-free linear layer under `base` (Swift keeps `base.weight` stable for LoRA fine-tuning)."""

    def __init__(self, inputs, outputs, init_scale=1.0):
        super().__init__()
        self.base = swift_linear(inputs, outputs, bias=False)
        if init_scale != 1:
            with torch.no_grad():
                self.base.weight.mul_(init_scale)

    def forward(self, x):
        return self.base(x)


def rope_tables(positions, head_dim, base=10_000.0):
    """cos/sin tables [tokens, head_dim/2] for [t, y, x] positions: the head_dim/2 interleaved pairs split into
    (t, y, x) groups of sizes (pairs − 2·⌊pairs/3⌋, ⌊pairs/3⌋, ⌊pairs/3⌋), pair i of a group of size n at frequency
    base^(−i/n). Computed in float64 (Swift: double, then rounded to float)."""
    pairs = head_dim // 2
    spatial = pairs // 3
    groups = [pairs - 2 * spatial, spatial, spatial]
    positions = np.asarray(positions, dtype=np.float64).reshape(-1, 3)
    angles = [positions[:, axis:axis + 1] * base ** (-2.0 * np.arange(n) / (2 * n))[None, :] for axis, n in enumerate(groups)]
    angles = np.concatenate(angles, axis=1)
    return torch.from_numpy(np.cos(angles)), torch.from_numpy(np.sin(angles))


def grid_positions(frames, height, width):
    return [[f, y, x] for f in range(frames) for y in range(height) for x in range(width)]


def apply_rope(x, cos, sin):
    """Rotates each interleaved pair (x[2i], x[2i+1]) of x [B, N, H, dh] by the angle of its token and pair."""
    x0, x1 = x[..., 0::2], x[..., 1::2]
    c, s = cos[None, :, None, :].to(x.dtype), sin[None, :, None, :].to(x.dtype)
    return torch.stack([x0 * c - x1 * s, x0 * s + x1 * c], dim=-1).flatten(-2)


def timestep_embedding(timesteps, width, scale):
    """[cos(τ'·f_i), sin(τ'·f_i)], f_i = exp(−ln(10000)·i/(D/2)), τ' = s·τ (the product in float32, the angle in
    float64, as in Swift): [B, F, D]."""
    half = width // 2
    scaled = (timesteps.float() * float(scale)).double()  # the f32 product of two f32 values
    freqs = torch.exp(-math.log(10_000) * torch.arange(half, dtype=torch.float64, device=timesteps.device) / half)
    angle = scaled[..., None] * freqs
    return torch.cat([torch.cos(angle), torch.sin(angle)], dim=-1)


# ----------------------------------------------------------------------------------------------------------------
# The model.

class DiTBlock(nn.Module):
    """adaLN (shift, scale, gate per latent frame, low-rank plus a shared bias), self-attention with QK RMSNorm,
    RoPE-3D and the memory keys/values, then a 4× exact-GELU MLP."""

    def __init__(self, width, heads, rank, layer):
        super().__init__()
        self.attentionModulationDown = swift_linear(width, rank, bias=False)
        self.attentionModulationUp = swift_linear(rank, 3 * width, bias=False)
        self.mlpModulationDown = swift_linear(width, rank, bias=False)
        self.mlpModulationUp = swift_linear(rank, 3 * width, bias=False)
        nn.init.zeros_(self.attentionModulationUp.weight)  # every block starts as the identity
        nn.init.zeros_(self.mlpModulationUp.weight)
        self.query = AdaptableLinear(width, width)
        self.key = AdaptableLinear(width, width)
        self.value = AdaptableLinear(width, width)
        self.output = AdaptableLinear(width, width)
        self.queryNorm = RMSNorm(width // heads)
        self.keyNorm = RMSNorm(width // heads)
        self.fc1 = AdaptableLinear(width, 4 * width)
        self.fc2 = AdaptableLinear(4 * width, width, init_scale=1 / math.sqrt(2 * (layer + 1)))
        self.heads = heads

    def forward(self, x, condition, adaln_bias, rope, memory):
        b, n, d = x.shape
        f = condition.shape[1]
        s, h, dh = n // f, self.heads, d // self.heads

        def modulation(down, up):
            shift, scale, gate = (up(down(condition)) + adaln_bias).reshape(b, f, 1, 3 * d).split(d, dim=-1)
            return shift, scale, gate

        shift, scale, gate = modulation(self.attentionModulationDown, self.attentionModulationUp)
        framed = x.reshape(b, f, s, d)
        hidden = (layer_norm(framed) * (scale + 1) + shift).reshape(b, n, d)
        q = apply_rope(self.queryNorm(self.query(hidden).reshape(b, n, h, dh)), *rope)
        k = apply_rope(self.keyNorm(self.key(hidden).reshape(b, n, h, dh)), *rope)
        v = self.value(hidden).reshape(b, n, h, dh)
        if memory is not None:
            memory_key, memory_value, memory_rope = memory
            m = memory_key.shape[1]
            mk = self.keyNorm(memory_key.reshape(b, m, h, dh))
            if memory_rope is not None:
                mk = apply_rope(mk, *memory_rope)
            k = torch.cat([mk, k], dim=1)  # memory keys/values first (the order does not change the result)
            v = torch.cat([memory_value.reshape(b, m, h, dh), v], dim=1)
        attended = F.scaled_dot_product_attention(q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2))  # scale 1/√dh
        attended = attended.transpose(1, 2).reshape(b, n, d)
        after_attention = self.output(attended).reshape(b, f, s, d) * gate + framed
        shift, scale, gate = modulation(self.mlpModulationDown, self.mlpModulationUp)
        hidden = layer_norm(after_attention) * (scale + 1) + shift
        return (self.fc2(F.gelu(self.fc1(hidden))) * gate + after_attention).reshape(b, n, d)


SEGMENTS = [(12, (4, 4, 4)), (2, (2, 2, 2)), (1, (1, 1, 1))]  # (history latents, pool kernel over (t, y, x)), oldest first


def memory_token_positions(latent_height, latent_width, history_latents=15):
    """[t, y, x] of every memory token: pooled tokens at the centre of the cells they average (replicate-padded
    cells count as the last real cell), history latent j (0 = oldest) at time j − 15."""
    def centres(extent, kernel):
        return [sum(min(c, extent - 1) for c in range(start, start + kernel)) / kernel for start in range(0, extent, kernel)]
    positions, first = [], 0
    for count, k in SEGMENTS:
        times = [first + c - history_latents for c in centres(count, k[0])]
        first += count
        for t in times:
            for y in centres(latent_height // 2, k[1]):
                for x in centres(latent_width // 2, k[2]):
                    positions.append([t, y, x])
    return positions


def replicate_pad(x, kernel):
    """Pads axes 1–3 of [B, T, H, W, C] to multiples of the kernel by repeating the last slice."""
    for axis, k in zip((1, 2, 3), kernel):
        extent = x.shape[axis]
        padded = -(-extent // k) * k
        if padded != extent:
            x = x.index_select(axis, torch.arange(padded, device=x.device).clamp(max=extent - 1))
    return x


class HistoryMemory(nn.Module):
    """FramePack-style memory: 15 history latents split 12 | 2 | 1, patchified 1×2×2, average-pooled (4,4,4) /
    (2,2,2) / none, projected per segment plus a segment embedding, LayerNorm, then shared key/value maps."""

    def __init__(self, latent_channels, width, patch_embedding_weight, input_channels):
        super().__init__()
        c = latent_channels
        columns = [pixel * input_channels + channel for pixel in range(4) for channel in range(c)]
        initial = patch_embedding_weight.detach()[:, columns].clone()  # the video-latent columns of the patch embedding
        self.oldestProjection = swift_linear(4 * c, width, bias=False)
        self.middleProjection = swift_linear(4 * c, width, bias=False)
        self.newestProjection = swift_linear(4 * c, width, bias=False)
        with torch.no_grad():
            for projection in (self.oldestProjection, self.middleProjection, self.newestProjection):
                projection.weight.copy_(initial)
        self.segmentEmbedding = nn.Parameter(torch.randn(3, width) * 0.02)
        self.keyProjection = swift_linear(width, width, bias=False)
        self.valueProjection = swift_linear(width, width, bias=False)

    def forward(self, history):
        b, _, h, w, c = history.shape
        projections = (self.oldestProjection, self.middleProjection, self.newestProjection)
        parts, start = [], 0
        for index, (count, kernel) in enumerate(SEGMENTS):
            grid = patchify(history[:, start:start + count]).reshape(b, count, h // 2, w // 2, 4 * c)
            start += count
            grid = replicate_pad(grid, kernel)
            _, t2, h2, w2, _ = grid.shape
            kt, ky, kx = kernel
            pooled = grid.reshape(b, t2 // kt, kt, h2 // ky, ky, w2 // kx, kx, 4 * c).mean(dim=(2, 4, 6))
            tokens = pooled.reshape(b, -1, 4 * c)
            parts.append(projections[index](tokens) + self.segmentEmbedding[index])
        memory = layer_norm(torch.cat(parts, dim=1))
        return self.keyProjection(memory), self.valueProjection(memory)


class ProphetDenoiser(nn.Module):
    """Patch 1×2×2 embedding of [video latent, action-frame latent, mask], per-latent-frame conditioning from the
    timestep and the action chunk, `depth` blocks with memory attention, and a final modulated layer predicting the
    rectified-flow velocity. Built from a Swift ProphetConfiguration dict."""

    def __init__(self, config):
        super().__init__()
        cfg = self.config = full_config(config)
        d, c = cfg["modelWidth"], cfg["latentChannels"]
        self.input_channels = c * (2 if cfg["actionFrames"] else 1) + 1
        self.patchEmbedding = swift_linear(4 * self.input_channels, d, bias=False)
        self.timestepDown = swift_linear(d, d, bias=False)
        self.timestepUp = swift_linear(d, 3 * d, bias=False)
        self.conditionNorm = RMSNorm(d)
        action_inputs = cfg["chunkFrames"] * cfg["actionDimension"]
        if cfg["actionConditioning"]:
            self.actionToWidth = MLP([action_inputs, 4 * d, d])
            self.actionToModulation = MLP([action_inputs, 4 * d, 3 * d])
        else:
            self.actionToWidth = self.actionToModulation = None
        self.blocks = nn.ModuleList([DiTBlock(d, cfg["heads"], cfg["adaLNRank"], layer) for layer in range(cfg["depth"])])
        self.finalModulation = swift_linear(d, 2 * d, bias=False)
        self.finalLinear = nn.Linear(d, 4 * c, bias=False)
        nn.init.zeros_(self.finalLinear.weight)
        a = cfg["actionDimension"]
        # Frozen action normalisation (buffers: saved and loaded, never trained); Swift's defaults.
        self.register_buffer("actionMean", torch.zeros(a))
        self.register_buffer("actionScale", torch.tensor([1.0 if i % 7 == 6 else 20.0 for i in range(a)]))
        self.memory = (HistoryMemory(c, d, self.patchEmbedding.weight, self.input_channels) if cfg["historyMemory"] else None)
        self.rotates_memory_keys = bool(cfg["historyMemory"] and cfg.get("memoryRoPE") is True)
        # RoPE tables of the configuration's grid (other grids are computed on the fly).
        h2, w2, dh = cfg["height"] // 16, cfg["width"] // 16, d // cfg["heads"]
        self._grid_key = (latent_frames(cfg), h2, w2)
        cos, sin = rope_tables(grid_positions(*self._grid_key), dh)
        self.register_buffer("rope_cos", cos.float(), persistent=False)
        self.register_buffer("rope_sin", sin.float(), persistent=False)
        mcos, msin = rope_tables(memory_token_positions(2 * h2, 2 * w2), dh)
        self.register_buffer("memory_rope_cos", mcos.float(), persistent=False)
        self.register_buffer("memory_rope_sin", msin.float(), persistent=False)

    def prepared_actions(self, actions):
        """(a − mean_d)·scale_d per action dimension d; raw actions [B, T·A] or [B, T, A] -> [B, T·A]."""
        a = self.actionMean.numel()
        shaped = actions.reshape(actions.shape[0], -1, a)
        return ((shaped - self.actionMean) * self.actionScale).reshape(actions.shape[0], -1)

    def set_action_statistics(self, mean, std, floor=1e-3):
        """scale = 1 / max(std, floor), as ProphetDenoiser.setActionStatistics."""
        self.actionMean.copy_(torch.as_tensor(mean, dtype=self.actionMean.dtype))
        self.actionScale.copy_(1 / torch.clamp(torch.as_tensor(std, dtype=self.actionScale.dtype), min=floor))

    def forward(self, latent, action_frame_latent, timesteps, actions, history):
        """latent [B, F, h, w, C] (frame 0 the clean conditioning latent), action_frame_latent [B, F, h, w, C] or None,
        timesteps [B, F], prepared actions [B, T·A], history [B, 15, h, w, C] or None -> velocity [B, F, h, w, C]."""
        cfg = self.config
        b, f, h, w, c = latent.shape
        d, dtype = cfg["modelWidth"], latent.dtype
        mask = torch.zeros(b, f, h, w, 1, dtype=dtype, device=latent.device)
        mask[:, 0] = 1
        channels = [latent] + ([action_frame_latent] if cfg["actionFrames"] else []) + [mask]
        x = self.patchEmbedding(patchify(torch.cat(channels, dim=-1)))

        embedding = timestep_embedding(timesteps, d, cfg["timestepScale"]).to(dtype)
        before_norm = embedding
        adaln_bias = self.timestepUp(F.silu(self.timestepDown(embedding)))
        if self.actionToWidth is not None:
            before_norm = embedding + self.actionToWidth(actions)[:, None, :]
            adaln_bias = adaln_bias + self.actionToModulation(actions)[:, None, :]
        condition = F.silu(self.conditionNorm(before_norm))

        dh = d // cfg["heads"]
        if (f, h // 2, w // 2) == self._grid_key:
            rope = (self.rope_cos, self.rope_sin)
        else:
            rope = tuple(t.to(latent.device) for t in rope_tables(grid_positions(f, h // 2, w // 2), dh))
        rope = tuple(t.to(dtype) for t in rope)
        memory = None
        if self.memory is not None:
            if history is None:
                history = torch.zeros(b, cfg["historyLatents"], h, w, c, dtype=dtype, device=latent.device)
            key, value = self.memory(history)
            memory_rope = None
            if self.rotates_memory_keys:
                if (h // 2, w // 2) == self._grid_key[1:]:
                    memory_rope = (self.memory_rope_cos, self.memory_rope_sin)
                else:
                    memory_rope = tuple(t.to(latent.device) for t in rope_tables(memory_token_positions(h, w), dh))
                memory_rope = tuple(t.to(dtype) for t in memory_rope)
            memory = (key, value, memory_rope)
        for block in self.blocks:
            x = block(x, condition, adaln_bias, rope, memory)
        shift, scale = (self.finalModulation(condition) + adaln_bias[..., :2 * d]).reshape(b, f, 1, 2 * d).split(d, dim=-1)
        out = layer_norm(x.reshape(b, f, (h // 2) * (w // 2), d)) * (scale + 1) + shift
        return unpatchify(self.finalLinear(out.reshape(b, -1, d)), 2, f, h, w, c)

    # -- weights in Swift names ------------------------------------------------------------------------------------

    def swift_state(self, prefix="denoiser."):
        """{prefix + Swift path: float32 tensor} (parameters and the frozen action buffers)."""
        return {prefix + k: v.detach().float().cpu() for k, v in self.state_dict().items()}

    def load_swift_state(self, tensors):
        """Loads Swift-named weights strictly (every parameter given, nothing extra). Names may carry a `model.`
        and/or `denoiser.` prefix; other prefixes (autoencoder.*) are ignored."""
        own = self.state_dict()
        top = {key.split(".")[0] for key in own}
        found = {}
        for name, value in tensors.items():
            key = name[len("model."):] if name.startswith("model.") else name
            if key.startswith("denoiser."):
                key = key[len("denoiser."):]
            elif key.split(".")[0] not in top:
                continue  # another part of the model (autoencoder.*) or of the file
            if key not in own:
                raise KeyError(f"unknown denoiser parameter {name}")
            value = torch.as_tensor(np.asarray(value, dtype=np.float32))
            if tuple(value.shape) != tuple(own[key].shape):
                raise ValueError(f"{name}: shape {tuple(value.shape)}, expected {tuple(own[key].shape)}")
            found[key] = value
        missing = sorted(set(own) - set(found))
        if missing:
            raise KeyError(f"missing denoiser parameters: {missing}")
        self.load_state_dict(found, strict=True)


# ----------------------------------------------------------------------------------------------------------------
# The loss (RectifiedFlow.loss).

CONDITIONING_TIMESTEP = float(np.float32(1e-4 / (1 + 1e-4)))  # t of σ = 1e-4, for the clean frame 0


def sample_timesteps(batch, frames, generator=None, device="cpu"):
    """Logit-normal t shifted by ½ ln F: sigmoid(n + ½ ln F), n ~ N(0, 1), one per sample."""
    n = torch.randn(batch, generator=generator, device=device, dtype=torch.float64)
    return torch.sigmoid(n + 0.5 * math.log(frames)).float()


def motion_weights(latents, strength):
    """Per-position loss weights [B, F−1, H, W, 1] for frames 1…: 1 + strength · m / mean(m), where m is the mean over
    channels of |x_f − x_0| (what moved since the clip's clean first frame) and the mean is per sample. The arm and
    the object it carries are a few percent of the latent positions; without weights the static table dominates."""
    moved = (latents[:, 1:].float() - latents[:, :1].float()).abs().mean(dim=-1, keepdim=True)
    scale = moved.mean(dim=(1, 2, 3, 4), keepdim=True).clamp_min(1e-6)
    return 1 + strength * moved / scale


def rectified_flow_loss(model, latents, action_frame_latents, actions, history, t=None, noise=None, generator=None,
                        motion_weight=0.0):
    """Mean over frames 1… of (v − (ε − x₀))², u = (1 − t)·x₀ + t·ε for frames 1…, frame 0 the clean latent at the
    conditioning timestep. `t` [B] (or a float) replaces the sampled timesteps; `noise` replaces ε. With
    `motion_weight` > 0 the mean is weighted by `motion_weights` (a weighted average: uniform motion gives the
    plain loss); the Swift trainer has only the plain loss."""
    b, f = latents.shape[:2]
    if noise is None:
        noise = torch.randn(latents.shape, generator=generator, device=latents.device, dtype=latents.dtype)
    if t is None:
        t = sample_timesteps(b, f, generator=generator, device=latents.device)
    t = torch.as_tensor(t, dtype=latents.dtype, device=latents.device).expand(b)
    tb = t.view(b, 1, 1, 1, 1)
    u = torch.cat([latents[:, :1], (1 - tb) * latents[:, 1:] + tb * noise[:, 1:]], dim=1)
    timesteps = torch.cat([torch.full((b, 1), CONDITIONING_TIMESTEP, dtype=latents.dtype, device=latents.device),
                           t[:, None].expand(b, f - 1)], dim=1)
    velocity = model(u, action_frame_latents, timesteps, actions, history)
    target = noise[:, 1:] - latents[:, 1:]
    error = (velocity[:, 1:].float() - target.float()).pow(2)
    if motion_weight <= 0:
        return error.mean()
    weights = motion_weights(latents, motion_weight)
    return (weights * error).sum() / (weights.sum() * error.shape[-1])
