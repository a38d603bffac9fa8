/**
 * One run of a command program: walks the statements, enters blocks with a fresh alias view,
 * counts steps, and turns errors into the WinDbg behaviour (a failure ends the program unless
 * a `.catch` holds it).
 */
import { DebuggerError } from '../errors.js';
import { evaluate } from '../expr/index.js';
import { appendLines, err, out, type Line } from '../repl/output.js';

/** Captured output (`as /c`) may hold line breaks. */
const hasLineBreak = (l: Line): boolean => l.text.includes('\n');
import { expandAliases, type AliasView } from './aliases.js';
import type { Block, Statement } from './ast.js';
import type { CommandHost, LineSink } from './host.js';
import type { ProgramFailure, ProgramOptions } from './interpreter.js';
import { parseSequence, parseStatement, type RestOfLine } from './parse-program.js';
import { Failure, FlowSignal, Halt, type Frame } from './signals.js';
import { BoundView, getMaxSteps, type ScriptState } from './state.js';
import { skipSeparators, startsWithAliasCommand } from './syntax.js';
import { splitTokens } from './tokens.js';

/** Deepest `{ }` nesting (alias recursion like `as x .block { x }` ends here). */
const MAX_BLOCK_DEPTH = 128;

const NEVER = new AbortController().signal;

/** Shows `.printf` text still waiting for its line end. */
export function flushPending(state: ScriptState, sink: LineSink): void {
  if (state.pendingText === undefined) return;
  const text = state.pendingText;
  state.pendingText = undefined;
  sink([out(text)]);
}

/** The state of one program run. */
export class ProgramRun {
  failure: ProgramFailure | undefined;
  halted = false;
  private sink: LineSink;
  private readonly signal: AbortSignal;
  private readonly restOfLine: RestOfLine;
  private top: Statement | undefined;
  /** Set while running text produced by alias replacement: errors point at the original command. */
  private anchor: number | undefined;
  /** The text statement offsets refer to: the program, or an alias's replacement text. */
  private source: string;
  private lastYield = Date.now();

  constructor(
    private readonly host: CommandHost,
    private readonly text: string,
    private readonly options: ProgramOptions,
    private readonly state: ScriptState,
    sink: LineSink,
  ) {
    this.sink = sink;
    this.source = text;
    this.signal = options.signal ?? NEVER;
    this.restOfLine = (t) => host.takesRestOfLine(t);
  }

  async main(): Promise<void> {
    const text = this.text;
    const frame: Frame = { view: this.state.snapshot(), expand: !startsWithAliasCommand(text), depth: 0, bindings: [] };
    let i = 0;
    for (;;) {
      i = skipSeparators(text, i, text.length);
      if (i >= text.length) break;
      const { statement, next } = parseStatement(text, i, text.length, this.restOfLine);
      i = Math.max(next, i + 1);
      if (!statement) continue;
      this.top = statement;
      try {
        await this.step();
        if (this.options.echo) {
          flushPending(this.state, (l) => this.emit(l));
          this.emit([out(`${this.host.session.prompt()}${text.slice(statement.offset, statement.end)}`)]);
        }
        await this.exec(statement, frame);
      } catch (e) {
        if (e instanceof Failure) this.failure = { offset: e.offset, message: e.message };
        else if (e instanceof FlowSignal) this.failure = this.misplaced(e);
        else if (e instanceof Halt) this.halted = true;
        else throw e;
        break;
      }
    }
  }

  private emit(lines: readonly Line[]): void {
    if (lines.length === 0) return;
    // Captured output (`as /c`) may hold line breaks; each becomes its own line.
    const flat = lines.some(hasLineBreak)
      ? lines.flatMap((l) => l.text.replace(/\r?\n$/, '').split(/\r?\n/).map((t) => ({ text: t, role: l.role })))
      : lines;
    this.sink(flat);
  }

