// One build of the addon with cmake, offline: configure (when the plan or the build directory is
// new), compile, then write beside the .node file what it is (kernel-identity.json: the machine
// code of each kernel; build-info.json: the sources and plan it was built from). Used by build.mjs
// (the workspace's build, and a source build of a published package) and prebuild.mjs (the
// published binaries).
// No cmake-js: it would be a dependency of every install for the few lines below, and it ignores
// new options once a CMakeCache.txt exists; a changed plan here always configures afresh.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtinCpuKernels } from './builtins.mjs';
import { buildIdentity } from './kernel-identity.mjs';
import { harnessHash, sourceHash } from './source-hash.mjs';

/** The package directory (native/ in the repository, node_modules/@ratchet/native once installed). */
export const nativeRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where the sources' hash is taken: the package itself once published, else the repository. */
export const sourcesRoot = () => (existsSync(join(nativeRoot, 'kernels', 'CMakeLists.txt')) ? nativeRoot : join(nativeRoot, '..'));

/** The kernels library's compiled translation units (one CMake target directory each; buildIdentity orders them). */
function kernelHostObjects(targetsDir) {
  if (!existsSync(targetsDir)) return [];
  return readdirSync(targetsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.endsWith('.dir'))
    .flatMap((entry) => readdirSync(join(targetsDir, entry.name)).filter((file) => file.endsWith('.cu.o')).map((file) => join(targetsDir, entry.name, file)));
}

function works(tool, args) {
  try {
    execFileSync(tool, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The system tools the build needs and does not find, each as what to install; [] when all are here. */
export function missingTools(env = process.env) {
  const tools = [
    ['cmake', ['--version'], 'cmake >= 3.18'],
    [env.CXX || 'c++', ['--version'], 'a C++17 compiler (g++ or clang++; CXX names another)'],
  ];
  const missing = tools.filter(([tool, args]) => !works(tool, args)).map(([, , what]) => what);
  // Without ninja, CMake writes Makefiles: make is then needed too.
  if (!works('ninja', ['--version']) && !works('make', ['--version'])) missing.push('make (or ninja)');
  return missing;
}

function cmake(args, cwd) {
  const result = spawnSync('cmake', args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (result.status !== 0) {
    process.stdout.write(result.stdout ?? '');
    throw new Error(`cmake ${args[0]} ${args[1] ?? ''} failed (exit ${result.status})`);
  }
}

/**
 * Builds the addon into `buildDir` (its .node file lands in `<buildDir>/Release`) following `plan`
 * (build-plan.mjs). `release`: as published (prebuild.mjs): device code compressed. Returns the path of the .node file. Throws with what failed; prints cmake's
 * output only then.
 */
export function buildAddon({ buildDir, plan, release = false }) {
  const stamp = join(buildDir, 'ratchet-build.json');
  const wanted = JSON.stringify(release ? { ...plan, release } : plan);
  const configured = existsSync(join(buildDir, 'CMakeCache.txt')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted;
  // Hashed before compiling: an edit made while the build runs then reads as a stale build.
  const builtFrom = sourceHash(sourcesRoot());
  const harnessFrom = harnessHash(sourcesRoot());
  if (!configured) {
    rmSync(buildDir, { recursive: true, force: true });
    const defines = {
      CMAKE_BUILD_TYPE: 'Release',
      RATCHET_CUDA: plan.cuda ? 'ON' : 'OFF',
      RATCHET_COMPRESS_FATBIN: release ? 'ON' : 'OFF',
      ...(plan.cuda ? { CMAKE_CUDA_COMPILER: plan.nvcc, CMAKE_CUDA_ARCHITECTURES: plan.architectures } : {}),
    };
    const generator = works('ninja', ['--version']) ? ['-G', 'Ninja'] : [];
    cmake(['-S', nativeRoot, '-B', buildDir, ...generator, ...Object.entries(defines).map(([name, value]) => `-D${name}=${value}`)], nativeRoot);
  }
  cmake(['--build', buildDir, '--config', 'Release', '--parallel', String(availableParallelism())], nativeRoot);
  writeFileSync(stamp, wanted);
  const outDir = join(buildDir, 'Release');
  // Beside the addon: which machine code each kernel compiled to (results record it; equal hashes
  // on both sides of a relative run mean an A/A comparison).
  const identity = buildIdentity({
    deviceCodeDir: join(buildDir, 'device-code'),
    // The kernels' host objects: the code that launches them (their parameters, grids, tensor maps).
    hostObjects: kernelHostObjects(join(buildDir, 'kernels', 'CMakeFiles')),
    // The built-ins' CPU kernels, the translation units the harness hash leaves out (source-hash.mjs).
    cpuObjects: builtinCpuKernels(nativeRoot).map((file) => join(buildDir, 'CMakeFiles', 'ratchet_native.dir', `${file}.o`)),
  });
  writeFileSync(join(outDir, 'kernel-identity.json'), `${JSON.stringify(identity, null, 1)}\n`);
  // Which sources this build is made from, so a run can warn when the checkout has changed since.
  // harnessHash: the sources less the kernels', so `run --base` can tell two builds time alike.
  const buildInfo = { schemaVersion: 1, sourceHash: builtFrom, harnessHash: harnessFrom, builtAt: new Date().toISOString(), cuda: plan.cuda, architectures: plan.architectures || null, node: process.version };
  writeFileSync(join(outDir, 'build-info.json'), `${JSON.stringify(buildInfo, null, 1)}\n`);
  return join(outDir, 'ratchet_native.node');
}

/** The line a build prints: what it compiled, and why. */
export function describePlan(plan) {
  return plan.cuda ? `CPU + CUDA backends (nvcc ${plan.nvcc}, ${plan.architectures}: ${plan.reason})` : `the CPU backend only (${plan.reason})`;
}
