import { parentPort, workerData } from 'node:worker_threads';
import { triageOne } from './triage-row.js';

/** A triage worker: receives file names, answers with rows, until told to stop. */
const options = workerData as { symbolPath?: string; imagePath?: string; script?: string };
parentPort?.on('message', (file: string | null) => {
  if (file === null) {
    parentPort?.close();
    return;
  }
  void triageOne(file, options).then((row) => parentPort?.postMessage(row));
});
