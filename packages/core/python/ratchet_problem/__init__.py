"""The process side of Ratchet's line protocol: guard a kernel that lives in Python.

Declare each problem with @problem, then call serve(). Ratchet starts the script as a child
process (its "processes" in ratchet.config.json), with the copy of this package it ships on
PYTHONPATH, and speaks to it one JSON object per line on stdin/stdout (docs/guard-your-kernel.md):

    hello -> the problems and the protocol version (and, from serve()'s arguments, the
             software it runs on, or why it cannot run here at all)
    open {benchmark, variant, seed} -> a session: its variant, work per call, identity (and
             whether it covers all the code timed)
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
        identity_covers_code = True                      # optional: that identity covers all the code
                                                         # timed, so run --base may skip it when equal
        def close(self): ...                             # optional
        @staticmethod
        def supports(params, variant): return True       # optional: which variants run a shape

A problem that cannot run a shape raises Unsupported (from __init__, say) with the reason; its
own failures raise KernelFailed or any exception. Anything a problem prints goes to stderr:
stdout carries the protocol only.

A function timed today (with triton.testing.do_bench, say) needs no class: from_callable() writes
one from the function, its inputs and a reference:

    from_callable({"warps4": lambda x: softmax(x, 4), "warps8": lambda x: softmax(x, 8)},
                  make_inputs=lambda params, seed: (random_rows(params, seed),),
                  reference=lambda x: torch.softmax(x.float(), dim=1),
                  name="softmax", params=[integer("rows", 1, 1 << 20), integer("cols", 1, 16384)],
                  work=lambda p: {"flops": 5 * p["rows"] * p["cols"], "bytes": 4 * p["rows"] * p["cols"]},
                  tolerance=2e-3, backend="cuda")
"""
from ratchet_problem._installed import hand_over as _hand_over

# The copy Ratchet ships (on PYTHONPATH) steps aside for an installed ratchet-problem: `import
# ratchet_problem` then hands out the installed package (_installed.py says how).
if _hand_over(__file__) is None:
    from ratchet_problem._declare import (
        Backend,
        BoolParam,
        Correctness,
        EnumParam,
        IntParam,
        KernelFailed,
        Param,
        Params,
        Problem,
        ProblemSpec,
        Unsupported,
        Work,
        WorkLike,
        enum,
        flag,
        integer,
        problem,
        result,
    )
    from ratchet_problem._callable import Output, from_callable
    from ratchet_problem._server import serve
    from ratchet_problem._version import PROTOCOL, __version__

    __all__ = [
        "PROTOCOL", "Backend", "BoolParam", "Correctness", "EnumParam", "IntParam", "KernelFailed", "Output", "Param", "Params",
        "Problem", "ProblemSpec", "Unsupported", "Work", "WorkLike", "__version__", "enum", "flag", "from_callable", "integer", "problem",
        "result", "serve",
    ]
