#!/usr/bin/env node
// Builds the addon into build/Release with cmake, offline (build-addon.mjs). What is compiled (the
// CPU backend always; the CUDA backend for which architectures) comes from build-plan.mjs:
// RATCHET_CUDA=0, RATCHET_CUDA_ARCHITECTURES (a list, or `full` for the release list), else the
// GPUs present. `--plan` prints that decision as JSON and builds nothing (an nx runtime input).
// The workspace's `pnpm build` runs this; so does a source build of an installed @ratchet/native
// (RATCHET_BUILD_FROM_SOURCE=1, lib/source-build.ts), from the sources the package ships.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { buildAddon, describePlan, missingTools, nativeRoot } from './build-addon.mjs';
import { buildPlan } from './build-plan.mjs';

/** Builds build/Release/ratchet_native.node; false (having said why on stderr) when it cannot. */
export function buildFromSource(plan = buildPlan()) {
  // The system tools: say which one is missing, once, before anything is touched.
  const missing = missingTools();
  if (missing.length > 0) {
    const listed = missing.length > 1 ? `${missing.slice(0, -1).join(', ')} and ${missing.at(-1)}` : missing[0];
    console.error(`native: ${listed} not found on PATH; install ${missing.length === 1 ? 'it' : 'them'} (Debian/Ubuntu: apt-get install -y cmake g++ make) and build again`);
    return false;
  }
  try {
    buildAddon({ buildDir: join(nativeRoot, 'build'), plan });
  } catch (error) {
    console.error(`native: ${error.message}`);
    return false;
  }
  console.log(`native: built ${describePlan(plan)}`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const plan = buildPlan();
  if (process.argv.includes('--plan')) {
    console.log(JSON.stringify(plan));
    process.exit(0);
  }
  process.exit(buildFromSource(plan) ? 0 : 1);
}
