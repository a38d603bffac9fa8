/** Public surface of the x64 unwinder. */
export type { FrameTrust, StackFrame, WalkResult, FunctionEntry, UnwindDataProvider } from './types.js';
export { walkStack, DEFAULT_MAX_FRAMES, type WalkOptions } from './walk-stack.js';
export { createPeUnwindProvider, type UnwindModule } from './pe-unwind-provider.js';
export { KTRAP_FRAME_RIP, KTRAP_FRAME_ERROR_CODE } from './x64-frame.js';
export { SCAN_WINDOW } from './stack-scan.js';
