#!/usr/bin/env node
// Writes the JSON Schema files of @ratchet/types (packages/types/schema/*.schema.json) and the
// reference page generated from them (docs/schemas.md), from the one definition of each format in
// packages/types/src. Run after building (node scripts/build-quietly.mjs, or tsc -b in packages/types):
//   node scripts/schemas.mjs
// packages/types/src/schema-files.test.ts and docs/docs.test.ts fail while either is stale.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const { schemaFiles, schemaFileText, schemaReference } = await import(join(repoRoot, 'packages/types/dist/schema-files.js'));

for (const { name, schema } of schemaFiles) writeFileSync(join(repoRoot, 'packages/types/schema', name), schemaFileText(schema));
writeFileSync(join(repoRoot, 'docs/schemas.md'), schemaReference());
console.log(`wrote ${schemaFiles.length} schema files and docs/schemas.md`);
