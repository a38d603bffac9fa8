import { closeSync, openSync, readSync } from 'node:fs';
import { DebuggerError } from '../errors.js';
import { LayeredMemory } from '../memory/virtual-memory.js';
import { openScenario } from '../scenario/compile-scenario.js';
import { ImageOverlay } from '../symbols/image-overlay.js';
import { createModuleFactory } from '../symbols/module-factory.js';
import { isKernelDump, openKernelDump } from '../target/kernel/kernel-dump-target.js';
import type { ModuleFactory } from '../target/module-info.js';
import type { Target } from '../target/target.js';
import type { VirtualMemory } from '../memory/virtual-memory.js';
import { isMinidump, openMinidump } from '../target/user/minidump-target.js';

/** Options for opening a dump. */
export interface OpenOptions {
  /** Image search path (`-i`): module images for memory the dump lacks. */
  readonly imagePath?: () => string;
  /** Builds modules with their symbol policy; given the target's final memory. */
  readonly moduleFactory?: (memory: () => VirtualMemory | undefined) => ModuleFactory;
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

/** A view of `target` whose memory has module images layered under the dump's own pages. */
function withImages(target: Target, imagePath: () => string): Target {
  const overlay = new ImageOverlay(target.modules, imagePath);
  const memory = new LayeredMemory([target.memory, overlay]);
  return Object.create(target, { memory: { value: memory, enumerable: true } }) as Target;
}

/**
 * Opens a dump or scenario by its content: `PAGEDU64`/`PAGEDUMP` kernel dumps, `MDMP`
 * minidumps, and YAML scenarios (by extension). Unknown files fail with one line.
 */
export async function openTarget(path: string, options: OpenOptions = {}): Promise<Target> {
  if (/\.ya?ml$/i.test(path)) {
    firstBytes(path);
    return openScenario(path);
  }
  const head = firstBytes(path);
  let memory: VirtualMemory | undefined;
  // Without a caller's policy: the same loader with no symbol or image path and no server.
  const policy = options.moduleFactory ?? ((m) => createModuleFactory({ symbolPath: () => '', imagePath: () => '', memory: m }));
  const factory = policy(() => memory);
  const imagePath = options.imagePath ?? (() => '');
  if (isKernelDump(head)) {
    const target = withImages(openKernelDump(path, { moduleFactory: factory }), imagePath);
    memory = target.memory;
    return target;
  }
  if (isMinidump(head)) {
    const target = withImages(openMinidump(path, { moduleFactory: factory }), imagePath);
    memory = target.memory;
    return target;
  }
  throw new DebuggerError('format', `${path}: not a Windows crash dump (unknown signature)`);
}
