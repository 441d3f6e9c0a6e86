// A problem source that is a child process speaking the line protocol (one JSON object per line
// each way; the Python side is the package python/ratchet_problem; every message is defined in
// @ratchet/types' protocol schemas, schema/ratchet-protocol.schema.json). The child is untrusted: every answer
// is checked, a silence past the time limit or a line that is not JSON stops it (its whole
// process group), and each failure is one ERR_RATCHET_PROCESS naming the command.
import type { ChildProcess } from 'node:child_process';
import { basename, dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { RatchetError, ReplyEnvelopeSchema, matches, validateProblemSpec, type ProcessSource, type ProblemSpec } from '@ratchet/types';
import { killGroup, spawnGroup } from './children.js';

export const processProtocolVersion = 1;
/** How long one request may go unanswered unless the config says otherwise. */
export const defaultProcessTimeoutMs = 120_000;
/** The directory holding the Python package ratchet_problem (the copy Ratchet ships), put on the child's PYTHONPATH. */
export const pythonHelperDir = join(dirname(fileURLToPath(import.meta.url)), '../python');

const stderrTailChars = 2_000;

type Reply = Record<string, unknown> & { ok: boolean };

/** The helper library a process answers through, as its hello tells (the Python package ratchet_problem does). */
export interface ProcessPackage {
  /** Its distribution name: `ratchet-problem`. */
  readonly name: string;
  readonly version: string;
  /** Where it was imported from: the copy Ratchet ships, or an installed one. */
  readonly path: string | null;
}

/** One running process source: its problems, and requests answered one at a time. */
export interface ProcessSourceClient {
  readonly command: string[];
  readonly problems: ProblemSpec[];
  /** What the problems run on, in the process's own words (`torch 2.11.0+cu130`); null when it does not say. */
  readonly software: string | null;
  /** Why the problems cannot run on this machine at all (no torch, no CUDA device); null when they can. */
  readonly unavailable: string | null;
  /** The helper library that answers for the problems (ratchet_problem: which copy, which version); null when the process does not say. */
  readonly package: ProcessPackage | null;
  /**
   * Sends one request and waits for its answer. A problem's own failure is
   * ERR_RATCHET_KERNEL_FAILED; a shape it refuses (its Unsupported) ERR_RATCHET_UNSUPPORTED_SHAPE.
   */
  request(message: Record<string, unknown>): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

function describe(command: readonly string[]): string {
  return command.join(' ');
}

/**
 * Stops the child with its whole process group: a Python child's own children too, also once the
 * child itself has exited (a background job it started still holds our pipes, and an open pipe
 * kept `ratchet` from ever exiting).
 */
function stopGroup(child: ChildProcess): void {
  killGroup(child, 'SIGKILL');
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** How long after the child's exit its pipes may stay open (a grandchild that left its group holds them) before we close our ends. */
const pipesGraceMs = 2_000;

function packageOf(value: unknown): ProcessPackage | null {
  const said = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (typeof said.name !== 'string' || typeof said.version !== 'string') return null;
  return { name: said.name, version: said.version, path: typeof said.path === 'string' ? said.path : null };
}

/**
 * Why a process of another protocol version is refused, and what to do: for the Python package,
 * the pip line that installs the version matching this Ratchet (its major version is the
 * protocol's), into the interpreter the command names when it names one.
 */
function otherProtocol(command: readonly string[], spoken: unknown, helper: ProcessPackage | null): string {
  const ours = processProtocolVersion;
  const through = helper ? ` through ${helper.name} ${helper.version}${helper.path ? ` (${helper.path})` : ''}` : '';
  const said = `speaks protocol ${JSON.stringify(spoken ?? null)}${through}, this Ratchet speaks protocol ${ours}`;
  if (helper?.name !== 'ratchet-problem') return `${said}: it must answer hello with protocol ${ours} (docs/problem-contract.md)`;
  const pip = /^python[\d.]*$/.test(basename(command[0]!)) ? `${command[0]} -m pip` : 'pip';
  const matching = `'ratchet-problem==${ours}.*'`;
  if (typeof spoken === 'number' && spoken > ours) {
    return `${said}: upgrade Ratchet to one that speaks protocol ${spoken}, or install the package this one speaks: ${pip} install ${matching}`;
  }
  return `${said}: install the package this Ratchet speaks: ${pip} install -U ${matching} (or ${pip} uninstall ratchet-problem, and the copy Ratchet ships is used)`;
}

/**
 * Starts `source.command` in `cwd` and asks for its problems (`hello`). The child runs in its own
 * process group, so a hung child and anything it started can be stopped together. `env` is added
 * to the environment it inherits (`--device`: CUDA_VISIBLE_DEVICES naming the GPU chosen).
 */
export async function startProcessSource(source: ProcessSource, cwd: string, env: Readonly<Record<string, string>> = {}): Promise<ProcessSourceClient> {
  const command = source.command;
  const timeoutMs = source.timeoutMs ?? defaultProcessTimeoutMs;
  const pythonPath = [pythonHelperDir, process.env.PYTHONPATH].filter(Boolean).join(':');
  // Its own process group, tracked: an interrupt (SIGINT/SIGTERM) stops it with everything it started.
  const child = spawnGroup(command[0]!, command.slice(1), { cwd, env: { ...process.env, ...env, PYTHONPATH: pythonPath, PYTHONUNBUFFERED: '1' } });
  const stopOnExit = () => stopGroup(child);
  process.on('exit', stopOnExit);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-stderrTailChars);
  });
  const lines = createInterface({ input: child.stdout });
  const waiting: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  let ended: RatchetError | null = null;
  const failure = (why: string, cause?: Error) => {
    const tail = stderr.trim().split('\n').slice(-3).join(' | ');
    return new RatchetError('ERR_RATCHET_PROCESS', `process \`${describe(command)}\` ${why}${tail ? ` (stderr: ${tail})` : ''}`, cause ? { cause } : {});
  };
  const end = (error: RatchetError) => {
    ended ??= error;
    for (const pending of waiting.splice(0)) pending.reject(ended);
    stopGroup(child);
  };
  lines.on('line', (line) => {
    const pending = waiting.shift();
    if (pending) pending.resolve(line);
    else if (line.trim() !== '') end(failure(`printed a line nobody asked for: ${line.slice(0, 80)}`));
  });
  // The spawn error is kept as the cause: a caller that treats a missing interpreter as "not here" (peers) tells it apart by it.
  child.on('error', (error: NodeJS.ErrnoException) => end(failure(error.code === 'ENOENT' ? `cannot start: ${command[0]} not found` : `cannot start: ${error.message}`, error)));
  // Once the child has exited, what is left of its group is stopped, so the pipes close and
  // 'close' follows; a grandchild that escaped the group cannot keep them open past the grace.
  let pipesOpen: NodeJS.Timeout | undefined;
  child.on('exit', () => {
    killGroup(child, 'SIGKILL');
    pipesOpen = setTimeout(() => (child.stdout.destroy(), child.stderr.destroy()), pipesGraceMs);
  });
  child.on('close', (code, signal) => {
    clearTimeout(pipesOpen);
    process.off('exit', stopOnExit);
    end(failure(signal ? `was killed by ${signal}` : `exited with code ${code}`));
  });
  child.stdin.on('error', () => {}); // a child that exits early: its exit status tells the story

  const request = async (message: Record<string, unknown>): Promise<Record<string, unknown>> => {
    if (ended) throw ended;
    const op = String(message.op);
    const line = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => end(failure(`did not answer '${op}' within ${timeoutMs / 1e3} s, so it was stopped`)), timeoutMs);
      waiting.push({
        resolve: (text) => (clearTimeout(timer), resolve(text)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      child.stdin.write(`${JSON.stringify(message)}\n`);
    });
    let reply: Reply;
    try {
      reply = JSON.parse(line) as Reply;
    } catch {
      const error = failure(`answered '${op}' with a line that is not JSON: ${line.slice(0, 80)}`);
      end(error);
      throw error;
    }
    if (!matches(ReplyEnvelopeSchema, reply)) {
      const error = failure(`answered '${op}' without an "ok" field`);
      end(error);
      throw error;
    }
    if (!reply.ok && reply.kind === 'unsupported') {
      // The reason first: it is what a table cell (a peer's unsupported shape) shows.
      throw new RatchetError('ERR_RATCHET_UNSUPPORTED_SHAPE', `${String(reply.error ?? 'no reason given')} (\`${describe(command)}\` refused the shape at '${op}')`);
    }
    if (!reply.ok) {
      throw new RatchetError('ERR_RATCHET_KERNEL_FAILED', `${describe(command)}: '${op}' failed: ${String(reply.error ?? 'no reason given')}`);
    }
    return reply;
  };

  const hello = await request({ op: 'hello', protocol: processProtocolVersion });
  const helper = packageOf(hello.package);
  if (hello.protocol !== processProtocolVersion) {
    end(failure(otherProtocol(command, hello.protocol, helper)));
    throw ended!;
  }
  const declared = Array.isArray(hello.problems) ? hello.problems : [];
  const problems = declared.map((spec, index) =>
    validateProblemSpec(spec, { kind: 'process', command: [...command] }, { file: `process \`${describe(command)}\``, field: `problems[${index}]`, code: 'ERR_RATCHET_PROCESS' }),
  );
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : null);
  return {
    command,
    problems,
    software: text(hello.software),
    unavailable: text(hello.unavailable),
    package: helper,
    request,
    close: async () => {
      if (ended) return;
      child.stdin.end();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => (stopGroup(child), resolve()), 5_000);
        child.once('close', () => (clearTimeout(timer), resolve()));
      });
    },
  };
}
