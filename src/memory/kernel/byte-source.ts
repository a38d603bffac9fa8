import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { ByteSource } from '../../formats/kdump/binary.js';

export type { ByteSource } from '../../formats/kdump/binary.js';

/** Options of the file page cache. */
export interface FileByteSourceOptions {
  /** Cache page size in bytes (a power of two). Default 4096. */
  readonly pageSize?: number;
  /** Most pages kept in memory. Default 4096 (16 MiB with 4 KiB pages). */
  readonly maxPages?: number;
}

/** Counters for benchmarks and tests. */
export interface CacheStats {
  hits: number;
  misses: number;
  /** Reads of a page or more, which bypass the cache. */
  direct: number;
}

/**
 * A file read with positioned `readSync` calls through a bounded LRU cache of file pages.
 * Dumps are tens of GiB, so nothing here ever reads the whole file.
 */
export class FileByteSource implements ByteSource {
  readonly size: number;
  readonly stats: CacheStats = { hits: 0, misses: 0, direct: 0 };
  private readonly pageSize: number;
  private readonly maxPages: number;
  /** Map iteration order is insertion order, which makes it an LRU list: re-insert on hit. */
  private readonly pages = new Map<number, Uint8Array>();
  private fd: number | undefined;

  private constructor(fd: number, size: number, options: FileByteSourceOptions) {
    this.fd = fd;
    this.size = size;
    this.pageSize = options.pageSize ?? 4096;
    if (this.pageSize < 512 || (this.pageSize & (this.pageSize - 1)) !== 0) throw new RangeError('pageSize must be a power of two >= 512');
    this.maxPages = Math.max(4, options.maxPages ?? 4096);
  }

  /** Opens `path` read-only. Throws the fs error (ENOENT, EACCES) unchanged. */
  static open(path: string, options: FileByteSourceOptions = {}): FileByteSource {
    const fd = openSync(path, 'r');
    try {
      return new FileByteSource(fd, fstatSync(fd).size, options);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /** Pages currently cached. */
  get cachedPages(): number {
    return this.pages.size;
  }

  read(offset: number, length: number): Uint8Array {
    if (offset < 0 || length <= 0 || offset >= this.size) return new Uint8Array(0);
    const n = Math.min(length, this.size - offset);
    const first = Math.floor(offset / this.pageSize);
    const inPage = offset - first * this.pageSize;
    // The common small read inside one page is a view of the cached page: no copy.
    if (n < this.pageSize && inPage + n <= this.pageSize) return this.page(first).subarray(inPage, inPage + n);
    const out = new Uint8Array(n);
    const got = this.readInto(offset, out, 0, n);
    return got === n ? out : out.subarray(0, got);
  }

  readInto(offset: number, dest: Uint8Array, destOffset: number, length: number): number {
    if (offset < 0 || length <= 0 || offset >= this.size) return 0;
    const n = Math.min(length, this.size - offset, dest.length - destOffset);
    // Page-sized and larger reads (whole dump pages, bitmaps) go straight to the file: one
    // syscall, and they do not evict the page-table and structure pages small reads keep hot.
    if (n >= this.pageSize) {
      this.stats.direct++;
      return this.readDirect(offset, dest, destOffset, n);
    }
    const first = Math.floor(offset / this.pageSize);
    const last = Math.floor((offset + n - 1) / this.pageSize);
    let done = 0;
    for (let p = first; p <= last; p++) {
      const page = this.page(p);
      const start = p === first ? offset - first * this.pageSize : 0;
      const take = Math.min(page.length - start, n - done);
      if (take <= 0) break;
      dest.set(page.subarray(start, start + take), destOffset + done);
      done += take;
    }
    return done;
  }

  /** Closes the file; later reads throw. */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.pages.clear();
  }

  private page(index: number): Uint8Array {
    const hit = this.pages.get(index);
    if (hit) {
      this.stats.hits++;
      this.pages.delete(index);
      this.pages.set(index, hit);
      return hit;
    }
    this.stats.misses++;
    const start = index * this.pageSize;
    const want = Math.min(this.pageSize, this.size - start);
    const buf = new Uint8Array(want);
    const got = this.readDirect(start, buf, 0, want);
    const page = got === want ? buf : buf.subarray(0, got);
    if (this.pages.size >= this.maxPages) {
      const oldest = this.pages.keys().next();
      if (!oldest.done) this.pages.delete(oldest.value);
    }
    this.pages.set(index, page);
    return page;
  }

  private readDirect(offset: number, dest: Uint8Array, destOffset: number, length: number): number {
    if (this.fd === undefined) throw new Error('FileByteSource is closed');
    let done = 0;
    while (done < length) {
      const got = readSync(this.fd, dest, destOffset + done, length - done, offset + done);
      if (got <= 0) break;
      done += got;
    }
    return done;
  }
}

/** A ByteSource over bytes already in memory (tests, small files). */
export class BufferByteSource implements ByteSource {
  constructor(private readonly bytes: Uint8Array) {}

  get size(): number {
    return this.bytes.length;
  }

  read(offset: number, length: number): Uint8Array {
    if (offset < 0 || length <= 0 || offset >= this.bytes.length) return new Uint8Array(0);
    return this.bytes.subarray(offset, Math.min(this.bytes.length, offset + length));
  }

  readInto(offset: number, dest: Uint8Array, destOffset: number, length: number): number {
    const bytes = this.read(offset, Math.min(length, dest.length - destOffset));
    dest.set(bytes, destOffset);
    return bytes.length;
  }
}
