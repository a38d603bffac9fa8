import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { DebuggerError, FormatError } from '../../errors.js';

/** Random-access bytes: a file read with positioned reads, or a buffer already in memory. */
export interface ByteSource {
  readonly size: number;
  /** Exactly `length` bytes at `offset`; throws FormatError when the source is shorter. */
  read(offset: number, length: number): Buffer;
  /**
   * Copies exactly `length` bytes at `offset` into `target` at `targetOffset`. Optional: callers
   * fall back to `read` plus a copy, but a source that has it lets large reads land in a reused
   * buffer instead of fresh memory (fresh pages cost more than the copy itself).
   */
  readInto?(offset: number, length: number, target: Uint8Array, targetOffset: number): void;
  close(): void;
}

/** A file opened for positioned reads; nothing is read until asked for. */
export class FileSource implements ByteSource {
  readonly size: number;
  private fd: number | undefined;

  constructor(
    readonly path: string,
    /** Format named by errors from this source (`pdb`, `breakpad`). */
    private readonly format = 'pdb',
  ) {
    this.fd = openSync(path, 'r');
    try {
      this.size = fstatSync(this.fd).size;
    } catch (err) {
      closeSync(this.fd);
      throw err;
    }
  }

  read(offset: number, length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    this.readInto(offset, length, out, 0);
    return out;
  }

  readInto(offset: number, length: number, target: Uint8Array, targetOffset: number): void {
    if (this.fd === undefined) throw new FormatError(this.format, `${this.path}: read after close`);
    if (offset < 0 || length < 0 || offset + length > this.size) {
      throw new FormatError(this.format, `${this.path}: read of 0x${length.toString(16)} bytes at 0x${offset.toString(16)} is past the end of the file (0x${this.size.toString(16)} bytes)`, offset);
    }
    if (targetOffset < 0 || targetOffset + length > target.length) {
      throw new DebuggerError('range', `${this.path}: 0x${length.toString(16)} bytes do not fit the target buffer at 0x${targetOffset.toString(16)}`);
    }
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, target, targetOffset + done, length - done, offset + done);
      if (n <= 0) throw new FormatError(this.format, `${this.path}: short read at 0x${(offset + done).toString(16)}`, offset + done);
      done += n;
    }
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Bytes already in memory (tests, files expanded from a cabinet). */
export class BufferSource implements ByteSource {
  constructor(private readonly buf: Buffer) {}

  get size(): number {
    return this.buf.length;
  }

  read(offset: number, length: number): Buffer {
    if (offset < 0 || length < 0 || offset + length > this.buf.length) {
      throw new FormatError('pdb', `read of 0x${length.toString(16)} bytes at 0x${offset.toString(16)} is past the end (0x${this.buf.length.toString(16)} bytes)`, offset);
    }
    return this.buf.subarray(offset, offset + length);
  }

  readInto(offset: number, length: number, target: Uint8Array, targetOffset: number): void {
    target.set(this.read(offset, length), targetOffset);
  }

  close(): void {}
}
