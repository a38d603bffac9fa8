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

/** A kernel machine frame (the hardware-pushed part of a KTRAP_FRAME) found on the stack. */
export interface MachineFrameHit {
  /** Address of the saved rip (KTRAP_FRAME + 0x168). */
  readonly slot: bigint;
  readonly rip: bigint;
  readonly rsp: bigint;
}

const KERNEL_CS = 0x10n;
const KERNEL_SS = 0x18n;

/**
 * The first kernel machine frame in [from, from + window): rip inside a module, cs 0x10,
 * plausible eflags (reserved bit 1 set, nothing above bit 21), an rsp a little above the frame
 * on the same stack, and ss 0x18 (or 0, which Windows leaves in some trap frames).
 *
 * Folklore: where the kernel's own unwind data is missing (triage dumps carry no ntoskrnl
 * pages), the exception-dispatch frames above an access violation cannot be walked, but the
 * trap frame the processor pushed can still be recognised, and from it the faulting driver's
 * frames unwind with their real data (test: triage_x64 reaches amdppm!WriteIoMemRawEx).
 */
export function scanForMachineFrame(
  memory: VirtualMemory,
  provider: UnwindDataProvider,
  from: bigint,
  window = SCAN_WINDOW,
): MachineFrameHit | undefined {
  const bytes = memory.readPartial(from, window);
  for (let off = 0; off + 40 <= bytes.length; off += 8) {
    if (leUnsigned(bytes, off + 8, 8) !== KERNEL_CS) continue;
    const ss = leUnsigned(bytes, off + 32, 8);
    if (ss !== KERNEL_SS && ss !== 0n) continue;
    const efl = leUnsigned(bytes, off + 16, 8);
    if ((efl & 2n) === 0n || efl >> 22n !== 0n) continue;
    const slot = from + BigInt(off);
    const rsp = leUnsigned(bytes, off + 24, 8);
    if (rsp <= slot || rsp - slot > 0x10000n) continue;
    const rip = leUnsigned(bytes, off, 8);
    if (!provider.isInModule(rip)) continue;
    return { slot, rip, rsp };
  }
  return undefined;
}
