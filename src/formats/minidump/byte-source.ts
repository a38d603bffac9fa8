/**
 * Random-access byte sources for the minidump reader. A file is read with positioned reads
 * (`fs.readSync` at an offset) so that multi-gigabyte full-memory dumps never sit in memory;
 * a small block cache keeps the stack walker's 4-byte reads from turning into syscalls.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Bytes addressed by file offset. Reads past the end return the available prefix. */
export interface ByteSource {
  /** Total length in bytes. */
  readonly size: number;
  /** Up to `length` bytes at `offset` in a new array; shorter only at the end of the source. */
  read(offset: number, length: number): Uint8Array;
  /** Copies up to `length` bytes at `offset` into `dest` at `destOffset`; returns the count copied. */
  readInto(offset: number, dest: Uint8Array, destOffset: number, length: number): number;
  /** Releases the underlying file, if any. Later reads return empty arrays. */
  close(): void;
}

/** A source over bytes already in memory (builders, tests, small files). */
export class BufferSource implements ByteSource {
  constructor(private readonly bytes: Uint8Array) {}

  get size(): number {
    return this.bytes.length;
  }

  read(offset: number, length: number): Uint8Array {
    if (offset < 0 || length <= 0 || offset >= this.bytes.length) return new Uint8Array(0);
    return this.bytes.slice(offset, Math.min(this.bytes.length, offset + length));
  }

  readInto(offset: number, dest: Uint8Array, destOffset: number, length: number): number {
    if (offset < 0 || length <= 0 || offset >= this.bytes.length) return 0;
    const part = this.bytes.subarray(offset, Math.min(this.bytes.length, offset + length));
    dest.set(part, destOffset);
    return part.length;
  }

  close(): void {}
}

const BLOCK_SIZE = 0x1000;
const CACHE_SLOTS = 1024;

/**
 * A file read lazily with positioned reads through a direct-mapped cache of 4 KiB blocks
 * (4 MiB at most). Direct mapping keeps a hit to one array lookup and reuses slot buffers,
 * so random access allocates nothing.
 */
export class FileSource implements ByteSource {
  readonly size: number;
  private fd: number | undefined;
  private readonly slotBlock = new Float64Array(CACHE_SLOTS).fill(-1);
  private readonly slotBytes: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(CACHE_SLOTS);
  private readonly slotLength = new Int32Array(CACHE_SLOTS);

  constructor(path: string) {
    this.fd = openSync(path, 'r');
    this.size = fstatSync(this.fd).size;
  }

  read(offset: number, length: number): Uint8Array {
    if (this.fd === undefined || offset < 0 || length <= 0 || offset >= this.size) return new Uint8Array(0);
    const n = Math.min(length, this.size - offset);
    // Large reads (stream bodies, whole pages) bypass the cache.
    if (n > BLOCK_SIZE) return this.readDirect(offset, n);
    const out = new Uint8Array(n);
    const got = this.readInto(offset, out, 0, n);
    return got === n ? out : out.subarray(0, got);
  }

  readInto(offset: number, dest: Uint8Array, destOffset: number, length: number): number {
    if (this.fd === undefined || offset < 0 || length <= 0 || offset >= this.size) return 0;
    const end = Math.min(this.size, offset + length);
    if (end - offset > BLOCK_SIZE * 2) {
      const direct = this.readDirect(offset, end - offset);
      dest.set(direct, destOffset);
      return direct.length;
    }
    let at = offset;
    while (at < end) {
      const index = Math.floor(at / BLOCK_SIZE);
      const block = this.block(index);
      const from = at - index * BLOCK_SIZE;
      const n = Math.min(end - at, block.length - from);
      if (n <= 0) break;
      dest.set(block.subarray(from, from + n), destOffset + (at - offset));
      at += n;
    }
    return at - offset;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.slotBlock.fill(-1);
    this.slotBytes.fill(undefined);
  }

  /** The cached bytes of block `index` (shorter than a block only at the end of the file). */
  private block(index: number): Uint8Array {
    const slot = index % CACHE_SLOTS;
    const cached = this.slotBytes[slot];
    if (this.slotBlock[slot] === index && cached) return cached.subarray(0, this.slotLength[slot]);
    const buf = cached ?? new Uint8Array(BLOCK_SIZE);
    this.slotBytes[slot] = buf;
    const start = index * BLOCK_SIZE;
    let done = 0;
    const want = Math.min(BLOCK_SIZE, this.size - start);
    while (done < want && this.fd !== undefined) {
      const n = readSync(this.fd, buf, done, want - done, start + done);
      if (n <= 0) break;
      done += n;
    }
    this.slotBlock[slot] = index;
    this.slotLength[slot] = done;
    return buf.subarray(0, done);
  }

  private readDirect(offset: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    let done = 0;
    while (done < length && this.fd !== undefined) {
      const n = readSync(this.fd, out, done, length - done, offset + done);
      if (n <= 0) break;
      done += n;
    }
    return done === length ? out : out.subarray(0, done);
  }
}
