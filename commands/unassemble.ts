import { CaretError } from '../src/errors.js';
import { disassemble, disassembleBackward, disassembleFunction, type DisasmLine } from '../src/disasm/index.js';
import { ArgCursor, parseRange } from '../src/repl/args.js';
import { defineCommand } from '../src/repl/command.js';
import { collectingSymbolizer } from '../src/format/code-symbolizer.js';
import { listingLines } from '../src/format/disasm-listing.js';
import { err, out, type Line } from '../src/repl/output.js';
import type { DumpSession } from '../src/session/dump-session.js';

interface UArgs {
  readonly start?: bigint;
  readonly count?: number;
  readonly end?: bigint;
}

const DEFAULT_COUNT = 8;
/** A listing never exceeds this many instructions (`u a L?n` included). */
const MAX_INSTRUCTIONS = 1_000_000;

function parseU(inv: { text: string; restOffset: number }, session: DumpSession): UArgs {
  const c = new ArgCursor(inv.text, inv.restOffset, session);
  if (c.atEnd) return {};
  const r = parseRange(c, 1);
  c.end();
  if (r.count !== undefined) return { start: r.start, count: Number(r.count > BigInt(MAX_INSTRUCTIONS) ? BigInt(MAX_INSTRUCTIONS) : r.count) };
  return r.end !== undefined ? { start: r.start, end: r.end } : { start: r.start };
}

function bitness(session: DumpSession): 32 | 64 {
  return session.target.pointerSize === 8 ? 64 : 32;
}

/** Instructions as `--json` data. */
function instructionsJson(session: DumpSession, lines: readonly DisasmLine[]) {
  return lines.map((l) => ({
    address: l.address,
    bytes: l.bytes,
    text: l.text,
    readable: l.readable,
    ...(session.symbols.symbolize(l.address) ? { symbol: session.symbols.symbolize(l.address)!.text } : {}),
  }));
}

/** Appends the caret error when a listing ran into unreadable memory. */
function withMemoryError(lines: Line[], unreadable: boolean): Line[] {
  if (unreadable) throw Object.assign(new CaretError('memory-access', 'Memory access', -1), { partial: lines });
  return lines;
}

/** `u [Address | Range]`: disassemble 8 instructions, a range, or `L` count. */
export const unassembleCommand = defineCommand({
  name: 'u',
  summary: 'Disassemble (8 instructions, a range a b, or a L n)',
  usage: 'u [Address | Start End | Start L Count]',
  parse: (inv, { session }) => parseU(inv, session),
  run(a, { session }) {
    const start = a.start ?? session.nextDisassembly ?? session.registers().ip;
    const sym = collectingSymbolizer(session);
    const lines = disassemble(session.target.memory, start, {
      bitness: bitness(session),
      ...(a.end !== undefined ? { end: a.end } : { count: a.count ?? DEFAULT_COUNT }),
      symbolize: sym.symbolize,
    });
    const last = lines[lines.length - 1];
    if (last) session.nextDisassembly = last.address + BigInt(last.length);
    return { lines, messages: sym.messages };
  },
  format(r, _a, { session }) {
    const text = [...r.messages, ...listingLines(session, r.lines)].map(out);
    return withMemoryError(text, r.lines.some((l) => !l.readable));
  },  json: (r, _a, session) => ({ instructions: instructionsJson(session, r.lines) }),
});

/** `ub [Address] [L Count]`: the instructions just before an address. */
export const unassembleBackCommand = defineCommand({
  name: 'ub',
  summary: 'Disassemble the instructions before an address',
  usage: 'ub [Address] [L Count]',
  parse: (inv, { session }) => parseU(inv, session),
  run(a, { session }) {
    const start = a.start ?? session.registers().ip;
    const sym = collectingSymbolizer(session);
    const lines = disassembleBackward(session.target.memory, start, a.count ?? DEFAULT_COUNT, { bitness: bitness(session), symbolize: sym.symbolize });
    return { lines, messages: sym.messages };
  },
  format(r, _a, { session }) {
    return withMemoryError([...r.messages, ...listingLines(session, r.lines)].map(out), r.lines.some((l) => !l.readable));
  },
});

/** `uf Address`: the whole function, block by block, found by following branches. */
export const unassembleFunctionCommand = defineCommand({
  name: 'uf',
  summary: 'Disassemble a whole function by following its branches',
  usage: 'uf Address',
  parse(inv, { session }) {
    const c = new ArgCursor(inv.text, inv.restOffset, session);
    while (c.option() !== undefined) {
      // /c /D /m /o /O /i are accepted; blocks are always shown in address order.
    }
    const start = c.expression();
    c.end();
    return start;
  },
  run(start, { session }) {
    const sym = collectingSymbolizer(session);
    const blocks = disassembleFunction(session.target.memory, start, { bitness: bitness(session), symbolize: sym.symbolize });
    return { blocks, messages: sym.messages };
  },
  format(r, _a, { session }): Line[] {
    // Unreadable code at the start (a paged-out function) is WinDbg's "No code found", not a caret error.
    const first = r.blocks[0]?.[0];
    if (!first || !first.readable) return [err('No code found, aborting')];
    const lines: Line[] = r.messages.map(out);
    r.blocks.forEach((block, i) => {
      if (i > 0) lines.push(out(''));
      const first = block[0];
      const s = first ? session.symbols.symbolize(first.address) : undefined;
      if (s) lines.push(out(`${s.text}:`));
      lines.push(...listingLines(session, block).filter((l) => !l.endsWith(':')).map(out));
    });
    return withMemoryError(lines, r.blocks.some((b) => b.some((l) => !l.readable)));
  },
});
