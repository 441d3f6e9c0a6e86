#!/usr/bin/env python3
"""ncu_clock.py: the SM clock inside each kernel launch, and its share of the tensor peak at that clock,
read from an Nsight Compute CSV (`ncu --csv`).

Why: NVML reads the clock around a launch, not inside it. On an idle H100 reading 1980 MHz before and
after, a 1.6 ms attention launch ran at 1.65 GHz (docs/benchmarks.md, 2026-12-07, tenth session), so a
TFLOP/s figure divided by the peak at 1980 MHz understates the kernel and overstates the board. Nsight
Compute counts the SM's cycles over the kernel's duration (`sm__cycles_elapsed.avg.per_second`).

  ncu --clock-control none --cache-control all --csv -k regex:"flashForward|fprop" -c 8 \\
    --metrics sm__cycles_elapsed.avg.per_second,gpu__time_duration.sum,sm__pipe_tensor_op_hmma_cycles_active.avg.pct_of_peak_sustained_active \\
    python3 kernels/dev/sdpa_sweep.py --lib ./libratchet_attention.so --shapes fa3 --only "fp16 B2 H16 S8192 D128" \\
      --dtypes fp16 --rounds 1 --variants default --peers cudnn > ncu.csv
  python3 kernels/dev/ncu_clock.py ncu.csv --flops 1.0995e12 --sms 132

One line per kernel name: launches, median duration, median clock inside the launch, TFLOP/s when
--flops is given (the work of one launch) and the share of the tensor cores' peak at that clock (4096
dense fp16/bf16 FLOP per SM per clock on sm_90), and the tensor pipe's busy share when it was
collected. Exit 1 when the CSV cannot be read, holds a unit this reader does not know, or holds no launch
with both a duration and a clock.
"""
import argparse
import csv
import statistics
import sys

DURATION = "gpu__time_duration.sum"
CLOCK = "sm__cycles_elapsed.avg.per_second"
TENSOR_BUSY = "sm__pipe_tensor_op_hmma_cycles_active.avg.pct_of_peak_sustained_active"
FLOP_PER_SM_PER_CLOCK = 4096


# ncu scales a metric's unit to its size (ns, usecond, msecond; hz, ghz, cycle/usecond): each read back
# to nanoseconds or hertz. A unit not here is refused, never guessed.
TIME_UNITS_NS = {"ns": 1.0, "nsecond": 1.0, "us": 1e3, "usecond": 1e3, "ms": 1e6, "msecond": 1e6, "s": 1e9, "second": 1e9}
RATE_UNITS_HZ = {"hz": 1.0, "khz": 1e3, "mhz": 1e6, "ghz": 1e9, "cycle/second": 1.0, "cycle/msecond": 1e3,
                 "cycle/usecond": 1e6, "cycle/nsecond": 1e9}
UNITS = {DURATION: TIME_UNITS_NS, CLOCK: RATE_UNITS_HZ, TENSOR_BUSY: {"%": 1.0}}


def value(metric, unit, text):
    scale = UNITS[metric].get(unit.lower())
    if scale is None:
        raise ValueError(f"{metric} in {unit!r}, a unit this reader does not know")
    return float(text.replace(",", "")) * scale


def launches(path):
    """{launch id: {"kernel": name, metric: value}} from ncu's long CSV (one metric per row)."""
    by_id, header = {}, None
    with open(path, newline="") as f:
        for row in csv.reader(f):
            if row and row[0] == "ID":
                header = {name: i for i, name in enumerate(row)}
                continue
            # ncu's own lines and the profiled program's output have fewer columns; metric rows may
            # stop after the value (no rule columns).
            if header is None or len(row) <= header["Metric Value"]:
                continue
            metric = row[header["Metric Name"]]
            if metric in (DURATION, CLOCK, TENSOR_BUSY):
                launch = by_id.setdefault(row[header["ID"]], {"kernel": row[header["Kernel Name"]]})
                launch[metric] = value(metric, row[header["Metric Unit"]], row[header["Metric Value"]])
    return [launch for launch in by_id.values() if DURATION in launch and CLOCK in launch]


def summarize(rows, flops, sms):
    lines = []
    for kernel in dict.fromkeys(row["kernel"] for row in rows):
        mine = [row for row in rows if row["kernel"] == kernel]
        ns = statistics.median(row[DURATION] for row in mine)
        hz = statistics.median(row[CLOCK] for row in mine)
        line = f"{kernel[:60]}: {len(mine)} launches, {ns / 1e6:.4f} ms, {hz / 1e9:.3f} GHz inside the launch"
        if flops:
            tflops = flops / (ns * 1e-9) / 1e12
            peak = FLOP_PER_SM_PER_CLOCK * sms * hz / 1e12
            line += f", {tflops:.0f} TFLOP/s, {tflops / peak:.1%} of the tensor peak at that clock"
        busy = [row[TENSOR_BUSY] for row in mine if TENSOR_BUSY in row]
        if busy:
            line += f", tensor pipe busy {statistics.median(busy):.1f}%"
        lines.append(line)
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("csv")
    parser.add_argument("--flops", type=float, default=0.0, help="the work of one launch, FLOP (0: no TFLOP/s)")
    parser.add_argument("--sms", type=int, default=132)
    args = parser.parse_args()
    try:
        rows = launches(args.csv)
    except (OSError, ValueError) as error:
        print(f"{args.csv}: {error}", file=sys.stderr)
        return 1
    if not rows:
        print(f"{args.csv}: no launch with both {DURATION} and {CLOCK}", file=sys.stderr)
        return 1
    for line in summarize(rows, args.flops, args.sms):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
