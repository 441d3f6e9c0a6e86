import {
  benchmarkId,
  tuningSchemaVersion,
  type Benchmark,
  type Device,
  type Tuning,
  type TuningEntry,
} from '@ratchet/types';

/** A copy of `tuning` with one entry set. */
export function withTuningEntry(tuning: Tuning | null, device: Device, id: string, entry: TuningEntry): Tuning {
  const devices = tuning?.devices ?? {};
  const previous = devices[device.deviceKey]?.benchmarks ?? {};
  return {
    schemaVersion: tuningSchemaVersion,
    devices: { ...devices, [device.deviceKey]: { deviceName: device.name, benchmarks: { ...previous, [id]: entry } } },
  };
}

/**
 * What bench/run use: the tuned variant per benchmark for this device. A tuning file made on
 * other devices is never applied; `note` says so.
 */
export function tunedVariants(tuning: Tuning | null, device: Device): { variantFor: (benchmark: Benchmark) => string | undefined; note: string | null } {
  const entries = tuning?.devices[device.deviceKey]?.benchmarks;
  const others = Object.keys(tuning?.devices ?? {}).filter((key) => key !== device.deviceKey);
  const note = !entries && others.length > 0 ? `tuning.json has no entries for ${device.deviceKey} (only ${others.join(', ')}): default variants used` : null;
  // An entry that kept its default pins nothing: it found no variant faster than the default of
  // its day, and a later default (v7 at D128 replaced v6 on sm_90) must not be undone by it.
  const chosen = (benchmark: Benchmark) => {
    const entry = entries?.[benchmarkId(benchmark)];
    return entry && entry.variant !== entry.defaultVariant ? entry.variant : undefined;
  };
  return { variantFor: chosen, note };
}
