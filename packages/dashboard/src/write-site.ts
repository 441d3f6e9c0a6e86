import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { vegaBrowserFiles } from '@ratchet/charts';
import { replaceDirectory, type DirectoryFile } from '@ratchet/files';
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

/** Every file of the site: the assets copied as they are, the specs and the data as scripts, the marker. */
function siteFiles(data: SiteData): DirectoryFile[] {
  return [
    { path: 'index.html', copyOf: join(assets, 'index.html') },
    { path: 'assets/app.js', copyOf: join(assets, 'app.js') },
    { path: 'assets/rows.js', copyOf: join(assets, 'rows.js') },
    { path: 'assets/style.css', copyOf: join(assets, 'style.css') },
    { path: 'assets/vega.min.js', copyOf: vegaBrowserFiles.script },
    { path: 'assets/vega-LICENSE.txt', copyOf: vegaBrowserFiles.license },
    { path: 'assets/charts.js', text: script('RATCHET_SPECS', chartSpecs()) },
    { path: 'data.js', text: script('RATCHET_DATA', data) },
    { path: siteMarker, text: 'Written by `ratchet dashboard`, which replaces this directory as a whole.\n' },
    // GitHub Pages would otherwise run the files through Jekyll.
    { path: '.nojekyll', text: '' },
  ];
}

/**
 * Writes the static site (index.html, data.js, assets/) to `out`, replacing an earlier one as a
 * whole (@ratchet/files' replaceDirectory): a failure leaves the old site as it was and a reader
 * never sees half of one. A directory ratchet did not write is refused.
 */
export async function writeSite(out: string, data: SiteData): Promise<void> {
  await replaceDirectory(out, siteFiles(data), { marker: siteMarker, what: 'the dashboard', hint: 'choose another --out' });
}
