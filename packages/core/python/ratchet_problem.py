"""The process side of Ratchet's line protocol: guard a kernel that lives in Python.

Declare each problem with @problem, then call serve(). Ratchet starts the script as a child
process (its "processes" in ratchet.config.json), with this module's directory on PYTHONPATH, and
speaks to it one JSON object per line on stdin/stdout (docs/guard-your-kernel.md):

    hello -> the problems and the protocol version (and, from serve()'s arguments, the
             software it runs on, or why it cannot run here at all)
    open {benchmark, variant, seed} -> a session: its variant, work per call, identity
    check {session} -> the kernel against its reference on fresh inputs (the first check on
             the open's seed, each later one on the next seed, as the native addon does)
    sample {session, warmup, samples, l2Flush, launchesPerSample, extraUs} -> per-sample ms
    variants {benchmark} -> the variants that run it, default first
    close {session}

A number that is NaN or infinite (JSON has neither) travels as the string "NaN", "Infinity" or
"-Infinity"; in a check's figures it fails the check.

Timing is done here, not by the problem: CUDA events around the launches on the current stream
(L2 flushed before each sample when asked) for problems on "cuda", a monotonic clock for "cpu".
Ratchet does the statistics, verdicts and reports, exactly as for its own kernels.

A problem is a class:

    @problem(name="softmax", summary="row softmax", backend="cuda",
             params=[enum("dtype", ["fp16"]), integer("rows", 1, 1 << 20), integer("cols", 1, 1 << 16)],
             variants=["block128", "block256"])
    class Softmax:
        def __init__(self, params, variant, seed): ...   # inputs from the seed, never zeros
        def work(self): return {"flops": ..., "bytes": ...}
        def launch(self): ...                            # one call of the kernel
        def check(self, seed): return result(passed=..., max_abs_error=..., rel_error=..., tolerance=..., reference="...")
                                                         # checksum=(sum, abs_sum) of the output: optional
        def compiled_code(self): ...                     # optional: the compiled kernel (bytes/str, or a
                                                         # list or dict of them), e.g. a Triton cubin
        def identity(self): ...                          # optional: replaces the default identity
        def close(self): ...                             # optional
        @staticmethod
        def supports(params, variant): return True       # optional: which variants run a shape

A problem that cannot run a shape raises Unsupported (from __init__, say) with the reason; its
own failures raise KernelFailed or any exception. Anything a problem prints goes to stderr:
stdout carries the protocol only.
"""
import hashlib
import json
import math
import os
import sys
import time
import traceback

from _ratchet_identity import default_identity, note_imports

PROTOCOL = 1
# The GPU spin that holds the stream before each timed sample (_CudaTimer.sample): slack beyond
# the enqueue time, and the longest hold.
HOLD_SLACK_US = 50.0
HOLD_CAP_US = 20_000.0
_problems = {}
_protocol_out = None


def integer(name, minimum, maximum, values=None, description=None):
    spec = {"name": name, "type": "int", "min": minimum, "max": maximum}
    if values is not None:
        spec["values"] = list(values)
    if description:
        spec["description"] = description
    return spec


def enum(name, values, description=None):
    spec = {"name": name, "type": "enum", "values": list(values)}
    if description:
        spec["description"] = description
    return spec


def flag(name, description=None):
    spec = {"name": name, "type": "bool"}
    if description:
        spec["description"] = description
    return spec


def result(passed, max_abs_error, rel_error, tolerance, reference, detail=None, checksum=None):
    """What check() returns: the kernel's output against the problem's own reference.

    checksum: (sum, sum of |x|) over the whole output, so two implementations given the same seed
    can be compared with each other (`ratchet sota`'s output agreement).

    A figure that is NaN or infinite (an error over a NaN output, say) is sent by name and makes
    the check a failure, whatever `passed` says: the kernel is `invalid`, never timed."""
    out = {"passed": bool(passed), "maxAbsError": float(max_abs_error), "relError": float(rel_error),
           "tolerance": float(tolerance), "reference": str(reference)}
    if detail:
        out["detail"] = str(detail)
    if checksum is not None:
        total, abs_total = checksum
        out["checksum"] = {"sum": float(total), "absSum": float(abs_total)}
    return out


