/**
 * GitHub Actions expressions (`if:` conditions, `${{ }}` values), evaluated the way the runner
 * does for the subset our workflows use: literals, property paths (`a.b`, `a['b']`, `a.*.b`),
 * `!`, `==`, `!=`, `&&`, `||` (returning an operand, as in JavaScript), parentheses, and
 * contains / startsWith / endsWith / format / fromJSON / always / success / cancelled / failure (a run
 * that goes on: neither cancelled nor failed). Strings compare case-insensitively.
 * Tests evaluate the real conditions of .github/workflows against event payloads with it.
 */
type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

const tokenPattern = /\s*(?:('(?:[^']|'')*')|(\d+(?:\.\d+)?)|(==|!=|&&|\|\||[!().,[\]*])|([A-Za-z_][\w-]*))/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  tokenPattern.lastIndex = 0;
  while (tokenPattern.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(tokenPattern.lastIndex))) break;
    const match = tokenPattern.exec(text);
    if (!match) throw new Error(`cannot read the expression at: ${text.slice(tokenPattern.lastIndex)}`);
    tokens.push(match[0].trim());
  }
  return tokens;
}

const truthy = (value: Value): boolean => !(value === false || value === null || value === 0 || value === '' || Number.isNaN(value));

function looseEquals(a: Value, b: Value): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (a === null || b === null) return a === b;
  if (typeof a === 'object' || typeof b === 'object') return a === b;
  return Number(a) === Number(b);
}

const text = (value: Value) => (value === null ? '' : String(value)).toLowerCase();
const functions: Record<string, (...args: Value[]) => Value> = {
  contains: (haystack, needle) => (Array.isArray(haystack) ? haystack.some((item) => looseEquals(item, needle)) : text(haystack).includes(text(needle))),
  startswith: (whole, start) => text(whole).startsWith(text(start)),
  endswith: (whole, end) => text(whole).endsWith(text(end)),
  fromjson: (json) => JSON.parse(String(json)) as Value,
  // format('{0}-{1}', a, b); `{{` and `}}` stand for braces.
  format: (template, ...args) =>
    String(template).replace(/\{\{|\}\}|\{(\d+)\}/g, (match, index: string | undefined) => (index === undefined ? match[0]! : args[Number(index)] === null ? '' : String(args[Number(index)]))),
  always: () => true,
  success: () => true,
  cancelled: () => false,
  failure: () => false,
};

function member(object: Value, key: string): Value {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) return null;
  const found = Object.keys(object).find((name) => name.toLowerCase() === key.toLowerCase());
  return found === undefined ? null : object[found]!;
}

class Parser {
  private at = 0;
  constructor(private readonly tokens: string[], private readonly context: Record<string, Value>) {}

  parse(): Value {
    const value = this.or();
    if (this.at < this.tokens.length) throw new Error(`unexpected '${this.tokens[this.at]}'`);
    return value;
  }
  private peek = () => this.tokens[this.at];
  private take(expected?: string): string {
    const token = this.tokens[this.at++];
    if (token === undefined || (expected !== undefined && token !== expected)) throw new Error(`expected '${expected ?? 'more'}' but found '${token ?? 'the end'}'`);
    return token;
  }
  /**
   * A left-associative run of one precedence level: `next (op next)*`, each operator folded in by
   * `combine` (GitHub's || and && return an operand, as JavaScript's do; == and != compare loosely).
   */
  private level(next: () => Value, combine: Record<string, (left: Value, right: Value) => Value>): Value {
    let left = next();
    for (let op = this.peek(); op !== undefined && Object.hasOwn(combine, op); op = this.peek()) {
      this.take();
      left = combine[op]!(left, next());
    }
    return left;
  }
  private or = (): Value => this.level(this.and, { '||': (left, right) => (truthy(left) ? left : right) });
  private and = (): Value => this.level(this.equality, { '&&': (left, right) => (truthy(left) ? right : left) });
  private equality = (): Value => this.level(() => this.unary(), { '==': looseEquals, '!=': (left, right) => !looseEquals(left, right) });
  private unary(): Value {
    if (this.peek() === '!') {
      this.take();
      return !truthy(this.unary());
    }
    return this.postfix(this.primary());
  }
  private primary(): Value {
    const token = this.take();
    if (token === '(') {
      const value = this.or();
      this.take(')');
      return value;
    }
    if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
    if (/^\d/.test(token)) return Number(token);
    if (token === 'true' || token === 'false') return token === 'true';
    if (token === 'null') return null;
    if (this.peek() === '(') {
      const fn = functions[token.toLowerCase()];
      if (!fn) throw new Error(`unknown function ${token}()`);
      this.take('(');
      const args: Value[] = [];
      while (this.peek() !== ')') {
        args.push(this.or());
        if (this.peek() === ',') this.take();
      }
      this.take(')');
      return fn(...args);
    }
    return member(this.context, token);
  }
  private postfix(value: Value): Value {
    for (;;) {
      if (this.peek() === '.') {
        this.take();
        const key = this.take();
        value = key === '*' ? (Array.isArray(value) ? value : Object.values(value ?? {})) : Array.isArray(value) ? value.map((item) => member(item, key)) : member(value, key);
      } else if (this.peek() === '[') {
        this.take();
        const key = this.or();
        this.take(']');
        value = Array.isArray(value) && typeof key === 'number' ? (value[key] ?? null) : member(value, String(key));
      } else return value;
    }
  }
}

/** The value of an expression (with or without its `${{ }}`) in a context of named objects. */
export function evaluate(expression: string, context: Record<string, unknown>): Value {
  const inner = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(expression)?.[1] ?? expression;
  return new Parser(tokenize(inner), context as Record<string, Value>).parse();
}

/** Whether a job or step with this `if:` runs (no `if:` means success()). */
export function runs(condition: string | undefined, context: Record<string, unknown>): boolean {
  return condition === undefined ? true : truthy(evaluate(condition, context));
}
