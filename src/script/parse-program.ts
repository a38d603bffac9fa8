/**
 * Parser of debugger command programs (using-debugger-command-programs.md and the control-flow
 * token pages). A program is a `;`-separated sequence; control-flow tokens own their conditions
 * and `{ }` blocks, and blanks or `;` may sit between a token, its condition and its braces,
 * because `$$><` turns every line break of a script into `;`.
 */
import type { Block, ForeachSource, SourceText, Statement } from './ast.js';
import {
  findClose,
  flowKeywordAt,
  isBlank,
  plainCommandEnd,
  skipBlanks,
  skipQuoted,
  skipSeparators,
  splitTopLevel,
  startsWithAliasCommand,
  type FlowKeyword,
} from './syntax.js';

/** Decides whether the command starting at the front of `text` takes the rest of the text. */
export type RestOfLine = (text: string) => boolean;

/** Thrown inside the parser; becomes an `invalid` statement. */
class ParseFailure {
  constructor(readonly at: number) {}
}

/** A statement and the index where the next one may start. */
export interface Parsed {
  readonly statement: Statement | undefined;
  readonly next: number;
}

/**
 * Parses the statement at `i` (already past separators) within `text[.., end)`. Comments give
 * no statement. A malformed construct gives an `invalid` statement that swallows the rest.
 */
export function parseStatement(text: string, i: number, end: number, restOfLine: RestOfLine): Parsed {
  if (text[i] === '*') return { statement: undefined, next: end };
  if (text.startsWith('$$', i) && !/^\$\$(<|><|>a<)/.test(text.slice(i, i + 5))) {
    const semi = text.indexOf(';', i);
    return { statement: undefined, next: semi < 0 || semi >= end ? end : semi + 1 };
  }
  const keyword = flowKeywordAt(text, i);
  if (keyword) {
    try {
      const statement = new ConstructParser(text, end, restOfLine).construct(keyword, i);
      return { statement, next: statement.end };
    } catch (e) {
      if (!(e instanceof ParseFailure)) throw e;
      return { statement: { kind: 'invalid', offset: i, end, at: e.at }, next: end };
    }
  }
  if (restOfLine(text.slice(i, end))) {
    return { statement: { kind: 'command', text: text.slice(i, end).trimEnd(), offset: i, end }, next: end };
  }
  const j = plainCommandEnd(text, i, end);
  const cmd = text.slice(i, j).trimEnd();
  return { statement: { kind: 'command', text: cmd, offset: i, end: i + cmd.length }, next: j < end ? j + 1 : end };
}

/** Parses `text[start, end)` as a whole sequence of statements. */
export function parseSequence(text: string, start: number, end: number, restOfLine: RestOfLine): Statement[] {
  const out: Statement[] = [];
  let i = start;
  for (;;) {
    i = skipSeparators(text, i, end);
    if (i >= end) break;
    const { statement, next } = parseStatement(text, i, end, restOfLine);
    if (statement) out.push(statement);
    // Always advance, even on a pathological statement, so the loop is bounded by the text.
    i = Math.max(next, i + 1);
  }
  return out;
}

const NEVER_REST: RestOfLine = () => false;

/**
 * End of the control-flow construct starting at `i` (after its last brace or condition), or
 * undefined when no construct starts there. The `;` splitter uses it so `.for (a; b; c) { }`
 * and `.if (x) { } .else { }` stay one command.
 */
export function controlFlowEnd(text: string, i: number, restOfLine: RestOfLine = NEVER_REST): number | undefined {
  const keyword = flowKeywordAt(text, i);
  if (!keyword || keyword === 'break' || keyword === 'continue' || keyword === 'leave') return undefined;
  return parseStatement(text, i, text.length, restOfLine).next;
}

/** Recursive-descent parser of one construct; all indices are absolute. */
class ConstructParser {
  constructor(
    private readonly text: string,
    private readonly end: number,
    private readonly restOfLine: RestOfLine,
  ) {}

