import type { Backend } from './device.js';

/**
 * One parameter a problem declares. `int`: an integer within [min, max], or one of `values` when
 * given. `enum`: one of `values` (strings, e.g. dtypes). `bool`: a flag.
 */
export type ParamSpec =
  | { name: string; type: 'int'; min: number; max: number; values?: number[]; description?: string }
  | { name: string; type: 'enum'; values: string[]; description?: string }
  | { name: string; type: 'bool'; description?: string };

/** Where a problem comes from (docs/problem-contract.md). */
export type ProblemSource =
  | { kind: 'builtin' }
  | { kind: 'plugin'; path: string; abiVersion: number }
  | { kind: 'process'; command: string[] };

/**
 * What is timed, as a problem source declares it: the kernel name benchmarks use, its parameters
 * (in id order), its variants and where it runs. How it is timed is the harness's business.
 */
export interface ProblemSpec {
  /** The `kernel` of a benchmark, e.g. `flash_fwd`. */
  name: string;
  /** One line: what it computes. */
  summary: string;
  params: ParamSpec[];
  /** Every variant it offers; which of them run a given shape is asked per benchmark. */
  variants: string[];
  /** Where it runs. */
  backends: Backend[];
  source: ProblemSource;
}

/** The work of one call of a problem: what turns a time into TFLOP/s, GB/s and % of the roof. */
export interface Work {
  flops: number;
  bytes: number;
}
