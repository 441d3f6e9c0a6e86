// What the native build compiles: the CPU backend always; the CUDA backend, and for which GPU
// architectures, from the environment and the machine. Printed by `build.mjs --plan`, which is
// also an nx runtime input of the build (nx.json), so any change here is a cache miss.
//
//   RATCHET_CUDA=0                      CPU backend only
//   RATCHET_CUDA_ARCHITECTURES=full     the release list below, whatever the machine has
//   RATCHET_CUDA_ARCHITECTURES=90-real  exactly these (CMake's CMAKE_CUDA_ARCHITECTURES syntax)
//   (unset)                             machine code for each GPU nvidia-smi lists; no GPU: no CUDA
//                                       code at all (a first `pnpm bench` there runs on the CPU and
//                                       would never use it: four architectures cost ~4 min of nvcc)
import { execFileSync } from 'node:child_process';

/**
 * The release list (the published prebuilt binary): machine code for the data-centre and
 * workstation GPUs in use, A100 (8.0), A10/A40/RTX 30 (8.6), L4/L40/RTX 40 (8.9) and H100/H200
 * (9.0, and 9.0a for the Hopper kernels, which kernels/CMakeLists.txt adds whenever 90 is here),
 * plus Hopper PTX that the driver JIT-compiles for newer chips.
 */
export const fullArchitectures = '80-real;86-real;89-real;90-real;90-virtual';

function run(file, args) {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return null;
  }
}

/** The nvcc the build would use (CUDACXX first), or null. */
export function findNvcc(env = process.env) {
  for (const candidate of [env.CUDACXX, 'nvcc', '/usr/local/cuda/bin/nvcc'].filter(Boolean)) {
    if (run(candidate, ['--version']) === null) continue;
    return candidate === 'nvcc' ? (run('sh', ['-c', 'command -v nvcc']) ?? 'nvcc').trim() : candidate;
  }
  return null;
}

/** "13.0" from `nvcc --version` ("Cuda compilation tools, release 13.0, V13.0.88"). */
export function nvccRelease(versionText) {
  return /release (\d+\.\d+)/.exec(versionText ?? '')?.[1] ?? null;
}

/** Compute capabilities of the GPUs present, e.g. ['9.0']; empty without a driver or a GPU. */
export function gpuComputeCaps() {
  const text = run('nvidia-smi', ['--query-gpu=compute_cap', '--format=csv,noheader']);
  if (text === null) return [];
  return [...new Set(text.split('\n').map((line) => line.trim()).filter((line) => /^\d+\.\d+$/.test(line)))];
}

/** Architectures nvcc can emit machine code for (`nvcc --list-gpu-code`: sm_75 ...), as numbers. */
export function nvccMachineCodes(nvcc) {
  const text = run(nvcc, ['--list-gpu-code']);
  return text === null ? [] : [...text.matchAll(/sm_(\d+)/g)].map((m) => Number(m[1]));
}

/**
 * The CUDA part of the build, decided from plain values (tests pass them in).
 * `supported`: what nvcc emits machine code for (empty: unknown, everything is tried).
 * @returns {{ cuda: boolean, architectures: string | null, reason: string }}
 */
export function cudaPlan({ env, nvcc, gpuCaps, supported = [] }) {
  if (env.RATCHET_CUDA === '0') return { cuda: false, architectures: null, reason: 'RATCHET_CUDA=0' };
  if (!nvcc) return { cuda: false, architectures: null, reason: 'no nvcc (CUDACXX, PATH, /usr/local/cuda/bin)' };
  const asked = env.RATCHET_CUDA_ARCHITECTURES?.trim();
  if (asked === 'full') return { cuda: true, architectures: fullArchitectures, reason: 'RATCHET_CUDA_ARCHITECTURES=full' };
  if (asked) return { cuda: true, architectures: asked, reason: 'RATCHET_CUDA_ARCHITECTURES' };
  if (gpuCaps.length === 0) {
    return { cuda: false, architectures: null, reason: 'no GPU found by nvidia-smi; RATCHET_CUDA_ARCHITECTURES=90-real or =full compiles the CUDA backend anyway' };
  }
  const newest = Math.max(...supported);
  const architectures = [...new Set(gpuCaps.map((cap) => {
    const arch = Number(cap.replace('.', ''));
    // A GPU newer than this nvcc: PTX of the newest architecture it knows, JIT-compiled by the driver.
    return supported.length === 0 || supported.includes(arch) ? `${arch}-real` : `${newest}-virtual`;
  }))].sort();
  return { cuda: true, architectures: architectures.join(';'), reason: `the GPUs present (compute capability ${gpuCaps.join(', ')})` };
}

/** Everything that decides what the build compiles (build.mjs's stamp and `--plan`). */
export function buildPlan(env = process.env) {
  const nvcc = env.RATCHET_CUDA === '0' ? null : findNvcc(env);
  const plan = cudaPlan({
    env,
    nvcc,
    gpuCaps: nvcc ? gpuComputeCaps() : [],
    supported: nvcc ? nvccMachineCodes(nvcc) : [],
  });
  return { ...plan, nvcc: plan.cuda ? nvcc : null, nvccRelease: plan.cuda ? nvccRelease(run(nvcc, ['--version'])) : null, node: process.version };
}
