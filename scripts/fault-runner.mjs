// How scripts/fault-cases.mjs is run: every case on a copy of a scratch project, through the
// real CLI (CPU backend), with what it left on disk taken as a diff of the project before and
// after. Used by scripts/fault-table.mjs (docs/faults.md) and packages/cli/test/faults.e2e.test.ts.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const defaultCli = join(repoRoot, 'packages/cli/dist/bin.js');

/** Two tiny shapes and budgets: a measuring case takes about a second. */
export const quickConfig = {
  suites: {
    cpu: [
      { kernel: 'flash_fwd', dtype: 'fp16', B: 1, H: 1, S: 32, D: 16, causal: false },
      { kernel: 'flash_fwd', dtype: 'bf16', B: 1, H: 1, S: 24, D: 8, causal: true },
    ],
  },
  budgets: { cpu: { warmup: 1, minSamples: 5, maxSamples: 20, minTimeMs: 1, maxTimeMs: 30 } },
  // How steady a first CPU run is depends on the machine's load, which no case may: the first run
  // always stores its entries, so the cases that damage .ratchet/ find it there.
  thresholds: { newEntryMaxCvPct: 1e6 },
};

/** A budget no run finishes: signal cases stop it after the line that announces how long it takes. */
export const endlessBudget = { cpu: { warmup: 1, minSamples: 5, maxSamples: 1e9, minTimeMs: 600_000, maxTimeMs: 1_200_000 } };

/** Above the kernel's largest pid_max (2^22): no process has it. */
export const deadPid = 2 ** 22 + 1;

/** Every file (and empty directory) under `dir`, by relative path, as a content hash. */
export function snapshot(dir) {
  const files = {};
  const walk = (at) => {
    for (const name of readdirSync(at)) {
      // git's own files and the base worktrees relative mode keeps are not outputs of ratchet.
      if (name === '.git') continue;
      const path = join(at, name);
      const info = statSync(path);
      const key = path.slice(dir.length + 1);
      if (info.isDirectory() && key.startsWith('.ratchet-cache/')) {
        files[`${key}/`] = 'worktree';
        continue;
      }
      if (info.isDirectory()) {
        if (readdirSync(path).length === 0) files[`${key}/`] = 'dir';
        else walk(path);
      } else files[key] = createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16);
    }
  };
  walk(dir);
  return files;
}

/** What changed between two snapshots: `+created`, `~modified`, `-removed`, sorted by path. */
export function changes(before, after) {
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return paths.flatMap((path) => {
    if (!(path in before)) return [`+${path}`];
    if (!(path in after)) return [`-${path}`];
    return before[path] === after[path] ? [] : [`~${path}`];
  });
}

/** A scratch project handed to a case's setup. */
export function project(dir) {
  const path = (rel) => join(dir, rel);
  return {
    dir,
    path,
    write: (rel, text) => {
      mkdirSync(dirname(path(rel)), { recursive: true });
      writeFileSync(path(rel), typeof text === 'string' ? text : JSON.stringify(text, null, 2));
    },
    read: (rel) => readFileSync(path(rel), 'utf8'),
    remove: (rel) => rmSync(path(rel), { recursive: true, force: true }),
    json: (rel) => JSON.parse(readFileSync(path(rel), 'utf8')),
    config: (extra) => writeFileSync(path('ratchet.config.json'), JSON.stringify({ ...quickConfig, ...extra }, null, 2)),
  };
}

function spawnCli(cli, cwd, args, options = {}) {
  // `bare`: the prefix is the whole command (a shell that runs the CLI itself).
  const command = options.bare ? options.prefix : [...(options.prefix ?? []), process.execPath, cli, ...args];
  return spawn(command[0], command.slice(1), { cwd, env: { ...process.env, NO_COLOR: '1', ...options.env } });
}

