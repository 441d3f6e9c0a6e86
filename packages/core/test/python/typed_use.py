"""A problem written against the package's type hints, checked by mypy --strict from the installed
wheel (packages/core/test/python-package.test.ts): a wheel without py.typed, or hints that do not
fit how the package is used, fails that check. Not a test module: unittest does not collect it."""
import math
import random
from typing import List, Mapping

import ratchet_problem as rp


def scale(values: List[float]) -> List[float]:
    return [2.0 * value for value in values]


def inputs(params: rp.Params, seed: int) -> List[float]:
    generator = random.Random(seed)
    return [generator.uniform(0.5, 1.5) for _ in range(int(params["n"]))]


def work(params: rp.Params) -> rp.Work:
    return {"flops": float(params["n"]), "bytes": 16.0 * params["n"]}


rp.from_callable({"scale": scale}, inputs, lambda values: [v + v for v in values], name="scale", work=work, tolerance=0.0,
                 params=[rp.integer("n", 1, 1 << 20, description="elements")])


@rp.problem(name="total", summary="sum of n doubles", params=[rp.integer("n", 1, 1 << 20)], variants=["fsum"], backend="cpu")
class Total:
    def __init__(self, params: rp.Params, variant: str, seed: int) -> None:
        self.values = inputs(params, seed)
        self.result = 0.0

    def work(self) -> Mapping[str, float]:
        return {"flops": len(self.values), "bytes": 8.0 * len(self.values)}

    def launch(self) -> None:
        self.result = math.fsum(self.values)

    def check(self, seed: int) -> rp.Correctness:
        self.launch()
        error = abs(self.result - sum(self.values))
        return rp.result(error <= 1e-9, error, error / abs(self.result), 1e-9, "sum", checksum=(self.result, abs(self.result)))


checked: rp.Problem = Total({"kernel": "total", "n": 4}, "fsum", 1)
param: rp.Param = rp.enum("dtype", ["fp16", "bf16"])

if __name__ == "__main__":
    rp.serve(software="pure python")
