/**
 * The target address space of a minidump: every block the memory lists describe, read from
 * the file on demand. Blocks are normalised once at open into sorted, non-overlapping
 * ranges so a read is one binary search plus positioned file reads.
 */
import type { VirtualMemory } from '../../memory/virtual-memory.js';
import type { ByteSource } from './byte-source.js';
import type { FileRange } from './memory-lists.js';

/**
 * Sorts ranges and removes overlaps. Where two ranges overlap, the one that starts first
 * keeps the shared bytes (the larger one when both start together), and the other is
 * trimmed to what it adds. Real dumps overlap when a thread stack is stored both in
 * MemoryList and as a thread's Stack descriptor, or when writers emit duplicate blocks.
 */
export function normaliseRanges(ranges: readonly FileRange[]): FileRange[] {
  const sorted = ranges
    .filter((r) => r.size > 0)
    .slice()
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : b.size - a.size));
  const out: FileRange[] = [];
  let coveredEnd = -1n;
  for (const r of sorted) {
    const end = r.start + BigInt(r.size);
    if (end <= coveredEnd) continue;
    if (r.start < coveredEnd) {
      const skip = Number(coveredEnd - r.start);
      out.push({ start: coveredEnd, size: r.size - skip, fileOffset: r.fileOffset + skip });
    } else out.push(r);
    coveredEnd = end;
  }
  return out;
}

/** VirtualMemory over file-backed ranges. */
export class DumpMemory implements VirtualMemory {
  private readonly ranges: readonly FileRange[];
  private readonly starts: bigint[];
  private readonly ends: bigint[];
  /** Range of the previous read: stack walks read neighbouring addresses over and over. */
  private last = 0;

  constructor(
    private readonly source: ByteSource,
    ranges: readonly FileRange[],
  ) {
    this.ranges = normaliseRanges(ranges);
    this.starts = this.ranges.map((r) => r.start);
    this.ends = this.ranges.map((r) => r.start + BigInt(r.size));
  }

  /** The normalised ranges, sorted by start address. */
  get all(): readonly FileRange[] {
    return this.ranges;
  }

  /** Total bytes of target memory present in the dump. */
  get totalBytes(): number {
    let n = 0;
    for (const r of this.ranges) n += r.size;
    return n;
  }

  readPartial(address: bigint, length: number): Uint8Array {
    if (length <= 0 || address < 0n) return new Uint8Array(0);
    let index = this.find(address);
    if (index < 0) return new Uint8Array(0);
    const out = new Uint8Array(length);
    let done = 0;
    let at = address;
    while (done < length && index < this.ranges.length) {
      const r = this.ranges[index]!;
      if (at < this.starts[index]! || at >= this.ends[index]!) break;
      const within = Number(at - r.start);
      const n = Math.min(length - done, r.size - within);
      const got = this.source.readInto(r.fileOffset + within, out, done, n);
      done += got;
      if (got < n) break;
      at += BigInt(got);
      index++; // an adjacent range may continue the read
    }
    return done === length ? out : out.subarray(0, done);
  }

  /** Index of the range containing `address`, or -1. */
  private find(address: bigint): number {
    const hint = this.last;
    if (hint < this.ranges.length && address >= this.starts[hint]! && address < this.ends[hint]!) return hint;
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (address < this.starts[mid]!) hi = mid - 1;
      else if (address >= this.ends[mid]!) lo = mid + 1;
      else return (this.last = mid);
    }
    return -1;
  }
}
