import type { ExecutionUnit } from '../target/target.js';
import type { KernelView } from './kernel-view.js';
import { readPointer, readU16, readU32, readU8, tick } from './kernel-view.js';
import type { Lookup } from './lookup.js';
import { found, missing } from './lookup.js';

/**
 * x64 KPCR fields before the embedded KPRCB. The layout has not moved from Windows 7 to 11
 * (ntdiff/headers _KPCR.h for Win7 SP1 and the Win10 builds): an NT_TIB overlay of seven
 * pointers (GdtBase, TssBase, UserRsp, Self, CurrentPrcb, LockArray, Used_Self), Irql at 0x50,
 * MajorVersion/MinorVersion at 0x60/0x62.
 */
export const KPCR = { ntTib: 0x0, ntTibCount: 7, irql: 0x50, majorVersion: 0x60, minorVersion: 0x62 } as const;

/** KPRCB.CurrentThread / NextThread / IdleThread. */
export interface PrcbThreads {
  readonly current: bigint;
  readonly next: bigint;
  readonly idle: bigint;
}

/** What `!pcr` shows for one processor. */
export interface PcrInfo {
  readonly processor: number;
  readonly pcr: bigint;
  readonly prcb: bigint;
  /** KPCR.MajorVersion / MinorVersion, when the KPCR header is in the dump. */
  readonly version?: { readonly major: number; readonly minor: number };
  /** The seven NT_TIB-overlay qwords, when the KPCR header is in the dump. */
  readonly ntTib?: readonly bigint[];
  /** KPCR.Irql. */
  readonly irql?: number;
  readonly threads?: PrcbThreads;
}

/** KPRCB.InterruptCount and the four tick counters after it. */
export interface PrcbCounts {
  readonly interrupts: number;
  readonly kernel: number;
  readonly user: number;
  readonly dpc: number;
  readonly interrupt: number;
}

/** What `!prcb` shows for one processor. */
export interface PrcbInfo {
  readonly processor: number;
  readonly prcb: bigint;
  /** The IRQL the debugger saved (KPRCB.DebuggerSavedIRQL, as `!irql` shows it). */
  readonly irql?: number;
  readonly threads: PrcbThreads;
  /** KPRCB.Number. */
  readonly number?: number;
  readonly group?: number;
  readonly groupIndex?: number;
  readonly groupSetMember?: bigint;
  readonly counts?: PrcbCounts;
}

/** Why a processor's KPRCB address is unknown. */
export function noPrcbAddress(view: KernelView, unit: ExecutionUnit): string {
  const what = `processor ${unit.index}'s KPRCB address is unknown`;
  if (view.kdbg) return `${what}: KiProcessorBlock[${unit.index}] at ${tick(view.kdbg.kiProcessorBlock + BigInt(unit.index) * 8n)} is not in this dump`;
  if (view.dumpType !== undefined) return `${what}: the dump's KDDEBUGGER_DATA64 (KiProcessorBlock) is not readable`;
  return `${what} to this target`;
}

function readThreads(view: KernelView, prcb: bigint): PrcbThreads | undefined {
  const o = view.offsets;
  const x = view.objects;
  if (!o || !x) return undefined;
  const current = readPointer(view.memory, prcb + BigInt(o.prcbCurrentThread));
  const next = readPointer(view.memory, prcb + BigInt(x.prcbNextThread));
  const idle = readPointer(view.memory, prcb + BigInt(x.prcbIdleThread));
  if (current === undefined || next === undefined || idle === undefined) return undefined;
  return { current, next, idle };
}

/** Reads the KPCR of `unit` and the thread pointers of its KPRCB. */
export function readPcr(view: KernelView, unit: ExecutionUnit): Lookup<PcrInfo> {
  const prcb = unit.prcb;
  const pcrOffset = view.offsets?.pcrPrcb ?? 0x180;
  const pcr = unit.pcr ?? (prcb !== undefined ? prcb - BigInt(pcrOffset) : undefined);
  if (pcr === undefined || prcb === undefined) return missing(noPrcbAddress(view, unit));
  const m = view.memory;
  const head = m.readPartial(pcr, KPCR.minorVersion + 2);
  const hasHeader = head.length === KPCR.minorVersion + 2;
  const threads = readThreads(view, prcb);
  if (!hasHeader && !threads) return missing(`processor ${unit.index}'s KPCR at ${tick(pcr)} is not in this dump`);
  let ntTib: bigint[] | undefined;
  if (hasHeader) {
    ntTib = [];
    for (let i = 0; i < KPCR.ntTibCount; i++) ntTib.push(readPointer(m, pcr + BigInt(i * 8))!);
  }
  const major = hasHeader ? readU16(m, pcr + BigInt(KPCR.majorVersion)) : undefined;
  const minor = hasHeader ? readU16(m, pcr + BigInt(KPCR.minorVersion)) : undefined;
  const irql = hasHeader ? readU8(m, pcr + BigInt(KPCR.irql)) : undefined;
  return found({
    processor: unit.index,
    pcr,
    prcb,
    ...(major !== undefined && minor !== undefined ? { version: { major, minor } } : {}),
    ...(ntTib ? { ntTib } : {}),
    ...(irql !== undefined ? { irql } : {}),
    ...(threads ? { threads } : {}),
  });
}

function readCounts(view: KernelView, prcb: bigint): PrcbCounts | undefined {
  const x = view.objects;
  if (!x) return undefined;
  const base = prcb + BigInt(x.prcbInterruptCount);
  const v = [0, 4, 8, 12, 16].map((o) => readU32(view.memory, base + BigInt(o)));
  if (v.some((n) => n === undefined)) return undefined;
  const [interrupts, kernel, user, dpc, interrupt] = v as number[];
  return { interrupts: interrupts!, kernel: kernel!, user: user!, dpc: dpc!, interrupt: interrupt! };
}

/** Reads the KPRCB of `unit`: its threads (required), number, group and counters (when known). */
export function readPrcb(view: KernelView, unit: ExecutionUnit): Lookup<PrcbInfo> {
  const prcb = unit.prcb;
  if (prcb === undefined) return missing(noPrcbAddress(view, unit));
  if (!view.offsets || !view.objects) return missing(`crashkd has no KPRCB layout for build ${view.build}`);
  const threads = readThreads(view, prcb);
  if (!threads) return missing(`processor ${unit.index}'s KPRCB at ${tick(prcb)} is not in this dump`);
  const m = view.memory;
  const x = view.objects;
  // Read as u16 like processors.ts: KPRCB.Number is 16 or 32 bits depending on the build.
  const number = readU16(m, prcb + BigInt(view.offsets.prcbNumber));
  const group = readU8(m, prcb + BigInt(x.prcbGroup));
  const groupIndex = readU8(m, prcb + BigInt(x.prcbGroupIndex));
  const groupSetMember = readPointer(m, prcb + BigInt(x.prcbGroupSetMember));
  const counts = readCounts(view, prcb);
  return found({
    processor: unit.index,
    prcb,
    ...(unit.irql !== undefined ? { irql: unit.irql } : {}),
    threads,
    ...(number !== undefined ? { number } : {}),
    ...(group !== undefined ? { group } : {}),
    ...(groupIndex !== undefined ? { groupIndex } : {}),
    ...(groupSetMember !== undefined ? { groupSetMember } : {}),
    ...(counts ? { counts } : {}),
  });
}
