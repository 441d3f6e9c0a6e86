"""What a script declares: problems, their parameters, and what a check returns."""
from __future__ import annotations

from typing import Any, Callable, Dict, List, Literal, Mapping, Optional, Protocol, Sequence, Tuple, Type, TypedDict, TypeVar, Union

Backend = Literal["cpu", "cuda"]
#: A benchmark as Ratchet sends it: "kernel" and a value for each declared parameter (an int, a
#: str of an enum's values, or a bool), e.g. {"kernel": "softmax", "dtype": "fp16", "rows": 4096}.
Params = Mapping[str, Any]


class _IntRequired(TypedDict):
    name: str
    type: Literal["int"]
    min: int
    max: int


class IntParam(_IntRequired, total=False):
    values: List[int]
    description: str


class _EnumRequired(TypedDict):
    name: str
    type: Literal["enum"]
    values: List[str]


class EnumParam(_EnumRequired, total=False):
    description: str


class _BoolRequired(TypedDict):
    name: str
    type: Literal["bool"]


class BoolParam(_BoolRequired, total=False):
    description: str


#: One declared parameter: integer(), enum() or flag().
Param = Union[IntParam, EnumParam, BoolParam]


class Work(TypedDict):
    """The work of one call of the kernel: what TFLOP/s, GB/s and the roofline are taken from."""

    flops: float
    bytes: float


#: What work() returns: a Work, or any mapping with "flops" and "bytes" (a plain dict).
WorkLike = Union[Work, Mapping[str, float]]


class Checksum(TypedDict):
    sum: float
    absSum: float


class _CorrectnessRequired(TypedDict):
    passed: bool
    maxAbsError: float
    relError: float
    tolerance: float
    reference: str


class Correctness(_CorrectnessRequired, total=False):
    """What check() returns (build it with result())."""

    detail: str
    checksum: Checksum


class ProblemSpec(TypedDict):
    name: str
    summary: str
    params: List[Param]
    variants: List[str]
    backends: List[Backend]


class Problem(Protocol):
    """What an instance of a problem class offers (its class takes (params, variant, seed)).

    Optional beside these: compiled_code() (bytes or str, or a list or dict of them: folded into
    the default identity), identity() (replaces it; None: unknown), close(), and a static
    supports(params, variant) -> bool on the class."""

    def work(self) -> WorkLike: ...

    def launch(self) -> object: ...

    def check(self, seed: int) -> Correctness: ...


class _Entry(TypedDict):
    cls: Type[Any]
    spec: ProblemSpec


ProblemClass = TypeVar("ProblemClass", bound=Type[Any])
_problems: Dict[str, _Entry] = {}


def integer(name: str, minimum: int, maximum: int, values: Optional[Sequence[int]] = None,
            description: Optional[str] = None) -> IntParam:
    """An integer parameter from `minimum` to `maximum` (or only `values`, a list of them)."""
    spec: IntParam = {"name": name, "type": "int", "min": minimum, "max": maximum}
    if values is not None:
        spec["values"] = list(values)
    if description:
        spec["description"] = description
    return spec


def enum(name: str, values: Sequence[str], description: Optional[str] = None) -> EnumParam:
    """A parameter that takes one of `values` (names: "fp16", "bf16")."""
    spec: EnumParam = {"name": name, "type": "enum", "values": list(values)}
    if description:
        spec["description"] = description
    return spec


def flag(name: str, description: Optional[str] = None) -> BoolParam:
    """A boolean parameter (in a benchmark id only when true: `..._causal`)."""
    spec: BoolParam = {"name": name, "type": "bool"}
    if description:
        spec["description"] = description
    return spec


def result(passed: bool, max_abs_error: float, rel_error: float, tolerance: float, reference: str,
           detail: Optional[str] = None, checksum: Optional[Tuple[float, float]] = None) -> Correctness:
    """What check() returns: the kernel's output against the problem's own reference.

    checksum: (sum, sum of |x|) over the whole output, so two implementations given the same seed
    can be compared with each other (`ratchet sota`'s output agreement).

    A figure that is NaN or infinite (an error over a NaN output, say) is sent by name and makes
    the check a failure, whatever `passed` says: the kernel is `invalid`, never timed."""
    out: Correctness = {"passed": bool(passed), "maxAbsError": float(max_abs_error), "relError": float(rel_error),
                        "tolerance": float(tolerance), "reference": str(reference)}
    if detail:
        out["detail"] = str(detail)
    if checksum is not None:
        total, abs_total = checksum
        out["checksum"] = {"sum": float(total), "absSum": float(abs_total)}
    return out


def problem(name: str, summary: str, params: Sequence[Param], variants: Sequence[str],
            backend: Backend = "cpu") -> Callable[[ProblemClass], ProblemClass]:
    """Registers a problem class under `name` (the `kernel` of a benchmark)."""
    if backend not in ("cpu", "cuda"):
        raise ValueError(f"problem {name}: backend must be 'cpu' or 'cuda', not {backend!r}")

    def register(cls: ProblemClass) -> ProblemClass:
        _problems[name] = {"cls": cls, "spec": {"name": name, "summary": summary, "params": list(params),
                                                "variants": list(variants), "backends": [backend]}}
        return cls

    return register


class KernelFailed(Exception):
    """Raise from a problem to report its own failure (not a bug of the protocol)."""


class Unsupported(Exception):
    """Raise from a problem (its __init__, typically) when it cannot run this shape; the message
    says why. Ratchet reports the shape as unsupported rather than the kernel as failed."""
