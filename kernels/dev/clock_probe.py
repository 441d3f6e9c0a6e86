#!/usr/bin/env python3
"""clock_probe.py: what a long attention kernel reaches with the board rested and at its power limit,
and the SM clock and board power behind each figure, ours beside cuDNN.

Why: a sweep's samples come back to back, so the long D128 kernels (1.5-7 ms a launch) hold a 700 W
board at its power limit and the SM clock falls from 1980 MHz to ~1700 (docs/benchmarks.md, the H200
of 2026-12-02). A TFLOP/s figure then says as much about the board's power as about the kernel. This
times each side two ways:
  rested: after 300 ms idle and a 2 ms spin (the clock back up, next to no power), one launch (L2
          flushed), `--rested` times; NVML's clock read during the spin and just after the launch. That
          is the clock around the launch, not inside it: on an idle H100 reading 1980 MHz before and
          after, Nsight Compute measured 1.65 GHz inside a 1.6 ms D128 launch, ours and cuDNN's alike
          (sm__cycles_elapsed.avg.per_second; docs/benchmarks.md, 2026-12-07, tenth session), so the
          rested share of the peak printed at NVML's reading is a floor, not the kernel's efficiency;
  hot:    launches back to back (L2 flushed before each) for `--hot-seconds`, the last 40% kept, while
          a thread reads the SM clock, board power and clock-event reasons from NVML every 10 ms;
and prints TFLOP/s, the clock and the share of the tensor cores' peak at that clock
(4096 dense fp16/bf16 FLOP per SM per clock on sm_90). Each side is checked first (sdpa_sweep.check);
one that fails is reported, not timed, and the probe exits 1.

  python3 kernels/dev/clock_probe.py --lib ./libratchet_attention.so \\
    [--shapes "4,16,4096,128,0;2,16,8192,128,0;1,16,16384,128,0"] [--dtypes fp16,bf16] [--json out.json]
The NVML device is index 0: run it with one GPU visible (CUDA_VISIBLE_DEVICES).
"""
import argparse
import ctypes
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402
from sdpa_sweep import PEER_BACKENDS, Ours, Peer, check, check_tolerance, finish, flops, load_library, median  # noqa: E402
from ncu_clock import FLOP_PER_SM_PER_CLOCK  # noqa: E402

NVML_CLOCK_SM = 1
# nvmlClocksEventReasons bits (nvml.h) that lower the clock under load, named as the addon names them
# (native/src/nvml.cc).
CLOCK_EVENT_REASONS = {0x4: "sw_power_cap", 0x8: "hw_slowdown", 0x20: "sw_thermal_slowdown", 0x40: "hw_thermal_slowdown",
                       0x80: "hw_power_brake_slowdown"}


class Nvml:
    def __init__(self):
        self.lib = ctypes.CDLL("libnvidia-ml.so.1")
        if self.lib.nvmlInit_v2() != 0:
            raise RuntimeError("nvmlInit_v2 failed")
        self.handle = ctypes.c_void_p()
        if self.lib.nvmlDeviceGetHandleByIndex_v2(0, ctypes.byref(self.handle)) != 0:
            raise RuntimeError("nvmlDeviceGetHandleByIndex_v2(0) failed")
        # The newer name first, the deprecated one on older drivers (as native/src/nvml.cc does).
        self.reasons = getattr(self.lib, "nvmlDeviceGetCurrentClocksEventReasons", None) or self.lib.nvmlDeviceGetCurrentClocksThrottleReasons

    def sample(self):
        """(SM clock MHz, board power W, clock-event reason bits)."""
        mhz, mw, reasons = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_ulonglong()
        self.lib.nvmlDeviceGetClockInfo(self.handle, NVML_CLOCK_SM, ctypes.byref(mhz))
        self.lib.nvmlDeviceGetPowerUsage(self.handle, ctypes.byref(mw))
        self.reasons(self.handle, ctypes.byref(reasons))
        return mhz.value, mw.value / 1000.0, reasons.value


def reason_names(bits):
    return ",".join(name for bit, name in CLOCK_EVENT_REASONS.items() if bits & bit) or "none"


def rested(launch, count, nvml, flush, stream_obj):
    times, before, after = [], [], []
    start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    for _ in range(count):
        torch.cuda.synchronize()
        time.sleep(0.3)
        flush.zero_()
        # A ~2 ms spin first: an idle GPU drops its clock, and the spin (next to no power) brings it
        # back before the timed launch; the host reads the clock while the spin runs.
        torch.cuda._sleep(4_000_000)
        before.append(nvml.sample()[0])
        start.record(stream_obj)
        launch()
        end.record(stream_obj)
        torch.cuda.synchronize()
        after.append(nvml.sample()[0])
        times.append(start.elapsed_time(end))
    return median(times), median(before), median(after)


