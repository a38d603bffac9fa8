/**
 * MemoryList (5), Memory64List (9) and MemoryInfoList (16); formats.md 4.5. The lists are
 * decoded into file ranges only: the bytes stay in the file until someone reads them.
 */
import { Sizes, StreamType } from './constants.js';
import type { DirectoryEntry } from './header.js';
import { hexOf, u32, u64, u64AsNumber } from './le.js';
import type { StreamIo } from './stream-io.js';
import { memoryDescriptorAt } from './threads.js';

/** Where the bytes of one block of target memory are in the file. */
export interface FileRange {
  readonly start: bigint;
  readonly size: number;
  readonly fileOffset: number;
}

/** MINIDUMP_MEMORY_INFO (one VirtualQuery region). */
export interface MemoryRegionInfo {
  readonly baseAddress: bigint;
  readonly allocationBase: bigint;
  readonly allocationProtect: number;
  readonly regionSize: bigint;
  readonly state: number;
  readonly protect: number;
  readonly type: number;
}

/**
 * Clips a range to the file. Returns undefined (after one warning) when nothing of it is in
 * the file, so a truncated dump keeps every page it still has.
 */
function clipToFile(io: StreamIo, range: FileRange, what: string): FileRange | undefined {
  const fileSize = io.source.size;
  if (range.fileOffset + range.size <= fileSize) return range;
  const kept = Math.max(0, fileSize - range.fileOffset);
  io.warn(
    `${what}: memory at ${hexOf(range.start)} (${hexOf(range.size)} bytes at file offset ${hexOf(range.fileOffset)}) ` +
      `runs past the end of the file; ${kept === 0 ? 'dropped' : `kept ${hexOf(kept)} bytes`}`,
  );
  return kept > 0 ? { ...range, size: kept } : undefined;
}

/** Ranges of MemoryList: u32 count, then 16-byte MINIDUMP_MEMORY_DESCRIPTORs. */
export function readMemoryList(io: StreamIo, entry: DirectoryEntry | undefined): FileRange[] {
  if (!entry) return [];
  const list = io.countedList(entry, Sizes.MEMORY_DESCRIPTOR);
  if (!list) return [];
  const out: FileRange[] = [];
  let clipped = 0;
  for (let i = 0; i < list.count; i++) {
    const d = memoryDescriptorAt(list.bytes, list.offset + i * list.entrySize);
    if (d.dataSize === 0) continue;
    const range = { start: d.start, size: d.dataSize, fileOffset: d.rva };
    // Name only the first few clipped ranges; a cut-off file would otherwise warn per range.
    const kept = clipped < 3 ? clipToFile(io, range, 'MemoryList') : quietClip(io, range);
    if (kept !== range) clipped++;
    if (kept) out.push(kept);
  }
  if (clipped > 3) io.warn(`MemoryList: ${clipped - 3} more ranges run past the end of the file`);
  return out;
}

function quietClip(io: StreamIo, range: FileRange): FileRange | undefined {
  const kept = Math.max(0, Math.min(range.size, io.source.size - range.fileOffset));
  return kept === range.size ? range : kept > 0 ? { ...range, size: kept } : undefined;
}

/**
 * Ranges of Memory64List: NumberOfMemoryRanges u64, BaseRva u64, then {Start u64, Size u64}.
 * The data of range i follows the data of range i-1 from BaseRva on.
 */
export function readMemory64List(io: StreamIo, entry: DirectoryEntry | undefined): FileRange[] {
  if (!entry) return [];
  const bytes = io.stream(entry, 16);
  if (!bytes) return [];
  const count = u64AsNumber(bytes, 0, Math.floor((bytes.length - 16) / Sizes.MEMORY_DESCRIPTOR64));
  if (count === undefined) {
    io.warn(`Memory64List stream claims ${u64(bytes, 0)} ranges but holds ${bytes.length} bytes; ignored`);
    return [];
  }
  const fileSize = io.source.size;
  let offset = u64AsNumber(bytes, 8, fileSize);
  if (offset === undefined) {
    io.warn(`Memory64List BaseRva ${hexOf(u64(bytes, 8))} is past the end of the file (${fileSize} bytes); ignored`);
    return [];
  }
  const out: FileRange[] = [];
  for (let i = 0; i < count; i++) {
    const o = 16 + i * Sizes.MEMORY_DESCRIPTOR64;
    const start = u64(bytes, o);
    const size = u64AsNumber(bytes, o + 8, Number.MAX_SAFE_INTEGER);
    if (size === undefined || offset + size > fileSize) {
      const kept = fileSize - offset;
      io.warn(
        `Memory64List: range ${i} at ${hexOf(start)} (${hexOf(u64(bytes, o + 8))} bytes) runs past the end of the file; ` +
          `${kept > 0 ? `kept ${hexOf(kept)} bytes, ` : ''}${count - i - 1} later ranges dropped`,
      );
      if (kept > 0) out.push({ start, size: kept, fileOffset: offset });
      break;
    }
    if (size > 0) out.push({ start, size, fileOffset: offset });
    offset += size;
  }
  return out;
}

/** MemoryInfoList: header {SizeOfHeader, SizeOfEntry, NumberOfEntries u64}, 48-byte entries. */
export function readMemoryInfo(io: StreamIo, streams: ReadonlyMap<number, DirectoryEntry>): MemoryRegionInfo[] {
  const entry = streams.get(StreamType.MemoryInfoList);
  if (!entry) return [];
  const list = io.extendedList(entry, 16, 48, true);
  if (!list) return [];
  const out: MemoryRegionInfo[] = [];
  for (let i = 0; i < list.count; i++) {
    const o = list.offset + i * list.entrySize;
    const b = list.bytes;
    out.push({
      baseAddress: u64(b, o),
      allocationBase: u64(b, o + 8),
      allocationProtect: u32(b, o + 0x10),
      regionSize: u64(b, o + 0x18),
      state: u32(b, o + 0x20),
      protect: u32(b, o + 0x24),
      type: u32(b, o + 0x28),
    });
  }
  return out;
}
