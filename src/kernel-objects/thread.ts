import type { KernelView } from './kernel-view.js';
import { readPointer, readU32, readU8, tick } from './kernel-view.js';
import type { Lookup } from './lookup.js';
import { found, missing } from './lookup.js';
import { processImageName } from './process.js';

/** KTHREAD.State value for a thread on a processor. */
export const THREAD_RUNNING = 2;
/** KTHREAD.State value for a waiting thread. */
export const THREAD_WAITING = 5;

/** A process pointer with its image name when the EPROCESS is readable. */
export interface ProcessRef {
  readonly address: bigint;
  readonly image?: string;
}

/** What `!thread` shows for one ETHREAD. Optional fields print only when the dump holds them. */
export interface ThreadInfo {
  readonly address: bigint;
  readonly pid: bigint;
  readonly tid: bigint;
  readonly teb: bigint;
  readonly win32Thread: bigint;
  readonly state: number;
  readonly nextProcessor?: number;
  readonly waitReason?: number;
  /** KernelMode (0) or UserMode (1). */
  readonly waitMode?: number;
  readonly alertable?: boolean;
  /** KTHREAD.Process. */
  readonly process: ProcessRef;
  /** KTHREAD.ApcState.Process when it differs from the owner (an attached thread). */
  readonly attached?: ProcessRef;
  readonly deviceMap?: bigint;
  readonly impersonating?: boolean;
  readonly contextSwitches?: number;
  readonly idealProcessor?: number;
  readonly win32StartAddress?: bigint;
  readonly initialStack?: bigint;
  readonly kernelStack?: bigint;
  readonly stackBase?: bigint;
  readonly stackLimit?: bigint;
  readonly callbackStack?: bigint;
  readonly priority?: number;
  readonly basePriority?: number;
  readonly priorityDecrement?: number;
  readonly ioPriority?: number;
  readonly pagePriority?: number;
}

function processRef(view: KernelView, address: bigint): ProcessRef {
  const image = processImageName(view, address);
  return image !== undefined ? { address, image } : { address };
}

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * Reads the ETHREAD at `address`. The first-line fields (Cid, Teb, Win32Thread, State) and the
 * owning process are required; the rest appear when their bytes are in the dump.
 */
export function readThread(view: KernelView, address: bigint): Lookup<ThreadInfo> {
  const x = view.objects;
  if (!x) return missing(`crashkd has no ETHREAD layout for build ${view.build}`);
  const m = view.memory;
  const at = (offset: number): bigint => address + BigInt(offset);
  const pid = readPointer(m, at(x.ethreadCid));
  const tid = readPointer(m, at(x.ethreadCid + 8));
  const teb = readPointer(m, at(x.kthreadTeb));
  const win32Thread = readPointer(m, at(x.kthreadWin32Thread));
  const state = readU8(m, at(x.kthreadState));
  const owner = readPointer(m, at(x.kthreadProcess));
  if (pid === undefined || tid === undefined || teb === undefined || win32Thread === undefined || state === undefined || owner === undefined) {
    return missing(`THREAD ${tick(address)} is not in this dump`);
  }
  const apcOffset = view.offsets?.kthreadApcProcess;
  const apcProcess = apcOffset !== undefined ? readPointer(m, at(apcOffset)) : undefined;
  const nextProcessor = readU32(m, at(x.kthreadNextProcessor));
  const misc = readU32(m, at(x.kthreadMiscFlags));
  const cross = readU32(m, at(x.ethreadCrossThreadFlags));
  const decrement = readU8(m, at(x.kthreadPriorityDecrement));
  const priority = readU8(m, at(x.kthreadPriority));
  const basePriority = readU8(m, at(x.kthreadBasePriority));
  const deviceMap = readPointer(m, owner + BigInt(x.eprocessDeviceMap));
  return found({
    address,
    pid,
    tid,
    teb,
    win32Thread,
    state,
    // NextProcessor is 31 bits on Win10 (bit 31 is SharedReadyQueue).
    ...defined('nextProcessor', nextProcessor !== undefined ? nextProcessor & 0x7fffffff : undefined),
    ...defined('waitReason', readU8(m, at(x.kthreadWaitReason))),
    ...defined('waitMode', readU8(m, at(x.kthreadWaitMode))),
    ...defined('alertable', misc !== undefined ? ((misc >>> x.kthreadAlertableBit) & 1) === 1 : undefined),
    process: processRef(view, owner),
    ...(apcProcess !== undefined && apcProcess !== 0n && apcProcess !== owner ? { attached: processRef(view, apcProcess) } : {}),
    ...defined('deviceMap', deviceMap),
    // CrossThreadFlags bit 3 is ActiveImpersonationInfo on Win7 and 19041 alike.
    ...defined('impersonating', cross !== undefined ? ((cross >>> 3) & 1) === 1 : undefined),
    ...defined('contextSwitches', readU32(m, at(x.kthreadContextSwitches))),
    ...defined('idealProcessor', readU32(m, at(x.kthreadIdealProcessor))),
    ...defined('win32StartAddress', readPointer(m, at(x.ethreadWin32StartAddress))),
    ...defined('initialStack', readPointer(m, at(x.kthreadInitialStack))),
    ...defined('kernelStack', readPointer(m, at(x.kthreadKernelStack))),
    ...defined('stackBase', readPointer(m, at(x.kthreadStackBase))),
    ...defined('stackLimit', readPointer(m, at(x.kthreadStackLimit))),
    ...defined('callbackStack', x.kthreadCallbackStack !== undefined ? readPointer(m, at(x.kthreadCallbackStack)) : undefined),
    // KPRIORITY fields are signed chars; thread priorities are 0..31 so the byte value is exact.
    ...defined('priority', priority),
    ...defined('basePriority', basePriority),
    ...defined('priorityDecrement', decrement),
    ...defined('ioPriority', cross !== undefined ? (cross >>> x.ioPriorityShift) & 7 : undefined),
    ...defined('pagePriority', cross !== undefined ? (cross >>> x.pagePriorityShift) & 7 : undefined),
  });
}
