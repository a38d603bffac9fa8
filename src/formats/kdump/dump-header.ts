import { FormatError } from '../../errors.js';
import type { ByteSource } from './binary.js';
import { KDUMP_FORMAT, asciiz, u32le, u64le } from './binary.js';
import type { DecodedContext } from './context-x64.js';
import { decodeContextX64 } from './context-x64.js';
import type { PhysicalRun } from './physical-memory-descriptor.js';
import { parsePhysicalMemoryDescriptor } from './physical-memory-descriptor.js';

/** Size of DUMP_HEADER64; page data or the secondary header starts right after it. */
export const DUMP_HEADER64_SIZE = 0x2000;

/** u32 'PAGE': the fill of every header byte the writer did not set (formats.md 1.1). */
export const PAGE_FILL = 0x45474150;
const PAGE_FILL64 = 0x4547415045474150n;
const VALID_DU64 = 0x34365544;
const VALID_DUMP = 0x504d5544;

/** DUMP_HEADER64 field offsets, Windows spelling (formats.md 1.2, [2S][F]). */
export const DUMP_HEADER64 = {
  Signature: 0x000,
  ValidDump: 0x004,
  MajorVersion: 0x008,
  MinorVersion: 0x00c,
  DirectoryTableBase: 0x010,
  PfnDataBase: 0x018,
  PsLoadedModuleList: 0x020,
  PsActiveProcessHead: 0x028,
  MachineImageType: 0x030,
  NumberProcessors: 0x034,
  BugCheckCode: 0x038,
  BugCheckParameter1: 0x040,
  KdDebuggerDataBlock: 0x080,
  PhysicalMemoryBlockBuffer: 0x088,
  ContextRecord: 0x348,
  Exception: 0xf00,
  DumpType: 0xf98,
  RequiredDumpSpace: 0xfa0,
  SystemTime: 0xfa8,
  Comment: 0xfb0,
  SystemUpTime: 0x1030,
  MiniDumpFields: 0x1038,
  SecondaryDataState: 0x103c,
  ProductType: 0x1040,
  SuiteMask: 0x1044,
} as const;

/** DUMP_TYPES values this reader knows (formats.md 1.5). */
export const DumpType = { Full: 1, Summary: 2, Header: 3, Triage: 4, BitmapFull: 5, BitmapKernel: 6, Automatic: 7 } as const;

/** EXCEPTION_RECORD64 as stored in the header (formats.md 1.3). */
export interface ExceptionRecord64 {
  readonly code: number;
  readonly flags: number;
  readonly record: bigint;
  readonly address: bigint;
  readonly parameters: readonly bigint[];
}

/** The decoded DUMP_HEADER64. Fields the writer left 'PAGE'-filled are undefined. */
export interface DumpHeader64 {
  readonly majorVersion: number;
  /** OS build number (7601, 19041, ...). */
  readonly minorVersion: number;
  readonly directoryTableBase: bigint;
  readonly pfnDataBase: bigint;
  readonly psLoadedModuleList: bigint;
  readonly psActiveProcessHead: bigint;
  readonly machineImageType: number;
  readonly numberProcessors: number;
  readonly bugCheckCode: number;
  readonly bugCheckParameters: readonly [bigint, bigint, bigint, bigint];
  readonly kdDebuggerDataBlock: bigint;
  /** Runs of PHYSICAL_MEMORY_DESCRIPTOR, empty when the buffer is 'PAGE'-filled. */
  readonly physicalRuns: readonly PhysicalRun[];
  /** NumberOfPages of the descriptor, or undefined when not written. */
  readonly physicalPageCount?: number;
  readonly context: DecodedContext;
  readonly exception: ExceptionRecord64;
  readonly dumpType: number;
  readonly requiredDumpSpace?: bigint;
  /** FILETIME (100 ns since 1601, UTC). */
  readonly systemTime?: bigint;
  readonly comment?: string;
  /** 100 ns units since boot. */
  readonly systemUpTime?: bigint;
  readonly miniDumpFields?: number;
  readonly productType?: number;
  readonly suiteMask?: number;
  /** Oddities that do not prevent opening. */
  readonly warnings: readonly string[];
}

/** True when `firstBytes` start with a 64-bit (`PAGEDU64`) or 32-bit (`PAGEDUMP`) kernel dump signature. */
export function isKernelDump(firstBytes: Uint8Array): boolean {
  if (firstBytes.length < 8 || u32le(firstBytes, 0) !== PAGE_FILL) return false;
  const valid = u32le(firstBytes, 4);
  return valid === VALID_DU64 || valid === VALID_DUMP;
}

function optional32(v: number): number | undefined {
  return v === PAGE_FILL ? undefined : v;
}

function optional64(v: bigint): bigint | undefined {
  return v === PAGE_FILL64 || v === 0n ? undefined : v;
}

function fail(field: string, message: string): never {
  throw new FormatError(KDUMP_FORMAT, `DUMP_HEADER64.${field}: ${message}`, (DUMP_HEADER64 as Record<string, number>)[field]);
}

