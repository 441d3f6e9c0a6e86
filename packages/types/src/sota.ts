import type { Device } from './device.js';
import type { Interval } from './measurement.js';

/** Status of a peer run as a whole. */
export type PeerStatus = 'ok' | 'unavailable' | 'failed';

/** One side of a comparison: a median and what it means on this device. */
export interface SotaFigure {
  medianMs: number;
  ci95MedianMs: Interval;
  tflops: number;
  /** tflops / the device's peak; null when the peak is unknown. */
  peakFraction: number | null;
}

export type SotaPeerCell =
  | (SotaFigure & {
      status: 'ok';
      /** Peer time / our time: above 1 we are faster. */
      ourSpeedup: number;
      ourSpeedupCi95: Interval;
      /** |our checksum - theirs| / their sum of |x|, on the same inputs; null when either is missing. */
      checksumRelDiff: number | null;
    })
  | { status: 'unsupported' | 'unavailable' | 'failed' | 'invalid'; reason: string };

export interface SotaRow {
  id: string;
  flops: number;
  ours: SotaFigure | null;
  /** Keyed by peer name, in the order the peers ran. */
  peers: Record<string, SotaPeerCell>;
}

/** Ours against the state of the art, on one device, in one run. */
export interface SotaTable {
  createdAt: string;
  device: Device;
  peers: { name: string; status: PeerStatus; reason: string | null; software: string | null }[];
  rows: SotaRow[];
}
