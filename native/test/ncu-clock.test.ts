import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// kernels/dev/ncu_clock.py, which scripts/gpu-host.sh --sweep runs on Nsight Compute's CSV: read here from
// a CSV Nsight Compute wrote on an H100 (fp16 B2 H16 S8192 D128, ours and cuDNN, 2026-12-07).
const script = fileURLToPath(new URL('../../kernels/dev/ncu_clock.py', import.meta.url));
const h100Csv = fileURLToPath(new URL('../../docs/results/2026-12-07-h100-s10-ncu-s8192-d128-rested.csv', import.meta.url));
const flops = String(4 * 2 * 16 * 8192 * 8192 * 128);
const noPython = spawnSync('python3', ['--version']).error ? 'no python3 here' : null;

function read(csv: string) {
  const run = spawnSync('python3', [script, csv, '--flops', flops, '--sms', '132'], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function edited(change: (text: string) => string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ratchet-ncu-')), 'ncu.csv');
  writeFileSync(path, change(readFileSync(h100Csv, 'utf8')));
  return path;
}

describe.skipIf(noPython !== null)(`the clock inside a launch, from Nsight Compute's CSV${noPython ? ` (skipped: ${noPython})` : ''}`, () => {
  it('gives each kernel its median time, the clock inside its launches and its share of the peak at that clock', () => {
    const run = read(h100Csv);
    expect(run.status).toBe(0);
    const [ours, cudnn] = run.stdout.trim().split('\n');
    expect(ours).toMatch(/^void ratchet::flashForwardSm90V5.*: 6 launches, 1\.5883 ms, 1\.652 GHz inside the launch, 692 TFLOP\/s, 77\.5% of the tensor peak at that clock, tensor pipe busy 80\.8%$/);
    expect(cudnn).toMatch(/^cudnn_generated.*: 6 launches, 1\.6637 ms, 1\.641 GHz inside the launch, 661 TFLOP\/s, 74\.5% of the tensor peak/);
  });

  it('reads a duration in the unit ncu scaled it to', () => {
    const inMs = edited((text) => text.replaceAll('"gpu__time_duration.sum","ns","1,587,552"', '"gpu__time_duration.sum","msecond","1.587552"'));
    expect(read(inMs).stdout).toContain('1.5883 ms, 1.652 GHz');
  });

  it('refuses a unit it does not know instead of printing a wrong figure', () => {
    const run = read(edited((text) => text.replaceAll('"gpu__time_duration.sum","ns"', '"gpu__time_duration.sum","cycle"')));
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("gpu__time_duration.sum in 'cycle', a unit this reader does not know");
  });

  it('exits 1 with one line when no launch has both a duration and a clock', () => {
    const run = read(edited((text) => text.replaceAll('sm__cycles_elapsed.avg.per_second', 'sm__cycles_elapsed.avg')));
    expect(run.status).toBe(1);
    expect(run.stderr.trim()).toMatch(/: no launch with both gpu__time_duration\.sum and sm__cycles_elapsed\.avg\.per_second$/);
  });
});
