import { loadNative } from '@ratchet/native';
import { backends, type Device } from '@ratchet/types';
import type { CommandContext } from '../../context.js';
import { exitCodes } from '../../exit-codes.js';
import { deviceIndex } from '../../measuring/device-choice.js';

function describe(device: Device): string {
  const figures = [
    device.computeCapability && `sm ${device.computeCapability}`,
    `${device.multiprocessorCount} ${device.backend === 'cuda' ? 'SMs' : 'threads'}`,
    device.memoryBytes !== null && `${(device.memoryBytes / 2 ** 30).toFixed(1)} GiB`,
    device.peakTflops !== null && `${device.peakTflops.toFixed(0)} TFLOP/s peak`,
    device.peakBandwidthGBps !== null && `${device.peakBandwidthGBps.toFixed(0)} GB/s peak`,
  ].filter(Boolean);
  return `${device.name}  [${device.deviceKey}]${device.uuid ? `  ${device.uuid}` : ''}  ${figures.join(', ')}`;
}

/** `ratchet devices`: what each backend can see, and why a backend has nothing. */
export async function devicesCommand(context: CommandContext): Promise<number> {
  const native = loadNative();
  const listing = backends.map((backend) => ({
    backend,
    compiled: native.compiledBackends().includes(backend),
    devices: native.devices(backend),
    unavailableReason: native.unavailableReason(backend),
  }));
  if (context.output.json) {
    context.output.out(JSON.stringify(listing, null, 2));
    return exitCodes.ok;
  }
  for (const entry of listing) {
    context.output.out(context.output.color.bold(`${entry.backend}:`));
    if (entry.devices.length === 0) context.output.out(`  none (${entry.unavailableReason ?? 'no device'})`);
    // The number is what --device takes (CUDA's index); the UUID names the GPU in any process.
    entry.devices.forEach((device) => context.output.out(`  ${deviceIndex(device)}: ${describe(device)}`));
  }
  const visible = process.env.CUDA_VISIBLE_DEVICES;
  if (visible !== undefined) context.output.out(`CUDA_VISIBLE_DEVICES=${visible}: CUDA sees only those GPUs, numbered from 0 in that order`);
  return exitCodes.ok;
}