def problem(name, summary, params, variants, backend="cpu"):
    """Registers a problem class under `name` (the `kernel` of a benchmark)."""
    if backend not in ("cpu", "cuda"):
        raise ValueError(f"problem {name}: backend must be 'cpu' or 'cuda', not {backend!r}")

    def register(cls):
        _problems[name] = {"cls": cls, "spec": {"name": name, "summary": summary, "params": list(params),
                                                "variants": list(variants), "backends": [backend]}}
        return cls

    return register


class KernelFailed(Exception):
    """Raise from a problem to report its own failure (not a bug of the protocol)."""


class Unsupported(Exception):
    """Raise from a problem (its __init__, typically) when it cannot run this shape; the message
    says why. Ratchet reports the shape as unsupported rather than the kernel as failed."""


class _CpuTimer:
    def sample(self, instance, warmup, samples, l2_flush, launches, extra_us):
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


class _CudaTimer:
    def __init__(self):
        import torch  # only problems on "cuda" need it

        self.torch = torch
        l2 = getattr(torch.cuda.get_device_properties(0), "L2_cache_size", 64 << 20)
        self.flush = torch.empty(max(2 * l2, 1 << 20), dtype=torch.uint8, device="cuda")
        self.start = torch.cuda.Event(enable_timing=True)
        self.stop = torch.cuda.Event(enable_timing=True)
        self.cycles_per_us = None

    def spin_cycles_per_us(self):
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

    def enqueue_us(self, instance, warmup):
        """Host time to enqueue one launch, from the warm-up (one untimed launch when there is none)."""
        count = max(warmup, 1)
        self.torch.cuda.synchronize()
        started = time.perf_counter_ns()
        for _ in range(count):
            instance.launch()
        return (time.perf_counter_ns() - started) / 1e3 / count

    def sample(self, instance, warmup, samples, l2_flush, launches, extra_us):
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


def _identity(entry, instance, variant):
    own = getattr(instance, "identity", None)
    if callable(own):
        value = own()
        return None if value is None else f"py:{hashlib.sha256(str(value).encode()).hexdigest()}"
    # The script, the user's modules, the packages' versions, the variant and the compiled code:
    # a change to any of them is never A/A (_ratchet_identity.py says what counts).
    return default_identity(entry["cls"], instance, variant)


class _Server:
    def __init__(self, software=None, unavailable=None):
        self.software = software
        self.unavailable = unavailable
        self.sessions = {}
        self.next_session = 1
        self.timers = {}

    def timer(self, backend):
        if backend not in self.timers:
            self.timers[backend] = _CudaTimer() if backend == "cuda" else _CpuTimer()
        return self.timers[backend]

    def entry(self, benchmark):
        name = benchmark.get("kernel")
        if name not in _problems:
            raise KernelFailed(f"this process declares no problem named {name!r}")
        return _problems[name]

    def variants_for(self, entry, params):
        supports = getattr(entry["cls"], "supports", None)
        names = entry["spec"]["variants"]
        return [v for v in names if supports is None or supports(params, v)]

    def handle(self, request):
        op = request.get("op")
        if op == "hello":
            about = {"software": self.software} if self.software else {}
            if self.unavailable:
                about["unavailable"] = self.unavailable
            return {"protocol": PROTOCOL, "problems": [p["spec"] for p in _problems.values()], **about}
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
            session = self.next_session
            self.next_session += 1
            self.sessions[session] = {"instance": instance, "entry": entry, "seed": int(request.get("seed", 1))}
            work = instance.work()
            return {"session": session, "variant": variant, "work": {"flops": float(work["flops"]), "bytes": float(work["bytes"])},
                    "identity": _identity(entry, instance, variant)}
        session = self.sessions.get(request.get("session"))
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


def _protocol_value(value):
    """JSON has no NaN or infinities (json.dumps would write `Infinity`, which no JSON parser
    reads): they cross the protocol by name, "NaN", "Infinity", "-Infinity"."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {key: _protocol_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_protocol_value(item) for item in value]
    return value


def _reply(payload):
    _protocol_out.write(json.dumps(_protocol_value(payload), allow_nan=False) + "\n")
    _protocol_out.flush()


def serve(software=None, unavailable=None):
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
