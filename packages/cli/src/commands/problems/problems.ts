import { RatchetError, type ParamSpec, type ProblemSpec } from '@ratchet/types';
import { selectBackend, type BackendChoice } from '../../measuring/backend.js';
import type { CommandContext } from '../../context.js';
import { exitCodes } from '../../exit-codes.js';
import { openSources } from '../../measuring/sources.js';

function describeParam(param: ParamSpec): string {
  if (param.type === 'bool') return `${param.name} (flag)`;
  if (param.type === 'enum') return `${param.name} ${param.values.join('|')}`;
  return `${param.name} ${param.values ? param.values.join('|') : `${param.min}..${param.max}`}`;
}

function describeSource(problem: ProblemSpec): string {
  const { source } = problem;
  if (source.kind === 'builtin') return 'built-in';
  if (source.kind === 'plugin') return `plugin ${source.path} (ABI ${source.abiVersion})`;
  return `process ${source.command.join(' ')}`;
}

/**
 * `ratchet problems`: every problem this configuration can time, with its parameters, variants and
 * source. A process that cannot run its problems here has them listed and marked unavailable with
 * its reason; one that cannot start is named after the list (exit 3): neither hides the rest.
 */
export async function problemsCommand(options: { backend: BackendChoice }, context: CommandContext): Promise<number> {
  const selected = selectBackend(options.backend);
  const sources = await openSources(context, { ...selected, configRoot: context.loaded.root }, 'list');
  try {
    const problems = [...sources.catalog.values()].map((problem) => {
      const unavailable = sources.unavailable.get(problem.name);
      return unavailable === undefined ? problem : { ...problem, unavailable };
    });
    const { output } = context;
    if (output.json) output.out(JSON.stringify(problems, null, 2));
    else {
      for (const problem of problems) {
        output.out(`${output.color.bold(problem.name)}  ${problem.summary}`);
        output.out(`  from: ${describeSource(problem)}; runs on: ${problem.backends.join(', ')}`);
        if ('unavailable' in problem) output.out(output.color.yellow(`  unavailable here: ${problem.unavailable}`));
        output.out(`  parameters: ${problem.params.map(describeParam).join(', ') || 'none'}`);
        output.out(`  variants: ${problem.variants.join(', ')}`);
      }
    }
    // After the list: what could not be asked is the environment's fault, named by its error.
    const [first, ...others] = sources.broken;
    if (first) throw others.length === 0 ? first.error : new RatchetError('ERR_RATCHET_PROCESS', sources.broken.map((source) => source.error.message).join('; '));
    return exitCodes.ok;
  } finally {
    await sources.close();
  }
}
