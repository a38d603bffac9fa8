/** `u`: forward disassembly by count or by address range, and the full WinDbg line layout. */
import type { VirtualMemory } from '../memory/virtual-memory.js';
import { decodeStream, MAX_INSTRUCTION_LENGTH } from './decode-stream.js';
import { fastPointer, hexBytes, padRight, unpadMnemonic } from './text-format.js';
import type { DisasmLine, Symbolizer } from './types.js';

/** Instructions `u` shows when given no count or range. */
export const DEFAULT_INSTRUCTION_COUNT = 8;

/** Options of {@link disassemble}. */
export interface DisassembleOptions {
  bitness: 32 | 64;
  /** Number of instructions; 8 when neither `count` nor `end` is given. */
  count?: number;
  /** Inclusive bound on start addresses: every instruction starting <= end is shown. */
  end?: bigint;
  symbolize: Symbolizer;
}

/**
 * Disassembles forward from `address`. Stops after `count` lines, after the last instruction
 * starting at or before `end`, or after the first unreadable line (included, `readable: false`).
 */
export function disassemble(memory: VirtualMemory, address: bigint, options: DisassembleOptions): DisasmLine[] {
  const { end } = options;
  const count = options.count ?? (end === undefined ? DEFAULT_INSTRUCTION_COUNT : Number.POSITIVE_INFINITY);
  const lines: DisasmLine[] = [];
  if (count <= 0 || (end !== undefined && end < address)) return lines;
  const span = end === undefined ? count * MAX_INSTRUCTION_LENGTH : Number(end - address) + 1;
  decodeStream(memory, address, options, Math.min(span, Number.MAX_SAFE_INTEGER), (line) => {
    if (end !== undefined && line.address > end) return false;
    lines.push(line);
    return line.readable && lines.length < count;
  });
  return lines;
}

/**
 * The full WinDbg line: `fffff800`03aab937 f390            pause`. Bytes are `%-15s `; past
 * 8 bytes the mnemonic is pushed right and no longer padded.
 */
export function formatDisasmLine(line: DisasmLine, pointerSize: 4 | 8): string {
  const address = fastPointer(line.address, pointerSize);
  if (!line.readable) return `${address} ??              ???`;
  const hex = hexBytes(line.bytes);
  if (line.bytes.length > 8) return `${address} ${hex} ${unpadMnemonic(line.text)}`;
  return `${address} ${padRight(hex, 15)} ${line.text}`;
}
