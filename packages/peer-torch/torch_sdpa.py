#!/usr/bin/env python3
"""A Ratchet peer: PyTorch's scaled_dot_product_attention with one backend forced.

    python3 torch_sdpa.py        # a process source: Ratchet starts it and speaks the line protocol

Declares one problem, `flash_fwd`, with the parameters of Ratchet's own attention benchmark and
one variant per SDPA backend (flash, efficient, cudnn, math), served by ratchet_problem (put on
PYTHONPATH by Ratchet, docs/peers.md). Each peer `torch-sdpa/<backend>` is a session opened with
that variant, checked, then sampled in turns with our kernel, so both sides see the same GPU
state. Inputs come from the shared generator below, bit for bit the one the native addon uses, so
the output checksums of both sides can be compared. Timing is ratchet_problem's (CUDA events, L2
flushed before each sample, the stream held until every launch is enqueued).
"""
import math

import ratchet_problem as rp

MASK32 = 0xFFFFFFFF
# The math backend materialises the S x S score matrix; beyond this it only measures the
# allocator, so such shapes are reported unsupported rather than timed.
MATH_MAX_SCORE_BYTES = 2 * 2**30
# The fp32 reference is computed per (batch, head) on this many pairs at most: enough to catch
# a wrong kernel, bounded in time on the largest shapes.
REFERENCE_MAX_HEADS = 4
TOLERANCE = {"fp16": 2e-3, "bf16": 1.6e-2}
BACKENDS = ["flash", "efficient", "cudnn", "math"]


def mul32(x, constant):
    """x * constant mod 2^32 without overflowing int64: split the constant in 16-bit halves."""
    low = x * (constant & 0xFFFF)
    high = ((x * (constant >> 16)) & 0xFFFF) << 16
    return (low + high) & MASK32


def shared_uniform(torch, count, seed, tensor_index, device):
    """The shared input generator (docs/peers.md): murmur3's finalizer over a Weyl sequence,
    top 24 bits to a float32 in [-1, 1). Exact in float32, so both sides agree bit for bit."""
    index = torch.arange(count, dtype=torch.int64, device=device)
    offset = (seed * 0x85EBCA77 + tensor_index * 0xC2B2AE3D) & MASK32
    x = (mul32(index, 0x9E3779B1) + offset) & MASK32
    x = x ^ (x >> 16)
    x = mul32(x, 0x85EBCA6B)
    x = x ^ (x >> 13)
    x = mul32(x, 0xC2B2AE35)
    x = x ^ (x >> 16)
    return (x >> 8).to(torch.float32) * (2.0 ** -23) - 1.0


def reference_error(torch, q, k, v, out, causal, scale, dtype_name):
    """fp32 math on at most REFERENCE_MAX_HEADS (batch, head) pairs: ||out - ref|| / ||ref||."""
    B, H, S, _ = q.shape
    diff = norm = 0.0
    max_abs = 0.0
    pairs = [(b, h) for b in range(B) for h in range(H)][:REFERENCE_MAX_HEADS]
    for b, h in pairs:
        scores = (q[b, h].float() @ k[b, h].float().T) * scale
        if causal:
            scores.masked_fill_(torch.ones(S, S, dtype=torch.bool, device=q.device).triu(1), float("-inf"))
        ref = torch.softmax(scores, dim=-1) @ v[b, h].float()
        delta = out[b, h].float() - ref
        diff += float((delta * delta).sum())
        norm += float((ref * ref).sum())
        max_abs = max(max_abs, float(delta.abs().max()))
    rel = math.sqrt(diff / norm) if norm > 0 else float("inf")
    passed = math.isfinite(rel) and rel <= TOLERANCE[dtype_name]
    detail = None if passed else f"relative error {rel:.3e} over {TOLERANCE[dtype_name]}"
    return passed, (max_abs if math.isfinite(max_abs) else 1e308), (rel if math.isfinite(rel) else 1e308), detail, len(pairs)


def first_line(error):
    text = str(error).strip()
    return (text.splitlines()[0] if text else type(error).__name__)[:300]


