import { CaretError, DebuggerError } from '../errors.js';
import type { CommandHost, CommandOutcome, ProgramServices } from '../script/host.js';
import { runProgram } from '../script/interpreter.js';
import { scriptRestOfLine } from '../script/rest-of-line.js';
import type { DumpSession } from '../session/dump-session.js';
import type { CommandContext, CommandSpec, Invocation } from './command.js';
import { commandWord } from './line-parser.js';
import { err, type Line } from './output.js';
import type { Registry } from './registry.js';

/** Options of one dispatch. */
export interface DispatchOptions {
  /** Column where the command text starts on screen (the prompt's length): caret lines align to it. */
  readonly column: number;
  readonly signal?: AbortSignal;
  /** Receives lines as each command finishes, so long sequences show progress. */
  readonly onLines?: (lines: readonly Line[]) => void;
}

const NEVER = new AbortController().signal;

/** What one command did, told to dispatcher observers after it finishes (lesson checks). */
export interface CommandEvent {
  /** The registry name of the command (`k` for `kv`, `d` for `dps`). */
  readonly name: string;
  /** The command word as typed (`kvn`). */
  readonly word: string;
  /** The whole command text. */
  readonly text: string;
  /** The parsed arguments; undefined when parsing failed. */
  readonly args: unknown;
  /** The model `run` returned; undefined when it failed. */
  readonly result: unknown;
  /** session.currentIndex when the command started (`~2 kv` runs `kv` with 2). */
  readonly unit: number;
  /** 0 for a command typed or scripted at top level; 1+ for one run by another (`~2 kv`). */
  readonly depth: number;
  readonly failed: boolean;
}

/**
 * Runs command lines: split at `;`, find each command, check its requirements, parse, run,
 * format. Every failure becomes WinDbg-worded output and the session goes on. Lines are
 * debugger command programs (control flow, aliases), run by src/script.
 */
export class Dispatcher implements CommandHost {
  constructor(
    readonly registry: Registry,
    readonly session: DumpSession,
  ) {}

  /** Told after every command that reached its spec (typed or nested), failed or not. */
  readonly observers = new Set<(e: CommandEvent) => void>();
  private depth = 0;

  /** Runs one typed line; returns all lines it produced. */
  async execute(line: string, options: DispatchOptions): Promise<Line[]> {
    const result = await runProgram(this, line, {
      column: options.column,
      signal: options.signal ?? NEVER,
      ...(options.onLines ? { onLines: options.onLines } : {}),
    });
    return result.lines;
  }

  /** True when the command at the front of `text` takes the rest of the line (`as`, `$<`). */
  takesRestOfLine(text: string): boolean {
    return scriptRestOfLine(text) ?? this.registry.find(commandWord(text))?.takesRestOfLine === true;
  }

  /** Runs a single command (no `;` splitting) and returns its lines. */
  async runOne(text: string, column: number, signal: AbortSignal): Promise<Line[]> {
    return (await this.runCommand(text, column, signal)).lines;
  }

  /** Runs a single command and says whether it failed; `services` reach commands that run programs. */
  async runCommand(text: string, column: number, signal: AbortSignal, services?: ProgramServices): Promise<CommandOutcome> {
    const ctx: CommandContext & Partial<ProgramServices> = {
      session: this.session,
      signal,
      runLine: (l, column = 0) => this.execute(l, { column, signal }),
      column,
      ...services,
    };
    const prefixed = /^(\d+)([A-Za-z].*)$/.exec(text);
    if (prefixed && this.session.target.kind === 'kernel' && !this.registry.find(commandWord(text))) {
      return this.onProcessor(Number(prefixed[1]), prefixed[2]!, text, column, signal, services);
    }
    const word = commandWord(text);
    const spec = word ? this.registry.find(word) : undefined;
    if (!spec) return failed([unknownCommand(text, word, column)]);
    const inv: Invocation = { word, rest: text.slice(word.length), text, restOffset: word.length };
    const seen = { unit: this.session.currentIndex, depth: this.depth++, args: undefined as unknown, result: undefined as unknown, ok: false };
    try {
      const missing = this.unmet(spec);
      if (missing) return failed([err(missing)]);
      const args = (seen.args = spec.parse(inv, ctx));
      const result = (seen.result = await spec.run(args, ctx));
      const lines = [...spec.format(result, args, ctx)];
      seen.ok = true;
      return { lines, failed: false };
    } catch (e) {
      // A command may fail after producing output (a `u` that runs into unreadable memory).
      const partial = (e as { partial?: readonly Line[] } | undefined)?.partial ?? [];
      return failed([...partial, errorLine(e, word, text, column)]);
    } finally {
      this.depth--;
      const event: CommandEvent = { name: spec.name, word, text, args: seen.args, result: seen.result, unit: seen.unit, depth: seen.depth, failed: !seen.ok };
      // An observer's bug must not turn into a failed command.
      for (const o of this.observers) {
        try {
          o(event);
        } catch {
          /* ignored */
        }
      }
    }
  }

  private async onProcessor(
    n: number,
    cmd: string,
    text: string,
    column: number,
    signal: AbortSignal,
    services?: ProgramServices,
  ): Promise<CommandOutcome> {
    const s = this.session;
    if (n >= s.target.units.length) return failed([caretLine('Illegal thread', text, 0, column)]);
    const saved = s.currentIndex;
    const scope = s.scope;
    s.switchTo(n);
    try {
      return await this.runCommand(cmd, column + (text.length - cmd.length), signal, services);
    } finally {
      s.switchTo(saved);
      s.setScope(scope);
    }
  }

  private unmet(spec: CommandSpec): string | undefined {
    const kind = this.session.target.kind;
    for (const r of spec.requires ?? []) {
      if (r === 'kernel-target' && kind !== 'kernel') return `${spec.name} is only available on kernel-mode targets`;
      if (r === 'user-target' && kind !== 'user') return `${spec.name} is only available on user-mode targets`;
    }
    return undefined;
  }
}

/** A failed outcome whose message is its last line without the caret. */
function failed(lines: Line[]): CommandOutcome {
  const last = lines[lines.length - 1]?.text ?? '';
  return { lines, failed: true, message: last.replace(/^\s*\^ /, '') };
}

/** `^ Kind error in 'text'` under column+index. */
export function caretLine(kind: string, text: string, index: number, column: number): Line {
  return err(`${' '.repeat(Math.max(0, column + index))}^ ${kind} error in '${text}'`);
}

function unknownCommand(text: string, word: string, column: number): Line {
  if (word.startsWith('!')) return err(`No export ${word.slice(1)} found`);
  // dbgeng reads a dot-command's whole name before failing, so the caret sits under its
  // last character; any other unknown text fails on its first character.
  const index = word.startsWith('.') ? word.length - 1 : 0;
  return caretLine('Syntax', text, index, column);
}

function errorLine(e: unknown, word: string, text: string, column: number): Line {
  if (e instanceof CaretError) {
    const index = e.index < 0 ? text.length - 1 : e.index;
    return caretLine(e.kind, text, index, column);
  }
  if (e instanceof DebuggerError) return err(e.message);
  const message = e instanceof Error ? e.message : String(e);
  return err(`crashkd: internal error in '${word}': ${message}`);
}
