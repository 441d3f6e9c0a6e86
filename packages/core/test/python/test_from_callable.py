"""from_callable(): a function as a problem, checked against its reference (run with unittest,
against whichever copy of ratchet_problem the interpreter imports: packages/core/test/python-package.test.ts
runs it on the copy Ratchet ships and on the wheel installed in a virtual environment)."""
import math
import random
import unittest

import ratchet_problem as rp
from ratchet_problem._declare import _problems


def prefix_sum(values):
    out, total = [], 0.0
    for value in values:
        total += value
        out.append(total)
    return out


def exact_prefix_sum(values):
    return [math.fsum(values[: i + 1]) for i in range(len(values))]


def uniform(params, seed):
    generator = random.Random(seed)
    return [generator.uniform(0.5, 1.5) for _ in range(params["n"])]


def declare(fn, reference=exact_prefix_sum, make_inputs=uniform, **options):
    settings = {"name": "prefix", "params": [rp.integer("n", 1, 1 << 16)], "tolerance": 1e-12,
                "work": lambda p: {"flops": p["n"], "bytes": 16 * p["n"]}, **options}
    return rp.from_callable(fn, make_inputs, reference, **settings)


def checked(cls, params, variant="default", seed=7):
    instance = cls({"kernel": "x", **params}, variant, seed)
    return instance, instance.check(seed)


