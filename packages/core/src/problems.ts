import { RatchetError, benchmarkFaults, checkBenchmarkAgainst, closestName, type Backend, type Benchmark, type ProblemSpec } from '@ratchet/types';

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
  const [first] = suiteFaults(benchmarks, catalog, backend, where);
  if (first) throw first;
  return benchmarks.map((benchmark, index) => checkBenchmarkAgainst(catalog.get(benchmark.kernel)!, benchmark, { file: where.file, field: `${where.field}[${index}]` }));
}

/**
 * Everything wrong with a suite against the problems declared, benchmark by benchmark, in order:
 * an unknown kernel (with the name most likely meant), a backend the problem does not run on, and
 * every parameter fault of benchmarkFaults. checkSuite throws the first; `ratchet check` says all.
 */
export function suiteFaults(benchmarks: readonly Benchmark[], catalog: ProblemCatalog, backend: Backend, where: { file: string; field: string }): RatchetError[] {
  return benchmarks.flatMap((benchmark, index) => {
    const field = `${where.field}[${index}]`;
    const problem = catalog.get(benchmark.kernel);
    if (!problem) {
      const names = [...catalog.keys()];
      const meant = closestName(benchmark.kernel, names);
      return [new RatchetError(
        'ERR_RATCHET_UNKNOWN_PROBLEM',
        `${where.file}: ${field}.kernel: no problem named '${benchmark.kernel}'${meant ? ` (did you mean '${meant}'?)` : ''} (known: ${names.join(', ') || 'none'}; a plugin or process that declares it goes under "plugins" or "processes")`,
        { file: where.file, field: `${field}.kernel` },
      )];
    }
    if (!problem.backends.includes(backend)) {
      return [new RatchetError('ERR_RATCHET_INVALID_BENCHMARK', `${where.file}: ${field}: ${problem.name} runs on ${problem.backends.join(', ')}, not on the ${backend} backend`, { file: where.file, field })];
    }
    return benchmarkFaults(problem, benchmark, { file: where.file, field });
  });
}