/** Runs the CLI to the end; with `until` and `signal`, sends the signal once stderr matches. */
export function runCli(cli, cwd, args, options = {}) {
  return new Promise((resolvePromise) => {
    const child = spawnCli(cli, cwd, args, options);
    options.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    let sent = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
      if (!sent && options.until && options.until.test(stderr)) {
        sent = true;
        child.kill(options.signal);
      }
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolvePromise({ status, signal, stdout, stderr });
    });
  });
}

/** The line that says what happened: the last error line of stderr (`ratchet: ...`, commander's `error: ...`), else its last line. */
export function message(stderr, dir) {
  const lines = saidLines(stderr);
  const last = lines.filter((line) => /^(ratchet|error): /.test(line)).at(-1) ?? lines.at(-1) ?? '';
  return anonymous(last, dir);
}

function saidLines(stderr) {
  return stderr.split('\n').filter((line) => line.trim() !== '' && !/^\[\d+\/\d+\]/.test(line));
}

function anonymous(line, dir) {
  return line.split(dir).join('<project>').split(repoRoot).join('<repo>').split(tmpdir()).join('<tmp>').replace(/\.\d+\.[0-9a-f]{8}\.(tmp|bak)\b/g, '.<pid>.<hex>.$1');
}

/** The two starting points: a project with its config only, and one after a first `ratchet run`. */
export async function prepareTemplates(cli, root = mkdtempSync(join(tmpdir(), 'ratchet-faults-'))) {
  // Traversable by every uid: some cases run the CLI as nobody.
  chmodSync(root, 0o755);
  const fresh = join(root, 'fresh');
  mkdirSync(fresh);
  project(fresh).config({});
  const seeded = join(root, 'seeded');
  cpSync(fresh, seeded, { recursive: true });
  const first = await runCli(cli, seeded, ['run', '--backend', 'cpu']);
  if (first.status !== 0) throw new Error(`the seeded project's first run failed: ${first.stderr}`);
  return { root, fresh, seeded };
}

/**
 * One case: a copy of its template, its setup, the command (or its own `run`), the outcome. A
 * case whose `needs` the machine cannot meet comes back skipped, with why.
 */
export async function runCase(testCase, { cli = defaultCli, templates }) {
  const missing = testCase.needs?.();
  if (missing) return { testCase, skipped: missing };
  const dir = mkdtempSync(join(templates.root, 'case-'));
  chmodSync(dir, 0o755);
  cpSync(templates[testCase.from ?? 'seeded'], dir, { recursive: true });
  const p = project(dir);
  const extra = (await testCase.setup?.(p)) ?? {};
  const before = snapshot(dir);
  const outcome = testCase.run
    ? await testCase.run(p, { cli, runCli, extra })
    : await runCli(cli, dir, testCase.args, extra);
  await testCase.cleanup?.(p);
  const after = existsSync(dir) ? snapshot(dir) : {};
  const left = changes(before, after);
  const status = outcome.status ?? outcome.signal ?? null;
  const disk = testCase.expect.disk;
  let diskOk;
  try {
    diskOk = typeof disk === 'function' ? disk(left, p, outcome) : disk === 'nothing' ? left.length === 0 : true;
  } catch {
    // What the command left cannot even be read as expected (a glued history line, say).
    diskOk = false;
  }
  const exits = [testCase.expect.exit].flat();
  const said = message(outcome.stderr ?? '', dir);
  // A case whose line may be followed by the run's own notes (a benchmark the noise of a loaded
  // machine left inconclusive is re-measured and says so last) asks for its line anywhere.
  const saidOk = !testCase.expect.message || (testCase.expect.messageAnywhere
    ? saidLines(outcome.stderr ?? '').some((line) => testCase.expect.message.test(anonymous(line, dir)))
    : testCase.expect.message.test(said));
  return { testCase, status, left, message: said, ok: exits.includes(status) && diskOk && saidOk };
}

/** True where a command exists on this machine. */
export function hasCommand(name, args = ['--version']) {
  return spawnSync(name, args, { stdio: 'ignore' }).status === 0;
}
