import { RatchetError, checkBenchmarkAgainst, type Backend, type Benchmark, type ProblemSpec } from '@ratchet/types';

/** Every problem a run can time, by name, from every source (built-in, plugins, processes). */
export type ProblemCatalog = ReadonlyMap<string, ProblemSpec>;

function describeSource(problem: ProblemSpec): string {
  const { source } = problem;
  if (source.kind === 'builtin') return 'the built-in problems';
  if (source.kind === 'plugin') return `plugin ${source.path}`;
  return `process ${source.command.join(' ')}`;
}

/** One catalog from the problems each source declares; a name declared twice is an error naming both. */
export function problemCatalog(problems: readonly ProblemSpec[]): ProblemCatalog {
  const catalog = new Map<string, ProblemSpec>();
  for (const problem of problems) {
    const first = catalog.get(problem.name);
    if (first) {
      throw new RatchetError('ERR_RATCHET_PLUGIN', `problem '${problem.name}' is declared twice: by ${describeSource(first)} and by ${describeSource(problem)}`);
    }
    catalog.set(problem.name, problem);
  }
  return catalog;
}

/**
 * A suite checked against the problems that run it: each benchmark names a known problem that
 * runs on `backend`, with allowed values for exactly its parameters, returned in the problem's
 * parameter order (the order of its id). Errors name the file and the field.
 */
export function checkSuite(benchmarks: readonly Benchmark[], catalog: ProblemCatalog, backend: Backend, where: { file: string; field: string }): Benchmark[] {
  // An empty suite would "pass" having measured nothing (every baseline entry merely missing).
  if (benchmarks.length === 0) {
    throw new RatchetError(
      'ERR_RATCHET_INVALID_CONFIG',
      `${where.file}: ${where.field}: is empty, so there is nothing to measure (list benchmarks there, or leave the key out for the default suite)`,
      { file: where.file, field: where.field },
    );
  }
  return benchmarks.map((benchmark, index) => {
    const field = { file: where.file, field: `${where.field}[${index}]` };
    const problem = catalog.get(benchmark.kernel);
    if (!problem) {
      const known = [...catalog.keys()].join(', ') || 'none';
      throw new RatchetError(
        'ERR_RATCHET_UNKNOWN_PROBLEM',
        `${where.file}: ${field.field}.kernel: no problem named '${benchmark.kernel}' (known: ${known}; a plugin or process that declares it goes under "plugins" or "processes")`,
        { file: where.file, field: `${field.field}.kernel` },
      );
    }
    if (!problem.backends.includes(backend)) {
      throw new RatchetError(
        'ERR_RATCHET_INVALID_BENCHMARK',
        `${where.file}: ${field.field}: ${problem.name} runs on ${problem.backends.join(', ')}, not on the ${backend} backend`,
        { file: where.file, field: field.field },
      );
    }
    return checkBenchmarkAgainst(problem, benchmark, field);
  });
}
