"""from_callable(): a function timed today (with triton.testing.do_bench, timeit, ...) as a problem.

It writes the problem class for the function: inputs from make_inputs(params, seed), a launch
that is one call fn(*inputs), a check of the output against reference(*inputs) within a relative
tolerance (_compare.py), and registers it with @problem. Everything else (timing, identity,
the protocol) is the class-based path's.
"""
from __future__ import annotations

import math
import sys
from typing import Any, Callable, Dict, Mapping, Optional, Sequence, Tuple, Type, Union

from ratchet_problem._compare import agreement, judge
from ratchet_problem._declare import Backend, Correctness, KernelFailed, Param, Params, WorkLike, problem

#: What the kernel's output is: None for fn's return value; an int for that argument of fn (an
#: output buffer it writes in place); or a function (inputs, returned) -> output.
Output = Union[None, int, Callable[[Tuple[Any, ...], Any], Any]]
Kernel = Callable[..., Any]


def _arguments(inputs: Any) -> Tuple[Any, ...]:
    """make_inputs() returns fn's arguments: a tuple is all of them, anything else is the only one."""
    return inputs if isinstance(inputs, tuple) else (inputs,)


def _label(function: Any, fallback: str) -> str:
    name = getattr(function, "__name__", None)
    return name if isinstance(name, str) and name.isidentifier() else fallback


def _poison(buffer: Any) -> None:
    """Fills an output buffer with NaN before the checked call, so a kernel that skips an element
    fails its check instead of passing on what an earlier call left there (integers stay as they are)."""
    if hasattr(buffer, "fill_") and getattr(buffer, "is_floating_point", lambda: False)():
        buffer.fill_(math.nan)  # torch
    elif hasattr(buffer, "fill") and getattr(getattr(buffer, "dtype", None), "kind", "") in ("f", "c"):
        buffer.fill(math.nan)  # NumPy, CuPy
    elif isinstance(buffer, list):
        for index, item in enumerate(buffer):
            if isinstance(item, float):
                buffer[index] = math.nan
            else:
                _poison(item)


def _constant(value: float) -> Callable[[Params], float]:
    return lambda _params: value


def _variants(fn: Union[Kernel, Mapping[str, Kernel]], name: str) -> Dict[str, Kernel]:
    kernels = dict(fn) if isinstance(fn, Mapping) else {"default": fn}
    if not kernels:
        raise ValueError(f"from_callable({name!r}): fn is an empty mapping; give a callable, or variant names mapped to callables")
    for variant, kernel in kernels.items():
        if not callable(kernel):
            raise TypeError(f"from_callable({name!r}): fn[{variant!r}] is a {type(kernel).__name__}, not a callable")
    return kernels


def from_callable(
    fn: Union[Kernel, Mapping[str, Kernel]],
    make_inputs: Callable[[Params, int], Any],
    reference: Callable[..., Any],
    *,
    name: str,
    work: Callable[[Params], WorkLike],
    tolerance: Union[float, Callable[[Params], float]],
    params: Sequence[Param] = (),
    backend: Backend = "cpu",
    output: Output = None,
    summary: Optional[str] = None,
    supports: Optional[Callable[[Params, str], bool]] = None,
    compiled_code: Optional[Callable[[Params, str], Any]] = None,
) -> Type[Any]:
    """Declares the problem `name` from a function you already time; returns its problem class.

    fn: one call of the kernel, fn(*inputs) (what do_bench timed); or variant names mapped to
        such functions, the first the default ({"warps4": ..., "warps8": ...}).
    make_inputs(params, seed): fn's arguments for a benchmark (a tuple, or the only argument),
        drawn from the seed (never zeros); raise Unsupported for a shape it cannot run.
    reference(*inputs): the expected output, computed another way (in higher precision, say).
    work(params): {"flops": ..., "bytes": ...} of one call.
    tolerance: the largest relative error (L2 norm of output - reference over the reference's)
        that passes; or a function of the params (a looser one for bf16).
    output: which is the output: fn's return value (None), fn's argument `output` (an int: a
        buffer it writes, NaN-filled before each check), or a function (inputs, returned).
    supports(params, variant): which variants run a shape (all, when absent).
    compiled_code(params, variant): the compiled kernel after a call (a Triton cubin, say),
        folded into the session's identity.
    """
    kernels = _variants(fn, name)
    tolerance_of = tolerance if callable(tolerance) else _constant(float(tolerance))
    reference_name = _label(reference, f"{name} reference")
    # The caller's module is the problem's: its file is the one the default identity hashes.
    caller = sys._getframe(1).f_globals.get("__name__", "__main__")

    class CallableProblem:
        def __init__(self, params: Params, variant: str, seed: int) -> None:
            self.params = params
            self.variant = variant
            self.kernel = kernels[variant]
            self.inputs: Optional[Tuple[Any, ...]] = _arguments(make_inputs(params, seed))
            self.called = False

        def work(self) -> WorkLike:
            return work(self.params)

        def launch(self) -> Any:
            self.called = True
            return self.kernel(*(self.inputs or ()))

        def check(self, seed: int) -> Correctness:
            self.inputs = None  # the previous inputs go before the next are drawn (a GPU's memory)
            self.inputs = _arguments(make_inputs(self.params, seed))
            expected = reference(*self.inputs)  # before the call: a kernel may write over its inputs
            if isinstance(output, int):
                if not -len(self.inputs) <= output < len(self.inputs):
                    raise KernelFailed(f"output={output}, but make_inputs gave fn {len(self.inputs)} argument(s)")
                _poison(self.inputs[output])
            returned = self.launch()
            got = returned if output is None else self.inputs[output] if isinstance(output, int) else output(self.inputs, returned)
            return judge(agreement(got, expected), float(tolerance_of(self.params)), reference_name)

        def compiled_code(self) -> Any:
            if compiled_code is None:
                return None
            if not self.called:
                self.launch()  # compiled on its first call
            return compiled_code(self.params, self.variant)

        def close(self) -> None:
            self.inputs = None

    if supports is not None:
        CallableProblem.supports = staticmethod(supports)  # type: ignore[attr-defined]
    CallableProblem.__module__ = caller
    CallableProblem.__name__ = CallableProblem.__qualname__ = f"from_callable_{name}"
    return problem(name, summary or f"{_label(next(iter(kernels.values())), name)}, declared with from_callable",
                   list(params), list(kernels), backend)(CallableProblem)
