import { ArgCursor, parseRange } from '../src/repl/args.js';
import { defineCommand } from '../src/repl/command.js';
import { defaultCount, memoryLines, stringLines, unitSize, type DisplayKind } from '../src/format/memory-lines.js';
import { linesOf, out } from '../src/repl/output.js';
import type { DumpSession } from '../src/session/dump-session.js';

const KINDS: Record<string, DisplayKind> = {
  db: 'b', dw: 'w', dd: 'd', dc: 'c', dq: 'q', dp: 'p', da: 'a', du: 'u', dps: 'ps', dds: 'ds', dqs: 'qs',
};

interface DArgs {
  readonly kind: DisplayKind;
  readonly word: string;
  readonly start?: bigint;
  readonly count?: number;
}

/** Upper bound on units shown by one d* command (`L?` included): bounded output. */
const MAX_UNITS = 0x1000000;

function symbolizer(session: DumpSession) {
  return (value: bigint) => {
    const s = session.symbols.symbolize(value);
    if (!s) return {};
    return s.loadMessage ? { text: s.text, message: s.loadMessage } : { text: s.text };
  };
}

/** The d* family: db dw dd dc dq dp da du and dps dds dqs, with `L` counts and ranges. */
export const displayMemoryCommand = defineCommand({
  name: 'd',
  aliases: Object.keys(KINDS),
  summary: 'Display memory (db dw dd dc dq dp da du; dps dds dqs with symbols)',
  usage: 'd[b|w|d|c|q|p|a|u|ps|ds|qs] [Address [L Count | End]]',
  parse(inv, { session }): DArgs {
    const word = inv.word.toLowerCase();
    const previous = session.nextDisplay?.command ?? 'db';
    const kind = KINDS[word === 'd' ? previous : word]!;
    const c = new ArgCursor(inv.text, inv.restOffset, session);
    if (c.atEnd) return { kind, word: word === 'd' ? previous : word };
    const size = unitSize(kind, session.target.pointerSize);
    const r = parseRange(c, size);
    c.end();
    const count =
      r.count !== undefined ? r.count : r.end !== undefined ? (r.end - r.start) / BigInt(size) + 1n : undefined;
    const base = { kind, word: word === 'd' ? previous : word, start: r.start };
    return count === undefined ? base : { ...base, count: Number(count > BigInt(MAX_UNITS) ? BigInt(MAX_UNITS) : count) };
  },
  run(a, { session }) {
    const t = session.target;
    const start = a.start ?? session.nextDisplay?.address ?? session.registers().ip;
    const count = a.count ?? defaultCount(a.kind, t.pointerSize);
    if (a.kind === 'a' || a.kind === 'u') {
      const lines = stringLines(t.memory, start, count, a.kind === 'u', t.pointerSize);
      session.nextDisplay = { address: start + BigInt(count * unitSize(a.kind, t.pointerSize)), command: a.word };
      return lines;
    }
    const { lines, last } = memoryLines(t.memory, start, count, a.kind, t.pointerSize, symbolizer(session));
    if (last !== undefined) session.pseudo.set('$p', last);
    session.nextDisplay = { address: start + BigInt(count * unitSize(a.kind, t.pointerSize)), command: a.word };
    return lines;
  },
  format: (lines) => lines.flatMap((l) => (l.includes('\n') ? linesOf(l) : [out(l)])),
  json: (lines, a) => ({ kind: a.word, lines: lines.flatMap((l) => l.split('\n')) }),
});