  /** Counts a statement against the step bound; yields now and then so Ctrl+C can land. */
  private async step(): Promise<void> {
    const st = this.state;
    if (st.halted || this.signal.aborted || this.host.session.quitRequested) throw new Halt();
    const limit = getMaxSteps();
    st.steps++;
    if (limit !== undefined && st.steps > limit) {
      st.halted = 'steps';
      this.emit([err(`Command program stopped after ${limit} steps (the --max-steps limit)`)]);
      throw new Halt();
    }
    if ((st.steps & 15) === 0 && Date.now() - this.lastYield >= 25) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      this.lastYield = Date.now();
      if (this.signal.aborted) throw new Halt();
    }
  }

  private async exec(s: Statement, frame: Frame): Promise<void> {
    switch (s.kind) {
      case 'command':
        return this.command(s.text, s.offset, frame);
      case 'if':
        for (const b of s.branches) {
          if (await this.test(b.cond.text, b.cond.offset, frame)) return this.enter(b.body, frame);
        }
        if (s.otherwise) await this.enter(s.otherwise, frame);
        return;
      case 'while':
        while (await this.test(s.cond.text, s.cond.offset, frame)) {
          if (await this.loopBody(s.body, frame)) return;
          await this.step();
        }
        return;
      case 'do':
        do {
          if (await this.loopBody(s.body, frame)) return;
          await this.step();
        } while (await this.test(s.cond.text, s.cond.offset, frame));
        return;
      case 'for': {
        const inner: Frame = { ...frame, depth: frame.depth + 1 };
        await this.sequence(s.init, inner);
        while (await this.test(s.cond.text, s.cond.offset, frame)) {
          if (await this.loopBody(s.body, frame)) return;
          await this.sequence(s.step, inner);
          await this.step();
        }
        return;
      }
      case 'foreach':
        return this.foreach(s, frame);
      case 'block':
        return this.enter(s.body, frame);
      case 'catch':
        try {
          await this.enter(s.body, frame);
        } catch (e) {
          if (e instanceof Failure) return;
          if (e instanceof FlowSignal && e.kind === 'leave') return;
          throw e;
        }
        return;
      case 'break':
      case 'continue':
      case 'leave':
        throw new FlowSignal(s.kind, this.source.slice(s.offset, s.end), this.column(s.offset), this.anchor ?? s.offset);
      case 'invalid': {
        const shown = this.source.slice(s.offset, s.end);
        this.emit([err(`${' '.repeat(this.column(s.offset) + (s.at - s.offset))}^ Syntax error in '${shown}'`)]);
        throw new Failure(this.anchor ?? s.offset, `Syntax error in '${shown}'`);
      }
    }
  }

  private async sequence(list: readonly Statement[], frame: Frame): Promise<void> {
    for (const s of list) {
      await this.step();
      await this.exec(s, frame);
    }
  }

  /** Enters a block: aliases are read afresh here, and only here (block.md). */
  private async enter(block: Block, frame: Frame): Promise<void> {
    if (frame.depth >= MAX_BLOCK_DEPTH) {
      const message = `Blocks nested more than ${MAX_BLOCK_DEPTH} deep`;
      this.emit([err(message)]);
      throw new Failure(this.anchor ?? block.offset, message);
    }
    let view: AliasView = this.state.snapshot();
    for (const [name, value] of frame.bindings) view = new BoundView(view, name, value);
    await this.sequence(block.body, { view, expand: block.expand, depth: frame.depth + 1, bindings: frame.bindings });
  }

  /** Runs a loop body; true when `.break` ended the loop. */
  private async loopBody(block: Block, frame: Frame): Promise<boolean> {
    try {
      await this.enter(block, frame);
      return false;
    } catch (e) {
      if (e instanceof FlowSignal && e.kind !== 'leave') return e.kind === 'break';
      throw e;
    }
  }

  private expand(text: string, frame: Frame): string {
    return frame.expand ? expandAliases(text, frame.view) : text;
  }

  private async command(raw: string, offset: number, frame: Frame): Promise<void> {
    const text = this.expand(raw, frame);
    if (text !== raw) {
      // An alias may stand for several commands (`as GoUp r eax=eax+1; r ebx=ebx+1`).
      const parts = parseSequence(text, 0, text.length, this.restOfLine);
      if (parts.length !== 1 || parts[0]!.kind !== 'command') {
        const saved = { anchor: this.anchor, source: this.source };
        this.anchor ??= offset;
        this.source = text;
        try {
          await this.sequence(parts, { ...frame, expand: false });
        } finally {
          this.anchor = saved.anchor;
          this.source = saved.source;
        }
        return;
      }
    }
    const fixed = /^r\s+\$\.u([0-9])\s*=(.*)$/is.exec(text);
    if (fixed) {
      this.state.setFixed(Number(fixed[1]), fixed[2]!.trim());
      return;
    }
    const outcome = await this.host.runCommand(text, this.column(offset), this.signal, { host: this.host, emit: this.sink });
    // Another command's output starts on a new line after a `.printf` without `\n`.
    if (outcome.lines.length > 0 && this.state.pendingText !== undefined && !/^\.printf(?![\w])/i.test(text)) {
      flushPending(this.state, (l) => this.emit(l));
    }
    this.emit(outcome.lines);
    if (this.state.halted || this.host.session.quitRequested) throw new Halt();
    if (outcome.failed && (frame.depth > 0 || this.options.stopOnError)) {
      throw new Failure(this.anchor ?? offset, outcome.message ?? 'Command failed');
    }
  }

  /** Evaluates a condition with MASM; a bad one ends the program like a failed command. */
  private async test(raw: string, offset: number, frame: Frame): Promise<boolean> {
    return (await this.number(raw, offset, frame)) !== 0n;
  }

  private async number(raw: string, offset: number, frame: Frame): Promise<bigint> {
    const text = this.expand(raw, frame);
    try {
      return evaluate(text, this.host.session);
    } catch (e) {
      const message = e instanceof DebuggerError ? e.message : `crashkd: internal error: ${e instanceof Error ? e.message : String(e)}`;
      this.emit([err(message)]);
      throw new Failure(this.anchor ?? offset, message);
    }
  }

  private async foreach(s: Statement & { kind: 'foreach' }, frame: Frame): Promise<void> {
    let text: string;
    const src = s.source;
    if (src.kind === 'commands') text = (await this.capture(src.block, frame)).map((l) => l.text).join('\n');
    else if (src.kind === 'string') text = this.expand(src.value.text, frame);
    else {
      const path = this.expand(src.path.text, frame);
      try {
        text = this.host.session.host.readTextFile(path);
      } catch {
        const message = `Couldn't open file '${path}'`;
        this.emit([err(message)]);
        throw new Failure(this.anchor ?? src.path.offset, message);
      }
    }
    const tokens = splitTokens(text);
    const first = s.initialSkip ? await this.number(s.initialSkip.text, s.initialSkip.offset, frame) : 0n;
    const gap = s.skip ? await this.number(s.skip.text, s.skip.offset, frame) : 0n;
    const stride = gap >= BigInt(tokens.length) ? tokens.length + 1 : Number(gap) + 1;
    for (let k = first >= BigInt(tokens.length) ? tokens.length : Number(first); k < tokens.length; k += stride) {
      await this.step();
      const bound: Frame = { ...frame, bindings: [...frame.bindings, [s.variable, tokens[k]!]] };
      if (await this.loopBody(s.body, bound)) return;
    }
  }

  /** Runs a block with its output collected instead of shown (`.foreach` InCommands). */
  private async capture(block: Block, frame: Frame): Promise<Line[]> {
    const saved = this.sink;
    const buffer: Line[] = [];
    this.sink = (lines) => {
      appendLines(buffer, lines);
    };
    try {
      await this.enter(block, frame);
    } catch (e) {
      // The error is what the user needs to see; the rest of the captured text is not.
      if (e instanceof Failure) saved(buffer.filter((l) => l.role === 'error'));
      throw e;
    } finally {
      this.sink = saved;
    }
    return buffer;
  }

  private column(offset: number): number {
    const at = this.anchor ?? offset;
    const base = this.options.column ?? 0;
    if (!this.options.relativeColumns) return base + at;
    return base + Math.max(0, at - (this.top?.offset ?? 0));
  }

  /** `.break` outside a loop, `.leave` outside `.catch`: a syntax error on that token. */
  private misplaced(e: FlowSignal): ProgramFailure {
    this.emit([err(`${' '.repeat(e.column + e.shown.length - 1)}^ Syntax error in '${e.shown}'`)]);
    return { offset: e.offset, message: `Syntax error in '${e.shown}'` };
  }
}