def torch_or_reason():
    """(torch, None) when torch with CUDA is usable here, else (None, why not)."""
    try:
        import torch
        import torch.nn.attention  # noqa: F401 - sdpa_kernel, SDPBackend
    except Exception as error:  # noqa: BLE001 - any import failure means "not here"
        return None, f"no usable torch: {first_line(error)}"
    if not torch.cuda.is_available():
        return None, f"torch {torch.__version__} sees no CUDA device"
    return torch, None


@rp.problem(name="flash_fwd", summary="PyTorch scaled_dot_product_attention, one backend forced", backend="cuda",
            params=[rp.enum("dtype", ["fp16", "bf16"]), rp.integer("B", 1, 65535, description="batch"),
                    rp.integer("H", 1, 65535, description="heads"),
                    rp.integer("S", 1, 1 << 30, description="sequence length (queries and keys)"),
                    rp.integer("D", 1, 256, description="head dim"), rp.flag("causal", description="mask keys after the query")],
            variants=BACKENDS)
class TorchSdpa:
    def __init__(self, params, variant, seed):
        import torch
        from torch.nn.attention import SDPBackend, sdpa_kernel

        self.torch = torch
        self.shape = (params["B"], params["H"], params["S"], params["D"])
        self.dtype_name = params["dtype"]
        self.causal = bool(params["causal"])
        self.scale = 1.0 / math.sqrt(params["D"])
        score_bytes = params["B"] * params["H"] * params["S"] * params["S"] * 4
        if variant == "math" and score_bytes > MATH_MAX_SCORE_BYTES:
            raise rp.Unsupported(f"math backend would materialise {score_bytes / 2**30:.1f} GiB of scores")
        backend = {"flash": SDPBackend.FLASH_ATTENTION, "efficient": SDPBackend.EFFICIENT_ATTENTION,
                   "cudnn": SDPBackend.CUDNN_ATTENTION, "math": SDPBackend.MATH}[variant]
        # Entered once for the session (left in close()): the backend choice is global state, and
        # entering it per call put a context manager's cost inside every sample.
        self.forced = sdpa_kernel([backend])
        self.forced.__enter__()
        try:
            self.fill(seed)
            self.launch()
            torch.cuda.synchronize()
        except RuntimeError as error:  # the backend refuses the shape ("No available kernel", out of memory)
            self.close()
            raise rp.Unsupported(first_line(error)) from error

    def fill(self, seed):
        torch = self.torch
        dtype = {"fp16": torch.float16, "bf16": torch.bfloat16}[self.dtype_name]
        count = math.prod(self.shape)
        self.q, self.k, self.v = [shared_uniform(torch, count, seed, t, "cuda").to(dtype).reshape(self.shape) for t in range(3)]

    def work(self):
        B, H, S, D = self.shape
        full = 4.0 * B * H * S * S * D
        # The same count as the native flash_fwd, so both sides' TFLOP/s compare.
        return {"flops": full / 2 if self.causal else full, "bytes": 4.0 * math.prod(self.shape) * 2}

    def launch(self):
        self.out = self.torch.nn.functional.scaled_dot_product_attention(self.q, self.k, self.v, is_causal=self.causal, scale=self.scale)

    def check(self, seed):
        self.fill(seed)
        self.out = None  # no stale output can pass the check
        self.launch()
        self.torch.cuda.synchronize()
        out = self.out.float()
        passed, max_abs, rel, detail, heads = reference_error(self.torch, self.q, self.k, self.v, self.out, self.causal, self.scale, self.dtype_name)
        B, H, _, _ = self.shape
        return rp.result(passed, max_abs, rel, TOLERANCE[self.dtype_name], f"torch-fp32-math ({heads} of {B * H} heads)",
                         detail=detail, checksum=(float(out.sum()), float(out.abs().sum())))

    def close(self):
        if self.forced is not None:
            self.forced.__exit__(None, None, None)
            self.forced = None
        self.q = self.k = self.v = self.out = None
        self.torch.cuda.empty_cache()


if __name__ == "__main__":
    torch, unavailable = torch_or_reason()
    rp.serve(software=f"torch {torch.__version__}" if torch else None, unavailable=unavailable)
