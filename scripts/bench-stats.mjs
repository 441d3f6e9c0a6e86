#!/usr/bin/env node
// The simulation harness (issues 13 and 30): the real measurement loop, pipeline, calibrate,
// compare and judge, driven over noise models on a simulated device (core's simulatedBackend, a
// virtual clock), seeded, so every run prints the same tables. Not a unit test: a benchmark of the
// statistics, its output committed to docs/benchmarks.md with the command, machine and date.
//
//   pnpm bench:stats                      # builds first; every table (minutes on 2 cores)
//   node scripts/bench-stats.mjs --quick  # a fifth of the trials, to try a change
//   node scripts/bench-stats.mjs --quick --only "iid lognormal 5%"   # the cells whose name holds it
//
// Each noise model is run in both modes, in pull requests of 1, 10 and 16 benchmarks:
// - paired (`ratchet run --base`): calibrateBenchmark + calibrationResults, exactly as `ratchet
//   calibrate` judges: both sides interleaved turn by turn, trial t of every benchmark judged
//   together as one pull request (Holm over the suite, two looks with the bounded re-measure), a
//   slowdown of 1x, 2x and 3x the 1.5% same-session threshold injected into one benchmark of it.
// - cross-run (`ratchet run` against the committed baseline): runPipeline itself, a baseline run
//   then a later run on the device's next run (its own level where the model has one), cross-run
//   changes past the 3% threshold confirmed interleaved against the baseline's build; a slowdown of
//   1x, 2x and 3x that threshold in one benchmark.
// A last table judges cross-run runs with no commit to confirm against (the unconfirmable rule) at
// several multiples of the run-to-run spread, on runs whose true spread is 1-8x the assumed one.
// --digest (issue 26): the cross-run cells judged twice on the same seeds, against the baseline
// with every sample and against its digest (what the committed file keeps): false alarms and
// detection of both, each with its 95% CI, and how many verdicts differ.
import { cpus } from 'node:os';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { compare, digestBaseline, ratchet } from '@ratchet/baseline';
import { calibrateBenchmark, calibrationResults, defaultConfig, measureRun, remeasureLooks, runPipeline, simulatedBackend } from '@ratchet/core';

const quick = isMainThread ? process.argv.includes('--quick') : workerData.quick;
const digestMode = isMainThread ? process.argv.includes('--digest') : workerData.digest;
const onlyAt = process.argv.indexOf('--only');
const only = isMainThread ? (onlyAt > 0 ? process.argv[onlyAt + 1] : null) : workerData.only;
const scale = quick ? 0.2 : 1;
const count = (n) => Math.max(2, Math.round(n * scale));

const budget = defaultConfig.budgets.cuda;
const thresholds = defaultConfig.thresholds;
const multiples = [1, 2, 3];
const suiteSizes = [1, 10, 16];
/** Pull requests (A/A trials) and slowed trials per multiple, by suite size: about 1,000-1,600 A/A comparisons each. */
const trialsFor = { 1: { prs: 400, slowed: 100 }, 10: { prs: 100, slowed: 20 }, 16: { prs: 80, slowed: 15 } };
const crossRunTrialsFor = { 1: { prs: 200, slowed: 60 }, 10: { prs: 60, slowed: 15 }, 16: { prs: 50, slowed: 10 } };
const shapes = Array.from({ length: 16 }, (_, i) => ({ kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 512 * (i + 1), D: 64, causal: false }));
const git = { sha: 'b'.repeat(40), branch: 'main', dirty: false };

/** The noise models of issue 30, each on a kernel of the length given (ms). */
const models = [
  { name: 'iid lognormal 0.5%', model: { medianMs: 1, sigma: 0.005 } },
  { name: 'iid lognormal 2%', model: { medianMs: 1, sigma: 0.02 } },
  { name: 'iid lognormal 5%', model: { medianMs: 1, sigma: 0.05 } },
  { name: '1% outliers at 1.5-3x, 1% noise', model: { medianMs: 1, sigma: 0.01, outliers: { share: 0.01, factor: [1.5, 3] } } },
  { name: 'AR(1) 0.6, 2% noise', model: { medianMs: 1, sigma: 0.02, autocorrelation: 0.6 } },
  { name: 'AR(1) 0.9, 2% noise', model: { medianMs: 1, sigma: 0.02, autocorrelation: 0.9 } },
  { name: 'per-run offsets 1%, 1% noise', model: { medianMs: 1, sigma: 0.01, runSpread: 0.01 } },
  { name: 'per-batch offsets 1%, 1% noise', model: { medianMs: 1, sigma: 0.01, batchSpread: 0.01 } },
  { name: '0.5 us tick, 20 us kernel, 1% noise', model: { medianMs: 0.02, sigma: 0.01, tickMs: 0.0005 } },
  { name: '0.5 us tick, 20.25 us kernel, 0.5% noise, not batched', model: { medianMs: 0.02025, sigma: 0.005, tickMs: 0.0005 }, budget: { minSampleTicks: 0 } },
];

