import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SessionOptions } from '../session/open-session.js';
import { triageOne, type TriageRow } from './triage-row.js';

/** Options of a triage run. */
export interface TriageOptions extends SessionOptions {
  readonly jobs?: number;
  readonly script?: string;
  /** Called as each dump finishes (progress display, streaming output). */
  readonly onRow?: (row: TriageRow, done: number, total: number) => void;
}

/** The bundled worker beside the bundled CLI; absent when running from sources (tests). */
function workerFile(): string | undefined {
  // The bundle may place this code in dist/ or in dist/chunks/ (code splitting).
  for (const rel of ['./triage-worker.mjs', '../triage-worker.mjs']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  return undefined;
}

/**
 * Triages every file with at most `jobs` dumps open at once. Rows come back in input order;
 * one unreadable dump is an error row, never the end of the batch.
 */
export async function runTriage(files: readonly string[], options: TriageOptions = {}): Promise<TriageRow[]> {
  const jobs = Math.max(1, Math.min(options.jobs ?? availableParallelism(), files.length || 1));
  const rows: TriageRow[] = new Array(files.length);
  let done = 0;
  const finish = (i: number, row: TriageRow) => {
    rows[i] = row;
    options.onRow?.(row, ++done, files.length);
  };
  const worker = workerFile();
  const sessionOptions = {
    ...(options.symbolPath ? { symbolPath: options.symbolPath } : {}),
    ...(options.imagePath ? { imagePath: options.imagePath } : {}),
    ...(options.script ? { script: options.script } : {}),
  };
  if (jobs === 1 || !worker) {
    for (const [i, f] of files.entries()) finish(i, await triageOne(f, sessionOptions));
    return rows;
  }
  let next = 0;
  await Promise.all(
    Array.from({ length: jobs }, () =>
      new Promise<void>((resolve, reject) => {
        const w = new Worker(worker, { workerData: sessionOptions });
        let current = -1;
        const feed = () => {
          if (next >= files.length) {
            w.postMessage(null);
            return;
          }
          current = next++;
          w.postMessage(files[current]);
        };
        w.on('message', (row: TriageRow) => {
          finish(current, row);
          feed();
        });
        w.on('error', (e) => {
          if (current >= 0 && !rows[current]) finish(current, { file: files[current]!, error: `worker failed: ${e.message}` });
          reject(e);
        });
        w.on('exit', () => resolve());
        feed();
      }),
    ),
  );
  return rows;
}
