// @ratchet/charts: Vega and Vega-Lite, for the SOTA chart @ratchet/report draws in Node and the
// dashboard @ratchet/dashboard writes. Published as one module with both inlined
// (scripts/bundle-dependencies.mjs), so a Ratchet install gets neither's dependency tree nor its
// commands; importers load it lazily, only when they draw.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export { logger, parse, View, Warn, type LoggerInterface } from 'vega';
export { compile, type TopLevelSpec } from 'vega-lite';

// src/ and dist/ both sit one level below the package: the build put the browser files in dist/.
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');

/** Vega's browser build (a classic script defining `vega`) and its license, as files to copy into a page. */
export const vegaBrowserFiles = { script: join(dist, 'vega.min.js'), license: join(dist, 'vega-LICENSE.txt') };