const pct = (x) => `${(x * 100).toFixed(x > 0 && x < 0.001 ? 2 : 1)}%`;
const rate = (hits, total) => `${hits}/${total} (${pct(hits / Math.max(total, 1))})`;
const median = (values) => {
  const sorted = values.filter((v) => v !== null && v !== undefined).map((v) => (Number.isFinite(v) ? v : Infinity)).sort((a, b) => a - b);
  return sorted.length === 0 ? null : sorted[Math.floor(sorted.length / 2)];
};
const mdcText = (mdc) => (mdc === null || !Number.isFinite(mdc) ? 'none' : `${mdc.toFixed(2)}%`);

/** Paired mode: m benchmarks calibrated as one suite; every figure from calibrationResults, as `ratchet calibrate` gives it. */
async function pairedRow(spec, modelIndex, m) {
  const { prs, slowed } = trialsFor[m];
  const relative = thresholds.relativeRegressionPct;
  const calibrations = [];
  let virtualMs = 0;
  for (let b = 0; b < m; b += 1) {
    const backend = simulatedBackend(spec.model, { seed: 100_000 * modelIndex + 1_000 * m + b + 1 });
    calibrations.push(await calibrateBenchmark(backend, shapes[b], {
      budget: { ...budget, ...spec.budget }, thresholds, regressionPcts: [relative], trials: count(prs), slowdownsPct: multiples.map((k) => k * relative),
      sensitivityTrials: count(slowed), suiteSize: m, now: backend.now,
    }));
    virtualMs += backend.now();
  }
  const [at] = calibrationResults(calibrations, thresholds, [relative], m);
  const pairs = calibrations.flatMap((c) => [...c.aa, ...c.slowdowns.flatMap((s) => s.pairs)]);
  const aa = at.rows.reduce((sum, row) => sum + row.trials, 0);
  const caught = multiples.map((_, k) => {
    const rows = at.rows.map((row) => row.sensitivity[k]);
    return { detected: rows.reduce((sum, s) => sum + s.detected, 0), trials: rows.reduce((sum, s) => sum + s.trials, 0), landed: median(rows.map((s) => s.measuredSlowdownPct)) };
  });
  return {
    model: spec.name, mode: 'paired', m, threshold: relative,
    falseAlarms: rate(at.rows.reduce((sum, row) => sum + row.verdicts.regression, 0), aa), perPr: pct(at.suiteFalseAlarmRate),
    mdc: mdcText(median(at.rows.map((row) => row.mdcPct ?? Infinity))),
    caught: caught.map((c) => `${rate(c.detected, c.trials)} at +${c.landed.toFixed(2)}%`),
    samples: median(pairs.map((p) => p.after.samplesMs.length)),
    timeMs: Math.round(virtualMs / pairs.length),
    capped: pct(pairs.filter((p) => p.after.stopReason !== 'converged').length / pairs.length),
  };
}

/** A build of the simulated device: every benchmark runs `variantOf(benchmark)`. */
const build = (device, variantOf) => ({ device: device.device, open: (benchmark, options) => device.open(benchmark, { ...options, variant: variantOf(benchmark) }) });

/**
 * Cross-run mode: runPipeline against a baseline of the device's previous run, the baseline's
 * commit buildable on demand. `asStored` turns the baseline into what is judged against (the
 * digest the file keeps, for --digest); `verdicts` collects every verdict, to compare two ways.
 */
