/**
 * Character-level scanning for the MASM parser. MASM lexing depends on position (a word is a
 * number, register or symbol depending on what follows it), so the parser calls these helpers
 * on demand instead of tokenising up front.
 */

/** A binary operator and its precedence (higher binds tighter). */
export interface BinaryOp {
  readonly op: string;
  readonly prec: number;
  /** Index just past the operator. */
  readonly end: number;
}

/** Skips blanks (space, tab) from `i`. */
export function skipSpaces(text: string, i: number): number {
  let j = i;
  while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
  return j;
}

/** Letters, digits, `_` and backtick: the run a number, register or keyword is cut from. */
export function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_`]/.test(c);
}

/** Characters that may appear inside a plain symbol name (decorated names use `?`, `@`, `$`). */
function isNameChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_$@?]/.test(c);
}

/** Length of the maximal word run at `i`. */
export function wordRunEnd(text: string, i: number): number {
  let j = i;
  while (isWordChar(text[j])) j++;
  return j;
}

/** Unary keyword operators, matched case-insensitively as whole words. */
export const UNARY_KEYWORDS: ReadonlySet<string> = new Set(['not', 'hi', 'low', 'by', 'wo', 'dwo', 'qwo', 'poi']);

/** Binary keyword operators with their precedence. */
const BINARY_KEYWORDS: Readonly<Record<string, number>> = { mod: 7, and: 3, xor: 2, or: 1 };

/** True when `lower` is a binary keyword (`and`, `or`, `xor`, `mod`). */
export function isBinaryKeyword(lower: string): boolean {
  return Object.hasOwn(BINARY_KEYWORDS, lower);
}

// Longest spellings first so `>>>` wins over `>>` and `>=`/`>`.
const SYMBOL_OPS: ReadonlyArray<readonly [string, number]> = [
  ['>>>', 5],
  ['<<', 5],
  ['>>', 5],
  ['==', 4],
  ['!=', 4],
  ['<=', 4],
  ['>=', 4],
  ['*', 7],
  ['/', 7],
  ['%', 7],
  ['+', 6],
  ['-', 6],
  ['=', 4],
  ['<', 4],
  ['>', 4],
  ['&', 3],
  ['^', 2],
  ['|', 1],
];

/**
 * The binary operator at `i` (already past blanks), or undefined when the text there cannot
 * continue an expression. `L7`, `L?` and friends never match, so ranges stop the expression.
 */
export function scanBinaryOp(text: string, i: number): BinaryOp | undefined {
  for (const [op, prec] of SYMBOL_OPS) {
    if (text.startsWith(op, i)) return { op, prec, end: i + op.length };
  }
  const end = wordRunEnd(text, i);
  if (end === i || text[end] === '!') return undefined;
  const lower = text.slice(i, end).toLowerCase();
  const prec = BINARY_KEYWORDS[lower];
  return prec === undefined ? undefined : { op: lower, prec, end };
}

/**
 * End of a balanced `<...>` template argument list starting at `i` (which holds `<`), or -1.
 * Blanks are only allowed before a closing `>` (`vector<int,allocator<int> >`) so that
 * `nt!a < 5` stays a comparison.
 */
function templateEnd(text: string, i: number): number {
  let depth = 0;
  for (let j = i; j < text.length && j - i < 1024; j++) {
    const c = text[j]!;
    if (c === '<') depth++;
    else if (c === '>') {
      depth--;
      if (depth === 0) return j + 1;
    } else if (c === ' ') {
      if (text[skipSpaces(text, j)] !== '>') return -1;
    } else if (!isNameChar(c) && !':,*&`\''.includes(c)) return -1;
  }
  return -1;
}

/** Index of the apostrophe closing the backtick quote at `i`, or -1 when it does not look like one. */
function quoteEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length && j - i < 256; j++) {
    const c = text[j]!;
    if (c === "'") return j;
    if (!isNameChar(c) && !' :<>,*&`'.includes(c)) return -1;
  }
  return -1;
}

/** A scanned symbol: its full text (for messages) and the name handed to EvalEnv.symbol. */
export interface ScannedSymbol {
  readonly end: number;
  readonly lookup: string;
}

/**
 * Scans a symbol name at `i`: `name`, `module!name`, `!name` (any module; looked up as `name`),
 * `Class::member`, decorated `?name@@...`, backticks/apostrophes after `module!`, templates
 * after `module!` or `::`, and the BBT form `nt! ?? ::FNODOBFM::`string'` whose name runs from
 * the `??` to the closing apostrophe.
 */
export function scanSymbol(text: string, i: number): ScannedSymbol {
  let j = i;
  let bang = false;
  let scoped = false;
  let moduleless = false;
  if (text[j] === '!') {
    bang = true;
    moduleless = true;
    j++;
  }
  while (j < text.length) {
    const c = text[j]!;
    if (isNameChar(c)) j++;
    else if (c === '`' && bang) {
      // A backtick quote runs to its apostrophe and may hold blanks: `anonymous namespace'.
      const close = quoteEnd(text, j);
      j = close < 0 ? j + 1 : close + 1;
    } else if (c === "'" && bang) j++;
    else if (c === ':' && text[j + 1] === ':') {
      scoped = true;
      j += 2;
    } else if (c === '!' && !bang && j > i && text[j + 1] !== '=') {
      bang = true;
      j++;
      const q = skipSpaces(text, j);
      if (q > j && text.startsWith('??', q)) {
        const close = text.indexOf("'", q + 2);
        j = close < 0 ? text.length : close + 1;
      }
    } else if (c === '<' && (bang || scoped)) {
      const t = templateEnd(text, j);
      if (t < 0) break;
      j = t;
    } else break;
  }
  const full = text.slice(i, j);
  return { end: j, lookup: moduleless ? full.slice(1) : full };
}

/** True when a symbol-only character follows a word, so the word cannot be a number or register. */
export function continuesAsSymbol(text: string, i: number): boolean {
  const c = text[i];
  if (c === '!') return text[i + 1] !== '=';
  if (c === ':') return text[i + 1] === ':';
  return c === '?' || c === '@' || c === '$';
}

/** True when an operand (and so an expression) can start at `i` after blanks. */
export function isOperandStart(text: string, i: number): boolean {
  const c = text[skipSpaces(text, i)];
  return c !== undefined && /[A-Za-z0-9_(+\-@$.!?]/.test(c);
}
