/** Small statistics and number formatting shared by the bench steps. */

/** Median, minimum and maximum of a non-empty sample. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

/** Summarises `samples` (must not be empty). */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error('summarize: no samples');
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  // Even counts average the two middle samples, the usual definition.
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs: sorted.length };
}

/** Milliseconds elapsed since `t0` (a `process.hrtime.bigint()` value). */
export function msSince(t0: bigint): number {
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

/** `1234567.8` -> `1,234,568`. */
export function grouped(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A millisecond figure with one decimal: `12.3`. */
export function ms1(n: number): string {
  return n.toFixed(1);
}
