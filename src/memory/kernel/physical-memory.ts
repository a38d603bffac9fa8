import type { ByteSource } from '../../formats/kdump/binary.js';
import { u64le } from '../../formats/kdump/binary.js';

/** Size of a physical page on x64. */
export const PAGE_SIZE = 4096;

/** The physical address space a kernel dump stores: some pages present, the rest missing. */
export interface PhysicalMemory {
  /** Up to `length` bytes from physical address `pa`; shorter (possibly empty) at the first missing page. */
  readPartial(pa: bigint, length: number): Uint8Array;
  /** Copies up to `length` bytes from `pa` into `dest` at `destOffset`, stopping at the first missing page; returns the count. */
  readInto(pa: bigint, dest: Uint8Array, destOffset: number, length: number): number;
  /** The little-endian u64 at `pa`, or undefined when its page is not in the dump. */
  readU64(pa: bigint): bigint | undefined;
  /** True when page `pfn` is stored and lies inside the file. */
  hasPage(pfn: bigint): boolean;
  /** Pages the dump's header says are stored. */
  readonly storedPages: number;
  /** Of those, pages that lie past the end of a truncated file. */
  readonly missingPages: number;
}

/**
 * Shared read logic for dumps whose pages are 4 KiB blocks of the file: subclasses only map a
 * page frame number to its file offset. PFNs are JS numbers internally: a 52-bit physical
 * address has a 40-bit PFN, which a double holds exactly.
 */
export abstract class FilePhysicalMemory implements PhysicalMemory {
  abstract readonly storedPages: number;

  constructor(protected readonly source: ByteSource) {}

  /** File offset of the first byte of page `pfn`, or undefined when the dump does not store it. */
  protected abstract pageOffset(pfn: number): number | undefined;

  /** How many stored pages the file is long enough to hold. */
  protected abstract pagesInFile(): number;

  get missingPages(): number {
    return Math.max(0, this.storedPages - this.pagesInFile());
  }

  hasPage(pfn: bigint): boolean {
    return pfn >= 0n && pfn < 1n << 40n && this.presentOffset(Number(pfn)) !== undefined;
  }

  readPartial(pa: bigint, length: number): Uint8Array {
    if (length <= 0) return new Uint8Array(0);
    const out = new Uint8Array(length);
    const done = this.readInto(pa, out, 0, length);
    return done === length ? out : out.subarray(0, done);
  }

  readInto(pa: bigint, dest: Uint8Array, destOffset: number, length: number): number {
    if (pa < 0n || pa >= 1n << 52n || length <= 0) return 0;
    const n = Math.min(length, dest.length - destOffset);
    let done = 0;
    let pfn = Number(pa >> 12n);
    let inPage = Number(pa & 0xfffn);
    while (done < n) {
      const off = this.presentOffset(pfn);
      if (off === undefined) break;
      const take = Math.min(n - done, PAGE_SIZE - inPage);
      const got = this.source.readInto(off + inPage, dest, destOffset + done, take);
      done += got;
      if (got < take) break;
      pfn++;
      inPage = 0;
    }
    return done;
  }

  readU64(pa: bigint): bigint | undefined {
    const inPage = Number(pa & 0xfffn);
    if (inPage > PAGE_SIZE - 8 || pa < 0n || pa >= 1n << 52n) {
      const b = this.readPartial(pa, 8);
      return b.length === 8 ? u64le(b, 0) : undefined;
    }
    const off = this.presentOffset(Number(pa >> 12n));
    if (off === undefined) return undefined;
    const b = this.source.read(off + inPage, 8);
    return b.length === 8 ? u64le(b, 0) : undefined;
  }

  /** Page offset only when the whole page is inside the file (a page cut by truncation counts as missing). */
  private presentOffset(pfn: number): number | undefined {
    const off = this.pageOffset(pfn);
    if (off === undefined || off + PAGE_SIZE > this.source.size) return undefined;
    return off;
  }
}
