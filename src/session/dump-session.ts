import type { EvalEnv } from '../expr/env.js';
import { readUnsigned } from '../memory/virtual-memory.js';
import { Symbolizer } from '../symbols/symbolizer.js';
import type { ExecutionUnit, Target } from '../target/target.js';
import type { RegisterContext } from '../target/registers.js';
import type { Line } from '../repl/output.js';
import { PseudoRegisters } from './pseudo-registers.js';
import type { StackWalker, WalkResult } from './stack-walker.js';
import { nodeHost, type SessionHost } from './host.js';

/** A register context set by `.trap` or `.cxr`, replacing the unit's own until reset. */
export interface ScopeOverride {
  readonly kind: 'trap' | 'cxr' | 'thread';
  readonly address: bigint;
  readonly context: RegisterContext;
}

/** Receives every line shown (prompts included), for `.logopen`. */
export type LogSink = (text: string) => void;

/**
 * The only mutable state of a debugging session: which processor or thread is current, the
 * scope override, the selected frame, radix, pseudo-registers and log sinks. Commands read the
 * target through it and never open files themselves.
 */
export class DumpSession implements EvalEnv {
  readonly symbols: Symbolizer;
  readonly pseudo: PseudoRegisters;
  private unit: number;
  private override: ScopeOverride | undefined;
  private frame = 0;
  private edited = new Map<number, RegisterContext>();
  private readonly walkCache = new Map<RegisterContext, WalkResult>();
  radix = 16;
  /** Frames the k commands show by default (`.kframes`). */
  stackTraceDepth = 256;
  /** Set by `q`; front ends stop reading commands. */
  quitRequested = false;
  /** Where a bare `u` continues. */
  nextDisassembly: bigint | undefined;
  /** Where a bare `d*` continues, and with which command. */
  nextDisplay: { address: bigint; command: string } | undefined;
  /** Symbol path and image path from `-y`/`-i`, kept for the symbol commands. */
  symbolPath = '';
  imagePath = '';
  private readonly logs = new Set<LogSink>();
  /**
   * Fetches what symbolizing these addresses will need from symbol servers (a no-op without
   * servers in the path) and returns one warning line per module that could not be served.
   */
  prepareSymbols: (addresses: readonly bigint[], signal?: AbortSignal) => Promise<string[]> = async () => [];
  /** The open `.logopen` file, if any. */
  openLogFile: { path: string; close: (lastText?: string) => void } | undefined;

  constructor(
    readonly target: Target,
    private readonly walker: StackWalker,
    /** File access for scripts and logs. */
    readonly host: SessionHost = nodeHost,
  ) {
    this.symbols = new Symbolizer(target.modules);
    this.pseudo = new PseudoRegisters();
    this.unit = target.initialUnit;
  }

  /** `0: kd> ` for kernel targets, `0:000> ` for user targets. */
  prompt(): string {
    if (this.target.kind === 'kernel') return `${this.unit}: kd> `;
    return `0:${String(this.unit).padStart(3, '0')}> `;
  }

  /** The current processor or thread. */
  get currentUnit(): ExecutionUnit {
    return this.target.units[this.unit]!;
  }

  /** Index of the current processor or thread. */
  get currentIndex(): number {
    return this.unit;
  }

  /** Switches processor/thread (`~Ns`); drops any `.trap`/`.cxr` scope, as WinDbg does. */
  switchTo(index: number): void {
    this.unit = index;
    this.override = undefined;
    this.frame = 0;
  }

  /** The active `.trap`/`.cxr` override, if any. */
  get scope(): ScopeOverride | undefined {
    return this.override;
  }

  /** Sets (`.trap X`, `.cxr X`) or clears (no argument) the register-context override. */
  setScope(scope: ScopeOverride | undefined): void {
    this.override = scope;
    this.frame = 0;
  }

  /** The register context commands see: the override, else the unit's (possibly edited) one. */
  registers(): RegisterContext {
    if (this.override) return this.override.context;
    return this.edited.get(this.unit) ?? this.currentUnit.context;
  }

  /** Replaces the current register context (`r rax=1`). */
  setRegisters(context: RegisterContext): void {
    if (this.override) this.override = { ...this.override, context };
    else this.edited.set(this.unit, context);
  }

  /** Selected frame index for `.frame`. */
  get frameIndex(): number {
    return this.frame;
  }

  /** Selects a frame (`.frame N`). */
  setFrame(index: number): void {
    this.frame = index;
  }

  /** Walks the stack of a context (the current one by default); cached per context. */
  stack(context: RegisterContext = this.registers()): WalkResult {
    let r = this.walkCache.get(context);
    if (!r) {
      r = this.walker(context);
      this.walkCache.set(context, r);
    }
    return r;
  }

  // ---- EvalEnv -------------------------------------------------------------------------------

  get signExtendConstants(): boolean {
    return this.target.kind === 'kernel';
  }

  get pointerSize(): 4 | 8 {
    return this.target.pointerSize;
  }

  register(name: string): bigint | undefined {
    return this.registers().get(name);
  }

  pseudoRegister(name: string): bigint | undefined {
    return this.pseudo.get(name, this);
  }

  symbol(name: string): bigint | undefined | 'ambiguous' {
    const hits = this.symbols.resolve(name);
    if (hits.length === 0) return undefined;
    if (new Set(hits).size > 1) return 'ambiguous';
    return hits[0];
  }

  readMemory(address: bigint, size: 1 | 2 | 4 | 8): bigint | undefined {
    return readUnsigned(this.target.memory, address, size);
  }

  // ---- logging -------------------------------------------------------------------------------

  /** Adds a log sink; returns a function that removes it. */
  addLog(sink: LogSink): () => void {
    this.logs.add(sink);
    return () => this.logs.delete(sink);
  }

  /** Sends shown text (prompt lines and output) to every open log. */
  log(lines: readonly Line[] | string): void {
    if (this.logs.size === 0) return;
    const text = typeof lines === 'string' ? lines : lines.map((l) => `${l.text}\n`).join('');
    for (const s of this.logs) s(text);
  }
}
