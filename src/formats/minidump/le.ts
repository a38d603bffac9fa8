/**
 * Little-endian field access on byte arrays. Reads outside the array yield 0 instead of
 * throwing, so a decoder that has already bounds-checked a structure cannot crash on a
 * short tail; the bounds checks themselves live in the stream readers.
 */

/** Unsigned byte at `off`. */
export function u8(b: Uint8Array, off: number): number {
  return b[off] ?? 0;
}

/** Unsigned 16-bit value at `off`. */
export function u16(b: Uint8Array, off: number): number {
  return (b[off] ?? 0) | ((b[off + 1] ?? 0) << 8);
}

/** Unsigned 32-bit value at `off`. */
export function u32(b: Uint8Array, off: number): number {
  return ((b[off] ?? 0) | ((b[off + 1] ?? 0) << 8) | ((b[off + 2] ?? 0) << 16)) + (b[off + 3] ?? 0) * 0x1000000;
}

/** Signed 32-bit value at `off`. */
export function i32(b: Uint8Array, off: number): number {
  return u32(b, off) | 0;
}

/** Unsigned 64-bit value at `off`, as bigint. */
export function u64(b: Uint8Array, off: number): bigint {
  return (BigInt(u32(b, off + 4)) << 32n) | BigInt(u32(b, off));
}

/**
 * Unsigned 64-bit value at `off` as a number when it is at most `limit`, else undefined.
 * Used for file sizes and offsets, which must fit the file anyway.
 */
export function u64AsNumber(b: Uint8Array, off: number, limit: number): number | undefined {
  const hi = u32(b, off + 4);
  const lo = u32(b, off);
  const v = hi * 0x100000000 + lo;
  return hi < 0x200000 && v <= limit ? v : undefined;
}

const utf16 = new TextDecoder('utf-16le');
const utf8 = new TextDecoder('utf-8');

/** UTF-16LE text of `byteLength` bytes at `off`, cut at the first NUL. */
export function utf16At(b: Uint8Array, off: number, byteLength: number): string {
  const end = Math.min(b.length, off + (byteLength & ~1));
  if (off < 0 || off >= end) return '';
  const text = utf16.decode(b.subarray(off, end));
  const nul = text.indexOf('\0');
  return nul >= 0 ? text.slice(0, nul) : text;
}

/** NUL-terminated 8-bit text (UTF-8, which covers ANSI paths in practice) at `off`, at most `max` bytes. */
export function cStringAt(b: Uint8Array, off: number, max: number): string {
  const end = Math.min(b.length, off + max);
  if (off < 0 || off >= end) return '';
  let stop = off;
  while (stop < end && b[stop] !== 0) stop++;
  return utf8.decode(b.subarray(off, stop));
}

/** `0x1a2b` style hex for messages. */
export function hexOf(v: number | bigint): string {
  return `0x${v.toString(16)}`;
}
