"""A problem that runs on the GPU only, served on a machine without one (tests of `ratchet check`):
it declares its parameters and says it cannot run here, as a Triton or CuPy kernel would."""
import ratchet_problem as rp


@rp.problem(
    name="gpu_scale",
    summary="y = a * x on the GPU (declared only: never run by the tests)",
    params=[rp.enum("dtype", ["fp16", "bf16"]), rp.integer("n", 1, 1 << 28)],
    variants=["vec4", "scalar"],
    backend="cuda",
)
class GpuScale:
    def __init__(self, params, variant, seed):
        raise rp.Unsupported("no GPU in this test")


if __name__ == "__main__":
    rp.serve(unavailable="no CUDA device in this test")
