#!/usr/bin/env node
// Runs every bad input and fault of scripts/fault-cases.mjs through the real CLI (CPU backend,
// scratch projects under the temp directory) and writes docs/faults.md: per case the command,
// the exit status, what was left on disk and the message. Build first (`pnpm build`).
//
//   node scripts/fault-table.mjs                     # all cases, docs/faults.md
//   node scripts/fault-table.mjs --only lock-held,disk-full --out -   # some, to stdout
//   node scripts/fault-table.mjs --cli /old/checkout/packages/cli/dist/bin.js --out old.md
//
// Exits 1 when a case did not end as expected (the table marks it), 0 otherwise.
import { rmSync, writeFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cases } from './fault-cases.mjs';
import { defaultCli, prepareTemplates, repoRoot, runCase } from './fault-runner.mjs';

const { values } = parseArgs({
  options: {
    cli: { type: 'string', default: defaultCli },
    only: { type: 'string' },
    out: { type: 'string', default: join(repoRoot, 'docs/faults.md') },
    jobs: { type: 'string', default: '2' },
  },
});
const wanted = values.only ? new Set(values.only.split(',')) : null;
const chosen = cases.filter((c) => !wanted || wanted.has(c.id));
if (wanted && chosen.length !== wanted.size) {
  const known = new Set(cases.map((c) => c.id));
  console.error(`unknown case(s): ${[...wanted].filter((id) => !known.has(id)).join(', ')}`);
  process.exit(2);
}

const started = performance.now();
const templates = await prepareTemplates(values.cli);
const outcomes = new Array(chosen.length);
let next = 0;
// A small pool: the cases are independent projects; two at a time suits a 2-core machine.
await Promise.all(Array.from({ length: Math.max(1, Number(values.jobs)) }, async () => {
  while (next < chosen.length) {
    const index = next++;
    outcomes[index] = await runCase(chosen[index], { cli: values.cli, templates });
    const o = outcomes[index];
    process.stderr.write(`${o.skipped ? 'skip' : o.ok ? ' ok ' : 'FAIL'} ${chosen[index].id}${o.skipped ? ` (${o.skipped})` : ''}\n`);
  }
}));
rmSync(templates.root, { recursive: true, force: true });
const seconds = (performance.now() - started) / 1e3;

const cell = (text) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const command = (c) => (c.args ? `\`ratchet ${c.args.join(' ')}\`` : '(see the case)');
const leftOnDisk = (o) => (o.left.length === 0 ? 'nothing changed' : o.left.map((change) => `\`${change}\``).join(' '));
const expected = (c) => [c.expect.exit].flat().join(' or ');

const groups = [...new Set(chosen.map((c) => c.group))];
const done = outcomes.filter((o) => !o.skipped);
const asExpected = done.filter((o) => o.ok).length;
const lines = [
  '# Bad inputs and faults: what `ratchet` does',
  '',
  '```sh',
  'npx -y pnpm@10.34.9 build && node scripts/fault-table.mjs',
  '```',
  '',
  `Every case runs the real CLI (CPU backend) on a scratch project copied from one of two`,
  `templates: \`fresh\` (ratchet.config.json only: two tiny shapes, short budgets) or \`seeded\`` ,
  `(after a first \`ratchet run\`: baseline, history, results, comparison, report). "Left on disk"`,
  `is the project after the command against the project before it: \`+\` created, \`~\` changed,`,
  `\`-\` removed; temporaries would show as \`.<name>.<pid>.<hex>.tmp\`. The cases live in`,
  `scripts/fault-cases.mjs, scripts/fault-cases-system.mjs, scripts/fault-cases-first-steps.mjs,`,
  `scripts/fault-cases-harness.mjs and scripts/fault-cases-native.mjs (the "native" group runs the CLI`,
  `as an install lays it out, its @ratchet/native changed by the case: scripts/installed-copy.mjs);`,
  `"item" is the item of issue 16 a case comes from (22.3: issue 22, "what a new user hits first";`,
  `25: issue 25, other harnesses' output). Exit codes: 0 pass, 1 regression or failed check, 2 bad`,
  `input (nothing written), 3 environment (no device, driver too old, addon not loadable, lock held,`,
  `GitHub), 130 interrupted (README.md).`,
  '',
  `${chosen.length} cases, ${asExpected} of ${done.length} run ended as expected, ${chosen.length - done.length} skipped; ${seconds.toFixed(0)} s on ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Linux ${release()}, Node ${process.versions.node}, ${new Date().toISOString().slice(0, 10)}.`,
  '',
];
for (const group of groups) {
  lines.push(`## ${group}`, '', '| case | command | item | exit (expected) | left on disk | message |', '| --- | --- | --- | --- | --- | --- |');
  chosen.forEach((c, index) => {
    if (c.group !== group) return;
    const o = outcomes[index];
    if (o.skipped) {
      lines.push(`| ${cell(c.title)} | ${cell(command(c))} | ${c.item ?? ''} | skipped (${cell(expected(c))}) | ${cell(o.skipped)} | |`);
      return;
    }
    const mark = o.ok ? '' : ' **not as expected**';
    lines.push(`| ${cell(c.title)} | ${cell(command(c))} | ${c.item ?? ''} | ${cell(o.status)} (${cell(expected(c))})${mark} | ${cell(leftOnDisk(o))} | ${cell(o.message)} |`);
  });
  lines.push('');
}
const text = `${lines.join('\n')}`;
if (values.out === '-') process.stdout.write(text);
else writeFileSync(values.out, text);
process.stderr.write(`${asExpected}/${done.length} as expected, ${chosen.length - done.length} skipped, ${seconds.toFixed(0)} s${values.out === '-' ? '' : `: ${values.out}`}\n`);
process.exitCode = asExpected === done.length ? 0 : 1;
