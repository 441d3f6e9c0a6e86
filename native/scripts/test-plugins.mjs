#!/usr/bin/env node
// The plugins the native tests load (the two examples and the fixtures of native/test/fixtures),
// and how each is built: g++ or nvcc against native/include alone, as a user would.
//   node native/scripts/test-plugins.mjs [outDir]   # builds every one the compilers here allow
// (default outDir native/build/test-plugins: what scripts/pack-device-bundle.sh carries to a GPU
// host that has no compiler). Tests build them fresh into a temporary directory when the
// compiler is here, and fall back to that prebuilt directory otherwise.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const prebuiltDir = join(repoRoot, 'native', 'build', 'test-plugins');

const include = join(repoRoot, 'native', 'include');
const cpuFlags = ['-O2', '-std=c++17', '-shared', '-fPIC', '-fvisibility=hidden', `-I${include}`];
// As the CUDA example's Makefile: the library's static CUDA runtime stays its own.
const cudaFlags = ['-O3', '-std=c++17', '-shared', '-Xcompiler', '-fPIC,-fvisibility=hidden', '-Xlinker', '-Bsymbolic', '-Xlinker', '--exclude-libs,ALL', `-I${include}`];
const gencode = (arch, code) => ['-gencode', `arch=compute_${arch},code=${code}`];
// Machine code for Ampere and Hopper plus PTX, so the tests run on any GPU from sm_80 on.
const anyGpu = [...gencode(80, 'sm_80'), ...gencode(90, 'sm_90'), ...gencode(90, 'compute_90')];

const badPlugins = ['NO_ENTRY', 'WRONG_ABI', 'WRONG_SIZE', 'DUPLICATE', 'NO_VARIANTS', 'BAD_PARAM', 'BAD_PARAM_NAME', 'NULL_FUNCTION', 'BUILTIN_NAME'];

/** name -> { compiler, source (relative to the repository), flags }. */
export const testPlugins = {
  'cpu-matmul': { compiler: 'g++', source: 'examples/cpu-plugin/matmul.cc', flags: cpuFlags },
  failing: { compiler: 'g++', source: 'native/test/fixtures/bad_plugins.cc', flags: cpuFlags },
  ...Object.fromEntries(
    badPlugins.map((name) => [`bad-${name.toLowerCase().replaceAll('_', '-')}`, { compiler: 'g++', source: 'native/test/fixtures/bad_plugins.cc', flags: [...cpuFlags, `-DFIXTURE_${name}`] }]),
  ),
  'cuda-axpy': { compiler: 'nvcc', source: 'examples/cuda-plugin/axpy.cu', flags: [...cudaFlags, ...anyGpu] },
  // Only one architecture each: whichever the GPU under test cannot run shows the refusal.
  'cuda-axpy-sm80-only': { compiler: 'nvcc', source: 'examples/cuda-plugin/axpy.cu', flags: [...cudaFlags, ...gencode(80, 'sm_80')] },
  'cuda-axpy-sm90-only': { compiler: 'nvcc', source: 'examples/cuda-plugin/axpy.cu', flags: [...cudaFlags, ...gencode(90, 'sm_90')] },
  'cuda-fault': { compiler: 'nvcc', source: 'native/test/fixtures/cuda_fault.cu', flags: [...cudaFlags, ...anyGpu] },
};

const found = new Map();
/** Whether `compiler` runs here. */
export function hasCompiler(compiler) {
  if (!found.has(compiler)) {
    try {
      execFileSync(compiler, ['--version'], { stdio: 'ignore' });
      found.set(compiler, true);
    } catch {
      found.set(compiler, false);
    }
  }
  return found.get(compiler);
}

/** The file name a plugin builds to. */
export const pluginFile = (name) => `libratchet_test_${name.replaceAll('-', '_')}.so`;

/** Builds one plugin into `outDir`; returns its path. Throws with the compiler's output on failure. */
export function buildTestPlugin(name, outDir) {
  const plugin = testPlugins[name];
  if (!plugin) throw new Error(`no test plugin named ${name}`);
  mkdirSync(outDir, { recursive: true });
  const output = join(outDir, pluginFile(name));
  execFileSync(plugin.compiler, [...plugin.flags, join(repoRoot, plugin.source), '-o', output], { stdio: ['ignore', 'pipe', 'pipe'] });
  return output;
}

/**
 * The stand-in for an old NVIDIA driver (native/test/fixtures/old_driver.c, r570: CUDA 12.8) as
 * libcuda.so.1 and libnvidia-ml.so.1 in `outDir`, for a child process's LD_LIBRARY_PATH.
 */
export function buildOldDriver(outDir) {
  mkdirSync(outDir, { recursive: true });
  const source = join(repoRoot, 'native', 'test', 'fixtures', 'old_driver.c');
  for (const soname of ['libcuda.so.1', 'libnvidia-ml.so.1']) {
    execFileSync('g++', ['-x', 'c', '-O2', '-shared', '-fPIC', `-Wl,-soname,${soname}`, source, '-o', join(outDir, soname)], { stdio: ['ignore', 'pipe', 'pipe'] });
  }
  return outDir;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const outDir = process.argv[2] ?? prebuiltDir;
  for (const [name, plugin] of Object.entries(testPlugins)) {
    if (!hasCompiler(plugin.compiler)) {
      console.log(`skipped ${name}: no ${plugin.compiler}`);
      continue;
    }
    console.log(`built ${buildTestPlugin(name, outDir)}`);
  }
}
