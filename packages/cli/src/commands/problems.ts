import type { ParamSpec, ProblemSpec } from '@ratchet/types';
import { selectBackend, type BackendChoice } from '../backend.js';
import type { CommandContext } from '../context.js';
import { exitCodes } from '../exit-codes.js';
import { openSources } from '../sources.js';

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

/** `ratchet problems`: every problem this configuration can time, with its parameters, variants and source. */
export async function problemsCommand(options: { backend: BackendChoice }, context: CommandContext): Promise<number> {
  const selected = selectBackend(options.backend);
  const sources = await openSources(context, { ...selected, configRoot: context.loaded.root });
  try {
    const problems = [...sources.catalog.values()];
    if (context.output.json) {
      context.output.out(JSON.stringify(problems, null, 2));
      return exitCodes.ok;
    }
    for (const problem of problems) {
      context.output.out(`${context.output.color.bold(problem.name)}  ${problem.summary}`);
      context.output.out(`  from: ${describeSource(problem)}; runs on: ${problem.backends.join(', ')}`);
      context.output.out(`  parameters: ${problem.params.map(describeParam).join(', ') || 'none'}`);
      context.output.out(`  variants: ${problem.variants.join(', ')}`);
    }
    return exitCodes.ok;
  } finally {
    await sources.close();
  }
}