async function crossRunRow(spec, modelIndex, m, asStored = (baseline) => baseline, verdicts = []) {
  const { prs, slowed } = crossRunTrialsFor[m];
  const suite = shapes.slice(0, m);
  const T = thresholds.regressionPct;
  const variants = Object.fromEntries([['base', 1], ...multiples.map((k) => [`x${k}`, 1 + (k * T) / 100])]);
  let flagged = 0;
  let failed = 0;
  let virtualMs = 0;
  let comparisons = 0;
  const mdcs = [];
  const samples = [];
  let capped = 0;
  const caught = multiples.map(() => ({ detected: 0, trials: 0 }));
  for (let pr = 0; pr < count(prs); pr += 1) {
    const device = simulatedBackend(spec.model, { seed: 7_000_000 + 100_000 * modelIndex + 1_000 * m + pr, variants });
    const common = { benchmarks: suite, budget: { ...budget, ...spec.budget }, thresholds, git, now: device.now, baseAt: async () => build(device, () => 'base') };
    const baseline = asStored((await runPipeline({ ...common, backend: build(device, () => 'base'), baseline: null, ratchet: true })).next.baseline);
    const heads = [{ variantOf: () => 'base', k: null }];
    if (pr < count(slowed)) multiples.forEach((k, i) => heads.push({ variantOf: (b) => (b === suite[pr % m] ? `x${k}` : 'base'), slowedIndex: pr % m, k: i }));
    for (const head of heads) {
      device.nextRun();
      const started = device.now();
      const outcome = await runPipeline({ ...common, backend: build(device, head.variantOf), baseline, ratchet: false });
      virtualMs += device.now() - started;
      comparisons += m;
      const results = outcome.comparison.results;
      verdicts.push(...results.map((r) => `${pr} ${head.k} ${r.id}: ${r.verdict}`));
      if (head.k === null) {
        const regressions = results.filter((r) => r.verdict === 'regression').length;
        flagged += regressions;
        if (regressions > 0) failed += 1;
        mdcs.push(...results.map((r) => r.sensitivity?.mdcPct ?? Infinity));
        samples.push(...outcome.result.measurements.map((x) => x.samplesMs.length));
        capped += outcome.result.measurements.filter((x) => x.stopReason !== 'converged').length;
      } else {
        const id = outcome.result.measurements[head.slowedIndex].id;
        caught[head.k].trials += 1;
        if (results.find((r) => r.id === id).verdict === 'regression') caught[head.k].detected += 1;
      }
    }
  }
  return {
    model: spec.name, mode: 'cross-run', m, threshold: T,
    falseAlarms: rate(flagged, count(prs) * m), perPr: pct(failed / count(prs)), mdc: mdcText(median(mdcs)),
    caught: caught.map((c, k) => `${rate(c.detected, c.trials)} at +${(multiples[k] * T).toFixed(2)}%`),
    samples: median(samples), timeMs: Math.round(virtualMs / comparisons), capped: pct(capped / Math.max(samples.length, 1)),
  };
}

/**
 * The unconfirmable rule: a cross-run regression with no commit to confirm against fails only when
 * its whole CI is past the threshold plus k run-to-run spreads. Runs 1%, 2%, 4% and 8% apart (sd)
 * judged with the 1% prior and a one-run entry (what the guide's first runs leave), in pull
 * requests of 16: the A/A false alarms and the detection of large slowdowns at each k.
 */
