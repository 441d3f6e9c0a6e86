#!/usr/bin/env python3
"""A kernel that lives in Python, guarded by Ratchet on the CPU: an inclusive prefix sum.

Two variants compute the same thing: `loop` (a plain running sum) and `accumulate`
(itertools.accumulate, done in C). Inputs come from the seed (never zeros); the check compares
with a compensated (Neumaier) running sum, a different and more accurate algorithm. Ratchet starts this file as a process
(ratchet.config.json: "processes") with ratchet_problem on PYTHONPATH.
"""
import itertools
import math
import random

import ratchet_problem as rp


def neumaier_prefix(values):
    """Prefix sums with the rounding error of each add carried along (Neumaier's Kahan variant)."""
    total, carry, out = 0.0, 0.0, []
    for value in values:
        step = total + value
        carry += (total - step) + value if abs(total) >= abs(value) else (value - step) + total
        total = step
        out.append(total + carry)
    return out


@rp.problem(
    name="prefix_sum",
    summary="inclusive prefix sum of n doubles, pure Python",
    params=[rp.integer("n", 1, 1 << 22, description="elements")],
    variants=["accumulate", "loop"],
    backend="cpu",
)
class PrefixSum:
    def __init__(self, params, variant, seed):
        self.n = params["n"]
        self.variant = variant
        self.fill(seed)

    def fill(self, seed):
        generator = random.Random(seed)
        self.x = [generator.uniform(0.5, 1.5) for _ in range(self.n)]
        self.y = None

    def work(self):
        # One add per element; read x once, write y once (8-byte doubles).
        return {"flops": self.n, "bytes": 16 * self.n}

    def launch(self):
        if self.variant == "accumulate":
            self.y = list(itertools.accumulate(self.x))
        else:
            total, out = 0.0, []
            for value in self.x:
                total += value
                out.append(total)
            self.y = out

    def check(self, seed):
        self.fill(seed)
        self.y = [math.nan] * self.n  # poisoned: every element must be written
        self.launch()
        reference = neumaier_prefix(self.x)
        errors = [abs(a - b) for a, b in zip(self.y, reference)]
        worst = max(errors) if errors else 0.0
        norm = math.sqrt(math.fsum(r * r for r in reference))
        rel = math.sqrt(math.fsum(e * e for e in errors)) / norm if norm else 0.0
        passed = len(self.y) == self.n and all(math.isfinite(v) for v in self.y) and rel <= 1e-12
        return rp.result(passed, worst, rel, 1e-12, "python-neumaier", None if passed else f"relative error {rel:.3e} over 1e-12")


if __name__ == "__main__":
    rp.serve()
