// A driver too old for the addon's CUDA runtime, which no machine here has: a stand-in r570 driver
// (native/test/fixtures/old_driver.c) put first on LD_LIBRARY_PATH of a child process. The CUDA
// runtime refuses it as it refuses a real one; the addon must then name what is installed and
// what it needs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadNative, nativeAddonPath } from '../lib/index.js';
import { findNvcc, nvccRelease } from '../scripts/build-plan.mjs';
import { buildOldDriver, hasCompiler, repoRoot } from '../scripts/test-plugins.mjs';

const withCuda = loadNative().compiledBackends().includes('cuda');
const unavailable = !withCuda ? 'the addon has no CUDA backend compiled in' : !hasCompiler('g++') ? 'no g++ to build the stand-in driver' : null;

/** What the addon says about CUDA in a process that finds the stand-in driver first. */
function underOldDriver() {
  const driver = buildOldDriver(mkdtempSync(join(tmpdir(), 'ratchet-old-driver-')));
  const script = `
    const { loadNativeFrom } = await import(${JSON.stringify(pathToFileURL(join(repoRoot, 'native/dist/index.js')).href)});
    const native = loadNativeFrom(${JSON.stringify(nativeAddonPath())});
    let code = null;
    try { native.open('cuda', { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 64, D: 64, causal: false }); } catch (error) { code = error.code; }
    console.log(JSON.stringify({ devices: native.devices('cuda'), reason: native.unavailableReason('cuda'), code }));`;
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, LD_LIBRARY_PATH: driver } });
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout) as { devices: unknown[]; reason: string; code: string | null };
}

describe.skipIf(unavailable !== null)(`a driver older than the addon's CUDA runtime${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  it('lists no device, names the installed and the required driver, and refuses a CUDA session as ERR_RATCHET_DRIVER_TOO_OLD', () => {
    const said = underOldDriver();
    expect(said.devices).toEqual([]);
    // The runtime linked in is the toolkit's that built the addon: 13.x needs r580, 12.x r525.
    const runtime = nvccRelease(spawnSync(findNvcc()!, ['--version'], { encoding: 'utf8' }).stdout)!;
    const branch = { 13: 580, 12: 525 }[Number(runtime.split('.')[0])];
    expect(said.reason).toBe(
      `the NVIDIA driver is too old: installed driver 570.133.20 runs CUDA 12.8 at most, and this build of the addon needs driver r${branch} or newer ` +
        `(its CUDA runtime is ${runtime}, linked in). Update the driver, or build the addon from source with a CUDA toolkit of 12.8 or older (RATCHET_BUILD_FROM_SOURCE=1)`,
    );
    expect(said.code).toBe('ERR_RATCHET_DRIVER_TOO_OLD');
  });
});
