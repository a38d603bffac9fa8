import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Most dumps a single triage run accepts, so a mistyped root cannot run forever. */
export const MAX_DUMPS = 100_000;

/**
 * Files to triage: files named on the command line as they are, folders searched recursively
 * for `*.dmp` (case-insensitive), in a stable sorted order.
 */
export function collectDumps(paths: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 64 || out.length >= MAX_DUMPS) return;
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) walk(p, depth + 1);
      else if (/\.dmp$/i.test(n) && out.length < MAX_DUMPS) out.push(p);
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      out.push(p); // reported as an error row
      continue;
    }
    if (st.isDirectory()) walk(p, 0);
    else out.push(p);
  }
  return out;
}
