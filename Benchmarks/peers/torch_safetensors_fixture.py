#!/usr/bin/env python3
"""Writes Fixtures/tensor-engine/torch_params.safetensors with PyTorch + safetensors, for the
TensorEngine interop test (TensorSafetensorsTests). Values are exactly representable in each dtype,
so the Swift test compares them exactly.

Peer install (CPU build; the default PyPI wheel is the CUDA build):
    python3 -m pip install 'torch==2.13.0+cpu' safetensors
Run from the repository root:
    python3 Benchmarks/peers/torch_safetensors_fixture.py
"""
import pathlib

import torch
from safetensors.torch import save_file

OUT = pathlib.Path("Fixtures/tensor-engine/torch_params.safetensors")


def main() -> None:
    tensors = {
        "blocks.0.attn.qkv.weight": (torch.arange(6, dtype=torch.float32).reshape(2, 3) * 0.5 - 1.0),
        "blocks.0.attn.qkv.bias": torch.tensor([0.25, -4.0], dtype=torch.float32),
        "head.f16": torch.tensor([1.5, -2.25, 65504.0, 2.0 ** -14], dtype=torch.float16),
        "head.bf16": torch.tensor([[1.0, -3.5], [2.0 ** 20, 0.0078125]], dtype=torch.bfloat16),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(OUT), metadata={"format": "pt", "writer": "torch_safetensors_fixture.py"})
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