class FromCallable(unittest.TestCase):
    def test_a_correct_function_passes_with_its_error_and_the_checksum_of_its_output(self):
        cls = declare(prefix_sum)
        instance, correctness = checked(cls, {"n": 500})
        expected = prefix_sum(uniform({"n": 500}, 7))
        self.assertTrue(correctness["passed"], correctness)
        self.assertLess(correctness["relError"], 1e-14)
        self.assertGreater(correctness["maxAbsError"], 0.0)  # a running sum rounds: the check saw real figures
        self.assertEqual(correctness["reference"], "exact_prefix_sum")
        self.assertEqual(correctness["tolerance"], 1e-12)
        self.assertAlmostEqual(correctness["checksum"]["sum"], math.fsum(expected), places=6)
        self.assertEqual(instance.work(), {"flops": 500, "bytes": 8000})

    def test_a_wrong_function_fails_naming_its_relative_error(self):
        cls = declare(lambda values: [v * 1.001 for v in prefix_sum(values)])
        _, correctness = checked(cls, {"n": 64})
        self.assertFalse(correctness["passed"])
        self.assertAlmostEqual(correctness["relError"], 1e-3, places=9)
        self.assertEqual(correctness["detail"], f"relative error {correctness['relError']:.3e} over the tolerance 1e-12")

    def test_an_output_of_another_shape_fails_saying_both_shapes(self):
        cls = declare(lambda values: prefix_sum(values)[:-1])
        _, correctness = checked(cls, {"n": 10})
        self.assertFalse(correctness["passed"])
        self.assertEqual(correctness["detail"], "shape (9,) (9 numbers) against the reference's (10,) (10)")
        self.assertEqual(correctness["maxAbsError"], math.inf)

    def test_an_output_buffer_is_poisoned_so_an_element_left_unwritten_fails(self):
        def into(out, values, skip_last):
            total = 0.0
            for index, value in enumerate(values[: len(values) - skip_last]):
                total += value
                out[index] = total

        def inputs(params, seed):
            # An output buffer already holding the right answer: only the poisoning can catch the skip.
            values = uniform(params, seed)
            return exact_prefix_sum(values), values

        good = declare(lambda out, values: into(out, values, 0), reference=lambda out, values: exact_prefix_sum(values),
                       make_inputs=inputs, output=0, name="prefix_into")
        self.assertTrue(checked(good, {"n": 32})[1]["passed"])
        skipping = declare(lambda out, values: into(out, values, 1), reference=lambda out, values: exact_prefix_sum(values),
                           make_inputs=inputs, output=0, name="prefix_into")
        correctness = checked(skipping, {"n": 32})[1]
        self.assertFalse(correctness["passed"])
        self.assertEqual(correctness["detail"], "NaN or infinity in the output")
        self.assertEqual(correctness["reference"], "prefix_into reference")

    def test_output_names_no_argument_of_fn_then_the_kernel_failed(self):
        cls = declare(prefix_sum, output=3)
        with self.assertRaisesRegex(rp.KernelFailed, r"^output=3, but make_inputs gave fn 1 argument\(s\)$"):
            checked(cls, {"n": 4})

    def test_several_outputs_are_judged_together_and_their_count_must_match(self):
        pair = declare(lambda values: (prefix_sum(values), sum(values)),
                       reference=lambda values: (exact_prefix_sum(values), math.fsum(values)), name="pair")
        self.assertTrue(checked(pair, {"n": 100})[1]["passed"])
        short = declare(lambda values: (prefix_sum(values),), reference=lambda values: (exact_prefix_sum(values), 1.0), name="pair")
        self.assertEqual(checked(short, {"n": 4})[1]["detail"], "1 outputs against the reference's 2")

    def test_variants_are_the_names_of_a_mapping_of_functions_the_first_the_default(self):
        cls = declare({"loop": prefix_sum, "doubled": lambda values: [2 * v for v in prefix_sum(values)]}, name="variants")
        self.assertEqual(_problems["variants"]["spec"]["variants"], ["loop", "doubled"])
        self.assertTrue(checked(cls, {"n": 16}, "loop")[1]["passed"])
        self.assertFalse(checked(cls, {"n": 16}, "doubled")[1]["passed"])

    def test_the_spec_is_a_problem_of_its_backend_declared_by_the_calling_module(self):
        cls = declare(prefix_sum, name="spec", summary="prefix sums", backend="cpu")
        self.assertEqual(_problems["spec"]["spec"], {"name": "spec", "summary": "prefix sums", "params": [{"name": "n", "type": "int", "min": 1, "max": 1 << 16}],
                                                     "variants": ["default"], "backends": ["cpu"]})
        # The default identity hashes the file of the module that declared the problem: this one.
        self.assertEqual(cls.__module__, __name__)

    def test_a_tolerance_can_depend_on_the_params(self):
        cls = declare(lambda values: [v * 1.001 for v in prefix_sum(values)], tolerance=lambda p: 1e-2 if p["n"] > 8 else 1e-6, name="tolerance")
        self.assertTrue(checked(cls, {"n": 9})[1]["passed"])
        self.assertFalse(checked(cls, {"n": 8})[1]["passed"])

    def test_a_nan_in_the_output_fails_the_check_whatever_the_error(self):
        cls = declare(lambda values: prefix_sum(values)[:-1] + [math.nan], name="nan")
        correctness = checked(cls, {"n": 5})[1]
        self.assertEqual((correctness["passed"], correctness["maxAbsError"], correctness["detail"]), (False, math.inf, "NaN or infinity in the output"))

    def test_the_check_draws_the_inputs_of_its_seed_which_launch_then_times(self):
        seen = []
        cls = declare(lambda values: seen.append(values[0]) or prefix_sum(values), name="seeds")
        instance = cls({"kernel": "seeds", "n": 3}, "default", 1)
        instance.check(2)
        instance.launch()
        self.assertEqual(seen, [uniform({"n": 3}, 2)[0]] * 2)

    @unittest.skipUnless(__import__("importlib").util.find_spec("numpy"), "NumPy is not installed here")
    def test_numpy_outputs_are_compared_by_numpy(self):
        import numpy as np

        cls = declare(lambda x: np.cumsum(x), reference=lambda x: np.array(exact_prefix_sum(list(x))),
                      make_inputs=lambda p, seed: np.random.default_rng(seed).uniform(0.5, 1.5, p["n"]), name="numpy")
        correctness = checked(cls, {"n": 1000})[1]
        self.assertTrue(correctness["passed"], correctness)
        self.assertGreater(correctness["maxAbsError"], 0.0)
        poisoned = declare(lambda out, x: None, reference=lambda out, x: np.cumsum(x), output=0, name="numpy_into",
                           make_inputs=lambda p, seed: (np.ones(p["n"]), np.ones(p["n"])))
        self.assertEqual(checked(poisoned, {"n": 4})[1]["detail"], "NaN or infinity in the output")

    def test_a_fn_that_is_no_callable_is_refused_when_declared(self):
        with self.assertRaisesRegex(TypeError, r"^from_callable\('bad'\): fn\['v'\] is a int, not a callable$"):
            declare({"v": 3}, name="bad")
        with self.assertRaisesRegex(ValueError, r"^from_callable\('bad'\): fn is an empty mapping"):
            declare({}, name="bad")


class Version(unittest.TestCase):
    def test_the_major_version_is_the_protocol(self):
        self.assertEqual(int(rp.__version__.split(".")[0]), rp.PROTOCOL)


if __name__ == "__main__":
    unittest.main()
