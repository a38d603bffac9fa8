import type { CommandSpec } from './command.js';
import type { CommandEvent, Dispatcher } from './dispatcher.js';
import type { Line } from './output.js';

/** How deep a model is followed when turned into JSON (models are small trees). */
const MAX_DEPTH = 12;

/**
 * A command model as plain JSON data: bigints as `0x` hex strings (JSON numbers lose 64-bit
 * addresses), Maps and register contexts as objects, functions dropped.
 */
export function toJsonValue(v: unknown, depth = 0): unknown {
  if (typeof v === 'bigint') return `0x${BigInt.asUintN(64, v).toString(16)}`;
  if (v === null || typeof v !== 'object') return typeof v === 'function' ? undefined : v;
  if (depth > MAX_DEPTH) return '...';
  if (v instanceof Uint8Array) return Array.from(v, (b) => b.toString(16).padStart(2, '0')).join('');
  if (Array.isArray(v)) return v.map((x) => toJsonValue(x, depth + 1));
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), toJsonValue(x, depth + 1)]));
  const withEntries = v as { entries?: () => Iterable<[string, unknown]> };
  if (typeof withEntries.entries === 'function' && !(v instanceof Set) && 'arch' in v) {
    return Object.fromEntries([...withEntries.entries()].map(([k, x]) => [k, toJsonValue(x, depth + 1)]));
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    const j = toJsonValue(x, depth + 1);
    if (j !== undefined) out[k] = j;
  }
  return out;
}

/** One `--json` record: what a command was, where it ran, and its model or its error. */
export interface JsonRecord {
  readonly command: string;
  readonly processor?: number;
  readonly thread?: number;
  readonly result?: unknown;
  readonly output?: readonly string[];
  readonly error?: string;
}

/**
 * Runs one command line and returns a JSON record per top-level command it ran (nested ones,
 * like the `kv` of `~2 kv`, are inside their parent's output).
 */
export async function runJson(d: Dispatcher, line: string, signal?: AbortSignal): Promise<JsonRecord[]> {
  const events: CommandEvent[] = [];
  const observer = (e: CommandEvent) => {
    if (e.depth === 0) events.push(e);
  };
  d.observers.add(observer);
  let lines: Line[];
  try {
    lines = await d.execute(line, { column: 0, ...(signal ? { signal } : {}) });
  } finally {
    d.observers.delete(observer);
  }
  const where = (unit: number) => (d.session.target.kind === 'kernel' ? { processor: unit } : { thread: unit });
  if (events.length === 0) {
    // Nothing ran: an unknown command or a syntax error.
    return [{ command: line, ...where(d.session.currentIndex), error: lines.map((l) => l.text.trim()).join('\n') }];
  }
  const errors = lines.filter((l) => l.role === 'error').map((l) => l.text.trim());
  return events.map((e) => {
    const spec = d.registry.find(e.word) as CommandSpec | undefined;
    if (e.failed) return { command: e.text, ...where(e.unit), error: errors.join('\n') || 'failed' };
    if (spec?.json) return { command: e.text, ...where(e.unit), result: toJsonValue(spec.json(e.result, e.args, d.session)) };
    return { command: e.text, ...where(e.unit), output: lines.map((l) => l.text) };
  });
}
