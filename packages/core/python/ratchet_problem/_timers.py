"""How a problem's launches are timed: a monotonic clock on "cpu", CUDA events on "cuda"."""
from __future__ import annotations

import importlib
import time
from typing import Any, List, Optional

from ratchet_problem._declare import Problem

# The GPU spin that holds the stream before each timed sample (_CudaTimer.sample): slack beyond
# the enqueue time, and the longest hold.
HOLD_SLACK_US = 50.0
HOLD_CAP_US = 20_000.0


class Timer:
    def sample(self, instance: Problem, warmup: int, samples: int, l2_flush: bool, launches: int, extra_us: float) -> List[float]:
        raise NotImplementedError


class CpuTimer(Timer):
    def sample(self, instance: Problem, warmup: int, samples: int, l2_flush: bool, launches: int, extra_us: float) -> List[float]:
        for _ in range(warmup):
            instance.launch()
        times = []
        for _ in range(samples):
            start = time.perf_counter_ns()
            for _ in range(launches):
                instance.launch()
            if extra_us > 0:
                until = time.perf_counter_ns() + extra_us * 1e3
                while time.perf_counter_ns() < until:
                    pass
            times.append((time.perf_counter_ns() - start) / 1e6 / launches)
        return times


class CudaTimer(Timer):
    def __init__(self) -> None:
        # Only problems on "cuda" need torch (imported by name: the package itself depends on nothing).
        torch: Any = importlib.import_module("torch")
        self.torch = torch
        l2 = getattr(torch.cuda.get_device_properties(0), "L2_cache_size", 64 << 20)
        self.flush = torch.empty(max(2 * l2, 1 << 20), dtype=torch.uint8, device="cuda")
        self.start = torch.cuda.Event(enable_timing=True)
        self.stop = torch.cuda.Event(enable_timing=True)
        self.cycles_per_us: Optional[float] = None

    def spin_cycles_per_us(self) -> float:
        # How fast torch.cuda._sleep spins here: 2N cycles beyond N, so launch overhead cancels.
        if self.cycles_per_us is None:
            torch = self.torch
            spins = []
            for cycles in (1 << 20, 1 << 21):
                self.start.record()
                torch.cuda._sleep(cycles)
                self.stop.record()
                self.stop.synchronize()
                spins.append(self.start.elapsed_time(self.stop))
            extra_ms = spins[1] - spins[0]
            self.cycles_per_us = (1 << 20) / (extra_ms * 1e3) if extra_ms > 0 else 1980.0
        return self.cycles_per_us

    def enqueue_us(self, instance: Problem, warmup: int) -> float:
        """Host time to enqueue one launch, from the warm-up (one untimed launch when there is none)."""
        count = max(warmup, 1)
        self.torch.cuda.synchronize()
        started = time.perf_counter_ns()
        for _ in range(count):
            instance.launch()
        return (time.perf_counter_ns() - started) / 1e3 / count

    def sample(self, instance: Problem, warmup: int, samples: int, l2_flush: bool, launches: int, extra_us: float) -> List[float]:
        torch = self.torch
        cycles_per_us = self.spin_cycles_per_us()
        # The stream is held by a GPU spin queued before the start event, long enough for Python
        # to enqueue every launch of the sample before the start event fires: the timed region is
        # then GPU work only, as in the native harness, which enqueues ahead. Without it the host's
        # dispatch latency (tens of microseconds per SDPA or Triton call) sits inside the timed
        # region of a short kernel. Twice the warm-up's enqueue time plus 50 us (the two event
        # records and the loop), since a later call can be slower than the warm-up's average;
        # capped at 20 ms, so a pathological first call cannot idle the GPU for long per sample.
        hold_us = min(2 * self.enqueue_us(instance, warmup) * launches + HOLD_SLACK_US, HOLD_CAP_US)
        hold = int(hold_us * cycles_per_us)
        spin = int(extra_us * cycles_per_us) if extra_us > 0 else 0
        torch.cuda.synchronize()
        times = []
        for i in range(samples):
            if l2_flush:
                self.flush.fill_(i & 0xFF)
            torch.cuda._sleep(hold)
            self.start.record()
            for _ in range(launches):
                instance.launch()
            if spin > 0:
                torch.cuda._sleep(spin)
            self.stop.record()
            self.stop.synchronize()
            times.append(self.start.elapsed_time(self.stop) / launches)
        return times
