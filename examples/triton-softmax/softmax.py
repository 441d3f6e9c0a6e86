#!/usr/bin/env python3
"""A Triton kernel guarded by Ratchet: row softmax of a [rows, cols] fp16/bf16 matrix.

Two variants of one kernel: `warps4` and `warps8` (num_warps), each program one row, the whole
row in one block (cols up to 16384). Inputs come from the seed (never zeros); the check compares
with torch.softmax in fp32 on the same inputs. Memory-bound: one read and one write of the
matrix, judged in GB/s. Ratchet starts this file as a process (ratchet.config.json:
"processes") with ratchet_problem on PYTHONPATH; it times the launches with CUDA events.

SLOWDOWN (an environment variable, default 1) repeats the exponentials that many times: the
"deliberately slowed copy" docs/benchmarks.md measures with `ratchet run --base`.
"""
import os

import ratchet_problem as rp
import torch
import triton

from softmax_kernel import softmax_kernel

SLOWDOWN = int(os.environ.get("SLOWDOWN", "1"))
DTYPES = {"fp16": torch.float16, "bf16": torch.bfloat16}


@rp.problem(
    name="triton_softmax",
    summary="row softmax of a [rows, cols] matrix in Triton, fp32 math",
    params=[rp.enum("dtype", list(DTYPES)), rp.integer("rows", 1, 1 << 20), rp.integer("cols", 1, 16384)],
    variants=["warps4", "warps8"],
    backend="cuda",
)
class TritonSoftmax:
    def __init__(self, params, variant, seed):
        self.rows, self.cols = params["rows"], params["cols"]
        self.dtype = DTYPES[params["dtype"]]
        self.warps = 4 if variant == "warps4" else 8
        self.block = triton.next_power_of_2(self.cols)
        self.fill(seed)
        self.out = torch.empty_like(self.x)
        self.compiled = None

    def fill(self, seed):
        generator = torch.Generator(device="cuda").manual_seed(seed)
        self.x = (torch.rand(self.rows, self.cols, generator=generator, device="cuda") * 8 - 4).to(self.dtype)

    def work(self):
        elements = self.rows * self.cols
        # max, subtract, exp, sum, divide: about 5 per element; one read and one write.
        return {"flops": 5 * elements, "bytes": 2 * elements * self.x.element_size()}

    def launch(self):
        self.compiled = softmax_kernel[(self.rows,)](
            self.out, self.x, self.cols, self.x.stride(0), BLOCK=self.block, REPEAT=SLOWDOWN, num_warps=self.warps
        )

    def check(self, seed):
        self.fill(seed)
        self.out.fill_(float("nan"))
        self.launch()
        reference = torch.softmax(self.x.float(), dim=1)
        got = self.out.float()
        finite = bool(torch.isfinite(got).all())
        error = (got - reference).abs()
        rel = float(torch.linalg.norm(got - reference) / torch.linalg.norm(reference)) if finite else float("inf")
        tolerance = 2e-3 if self.dtype == torch.float16 else 1.6e-2
        passed = finite and rel <= tolerance
        detail = None if passed else ("NaN in the output" if not finite else f"relative error {rel:.3e} over {tolerance}")
        return rp.result(passed, float(error.max()) if finite else float("inf"), rel if finite else 1e30, tolerance, "torch-softmax-fp32", detail)

    def compiled_code(self):
        # Folded into the default identity (the script, the variant, the Triton and torch versions):
        # the compiled cubin and how it is launched, so a change Triton makes to the machine code
        # is never taken for the same code.
        if self.compiled is None:
            self.launch()
        launch = f"grid {self.rows} warps {self.warps} block {self.block} shared {getattr(self.compiled.metadata, 'shared', '')}"
        return [bytes(self.compiled.asm.get("cubin", b"")), launch]


if __name__ == "__main__":
    rp.serve()
