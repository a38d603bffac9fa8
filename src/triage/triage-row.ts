import { blame } from '../analysis/blame.js';
import { formatPointer } from '../memory/address.js';
import type { Dispatcher } from '../repl/dispatcher.js';
import { openSession, type SessionOptions } from '../session/open-session.js';
import type { Target } from '../target/target.js';

/** One dump's triage result; `error` is set instead of the rest when it could not be read. */
export interface TriageRow {
  readonly file: string;
  readonly kind?: 'kernel' | 'user';
  readonly os?: string;
  readonly build?: number;
  /** `BugCheck 0x101` or `Exception 0xc0000005`. */
  readonly event?: string;
  readonly eventCode?: string;
  readonly module?: string;
  readonly symbols?: string;
  readonly topFrames?: readonly string[];
  readonly scriptOutput?: string;
  readonly error?: string;
}

/** The exception record a user-mode target carries, if it has one. */
function exceptionOf(t: Target): { code: number; address: bigint } | undefined {
  const e = (t as { exception?: { code?: number; address?: bigint } }).exception;
  return e && typeof e.code === 'number' && typeof e.address === 'bigint' ? { code: e.code, address: e.address } : undefined;
}

/** Triage facts of an opened session: event, blamed module and the top of the stack. */
export function triageFacts(file: string, d: Dispatcher): TriageRow {
  const s = d.session;
  const t = s.target;
  const ex = exceptionOf(t);
  const code = t.bugCheck?.code;
  const event = code !== undefined ? `BugCheck 0x${code.toString(16)}` : ex ? `Exception 0x${ex.code.toString(16).padStart(8, '0')}` : 'no event';
  const b = blame(s);
  const faulting = ex ? s.symbols.modules.find(ex.address) : undefined;
  const moduleName = t.kind === 'user' && faulting ? faulting.name : b.moduleName;
  const module = moduleName ? s.symbols.modules.byName(moduleName) : undefined;
  const unit = t.units[t.initialUnit];
  const frames = unit ? s.stack(unit.context).frames.slice(0, 3) : [];
  const topFrames = frames.map((f) => s.symbols.symbolize(f.instructionPointer)?.text ?? formatPointer(f.instructionPointer, t.pointerSize));
  return {
    file,
    kind: t.kind,
    os: t.system.versionLine,
    build: t.system.buildNumber,
    event,
    eventCode: code !== undefined ? `0x${code.toString(16)}` : ex ? `0x${ex.code.toString(16)}` : 'none',
    module: module?.imageName ?? b.image,
    symbols: module ? module.symbols().kind : 'none',
    topFrames,
  };
}

/** Opens one dump and triages it; never throws (errors become the row's `error`). */
export async function triageOne(file: string, options: SessionOptions & { script?: string }): Promise<TriageRow> {
  try {
    const d = await openSession(file, options);
    const row = triageFacts(file, d);
    if (!options.script) return row;
    const lines = await d.execute(`$$< ${options.script}`, { column: 0 });
    return { ...row, scriptOutput: lines.map((l) => l.text).join('\n') };
  } catch (e) {
    return { file, error: e instanceof Error ? e.message : String(e) };
  }
}
