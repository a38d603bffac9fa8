import { closeSync, openSync, readSync } from 'node:fs';
import { DebuggerError } from '../errors.js';
import { openScenario } from '../scenario/compile-scenario.js';
import type { Target } from '../target/target.js';

/** Options for opening a dump. */
export interface OpenOptions {
  readonly symbolPath?: string;
  readonly imagePath?: string;
}

function firstBytes(path: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DebuggerError('format', code === 'ENOENT' ? `Could not find the dump file '${path}'` : `Could not open the dump file '${path}' (${code ?? 'error'})`);
  }
  try {
    const buf = new Uint8Array(8);
    const n = readSync(fd, buf, 0, 8, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

const ascii = (b: Uint8Array) => String.fromCharCode(...b);

/**
 * Opens a dump or scenario by its content: `PAGEDU64`/`PAGEDUMP` kernel dumps, `MDMP`
 * minidumps, and YAML scenarios (by extension). Unknown files fail with one line.
 */
export async function openTarget(path: string, _options: OpenOptions = {}): Promise<Target> {
  if (/\.ya?ml$/i.test(path)) {
    firstBytes(path);
    return openScenario(path);
  }
  const head = ascii(firstBytes(path));
  if (head.startsWith('PAGEDU64') || head.startsWith('PAGEDUMP')) {
    throw new DebuggerError('unsupported', `${path}: kernel dumps (PAGEDU64) are not supported yet`);
  }
  if (head.startsWith('MDMP')) {
    throw new DebuggerError('unsupported', `${path}: user-mode minidumps (MDMP) are not supported yet`);
  }
  throw new DebuggerError('format', `${path}: not a Windows crash dump (unknown signature)`);
}
