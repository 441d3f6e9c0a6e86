import { RatchetError, type RatchetErrorCode } from './errors.js';

/**
 * JSON.parse with a one-line error naming the file and, where the position is known, its line and
 * column. V8 sometimes quotes the offending text in its message (newlines included); that quote is
 * dropped so the error stays on one line.
 */
export function parseJsonText(text: string, file: string, code: RatchetErrorCode): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const { reason, position } = explain((error as Error).message, text);
    const where = position === undefined ? '' : ` at ${lineAndColumn(text, position)}`;
    throw new RatchetError(code, `${file}: not valid JSON (${reason}${where})`, { file, cause: error });
  }
}

function explain(message: string, text: string): { reason: string; position: number | undefined } {
  const at = / in JSON at position (\d+)/.exec(message);
  if (at) return { reason: message.slice(0, at.index), position: Number(at[1]) };
  if (message === 'Unexpected end of JSON input') return { reason: message, position: text.trimEnd().length };
  // `Unexpected token 'x', "...text..." is not valid JSON` and `"...text..." is not valid JSON`.
  const token = /^(Unexpected token '.*?'), "/s.exec(message);
  if (token) return { reason: token[1]!, position: undefined };
  if (/^".*" is not valid JSON$/s.test(message)) {
    const start = text.search(/\S/);
    return { reason: `Unexpected token '${text[start] ?? ''}'`, position: start };
  }
  return { reason: message.replace(/\s+/g, ' '), position: undefined };
}

function lineAndColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}