  construct(keyword: FlowKeyword, at: number): Statement {
    const after = at + 1 + keyword.length;
    switch (keyword) {
      case 'break':
      case 'continue':
      case 'leave': {
        const stop = plainCommandEnd(this.text, after, this.end);
        if (skipBlanks(this.text, after, stop) < stop) throw new ParseFailure(skipBlanks(this.text, after, stop));
        return { kind: keyword, offset: at, end: after };
      }
      case 'block':
      case 'catch': {
        const body = this.block(skipSeparators(this.text, after, this.end));
        return { kind: keyword, offset: at, end: body.end, body };
      }
      case 'if':
        return this.ifChain(at, after);
      case 'while': {
        const { cond, next } = this.condition(after);
        const body = this.body(next);
        return { kind: 'while', offset: at, end: body.end, cond, body };
      }
      case 'do':
        return this.doLoop(at, after);
      case 'for':
        return this.forLoop(at, after);
      case 'foreach':
        return this.foreach(at, after);
      default:
        // `.elsif` / `.else` without a `.if` in front of them.
        throw new ParseFailure(after - 1);
    }
  }

  private ifChain(at: number, after: number): Statement {
    const branches: Array<{ cond: SourceText; body: Block }> = [];
    let { cond, next } = this.condition(after);
    let body = this.body(next);
    branches.push({ cond, body });
    let end = body.end;
    for (;;) {
      const q = skipSeparators(this.text, end, this.end);
      const kw = flowKeywordAt(this.text, q);
      if (kw === 'elsif') {
        ({ cond, next } = this.condition(q + 6));
        body = this.body(next);
        branches.push({ cond, body });
        end = body.end;
        continue;
      }
      if (kw === 'else') {
        const otherwise = this.body(q + 5);
        return { kind: 'if', offset: at, end: otherwise.end, branches, otherwise };
      }
      return { kind: 'if', offset: at, end, branches };
    }
  }

  private doLoop(at: number, after: number): Statement {
    const body = this.block(skipSeparators(this.text, after, this.end));
    const p = skipSeparators(this.text, body.end, this.end);
    if (p >= this.end) throw new ParseFailure(this.end);
    let cond: SourceText;
    let end: number;
    if (this.text[p] === '(') {
      const close = findClose(this.text, p, this.end);
      if (close < 0) throw new ParseFailure(p);
      cond = { text: this.text.slice(p, close + 1), offset: p };
      end = close + 1;
    } else {
      end = plainCommandEnd(this.text, p, this.end);
      cond = this.trimmed(p, end);
    }
    return { kind: 'do', offset: at, end, body, cond };
  }

  private forLoop(at: number, after: number): Statement {
    const open = skipSeparators(this.text, after, this.end);
    if (this.text[open] !== '(') throw new ParseFailure(open);
    const close = findClose(this.text, open, this.end);
    if (close < 0) throw new ParseFailure(open);
    // Empty pieces come from joined script lines (`poi(@$t0);` + the line break's `;`).
    const pieces = splitTopLevel(this.text, open + 1, close)
      .map(([a, b]) => this.trimmed(a, b))
      .filter((p) => p.text !== '');
    if (pieces.length < 2) throw new ParseFailure(close);
    const [init, cond, ...steps] = pieces as [SourceText, SourceText, ...SourceText[]];
    const seq = (p: SourceText) => parseSequence(this.text, p.offset, p.offset + p.text.length, this.restOfLine);
    const body = this.body(close + 1);
    return { kind: 'for', offset: at, end: body.end, init: seq(init), cond, step: steps.flatMap(seq), body };
  }

