"""The protocol loop: Ratchet's requests in on stdin, one JSON answer per line on stdout."""
from __future__ import annotations

import hashlib
import json
import math
import os
import sys
import traceback
from typing import IO, Any, Dict, List, Optional, Tuple, TypedDict

from ratchet_problem._declare import KernelFailed, Problem, Unsupported, _Entry, _problems
from ratchet_problem._identity import default_identity, note_imports
from ratchet_problem._timers import CpuTimer, CudaTimer, Timer
from ratchet_problem._installed import DISTRIBUTION
from ratchet_problem._version import PROTOCOL, __version__

#: Which copy of this package answers, told at hello: a package of another protocol version is then
#: named by its version and place (Ratchet says which to install), and a reader of the logs knows
#: whether the copy Ratchet ships or an installed one ran.
PACKAGE = {"name": DISTRIBUTION, "version": __version__, "path": os.path.dirname(os.path.realpath(__file__))}
_protocol_out: Optional[IO[str]] = None
Message = Dict[str, Any]


class _Session(TypedDict):
    instance: Problem
    entry: _Entry
    seed: int


def _identity(entry: _Entry, instance: Problem, variant: str) -> Tuple[Optional[str], bool]:
    """The session's identity and whether it covers all the code the session times (then `run
    --base` skips measuring a benchmark whose identity is the same on both sides). A problem's own
    identity() says what it says: it covers the code only where the class sets
    identity_covers_code = True."""
    own = getattr(instance, "identity", None)
    if callable(own):
        value = own()
        if value is None:
            return None, False
        return f"py:{hashlib.sha256(str(value).encode()).hexdigest()}", getattr(instance, "identity_covers_code", False) is True
    # The script, the user's modules, the packages' versions, the variant and the compiled code:
    # a change to any of them is never A/A (_identity.py says what counts).
    identity = default_identity(entry["cls"], instance, variant)
    return identity, identity is not None


class _Server:
    def __init__(self, software: Optional[str] = None, unavailable: Optional[str] = None) -> None:
        self.software = software
        self.unavailable = unavailable
        self.sessions: Dict[int, _Session] = {}
        self.next_session = 1
        self.timers: Dict[str, Timer] = {}

    def timer(self, backend: str) -> Timer:
        if backend not in self.timers:
            self.timers[backend] = CudaTimer() if backend == "cuda" else CpuTimer()
        return self.timers[backend]

    def entry(self, benchmark: Message) -> _Entry:
        name = benchmark.get("kernel")
        if name not in _problems:
            raise KernelFailed(f"this process declares no problem named {name!r}")
        return _problems[name]

    def variants_for(self, entry: _Entry, params: Message) -> List[str]:
        supports = getattr(entry["cls"], "supports", None)
        names = entry["spec"]["variants"]
        return [v for v in names if supports is None or supports(params, v)]

    def handle(self, request: Message) -> Message:
        op = request.get("op")
        if op == "hello":
            about: Message = {"software": self.software} if self.software else {}
            if self.unavailable:
                about["unavailable"] = self.unavailable
            return {"protocol": PROTOCOL, "package": PACKAGE, "problems": [p["spec"] for p in _problems.values()], **about}
        if op == "variants":
            entry = self.entry(request["benchmark"])
            return {"variants": self.variants_for(entry, request["benchmark"])}
        if op == "open":
            benchmark = request["benchmark"]
            entry = self.entry(benchmark)
            variants = self.variants_for(entry, benchmark)
            variant = request.get("variant") or (variants[0] if variants else None)
            if variant not in entry["spec"]["variants"]:
                raise KernelFailed(f"unknown variant {variant!r} of {benchmark['kernel']} (known: {', '.join(entry['spec']['variants'])})")
            if variant not in variants:
                raise KernelFailed(f"variant {variant!r} does not run this shape")
            instance = entry["cls"](benchmark, variant, int(request.get("seed", 1)))
            number = self.next_session
            self.next_session += 1
            self.sessions[number] = {"instance": instance, "entry": entry, "seed": int(request.get("seed", 1))}
            work = instance.work()
            identity, covers = _identity(entry, instance, variant)
            return {"session": number, "variant": variant, "work": {"flops": float(work["flops"]), "bytes": float(work["bytes"])},
                    "identity": identity, "identityCoversCode": covers}
        session = self.sessions.get(request.get("session", 0))  # numbered from 1
        if session is None:
            raise KernelFailed(f"no open session {request.get('session')!r}")
        if op == "check":
            # The first check on the open's seed, as the native addon does: two sides opened with
            # one seed check the very same inputs, so their checksums can be compared.
            seed = session["seed"]
            session["seed"] += 1
            return {"correctness": session["instance"].check(seed)}
        if op == "sample":
            backend = session["entry"]["spec"]["backends"][0]
            times = self.timer(backend).sample(session["instance"], int(request["warmup"]), int(request["samples"]),
                                               bool(request.get("l2Flush")), max(1, int(request.get("launchesPerSample", 1))),
                                               float(request.get("extraUs", 0)))
            return {"samplesMs": times, "clockMHz": None}
        if op == "close":
            closing = getattr(session["instance"], "close", None)
            if callable(closing):
                closing()
            del self.sessions[request["session"]]
            return {}
        raise KernelFailed(f"unknown request {op!r}")


def _protocol_value(value: Any) -> Any:
    """JSON has no NaN or infinities (json.dumps would write `Infinity`, which no JSON parser
    reads): they cross the protocol by name, "NaN", "Infinity", "-Infinity"."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {key: _protocol_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_protocol_value(item) for item in value]
    return value


def _reply(payload: Message) -> None:
    assert _protocol_out is not None, "serve() owns the protocol's stdout"
    _protocol_out.write(json.dumps(_protocol_value(payload), allow_nan=False) + "\n")
    _protocol_out.flush()


def serve(software: Optional[str] = None, unavailable: Optional[str] = None) -> None:
    """Answers Ratchet's requests until stdin closes. Call it last in the script.

    software: what the problems run on, in words ("torch 2.11.0+cu130"), shown beside their figures.
    unavailable: why they cannot run on this machine at all ("torch sees no CUDA device"): Ratchet
    then says so in one line instead of opening anything."""
    global _protocol_out
    # The protocol owns the real stdout; whatever the problems print goes to stderr.
    _protocol_out = os.fdopen(os.dup(sys.stdout.fileno()), "w", buffering=1)
    sys.stdout = sys.stderr
    server = _Server(software, unavailable)
    note_imports()
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            request = json.loads(line)
            _reply({"ok": True, **server.handle(request)})
        except Unsupported as error:
            _reply({"ok": False, "kind": "unsupported", "error": str(error)})
        except KernelFailed as error:
            _reply({"ok": False, "kind": "kernel-failed", "error": str(error)})
        except Exception as error:  # the problem's own code failed: report it, keep serving
            where = traceback.extract_tb(error.__traceback__)[-1]
            _reply({"ok": False, "kind": "kernel-failed",
                    "error": f"{type(error).__name__}: {error} ({os.path.basename(where.filename)}:{where.lineno})"})
