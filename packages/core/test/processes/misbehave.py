"""A process source that breaks the line protocol on purpose, one way per argument (tests only)."""
import json
import sys

import ratchet_problem as rp

mode = sys.argv[1]
if mode == "exit":
    sys.exit(3)
if mode == "garbage":
    sys.stdin.readline()
    print("hello, I am not JSON", flush=True)
    sys.stdin.readline()
if mode == "hang":
    for _ in sys.stdin:
        pass
if mode == "crash-on-open":
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "hello":
            print(json.dumps({"ok": True, "protocol": 1, "problems": [{"name": "p", "summary": "", "params": [], "variants": ["v"], "backends": ["cpu"]}]}), flush=True)
        else:
            sys.exit(9)
if mode == "protocol-2":
    sys.stdin.readline()
    print(json.dumps({"ok": True, "protocol": 2, "problems": []}), flush=True)
    sys.stdin.readline()
if mode == "bad-spec":
    sys.stdin.readline()
    print(json.dumps({"ok": True, "protocol": 1, "problems": [{"name": "p", "summary": "", "params": [{"name": "n", "type": "int", "min": 5, "max": 1}], "variants": ["v"], "backends": ["cpu"]}]}), flush=True)
    sys.stdin.readline()


# scripts/fault-cases.mjs writes a problem of this shape into its scratch projects (check-infinite): they hold only their own files.
@rp.problem(name="short_samples", summary="answers sample with too few times", params=[], variants=["v"], backend="cpu")
class ShortSamples:
    def __init__(self, params, variant, seed):
        pass

    def work(self):
        return {"flops": 1, "bytes": 1}

    def launch(self):
        pass

    def check(self, seed):
        return rp.result(True, 0, 0, 0, "none")


@rp.problem(name="raises", summary="its launch raises", params=[], variants=["v"], backend="cpu")
class Raises(ShortSamples):
    def check(self, seed):
        raise ZeroDivisionError("the kernel divided by zero")


if mode == "short-samples":
    from ratchet_problem._server import _Server

    _Server.handle_original = _Server.handle

    def short(self, request):
        reply = _Server.handle_original(self, request)
        if request.get("op") == "sample":
            reply["samplesMs"] = reply["samplesMs"][:1]
        return reply

    _Server.handle = short
@rp.problem(name="seeds", summary="tells which seed each check drew its inputs from", params=[], variants=["v"], backend="cpu")
class Seeds(ShortSamples):
    def check(self, seed):
        return rp.result(True, 0, 0, 0, f"inputs of seed {seed}", checksum=(-1.5, 2.5))


@rp.problem(name="refuses", summary="refuses every shape", params=[], variants=["v"], backend="cpu")
class Refuses(ShortSamples):
    def __init__(self, params, variant, seed):
        raise rp.Unsupported("this variant needs D <= 128")


@rp.problem(name="nan_output", summary="its output holds NaN: errors of infinity and NaN", params=[], variants=["v"], backend="cpu")
class NanOutput(ShortSamples):
    def check(self, seed):
        return rp.result(False, float("inf"), float("nan"), 1e-3, "closed form", "NaN in the output", checksum=(float("nan"), float("inf")))


@rp.problem(name="claims_pass", summary="says it passed with an infinite error", params=[], variants=["v"], backend="cpu")
class ClaimsPass(ShortSamples):
    def check(self, seed):
        return rp.result(True, 0.0, float("inf"), 1e-3, "closed form", checksum=(1.0, 2.0))


if mode in ("short-samples", "raises", "seeds"):
    rp.serve(software="misbehave 1.0")
if mode == "unavailable":
    rp.serve(unavailable="no CUDA device here")
if mode == "background-child":
    # A problem that starts a job of its own and leaves it running, holding our stdout and stderr
    # (as a compile server or a dataloader worker would): its pid goes to the file named after the mode.
    import subprocess
    job = subprocess.Popen(["sleep", "1000"])
    with open(sys.argv[2], "w") as pid_file:
        pid_file.write(str(job.pid))
    rp.serve()
if mode == "clash":
    # Declares the built-in problem's name (and, given a file, writes its pid there, to show it is stopped).
    if len(sys.argv) > 2:
        with open(sys.argv[2], "w") as pid_file:
            pid_file.write(str(__import__("os").getpid()))

    @rp.problem(name="flash_fwd", summary="the built-in's name, declared again", params=[], variants=["v"], backend="cpu")
    class Clash(ShortSamples):
        pass

    rp.serve()
if mode == "stuck":
    # Ignores SIGTERM (as a library's own handler or a compile in flight may) and, once checked,
    # never finishes a sample batch; says so in the file named after the mode when it is stuck.
    import signal
    import time

    signal.signal(signal.SIGTERM, signal.SIG_IGN)

    @rp.problem(name="stuck", summary="never finishes a batch", params=[], variants=["v", "w"], backend="cpu")
    class Stuck(ShortSamples):
        checked = False

        def check(self, seed):
            self.checked = True
            return rp.result(True, 0, 0, 0, "none")

        def launch(self):
            if self.checked:
                with open(sys.argv[2], "w") as marker:
                    marker.write(str(__import__("os").getpid()))
                time.sleep(1e6)

    rp.serve()
