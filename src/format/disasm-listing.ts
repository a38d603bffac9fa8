import { formatDisasmLine, type DisasmLine } from '../disasm/index.js';
import type { DumpSession } from '../session/dump-session.js';
import type { Module } from '../target/target.js';

/** Symbol part of `module!name+0x10` (without the offset), for detecting label changes. */
function symbolOf(text: string | undefined): string | undefined {
  return text?.replace(/\+0x[0-9a-f]+$/, '');
}

/**
 * The address span over which the symbol of `address` stays the same: from its symbol to the
 * next one (or the module's end). Lets a long listing symbolize once per function, not per line.
 */
function sameSymbolSpan(module: Module, address: bigint): { start: bigint; end: bigint } {
  const symbols = module.symbols();
  const rva = Number(address - module.base);
  const here = symbols.nearest(rva);
  const next = symbols.next(rva);
  const moduleEnd = module.base + BigInt(module.size);
  const start = here ? module.base + BigInt(here.rva) : module.base;
  const end = next ? module.base + BigInt(next.rva) : moduleEnd;
  // A sized symbol ends where its size says; past that another one may take over.
  const sized = here?.length !== undefined ? start + BigInt(here.length) : end;
  return { start, end: sized < end ? sized : end };
}

/**
 * Lines of a `u`/`ub` listing: a `module!func+0xNN:` label before the first instruction and
 * again whenever the listing enters another symbol, then WinDbg-formatted instructions.
 */
export function listingLines(session: DumpSession, lines: readonly DisasmLine[]): string[] {
  const out: string[] = [];
  const size = session.target.pointerSize;
  let current: string | undefined;
  let span: { start: bigint; end: bigint } | undefined;
  for (const [i, line] of lines.entries()) {
    const a = line.address;
    if (i === 0 || !span || a < span.start || a >= span.end) {
      const s = session.symbols.symbolize(a);
      if (s?.loadMessage) out.push(s.loadMessage);
      const sym = symbolOf(s?.text);
      if (s && (i === 0 || sym !== current)) out.push(`${s.text}:`);
      current = sym;
      span = s ? sameSymbolSpan(s.module, a) : undefined;
    }
    out.push(formatDisasmLine(line, size));
  }
  return out;
}
