#!/usr/bin/env node
// The entry point of `pnpm bench` (and the other bench:* scripts): commands run one after another,
// as `a && b` would, by one process that takes them down with it.
//
//   node scripts/run-steps.mjs <command> [args...] [--then <command> [args...]]...
//
// Arguments after the last step's own (pnpm appends a script's extra arguments) go to that step.
// Why not `a && b`: signals do not travel down `npx pnpm bench`. Measured on Debian 12, npm 10,
// pnpm 10: SIGTERM to npx ends npx and leaves pnpm running; SIGTERM to pnpm ends pnpm and the
// `sh -c` it ran the script in, and the build (or `ratchet run`) under it went on, orphaned, and
// wrote results. So this process
// - runs each step as the leader of its own process group and, on SIGINT or SIGTERM (SIGHUP: as
//   SIGTERM), sends the signal to that whole group (the build's cmake and nvcc; `ratchet run`
//   stops its own children and exits 130), runs no further step, and exits with the step's status;
// - watches the launchers above it (npm, npx, pnpm, yarn and the `sh -c` they run scripts in):
//   when one of them ends or is orphaned, as a signal to npx or pnpm leaves them, it acts as on
//   SIGTERM, within half a second.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';

/** How often the launchers above are looked at, ms. */
const watchEveryMs = 500;

/** `a x --then b y` as [['a', 'x'], ['b', 'y']]. */
export function splitSteps(args) {
  const steps = [[]];
  for (const arg of args) {
    if (arg === '--then') steps.push([]);
    else steps.at(-1).push(arg);
  }
  if (steps.some((step) => step.length === 0)) throw new Error('run-steps: every step needs a command: run-steps.mjs <command...> [--then <command...>]...');
  return steps;
}

/** The command line of a process, and its parent, from /proc; null when it is gone (or no /proc). */
function processInfo(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // `pid (comm) state ppid ...`: comm may hold spaces and parentheses, so read after the last ')'.
    const [state, ppid, group] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state === 'Z' || state === 'X') return null;
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return { ppid: Number(ppid), group: Number(group), argv };
  } catch {
    return null;
  }
}

/**
 * Whether a command line is a package manager running a script, or the shell it runs it in: these
 * forward no signal. npm retitles itself (`npm exec pnpm bench`, one argument with spaces).
 */
export function isLauncher(argv) {
  const words = argv.flatMap((arg) => arg.split(' ')).filter(Boolean);
  const program = basename(words[0] ?? '');
  if (/^(ba|da)?sh$/.test(program)) return words[1] === '-c';
  const tool = (name) => /^(npm|npx|pnpm|pnpx|yarn)(-cli)?(\.c?js)?$/.test(basename(name ?? ''));
  return tool(words[0]) || (/^node(js)?$/.test(program) && tool(words[1]));
}

/** The launchers above this process, nearest first, each with the parent it has now. */
function launchers() {
  const chain = [];
  for (let pid = process.ppid; pid > 1;) {
    const info = processInfo(pid);
    if (!info || !isLauncher(info.argv)) break;
    chain.push({ pid, ppid: info.ppid });
    pid = info.ppid;
  }
  return chain;
}

/**
 * Calls `onGone` once any watched launcher has ended or lost its parent (orphaned by a signal above
 * it), or at once where that happened before this process started: a launcher above was orphaned
 * (its parent is init) and the leader of our process group (npx, as the shell started it) is gone.
 */
function watchLaunchers(onGone) {
  const watched = launchers();
  const parent = process.ppid;
  const group = processInfo(process.pid)?.group;
  if (watched.some(({ ppid }) => ppid === 1) && group !== undefined && group !== process.pid && processInfo(group) === null) {
    onGone();
    return;
  }
  const timer = setInterval(() => {
    const gone = process.ppid !== parent || watched.some(({ pid, ppid }) => processInfo(pid)?.ppid !== ppid);
    if (gone) {
      clearInterval(timer);
      onGone();
    }
  }, watchEveryMs);
  timer.unref();
}

async function main(args) {
  const steps = splitSteps(args);
  let child = null;
  let stoppedBy = null;
  // Each signal goes to the step's group as it came: a second one is `ratchet`'s "stop at once".
  const forward = (signal) => {
    stoppedBy ??= signal;
    if (child?.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group has gone already.
    }
  };
  process.on('SIGINT', () => forward('SIGINT'));
  process.on('SIGTERM', () => forward('SIGTERM'));
  // A closed terminal: `ratchet` stops on SIGTERM (cleanly), where SIGHUP would kill it outright.
  process.on('SIGHUP', () => forward('SIGTERM'));
  watchLaunchers(() => {
    // Ctrl-C ends the launchers too, after its SIGINT reached us: that stop is under way.
    if (stoppedBy !== null) return;
    process.stderr.write('run-steps: the package manager above ended (a signal it does not pass on): stopping\n');
    forward('SIGTERM');
  });
  for (const [command, ...rest] of steps) {
    if (stoppedBy !== null) break;
    child = spawn(command, rest, { stdio: 'inherit', detached: true });
    const status = await new Promise((resolve) => {
      child.on('error', (error) => {
        process.stderr.write(`run-steps: cannot start ${command}: ${error.message}\n`);
        resolve(127);
      });
      child.on('exit', (code, signal) => resolve(code ?? 128 + (constants.signals[signal] ?? 0)));
    });
    child = null;
    // Stopped: the step's own status (`ratchet run` exits 130 once it has cleaned up), no next step.
    if (status !== 0 || stoppedBy !== null) return status;
  }
  return stoppedBy === null ? 0 : 128 + constants.signals[stoppedBy];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
