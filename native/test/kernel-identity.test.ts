import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cpuObjectIdentity, cubinIdentity } from '../scripts/kernel-identity.mjs';

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
