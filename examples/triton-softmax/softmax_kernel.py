"""The row softmax kernel the scripts beside this one time, written once: softmax.py (a problem
class), softmax_callable.py (from_callable) and perf_report.py (Triton's perf_report). Each
program one row, the whole row in one block (cols up to 16384), fp32 math. A script copied
elsewhere takes this file with it (scripts/gpu-harness.sh does).

REPEAT repeats the exponentials that many times: the deliberate slowdown softmax.py and
perf_report.py take from their SLOWDOWN variable (1: the plain kernel). SLOWDOWN stays in each
script, so a slowed commit changes that script's code alone.
"""
import triton
import triton.language as tl


@triton.jit
def softmax_kernel(out_ptr, in_ptr, cols, stride, BLOCK: tl.constexpr, REPEAT: tl.constexpr):
    row = tl.program_id(0)
    offsets = tl.arange(0, BLOCK)
    mask = offsets < cols
    x = tl.load(in_ptr + row * stride + offsets, mask=mask, other=-float("inf")).to(tl.float32)
    x = x - tl.max(x, axis=0)
    numerator = tl.exp(x)
    for _ in tl.static_range(REPEAT - 1):  # the deliberate slowdown: the same exp again
        numerator = tl.exp(x + numerator * 0.0)
    y = numerator / tl.sum(numerator, axis=0)
    tl.store(out_ptr + row * stride + offsets, y.to(out_ptr.dtype.element_ty), mask=mask)
