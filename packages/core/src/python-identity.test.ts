import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Device } from '@ratchet/types';
import { processBackend } from './process-backend.js';
import { startProcessSource } from './process-source.js';

const cpu: Device = {
  backend: 'cpu', name: 'test cpu', deviceKey: 'cpu/test', computeCapability: null, multiprocessorCount: 1, l2CacheBytes: null,
  memoryBytes: null, driverVersion: null, runtimeVersion: null, smClockMHz: null, memoryClockMHz: null, peakBandwidthGBps: null, peakTflops: null,
};

/** The files of a small Python project: a script, a module beside it, one on PYTHONPATH elsewhere, one "installed". */
interface Project {
  /** The body of the script's module-level function. */
  scale?: string;
  /** The body of the module beside the script. */
  helper?: string;
  /** A module found through PYTHONPATH, outside the script's directory. */
  shared?: string;
  /** A module in a site-packages directory: installed code, counted by its version only. */
  installed?: string;
  /** Methods added to the problem class. */
  methods?: string;
}

function script(project: Project): string {
  return `import ratchet_problem as rp
import helper
import shared
import installed_pkg


def scale(values):
    ${project.scale ?? 'return [v * 2.0 for v in values]'}


@rp.problem(name="scaled", summary="scales a list", params=[rp.integer("n", 1, 1000)], variants=["a", "b"], backend="cpu")
class Scaled:
    def __init__(self, params, variant, seed):
        self.x = [float(seed)] * params["n"]

    def work(self):
        return {"flops": len(self.x), "bytes": 16 * len(self.x)}

    def launch(self):
        scale(helper.shift(self.x))

    def check(self, seed):
        return rp.result(True, 0, 0, 0, "none")
${project.methods ?? ''}

if __name__ == "__main__":
    rp.serve()
`;
}

/** Writes the project into a fresh directory: the script and helper in `app/`, the others beside it. */
function writeProject(project: Project): { dir: string; pythonPath: string } {
  const root = mkdtempSync(join(tmpdir(), 'ratchet-identity-'));
  const app = join(root, 'app');
  const lib = join(root, 'lib');
  const site = join(root, 'venv', 'lib', 'site-packages', 'installed_pkg');
  for (const dir of [app, lib, site]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(app, 'kernel.py'), script(project));
  writeFileSync(join(app, 'helper.py'), `def shift(values):\n    ${project.helper ?? 'return [v + 1.0 for v in values]'}\n`);
  writeFileSync(join(lib, 'shared.py'), project.shared ?? 'FACTOR = 2\n');
  writeFileSync(join(site, '__init__.py'), project.installed ?? '__version__ = "1.0"\n');
  return { dir: app, pythonPath: `${lib}:${join(root, 'venv', 'lib', 'site-packages')}` };
}

/** The identity a session of `variant` reports, and whether it covers all the code, from a fresh process of the project. */
async function sessionOf(project: Project, variant = 'a'): Promise<{ kernelIdentity: string | null; identityCoversCode: boolean }> {
  const { dir, pythonPath } = writeProject(project);
  // The process source puts the caller's PYTHONPATH after Ratchet's helper directory.
  const saved = process.env.PYTHONPATH;
  process.env.PYTHONPATH = pythonPath;
  try {
    const client = await startProcessSource({ command: ['python3', 'kernel.py'] }, dir);
    try {
      const session = await processBackend(client, cpu).open({ kernel: 'scaled', n: 8 }, { variant, seed: 1 });
      await session.close();
      return { kernelIdentity: session.kernelIdentity ?? null, identityCoversCode: session.identityCoversCode ?? false };
    } finally {
      await client.close();
    }
  } finally {
    if (saved === undefined) delete process.env.PYTHONPATH;
    else process.env.PYTHONPATH = saved;
  }
}

async function identityOf(project: Project, variant = 'a'): Promise<string | null> {
  return (await sessionOf(project, variant)).kernelIdentity;
}

// Each case starts Python interpreters (seconds on a loaded machine).
const spawning = { timeout: 120_000 };

describe('the default identity of a Python problem: what decides the code that runs', spawning, () => {
  it('is the same for the same files in another directory (a base checkout elsewhere), and differs by variant', async () => {
    const first = await identityOf({});
    expect(first).toMatch(/^py:[0-9a-f]{64}$/);
    expect(await identityOf({})).toBe(first);
    expect(await identityOf({}, 'b')).not.toBe(first);
  });

  it('changes with a module-level function of the script, outside the problem class', async () => {
    expect(await identityOf({ scale: 'return [v * 2.0 for v in values for _ in range(4)][: len(values)]' })).not.toBe(await identityOf({}));
  });

  it('changes with a module the script imports from beside it, and with one found on PYTHONPATH', async () => {
    const plain = await identityOf({});
    expect(await identityOf({ helper: 'return [v + 1.0 for v in values for _ in range(4)][: len(values)]' })).not.toBe(plain);
    expect(await identityOf({ shared: 'FACTOR = 3\n' })).not.toBe(plain);
  });

  it('counts an installed package by its version, not its files', async () => {
    const plain = await identityOf({});
    expect(await identityOf({ installed: '__version__ = "1.0"\n# an edit that is no new version\n' })).toBe(plain);
    expect(await identityOf({ installed: '__version__ = "1.1"\n' })).not.toBe(plain);
  });

  it('takes in what compiled_code() returns (a Triton cubin, say), and refuses an answer it cannot hash', async () => {
    const compiled = (code: string) => ({ methods: `\n    def compiled_code(self):\n        return ${code}\n` });
    const cubin = await identityOf(compiled('[b"\\x7fELF one", "launch 4 warps"]'));
    expect(cubin).not.toBe(await identityOf({}));
    expect(await identityOf(compiled('[b"\\x7fELF one", "launch 4 warps"]'))).toBe(cubin);
    expect(await identityOf(compiled('[b"\\x7fELF two", "launch 4 warps"]'))).not.toBe(cubin);
    await expect(identityOf(compiled('object()'))).rejects.toMatchObject({
      code: 'ERR_RATCHET_KERNEL_FAILED', message: expect.stringMatching(/compiled_code\(\) must return bytes or str, or a list, tuple or dict of them; it returned object/),
    });
  });

  it('is what identity() returns when the problem defines it, whatever else changed', async () => {
    const own = { methods: '\n    def identity(self):\n        return "mine"\n' };
    const mine = await identityOf(own);
    expect(await identityOf({ ...own, scale: 'return list(values)' })).toBe(mine);
    expect(mine).not.toBe(await identityOf({}));
  });

  it('covers all the code timed by default; a problem\'s own identity() only where the class says so (run --base skips only then)', async () => {
    expect(await sessionOf({})).toMatchObject({ identityCoversCode: true });
    const own = '\n    def identity(self):\n        return "mine"\n';
    expect(await sessionOf({ methods: own })).toMatchObject({ kernelIdentity: expect.stringMatching(/^py:/), identityCoversCode: false });
    expect(await sessionOf({ methods: `${own}\n    identity_covers_code = True\n` })).toMatchObject({ identityCoversCode: true });
  });
});
