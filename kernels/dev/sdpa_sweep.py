#!/usr/bin/env python3
"""sdpa_sweep.py: every compiled variant of Ratchet's attention kernel beside PyTorch SDPA's cuDNN
and FlashAttention-2 backends, checked, then timed in turns, outside Ratchet's harness.

Ours is called through the C API of kernels/attention.h (ctypes over a shared library of the
kernels), the peers through torch.nn.functional.scaled_dot_product_attention with one backend
forced. Every side is checked first on fresh random inputs against an fp32 reference of the first
heads (torch's math on upcast inputs; a side that fails is reported, left out, and the sweep exits 1),
then timed: per round, each side once, in an order rotated every round, each sample after an L2 flush
and a GPU spin that keeps the stream busy while the host queues the events and the launch (so host
dispatch, ctypes' or SDPA's, is never timed; a round where a launch took the host over 190 us is timed
again). The ratio of each side to cuDNN is taken round by round (paired), with the distribution-free
95% CI of its median (binomial order statistics).

Build the library (on any machine with nvcc 12.4+; the command of the addon's kernels, as one .so):
  nvcc -O3 -std=c++17 --use_fast_math -lineinfo -shared -Xcompiler -fPIC \
    -gencode=arch=compute_90a,code=sm_90a -Ikernels -DRATCHET_WITH_SM90A \
    kernels/flash_fwd_variants.cu kernels/flash_fwd_{fp16,bf16}_d{64,128}.cu kernels/reference.cu \
    kernels/tensor_map.cu kernels/flash_sm90_v{1,2,3,4,5,6,7,8,9}.cu -o libratchet_attention.so
(add -DRATCHET_DEV_KNOBS and kernels/flash_sm90_v10.cu to let RATCHET_DEV_L2_SECTION set the share of the L2 a causal
section takes and to build the versions on trial, flash_fwd_sm90.h's RATCHET_FLASH_SM90_DEV_VARIANTS)
Run (on the GPU host, PyTorch with CUDA):
  python3 kernels/dev/sdpa_sweep.py --lib ./libratchet_attention.so --shapes suite,fa3 --dtypes fp16,bf16 \
    --rounds 30 [--variants sm90_v4_pingpong,sm90_v7_lazy_rescale,...] [--json out.json]
  python3 kernels/dev/sdpa_sweep.py --lib ./libratchet_attention.so --check-matrix [--variants ...]
  python3 kernels/dev/sdpa_sweep.py ... --only "B32 H8 S512 D64" --trace   # where an event interval goes
`--trace` also times the rounds under torch.profiler (CUPTI): per side, its kernels by name with their
GPU times, the gap from the spin's end to its first kernel (the start event and the launch) and the
rest of the event interval, so a ratio that differs from the kernels' own times can be told apart from
launch cost. Tracing costs a side per activity (on the H100, 2026-12-06, it moved cuDNN's SDPA, a memset
and a kernel, by ~2% at a 50 us shape): read the ratios of a traced run as a breakdown, not a result.
The sides take turns in an order rotated every round, so each side mostly follows the same other
side; `--precede own` runs each side once, untimed, before its flush, so every sample follows its own
side's kernels (as in Ratchet's harness, whose samples come in batches after a warm-up).
`--check-matrix` checks every variant (and the default, -1) against torch's math in fp64 on the odd-shape
matrix (S 1, 7, 17, 63..65, 127..129, 255..257, 1000, 1023..1025, 4224; B = H = 3; both dtypes, D 64
and 128, causal or not) on four kinds of input: uniform, a non-default scale, large logits, and scores
climbing along the keys (the running maximum rises tile after tile, so lazy rescaling really rescales).
"""
import argparse
import ctypes
import json
import math
import sys
import time

import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel

RATCHET_FP16, RATCHET_BF16 = 0, 1
PEER_BACKENDS = {"cudnn": SDPBackend.CUDNN_ATTENTION, "flash": SDPBackend.FLASH_ATTENTION, "efficient": SDPBackend.EFFICIENT_ATTENTION}


