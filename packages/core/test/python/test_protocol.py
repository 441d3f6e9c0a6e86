"""serve() over the line protocol, as Ratchet speaks it: a from_callable problem in a child
interpreter, requests in on stdin, one JSON answer per line out (run with unittest, against
whichever copy of ratchet_problem the interpreter imports)."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

import ratchet_problem as rp

SCRIPT = '''
import ratchet_problem as rp


def scale(values):
    return [2.0 * v for v in values]


def inputs(params, seed):
    if params["n"] > 100:
        raise rp.Unsupported("n above 100 is not supported here")
    return [float(seed + i) for i in range(params["n"])]


rp.from_callable({"double": scale, "add": lambda values: [v + v for v in values]}, inputs, lambda values: [v * 2 for v in values],
                 name="scale", params=[rp.integer("n", 1, 1000)], tolerance=0.0,
                 work=lambda p: {"flops": p["n"], "bytes": 16 * p["n"]})
rp.serve(software="pure python")
'''


class Protocol(unittest.TestCase):
    def converse(self, *requests):
        with tempfile.TemporaryDirectory() as directory:
            script = os.path.join(directory, "scale.py")
            with open(script, "w") as handle:
                handle.write(SCRIPT)
            lines = "".join(json.dumps(request) + "\n" for request in requests)
            done = subprocess.run([sys.executable, script], input=lines, capture_output=True, text=True, timeout=120, check=True)
        return [json.loads(line) for line in done.stdout.splitlines()]

    def test_a_session_from_hello_to_close(self):
        hello, opened, checked, sampled, closed = self.converse(
            {"op": "hello", "protocol": rp.PROTOCOL},
            {"op": "open", "benchmark": {"kernel": "scale", "n": 50}, "variant": "add", "seed": 3},
            {"op": "check", "session": 1},
            {"op": "sample", "session": 1, "warmup": 1, "samples": 4, "l2Flush": False, "launchesPerSample": 2},
            {"op": "close", "session": 1},
        )
        self.assertEqual(hello["protocol"], rp.PROTOCOL)
        # The child imports the same copy as this interpreter, and says which.
        self.assertEqual(hello["package"], {"name": "ratchet-problem", "version": rp.__version__, "path": os.path.dirname(os.path.realpath(rp.__file__))})
        self.assertEqual(hello["software"], "pure python")
        self.assertEqual([p["variants"] for p in hello["problems"]], [["double", "add"]])
        self.assertEqual((opened["ok"], opened["variant"], opened["work"]), (True, "add", {"flops": 50.0, "bytes": 800.0}))
        self.assertRegex(opened["identity"], "^py:[0-9a-f]{64}$")
        self.assertEqual(checked["correctness"], {"passed": True, "maxAbsError": 0.0, "relError": 0.0, "tolerance": 0.0, "reference": "scale reference",
                                                  "checksum": {"sum": 2.0 * sum(3.0 + i for i in range(50)), "absSum": 2.0 * sum(3.0 + i for i in range(50))}})
        self.assertEqual(len(sampled["samplesMs"]), 4)
        self.assertTrue(all(ms > 0 for ms in sampled["samplesMs"]))
        self.assertEqual(closed, {"ok": True})

    def test_a_shape_make_inputs_refuses_is_unsupported_at_open(self):
        _, refused = self.converse({"op": "hello", "protocol": rp.PROTOCOL}, {"op": "open", "benchmark": {"kernel": "scale", "n": 101}, "seed": 1})
        self.assertEqual(refused, {"ok": False, "kind": "unsupported", "error": "n above 100 is not supported here"})


if __name__ == "__main__":
    unittest.main()
