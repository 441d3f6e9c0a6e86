import { selectBenchmarks, suiteFaults, type ProblemCatalog } from '@ratchet/core';
import { loadNative } from '@ratchet/native';
import { RatchetError, backends, isRatchetError, type Backend } from '@ratchet/types';
import { displayPath, type CommandContext } from '../../context.js';
import { exitCodes } from '../../exit-codes.js';
import { openSources } from '../../measuring/sources.js';

/** One suite's outcome: its size and the problems it names, or everything wrong with it. */
interface SuiteCheck {
  backend: Backend;
  benchmarks: number;
  kernels: string[];
  faults: RatchetError[];
}

/**
 * `ratchet check`: every suite of every backend checked against the problems declared (the
 * built-ins, each plugin loaded for its specs, each process asked for its own), without a device:
 * nothing is opened or timed, so a CPU-only CI job catches a misspelled kernel or parameter, or a
 * value out of range, that would otherwise surface only on the GPU host. Every fault is said at
 * once (file: field: ...), then exit 2; a process that cannot start is exit 3 (its suite cannot be
 * checked); success is one line.
 */
export async function checkCommand(context: CommandContext): Promise<number> {
  const native = loadNative();
  const device = native.devices('cpu')[0];
  if (!device) throw new RatchetError('ERR_RATCHET_NO_DEVICE', 'no cpu device: the addon cannot run here');
  // The CPU device only carries the processes' requests; nothing is opened on it.
  const sources = await openSources(context, { backend: 'cpu', device, native, configRoot: context.loaded.root }, 'list');
  try {
    const [broken] = sources.broken;
    if (broken) throw new RatchetError('ERR_RATCHET_PROCESS', `cannot check the suites: ${sources.broken.map((source) => source.error.message).join('; ')}`);
    const file = context.loaded.file === null ? 'the default suites' : displayPath(context.loaded.file, context.cwd);
    const checks = backends.map((backend): SuiteCheck => {
      const suite = context.loaded.config.suites[backend];
      const where = { file, field: `suites.${backend}` };
      const faults = suiteFaults(suite, catalogFor(backend, sources.catalog, native.compiledBackends()), backend, where);
      if (faults.length === 0) faults.push(...duplicates(suite, where));
      return { backend, benchmarks: suite.length, kernels: [...new Set(suite.map((b) => b.kernel))], faults };
    });
    const faults = checks.flatMap((check) => check.faults);
    if (checks.every((check) => check.benchmarks === 0)) {
      faults.push(new RatchetError('ERR_RATCHET_INVALID_CONFIG', `${file}: suites: no suite lists a benchmark, so a run would measure nothing`, { file, field: 'suites' }));
    }
    const { output } = context;
    if (output.json) output.out(JSON.stringify({ file, suites: checks.map(({ faults: found, ...check }) => ({ ...check, faults: found.map(describeFault) })) }, null, 2));
    if (faults.length > 0) {
      if (!output.json) for (const fault of faults) output.err(`ratchet: ${fault.message}`);
      throw new RatchetError('ERR_RATCHET_INVALID_CONFIG', `check: ${faults.length} fault${faults.length === 1 ? '' : 's'} in the suites of ${file}${output.json ? '' : ' (above)'}`, { file });
    }
    if (!output.json) output.out(summary(file, checks, sources.unavailable.size));
    return exitCodes.ok;
  } finally {
    await sources.close();
  }
}

/**
 * The catalog a backend's suite is checked against. The built-in problems declare only the
 * backends compiled into this addon, but their parameters are one spec for both: where CUDA is not
 * compiled in (the CPU-only machine this command is for), they are taken to run on it, so the
 * GPU suite of built-ins is checked by its parameters. Plugins and processes declare their own.
 */
function catalogFor(backend: Backend, catalog: ProblemCatalog, compiled: readonly Backend[]): ProblemCatalog {
  if (compiled.includes(backend)) return catalog;
  return new Map([...catalog].map(([name, spec]) => [name, spec.source.kind === 'builtin' ? { ...spec, backends: [...spec.backends, backend] } : spec]));
}

/** Two benchmarks that are one once in their problem's parameter order (the id the run would refuse twice). */
function duplicates(suite: Parameters<typeof selectBenchmarks>[0], where: { file: string; field: string }): RatchetError[] {
  try {
    selectBenchmarks(suite);
    return [];
  } catch (error) {
    if (!isRatchetError(error)) throw error;
    return [new RatchetError(error.code, `${where.file}: ${where.field}: ${error.message.replace(/^suite: /, '')}`, { file: where.file, field: where.field })];
  }
}

function describeFault(fault: RatchetError): { code: string; message: string; field: string | null } {
  return { code: fault.code, message: fault.message, field: fault.field ?? null };
}

/** `check: ratchet.config.json: 4 benchmarks match their problems (cpu: 2 of prefix_sum; cuda: 2 of axpy_f32)`. */
function summary(file: string, checks: SuiteCheck[], unavailable: number): string {
  const total = checks.reduce((sum, check) => sum + check.benchmarks, 0);
  const suites = checks.filter((check) => check.benchmarks > 0).map((check) => `${check.backend}: ${check.benchmarks} of ${check.kernels.join(', ')}`);
  const note = unavailable > 0 ? `; ${unavailable} problem${unavailable === 1 ? '' : 's'} checked by ${unavailable === 1 ? 'its' : 'their'} declaration alone (cannot run here)` : '';
  return `check: ${file}: ${total} benchmark${total === 1 ? '' : 's'} match${total === 1 ? 'es' : ''} ${total === 1 ? 'its problem' : 'their problems'} (${suites.join('; ') || 'no suite'})${note}`;
}
