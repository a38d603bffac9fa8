import type { RegisterContext } from '../target/registers.js';

/** How a frame was found, in falling order of trust (rust-minidump's FrameTrust). */
export type FrameTrust = 'context' | 'unwind' | 'leaf' | 'frame-pointer' | 'scan';

/** One frame of a walked stack, architecture-neutral. */
export interface StackFrame {
  readonly index: number;
  readonly instructionPointer: bigint;
  readonly stackPointer: bigint;
  readonly returnAddress: bigint;
  readonly context: RegisterContext;
  readonly trust: FrameTrust;
  /** x86: the frame's EBP (ChildEBP column). */
  readonly framePointer?: bigint;
  /** KTRAP_FRAME address when the frame's function pushed a machine frame. */
  readonly trapFrame?: bigint;
}

/** A walked stack and why it ended early, if it did. */
export interface WalkResult {
  readonly frames: readonly StackFrame[];
  readonly stopReason?: string;
}

/** Walks a stack from a register context. */
export type StackWalker = (context: RegisterContext) => WalkResult;
