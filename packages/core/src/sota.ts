import { compareSides, summarize } from '@ratchet/stats';
import type { Device, Measurement, RunResult, SotaFigure, SotaPeerCell, SotaRow, SotaTable } from '@ratchet/types';
import type { PeerColumn, PeerResult } from './peer-pass.js';

function figure(samplesMs: readonly number[], flops: number, device: Device): SotaFigure {
  const summary = summarize(samplesMs);
  const tflops = flops / (summary.median / 1e3) / 1e12;
  return {
    medianMs: summary.median,
    ci95MedianMs: summary.ci95Median,
    tflops,
    peakFraction: device.peakTflops === null ? null : tflops / device.peakTflops,
  };
}

/** |our sum - theirs| / their sum of |x|: both computing the same function on the same inputs gives ~1e-4 or less. */
function checksumRelDiff(ours: Measurement, theirs: Measurement): number | null {
  const a = ours.correctness?.checksum;
  const b = theirs.correctness?.checksum;
  return a && b ? Math.abs(a.sum - b.sum) / Math.max(b.absSum, 1e-30) : null;
}

function peerCell(result: PeerResult | undefined, ours: Measurement, device: Device): SotaPeerCell {
  if (!result) return { status: 'failed', reason: 'the peer was not measured on this benchmark' };
  if (result.status !== 'measured') return result;
  const theirs = result.measurement;
  if (theirs.status !== 'ok') return { status: 'invalid', reason: theirs.correctness?.detail ?? 'failed its correctness check' };
  // Our FLOPs for both sides: the same work, so TFLOP/s compare whatever the peer counts.
  const their = figure(theirs.samplesMs, ours.flops, device);
  if (ours.status !== 'ok') return { status: 'ok', ...their, ourSpeedup: Number.NaN, ourSpeedupCi95: [Number.NaN, Number.NaN], checksumRelDiff: null };
  // compareSides(base, current) gives current / base with its CI: with ours as the base, that is
  // their time over ours, our speed-up. The sides took turns: paired turn by turn, so the board's
  // power state cancels in the ratio.
  const speedup = compareSides(ours, theirs);
  return { status: 'ok', ...their, ourSpeedup: speedup.ratio, ourSpeedupCi95: speedup.ratioCi95, checksumRelDiff: checksumRelDiff(ours, theirs) };
}

/**
 * Ours and every peer, benchmark by benchmark, from one interleaved pass (measureWithPeers):
 * `run` holds our measurements of that pass, `columns` the peers'. Pure.
 */
export function buildSotaTable(run: Pick<RunResult, 'createdAt' | 'device' | 'measurements'>, columns: readonly PeerColumn[]): SotaTable {
  const rows = run.measurements.map((m): SotaRow => ({
    id: m.id,
    flops: m.flops,
    ours: m.status === 'ok' ? figure(m.samplesMs, m.flops, run.device) : null,
    peers: Object.fromEntries(columns.map((column) => [column.name, peerCell(column.results[m.id], m, run.device)])),
  }));
  return {
    createdAt: run.createdAt,
    device: run.device,
    peers: columns.map((column) => ({ name: column.name, status: column.status, reason: column.reason, software: column.software })),
    rows,
  };
}
