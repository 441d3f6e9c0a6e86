// The faults of the native addon as a user meets them: a prebuilt binary damaged, for another
// machine or missing for this platform (the CLI run from an install's layout, scripts/installed-copy.mjs,
// whose @ratchet/native a case changes), and a driver too old for the addon's CUDA runtime (a
// stand-in r570 driver first on LD_LIBRARY_PATH: native/test/fixtures/old_driver.c). Each must be
// one message, exit 3, nothing written.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { installedCopy } from './installed-copy.mjs';
import { buildOldDriver, hasCompiler } from '../native/scripts/test-plugins.mjs';
import { loadNative } from '../native/dist/index.js';

const run = ['run', '--backend', 'cpu'];
const refused = (message) => ({ exit: 3, disk: 'nothing', message });
const here = `${process.platform}-${process.arch}`;

/** Records the binary's new size and sha256, as a release that packed the wrong file would have. */
function rerecord(prebuilt) {
  const infoPath = join(dirname(prebuilt), 'build-info.json');
  const info = JSON.parse(readFileSync(infoPath, 'utf8'));
  const bytes = readFileSync(prebuilt);
  writeFileSync(infoPath, JSON.stringify({ ...info, binary: { ...info.binary, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') } }));
}

/** A case run through an installed copy of the CLI whose @ratchet/native `damage` changes first. */
function installedCase(id, title, damage, message, needs) {
  return {
    id, group: 'native', title, args: run, expect: refused(message), needs,
    run: async (p, { runCli }) => {
      const root = `${p.dir}.install`;
      try {
        const { bin, native } = await installedCopy(root);
        damage(native);
        return await runCli(bin, p.dir, run);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}

const needsLinuxX64 = () => (here === 'linux-x64' ? null : 'a linux-x64 machine (the ELF machine written is x86-64)');
const needsCudaBuild = () => {
  if (!loadNative().compiledBackends().includes('cuda')) return 'the addon has no CUDA backend compiled in (RATCHET_CUDA_ARCHITECTURES=90-real pnpm build)';
  return hasCompiler('g++') ? null : 'no g++ to build the stand-in driver';
};

export const nativeCases = [
  installedCase('native-prebuilt-truncated', 'the prebuilt binary cut short (an interrupted download or copy)', ({ prebuilt }) => truncateSync(prebuilt, 4096),
    /corrupted: 4096 bytes, where its build wrote \d+ \(an interrupted copy or download\)$/),
  installedCase('native-prebuilt-changed', 'the prebuilt binary with bytes changed in place (same size)', ({ prebuilt }) => {
    const bytes = readFileSync(prebuilt);
    bytes.fill(0x90, bytes.length >> 1, (bytes.length >> 1) + 64);
    writeFileSync(prebuilt, bytes);
  }, /corrupted: its sha256 is not the one its build recorded \(damaged on disk or in transfer\)$/),
  installedCase('native-prebuilt-other-arch', 'a prebuilt binary for linux-arm64 filed under linux-x64', ({ prebuilt }) => {
    const bytes = readFileSync(prebuilt);
    bytes.writeUInt16LE(183, 18); // e_machine: AArch64
    writeFileSync(prebuilt, bytes);
    rerecord(prebuilt);
  }, /a binary for linux-arm64, not for this machine \(linux-x64\)$/, needsLinuxX64),
  installedCase('native-prebuilt-none', 'no prebuilt binary for this platform (the package has darwin-arm64 only)', ({ dir, platformDir }) => {
    renameSync(join(dir, 'prebuilds', platformDir), join(dir, 'prebuilds', 'darwin-arm64'));
  }, new RegExp(`no build in build/Release and no prebuilt binary for ${here} in prebuilds/$`)),
  {
    id: 'native-driver-too-old', group: 'native', title: '`--backend cuda` under a driver older than the CUDA runtime (a stand-in r570 driver)', args: ['run', '--backend', 'cuda'],
    needs: needsCudaBuild,
    setup: () => ({ env: { LD_LIBRARY_PATH: buildOldDriver(mkdtempSync(join(tmpdir(), 'ratchet-old-driver-'))) } }),
    expect: refused(/--backend cuda: the NVIDIA driver is too old: installed driver 570\.133\.20 runs CUDA 12\.8 at most, and this build of the addon needs driver r\d+ or newer/),
  },
];
