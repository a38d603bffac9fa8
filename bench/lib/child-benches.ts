/**
 * Runs the stand-alone bench scripts (bench/*.ts other than run.ts) as child processes with
 * `npx tsx`, passing their output through; a script that fails is reported and skipped.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { msSince } from './stats.js';

/** Outcome of one child bench. */
export interface ChildResult {
  readonly script: string;
  readonly ok: boolean;
  readonly seconds: number;
  /** Why it was skipped, when it failed. */
  readonly reason?: string;
}

/** Per-script limit, so a hung bench cannot stall the whole run. */
const TIMEOUT_MS = 10 * 60 * 1000;

/** The bench scripts next to run.ts, sorted by name. */
export function childScripts(benchDir: string): string[] {
  return readdirSync(benchDir)
    .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
    .sort();
}

/** Runs one script; its stdout goes straight to ours, its stderr is kept for the failure reason. */
export function runChild(root: string, script: string): ChildResult {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('npx', ['tsx', path.join('bench', script)], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'inherit', 'pipe'],
    timeout: TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = msSince(t0) / 1000;
  if (r.stderr) process.stderr.write(r.stderr);
  if (r.error) return { script, ok: false, seconds, reason: r.error.message };
  if (r.signal) return { script, ok: false, seconds, reason: `killed by ${r.signal}${r.signal === 'SIGTERM' ? ' (timeout)' : ''}` };
  if (r.status !== 0) {
    const last = r.stderr.trim().split('\n').filter((l) => l.trim() !== '').pop() ?? '';
    return { script, ok: false, seconds, reason: `exit code ${r.status}${last ? `: ${last.trim().slice(0, 200)}` : ''}` };
  }
  return { script, ok: true, seconds };
}
