// Ours and every peer on the same benchmarks, interleaved benchmark by benchmark: each side is
// opened on the same seed and checked (only a passing side is timed), then all passing sides are
// sampled in turns (sampleSides) until each meets the stopping rule. Measured one after the
// other, ours and a peer's figures moved 10%+ with the power state of a capped H200 between the
// two phases; in turns, that state falls on every side alike and the ratio keeps still.
import {
  benchmarkId,
  type Benchmark,
  type Correctness,
  type GitInfo,
  type MeasureBudget,
  type Measurement,
  type PeerStatus,
  type RunResult,
  type SotaTable,
  type Tuning,
} from '@ratchet/types';
import type { BenchmarkSession, MeasureBackend } from './backend.js';
import { durationNote, estimateSuite } from './cost.js';
import { runRecord, sideRecord } from './measurement-record.js';
import { peerFault, type StartedPeer } from './peer.js';
import type { PipelineEvent } from './pipeline.js';
import { sampleSides } from './sampling.js';
import { buildSotaTable } from './sota.js';
import { checkSide, closeSides, openSide, sideOf, type Side } from './side.js';
import { budgetForTimer } from './timer-ticks.js';
import { tunedVariants } from './tuning-file.js';

/** What one peer gave for one benchmark: a measurement (ok, or invalid and never sampled), or why none. */
export type PeerResult =
  | { status: 'measured'; measurement: Measurement }
  | { status: 'unsupported' | 'failed' | 'unavailable'; reason: string };

/** One peer over the whole pass. `failed` with a reason once its process died (earlier results stay). */
export interface PeerColumn {
  name: string;
  status: PeerStatus;
  reason: string | null;
  software: string | null;
  /** By benchmark id. */
  results: Record<string, PeerResult>;
}

export interface PeerPassInput {
  ours: MeasureBackend;
  peers: readonly StartedPeer[];
  benchmarks: readonly Benchmark[];
  budget: MeasureBudget;
  /** Seed of the shared input generator: every side checks the same inputs, so checksums compare. */
  seed: number;
  tuning?: Tuning | null;
  git: GitInfo | null;
  createdAt?: string;
  now?: () => number;
  onEvent?: (event: PipelineEvent) => void;
}

export interface PeerPassOutcome {
  /** Ours, as measured in this pass. */
  result: RunResult;
  columns: PeerColumn[];
  /** Ours and every peer, benchmark by benchmark (sota.ts). */
  table: SotaTable;
}

interface PeerSide extends Side {
  column: PeerColumn;
  correctness: Correctness | null;
  /** What the peer did wrong while being sampled: the side is dropped with it. */
  fault: Error | null;
}

/** A peer's failure as its result for this benchmark; a dead process fails the peer's column for good. */
function faultResult(column: PeerColumn, error: Error): PeerResult {
  if ((error as { code?: string }).code === 'ERR_RATCHET_UNSUPPORTED_SHAPE') return { status: 'unsupported', reason: error.message };
  if ((error as { code?: string }).code === 'ERR_RATCHET_PROCESS') {
    column.status = 'failed';
    column.reason = error.message;
  }
  return { status: 'failed', reason: error.message };
}

/** The session with its sampling faults recorded on the side, so the interleaving can drop it and go on. */
function recordingFaults(side: PeerSide, session: BenchmarkSession): BenchmarkSession {
  return {
    variant: session.variant, kernelIdentity: session.kernelIdentity ?? null, work: session.work,
    check: () => session.check(),
    sample: async (options) => {
      try {
        return await session.sample(options);
      } catch (error) {
        if (peerFault(error)) side.fault = error;
        throw error;
      }
    },
    clock: () => session.clock(),
    close: () => session.close(),
  };
}

/**
 * sampleSides over the sides; a peer that fails mid-way is dropped and the others go on
 * (their samples kept, the budget started again). Our own failures end the run, as in any measurement.
 */
async function sampleDroppingFaults(sides: Side[], peerSides: PeerSide[], budget: MeasureBudget, now: () => number, id: string) {
  let live = sides;
  for (;;) {
    if (live.length === 0) return null;
    try {
      return await sampleSides(live, budget, { now });
    } catch (error) {
      const faulty = peerSides.find((side) => side.fault === error);
      if (!faulty) throw error;
      faulty.column.results[id] = faultResult(faulty.column, faulty.fault!);
      live = live.filter((side) => side !== faulty);
    }
  }
}

