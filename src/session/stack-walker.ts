import type { RegisterContext } from '../target/registers.js';
import type { WalkResult } from '../unwind/types.js';

export type { FrameTrust, StackFrame, WalkResult } from '../unwind/types.js';

/** Walks a stack from a register context (x64 unwinder, x86 frame chain...). */
export type StackWalker = (context: RegisterContext) => WalkResult;
