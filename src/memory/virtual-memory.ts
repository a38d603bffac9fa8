import { MemoryReadError } from '../errors.js';

/**
 * A target's virtual address space. Reads never throw for unmapped memory: they return the
 * readable prefix, so callers can print `??` for the rest exactly where WinDbg does.
 */
export interface VirtualMemory {
  /** Up to `length` bytes from `address`; shorter (possibly empty) when a page is missing. */
  readPartial(address: bigint, length: number): Uint8Array;
}

/** Reads exactly `length` bytes or throws MemoryReadError at the first unreadable byte. */
export function readExact(memory: VirtualMemory, address: bigint, length: number): Uint8Array {
  const bytes = memory.readPartial(address, length);
  if (bytes.length < length) throw new MemoryReadError(address + BigInt(bytes.length));
  return bytes;
}

/** Little-endian unsigned integer of 1, 2, 4 or 8 bytes, or undefined when unreadable. */
export function readUnsigned(memory: VirtualMemory, address: bigint, size: 1 | 2 | 4 | 8): bigint | undefined {
  const bytes = memory.readPartial(address, size);
  if (bytes.length < size) return undefined;
  return leUnsigned(bytes, 0, size);
}

/** Little-endian unsigned value of `size` bytes at `offset` of `bytes`. */
export function leUnsigned(bytes: Uint8Array, offset: number, size: number): bigint {
  // Hot in stack scans and memory displays: whole values through DataView, bytes only at the edge.
  if (offset >= 0 && offset + size <= bytes.length) {
    const dv = new DataView(bytes.buffer, bytes.byteOffset + offset, size);
    if (size === 8) return dv.getBigUint64(0, true);
    if (size === 4) return BigInt(dv.getUint32(0, true));
    if (size === 2) return BigInt(dv.getUint16(0, true));
    if (size === 1) return BigInt(dv.getUint8(0));
  }
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[offset + i] ?? 0);
  return v;
}

/** One contiguous block of known bytes. */
export interface MemoryBlock {
  readonly base: bigint;
  readonly bytes: Uint8Array;
}

/**
 * Memory made of sorted, non-overlapping blocks (scenarios, minidump memory lists, triage
 * data blocks). Lookup is a binary search; adjacent blocks read through as one.
 */
export class BlockMemory implements VirtualMemory {
  private readonly blocks: MemoryBlock[];

  constructor(blocks: readonly MemoryBlock[]) {
    this.blocks = [...blocks].filter((b) => b.bytes.length > 0).sort((a, b) => (a.base < b.base ? -1 : a.base > b.base ? 1 : 0));
  }

  /** The blocks, sorted by base. */
  get all(): readonly MemoryBlock[] {
    return this.blocks;
  }

  readPartial(address: bigint, length: number): Uint8Array {
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const at = address + BigInt(done);
      const block = this.find(at);
      if (!block) break;
      const start = Number(at - block.base);
      const n = Math.min(length - done, block.bytes.length - start);
      out.set(block.bytes.subarray(start, start + n), done);
      done += n;
    }
    return done === length ? out : out.subarray(0, done);
  }

  private find(address: bigint): MemoryBlock | undefined {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const b = this.blocks[mid]!;
      if (address < b.base) hi = mid - 1;
      else if (address >= b.base + BigInt(b.bytes.length)) lo = mid + 1;
      else return b;
    }
    return undefined;
  }
}

/** Layers memories: the first that can read a byte wins (dump pages over image files). */
export class LayeredMemory implements VirtualMemory {
  /** The layers, first wins. */
  constructor(readonly layers: readonly VirtualMemory[]) {}

  readPartial(address: bigint, length: number): Uint8Array {
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      let progressed = 0;
      for (const layer of this.layers) {
        const got = layer.readPartial(address + BigInt(done), length - done);
        if (got.length > 0) {
          out.set(got, done);
          progressed = got.length;
          break;
        }
      }
      if (progressed === 0) break;
      done += progressed;
    }
    return done === length ? out : out.subarray(0, done);
  }
}
