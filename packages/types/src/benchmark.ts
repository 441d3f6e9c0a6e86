/** Element types of the built-in kernels; accumulation is always fp32. */
export const dtypes = ['fp16', 'bf16'] as const;
export type Dtype = (typeof dtypes)[number];

/** Bytes per element of each dtype. */
export const dtypeBytes: Record<Dtype, number> = { fp16: 2, bf16: 2 };

/** The value of one problem parameter: an integer, one of a list of names, or a flag. */
export type ParamValue = number | string | boolean;

/**
 * One benchmark: a problem (`kernel`, the name a problem source declares, e.g. `flash_fwd` or
 * `rmsnorm`) and a value for each of its parameters, written flat:
 * `{ kernel: 'flash_fwd', dtype: 'fp16', B: 32, H: 8, S: 512, D: 64, causal: false }`.
 * Parameters keep the order their problem declares (normalizeBenchmark puts them in it), which
 * is the order the id is built in.
 */
export type Benchmark = { kernel: string } & { [param: string]: ParamValue };

/** A parameter name: letters and digits, starting with a letter, so ids stay parseable. */
export const paramNamePattern = /^[A-Za-z][A-Za-z0-9]*$/;
/** A problem name, and any enum value: what may stand between the slashes of an id. */
export const idSegmentPattern = /^[A-Za-z0-9_.-]+$/;

/** The parameters of a benchmark in their order, without `kernel`. */
export function benchmarkParams(benchmark: Benchmark): [string, ParamValue][] {
  return Object.entries(benchmark).filter(([name]) => name !== 'kernel');
}

/**
 * The stable id of a benchmark: the problem name, then each string parameter's value as a path
 * segment, then one segment of each integer as name+value and each true flag as its name (in parameter order), joined
 * with `_`, all in parameter order (docs/problem-contract.md). Attention's ids keep their form:
 * `flash_fwd/fp16/B32_H8_S512_D64` (`_causal` when causal); `rmsnorm/bf16/rows4096_cols8192`.
 */
export function benchmarkId(benchmark: Benchmark): string {
  const segments = [benchmark.kernel];
  const tail: string[] = [];
  for (const [name, value] of benchmarkParams(benchmark)) {
    if (typeof value === 'string') segments.push(value);
    else if (typeof value === 'number') tail.push(`${name}${value}`);
    else if (value) tail.push(name);
  }
  return tail.length > 0 ? `${segments.join('/')}/${tail.join('_')}` : segments.join('/');
}

/** Whether `id` has the form of a benchmark id (which problem and parameters it names is not checked). */
export function isBenchmarkId(id: string): boolean {
  const segments = id.split('/');
  return segments.length >= 1 && segments.every((segment) => segment.length > 0 && idSegmentPattern.test(segment));
}

/** The attention problem's shape, as the built-in `flash_fwd` problem declares it. */
export interface AttentionShape {
  kernel: string;
  dtype: Dtype;
  B: number;
  H: number;
  S: number;
  D: number;
  causal: boolean;
}

/**
 * Floating-point operations of one attention forward pass: two matrix products of 2*S*S*D each
 * per (batch, head); causal masking skips about half of them. The convention FlashAttention's
 * papers use, so TFLOP/s figures compare with theirs.
 */
export function attentionFlops(shape: AttentionShape): number {
  const { B, H, S, D, causal } = shape;
  const full = 4 * B * H * S * S * D;
  return causal ? full / 2 : full;
}

/** The fewest bytes an attention forward pass must move: Q, K and V read once, O written once. */
export function attentionBytes(shape: AttentionShape): number {
  const { B, H, S, D, dtype } = shape;
  return 4 * B * H * S * D * dtypeBytes[dtype];
}
