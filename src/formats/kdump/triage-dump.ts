import { FormatError } from '../../errors.js';
import type { ByteSource } from './binary.js';
import { KDUMP_FORMAT, readRequired, u32le, u64le } from './binary.js';

/** File offset of TRIAGE_DUMP64 in a type-4 dump. */
export const TRIAGE_DUMP64_OFFSET = 0x2000;

/** TRIAGE_DUMP64 field offsets from 0x2000; every `...Offset` is a file offset (formats.md 1.8, [2S][F]). */
export const TRIAGE_DUMP64 = {
  ServicePackBuild: 0x00,
  SizeOfDump: 0x04,
  ValidOffset: 0x08,
  ContextOffset: 0x0c,
  ExceptionOffset: 0x10,
  MmOffset: 0x14,
  UnloadedDriversOffset: 0x18,
  PrcbOffset: 0x1c,
  ProcessOffset: 0x20,
  ThreadOffset: 0x24,
  CallStackOffset: 0x28,
  SizeOfCallStack: 0x2c,
  DriverListOffset: 0x30,
  DriverCount: 0x34,
  StringPoolOffset: 0x38,
  StringPoolSize: 0x3c,
  BrokenDriverOffset: 0x40,
  TriageOptions: 0x44,
  TopOfStack: 0x48,
  DataPageAddress: 0x60,
  DataPageOffset: 0x68,
  DataPageSize: 0x6c,
  DebuggerDataOffset: 0x70,
  DebuggerDataSize: 0x74,
  DataBlocksOffset: 0x78,
  DataBlocksCount: 0x7c,
  /** Size of the fields above. */
  Size: 0x80,
} as const;

/** u32 'TRGD' expected at ValidOffset. */
const TRGD = 0x44475254;
/** TRIAGE_DATA_BLOCK: Address u64, Offset u32, Size u32. */
const DATA_BLOCK_SIZE = 16;

/** A file region the triage header points at (offset 0 / size 0 = absent). */
export interface FileRegion {
  readonly offset: number;
  readonly size: number;
}

/** One TRIAGE_DATA_BLOCK: `size` bytes of kernel VA `address` stored at file `offset`. */
export interface TriageDataBlock {
  readonly address: bigint;
  readonly offset: number;
  readonly size: number;
}

/** The decoded TRIAGE_DUMP64 with every region checked against the file. */
export interface TriageDump64 {
  readonly servicePackBuild: number;
  readonly sizeOfDump: number;
  readonly contextOffset: number;
  readonly exceptionOffset: number;
  /** Region offsets; `undefined` when absent or (with a warning) past the end of the file. */
  readonly prcbOffset?: number;
  readonly processOffset?: number;
  readonly threadOffset?: number;
  readonly callStack?: FileRegion;
  /** Lowest VA of the stored stack (formats.md 1.8: TopOfStack is the low end). */
  readonly topOfStack: bigint;
  readonly driverListOffset: number;
  readonly driverCount: number;
  readonly stringPool: FileRegion;
  readonly unloadedDriversOffset?: number;
  readonly debuggerData?: FileRegion;
  readonly dataPage?: { readonly address: bigint } & FileRegion;
  readonly dataBlocks: readonly TriageDataBlock[];
  readonly warnings: readonly string[];
}

function fail(field: keyof typeof TRIAGE_DUMP64, message: string): never {
  throw new FormatError(KDUMP_FORMAT, `TRIAGE_DUMP64.${field}: ${message}`, TRIAGE_DUMP64_OFFSET + TRIAGE_DUMP64[field]);
}

/**
 * Reads TRIAGE_DUMP64 at 0x2000. Counts that cannot fit in the file are errors; regions that
 * start inside the file but run past its end are dropped with a warning (a truncated copy).
 */
