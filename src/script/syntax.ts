/**
 * Character-level scanning shared by the command-program parser and the `;` splitter: blanks,
 * separators, quoted strings and balanced `{ }` / `( )` groups. Nothing here knows commands.
 */

/** Control-flow tokens of debugger command programs, lower-case, without the dot. */
export type FlowKeyword =
  | 'if'
  | 'elsif'
  | 'else'
  | 'while'
  | 'do'
  | 'for'
  | 'foreach'
  | 'block'
  | 'catch'
  | 'break'
  | 'continue'
  | 'leave';

const KEYWORD = /\.(foreach|for|if|elsif|else|while|do|block|catch|break|continue|leave)(?![\w$])/iy;

/** The control-flow token starting exactly at `i` (`.if`, `.FOR`), or undefined. */
export function flowKeywordAt(text: string, i: number): FlowKeyword | undefined {
  if (text.charCodeAt(i) !== 0x2e) return undefined;
  KEYWORD.lastIndex = i;
  const m = KEYWORD.exec(text);
  return m ? (m[1]!.toLowerCase() as FlowKeyword) : undefined;
}

/** True for a blank: space, tab, CR or LF. */
export function isBlank(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

/** Index of the first non-blank at or after `i` (at most `end`). */
export function skipBlanks(text: string, i: number, end: number): number {
  let j = i;
  while (j < end && isBlank(text[j])) j++;
  return j;
}

/** Skips blanks and `;`: joined script lines put separators between a token and its brace. */
export function skipSeparators(text: string, i: number, end: number): number {
  let j = i;
  while (j < end && (isBlank(text[j]) || text[j] === ';')) j++;
  return j;
}

/** Index just past the string whose opening quote is at `i` (or `end` when unterminated). */
export function skipQuoted(text: string, i: number, end: number): number {
  let j = i + 1;
  while (j < end) {
    const c = text[j];
    if (c === '\\' && j + 1 < end) j += 2;
    else if (c === '"') return j + 1;
    else j++;
  }
  return end;
}

/**
 * Index of the bracket closing the `{` or `(` at `open`, or -1. Quoted strings are skipped; a
 * `( )` group also skips nested `{ }` groups so `.foreach (v { r) }) {}` still balances.
 */
export function findClose(text: string, open: number, end: number): number {
  const opener = text[open];
  const closer = opener === '{' ? '}' : ')';
  let depth = 0;
  let j = open;
  while (j < end) {
    const c = text[j];
    if (c === '"') {
      j = skipQuoted(text, j, end);
      continue;
    }
    if (c === opener) depth++;
    else if (c === closer) {
      depth--;
      if (depth === 0) return j;
    } else if (opener === '(' && c === '{') {
      const inner = findClose(text, j, end);
      if (inner < 0) return -1;
      j = inner;
    }
    j++;
  }
  return -1;
}

/**
 * End of a plain command starting at `i`: the first `;` outside quotes and braces, or `end`.
 * This is the rule the splitter always used, kept in one place.
 */
export function plainCommandEnd(text: string, i: number, end: number): number {
  let inQuote = false;
  let depth = 0;
  let j = i;
  while (j < end) {
    const c = text[j];
    if (c === '\\' && inQuote && j + 1 < end) {
      j += 2;
      continue;
    }
    if (c === '"') inQuote = !inQuote;
    else if (!inQuote && c === '{') depth++;
    else if (!inQuote && c === '}' && depth > 0) depth--;
    else if (!inQuote && depth === 0 && c === ';') return j;
    j++;
  }
  return end;
}

/**
 * Cuts `text[start, end)` at top-level `;` (outside quotes, parentheses and braces); returns
 * [from, to) ranges of the pieces, untrimmed.
 */
export function splitTopLevel(text: string, start: number, end: number): Array<[number, number]> {
  const pieces: Array<[number, number]> = [];
  let from = start;
  let j = start;
  while (j < end) {
    const c = text[j];
    if (c === '"') {
      j = skipQuoted(text, j, end);
      continue;
    }
    if (c === '(' || c === '{') {
      const close = findClose(text, j, end);
      j = close < 0 ? end : close + 1;
      continue;
    }
    if (c === ';') {
      pieces.push([from, j]);
      from = j + 1;
    }
    j++;
  }
  pieces.push([from, end]);
  return pieces;
}

/**
 * True when a line or block starts with `as`, `aS`, `ad` or `al`: dbgeng does no alias
 * replacement in such text, so the alias commands can name aliases (using-aliases.md).
 */
export function startsWithAliasCommand(text: string, i = 0): boolean {
  const c0 = text[i];
  if (c0 !== 'a') return false;
  const c1 = text[i + 1];
  if (c1 !== 's' && c1 !== 'S' && c1 !== 'd' && c1 !== 'l') return false;
  const c2 = text[i + 2];
  return c2 === undefined || isBlank(c2) || c2 === ';' || c2 === '/' || c2 === '}';
}
