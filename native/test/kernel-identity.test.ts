import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildIdentity, cpuObjectIdentity, cubinIdentity, hostObjectIdentity } from '../scripts/kernel-identity.mjs';

function has(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const cpuSource = (body: string) => `// ${body.length}\nnamespace ratchet {\nfloat scaleAll(float* x, int n) { float s = 0; for (int i = 0; i < n; ++i) s += x[i] ${body}; return s; }\nint other(int a) { return a * 3; }\n}\n`;

/** Compiles `source` in a fresh directory (so paths differ between builds) and returns the identity. */
function cpuIdentity(source: string): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'ratchet-identity-'));
  writeFileSync(join(dir, 'k.cc'), source);
  execFileSync('g++', ['-O2', '-ffunction-sections', '-c', join(dir, 'k.cc'), '-o', join(dir, 'k.o')]);
  return cpuObjectIdentity(readFileSync(join(dir, 'k.o'))) as Record<string, string>;
}

describe('kernel identity: a hash of the compiled code, not of the source', () => {
  it('hashes each CPU function alone: a comment or another function changing leaves it equal', () => {
    const first = cpuIdentity(cpuSource('* 2.0f'));
    const commented = cpuIdentity(`// a new comment\n${cpuSource('* 2.0f')}`);
    const changed = cpuIdentity(cpuSource('* 3.0f'));
    expect(Object.keys(first).sort()).toEqual(['other', 'scaleAll']);
    expect(commented.scaleAll).toBe(first.scaleAll);
    expect(changed.scaleAll).not.toBe(first.scaleAll);
    expect(changed.other).toBe(first.other);
  });

  it.skipIf(!has('nvcc'))('hashes each kernel of a cubin by its SASS, keyed by architecture and mangled name', () => {
    const build = (body: string, comment: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'ratchet-cubin-'));
      writeFileSync(join(dir, 'k.cu'), `${comment}\ntemplate <int N> __global__ void scale(float* x) { x[threadIdx.x] ${body} N; }\ntemplate __global__ void scale<3>(float*);\n`);
      execFileSync('nvcc', ['-c', join(dir, 'k.cu'), '-o', join(dir, 'k.o'), '--keep', `--keep-dir=${dir}`, '-lineinfo', '-gencode', 'arch=compute_90,code=sm_90'], { stdio: 'ignore' });
      const cubin = readdirSync(dir).find((f) => f.endsWith('.cubin'))!;
      return cubinIdentity(readFileSync(join(dir, cubin))) as { arch: string; kernels: Record<string, string> };
    };
    const first = build('*=', '// one');
    const commented = build('*=', '// two\n// lines moved');
    const changed = build('+=', '// one');
    expect(first.arch).toBe('sm_90');
    expect(Object.keys(first.kernels)).toEqual(['_Z5scaleILi3EEvPf']);
    expect(commented.kernels).toEqual(first.kernels);
    expect(changed.kernels._Z5scaleILi3EEvPf).not.toBe(first.kernels._Z5scaleILi3EEvPf);
  }, 60_000);

  // A kernel and the host code that launches it, as the kernels library's translation units are:
  // the launcher passes `factor` (host code alone: the same machine code runs other work).
  const launched = (factor: string, comment: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'ratchet-launch-'));
    const device = join(dir, 'device-code');
    mkdirSync(device);
    writeFileSync(join(dir, 'k.cu'), `${comment}\n__global__ void scale(float* x, float f) { x[threadIdx.x] *= f; }\nvoid launch(float* x) { scale<<<1, 32>>>(x, ${factor}); }\n`);
    execFileSync('nvcc', ['-c', join(dir, 'k.cu'), '-o', join(dir, 'k.cu.o'), '--keep', `--keep-dir=${device}`, '-lineinfo', '-gencode', 'arch=compute_90,code=sm_90'], { stdio: 'ignore' });
    for (const file of readdirSync(device).filter((f) => !f.endsWith('.cubin'))) rmSync(join(device, file));
    return { host: hostObjectIdentity(readFileSync(join(dir, 'k.cu.o'))), identity: buildIdentity({ deviceCodeDir: device, hostObjects: [join(dir, 'k.cu.o')] }).kernels.sm_90 as Record<string, string> };
  };

  it.skipIf(!has('nvcc'))("covers the host code that launches a CUDA kernel: a launch parameter changed with the same machine code is not A/A", () => {
    const first = launched('2.0f', '// one');
    const moved = launched('2.0f', '// two\n// lines moved, another directory');
    const changed = launched('3.0f', '// one');
    expect(Object.keys(first.identity)).toEqual(['_Z5scalePff']);
    expect(moved.host).toBe(first.host);
    expect(moved.identity).toEqual(first.identity);
    expect(changed.host).not.toBe(first.host);
    expect(changed.identity._Z5scalePff).not.toBe(first.identity._Z5scalePff);
  }, 120_000);

  it('refuses cubins without the host objects that launch them, rather than hash half the code', () => {
    const device = mkdtempSync(join(tmpdir(), 'ratchet-cubins-'));
    writeFileSync(join(device, 'k.cubin'), '');
    expect(() => buildIdentity({ deviceCodeDir: device })).toThrow(/holds cubins but no host objects/);
  });

  it.skipIf(!has('nvcc'))('keys sm_90a cubins (the Hopper kernels) as sm_90, the architecture a session on an H100 or H200 reports', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ratchet-cubin-90a-'));
    // setmaxnreg exists on sm_90a alone: this cubin cannot be a plain sm_90 one.
    writeFileSync(join(dir, 'k.cu'), '__global__ void __launch_bounds__(128, 1) grow(float* x) { asm volatile("setmaxnreg.inc.sync.aligned.u32 240;"); x[threadIdx.x] += 1; }\n');
    execFileSync('nvcc', ['-c', join(dir, 'k.cu'), '-o', join(dir, 'k.o'), '--keep', `--keep-dir=${dir}`, '-gencode', 'arch=compute_90a,code=sm_90a'], { stdio: 'ignore' });
    const cubin = readdirSync(dir).find((f) => f.endsWith('.cubin'))!;
    const identity = cubinIdentity(readFileSync(join(dir, cubin))) as { arch: string; kernels: Record<string, string> };
    expect(identity.arch).toBe('sm_90');
    expect(identity.kernels._Z4growPf).toMatch(/^[0-9a-f]{64}$/);
  }, 60_000);
});
