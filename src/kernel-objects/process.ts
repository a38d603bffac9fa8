import type { KernelView } from './kernel-view.js';
import { isKernelAddress, isTriage, readFixedAscii, readPointer, readU32, tick } from './kernel-view.js';
import type { Lookup } from './lookup.js';
import { found, missing } from './lookup.js';

/** EPROCESS.ImageFileName is a 15-byte array. */
const IMAGE_NAME_BYTES = 15;
/** Most processes `!process 0 0` walks before it stops: far above any real machine's count. */
export const PROCESS_LIMIT = 4096;

/** What `!process 0 0` shows for one EPROCESS. */
export interface ProcessInfo {
  readonly address: bigint;
  readonly pid: bigint;
  readonly parentPid: bigint;
  readonly peb: bigint;
  readonly dirBase: bigint;
  readonly objectTable: bigint;
  /** MM_SESSION_SPACE.SessionId; 'none' when EPROCESS.Session is NULL; undefined when unreadable. */
  readonly sessionId?: number | 'none';
  /** HANDLE_TABLE.HandleCount where the build has one and it is readable. */
  readonly handleCount?: number;
  readonly image: string;
}

/** The image name of the EPROCESS at `address`, when readable. */
export function processImageName(view: KernelView, address: bigint): string | undefined {
  if (!view.objects) return undefined;
  return readFixedAscii(view.memory, address + BigInt(view.objects.eprocessImageFileName), IMAGE_NAME_BYTES);
}

/** Reads one EPROCESS; every field of the brief `!process` block but the session and handle count is required. */
export function readProcess(view: KernelView, address: bigint): Lookup<ProcessInfo> {
  const x = view.objects;
  if (!x) return missing(`crashkd has no EPROCESS layout for build ${view.build}`);
  const m = view.memory;
  const at = (offset: number): bigint => address + BigInt(offset);
  const pid = readPointer(m, at(x.eprocessUniqueProcessId));
  const parentPid = readPointer(m, at(x.eprocessInheritedFromUniqueProcessId));
  const peb = readPointer(m, at(x.eprocessPeb));
  const dirBase = readPointer(m, at(x.eprocessDirectoryTableBase));
  const objectTable = readPointer(m, at(x.eprocessObjectTable));
  const image = processImageName(view, address);
  if (pid === undefined || parentPid === undefined || peb === undefined || dirBase === undefined || objectTable === undefined || image === undefined) {
    return missing(`EPROCESS ${tick(address)} is not in this dump`);
  }
  const session = readPointer(m, at(x.eprocessSession));
  let sessionId: number | 'none' | undefined;
  if (session === 0n) sessionId = 'none';
  else if (session !== undefined) sessionId = readU32(m, session + BigInt(x.sessionId));
  const handleCount = x.handleTableHandleCount !== undefined && objectTable !== 0n ? readU32(m, objectTable + BigInt(x.handleTableHandleCount)) : undefined;
  return found({
    address,
    pid,
    parentPid,
    peb,
    dirBase,
    objectTable,
    ...(sessionId !== undefined ? { sessionId } : {}),
    ...(handleCount !== undefined ? { handleCount } : {}),
    image,
  });
}

/** The result of walking PsActiveProcessHead. */
export interface ProcessWalk {
  readonly processes: readonly ProcessInfo[];
  /** Why the walk ended before returning to the head, if it did. */
  readonly stop?: string;
}

/**
 * Walks PsActiveProcessHead (bounded by PROCESS_LIMIT and a visited set, so a corrupt or
 * looping list ends). The walk stops at the first EPROCESS the dump does not hold and says so.
 */
export function walkProcesses(view: KernelView, limit = PROCESS_LIMIT): Lookup<ProcessWalk> {
  const x = view.objects;
  if (!x) return missing(`crashkd has no EPROCESS layout for build ${view.build}`);
  const head = view.kdbg?.psActiveProcessHead;
  if (view.dumpType === undefined) return missing('PsActiveProcessHead is unknown: this target has no KDDEBUGGER_DATA64');
  if (!view.kdbg) return missing("PsActiveProcessHead is unknown: the dump's KDDEBUGGER_DATA64 is not readable");
  if (!head) return missing("PsActiveProcessHead is not set in the dump's KDDEBUGGER_DATA64");
  const first = readPointer(view.memory, head);
  if (first === undefined) return missing(`the process list (PsActiveProcessHead ${tick(head)}) is not in this dump${triageNote(view)}`);
  const processes: ProcessInfo[] = [];
  const seen = new Set<bigint>([head]);
  const linkOffset = BigInt(x.eprocessActiveProcessLinks);
  let link = first;
  while (link !== head) {
    if (processes.length >= limit) return found({ processes, stop: `stopped after ${limit} processes (the list may be corrupt)` });
    if (seen.has(link)) return found({ processes, stop: `the process list loops back to ${tick(link)}` });
    if (!isKernelAddress(link)) return found({ processes, stop: `the process list holds an invalid link ${tick(link)}` });
    seen.add(link);
    const eprocess = link - linkOffset;
    const p = readProcess(view, eprocess);
    const next = readPointer(view.memory, link);
    if (!p.ok || next === undefined) {
      return found({ processes, stop: `the process list continues at EPROCESS ${tick(eprocess)}, which is not in this dump${triageNote(view)}` });
    }
    processes.push(p.value);
    link = next;
  }
  return found({ processes });
}

function triageNote(view: KernelView): string {
  return isTriage(view) ? ' (a mini kernel dump keeps only the crashing thread and its process)' : '';
}
