import { CaretError } from '../errors.js';
import { parseExpression } from '../expr/index.js';
import type { EvalEnv } from '../expr/env.js';

/**
 * A cursor over a command's argument text. Positions are offsets into the whole command text
 * so errors can put the caret in the right column.
 */
export class ArgCursor {
  pos: number;

  constructor(
    readonly text: string,
    start: number,
    private readonly env: EvalEnv,
  ) {
    this.pos = start;
    this.skipSpaces();
  }

  /** Skips blanks. */
  skipSpaces(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  /** True when only blanks remain. */
  get atEnd(): boolean {
    this.skipSpaces();
    return this.pos >= this.text.length;
  }

  /** The unread text. */
  get remaining(): string {
    return this.text.slice(this.pos);
  }

  /** Parses one MASM expression. */
  expression(): bigint {
    const { value, end } = parseExpression(this.text, this.pos, this.env);
    this.pos = end;
    this.skipSpaces();
    return value;
  }

  /** Consumes `word` (case-insensitive) followed by a blank or end; returns whether it did. */
  keyword(word: string): boolean {
    const s = this.text.slice(this.pos, this.pos + word.length);
    const after = this.text[this.pos + word.length];
    if (s.toLowerCase() === word.toLowerCase() && (after === undefined || /\s/.test(after))) {
      this.pos += word.length;
      this.skipSpaces();
      return true;
    }
    return false;
  }

  /** Consumes a `/x` style option letter if present. */
  option(): string | undefined {
    const m = /^\/([A-Za-z]+)/.exec(this.remaining);
    if (!m) return undefined;
    this.pos += m[0].length;
    this.skipSpaces();
    return m[1];
  }

  /** Fails with `Extra character error` unless everything was consumed. */
  end(): void {
    if (!this.atEnd) throw new CaretError('extra-character', 'Extra character', this.text.length - 1);
  }
}

/** An address range as `d*`, `u` and `s` accept it. */
export interface AddressRange {
  readonly start: bigint;
  /** Count of units when given with `L`, else undefined. */
  readonly count?: bigint;
  /** Inclusive end address when given as `start end`. */
  readonly end?: bigint;
}

/** Largest range WinDbg accepts without `L?` (256 MB). */
export const RANGE_LIMIT = 0x10000000n;

/**
 * Reads `start [end | L count | L?count | L-count]` after the command word. `unit` is the byte
 * size of one element, used to apply the 256 MB sanity limit.
 */
export function parseRange(c: ArgCursor, unit: number): AddressRange {
  const start = c.expression();
  if (c.atEnd) return { start };
  const m = /^[lL](\?)?(-)?/.exec(c.remaining);
  if (m) {
    c.pos += m[0].length;
    c.skipSpaces();
    const count = c.expression();
    if (!m[1] && count * BigInt(unit) > RANGE_LIMIT) throw new CaretError('range', 'Range', c.text.length - 1);
    if (m[2]) return { start: start - count * BigInt(unit), count };
    return { start, count };
  }
  const end = c.expression();
  if (end < start || end - start > RANGE_LIMIT) throw new CaretError('range', 'Range', c.text.length - 1);
  return { start, end };
}

/**
 * Evaluates a command's whole argument as one expression; anything left over is WinDbg's
 * `Extra character error` with the caret under the last character.
 */
export function evaluateArgument(text: string, start: number, env: EvalEnv): bigint {
  const c = new ArgCursor(text, start, env);
  const value = c.expression();
  c.end();
  return value;
}

/** An optional single expression argument (`.trap [Address]`, `!teb [Address]`); undefined when absent. */
export function optionalExpression(text: string, start: number, env: EvalEnv): bigint | undefined {
  const c = new ArgCursor(text, start, env);
  if (c.atEnd) return undefined;
  const value = c.expression();
  c.end();
  return value;
}
