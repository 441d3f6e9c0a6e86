#!/usr/bin/env python3
"""A Ratchet peer: PyTorch's scaled_dot_product_attention with one backend forced.

    python3 torch_sdpa.py --backend flash|efficient|cudnn|math  < request.json  > response.json

Speaks the peer protocol of @ratchet/core (packages/core/src/peer.ts, docs/peers.md): one JSON
request on stdin (benchmarks, timing options, seed), one JSON response on stdout with raw
per-sample milliseconds, so the numbers go through Ratchet's own statistics. Inputs come from
the shared generator below, bit for bit the one the native addon uses, so the output checksums
of both sides can be compared. Timing: CUDA events around one call per sample, after warm-up,
with the L2 cache flushed before each sample when asked, as Ratchet does for its own kernel.
Never raises: every failure becomes a status and a reason in the response.
"""
import argparse
import json
import math
import sys

PROTOCOL = 1
MASK32 = 0xFFFFFFFF
# The math backend materialises the S x S score matrix; beyond this it only measures the
# allocator, so such shapes are reported unsupported rather than timed.
MATH_MAX_SCORE_BYTES = 2 * 2**30
# The fp32 reference is computed per (batch, head) on this many pairs at most: enough to catch
# a wrong kernel, bounded in time on the largest shapes.
REFERENCE_MAX_HEADS = 4
TOLERANCE = {"fp16": 2e-3, "bf16": 1.6e-2}


def respond(payload):
    json.dump({"protocol": PROTOCOL, **payload}, sys.stdout)
    sys.stdout.write("\n")


def mul32(torch, x, constant):
    """x * constant mod 2^32 without overflowing int64: split the constant in 16-bit halves."""
    low = x * (constant & 0xFFFF)
    high = ((x * (constant >> 16)) & 0xFFFF) << 16
    return (low + high) & MASK32


def shared_uniform(torch, count, seed, tensor_index, device):
    """The shared input generator (docs/peers.md): murmur3's finalizer over a Weyl sequence,
    top 24 bits to a float32 in [-1, 1). Exact in float32, so both sides agree bit for bit."""
    index = torch.arange(count, dtype=torch.int64, device=device)
    offset = (seed * 0x85EBCA77 + tensor_index * 0xC2B2AE3D) & MASK32
    x = (mul32(torch, index, 0x9E3779B1) + offset) & MASK32
    x = x ^ (x >> 16)
    x = mul32(torch, x, 0x85EBCA6B)
    x = x ^ (x >> 13)
    x = mul32(torch, x, 0xC2B2AE35)
    x = x ^ (x >> 16)
    return (x >> 8).to(torch.float32) * (2.0 ** -23) - 1.0


def benchmark_id(b):
    causal = "_causal" if b["causal"] else ""
    return f'{b["kernel"]}/{b["dtype"]}/B{b["B"]}_H{b["H"]}_S{b["S"]}_D{b["D"]}{causal}'


def inputs(torch, b, seed):
    dtype = {"fp16": torch.float16, "bf16": torch.bfloat16}[b["dtype"]]
    shape = (b["B"], b["H"], b["S"], b["D"])
    count = math.prod(shape)
    return [shared_uniform(torch, count, seed, t, "cuda").to(dtype).reshape(shape) for t in range(3)]


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
    result = {"passed": passed, "maxAbsError": max_abs if math.isfinite(max_abs) else 1e308,
              "relError": rel if math.isfinite(rel) else 1e308, "tolerance": TOLERANCE[dtype_name],
              "reference": f"torch-fp32-math ({len(pairs)} of {B * H} heads)"}
    if not passed:
        result["detail"] = f"relative error {rel:.3e} over {TOLERANCE[dtype_name]}"
    return result


def time_samples(torch, run, timing):
    flush = None
    if timing["l2Flush"]:
        l2_bytes = torch.cuda.get_device_properties(0).L2_cache_size
        flush = torch.empty(2 * l2_bytes, dtype=torch.uint8, device="cuda")
    for _ in range(timing["warmup"]):
        run()
    samples = []
    for _ in range(timing["samples"]):
        if flush is not None:
            flush.zero_()
        start = torch.cuda.Event(enable_timing=True)
        stop = torch.cuda.Event(enable_timing=True)
        start.record()
        run()
        stop.record()
        stop.synchronize()
        samples.append(start.elapsed_time(stop))
    return samples


def measure(torch, sdpa_kernel, backend, b, request):
    bid = benchmark_id(b)
    unsupported = lambda reason: {"id": bid, "status": "unsupported", "reason": reason,
                                  "samplesMs": [], "correctness": None, "checksum": None}
    score_bytes = b["B"] * b["H"] * b["S"] * b["S"] * 4
    if backend.name == "MATH" and score_bytes > MATH_MAX_SCORE_BYTES:
        return unsupported(f"math backend would materialise {score_bytes / 2**30:.1f} GiB of scores")
    q, k, v = inputs(torch, b, request["seed"])
    scale = 1.0 / math.sqrt(b["D"])
    F = torch.nn.functional

    def run():
        with sdpa_kernel([backend]):
            return F.scaled_dot_product_attention(q, k, v, is_causal=b["causal"], scale=scale)

    try:
        out = run()
        torch.cuda.synchronize()
    except RuntimeError as error:
        torch.cuda.empty_cache()
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return unsupported(first_line[:300])
    correctness = reference_error(torch, q, k, v, out, b["causal"], scale, b["dtype"])
    checksum = {"sum": float(out.float().sum()), "absSum": float(out.float().abs().sum())}
    samples = time_samples(torch, run, request["timing"]) if correctness["passed"] else []
    del q, k, v, out
    torch.cuda.empty_cache()
    return {"id": bid, "status": "ok", "samplesMs": samples, "correctness": correctness, "checksum": checksum}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", required=True, choices=["flash", "efficient", "cudnn", "math"])
    args = parser.parse_args()
    request = json.load(sys.stdin)
    if request.get("protocol") != PROTOCOL:
        respond({"status": "unavailable", "reason": f"request protocol {request.get('protocol')} (this peer speaks {PROTOCOL})", "results": []})
        return
    try:
        import torch
        from torch.nn.attention import SDPBackend, sdpa_kernel
    except Exception as error:  # noqa: BLE001 - any import failure means "not here"
        respond({"status": "unavailable", "reason": f"no usable torch: {error}", "results": []})
        return
    if not torch.cuda.is_available():
        respond({"status": "unavailable", "reason": f"torch {torch.__version__} sees no CUDA device", "results": []})
        return
    backend = {"flash": SDPBackend.FLASH_ATTENTION, "efficient": SDPBackend.EFFICIENT_ATTENTION,
               "cudnn": SDPBackend.CUDNN_ATTENTION, "math": SDPBackend.MATH}[args.backend]
    results = [measure(torch, sdpa_kernel, backend, b, request) for b in request["benchmarks"]]
    respond({"status": "ok", "device": {"name": torch.cuda.get_device_name(0), "software": f"torch {torch.__version__}"},
             "results": results})


if __name__ == "__main__":
    main()
