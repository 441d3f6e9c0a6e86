// The Python package as a kernel author gets it: the ratchet-problem wheel built from
// packages/core/python with Debian's tooling (python3-build, python3-hatchling; no package index
// needed), installed into a fresh virtual environment of Debian's Python, then used there: its
// unittest suite, the copy Ratchet's children import (the installed one, over the copy Ratchet
// ships), the CPU from_callable example measured through the process source, its type hints read
// from the installed wheel by mypy (PEP 561), and a wheel of another protocol version refused.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '@ratchet/types';
import { measureBenchmark } from '../src/measure.js';
import { processBackend } from '../src/process-backend.js';
import { processProtocolVersion, pythonHelperDir, startProcessSource } from '../src/process-source.js';

const here = dirname(fileURLToPath(import.meta.url));
const pythonTests = join(here, 'python');
const callableExample = resolve(here, '../../../examples/python-callable');
/** Debian's interpreter, whatever else is first on PATH (a pyenv shim, say). */
const debianPython = '/usr/bin/python3';
const packageDir = join(pythonHelperDir, 'ratchet_problem');
const version = /__version__ = "([^"]+)"/.exec(readFileSync(join(packageDir, '_version.py'), 'utf8'))![1]!;
const minutes = 60_000;

function run(command: string, args: string[], env: Record<string, string> = {}, cwd = here) {
  // PYTHONPATH only where a case sets it: the caller's own must not decide which copy is imported.
  const { PYTHONPATH: _, ...inherited } = process.env;
  const child = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...inherited, PYTHONDONTWRITEBYTECODE: '1', ...env }, timeout: 10 * minutes });
  return { status: child.status, stdout: child.stdout ?? '', stderr: child.stderr ?? '', output: `${child.stdout ?? ''}${child.stderr ?? ''}` };
}

const importable = (module: string) => run(debianPython, ['-c', `import ${module}`]).status === 0;
const missingTools = (['build', 'hatchling', 'ensurepip'] as const).filter((module) => !importable(module));
const missing = missingTools.length === 0 ? null : `Debian's Python lacks ${missingTools.join(', ')} (apt-get install python3-build python3-hatchling python3-venv)`;
const hasMypy = missing === null && importable('mypy');

const cpu: Device = {
  backend: 'cpu', name: 'test cpu', deviceKey: 'cpu/test', computeCapability: null, multiprocessorCount: 1, l2CacheBytes: null,
  memoryBytes: null, driverVersion: null, runtimeVersion: null, smClockMHz: null, memoryClockMHz: null, peakBandwidthGBps: null, peakTflops: null,
};
const budget = { warmup: 1, minSamples: 10, maxSamples: 40, minTimeMs: 1, maxTimeMs: 2_000, targetRelCiHalfWidth: 0.5, l2Flush: false, launchesPerSample: 1 };

/** Builds the sdist and, from it, the wheel of the package sources in `source`; returns the wheel's path. */
function buildWheel(source: string, out: string): string {
  const built = run(debianPython, ['-m', 'build', '--no-isolation', '--skip-dependency-check', '--outdir', out, source]);
  // --skip-dependency-check: hatchling's `editables` (for editable installs only) is not packaged by Debian 12.
  if (built.status !== 0) throw new Error(`python3 -m build failed:\n${built.output}`);
  return join(out, readdirSync(out).find((name) => name.endsWith('.whl'))!);
}

