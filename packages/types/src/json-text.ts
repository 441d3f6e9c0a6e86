// Reading JSON text as Ratchet reads every file: one-line errors naming the file, line and column,
// a byte-order mark read past, nesting bounded before any validator recurses into it.
import { RatchetError, type RatchetErrorCode } from './errors.js';

/**
 * JSON.parse with a one-line error naming the file and, where the position is known, its line and
 * column. V8 sometimes quotes the offending text in its message, newlines included; that quote is
 * dropped so the error stays on one line. `checkDepth: false` leaves out the nesting bound, for a
 * reader that walks only the fixed paths of a known format and recurses into nothing (another
 * harness's 50 MB output: the scan cost 150 ms and as much again in garbage).
 */
export function parseJsonText(text: string, file: string, code: RatchetErrorCode, options: { checkDepth?: boolean } = {}): unknown {
  // A UTF-8 byte-order mark is read past, as Node's require(), npm and tsc read a JSON file: RFC
  // 8259 lets a parser ignore it, and Windows editors (Notepad, PowerShell 5's utf8) write one.
  const body = text.startsWith(byteOrderMark) ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    const { reason, position } = explainJsonError((error as Error).message, body);
    const where = position === undefined ? '' : ` at ${lineAndColumn(body, position)}`;
    throw new RatchetError(code, `${file}: not valid JSON (${reason}${where})`, { file, cause: error });
  }
  if (options.checkDepth === false) return value;
  const depth = nestingDepth(value, maxJsonDepth);
  if (depth > maxJsonDepth) {
    throw new RatchetError(code, `${file}: nested more than ${maxJsonDepth} levels deep (no file Ratchet reads nests more than 10)`, { file });
  }
  return value;
}

const byteOrderMark = '\uFEFF';

/**
 * How deep a file Ratchet reads may nest. JSON.parse takes millions of levels, but the validators
 * (and JSON.stringify) recurse: 5,000 levels overflowed the stack into a crash (exit 4) instead of
 * a refusal of the input.
 */
export const maxJsonDepth = 64;

/** The nesting depth of a parsed value, counted without recursion, stopping once past `limit`. */
function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (typeof item !== 'object' || item === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return deepest;
}

function explainJsonError(message: string, text: string): { reason: string; position: number | undefined } {
  // `... in JSON at position 12` (Node 22 adds ` (line 3 column 1)`), `... after JSON at position 9`.
  const at = / at position (\d+)/.exec(message);
  if (at) return { reason: message.slice(0, at.index).replace(/ in JSON$/, ''), position: Number(at[1]) };
  if (message === 'Unexpected end of JSON input') return { reason: message, position: text.trimEnd().length };
  // `Unexpected token 'x', "...text..." is not valid JSON`: keep the token, drop the quoted text.
  const token = /^Unexpected token '(.*?)', "/s.exec(message);
  if (token) return { reason: `Unexpected token '${oneLine(token[1]!)}'`, position: undefined };
  // `"...text..." is not valid JSON`: the very first token was wrong.
  if (/^".*" is not valid JSON$/s.test(message)) {
    const first = text.search(/\S/);
    return { reason: `Unexpected token '${oneLine(text[first] ?? '')}'`, position: first };
  }
  return { reason: message.replace(/\s+/g, ' '), position: undefined };
}

/**
 * A newline or tab as `\n`, `\t`, so the message keeps to one line; a character that prints as
 * nothing (a zero-width space, a no-break space, a byte-order mark inside the file) by its code
 * point, so the message shows what to delete.
 */
function oneLine(token: string): string {
  return JSON.stringify(token).slice(1, -1).replace(/[\p{Cf}\p{Z}\p{Co}]/gu, (c) => (c === ' ' ? c : `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`));
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  return `line ${before.split('\n').length}, column ${position - before.lastIndexOf('\n')}`;
}
