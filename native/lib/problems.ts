import type { ProblemSpec } from '@ratchet/types';

// The built-in problems as the addon declares them. The CPU backend takes any head dim from 1 to
// 256, the CUDA kernels 64 and 128: per-backend limits are refused when a session opens
// (ERR_RATCHET_UNSUPPORTED_SHAPE), the declared ranges bound every backend.
export const builtinProblems: ProblemSpec[] = [
  {
    name: 'flash_fwd',
    summary: 'attention forward O = softmax(Q K^T / sqrt(D)) V over [B, H, S, D] tensors',
    params: [
      { name: 'dtype', type: 'enum', values: ['fp16', 'bf16'] },
      { name: 'B', type: 'int', min: 1, max: 65535, description: 'batch' },
      { name: 'H', type: 'int', min: 1, max: 65535, description: 'heads' },
      { name: 'S', type: 'int', min: 1, max: 2 ** 30, description: 'sequence length (queries and keys)' },
      { name: 'D', type: 'int', min: 1, max: 256, description: 'head dimension' },
      { name: 'causal', type: 'bool', description: 'mask keys after the query' },
    ],
    variants: ['mma_br64_bc64_w4', 'mma_br128_bc64_w8', 'mma_br128_bc32_w8', 'cpu-blocked', 'cpu-rowwise'],
    backends: ['cpu', 'cuda'],
    source: { kind: 'builtin' },
  },
];
