"""An output against its reference, for from_callable(): how far apart, and a checksum.

An output is a torch tensor, an array (NumPy, CuPy, JAX: anything with __array_namespace__ or
__array__), a number, or a (nested) list of numbers; a tuple is several outputs, each against the
matching part of the reference. Sums are taken in float64 by the output's own library, on its own
device: a GPU output is never copied to the host element by element.
"""
from __future__ import annotations

import importlib
import math
import sys
from typing import Any, List, NamedTuple, Optional, Tuple

from ratchet_problem._declare import Correctness, result


class Part(NamedTuple):
    """One output against its reference: the sums the whole check is judged on."""

    max_abs: float
    diff_sq: float
    ref_sq: float
    total: float
    abs_total: float
    finite: bool


class Agreement(NamedTuple):
    parts: List[Part]
    mismatch: Optional[str]


def _is_torch(value: Any) -> bool:
    return type(value).__module__.split(".")[0] == "torch" and hasattr(value, "detach")


def _shape(value: Any) -> Tuple[int, ...]:
    return tuple(int(size) for size in value.shape)


def _torch_part(got: Any, expected: Any) -> Tuple[Optional[Part], str]:
    torch: Any = sys.modules["torch"]
    g = got.detach() if _is_torch(got) else torch.as_tensor(got, device=expected.device)
    e = expected.detach() if _is_torch(expected) else torch.as_tensor(expected, device=g.device)
    if _shape(g) != _shape(e):
        return None, f"shape {_shape(g)} against the reference's {_shape(e)}"
    g = g.to(torch.float64)
    e = e.to(device=g.device, dtype=torch.float64)
    diff = g - e
    return Part(float(diff.abs().max()) if g.numel() else 0.0, float((diff * diff).sum()), float((e * e).sum()),
                float(g.sum()), float(g.abs().sum()), bool(torch.isfinite(g).all())), ""


def _namespace(value: Any) -> Any:
    if hasattr(value, "__array_namespace__"):
        return value.__array_namespace__()
    # An object with __array__ only: NumPy before 2.0 reads it (by name: the package depends on nothing).
    return importlib.import_module("numpy")


def _array_part(got: Any, expected: Any) -> Tuple[Optional[Part], str]:
    xp = _namespace(got if hasattr(got, "__array__") or hasattr(got, "__array_namespace__") else expected)
    g = xp.asarray(got)
    e = xp.asarray(expected)
    if _shape(g) != _shape(e):
        return None, f"shape {_shape(g)} against the reference's {_shape(e)}"
    g = g.astype(xp.float64)
    e = e.astype(xp.float64)
    diff = g - e
    return Part(float(xp.max(xp.abs(diff))) if g.size else 0.0, float(xp.sum(diff * diff)), float(xp.sum(e * e)),
                float(xp.sum(g)), float(xp.sum(xp.abs(g))), bool(xp.all(xp.isfinite(g)))), ""


def _flatten(value: Any, into: List[float]) -> Tuple[int, ...]:
    """Appends the numbers of a number or nested list to `into`; returns its shape."""
    if isinstance(value, (int, float)):
        into.append(float(value))
        return ()
    if isinstance(value, (list, tuple)):
        shapes = [_flatten(item, into) for item in value]
        return (len(value),) + (shapes[0] if shapes and all(shape == shapes[0] for shape in shapes) else ())
    raise TypeError(f"an output must be a tensor, an array, a number or a list of numbers (several outputs: a tuple), not {type(value).__name__}")


def _python_part(got: Any, expected: Any) -> Tuple[Optional[Part], str]:
    g: List[float] = []
    e: List[float] = []
    got_shape, expected_shape = _flatten(got, g), _flatten(expected, e)
    if got_shape != expected_shape or len(g) != len(e):
        return None, f"shape {got_shape} ({len(g)} numbers) against the reference's {expected_shape} ({len(e)})"
    diffs = [a - b for a, b in zip(g, e)]
    return Part(max((abs(d) for d in diffs), default=0.0), math.fsum(d * d for d in diffs), math.fsum(b * b for b in e),
                math.fsum(g), math.fsum(abs(a) for a in g), all(math.isfinite(a) for a in g)), ""


def _is_array(value: Any) -> bool:
    return hasattr(value, "__array_namespace__") or hasattr(value, "__array__")


def _part(got: Any, expected: Any) -> Tuple[Optional[Part], str]:
    if _is_torch(got) or _is_torch(expected):
        return _torch_part(got, expected)
    if _is_array(got) or _is_array(expected):
        return _array_part(got, expected)
    return _python_part(got, expected)


def agreement(got: Any, expected: Any) -> Agreement:
    """Each output against its reference; `mismatch` says where the two do not line up."""
    if isinstance(got, tuple):
        if not isinstance(expected, (tuple, list)) or len(expected) != len(got):
            count = len(expected) if isinstance(expected, (tuple, list)) else 1
            return Agreement([], f"{len(got)} outputs against the reference's {count}")
        parts = []
        for index, (one, reference) in enumerate(zip(got, expected)):
            part, why = _part(one, reference)
            if part is None:
                return Agreement([], f"output {index}: {why}")
            parts.append(part)
        return Agreement(parts, None)
    part, why = _part(got, expected)
    return Agreement([part], None) if part is not None else Agreement([], why)


def judge(found: Agreement, tolerance: float, reference: str) -> Correctness:
    """The check's result: passed when the relative error (the L2 norm of the difference over the
    reference's, all outputs together) is within `tolerance` and every output number is finite."""
    inf = float("inf")
    if found.mismatch is not None:
        return result(False, inf, inf, tolerance, reference, found.mismatch)
    checksum = (math.fsum(p.total for p in found.parts), math.fsum(p.abs_total for p in found.parts))
    if not all(p.finite for p in found.parts):
        return result(False, inf, inf, tolerance, reference, "NaN or infinity in the output", checksum)
    diff_sq, ref_sq = math.fsum(p.diff_sq for p in found.parts), math.fsum(p.ref_sq for p in found.parts)
    rel = math.sqrt(diff_sq / ref_sq) if ref_sq > 0 else (0.0 if diff_sq == 0 else inf)
    passed = rel <= tolerance
    detail = None if passed else f"relative error {rel:.3e} over the tolerance {tolerance:g}"
    return result(passed, max(p.max_abs for p in found.parts), rel, tolerance, reference, detail, checksum)
