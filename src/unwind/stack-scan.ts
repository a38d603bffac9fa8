/**
 * Last-resort recovery for code without unwind data: scan the stack upward for a value that
 * looks like a return address (formats.md 6.6, rust-minidump's "scan" strategy).
 *
 * Folklore: a stack slot holding a module address is often a data pointer, not a return
 * address. When the code bytes before the candidate are readable we also require them to end
 * in a CALL (E8 rel32 or FF /2 in its 2- to 7-byte forms); when they are not readable (a
 * minidump without module images) the module test alone decides. Frames found this way are
 * marked trust 'scan' so `k` can say so.
 */
import { leUnsigned, type VirtualMemory } from '../memory/virtual-memory.js';
import type { UnwindDataProvider } from './types.js';

/** How far above rsp a scan looks (bytes). */
export const SCAN_WINDOW = 0x2000;

/** A return address found on the stack. */
export interface ScanHit {
  /** Address of the stack slot holding the return address. */
  readonly slot: bigint;
  readonly returnAddress: bigint;
}

/** True when the bytes just before `address` end with a CALL instruction, or cannot be read. */
export function precededByCall(memory: VirtualMemory, address: bigint): boolean {
  if (address < 7n) return false;
  const b = memory.readPartial(address - 7n, 7);
  if (b.length < 7) return true;
  // b[7 - n] is the first byte of an n-byte instruction ending at `address`.
  const isCallRm = (n: number): boolean => b[7 - n] === 0xff && ((b[8 - n] ?? 0) & 0x38) === 0x10;
  return b[2] === 0xe8 || isCallRm(2) || isCallRm(3) || isCallRm(4) || isCallRm(6) || isCallRm(7);
}

/** The first plausible return address in [from, from + window), or undefined. */
export function scanForReturnAddress(
  memory: VirtualMemory,
  provider: UnwindDataProvider,
  from: bigint,
  window = SCAN_WINDOW,
): ScanHit | undefined {
  const bytes = memory.readPartial(from, window);
  for (let off = 0; off + 8 <= bytes.length; off += 8) {
    const value = leUnsigned(bytes, off, 8);
    if (value < 0x10000n || !provider.isInModule(value)) continue;
    if (!precededByCall(memory, value)) continue;
    return { slot: from + BigInt(off), returnAddress: value };
  }
  return undefined;
}
