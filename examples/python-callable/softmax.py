#!/usr/bin/env python3
"""A function timed today, guarded by Ratchet with from_callable(): row softmax in pure Python.

Before Ratchet, `softmax` was timed by hand, as triton.testing.do_bench times a GPU kernel:

    rows = random_rows({"rows": 64, "cols": 256}, seed=1)
    print(timeit.timeit(lambda: softmax(rows), number=100))

from_callable() (at the end) makes it a Ratchet problem: the same function, its inputs drawn from
a seed, a reference computed another way (the row sums exact, with math.fsum) and the work of one
call. Two variants: `two_pass` (the maximum, then the exponentials and their sum) and `online`
(a running maximum and sum in one pass, as flash-attention keeps them). Ratchet starts this file as
a process (ratchet.config.json: "processes").
"""
import math
import random

import ratchet_problem as rp


def softmax(rows):
    out = []
    for row in rows:
        top = max(row)
        exps = [math.exp(value - top) for value in row]
        total = sum(exps)
        out.append([e / total for e in exps])
    return out


def softmax_online(rows):
    out = []
    for row in rows:
        top, total = -math.inf, 0.0
        for value in row:
            if value > top:
                total = total * math.exp(top - value) + 1.0
                top = value
            else:
                total += math.exp(value - top)
        out.append([math.exp(value - top) / total for value in row])
    return out


def random_rows(params, seed):
    generator = random.Random(seed)
    return [[generator.uniform(-4.0, 4.0) for _ in range(params["cols"])] for _ in range(params["rows"])]


def exact_sum_softmax(rows):
    out = []
    for row in rows:
        exps = [math.exp(value - max(row)) for value in row]
        total = math.fsum(exps)
        out.append([e / total for e in exps])
    return out


rp.from_callable(
    {"two_pass": softmax, "online": softmax_online},
    make_inputs=random_rows,  # (params, seed) -> softmax's argument (a tuple when it takes several)
    reference=exact_sum_softmax,
    name="py_softmax",
    summary="row softmax of a rows x cols list of doubles, pure Python",
    params=[rp.integer("rows", 1, 4096), rp.integer("cols", 1, 1 << 16)],
    # max, subtract, exp, sum, divide: about 5 per element; one read and one write of 8-byte doubles.
    work=lambda p: {"flops": 5 * p["rows"] * p["cols"], "bytes": 16 * p["rows"] * p["cols"]},
    tolerance=1e-12,
)

if __name__ == "__main__":
    rp.serve()
