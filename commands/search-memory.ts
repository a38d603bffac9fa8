import { CaretError, DebuggerError } from '../src/errors.js';
import { parseMasmNumber } from '../src/expr/index.js';
import { formatPointer } from '../src/memory/address.js';
import { encodeUnits, matchesAt, searchMemory } from '../src/memory/search.js';
import { memoryLines, type DisplayKind } from '../src/format/memory-lines.js';
import { ArgCursor, parseRange } from '../src/repl/args.js';
import { defineCommand } from '../src/repl/command.js';
import { err, out, warn, type Line } from '../src/repl/output.js';
import type { DumpSession } from '../src/session/dump-session.js';

/** The pattern types of `s -Type`. */
export type SearchType = 'b' | 'w' | 'd' | 'q' | 'a' | 'u';

/** Parsed `s` arguments. */
export interface SearchArgs {
  readonly type: SearchType;
  readonly start: bigint;
  /** Exclusive end. */
  readonly end: bigint;
  readonly pattern: Uint8Array;
  /** `-[1]`: addresses only, for `.foreach`. */
  readonly addressesOnly: boolean;
  /** `-[s]`: remember the hits; `-[r]`: search only the remembered hits. */
  readonly save: boolean;
  readonly restrict: boolean;
  /** `-[n Hits]`: how many hits `-[s]` keeps (default 1024). */
  readonly saveLimit: number;
}

/** What a search found: each hit with its display line, already read from memory. */
export interface SearchOutcome {
  readonly hits: readonly { readonly address: bigint; readonly line?: string }[];
  /** Stopped at SEARCH_HIT_LIMIT. */
  readonly truncated: boolean;
  /** `-[s]` found more hits than `n` allows. */
  readonly overflow: boolean;
}

/** Most hits one `s` reports: bounds output and memory on a pattern that is everywhere (`s -q 0 L?... 0`). */
export const SEARCH_HIT_LIMIT = 0x10000;

const UNIT: Record<SearchType, 1 | 2 | 4 | 8> = { b: 1, w: 2, d: 4, q: 8, a: 1, u: 1 };
/** The d* layout each type's hits print in, and units per line. */
const DISPLAY: Record<SearchType, { kind: DisplayKind; count: number }> = {
  b: { kind: 'b', count: 16 },
  a: { kind: 'b', count: 16 },
  u: { kind: 'b', count: 16 },
  w: { kind: 'w', count: 8 },
  d: { kind: 'c', count: 4 },
  q: { kind: 'q', count: 2 },
};

/** Hits kept by `-[s]`, per session, for a later `-[r]`. */
const saved = new WeakMap<DumpSession, readonly bigint[]>();

interface Flags {
  addressesOnly: boolean;
  save: boolean;
  restrict: boolean;
  saveLimit: number;
}

/** Reads `-[Flags]Type` if present; the cursor is left after it. */
function parseTypeOption(c: ArgCursor, radix: number): { type: SearchType; flags: Flags } {
  const flags: Flags = { addressesOnly: false, save: false, restrict: false, saveLimit: 1024 };
  if (c.text[c.pos] !== '-') return { type: 'b', flags };
  const m = /^-(?:\[([^\]]*)\])?([A-Za-z]*)/.exec(c.remaining)!;
  const typeAt = c.pos + m[0].length - m[2]!.length;
  if (m[1] !== undefined) parseFlags(m[1], c.pos + 2, c.text, radix, flags);
  const word = m[2]!.toLowerCase();
  if (word === 'v' || word === 'sa' || word === 'su') throw new DebuggerError('unsupported', `s -${word} is not supported by crashkd`);
  if (!/^[bwdqau]$/.test(word)) throw new CaretError('syntax', 'Syntax', typeAt);
  c.pos += m[0].length;
  c.skipSpaces();
  return { type: word as SearchType, flags };
}

