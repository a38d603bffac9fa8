/**
 * EBP-chain unwinding. A function built with frame pointers starts `push ebp; mov ebp, esp`,
 * so in its frame [ebp] is the caller's ebp and [ebp+4] the return address; the caller's esp
 * is ebp+8. This is what WinDbg does for x86 frames it has no FPO data for.
 */
import type { CallerEnd, CallerProposal, X86CallerStrategy, X86Frame, X86WalkEnv } from './x86-frame.js';

/** Follows [ebp] / [ebp+4]. */
export const framePointerStrategy: X86CallerStrategy = {
  name: 'frame-pointer',
  findCaller(callee: X86Frame, env: X86WalkEnv): CallerProposal | CallerEnd | undefined {
    const ebp = callee.framePointer;
    // An ebp below esp, misaligned or zero is not a frame pointer of this stack.
    if (ebp === 0n || (ebp & 3n) !== 0n || ebp < callee.stackPointer || ebp > 0xfffffff7n) return undefined;
    const savedEbp = env.read32(ebp);
    const ret = env.read32(ebp + 4n);
    if (savedEbp === undefined || ret === undefined) return undefined;
    // Thread start routines leave a zeroed frame (saved ebp 0, return 0) at the stack top.
    if (ret === 0n) return { end: 'end of the frame-pointer chain (return address 0)' };
    if (!env.isInModule(ret)) return undefined;
    return { instructionPointer: ret, stackPointer: ebp + 8n, framePointer: savedEbp, trust: 'frame-pointer' };
  },
};
