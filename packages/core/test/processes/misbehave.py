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
if mode == "bad-spec":
    sys.stdin.readline()
    print(json.dumps({"ok": True, "protocol": 1, "problems": [{"name": "p", "summary": "", "params": [{"name": "n", "type": "int", "min": 5, "max": 1}], "variants": ["v"], "backends": ["cpu"]}]}), flush=True)
    sys.stdin.readline()


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
    rp._Server.handle_original = rp._Server.handle

    def short(self, request):
        reply = rp._Server.handle_original(self, request)
        if request.get("op") == "sample":
            reply["samplesMs"] = reply["samplesMs"][:1]
        return reply

    rp._Server.handle = short
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