/** `1 s r w n Hits l Length` inside the brackets; `at` is the text offset of the first flag. */
function parseFlags(body: string, at: number, text: string, radix: number, flags: Flags): void {
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!.toLowerCase();
    if (ch === '1') flags.addressesOnly = true;
    else if (ch === 's') flags.save = true;
    else if (ch === 'r') flags.restrict = true;
    // Dumps carry no page protections worth trusting, so `w` cannot narrow anything.
    else if (ch === 'w') continue;
    else if (ch === 'n' || ch === 'l') {
      const num = /^\s*([0-9A-Za-z`]+)/.exec(body.slice(i + 1));
      const value = num ? parseMasmNumber(num[1]!, radix)?.value : undefined;
      if (value === undefined) throw new CaretError('syntax', 'Syntax', at + i + 1);
      if (ch === 'n') flags.saveLimit = Number(value > 0x100000n ? 0x100000n : value);
      i += num![0].length;
    } else throw new CaretError('syntax', 'Syntax', at + i);
  }
  if (flags.save && flags.restrict) throw new CaretError('syntax', 'Syntax', at);
}

/** `"text"` at the cursor (or the bare rest of the line), as the string to search for. */
function parseString(c: ArgCursor): string {
  if (c.text[c.pos] !== '"') {
    const s = c.remaining.trim();
    c.pos = c.text.length;
    return s;
  }
  let s = '';
  let i = c.pos + 1;
  for (; i < c.text.length && c.text[i] !== '"'; i++) {
    if (c.text[i] === '\\' && (c.text[i + 1] === '"' || c.text[i + 1] === '\\')) i++;
    s += c.text[i];
  }
  if (i >= c.text.length) throw new CaretError('syntax', 'Syntax', c.pos);
  c.pos = i + 1;
  c.skipSpaces();
  return s;
}

/** A value that fits `unit` bytes, unsigned or as a sign-extended negative (kernel `80000000`). */
function fitUnit(v: bigint, unit: number, at: number): bigint {
  const bits = BigInt(unit * 8);
  const mask = (1n << bits) - 1n;
  if (v <= mask || v >= (1n << 64n) - (1n << (bits - 1n))) return v & mask;
  throw new CaretError('range', 'Overflow', at);
}

/** Numbers and `'c'` characters, each one unit wide. */
function parseValues(c: ArgCursor, unit: 1 | 2 | 4 | 8): Uint8Array {
  const values: bigint[] = [];
  while (!c.atEnd) {
    const at = c.pos;
    if (c.text[at] === "'") {
      const close = c.text.indexOf("'", at + 1);
      if (close < 0 || close === at + 1) throw new CaretError('syntax', 'Syntax', at);
      let v = 0n;
      // 'VUTS' is the dword 0x56555453: first character most significant, as WinDbg reads it.
      for (const ch of c.text.slice(at + 1, close)) v = ((v << 8n) | BigInt(ch.charCodeAt(0) & 0xff)) & ((1n << 64n) - 1n);
      if (close - at - 1 > unit) throw new CaretError('range', 'Overflow', at);
      values.push(v);
      c.pos = close + 1;
      c.skipSpaces();
      continue;
    }
    values.push(fitUnit(c.expression(), unit, at));
  }
  if (values.length === 0) throw new CaretError('syntax', 'Syntax', c.text.length);
  return encodeUnits(values, unit);
}

function encodeString(s: string, wide: boolean, at: number): Uint8Array {
  if (s.length === 0) throw new CaretError('syntax', 'Syntax', at);
  if (!wide) return Uint8Array.from(s, (ch) => ch.charCodeAt(0) & 0xff);
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    out[2 * i] = code & 0xff;
    out[2 * i + 1] = code >> 8;
  }
  return out;
}

function hitLines(r: SearchOutcome, pointerSize: 4 | 8): Line[] {
  const lines: Line[] = r.hits.map((h) => out(h.line ?? formatPointer(h.address, pointerSize)));
  if (r.overflow) lines.push(err('Overflow error'));
  if (r.truncated) lines.push(warn(`crashkd: search stopped after ${SEARCH_HIT_LIMIT} hits`));
  return lines;
}

/** `s [-[Flags]Type] Range Pattern`: search memory for bytes, words, dwords, qwords or strings. */
export const searchCommand = defineCommand({
  name: 's',
  summary: 'Search memory for a pattern (s -b|-w|-d|-q|-a|-u)',
  usage: 's [-[Flags]Type] Range Pattern',
  parse(inv, { session }): SearchArgs {
    const c = new ArgCursor(inv.text, inv.restOffset, session);
    const { type, flags } = parseTypeOption(c, session.radix);
    if (c.atEnd) throw new CaretError('syntax', 'Syntax', inv.text.length);
    const range = parseRange(c, 1);
    if (range.count === undefined && range.end === undefined) throw new CaretError('syntax', 'Syntax', inv.text.length);
    const end = range.count !== undefined ? range.start + range.count : range.end! + 1n;
    if (c.atEnd) throw new CaretError('syntax', 'Syntax', inv.text.length);
    const at = c.pos;
    let pattern: Uint8Array;
    if (type === 'a' || type === 'u') {
      pattern = encodeString(parseString(c), type === 'u', at);
      c.end();
    } else pattern = parseValues(c, UNIT[type]);
    return { type, start: range.start, end, pattern, ...flags };
  },
  async run(a, { session, signal }): Promise<SearchOutcome> {
    const memory = session.target.memory;
    const unit = UNIT[a.type];
    let found: bigint[];
    let truncated = false;
    if (a.restrict) {
      found = (saved.get(session) ?? []).filter((h) => h % BigInt(unit) === 0n && matchesAt(memory, h, a.pattern));
    } else {
      // One hit past the limit tells "stopped early" from "exactly the limit".
      const r = await searchMemory(memory, { start: a.start, end: a.end, pattern: a.pattern, alignment: unit, maxHits: SEARCH_HIT_LIMIT + 1 }, { signal });
      found = r.hits;
    }
    if (found.length > SEARCH_HIT_LIMIT) {
      found = found.slice(0, SEARCH_HIT_LIMIT);
      truncated = true;
    }
    const overflow = a.save && found.length > a.saveLimit;
    // `-[r]` reads the saved set without replacing it, so several `-[r]` searches can probe one set.
    if (a.save) saved.set(session, found.slice(0, a.saveLimit));
    const ps = session.target.pointerSize;
    const d = DISPLAY[a.type];
    const hits = found.map((address) =>
      a.addressesOnly ? { address } : { address, line: memoryLines(memory, address, d.count, d.kind, ps, () => ({})).lines[0]! },
    );
    return { hits, truncated, overflow };
  },
  format: (r, _a, { session }) => hitLines(r, session.target.pointerSize),
});