export function parseTriageDump64(source: ByteSource): TriageDump64 {
  const t = readRequired(source, TRIAGE_DUMP64_OFFSET, TRIAGE_DUMP64.Size, 'TRIAGE_DUMP64');
  const size = source.size;
  const warnings: string[] = [];
  const f32 = (field: keyof typeof TRIAGE_DUMP64): number => u32le(t, TRIAGE_DUMP64[field]);
  const region = (field: keyof typeof TRIAGE_DUMP64, offset: number, length: number, what: string): FileRegion | undefined => {
    if (offset === 0 || length === 0) return undefined;
    if (offset + length > size) {
      warnings.push(`WARNING: ${what} (TRIAGE_DUMP64.${field} 0x${offset.toString(16)}, 0x${length.toString(16)} bytes) lies past the end of the file`);
      return undefined;
    }
    return { offset, size: length };
  };

  const validOffset = f32('ValidOffset');
  if (validOffset + 4 <= size) {
    const marker = u32le(readRequired(source, validOffset, 4, 'TRIAGE_DUMP64 valid marker'), 0);
    if (marker !== TRGD) fail('ValidOffset', `the u32 at 0x${validOffset.toString(16)} is 0x${marker.toString(16)}, not 'TRGD'`);
  } else {
    warnings.push(`WARNING: Dump file is truncated: the triage valid marker at 0x${validOffset.toString(16)} is past the end of the file`);
  }

  const driverCount = f32('DriverCount');
  const driverListOffset = f32('DriverListOffset');
  if (driverCount > 0 && (driverCount > size / 0x88 || driverListOffset + driverCount * 0x88 > size)) {
    fail('DriverCount', `${driverCount} driver entries at 0x${driverListOffset.toString(16)} do not fit in the file`);
  }
  const blockCount = f32('DataBlocksCount');
  const blocksOffset = f32('DataBlocksOffset');
  if (blockCount > 0 && (blockCount > size / DATA_BLOCK_SIZE || blocksOffset + blockCount * DATA_BLOCK_SIZE > size)) {
    fail('DataBlocksCount', `${blockCount} data blocks at 0x${blocksOffset.toString(16)} do not fit in the file`);
  }
  const dataBlocks: TriageDataBlock[] = [];
  if (blockCount > 0) {
    const raw = readRequired(source, blocksOffset, blockCount * DATA_BLOCK_SIZE, 'TRIAGE_DATA_BLOCK array');
    let dropped = 0;
    let total = 0;
    for (let i = 0; i < blockCount; i++) {
      const b = { address: u64le(raw, i * 16), offset: u32le(raw, i * 16 + 8), size: u32le(raw, i * 16 + 12) };
      if (b.size === 0) continue;
      if (b.offset + b.size > size) {
        dropped++;
        continue;
      }
      total += b.size;
      dataBlocks.push(b);
    }
    // Blocks may overlap, but more bytes than a few copies of the file means a corrupt table.
    if (total > size * 4 + 0x100000) fail('DataBlocksCount', `data blocks describe 0x${total.toString(16)} bytes, more than the file can hold`);
    if (dropped > 0) warnings.push(`WARNING: ${dropped} triage data blocks lie past the end of the file`);
  }

  const stackOffset = f32('CallStackOffset');
  const callStack = region('CallStackOffset', stackOffset, f32('SizeOfCallStack'), 'the call stack');
  const stringPool = region('StringPoolOffset', f32('StringPoolOffset'), f32('StringPoolSize'), 'the string pool') ?? { offset: 0, size: 0 };
  const debuggerData = region('DebuggerDataOffset', f32('DebuggerDataOffset'), f32('DebuggerDataSize'), 'the KDDEBUGGER_DATA64 copy');
  const dataPageAddress = u64le(t, TRIAGE_DUMP64.DataPageAddress);
  const dataPage = dataPageAddress !== 0n ? region('DataPageOffset', f32('DataPageOffset'), f32('DataPageSize'), 'the data page') : undefined;
  const inFile = (field: keyof typeof TRIAGE_DUMP64): number | undefined => {
    const o = f32(field);
    return o !== 0 && o < size ? o : undefined;
  };
  const prcbOffset = inFile('PrcbOffset');
  const processOffset = inFile('ProcessOffset');
  const threadOffset = inFile('ThreadOffset');
  const unloadedDriversOffset = inFile('UnloadedDriversOffset');
  return {
    servicePackBuild: f32('ServicePackBuild'),
    sizeOfDump: f32('SizeOfDump'),
    contextOffset: f32('ContextOffset'),
    exceptionOffset: f32('ExceptionOffset'),
    ...(prcbOffset !== undefined ? { prcbOffset } : {}),
    ...(processOffset !== undefined ? { processOffset } : {}),
    ...(threadOffset !== undefined ? { threadOffset } : {}),
    ...(callStack ? { callStack } : {}),
    topOfStack: u64le(t, TRIAGE_DUMP64.TopOfStack),
    driverListOffset,
    driverCount,
    stringPool,
    ...(unloadedDriversOffset !== undefined ? { unloadedDriversOffset } : {}),
    ...(debuggerData ? { debuggerData } : {}),
    ...(dataPage ? { dataPage: { address: dataPageAddress, ...dataPage } } : {}),
    dataBlocks,
    warnings,
  };
}
