import type { TriageRow } from './triage-row.js';

/** JSON text of a row (one line for `--jsonl`). */
export function rowJson(row: TriageRow): string {
  return JSON.stringify(row);
}

function cell(s: string | undefined, width: number): string {
  const v = s ?? '';
  return v.length > width ? `${v.slice(0, width - 1)}~` : v.padEnd(width);
}

/** A path cut from the left so its file name stays visible. */
function pathCell(p: string, width: number): string {
  return p.length > width ? `...${p.slice(p.length - width + 3)}` : p.padEnd(width);
}

/** The human table: one line per dump. */
export function tableLines(rows: readonly TriageRow[]): string[] {
  const header = `${cell('file', 44)} ${cell('kind', 6)} ${cell('build', 6)} ${cell('event', 22)} ${cell('module', 20)} ${cell('symbols', 8)} top frames`;
  const lines = [header, '-'.repeat(header.length + 10)];
  for (const r of rows) {
    if (r.error) {
      lines.push(`${pathCell(r.file, 44)} error: ${r.error}`);
      continue;
    }
    lines.push(
      `${pathCell(r.file, 44)} ${cell(r.kind, 6)} ${cell(String(r.build ?? ''), 6)} ${cell(r.event, 22)} ${cell(r.module, 20)} ${cell(r.symbols, 8)} ${(r.topFrames ?? []).join(' <- ')}`,
    );
  }
  return lines;
}

/** The bucketing analysts do by hand: dumps grouped by event and blamed module. */
export function summaryLines(rows: readonly TriageRow[]): string[] {
  const buckets = new Map<string, number>();
  let errors = 0;
  for (const r of rows) {
    if (r.error) {
      errors++;
      continue;
    }
    const key = `${r.event} / ${r.module ?? 'unknown'}`;
    buckets.set(key, (buckets.get(key) ?? 0) + 1);
  }
  const sorted = [...buckets.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return [
    `${rows.length} dumps: ${rows.length - errors} analysed, ${errors} could not be read; ${sorted.length} buckets`,
    ...sorted.map(([k, n]) => `${String(n).padStart(6)}  ${k}`),
  ];
}
