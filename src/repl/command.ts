import type { DumpSession } from '../session/dump-session.js';
import type { Line } from './output.js';

/** Preconditions the dispatcher checks before a command runs. */
export type Requirement = 'kernel-target' | 'user-target';

/** How the dispatcher matched a command word. */
export interface Invocation {
  /** The command word as typed (`kv`, `.trap`, `dps`). */
  readonly word: string;
  /** Text after the command word, untrimmed (` fffff880`06e534f0`). */
  readonly rest: string;
  /** The whole command text (for error messages: `u @rip`). */
  readonly text: string;
  /** Offset of `rest` inside `text`, for caret positions. */
  readonly restOffset: number;
}

/** Services a command may use while running. */
export interface CommandContext {
  readonly session: DumpSession;
  /** Aborted when the user presses Ctrl+C. */
  readonly signal: AbortSignal;
  /** Runs a nested command line (for `~N cmd`, scripts); `column` aligns caret errors. */
  runLine(line: string, column?: number): Promise<readonly Line[]>;
  /** Screen column where this command's text starts (after the prompt), for nested carets. */
  readonly column?: number;
}

/** What every command module exports. */
export interface CommandSpec<Args = unknown, Result = unknown> {
  /** Canonical spelling: `k`, `.trap`, `!irql`. */
  readonly name: string;
  /** Exact other spellings served by this module. */
  readonly aliases?: readonly string[];
  /** Claims irregular words (`kvn`, `lmvm`, `dqs`) the exact names cannot list. */
  readonly matches?: (word: string) => boolean;
  /** One line for `.help`. */
  readonly summary: string;
  /** Syntax line for `.help`. */
  readonly usage: string;
  readonly requires?: readonly Requirement[];
  /**
   * Commands whose argument is raw text to the end of the line (`.echo`, `$$<`, `as`), so `;`
   * inside it does not split commands.
   */
  readonly takesRestOfLine?: boolean;
  /** Text -> typed arguments. Throws CaretError / ExprError / DebuggerError. */
  parse(inv: Invocation, ctx: CommandContext): Args;
  /** Does the work; never writes to the terminal. */
  run(args: Args, ctx: CommandContext): Result | Promise<Result>;
  /** Model -> WinDbg lines. */
  format(result: Result, args: Args, ctx: CommandContext): readonly Line[];
  /**
   * Model -> the `result` object of `--json` output (bigints become hex strings on the way out).
   * Commands without one are reported by their output text.
   */
  json?(result: Result, args: Args, session: DumpSession): unknown;
}

/** Identity helper that keeps the generic types of a command literal. */
export function defineCommand<A, R>(spec: CommandSpec<A, R>): CommandSpec<A, R> {
  return spec;
}
