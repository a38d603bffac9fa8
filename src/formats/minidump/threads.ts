/**
 * ThreadList (3) / ThreadExList (8), ThreadNames (24) and ThreadInfoList (17); formats.md 4.3, 4.9.
 */
import { Sizes, StreamType } from './constants.js';
import type { DirectoryEntry, Location } from './header.js';
import { u32, u64 } from './le.js';
import type { StreamIo } from './stream-io.js';

/** MINIDUMP_MEMORY_DESCRIPTOR: a block of target memory stored at `rva`. */
export interface MemoryDescriptor {
  readonly start: bigint;
  readonly dataSize: number;
  readonly rva: number;
}

/** MINIDUMP_THREAD (or the first 48 bytes of MINIDUMP_THREAD_EX). */
export interface RawThread {
  readonly threadId: number;
  readonly suspendCount: number;
  readonly priorityClass: number;
  readonly priority: number;
  readonly teb: bigint;
  readonly stack: MemoryDescriptor;
  readonly context: Location;
}

/** MINIDUMP_THREAD_INFO, the fields commands print. */
export interface RawThreadInfo {
  readonly threadId: number;
  readonly dumpFlags: number;
  readonly dumpError: number;
  readonly exitStatus: number;
  readonly createTime: bigint;
  readonly exitTime: bigint;
  readonly kernelTime: bigint;
  readonly userTime: bigint;
  readonly startAddress: bigint;
  readonly affinity: bigint;
}

/** Decodes a MINIDUMP_MEMORY_DESCRIPTOR at `o`. */
export function memoryDescriptorAt(b: Uint8Array, o: number): MemoryDescriptor {
  return { start: u64(b, o), dataSize: u32(b, o + 8), rva: u32(b, o + 12) };
}

/** Threads from ThreadList, or from ThreadExList when there is no ThreadList. */
export function readThreads(io: StreamIo, streams: ReadonlyMap<number, DirectoryEntry>): RawThread[] {
  const plain = streams.get(StreamType.ThreadList);
  const ex = streams.get(StreamType.ThreadExList);
  const list = plain ? io.countedList(plain, Sizes.THREAD) : ex ? io.countedList(ex, Sizes.THREAD_EX) : undefined;
  if (!list) return [];
  const threads: RawThread[] = [];
  for (let i = 0; i < list.count; i++) {
    const o = list.offset + i * list.entrySize;
    const b = list.bytes;
    threads.push({
      threadId: u32(b, o),
      suspendCount: u32(b, o + 4),
      priorityClass: u32(b, o + 8),
      priority: u32(b, o + 0xc),
      teb: u64(b, o + 0x10),
      stack: memoryDescriptorAt(b, o + 0x18),
      context: { dataSize: u32(b, o + 0x28), rva: u32(b, o + 0x2c) },
    });
  }
  return threads;
}

/** ThreadNames: u32 count, then {ThreadId u32, RvaOfThreadName u64} (12 bytes, packed). */
export function readThreadNames(io: StreamIo, entry: DirectoryEntry | undefined): Map<number, string> {
  const names = new Map<number, string>();
  if (!entry) return names;
  const list = io.countedList(entry, Sizes.THREAD_NAME);
  if (!list) return names;
  for (let i = 0; i < list.count; i++) {
    const o = list.offset + i * list.entrySize;
    const rva = u64(list.bytes, o + 4);
    if (rva === 0n) continue;
    if (rva >= BigInt(io.source.size)) {
      io.warn(`ThreadNames entry ${i}: name RVA 0x${rva.toString(16)} is past the end of the file`);
      continue;
    }
    const name = io.string(Number(rva), `ThreadNames entry ${i}`);
    if (name !== undefined) names.set(u32(list.bytes, o), name);
  }
  return names;
}

/** ThreadInfoList: extended-header list of 64-byte MINIDUMP_THREAD_INFO. */
export function readThreadInfo(io: StreamIo, entry: DirectoryEntry | undefined): RawThreadInfo[] {
  if (!entry) return [];
  const list = io.extendedList(entry, 12, 64);
  if (!list) return [];
  const out: RawThreadInfo[] = [];
  for (let i = 0; i < list.count; i++) {
    const o = list.offset + i * list.entrySize;
    const b = list.bytes;
    out.push({
      threadId: u32(b, o),
      dumpFlags: u32(b, o + 4),
      dumpError: u32(b, o + 8),
      exitStatus: u32(b, o + 0xc),
      createTime: u64(b, o + 0x10),
      exitTime: u64(b, o + 0x18),
      kernelTime: u64(b, o + 0x20),
      userTime: u64(b, o + 0x28),
      startAddress: u64(b, o + 0x30),
      affinity: u64(b, o + 0x38),
    });
  }
  return out;
}
