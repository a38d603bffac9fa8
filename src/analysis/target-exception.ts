import type { RegisterContext } from '../target/registers.js';
import type { Target } from '../target/target.js';

/** The stored exception of a user-mode dump, as `!analyze` needs it. */
export interface TargetException {
  readonly code: number;
  readonly address: bigint;
  readonly flags: number;
  readonly parameters: readonly bigint[];
  /** Index of the faulting thread in `units`, when known. */
  readonly threadIndex?: number;
  /** Registers at the exception (`.ecxr`), when the dump saved them. */
  readonly context?: RegisterContext;
}

/**
 * The Target contract has no exception field; user-mode targets may carry an `exception`
 * property (the minidump target does). Read it defensively so a target without one, or with a
 * partial one, degrades to "no exception information".
 */
export function targetException(target: Target): TargetException | undefined {
  const raw = (target as { exception?: unknown }).exception;
  if (typeof raw !== 'object' || raw === null) return undefined;
  const e = raw as Record<string, unknown>;
  if (typeof e['code'] !== 'number' || typeof e['address'] !== 'bigint') return undefined;
  const params = Array.isArray(e['parameters']) ? e['parameters'].filter((p): p is bigint => typeof p === 'bigint').slice(0, 15) : [];
  const ctx = e['context'];
  return {
    code: e['code'] >>> 0,
    address: e['address'],
    flags: typeof e['flags'] === 'number' ? e['flags'] >>> 0 : 0,
    parameters: params,
    ...(typeof e['threadIndex'] === 'number' ? { threadIndex: e['threadIndex'] } : {}),
    ...(isContext(ctx) ? { context: ctx } : {}),
  };
}

function isContext(v: unknown): v is RegisterContext {
  return typeof v === 'object' && v !== null && typeof (v as { get?: unknown }).get === 'function';
}
