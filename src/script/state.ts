/**
 * Script state that lives as long as a debugging session: the user-named and fixed-name
 * aliases and the step budget of the command line being run. Kept beside the session (not in
 * it) so DumpSession stays free of scripting concerns.
 */
import path from 'node:path';
import type { DumpSession } from '../session/dump-session.js';
import type { AliasView } from './aliases.js';

/** Default bound on statements one command line may run (`--max-steps`). */
export const DEFAULT_MAX_STEPS = 10_000_000;

let maxSteps: number | undefined = DEFAULT_MAX_STEPS;

/** Sets the step bound for every session (`--max-steps N`); undefined or 0 removes it. */
export function setMaxSteps(steps: number | undefined): void {
  maxSteps = steps === undefined || steps <= 0 || !Number.isFinite(steps) ? undefined : Math.floor(steps);
}

/** The current step bound, undefined when unbounded. */
export function getMaxSteps(): number | undefined {
  return maxSteps;
}

/** Why a command line stopped early; reported once, then every enclosing program just stops. */
export type HaltReason = 'steps' | 'nesting';

/** Per-session script state. */
export class ScriptState {
  private readonly aliases = new Map<string, string>();
  private readonly fixedAliases: string[] = Array.from({ length: 10 }, () => '');
  private version = 0;
  private cached: { version: number; view: Snapshot } | undefined;
  /** Statements run since the outermost program started. */
  steps = 0;
  /** Programs currently running (nested through scripts and `~N cmd`). */
  depth = 0;
  /** Set when a limit stopped the line; cleared when the outermost program ends. */
  halted: HaltReason | undefined;
  /** `.printf` text after its last `\n`, waiting for the rest of its line. */
  pendingText: string | undefined;

  constructor(private readonly session: DumpSession) {}

  /** Defines or redefines a user-named alias. */
  set(name: string, value: string): void {
    this.aliases.set(name, value);
    this.version++;
  }

  /** Deletes a user-named alias; false when there was none. */
  delete(name: string): boolean {
    const had = this.aliases.delete(name);
    if (had) this.version++;
    return had;
  }

  /** Deletes every user-named alias. */
  clear(): void {
    this.aliases.clear();
    this.version++;
  }

  /** User-named aliases sorted by name, for `al`. */
  list(): Array<[string, string]> {
    return [...this.aliases].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** Sets `$uN` (`r $.uN=text`). */
  setFixed(n: number, value: string): void {
    this.fixedAliases[n] = value;
    this.version++;
  }

  /** The table as it is now, frozen: what a block entered now sees. */
  snapshot(): Snapshot {
    if (this.cached?.version !== this.version) {
      this.cached = { version: this.version, view: new Snapshot(new Map(this.aliases), [...this.fixedAliases], this.session) };
    }
    return this.cached.view;
  }
}

/** A frozen alias table plus the session's automatic aliases. */
export class Snapshot implements AliasView {
  constructor(
    private readonly aliases: ReadonlyMap<string, string>,
    private readonly fixedAliases: readonly string[],
    private readonly session: DumpSession,
  ) {}

  get hasUser(): boolean {
    return this.aliases.size > 0;
  }

  user(name: string): string | undefined {
    return this.aliases.get(name) ?? (name.startsWith('$') ? automaticAlias(this.session, name) : undefined);
  }

  fixed(n: number): string {
    return this.fixedAliases[n] ?? '';
  }
}

/** A view with `.foreach` variables layered over a snapshot (innermost loop first). */
export class BoundView implements AliasView {
  constructor(
    private readonly base: AliasView,
    private readonly name: string,
    private readonly value: string,
  ) {}

  readonly hasUser = true;

  user(name: string): string | undefined {
    return name === this.name ? this.value : this.base.user(name);
  }

  fixed(n: number): string {
    return this.base.fixed(n);
  }
}

/** The automatic aliases dbgeng defines (using-aliases.md), where this target knows them. */
export function automaticAlias(session: DumpSession, name: string): string | undefined {
  const t = session.target;
  switch (name) {
    case '$ntsym':
    case '$ntnsym': {
      const wanted = t.kind === 'kernel' ? 'nt' : 'ntdll';
      return session.symbols.modules.byName(wanted) ? wanted : undefined;
    }
    case '$CurrentDumpFile':
      return t.path;
    case '$CurrentDumpPath':
      return path.dirname(path.resolve(t.path));
    case '$TargetCpu':
      return t.arch;
    default:
      return undefined;
  }
}

const STATES = new WeakMap<DumpSession, ScriptState>();

/** The script state of a session, created on first use. */
export function scriptState(session: DumpSession): ScriptState {
  let s = STATES.get(session);
  if (!s) {
    s = new ScriptState(session);
    STATES.set(session, s);
  }
  return s;
}
