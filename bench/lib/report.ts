/** The closing table of `npm run bench`: one row per figure, aligned columns. */

/** One figure of the summary table. */
export interface BenchRow {
  readonly name: string;
  readonly value: string;
  readonly unit: string;
  /** The goal this figure is judged against (informational: the bench never fails on it). */
  readonly target: string;
}

/** Lays `rows` out as a fixed-width text table with a header and a rule. */
export function formatTable(rows: readonly BenchRow[]): string {
  const header: BenchRow = { name: 'name', value: 'value', unit: 'unit', target: 'target' };
  const all = [header, ...rows];
  const w = (k: keyof BenchRow) => Math.max(...all.map((r) => r[k].length));
  const [wn, wv, wu] = [w('name'), w('value'), w('unit')];
  const line = (r: BenchRow) => `${r.name.padEnd(wn)}  ${r.value.padStart(wv)}  ${r.unit.padEnd(wu)}  ${r.target}`.trimEnd();
  const rule = '-'.repeat(wn + wv + wu + w('target') + 6);
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** Prints a section heading so each step's detail lines are easy to find in the log. */
export function heading(title: string): void {
  console.log(`\n== ${title}`);
}
