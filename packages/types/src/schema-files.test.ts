import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { schemaFiles, schemaFileText } from './schema-files.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const packageJson = JSON.parse(readFileSync(`${packageDir}package.json`, 'utf8'));

describe('the shipped JSON Schema files', () => {
  it.each(schemaFiles.map((file) => [file.name, file]))('%s is the schema of its format as written now (else: node scripts/schemas.mjs)', (name, file) => {
    expect(readFileSync(`${packageDir}schema/${name}`, 'utf8')).toBe(schemaFileText(file.schema));
  });

  it.each(schemaFiles.map((file) => [file.name]))('%s is exported by the package', (name) => {
    expect(packageJson.exports[`./schema/${name}`]).toBe(`./schema/${name}`);
    expect(packageJson.files).toContain('schema');
  });
});
