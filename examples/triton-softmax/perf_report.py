#!/usr/bin/env python3
"""The row softmax of softmax.py timed the way Triton's tutorials time kernels: a
triton.testing.perf_report over the row length, Triton beside torch.softmax, each point do_bench's
median in microseconds (Ratchet reads the CSV perf_report writes: --from triton --unit us).

    python3 examples/triton-softmax/perf_report.py --save-path results/triton-base
    SLOWDOWN=2 python3 examples/triton-softmax/perf_report.py --save-path results/triton-slowed
    ratchet compare --from triton --unit us --device "NVIDIA H100 80GB HBM3" results/triton-slowed --against results/triton-base

SLOWDOWN (default 1) repeats the exponentials that many times, as in softmax.py: a genuinely
slower build of the same kernel. The CSV keeps one decimal (perf_report's float_format), hence
microseconds: in milliseconds a 20 us kernel would be written as 0.0.
"""
import argparse
import os

import torch
import triton

from softmax_kernel import softmax_kernel

SLOWDOWN = int(os.environ.get("SLOWDOWN", "1"))
ROWS = 4096


def triton_softmax(x):
    out = torch.empty_like(x)
    softmax_kernel[(x.shape[0],)](out, x, x.shape[1], x.stride(0), BLOCK=triton.next_power_of_2(x.shape[1]), REPEAT=SLOWDOWN, num_warps=8)
    return out


@triton.testing.perf_report(
    triton.testing.Benchmark(
        x_names=["N"],
        x_vals=[256 * i for i in (4, 8, 16, 32, 64)],
        line_arg="provider",
        line_vals=["triton", "torch"],
        line_names=["Triton", "Torch"],
        ylabel="us",
        plot_name="softmax-performance",
        args={"M": ROWS},
    )
)
def benchmark(M, N, provider):
    x = torch.randn(M, N, device="cuda", dtype=torch.float16)
    fn = (lambda: triton_softmax(x)) if provider == "triton" else (lambda: torch.softmax(x, dim=-1))
    median_ms, low_ms, high_ms = triton.testing.do_bench(fn, quantiles=[0.5, 0.2, 0.8])
    return median_ms * 1e3, low_ms * 1e3, high_ms * 1e3


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save-path", default=os.environ.get("RATCHET_OUTPUT_DIR", "."))
    args = parser.parse_args()
    os.makedirs(args.save_path, exist_ok=True)
    benchmark.run(print_data=True, save_path=args.save_path)
