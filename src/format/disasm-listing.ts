import { formatDisasmLine, type DisasmLine } from '../disasm/index.js';
import type { DumpSession } from '../session/dump-session.js';

/** Symbol part of `module!name+0x10` (without the offset), for detecting label changes. */
function symbolOf(text: string | undefined): string | undefined {
  return text?.replace(/\+0x[0-9a-f]+$/, '');
}

/**
 * Lines of a `u`/`ub` listing: a `module!func+0xNN:` label before the first instruction and
 * again whenever the listing enters another symbol, then WinDbg-formatted instructions.
 */
export function listingLines(session: DumpSession, lines: readonly DisasmLine[]): string[] {
  const out: string[] = [];
  let current: string | undefined;
  for (const [i, line] of lines.entries()) {
    const s = session.symbols.symbolize(line.address);
    if (s?.loadMessage) out.push(s.loadMessage);
    const sym = symbolOf(s?.text);
    if (s && (i === 0 || sym !== current)) out.push(`${s.text}:`);
    current = sym;
    out.push(formatDisasmLine(line, session.target.pointerSize));
  }
  return out;
}