def hot(launch, seconds, nvml, flush, stream_obj):
    samples, stop = [], threading.Event()

    def read():
        while not stop.is_set():
            samples.append((time.perf_counter(),) + nvml.sample())
            time.sleep(0.01)

    reader = threading.Thread(target=read)
    pairs = []
    t0 = time.perf_counter()
    reader.start()
    while time.perf_counter() - t0 < seconds:
        for _ in range(8):  # a few launches queued, then waited for: the host stays with the GPU
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            flush.zero_()
            start.record(stream_obj)
            launch()
            end.record(stream_obj)
            pairs.append((start, end))
        torch.cuda.synchronize()
    t1 = time.perf_counter()
    stop.set()
    reader.join()
    kept = pairs[int(0.6 * len(pairs)):]
    late = [s for s in samples if s[0] >= t0 + 0.6 * (t1 - t0)]
    reasons = 0
    for s in late:
        reasons |= s[3]
    return (median([a.elapsed_time(b) for a, b in kept]), median([s[1] for s in late]),
            median([s[2] for s in late]), reasons, len(kept))


def parse_shapes(text):
    return [tuple(int(x) for x in item.split(",")) for item in text.split(";") if item]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lib", required=True)
    parser.add_argument("--shapes", default="4,16,4096,128,0;2,16,8192,128,0;1,16,16384,128,0",
                        help="B,H,S,D,causal;... (default: FlashAttention-3's D128 non-causal shapes from S 4096)")
    parser.add_argument("--dtypes", default="fp16,bf16")
    parser.add_argument("--variants", default="default", help="ours by name, comma-separated ('default': the dispatch's choice)")
    parser.add_argument("--peers", default="cudnn")
    parser.add_argument("--rested", type=int, default=12)
    parser.add_argument("--hot-seconds", type=float, default=2.5)
    parser.add_argument("--json", default="")
    args = parser.parse_args()

    lib, names = load_library(args.lib)
    nvml = Nvml()
    props = torch.cuda.get_device_properties(0)
    peak_per_mhz = FLOP_PER_SM_PER_CLOCK * props.multi_processor_count * 1e6 / 1e12  # TFLOP/s per MHz of SM clock
    print(f"device: {props.name}, {props.multi_processor_count} SMs, torch {torch.__version__}, cuDNN {torch.backends.cudnn.version()}", flush=True)
    stream_obj = torch.cuda.current_stream()
    flush = torch.empty(256 << 20, dtype=torch.uint8, device="cuda")  # > the 50-60 MB L2
    sides = [Ours(lib, -1 if n == "default" else names.index(n), n) for n in args.variants.split(",") if n]
    sides += [Peer(n, PEER_BACKENDS[n]) for n in args.peers.split(",") if n]
    results = []
    failed = []  # sides that failed their check: reported, never timed, and the exit status says so
    torch.manual_seed(0)
    for dtype_name in args.dtypes.split(","):
        dtype = torch.float16 if dtype_name == "fp16" else torch.bfloat16
        tolerance = check_tolerance(dtype)
        for (B, H, S, D, causal) in parse_shapes(args.shapes):
            label = f"{dtype_name} B{B} H{H} S{S} D{D}{' causal' if causal else ''}"
            q, k, v = (torch.randn(B, H, S, D, dtype=dtype, device="cuda") for _ in range(3))
            o = torch.empty_like(q)
            work = flops(B, H, S, D, causal)
            for side in sides:
                err = check(side, q, k, v, bool(causal), stream_obj.cuda_stream)
                if not err <= tolerance:
                    print(f"{label}: {side.name} FAILED its check (rel err {err:.2e} > {tolerance}): not timed", flush=True)
                    failed.append(f"{label} {side.name}")
                    continue
                def launch():
                    side.run(q, k, v, o, bool(causal), stream_obj.cuda_stream)
                for _ in range(3):  # warm-up
                    launch()
                rested_ms, mhz_before, rested_mhz = rested(launch, args.rested, nvml, flush, stream_obj)
                hot_ms, hot_mhz, hot_w, reasons, n = hot(launch, args.hot_seconds, nvml, flush, stream_obj)
                row = {"shape": label, "side": side.name, "relError": err,
                       "rested": {"ms": rested_ms, "tflops": work / rested_ms / 1e9, "smMhzBefore": mhz_before, "smMhzAfter": rested_mhz},
                       "hot": {"ms": hot_ms, "tflops": work / hot_ms / 1e9, "smMhz": hot_mhz, "powerW": hot_w,
                               "clockEventReasons": reason_names(reasons), "launches": n}}
                results.append(row)
                r, h = row["rested"], row["hot"]
                print(f"{label} {side.name:8s}: rested {r['tflops']:5.0f} TFLOP/s ({mhz_before:.0f} -> {rested_mhz:.0f} MHz, "
                      f"{r['tflops'] / (peak_per_mhz * rested_mhz):.1%} of peak at NVML's latter reading) | hot {h['tflops']:5.0f} TFLOP/s at "
                      f"{hot_mhz:.0f} MHz, {hot_w:.0f} W [{h['clockEventReasons']}] ({h['tflops'] / (peak_per_mhz * hot_mhz):.1%} "
                      f"of peak at that clock, {n} launches)", flush=True)
            del q, k, v, o
    return finish(args.json, props, {"results": results}, failed)


if __name__ == "__main__":
    sys.exit(main())
