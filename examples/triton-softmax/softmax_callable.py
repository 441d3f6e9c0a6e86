#!/usr/bin/env python3
"""softmax.py's Triton kernel (softmax_kernel.py) as code usually looks before Ratchet: a kernel,
a Python wrapper that launches it, and a line that times the wrapper by hand:

    x = torch.randn(16384, 4096, device="cuda", dtype=torch.float16)
    ms = triton.testing.do_bench(lambda: softmax(x))

from_callable() (at the end) makes the wrapper a Ratchet problem with no class to write: inputs
from the seed, torch.softmax in fp32 as the reference, the work of one call, and two variants
(num_warps 4 and 8). What is timed is what do_bench timed: one call of `softmax`, its output
allocation included. Ratchet starts this file as a process (ratchet.config.json: "processes")
and times the calls with CUDA events, L2 flushed before each sample.
"""
from functools import partial

import ratchet_problem as rp
import torch
import triton

from softmax_kernel import softmax_kernel

DTYPES = {"fp16": torch.float16, "bf16": torch.bfloat16}
WARPS = {"warps4": 4, "warps8": 8}

compiled = {}  # num_warps -> the kernel Triton compiled for it (what a launch returns)


def softmax(x, num_warps=4):
    """Row softmax of a [rows, cols] fp16/bf16 matrix, fp32 math, each program one whole row."""
    rows, cols = x.shape
    out = torch.empty_like(x)
    compiled[num_warps] = softmax_kernel[(rows,)](out, x, cols, x.stride(0), BLOCK=triton.next_power_of_2(cols), REPEAT=1, num_warps=num_warps)
    return out


def random_matrix(params, seed):
    generator = torch.Generator(device="cuda").manual_seed(seed)
    x = torch.rand(params["rows"], params["cols"], generator=generator, device="cuda") * 8 - 4
    return x.to(DTYPES[params["dtype"]])


def torch_softmax_fp32(x):
    return torch.softmax(x.float(), dim=1)


rp.from_callable(
    {variant: partial(softmax, num_warps=warps) for variant, warps in WARPS.items()},
    make_inputs=random_matrix,
    reference=torch_softmax_fp32,
    name="triton_softmax_fn",
    summary="row softmax of a [rows, cols] matrix in Triton, fp32 math, declared with from_callable",
    params=[rp.enum("dtype", list(DTYPES)), rp.integer("rows", 1, 1 << 20), rp.integer("cols", 1, 16384)],
    # max, subtract, exp, sum, divide: about 5 per element; one read and one write of 2-byte elements.
    work=lambda p: {"flops": 5 * p["rows"] * p["cols"], "bytes": 2 * p["rows"] * p["cols"] * 2},
    tolerance=lambda p: 2e-3 if p["dtype"] == "fp16" else 1.6e-2,
    backend="cuda",
    # The cubin of the variant's kernel, folded into the identity: a change Triton makes to the
    # machine code is never taken for the same code.
    compiled_code=lambda params, variant: bytes(compiled[WARPS[variant]].asm.get("cubin", b"")),
)

if __name__ == "__main__":
    rp.serve(software=f"torch {torch.__version__}, triton {triton.__version__}")