describe.skipIf(missing !== null)(`the ratchet-problem wheel in a fresh virtual environment${missing ? ` (skipped: ${missing})` : ''}`, { timeout: 10 * minutes }, () => {
  const work = mkdtempSync(join(tmpdir(), 'ratchet-wheel-'));
  const venvPython = join(work, 'venv/bin/python');
  let wheel = '';
  let installedAt = '';

  beforeAll(() => {
    wheel = buildWheel(pythonHelperDir, join(work, 'dist'));
    for (const [command, args] of [[debianPython, ['-m', 'venv', join(work, 'venv')]], [venvPython, ['-m', 'pip', 'install', '--no-index', '--no-deps', '-q', wheel]]] as const) {
      const step = run(command, [...args]);
      if (step.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${step.output}`);
    }
    installedAt = run(venvPython, ['-c', 'import ratchet_problem, os; print(os.path.dirname(ratchet_problem.__file__))']).stdout.trim();
  }, 10 * minutes);

  it('is a pure-Python, typed wheel of the package sources and nothing else, its version the one _version.py gives', () => {
    expect(wheel.endsWith(`ratchet_problem-${version}-py3-none-any.whl`)).toBe(true);
    const listing = run(debianPython, ['-m', 'zipfile', '-l', wheel]).stdout.split('\n').slice(1).map((line) => line.split(/\s+/)[0]!).filter(Boolean);
    const sources = readdirSync(packageDir).filter((name) => name.endsWith('.py') || name === 'py.typed').map((name) => `ratchet_problem/${name}`);
    expect(sources).toContain('ratchet_problem/py.typed');
    const info = `ratchet_problem-${version}.dist-info`;
    expect(listing.sort()).toEqual([...sources, `${info}/METADATA`, `${info}/RECORD`, `${info}/WHEEL`].sort());
    const metadata = run(debianPython, ['-c', `import zipfile; print(zipfile.ZipFile(${JSON.stringify(wheel)}).read("${info}/METADATA").decode())`]).stdout;
    expect(metadata).toMatch(new RegExp(`^Name: ratchet-problem\nVersion: ${version.replaceAll('.', '\\.')}\n`, 'm'));
    expect(metadata).toContain('Classifier: Typing :: Typed');
    expect(metadata).not.toContain('Requires-Dist');
  });

  it("is the copy imported in its environment, even with the copy Ratchet ships on PYTHONPATH; without it, Ratchet's copy is", () => {
    expect(installedAt).toMatch(/\/venv\/lib\/python3\.\d+\/site-packages\/ratchet_problem$/);
    const asRatchetStartsIt = { PYTHONPATH: pythonHelperDir };
    expect(run(venvPython, ['-m', 'ratchet_problem'], asRatchetStartsIt).stdout).toBe(`ratchet-problem ${version} (protocol ${processProtocolVersion}) at ${installedAt}\n`);
    expect(run(debianPython, ['-m', 'ratchet_problem'], asRatchetStartsIt).stdout).toBe(`ratchet-problem ${version} (protocol ${processProtocolVersion}) at ${packageDir}\n`);
  });

  for (const copy of ['installed', 'shipped'] as const) {
    it(`passes its unittest suite on the ${copy} copy`, () => {
      const python = copy === 'installed' ? venvPython : debianPython;
      const tested = run(python, ['-m', 'unittest', 'discover', '-s', pythonTests, '-v'], { PYTHONPATH: pythonHelperDir });
      expect(tested.status, tested.output).toBe(0);
      expect(tested.stderr).toMatch(/^Ran \d+ tests in /m);
      expect(tested.stderr).toContain('test_a_session_from_hello_to_close');
    });
  }

  it('serves the CPU from_callable example to Ratchet, which checks then measures it', async () => {
    const client = await startProcessSource({ command: [venvPython, 'softmax.py'] }, callableExample);
    try {
      expect(client.package).toEqual({ name: 'ratchet-problem', version, path: installedAt });
      expect(client.problems.map((p) => [p.name, p.variants, p.backends])).toEqual([['py_softmax', ['two_pass', 'online'], ['cpu']]]);
      for (const variant of ['two_pass', 'online']) {
        const m = await measureBenchmark(processBackend(client, cpu), { kernel: 'py_softmax', rows: 16, cols: 64 }, { budget, variantFor: () => variant });
        expect(m).toMatchObject({ status: 'ok', variant, flops: 5 * 16 * 64, bytes: 16 * 16 * 64, correctness: { passed: true, reference: 'exact_sum_softmax', tolerance: 1e-12 } });
        expect(m.correctness!.relError).toBeLessThan(1e-12);
        expect(m.samplesMs.length).toBeGreaterThanOrEqual(10);
      }
    } finally {
      await client.close();
    }
  });

  it.skipIf(!hasMypy)(`gives its type hints to a type checker from the installed wheel (PEP 561)${hasMypy ? '' : ' (skipped: no mypy: apt-get install python3-mypy)'}`, () => {
    const mypy = (...args: string[]) => run(debianPython, ['-m', 'mypy', '--strict', '--no-color-output', '--no-error-summary', '--cache-dir', join(work, 'mypy-cache'), '--python-executable', venvPython, ...args], {}, work);
    // The package's own hints are complete.
    const own = mypy('-p', 'ratchet_problem');
    expect(own.status, own.output).toBe(0);
    writeFileSync(join(work, 'typed_use.py'), readFileSync(join(pythonTests, 'typed_use.py'), 'utf8'));
    const typed = mypy('typed_use.py');
    expect(typed.status, typed.output).toBe(0);
    writeFileSync(join(work, 'mistyped_use.py'), 'import ratchet_problem as rp\n\nrp.integer("n", "1", 10)\nrp.serve(software=2)\n');
    const mistyped = mypy('mistyped_use.py');
    expect(mistyped.status).toBe(1);
    expect(mistyped.stdout).toContain('mistyped_use.py:3: error: Argument 2 to "integer" has incompatible type "str"; expected "int"');
    expect(mistyped.stdout).toContain('mistyped_use.py:4: error: Argument "software" to "serve" has incompatible type "int"; expected "Optional[str]"');
  });

  it('of another protocol version, installed with pip, stops Ratchet at hello naming both versions and the pip line', async () => {
    const older = processProtocolVersion - 1;
    const source = join(work, 'older');
    cpSync(pythonHelperDir, source, { recursive: true, filter: (path) => !path.includes('__pycache__') });
    writeFileSync(join(source, 'ratchet_problem/_version.py'), `__version__ = "${older}.9.0"\nPROTOCOL = ${older}\n`);
    const site = join(work, 'older-site');
    const installed = run(venvPython, ['-m', 'pip', 'install', '--no-index', '--no-deps', '-q', '--target', site, buildWheel(source, join(work, 'older-dist'))]);
    expect(installed.status, installed.output).toBe(0);
    const saved = process.env.PYTHONPATH;
    process.env.PYTHONPATH = site;
    try {
      await expect(startProcessSource({ command: [debianPython, 'softmax.py'] }, callableExample)).rejects.toMatchObject({
        code: 'ERR_RATCHET_PROCESS',
        message: `process \`${debianPython} softmax.py\` speaks protocol ${older} through ratchet-problem ${older}.9.0 (${join(site, 'ratchet_problem')}), this Ratchet speaks protocol ${processProtocolVersion}: ` +
          `install the package this Ratchet speaks: ${debianPython} -m pip install -U 'ratchet-problem==${processProtocolVersion}.*' (or ${debianPython} -m pip uninstall ratchet-problem, and the copy Ratchet ships is used)`,
      });
    } finally {
      if (saved === undefined) delete process.env.PYTHONPATH;
      else process.env.PYTHONPATH = saved;
    }
  });
});
