/** WinDbg-style x86/x64 disassembly (`u`, `ub`, `uf`, and the `r` effective-address note). */
export type { DisasmLine, Symbolizer } from './types.js';
export { disassemble, formatDisasmLine, DEFAULT_INSTRUCTION_COUNT, type DisassembleOptions } from './disassemble.js';
export { disassembleBackward, type BackwardOptions } from './backward.js';
export { disassembleFunction, DEFAULT_MAX_FUNCTION_INSTRUCTIONS, type FunctionOptions } from './function-flow.js';
export { effectiveAddressAnnotation, type AnnotationOptions } from './effective-address.js';
