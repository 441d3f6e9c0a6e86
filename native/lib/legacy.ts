// Builds of the addon from before the Problem ABI (a base ref built for relative mode) time only
// attention and declare nothing: this is what they run, so they can still be measured.
import type { Benchmark, ProblemSpec, Work } from '@ratchet/types';

/** flash_fwd as those builds ran it. */
export const legacyProblems: ProblemSpec[] = [
  {
    name: 'flash_fwd',
    summary: 'attention forward O = softmax(Q K^T / sqrt(D)) V over [B, H, S, D] tensors',
    params: [
      { name: 'dtype', type: 'enum', values: ['fp16', 'bf16'] },
      { name: 'B', type: 'int', min: 1, max: 65535, description: 'batch' },
      { name: 'H', type: 'int', min: 1, max: 65535, description: 'heads' },
      { name: 'S', type: 'int', min: 1, max: 2 ** 30, description: 'sequence length (queries and keys)' },
      { name: 'D', type: 'int', min: 1, max: 256, description: 'head dim' },
      { name: 'causal', type: 'bool', description: 'mask keys after the query' },
    ],
    variants: ['mma_br64_bc64_w4', 'mma_br128_bc64_w8', 'mma_br128_bc32_w8', 'cpu-blocked', 'cpu-rowwise'],
    backends: ['cpu', 'cuda'],
    source: { kind: 'builtin' },
  },
];

/** Attention's work as the built-in problem declares it (src/builtin/attention/spec.h). */
export function legacyWork(benchmark: Benchmark): Work {
  const [B, H, S, D] = (['B', 'H', 'S', 'D'] as const).map((name) => Number(benchmark[name]));
  const full = 4 * B! * H! * S! * S! * D!;
  return { flops: benchmark.causal === true ? full / 2 : full, bytes: 4 * B! * H! * S! * D! * 2 };
}
