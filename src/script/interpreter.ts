/**
 * The debugger command-program interpreter: runs a command line or a joined script through the
 * dispatcher, with control flow, block-scoped alias replacement, `.catch`, a step bound and
 * Ctrl+C. Plain commands go to CommandHost.runCommand one at a time (program-run.ts).
 */
import { appendLines, err, type Line } from '../repl/output.js';
import type { CommandHost, LineSink } from './host.js';
import { flushPending, ProgramRun } from './program-run.js';
import { scriptState } from './state.js';

/** How to run a program. */
export interface ProgramOptions {
  /** Screen column of the program's first character (the prompt length), for carets. */
  readonly column?: number;
  readonly signal?: AbortSignal;
  /** Receives output as each command finishes. */
  readonly onLines?: LineSink;
  /** Scripts: the first failing command stops everything (at the top level too). */
  readonly stopOnError?: boolean;
  /** `$<`-style scripts: each top-level statement is shown after the prompt before it runs. */
  readonly echo?: boolean;
  /** Carets count from the start of the top-level statement instead of the text (scripts). */
  readonly relativeColumns?: boolean;
}

/** Where and why a program stopped on an error. */
export interface ProgramFailure {
  /** Offset in the program text of the failing command or condition. */
  readonly offset: number;
  readonly message: string;
}

/** Everything a program printed, and how it ended. */
export interface ProgramResult {
  readonly lines: Line[];
  readonly failure?: ProgramFailure;
  /** A limit or Ctrl+C stopped the whole command line. */
  readonly halted: boolean;
}

/** Deepest nesting of programs (scripts running scripts). */
const MAX_PROGRAM_DEPTH = 32;

/**
 * Runs `text` as a debugger command program. Never throws for WinDbg-level errors: they are
 * lines in the result.
 */
export async function runProgram(host: CommandHost, text: string, options: ProgramOptions = {}): Promise<ProgramResult> {
  const state = scriptState(host.session);
  if (state.depth === 0) {
    state.steps = 0;
    state.halted = undefined;
  }
  const lines: Line[] = [];
  const sink: LineSink = (chunk) => {
    appendLines(lines, chunk);
    options.onLines?.(chunk);
  };
  if (state.depth >= MAX_PROGRAM_DEPTH) {
    sink([err(`Scripts nested more than ${MAX_PROGRAM_DEPTH} deep; stopping`)]);
    state.halted = 'nesting';
    return { lines, halted: true };
  }
  state.depth++;
  const run = new ProgramRun(host, text, options, state, sink);
  try {
    await run.main();
  } finally {
    state.depth--;
    if (state.depth === 0) {
      state.halted = undefined;
      flushPending(state, sink);
    }
  }
  return { lines, ...(run.failure ? { failure: run.failure } : {}), halted: run.halted };
}