def check_tolerance(dtype):
    """The relative error a side may show against the reference: bf16 keeps 8 mantissa bits, fp16 11."""
    return 2e-2 if dtype == torch.bfloat16 else 5e-3


class Params(ctypes.Structure):
    # ratchet_attention_params (kernels/attention.h), field for field.
    _fields_ = [("q", ctypes.c_void_p), ("k", ctypes.c_void_p), ("v", ctypes.c_void_p), ("o", ctypes.c_void_p),
                ("B", ctypes.c_int), ("H", ctypes.c_int), ("S", ctypes.c_int), ("D", ctypes.c_int),
                ("dtype", ctypes.c_int), ("causal", ctypes.c_int), ("scale", ctypes.c_float)]


def suite_shapes():
    """The default CUDA suite's attention shapes (packages/core/src/defaults.ts)."""
    return [(32, 8, 512, 64, False), (8, 16, 2048, 128, False), (2, 16, 8192, 128, False),
            (16, 16, 1024, 64, False), (4, 16, 4096, 128, True)]


def fa3_shapes():
    """FlashAttention-3's forward figure: B*S = 16k, H*D = 2048, S 512..16k, D 64/128, causal or not."""
    return [(16384 // S, 2048 // D, S, D, causal) for causal in (False, True) for D in (64, 128)
            for S in (512, 1024, 2048, 4096, 8192, 16384)]


def extra_shapes():
    """The causal shapes the H100 review found us behind cuDNN on (issue 27)."""
    return [(32, 16, 512, 128, True), (16, 16, 1024, 128, True), (8, 16, 2048, 128, True),
            (1, 16, 16384, 128, True), (32, 32, 512, 64, True), (4, 32, 4096, 64, True)]


def flops(B, H, S, D, causal):
    return 4.0 * B * H * S * S * D * (0.5 if causal else 1.0)


def median(values):
    ordered = sorted(values)
    n = len(ordered)
    return ordered[n // 2] if n % 2 else 0.5 * (ordered[n // 2 - 1] + ordered[n // 2])


def median_ci95(values):
    """Distribution-free 95% CI of the median: order statistics from the binomial(n, 1/2)."""
    ordered = sorted(values)
    n = len(ordered)
    if n < 6:
        return (ordered[0], ordered[-1])
    cdf, k = 0.0, 0
    while True:
        cdf += math.comb(n, k) / 2.0 ** n
        if cdf > 0.025:
            break
        k += 1
    lo = max(k - 1, 0)
    return (ordered[lo], ordered[n - 1 - lo])


def load_library(path):
    """The kernels' shared library with the C API's signatures, and its variants' names by index."""
    lib = ctypes.CDLL(path)
    lib.ratchet_flash_fwd.restype = ctypes.c_int
    lib.ratchet_flash_fwd.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p]
    lib.ratchet_flash_fwd_variant_name.restype = ctypes.c_char_p
    lib.ratchet_flash_fwd_default_variant.restype = ctypes.c_int
    lib.ratchet_flash_fwd_variant_supports.restype = ctypes.c_int
    return lib, [lib.ratchet_flash_fwd_variant_name(i).decode() for i in range(lib.ratchet_flash_fwd_variant_count())]


class Ours:
    def __init__(self, lib, variant, name):
        self.lib, self.variant, self.name = lib, variant, name

    def run(self, q, k, v, o, causal, stream):
        B, H, S, D = q.shape
        p = Params(q.data_ptr(), k.data_ptr(), v.data_ptr(), o.data_ptr(), B, H, S, D,
                   RATCHET_FP16 if q.dtype == torch.float16 else RATCHET_BF16, int(causal), 1.0 / math.sqrt(D))
        status = self.lib.ratchet_flash_fwd(self.variant, ctypes.byref(p), ctypes.c_void_p(stream))
        if status != 0:
            raise RuntimeError(f"ratchet_flash_fwd({self.name}) returned CUDA error {status}")


class Peer:
    def __init__(self, name, backend):
        self.name, self.backend = name, backend

    def run(self, q, k, v, o, causal, stream):
        # SDPA returns a new tensor (the caching allocator serves it): kept for the check.
        with sdpa_kernel(self.backend):
            self.last = F.scaled_dot_product_attention(q, k, v, is_causal=causal)


def check(side, q, k, v, causal, stream, heads=2):
    """Max relative error of the first `heads` heads of batch 0 against fp32 math; NaN never passes."""
    o = torch.full_like(q, float("nan"))
    side.run(q, k, v, o, causal, stream)
    torch.cuda.synchronize()
    out = side.last if isinstance(side, Peer) else o
    qs, ks, vs = (t[:1, :heads].float() for t in (q, k, v))
    with sdpa_kernel(SDPBackend.MATH):
        ref = F.scaled_dot_product_attention(qs, ks, vs, is_causal=causal)
    got = out[:1, :heads].float()
    if not torch.isfinite(got).all():
        return float("inf")
    return (got - ref).norm().item() / ref.norm().item()


CHECK_LENGTHS = [1, 7, 17, 63, 64, 65, 127, 128, 129, 255, 256, 257, 1000, 1023, 1024, 1025, 4224]


def check_inputs(kind, B, H, S, D, dtype, generator):
    """(q, k, v, scale) of one kind of input; none of them zeros."""
    q, k, v = (torch.randn(B, H, S, D, device="cuda", generator=generator, dtype=torch.float32) for _ in range(3))
    scale = 1.0 / math.sqrt(D)
    if kind == "scale":
        scale = 2.0 / math.sqrt(D)  # a non-default softmax scale
    elif kind == "large":
        q, k = 6.0 * q, 6.0 * k  # scores ~ N(0, 36): large logits, a sharp softmax
    elif kind == "climbing":
        # Score of key j rises by `growth_log2` log2 units from the first key to the last: each new
        # key tile raises the row max, so every rescale path runs.
        growth_log2 = 256.0
        q[..., 0] = 4.0
        ramp = torch.arange(S, device="cuda", dtype=torch.float32) / max(S - 1, 1)
        k[..., 0] = ramp * growth_log2 / (4.0 * scale * 1.4426950408889634)
    return q.to(dtype), k.to(dtype), v.to(dtype), scale


def check_matrix(lib, names, wanted, sm):
    """Every wanted variant on the odd-shape matrix against fp64 math; returns the number of failures."""
    generator = torch.Generator(device="cuda")
    generator.manual_seed(12345)
    failures, checks, worst = 0, 0, {}
    for dtype in (torch.float16, torch.bfloat16):
        tolerance = check_tolerance(dtype)
        for D in (64, 128):
            for causal in (False, True):
                for S in CHECK_LENGTHS:
                    for kind in ("uniform", "scale", "large", "climbing"):
                        B = H = 3
                        q, k, v, scale = check_inputs(kind, B, H, S, D, dtype, generator)
                        with sdpa_kernel(SDPBackend.MATH):
                            ref = F.scaled_dot_product_attention(q.double(), k.double(), v.double(), is_causal=causal, scale=scale)
                        p = Params(q.data_ptr(), k.data_ptr(), v.data_ptr(), 0, B, H, S, D,
                                   RATCHET_FP16 if dtype == torch.float16 else RATCHET_BF16, int(causal), scale)
                        for name in wanted + ["(default)"]:
                            variant = -1 if name == "(default)" else names.index(name)
                            if variant >= 0 and not lib.ratchet_flash_fwd_variant_supports(variant, ctypes.byref(p), sm):
                                continue
                            o = torch.full_like(q, float("nan"))  # poisoned: an unwritten element fails
                            p.o = o.data_ptr()
                            status = lib.ratchet_flash_fwd(variant, ctypes.byref(p), ctypes.c_void_p(torch.cuda.current_stream().cuda_stream))
                            torch.cuda.synchronize()
                            got = o.double()
                            err = float("inf") if status != 0 or not torch.isfinite(got).all() else ((got - ref).norm() / ref.norm()).item()
                            checks += 1
                            key = (name, "fp16" if dtype == torch.float16 else "bf16")
                            worst[key] = max(worst.get(key, 0.0), err)
                            if not err <= tolerance:
                                failures += 1
                                print(f"FAILED {name} {key[1]} D{D} S{S}{' causal' if causal else ''} {kind}: rel err {err:.3e} (status {status})", flush=True)
    for (name, dtype_name), err in sorted(worst.items()):
        print(f"check matrix: {name:28s} {dtype_name}: worst rel err {err:.2e}", flush=True)
    print(f"check matrix: {checks - failures} of {checks} passed, {failures} failed", flush=True)
    return failures


def gpu_activities(prof):
    """The profiler's GPU activities (kernels, memsets) as (name, start_ns, end_ns), in start order."""
    from torch.autograd import DeviceType
    found = []
    for e in prof.profiler.kineto_results.events():
        if e.device_type() != DeviceType.CUDA:
            continue
        start = e.start_ns() if hasattr(e, "start_ns") else e.start_us() * 1000
        duration = e.duration_ns() if hasattr(e, "duration_ns") else e.duration_us() * 1000
        found.append((e.name(), start, start + duration))
    return sorted(found, key=lambda a: a[1])


def launch_traces(activities, launched):
    """Per timed launch, in launch order: (gap from the spin's end to the side's first kernel, its first
    kernel's start to its last kernel's end, in us; its kernels as (name, us)). A launch's kernels
    are the activities after its spin and before the marker queued after its end event (an fp64
    multiply, which no side launches). None when the trace does not hold every launch."""
    traces, current = [], None
    for name, start, end in activities:
        if "spin_kernel" in name:
            current = {"spinEnd": end, "kernels": []}
        elif "MulFunctor<double>" in name:
            if current is not None:
                traces.append(current)
            current = None
        elif current is not None:
            current["kernels"].append((name, start, end))
    if len(traces) != len(launched):
        return None
    out = []
    for t in traces:
        own = t["kernels"]
        if not own:
            out.append(None)
            continue
        out.append(((own[0][1] - t["spinEnd"]) / 1e3, (max(k[2] for k in own) - own[0][1]) / 1e3, [(k[0], (k[2] - k[1]) / 1e3) for k in own]))
    return out


def trace_medians(traces, launched):
    """Per side: the medians of its launches' gap, span and of each of its kernels (by position)."""
    summary = {}
    for name in dict.fromkeys(launched):
        mine = [t for t, n in zip(traces, launched) if n == name and t]
        if not mine:
            continue
        kernels = []
        for j in range(max(len(t[2]) for t in mine)):
            at_j = [t[2][j] for t in mine if len(t[2]) > j]
            kernels.append({"name": at_j[0][0], "medianUs": median([us for _, us in at_j])})
        summary[name] = {"traceGapUs": median([t[0] for t in mine]), "traceKernelUs": median([t[1] for t in mine]), "traceKernels": kernels}
    return summary


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lib", required=True)
    parser.add_argument("--shapes", default="suite,fa3")
    parser.add_argument("--dtypes", default="fp16,bf16")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--variants", default="", help="comma-separated names of ours (default: every Hopper variant and the default)")
    parser.add_argument("--peers", default="cudnn,flash")
    parser.add_argument("--json", default="")
    parser.add_argument("--check-matrix", action="store_true", help="check every variant on the odd-shape matrix, then stop")
    parser.add_argument("--precede", choices=["none", "own"], default="none",
                        help="own: before each timed sample (and its flush), one untimed launch of the same side, so no side is timed right after another's kernels")
    parser.add_argument("--trace", action="store_true", help="time under torch.profiler too: each side's kernel time on the GPU and the gap from the spin's end to its first kernel")
    parser.add_argument("--only", default="", help="only the shapes whose label contains this text (e.g. 'B32 H16 S512 D128 causal'), for a profiler")
    args = parser.parse_args()

    lib, names = load_library(args.lib)
    wanted = [n for n in args.variants.split(",") if n] or [n for n in names if n.startswith("sm90_")]
    props = torch.cuda.get_device_properties(0)
    sm = props.major * 10 + props.minor
    print(f"device: {props.name}, {props.multi_processor_count} SMs, torch {torch.__version__}, cuDNN {torch.backends.cudnn.version()}", flush=True)
    if args.check_matrix:
        return 1 if check_matrix(lib, names, wanted, sm) else 0

    shapes = []
    for group in args.shapes.split(","):
        shapes += {"suite": suite_shapes, "fa3": fa3_shapes, "extra": extra_shapes}[group]()
    seen, unique = set(), []
    for s in shapes:
        if s not in seen:
            seen.add(s)
            unique.append(s)
    stream_obj = torch.cuda.current_stream()
    stream = stream_obj.cuda_stream
    flush = torch.empty(256 << 20, dtype=torch.uint8, device="cuda")  # > the 50-60 MB L2
    marker = torch.ones(1, dtype=torch.float64, device="cuda")  # --trace: a kernel no side launches
    # GPU spin before each start event: the host queues event + launch under it. 35 us was too short
    # on one H100 host (2026-12-06): cuDNN's launch through SDPA took longer in 9 of 20 fp16 rounds,
    # so its samples held host time. ~200-230 us now (1.75-1.98 GHz), and a round whose host launch takes
    # over 190 us is timed again (`lateRounds` in the JSON, at most twice the rounds; then kept, and said).
    spin_cycles = 400_000  # ~230 us at 1.75 GHz
    late_after_s = 190e-6
    results = []
    torch.manual_seed(0)
    for dtype_name in args.dtypes.split(","):
        dtype = torch.float16 if dtype_name == "fp16" else torch.bfloat16
        for (B, H, S, D, causal) in unique:
            p = Params(0, 0, 0, 0, B, H, S, D, RATCHET_FP16 if dtype == torch.float16 else RATCHET_BF16, int(causal), 1.0 / math.sqrt(D))
            default = lib.ratchet_flash_fwd_default_variant(ctypes.byref(p), sm)
            # "default": the variant ratchet_flash_fwd(-1, ...) picks, as a user's first call gets it.
            sides = [Ours(lib, -1, n) if n == "default" else Ours(lib, names.index(n), n) for n in wanted
                     if n == "default" or lib.ratchet_flash_fwd_variant_supports(names.index(n), ctypes.byref(p), sm)]
            sides += [Peer(name, PEER_BACKENDS[name]) for name in args.peers.split(",") if name]
            label = f"{dtype_name} B{B} H{H} S{S} D{D}{' causal' if causal else ''}"
            if args.only and args.only not in label:
                continue
            q, k, v = (torch.randn(B, H, S, D, dtype=dtype, device="cuda") for _ in range(3))
            o = torch.empty_like(q)
            checked = []
            for side in sides:
                try:
                    err = check(side, q, k, v, causal, stream)
                except Exception as error:  # a peer that refuses the shape
                    print(f"{label}: {side.name} not run: {str(error).splitlines()[0][:120]}", flush=True)
                    continue
                tolerance = check_tolerance(dtype)
                if not (err <= tolerance):
                    print(f"{label}: {side.name} FAILED its check (rel err {err:.2e} > {tolerance})", flush=True)
                    results.append({"shape": label, "side": side.name, "failed": True, "relError": err})
                    continue
                checked.append(side)
            for side in checked:  # warm-up
                for _ in range(3):
                    side.run(q, k, v, o, causal, stream)
            torch.cuda.synchronize()
            times = {side.name: [] for side in checked}
            starts = [torch.cuda.Event(enable_timing=True) for _ in checked]
            ends = [torch.cuda.Event(enable_timing=True) for _ in checked]
            r = late_rounds = 0
            launched = []  # side names in launch order, late rounds too: the trace's samples
            profiler = torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CUDA]) if args.trace else None
            if profiler:
                profiler.__enter__()
            while r < args.rounds:
                order = checked[r % len(checked):] + checked[:r % len(checked)]
                late = False
                for i, side in enumerate(order):
                    if args.precede == "own":
                        side.run(q, k, v, o, causal, stream)
                    flush.zero_()
                    torch.cuda._sleep(spin_cycles)
                    queued = time.perf_counter()
                    starts[i].record(stream_obj)
                    side.run(q, k, v, o, causal, stream)
                    ends[i].record(stream_obj)
                    if profiler:
                        marker.mul_(1.0)  # closes this launch's kernels in the trace
                    launched.append(side.name)
                    late = late or time.perf_counter() - queued > late_after_s
                torch.cuda.synchronize()
                if late and late_rounds < 2 * args.rounds:
                    late_rounds += 1
                    continue
                for i, side in enumerate(order):
                    times[side.name].append(starts[i].elapsed_time(ends[i]))
                r += 1
            traced = {}
            if profiler:
                torch.cuda.synchronize()
                profiler.__exit__(None, None, None)
                traces = launch_traces(gpu_activities(profiler), launched)
                if traces is None:
                    print(f"{label}: trace not used: it does not hold all {len(launched)} launches", flush=True)
                else:
                    traced = trace_medians(traces, launched)
            work = flops(B, H, S, D, causal)
            ref = times.get("cudnn")
            row = {"shape": label, "dtype": dtype_name, "B": B, "H": H, "S": S, "D": D, "causal": causal,
                   "default": names[default] if default >= 0 else None, "lateRounds": late_rounds, "sides": {}}
            for side in checked:
                ms = median(times[side.name])
                entry = {"medianMs": ms, "tflops": work / ms / 1e9, "samplesMs": times[side.name], **traced.get(side.name, {})}
                if ref and side.name != "cudnn":
                    ratios = [c / t for c, t in zip(ref, times[side.name])]  # >1: faster than cuDNN
                    entry["vsCudnn"] = median(ratios)
                    entry["vsCudnnCi95"] = median_ci95(ratios)
                row["sides"][side.name] = entry
            results.append(row)
            best = max((s for s in row["sides"] if s not in ("cudnn", "flash", "efficient", "default")), key=lambda s: row["sides"][s]["tflops"], default=None)
            cells = " ".join(f"{s.replace('sm90_', '')[:9]}={row['sides'][s]['tflops']:.0f}" for s in row["sides"])
            dflt = row["sides"].get("default") or row["sides"].get(row["default"] or "", {})
            vs = f"default {row['default']} x{dflt.get('vsCudnn', float('nan')):.3f} [{dflt.get('vsCudnnCi95', (float('nan'),) * 2)[0]:.3f},{dflt.get('vsCudnnCi95', (float('nan'),) * 2)[1]:.3f}]" if dflt else ""
            late_note = f" ({late_rounds} rounds timed again: a host launch outlasted the spin{'; later late rounds kept' if late_rounds >= 2 * args.rounds else ''})" if late_rounds else ""
            best_cell = f" | best {best}" if best else ""  # none when only the default was timed
            print(f"{label}: {cells}{best_cell} | {vs}{late_note}", flush=True)
            for name, t in traced.items():
                events_us = row["sides"][name]["medianMs"] * 1e3
                print(f"  {name}: events {events_us:.2f} us = spin to first kernel {t['traceGapUs']:.2f} + kernels {t['traceKernelUs']:.2f} "
                      f"+ {events_us - t['traceGapUs'] - t['traceKernelUs']:.2f} after; "
                      + ", ".join(f"{k['name'][:70]} {k['medianUs']:.2f} us" for k in t["traceKernels"]), flush=True)
            del q, k, v, o
    failed = [f"{row['shape']} {row['side']}" for row in results if row.get("failed")]
    return finish(args.json, props, {"rounds": args.rounds, "results": results}, failed)


def finish(json_path, props, record, failed):
    """Writes a timing run's JSON (when asked for) and returns its exit status. A side that failed its
    check was reported and left out of the timing; the status says so too (1), so a script that runs
    the sweep or the probe (scripts/gpu-host.sh) fails on it without reading the log."""
    if json_path:
        with open(json_path, "w") as f:
            json.dump({"device": props.name, "torch": torch.__version__, "cudnn": torch.backends.cudnn.version(), **record, "failedChecks": failed}, f)
    if failed:
        print(f"{len(failed)} side(s) failed their check, not timed: {'; '.join(failed)}", file=sys.stderr, flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
