/** Element types the attention kernels accept; accumulation is always fp32. */
export const dtypes = ['fp16', 'bf16'] as const;
export type Dtype = (typeof dtypes)[number];

/** Bytes per element of each dtype. */
export const dtypeBytes: Record<Dtype, number> = { fp16: 2, bf16: 2 };

/**
 * One attention forward problem: O = softmax(Q K^T * scale) V over tensors laid out
 * [B, H, S, D], contiguous. `kernel` names the kernel family (today `flash_fwd`).
 */
export interface Benchmark {
  kernel: string;
  dtype: Dtype;
  /** Batch size. */
  B: number;
  /** Heads. */
  H: number;
  /** Sequence length (queries and keys alike). */
  S: number;
  /** Head dimension. */
  D: number;
  /** Mask keys after the query's own position. */
  causal: boolean;
}

const idPattern = /^([A-Za-z0-9_.-]+)\/(fp16|bf16)\/B(\d+)_H(\d+)_S(\d+)_D(\d+)(_causal)?$/;

/** The stable id of a benchmark, e.g. `flash_fwd/fp16/B32_H8_S512_D64` (`_causal` when causal). */
export function benchmarkId(benchmark: Benchmark): string {
  const { kernel, dtype, B, H, S, D, causal } = benchmark;
  return `${kernel}/${dtype}/B${B}_H${H}_S${S}_D${D}${causal ? '_causal' : ''}`;
}

/** The inverse of benchmarkId; undefined when `id` is not of that form. */
export function parseBenchmarkId(id: string): Benchmark | undefined {
  const match = idPattern.exec(id);
  if (!match) return undefined;
  const [, kernel, dtype, B, H, S, D, causal] = match;
  return {
    kernel: kernel!,
    dtype: dtype as Dtype,
    B: Number(B),
    H: Number(H),
    S: Number(S),
    D: Number(D),
    causal: causal !== undefined,
  };
}

/**
 * Floating-point operations of one forward pass: two matrix products of 2*S*S*D each per
 * (batch, head); causal masking skips about half of them. The convention FlashAttention's
 * papers use, so TFLOP/s figures compare with theirs.
 */
export function attentionFlops(benchmark: Benchmark): number {
  const { B, H, S, D, causal } = benchmark;
  const full = 4 * B * H * S * S * D;
  return causal ? full / 2 : full;
}

/** The fewest bytes a forward pass must move: Q, K and V read once, O written once. */
export function attentionBytes(benchmark: Benchmark): number {
  const { B, H, S, D, dtype } = benchmark;
  return 4 * B * H * S * D * dtypeBytes[dtype];
}
