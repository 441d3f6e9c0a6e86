// Debian's Chromium driven by playwright-core (which never downloads a browser of its own), with
// the flags this project's machines need: as root no sandbox, and no background networking (the
// network is closed: without these flags Chromium retries Google's hosts at every start).
import { existsSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const chromiumPath = '/usr/bin/chromium';

/** Why the browser tests cannot run here, or null when they can. */
export function chromiumMissing() {
  return existsSync(chromiumPath) ? null : `no Chromium at ${chromiumPath} (install it with: apt-get install -y chromium)`;
}

export const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

/** A headless Chromium with a fresh, empty profile. */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'ratchet-chromium-')), {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
  });
}
