import type { DumpSession } from '../session/dump-session.js';

/**
 * A symbolizer for disassembly and memory displays that keeps any first-load messages, so the
 * caller can print them once instead of losing them.
 */
export function collectingSymbolizer(session: DumpSession): { symbolize: (a: bigint) => string | undefined; messages: string[] } {
  const messages: string[] = [];
  return {
    messages,
    symbolize(address: bigint): string | undefined {
      const s = session.symbols.symbolize(address);
      if (s?.loadMessage) messages.push(s.loadMessage);
      return s?.text;
    },
  };
}
