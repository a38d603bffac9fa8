/**
 * Frames and strategies of the x86 stack walker. A strategy looks at one frame (the callee)
 * and proposes its caller; the walker tries strategies in order and keeps the first proposal
 * that makes progress. Breakpad STACK WIN / CFI strategies go before the frame-pointer one.
 */
import type { VirtualMemory } from '../../memory/virtual-memory.js';
import type { RegisterContext } from '../../target/registers.js';

/**
 * How a frame was found, most trustworthy first: `cfi` = Breakpad STACK WIN / STACK CFI data of
 * the callee (breakpad's "call frame info").
 */
export type X86FrameTrust = 'context' | 'cfi' | 'frame-pointer' | 'scan';

/** One x86 stack frame. */
export interface X86Frame {
  readonly index: number;
  /** EIP in this frame (a return address for every frame but the first). */
  readonly instructionPointer: bigint;
  /** ESP in this frame. */
  readonly stackPointer: bigint;
  /** EBP in this frame (`ChildEBP` in `k`). */
  readonly framePointer: bigint;
  /** Where this frame returns to: the next frame's EIP, or 0 for the last frame. */
  readonly returnAddress: bigint;
  /** Registers of this frame; only eip/esp/ebp are recovered for callers, the rest are carried over. */
  readonly context: RegisterContext;
  readonly trust: X86FrameTrust;
  /** EIP of the frame this one called (the previous frame); absent for frame 0. */
  readonly calleeInstructionPointer?: bigint;
}

/** Result of walkX86. */
export interface X86WalkResult {
  readonly frames: X86Frame[];
  /** Why the walk stopped before reaching a natural end, or how it ended. */
  readonly stopReason?: string;
}

/** A strategy's proposal for the caller of a frame. */
export interface CallerProposal {
  readonly instructionPointer: bigint;
  readonly stackPointer: bigint;
  readonly framePointer: bigint;
  readonly trust: X86FrameTrust;
  /** Other registers the strategy recovered (CFI restores ebx/esi/edi). */
  readonly registers?: Readonly<Record<string, bigint>>;
}

/** The stack has definitely ended here (a zero return address, a terminal frame). */
export interface CallerEnd {
  readonly end: string;
}

/** What a strategy sees. */
export interface X86WalkEnv {
  readonly memory: VirtualMemory;
  readonly isInModule: (address: bigint) => boolean;
  /** A little-endian dword, or undefined when unreadable. */
  readonly read32: (address: bigint) => bigint | undefined;
  /** Dwords a stack scan may look at. */
  readonly maxScanWords: number;
}

/** One way of finding a caller. Returns undefined when it has nothing to say. */
export interface X86CallerStrategy {
  readonly name: string;
  findCaller(callee: X86Frame, env: X86WalkEnv): CallerProposal | CallerEnd | undefined;
}
