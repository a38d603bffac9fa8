/**
 * Stack scanning: the last resort when the frame-pointer chain breaks (FPO code, a corrupted
 * ebp). Walks up the stack from the callee's esp and takes the first dword that points into
 * a module, and, when the code bytes are in the dump, follows a CALL instruction.
 *
 * Folklore: stale return addresses from earlier calls litter every stack, so a scanned frame
 * can be bogus; that is why these frames are marked 'scan' and why the walker prefers the
 * frame-pointer chain. (breakpad and rust-minidump make the same trade.)
 */
import type { CallerProposal, X86CallerStrategy, X86Frame, X86WalkEnv } from './x86-frame.js';

/**
 * True unless the bytes before `ret` are readable and contain no CALL that ends at `ret`:
 * E8 rel32 (5 bytes), or FF /2 in its 2, 3, 4, 6 and 7-byte ModRM/SIB/displacement forms.
 */
export function followsCall(env: X86WalkEnv, ret: bigint): boolean {
  if (ret < 7n) return false;
  const before = env.memory.readPartial(ret - 7n, 7);
  if (before.length < 7) return true; // code not in the dump: cannot tell, do not reject
  const at = (back: number): number => before[7 - back] ?? 0;
  if (at(5) === 0xe8) return true;
  for (const len of [2, 3, 4, 6, 7]) {
    if (at(len) === 0xff && (at(len - 1) & 0x38) === 0x10) return true;
  }
  return false;
}

/** Scans up from the callee's stack pointer for a plausible return address. */
export const stackScanStrategy: X86CallerStrategy = {
  name: 'scan',
  findCaller(callee: X86Frame, env: X86WalkEnv): CallerProposal | undefined {
    const start = callee.stackPointer;
    for (let i = 0; i < env.maxScanWords; i++) {
      const slot = start + BigInt(i * 4);
      if (slot > 0xfffffffbn) return undefined;
      const value = env.read32(slot);
      if (value === undefined) return undefined;
      if (value === 0n || !env.isInModule(value) || !followsCall(env, value)) continue;
      // A callee that set up a frame pushed ebp just below its return address.
      const framePointer = callee.framePointer === slot - 4n ? (env.read32(slot - 4n) ?? callee.framePointer) : callee.framePointer;
      return { instructionPointer: value, stackPointer: slot + 4n, framePointer, trust: 'scan' };
    }
    return undefined;
  },
};
