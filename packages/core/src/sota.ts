import { compareSamples, summarize } from '@ratchet/stats';
import type { Device, RunResult, SotaFigure, SotaPeerCell, SotaRow, SotaTable } from '@ratchet/types';
import type { PeerBenchmarkResult, PeerOutcome } from './peer.js';

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

function peerCell(
  result: PeerBenchmarkResult | undefined,
  oursMs: readonly number[] | null,
  flops: number,
  device: Device,
  ourChecksum: { sum: number } | undefined,
): SotaPeerCell {
  if (!result) return { status: 'failed', reason: 'the peer returned nothing for this benchmark' };
  if (result.status === 'unsupported') return { status: 'unsupported', reason: result.reason ?? 'refused the shape' };
  if (result.correctness && !result.correctness.passed) {
    return { status: 'invalid', reason: result.correctness.detail ?? 'failed its correctness check' };
  }
  const theirs = figure(result.samplesMs, flops, device);
  if (!oursMs) return { status: 'ok', ...theirs, ourSpeedup: Number.NaN, ourSpeedupCi95: [Number.NaN, Number.NaN], checksumRelDiff: null };
  // compareSamples(base, current) gives median(current)/median(base) with its CI: with ours as
  // the base, that is their time over ours, our speed-up.
  const speedup = compareSamples(oursMs, result.samplesMs);
  const checksumRelDiff =
    ourChecksum && result.checksum ? Math.abs(ourChecksum.sum - result.checksum.sum) / Math.max(result.checksum.absSum, 1e-30) : null;
  return { status: 'ok', ...theirs, ourSpeedup: speedup.ratio, ourSpeedupCi95: speedup.ratioCi95, checksumRelDiff };
}

/**
 * Our measurements and every peer's, benchmark by benchmark. Pure: the peers have already run.
 * `ourChecksums` (by benchmark id) come from the native addon on the shared inputs.
 */
export function buildSotaTable(
  result: RunResult,
  outcomes: readonly PeerOutcome[],
  ourChecksums: Record<string, { sum: number }> = {},
): SotaTable {
  const rows = result.measurements.map((m): SotaRow => {
    const oursMs = m.status === 'ok' ? m.samplesMs : null;
    const peers: Record<string, SotaPeerCell> = {};
    for (const outcome of outcomes) {
      peers[outcome.peer] =
        outcome.status === 'ok'
          ? peerCell(outcome.response.results.find((r) => r.id === m.id), oursMs, m.flops, result.device, ourChecksums[m.id])
          : { status: outcome.status, reason: outcome.reason };
    }
    return { id: m.id, flops: m.flops, ours: oursMs ? figure(oursMs, m.flops, result.device) : null, peers };
  });
  return {
    createdAt: result.createdAt,
    device: result.device,
    peers: outcomes.map((o) => ({
      name: o.peer,
      status: o.status,
      reason: o.status === 'ok' ? null : o.reason,
      software: o.status === 'ok' ? (o.response.device?.software ?? null) : null,
    })),
    rows,
  };
}