async function openPeerSide(peer: StartedPeer & { status: 'ok' }, column: PeerColumn, benchmark: Benchmark, seed: number): Promise<PeerSide | null> {
  const id = benchmarkId(benchmark);
  const problem = peer.client.problems.find((p) => p.name === benchmark.kernel && p.variants.includes(peer.spec.variant));
  if (!problem) {
    column.results[id] = { status: 'unsupported', reason: `declares no problem ${benchmark.kernel} with the variant '${peer.spec.variant}'` };
    return null;
  }
  if (!problem.backends.includes(peer.backend.device.backend)) {
    column.results[id] = { status: 'unsupported', reason: `runs on ${problem.backends.join(', ')}, this run measures the ${peer.backend.device.backend} backend` };
    return null;
  }
  try {
    const session = await peer.backend.open(benchmark, { variant: peer.spec.variant, seed });
    // A peer answers to its own request timeout, not to our limit on one call.
    const side: PeerSide = { ...sideOf(session, peer.backend.device, benchmark, { limited: false }), column, correctness: null, fault: null };
    side.session = recordingFaults(side, session);
    return side;
  } catch (error) {
    if (!peerFault(error)) throw error;
    column.results[id] = faultResult(column, error);
    return null;
  }
}

async function checkPeerSide(side: PeerSide, id: string): Promise<void> {
  try {
    side.correctness = await side.session.check();
  } catch (error) {
    if (!peerFault(error)) throw error;
    side.column.results[id] = faultResult(side.column, error);
  }
}

async function closeQuietly(side: PeerSide): Promise<void> {
  try {
    await side.session.close();
  } catch (error) {
    if (!peerFault(error)) throw error;
    // A peer that died in this benchmark has nothing left to close.
  }
}

async function measureBenchmarkWithPeers(input: PeerPassInput, columns: PeerColumn[], benchmark: Benchmark, variant: string | undefined): Promise<Measurement> {
  const { ours, budget, seed, now = () => performance.now() } = input;
  const id = benchmarkId(benchmark);
  const ourSide = await openSide(ours, benchmark, { ...(variant === undefined ? {} : { variant }), seed });
  const peerSides: PeerSide[] = [];
  try {
    for (const [index, peer] of input.peers.entries()) {
      const column = columns[index]!;
      if (peer.status !== 'ok' || column.status !== 'ok') {
        column.results[id] = { status: peer.status === 'ok' ? 'failed' : peer.status, reason: column.reason ?? 'not running' };
        continue;
      }
      const side = await openPeerSide(peer, column, benchmark, seed);
      if (side) peerSides.push(side);
    }
    const ourCheck = await checkSide(ourSide, now);
    for (const side of peerSides) await checkPeerSide(side, id);
    // Correct first: only a side whose check passed is timed.
    const passing = peerSides.filter((side) => side.correctness?.passed);
    // Launches per sample from our probe, the same on every side so their times compare.
    const timed = ourCheck.passed ? await budgetForTimer(ourSide.session, ours.device, budget) : budget;
    const reason = await sampleDroppingFaults([...(ourCheck.passed ? [ourSide] : []), ...passing], peerSides, timed, now, id);
    const pass = { stopReason: reason, launches: timed.launchesPerSample !== budget.launchesPerSample ? timed.launchesPerSample : null, turns: true };
    for (const side of peerSides) {
      if (!side.correctness || side.column.results[id]) continue;
      side.column.results[id] = { status: 'measured', measurement: await sideRecord(benchmark, side, side.correctness, pass) };
    }
    return await sideRecord(benchmark, ourSide, ourCheck, pass);
  } finally {
    for (const side of peerSides) await closeQuietly(side);
    await closeSides([ourSide]);
  }
}

/**
 * Our suite and every started peer, benchmark by benchmark, interleaved. Our variants are the
 * tuned ones, as in any run; a peer that is unavailable, refuses a shape, fails its check or dies
 * shows as such in its column, never as a failure of the pass.
 */
export async function measureWithPeers(input: PeerPassInput): Promise<PeerPassOutcome> {
  const { ours, benchmarks, onEvent } = input;
  const cost = await estimateSuite(ours, benchmarks, input.budget);
  const long = durationNote(benchmarks.length, cost.totalMs * (1 + input.peers.length));
  if (long) onEvent?.({ kind: 'note', text: long });
  const tuned = tunedVariants(input.tuning ?? null, ours.device);
  if (tuned.note) onEvent?.({ kind: 'note', text: tuned.note });
  const columns: PeerColumn[] = input.peers.map((peer) => ({
    name: peer.spec.name,
    status: peer.status,
    reason: peer.status === 'ok' ? null : peer.reason,
    software: peer.status === 'ok' ? peer.software : null,
    results: {},
  }));
  const measurements: Measurement[] = [];
  for (const [index, benchmark] of benchmarks.entries()) {
    onEvent?.({ kind: 'progress', id: benchmarkId(benchmark), index, total: benchmarks.length, samples: 0, elapsedMs: 0 });
    const measurement = await measureBenchmarkWithPeers(input, columns, benchmark, tuned.variantFor(benchmark));
    onEvent?.({ kind: 'measured', measurement, index, total: benchmarks.length });
    measurements.push(measurement);
  }
  const result = runRecord(ours, input.budget, { git: input.git, ...(input.createdAt === undefined ? {} : { createdAt: input.createdAt }), measurements });
  return { result, columns, table: buildSotaTable(result, columns) };
}
