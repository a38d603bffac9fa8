/**
 * The x64 exception directory (.pdata): a sorted array of RUNTIME_FUNCTION {Begin, End,
 * UnwindData} RVAs, searched by binary search (formats.md 5.3).
 */
import { FormatError } from '../../errors.js';
import { hexNum, readRequired, u32, type ImageReader } from './image-reader.js';
import { DataDirectoryIndex, dataDirectory, type PeHeaders } from './pe-headers.js';

/** One RUNTIME_FUNCTION (all RVAs). */
export interface RuntimeFunction {
  readonly begin: number;
  readonly end: number;
  /** RVA of UNWIND_INFO, or (with bit 0 set) of another RUNTIME_FUNCTION. */
  readonly unwindData: number;
}

/** UnwindData bit 0: the entry points at another RUNTIME_FUNCTION instead of UNWIND_INFO. */
export const RUNTIME_FUNCTION_INDIRECT = 0x1;

/** Size of one RUNTIME_FUNCTION. */
export const RUNTIME_FUNCTION_SIZE = 12;

/** The .pdata array held as raw bytes; entries are decoded on demand. */
export class RuntimeFunctionTable {
  /** Number of entries. */
  readonly count: number;

  constructor(private readonly bytes: Uint8Array) {
    this.count = Math.floor(bytes.length / RUNTIME_FUNCTION_SIZE);
  }

  /** Entry `i` (0-based); throws RangeError when out of bounds. */
  at(i: number): RuntimeFunction {
    if (i < 0 || i >= this.count) throw new RangeError(`RUNTIME_FUNCTION index ${i} out of range`);
    const o = i * RUNTIME_FUNCTION_SIZE;
    return { begin: u32(this.bytes, o), end: u32(this.bytes, o + 4), unwindData: u32(this.bytes, o + 8) };
  }

  /** The raw entry with begin <= rva < end, or undefined (indirect entries are not followed here). */
  find(rva: number): RuntimeFunction | undefined {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const o = mid * RUNTIME_FUNCTION_SIZE;
      const begin = u32(this.bytes, o);
      if (rva < begin) hi = mid - 1;
      else if (rva >= u32(this.bytes, o + 4)) lo = mid + 1;
      else return this.at(mid);
    }
    return undefined;
  }

  /** Every entry in table order. */
  *entries(): IterableIterator<RuntimeFunction> {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }
}

/**
 * Reads the exception directory. An empty table when the image has none; when the directory
 * is only partly readable (paged out in a dump) the readable prefix is kept.
 */
export function readRuntimeFunctions(reader: ImageReader, headers: PeHeaders): RuntimeFunctionTable {
  const dir = dataDirectory(headers, DataDirectoryIndex.exception, 'exception');
  if (!dir) return new RuntimeFunctionTable(new Uint8Array(0));
  return new RuntimeFunctionTable(reader.read(dir.rva, dir.size));
}

/** Reads one RUNTIME_FUNCTION at `rva` (the target of an indirect entry or a chain), validated against the image. */
export function readRuntimeFunctionAt(reader: ImageReader, rva: number, sizeOfImage: number, what: string): RuntimeFunction {
  if (rva + RUNTIME_FUNCTION_SIZE > sizeOfImage) throw new FormatError('PE', `${what}: rva ${hexNum(rva)} lies outside the image`, rva);
  const b = readRequired(reader, rva, RUNTIME_FUNCTION_SIZE, what);
  const rf = { begin: u32(b, 0), end: u32(b, 4), unwindData: u32(b, 8) };
  if (rf.end < rf.begin || rf.end > sizeOfImage) {
    throw new FormatError('PE', `${what}: range ${hexNum(rf.begin)}-${hexNum(rf.end)} is invalid`, rva);
  }
  return rf;
}

/**
 * The function entry covering `rva`, with an indirect entry replaced by the entry it names
 * (one hop, as Windows' RtlLookupFunctionEntry does).
 */
export function lookupRuntimeFunction(
  table: RuntimeFunctionTable,
  reader: ImageReader,
  rva: number,
  sizeOfImage: number,
): RuntimeFunction | undefined {
  const rf = table.find(rva);
  if (!rf) return undefined;
  if ((rf.unwindData & RUNTIME_FUNCTION_INDIRECT) === 0) return rf;
  return readRuntimeFunctionAt(reader, rf.unwindData - RUNTIME_FUNCTION_INDIRECT, sizeOfImage, 'indirect RUNTIME_FUNCTION');
}
