import { FormatError } from '../../errors.js';

/** Format name used in every FormatError raised by the kernel dump parsers. */
export const KDUMP_FORMAT = 'kernel dump';

/**
 * Random access to the bytes of a dump file. Reads past the end return the bytes that exist
 * (possibly none): callers decide whether a short read is truncation or corruption.
 */
export interface ByteSource {
  /** Length of the underlying file in bytes. */
  readonly size: number;
  /** Up to `length` bytes from `offset`; shorter only at end of file. The result may be a view: do not modify it. */
  read(offset: number, length: number): Uint8Array;
  /** Copies up to `length` bytes from `offset` into `dest` at `destOffset`; returns the count copied. */
  readInto(offset: number, dest: Uint8Array, destOffset: number, length: number): number;
}

/** Unsigned 16-bit little-endian value at `o`. */
export function u16le(b: Uint8Array, o: number): number {
  return (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8);
}

/** Unsigned 32-bit little-endian value at `o`. */
export function u32le(b: Uint8Array, o: number): number {
  return ((b[o] ?? 0) | ((b[o + 1] ?? 0) << 8) | ((b[o + 2] ?? 0) << 16)) + (b[o + 3] ?? 0) * 0x1000000;
}

/** Unsigned 64-bit little-endian value at `o`. */
export function u64le(b: Uint8Array, o: number): bigint {
  return (BigInt(u32le(b, o + 4)) << 32n) | BigInt(u32le(b, o));
}

/** Exactly `length` bytes at `offset`, or a FormatError naming `what` when the file is too short. */
export function readRequired(source: ByteSource, offset: number, length: number, what: string): Uint8Array {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset + length > source.size) {
    throw new FormatError(KDUMP_FORMAT, `${what} at file offset 0x${offset.toString(16)} (0x${length.toString(16)} bytes) lies outside the file (0x${source.size.toString(16)} bytes)`, offset);
  }
  const b = source.read(offset, length);
  if (b.length < length) throw new FormatError(KDUMP_FORMAT, `${what} is truncated`, offset);
  return b;
}

/** UTF-16LE text of `bytes`, stopping at the first NUL. */
export function utf16z(bytes: Uint8Array): string {
  let end = 0;
  while (end + 1 < bytes.length && (bytes[end] !== 0 || bytes[end + 1] !== 0)) end += 2;
  return Buffer.from(bytes.buffer, bytes.byteOffset, end).toString('utf16le');
}

/** ASCII/Latin-1 text of `bytes`, stopping at the first NUL. */
export function asciiz(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return Buffer.from(bytes.buffer, bytes.byteOffset, end < 0 ? bytes.length : end).toString('latin1');
}
