import { CaretError, DebuggerError } from '../errors.js';
import type { DumpSession } from '../session/dump-session.js';
import type { CommandContext, CommandSpec, Invocation } from './command.js';
import { commandWord, splitCommands } from './line-parser.js';
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

/**
 * Runs command lines: split at `;`, find each command, check its requirements, parse, run,
 * format. Every failure becomes WinDbg-worded output and the session goes on.
 */
export class Dispatcher {
  constructor(
    readonly registry: Registry,
    readonly session: DumpSession,
  ) {}

  /** Runs one typed line; returns all lines it produced. */
  async execute(line: string, options: DispatchOptions): Promise<Line[]> {
    const all: Line[] = [];
    const signal = options.signal ?? NEVER;
    for (const cmd of splitCommands(line, (t) => this.takesRestOfLine(t))) {
      if (signal.aborted || this.session.quitRequested) break;
      const lines = await this.runOne(cmd.text, options.column + cmd.offset, signal);
      options.onLines?.(lines);
      all.push(...lines);
    }
    return all;
  }

  private takesRestOfLine(text: string): boolean {
    const word = commandWord(text);
    if (/^(\$<|\$><|\$\$>a<)$/.test(word)) return true;
    if (word === 'as') return true;
    return this.registry.find(word)?.takesRestOfLine === true;
  }

  /** Runs a single command (no `;` splitting) and returns its lines. */
  async runOne(text: string, column: number, signal: AbortSignal): Promise<Line[]> {
    const ctx: CommandContext = {
      session: this.session,
      signal,
      runLine: (l, column = 0) => this.execute(l, { column, signal }),
    };
    const prefixed = /^(\d+)([A-Za-z].*)$/.exec(text);
    if (prefixed && this.session.target.kind === 'kernel' && !this.registry.find(commandWord(text))) {
      return this.onProcessor(Number(prefixed[1]), prefixed[2]!, text, column, signal);
    }
    const word = commandWord(text);
    const spec = word ? this.registry.find(word) : undefined;
    if (!spec) return [unknownCommand(text, word, column)];
    const inv: Invocation = { word, rest: text.slice(word.length), text, restOffset: word.length };
    try {
      const missing = this.unmet(spec);
      if (missing) return [err(missing)];
      const args = spec.parse(inv, ctx);
      const result = await spec.run(args, ctx);
      return [...spec.format(result, args, ctx)];
    } catch (e) {
      // A command may fail after producing output (a `u` that runs into unreadable memory).
      const partial = (e as { partial?: readonly Line[] } | undefined)?.partial ?? [];
      return [...partial, errorLine(e, word, text, column)];
    }
  }

  private async onProcessor(n: number, cmd: string, text: string, column: number, signal: AbortSignal): Promise<Line[]> {
    const s = this.session;
    if (n >= s.target.units.length) return [caretLine('Illegal thread', text, 0, column)];
    const saved = s.currentIndex;
    const scope = s.scope;
    s.switchTo(n);
    try {
      return await this.runOne(cmd, column + (text.length - cmd.length), signal);
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