function parseException(h: Uint8Array): ExceptionRecord64 {
  const o = DUMP_HEADER64.Exception;
  const raw = u32le(h, o + 0x18);
  // 'PAGE' here means the writer left the record unset (seen with third-party writers).
  const count = raw === PAGE_FILL ? 0 : raw;
  if (count > 15) fail('Exception', `NumberParameters ${count} exceeds the 15 an EXCEPTION_RECORD64 holds`);
  const parameters: bigint[] = [];
  for (let i = 0; i < count; i++) parameters.push(u64le(h, o + 0x20 + i * 8));
  return { code: u32le(h, o), flags: u32le(h, o + 4), record: u64le(h, o + 8), address: u64le(h, o + 0x10), parameters };
}

/**
 * Reads and validates DUMP_HEADER64. Every count and offset used later is checked here against
 * the file size; a 32-bit PAGEDUMP gets its own clear error.
 */
export function parseDumpHeader64(source: ByteSource): DumpHeader64 {
  const sig = source.read(0, 8);
  if (sig.length < 8 || u32le(sig, 0) !== PAGE_FILL) throw new FormatError(KDUMP_FORMAT, 'not a kernel dump: the file does not start with PAGEDU64', 0);
  const valid = u32le(sig, 4);
  if (valid === VALID_DUMP) throw new FormatError(KDUMP_FORMAT, '32-bit kernel dumps are not supported yet', 4);
  if (valid !== VALID_DU64) throw new FormatError(KDUMP_FORMAT, `not a kernel dump: DUMP_HEADER64.ValidDump is 0x${valid.toString(16)}`, 4);
  if (source.size < DUMP_HEADER64_SIZE) {
    throw new FormatError(KDUMP_FORMAT, `DUMP_HEADER64 is truncated: the file has 0x${source.size.toString(16)} bytes, the header needs 0x2000`, source.size);
  }
  const h = source.read(0, DUMP_HEADER64_SIZE);
  const warnings: string[] = [];
  const machine = u32le(h, DUMP_HEADER64.MachineImageType);
  if (machine !== 0x8664) fail('MachineImageType', `0x${machine.toString(16)} is not supported (only x64 kernel dumps are)`);
  const cpus = u32le(h, DUMP_HEADER64.NumberProcessors);
  // Windows supports at most 2048 logical processors (64 groups of 64 is 4096 in theory).
  if (cpus === 0 || cpus > 4096) fail('NumberProcessors', `${cpus} is not a plausible processor count`);
  const dumpType = u32le(h, DUMP_HEADER64.DumpType);
  const dtb = u64le(h, DUMP_HEADER64.DirectoryTableBase);
  if (dumpType !== DumpType.Triage && ((dtb & 0x000f_ffff_ffff_f000n) === 0n || dtb >> 52n !== 0n)) {
    fail('DirectoryTableBase', `0x${dtb.toString(16)} is not a valid page-table base`);
  }
  const descriptor = parsePhysicalMemoryDescriptor(h.subarray(DUMP_HEADER64.PhysicalMemoryBlockBuffer, DUMP_HEADER64.ContextRecord), dumpType === DumpType.Full);
  warnings.push(...descriptor.warnings);
  const param = (i: number): bigint => u64le(h, DUMP_HEADER64.BugCheckParameter1 + i * 8);
  const comment = h.subarray(DUMP_HEADER64.Comment, DUMP_HEADER64.Comment + 128);
  const commentText = u32le(comment, 0) === PAGE_FILL ? undefined : asciiz(comment);
  return {
    majorVersion: u32le(h, DUMP_HEADER64.MajorVersion),
    minorVersion: u32le(h, DUMP_HEADER64.MinorVersion),
    directoryTableBase: dtb,
    pfnDataBase: u64le(h, DUMP_HEADER64.PfnDataBase),
    psLoadedModuleList: u64le(h, DUMP_HEADER64.PsLoadedModuleList),
    psActiveProcessHead: u64le(h, DUMP_HEADER64.PsActiveProcessHead),
    machineImageType: machine,
    numberProcessors: cpus,
    bugCheckCode: u32le(h, DUMP_HEADER64.BugCheckCode),
    bugCheckParameters: [param(0), param(1), param(2), param(3)],
    kdDebuggerDataBlock: u64le(h, DUMP_HEADER64.KdDebuggerDataBlock),
    physicalRuns: descriptor.runs,
    ...(descriptor.pageCount !== undefined ? { physicalPageCount: descriptor.pageCount } : {}),
    context: decodeContextX64(h, DUMP_HEADER64.ContextRecord),
    exception: parseException(h),
    dumpType,
    requiredDumpSpace: optional64(u64le(h, DUMP_HEADER64.RequiredDumpSpace)),
    systemTime: optional64(u64le(h, DUMP_HEADER64.SystemTime)),
    ...(commentText ? { comment: commentText } : {}),
    systemUpTime: optional64(u64le(h, DUMP_HEADER64.SystemUpTime)),
    miniDumpFields: optional32(u32le(h, DUMP_HEADER64.MiniDumpFields)),
    productType: optional32(u32le(h, DUMP_HEADER64.ProductType)),
    suiteMask: optional32(u32le(h, DUMP_HEADER64.SuiteMask)),
    warnings,
  };
}
