// The fault cases of issue 25, other harnesses' output (item `25` in docs/faults.md): what
// `--from` and `run --command` refuse, each a real fixture (packages/core/test/fixtures/harnesses)
// with one thing broken, in a scratch project. Collected by scripts/fault-cases.mjs.
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './fault-runner.mjs';

const item = '25';
const group = 'harness output (--from)';
const fixtures = join(repoRoot, 'packages/core/test/fixtures/harnesses');
const fixture = (...parts) => readFileSync(join(fixtures, ...parts), 'utf8');
const refused = (message) => ({ exit: 2, disk: 'nothing', message });

/** A case that gives `compare --from <format>` a fixture with `change` applied (JSON) or its text replaced. */
const broken = (id, title, format, source, change, args, message) => ({
  id, group, item, title, from: 'seeded', args: ['compare', '--from', format, 'out.json', ...args],
  setup: (p) => {
    if (typeof change === 'function') {
      const doc = JSON.parse(fixture(...source));
      change(doc);
      p.write('out.json', doc);
    } else p.write('out.json', change ?? fixture(...source));
  },
  expect: refused(message),
});

export const harnessCases = [
  broken('from-truncated', 'a Google Benchmark file cut short (truncated)', 'google-benchmark', ['google-benchmark', 'base.json'], fixture('google-benchmark', 'base.json').slice(0, 4000), [], /out\.json: not valid JSON \(/),
  broken('from-unitless', 'a Google Benchmark run without `time_unit`', 'google-benchmark', ['google-benchmark', 'base.json'], (doc) => delete doc.benchmarks[40].time_unit, [], /benchmark "BM_Sum\/65536": no time_unit: expected ns, us, ms or s/),
  broken('from-duplicate', 'a pytest-benchmark file naming one test twice', 'pytest-benchmark', ['pytest-benchmark', 'saved-base.json'], (doc) => doc.benchmarks.push(doc.benchmarks[0]), [], /appears more than once/),
  broken('from-wrong-format', 'a Google Benchmark file given as `--from nvbench`', 'nvbench', ['google-benchmark', 'base.json'], null, [], /not nvbench output: it looks like google-benchmark output: use --from google-benchmark/),
  broken('from-two-devices', 'an nvbench file of two GPUs, with no `--device`', 'nvbench', ['nvbench', 'axes-ref.json'], null, [], /holds results of 2 devices \(0: Quadro GV100, 1: Quadro GP100\): choose one with --device/),
  broken('from-malformed', 'an nvbench state whose summaries are an object', 'nvbench', ['nvbench', 'synthetic', 'base-summary.json'], (doc) => (doc.benchmarks[0].states[0].summaries = {}), [], /not well-formed nvbench output/),
  broken('from-samples-schema', 'a samples file without its `unit`', 'ratchet-samples', ['ratchet-samples', 'base.json'], (doc) => delete doc.unit, [], /out\.json: unit: expected one of "ns", "us", "ms", "s" but received undefined/),
  { id: 'from-triton-no-unit', group, item, title: 'a Triton perf_report CSV with no `--unit`', from: 'seeded', args: ['compare', '--from', 'triton', 'softmax.csv', '--device', 'H100'],
    setup: (p) => p.write('softmax.csv', fixture('triton', 'synthetic', 'base', 'softmax-performance.csv')), expect: refused(/a perf_report CSV holds no unit/) },
  { id: 'from-jsonbin-truncated', group, item, title: 'an nvbench `--jsonbin` sidecar cut short', from: 'seeded', args: ['compare', '--from', 'nvbench', 'base.json'],
    setup: (p) => {
      cpSync(join(fixtures, 'nvbench', 'synthetic', 'base.json-bin'), p.path('base.json-bin'), { recursive: true });
      p.write('base.json', fixture('nvbench', 'synthetic', 'base.json'));
      p.write('base.json-bin/0.bin', '');
    },
    expect: refused(/sample times base\.json-bin\/0\.bin: expected 2000 little-endian float32 values \(8000 bytes\) but it holds 0 bytes: truncated\?/) },
  { id: 'command-fails', group, item, title: '`run --command` whose harness exits 7', from: 'seeded', args: ['run', '--command', 'echo "no GPU here" >&2; exit 7', '--from', 'nvbench'],
    expect: { exit: 3, disk: 'nothing', message: /--command \(head, run 1\) exited 7: no GPU here/ } },
];
