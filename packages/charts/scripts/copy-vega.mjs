#!/usr/bin/env node
// Vega's browser build (a classic script: its package exports only its module build, the UMD one
// sits beside it) and its license, into dist/, where vegaBrowserFiles() finds them: the dashboard
// copies both into every site it writes.
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const vegaBuild = dirname(createRequire(import.meta.url).resolve('vega'));
mkdirSync(dist, { recursive: true });
copyFileSync(join(vegaBuild, 'vega.min.js'), join(dist, 'vega.min.js'));
copyFileSync(join(vegaBuild, '..', 'LICENSE'), join(dist, 'vega-LICENSE.txt'));
