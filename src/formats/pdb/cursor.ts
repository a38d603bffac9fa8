import { FormatError } from '../../errors.js';

/**
 * A bounds-checked little-endian reader over one buffer (a stream or part of one). Every read
 * names the field it is for, so a truncated or lying file fails with a message that says what
 * was being read and where.
 */
export class Cursor {
  /** Current offset inside `buf`. */
  pos: number;

  constructor(
    readonly buf: Buffer,
    /** Label used in error messages, e.g. `DBI stream`. */
    readonly where: string,
    pos = 0,
  ) {
    this.pos = pos;
  }

  /** Bytes left after the current position. */
  get remaining(): number {
    return this.buf.length - this.pos;
  }

  /** Throws unless `size` bytes are available at the current position. */
  need(size: number, field: string): void {
    if (size < 0 || this.pos + size > this.buf.length) {
      throw new FormatError(
        'pdb',
        `${this.where}: ${field} at offset 0x${this.pos.toString(16)} runs past the end (0x${this.buf.length.toString(16)} bytes)`,
        this.pos,
      );
    }
  }

  /** Reads a u8 named `field`. */
  u8(field: string): number {
    this.need(1, field);
    return this.buf.readUInt8(this.pos++);
  }

  /** Reads a u16 named `field`. */
  u16(field: string): number {
    this.need(2, field);
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }

  /** Reads a u32 named `field`. */
  u32(field: string): number {
    this.need(4, field);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  /** Reads an i32 named `field`. */
  i32(field: string): number {
    this.need(4, field);
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  /** Returns `size` bytes (a view, not a copy). */
  bytes(size: number, field: string): Buffer {
    this.need(size, field);
    const v = this.buf.subarray(this.pos, this.pos + size);
    this.pos += size;
    return v;
  }

  /** Skips `size` bytes. */
  skip(size: number, field: string): void {
    this.need(size, field);
    this.pos += size;
  }

  /** Reads a NUL-terminated UTF-8 string; a missing terminator is an error. */
  cstring(field: string): string {
    const end = this.buf.indexOf(0, this.pos);
    if (end < 0) {
      throw new FormatError('pdb', `${this.where}: ${field} at offset 0x${this.pos.toString(16)} is not NUL-terminated`, this.pos);
    }
    const s = this.buf.toString('utf8', this.pos, end);
    this.pos = end + 1;
    return s;
  }

  /** Advances to the next multiple of `n`, clamped to the buffer end. */
  align(n: number): void {
    const aligned = Math.ceil(this.pos / n) * n;
    this.pos = Math.min(aligned, this.buf.length);
  }
}

/** Reads a NUL-terminated string at `offset` inside `buf` without a cursor, stopping at `end`. */
export function cstringAt(buf: Buffer, offset: number, end: number = buf.length): string | undefined {
  if (offset < 0 || offset >= end) return undefined;
  const nul = buf.indexOf(0, offset);
  if (nul < 0 || nul >= end) return undefined;
  return buf.toString('utf8', offset, nul);
}
