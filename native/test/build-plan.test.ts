import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cudaPlan, fullArchitectures } from '../scripts/build-plan.mjs';

const buildScript = join(dirname(fileURLToPath(import.meta.url)), '../scripts/build.mjs');
const hopperNvcc = [75, 80, 86, 89, 90, 100, 120];

describe('cudaPlan: what the native build compiles', () => {
  it('compiles no CUDA code where no GPU is present, unless asked', () => {
    const plan = cudaPlan({ env: {}, nvcc: '/usr/bin/nvcc', gpuCaps: [], supported: hopperNvcc });
    expect(plan).toMatchObject({ cuda: false, architectures: null });
    expect(plan.reason).toMatch(/^no GPU found by nvidia-smi; RATCHET_CUDA_ARCHITECTURES=90-real or =full compiles the CUDA backend anyway$/);
  });
  it('compiles machine code for each GPU present, Hopper included for a 9.0 device', () => {
    expect(cudaPlan({ env: {}, nvcc: 'nvcc', gpuCaps: ['9.0'], supported: hopperNvcc }).architectures).toBe('90-real');
    expect(cudaPlan({ env: {}, nvcc: 'nvcc', gpuCaps: ['8.6', '9.0', '8.6'], supported: hopperNvcc }).architectures).toBe('86-real;90-real');
  });
  it('falls back to PTX of the newest architecture nvcc knows for a GPU newer than nvcc', () => {
    expect(cudaPlan({ env: {}, nvcc: 'nvcc', gpuCaps: ['13.0'], supported: hopperNvcc }).architectures).toBe('120-virtual');
  });
  it('builds the full release list on RATCHET_CUDA_ARCHITECTURES=full, with Hopper in it', () => {
    const plan = cudaPlan({ env: { RATCHET_CUDA_ARCHITECTURES: 'full' }, nvcc: 'nvcc', gpuCaps: [], supported: hopperNvcc });
    expect(plan).toMatchObject({ cuda: true, architectures: fullArchitectures });
    expect(fullArchitectures.split(';')).toEqual(['80-real', '86-real', '89-real', '90-real', '90-virtual']);
  });
  it('takes an explicit RATCHET_CUDA_ARCHITECTURES as it is, GPU or not', () => {
    expect(cudaPlan({ env: { RATCHET_CUDA_ARCHITECTURES: '90-real' }, nvcc: 'nvcc', gpuCaps: ['8.0'], supported: hopperNvcc }).architectures).toBe('90-real');
  });
  it('builds the CPU backend only on RATCHET_CUDA=0 or without nvcc', () => {
    expect(cudaPlan({ env: { RATCHET_CUDA: '0', RATCHET_CUDA_ARCHITECTURES: 'full' }, nvcc: 'nvcc', gpuCaps: ['9.0'] })).toMatchObject({ cuda: false, reason: 'RATCHET_CUDA=0' });
    expect(cudaPlan({ env: {}, nvcc: null, gpuCaps: ['9.0'] }).cuda).toBe(false);
  });
});

/** A directory of stand-in `nvcc` and `nvidia-smi` programs that answer as the real ones do. */
function fakeToolchain(computeCaps: string[]): string {
  const bin = mkdtempSync(join(tmpdir(), 'ratchet-fake-cuda-'));
  const script = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  script('nvcc', `case "$1" in
  --version) echo "Cuda compilation tools, release 12.8, V12.8.93" ;;
  --list-gpu-code) printf 'sm_80\\nsm_89\\nsm_90\\nsm_100\\n' ;;
  *) exit 1 ;;
esac`);
  script('nvidia-smi', computeCaps.length ? `printf '${computeCaps.join('\\n')}\\n'` : 'echo "NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver" >&2; exit 9');
  return bin;
}

function plan(bin: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [buildScript, '--plan'], {
    encoding: 'utf8',
    env: { PATH: `${bin}:/usr/bin:/bin`, CUDACXX: join(bin, 'nvcc'), ...env },
    timeout: 120_000,
  });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { cuda: boolean; architectures: string | null; nvcc: string | null; nvccRelease: string | null };
}

describe('build.mjs --plan on a machine (stand-in nvcc and nvidia-smi)', () => {
  it('asks nvidia-smi for the GPUs present and records the nvcc release', () => {
    const bin = fakeToolchain(['9.0']);
    expect(plan(bin)).toMatchObject({ cuda: true, architectures: '90-real', nvcc: join(bin, 'nvcc'), nvccRelease: '12.8' });
  });
  it('compiles no CUDA where nvidia-smi finds no GPU, and everything on =full', () => {
    const bin = fakeToolchain([]);
    expect(plan(bin)).toMatchObject({ cuda: false, architectures: null });
    expect(plan(bin, { RATCHET_CUDA_ARCHITECTURES: 'full' })).toMatchObject({ cuda: true, architectures: fullArchitectures });
  });
});

describe('build.mjs preflight', () => {
  it('names the missing system tools in one line before touching the build', () => {
    const empty = mkdtempSync(join(tmpdir(), 'ratchet-no-tools-'));
    const result = spawnSync(process.execPath, [buildScript], { encoding: 'utf8', env: { PATH: empty, RATCHET_CUDA: '0' }, timeout: 120_000 });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      'native: cmake >= 3.18, a C++17 compiler (g++ or clang++; CXX names another) and make (or ninja) not found on PATH; install them (Debian/Ubuntu: apt-get install -y cmake g++ make) and build again',
    );
  });
});