  private foreach(at: number, after: number): Statement {
    const t = this.text;
    let p = skipBlanks(t, after, this.end);
    let mode: 'commands' | 'string' | 'file' = 'commands';
    let initialSkip: SourceText | undefined;
    let skip: SourceText | undefined;
    while (t[p] === '/') {
      const m = /^\/(pS|ps|s|f)(?=[\s(])/.exec(t.slice(p, p + 4));
      if (!m) throw new ParseFailure(p);
      p = skipBlanks(t, p + m[0].length, this.end);
      if (m[1] === 's') mode = 'string';
      else if (m[1] === 'f') mode = 'file';
      else {
        const stop = this.wordEnd(p);
        if (stop === p) throw new ParseFailure(p);
        const value = { text: t.slice(p, stop), offset: p };
        if (m[1] === 'pS') initialSkip = value;
        else skip = value;
        p = skipBlanks(t, stop, this.end);
      }
    }
    if (t[p] !== '(') throw new ParseFailure(p);
    const close = findClose(t, p, this.end);
    if (close < 0) throw new ParseFailure(p);
    let q = skipBlanks(t, p + 1, close);
    const varEnd = this.wordEnd(q, close);
    if (varEnd === q) throw new ParseFailure(q);
    const variable = t.slice(q, varEnd);
    q = skipBlanks(t, varEnd, close);
    let source: ForeachSource;
    if (mode === 'commands') {
      if (t[q] !== '{') throw new ParseFailure(q);
      const block = this.block(q, close);
      source = { kind: 'commands', block };
      q = block.end;
    } else {
      if (t[q] !== '"') throw new ParseFailure(q);
      const stop = skipQuoted(t, q, close);
      const value = { text: t.slice(q + 1, stop - 1), offset: q + 1 };
      source = mode === 'string' ? { kind: 'string', value } : { kind: 'file', path: value };
      q = stop;
    }
    if (skipBlanks(t, q, close) !== close) throw new ParseFailure(skipBlanks(t, q, close));
    const body = this.body(close + 1);
    return {
      kind: 'foreach',
      offset: at,
      end: body.end,
      ...(initialSkip ? { initialSkip } : {}),
      ...(skip ? { skip } : {}),
      variable,
      source,
      body,
    };
  }

  /** A condition: optional parentheses, up to the block's `{` (or a `;`). */
  private condition(after: number): { cond: SourceText; next: number } {
    const t = this.text;
    const start = skipBlanks(t, after, this.end);
    let j = start;
    while (j < this.end) {
      const c = t[j];
      if (c === '{' || c === ';') break;
      if (c === '(') {
        const close = findClose(t, j, this.end);
        if (close < 0) throw new ParseFailure(j);
        j = close + 1;
        // `.if (x) .leave`: a dot-command cannot continue an expression after `)`.
        const k = skipBlanks(t, j, this.end);
        if (t[k] === '.' && /[A-Za-z]/.test(t[k + 1] ?? '')) break;
        continue;
      }
      if (c === '"') {
        j = skipQuoted(t, j, this.end);
        continue;
      }
      j++;
    }
    const cond = this.trimmed(start, j);
    if (cond.text === '') throw new ParseFailure(start);
    return { cond, next: j };
  }

  /**
   * The body after a condition: a `{ }` block, or (a leniency the `.leave` page's own example
   * needs) a single statement.
   */
  private body(after: number): Block {
    const p = skipSeparators(this.text, after, this.end);
    if (this.text[p] === '{') return this.block(p);
    if (p >= this.end) throw new ParseFailure(this.end);
    const { statement, next } = parseStatement(this.text, p, this.end, this.restOfLine);
    if (!statement || statement.kind === 'invalid') throw new ParseFailure(p);
    return { offset: p, end: Math.min(next, statement.end), expand: true, body: [statement] };
  }

  /** A `{ }` block at `open`; its contents parsed as a sequence. */
  private block(open: number, limit = this.end): Block {
    if (this.text[open] !== '{') throw new ParseFailure(open);
    const close = findClose(this.text, open, limit);
    if (close < 0) throw new ParseFailure(open);
    const inner = skipBlanks(this.text, open + 1, close) === open + 1 ? open + 1 : -1;
    return {
      offset: open,
      end: close + 1,
      expand: !(inner >= 0 && startsWithAliasCommand(this.text, inner)),
      body: parseSequence(this.text, open + 1, close, this.restOfLine),
    };
  }

  private wordEnd(i: number, limit = this.end): number {
    let j = i;
    while (j < limit && !isBlank(this.text[j]) && !'{}()"'.includes(this.text[j]!)) j++;
    return j;
  }

  private trimmed(a: number, b: number): SourceText {
    let s = a;
    let e = b;
    while (s < e && isBlank(this.text[s])) s++;
    while (e > s && isBlank(this.text[e - 1])) e--;
    return { text: this.text.slice(s, e), offset: s };
  }
}
