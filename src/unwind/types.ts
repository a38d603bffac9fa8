/**
 * The stack-walk model shared by every unwinder: frames with a trust level, and the source of
 * unwind data (RUNTIME_FUNCTION entries) the x64 walker consults.
 */
import type { ImageReader } from '../formats/pe/image-reader.js';
import type { RegisterContext } from '../target/registers.js';

/**
 * How a frame was found: `context` = frame 0 from the saved registers; `unwind` = unwind codes
 * (or epilog emulation) of the callee; `leaf` = callee had no unwind data, return address at
 * [rsp]; `cfi` = Breakpad STACK WIN/CFI records; `frame-pointer` = rbp chain; `scan` = a plausible
 * return address found by scanning.
 */
export type FrameTrust = 'context' | 'unwind' | 'cfi' | 'leaf' | 'frame-pointer' | 'scan';

/** One frame of a walked stack, in WinDbg `k` terms. */
export interface StackFrame {
  readonly index: number;
  /** rip of this frame ("Call Site"). */
  readonly instructionPointer: bigint;
  /** rsp of this frame ("Child-SP"). */
  readonly stackPointer: bigint;
  /** "RetAddr": rip of the caller; 0n when it could not be found. */
  readonly returnAddress: bigint;
  /** Registers known in this frame. */
  readonly context: RegisterContext;
  readonly trust: FrameTrust;
  /** KTRAP_FRAME base, set when this frame's function pushed a machine frame. */
  readonly trapFrame?: bigint;
  /** The caller's stack pointer found while unwinding this frame, even when the walk stops here. */
  readonly callerStackPointer?: bigint;
  /** x86: the frame's EBP (the ChildEBP column). */
  readonly framePointer?: bigint;
}

/** The frames found and, when the walk ended abnormally, why. */
export interface WalkResult {
  readonly frames: readonly StackFrame[];
  readonly stopReason?: string;
}

/** A RUNTIME_FUNCTION located in a module (all fields except moduleBase are RVAs). */
export interface FunctionEntry {
  moduleBase: bigint;
  begin: number;
  end: number;
  unwindInfo: number;
}

/** Where the walker finds unwind data for a code address. */
export interface UnwindDataProvider {
  /** The function entry covering `pc` and a reader over its image, or undefined (leaf or unknown code). */
  findFunction(pc: bigint): { entry: FunctionEntry; reader: ImageReader } | undefined;
  /** True when `pc` lies inside a loaded module past its header page (plausibility test for scanned return addresses). */
  isInModule(pc: bigint): boolean;
}