const spreadsTried = [0, 3, 5, 10];
const bigSlowdowns = [1.1, 1.25, 1.5, 2];
async function unconfirmableRow(runSpread) {
  const prs = count(100);
  const suite = shapes;
  const T = thresholds.regressionPct;
  const flaggedAt = spreadsTried.map(() => ({ benchmarks: 0, prs: 0 }));
  const caughtAt = bigSlowdowns.map(() => spreadsTried.map(() => 0));
  const slowedTrials = count(20);
  const passes = (r, k) => r.verdict === 'regression' && r.decisionCi[0] > (1 + T / 100) * Math.exp((k * (r.runToRun?.pct ?? 0)) / 100);
  const model = { medianMs: 1, sigma: 0.01, runSpread };
  const variants = Object.fromEntries([['base', 1], ...bigSlowdowns.map((s) => [`s${s}`, s])]);
  for (let pr = 0; pr < prs; pr += 1) {
    const device = simulatedBackend(model, { seed: 9_000_000 + Math.round(runSpread * 1e4) * 1_000 + pr, variants });
    const run = (variantOf) => measureRun({ backend: build(device, variantOf), benchmarks: suite, budget, git: null, createdAt: '2026-12-07T00:00:00.000Z', now: device.now });
    const first = await run(() => 'base');
    const baseline = ratchet(null, first, compare(first, null, thresholds), { sha: null, time: first.createdAt }).baseline;
    device.nextRun();
    const results = compare(await run(() => 'base'), baseline, thresholds, { looks: remeasureLooks }).results;
    spreadsTried.forEach((k, i) => {
      const hits = results.filter((r) => passes(r, k)).length;
      flaggedAt[i].benchmarks += hits;
      if (hits > 0) flaggedAt[i].prs += 1;
    });
    if (pr < slowedTrials) {
      for (const [s, slowdown] of bigSlowdowns.entries()) {
        device.nextRun();
        const slowedId = suite[pr % suite.length];
        const judged = compare(await run((b) => (b === slowedId ? `s${slowdown}` : 'base')), baseline, thresholds, { looks: remeasureLooks }).results;
        const result = judged.find((r) => r.id === first.measurements[pr % suite.length].id);
        spreadsTried.forEach((k, i) => (caughtAt[s][i] += passes(result, k) ? 1 : 0));
      }
    }
  }
  return spreadsTried.map((k, i) => ({
    runSpread, k, falseAlarms: rate(flaggedAt[i].benchmarks, prs * suite.length), perPr: pct(flaggedAt[i].prs / prs),
    caught: bigSlowdowns.map((_, s) => rate(caughtAt[s][i], slowedTrials)),
  }));
}

