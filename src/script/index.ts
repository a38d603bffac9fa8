/**
 * Public face of the debugger command-program language (docs/windbg-commands.md section 13):
 * the interpreter the dispatcher runs every line through, the step bound for `--max-steps`,
 * and the per-session alias state.
 */
export { runProgram, type ProgramFailure, type ProgramOptions, type ProgramResult } from './interpreter.js';
export { DEFAULT_MAX_STEPS, getMaxSteps, scriptState, setMaxSteps, type ScriptState } from './state.js';
export { programServices, type CommandHost, type CommandOutcome, type ProgramServices } from './host.js';
export { controlFlowEnd } from './parse-program.js';
export { formatPrintf } from './printf.js';
