import { loadNative, type NativeAddon } from '@ratchet/native';
import { RatchetError, type Backend, type Device } from '@ratchet/types';
import { chooseDevice, type DeviceSelector } from './device-choice.js';

export type BackendChoice = Backend | 'auto';

export interface SelectedBackend {
  backend: Backend;
  device: Device;
  /** The addon that times it (built-in problems and plugins). */
  native: NativeAddon;
  /** One line to print when the choice was not what the user might assume (no GPU found). */
  note: string | null;
  /** Why `auto` found no GPU to take (`no GPU: <reason>`); null when it took one, or was not asked to choose. */
  noGpu: string | null;
  /** What `--device` asked for; null: the backend's first device. */
  selector: DeviceSelector | null;
}

/**
 * The suites of a configuration that brings problems of its own (plugins, processes): `auto` then
 * follows them instead of the device alone, and never falls back to Ratchet's built-in suite.
 */
export interface OwnSuites {
  /** Benchmarks per backend, as the config lists them. */
  sizes: Record<Backend, number>;
  /** The config file, named in what is said. */
  file: string;
}

const benchmarks = (n: number) => `${n} benchmark${n === 1 ? '' : 's'}`;

function firstDevice(native: NativeAddon, backend: Backend): Device | undefined {
  return native.devices(backend)[0];
}

/**
 * `auto`'s backend. Without suites of the config's own: the GPU when one answers, else the CPU.
 * With them: the GPU when one answers and the config has a cuda suite; the CPU when it has a cpu
 * suite (saying why where a GPU was there); and where only a cuda suite is there and no GPU, an
 * error: timing the built-in suite instead wrote a baseline of Ratchet's kernels into the user's
 * repository.
 */
function autoBackend(cuda: Device | undefined, noGpu: string, own: OwnSuites | undefined): { backend: Backend; note: string | null } {
  if (!own) return cuda ? { backend: 'cuda', note: null } : { backend: 'cpu', note: `${noGpu}; running the CPU backend's suite` };
  const { sizes, file } = own;
  if (cuda && (sizes.cuda > 0 || sizes.cpu === 0)) return { backend: 'cuda', note: null };
  if (cuda) return { backend: 'cpu', note: `${file} has no cuda suite: timing its cpu suite (${benchmarks(sizes.cpu)}) on the CPU backend` };
  if (sizes.cpu > 0 || sizes.cuda === 0) return { backend: 'cpu', note: `${noGpu}; timing the cpu suite of ${file}` };
  throw new RatchetError(
    'ERR_RATCHET_NO_DEVICE',
    `${noGpu}, and ${file} declares problems of its own with a suite for cuda only (suites.cuda, ${benchmarks(sizes.cuda)}): Ratchet's built-in suite is never timed in its place. Run on a GPU host, add a suites.cpu, or check the suites without a device: ratchet check`,
  );
}

/**
 * `auto` takes the GPU when the addon has CUDA compiled in and a device answers, and otherwise the
 * CPU backend, saying why in one line (`own`: as the config's own suites ask, autoBackend). An
 * explicit `cuda` with no device is an error. `selector` (`--device`) picks the device of the
 * backend chosen; one that is not there is an error (device-choice.ts), never another device.
 */
export function selectBackend(choice: BackendChoice, native: NativeAddon = loadNative(), own?: OwnSuites, selector: DeviceSelector | null = null): SelectedBackend {
  const cuda = firstDevice(native, 'cuda');
  if (choice === 'cuda' && !cuda) {
    throw new RatchetError('ERR_RATCHET_NO_DEVICE', `--backend cuda: ${native.unavailableReason('cuda') ?? 'no CUDA device'}`);
  }
  const noGpu = choice === 'auto' && !cuda ? `no GPU: ${native.unavailableReason('cuda') ?? 'no CUDA device'}` : null;
  const { backend, note } = choice === 'auto' ? autoBackend(cuda, noGpu ?? '', own) : { backend: choice, note: null };
  const device = chooseDevice(native.devices(backend), selector, backend);
  if (!device) throw new RatchetError('ERR_RATCHET_NO_DEVICE', `no ${backend} device available`);
  return { backend, device, native, note, noGpu, selector };
}
