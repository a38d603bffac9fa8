/**
 * What the program interpreter needs from the dispatcher, and the extra services a command
 * gets when it runs inside a program (so `$$><`, `.foreach` and `as /c` can run nested
 * programs that stream into, or are captured by, the program around them).
 */
import type { CommandContext } from '../repl/command.js';
import type { Line } from '../repl/output.js';
import type { DumpSession } from '../session/dump-session.js';

/** The result of running one plain command. */
export interface CommandOutcome {
  readonly lines: Line[];
  /** True when the command failed (unknown command, parse error, thrown error). */
  readonly failed: boolean;
  /** The failure in one line (`Syntax error in 'xyz'`), when it failed. */
  readonly message?: string;
}

/** Receives output lines as they are produced. */
export type LineSink = (lines: readonly Line[]) => void;

/** Extra context a command sees when a program runs it. */
export interface ProgramServices {
  readonly host: CommandHost;
  /** Where output of the surrounding program goes (the screen, or a capture buffer). */
  readonly emit: LineSink;
}

/** The dispatcher as the interpreter sees it. */
export interface CommandHost {
  readonly session: DumpSession;
  /** True when the command at the front of `text` takes the rest of it (`as`, `$<`). */
  takesRestOfLine(text: string): boolean;
  /** Runs one plain command (no `;` splitting, no alias replacement). */
  runCommand(text: string, column: number, signal: AbortSignal, services?: ProgramServices): Promise<CommandOutcome>;
}

/** A command context that may carry program services. */
export type ScriptContext = CommandContext & Partial<ProgramServices>;

/** The program services of a context, when the command runs under the interpreter. */
export function programServices(ctx: CommandContext): ProgramServices | undefined {
  const s = ctx as ScriptContext;
  return s.host && s.emit ? { host: s.host, emit: s.emit } : undefined;
}
