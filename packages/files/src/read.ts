import { readdirSync, readFileSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { RatchetError, parseJsonText, type RatchetErrorCode } from '@ratchet/types';

/** What a reader says when a file cannot be read: its path, what it is (optional), and why. */
interface ReadFault {
  /** The error code of a file that exists but cannot be read, or does not parse or validate. */
  code: RatchetErrorCode;
  /** Named in the message: `<path>: cannot read the config file (...)`; absent, `cannot read (...)`. */
  what?: string;
}

/** Checks a parsed value and returns it typed; its errors name `file` and the field. */
export type Validate<T> = (value: unknown, file: string) => T;

function cannotRead(path: string, error: unknown, fault: ReadFault): RatchetError {
  const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
  return new RatchetError(
    missing ? 'ERR_RATCHET_FILE_NOT_FOUND' : fault.code,
    `${path}: cannot read${fault.what ? ` ${fault.what}` : ''} (${missing ? 'no such file' : (error as Error).message})`,
    { file: path, cause: error },
  );
}

/** The file's text (UTF-8); null when there is no such file. Any other failure is `fault.code`, naming the file. */
export async function readTextOrNone(path: string, fault: ReadFault): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw cannotRead(path, error, fault);
  }
}

/** The file's text (UTF-8); a missing file is ERR_RATCHET_FILE_NOT_FOUND, any other failure `fault.code`. */
export async function readText(path: string, fault: ReadFault): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw cannotRead(path, error, fault);
  }
}

/** The file's bytes, as readText reads its text. */
export async function readBytes(path: string, fault: ReadFault): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (error) {
    throw cannotRead(path, error, fault);
  }
}

/**
 * A JSON file of one of Ratchet's formats, parsed (errors name `path:line:column`) and validated
 * (errors name `path: field`); null when there is no such file.
 */
export async function readJsonOrNone<T>(path: string, validate: Validate<T>, fault: ReadFault): Promise<T | null> {
  const text = await readTextOrNone(path, fault);
  return text === null ? null : validate(parseJsonText(text, path, fault.code), path);
}

/** As readJsonOrNone, for a file that must be there: a missing one is ERR_RATCHET_FILE_NOT_FOUND. */
export async function readJson<T>(path: string, validate: Validate<T>, fault: ReadFault): Promise<T> {
  return validate(parseJsonText(await readText(path, fault), path, fault.code), path);
}

/** A directory's entries, sorted by name (so every reader walks a tree in one order). Node's errors as they are. */
export async function listDirectory(path: string): Promise<{ name: string; isDirectory: boolean }[]> {
  const entries = await readdir(path, { withFileTypes: true });
  return entries.map((e) => ({ name: e.name, isDirectory: e.isDirectory() })).sort((a, b) => (a.name < b.name ? -1 : 1));
}

// Synchronous, for readers that must not yield (another harness's output read where its process
// has just ended, before its directory is removed).

/** What is at `path`: a file, a directory, or nothing (null). */
export function pathKind(path: string): 'file' | 'directory' | null {
  try {
    return statSync(path).isDirectory() ? 'directory' : 'file';
  } catch {
    return null;
  }
}

/** When the file at `path` was last modified; null when nothing is there. */
export function modifiedTime(path: string): Date | null {
  try {
    return statSync(path).mtime;
  } catch {
    return null;
  }
}

/** A directory's entry names, sorted; Node's errors as they are. */
export function listNamesSync(path: string): string[] {
  return readdirSync(path).sort();
}

/** The file's text (UTF-8), synchronously; as readText's errors. */
export function readTextSync(path: string, fault: ReadFault): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw cannotRead(path, error, fault);
  }
}

/** The file's bytes, synchronously; null when it cannot be read (absent, a directory, refused). */
export function readBytesSyncOrNone(path: string): Uint8Array | null {
  try {
    return readFileSync(path);
  } catch {
    return null;
  }
}
