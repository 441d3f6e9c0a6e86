import { loadNative, type NativeAddon } from '@ratchet/native';
import { RatchetError, type Backend, type Device } from '@ratchet/types';

export type BackendChoice = Backend | 'auto';

export interface SelectedBackend {
  backend: Backend;
  device: Device;
  /** The addon that times it (built-in problems and plugins). */
  native: NativeAddon;
  /** One line to print when the choice was not what the user might assume (no GPU found). */
  note: string | null;
}

function firstDevice(native: NativeAddon, backend: Backend): Device | undefined {
  return native.devices(backend)[0];
}

/**
 * `auto` takes the GPU when the addon has CUDA compiled in and a device answers, and otherwise the
 * CPU backend, saying why in one line. An explicit `cuda` with no device is an error.
 */
export function selectBackend(choice: BackendChoice, native: NativeAddon = loadNative()): SelectedBackend {
  const cuda = firstDevice(native, 'cuda');
  if (choice === 'cuda' && !cuda) {
    throw new RatchetError('ERR_RATCHET_NO_DEVICE', `--backend cuda: ${native.unavailableReason('cuda') ?? 'no CUDA device'}`);
  }
  const backend: Backend = choice === 'auto' ? (cuda ? 'cuda' : 'cpu') : choice;
  const device = backend === 'cuda' ? cuda : firstDevice(native, 'cpu');
  if (!device) throw new RatchetError('ERR_RATCHET_NO_DEVICE', `no ${backend} device available`);
  const note =
    choice === 'auto' && backend === 'cpu'
      ? `no GPU: ${native.unavailableReason('cuda') ?? 'no CUDA device'}; running the CPU backend's suite`
      : null;
  return { backend, device, native, note };
}
