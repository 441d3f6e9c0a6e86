import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vegaBrowserFiles } from '@ratchet/charts';
import { RatchetError } from '@ratchet/types';
import type { SiteData } from './site-data.js';
import { chartSpecs } from './specs.js';

/** Left in every site written, so a later run knows the directory is one it may replace. */
export const siteMarker = '.ratchet-dashboard';

// Beside src/ and dist/ alike, so the source (tests) and the build (the CLI) find the same files.
const assets = join(dirname(fileURLToPath(import.meta.url)), '..', 'assets');

/**
 * A global for a classic script, as JSON.parse of a string literal: browsers parse JSON text
 * several times faster than an object literal of the same size, and data.js is most of the page.
 */
const script = (name: string, value: unknown) => `window.${name} = JSON.parse(${JSON.stringify(JSON.stringify(value))});\n`;

async function assertReplaceable(out: string): Promise<boolean> {
  let info;
  try {
    info = await stat(out);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
  const entries = info.isDirectory() ? await readdir(out) : null;
  if (entries && (entries.length === 0 || entries.includes(siteMarker))) return true;
  throw new RatchetError(
    'ERR_RATCHET_UNWRITABLE_PATH',
    `${out}: ${entries ? `is a directory that ratchet did not write (no ${siteMarker} in it)` : 'is not a directory'}: refusing to replace it; choose another --out`,
    { file: out },
  );
}

async function fill(dir: string, data: SiteData): Promise<void> {
  await mkdir(join(dir, 'assets'), { recursive: true });
  await Promise.all([
    copyFile(join(assets, 'index.html'), join(dir, 'index.html')),
    copyFile(join(assets, 'app.js'), join(dir, 'assets', 'app.js')),
    copyFile(join(assets, 'rows.js'), join(dir, 'assets', 'rows.js')),
    copyFile(join(assets, 'style.css'), join(dir, 'assets', 'style.css')),
    copyFile(vegaBrowserFiles.script, join(dir, 'assets', 'vega.min.js')),
    copyFile(vegaBrowserFiles.license, join(dir, 'assets', 'vega-LICENSE.txt')),
    writeFile(join(dir, 'assets', 'charts.js'), script('RATCHET_SPECS', chartSpecs())),
    writeFile(join(dir, 'data.js'), script('RATCHET_DATA', data)),
    writeFile(join(dir, siteMarker), 'Written by `ratchet dashboard`, which replaces this directory as a whole.\n'),
    // GitHub Pages would otherwise run the files through Jekyll.
    writeFile(join(dir, '.nojekyll'), ''),
  ]);
}

/**
 * Writes the static site (index.html, data.js, assets/) to `out`, replacing an earlier one as a
 * whole: it is built beside `out` and renamed into place, so a failure leaves the old site as
 * it was and a reader never sees half of one. A directory ratchet did not write is refused.
 */
export async function writeSite(out: string, data: SiteData): Promise<void> {
  const replacing = await assertReplaceable(out);
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const building = join(dirname(out), `.${basename(out)}.new-${suffix}`);
  const retired = join(dirname(out), `.${basename(out)}.old-${suffix}`);
  try {
    await fill(building, data);
    if (replacing) await rename(out, retired);
    try {
      await rename(building, out);
    } catch (error) {
      if (replacing) await rename(retired, out);
      throw error;
    }
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    throw new RatchetError('ERR_RATCHET_UNWRITABLE_PATH', `${out}: cannot write the dashboard (${(error as Error).message})`, { file: out, cause: error });
  }
  await rm(retired, { recursive: true, force: true });
}
