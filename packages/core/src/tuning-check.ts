// A tuning entry pins a variant because it beat the default among the variants of its day, as
// they were compiled then. Once the variants or their code change, the pin is a guess about other
// code: an H100 entry chosen before the Hopper versions existed pinned a variant 1.6x slower than
// the default of the day after. So an entry is used only while what it was chosen among is still
// what runs; otherwise it is ignored (the default runs) and one line says why and what to run.
import { benchmarkId, type Benchmark, type Tuning, type TuningEntry } from '@ratchet/types';
import type { Awaitable, MeasureBackend } from './backend.js';

/** What the code compiled now says about one benchmark: its variants (default first), and each variant's identity. */
export interface TuningProbe {
  variants(benchmark: Benchmark): Awaitable<string[]>;
  /** Opens the variant's session for its kernel identity (null when unknown), and closes it. */
  identityOf(benchmark: Benchmark, variant: string): Promise<string | null>;
}

/** The probe of a run's sources: their variants, and a session opened (seed 1) for each identity asked. */
function sourcesProbe(sources: { variants(benchmark: Benchmark): Awaitable<string[]> }, backend: MeasureBackend): TuningProbe {
  return {
    variants: (benchmark) => sources.variants(benchmark),
    identityOf: async (benchmark, variant) => {
      const session = await backend.open(benchmark, { variant, seed: 1 });
      try {
        return session.kernelIdentity ?? null;
      } finally {
        await session.close();
      }
    },
  };
}

/** Recorded before schema 3: no candidate says what code it ran. */
const legacy = (entry: TuningEntry) => entry.candidates.length === 0 || entry.candidates.some((c) => c.kernelIdentity === undefined);

export const legacyTuningReason = 'it records no kernel identities (tuned by an older Ratchet), so what it was chosen among cannot be checked against the code compiled now';

function listed(names: readonly string[]): string {
  return names.join(', ');
}

/** Why the variants differ from the entry's candidates (default first in both); null when they do not. */
function variantsChanged(entry: TuningEntry, variants: readonly string[]): string | null {
  if (variants[0] !== entry.defaultVariant) return `the default variant is now ${variants[0] ?? 'none'}, not ${entry.defaultVariant}`;
  const then = entry.candidates.map((c) => c.variant);
  const added = variants.filter((v) => !then.includes(v));
  const gone = then.filter((v) => !variants.includes(v));
  if (added.length === 0 && gone.length === 0) return null;
  const changes = [...(added.length ? [`${listed(added)} added`] : []), ...(gone.length ? [`${listed(gone)} gone`] : [])];
  return `the variants changed since it was tuned (${changes.join('; ')})`;
}

/**
 * Why `entry` may not be used for `benchmark` now; null when the variants are those it was chosen
 * among and the chosen and default variants run the code they ran then.
 */
export async function staleTuningReason(entry: TuningEntry, benchmark: Benchmark, probe: TuningProbe): Promise<string | null> {
  if (legacy(entry)) return legacyTuningReason;
  const changed = variantsChanged(entry, await probe.variants(benchmark));
  if (changed) return changed;
  for (const variant of new Set([entry.variant, entry.defaultVariant])) {
    const then = entry.candidates.find((c) => c.variant === variant)?.kernelIdentity ?? null;
    const now = await probe.identityOf(benchmark, variant);
    if (then === null || now === null) return `the code of ${variant} has no kernel identity, so its choice cannot be checked`;
    if (then !== now) return `the code of ${variant} changed since it was tuned`;
  }
  return null;
}

export interface TuningCheck {
  /** The tuning with every stale entry of this device left out: what bench and run may use. */
  tuning: Tuning | null;
  /** The entries left out, and why. */
  ignored: { id: string; reason: string }[];
  /** What to tell the user: one line per reason (ignoredTuningNotes). */
  notes: string[];
}

/** What a run measures with: the variants its sources declare, and the backend that opens their sessions. */
export interface TuningSources {
  sources: { variants(benchmark: Benchmark): Awaitable<string[]> };
  backend: MeasureBackend;
}

/**
 * Checks the entries of the backend's device for `benchmarks` (only those that pin a variant other than the
 * default, unless `every`: an entry that kept its default pins nothing in a run, but autotune
 * must not skip it as done when it is stale).
 */
export async function checkTuning(tuning: Tuning | null, benchmarks: readonly Benchmark[], against: TuningSources, options: { every?: boolean } = {}): Promise<TuningCheck> {
  const { device } = against.backend;
  const probe = sourcesProbe(against.sources, against.backend);
  const entries = tuning?.devices[device.deviceKey]?.benchmarks;
  if (!tuning || !entries) return { tuning, ignored: [], notes: [] };
  const ignored: TuningCheck['ignored'] = [];
  for (const benchmark of benchmarks) {
    const id = benchmarkId(benchmark);
    const entry = entries[id];
    if (!entry || (!options.every && entry.variant === entry.defaultVariant)) continue;
    const reason = await staleTuningReason(entry, benchmark, probe);
    if (reason) ignored.push({ id, reason });
  }
  if (ignored.length === 0) return { tuning, ignored, notes: [] };
  const kept = Object.fromEntries(Object.entries(entries).filter(([id]) => !ignored.some((i) => i.id === id)));
  return { tuning: { ...tuning, devices: { ...tuning.devices, [device.deviceKey]: { ...tuning.devices[device.deviceKey]!, benchmarks: kept } } }, ignored, notes: ignoredTuningNotes(ignored) };
}

/**
 * One line per reason: the entries it left out (the default variant runs them) and the command
 * that tunes them again.
 */
export function ignoredTuningNotes(ignored: TuningCheck['ignored']): string[] {
  const byReason = new Map<string, string[]>();
  for (const { id, reason } of ignored) byReason.set(reason, [...(byReason.get(reason) ?? []), id]);
  return [...byReason].map(([reason, ids]) =>
    `tuning.json: ${ids.length === 1 ? 'the entry' : `${ids.length} entries`} for ${listed(ids)} ignored, default variant used: ${reason}; tune again with \`ratchet autotune ${ids.join(' ')}\``);
}