/** Wilson's 95% interval of hits / total, as a pair of rates. */
function wilson(hits, total) {
  const z = 1.96;
  const p = hits / Math.max(total, 1);
  const centre = (p + (z * z) / (2 * total)) / (1 + (z * z) / total);
  const half = (z * Math.sqrt((p * (1 - p)) / total + (z * z) / (4 * total * total))) / (1 + (z * z) / total);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
const counted = (text) => text.split(' ')[0].split('/').map(Number);

/** --digest: one cross-run cell judged against every sample and against the digest, same seeds. */
async function digestRow(spec, modelIndex, m) {
  const [fullVerdicts, digestVerdicts] = [[], []];
  const full = await crossRunRow(spec, modelIndex, m, (baseline) => baseline, fullVerdicts);
  const digest = await crossRunRow(spec, modelIndex, m, digestBaseline, digestVerdicts);
  const differing = fullVerdicts.filter((verdict, i) => verdict !== digestVerdicts[i]).length;
  const within = [full.falseAlarms, ...full.caught].every((cell, i) => {
    const [hits, total] = counted(cell);
    const [low, high] = wilson(hits, total);
    const [other] = counted([digest.falseAlarms, ...digest.caught][i]);
    return other / total >= low - 1e-9 && other / total <= high + 1e-9;
  });
  const withCi = (cell) => {
    const [hits, total] = counted(cell);
    const [low, high] = wilson(hits, total);
    return `${cell.split(' at ')[0]} [${pct(low)}, ${pct(high)}]`;
  };
  return {
    model: spec.name, m,
    full: [withCi(full.falseAlarms), ...full.caught.map(withCi)], digest: [digest.falseAlarms, ...digest.caught].map((cell) => cell.split(' at ')[0]),
    differing: `${differing} of ${fullVerdicts.length}`, within: within ? 'yes' : 'NO',
  };
}

/** Every cell, each computable alone (seeded by its indexes), so the workers can share them. */
const jobs = digestMode ? models.flatMap((spec, i) => [1, 10].map((m) => ({ name: `${spec.name}, digest, ${m}`, run: () => digestRow(spec, i, m) }))) : [
  ...models.flatMap((spec, i) => suiteSizes.flatMap((m) => [
    { name: `${spec.name}, paired, ${m}`, run: () => pairedRow(spec, i, m) },
    { name: `${spec.name}, cross-run, ${m}`, run: () => crossRunRow(spec, i, m) },
  ])),
  ...[0.01, 0.02, 0.04, 0.08].map((spread) => ({ name: `unconfirmable, runs ${spread * 100}% apart`, run: () => unconfirmableRow(spread) })),
];

if (!isMainThread) {
  parentPort.on('message', async (index) => parentPort.postMessage({ index, row: await jobs[index].run() }));
} else {
  await main();
}

async function main() {
  const started = performance.now();
  const rows = new Array(jobs.length);
  const chosen = jobs.map((_, index) => index).filter((index) => only === null || jobs[index].name.includes(only));
  // Two workers (the build machine has 2 cores), each taking the next cell when done with one.
  const workers = Math.max(1, Math.min(2, cpus().length));
  let next = 0;
  await Promise.all(Array.from({ length: workers }, () => new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { quick, only, digest: digestMode } });
    const take = () => (next >= chosen.length ? void worker.terminate().then(resolve) : worker.postMessage(chosen[next++]));
    worker.on('message', ({ index, row }) => {
      rows[index] = row;
      process.stderr.write(`${jobs[index].name}: ${((performance.now() - started) / 1e3).toFixed(0)} s\n`);
      take();
    });
    worker.on('error', reject);
    take();
  })));
  if (digestMode) return printDigestTable(rows.filter(Boolean), started);
  const cells = rows.slice(0, models.length * suiteSizes.length * 2).filter(Boolean);
  const unconfirmable = rows.slice(models.length * suiteSizes.length * 2).filter(Boolean).flat();
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}; ${quick ? 'quick (a fifth of the trials)' : 'full'}; ${((performance.now() - started) / 1e3).toFixed(0)} s`);
  console.log(`budget: budgets.cuda defaults (${budget.minSamples}-${budget.maxSamples} samples, ${budget.minTimeMs}-${budget.maxTimeMs} ms, CI target ${budget.targetRelCiHalfWidth * 100}%, ${budget.minSampleTicks} ticks a sample); thresholds: ${thresholds.relativeRegressionPct}% paired, ${thresholds.regressionPct}% cross-run (run-to-run prior ${thresholds.runToRunPct}%); alpha ${thresholds.alpha}, Holm over the pull request, ${remeasureLooks} looks\n`);
  const header = ['noise model', 'mode', 'PR of', 'A/A false alarms per benchmark', 'per PR', 'stated MDC (median)', ...multiples.map((k) => `caught at ${k}x threshold`), 'samples per side (median)', 'device time per comparison', 'stopped at a cap'];
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => ' --- ').join('|')}|`);
  for (const r of cells) console.log(`| ${[r.model, `${r.mode} (${r.threshold}%)`, r.m, r.falseAlarms, r.perPr, r.mdc, ...r.caught, r.samples, `${r.timeMs} ms`, r.capped].join(' | ')} |`);
  const bigHeader = ['runs apart (sd)', 'fails past threshold + k spreads', 'A/A false alarms per benchmark', 'per PR of 16', ...bigSlowdowns.map((s) => `+${Math.round((s - 1) * 100)}% caught`)];
  console.log(`\nUnconfirmable cross-run changes (no commit to confirm against; entries of one run, the 1% prior):\n`);
  console.log(`| ${bigHeader.join(' | ')} |`);
  console.log(`|${bigHeader.map(() => ' --- ').join('|')}|`);
  for (const r of unconfirmable) console.log(`| ${[`${r.runSpread * 100}%`, `k = ${r.k}`, r.falseAlarms, r.perPr, ...r.caught].join(' | ')} |`);
}

function printDigestTable(rows, started) {
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, node ${process.version}; ${quick ? 'quick (a fifth of the trials)' : 'full'}; ${((performance.now() - started) / 1e3).toFixed(0)} s`);
  console.log(`cross-run (${thresholds.regressionPct}%), each trial judged against the baseline with every sample and against its digest (baseline's digest.ts), on the same seeds; [95% CI] of the rate with every sample\n`);
  const header = ['noise model', 'PR of', 'A/A false alarms: every sample', 'digest', ...multiples.flatMap((k) => [`caught at ${k}x: every sample`, 'digest']), 'digest within the CIs', 'verdicts that differ'];
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map(() => ' --- ').join('|')}|`);
  for (const r of rows) console.log(`| ${[r.model, r.m, ...r.full.flatMap((cell, i) => [cell, r.digest[i]]), r.within, r.differing].join(' | ')} |`);
}
