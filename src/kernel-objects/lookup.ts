/**
 * The answer of a kernel-object read: the value, or one sentence saying what the target lacks.
 * Commands print that sentence instead of guessing (a triage dump without a block, a scenario
 * without kernel memory, a build crashkd has no layout for).
 */
export type Lookup<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly missing: string };

/** A found value. */
export function found<T>(value: T): Lookup<T> {
  return { ok: true, value };
}

/** A value the target cannot give, with the reason. */
export function missing<T>(reason: string): Lookup<T> {
  return { ok: false, missing: reason };
}
