// `--device <index|uuid>`: which device of the backend a measuring command opens. CUDA numbers
// the GPUs it can see (all of them, or those CUDA_VISIBLE_DEVICES leaves, renumbered from 0);
// a UUID names one GPU whatever that variable says, so a job keeps its GPU when the numbering
// changes under it.
import { RatchetError, type Backend, type Device } from '@ratchet/types';

/** What `--device` asked for: a position in the backend's numbering, or a GPU by its UUID. */
export type DeviceSelector = { index: number } | { uuid: string };

/** `0`, `1`, ...; or a UUID as `ratchet devices` and `nvidia-smi -L` print it (`GPU-...`, `MIG-...`). */
export function parseDeviceSelector(text: string): DeviceSelector {
  if (/^\d{1,4}$/.test(text)) return { index: Number(text) };
  if (/^(GPU|MIG)-[0-9a-fA-F][0-9a-fA-F-]*$/.test(text)) return { uuid: text.toLowerCase() };
  throw new RatchetError(
    'ERR_RATCHET_USAGE',
    `--device: expected a device index (0, 1, ...) or a GPU UUID (GPU-xxxxxxxx-..., as ratchet devices lists them) but received ${JSON.stringify(text)}`,
  );
}

/** `0: NVIDIA H100 80GB HBM3 (GPU-...)`: how a device is named where one is asked for. */
function named(device: Device): string {
  return `${device.index ?? 0}: ${device.name}${device.uuid ? ` (${device.uuid})` : ''}`;
}

/** The index of `device` in the backend's numbering (builds from before it was reported: position 0). */
export function deviceIndex(device: Device): number {
  return device.index ?? 0;
}

/**
 * The device `selector` names among `devices` of `backend` (the first when nothing was asked).
 * A device that is not there is the environment's (exit 3): the message lists what is, and says
 * when CUDA_VISIBLE_DEVICES hides the rest. A UUID matches in full or by a prefix naming one GPU,
 * as CUDA_VISIBLE_DEVICES takes it.
 */
export function chooseDevice(devices: readonly Device[], selector: DeviceSelector | null, backend: Backend, visible = process.env.CUDA_VISIBLE_DEVICES): Device | undefined {
  if (selector === null) return devices[0];
  const matches = 'index' in selector
    ? devices.filter((device) => deviceIndex(device) === selector.index)
    : devices.filter((device) => device.uuid?.toLowerCase().startsWith(selector.uuid));
  if (matches.length === 1) return matches[0];
  const asked = 'index' in selector ? String(selector.index) : selector.uuid;
  const present = devices.length === 0 ? `there is no ${backend} device here` : `the ${backend} devices here are ${devices.map(named).join('; ')}`;
  const hidden = backend === 'cuda' && visible !== undefined ? ` (CUDA_VISIBLE_DEVICES=${visible} leaves only these, numbered from 0)` : '';
  const why = matches.length > 1 ? `${asked} names ${matches.length} of them: give more of the UUID` : `no such ${backend} device`;
  throw new RatchetError('ERR_RATCHET_NO_DEVICE', `--device ${asked}: ${why}; ${present}${hidden}. ratchet devices lists them`);
}

/**
 * The environment a problem process or a peer starts with when `--device` chose a GPU: CUDA in
 * that process sees that GPU alone (as its device 0), named by UUID so the parent's own
 * CUDA_VISIBLE_DEVICES numbering cannot shift it. Null where nothing was chosen: children inherit
 * the parent's environment as before.
 */
export function childDeviceEnvironment(device: Device, selector: DeviceSelector | null): Record<string, string> | null {
  if (selector === null || device.backend !== 'cuda' || !device.uuid) return null;
  return { CUDA_VISIBLE_DEVICES: device.uuid };
}
