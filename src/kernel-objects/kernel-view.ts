import { DumpType } from '../formats/kdump/dump-header.js';
import type { KdDebuggerData } from '../formats/kdump/kdbg.js';
import { formatPointer } from '../memory/address.js';
import type { PhysicalMemory } from '../memory/kernel/physical-memory.js';
import type { VirtualMemory } from '../memory/virtual-memory.js';
import { readUnsigned } from '../memory/virtual-memory.js';
import type { KernelOffsets, ObjectOffsets } from '../target/kernel/build-offsets.js';
import { kernelOffsets, objectOffsets } from '../target/kernel/build-offsets.js';
import { KernelDumpTarget } from '../target/kernel/kernel-dump-target.js';
import type { Target } from '../target/target.js';

/**
 * What the kernel extension commands can know about a target: its memory, the structure
 * offsets for its build, and the dump facts only a real kernel dump has (KDBG, physical memory,
 * page-table root). Scenario targets have none of the dump facts.
 */
export interface KernelView {
  readonly memory: VirtualMemory;
  readonly build: number;
  readonly offsets?: KernelOffsets;
  readonly objects?: ObjectOffsets;
  readonly kdbg?: KdDebuggerData;
  /** Physical memory and the header's CR3 (complete and bitmap dumps). */
  readonly physical?: PhysicalMemory;
  readonly directoryTableBase?: bigint;
  /** DUMP_HEADER64.DumpType, or undefined for targets that are not kernel dumps. */
  readonly dumpType?: number;
}

/** Builds the view of `target` (works on wrapped targets: openTarget layers image memory over a dump). */
export function kernelView(target: Target): KernelView {
  const build = target.system.buildNumber;
  const dump = target instanceof KernelDumpTarget ? target : undefined;
  const offsets = kernelOffsets(build, dump?.kdDebuggerData);
  const objects = objectOffsets(build);
  return {
    memory: target.memory,
    build,
    ...(offsets ? { offsets } : {}),
    ...(objects ? { objects } : {}),
    ...(dump?.kdDebuggerData ? { kdbg: dump.kdDebuggerData } : {}),
    ...(dump?.physical ? { physical: dump.physical, directoryTableBase: dump.header.directoryTableBase } : {}),
    ...(dump ? { dumpType: dump.dumpType } : {}),
  };
}

/** True for a mini (triage) kernel dump, which keeps only the crashing thread's objects. */
export function isTriage(view: KernelView): boolean {
  return view.dumpType === DumpType.Triage;
}

/** A pointer-sized read, or undefined when unreadable. */
export function readPointer(memory: VirtualMemory, address: bigint): bigint | undefined {
  return readUnsigned(memory, address, 8);
}

/** A ULONG read, as a number. */
export function readU32(memory: VirtualMemory, address: bigint): number | undefined {
  const v = readUnsigned(memory, address, 4);
  return v === undefined ? undefined : Number(v);
}

/** A USHORT read, as a number. */
export function readU16(memory: VirtualMemory, address: bigint): number | undefined {
  const v = readUnsigned(memory, address, 2);
  return v === undefined ? undefined : Number(v);
}

/** A UCHAR read, as a number. */
export function readU8(memory: VirtualMemory, address: bigint): number | undefined {
  const v = readUnsigned(memory, address, 1);
  return v === undefined ? undefined : Number(v);
}

/** True for an address in the upper (kernel) half of the canonical x64 space. */
export function isKernelAddress(address: bigint): boolean {
  return address >= 0xffff_8000_0000_0000n && address <= 0xffff_ffff_ffff_ffffn;
}

/**
 * An ASCII name stored in a fixed-size field (EPROCESS.ImageFileName: 15 bytes, not always
 * NUL-terminated). Stops at the first NUL; undefined when unreadable or not printable, so a
 * stray pointer never prints as a name.
 */
export function readFixedAscii(memory: VirtualMemory, address: bigint, max: number): string | undefined {
  const bytes = memory.readPartial(address, max);
  if (bytes.length < max) return undefined;
  let s = '';
  for (const b of bytes) {
    if (b === 0) break;
    if (b < 0x20 || b > 0x7e) return undefined;
    s += String.fromCharCode(b);
  }
  return s;
}

/** 16 hex digits without a backtick, as the `!` extensions print addresses. */
export function hex16(value: bigint): string {
  return BigInt.asUintN(64, value).toString(16).padStart(16, '0');
}

/** `fffff804`782d4180`: addresses inside crashkd's own explanatory lines. */
export function tick(value: bigint): string {
  return formatPointer(value, 8);
}
