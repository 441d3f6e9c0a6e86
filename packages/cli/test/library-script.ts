import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A user's own script that runs the pipeline with @ratchet/core alone (its public door, and the
 * addon), on the project in `dir`: loads the config and the plugins, opens the sources, checks the
 * CPU suite, runs, and prints the ids judged and whether the gate passed. Written to
 * `dir/pipeline.mjs`; returns its path. The install and the guide's walk both run it, installed
 * from the registry as a user gets it.
 */
export function writeLibraryScript(dir: string): string {
  const script = join(dir, 'pipeline.mjs');
  writeFileSync(script, [
    "import { loadConfig, openProblemSources, checkSuite, runPipeline } from '@ratchet/core';",
    "import { loadNative } from '@ratchet/native';",
    "const { config, root } = await loadConfig({ cwd: process.cwd() });",
    "const native = loadNative();",
    "for (const plugin of config.plugins) native.loadPlugin(plugin);",
    "const device = native.devices('cpu')[0];",
    "const sources = await openProblemSources({ device, backend: 'cpu', processes: config.processes, root,",
    "  native: { problems: native.problems(), open: (b, o) => native.open('cpu', b, o), variants: (b) => native.variants('cpu', b) } });",
    "const benchmarks = checkSuite(config.suites.cpu, sources.catalog, 'cpu', { file: 'ratchet.config.json', field: 'suites.cpu' });",
    "const outcome = await runPipeline({ backend: sources.backend, benchmarks, budget: config.budgets.cpu, thresholds: config.thresholds, baseline: null, git: null, ratchet: false });",
    "await sources.close();",
    "console.log(JSON.stringify({ ids: outcome.comparison.results.map((r) => r.id), passed: outcome.gate.passed }));",
  ].join('\n'));
  return script;
}
