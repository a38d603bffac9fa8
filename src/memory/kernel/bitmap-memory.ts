import type { ByteSource } from '../../formats/kdump/binary.js';
import { FilePhysicalMemory, PAGE_SIZE } from './physical-memory.js';

/** Number of 1 bits in a 32-bit value. */
export function popcount32(v: number): number {
  let x = v - ((v >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * Physical memory of a bitmap dump (types 5/6, formats.md 1.7): bit i of the bitmap says PFN i is
 * stored, and stored pages are packed in PFN order from `firstPage`. A rank index (set bits before
 * each 32-bit word) makes PFN -> file offset O(1): one array read plus one popcount. Memory cost is
 * one u32 per 32 PFNs, i.e. as large as the bitmap itself, never a per-page map.
 */
export class BitmapPhysicalMemory extends FilePhysicalMemory {
  readonly storedPages: number;
  private readonly words: Uint32Array;
  private readonly rank: Uint32Array;

  constructor(
    source: ByteSource,
    bitmap: Uint8Array,
    /** Number of valid bits (PFNs) in the bitmap. */
    private readonly pageCount: number,
    /** File offset of the first stored page (not necessarily page aligned). */
    private readonly firstPage: number,
  ) {
    super(source);
    const wordCount = Math.ceil(pageCount / 32);
    this.words = new Uint32Array(wordCount);
    this.rank = new Uint32Array(wordCount);
    let total = 0;
    for (let w = 0; w < wordCount; w++) {
      const o = w * 4;
      let v = ((bitmap[o] ?? 0) | ((bitmap[o + 1] ?? 0) << 8) | ((bitmap[o + 2] ?? 0) << 16) | ((bitmap[o + 3] ?? 0) << 24)) >>> 0;
      // Bits past pageCount are padding and must not count.
      const valid = pageCount - w * 32;
      if (valid < 32) v = (v & ((1 << valid) - 1)) >>> 0;
      this.words[w] = v;
      this.rank[w] = total;
      total += popcount32(v);
    }
    this.storedPages = total;
  }

  /** Number of PFNs the bitmap describes. */
  get bitCount(): number {
    return this.pageCount;
  }

  protected pagesInFile(): number {
    return Math.max(0, Math.floor((this.source.size - this.firstPage) / PAGE_SIZE));
  }

  protected pageOffset(pfn: number): number | undefined {
    if (pfn < 0 || pfn >= this.pageCount) return undefined;
    const w = Math.floor(pfn / 32);
    const bit = pfn - w * 32;
    const v = this.words[w]!;
    if (((v >>> bit) & 1) === 0) return undefined;
    const below = bit === 0 ? 0 : popcount32((v & (0xffffffff >>> (32 - bit))) >>> 0);
    return this.firstPage + (this.rank[w]! + below) * PAGE_SIZE;
  }
}
