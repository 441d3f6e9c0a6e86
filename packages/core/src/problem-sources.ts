// Every source of problems a run draws on, behind one MeasureBackend: the native addon (its
// built-ins and loaded plugins) and each process source. A benchmark opens on the source that
// declares its kernel; the catalog says which that is.
import { RatchetError, isRatchetError, type Backend, type Benchmark, type Device, type ProcessSource, type ProblemSpec } from '@ratchet/types';
import type { Awaitable, BenchmarkSession, MeasureBackend } from './backend.js';
import { processBackend } from './process-backend.js';
import { startProcessSource, type ProcessSourceClient } from './process-source.js';
import { problemCatalog, type ProblemCatalog } from './problems.js';

/** The native addon as a source (the CLI wraps @ratchet/native; core does not import it). */
export interface NativeSource {
  problems: ProblemSpec[];
  open(benchmark: Benchmark, options?: { variant?: string; seed?: number }): Awaitable<BenchmarkSession>;
  variants(benchmark: Benchmark): string[];
}

export interface ProblemSources {
  catalog: ProblemCatalog;
  /**
   * Problems that cannot run on this machine, by name, with the reason their process gave
   * (`unavailable: 'list'` only; otherwise such a process is an error).
   */
  unavailable: ReadonlyMap<string, string>;
  /** Processes that could not even say what they declare (`unavailable: 'list'` only), with why. */
  broken: readonly { command: string[]; error: RatchetError }[];
  /** Opens each benchmark on the source that declares its kernel. */
  backend: MeasureBackend;
  /** The variants that run a benchmark, default first. */
  variants(benchmark: Benchmark): Promise<string[]>;
  /** Stops every process source. */
  close(): Promise<void>;
}

/**
 * The sources of one run on `device`: the native ones and every process of the config, started in
 * `root` (the config's directory). Their problems form one catalog; a name declared twice fails.
 * A process that cannot run its problems here stops a run (the environment's fault); with
 * `unavailable: 'list'` (listing, checking: nothing runs) its problems are kept and marked, and a
 * process that cannot start is set aside with its error, so one of them never hides the rest.
 */
export async function openProblemSources(options: {
  device: Device; backend: Backend; native: NativeSource; processes: readonly ProcessSource[]; root: string; unavailable?: 'refuse' | 'list';
  /** Added to each process's environment (the CLI's --device: CUDA_VISIBLE_DEVICES naming the GPU). */
  env?: Readonly<Record<string, string>>;
}): Promise<ProblemSources> {
  const listing = options.unavailable === 'list';
  const clients: ProcessSourceClient[] = [];
  const broken: { command: string[]; error: RatchetError }[] = [];
  try {
    for (const source of options.processes) {
      const client = await startProcessSource(source, options.root, options.env).catch((error: unknown) => {
        if (!listing || !isRatchetError(error) || error.code !== 'ERR_RATCHET_PROCESS') throw error;
        broken.push({ command: [...source.command], error: error as RatchetError });
        return null;
      });
      if (!client) continue;
      clients.push(client);
      // The suite needs its problems: a process that cannot run them here is the environment's fault.
      if (client.unavailable && !listing) throw new RatchetError('ERR_RATCHET_NO_DEVICE', `process \`${client.command.join(' ')}\` cannot run its problems here: ${client.unavailable}`);
    }
  } catch (error) {
    await Promise.all(clients.map((client) => client.close()));
    throw error;
  }
  const unavailable = new Map(clients.flatMap((client) => (client.unavailable ? client.problems.map((p) => [p.name, client.unavailable!] as const) : [])));
  const processes = clients.map((client) => ({ client, measure: processBackend(client, options.device) }));
  let catalog: ProblemCatalog;
  try {
    catalog = problemCatalog([...options.native.problems, ...clients.flatMap((client) => client.problems)]);
  } catch (error) {
    // A name two sources declare: the processes already started are stopped, or they kept `ratchet` from exiting.
    await Promise.all(clients.map((client) => client.close()));
    throw error;
  }
  const owner = (benchmark: Benchmark) => processes.find(({ client }) => client.problems.some((p) => p.name === benchmark.kernel));
  return {
    catalog,
    unavailable,
    broken,
    backend: {
      device: options.device,
      open: (benchmark, openOptions) => {
        const process = owner(benchmark);
        return process ? process.measure.open(benchmark, openOptions) : options.native.open(benchmark, openOptions);
      },
    },
    variants: async (benchmark) => {
      const process = owner(benchmark);
      return process ? process.measure.variants(benchmark) : options.native.variants(benchmark);
    },
    close: async () => {
      await Promise.all(clients.map((client) => client.close()));
    },
  };
}
