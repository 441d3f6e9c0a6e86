import type { Baseline, Device, RunResult } from '@ratchet/types';

/**
 * One line when the baseline holds entries for other devices only: every benchmark is then
 * `new` here, which is right (CPU numbers never meet GPU numbers) but must not pass unsaid.
 */
export function baselineDeviceNote(baseline: Baseline | null, deviceKey: string): string | null {
  const keys = Object.keys(baseline?.devices ?? {});
  if (keys.length === 0 || keys.includes(deviceKey)) return null;
  return `the baseline has no entries for ${deviceKey} (only ${keys.join(', ')}): every benchmark is new on this device`;
}

function describe(device: Pick<Device, 'name' | 'deviceKey'>): string {
  return `"${device.name}" [${device.deviceKey}]`;
}

/**
 * Why a results file cannot have been measured on this machine, or null when it can: this
 * machine must have a device of the same backend with the same key and the same name. A file
 * relabelled with another device's key (or carried from another machine) would otherwise put
 * this machine's figures into that device's baseline.
 */
export function foreignDevice(result: RunResult, devicesHere: readonly Device[]): string | null {
  const { device } = result;
  const here = devicesHere.filter((d) => d.backend === device.backend);
  if (here.some((d) => d.deviceKey === device.deviceKey && d.name === device.name)) return null;
  const seen = here.length > 0 ? here.map(describe).join(', ') : `no ${device.backend} device`;
  return `measured on ${describe(device)}, but this machine has ${seen}`;
}
